"""Invented cities seen by census grids, district statistics and mobile-phone records.

Six invented cities in real EU member states (``cities.gpkg``, EPSG:3035):

- ``grid_cells``: residents of each populated 100 m cell by country-of-birth group at the
  censuses of 2011 and 2021, in the style of the JRC "Data for Integration" (D4I) grids
  and of national census grids;
- ``districts``: 10-25 districts per city, each a union of whole grid cells (so district
  counts are exactly the sums of their cells), with a housing price and the result of a
  municipal election related to the district's composition by planted coefficients;
- ``cities``: one row per city with its planted segregation level.

``phone_activity.csv.gz`` imitates call-detail-record aggregates of one mobile operator:
SIM cards calling, and calls made, to each origin country from each 1 km antenna cell,
yearly from 2012 to 2020, with small counts suppressed.

How the residents are placed
----------------------------
Each city has a density surface (a main centre, two sub-centres and smooth noise); the
cells above a quantile form the built-up footprint, and cell totals are Poisson draws
around it. Groups are placed with log-normal share surfaces: in cell ``i`` the weight of
group ``g`` is ``share_g * exp(sigma_g * Z_g(i) - sigma_g**2 / 2)`` against a constant
weight for natives, where ``Z_g`` is a smooth Gaussian field mixing a city-wide
"arrival neighbourhood" field (correlation ``rho_g``) with a field of the group's own,
turned into normal scores over residents (so that a planted ``sigma_g`` means the same in
every city and for every seed). Cell counts are multinomial draws from these weights.
``sigma_g`` is the city's planted segregation level times a group multiplier; for a large
group it implies a dissimilarity against natives of ``erf(sigma_g / (2 sqrt 2))`` (the
log-normal limit).
Small groups in cells of a few dozen residents score higher than that limit: the
small-unit bias of the dissimilarity index, left in on purpose.

Everything is synthetic. Names of cities are invented so that no pattern is ever read as
a fact about a real neighbourhood; their host countries and origin countries are real.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from scipy import ndimage, special
from tqdm.auto import tqdm

from migrationlab_world._io import Resource, calibration_row, datasheet
from migrationlab_world.world import World

__all__ = ["generate_cities", "CENSUS_YEARS", "PHONE_YEARS", "ORIGINS"]

#: Side of a census grid cell and of an antenna cell, metres (EPSG:3035).
CELL_M = 100
ANTENNA_M = 1000
_PER_ANTENNA = ANTENNA_M // CELL_M
CENSUS_YEARS = (2011, 2021)
PHONE_YEARS = tuple(range(2012, 2021))
#: Non-EU countries of birth tabulated separately in every city's census grid.
ORIGINS = ("ALB", "CHN", "COL", "DZA", "IND", "IRQ", "MAR", "SEN", "SOM", "SYR", "TUR", "UKR")
#: Country-of-birth groups, in the order of the count columns.
GROUPS = ("native", "eu_born", *ORIGINS, "other_non_eu")


def pop_column(group: str) -> str:
    """The count column of a country-of-birth group (one of :data:`GROUPS`)."""
    if group in ("native", "eu_born"):
        return f"pop_{group}"
    if group == "other_non_eu":
        return "pop_born_other_non_eu"
    return f"pop_born_{group.lower()}"


POP_COLUMNS = (
    "pop_total",
    "pop_native",
    "pop_foreign_born",
    "pop_eu_born",
    "pop_non_eu_born",
    *(pop_column(o) for o in ORIGINS),
    "pop_born_other_non_eu",
)


@dataclass(frozen=True)
class _Group:
    """A non-EU origin group of one city.

    share_pct : percent of the city's residents at the 2011 and 2021 censuses
    clustering : multiplier of the city's segregation level in 2011 and 2021
    arrival_year : midpoint of a logistic arrival between the censuses (None: linear)
    """

    share_pct: tuple[float, float]
    clustering: tuple[float, float] = (1.0, 1.0)
    arrival_year: float | None = None


@dataclass(frozen=True)
class _City:
    city_id: str
    name: str
    host_iso3: str
    lon: float  # degrees east, WGS 84: a plausible place in the host country
    lat: float
    cells_per_side: int
    population: tuple[int, int]  # residents, 2011 and 2021
    segregation_level: float  # sigma of a typical non-EU group's log share surface
    districts: int
    eu_born_pct: tuple[float, float]
    other_non_eu_pct: tuple[float, float]
    origins: dict  # ISO3 -> _Group: the city's main non-EU groups
    naturalised_share: float  # share of foreign-born residents who may vote
    price_eur_per_m2: tuple[float, float]  # housing price at the centre, no migrants
    vote_logit: tuple[float, float]  # natives' baseline support, logit, per election
    turnout_logit: tuple[float, float]  # natives' baseline turnout, logit, per election


#: The six cities, from the smallest (most segregated) to the largest (least segregated):
#: segregation is planted higher in smaller cities, and higher in the two southern cities
#: than in the larger western and northern ones (Benassi et al. 2020).
CITIES = (
    _City(
        "zielomierz", "Zielomierz", "POL", 18.55, 51.95, 50, (61_000, 59_000), 2.00, 10,
        (0.3, 0.4), (0.4, 0.6),
        {
            "UKR": _Group((0.5, 4.0), (1.0, 1.0), arrival_year=2016.5),
            "IND": _Group((0.15, 0.4)),
            "CHN": _Group((0.1, 0.25), (1.1, 1.1)),
        },
        0.30, (900, 1350), (-1.0, -0.7), (0.0, 0.3),
    ),
    _City(
        "corvanello", "Corvanello", "ITA", 16.05, 40.95, 60, (82_000, 84_000), 1.90, 12,
        (2.2, 3.0), (1.0, 1.3),
        {
            "MAR": _Group((1.4, 1.6)),
            "ALB": _Group((1.1, 1.3)),
            "CHN": _Group((0.5, 0.8), (1.1, 1.1)),
            "SEN": _Group((0.4, 0.6), (1.15, 1.15)),
            # Care workers who live in their employers' homes: spread out.
            "UKR": _Group((0.5, 0.9), (0.6, 0.6)),
        },
        0.25, (1350, 1250), (-1.4, -0.9), (0.6, 0.4),
    ),
    _City(
        "ruvilleda", "Ruvilleda", "ESP", -3.30, 38.95, 70, (150_000, 158_000), 1.60, 15,
        (3.2, 3.4), (2.0, 2.6),
        {
            "MAR": _Group((3.0, 3.4)),
            "COL": _Group((1.2, 1.7), (0.8, 0.8)),
            "CHN": _Group((0.6, 0.8), (1.1, 1.1)),
            "SEN": _Group((0.4, 0.5), (1.15, 1.15)),
        },
        0.30, (1600, 1450), (-3.0, -1.9), (0.5, 0.3),
    ),
    _City(
        "casteroux", "Castéroux", "FRA", 1.10, 45.25, 80, (190_000, 196_000), 1.25, 18,
        (3.5, 3.6), (2.0, 2.4),
        {
            "DZA": _Group((2.4, 2.6)),
            "MAR": _Group((2.0, 2.3)),
            "TUR": _Group((0.8, 0.9)),
            "SEN": _Group((0.6, 0.8), (1.15, 1.15)),
            "CHN": _Group((0.4, 0.5), (1.1, 1.1)),
        },
        0.50, (2300, 2700), (-1.5, -1.1), (0.3, -0.1),
    ),
    _City(
        "granholma", "Granholma", "SWE", 15.65, 59.05, 100, (290_000, 325_000), 1.00, 21,
        (4.5, 5.0), (4.0, 5.0),
        {
            "IRQ": _Group((2.0, 2.3)),
            "SOM": _Group((0.8, 1.2), (1.2, 1.2)),
            "TUR": _Group((0.7, 0.8)),
            # Refugees from the Syrian war, arriving around 2015-2016.
            "SYR": _Group((0.5, 3.8), (1.15, 1.15), arrival_year=2015.8),
        },
        0.65, (2600, 3900), (-2.0, -1.4), (1.8, 1.9),
    ),
    _City(
        "lindenhafen", "Lindenhafen", "DEU", 10.05, 51.70, 120, (540_000, 575_000), 0.80, 25,
        (6.5, 8.5), (3.5, 4.0),
        {
            # The established group moves out of its first neighbourhoods: spreads out.
            "TUR": _Group((4.5, 4.2), (1.0, 0.65)),
            "SYR": _Group((0.1, 2.2), (1.1, 1.1), arrival_year=2016.0),
            "IRQ": _Group((0.4, 0.8)),
            "UKR": _Group((0.6, 0.7), (0.8, 0.8)),
        },
        0.45, (2400, 4000), (-2.6, -2.0), (0.5, 0.8),
    ),
)  # fmt: skip

#: Planted controls common to all cities.
LAYOUT = {
    "populated_fraction": 0.5,  # share of the city's square that is built up
    "centre_scale": 0.18,  # e-folding distance of density, in units of the side
    "subcentre_amplitude": 0.35,
    "field_length_cells": {"density": 5.0, "arrival": 7.0, "group": 3.5, "growth": 10.0},
    "density_noise_sd_log": 0.5,
    "cell_noise_sd_log": 0.25,
    "growth_noise_sd_log": 0.3,
    "kmeans_iterations": 10,
    "max_residents_per_cell": 450.0,  # expected residents of a hectare, dense blocks
}
SEGREGATION = {
    "rho_arrival_field": {"main": 0.8, "other_non_eu": 0.7, "minor": 0.3, "eu_born": 0.0},
    "clustering": {"eu_born": 0.5, "other_non_eu": 0.7, "minor": 1.0},
    "minor_origin_share_pct": 0.03,
}
HOUSING = {
    "beta_non_eu_share": -1.5,  # log price per unit share of non-EU-born residents
    "beta_distance_per_km": -0.045,  # log price per km from the centre
    "noise_sd_log": 0.06,
}
ELECTIONS = {
    "adult_share": 0.82,  # residents of voting age
    "native_support_beta_foreign_share": 2.2,  # logit per unit foreign-born share (context)
    "native_support_beta_log_price": -0.8,  # logit per unit log price above the city mean
    "foreign_born_support": 0.03,  # probability a foreign-born voter backs the party
    "district_effect_sd_logit": 0.12,
    "election_noise_sd_logit": 0.05,
    "turnout_beta_log_price": 0.9,
    "turnout_district_sd_logit": 0.1,
    "foreign_born_turnout_logit_offset": -0.7,
}
PHONE = {
    "operator_market_share": 0.4,
    "market_share_antenna_sd_log": 0.2,
    "caller_fraction": {"default": 0.7, "SEN": 0.8, "SYR": 0.8, "UKR": 0.65, "CHN": 0.45},
    "calls_per_sim_per_year": {"default": 45.0, "SEN": 60.0, "SYR": 55.0, "CHN": 25.0},
    "background_sims_per_resident": 0.0015,
    "background_calls_per_sim": 12.0,
    "ott_decline_sims_per_year": 0.04,  # voice replaced by messaging apps
    "ott_decline_calls_per_year": 0.07,
    "covid_2020_calls_multiplier": 1.25,
    "sims_noise_sd_log": 0.15,
    "calls_noise_sd_log": 0.2,
    "arrival_scale_years": 1.0,
    "suppression_threshold_sims": 10,
}
#: Calibration targets for segregation (docs/synthetic_world.md).
SEGREGATION_SOURCE = (
    "Benassi et al. (2020); Italian municipal studies (census-tract scale), "
    "as cited in docs/synthetic_world.md"
)


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def dissimilarity(a: np.ndarray, b: np.ndarray) -> float:
    """Duncan & Duncan's dissimilarity index of two groups over areal units.

    ``D = 0.5 * sum_i |a_i / A - b_i / B|``, from 0 (same distribution) to 1 (no unit
    shared); the share of either group that would have to move for an even spread.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return float(0.5 * np.abs(a / a.sum() - b / b.sum()).sum())


def _antenna_codes(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """INSPIRE-style codes of 1 km cells from their lower-left corners (EPSG:3035, m)."""
    return np.array([f"1kmN{b // 1000}E{a // 1000}" for a, b in zip(x, y, strict=True)])


def _smooth_field(rng: np.random.Generator, n: int, length_cells: float) -> np.ndarray:
    """A smooth Gaussian random field on an n x n grid (white noise, Gaussian filter)."""
    return ndimage.gaussian_filter(rng.standard_normal((n, n)), sigma=length_cells, mode="reflect")


def standardise(x: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Zero mean and unit variance, weighted (by expected residents) if weights are given.

    Shared by the bundled cities and the full-scale grid (:mod:`migrationlab_world.fullscale`).
    """
    mean = np.average(x, weights=weights)
    return (x - mean) / np.sqrt(np.average((x - mean) ** 2, weights=weights))


def _normal_scores(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Replace values by standard normal quantiles of their weighted rank.

    Keeps the spatial pattern of a field but makes its resident-weighted distribution
    exactly standard normal, so that a planted sigma means the same in every city and
    for every seed.
    """
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(weights[order])
    scores = np.empty_like(x, dtype=float)
    scores[order] = special.ndtri((cum - weights[order] / 2) / cum[-1])
    return scores


def _scale_capped(lam: np.ndarray, total: float) -> np.ndarray:
    """Scale expected residents per cell to ``total`` with at most LAYOUT's cap per cell."""
    cap = LAYOUT["max_residents_per_cell"]
    for _ in range(5):
        lam = np.minimum(lam * total / lam.sum(), cap)
    return lam


def _expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def _group_controls(city: _City) -> dict:
    """Share (percent), sigma and rho of every group in 2011 and 2021."""
    rho = SEGREGATION["rho_arrival_field"]
    clus = SEGREGATION["clustering"]
    out = {}
    for g in GROUPS[1:]:
        if g == "eu_born":
            share, mult, r, arrival = city.eu_born_pct, (clus["eu_born"],) * 2, rho["eu_born"], None
        elif g == "other_non_eu":
            share, mult = city.other_non_eu_pct, (clus["other_non_eu"],) * 2
            r, arrival = rho["other_non_eu"], None
        elif g in city.origins:
            grp = city.origins[g]
            share, mult, r, arrival = grp.share_pct, grp.clustering, rho["main"], grp.arrival_year
        else:
            share = (SEGREGATION["minor_origin_share_pct"],) * 2
            mult, r, arrival = (clus["minor"],) * 2, rho["minor"], None
        sigma = tuple(round(city.segregation_level * m, 4) for m in mult)
        out[g] = {
            "share_pct_2011": share[0],
            "share_pct_2021": share[1],
            "sigma_2011": sigma[0],
            "sigma_2021": sigma[1],
            "rho_arrival_field": r,
            "arrival_midpoint_year": arrival,
            "main_group": g in city.origins,
            "large_group_dissimilarity_2021": round(math.erf(sigma[1] / (2 * math.sqrt(2))), 4),
        }
    return out


def _interpolation_weight(control: dict, year: int) -> float:
    """Weight of the 2021 census in a group's population of ``year`` (2011 -> 0, 2021 -> 1).

    Linear between the censuses, except for arriving groups, which follow a logistic
    curve with the planted midpoint: what the phone records can reveal and the two
    censuses cannot.
    """
    t0, t1 = CENSUS_YEARS
    mid = control["arrival_midpoint_year"]
    if mid is None:
        return (year - t0) / (t1 - t0)
    s = PHONE["arrival_scale_years"]
    f0, f1, f = (_expit((t - mid) / s) for t in (t0, t1, year))
    return float((f - f0) / (f1 - f0))


# --------------------------------------------------------------------------------------
# One city
# --------------------------------------------------------------------------------------


@dataclass
class _CityData:
    """One simulated city: its three layers' rows, its phone records, its planted controls."""

    cells: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    city: gpd.GeoDataFrame
    phone: pd.DataFrame
    controls: dict
    origin_xy_m: tuple[int, int]


def _place_city(city: _City) -> tuple[int, int]:
    """Lower-left corner of the city's grid in EPSG:3035 metres, on the 1 km grid."""
    to_laea = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)
    x, y = to_laea.transform(city.lon, city.lat)
    half = city.cells_per_side * CELL_M / 2
    return int(math.floor((x - half) / 1000) * 1000), int(math.floor((y - half) / 1000) * 1000)


def _districts(
    rng: np.random.Generator, n: int, k: int, populated: np.ndarray, weight: np.ndarray
) -> np.ndarray:
    """District number (0..k-1, 0 nearest the centre) of every cell of the n x n square.

    Population-weighted k-means on the populated cells (so that districts are smaller
    where people are denser), then every cell goes to its nearest district centre, and
    pieces cut off from their district are handed to the neighbour they touch most.
    """
    rows, cols = np.divmod(np.arange(n * n), n)
    xy = np.column_stack([cols + 0.5, rows + 0.5])
    pxy, w = xy[populated], weight
    centres = pxy[rng.choice(len(pxy), size=k, replace=False, p=w / w.sum())]
    for _ in range(LAYOUT["kmeans_iterations"]):
        lab = ((pxy[:, None, :] - centres[None]) ** 2).sum(-1).argmin(1)
        for j in range(k):
            m = lab == j
            if m.any():
                centres[j] = (pxy[m] * w[m, None]).sum(0) / w[m].sum()
    order = np.argsort(np.hypot(*(centres - n / 2).T), kind="stable")
    centres = centres[order]
    labels = ((xy[:, None, :] - centres[None]) ** 2).sum(-1).argmin(1).reshape(n, n)
    for _ in range(20):
        changed = False
        for j in range(k):
            comp, ncomp = ndimage.label(labels == j)
            if ncomp < 2:
                continue
            sizes = np.bincount(comp.ravel())[1:]
            for c in np.flatnonzero(sizes < sizes.max()) + 1:
                piece = comp == c
                ring = ndimage.binary_dilation(piece) & ~piece
                labels[piece] = np.bincount(labels[ring], minlength=k).argmax()
                changed = True
        if not changed:
            break
    else:
        raise RuntimeError("district cleaning did not converge; change the seed")
    return labels.ravel()


def _simulate_city(city: _City, rng: np.random.Generator) -> _CityData:
    """Residents, districts, prices, elections and phone records of one city (module doc).

    The steps draw from ``rng`` in a fixed order: density, residents, group surfaces and
    counts, districts, district prices and elections, phone records.
    """
    n = city.cells_per_side
    x0, y0 = _place_city(city)
    rows, cols = np.divmod(np.arange(n * n), n)
    populated, lam_2011, totals = _residents(city, rng, rows, cols)
    controls = _group_controls(city)
    counts = _group_counts(controls, rng, n, populated, lam_2011, totals)

    labels = _districts(rng, n, city.districts, populated, lam_2011)
    district_ids = np.array([f"{city.city_id}-{j + 1:02d}" for j in range(city.districts)])
    cell_district = district_ids[labels[populated]]
    cells = _cell_layer(city, (x0, y0), rows[populated], cols[populated], counts, cell_district)
    districts = _district_layer(city, (x0, y0), labels, populated, counts, district_ids, rng)

    phone = _phone_activity(city, controls, rng, counts, cols[populated], rows[populated], (x0, y0))
    side = n * CELL_M
    city_row = gpd.GeoDataFrame(
        {
            "city_id": [city.city_id],
            "city_name": [city.name],
            "host_iso3": [city.host_iso3],
            "population_2011": [int(totals[0].sum())],
            "population_2021": [int(totals[1].sum())],
            "cells_per_side": [n],
            "district_count": [city.districts],
            "main_origins_iso3": [";".join(sorted(city.origins))],
            "planted_segregation_level": [city.segregation_level],
        },
        geometry=[shapely.box(x0, y0, x0 + side, y0 + side)],
        crs="EPSG:3035",
    )
    return _CityData(cells, districts, city_row, phone, controls, (x0, y0))


def _residents(city: _City, rng, rows: np.ndarray, cols: np.ndarray) -> tuple:
    """The built-up cells, their expected residents in 2011 and the residents per census.

    Density: a main centre, two sub-centres, smooth noise; the top cells are built up.
    Returns the mask of populated cells (of the n x n square), the expected residents of
    2011 per populated cell and the Poisson residents of 2011 and 2021.
    """
    n = city.cells_per_side
    lengths = LAYOUT["field_length_cells"]
    r = np.hypot(cols + 0.5 - n / 2, rows + 0.5 - n / 2) / n
    density = np.exp(-r / LAYOUT["centre_scale"])
    for _ in range(2):
        angle, dist = rng.uniform(0, 2 * np.pi), rng.uniform(0.22, 0.34)
        sx, sy = n / 2 + dist * n * np.cos(angle), n / 2 + dist * n * np.sin(angle)
        rs = np.hypot(cols + 0.5 - sx, rows + 0.5 - sy) / n
        density += LAYOUT["subcentre_amplitude"] * np.exp(-rs / 0.06)
    noise = standardise(_smooth_field(rng, n, lengths["density"]).ravel())
    density *= np.exp(LAYOUT["density_noise_sd_log"] * noise)
    populated = density > np.quantile(density, 1 - LAYOUT["populated_fraction"])
    lam = density[populated] * np.exp(
        LAYOUT["cell_noise_sd_log"] * rng.standard_normal(populated.sum())
    )
    lam_2011 = _scale_capped(lam, city.population[0])
    growth = np.exp(
        LAYOUT["growth_noise_sd_log"]
        * standardise(_smooth_field(rng, n, lengths["growth"]).ravel()[populated])
    )
    lam_2021 = _scale_capped(lam_2011 * growth, city.population[1])
    return populated, lam_2011, [rng.poisson(lam_2011), rng.poisson(lam_2021)]


def _group_counts(controls: dict, rng, n: int, populated, lam_2011, totals) -> list[np.ndarray]:
    """Residents of each populated cell by group (GROUPS order), one array per census.

    Each group's share surface mixes the city-wide arrival field with a field of its own;
    a cell's counts are a multinomial draw of its residents over the groups.
    """
    lengths = LAYOUT["field_length_cells"]
    z_arrival = standardise(_smooth_field(rng, n, lengths["arrival"]).ravel()[populated], lam_2011)
    z = {}
    for g in GROUPS[1:]:
        own = standardise(_smooth_field(rng, n, lengths["group"]).ravel()[populated], lam_2011)
        rho = controls[g]["rho_arrival_field"]
        z[g] = _normal_scores(rho * z_arrival + math.sqrt(1 - rho**2) * own, lam_2011)
    counts = []
    for t, year in enumerate(CENSUS_YEARS):
        weights = np.empty((populated.sum(), len(GROUPS)))
        for j, g in enumerate(GROUPS[1:], start=1):
            share = controls[g][f"share_pct_{year}"] / 100
            sigma = controls[g][f"sigma_{year}"]
            weights[:, j] = share * np.exp(sigma * z[g] - sigma**2 / 2)
        weights[:, 0] = 1 - sum(controls[g][f"share_pct_{year}"] for g in GROUPS[1:]) / 100
        p = weights / weights.sum(1, keepdims=True)
        counts.append(rng.multinomial(totals[t], p).astype(np.int64))
    return counts


def _cell_layer(city: _City, origin, rows, cols, counts, cell_district) -> gpd.GeoDataFrame:
    """The ``grid_cells`` rows of one city: both censuses, populated cells only."""
    x0, y0 = origin
    xs, ys = x0 + cols * CELL_M, y0 + rows * CELL_M
    cell_id = np.array([f"100mN{y // 100}E{x // 100}" for x, y in zip(xs, ys, strict=True)])
    ax = x0 + (cols // _PER_ANTENNA) * ANTENNA_M
    ay = y0 + (rows // _PER_ANTENNA) * ANTENNA_M
    antenna_id = _antenna_codes(ax, ay)
    boxes = shapely.box(xs, ys, xs + CELL_M, ys + CELL_M)
    frames = []
    for t, year in enumerate(CENSUS_YEARS):
        df = pd.DataFrame(
            {
                "cell_id": cell_id,
                "census_year": year,
                "city_id": city.city_id,
                "district_id": cell_district,
                "antenna_cell_id": antenna_id,
            }
        )
        frames.append(pd.concat([df, _pop_frame(counts[t])], axis=1))
    return gpd.GeoDataFrame(
        pd.concat(frames, ignore_index=True),
        geometry=np.concatenate([boxes, boxes]),
        crs="EPSG:3035",
    )


def _district_shapes(city: _City, origin, labels: np.ndarray) -> tuple[list, np.ndarray, list]:
    """Each district's polygon (a union of whole cells), distance to the centre, area."""
    x0, y0 = origin
    n = city.cells_per_side
    rows, cols = np.divmod(np.arange(n * n), n)
    all_x, all_y = x0 + cols * CELL_M, y0 + rows * CELL_M
    all_boxes = shapely.box(all_x, all_y, all_x + CELL_M, all_y + CELL_M)
    geoms, dist_km, area_km2 = [], [], []
    cx, cy = x0 + n * CELL_M / 2, y0 + n * CELL_M / 2
    for j in range(city.districts):
        m = labels == j
        geoms.append(shapely.normalize(shapely.coverage_union_all(all_boxes[m])))
        mx, my = all_x[m].mean() + CELL_M / 2, all_y[m].mean() + CELL_M / 2
        dist_km.append(round(math.hypot(mx - cx, my - cy) / 1000, 2))
        area_km2.append(round(m.sum() * CELL_M**2 / 1e6, 2))
    if any(g.geom_type != "Polygon" for g in geoms):
        raise RuntimeError(f"{city.city_id}: a district is not one polygon; change the seed")
    return geoms, np.array(dist_km), area_km2


def _district_layer(
    city: _City, origin, labels, populated, counts, district_ids, rng
) -> gpd.GeoDataFrame:
    """The ``districts`` rows of one city: geometry, composition, prices and elections.

    Draws the districts' persistent support and turnout effects, then each census year's
    prices and votes (:func:`_district_year`).
    """
    geoms, dist_km, area_km2 = _district_shapes(city, origin, labels)
    k = city.districts
    effects = (
        rng.normal(0, ELECTIONS["district_effect_sd_logit"], k),
        rng.normal(0, ELECTIONS["turnout_district_sd_logit"], k),
    )
    district_frames = []
    for t, year in enumerate(CENSUS_YEARS):
        sums = np.zeros((k, len(GROUPS)), dtype=np.int64)
        np.add.at(sums, labels[populated], counts[t])
        pops = _pop_frame(sums)
        head = pd.DataFrame(
            {
                "district_id": district_ids,
                "census_year": year,
                "city_id": city.city_id,
                "area_km2": area_km2,
                "distance_to_centre_km": dist_km,
            }
        )
        tail = _district_year(city, t, pops, dist_km, effects, rng)
        district_frames.append(pd.concat([head, pops, tail], axis=1))
    return gpd.GeoDataFrame(
        pd.concat(district_frames, ignore_index=True), geometry=geoms * 2, crs="EPSG:3035"
    )


def _district_year(city: _City, t: int, pops, dist_km, effects, rng) -> pd.DataFrame:
    """Housing prices and election results of each district in census year ``t``."""
    u_support, u_turnout = effects
    k = city.districts
    total = pops["pop_total"].to_numpy(float)
    foreign = pops["pop_foreign_born"].to_numpy(float) / total
    non_eu = pops["pop_non_eu_born"].to_numpy(float) / total
    log_price = (
        math.log(city.price_eur_per_m2[t])
        + HOUSING["beta_non_eu_share"] * non_eu
        + HOUSING["beta_distance_per_km"] * dist_km
        + rng.normal(0, HOUSING["noise_sd_log"], k)
    )
    price_dev = log_price - log_price.mean()
    elig_native = np.round(ELECTIONS["adult_share"] * pops["pop_native"]).astype(np.int64)
    elig_foreign = np.round(
        ELECTIONS["adult_share"] * city.naturalised_share * pops["pop_foreign_born"]
    ).astype(np.int64)
    turnout_logit = city.turnout_logit[t] + ELECTIONS["turnout_beta_log_price"] * price_dev
    turnout_logit += u_turnout
    voters_native = rng.binomial(elig_native, _expit(turnout_logit))
    voters_foreign = rng.binomial(
        elig_foreign, _expit(turnout_logit + ELECTIONS["foreign_born_turnout_logit_offset"])
    )
    support = _expit(
        city.vote_logit[t]
        + ELECTIONS["native_support_beta_foreign_share"] * foreign
        + ELECTIONS["native_support_beta_log_price"] * price_dev
        + u_support
        + rng.normal(0, ELECTIONS["election_noise_sd_logit"], k)
    )
    votes = rng.binomial(voters_native, support) + rng.binomial(
        voters_foreign, ELECTIONS["foreign_born_support"]
    )
    eligible = elig_native + elig_foreign
    voters = voters_native + voters_foreign
    return pd.DataFrame(
        {
            "eligible_voters": eligible,
            "turnout_pct": np.round(100 * voters / eligible, 2),
            "anti_immigration_vote_share_pct": np.round(100 * votes / voters, 2),
            "housing_price_eur_per_m2": np.round(np.exp(log_price)),
        }
    )


def pop_counts(counts: np.ndarray) -> dict[str, np.ndarray]:
    """The count columns (:data:`POP_COLUMNS`) from counts by group, in that order.

    ``counts`` has one row per areal unit and one column per group of :data:`GROUPS`;
    the totals are sums of whole counts, so they are exact whatever the dtype. Shared by
    the bundled cities and the full-scale grid (:mod:`migrationlab_world.fullscale`).
    """
    native, eu_born = counts[:, 0], counts[:, 1]
    non_eu = counts[:, 2:].sum(axis=1)
    cols = {
        "pop_total": native + eu_born + non_eu,
        "pop_native": native,
        "pop_foreign_born": eu_born + non_eu,
        "pop_eu_born": eu_born,
        "pop_non_eu_born": non_eu,
    }
    cols.update({pop_column(g): counts[:, j] for j, g in enumerate(GROUPS) if j >= 2})
    return {c: cols[c] for c in POP_COLUMNS}


def _pop_frame(counts: np.ndarray) -> pd.DataFrame:
    """The count columns (POP_COLUMNS) from counts by group, one row per areal unit."""
    return pd.DataFrame(pop_counts(counts), columns=list(POP_COLUMNS)).astype(np.int64)


def _phone_activity(
    city: _City,
    controls: dict,
    rng: np.random.Generator,
    counts: list[np.ndarray],
    cols: np.ndarray,
    rows: np.ndarray,
    origin: tuple[int, int],
) -> pd.DataFrame:
    """Yearly SIM cards and calls to each main origin country, by 1 km antenna cell.

    Real CDR are located at antennas, whose service areas are irregular; fixed 1 km
    cells stand in for them here. Residents are interpolated between the censuses in
    every 100 m cell (see :func:`_interpolation_weight`) and summed per antenna cell.
    """
    x0, y0 = origin
    per_side = city.cells_per_side // _PER_ANTENNA
    key = (rows // _PER_ANTENNA) * per_side + cols // _PER_ANTENNA
    antennas, antenna_of_cell = np.unique(key, return_inverse=True)
    na = len(antennas)
    ax = x0 + (antennas % per_side) * ANTENNA_M
    ay = y0 + (antennas // per_side) * ANTENNA_M
    market = PHONE["operator_market_share"] * np.exp(
        rng.normal(0, PHONE["market_share_antenna_sd_log"], na)
        - PHONE["market_share_antenna_sd_log"] ** 2 / 2
    )
    antenna_codes = _antenna_codes(ax, ay)
    total_2011, total_2021 = counts[0].sum(1), counts[1].sum(1)
    frames = []
    for iso3 in sorted(city.origins):
        j = GROUPS.index(iso3)
        caller = PHONE["caller_fraction"].get(iso3, PHONE["caller_fraction"]["default"])
        per_sim = PHONE["calls_per_sim_per_year"].get(
            iso3, PHONE["calls_per_sim_per_year"]["default"]
        )
        for year in PHONE_YEARS:
            w = _interpolation_weight(controls[iso3], year)
            w_total = (year - CENSUS_YEARS[0]) / (CENSUS_YEARS[1] - CENSUS_YEARS[0])
            group = (1 - w) * counts[0][:, j] + w * counts[1][:, j]
            total = (1 - w_total) * total_2011 + w_total * total_2021
            group_a = np.bincount(antenna_of_cell, group, minlength=na)
            others_a = np.maximum(np.bincount(antenna_of_cell, total, minlength=na) - group_a, 0)
            sims, calls = _sims_and_calls(year, market, caller, per_sim, group_a, others_a, rng)
            suppressed = sims < PHONE["suppression_threshold_sims"]
            published_sims = pd.array(sims, dtype="Int64")
            published_sims[suppressed] = pd.NA
            published_calls = pd.array(calls, dtype="Int64")
            published_calls[suppressed] = pd.NA
            frames.append(
                pd.DataFrame(
                    {
                        "antenna_cell_id": antenna_codes,
                        "city_id": city.city_id,
                        "easting_m": ax + ANTENNA_M // 2,
                        "northing_m": ay + ANTENNA_M // 2,
                        "destination_iso3": iso3,
                        "year": year,
                        "sim_cards": published_sims,
                        "international_calls": published_calls,
                        "suppressed": suppressed,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def _sims_and_calls(year, market, caller, per_sim, group_a, others_a, rng) -> tuple:
    """SIM cards calling one destination from each antenna in ``year``, and their calls.

    Draws the SIM cards' noise and counts, then the calls' noise and counts.
    """
    na = len(market)
    dt = year - PHONE_YEARS[0]
    mean_sims = (
        market
        * math.exp(-PHONE["ott_decline_sims_per_year"] * dt)
        * (caller * group_a + PHONE["background_sims_per_resident"] * others_a)
    )
    sims = rng.poisson(mean_sims * np.exp(rng.normal(0, PHONE["sims_noise_sd_log"], na))).astype(
        np.int64
    )
    # Calls per SIM card: the average of diaspora and background callers.
    diaspora = caller * group_a
    background = PHONE["background_sims_per_resident"] * others_a
    calls_per_sim = (diaspora * per_sim + background * PHONE["background_calls_per_sim"]) / (
        np.maximum(diaspora + background, 1e-12)
    )
    covid = PHONE["covid_2020_calls_multiplier"] if year == 2020 else 1.0
    calls = rng.poisson(
        sims
        * calls_per_sim
        * math.exp(-PHONE["ott_decline_calls_per_year"] * dt)
        * covid
        * np.exp(rng.normal(0, PHONE["calls_noise_sd_log"], na))
    ).astype(np.int64)
    return sims, calls


# --------------------------------------------------------------------------------------
# The public generator
# --------------------------------------------------------------------------------------


def generate_cities(world: World, seed: int) -> tuple[list[Resource], dict, list[dict]]:
    """Generate the ``cities`` GeoPackage and the ``phone_activity`` table.

    Parameters
    ----------
    world : World
        The simulated world; only ``world.countries`` is used (columns ``iso3``, ``name``,
        ``eu_member``), to check that the host countries are EU members and the origin
        countries are not, and to name the origin columns in the schema.
    seed : int
        The ``cities`` part's seed, ``seeds.part_seed(seed, "cities")`` in ``make data``;
        the seed of ``numpy.random.default_rng``; each city draws from its own child stream
        (``Generator.spawn``), so the same seed gives the same files byte for byte.

    Returns
    -------
    resources : list of Resource
        ``cities`` (``cities.gpkg``, EPSG:3035; layers ``cities``, ``districts``,
        ``grid_cells``) and ``phone_activity`` (``phone_activity.csv.gz``).
    planted_parameters : dict
        JSON-serialisable; the ground truth under the key ``"cities"`` of
        ``data/ground_truth/parameters.json``: segregation controls per city and group,
        housing and election coefficients, phone-activity rates, planted changes.
    calibration_rows : list of dict
        Keys ``target``, ``source``, ``published_value``, ``achieved_value``,
        ``tolerance``, ``within_tolerance``: dissimilarity indices computed from the
        generated grid against the published ranges (Benassi et al. 2020; Italian
        municipal studies).

    Examples
    --------
    >>> resources, truth, calibration = generate_cities(world, seed=2026)  # doctest: +SKIP
    >>> [r.name for r in resources]                                        # doctest: +SKIP
    ['cities', 'phone_activity']
    """
    names = _check_world(world)
    streams = np.random.default_rng(seed).spawn(len(CITIES))
    sims = [
        _simulate_city(city, rng)
        for city, rng in tqdm(
            list(zip(CITIES, streams, strict=True)), desc="cities", unit="city", disable=None
        )
    ]
    cities = _concat_geo([s.city for s in sims])
    districts = _concat_geo([s.districts for s in sims])
    cells = _concat_geo([s.cells for s in sims])
    phone = pd.concat([s.phone for s in sims], ignore_index=True)
    resources = [_cities_resource(cities, districts, cells, names), _phone_resource(phone)]
    return resources, _planted_parameters(seed, sims), _calibration_rows(cells)


def _cities_resource(cities, districts, cells, names: dict[str, str]) -> Resource:
    return Resource(
        name="cities",
        path="cities.gpkg",
        title="Invented cities: census grids, districts, housing and elections (synthetic)",
        description=(
            "SYNTHETIC. Six invented cities in real EU member states: residents by "
            "country-of-birth group in 100 m grid cells and in districts at the 2011 and "
            "2021 censuses, with district housing prices and municipal election results. "
            "EPSG:3035. Segregation levels, coefficients and changes are planted; the "
            "truth is in ground_truth/parameters.json (key 'cities')."
        ),
        data={"cities": cities, "districts": districts, "grid_cells": cells},
        schema={
            "layers": {
                "cities": _cities_schema(),
                "districts": _districts_schema(names),
                "grid_cells": _grid_schema(names),
            }
        },
        synthetic=True,
        mimics=(
            "Census population grids by country of birth (JRC Data for Integration, "
            "D4I, 100 m; Eurostat census grid 2021, 1 km; national census grids) and "
            "district statistics of housing prices and election results"
        ),
        crs="EPSG:3035",
        datasheet=_cities_datasheet(),
    )


def _phone_resource(phone: pd.DataFrame) -> Resource:
    return Resource(
        name="phone_activity",
        path="phone_activity.csv.gz",
        title="International calls by antenna cell and destination (synthetic CDR)",
        description=(
            "SYNTHETIC. Call-detail-record aggregates of one mobile operator in the six "
            "invented cities of 'cities': yearly SIM cards calling, and calls made, to "
            "each city's main non-EU origin countries, by 1 km antenna cell, 2012-2020. "
            f"Counts from fewer than {PHONE['suppression_threshold_sims']} SIM cards are "
            "suppressed (missing, suppressed = true); no row is dropped."
        ),
        data=phone,
        schema=_phone_schema(),
        synthetic=True,
        mimics=(
            "Aggregated call detail records (CDR) shared by a mobile network operator "
            "under a data-sharing agreement"
        ),
        datasheet=_phone_datasheet(),
    )


def _concat_geo(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:3035")


def _check_world(world: World) -> dict[str, str]:
    """Check the countries the cities need; return ISO3 -> country name of the origins."""
    countries = world.countries
    missing = {"iso3", "name", "eu_member"} - set(countries.columns)
    if missing:
        raise ValueError(
            f"world.countries lacks the column(s) {sorted(missing)}; build the World with "
            "migrationlab_world.world.build_world, which adds them."
        )
    table = countries.set_index("iso3")
    for city in CITIES:
        if city.host_iso3 not in table.index or not bool(table.at[city.host_iso3, "eu_member"]):
            raise ValueError(
                f"world.countries: the synthetic city {city.name} needs host country "
                f"{city.host_iso3!r} as an EU member (columns 'iso3', 'eu_member'). Fix the "
                "country table (Natural Earth codes France and Norway as '-99': map them to "
                "FRA and NOR) or change the host in migrationlab_world.cities.CITIES."
            )
    for iso3 in ORIGINS:
        if iso3 not in table.index or bool(table.at[iso3, "eu_member"]):
            raise ValueError(
                f"world.countries: origin country {iso3!r} of the city censuses must be a "
                "non-EU country of the world (columns 'iso3', 'eu_member'); add it or remove "
                "it from migrationlab_world.cities.ORIGINS."
            )
    return {iso3: str(table.at[iso3, "name"]) for iso3 in ORIGINS}


# --------------------------------------------------------------------------------------
# Schemas
# --------------------------------------------------------------------------------------

_ISO3 = "^[A-Z]{3}$"
_CITY_IDS = [c.city_id for c in CITIES]


def _field(name: str, type_: str, description: str, unit: str | None = None, **constraints):
    field_ = {"name": name, "type": type_, "description": description}
    if unit:
        field_["unit"] = unit
    field_["constraints"] = {"required": True, **constraints}
    return field_


def _foreign_keys(*names: str) -> list[dict]:
    """Foreign keys from ISO3 columns to ``countries.iso3``."""
    return [
        {"fields": [n], "reference": {"resource": "countries", "fields": ["iso3"]}} for n in names
    ]


def _geometry_field(what: str) -> dict:
    return _field("geometry", "geojson", f"{what} (polygon, EPSG:3035 metres; GeoPackage geometry)")


def _pop_fields(names: dict[str, str], unit_word: str) -> list[dict]:
    desc = {
        "pop_total": "Usual residents, all countries of birth",
        "pop_native": "Residents born in the host country (children of migrants born there "
        "included)",
        "pop_foreign_born": "Residents born abroad: pop_eu_born + pop_non_eu_born",
        "pop_eu_born": "Residents born in another EU-27 member state",
        "pop_non_eu_born": "Residents born outside the EU-27: the pop_born_* columns summed",
        "pop_born_other_non_eu": "Residents born outside the EU-27 in a country without a "
        "column of its own",
    }
    for iso3 in ORIGINS:
        desc[pop_column(iso3)] = f"Residents born in {names[iso3]} ({iso3})"
    return [
        _field(c, "integer", f"{desc[c]}, {unit_word}", unit="persons", minimum=0)
        for c in POP_COLUMNS
    ]


def _cities_schema() -> dict:
    return {
        "fields": [
            _field("city_id", "string", "Identifier of the invented city (lower-case name)",
                   unique=True, enum=_CITY_IDS),
            _field("city_name", "string", "Invented name of the city (not a real place)"),
            _field("host_iso3", "string", "ISO 3166-1 alpha-3 code of the (real) EU member "
                   "state where the city is placed", pattern=_ISO3),
            _field("population_2011", "integer", "Residents at the 2011 census (sum of the "
                   "grid cells)", unit="persons", minimum=0),
            _field("population_2021", "integer", "Residents at the 2021 census (sum of the "
                   "grid cells)", unit="persons", minimum=0),
            _field("cells_per_side", "integer", "Side of the city's square of 100 m cells",
                   unit="cells", minimum=1),
            _field("district_count", "integer", "Number of districts", minimum=1),
            _field("main_origins_iso3", "string", "The city's main non-EU origin countries "
                   "(ISO3, ';'-separated): the destinations of phone_activity",
                   pattern="^[A-Z]{3}(;[A-Z]{3})*$"),
            _field("planted_segregation_level", "number", "PLANTED: standard deviation of "
                   "the log share surface of a typical non-EU group (higher = more "
                   "segregated); the answer that dissimilarity indices should rank",
                   minimum=0),
            _geometry_field("The city's square territory"),
        ],
        "primaryKey": ["city_id"],
        "foreignKeys": _foreign_keys("host_iso3"),
    }  # fmt: skip


def _unit_fields(kind: str) -> list[dict]:
    return [
        _field("census_year", "integer", "Year of the census round",
               enum=list(CENSUS_YEARS)),
        _field("city_id", "string", "City (layer 'cities')", enum=_CITY_IDS),
    ] + ([] if kind == "district" else [
        _field("district_id", "string", "District containing the cell (layer 'districts')",
               pattern="^[a-z]+-[0-9]{2}$"),
        _field("antenna_cell_id", "string", "1 km cell containing the cell, as used for "
               "antenna areas in phone_activity (INSPIRE-style code)",
               pattern="^1kmN[0-9]{4}E[0-9]{4}$"),
    ])  # fmt: skip


def _grid_schema(names: dict[str, str]) -> dict:
    return {
        "fields": [
            _field("cell_id", "string", "INSPIRE-style code of the 100 m cell: N and E give "
                   "the lower-left corner in EPSG:3035 in units of 100 m",
                   pattern="^100mN[0-9]{5}E[0-9]{5}$"),
            *_unit_fields("cell"),
            *_pop_fields(names, "in the cell"),
            _geometry_field("The 100 m cell"),
        ],
        "primaryKey": ["cell_id", "census_year"],
    }  # fmt: skip


def _districts_schema(names: dict[str, str]) -> dict:
    return {
        "fields": [
            _field("district_id", "string", "District: city_id and a number, 01 nearest "
                   "the centre", pattern="^[a-z]+-[0-9]{2}$"),
            *_unit_fields("district"),
            _field("area_km2", "number", "Area of the district (whole 100 m cells, populated "
                   "or not)", unit="km2", minimum=0),
            _field("distance_to_centre_km", "number", "Distance from the district's centroid "
                   "to the city centre", unit="km", minimum=0),
            *_pop_fields(names, "in the district (exactly the sum of its grid cells)"),
            _field("eligible_voters", "integer", "Residents entitled to vote in the municipal "
                   "election of the census year (adult natives and naturalised adults)",
                   unit="persons", minimum=0),
            _field("turnout_pct", "number", "Votes cast per 100 eligible voters", unit="%",
                   minimum=0, maximum=100),
            _field("anti_immigration_vote_share_pct", "number", "Votes for an invented "
                   "anti-immigration party per 100 votes cast", unit="%", minimum=0,
                   maximum=100),
            _field("housing_price_eur_per_m2", "number", "Median asking price of dwellings "
                   "for sale in the census year", unit="EUR/m2", minimum=0),
            _geometry_field("The district: a union of whole 100 m cells"),
        ],
        "primaryKey": ["district_id", "census_year"],
    }  # fmt: skip


def _phone_schema() -> dict:
    threshold = PHONE["suppression_threshold_sims"]
    return {
        "fields": [
            _field("antenna_cell_id", "string", "1 km cell standing for an antenna's service "
                   "area (INSPIRE-style code: N and E are the lower-left corner in EPSG:3035 "
                   "in km)", pattern="^1kmN[0-9]{4}E[0-9]{4}$"),
            _field("city_id", "string", "City (layer 'cities' of cities.gpkg)",
                   enum=_CITY_IDS),
            _field("easting_m", "integer", "Easting of the antenna cell's centre, EPSG:3035",
                   unit="m"),
            _field("northing_m", "integer", "Northing of the antenna cell's centre, "
                   "EPSG:3035", unit="m"),
            _field("destination_iso3", "string", "ISO 3166-1 alpha-3 code of the country "
                   "called", pattern=_ISO3),
            _field("year", "integer", "Calendar year of the calls",
                   minimum=PHONE_YEARS[0], maximum=PHONE_YEARS[-1]),
            _field("sim_cards", "integer", "The operator's SIM cards in the antenna cell "
                   f"that called the destination at least once in the year; missing when "
                   f"fewer than {threshold} (suppressed)", unit="SIM cards",
                   required=False, minimum=threshold),
            _field("international_calls", "integer", "Calls from those SIM cards to the "
                   "destination in the year; missing when suppressed", unit="calls",
                   required=False, minimum=0),
            _field("suppressed", "boolean", f"True when fewer than {threshold} SIM cards "
                   "called: both counts withheld for privacy, the row kept"),
        ],
        "primaryKey": ["antenna_cell_id", "destination_iso3", "year"],
        "foreignKeys": _foreign_keys("destination_iso3"),
        "missingValues": [""],
    }  # fmt: skip


# --------------------------------------------------------------------------------------
# Ground truth and calibration
# --------------------------------------------------------------------------------------


def _city_parameters(city: _City, sim: _CityData) -> dict:
    """The planted values of one city, its grid origin and its groups' controls."""
    return {
        "name": city.name,
        "host_iso3": city.host_iso3,
        "lon": city.lon,
        "lat": city.lat,
        "grid_origin_easting_m": sim.origin_xy_m[0],
        "grid_origin_northing_m": sim.origin_xy_m[1],
        "cells_per_side": city.cells_per_side,
        "population_target": dict(zip(map(str, CENSUS_YEARS), city.population, strict=True)),
        "planted_segregation_level": city.segregation_level,
        "district_count": city.districts,
        "main_origins_iso3": sorted(city.origins),
        "naturalised_share": city.naturalised_share,
        "housing_price_eur_per_m2_at_centre_no_migrants": dict(
            zip(map(str, CENSUS_YEARS), city.price_eur_per_m2, strict=True)
        ),
        "native_support_logit": dict(zip(map(str, CENSUS_YEARS), city.vote_logit, strict=True)),
        "native_turnout_logit": dict(zip(map(str, CENSUS_YEARS), city.turnout_logit, strict=True)),
        "groups": sim.controls,
    }


def _planted_changes(city: _City) -> list[dict]:
    """The changes planted between the censuses: arrivals and groups spreading out."""
    changes = []
    for iso3, grp in city.origins.items():
        if grp.arrival_year is not None:
            changes.append(
                {
                    "kind": "arrival",
                    "city_id": city.city_id,
                    "origin_iso3": iso3,
                    "midpoint_year": grp.arrival_year,
                    "share_pct": dict(zip(map(str, CENSUS_YEARS), grp.share_pct, strict=True)),
                }
            )
        if grp.clustering[1] < grp.clustering[0]:
            changes.append(
                {
                    "kind": "spreading_out",
                    "city_id": city.city_id,
                    "origin_iso3": iso3,
                    "sigma": [round(city.segregation_level * c, 4) for c in grp.clustering],
                }
            )
    return changes


def _planted_parameters(seed: int, sims: list[_CityData]) -> dict:
    """The planted truth of the cities (``parameters.json``, key ``cities``).

    One literal record, model by model, as the ground truth file shows it.
    """
    cities = {c.city_id: _city_parameters(c, sim) for c, sim in zip(CITIES, sims, strict=True)}
    changes = [change for c in CITIES for change in _planted_changes(c)]
    return {
        "description": (
            "Planted truth of the synthetic cities (cities.gpkg) and phone records "
            "(phone_activity.csv.gz). See migrationlab_world.cities for the model."
        ),
        "seed": seed,
        "census_years": list(CENSUS_YEARS),
        "phone_years": list(PHONE_YEARS),
        "crs": "EPSG:3035",
        "cell_size_m": CELL_M,
        "antenna_cell_size_m": ANTENNA_M,
        "group_model": (
            "weight of group g in cell i = share_g * exp(sigma_g * Z_g(i) - sigma_g^2 / 2), "
            "natives 1 - sum(share); Z_g = normal scores of rho_g * Z_arrival + "
            "sqrt(1 - rho_g^2) * Z_own_g, ranked with expected residents as weights (so Z_g "
            "is exactly standard normal over residents); counts multinomial. "
            "sigma_g = planted_segregation_level * clustering multiplier. "
            "large_group_dissimilarity = erf(sigma / (2 sqrt 2)), the index against natives "
            "for a group too large for chance to matter."
        ),
        "layout": LAYOUT,
        "segregation": SEGREGATION,
        "cities": cities,
        "planted_changes": changes,
        "housing": {
            **HOUSING,
            "model": (
                "log(price) = log(price_at_centre[city, year]) + beta_non_eu_share * "
                "non_eu_share + beta_distance_per_km * distance_to_centre_km "
                "+ N(0, noise_sd_log); non_eu_share = pop_non_eu_born / pop_total"
            ),
        },
        "elections": {
            **ELECTIONS,
            "model": (
                "Individual level. Natives: support = expit(native_support_logit[city, year] "
                "+ native_support_beta_foreign_share * foreign_born_share_of_district "
                "+ native_support_beta_log_price * (log price - city mean) + district effect "
                "+ noise); foreign-born voters: support = foreign_born_support. Turnout of "
                "natives = expit(native_turnout_logit + turnout_beta_log_price * (log price - "
                "city mean) + district effect), of foreign-born voters the same logit plus "
                "foreign_born_turnout_logit_offset. Eligible: adult_share of natives and "
                "adult_share * naturalised_share of the foreign-born."
            ),
            "ecological_fallacy": (
                "Across districts, the party's vote share rises with the foreign-born share "
                "(natives' context effect), while at the individual level foreign-born voters "
                "almost never vote for it: reading the district slope as individual "
                "behaviour (Goodman's ecological regression) gives foreign-born voters a "
                "support above natives', which is false."
            ),
        },
        "phone_activity": {
            **PHONE,
            "model": (
                "expected SIM cards = market_share[antenna] * exp(-ott_decline_sims_per_year "
                "* (year - 2012)) * (caller_fraction[g] * group_residents + "
                "background_sims_per_resident * other_residents); residents interpolated "
                "between censuses per cell (linear; logistic for arriving groups); "
                "sims ~ Poisson(expected * lognormal noise); calls ~ Poisson(sims * "
                "calls_per_sim * exp(-ott_decline_calls_per_year * (year - 2012)) * "
                "covid multiplier (2020) * lognormal noise); suppressed if sims < threshold."
            ),
        },
    }


def _calibration_rows(cells: gpd.GeoDataFrame) -> list[dict]:
    """Dissimilarity on the 2021 grid against the published ranges."""
    c21 = cells[cells["census_year"] == CENSUS_YEARS[1]]
    fb, groups = [], []
    for city in CITIES:
        c = c21[c21["city_id"] == city.city_id]
        fb.append(dissimilarity(c["pop_foreign_born"], c["pop_native"]))
        groups += [dissimilarity(c[pop_column(g)], c["pop_native"]) for g in city.origins]
    rows = []
    for target, published, tolerance, achieved in (
        (
            "Dissimilarity index, all foreign-born vs natives, 100 m grid cells (as fine as "
            "census tracts), 2021, mean of the six synthetic cities",
            0.30,
            0.10,
            float(np.mean(fb)),
        ),
        (
            "Dissimilarity index, specific non-EU origin groups vs natives, 100 m grid "
            "cells, 2021, mean over the cities' main non-EU groups (published range "
            "0.55-0.75)",
            0.65,
            0.10,
            float(np.mean(groups)),
        ),
    ):
        rows.append(calibration_row(target, SEGREGATION_SOURCE, published, achieved, tolerance))
    return rows


# --------------------------------------------------------------------------------------
# Datasheets
# --------------------------------------------------------------------------------------


def _city_table_md() -> str:
    lines = [
        "| city | host | grid (100 m cells) | residents 2011 / 2021 | districts | planted "
        "segregation level | main non-EU origins |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for c in CITIES:
        lines.append(
            f"| {c.name} (`{c.city_id}`) | {c.host_iso3} | {c.cells_per_side} x "
            f"{c.cells_per_side} | about {c.population[0]:,} / {c.population[1]:,} | "
            f"{c.districts} | {c.segregation_level:.2f} | {', '.join(sorted(c.origins))} |"
        )
    return "\n".join(lines)


def _cities_datasheet() -> dict:
    """The prose of ``cities.md``: template ``datasheets/cities.md``, planted values filled."""
    e, h = ELECTIONS, HOUSING
    return datasheet(
        "cities",
        city_table=_city_table_md(),
        populated_fraction=f"{LAYOUT['populated_fraction']:.0%}",
        max_residents_per_cell=f"{LAYOUT['max_residents_per_cell']:g}",
        rho_arrival_main=SEGREGATION["rho_arrival_field"]["main"],
        clustering_eu_born=SEGREGATION["clustering"]["eu_born"],
        clustering_other_non_eu=SEGREGATION["clustering"]["other_non_eu"],
        minor_origin_share_pct=SEGREGATION["minor_origin_share_pct"],
        beta_non_eu_share=f"{h['beta_non_eu_share']:+}",
        beta_distance_per_km=f"{h['beta_distance_per_km']:+}",
        price_noise_sd=h["noise_sd_log"],
        native_support_beta=e["native_support_beta_foreign_share"],
        foreign_born_support=e["foreign_born_support"],
        foreign_born_turnout_offset=e["foreign_born_turnout_logit_offset"],
    )


def _phone_datasheet() -> dict:
    """The prose of ``phone_activity.md``: template ``datasheets/phone_activity.md``."""
    p = PHONE
    arrivals = ", ".join(
        f"{iso3} in {c.name} (midpoint {g.arrival_year})"
        for c in CITIES
        for iso3, g in c.origins.items()
        if g.arrival_year is not None
    )
    return datasheet(
        "phone_activity",
        arrivals=arrivals,
        market_share=p["operator_market_share"],
        market_share_sd=p["market_share_antenna_sd_log"],
        caller_fraction=p["caller_fraction"]["default"],
        background_sims=p["background_sims_per_resident"],
        calls_per_sim=f"{p['calls_per_sim_per_year']['default']:g}",
        suppression_threshold=p["suppression_threshold_sims"],
        ott_decline_sims=f"{p['ott_decline_sims_per_year']:.0%}",
        ott_decline_calls=f"{p['ott_decline_calls_per_year']:.0%}",
        covid_2020_rise=f"{p['covid_2020_calls_multiplier'] - 1:.0%}",
    )
