"""Frictionless Table Schemas of the core datasets, and a small builder for fields."""

from __future__ import annotations

ISO3_PATTERN = "^[A-Z]{3}$"


def field(name: str, type_: str, description: str, unit: str | None = None, **constraints) -> dict:
    """A Table Schema field; ``unit`` is a course extension that says what one unit is."""
    f = {"name": name, "type": type_, "description": description}
    if unit:
        f["unit"] = unit
    if constraints:
        f["constraints"] = constraints
    return f


def iso3(name: str, description: str, required: bool = True) -> dict:
    return field(name, "string", description, required=required, pattern=ISO3_PATTERN)


def fk(*names: str) -> list[dict]:
    """Foreign keys from the given ISO3 columns to ``countries.iso3``."""
    return [
        {"fields": [n], "reference": {"resource": "countries", "fields": ["iso3"]}} for n in names
    ]


COUNTRIES = {
    "fields": [
        iso3("iso3", "ISO 3166-1 alpha-3 code (XKX for Kosovo, a code in common use)"),
        field(
            "iso2",
            "string",
            "ISO 3166-1 alpha-2 code (XK for Kosovo)",
            required=True,
            pattern="^[A-Z]{2}$",
        ),
        field("name", "string", "Short English name (GeoNames)", required=True),
        field(
            "name_natural_earth",
            "string",
            "Name in the Natural Earth map (world.gpkg), often abbreviated; empty for "
            "countries not on the 1:110m map",
        ),
        field("capital", "string", "Capital city (GeoNames)"),
        field(
            "capital_lat",
            "number",
            "Latitude of the capital",
            "degrees (WGS 84)",
            required=True,
            minimum=-90,
            maximum=90,
        ),
        field(
            "capital_lon",
            "number",
            "Longitude of the capital",
            "degrees (WGS 84)",
            required=True,
            minimum=-180,
            maximum=180,
        ),
        field(
            "languages",
            "string",
            "Up to three languages (ISO 639 codes, GeoNames order: main language first), "
            "separated by ';'",
        ),
        field(
            "neighbours_iso3",
            "string",
            "Land neighbours among the countries of this table (GeoNames), ISO3 codes "
            "separated by ';'",
        ),
        field(
            "pop_est_natural_earth",
            "integer",
            "Population estimate in Natural Earth",
            "persons",
            required=True,
            minimum=0,
        ),
        field(
            "gdp_md_est_natural_earth",
            "number",
            "GDP estimate in Natural Earth",
            "million US dollars",
            required=True,
            minimum=0,
        ),
        field(
            "continent",
            "string",
            "Continent (UN geoscheme via country_converter)",
            required=True,
            enum=["Africa", "America", "Asia", "Europe", "Oceania"],
        ),
        field("region", "string", "UN M49 sub-region (via country_converter)", required=True),
        field("eu_member", "boolean", "Member state of the EU-27", required=True),
        field(
            "population",
            "integer",
            "True population in 2020 of the simulated world",
            "persons",
            required=True,
            minimum=0,
        ),
        field(
            "gdp_per_capita_usd",
            "number",
            "True GDP per person in 2020 of the simulated world, PPP",
            "US dollars (PPP)",
            required=True,
            minimum=0,
        ),
    ],
    "primaryKey": ["iso3"],
}

COUNTRY_INDICATORS = {
    "fields": [
        iso3("iso3", "Country"),
        field("year", "integer", "Reference year", required=True, minimum=1990, maximum=2023),
        field("population", "integer", "Mid-year population", "persons", minimum=0),
        field(
            "gdp_per_capita_ppp_usd",
            "number",
            "GDP per person, purchasing power parity",
            "US dollars (PPP)",
            minimum=0,
        ),
        field(
            "unemployment_rate_pct",
            "number",
            "Unemployment rate",
            "% of labour force",
            minimum=0,
            maximum=100,
        ),
    ],
    "primaryKey": ["iso3", "year"],
    "foreignKeys": fk("iso3"),
    "missingValues": [""],
}

MIGRANT_STOCKS = {
    "fields": [
        field(
            "year",
            "integer",
            "Reference year (mid-year estimate)",
            required=True,
            enum=[1990, 1995, 2000, 2005, 2010, 2015, 2020],
        ),
        iso3("destination_iso3", "Country of residence"),
        iso3(
            "origin_iso3",
            "Country of birth (or of citizenship where basis = citizenship); empty where the "
            "destination could not split its stock by origin",
            required=False,
        ),
        field(
            "migrant_stock",
            "integer",
            "International migrants, both sexes",
            "persons",
            required=True,
            minimum=0,
        ),
        field(
            "migrant_stock_female",
            "integer",
            "International migrants, women",
            "persons",
            required=True,
            minimum=0,
        ),
        field(
            "basis",
            "string",
            "What the destination counts: foreign-born persons or foreign citizens",
            required=True,
            enum=["birth", "citizenship"],
        ),
    ],
    "foreignKeys": fk("destination_iso3", "origin_iso3"),
    "missingValues": [""],
}

EU_IMMIGRATION_FLOWS = {
    "fields": [
        field("year", "integer", "Year of arrival", required=True, minimum=2008, maximum=2021),
        iso3("destination_iso3", "EU member state reporting the immigration"),
        iso3("citizenship_iso3", "Citizenship of the immigrants"),
        field(
            "immigrants",
            "integer",
            "Immigrants during the year; empty where the member state did not report",
            "persons",
            minimum=0,
        ),
        field(
            "definition",
            "string",
            "Duration rule of the reporting country: the UN 12-month rule or a shorter "
            "national definition",
            required=True,
            enum=["12_months", "national"],
        ),
    ],
    "primaryKey": ["year", "destination_iso3", "citizenship_iso3"],
    "foreignKeys": fk("destination_iso3", "citizenship_iso3"),
    "missingValues": [""],
}

SOCIAL_MEDIA_AUDIENCE = {
    "fields": [
        field(
            "date", "date", "Date the audience was queried (1 January and 1 July)", required=True
        ),
        iso3("destination_iso3", "Country where the audience lives now"),
        iso3("origin_iso3", "Country the audience 'lived in' before (platform's inference)"),
        field(
            "age_group",
            "string",
            "Age group",
            "years",
            required=True,
            enum=["18-29", "30-44", "45-64", "65+"],
        ),
        field(
            "sex",
            "string",
            "Sex as inferred by the platform",
            required=True,
            enum=["female", "male"],
        ),
        field(
            "audience_lower",
            "integer",
            "Lower bound of the monthly active audience, rounded; 1,000 is a floor",
            "persons",
            required=True,
            minimum=1000,
        ),
        field(
            "audience_upper",
            "integer",
            "Upper bound of the monthly active audience, rounded; 1,000 is a floor",
            "persons",
            required=True,
            minimum=1000,
        ),
    ],
    "primaryKey": ["date", "destination_iso3", "origin_iso3", "age_group", "sex"],
    "foreignKeys": fk("destination_iso3", "origin_iso3"),
}

PROFESSIONAL_NETWORK = {
    "fields": [
        field("year", "integer", "Year of the snapshot (end of year)", required=True),
        iso3("destination_iso3", "Country where the members live"),
        iso3("origin_iso3", "Country where the members studied or were born (inferred)"),
        field(
            "education",
            "string",
            "Highest education level on the member's profile",
            required=True,
            enum=["tertiary", "upper_secondary", "lower_secondary_or_less"],
        ),
        field("members", "integer", "Members of the network", "persons", required=True, minimum=0),
    ],
    "primaryKey": ["year", "destination_iso3", "origin_iso3", "education"],
    "foreignKeys": fk("destination_iso3", "origin_iso3"),
}

TRUE_STOCKS = {
    "fields": [
        iso3("origin_iso3", "Country of birth"),
        iso3("destination_iso3", "Country of residence"),
        field(
            "year",
            "integer",
            "Year (stock at the end of the year)",
            required=True,
            minimum=1990,
            maximum=2023,
        ),
        field("stock", "integer", "True migrant stock", "persons", required=True, minimum=0),
        field(
            "stock_female",
            "integer",
            "True migrant stock, women",
            "persons",
            required=True,
            minimum=0,
        ),
    ],
    "primaryKey": ["origin_iso3", "destination_iso3", "year"],
    "foreignKeys": fk("origin_iso3", "destination_iso3"),
}

TRUE_FLOWS = {
    "fields": [
        iso3("origin_iso3", "Country of birth"),
        iso3("destination_iso3", "Country of arrival"),
        field("year", "integer", "Year of arrival", required=True, minimum=1991, maximum=2023),
        field(
            "flow",
            "integer",
            "True migrants arriving during the year",
            "persons",
            required=True,
            minimum=0,
        ),
    ],
    "primaryKey": ["origin_iso3", "destination_iso3", "year"],
    "foreignKeys": fk("origin_iso3", "destination_iso3"),
}

TRUE_EDUCATION = {
    "fields": [
        iso3("destination_iso3", "Country of residence"),
        iso3("origin_iso3", "Country of birth"),
        field(
            "education",
            "string",
            "Highest education level",
            required=True,
            enum=["tertiary", "upper_secondary", "lower_secondary_or_less"],
        ),
        field(
            "true_adult_stock",
            "integer",
            "True adult (18+) migrants with that education",
            "persons",
            required=True,
            minimum=0,
        ),
    ],
    "primaryKey": ["destination_iso3", "origin_iso3", "education"],
    "foreignKeys": fk("destination_iso3", "origin_iso3"),
}

CALIBRATION = {
    "fields": [
        field("target", "string", "What is calibrated", required=True),
        field("source", "string", "Where the published value comes from", required=True),
        field("published_value", "number", "Published (or assumed) value"),
        field("achieved_value", "number", "Value in the generated data", required=True),
        field("tolerance", "number", "Largest accepted absolute difference"),
        field("unit", "string", "Unit of the values"),
        field(
            "within_tolerance", "boolean", "achieved within tolerance of published", required=True
        ),
    ],
    "primaryKey": ["target"],
    "missingValues": [""],
}

WORLD_LAYER = {
    "fields": [
        field("pop_est", "number", "Population estimate", "persons"),
        field("continent", "string", "Continent (Natural Earth)"),
        field("name", "string", "Short name (Natural Earth)"),
        field(
            "iso_a3",
            "string",
            "ISO3 code; '-99' where Natural Earth has none (France, "
            "Norway, Kosovo, N. Cyprus, Somaliland)",
        ),
        field("gdp_md_est", "number", "GDP estimate", "million US dollars"),
        field("geometry", "geojson", "Country polygons, WGS 84 (EPSG:4326)"),
    ]
}
