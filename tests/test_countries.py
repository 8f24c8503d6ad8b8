"""Country-identifier harmonisation (country_converter under the pinned pandas) and gap reports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migrationlab.countries import (
    UnknownCountryError,
    conversion_report,
    reporting_gaps,
    to_iso3,
)
from migrationlab.data import load_countries, load_country_indicators, load_world


def test_names_and_codes_of_every_kind_convert():
    got = to_iso3(["Viet Nam", "Korea, Rep.", "Türkiye", "Côte d'Ivoire", "DE", "276", "DEU"])
    assert got.tolist() == ["VNM", "KOR", "TUR", "CIV", "DEU", "DEU", "DEU"]


def test_eurostat_two_letter_exceptions():
    assert to_iso3(["EL", "UK", "XK"], src="ISO2").tolist() == ["GRC", "GBR", "XKX"]


def test_spaces_are_ignored_and_missing_values_stay_missing():
    got = to_iso3(pd.Series(["  germany ", None, "", np.nan]))
    assert got.iloc[0] == "DEU"
    assert got.iloc[1:].isna().all()


def test_series_index_is_kept():
    s = pd.Series(["France", "Spain"], index=[10, 20])
    assert list(to_iso3(s).index) == [10, 20]


def test_unknown_is_nan_without_strict_and_raises_with_strict():
    got = to_iso3(["Atlantis", "Norway"])
    assert np.isnan(got.iloc[0]) and got.iloc[1] == "NOR"
    with pytest.raises(UnknownCountryError, match="Atlantis.*overrides"):
        to_iso3(["Atlantis", "Norway"], strict=True)


def test_overrides_win_and_none_marks_an_aggregate():
    got = to_iso3(["Holland", "World", "Niger"], overrides={"Holland": "NLD", "World": None})
    assert got.iloc[0] == "NLD" and pd.isna(got.iloc[1]) and got.iloc[2] == "NER"
    # strict does not complain about an identifier marked as an aggregate
    to_iso3(["World"], overrides={"World": None}, strict=True)


def test_bad_inputs_say_what_to_do():
    with pytest.raises(TypeError, match="single string"):
        to_iso3("Germany")
    with pytest.raises(ValueError, match="src="):
        to_iso3(["Germany"], src="iso3")
    with pytest.raises(ValueError, match="not an ISO3 code"):
        to_iso3(["Holland"], overrides={"Holland": "Netherlands"})
    with pytest.raises(TypeError, match="astype"):
        to_iso3([1.5])


def test_no_warning_reaches_stderr(capfd):
    to_iso3(["Atlantis", "Nowhere land"])
    assert capfd.readouterr().err == ""


def test_report_flags_silent_merges_and_counts_rows():
    report = conversion_report(["Cyprus", "N. Cyprus", "Cyprus", "Holland"])
    assert list(report["identifier"]) == ["Cyprus", "N. Cyprus", "Holland"]
    assert list(report["rows"]) == [2, 1, 1]
    row = report.set_index("identifier")
    assert row.loc["N. Cyprus", "shares_code_with"] == "Cyprus"
    assert row.loc["Holland", "status"] == "not found"
    fixed = conversion_report(["Holland"], overrides={"Holland": "NLD"})
    assert fixed["status"].item() == "override" and fixed["iso3"].item() == "NLD"


def test_every_bundled_country_name_converts_back_to_its_code():
    """The harmonisation path of chapter 1, on the real names of countries.csv."""
    countries = load_countries()
    got = to_iso3(countries["name"], src="name")
    assert (got == countries["iso3"]).all(), countries.loc[got != countries["iso3"], "name"]


def test_natural_earth_names_convert_except_the_known_few():
    """What the lab shows: two names not found, two silent merges, Antarctica outside."""
    world = load_world()
    report = conversion_report(world["name"], src="name")
    not_found = report.loc[report["status"] == "not found", "identifier"]
    assert set(not_found) == {"Fr. S. Antarctic Lands", "S. Sudan"}
    codes = set(load_countries()["iso3"])
    outside = report[report["iso3"].notna() & ~report["iso3"].isin(codes)]
    assert set(outside["identifier"]) == {"Antarctica"}
    fixed = to_iso3(world["name"], src="name", overrides={"S. Sudan": "SSD"})
    assert "SSD" in set(fixed)
    merged = report[report["shares_code_with"] != ""]
    assert set(merged["identifier"]) == {"Cyprus", "N. Cyprus", "Somalia", "Somaliland"}


def _table():
    return pd.DataFrame(
        {
            "iso3": ["AAA", "AAA", "AAA", "BBB", "BBB"],
            "year": [2000, 2001, 2002, 2000, 2001],
            "x": [1.0, np.nan, 3.0, 1.0, 2.0],
        }
    )


def test_gaps_count_empty_values_and_absent_rows():
    gaps = reporting_gaps(_table(), by="iso3", value="x")
    assert gaps.loc["AAA", "missing_years"] == [2001]
    assert gaps.loc["BBB", "missing_years"] == [2002]
    assert gaps.loc["AAA", "last_year"] == 2002 and gaps.loc["BBB", "last_year"] == 2001
    assert gaps["n_expected"].tolist() == [3, 3]
    assert gaps.loc["AAA", "share_missing"] == pytest.approx(1 / 3)


def test_gaps_with_expected_years_and_a_unit_with_no_value():
    df = _table()
    df.loc[df["iso3"] == "BBB", "x"] = np.nan
    gaps = reporting_gaps(df, by="iso3", value="x", expected_years=range(2000, 2004))
    assert gaps.loc["AAA", "missing_years"] == [2001, 2003]
    assert np.isnan(gaps.loc["BBB", "last_year"]) and gaps.loc["BBB", "n_missing"] == 4


def test_gaps_reject_bad_input():
    with pytest.raises(KeyError, match="the table df has no column 'country'"):
        reporting_gaps(_table(), by="country", value="x")
    bad = _table().astype({"year": float})
    bad.loc[0, "year"] = np.nan
    with pytest.raises(ValueError, match="whole years"):
        reporting_gaps(bad, by="iso3", value="x")


def test_gaps_find_the_planted_late_gdp_releases():
    gaps = reporting_gaps(load_country_indicators(), by="iso3", value="gdp_per_capita_ppp_usd")
    assert (gaps["last_year"] <= 2022).all()
    assert (gaps["last_year"] == 2021).sum() >= 20
