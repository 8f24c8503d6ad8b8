"""From sample to full scale: the course's analyses on full-size data with Dask and DuckDB.

The bundled data are sized for a laptop. Real census grids cover every city of a
continent at 100 m (tens of millions of cells by group of origin), and passenger or
phone records run to hundreds of millions of rows. This module runs the course's two
large analyses on full-size data stored as partitioned Parquet, with three engines that
return the same tables:

- :func:`segregation_indices`, the indices of every group in every city: pandas reads
  every cell into memory and calls :func:`migrationlab.indices.single_group_indices`
  once (the reference); Dask calls the same function in one task per city (partition);
  DuckDB computes the indices as two SQL aggregations over the Parquet files.
- :func:`passenger_totals`, monthly passengers per country pair and direction: pandas
  reads every row and groups it; DuckDB runs one SQL query over the files; Dask groups
  each partition and adds up the partial sums.

The course writes **synthetic** data of that size with
``python -m migrationlab data --scale small|moderate|full --out DIR`` (the generator is
``migrationlab_world.fullscale``, outside this package), in this layout::

    DIR/manifest.json                          sizes, seed, partitions and row counts
    DIR/cities.parquet                         one row per invented city (planted levels)
    DIR/grid_cells/city_id=<id>/part-0.parquet 100 m cells of one city (hive layout)
    DIR/passengers/year=<y>/month=<m>/part-0.parquet  daily airport-pair records

Grid cells have the columns of the bundled ``cities`` layer ``grid_cells``
(:func:`migrationlab.data.load_cities`): ``cell_id``, ``census_year`` and the ``pop_*``
counts by country-of-birth group, plus the cell centre (``easting_m``, ``northing_m``,
EPSG:3035) instead of a polygon. Passenger records extend the bundled ``air_passengers``
table (:func:`migrationlab.data.load_air_passengers`) to one row per airport pair, day
and direction: ``date``, ``reporting_airport``, ``partner_airport``, ``reporting_iso3``,
``partner_iso3``, ``direction`` and ``passengers``; summed by month they give exactly the
bundled table's layout. Real data in the same layout (the Eurostat census grid, national
100 m grids, Eurostat's airport-pair tables ``avia_par_*``) run through the same functions.

References
----------
Raasveldt, M. & Mühleisen, H. (2019). DuckDB: an embeddable analytical database.
*SIGMOD '19*, 1981-1984. https://doi.org/10.1145/3299869.3320212

Rocklin, M. (2015). Dask: parallel computation with blocked algorithms and task
scheduling. *Proceedings of the 14th Python in Science Conference*, 126-132.
https://doi.org/10.25080/Majora-7b98e3ed-013

Examples
--------
>>> from migrationlab import scale
>>> scale.segregation_indices("/tmp/ml-small", engine="dask").head()      # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from migrationlab import REPO_ROOT
from migrationlab import indices as ix

__all__ = [
    "PRESETS",
    "ScaleSizes",
    "SCALE_INDICES",
    "ENGINES",
    "ScaleDataError",
    "grid_folder",
    "passenger_folder",
    "segregation_indices",
    "passenger_totals",
    "passenger_totals_sql",
    "duckdb_connection",
    "annual_flow_log_ratio",
]

# ------------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class ScaleSizes:
    """What :func:`generate` writes.

    cities : number of invented cities in the continental grid
    grid_cells : populated 100 m cells over all cities (rows of ``grid_cells``)
    passenger_rows : about this many daily airport-pair records (rows of ``passengers``);
        the exact number is routes x days x 2 directions
    first_year, last_year : calendar years of the passenger records
    """

    cities: int
    grid_cells: int
    passenger_rows: int
    first_year: int
    last_year: int


#: Size presets of the generator: ``small`` for the tests (seconds), ``moderate`` for the
#: appendix notebook (a few seconds), ``full`` for the real thing (about 40 million cells of
#: 15 groups and 300 million passenger records: under 1 GB of Parquet, about 5 minutes on
#: two cores).
PRESETS: dict[str, ScaleSizes] = {
    "small": ScaleSizes(12, 15_000, 60_000, 2019, 2020),
    "moderate": ScaleSizes(100, 250_000, 1_500_000, 2018, 2021),
    "full": ScaleSizes(3_000, 40_000_000, 300_000_000, 2010, 2023),
}

#: Aspatial indices computed by every engine: each is a sum over cells given the city's
#: totals, so it splits into two aggregations (SQL) as well as into tasks (Dask). The Gini
#: index needs the cells of a city sorted by share and runs in the pandas and Dask
#: engines only (``indices=[..., "gini"]``).
SCALE_INDICES = (
    "dissimilarity",
    "isolation",
    "exposure",
    "correlation_ratio",
    "entropy",
    "atkinson",
)
#: Engines of each analysis.
ENGINES = {"segregation": ("pandas", "dask", "duckdb"), "passengers": ("pandas", "duckdb", "dask")}

#: Groups whose segregation the engines compute by default: every count column but the total.
BY = ("city_id", "census_year")
PASSENGER_KEYS = ("reporting_iso3", "partner_iso3", "year", "month", "direction")
CELL_M = 100
GRID_DIR = "grid_cells"
PASSENGER_DIR = "passengers"
MANIFEST = "manifest.json"
GENERATOR = "migrationlab_world.fullscale"


class ScaleDataError(ValueError):
    """A full-scale folder is missing, incomplete, in the wrong place or has a wrong schema."""


_FIX_GENERATE = (
    "Write the synthetic data with `python -m migrationlab data --scale small --out DIR` "
    "(a folder outside the repository), or point to a folder in the layout described in "
    "migrationlab.scale."
)

# ------------------------------------------------------------------------- output folder


def _inside_repo(path: Path) -> bool:
    return path == REPO_ROOT or REPO_ROOT in path.parents


def check_outside_repo(path: Path, what: str) -> Path:
    """``path`` resolved; :class:`ScaleDataError` if it lies inside the course repository."""
    resolved = Path(path).expanduser().resolve()
    if _inside_repo(resolved):
        raise ScaleDataError(
            f"{resolved}: {what} is inside the course repository ({REPO_ROOT}). Full-size "
            "data must never be committed or bundled with the course; choose a folder "
            "outside it, e.g. --out /tmp/migrationlab-full (or a data disk)."
        )
    return resolved


# ---------------------------------------------------------------------- reading, checks


#: Columns every grid-cell file must have, and the kind of their values.
GRID_SCHEMA = {"census_year": "integer", "pop_total": "integer"}
#: Columns every passenger file must have, and the kind of their values.
PASSENGER_SCHEMA = {
    "reporting_iso3": "string",
    "partner_iso3": "string",
    "direction": "string",
    "passengers": "integer",
}


def _kind(type_: pa.DataType) -> str:
    if pa.types.is_integer(type_):
        return "integer"
    if pa.types.is_floating(type_):
        return "number"
    if pa.types.is_string(type_) or pa.types.is_large_string(type_):
        return "string"
    if pa.types.is_dictionary(type_):
        return _kind(type_.value_type)
    return str(type_)


def _folder(path, sub: str) -> Path:
    path = Path(path).expanduser()
    if not path.exists():
        raise ScaleDataError(f"{path}: no such folder. {_FIX_GENERATE}")
    if not path.is_dir():
        raise ScaleDataError(f"{path} is a file; pass the folder of the partitioned data.")
    if (path / sub).is_dir():
        path = path / sub
    return path.resolve()


def grid_folder(path) -> Path:
    """The folder of grid-cell partitions (``path`` or ``path/grid_cells``), checked.

    Checks: the folder exists; it holds one hive-style folder ``city_id=<id>`` per city,
    each with at least one ``.parquet`` file; every file has the columns of
    :data:`GRID_SCHEMA` and integer counts; if a ``manifest.json`` of the generator is
    next to it, the generation finished and every partition it lists is there.
    """
    folder = _folder(path, GRID_DIR)
    _check_partitions(folder, ("city_id",), GRID_SCHEMA, "grid_cells")
    return folder


def passenger_folder(path) -> Path:
    """The folder of passenger partitions (``path`` or ``path/passengers``), checked.

    As :func:`grid_folder`, with partitions ``year=<y>/month=<m>``, the columns of
    :data:`PASSENGER_SCHEMA`, and no month missing between the first and the last.
    """
    folder = _folder(path, PASSENGER_DIR)
    parts = _check_partitions(folder, ("year", "month"), PASSENGER_SCHEMA, "passengers")
    try:
        months = sorted({(int(p["year"]), int(p["month"])) for p in parts})
    except ValueError as exc:
        raise ScaleDataError(
            f"{folder}: partition folders must be year=<YYYY>/month=<1-12> ({exc})."
        ) from exc
    (y0, m0), (y1, m1) = months[0], months[-1]
    expected = [(y, m) for y in range(y0, y1 + 1) for m in range(1, 13)]
    expected = [ym for ym in expected if (y0, m0) <= ym <= (y1, m1)]
    missing = sorted(set(expected) - set(months))
    if missing:
        shown = ", ".join(f"year={y}/month={m}" for y, m in missing[:5])
        raise ScaleDataError(
            f"{folder}: missing partitions {shown}{' …' if len(missing) > 5 else ''} "
            f"({len(missing)} month(s) between {y0}-{m0:02d} and {y1}-{m1:02d}). Totals over "
            "these months would be silently too low: restore the files, or regenerate "
            "the folder."
        )
    return folder


def _check_partitions(folder: Path, keys: tuple[str, ...], schema: dict, name: str) -> list:
    """Hive partitions of ``folder`` (list of dicts key -> value); raises ScaleDataError."""
    manifest = folder.parent / MANIFEST
    listed = None
    if manifest.is_file():
        info = json.loads(manifest.read_text(encoding="utf-8"))
        if info.get("generator") == GENERATOR:
            if info.get("status") != "complete":
                raise ScaleDataError(
                    f"{folder.parent}: the generation did not finish (manifest status "
                    f"{info.get('status')!r}); it was interrupted or is still running. Run "
                    "the data command again."
                )
            listed = info.get(name, {}).get("partitions")
    depth = len(keys)
    pattern = "/".join(["*"] * depth)
    parts = []
    for sub in sorted(p for p in folder.glob(pattern) if p.is_dir()):
        rel = sub.relative_to(folder).parts
        values = {}
        for key, part in zip(keys, rel, strict=True):
            k, sep, v = part.partition("=")
            if k != key or not sep or not v:
                raise ScaleDataError(
                    f"{sub}: expected hive-style partition folders "
                    f"{'/'.join(f'{k}=<value>' for k in keys)}, found {'/'.join(rel)!r}."
                )
            values[key] = v
        files = sorted(sub.glob("*.parquet"))
        if not files:
            raise ScaleDataError(
                f"{sub}: missing partition data (the folder holds no .parquet file). "
                "Restore the file or regenerate the folder."
            )
        for f in files:
            _check_schema(f, schema)
        parts.append({**values, "path": sub, "files": files})
    if not parts:
        raise ScaleDataError(
            f"{folder}: no partitions {'/'.join(f'{k}=...' for k in keys)} with .parquet files. "
            f"{_FIX_GENERATE}"
        )
    stray = [p for p in folder.rglob("*.parquet") if len(p.relative_to(folder).parts) != depth + 1]
    if stray:
        raise ScaleDataError(
            f"{stray[0]}: a Parquet file outside the partition folders "
            f"{'/'.join(f'{k}=...' for k in keys)}; move it into its partition or remove it."
        )
    if listed is not None:
        found = {"/".join(f"{k}={p[k]}" for k in keys) for p in parts}
        missing = sorted(set(listed) - found)
        if missing:
            raise ScaleDataError(
                f"{folder}: missing partitions {', '.join(missing[:5])}"
                f"{' …' if len(missing) > 5 else ''} ({len(missing)} of the {len(listed)} "
                f"listed in {manifest}). Restore them or regenerate the folder."
            )
    return parts


def _check_schema(path: Path, schema: dict) -> None:
    try:
        found = pq.read_schema(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise ScaleDataError(f"{path}: not a readable Parquet file ({exc}).") from exc
    kinds = {f.name: _kind(f.type) for f in found}
    for column, kind in schema.items():
        if column not in kinds:
            raise ScaleDataError(
                f"{path}: wrong schema, column {column!r} is missing; the file has "
                f"{list(kinds)}. Rename your columns to the layout of migrationlab.scale "
                f"(required: {list(schema)})."
            )
        if kinds[column] != kind:
            raise ScaleDataError(
                f"{path}: wrong schema, column {column!r} holds {kinds[column]} values, "
                f"expected {kind}. Cast it (e.g. pyarrow.compute.cast) before writing."
            )


def _group_columns(folder: Path, groups) -> list[str]:
    first = next(folder.glob("*/*.parquet"))
    fields = {f.name: _kind(f.type) for f in pq.read_schema(first)}
    if groups is None:
        # every count column but the total, in the file's order
        groups = [c for c in fields if c.startswith("pop_") and c != "pop_total"]
    groups = [groups] if isinstance(groups, str) else list(groups)
    for g in groups:
        if g not in fields:
            raise ScaleDataError(
                f"{first}: wrong schema, no group column {g!r}; the file has {list(fields)}."
            )
        if fields[g] not in ("integer", "number"):
            raise ScaleDataError(
                f"{first}: wrong schema, group column {g!r} holds {fields[g]} values, "
                "expected counts of residents."
            )
    if not groups:
        raise ScaleDataError(f"{first}: no pop_* group columns to compute indices for.")
    return groups


def _one_file_per_city(folder: Path) -> bool:
    return all(len(list(p.glob("*.parquet"))) == 1 for p in folder.glob("city_id=*"))


# ------------------------------------------------------------------ segregation indices


def segregation_indices(
    path,
    engine: str = "pandas",
    *,
    groups: Sequence[str] | None = None,
    indices: Sequence[str] = SCALE_INDICES,
    spatial_bandwidth_m: float | None = None,
    client=None,
    scheduler: str = "threads",
    memory_limit: str | None = None,
    threads: int | None = None,
) -> pd.DataFrame:
    """Segregation indices of every group in every city of a partitioned grid.

    Parameters
    ----------
    path : str or Path
        An output folder of :func:`generate`, or a folder of ``city_id=<id>/*.parquet``
        partitions with ``census_year``, ``pop_total`` and integer group counts.
    engine : {"pandas", "dask", "duckdb"}
        ``pandas`` reads every cell into memory, then calls
        :func:`migrationlab.indices.single_group_indices` once for all cities. ``dask``
        reads one city per task and calls the same function on it (memory: a few cities
        at a time). ``duckdb`` computes the city totals and the sums over cells of each
        index in SQL over the Parquet files (out of core).
    groups : sequence of str, optional
        Count columns to compare with everybody else; default every ``pop_*`` column but
        ``pop_total``.
    indices : sequence of str
        Names from :data:`migrationlab.indices.SINGLE_GROUP_INDICES`; default
        :data:`SCALE_INDICES`. ``gini`` is not available in DuckDB.
    spatial_bandwidth_m : float, optional
        Also compute :func:`migrationlab.indices.spatial_dissimilarity` per city with a
        triangular kernel of this bandwidth (m), from ``easting_m``/``northing_m``
        (pandas and Dask only).
    client : distributed.Client or str, optional
        Dask only: run on this cluster (a ``Client`` or a scheduler address such as
        ``"tcp://10.0.0.5:8786"``). Default: the threaded scheduler of this process.
    scheduler : {"threads", "processes", "synchronous"}
        Dask only, without ``client``.
    memory_limit, threads
        DuckDB only: see :func:`duckdb_connection`.

    Returns
    -------
    pandas.DataFrame
        One row per city, census year and group: ``city_id``, ``census_year``, ``group``,
        ``group_share`` and one column per index (0-1), sorted by city, year and the order
        of ``groups``. The engines agree exactly (pandas and Dask) or to 1e-12 (DuckDB,
        whose sums run in another order).
    """
    folder = grid_folder(path)
    groups = _group_columns(folder, groups)
    indices = list(indices)
    unknown = [i for i in indices if i not in ix.SINGLE_GROUP_INDICES]
    if unknown:
        raise ValueError(f"unknown index {unknown}; choose from {list(ix.SINGLE_GROUP_INDICES)}.")
    if engine == "pandas":
        cells = _read_cells_pandas(folder, groups, spatial_bandwidth_m is not None)
        out = _indices_of_cells(cells, groups, indices, spatial_bandwidth_m)
    elif engine == "dask":
        out = _indices_dask(folder, groups, indices, spatial_bandwidth_m, client, scheduler)
    elif engine == "duckdb":
        if spatial_bandwidth_m is not None or "gini" in indices:
            raise ValueError(
                "engine='duckdb' computes the indices that are sums over cells "
                f"({list(SCALE_INDICES)}); the Gini and spatial indices need all cells of a "
                "city at once: use engine='dask' (or 'pandas')."
            )
        out = _indices_duckdb(folder, groups, indices, memory_limit, threads)
    else:
        raise ValueError(f"unknown engine {engine!r}; choose from {ENGINES['segregation']}.")
    return _tidy_indices(out, groups)


def _cell_columns(groups, spatial: bool) -> list[str]:
    cols = ["census_year", "pop_total", *groups]
    return cols + (["easting_m", "northing_m"] if spatial else [])


def _read_cells_pandas(folder: Path, groups, spatial: bool) -> pd.DataFrame:
    cells = pd.read_parquet(folder, columns=["city_id", *_cell_columns(groups, spatial)])
    cells["city_id"] = cells["city_id"].astype(str).astype(object)
    return cells


def _indices_of_cells(cells: pd.DataFrame, groups, indices, bandwidth) -> pd.DataFrame:
    """Indices of every city in ``cells`` (one or many whole cities), tidy and unsorted."""
    cells = cells.assign(city_id=cells["city_id"].astype(str).astype(object))
    by = list(BY)
    out = ix.single_group_indices(cells, groups, "pop_total", by=by, indices=indices)
    if bandwidth is not None:
        sd = ix.spatial_dissimilarity(
            cells,
            groups,
            "pop_total",
            x="easting_m",
            y="northing_m",
            cell_size=CELL_M,
            bandwidth=bandwidth,
            by=by,
        )
        long = sd.reset_index().melt(id_vars=by, var_name="group", value_name="spatial")
        out = out.merge(long, on=[*by, "group"], how="left", validate="one_to_one")
        out = out.rename(columns={"spatial": "spatial_dissimilarity"})
    return out


def _meta(groups, indices, bandwidth) -> pd.DataFrame:
    cols = {
        "city_id": pd.Series(dtype=object),
        "census_year": pd.Series(dtype="int64"),
        "group": pd.Series(dtype=object),
        "group_share": pd.Series(dtype="float64"),
    }
    cols.update({i: pd.Series(dtype="float64") for i in indices})
    if bandwidth is not None:
        cols["spatial_dissimilarity"] = pd.Series(dtype="float64")
    return pd.DataFrame(cols)


def _indices_of_partition(part, groups, indices, bandwidth):
    if len(part) == 0:
        return _meta(groups, indices, bandwidth)
    out = _indices_of_cells(part, groups, indices, bandwidth)
    return out.astype({"census_year": "int64"})


#: Dask fuses small Parquet files into one partition until it holds at least this many
#: bytes (uncompressed Parquet; several times more as pandas objects), up to the square
#: root of the number of files. Its default, 75 MB, would put some 10 million passenger
#: records in one task at the largest sizes; 1 MiB keeps a task to about one month of
#: records or one city of cells (a file is never split), whatever the size of the dataset.
DASK_MIN_PARTITION_BYTES = 2**20


def _dask_config():
    import dask

    return dask.config.set({"dataframe.parquet.minimum-partition-size": DASK_MIN_PARTITION_BYTES})


def _dask_compute(collection, client, scheduler):
    """Compute on ``client`` (a distributed.Client or a scheduler address) or locally."""
    import dask

    if client is None:
        return dask.compute(collection, scheduler=scheduler)[0]
    if isinstance(client, str):
        from distributed import Client

        with Client(client) as connected:
            return connected.compute(collection).result()
    return client.compute(collection).result()


def _indices_dask(folder, groups, indices, bandwidth, client, scheduler) -> pd.DataFrame:
    import dask.dataframe as dd

    columns = ["city_id", *_cell_columns(groups, bandwidth is not None)]
    meta = _meta(groups, indices, bandwidth)
    with _dask_config():
        # One task per file (or a few small files fused), never part of a file: a city's
        # cells must all be in one partition to compute its indices.
        ddf = dd.read_parquet(folder, columns=columns, filesystem="arrow")
        if not _one_file_per_city(folder):
            ddf = ddf.shuffle(on="city_id")  # a city written as several files: gather it
        result = ddf.map_partitions(_indices_of_partition, groups, indices, bandwidth, meta=meta)
        return _dask_compute(result, client, scheduler)


def _indices_duckdb(folder, groups, indices, memory_limit, threads) -> pd.DataFrame:
    """The sums behind each index in SQL (two passes over the files), finished in NumPy."""
    need = set(indices)
    x = {g: f"x{j}" for j, g in enumerate(groups)}
    p = {g: f"(CASE WHEN t = 0 THEN 0.0 ELSE {x[g]} / t END)" for g in groups}
    sums = []
    for g in groups:
        j = groups.index(g)
        pj, P = p[g], f"c.city_p{j}"
        if "dissimilarity" in need:
            sums.append(f"SUM(t * abs({pj} - {P})) AS dis{j}")
        if need & {"isolation", "correlation_ratio"}:
            sums.append(f"SUM({x[g]} * {pj}) AS iso{j}")
        if "exposure" in need:
            sums.append(f"SUM({x[g]} * (1 - {pj})) AS exp{j}")
        if "entropy" in need:
            xlogx = (
                f"(CASE WHEN {pj} > 0 THEN {pj} * ln({pj}) ELSE 0 END"
                f" + CASE WHEN 1 - {pj} > 0 THEN (1 - {pj}) * ln(1 - {pj}) ELSE 0 END)"
            )
            sums.append(f"SUM(t * (c.city_e{j} + {xlogx})) AS ent{j}")
        if "atkinson" in need:
            sums.append(f"SUM(pow(1 - {pj}, 0.5) * pow({pj}, 0.5) * t) AS atk{j}")
    glob = (folder / "**" / "*.parquet").as_posix().replace("'", "''")
    cast = ", ".join(f"CAST({g} AS DOUBLE) AS {x[g]}" for g in groups)
    city_sums = ", ".join(f"SUM({x[g]}) AS city_x{j}" for j, g in enumerate(groups))
    shares = ", ".join(
        f"city_x{j} / city_t AS city_p{j}, -(city_x{j} / city_t * ln(city_x{j} / city_t) "
        f"+ (1 - city_x{j} / city_t) * ln(1 - city_x{j} / city_t)) AS city_e{j}"
        for j in range(len(groups))
    )
    cells = f"""
        SELECT CAST(city_id AS VARCHAR) AS city_id,
               CAST(census_year AS BIGINT) AS census_year,
               CAST(pop_total AS DOUBLE) AS t, {cast}
        FROM read_parquet('{glob}', hive_partitioning = true)"""
    with duckdb_connection(memory_limit, threads) as con:
        # First pass: the totals of each city (a small table, kept in memory).
        totals = con.sql(
            f"SELECT city_id, census_year, SUM(t) AS city_t, {city_sums} "
            f"FROM ({cells}) GROUP BY city_id, census_year"
        ).df()
        # Second pass: the sums over cells given the city shares; the join's hash table is
        # built on the small table of cities, so the cells stream through.
        con.register("city", totals)
        cell_sums = con.sql(
            f"SELECT city_id, census_year, {', '.join(sums)} "
            f"FROM ({cells}) JOIN (SELECT *, {shares} FROM city) AS c "
            "USING (city_id, census_year) GROUP BY city_id, census_year"
        ).df()
    merged = totals.merge(cell_sums, on=list(BY), validate="one_to_one")
    frames = []
    with np.errstate(divide="ignore", invalid="ignore"):
        T = merged["city_t"].to_numpy(float)
        for j, g in enumerate(groups):
            X = merged[f"city_x{j}"].to_numpy(float)
            P = X / T
            cols = {"group_share": X / T}
            if "dissimilarity" in need:
                cols["dissimilarity"] = merged[f"dis{j}"].to_numpy() / (2 * T * P * (1 - P))
            if need & {"isolation", "correlation_ratio"}:
                iso = merged[f"iso{j}"].to_numpy() / X
                if "isolation" in need:
                    cols["isolation"] = iso
            if "exposure" in need:
                cols["exposure"] = merged[f"exp{j}"].to_numpy() / X
            if "correlation_ratio" in need:
                cols["correlation_ratio"] = (iso - P) / (1 - P)
            if "entropy" in need:
                E = -(P * np.log(P) + (1 - P) * np.log(1 - P))
                cols["entropy"] = merged[f"ent{j}"].to_numpy() / (E * T)
            if "atkinson" in need:
                s = merged[f"atk{j}"].to_numpy()
                cols["atkinson"] = 1 - (P / (1 - P)) * np.abs(s / (P * T)) ** 2
            frame = pd.DataFrame(cols)
            frame.insert(0, "group", g)
            frames.append(pd.concat([merged[list(BY)], frame], axis=1))
    out = pd.concat(frames, ignore_index=True)
    return out[["city_id", "census_year", "group", "group_share", *indices]]


def _tidy_indices(out: pd.DataFrame, groups) -> pd.DataFrame:
    out = out.astype({"city_id": object, "census_year": "int64", "group": object})
    order = pd.Categorical(out["group"], categories=list(groups), ordered=True)
    out = out.assign(_g=order).sort_values(["city_id", "census_year", "_g"], kind="stable")
    return out.drop(columns="_g").reset_index(drop=True)


# ------------------------------------------------------------------- passenger totals


def passenger_totals_sql(path) -> str:
    """The DuckDB query of :func:`passenger_totals`: monthly passengers per country pair."""
    folder = Path(path)
    if (folder / PASSENGER_DIR).is_dir():
        folder = folder / PASSENGER_DIR
    glob = (folder / "**" / "*.parquet").as_posix().replace("'", "''")
    return (
        "SELECT reporting_iso3, partner_iso3,\n"
        "       CAST(year AS BIGINT) AS year, CAST(month AS BIGINT) AS month, direction,\n"
        "       CAST(SUM(passengers) AS BIGINT) AS passengers\n"
        f"FROM read_parquet('{glob}', hive_partitioning = true)\n"
        "GROUP BY ALL\n"
        "ORDER BY ALL"
    )


def passenger_totals(
    path,
    engine: str = "pandas",
    *,
    client=None,
    scheduler: str = "threads",
    memory_limit: str | None = None,
    threads: int | None = None,
) -> pd.DataFrame:
    """Monthly passengers per reporting country, partner country and direction.

    The daily airport-pair records summed to the layout of the bundled ``air_passengers``
    table, the input of the flow log ratio (:func:`annual_flow_log_ratio`).

    Parameters
    ----------
    path : str or Path
        An output folder of :func:`generate`, or a folder of ``year=<y>/month=<m>/*.parquet``
        partitions with ``reporting_iso3``, ``partner_iso3``, ``direction`` and integer
        ``passengers``.
    engine : {"pandas", "duckdb", "dask"}
        ``pandas`` reads the needed columns of every row into memory and groups them;
        ``duckdb`` runs :func:`passenger_totals_sql` over the files (out of core, spills to
        disk past ``memory_limit``); ``dask`` groups each partition and combines the sums.
    client, scheduler
        Dask only: a ``distributed.Client`` or scheduler address; else the local scheduler.
    memory_limit, threads
        DuckDB only: see :func:`duckdb_connection`.

    Returns
    -------
    pandas.DataFrame
        Columns ``reporting_iso3``, ``partner_iso3``, ``year``, ``month``, ``direction``,
        ``passengers`` (int64, passengers per month), sorted by the first five. Sums of
        integers: every engine gives exactly the same table.
    """
    folder = passenger_folder(path)
    columns = ["reporting_iso3", "partner_iso3", "direction", "passengers", "year", "month"]
    if engine == "pandas":
        rows = pd.read_parquet(folder, columns=columns)
        rows = rows.astype({"year": "int64", "month": "int64"})
        out = rows.groupby(list(PASSENGER_KEYS), sort=False)["passengers"].sum().reset_index()
    elif engine == "duckdb":
        with duckdb_connection(memory_limit, threads) as con:
            out = con.sql(passenger_totals_sql(folder)).df()
    elif engine == "dask":
        import dask.dataframe as dd

        with _dask_config():
            ddf = dd.read_parquet(folder, columns=columns, filesystem="arrow")
            ddf = ddf.astype({"year": "int64", "month": "int64", "passengers": "int64"})
            # split_out=1: a tree of partial sums. Left to itself, Dask may choose a
            # shuffle, which moves every partial sum through disk and memory.
            keys = list(PASSENGER_KEYS)
            summed = ddf.groupby(keys, sort=False)["passengers"].sum(split_out=1)
            out = _dask_compute(summed, client, scheduler).reset_index()
    else:
        raise ValueError(f"unknown engine {engine!r}; choose from {ENGINES['passengers']}.")
    return _tidy_passengers(out)


def _tidy_passengers(out: pd.DataFrame) -> pd.DataFrame:
    out = out.astype(
        {
            "reporting_iso3": object,
            "partner_iso3": object,
            "year": "int64",
            "month": "int64",
            "direction": object,
            "passengers": "int64",
        }
    )
    out = out[[*PASSENGER_KEYS, "passengers"]]
    return out.sort_values(list(PASSENGER_KEYS), kind="stable").reset_index(drop=True)


def annual_flow_log_ratio(monthly: pd.DataFrame) -> pd.DataFrame:
    """Yearly arrivals, departures and flow log ratio log2(arrivals / departures) per pair.

    ``monthly`` in the layout of :func:`passenger_totals` (or of ``load_air_passengers``);
    the ratio is :func:`migrationlab.mobility.flow_log_ratio` (Pollacci, Sirbu & Iacus
    2023), NaN where a direction has no passengers in the year.
    """
    from migrationlab.mobility import flow_log_ratio

    yearly = monthly.pivot_table(
        index=["reporting_iso3", "partner_iso3", "year"],
        columns="direction",
        values="passengers",
        aggfunc="sum",
        fill_value=0,
    ).reindex(columns=["arrivals", "departures"], fill_value=0)
    yearly.columns.name = None
    yearly["flow_log_ratio"] = flow_log_ratio(yearly["arrivals"], yearly["departures"])
    return yearly.reset_index()


# -------------------------------------------------------------------------------- DuckDB


class _Connection:
    def __init__(self, con, spill=None):
        self.con = con
        self.spill = spill  # a TemporaryDirectory of ours, removed with the connection

    def __enter__(self):
        return self.con

    def __exit__(self, *exc):
        self.con.close()
        if self.spill is not None:
            self.spill.cleanup()


def duckdb_connection(
    memory_limit: str | None = None,
    threads: int | None = None,
    temp_directory=None,
):
    """An in-memory DuckDB connection with a memory cap, a thread count and a spill folder.

    Parameters
    ----------
    memory_limit : str, optional
        DuckDB's ``memory_limit`` (e.g. ``"1GB"``): past it, large aggregations spill to
        ``temp_directory`` instead of failing. Default: DuckDB's own (80 % of the RAM).
    threads : int, optional
        Worker threads (default: one per core).
    temp_directory : str or Path, optional
        Spill folder; default a new ``migrationlab-duckdb-*`` folder in the system's
        temporary directory, removed when the connection closes (one per connection, so
        that processes running at the same time do not share spill files). DuckDB's own
        default (``.tmp`` in the working directory) would put gigabytes into the course
        repository, so folders inside it are refused.

    Returns
    -------
    A context manager yielding a ``duckdb.DuckDBPyConnection``; closed on exit.
    """
    import duckdb

    if memory_limit is not None and not re.fullmatch(
        r"\s*\d+(\.\d+)?\s*[KMGT]i?B\s*", str(memory_limit)
    ):
        raise ValueError(f"memory_limit {memory_limit!r}: give a size such as '512MB' or '2GB'.")
    spill = None
    if temp_directory is None:
        spill = tempfile.TemporaryDirectory(prefix="migrationlab-duckdb-")
        temp_directory = spill.name
    temp = check_outside_repo(Path(temp_directory), "the DuckDB spill folder")
    con = duckdb.connect(":memory:")
    con.execute(f"SET temp_directory = '{temp.as_posix()}'")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")  # it writes to the terminal (stderr)
    if memory_limit is not None:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    if threads is not None:
        con.execute(f"SET threads = {int(threads)}")
    return _Connection(con, spill)
