"""The nowcast with checked intervals and the stock-flow projection (migrationlab.anticipation)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migrationlab.anticipation import (
    corridor_changes,
    flow_scenarios,
    interval_coverage,
    nowcast_stocks,
    platform_jumps,
    project_stock,
)
from migrationlab.checks import MissingColumnError


def _made_up_corridors(noise: float, n: int = 200, seed: int = 1) -> pd.DataFrame:
    """Corridors whose audience follows the stock, times a corridor penetration and noise."""
    rng = np.random.default_rng(seed)
    stock_before = rng.uniform(2e4, 5e5, n)
    growth = rng.normal(0.05, 0.10, n)
    stock_base = stock_before * np.exp(growth)
    penetration = np.exp(rng.normal(-1.0, 0.5, n))
    return pd.DataFrame(
        {
            "destination_iso3": "AAA",
            "origin_iso3": [f"O{i:03d}" for i in range(n)],
            "stock_before": stock_before,
            "stock_base": stock_base,
            "audience_before": stock_before * penetration * np.exp(rng.normal(0, noise, n)),
            "audience_base": stock_base * penetration * np.exp(rng.normal(0, noise, n)),
            "audience_now": stock_base * penetration * np.exp(rng.normal(0.02, noise, n)),
        }
    )


# --- coverage ---------------------------------------------------------------------------


def test_coverage_on_a_hand_made_case():
    nowcast = pd.DataFrame(
        {
            "destination_iso3": ["A", "A", "B", "B", "C"],
            "origin_iso3": ["X", "Y", "X", "Y", "X"],
            "lower": [90, 10, 50, 0, 1],
            "upper": [110, 20, 60, 5, 2],
        }
    )
    truth = pd.DataFrame(
        {
            "destination_iso3": ["A", "A", "B", "B"],
            "origin_iso3": ["X", "Y", "X", "Y"],
            "stock": [110, 25, 40, 5],  # on the bound counts as inside
        }
    )
    result = interval_coverage(nowcast, truth)
    assert result["n"] == 4 and result["unmatched"] == 1
    assert result["coverage"] == 0.5
    assert result["below"] == 0.25 and result["above"] == 0.25


def test_coverage_refuses_reversed_bounds_and_unmatched_tables():
    now = pd.DataFrame({"k": [1], "lower": [5.0], "upper": [1.0]})
    with pytest.raises(ValueError, match="'lower' exceeds column 'upper'"):
        interval_coverage(now, pd.DataFrame({"k": [1], "stock": [3]}), on=("k",))
    now = pd.DataFrame({"k": [1], "lower": [1.0], "upper": [5.0]})
    with pytest.raises(ValueError, match="no row of the nowcast table matches"):
        interval_coverage(now, pd.DataFrame({"k": [2], "stock": [3]}), on=("k",))


# --- the nowcast ------------------------------------------------------------------------


def test_the_interval_widens_when_the_noise_grows():
    widths = []
    for noise in (0.02, 0.10, 0.30):
        out = nowcast_stocks(_made_up_corridors(noise), n_boot=200)
        assert (out["lower"] <= out["estimate"]).all() and (out["estimate"] <= out["upper"]).all()
        widths.append(float(np.median(np.log(out["upper"] / out["lower"]))))
    assert widths[0] < widths[1] < widths[2], widths


def test_the_nowcast_covers_made_up_truth_about_as_claimed():
    table = _made_up_corridors(0.05, n=400, seed=3)
    out = nowcast_stocks(table, n_boot=300)
    # The made-up "now" is the base stock times a common 2 % growth (the audience's median
    # change): the interval should cover it for most corridors. The slope is below one, as
    # the noise of the audience attenuates it (var 0.01 of growth, 2 x 0.0025 of noise).
    truth = table[["destination_iso3", "origin_iso3"]].assign(stock=table["stock_base"] * 1.02)
    assert interval_coverage(out, truth)["coverage"] > 0.85
    assert 0.55 < out["slope"].iloc[0] < 0.8


def test_bad_input_names_the_table_the_column_and_the_fix():
    table = _made_up_corridors(0.05).drop(columns="audience_now")
    with pytest.raises(
        MissingColumnError, match=r"the corridor table has no column 'audience_now'"
    ):
        nowcast_stocks(table)
    with pytest.raises(MissingColumnError, match=r"corridor_changes\(audience, official\)"):
        nowcast_stocks(table)
    table = _made_up_corridors(0.05)
    table.loc[3, "stock_before"] = 0
    with pytest.raises(ValueError, match=r"column 'stock_before' of the corridor table.*positive"):
        nowcast_stocks(table)
    with pytest.raises(MissingColumnError, match="the inflow table has no column 'inflow'"):
        project_stock(1000, pd.DataFrame({"scenario": ["a"], "year": [2023]}), **RATES)


# --- the bundled synthetic world: the lesson under a fair test ---------------------------


def _nowcast_world(data_dir=None) -> tuple[pd.DataFrame, pd.Series]:
    """The lab's nowcast of end-2022 stocks, from audiences and official stocks only."""
    from migrationlab.data import load_migrant_stocks, load_social_media_audience

    audience = load_social_media_audience(data_dir)
    table = corridor_changes(audience, load_migrant_stocks(data_dir))
    jumps = platform_jumps(audience)
    change = jumps[(jumps.index > "2021-01-01") & (jumps.index <= "2023-01-01")].sum()
    chosen = table[
        (table["basis"] == "birth")
        & table["split_by_origin"]
        & (table["stock_base"] >= 20_000)
        & (table["floor_share"] <= 0.2)
    ]
    nowcast = nowcast_stocks(chosen, platform_change=change, official_error_sd=0.05)
    return nowcast, jumps


def _coverage_against_truth(nowcast: pd.DataFrame, data_dir=None) -> pd.Series:
    from migrationlab.data import load_true_stocks

    truth = load_true_stocks(data_dir)
    return interval_coverage(nowcast, truth[truth["year"] == 2022])


def test_the_nowcast_covers_the_truth_of_the_bundled_world():
    nowcast, jumps = _nowcast_world()
    assert len(nowcast) >= 100
    assert {"2019-07-01", "2022-01-01"} <= {f"{d:%Y-%m-%d}" for d in jumps.index}
    result = _coverage_against_truth(nowcast)
    assert result["unmatched"] == 0
    assert 0.80 <= result["coverage"] <= 0.97, result.to_dict()


@pytest.mark.slow
@pytest.mark.parametrize("seed", [11, 12])
def test_the_nowcast_covers_the_truth_of_other_worlds(seed, tmp_path):
    # A world of another seed takes about a minute to generate (slow tier only).
    from migrationlab_world.generate import generate

    data_dir = tmp_path / f"world{seed}"
    generate(data_dir, seed=seed, progress=False)
    nowcast, _ = _nowcast_world(data_dir)
    result = _coverage_against_truth(nowcast, data_dir)
    assert 0.80 <= result["coverage"] <= 0.97, result.to_dict()


# --- the projection ---------------------------------------------------------------------

RATES = {"emigration_rate": 0.02, "mortality_rate": 0.008}


def test_the_projection_keeps_the_accounting_identity():
    inflows = flow_scenarios(50_000, first_year=2023, years=10)
    out = project_stock(1_000_000, inflows, naturalisation_rate=0.01, **RATES)
    assert len(out) == 30 and set(out["scenario"]) == {"continuation", "surge", "fall"}
    balance = (
        out["stock_start"]
        + out["inflow"]
        - out["emigration"]
        - out["deaths"]
        - out["naturalisations"]
    )
    np.testing.assert_allclose(out["stock_end"], balance)
    for _, group in out.groupby("scenario"):
        np.testing.assert_allclose(group["stock_start"].iloc[1:], group["stock_end"].iloc[:-1])
        assert group["stock_start"].iloc[0] == 1_000_000
        np.testing.assert_allclose(group["deaths"], 0.008 * group["stock_start"])
    final = out.groupby("scenario")["stock_end"].last()
    assert final["fall"] < final["continuation"] < final["surge"]


def test_the_scenarios_ramp_to_their_level():
    inflows = flow_scenarios(100.0, first_year=2023, years=5, ramp_years=2).set_index(
        ["scenario", "year"]
    )["inflow"]
    assert inflows["surge"].tolist() == [150.0, 200.0, 200.0, 200.0, 200.0]
    assert inflows["fall"].tolist() == [75.0, 50.0, 50.0, 50.0, 50.0]
    assert inflows["continuation"].tolist() == [100.0] * 5


def test_the_projection_refuses_rates_that_are_not_shares():
    inflows = flow_scenarios(10.0, first_year=2023, years=2)
    with pytest.raises(ValueError, match=r"between 0 and 1 \(e.g. 0.02 for 2 %\)"):
        project_stock(100, inflows, emigration_rate=2.0, mortality_rate=0.01)
    with pytest.raises(ValueError, match="column 'inflow' of the inflow table"):
        project_stock(100, inflows.assign(inflow=-1.0), **RATES)
