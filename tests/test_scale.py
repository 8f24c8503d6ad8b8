"""Tests of the full-scale path (migrationlab.scale) on the ``small`` preset, in seconds.

The Dask and DuckDB engines must give the in-memory pandas results: exactly for the sums
of passengers and for Dask's segregation indices (the same function on the same cells),
to 1e-12 for DuckDB's indices (its sums of floats run in another order). Memory and time
at full size are a benchmark matter (benchmarks/bench_scale.py), not a test.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from coursekit import cli
from migrationlab import REPO_ROOT, scale
from migrationlab.indices import single_group_indices
from migrationlab_world import fullscale
from migrationlab_world.cities import POP_COLUMNS
from migrationlab_world.world import EU27

FLOAT_TOL = {"check_exact": False, "rtol": 1e-12, "atol": 1e-12}
#: Smaller than ``small``, for the tests that write their own copy.
TINY = {
    "cities": 3,
    "grid_cells": 1_500,
    "passenger_rows": 4_000,
    "first_year": 2020,
    "last_year": 2020,
}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scale") / "small"
    fullscale.generate(out, "small", progress=False)
    return out


@pytest.fixture(scope="module")
def indices_pandas(small) -> pd.DataFrame:
    return scale.segregation_indices(small, engine="pandas")


@pytest.fixture(scope="module")
def totals_pandas(small) -> pd.DataFrame:
    return scale.passenger_totals(small, engine="pandas")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# ------------------------------------------------------------------------------ generator


def test_generator_writes_the_hive_layout_and_a_complete_manifest(small):
    manifest = json.loads((small / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["synthetic"] is True
    sizes = scale.PRESETS["small"]
    assert manifest["grid_cells"]["rows"] == sizes.grid_cells
    city_dirs = sorted((small / "grid_cells").glob("city_id=*"))
    assert len(city_dirs) == sizes.cities
    assert all([p.name for p in d.iterdir()] == ["part-0.parquet"] for d in city_dirs)
    months = sorted((small / "passengers").glob("year=*/month=*"))
    assert len(months) == 12 * (sizes.last_year - sizes.first_year + 1)
    rows = sum(pq.ParquetFile(next(m.glob("*.parquet"))).metadata.num_rows for m in months)
    assert rows == manifest["passengers"]["rows"]
    assert abs(rows - sizes.passenger_rows) / sizes.passenger_rows < 0.01
    assert set(manifest["passengers"]["partitions"].values()) <= {
        manifest["passengers"]["routes"] * days * 2 for days in (28, 29, 30, 31)
    }


def test_grid_cells_have_the_columns_and_arithmetic_of_the_bundled_grid(small):
    cells = pd.read_parquet(small / "grid_cells")
    for column in ("cell_id", "census_year", *POP_COLUMNS):
        assert column in cells.columns
    assert (cells["census_year"] == 2021).all()
    assert cells["cell_id"].str.fullmatch(r"100mN\d+E\d+").all()
    assert not cells["cell_id"].duplicated().any(), "cities overlap on the grid"
    origins = [c for c in POP_COLUMNS if c.startswith("pop_born_")]
    assert (cells["pop_non_eu_born"] == cells[origins].sum(axis=1)).all()
    assert (cells["pop_foreign_born"] == cells["pop_eu_born"] + cells["pop_non_eu_born"]).all()
    assert (cells["pop_total"] == cells["pop_native"] + cells["pop_foreign_born"]).all()
    assert ((cells["easting_m"] - 50) % 100 == 0).all()
    cities = pd.read_parquet(small / "cities.parquet")
    assert cities["cells"].sum() == len(cells)
    assert cities["planted_segregation_level"].between(0.4, 2.4).all()


def test_passenger_records_extend_the_bundled_table(small):
    rows = pd.read_parquet(small / "passengers" / "year=2020" / "month=4")
    expected = {"reporting_iso3", "partner_iso3", "direction", "passengers"}
    assert expected | {"date", "reporting_airport", "partner_airport"} == set(rows.columns)
    assert set(rows["direction"]) == {"arrivals", "departures"}
    assert rows["reporting_iso3"].isin(EU27).all()
    assert rows["passengers"].min() >= 0
    assert pd.to_datetime(rows["date"]).dt.month.eq(4).all()
    assert rows["reporting_iso3"].map(type).eq(str).all(), "strings, not dictionary columns"


def test_same_seed_same_files_and_another_seed_other_files(tmp_path):
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    fullscale.generate(first, "small", seed=7, progress=False, **TINY)
    fullscale.generate(second, "small", seed=7, progress=False, **TINY)
    fullscale.generate(other, "small", seed=8, progress=False, **TINY)
    assert _files(first) == _files(second)
    a, c = _files(first), _files(other)
    assert a.keys() != c.keys() or any(a[k] != c[k] for k in a)


def test_rerun_replaces_an_earlier_output_of_the_generator(tmp_path):
    out = tmp_path / "again"
    fullscale.generate(out, "small", progress=False, **TINY)
    manifest = fullscale.generate(out, "small", progress=False, **{**TINY, "grid_cells": 0})
    assert "grid_cells" not in manifest
    assert not (out / "grid_cells").exists()


# ------------------------------------------------------------------------------ engines


def test_dask_indices_are_exactly_the_pandas_ones(small, indices_pandas):
    dask = scale.segregation_indices(small, engine="dask")
    pd.testing.assert_frame_equal(dask, indices_pandas, check_exact=True)


def test_duckdb_indices_equal_the_pandas_ones_to_1e12(small, indices_pandas):
    duck = scale.segregation_indices(small, engine="duckdb", memory_limit="256MB", threads=1)
    pd.testing.assert_frame_equal(duck, indices_pandas, **FLOAT_TOL)
    assert indices_pandas["dissimilarity"].notna().sum() > 100


def test_pandas_path_equals_one_call_per_city(small, indices_pandas):
    city = indices_pandas["city_id"].iloc[0]
    cells = pd.read_parquet(small / "grid_cells" / f"city_id={city}")
    groups = [c for c in POP_COLUMNS if c != "pop_total"]
    alone = single_group_indices(
        cells, groups, "pop_total", by="census_year", indices=scale.SCALE_INDICES
    )
    first = indices_pandas[indices_pandas["city_id"] == city]
    pd.testing.assert_frame_equal(
        first.drop(columns="city_id").reset_index(drop=True),
        alone.astype({"census_year": "int64"}),
        check_exact=True,
    )


def test_gini_and_spatial_dissimilarity_in_pandas_and_dask(small):
    kw = {
        "groups": ["pop_non_eu_born", "pop_born_mar"],
        "indices": ["dissimilarity", "gini"],
        "spatial_bandwidth_m": 300.0,
    }
    ours = scale.segregation_indices(small, engine="pandas", **kw)
    pd.testing.assert_frame_equal(scale.segregation_indices(small, engine="dask", **kw), ours)
    present = ours.dropna(subset=["dissimilarity"])
    assert (present["spatial_dissimilarity"] <= present["dissimilarity"] + 1e-12).all()
    with pytest.raises(ValueError, match="engine='dask'"):
        scale.segregation_indices(small, engine="duckdb", **kw)


def test_passenger_totals_are_identical_in_the_three_engines(small, totals_pandas):
    for engine in ("duckdb", "dask"):
        other = scale.passenger_totals(small, engine=engine, memory_limit=None, threads=2)
        pd.testing.assert_frame_equal(other, totals_pandas, check_exact=True)
    every_row = pq.read_table(small / "passengers", columns=["passengers"])["passengers"]
    assert totals_pandas["passengers"].sum() == pa.compute.sum(every_row).as_py()
    assert list(totals_pandas.columns) == [*scale.PASSENGER_KEYS, "passengers"]


def test_annual_flow_log_ratio_of_the_totals(totals_pandas):
    flr = scale.annual_flow_log_ratio(totals_pandas)
    row = flr.iloc[0]
    assert row["flow_log_ratio"] == pytest.approx(np.log2(row["arrivals"] / row["departures"]))
    assert flr["flow_log_ratio"].abs().max() < 0.5


def test_a_city_written_as_several_files_is_gathered_by_dask(small, indices_pandas, tmp_path):
    copy = tmp_path / "grid_cells"
    shutil.copytree(small / "grid_cells", copy)
    folder = sorted(copy.glob("city_id=*"))[0]
    table = pq.read_table(folder / "part-0.parquet")
    half = table.num_rows // 2
    pq.write_table(table.slice(0, half), folder / "part-0.parquet")
    pq.write_table(table.slice(half), folder / "part-1.parquet")
    pd.testing.assert_frame_equal(scale.segregation_indices(copy), indices_pandas)
    pd.testing.assert_frame_equal(
        scale.segregation_indices(copy, engine="dask"), indices_pandas, **FLOAT_TOL
    )


def test_dask_runs_on_a_distributed_cluster_by_client_or_address(
    small, indices_pandas, totals_pandas
):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        with distributed.Client(cluster) as client:
            got = scale.segregation_indices(small, engine="dask", client=client)
            pd.testing.assert_frame_equal(got, indices_pandas, check_exact=True)
        got = scale.passenger_totals(small, engine="dask", client=cluster.scheduler_address)
        pd.testing.assert_frame_equal(got, totals_pandas, check_exact=True)


def test_duckdb_connection_applies_its_settings():
    with scale.duckdb_connection("300MB", threads=1) as con:
        limit, threads, temp = con.execute(
            "SELECT current_setting('memory_limit'), current_setting('threads'), "
            "current_setting('temp_directory')"
        ).fetchone()
    assert threads == 1 and limit.startswith("286") and "migrationlab-duckdb" in temp
    with pytest.raises(ValueError, match="512MB"):
        scale.duckdb_connection("a lot")
    with pytest.raises(scale.ScaleDataError, match="inside the course repository"):
        scale.duckdb_connection(temp_directory=REPO_ROOT / ".tmp")


# -------------------------------------------------------------------------------- errors


def test_output_inside_the_repository_is_refused():
    target = REPO_ROOT / "_build" / "scale-must-not-exist"
    with pytest.raises(scale.ScaleDataError, match="inside the course repository"):
        fullscale.generate(target, "small", progress=False)
    assert not target.exists()


def test_not_enough_disk_space_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(
        fullscale.shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(1, 1, 10)
    )
    with pytest.raises(scale.ScaleDataError, match="not enough disk space.*--scale moderate"):
        fullscale.generate(tmp_path / "full", "full", progress=False)
    assert not (tmp_path / "full").exists()


def test_a_folder_of_other_files_is_not_overwritten(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(scale.ScaleDataError, match="not empty"):
        fullscale.generate(tmp_path, "small", progress=False, **TINY)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_bad_sizes_say_what_to_change():
    with pytest.raises(ValueError, match="choose one of"):
        fullscale.generate("/tmp/never", "huge")
    with pytest.raises(ValueError, match="more cities"):
        fullscale.generate("/tmp/never", "small", cities=1, grid_cells=10_000_000)
    with pytest.raises(ValueError, match=">= 0"):
        fullscale.generate("/tmp/never", "small", passenger_rows=-5)
    with pytest.raises(ValueError, match="first year"):
        fullscale.generate("/tmp/never", "small", first_year=2021, last_year=2019)


def test_missing_folder_names_the_command(tmp_path):
    with pytest.raises(scale.ScaleDataError, match="no such folder.*--scale small"):
        scale.segregation_indices(tmp_path / "nothing")
    with pytest.raises(scale.ScaleDataError, match="no partitions"):
        scale.passenger_totals(tmp_path)


def _copy(small, tmp_path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(small, copy)
    return copy


def test_a_missing_month_is_reported(small, tmp_path):
    copy = _copy(small, tmp_path)
    shutil.rmtree(copy / "passengers" / "year=2019" / "month=3")
    with pytest.raises(
        scale.ScaleDataError, match=r"missing partitions year=2019/month=3.*manifest"
    ):
        scale.passenger_totals(copy, engine="duckdb")
    (copy / "manifest.json").unlink()  # real data have no manifest: a gap between months
    with pytest.raises(scale.ScaleDataError, match=r"missing partitions year=2019/month=3 \(1 mo"):
        scale.passenger_totals(copy, engine="duckdb")


def test_a_city_missing_from_the_manifest_or_empty_is_reported(small, tmp_path):
    copy = _copy(small, tmp_path)
    cities = sorted((copy / "grid_cells").glob("city_id=*"))
    shutil.rmtree(cities[0])
    with pytest.raises(scale.ScaleDataError, match="missing partitions.*manifest"):
        scale.segregation_indices(copy, engine="dask")
    (cities[1] / "part-0.parquet").unlink()
    with pytest.raises(scale.ScaleDataError, match="holds no .parquet file"):
        scale.segregation_indices(copy)


def test_an_interrupted_generation_is_reported(small, tmp_path):
    copy = _copy(small, tmp_path)
    manifest = json.loads((copy / "manifest.json").read_text())
    (copy / "manifest.json").write_text(json.dumps({**manifest, "status": "writing"}))
    with pytest.raises(scale.ScaleDataError, match="did not finish"):
        scale.passenger_totals(copy)


def test_wrong_schema_names_file_and_column(small, tmp_path):
    copy = _copy(small, tmp_path)
    month = copy / "passengers" / "year=2020" / "month=5" / "part-0.parquet"
    table = pq.read_table(month)
    as_text = table.set_column(
        table.schema.get_field_index("passengers"),
        "passengers",
        pa.compute.cast(table["passengers"], pa.string()),
    )
    pq.write_table(as_text, month)
    with pytest.raises(scale.ScaleDataError, match=r"month=5.*'passengers' holds string"):
        scale.passenger_totals(copy, engine="duckdb")
    city = next((copy / "grid_cells").glob("city_id=*/part-0.parquet"))
    pq.write_table(pq.read_table(city).drop_columns(["pop_total"]), city)
    with pytest.raises(scale.ScaleDataError, match=r"city_id=.*'pop_total' is missing"):
        scale.segregation_indices(copy, engine="dask")
    with pytest.raises(scale.ScaleDataError, match="no group column 'pop_born_xyz'"):
        scale.segregation_indices(small, groups=["pop_born_xyz"])


def test_unknown_engine_is_refused(small):
    with pytest.raises(ValueError, match="unknown engine 'spark'"):
        scale.passenger_totals(small, engine="spark")
    with pytest.raises(ValueError, match="unknown engine 'spark'"):
        scale.segregation_indices(small, engine="spark")
    with pytest.raises(ValueError, match="unknown index"):
        scale.segregation_indices(small, indices=["theil"])


# ----------------------------------------------------------------------------------- CLI


def test_cli_data_scale_writes_outside_the_repository(tmp_path, capsys):
    out = tmp_path / "cli"
    args = ["data", "--scale", "small", "--out", str(out), "--quiet", "--cities", "3"]
    args += ["--grid-cells", "1500", "--passenger-rows", "4000", "--years", "2020"]
    assert cli.main(args) == 0
    assert "1,500 grid cells" in capsys.readouterr().out
    assert json.loads((out / "manifest.json").read_text())["sizes"]["first_year"] == 2020


def test_cli_data_scale_errors_are_messages_not_tracebacks():
    with pytest.raises(SystemExit, match="--out"):
        cli.main(["data", "--scale", "small"])
    with pytest.raises(SystemExit, match="inside the course repository"):
        cli.main(["data", "--scale", "small", "--out", str(REPO_ROOT / "_build" / "x")])
    with pytest.raises(SystemExit, match="only for full-size data"):
        cli.main(["data", "--grid-cells", "10"])


def test_cli_without_scale_is_the_bundled_data_command():
    parser = cli.build_parser()
    args = parser.parse_args(["data", "--seed", "3"])
    assert args.func is cli.data_command and args.scale is None and args.out is None
    for preset in scale.PRESETS:
        assert parser.parse_args(["data", "--scale", preset]).scale == preset
    with pytest.raises(SystemExit):
        parser.parse_args(["data", "--scale", "huge"])
