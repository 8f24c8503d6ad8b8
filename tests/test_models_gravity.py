"""Unit tests of the gravity-model helpers in migrationlab.models (chapter 3)."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from migrationlab.geo import EARTH_RADIUS_KM
from migrationlab.models import (
    country_pairs,
    dyadic_panel,
    fit_ppml,
    gravity_design,
    great_circle_km,
    hump_turning_point,
)


def test_great_circle_known_pairs():
    # A quarter of the equator and a meridian quadrant: pi R / 2 = 10,007.5 km.
    assert great_circle_km(0, 0, 0, 90) == pytest.approx(np.pi * EARTH_RADIUS_KM / 2, rel=1e-12)
    assert great_circle_km(0, 0, 90, 0) == pytest.approx(np.pi * EARTH_RADIUS_KM / 2, rel=1e-12)
    # London (51.5074 N, 0.1278 W) to Paris (48.8566 N, 2.3522 E): 343.5 km by haversine
    # (the published great-circle distance is about 344 km).
    assert great_circle_km(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(343.5, abs=0.5)
    # Antipodes: half the circumference.
    assert great_circle_km(10, 20, -10, -160) == pytest.approx(np.pi * EARTH_RADIUS_KM, rel=1e-7)


def test_great_circle_vectorised_symmetric_and_validated():
    lat1, lon1 = np.array([0.0, 40.0]), np.array([0.0, -3.7])
    lat2, lon2 = np.array([10.0, 52.5]), np.array([5.0, 13.4])
    d = great_circle_km(lat1, lon1, lat2, lon2)
    assert d.shape == (2,)
    assert np.allclose(d, great_circle_km(lat2, lon2, lat1, lon1))
    assert great_circle_km(12.0, 34.0, 12.0, 34.0) == 0.0
    with pytest.raises(ValueError, match="wrong order"):
        great_circle_km(0.0, 120.0, 100.0, 0.0)


def _countries() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC"],
            "capital_lat": [0.0, 0.0, 0.0],
            "capital_lon": [0.0, 0.3, 90.0],
            "neighbours_iso3": ["BBB", "AAA", ""],
            "languages": ["en;fr", "fr", "es;en-XX;en"],
        }
    )


def test_country_pairs_attributes():
    pairs = country_pairs(_countries())
    assert len(pairs) == 6
    ab = pairs.query("origin_iso3 == 'AAA' and destination_iso3 == 'BBB'").iloc[0]
    assert ab["contiguity"] == 1 and ab["common_language"] == 1
    # 0.3 degrees of longitude on the equator is 33 km: floored at 50 km.
    assert ab["distance_km"] == 50.0
    ac = pairs.query("origin_iso3 == 'AAA' and destination_iso3 == 'CCC'").iloc[0]
    # Only the first two languages count: 'en' is third for CCC.
    assert ac["contiguity"] == 0 and ac["common_language"] == 0
    assert ac["distance_km"] == pytest.approx(np.pi * EARTH_RADIUS_KM / 2)
    with pytest.raises(KeyError, match="capital_lat"):
        country_pairs(_countries().drop(columns="capital_lat"))


def test_dyadic_panel_fills_zeros_and_lags_the_diaspora():
    pairs = country_pairs(_countries())
    flows = pd.DataFrame(
        {"origin_iso3": ["AAA"], "destination_iso3": ["BBB"], "year": [2011], "flow": [40]}
    )
    stocks = pd.DataFrame(
        {
            "origin_iso3": ["AAA", "AAA", None],
            "destination_iso3": ["BBB", "BBB", "BBB"],
            "year": [2010, 2011, 2010],
            "migrant_stock": [1000, 5000, 77],
        }
    )
    indicators = pd.DataFrame(
        {"iso3": ["AAA", "BBB", "CCC"], "year": [2011] * 3, "population": [1.0, 2.0, 3.0]}
    )
    panel = dyadic_panel(pairs, [2011, 2012], flows=flows, stocks=stocks, indicators=indicators)
    assert len(panel) == 12
    assert panel["flow"].sum() == 40 and (panel["flow"] == 0).sum() == 11
    row = panel.query("origin_iso3 == 'AAA' and destination_iso3 == 'BBB' and year == 2011")
    assert row["diaspora"].item() == 1000  # the stock of 2010, not 2011
    assert row["population_o"].item() == 1.0 and row["population_d"].item() == 2.0
    later = panel.query("origin_iso3 == 'AAA' and destination_iso3 == 'BBB' and year == 2012")
    assert later["diaspora"].item() == 5000 and np.isnan(later["population_o"].item())
    with pytest.raises(KeyError, match="flows table"):
        dyadic_panel(
            pairs, [2011], flows=flows.drop(columns="flow"), stocks=stocks, indicators=indicators
        )


def _gravity_sample(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    origins, dests = [f"O{i}" for i in range(8)], [f"D{j}" for j in range(7)]
    a = dict(zip(origins, rng.normal(0, 0.5, 8), strict=True))
    b = dict(zip(dests, rng.normal(0, 0.5, 7), strict=True))
    rows = [(o, d, y) for o in origins for d in dests for y in (2001, 2002)]
    df = pd.DataFrame(rows, columns=["origin_iso3", "destination_iso3", "year"])
    df["log_distance"] = rng.uniform(np.log(200), np.log(12_000), len(df))
    df["contiguity"] = rng.binomial(1, 0.2, len(df))
    mean = np.exp(
        9.0
        - 1.0 * df["log_distance"]
        + 0.8 * df["contiguity"]
        + df["origin_iso3"].map(a)
        + df["destination_iso3"].map(b)
    )
    df["flow"] = rng.poisson(mean * rng.lognormal(-0.125, 0.5, len(df)))
    return df


def test_fit_ppml_matches_a_plain_statsmodels_poisson_glm():
    df = _gravity_sample()
    fe = ["origin_iso3", "destination_iso3", "year"]
    result = fit_ppml(df, "flow", ["log_distance", "contiguity"], fe)
    dummies = [
        pd.get_dummies(df[c].astype(str), prefix=c, drop_first=True, dtype=float) for c in fe
    ]
    x = sm.add_constant(pd.concat([df[["log_distance", "contiguity"]], *dummies], axis=1))
    plain = sm.GLM(df["flow"], x, family=sm.families.Poisson()).fit(cov_type="HC1")
    for name in ("log_distance", "contiguity"):
        assert result.params[name] == pytest.approx(plain.params[name], rel=1e-7)
        assert result.bse[name] == pytest.approx(plain.bse[name], rel=1e-5)
    assert (df["flow"] == 0).any(), "the sample should contain zero flows"
    assert result.params["log_distance"] == pytest.approx(-1.0, abs=0.15)


def test_fit_ppml_rejects_logs_and_missing_values():
    df = _gravity_sample()
    with pytest.raises(ValueError, match="non-negative"):
        fit_ppml(df.assign(log_flow=np.log(df["flow"] + 0.5) - 3), "log_flow", ["log_distance"])
    with pytest.raises(ValueError, match="log1p"):
        fit_ppml(df.assign(bad=np.where(df["flow"] > 0, 1.0, -np.inf)), "flow", ["bad"])
    with pytest.raises(KeyError, match="no column"):
        gravity_design(df, ["log_gdp"], [])


def test_gravity_design_drops_one_category_per_fixed_effect():
    df = _gravity_sample()
    x = gravity_design(df, ["log_distance"], ["origin_iso3", "year"])
    assert list(x.columns[:2]) == ["const", "log_distance"]
    assert x.shape[1] == 2 + (8 - 1) + (2 - 1)


class _Fit:
    def __init__(self, params, cov):
        self.params = pd.Series(params)
        self._cov = pd.DataFrame(cov, index=self.params.index, columns=self.params.index)

    def cov_params(self):
        return self._cov


def test_hump_turning_point_and_interval():
    peak = 8000.0
    b2 = -0.45
    b1 = -2 * b2 * np.log(peak)
    out = hump_turning_point(_Fit({"lg": b1, "lg2": b2}, np.eye(2) * 1e-4), "lg", "lg2")
    assert out["peak"] == pytest.approx(peak)
    assert out["lower"] < peak < out["upper"]
    exact = hump_turning_point(_Fit({"lg": b1, "lg2": b2}, np.zeros((2, 2))), "lg", "lg2")
    assert exact["lower"] == pytest.approx(peak) and exact["log_peak_se"] == 0.0
    with pytest.raises(ValueError, match="not a hump"):
        hump_turning_point(_Fit({"lg": b1, "lg2": 0.1}, np.eye(2)), "lg", "lg2")
