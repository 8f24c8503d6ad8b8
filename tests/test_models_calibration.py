"""Unit tests of the audience-calibration helpers in migrationlab.models (chapter 2)."""

import numpy as np
import pandas as pd
import pytest

from migrationlab.models import (
    cross_validated_stock,
    destination_folds,
    fit_penetration,
    mape,
    stock_from_audience,
)


def _corridors(noise_sd: float = 0.0, seed: int = 1) -> pd.DataFrame:
    """Corridors whose audience is stock x a known penetration (log-linear in covariates)."""
    rng = np.random.default_rng(seed)
    dest_effect = {"AAA": -0.5, "BBB": 0.0, "CCC": 0.4}
    rows = []
    for dest, effect in dest_effect.items():
        for k in range(30):
            log_income = rng.uniform(np.log(1_000), np.log(60_000))
            stock = rng.uniform(20_000, 500_000)
            log_pen = -1.2 + effect + 0.45 * (log_income - np.log(10_000))
            log_pen += rng.normal(0.0, noise_sd)
            rows.append(
                {
                    "destination_iso3": dest,
                    "origin_iso3": f"O{k:02d}",
                    "log_origin_income": log_income,
                    "migrant_stock": stock,
                    "audience": stock * np.exp(log_pen),
                }
            )
    return pd.DataFrame(rows)


RHS = "C(destination_iso3) + log_origin_income"


def test_mape_value_and_symmetry_of_sign():
    assert mape([110, 90], [100, 100]) == pytest.approx(10.0)
    assert mape(np.array([50.0]), np.array([100.0])) == pytest.approx(50.0)
    assert mape([200.0], [100.0]) == pytest.approx(100.0)
    assert mape(pd.Series([3.0, 4.0]), pd.Series([3.0, 4.0])) == 0.0


@pytest.mark.parametrize(
    ("estimate", "reference", "match"),
    [
        ([1.0, 2.0], [1.0], "same table"),
        ([], [], "no values"),
        ([1.0], [0.0], "positive reference"),
        ([1.0], [np.nan], "positive reference"),
        ([np.inf], [1.0], "missing or infinite"),
    ],
)
def test_mape_rejects_bad_input_with_a_fix(estimate, reference, match):
    with pytest.raises(ValueError, match=match):
        mape(estimate, reference)


def test_destination_folds_spread_every_destination_over_the_folds():
    dest = np.repeat(["AAA", "BBB", "CCC"], [10, 7, 3])
    folds = destination_folds(dest, n_folds=3, seed=4)
    assert folds.shape == (20,) and set(np.unique(folds)) <= {0, 1, 2}
    table = pd.crosstab(dest, folds)
    # Each destination is dealt out in turn: its fold counts differ by at most one.
    assert (table.max(axis=1) - table.min(axis=1)).max() <= 1
    assert (table.loc["CCC"] == 1).all()
    np.testing.assert_array_equal(folds, destination_folds(dest, n_folds=3, seed=4))
    assert not np.array_equal(folds, destination_folds(dest, n_folds=3, seed=5))


@pytest.mark.parametrize("n_folds", [1, 0, 2.5])
def test_destination_folds_rejects_bad_fold_numbers(n_folds):
    with pytest.raises(ValueError, match="n_folds"):
        destination_folds(["AAA", "BBB"], n_folds=n_folds)


def test_destination_folds_rejects_missing_destinations():
    with pytest.raises(ValueError, match="missing"):
        destination_folds(["AAA", None, "BBB"])


def test_fit_recovers_planted_penetration_and_stock_without_noise():
    df = _corridors(noise_sd=0.0)
    fit = fit_penetration(df, RHS)
    assert fit.params["log_origin_income"] == pytest.approx(0.45, abs=1e-8)
    # Treatment coding: effects are relative to the first destination (AAA, -0.5).
    assert fit.params["C(destination_iso3)[T.CCC]"] == pytest.approx(0.9, abs=1e-8)
    est = stock_from_audience(fit, df)
    assert est.index.equals(df.index)
    np.testing.assert_allclose(est, df["migrant_stock"], rtol=1e-8)


def test_calibration_beats_a_single_scaling_factor_out_of_fold():
    df = _corridors(noise_sd=0.1, seed=2)
    naive = df["audience"] * df["migrant_stock"].sum() / df["audience"].sum()
    folds = destination_folds(df["destination_iso3"], n_folds=5, seed=0)
    cv = cross_validated_stock(df, RHS, folds)
    assert cv.notna().all()
    assert mape(cv, df["migrant_stock"]) < 15 < mape(naive, df["migrant_stock"])


def test_stock_from_audience_nowcasts_other_rows():
    df = _corridors(noise_sd=0.0)
    fit = fit_penetration(df, RHS)
    later = df.assign(migrant_stock=df["migrant_stock"] * 1.2, audience=df["audience"] * 1.2)
    np.testing.assert_allclose(stock_from_audience(fit, later), later["migrant_stock"], rtol=1e-8)


def test_unseen_destination_gives_a_clear_error():
    df = _corridors()
    held_out = (df["destination_iso3"] == "CCC").to_numpy()
    fit = fit_penetration(df[~held_out], RHS)
    with pytest.raises(ValueError, match="never seen"):
        stock_from_audience(fit, df[held_out])
    # Without the destination term, a whole destination can be held out.
    labels = pd.factorize(df["destination_iso3"])[0]
    assert cross_validated_stock(df, "log_origin_income", labels).notna().all()


def test_fit_penetration_validates_its_inputs():
    df = _corridors()
    with pytest.raises(ValueError, match="right-hand side"):
        fit_penetration(df, "np.log(audience) ~ log_origin_income")
    with pytest.raises(KeyError, match="audience_midpoint"):
        fit_penetration(df, RHS, audience="audience_midpoint")
    with pytest.raises(ValueError, match="must be finite and positive, without missing"):
        fit_penetration(df.assign(migrant_stock=0.0), RHS)
    with pytest.raises(KeyError, match="no column"):
        stock_from_audience(fit_penetration(df, RHS), df.drop(columns="audience"))


def test_cross_validated_stock_checks_the_folds():
    df = _corridors()
    with pytest.raises(ValueError, match="fold labels"):
        cross_validated_stock(df, RHS, [0, 1])
    with pytest.raises(ValueError, match="one fold"):
        cross_validated_stock(df, RHS, np.zeros(len(df), dtype=int))
