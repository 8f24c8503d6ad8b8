"""The full-scale generator: synthetic data too large to bundle, as partitioned Parquet.

``python -m migrationlab data --scale small|moderate|full --out DIR`` calls
:func:`generate`. It streams one city or one month at a time to disk, so its memory does
not grow with the size asked for, and writes the layout that :mod:`migrationlab.scale`
reads (documented there): invented cities on a continental 100 m grid with planted
segregation levels, and invented daily passenger counts between real airports
(``airportsdata``, read by :func:`migrationlab_world.inputs.airports`, the same reader as
the bundled passengers'). Everything written here is synthetic. The cities follow the
recipe of :mod:`migrationlab_world.cities` and share its count columns
(:func:`~migrationlab_world.cities.pop_counts`) and weighted standardisation; their
smooth fields are a cheaper method of their own (:func:`_coarse_field`). All randomness
comes from the ``full_scale`` stream of :mod:`migrationlab_world.seeds`.

Examples
--------
>>> from migrationlab_world import fullscale
>>> manifest = fullscale.generate("/tmp/ml-small", "small", progress=False)   # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from migrationlab.scale import (
    CELL_M,
    GENERATOR,
    GRID_DIR,
    MANIFEST,
    PASSENGER_DIR,
    PRESETS,
    ScaleDataError,
    ScaleSizes,
    check_outside_repo,
)
from migrationlab_world import inputs, seeds
from migrationlab_world.cities import GROUPS, ORIGINS, pop_counts, standardise
from migrationlab_world.seeds import DEFAULT_SEED
from migrationlab_world.world import EU27

__all__ = ["generate"]

#: The census round of the grid cells.
CENSUS_YEAR = 2021

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
    sizes = _resolve_sizes(
        scale,
        cities=cities,
        grid_cells=grid_cells,
        passenger_rows=passenger_rows,
        first_year=first_year,
        last_year=last_year,
    )
    out = check_outside_repo(out, "the output folder")
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
    _write_parts(out, sizes, seed, manifest, progress)
    manifest["status"] = "complete"
    manifest["planted"] = {"grid": GRID, "traffic": TRAFFIC, "covid_factors": COVID_FACTORS}
    _write_manifest(out, manifest)
    return manifest


def _write_parts(out: Path, sizes: ScaleSizes, seed: int, manifest: dict, progress: bool) -> None:
    """The grid and the passenger records, each from its child of the ``full_scale`` stream.

    The part's stream (:func:`seeds.sequence`) spawns one child for the grid and one for
    the passengers; these spawn one child per city and per month.
    """
    from tqdm.auto import tqdm

    root = seeds.sequence(seed, "full_scale")
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


def _coarse_field(rng: np.random.Generator, side: int, length: int) -> np.ndarray:
    """A smooth Gaussian field on a side x side grid: coarse noise, bilinear upsampling.

    Not the bundled cities' field (``cities._smooth_field`` filters white noise at full
    resolution): this one is cheaper, the cost that matters for tens of millions of cells,
    with a correlation length of about ``length`` cells. Two methods, not two copies.
    """
    from scipy import ndimage

    coarse = rng.standard_normal((side // length + 3, side // length + 3))
    coarse = ndimage.gaussian_filter(coarse, 0.7, mode="reflect")
    return ndimage.zoom(coarse, length, order=1)[:side, :side].ravel()


def _city_cells(spec: _CitySpec, rng: np.random.Generator) -> pa.Table:
    """Residents by country-of-birth group in the populated cells of one invented city.

    The recipe of :mod:`migrationlab_world.cities`, made cheap enough for a continent:
    a density surface decides the built-up cells and their expected residents; each group
    has a log-normal share surface ``share * exp(sigma z - sigma^2 / 2)`` whose field ``z``
    mixes a city-wide arrival field (weight ``rho``) with a mix of a few base fields; cell
    counts are multinomial draws.
    """
    s, k = spec.side, spec.cells
    lengths = GRID["field_length_cells"]
    rows, cols = np.divmod(np.arange(s * s), s)
    r = np.hypot(cols + 0.5 - s / 2, rows + 0.5 - s / 2) / s
    noise = _coarse_field(rng, s, lengths["density"])
    density = np.exp(-r / GRID["centre_scale"] + GRID["density_noise_sd_log"] * noise / noise.std())
    cells = np.sort(np.argpartition(-density, k - 1)[:k])  # the k densest cells, row order
    lam = density[cells] * np.exp(GRID["cell_noise_sd_log"] * rng.standard_normal(k))
    mean_residents = float(np.clip(40 + 15 * math.log10(k / 1000), 30, 120))
    for _ in range(5):
        lam = np.minimum(lam * mean_residents * k / lam.sum(), GRID["max_residents_per_cell"])
    total = rng.poisson(lam)

    arrival = standardise(_coarse_field(rng, s, lengths["arrival"])[cells], lam)
    base = np.column_stack(
        [
            standardise(_coarse_field(rng, s, lengths["group"])[cells], lam)
            for _ in range(GRID["base_fields"])
        ]
    )
    weights = np.empty((k, len(GROUPS)))
    shares = _group_shares(spec, rng)
    for j, g in enumerate(GROUPS[1:], start=1):
        share, sigma, rho = shares[g]
        mix = rng.standard_normal(GRID["base_fields"])
        own = base @ (mix / np.linalg.norm(mix))  # about unit variance: a mix of unit fields
        z = standardise(rho * arrival + math.sqrt(1 - rho**2) * own, lam)
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
    columns.update({c: pa.array(v.astype(np.int32)) for c, v in pop_counts(counts).items()})
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
    """Real passenger airports with their ISO3 country (:func:`inputs.airports`)."""
    ap = inputs.airports()
    ap = ap[ap["passenger"]].dropna(subset=["iso3"]).reset_index(drop=True)
    return ap[["iata", "iso3", "lat", "lon"]]


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
