"""The real data of data/real/: published figures, loaders, damage, ISO3 codes, rebuild.

* Each figure a publisher printed (:data:`migrationlab_world.real.PUBLISHED_FIGURES`) is
  recomputed through the loader of :mod:`migrationlab.data`.
* Every real dataset has a loader that returns the columns of its schema.
* A changed or deleted real file stops its loader (``DataError``) and
  :func:`migrationlab_world.real.check_real_files` (``RealDataError``); these tests work
  on a copy of ``data/`` in a temporary folder.
* The ISO3 columns the loaders add cover every country.
* The two files whose publisher's originals are bundled (``data/real/originals/``) are
  rebuilt by :mod:`migrationlab_world.real_rebuild` and come out byte for byte the same.
  The other files' upstream files are not bundled: no test rebuilds them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from migrationlab import REPO_ROOT, data
from migrationlab.countries import code_table
from migrationlab.data import DataError
from migrationlab_world import real_rebuild
from migrationlab_world.real import (
    _SCHEMAS,
    PUBLISHED_FIGURES,
    REAL_DIR,
    REAL_FILES,
    RealDataError,
    check_real_files,
)

DATA = REPO_ROOT / "data"
FILES = {f.name: f for f in REAL_FILES}


def _loader(name: str):
    return getattr(data, f"load_{name}")


def _figure_id(figure: dict) -> str:
    return f"{figure['dataset']}: {figure['what']}"


@pytest.mark.parametrize(
    "figure", PUBLISHED_FIGURES, ids=[_figure_id(f) for f in PUBLISHED_FIGURES]
)
def test_published_figure(figure):
    df = _loader(figure["dataset"])()
    rows = df if figure["where"] is None else df.query(figure["where"])
    assert len(rows) > 0, f"no row matches {figure['where']!r}"
    got = len(rows) if figure["column"] == "rows" else float(rows[figure["column"]].sum())
    assert abs(got - figure["value"]) <= figure["tolerance"], (
        f"{figure['what']}: {got:,} in the bundled file, {figure['value']:,} published "
        f"({figure['source']})"
    )


@pytest.mark.parametrize("name", list(FILES))
def test_real_dataset_loads_with_its_schema(name):
    loader = getattr(data, f"load_{name}", None)
    assert loader is not None, f"migrationlab.data has no load_{name}()"
    assert "REAL" in loader.__doc__, f"load_{name}() does not say its data are real"
    df = loader()
    fields = [f["name"] for f in _SCHEMAS[name]["fields"]]
    assert [c for c in df.columns if c in fields] == fields
    assert len(df) > 0
    resource = next(r for r in data.read_datapackage()["resources"] if r["name"] == name)
    assert resource["path"] == f"real/{FILES[name].file}"
    assert resource["hash"].removeprefix("sha256:") == FILES[name].sha256


# ---------------------------------------------------------------------------------------
# A damaged copy of data/
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory) -> Path:
    """A copy of data/; each test restores what it damages."""
    copy = tmp_path_factory.mktemp("real") / "data"
    shutil.copytree(DATA, copy)
    return copy


def _flip_one_byte(path: Path) -> bytes:
    """Change one byte in the middle of ``path``; return the original bytes."""
    original = path.read_bytes()
    middle = len(original) // 2
    path.write_bytes(original[:middle] + bytes([original[middle] ^ 0x01]) + original[middle + 1 :])
    return original


@pytest.mark.parametrize("name", list(FILES))
def test_altered_real_file_stops_its_loader(data_copy, name):
    path = data_copy / "real" / FILES[name].file
    original = _flip_one_byte(path)
    try:
        with pytest.raises(DataError, match="has changed or is corrupted") as err:
            _loader(name)(data_dir=data_copy)
        assert str(path) in str(err.value)
        assert "git checkout -- data/" in str(err.value)  # how to fix it
    finally:
        path.write_bytes(original)
    assert len(_loader(name)(data_dir=data_copy)) > 0  # restored


@pytest.mark.parametrize("name", list(FILES))
def test_deleted_real_file_stops_its_loader(data_copy, name):
    path = data_copy / "real" / FILES[name].file
    original = path.read_bytes()
    path.unlink()
    try:
        with pytest.raises(DataError, match="file missing") as err:
            _loader(name)(data_dir=data_copy)
        assert str(path) in str(err.value) and name in str(err.value)
    finally:
        path.write_bytes(original)


def test_check_real_files_on_a_damaged_copy(data_copy):
    real = data_copy / "real"
    check_real_files(real)  # the copy as it is passes
    target = real / FILES["wdi_population"].file
    original = _flip_one_byte(target)
    try:
        with pytest.raises(RealDataError, match="SHA-256") as err:
            check_real_files(real)
        assert str(target) in str(err.value) and "git checkout -- data/real/" in str(err.value)
    finally:
        target.write_bytes(original)
    workbook = next(real.glob("originals/*.xlsx"))
    kept = workbook.read_bytes()
    workbook.unlink()
    try:
        with pytest.raises(RealDataError, match="missing") as err:
            check_real_files(real)
        assert str(workbook) in str(err.value)
    finally:
        workbook.write_bytes(kept)
    check_real_files(real)


# ---------------------------------------------------------------------------------------
# ISO3 codes added by the loaders
# ---------------------------------------------------------------------------------------

KNOWN_ISO3 = set(code_table()["ISO3"].dropna())


def test_un_tables_have_iso3_for_every_country():
    by_destination = data.load_un_stocks_by_destination_2020()
    countries = by_destination[by_destination.is_country]
    assert countries["iso3"].notna().all(), countries.loc[countries.iso3.isna(), "location"]
    assert by_destination.loc[~by_destination.is_country, "iso3"].isna().all()
    assert countries.groupby("location_code")["iso3"].first().is_unique
    assert set(countries["iso3"]) <= KNOWN_ISO3
    od = data.load_un_stocks_origin_destination_2019()
    for side in ("destination", "origin"):
        missing = od.loc[od[f"{side}_iso3"].isna(), side].unique()
        assert len(missing) == 0, f"{side}s without ISO3: {missing}"
        assert set(od[f"{side}_iso3"]) <= KNOWN_ISO3


def test_every_openflights_airport_has_iso3():
    airports = data.load_openflights_airports()
    missing = airports.loc[airports["iso3"].isna(), "country"].unique()
    assert len(missing) == 0, f"airports in {sorted(missing)} have no ISO3 code"
    assert set(airports["iso3"]) <= KNOWN_ISO3


def test_cepii_iso3_columns():
    cepii = data.load_cepii_geodist()
    assert "TMP" not in set(cepii["origin_iso3"]) | set(cepii["destination_iso3"])
    assert (cepii.loc[cepii.iso_o == "TMP", "origin_iso3"] == "TLS").all()
    assert set(cepii["origin_iso3"]) <= KNOWN_ISO3
    assert cepii["origin_iso3"].nunique() == 224


# ---------------------------------------------------------------------------------------
# Rebuilding from the publishers' files
# ---------------------------------------------------------------------------------------

FROM_ORIGINALS = ["un_stocks_by_destination_2020", "wdi_gdp_per_capita_ppp"]


def test_rebuild_from_the_bundled_originals_is_byte_identical(tmp_path):
    # data/real/originals/ holds the upstream files under their own names
    logged: list[str] = []
    results = real_rebuild.rebuild(
        REAL_DIR / "originals", tmp_path, only=FROM_ORIGINALS, log=logged.append
    )
    assert [r.dataset for r in results] == FROM_ORIGINALS
    for r in results:
        bundled = REAL_DIR / FILES[r.dataset].file
        assert r.path.read_bytes() == bundled.read_bytes(), f"{r.path.name} differs"
        assert r.identical
    assert any("World migrant stock, 2020: 280,598,105.00" in line for line in logged)
    assert not any("FAIL" in line for line in logged)


def test_rebuild_names_the_missing_upstream_files(tmp_path, capsys):
    (tmp_path / "raw").mkdir()
    code = real_rebuild.main([str(tmp_path / "raw"), str(tmp_path / "out")])
    assert code == 1
    err = capsys.readouterr().err
    for key, upstream in real_rebuild.UPSTREAM.items():
        assert key in err and upstream.repo in err and upstream.commit in err
    assert not (tmp_path / "out").exists()  # nothing written


def test_rebuild_documents_every_upstream_file():
    assert set(real_rebuild.BUILDERS) == set(FILES) == set(real_rebuild.NEEDS)
    needed = {k for keys in real_rebuild.NEEDS.values() for k in keys}
    assert needed == set(real_rebuild.UPSTREAM)
    for upstream in real_rebuild.UPSTREAM.values():
        assert len(upstream.commit) == 40 and "/" in upstream.repo
    with pytest.raises(real_rebuild.RebuildError, match="no real dataset"):
        real_rebuild.rebuild(REAL_DIR / "originals", REAL_DIR, only=["migrant_stocks"])


def test_rebuild_checks_fail_on_a_wrong_table():
    table = pd.read_csv(REAL_DIR / FILES["un_stocks_by_destination_2020"].file)
    table.loc[(table.location_code == 900) & (table.year == 2020), "migrant_stock"] += 1
    checks = real_rebuild.figure_checks("un_stocks_by_destination_2020", table)
    failed = [what for what, _, _, ok in checks if not ok]
    assert failed == ["World migrant stock, 2020"]
