"""The loaders of the bundled data: types, and a clear error for every kind of bad input."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from migrationlab import data
from migrationlab.data import DataError

DATA = data.DATA_DIR


def _loader(name):
    return getattr(data, f"load_{name}")


@pytest.mark.parametrize("name", data.dataset_names())
def test_every_dataset_has_a_loader_and_a_datasheet(name):
    assert callable(_loader(name)), f"no load_{name}() in migrationlab.data"
    if name not in ("parameters", "events"):
        sheet = DATA / "datasheets" / f"{name}.md"
        text = sheet.read_text(encoding="utf-8")
        desc = next(r for r in data.read_datapackage()["resources"] if r["name"] == name)
        if desc["path"].startswith("real/"):  # real extracts: who publishes, whence, checks
            headings = (
                "## Publisher, licence and citation",
                "## Where this copy comes from",
                "## Cleaning",
                "## Caveats",
                "## Checked against published figures",
            )
        else:
            headings = ("## What it mimics", "## How it was generated")
        for heading in (*headings, "## Schema", "## How to load it"):
            assert heading in text, f"{sheet.name} lacks '{heading}'"


TABLES = [n for n in data.dataset_names() if n not in ("world", "cities", "parameters", "events")]


@pytest.mark.parametrize("name", TABLES)
def test_table_loads_with_schema_types(name):
    df = _loader(name)()
    desc = next(r for r in data.read_datapackage()["resources"] if r["name"] == name)
    fields = [f["name"] for f in desc["schema"]["fields"]]
    assert [c for c in df.columns if c in fields] == fields
    added = [c for c in df.columns if c not in fields]
    # Only the loaders of the real extracts add columns (ISO3 codes), and they say so.
    assert not added or (
        desc["path"].startswith("real/") and all(c in _loader(name).__doc__ for c in added)
    ), f"load_{name}() adds undocumented columns {added}"
    for f in desc["schema"]["fields"]:
        col = df[f["name"]]
        missing = col.isna().any()
        expected = {
            "string": ["object"],
            "integer": ["float64"] if missing else ["int64"],
            "number": ["float64"],
            "boolean": ["object"] if missing else ["bool"],
        }.get(f["type"])
        if expected:
            assert str(col.dtype) in expected, (f["name"], col.dtype)
        if f["type"] == "date":
            assert pd.api.types.is_datetime64_any_dtype(df[f["name"]])


def test_masks_with_missing_values_work_as_students_expect():
    stocks = data.load_migrant_stocks()
    assert stocks["origin_iso3"].isna().any()
    mask = (stocks["year"] == 2020) & (stocks["origin_iso3"] == "DEU")
    assert mask.dtype == bool and mask.sum() > 0
    flows = data.load_eu_immigration_flows()
    assert flows["immigrants"].isna().any()
    assert (flows["immigrants"] > 100).dtype == bool


def test_namibia_is_not_a_missing_value():
    countries = data.load_countries()
    assert countries.set_index("iso3").loc["NAM", "iso2"] == "NA"


def test_geographic_layers_have_their_crs():
    assert data.load_world().crs.to_epsg() == 4326
    for layer in ("cities", "districts", "grid_cells"):
        assert data.load_cities(layer).crs.to_epsg() == 3035


def test_ground_truth_is_there():
    params = data.load_parameters()
    assert params["flows"]["delta_log_distance"] == 1.0
    events = data.load_events()
    surges = [e for e in events if e["kind"] == "corridor_surge"]
    assert len(surges) >= 2, "the mobility project needs more than one planted surge"
    assert {e["kind"] for e in events} == {"corridor_surge", "visitor_event"}
    flows = data.load_true_flows()
    for event in surges:
        corridor = flows[
            (flows["origin_iso3"] == event["origin_iso3"])
            & (flows["destination_iso3"] == event["destination_iso3"])
        ].set_index("year")["flow"]
        start = event["start_year"]
        before = corridor.loc[start - 5 : start - 1].mean()
        after = corridor.loc[start + event["ramp_years"] - 1 :].mean()
        assert after > 2 * before, f"the planted surge {event['origin_iso3']} is not in the flows"


# ---------------------------------------------------------------------------------------
# Bad input: each case gives an error naming the file, the problem and the fix.
# ---------------------------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the package descriptor and the small tables, to damage at will."""
    for name in (
        "datapackage.json",
        "countries.csv",
        "country_indicators.csv",
        "professional_network.csv",
        "world.gpkg",
    ):
        shutil.copy(DATA / name, tmp_path / name)
    shutil.copy(DATA / "eu_immigration_flows.csv.gz", tmp_path / "eu_immigration_flows.csv.gz")
    return tmp_path


def _rehash(folder: Path, relpath: str) -> None:
    """Record the damaged file's hash, so that the schema checks (not the hash) speak."""
    package = json.loads((folder / "datapackage.json").read_text())
    digest = hashlib.sha256((folder / relpath).read_bytes()).hexdigest()
    for r in package["resources"]:
        if r["path"] == relpath:
            r["hash"] = "sha256:" + digest
    (folder / "datapackage.json").write_text(json.dumps(package))
    data._COUNTRY_CACHE.clear()


def _edit_csv(folder: Path, relpath: str, edit) -> None:
    df = pd.read_csv(folder / relpath, dtype=str, keep_default_na=False)
    df = edit(df)
    df.to_csv(folder / relpath, index=False)
    _rehash(folder, relpath)


def test_missing_file(data_copy):
    (data_copy / "professional_network.csv").unlink()
    with pytest.raises(DataError, match=r"professional_network\.csv: file missing.*make data"):
        data.load_professional_network(data_copy)


def test_missing_descriptor(tmp_path):
    with pytest.raises(DataError, match=r"datapackage\.json.*missing.*make data"):
        data.load_countries(tmp_path)


def test_corrupted_file_fails_the_hash(data_copy):
    path = data_copy / "professional_network.csv"
    path.write_bytes(path.read_bytes().replace(b"tertiary", b"tertiarY", 1))
    with pytest.raises(
        DataError,
        match=r"professional_network\.csv: the file has changed or is "
        r"corrupted.*git checkout",
    ):
        data.load_professional_network(data_copy)


def test_truncated_gzip(data_copy):
    path = data_copy / "eu_immigration_flows.csv.gz"
    path.write_bytes(path.read_bytes()[:2000])
    _rehash(data_copy, "eu_immigration_flows.csv.gz")
    with pytest.raises(DataError, match=r"eu_immigration_flows\.csv\.gz"):
        data.load_eu_immigration_flows(data_copy)


def test_missing_column(data_copy):
    _edit_csv(data_copy, "professional_network.csv", lambda df: df.drop(columns="members"))
    with pytest.raises(
        DataError,
        match=r"professional_network\.csv: the file has no column 'members' \(it has: .*\)\. "
        r".*make data",
    ):
        data.load_professional_network(data_copy)


def test_wrong_type(data_copy):
    def edit(df):
        df.loc[5, "members"] = "many"
        return df

    _edit_csv(data_copy, "professional_network.csv", edit)
    with pytest.raises(
        DataError,
        match=r"column 'members' should hold integer values, but row 5 "
        r"holds 'many'",
    ):
        data.load_professional_network(data_copy)


def test_negative_counts(data_copy):
    def edit(df):
        df.loc[[3, 7], "members"] = "-12"
        return df

    _edit_csv(data_copy, "professional_network.csv", edit)
    with pytest.raises(
        DataError,
        match=r"column 'members' has negative counts: 2 value\(s\) below "
        r"0, first in row 3",
    ):
        data.load_professional_network(data_copy)


def test_unknown_iso3(data_copy):
    def edit(df):
        df.loc[0, "origin_iso3"] = "XYZ"
        return df

    _edit_csv(data_copy, "professional_network.csv", edit)
    with pytest.raises(
        DataError,
        match=r"'origin_iso3' holds ISO3 code\(s\) unknown to "
        r"countries\.csv: \['XYZ'\].*country_converter",
    ):
        data.load_professional_network(data_copy)


def test_malformed_iso3(data_copy):
    def edit(df):
        df.loc[0, "origin_iso3"] = "Germany"
        return df

    _edit_csv(data_copy, "professional_network.csv", edit)
    with pytest.raises(DataError, match=r"'origin_iso3' holds \['Germany'\] that do not match"):
        data.load_professional_network(data_copy)


def test_value_outside_the_allowed_list(data_copy):
    def edit(df):
        df.loc[2, "education"] = "phd"
        return df

    _edit_csv(data_copy, "professional_network.csv", edit)
    with pytest.raises(DataError, match=r"column 'education' holds 'phd' in row 2; allowed"):
        data.load_professional_network(data_copy)


def test_duplicated_key(data_copy):
    _edit_csv(
        data_copy,
        "professional_network.csv",
        lambda df: pd.concat([df, df.iloc[[10]]], ignore_index=True),
    )
    with pytest.raises(DataError, match=r"1 duplicated row\(s\) for the key"):
        data.load_professional_network(data_copy)


def test_missing_required_value(data_copy):
    def edit(df):
        df.loc[4, "population"] = ""
        df.loc[4, "iso3"] = ""
        return df

    _edit_csv(data_copy, "country_indicators.csv", edit)
    with pytest.raises(DataError, match=r"column 'iso3' is required but empty in row 4"):
        data.load_country_indicators(data_copy)


def test_gaps_are_kept_not_dropped():
    ind = data.load_country_indicators()
    n_countries = ind["iso3"].nunique()
    assert len(ind) == n_countries * (2023 - 1990 + 1)
    assert ind["gdp_per_capita_ppp_usd"].isna().sum() > 0


def test_wrong_crs(data_copy):
    import geopandas as gpd

    world = gpd.read_file(data_copy / "world.gpkg", layer="countries")
    (data_copy / "world.gpkg").unlink()
    world.to_crs("EPSG:3857").to_file(data_copy / "world.gpkg", layer="countries")
    _rehash(data_copy, "world.gpkg")
    with pytest.raises(
        DataError,
        match=r"world\.gpkg: layer 'countries' has CRS EPSG:3857 but "
        r"datapackage\.json says EPSG:4326.*to_crs",
    ):
        data.load_world(data_copy)


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(DataError, match=r"no dataset 'nope'; it has: countries"):
        data._descriptor("nope", None)


def test_loader_agrees_with_frictionless_on_bad_input(data_copy):
    """Our fast checks reject what the reference validator (frictionless) rejects."""
    import frictionless

    def edit(df):
        df.loc[3, "members"] = "-12"
        return df

    _edit_csv(data_copy, "professional_network.csv", edit)
    package = json.loads((data_copy / "datapackage.json").read_text())
    desc = next(r for r in package["resources"] if r["name"] == "professional_network")
    desc = {k: v for k, v in desc.items() if k != "schema"} | {
        "schema": {k: v for k, v in desc["schema"].items() if k != "foreignKeys"}
    }
    report = frictionless.Resource(desc, basepath=str(data_copy)).validate()
    assert not report.valid
    assert "constraint-error" in {e.type for e in report.tasks[0].errors}
    with pytest.raises(DataError):
        data.load_professional_network(data_copy)


def test_gzip_reproducible_header():
    raw = (DATA / "migrant_stocks.csv.gz").read_bytes()
    assert raw[4:8] == b"\x00\x00\x00\x00", "gzip header carries a timestamp"
    with gzip.open(DATA / "migrant_stocks.csv.gz", "rt") as f:
        assert f.readline().startswith("year,destination_iso3,origin_iso3")


def test_a_table_loaded_again_is_a_fresh_copy_and_a_changed_file_is_checked_again(data_copy):
    first = data.load_professional_network(data_copy)
    first.drop(columns=first.columns[0], inplace=True)  # must not reach the next load
    second = data.load_professional_network(data_copy)
    assert len(second.columns) == len(first.columns) + 1
    pd.testing.assert_frame_equal(second, data.load_professional_network(data_copy))
    path = data_copy / "professional_network.csv"
    path.write_bytes(path.read_bytes().replace(b"tertiary", b"tertiarY", 1))
    with pytest.raises(DataError, match="the file has changed or is corrupted"):
        data.load_professional_network(data_copy)
