"""The scores of the project notebooks: hand-computed values, edge cases, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migrationlab.checks import MissingColumnError
from migrationlab.projects import (
    score_against_official,
    score_education_estimate,
    score_event_flags,
    score_nowcast,
    score_nowcast_by_year,
    score_phone_estimate,
    skills_survey,
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


# --------------------------------------------------------------------------- planted events

EVENTS = [
    {"kind": "corridor_surge", "origin_iso3": "MAR", "destination_iso3": "ITA", "start_year": 2017},
    {"kind": "corridor_surge", "origin_iso3": "IDN", "destination_iso3": "NLD", "start_year": 2021},
    {
        "kind": "visitor_event",
        "origin_iso3": "TUR",
        "destination_iso3": "FRA",
        "start_year": 2012,
        "start_month": 6,
    },
]


def _flags(*rows):
    return pd.DataFrame(rows, columns=["reporting_iso3", "partner_iso3", "alarm_month"])


def test_event_flags_by_hand():
    flags = _flags(
        ("ITA", "MAR", "2016-11"),  # before the surge: a false alarm
        ("ITA", "MAR", "2017-08"),  # hit, 7 months after January 2017
        ("ITA", "MAR", "2018-02"),  # a later alarm on a hit corridor counts once
        ("FRA", "TUR", "2012-07"),  # the visitors, taken for migrants
        ("DEU", "SYR", "2015-10"),  # a corridor with no event
    )
    table = score_event_flags(flags, events=EVENTS)
    assert table["outcome"].tolist() == [
        "hit",
        "miss",
        "travel_flagged_as_migration",
        "false_alarm",
        "false_alarm",
    ]
    assert table["months_to_alarm"].tolist()[:3] == [7, pd.NA, 1]
    assert table.loc[3:, "first_alarm"].tolist() == ["2016-11", "2015-10"]
    counts = table["outcome"].value_counts()
    assert counts["false_alarm"] == 2 and counts["hit"] == 1


def test_event_flags_orientation_and_travel_window():
    # the corridor as the reporter sees it: (destination, origin); reversed is not a hit
    table = score_event_flags(
        _flags(("MAR", "ITA", "2018-01"), ("FRA", "TUR", "2014-01")), events=EVENTS
    )
    assert table["outcome"].tolist() == [
        "miss",
        "miss",
        "travel_not_flagged",
        "false_alarm",
        "false_alarm",
    ]
    nothing = score_event_flags(_flags(), events=EVENTS)
    assert nothing["outcome"].tolist() == ["miss", "miss", "travel_not_flagged"]


def test_event_flags_reject_bad_input():
    with pytest.raises(KeyError, match="flags table has no column 'alarm_month'"):
        score_event_flags(_flags().drop(columns="alarm_month"), events=EVENTS)
    with pytest.raises(ValueError, match="alarm_month cannot be read.*YYYY-MM"):
        score_event_flags(_flags(("ITA", "MAR", "spring 2018")), events=EVENTS)
    with pytest.raises(ValueError, match="no planted events"):
        score_event_flags(_flags(("ITA", "MAR", "2018-01")), events=[])


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


# --------------------------------------------------------------------------- skills

LEVELS = ["tertiary", "upper_secondary", "lower_secondary_or_less"]


@pytest.fixture
def adults():
    """Adult migrants by education in two corridors of one destination and one of another."""
    return pd.DataFrame(
        {
            "destination_iso3": ["DEU"] * 6 + ["SWE"] * 3,
            "origin_iso3": ["SYR"] * 3 + ["TUR"] * 3 + ["SYR"] * 3,
            "education": LEVELS * 3,
            "true_adult_stock": [100, 300, 600, 50, 50, 0, 20_000, 30_000, 50_000],
        }
    )


def _education(adults, estimate, **bounds):
    return adults[["destination_iso3", "origin_iso3", "education"]].assign(
        estimate=estimate, **bounds
    )


def test_education_score_by_hand(adults):
    deu = adults[adults["destination_iso3"] == "DEU"]
    est = _education(deu, [200.0, 300.0, 500.0, 50.0, 0.0, 50.0])
    score = score_education_estimate(est, deu, "true_adult_stock")
    # errors 100, 0, 100, 0, 50, 50 -> 300 of 1,100 adults; tertiary 100 of 150
    assert score["cells"] == 6 and score["corridors"] == 2
    assert score["weighted_APE_pct"] == pytest.approx(27.3)
    assert score["tertiary_weighted_APE_pct"] == pytest.approx(66.7)
    # tertiary shares: SYR 0.2 against 0.1, TUR 0.5 against 0.5 -> mean 5 points
    assert score["tertiary_share_MAE_pp"] == pytest.approx(5.0)
    assert "coverage_pct" not in score


def test_education_score_perfect_with_intervals(adults):
    value = adults["true_adult_stock"].astype(float)
    est = _education(adults, value, lower=value - 1, upper=value.where(value != 600, 599))
    score = score_education_estimate(est, adults, "true_adult_stock")
    assert score["weighted_APE_pct"] == 0.0 and score["tertiary_share_MAE_pp"] == 0.0
    assert score["coverage_pct"] == pytest.approx(100 * 8 / 9, abs=0.05)


def test_education_score_skips_the_share_of_an_empty_corridor(adults):
    ref = adults.assign(true_adult_stock=[0, 0, 0, 50, 50, 0, 1, 1, 1])
    est = _education(adults, [5.0, 0.0, 0.0, 25.0, 75.0, 0.0, 1.0, 1.0, 1.0])
    score = score_education_estimate(est, ref, "true_adult_stock")
    assert score["corridors"] == 3
    # only TUR (0.25 against 0.5) and SWE-SYR (exact) have a share: mean 12.5 points
    assert score["tertiary_share_MAE_pp"] == pytest.approx(12.5)


def test_education_score_rejects_bad_input(adults):
    with pytest.raises(ValueError, match="2 reference cells have no estimate"):
        score_education_estimate(_education(adults, 1.0).iloc[:-2], adults, "true_adult_stock")
    with pytest.raises(ValueError, match="'estimate'.*non-negative"):
        score_education_estimate(_education(adults, -1.0), adults, "true_adult_stock")
    with pytest.raises(KeyError, match="reference table has no column 'stock'"):
        score_education_estimate(_education(adults, 1.0), adults, "stock")
    with pytest.raises(pd.errors.MergeError):
        twice = pd.concat([_education(adults, 1.0)] * 2)
        score_education_estimate(twice, adults, "true_adult_stock")
    no_graduates = adults[adults["education"] != "tertiary"]
    with pytest.raises(ValueError, match="no tertiary-educated cell"):
        score_education_estimate(_education(no_graduates, 1.0), no_graduates, "true_adult_stock")


def test_skills_survey_is_a_seeded_sample_of_the_destinations_asked(adults):
    survey = skills_survey(adults, ["SWE"], sampling_fraction=0.01, seed=1)
    assert survey["destination_iso3"].unique().tolist() == ["SWE"]
    assert survey["survey_estimate"].tolist() == (survey["respondents"] / 0.01).tolist()
    # about 1 % of 100,000 adults answer; the estimate is near the truth
    assert 800 < survey["respondents"].sum() < 1200
    assert survey.equals(skills_survey(adults, ["SWE"], sampling_fraction=0.01, seed=1))
    assert not survey.equals(skills_survey(adults, ["SWE"], sampling_fraction=0.01, seed=2))
    census = skills_survey(adults, ["DEU", "SWE"], sampling_fraction=1.0)
    assert census["survey_estimate"].tolist() == sorted_counts(adults)


def sorted_counts(adults):
    keys = ["destination_iso3", "origin_iso3", "education"]
    return adults.sort_values(keys)["true_adult_stock"].astype(float).tolist()


def test_skills_survey_rejects_bad_input(adults):
    with pytest.raises(ValueError, match=r"sampling_fraction=0; pass a probability"):
        skills_survey(adults, ["DEU"], sampling_fraction=0)
    with pytest.raises(ValueError, match=r"no adult migrants for the destinations \['FRA'\]"):
        skills_survey(adults, ["DEU", "FRA"])
    with pytest.raises(KeyError, match="no column 'true_adult_stock'"):
        skills_survey(adults.rename(columns={"true_adult_stock": "n"}), ["DEU"])
