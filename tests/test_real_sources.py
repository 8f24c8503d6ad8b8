"""Tests of migrationlab.real_sources on small files in the real sources' layouts.

The fixtures in tests/fixtures/real_sources/ imitate the published layouts with made-up
numbers: Eurostat TSV (plain and gzipped) and SDMX-CSV for migr_imm1ctz and avia_paoc,
World Bank API CSVs and WDICSV.csv; the UN DESA workbook is written by
make_undesa_workbook.py at the start of the session.
"""

from __future__ import annotations

import gzip
import importlib.util
import math
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from migrationlab.real_sources import (
    RealSourceError,
    UnknownCodeError,
    eurostat_air_passengers,
    eurostat_immigration,
    eurostat_iso3,
    read_eurostat_sdmx_csv,
    read_eurostat_tsv,
    read_undesa_stock_workbook,
    read_worldbank_wdi_csv,
)

FIXTURES = Path(__file__).parent / "fixtures" / "real_sources"
IMM_TSV = FIXTURES / "migr_imm1ctz.tsv"
IMM_SDMX = FIXTURES / "migr_imm1ctz_sdmx.csv"
AVIA_TSV_GZ = FIXTURES / "avia_paoc.tsv.gz"
AVIA_SDMX = FIXTURES / "avia_paoc_sdmx.csv"
WDI_POP = FIXTURES / "API_SP.POP.TOTL_DS2_en_csv_v2_fixture.csv"
WDI_GDP = FIXTURES / "API_NY.GDP.PCAP.PP.KD_DS2_en_csv_v2_fixture.csv"
WDI_BULK = FIXTURES / "WDICSV.csv"


def _load_workbook_maker():
    spec = importlib.util.spec_from_file_location(
        "make_undesa_workbook", FIXTURES / "make_undesa_workbook.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


maker = _load_workbook_maker()


@pytest.fixture(scope="module")
def undesa_path(tmp_path_factory) -> Path:
    return maker.write_workbook(tmp_path_factory.mktemp("undesa") / "undesa_stock.xlsx")


@pytest.fixture(scope="module")
def stocks(undesa_path) -> pd.DataFrame:
    return read_undesa_stock_workbook(undesa_path)


def _one(df: pd.DataFrame, **where) -> pd.Series:
    mask = np.ones(len(df), dtype=bool)
    for column, value in where.items():
        mask &= df[column].isna().to_numpy() if value is None else (df[column] == value).to_numpy()
    rows = df[mask]
    assert len(rows) == 1, f"{len(rows)} rows match {where}"
    return rows.iloc[0]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------------------
# UN DESA International Migrant Stock
# ----------------------------------------------------------------------------------------


def test_undesa_layout_and_types(stocks):
    assert list(stocks.columns) == [
        "year",
        "destination_iso3",
        "origin_iso3",
        "migrant_stock",
        "migrant_stock_female",
        "basis",
        "type_of_data",
    ]
    assert stocks["year"].dtype == np.int64
    assert stocks["migrant_stock"].dtype == float
    # 10 country pairs (unknown origins included) x 7 years
    assert len(stocks) == 70
    assert sorted(stocks["year"].unique()) == [1990, 1995, 2000, 2005, 2010, 2015, 2020]
    assert set(stocks["destination_iso3"]) == {"DEU", "JPN", "GRC", "CHI"}
    assert set(stocks["origin_iso3"].dropna()) == {"POL", "SYR", "TUR", "CHN", "TWN", "KOR",
                                                   "ALB", "GBR"}  # fmt: skip


def test_undesa_values(stocks):
    row = _one(stocks, year=2020, destination_iso3="DEU", origin_iso3="TUR")
    assert (row["migrant_stock"], row["migrant_stock_female"]) == (1_700_000, 830_000)
    assert (row["basis"], row["type_of_data"]) == ("birth", "BR")  # "B R" in the workbook
    row = _one(stocks, year=2000, destination_iso3="GRC", origin_iso3="ALB")
    assert (row["migrant_stock"], row["migrant_stock_female"]) == (400_000, 170_000)
    assert (row["basis"], row["type_of_data"]) == ("birth", "B")
    row = _one(stocks, year=2015, destination_iso3="JPN", origin_iso3="TWN")  # M49 158
    assert (row["migrant_stock"], row["basis"], row["type_of_data"]) == (48_000, "citizenship",
                                                                         "C")  # fmt: skip
    row = _one(stocks, year=2020, destination_iso3="CHI", origin_iso3="GBR")  # M49 830
    assert row["migrant_stock"] == 46_000
    assert row["basis"] is None and row["type_of_data"] == "I"
    # ".." is missing, not zero
    row = _one(stocks, year=1990, destination_iso3="DEU", origin_iso3="SYR")
    assert math.isnan(row["migrant_stock"]) and math.isnan(row["migrant_stock_female"])
    assert (
        _one(stocks, year=1995, destination_iso3="DEU", origin_iso3="SYR")["migrant_stock"]
        == 20_000
    )


def test_undesa_unknown_origin_rows_are_kept(stocks):
    unknown = stocks[stocks["origin_iso3"].isna()]
    assert len(unknown) == 14  # "Other" in Germany (with a code), "Others" in Japan (without)
    assert set(unknown["destination_iso3"]) == {"DEU", "JPN"}
    assert (
        _one(stocks, year=2020, destination_iso3="DEU", origin_iso3=None)["migrant_stock"]
        == 180_000
    )
    row = _one(stocks, year=2020, destination_iso3="JPN", origin_iso3=None)
    assert (row["migrant_stock"], row["migrant_stock_female"]) == (11_000, 5_500)


def test_undesa_aggregates_are_counted_and_available(undesa_path, stocks):
    assert stocks.attrs["set_aside"] == {
        "destination": {"WORLD (900)": 14, "Sub-Saharan Africa (947)": 14},
        "origin": {
            "WORLD (900)": 42,
            "Europe and Northern America (1829)": 7,
            "Sub-Saharan Africa (947)": 7,
            "High-income countries (1503)": 7,
        },
    }
    assert stocks.attrs["set_aside_rows"] == 77
    assert stocks.attrs["source"] == str(undesa_path)
    agg = read_undesa_stock_workbook(undesa_path, aggregates=True)
    assert len(agg) == 77
    assert list(agg.columns[:7]) == [
        "year",
        "destination_code",
        "destination_name",
        "destination_iso3",
        "origin_code",
        "origin_name",
        "origin_iso3",
    ]
    row = _one(agg, year=2020, destination_code=900, origin_code=760)
    assert row["migrant_stock"] == 8_500_000 and row["origin_iso3"] == "SYR"
    assert row["destination_iso3"] is None
    row = _one(agg, year=2020, destination_code=276, origin_code=900)
    assert row["destination_name"] == "Germany"  # footnote star removed
    assert (row["migrant_stock"], row["migrant_stock_female"]) == (15_762_457, 7_600_000)


def test_undesa_missing_file_names_the_download(tmp_path):
    missing = tmp_path / "undesa.xlsx"
    with pytest.raises(FileNotFoundError, match=r"undesa\.xlsx: no such file.*un\.org"):
        read_undesa_stock_workbook(missing)


def test_undesa_wrong_sheet_lists_the_sheets(undesa_path):
    with pytest.raises(RealSourceError, match=r"no sheet 'Table 2'.*'Contents', 'Table 1'"):
        read_undesa_stock_workbook(undesa_path, sheet="Table 2")


def test_undesa_rejects_a_csv(tmp_path):
    path = _write(tmp_path / "stock.csv", "a,b\n1,2\n")
    with pytest.raises(RealSourceError, match=r"stock\.csv is not an \.xlsx workbook"):
        read_undesa_stock_workbook(path)


def test_undesa_rejects_the_by_destination_workbook(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Table 1"
    for _ in range(10):
        ws.append(["International Migrant Stock 2020"])
    ws.append(["Index", "Region, development group, country or area", "Notes", "Location code",
               "Type of data", 1990, 1995])  # fmt: skip
    ws.append([1, "WORLD", None, 900, None, 152986157, 161289976])
    path = tmp_path / "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"
    wb.save(path)
    with pytest.raises(RealSourceError, match="destination-AND-origin workbook"):
        read_undesa_stock_workbook(path)


def test_undesa_unknown_code_raises_and_extra_codes_fix_it(tmp_path):
    rows = list(maker.ROWS) + [
        ("Atlantis", None, 899, "B", "Greece", 300, [1, 2, 3, 4, 5, 6, 7], [0, 1, 1, 2, 2, 3, 3])
    ]
    path = maker.write_workbook(tmp_path / "undesa.xlsx", rows=rows)
    with pytest.raises(UnknownCodeError, match=r"899 \('Atlantis'\).*extra_codes=\{899: 'ISO3'\}"):
        read_undesa_stock_workbook(path)
    mapped = read_undesa_stock_workbook(path, extra_codes={899: "ATL"})
    assert _one(mapped, year=2020, destination_iso3="ATL", origin_iso3="GRC")["migrant_stock"] == 7
    aside = read_undesa_stock_workbook(path, extra_codes={899: None})
    assert len(aside) == 70
    assert aside.attrs["set_aside"]["destination"]["Atlantis (899)"] == 7


def test_undesa_unknown_type_of_data_raises(tmp_path):
    rows = [r if r[0] != "Greece" else (*r[:3], "X", *r[4:]) for r in maker.ROWS]
    path = maker.write_workbook(tmp_path / "undesa.xlsx", rows=rows)
    with pytest.raises(RealSourceError, match=r"'Greece' has type of data 'X'"):
        read_undesa_stock_workbook(path)


def test_undesa_text_in_a_year_column_raises(tmp_path):
    bad = ("Greece", 3, 300, "B", "Albania", 8, [20000, "n/a", 1, 1, 1, 1, 1], [1] * 7)
    rows = [r for r in maker.ROWS if r[4] != "Albania"] + [bad]
    path = maker.write_workbook(tmp_path / "undesa.xlsx", rows=rows)
    with pytest.raises(RealSourceError, match=r"cell 'n/a' in workbook row \d+, year 1995"):
        read_undesa_stock_workbook(path)


# ----------------------------------------------------------------------------------------
# Eurostat readers
# ----------------------------------------------------------------------------------------


def test_eurostat_tsv_long_layout():
    df = read_eurostat_tsv(IMM_TSV)
    assert list(df.columns) == ["freq", "citizen", "agedef", "age", "unit", "sex", "geo",
                                "time_period", "value", "flag"]  # fmt: skip
    assert len(df) == 13 * 3
    assert df.attrs["dataset"] == "migr_imm1ctz"
    assert sorted(df["time_period"].unique()) == ["2021", "2022", "2023"]  # trailing spaces gone
    keys = {"agedef": "COMPLET", "age": "TOTAL", "sex": "T"}
    row = _one(df, citizen="EL", geo="DE", time_period="2023", **keys)
    assert (row["value"], row["flag"]) == (12001, "p")
    row = _one(df, citizen="UK", geo="DE", time_period="2022", **keys)  # ": c"
    assert math.isnan(row["value"]) and row["flag"] == "c"
    row = _one(df, citizen="SY", geo="EL", time_period="2023", **keys)  # ":" without a space
    assert math.isnan(row["value"]) and row["flag"] == ""
    row = _one(df, citizen="NA", geo="DE", time_period="2023", **keys)  # Namibia, not NaN
    assert (row["value"], row["flag"]) == (41, "e")
    row = _one(df, citizen="SY", geo="EL", time_period="2022", **keys)
    assert (row["value"], row["flag"]) == (3050, "b")


def test_eurostat_tsv_plain_and_gzipped_are_the_same(tmp_path):
    gz = tmp_path / "migr_imm1ctz.tsv.gz"
    gz.write_bytes(gzip.compress(IMM_TSV.read_bytes()))
    pd.testing.assert_frame_equal(read_eurostat_tsv(IMM_TSV), read_eurostat_tsv(gz))
    avia_plain = tmp_path / "avia_paoc.tsv"
    avia_plain.write_bytes(gzip.decompress(AVIA_TSV_GZ.read_bytes()))
    pd.testing.assert_frame_equal(read_eurostat_tsv(AVIA_TSV_GZ), read_eurostat_tsv(avia_plain))


def test_eurostat_tsv_gzipped_monthly():
    df = read_eurostat_tsv(AVIA_TSV_GZ)
    assert list(df.columns) == ["freq", "unit", "tra_meas", "partner", "geo", "time_period",
                                "value", "flag"]  # fmt: skip
    assert len(df) == 9 * 4
    assert df.attrs["dataset"] == "avia_paoc"
    row = _one(df, tra_meas="PAS_CRD_ARR", partner="ES", geo="DE", time_period="2019-08")
    assert (row["value"], row["flag"]) == (1_600_000, "p")


def test_eurostat_sdmx_csv_matches_the_tsv():
    sdmx = read_eurostat_sdmx_csv(IMM_SDMX)
    assert sdmx.attrs["dataflow"] == "ESTAT:MIGR_IMM1CTZ(1.0)"
    assert sdmx.attrs["dataset"] == "migr_imm1ctz"
    pd.testing.assert_frame_equal(sdmx, read_eurostat_tsv(IMM_TSV))


def test_eurostat_sdmx_csv_semicolons_labels_and_flags(tmp_path):
    path = _write(
        tmp_path / "x.csv",
        "DATAFLOW;LAST UPDATE;freq;citizen;geo;TIME_PERIOD;OBS_VALUE;OBS_FLAG;CONF_STATUS\n"
        "ESTAT:MIGR_IMM1CTZ(1.0);01/01/25;A:Annual;SY:Syria;DE:Germany;2022;5;p;F\n"
        "ESTAT:MIGR_IMM1CTZ(1.0);01/01/25;A:Annual;SY:Syria;EL:Greece;2022;;;C\n"
        "ESTAT:MIGR_IMM1CTZ(1.0);01/01/25;A:Annual;SY:Syria;AT:Austria;2022;:;e;\n",
    )
    df = read_eurostat_sdmx_csv(path)
    assert df["geo"].tolist() == ["DE", "EL", "AT"]
    assert df["value"].iloc[0] == 5 and df["value"].iloc[1:].isna().all()
    assert df["flag"].tolist() == ["p", "c", "e"]


@pytest.mark.parametrize("reader", [read_eurostat_tsv, read_eurostat_sdmx_csv], ids=["tsv", "sdmx"])
def test_eurostat_missing_file(reader, tmp_path):
    with pytest.raises(FileNotFoundError, match=r"migr_imm1ctz\.tsv\.gz: no such file.*eurostat"):
        reader(tmp_path / "migr_imm1ctz.tsv.gz")


def test_eurostat_tsv_reader_recognises_sdmx_csv():
    with pytest.raises(
        RealSourceError, match=r"should end with '\\TIME_PERIOD'.*read_eurostat_sdmx_csv"
    ):
        read_eurostat_tsv(IMM_SDMX)


def test_eurostat_sdmx_reader_recognises_tsv():
    with pytest.raises(RealSourceError, match="use read_eurostat_tsv"):
        read_eurostat_sdmx_csv(IMM_TSV)


def test_eurostat_tsv_errors(tmp_path):
    head = "freq,citizen,geo\\TIME_PERIOD\t2021 \t2022 \n"
    glued = _write(tmp_path / "old.tsv", head + "A,SY,DE\t0n\t5 \n")
    assert read_eurostat_tsv(glued)[["value", "flag"]].values.tolist() == [[0.0, "n"], [5.0, ""]]
    bad_value = _write(tmp_path / "a.tsv", head + "A,SY,DE\t12x \t5 \n")
    with pytest.raises(RealSourceError, match=r"'12x' \(line 2, column '2021'\)"):
        read_eurostat_tsv(bad_value)
    bad_keys = _write(tmp_path / "b.tsv", head + "A,SY\t1 \t5 \n")
    with pytest.raises(RealSourceError, match=r"line 2 has 2 comma-separated codes"):
        read_eurostat_tsv(bad_keys)
    pivoted = _write(tmp_path / "c.tsv", "freq,geo\\citizen\tSY\tAF\nA,DE\t1\t2\n")
    with pytest.raises(RealSourceError, match=r"ends with '\\citizen'"):
        read_eurostat_tsv(pivoted)
    zipped = tmp_path / "d.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("d.tsv", head)
    with pytest.raises(RealSourceError, match="ZIP archive"):
        read_eurostat_tsv(zipped)


def test_eurostat_sdmx_csv_without_obs_value(tmp_path):
    path = _write(tmp_path / "x.csv", "DATAFLOW,LAST UPDATE,geo,TIME_PERIOD\nX,Y,DE,2020\n")
    with pytest.raises(RealSourceError, match="no column OBS_VALUE"):
        read_eurostat_sdmx_csv(path)


def test_eurostat_iso3_exceptions_and_aggregates():
    assert eurostat_iso3(["EL", "UK", "DE", "NA", "XK", "EU27_2020", "EA", "STLS", "TOTAL"]) == {
        "EL": "GRC",
        "UK": "GBR",
        "DE": "DEU",
        "NA": "NAM",
        "XK": "XKX",
        "EU27_2020": None,
        "EA": None,
        "STLS": None,
        "TOTAL": None,
    }
    with pytest.raises(UnknownCodeError, match=r"codes: QQ\. .*extra_codes=\{'QQ': 'ISO3'\}"):
        eurostat_iso3(["DE", "QQ"])
    assert eurostat_iso3(["QQ"], extra_codes={"QQ": None}) == {"QQ": None}


# ----------------------------------------------------------------------------------------
# Eurostat immigration by citizenship
# ----------------------------------------------------------------------------------------

EXPECTED_IMMIGRATION = [
    # year, destination, citizenship, immigrants, flag
    (2021, "DEU", "GBR", 8001.0, ""),
    (2021, "DEU", "GRC", 10012.0, ""),
    (2021, "DEU", "NAM", 35.0, ""),
    (2021, "DEU", "SYR", 42000.0, ""),
    (2021, "GRC", "GBR", 300.0, ""),
    (2021, "GRC", "SYR", 2100.0, ""),
    (2022, "DEU", "GBR", np.nan, "c"),
    (2022, "DEU", "GRC", 11205.0, ""),
    (2022, "DEU", "NAM", np.nan, ""),
    (2022, "DEU", "SYR", 55120.0, ""),
    (2022, "GRC", "GBR", 280.0, ""),
    (2022, "GRC", "SYR", 3050.0, "b"),
    (2023, "DEU", "GBR", 7950.0, "p"),
    (2023, "DEU", "GRC", 12001.0, "p"),
    (2023, "DEU", "NAM", 41.0, "e"),
    (2023, "DEU", "SYR", np.nan, ""),
    (2023, "GRC", "GBR", 275.0, ""),
    (2023, "GRC", "SYR", np.nan, ""),
]


@pytest.mark.parametrize("path", [IMM_TSV, IMM_SDMX], ids=["tsv", "sdmx"])
def test_eurostat_immigration_values(path):
    reader = read_eurostat_tsv if path.suffix == ".tsv" else read_eurostat_sdmx_csv
    flows = eurostat_immigration(reader(path))
    expected = pd.DataFrame(
        EXPECTED_IMMIGRATION,
        columns=["year", "destination_iso3", "citizenship_iso3", "immigrants", "flag"],
    )
    expected["year"] = expected["year"].astype(np.int64)
    pd.testing.assert_frame_equal(flows, expected, check_dtype=False)
    assert flows["year"].dtype == np.int64 and flows["immigrants"].dtype == float
    assert flows.attrs["set_aside"] == {
        "geo": {"EU27_2020": 3},
        "citizen": {"STLS": 3, "TOTAL": 3, "UNK": 3},
    }
    assert flows.attrs["set_aside_rows"] == 12
    assert flows.attrs["filters"]["agedef"] == "COMPLET"


def test_eurostat_immigration_aggregates_and_agedef():
    table = read_eurostat_tsv(IMM_TSV)
    agg = eurostat_immigration(table, aggregates=True)
    assert len(agg) == 12
    row = _one(agg, year=2022, geo="DE", citizen="TOTAL")
    assert row["immigrants"] == 1_439_000 and row["destination_iso3"] == "DEU"
    row = _one(agg, year=2021, geo="EU27_2020", citizen="SY")
    assert row["immigrants"] == 98_000 and row["citizenship_iso3"] == "SYR"
    reach = eurostat_immigration(table, agedef="REACH")
    assert reach[["destination_iso3", "citizenship_iso3"]].drop_duplicates().values.tolist() == [
        ["DEU", "SYR"]
    ]


def test_eurostat_immigration_unknown_code(tmp_path):
    path = _write(
        tmp_path / "migr_imm1ctz.tsv",
        "freq,citizen,agedef,age,unit,sex,geo\\TIME_PERIOD\t2022 \n"
        "A,QQ,COMPLET,TOTAL,NR,T,DE\t5 \nA,SY,COMPLET,TOTAL,NR,T,DE\t7 \n",
    )
    table = read_eurostat_tsv(path)
    with pytest.raises(UnknownCodeError, match=r"migr_imm1ctz\.tsv, column 'citizen'.*'QQ'"):
        eurostat_immigration(table)
    flows = eurostat_immigration(table, extra_codes={"QQ": None})
    assert flows["citizenship_iso3"].tolist() == ["SYR"]
    assert flows.attrs["set_aside"] == {"citizen": {"QQ": 1}}


def test_eurostat_immigration_bad_input(tmp_path):
    with pytest.raises(RealSourceError, match=r"no column 'citizen'.*migr_imm1ctz"):
        eurostat_immigration(read_eurostat_tsv(AVIA_TSV_GZ))
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        eurostat_immigration(str(IMM_TSV))
    labels = _write(
        tmp_path / "labels.csv",
        "DATAFLOW,LAST UPDATE,citizen,geo,TIME_PERIOD,OBS_VALUE\nX,Y,Syria,Germany,2022,5\n",
    )
    with pytest.raises(RealSourceError, match="with codes, not labels"):
        eurostat_immigration(read_eurostat_sdmx_csv(labels))
    table = read_eurostat_tsv(IMM_TSV).drop(columns="sex")
    with pytest.raises(RealSourceError, match=r"more than one row .*dimension column .*dropped"):
        eurostat_immigration(table)
    table = read_eurostat_tsv(IMM_TSV)
    two = pd.concat([table.assign(c_birth="FR"), table.assign(c_birth="IT")], ignore_index=True)
    with pytest.raises(RealSourceError, match=r"more than one row .*differ in \['c_birth'\]"):
        eurostat_immigration(two)
    with pytest.raises(RealSourceError, match=r"keeps unit == 'NR'.*\['PC'\]"):
        eurostat_immigration(read_eurostat_tsv(IMM_TSV).assign(unit="PC"))


# ----------------------------------------------------------------------------------------
# Eurostat air passengers
# ----------------------------------------------------------------------------------------

EXPECTED_AIR = [
    # reporting, partner, year, month, direction, passengers, flag
    ("DEU", "ESP", 2019, 7, "arrivals", 1_500_000.0, ""),
    ("DEU", "ESP", 2019, 8, "arrivals", 1_600_000.0, "p"),
    ("DEU", "ESP", 2019, 7, "departures", 1_600_000.0, ""),
    ("DEU", "ESP", 2019, 8, "departures", np.nan, "c"),
    ("GRC", "GBR", 2019, 7, "arrivals", 480_000.0, ""),
    ("GRC", "GBR", 2019, 8, "arrivals", 510_000.0, ""),
    ("GRC", "GBR", 2019, 7, "departures", 450_000.0, ""),
    ("GRC", "GBR", 2019, 8, "departures", 530_000.0, ""),
]
AIR_COLUMNS = ["reporting_iso3", "partner_iso3", "year", "month", "direction", "passengers", "flag"]


@pytest.mark.parametrize("path", [AVIA_TSV_GZ, AVIA_SDMX], ids=["tsv.gz", "sdmx"])
def test_eurostat_air_passengers_values(path):
    reader = read_eurostat_sdmx_csv if path.suffix == ".csv" else read_eurostat_tsv
    air = eurostat_air_passengers(reader(path))
    expected = pd.DataFrame(EXPECTED_AIR, columns=AIR_COLUMNS)
    pd.testing.assert_frame_equal(air, expected, check_dtype=False)
    assert air["year"].dtype == np.int64 and air["month"].dtype == np.int64
    assert air.attrs["set_aside"]["tra_meas"] == {"PAS_CRD": 2, "PAS_BRD_ARR": 2}
    assert air.attrs["set_aside"]["partner"] == {"EXT_EU27_2020": 2}


def test_eurostat_air_passengers_reports_what_it_sets_aside():
    air = eurostat_air_passengers(read_eurostat_tsv(AVIA_TSV_GZ))
    assert air.attrs["set_aside"] == {
        "freq": {"A": 4, "Q": 4},  # every cell of the annual and quarterly lines
        "time_period": {"2019": 7, "2019-Q3": 7},  # the empty cells of the monthly lines
        "tra_meas": {"PAS_CRD": 2, "PAS_BRD_ARR": 2},
        "partner": {"EXT_EU27_2020": 2},
    }
    assert air.attrs["set_aside_rows"] == 28
    agg = eurostat_air_passengers(read_eurostat_tsv(AVIA_TSV_GZ), aggregates=True)
    assert agg[["partner", "month", "passengers"]].values.tolist() == [
        ["EXT_EU27_2020", 7, 5_000_000.0],
        ["EXT_EU27_2020", 8, 5_200_000.0],
    ]


def test_eurostat_air_passengers_on_board_and_old_month_format(tmp_path):
    on_board = eurostat_air_passengers(read_eurostat_tsv(AVIA_TSV_GZ), measure="on_board")
    assert on_board[["month", "direction", "passengers"]].values.tolist() == [
        [7, "arrivals", 1_550_000.0],
        [8, "arrivals", 1_650_000.0],
    ]
    old = _write(
        tmp_path / "avia_paocc.tsv",
        "unit,tra_meas,partner,geo\\time\t2019M07 \t2019M08 \n"
        "PAS,PAS_CRD_DEP,IT,FR\t900 \t1000 e\n",
    )
    air = eurostat_air_passengers(read_eurostat_tsv(old))
    assert air.values.tolist() == [
        ["FRA", "ITA", 2019, 7, "departures", 900.0, ""],
        ["FRA", "ITA", 2019, 8, "departures", 1000.0, "e"],
    ]


def test_eurostat_air_passengers_bad_input():
    with pytest.raises(RealSourceError, match=r"no columns 'tra_meas', 'partner'"):
        eurostat_air_passengers(read_eurostat_tsv(IMM_TSV))
    table = read_eurostat_tsv(AVIA_TSV_GZ)
    with pytest.raises(RealSourceError, match=r"no monthly rows with tra_meas"):
        eurostat_air_passengers(table[table["tra_meas"] == "PAS_CRD"])
    with pytest.raises(ValueError, match="measure must be one of"):
        eurostat_air_passengers(table, measure="seats")


# ----------------------------------------------------------------------------------------
# World Bank WDI
# ----------------------------------------------------------------------------------------


def test_worldbank_api_csvs_combined():
    wdi = read_worldbank_wdi_csv([WDI_POP, WDI_GDP])
    assert list(wdi.columns) == ["iso3", "year", "population", "gdp_per_capita_ppp_usd"]
    assert wdi["year"].dtype == np.int64
    assert sorted(wdi["iso3"].unique()) == ["ABW", "CHI", "DEU", "GRC", "NAM", "XKX"]
    assert len(wdi) == 6 * 6  # every (country, year) of the files
    row = _one(wdi, iso3="DEU", year=2020)
    assert (row["population"], row["gdp_per_capita_ppp_usd"]) == (83_160_871, 56_568.4)
    row = _one(wdi, iso3="DEU", year=2023)
    assert row["population"] == 84_482_267 and math.isnan(row["gdp_per_capita_ppp_usd"])
    assert math.isnan(_one(wdi, iso3="ABW", year=2023)["population"])  # empty cell
    assert _one(wdi, iso3="XKX", year=2018)["population"] == 1_798_506
    assert wdi.attrs["indicators"] == {
        "SP.POP.TOTL": "population",
        "NY.GDP.PCAP.PP.KD": "gdp_per_capita_ppp_usd",
    }
    assert wdi.attrs["set_aside"] == {
        "Country Code": {
            "AFE (Africa Eastern and Southern)": 6,
            "EUU (European Union)": 6,
            "HIC (High income)": 6,
            "WLD (World)": 6,
        }
    }


def test_worldbank_aggregates_on_request():
    agg = read_worldbank_wdi_csv(WDI_POP, aggregates=True)
    assert list(agg.columns) == ["code", "name", "year", "population"]
    assert sorted(agg["code"].unique()) == ["AFE", "EUU", "HIC", "WLD"]
    assert _one(agg, code="WLD", year=2023)["population"] == 8_024_000_000


def test_worldbank_bulk_file_and_indicator_names():
    wdi = read_worldbank_wdi_csv(WDI_BULK)
    assert list(wdi.columns) == ["iso3", "year", "unemployment_rate_pct", "sm_pop_totl",
                                 "population"]  # fmt: skip
    row = _one(wdi, iso3="GRC", year=2021)
    assert (row["unemployment_rate_pct"], row["population"]) == (14.66, 10_569_207)
    assert math.isnan(row["sm_pop_totl"])
    assert _one(wdi, iso3="DEU", year=2020)["sm_pop_totl"] == 15_762_457
    picked = read_worldbank_wdi_csv(WDI_BULK, indicators=["SP.POP.TOTL", "SL.UEM.TOTL.ZS"])
    assert list(picked.columns) == ["iso3", "year", "population", "unemployment_rate_pct"]
    assert picked.attrs["set_aside"] == {"Country Code": {"WLD (World)": 3}}


def test_worldbank_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"API_x\.csv: no such file.*worldbank"):
        read_worldbank_wdi_csv(tmp_path / "API_x.csv")
    with pytest.raises(RealSourceError, match=r"indicator SM\.POP\.TOTL is not in the file"):
        read_worldbank_wdi_csv(WDI_POP, indicators=["SP.POP.TOTL", "SM.POP.TOTL"])
    with pytest.raises(RealSourceError, match="appears more than once"):
        read_worldbank_wdi_csv([WDI_POP, WDI_POP])
    zipped = tmp_path / "API_SP.POP.TOTL_DS2_en_csv_v2.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        z.write(WDI_POP, WDI_POP.name)
    with pytest.raises(RealSourceError, match="ZIP archive. Unzip it"):
        read_worldbank_wdi_csv(zipped)
    meta = _write(
        tmp_path / "Metadata_Country_API.csv",
        '"Country Code","Region","IncomeGroup","SpecialNotes","TableName",\n'
        '"ABW","Latin America & Caribbean","High income","","Aruba",\n',
    )
    with pytest.raises(RealSourceError, match="Metadata_ files: pass the data file"):
        read_worldbank_wdi_csv(meta)
    with pytest.raises(RealSourceError, match="use read_eurostat_sdmx_csv"):
        read_worldbank_wdi_csv(IMM_SDMX)


def test_worldbank_unknown_code_and_text_values(tmp_path):
    text = WDI_POP.read_text(encoding="utf-8-sig")
    unknown = _write(tmp_path / "API_a.csv", text.replace('"ABW"', '"ZZZ"'))
    with pytest.raises(UnknownCodeError, match=r"ZZZ \('Aruba'\).*extra_codes=\{'ZZZ': 'ISO3'\}"):
        read_worldbank_wdi_csv(unknown)
    fixed = read_worldbank_wdi_csv(unknown, extra_codes={"ZZZ": "ABW"})
    assert "ABW" in set(fixed["iso3"])
    aside = read_worldbank_wdi_csv(unknown, extra_codes={"ZZZ": None})
    assert "ZZZ (Aruba)" in aside.attrs["set_aside"]["Country Code"]
    words = _write(tmp_path / "API_b.csv", text.replace('"106442"', '"about 106k"'))
    with pytest.raises(RealSourceError, match="cannot read the year columns as numbers"):
        read_worldbank_wdi_csv(words)
