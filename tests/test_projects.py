"""The scores of the project notebooks: hand-computed values, edge cases, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migrationlab.checks import MissingColumnError
from migrationlab.projects import (
    score_against_official,
    score_nowcast,
    score_nowcast_by_year,
    score_phone_estimate,
)

# --------------------------------------------------------------------------- cities


@pytest.fixture
def census():
    """Held-out census per antenna cell: two cities, three cells in one, one in the other."""
    return pd.DataFrame(
        {
            "city_id": ["a", "a", "a", "b"],
            "antenna_cell_id": ["a1", "a2", "a3", "b1"],
            "pop_born_syr": [10, 30, 60, 500],
            "pop_born_tur": [5, 5, 0, 7],
        }
    ).set_index(["city_id", "antenna_cell_id"])


def _phone(values, cells=("a1", "a2", "a3"), city="a"):
    return pd.DataFrame({"city_id": city, "antenna_cell_id": list(cells), "estimate": values})


def test_phone_score_by_hand(census):
    # errors 10, 10, 20 -> 40 of 100 residents; ranks of (20, 20, 40) vs (10, 30, 60)
    score = score_phone_estimate(_phone([20.0, 20.0, 40.0]), "SYR", truth=census)
    assert score["antenna_cells"] == 3
    assert score["total_estimated"] == 80
    assert score["total_census_2021"] == 100
    assert score["weighted_abs_error_pct"] == pytest.approx(40.0)
    # Spearman: ranks (1.5, 1.5, 3) against (1, 2, 3): r = 1.5 / sqrt(1.5 * 2) = 0.866
    assert score["rank_correlation"] == pytest.approx(0.866)


def test_phone_score_perfect_and_only_the_cities_estimated(census):
    score = score_phone_estimate(_phone([10, 30, 60]), "syr", truth=census)
    # city b is not scored: only the cities of the estimates count
    assert score.to_dict() == {
        "antenna_cells": 3,
        "total_estimated": 100,
        "total_census_2021": 100,
        "rank_correlation": 1.0,
        "weighted_abs_error_pct": 0.0,
    }


@pytest.mark.filterwarnings("ignore:An input array is constant")
def test_phone_score_zero_is_an_estimate_a_missing_cell_is_not(census):
    zeros = score_phone_estimate(_phone([0.0, 0.0, 0.0]), "SYR", truth=census)
    assert zeros["weighted_abs_error_pct"] == pytest.approx(100.0)
    with pytest.raises(ValueError, match="1 antenna cells have no estimate"):
        score_phone_estimate(_phone([1.0, 2.0], cells=("a1", "a2")), "SYR", truth=census)
    with pytest.raises(ValueError, match="no estimate"):
        score_phone_estimate(_phone([1.0, np.nan, 3.0]), "SYR", truth=census)


def test_phone_score_rejects_bad_input(census):
    with pytest.raises(MissingColumnError, match=r"no column 'pop_born_xyz'.*ISO3"):
        score_phone_estimate(_phone([1, 2, 3]), "XYZ", truth=census)
    with pytest.raises(KeyError, match=r"estimates table has no column 'estimate'"):
        score_phone_estimate(_phone([1, 2, 3]).rename(columns={"estimate": "e"}), "SYR",
                             truth=census)  # fmt: skip
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        score_phone_estimate([1, 2, 3], "SYR", truth=census)


# --------------------------------------------------------------------------- mobility


@pytest.fixture
def official():
    return pd.DataFrame(
        {
            "year": [2019, 2019, 2020, 2020],
            "destination_iso3": ["DEU"] * 4,
            "citizenship_iso3": ["SYR", "TUR", "SYR", "TUR"],
            "immigrants": [100.0, 50.0, 80.0, 40.0],
            "definition": "eurostat",
        }
    )


def test_official_score_by_hand(official):
    est = official[["year", "destination_iso3", "citizenship_iso3"]].assign(
        estimate=[200.0, 50.0, 40.0, 60.0]
    )
    score = score_against_official(est, official=official)
    # ratios 2, 1, 0.5, 1.5 -> median 1.25; ranks (4, 2, 1, 3) vs (4, 2, 3, 1):
    # sum d^2 = 8, rho = 1 - 6 * 8 / (4 * 15) = 0.2
    assert score.to_dict() == pytest.approx(
        {"rows_scored": 4, "rank_correlation": 0.2, "median_ratio_estimate_to_official": 1.25}
    )


def test_official_score_uses_only_matching_rows(official):
    est = pd.DataFrame(
        {
            "year": [2019, 2019, 2025],
            "destination_iso3": ["DEU", "DEU", "DEU"],
            "citizenship_iso3": ["SYR", "TUR", "SYR"],
            "estimate": [100.0, 125.0, 7.0],
        }
    )
    score = score_against_official(est, official=official)
    assert score["rows_scored"] == 2
    assert score["median_ratio_estimate_to_official"] == pytest.approx(1.75)  # of 1 and 2.5


def test_official_score_rejects_bad_input(official):
    nothing = pd.DataFrame(
        {"year": [2030], "destination_iso3": ["DEU"], "citizenship_iso3": ["SYR"], "estimate": [1]}
    )
    with pytest.raises(ValueError, match="no estimate matches a held-out official row"):
        score_against_official(nothing, official=official)
    twice = pd.concat([nothing.assign(year=2019)] * 2)
    with pytest.raises(pd.errors.MergeError):
        score_against_official(twice, official=official)
    with pytest.raises(KeyError, match="no column 'citizenship_iso3'"):
        score_against_official(nothing.drop(columns="citizenship_iso3"), official=official)
    with pytest.raises(ValueError, match="official flows has no column 'immigrants'"):
        score_against_official(nothing, official=official.drop(columns="immigrants"))


# --------------------------------------------------------------------------- nowcasting


@pytest.fixture
def reference():
    return pd.DataFrame(
        {
            "destination_iso3": ["DEU", "DEU", "ITA", "ITA"],
            "origin_iso3": ["SYR", "TUR", "ALB", "MAR"],
            "migrant_stock": [100.0, 200.0, 50.0, 400.0],
        }
    )


def _nowcast(reference, estimate, lower=None, upper=None):
    out = reference[["destination_iso3", "origin_iso3"]].assign(estimate=estimate)
    if lower is not None:
        out = out.assign(lower=lower, upper=upper)
    return out


def test_nowcast_score_by_hand(reference):
    # APE 10 %, 25 %, 40 %, 0 % -> mean 18.75 (18.8 at one decimal), median 17.5
    est = _nowcast(reference, [110.0, 150.0, 70.0, 400.0])
    assert score_nowcast(est, reference, "migrant_stock").to_dict() == {
        "corridors": 4.0,
        "MAPE_pct": 18.8,
        "median_APE_pct": 17.5,
    }


def test_nowcast_score_with_intervals(reference):
    est = _nowcast(
        reference,
        [110.0, 150.0, 70.0, 400.0],
        lower=[90.0, 100.0, 60.0, 400.0],  # covers 100, not 200, not 50, 400 (on the bound)
        upper=[130.0, 180.0, 80.0, 400.0],
    )
    score = score_nowcast(est, reference, "migrant_stock")
    assert score["coverage_pct"] == 50.0
    # widths 40/110, 80/150, 20/70, 0/400 -> median of (0.364, 0.533, 0.286, 0) = 0.325
    assert score["median_width_pct"] == pytest.approx(32.5, abs=0.05)


def test_nowcast_score_matches_on_year_when_the_reference_has_it(reference):
    ref = pd.concat([reference.assign(year=2021), reference.assign(year=2022)])
    est = pd.concat(
        [
            _nowcast(reference, reference["migrant_stock"]).assign(year=2021),
            _nowcast(reference, 2 * reference["migrant_stock"]).assign(year=2022),
        ]
    )
    score = score_nowcast(est, ref, "migrant_stock")
    assert score["corridors"] == 8
    assert score["MAPE_pct"] == 50.0 and score["median_APE_pct"] == 50.0


def test_nowcast_score_rejects_bad_input(reference):
    with pytest.raises(ValueError, match="2 reference corridors have no estimate"):
        score_nowcast(_nowcast(reference, [1.0, 1.0, np.nan, np.nan]), reference, "migrant_stock")
    with pytest.raises(ValueError, match="'migrant_stock'.*positive"):
        score_nowcast(
            _nowcast(reference, [1.0] * 4),
            reference.assign(migrant_stock=[0.0, 1.0, 1.0, 1.0]),
            "migrant_stock",
        )
    with pytest.raises(KeyError, match="reference table has no column 'stock'"):
        score_nowcast(_nowcast(reference, [1.0] * 4), reference, "stock")
    with pytest.raises(pd.errors.MergeError):
        twice = pd.concat([_nowcast(reference, [1.0] * 4)] * 2)
        score_nowcast(twice, reference, "migrant_stock")


def test_nowcast_score_by_year(reference):
    truth = pd.concat([reference.assign(year=y) for y in (2021, 2022)]).rename(
        columns={"migrant_stock": "stock"}
    )
    est = pd.concat(
        [
            _nowcast(reference, reference["migrant_stock"]).assign(year=2021),
            _nowcast(reference, 1.5 * reference["migrant_stock"]).assign(year=2022),
        ]
    )
    table = score_nowcast_by_year(est, truth, "stock", [2021, 2022])
    assert list(table.columns) == [2021, 2022]
    assert table.loc["MAPE_pct"].tolist() == [0.0, 50.0]
    assert table.loc["corridors"].tolist() == [4.0, 4.0]
    with pytest.raises(ValueError, match=r"no true stocks for \[2023\]"):
        score_nowcast_by_year(est, truth, "stock", [2021, 2023])
    with pytest.raises(ValueError, match="4 reference corridors have no estimate"):
        score_nowcast_by_year(est[est["year"] == 2021], truth, "stock", [2021, 2022])
