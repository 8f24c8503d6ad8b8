"""The real data bundled beside the synthetic world: what each file is, and its checks.

``data/real/`` holds extracts of real, openly licensed sources (UN DESA migrant stocks,
World Bank WDI, CEPII GeoDist, OpenFlights). They are inputs kept by hand, like
``data/sources/``: ``make data`` never rewrites them. It checks each file against the
SHA-256 hash recorded here (a changed file stops the build), copies the files when it
writes to another folder, and describes them in ``datapackage.json`` and in a datasheet
(``data/datasheets/<name>.md``, prose from ``datasheets/<name>.md`` in this package).

How the files were made from the publishers' files is :mod:`migrationlab_world.real_rebuild`
(run by hand when the upstream files are at hand, never by ``make data``; the tests rebuild
only the two files whose originals are bundled, in ``data/real/originals/``).
``data/real/LICENSES.md`` states every licence and the attribution each publisher asks for.

Each file is checked against the figures its publisher printed (:data:`PUBLISHED_FIGURES`):
the datasheets list them, and ``tests/test_real_data.py`` recomputes each one through the
loaders of :mod:`migrationlab.data`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from migrationlab import REPO_ROOT
from migrationlab_world._io import Resource, datasheet, sha256

#: The hand-kept copy that ``make data`` reads (and copies when it writes elsewhere).
REAL_DIR = REPO_ROOT / "data" / "real"

CC_BY_IGO = {
    "name": "CC-BY-3.0-IGO",
    "path": "https://creativecommons.org/licenses/by/3.0/igo/",
    "title": "Creative Commons Attribution 3.0 IGO",
}
CC_BY_4 = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
ETALAB = {
    "name": "etalab-2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "title": "Licence Ouverte / Open Licence 2.0 (Etalab), as stated by replication packages",
}
ODBL = {
    "name": "ODbL-1.0",
    "path": "https://opendatacommons.org/licenses/odbl/1-0/",
    "title": "Open Data Commons Open Database License 1.0",
}

_UN_2020 = {
    "title": "UN DESA Population Division, International Migrant Stock 2020: Destination "
    "(POP/DB/MIG/Stock/Rev.2020)",
    "path": "https://www.un.org/development/desa/pd/content/international-migrant-stock",
}
_UN_2019 = {
    "title": "UN DESA Population Division, International Migrant Stock 2019: by destination "
    "and origin (POP/DB/MIG/Stock/Rev.2019), via the cleaned copy of guyabel/stepladderChapter",
    "path": "https://www.un.org/en/development/desa/population/migration/data/estimates2/"
    "estimates19.asp",
}
_WDI_POP = {
    "title": "World Bank, World Development Indicators: Population, total (SP.POP.TOTL)",
    "path": "https://data.worldbank.org/indicator/SP.POP.TOTL",
}
_WDI_GDP = {
    "title": "World Bank, World Development Indicators: GDP per capita, PPP (current "
    "international $) (NY.GDP.PCAP.PP.CD), release of 2023-07-25",
    "path": "https://data.worldbank.org/indicator/NY.GDP.PCAP.PP.CD",
}
_CEPII = {
    "title": "CEPII GeoDist (dist_cepii); Mayer and Zignago (2011), CEPII Working Paper 2011-25",
    "path": "http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=6",
}
_OPENFLIGHTS = {
    "title": "OpenFlights.org airport, airline and route data (routes: June 2014 snapshot)",
    "path": "https://openflights.org/data.php",
}


def _f(name: str, type_: str, description: str, **extra) -> dict:
    field = {"name": name, "type": type_, "description": description}
    constraints = {k: v for k, v in extra.items() if k in ("required", "minimum", "enum")}
    if constraints:
        field["constraints"] = constraints
    if "unit" in extra:
        field["unit"] = extra["unit"]
    return field


_PERSONS = "persons"
_NUMBER_NOTE = " (a whole number written as a decimal by the upstream export)"

# fmt: off
_SCHEMAS = {
    "un_stocks_by_destination_2020": {
        "fields": [
            _f("location_code", "integer", "UN M49 code; below 900 a country or area, from "
               "900 an aggregate (900 = World)", required=True, minimum=0),
            _f("year", "integer", "mid-year of the estimate", required=True,
               enum=[1990, 1995, 2000, 2005, 2010, 2015, 2020]),
            _f("is_country", "boolean", "true for a country or area (M49 code below 900)",
               required=True),
            _f("location", "string", "name as published, footnote marks removed", required=True),
            _f("type_of_data", "string", "UN DESA's basis of the estimate for a country (B "
               "birthplace, C citizenship, I imputed; R refugees added); empty for aggregates"),
            _f("migrant_stock", "number", "international migrants, both sexes" + _NUMBER_NOTE,
               minimum=0, unit=_PERSONS),
            _f("migrant_stock_male", "number", "male international migrants", minimum=0,
               unit=_PERSONS),
            _f("migrant_stock_female", "number", "female international migrants", minimum=0,
               unit=_PERSONS),
            _f("population_thousands", "number", "total population, both sexes", minimum=0,
               unit="thousands of persons"),
            _f("population_male_thousands", "number", "male population", minimum=0,
               unit="thousands of persons"),
            _f("population_female_thousands", "number", "female population", minimum=0,
               unit="thousands of persons"),
            _f("refugees_incl_asylum_seekers", "number", "refugees and asylum seekers "
               "(UNHCR and UNRWA figures as used by UN DESA); empty where the workbook shows "
               "'~' (fewer than five, withheld for privacy) or '..' (not available)",
               minimum=0, unit=_PERSONS),
        ],
        "primaryKey": ["location_code", "year"],
    },
    "un_stocks_origin_destination_2019": {
        "fields": [
            _f("year", "integer", "mid-year of the estimate", required=True,
               enum=[1990, 1995, 2000, 2005, 2010, 2015, 2019]),
            _f("destination", "string", "country or area of destination (UN name)",
               required=True),
            _f("destination_code", "integer", "UN M49 code of the destination", required=True),
            _f("origin", "string", "country or area of origin (UN name)", required=True),
            _f("origin_code", "integer", "UN M49 code of the origin", required=True),
            _f("migrant_stock", "number", "migrants born in (or citizens of) the origin living "
               "in the destination; empty where UN DESA published '..' (not available); "
               "pairs published as zero are left out" + _NUMBER_NOTE, minimum=0,
               unit=_PERSONS),
        ],
        "primaryKey": ["year", "destination_code", "origin_code"],
    },
    "wdi_population": {
        "fields": [
            _f("country_name", "string", "World Bank name", required=True),
            _f("iso3", "string", "ISO 3166-1 alpha-3 code, or a World Bank aggregate code "
               "(WLD, EUU, HIC, ...)", required=True),
            _f("year", "integer", "year", required=True, minimum=1960),
            _f("population", "integer", "total population, mid-year (SP.POP.TOTL)",
               required=True, minimum=0, unit=_PERSONS),
        ],
        "primaryKey": ["iso3", "year"],
    },
    "wdi_gdp_per_capita_ppp": {
        "fields": [
            _f("country_name", "string", "World Bank name", required=True),
            _f("iso3", "string", "ISO 3166-1 alpha-3 code, or a World Bank aggregate code",
               required=True),
            _f("year", "integer", "year", required=True, minimum=1990),
            _f("gdp_pc_ppp_current_intl_usd", "number", "GDP per capita, PPP "
               "(NY.GDP.PCAP.PP.CD); current, not constant, prices", required=True,
               minimum=0, unit="current international $"),
            _f("wb_region", "string", "World Bank region; empty for aggregates"),
            _f("wb_income_group", "string", "World Bank income group (2023 classification); "
               "empty for aggregates and a few unclassified economies"),
            _f("is_aggregate", "boolean", "true for World Bank aggregates (no region)",
               required=True),
        ],
        "primaryKey": ["iso3", "year"],
    },
    "cepii_geodist": {
        "fields": [
            _f("iso_o", "string", "ISO3 code of the first country, as CEPII writes it (TMP "
               "for Timor-Leste)", required=True),
            _f("iso_d", "string", "ISO3 code of the second country, as CEPII writes it",
               required=True),
            _f("contig", "integer", "1 if the two countries share a land border", required=True,
               enum=[0, 1]),
            _f("comlang_off", "integer", "1 if they share an official language", required=True,
               enum=[0, 1]),
            _f("comlang_ethno", "integer", "1 if a language is spoken by at least 9 % of the "
               "population of both", required=True, enum=[0, 1]),
            _f("colony", "integer", "1 if they were ever in a colonial relationship",
               required=True, enum=[0, 1]),
            _f("comcol", "integer", "1 if they had a common coloniser after 1945",
               required=True, enum=[0, 1]),
            _f("curcol", "integer", "1 if they are currently in a colonial relationship",
               required=True, enum=[0, 1]),
            _f("col45", "integer", "1 if in a colonial relationship after 1945", required=True,
               enum=[0, 1]),
            _f("smctry", "integer", "1 if they were or are the same country", required=True,
               enum=[0, 1]),
            _f("dist", "number", "great-circle distance between the most populated cities",
               required=True, minimum=0, unit="km"),
            _f("distcap", "number", "great-circle distance between the capitals",
               required=True, minimum=0, unit="km"),
            _f("distw", "number", "population-weighted distance (theta = 1); '.' (missing) "
               "for a few small territories", minimum=0, unit="km"),
            _f("distwces", "number", "population-weighted distance (theta = -1); '.' "
               "(missing) for a few small territories", minimum=0, unit="km"),
        ],
        "primaryKey": ["iso_o", "iso_d"],
        "missingValues": ["", "."],
    },
    "openflights_airports": {
        "fields": [
            _f("airport_id", "integer", "OpenFlights airport id", required=True),
            _f("name", "string", "airport name", required=True),
            _f("city", "string", "main city served"),
            _f("country", "string", "country or territory, OpenFlights' name (see "
               "openflights_countries)", required=True),
            _f("iata", "string", "IATA code"),
            _f("icao", "string", "ICAO code"),
            _f("latitude", "number", "decimal degrees, north positive", required=True),
            _f("longitude", "number", "decimal degrees, east positive", required=True),
            _f("altitude_ft", "integer", "altitude", required=True, unit="feet"),
            _f("utc_offset", "number", "hours offset from UTC (standard time)", unit="hours"),
            _f("dst", "string", "daylight saving rule (E Europe, A US/Canada, S South America, "
               "O Australia, Z New Zealand, N none, U unknown)"),
            _f("tz", "string", "Olson time zone"),
            _f("type", "string", "kind of place (all rows: airport)", required=True),
            _f("source", "string", "where OpenFlights took the row from", required=True),
        ],
        "primaryKey": ["airport_id"],
    },
    "openflights_routes": {
        "fields": [
            _f("airline", "string", "IATA (2-letter) or ICAO (3-letter) airline code",
               required=True),
            _f("airline_id", "number", "OpenFlights airline id" + _NUMBER_NOTE),
            _f("source_airport", "string", "IATA or ICAO code of the departure airport",
               required=True),
            _f("source_airport_id", "number", "OpenFlights id of the departure airport; empty "
               "where the airport is not in the airport table" + _NUMBER_NOTE),
            _f("destination_airport", "string", "IATA or ICAO code of the arrival airport",
               required=True),
            _f("destination_airport_id", "number", "OpenFlights id of the arrival airport"
               + _NUMBER_NOTE),
            _f("codeshare", "string", "Y if the flight is operated by another carrier",
               enum=["Y"]),
            _f("stops", "integer", "number of stops (0 for direct)", required=True, minimum=0),
            _f("equipment", "string", "aircraft types, space-separated"),
        ],
    },
    "openflights_airlines": {
        "fields": [
            _f("airline_id", "integer", "OpenFlights airline id", required=True),
            _f("name", "string", "airline name", required=True),
            _f("alias", "string", "alias"),
            _f("iata", "string", "IATA code; empty (or, in two rows, '-') where none"),
            _f("icao", "string", "ICAO code"),
            _f("callsign", "string", "callsign"),
            _f("country", "string", "country of registration, OpenFlights' name"),
            _f("active", "string", "Y if the airline is or was recently operational "
               "(a few rows have a lower-case n)", required=True, enum=["Y", "N", "n"]),
        ],
        "primaryKey": ["airline_id"],
    },
    "openflights_countries": {
        "fields": [
            _f("name", "string", "OpenFlights' country name, as used in the airport and "
               "airline tables", required=True),
            _f("iso_code", "string", "ISO 3166-1 alpha-2 code (empty for a few uninhabited "
               "territories; NA is Namibia)"),
            _f("dafif_code", "string", "FIPS / DAFIF code (India and Palestine have two "
               "rows each, one per DAFIF code)"),
        ],
        "primaryKey": ["name", "dafif_code"],
    },
}
# fmt: on


@dataclass(frozen=True)
class RealFile:
    """One real file of ``data/real/``: its resource name, description and recorded hash."""

    name: str
    file: str
    title: str
    description: str
    sha256: str
    source: dict
    license: dict


REAL_FILES = [
    RealFile(
        "un_stocks_by_destination_2020",
        "un_ims2020_by_destination.csv",
        "UN DESA International Migrant Stock 2020, by destination and sex (real)",
        "International migrants by sex, total population and refugees for 235 countries "
        "and areas and 47 aggregates, 1990-2020 (seven years).",
        "f46d7f032f6c07da877dd179aaf82a0336da15e31789eeda2325dfab7cc10507",
        _UN_2020,
        CC_BY_IGO,
    ),
    RealFile(
        "un_stocks_origin_destination_2019",
        "un_ims2019_origin_destination.csv.gz",
        "UN DESA International Migrant Stock 2019, origin x destination (real)",
        "Bilateral migrant stocks between 232 origins and 231 destinations, 1990-2019 "
        "(seven years); without the 'unknown origin' columns, so sums over origins fall "
        "short of the published totals.",
        "3256a3aa7d53479dabb997b97f334f221f10c372e5f48d31ccf98d2d90dc8813",
        _UN_2019,
        CC_BY_IGO,
    ),
    RealFile(
        "wdi_population",
        "wdi_population.csv",
        "World Bank WDI: total population, 1960-2024 (real)",
        "Population of 217 economies and the World Bank aggregates, 1960-2024.",
        "c9bee168ad5776b4e94920b4a056c3e8a88eac7cbbebd03f4c31d5574739cf54",
        _WDI_POP,
        CC_BY_4,
    ),
    RealFile(
        "wdi_gdp_per_capita_ppp",
        "wdi_gdp_per_capita_ppp.csv",
        "World Bank WDI: GDP per capita, PPP, 1990-2022, with region and income group (real)",
        "GDP per capita in current international dollars (PPP), with the World Bank region "
        "and income group of each economy.",
        "3e40d5dd4106e2e1f519120f5dc8ac4c5e1da04742fce512edf1277f6c03334e",
        _WDI_GDP,
        CC_BY_4,
    ),
    RealFile(
        "cepii_geodist",
        "cepii_geodist_dist.csv.gz",
        "CEPII GeoDist: distances, contiguity, common language, colonial ties (real)",
        "All 50,176 ordered pairs of 224 countries: four distance measures and eight "
        "dummies for borders, languages and colonial links.",
        "be0f97c8620791dbcc46d04cf6bc5ea982134bc7d362af6d4df3b9f25887ca98",
        _CEPII,
        ETALAB,
    ),
    RealFile(
        "openflights_airports",
        "openflights_airports.csv.gz",
        "OpenFlights airports (real)",
        "7,698 airports with codes, coordinates and time zones.",
        "51c57ea3c6f3121261377fbfb1873db2745fd5a75fe99da25317ba77b0058c92",
        _OPENFLIGHTS,
        ODBL,
    ),
    RealFile(
        "openflights_routes",
        "openflights_routes.csv.gz",
        "OpenFlights routes, June 2014 snapshot (real)",
        "67,663 airline routes between 3,321 airports: who flies from where to where, "
        "not how many passengers.",
        "9c43654f32b0ae1162934da9ce9690d67059eaa7b6b3aa41499dea13f466da26",
        _OPENFLIGHTS,
        ODBL,
    ),
    RealFile(
        "openflights_airlines",
        "openflights_airlines.csv",
        "OpenFlights airlines (real)",
        "6,162 airlines with codes, country and whether they are active.",
        "01ca3fbbc81a4ca1cc12ef8668881f763cec9f80a80ad987ad825c7235c0667f",
        _OPENFLIGHTS,
        ODBL,
    ),
    RealFile(
        "openflights_countries",
        "openflights_countries.csv",
        "OpenFlights countries: names to ISO codes (real)",
        "The 261 country names used by the OpenFlights tables with their ISO 3166-1 alpha-2 codes.",
        "3fba03f1260572466da5d7141d59e6cd69379277ad69b4a629e9a992d6918c3a",
        _OPENFLIGHTS,
        ODBL,
    ),
]

#: The publishers' own files, unchanged, for testing the readers of their formats.
ORIGINALS = {
    "originals/undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx": (
        "c2bae98812a1f68b1d7f57a8d3d11903b85522d664f319dfe87daa30f653fd5b"
    ),
    "originals/API_NY.GDP.PCAP.PP.CD_DS2_en_csv_v2_5728866.csv": (
        "544a48104e9cd97788b6cd82f5a5055a65901425046937b5e3462e10dfdba4d2"
    ),
    "originals/Metadata_Country_API_NY.GDP.PCAP.PP.CD_DS2_en_csv_v2_5728866.csv": (
        "bffd10162a3c5d64e8fd921bc57e4690bd58c8a801050daa6a621ecfded94b6b"
    ),
}

#: Figures printed by each publisher, recomputed from the bundled file by the tests.
#: ``where`` is a pandas query on the table its loader returns; ``column`` is summed over
#: the selected rows (``rows`` counts them); ``tolerance`` is absolute.
PUBLISHED_FIGURES = [
    {"dataset": "un_stocks_by_destination_2020", "what": "World migrant stock, 2020",
     "where": "location_code == 900 and year == 2020", "column": "migrant_stock",
     "value": 280_598_105, "tolerance": 0,
     "source": "UN DESA, International Migrant Stock 2020 (280.6 million)"},
    {"dataset": "un_stocks_by_destination_2020", "what": "World migrant stock, 1990",
     "where": "location_code == 900 and year == 1990", "column": "migrant_stock",
     "value": 152_986_157, "tolerance": 0,
     "source": "UN DESA, International Migrant Stock 2020 (153.0 million)"},
    {"dataset": "un_stocks_by_destination_2020", "what": "United States, 2020",
     "where": "location_code == 840 and year == 2020", "column": "migrant_stock",
     "value": 50_632_836, "tolerance": 0,
     "source": "UN DESA, International Migrant Stock 2020 (50.6 million)"},
    {"dataset": "un_stocks_by_destination_2020", "what": "Sum of the countries, 2020 "
     "(equals the World row)", "where": "is_country and year == 2020",
     "column": "migrant_stock", "value": 280_598_105, "tolerance": 10,
     "source": "UN DESA, International Migrant Stock 2020"},
    {"dataset": "un_stocks_origin_destination_2019", "what": "Mexico to United States, 2019",
     "where": "origin_code == 484 and destination_code == 840 and year == 2019",
     "column": "migrant_stock", "value": 11_489_684, "tolerance": 0,
     "source": "UN DESA, International Migrant Stock 2019 (about 11.5 million)"},
    {"dataset": "un_stocks_origin_destination_2019", "what": "Mexico to United States, 1990",
     "where": "origin_code == 484 and destination_code == 840 and year == 1990",
     "column": "migrant_stock", "value": 4_298_014, "tolerance": 0,
     "source": "UN DESA, International Migrant Stock 2019"},
    {"dataset": "wdi_population", "what": "United States, 2024",
     "where": "iso3 == 'USA' and year == 2024", "column": "population",
     "value": 340_110_988, "tolerance": 0, "source": "World Bank WDI, SP.POP.TOTL"},
    {"dataset": "wdi_population", "what": "World, 2023", "where": "iso3 == 'WLD' and "
     "year == 2023", "column": "population", "value": 8_064_057_930, "tolerance": 0,
     "source": "World Bank WDI, SP.POP.TOTL (8.06 billion)"},
    {"dataset": "wdi_gdp_per_capita_ppp", "what": "United States, 2022",
     "where": "iso3 == 'USA' and year == 2022", "column": "gdp_pc_ppp_current_intl_usd",
     "value": 76_398.59, "tolerance": 0.01,
     "source": "World Bank WDI, NY.GDP.PCAP.PP.CD, July 2023"},
    {"dataset": "cepii_geodist", "what": "Ordered country pairs (224 x 224)", "where": None,
     "column": "rows", "value": 50_176, "tolerance": 0,
     "source": "Mayer and Zignago (2011), GeoDist documentation"},
    {"dataset": "cepii_geodist", "what": "United States and Mexico share a border",
     "where": "iso_o == 'USA' and iso_d == 'MEX'", "column": "contig", "value": 1,
     "tolerance": 0, "source": "CEPII GeoDist"},
    {"dataset": "openflights_routes", "what": "Routes", "where": None, "column": "rows",
     "value": 67_663, "tolerance": 0,
     "source": "openflights.org/data.php (67,663 routes)"},
    {"dataset": "openflights_airports", "what": "Airports", "where": None, "column": "rows",
     "value": 7_698, "tolerance": 0, "source": "jpatokal/openflights airports.dat"},
    {"dataset": "openflights_airlines", "what": "Airlines", "where": None, "column": "rows",
     "value": 6_162, "tolerance": 0, "source": "jpatokal/openflights airlines.dat"},
    {"dataset": "openflights_countries", "what": "Countries and territories", "where": None,
     "column": "rows", "value": 261, "tolerance": 0,
     "source": "jpatokal/openflights countries.dat"},
]  # fmt: skip


class RealDataError(RuntimeError):
    """A file of ``data/real/`` is missing or is not the copy the course recorded."""


def check_real_files(real_dir: Path = REAL_DIR) -> None:
    """Every real file and original is present with its recorded hash, or raise."""
    expected = {f.file: f.sha256 for f in REAL_FILES} | ORIGINALS
    for rel, digest in expected.items():
        path = real_dir / rel
        if not path.exists():
            raise RealDataError(
                f"{path}: missing. The real extracts are kept by hand in data/real/ and are "
                "never regenerated: restore it with `git checkout -- data/real/`."
            )
        got = sha256(path)
        if got != digest:
            raise RealDataError(
                f"{path}: SHA-256 {got[:12]}… instead of the recorded {digest[:12]}…. Restore "
                "it with `git checkout -- data/real/`; if you rebuilt it on purpose "
                "(migrationlab_world.real_rebuild), record the new hash in "
                "migrationlab_world/real.py and say what changed in its datasheet."
            )


def copy_real_files(data_dir: Path, real_dir: Path = REAL_DIR) -> None:
    """Check the real files, and copy them into ``data_dir/real`` if that is elsewhere."""
    check_real_files(real_dir)
    target = Path(data_dir) / "real"
    if target.resolve() == real_dir.resolve():
        return
    for rel in [f.file for f in REAL_FILES] + list(ORIGINALS) + ["LICENSES.md"]:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(real_dir / rel, target / rel)


def _figures_table(name: str) -> str:
    rows = [f for f in PUBLISHED_FIGURES if f["dataset"] == name]
    lines = [
        "Each figure is recomputed from this file by `tests/test_real_data.py`.",
        "",
        "| figure | value | published by |",
        "| --- | --- | --- |",
    ]
    for f in rows:
        value = f"{f['value']:,.2f}" if isinstance(f["value"], float) else f"{f['value']:,}"
        lines.append(f"| {f['what']} | {value} | {f['source']} |")
    return "\n".join(lines)


def real_resources(data_dir: Path) -> list[Resource]:
    """One :class:`Resource` per real file (read only to count rows; never rewritten)."""
    out = []
    for f in REAL_FILES:
        schema = _SCHEMAS[f.name]
        na = schema.get("missingValues", [""])
        table = pd.read_csv(
            Path(data_dir) / "real" / f.file, dtype=str, keep_default_na=False, na_values=na
        )
        prose = datasheet(f.name)
        prose["checks"] = _figures_table(f.name)
        out.append(
            Resource(
                name=f.name,
                path=f"real/{f.file}",
                title=f.title,
                description=f.description,
                data=table,
                schema=schema,
                synthetic=False,
                mimics="nothing: real data",
                sources=[f.source],
                licenses=[f.license],
                datasheet=prose,
            )
        )
    return out


@contextlib.contextmanager
def loader_dir(real_dir: Path = REAL_DIR):
    """A scratch folder from which :mod:`migrationlab.data`'s loaders read the real files.

    It holds a ``datapackage.json`` of the real resources only and a link to ``real_dir``,
    so that the generator reads the real data with the loaders' checks (hash, schema, the
    ISO3 columns they add) also while ``make data`` is rewriting ``data/`` itself.
    """
    check_real_files(real_dir)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "real").symlink_to(Path(real_dir).resolve(), target_is_directory=True)
        package = {"resources": [r.descriptor(folder) for r in real_resources(folder)]}
        (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
        yield folder


@functools.cache
def _load_once(name: str) -> pd.DataFrame:
    from migrationlab import data

    with loader_dir() as folder:
        return getattr(data, f"load_{name}")(data_dir=folder)


def load(name: str) -> pd.DataFrame:
    """The real table ``name`` as ``migrationlab.data.load_<name>()`` returns it (a copy)."""
    return _load_once(name).copy()
