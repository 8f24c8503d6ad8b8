"""The readers of migrationlab.real_sources on the publishers' own files.

``data/real/originals/`` holds, byte for byte, UN DESA's by-destination workbook of
International Migrant Stock 2020 and the World Bank's WDI bulk CSV of GDP per capita,
PPP (with its Metadata_Country file). The cleaned copies bundled in ``data/real/`` were
made from them, so what a reader returns must equal what the loaders return, value for
value. Broken copies of the workbook (a sheet deleted, a header renamed, ...) are made
with openpyxl in a temporary folder.
"""

from __future__ import annotations

import importlib.util
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from migrationlab import REPO_ROOT, data
from migrationlab.real_sources import (
    RealSourceError,
    UnknownCodeError,
    read_undesa_destination_workbook,
    read_worldbank_wdi_csv,
)

ORIGINALS = REPO_ROOT / "data" / "real" / "originals"
WORKBOOK = ORIGINALS / "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"
WDI = ORIGINALS / "API_NY.GDP.PCAP.PP.CD_DS2_en_csv_v2_5728866.csv"
WDI_META = ORIGINALS / "Metadata_Country_API_NY.GDP.PCAP.PP.CD_DS2_en_csv_v2_5728866.csv"
GDP = "ny_gdp_pcap_pp_cd"  # the reader's column for NY.GDP.PCAP.PP.CD

NUMBERS = [
    "migrant_stock",
    "migrant_stock_male",
    "migrant_stock_female",
    "population_thousands",
    "population_male_thousands",
    "population_female_thousands",
    "refugees_incl_asylum_seekers",
]


@pytest.fixture(scope="module")
def countries() -> pd.DataFrame:
    return read_undesa_destination_workbook(WORKBOOK)


@pytest.fixture(scope="module")
def aggregates() -> pd.DataFrame:
    return read_undesa_destination_workbook(WORKBOOK, aggregates=True)


@pytest.fixture(scope="module")
def bundled() -> pd.DataFrame:
    return data.load_un_stocks_by_destination_2020()


def _one(df: pd.DataFrame, **where) -> pd.Series:
    rows = df
    for k, v in where.items():
        rows = rows[rows[k] == v]
    assert len(rows) == 1, where
    return rows.iloc[0]


# ---------------------------------------------------------------------------------------
# UN DESA, International Migrant Stock 2020: by destination
# ---------------------------------------------------------------------------------------


def _as_bundled(df: pd.DataFrame) -> pd.DataFrame:
    """A table of the reader or the loader with plain dtypes, sorted, for comparison."""
    out = df.copy()
    for c in ("location_code", "year"):
        out[c] = out[c].astype(np.int64)
    out["is_country"] = out["is_country"].astype(bool)
    for c in ("iso3", "location", "type_of_data"):
        out[c] = out[c].astype(object).where(out[c].notna(), None)
    for c in NUMBERS:
        out[c] = out[c].astype(float)
    return out.sort_values(["location_code", "year"]).reset_index(drop=True)


def test_destination_workbook_equals_the_bundled_table(countries, aggregates, bundled):
    # Same columns as the loader (the bundled file plus the loader's iso3), same order.
    assert list(countries.columns) == list(bundled.columns)
    assert list(aggregates.columns) == list(bundled.columns)
    # Every country-year: the same ISO3 code and the same numbers. Both keep the population
    # in thousands, as UN DESA publishes it, so no unit has to be aligned.
    pd.testing.assert_frame_equal(_as_bundled(countries), _as_bundled(bundled[bundled.is_country]))
    pd.testing.assert_frame_equal(
        _as_bundled(aggregates), _as_bundled(bundled[~bundled.is_country])
    )
    assert len(countries) == 235 * 7 and countries["iso3"].notna().all()
    assert countries["year"].dtype == np.int64 and countries["migrant_stock"].dtype == float
    assert sorted(countries["year"].unique()) == [1990, 1995, 2000, 2005, 2010, 2015, 2020]


def test_destination_workbook_figures_and_cells(countries, aggregates):
    usa = _one(countries, iso3="USA", year=2020)
    assert usa["migrant_stock"] == 50_632_836
    assert usa["migrant_stock_male"] + usa["migrant_stock_female"] == usa["migrant_stock"]
    # population in thousands: about 331 million people
    assert 325_000 < usa["population_thousands"] < 335_000
    assert _one(countries, iso3="TWN", year=2020)["type_of_data"] is None
    # "~" (fewer than five, suppressed) is NaN: Afghanistan's refugees in 2000
    assert math.isnan(_one(countries, iso3="AFG", year=2000)["refugees_incl_asylum_seekers"])
    world = _one(aggregates, location_code=900, year=2020)
    assert world["migrant_stock"] == 280_598_105
    assert world["location"] == "WORLD" and world["iso3"] is None and not world["is_country"]
    in_2020 = countries[countries.year == 2020]
    assert abs(in_2020["migrant_stock"].sum() - world["migrant_stock"]) <= 10


def test_destination_workbook_sets_aggregates_aside(countries, aggregates):
    aside = countries.attrs["set_aside"]["location"]
    assert len(aside) == 47 and set(aside.values()) == {7}
    assert aside["WORLD (900)"] == 7
    assert countries.attrs["set_aside_rows"] == len(aggregates) == 47 * 7
    assert aggregates.attrs["set_aside"] == countries.attrs["set_aside"]
    # printed twice, under two groupings, with the same numbers: one copy kept
    assert countries.attrs["duplicates_dropped"] == {"Australia and New Zealand (927)": 1}
    assert countries.attrs["years"] == [1990, 1995, 2000, 2005, 2010, 2015, 2020]
    assert countries.attrs["source"] == str(WORKBOOK)


def test_destination_workbook_extra_codes():
    usa_aside = read_undesa_destination_workbook(WORKBOOK, extra_codes={840: None})
    assert "USA" not in set(usa_aside["iso3"])
    assert usa_aside.attrs["set_aside"]["location"]["United States of America (840)"] == 7


def test_destination_workbook_missing_or_other_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="international-migrant-stock"):
        read_undesa_destination_workbook(tmp_path / "undesa.xlsx")
    csv = tmp_path / "undesa.csv"
    csv.write_text("Region,Location code\n")
    with pytest.raises(RealSourceError, match=r"not an \.xlsx workbook"):
        read_undesa_destination_workbook(csv)
    # the destination-AND-origin layout (the fixture of test_real_sources) is recognised
    spec = importlib.util.spec_from_file_location(
        "make_undesa_workbook",
        Path(__file__).parent / "fixtures" / "real_sources" / "make_undesa_workbook.py",
    )
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    origin = maker.write_workbook(tmp_path / "origin_and_destination.xlsx")
    with pytest.raises(RealSourceError, match="read_undesa_stock_workbook") as err:
        read_undesa_destination_workbook(origin)
    assert "'Table 2'" in str(err.value) and str(origin) in str(err.value)


def _sheet_cell(ws, text: str) -> str:
    """The coordinate of the first cell of ``ws`` holding ``text``."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.coordinate
    raise AssertionError(f"{text!r} not in {ws.title}")


def _location_row(ws, code: int) -> int:
    at = _sheet_cell(ws, "Location code")
    column = re.match(r"[A-Z]+", at).group()
    for cell in ws[column]:
        if cell.value == code:
            return cell.row
    raise AssertionError(f"code {code} not in {ws.title}")


def _delete_sheet(wb):
    del wb["Table 6"]


def _rename_header(wb):
    ws = wb["Table 2"]
    ws[_sheet_cell(ws, "Location code")] = "Code"


def _rename_block(wb):
    ws = wb["Table 1"]
    ws[_sheet_cell(ws, "International migrant stock at mid-year, females")] = "Women"


def _text_in_a_number_cell(wb):
    ws = wb["Table 1"]
    ws[f"F{_location_row(ws, 840)}"] = "about 23 million"


def _unknown_code(wb):
    for sheet in ("Table 1", "Table 2", "Table 6"):
        ws = wb[sheet]
        ws[f"D{_location_row(ws, 840)}"] = 899


def _locations_differ(wb):
    ws = wb["Table 6"]
    ws[f"D{_location_row(ws, 840)}"] = 841


BROKEN = {
    "sheet-deleted": (_delete_sheet, RealSourceError, r"no sheet 'Table 6'"),
    "header-renamed": (_rename_header, RealSourceError, r"sheet 'Table 2'.*'location code'"),
    "block-title-renamed": (
        _rename_block,
        RealSourceError,
        r"sheet 'Table 1' has no block .*'international migrant stock at mid-year, females'",
    ),
    "text-in-number-cell": (
        _text_in_a_number_cell,
        RealSourceError,
        r"sheet 'Table 1', cell F\d+ holds 'about 23 million'",
    ),
    "unknown-code": (_unknown_code, UnknownCodeError, r"899 \('United States of America'\)"),
    "locations-differ": (_locations_differ, RealSourceError, r"sheet 'Table 6' and sheet"),
}


@pytest.mark.parametrize("damage", list(BROKEN), ids=list(BROKEN))
def test_destination_workbook_broken_copies(tmp_path, damage):
    edit, error, message = BROKEN[damage]
    wb = load_workbook(WORKBOOK)
    edit(wb)
    broken = tmp_path / f"{damage}.xlsx"
    wb.save(broken)
    with pytest.raises(error, match=message) as err:
        read_undesa_destination_workbook(broken)
    assert str(broken) in str(err.value)


def test_destination_workbook_dash_is_zero_and_dots_are_missing(tmp_path):
    wb = load_workbook(WORKBOOK)
    ws = wb["Table 1"]
    row = _location_row(ws, 840)
    ws[f"F{row}"] = "-"  # 1990, both sexes
    ws[f"G{row}"] = ".."  # 1995, both sexes
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    df = read_undesa_destination_workbook(edited)
    assert _one(df, iso3="USA", year=1990)["migrant_stock"] == 0
    assert math.isnan(_one(df, iso3="USA", year=1995)["migrant_stock"])


# ---------------------------------------------------------------------------------------
# World Bank WDI bulk CSV: GDP per capita, PPP (current international $)
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gdp_bundled() -> pd.DataFrame:
    return data.load_wdi_gdp_per_capita_ppp()


def _values(df: pd.DataFrame, code: str) -> pd.Series:
    """The non-missing values of the reader's table, indexed by (code, year)."""
    df = df.dropna(subset=[GDP])
    return pd.Series(df[GDP].to_numpy(), index=pd.MultiIndex.from_arrays([df[code], df["year"]]))


def test_wdi_bulk_csv_equals_the_bundled_table(gdp_bundled):
    wdi = read_worldbank_wdi_csv(WDI)
    assert list(wdi.columns) == ["iso3", "year", GDP]
    assert wdi.attrs["indicators"] == {"NY.GDP.PCAP.PP.CD": GDP}
    # every (country, year) of the file is a row, NaN where the World Bank has no value
    assert len(wdi) == wdi["iso3"].nunique() * (2022 - 1960 + 1)
    want = gdp_bundled[~gdp_bundled.is_aggregate]
    want = pd.Series(
        want["gdp_pc_ppp_current_intl_usd"].to_numpy(),
        index=pd.MultiIndex.from_arrays([want["iso3"], want["year"].astype(np.int64)]),
    )
    got = _values(wdi, "iso3")
    pd.testing.assert_series_equal(got.sort_index(), want.sort_index(), check_names=False)
    assert round(_one(wdi, iso3="USA", year=2022)[GDP], 2) == 76_398.59


def test_wdi_bulk_csv_sets_aggregates_aside(gdp_bundled):
    wdi = read_worldbank_wdi_csv(WDI)
    aside = wdi.attrs["set_aside"]["Country Code"]
    assert aside["WLD (World)"] == 63 and aside["EUU (European Union)"] == 63
    agg = read_worldbank_wdi_csv(WDI, aggregates=True)
    assert list(agg.columns) == ["code", "name", "year", GDP]
    assert wdi.attrs["set_aside_rows"] == len(agg)
    want = gdp_bundled[gdp_bundled.is_aggregate]
    got = _values(agg, "code")
    assert set(got.index) == set(zip(want["iso3"], want["year"], strict=True))
    assert len(want) == len(got) and set(agg["code"]) - set(want["iso3"]) == {"INX"}
    world = _one(agg, code="WLD", year=2022)[GDP]
    assert world == _one(want, iso3="WLD", year=2022)["gdp_pc_ppp_current_intl_usd"]


def test_wdi_bulk_csv_with_metadata(gdp_bundled):
    wdi = read_worldbank_wdi_csv(WDI, metadata=WDI_META)
    assert list(wdi.columns) == ["iso3", "name", "region", "income_group", "year", GDP]
    assert wdi.attrs["metadata"] == str(WDI_META)
    have = wdi.dropna(subset=[GDP]).set_index(["iso3", "year"]).sort_index()
    want = gdp_bundled[~gdp_bundled.is_aggregate].set_index(["iso3", "year"]).sort_index()
    assert (have["name"] == want["country_name"]).all()
    assert (have["region"] == want["wb_region"]).all()
    assert have["income_group"].fillna("").eq(want["wb_income_group"].fillna("")).all()
    usa = _one(wdi, iso3="USA", year=2022)
    assert (usa["region"], usa["income_group"]) == ("North America", "High income")
    # the metadata lists no region for the aggregates: the same codes are set aside
    plain = read_worldbank_wdi_csv(WDI)
    assert wdi.attrs["set_aside"] == plain.attrs["set_aside"]


def test_wdi_metadata_must_be_the_metadata_file(tmp_path):
    with pytest.raises(RealSourceError, match="Metadata_Country") as err:
        read_worldbank_wdi_csv(WDI, metadata=WDI)  # the data file passed as metadata
    assert str(WDI) in str(err.value)
    with pytest.raises(FileNotFoundError, match="data.worldbank.org"):
        read_worldbank_wdi_csv(WDI, metadata=tmp_path / "Metadata_Country_x.csv")
    # a country the metadata gives no region is set aside as an aggregate
    meta = pd.read_csv(WDI_META, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    meta.loc[meta["Country Code"] == "ABW", "Region"] = ""
    edited = tmp_path / "Metadata_Country_edited.csv"
    meta.to_csv(edited, index=False)
    wdi = read_worldbank_wdi_csv(WDI, metadata=edited)
    assert "ABW" not in set(wdi["iso3"])
    assert wdi.attrs["set_aside"]["Country Code"]["ABW (Aruba)"] == 63
