"""A catalogue of real migration data sources: real metadata, not synthetic data.

The course points students to the sources that its synthetic sample data imitate, in the
manner of a migration data hub (the Knowledge Centre on Migration and Demography's Data
Catalogue and Dynamic Data Hub, the IOM GMDAC Migration Data Portal). One row per source:
who publishes it, what it measures and on which definition, where and when it is
available, how late it arrives, and how one gets it.

The rows were compiled by the course team in 2026 from each provider's public
documentation. Years and publication lags are approximate. Where the team was not sure of
a fact, the cell is empty rather than guessed; ``notes`` says what is known instead.

Usage
-----
>>> resources, calibration = generate_catalogue()
>>> resources[0].name
'source_catalogue'
"""

from __future__ import annotations

import pandas as pd

from migrationlab_world._io import CC_BY, Resource

__all__ = [
    "ACCESS_LEVELS",
    "COMPILED_YEAR",
    "DEFINITION_BASES",
    "DOMAINS",
    "FREQUENCIES",
    "PROVIDER_TYPES",
    "SPATIAL_GRANULARITIES",
    "generate_catalogue",
]

#: The year the catalogue was compiled; ``last_year`` is "latest available as of then".
COMPILED_YEAR = 2026

PROVIDER_TYPES = (
    "international organisation",
    "statistical office",
    "EU agency or service",
    "academic or research institute",
    "non-profit organisation",
    "private company",
)
DOMAINS = (
    "stocks",
    "flows",
    "citizenship",
    "asylum and refugees",
    "irregular migration",
    "displacement",
    "labour",
    "remittances",
    "aspirations",
    "digital traces",
    "mobility",
    "policy",
    "geography",
)
DEFINITION_BASES = (
    "country of birth",
    "citizenship",
    "country of birth and citizenship",
    "country of birth or citizenship",
    "usual residence (12-month rule)",
    "legal, protection or displacement status",
    "platform-inferred residence",
    "self-reported",
    "mixed (national definitions)",
    "not applicable",
)
SPATIAL_GRANULARITIES = (
    "national",
    "border route",
    "regional (NUTS 2/3)",
    "subnational (administrative units)",
    "1 km grid",
    "100 m grid",
    "cell tower",
    "point",
    "individual records",
)
FREQUENCIES = (
    "real time",
    "continuous",
    "daily",
    "monthly",
    "quarterly",
    "semi-annual",
    "annual",
    "5-yearly",
    "10-yearly",
    "irregular",
    "one-off",
)
ACCESS_LEVELS = ("open", "registration", "restricted", "proprietary")

_EUROSTAT = "Eurostat, the statistical office of the European Union"
_EU_ESS = "EU Member States, EFTA countries and some candidate countries"
_EUROSTAT_FORMAT = "TSV, SDMX-CSV, JSON (API and bulk download)"
_EU862 = (
    "Harmonised under Regulation (EC) No 862/2007 from reference year 2008; "
    "longer national series exist for some countries."
)


def _eurostat_url(code: str) -> str:
    return f"https://ec.europa.eu/eurostat/databrowser/view/{code}/default/table"


# One dict per source. Keys left out are missing on purpose: not known with confidence.
_SOURCES: list[dict] = [
    # --- United Nations -------------------------------------------------------------------
    dict(
        source_id="undesa_migrant_stock",
        name="International Migrant Stock",
        provider="UN DESA, Population Division",
        provider_type="international organisation",
        domain="stocks",
        measure="international migrants by country of destination and country of origin",
        definition_basis="country of birth or citizenship",
        geographic_coverage="world (all countries and areas)",
        spatial_granularity="national",
        first_year=1990,
        last_year=2024,
        frequency="irregular",
        publication_lag_months=6,
        disaggregation="sex; age (by destination); country of origin",
        access="open",
        format="xlsx",
        url="https://www.un.org/development/desa/pd/content/international-migrant-stock",
        notes=(
            "Mid-year estimates at five-year steps from 1990 plus the latest year. Citizenship "
            "is used where a country has no data by country of birth. Each edition revises "
            "earlier years (the 2024 edition revises the 2020 world total). The latest year "
            "is partly projected from older censuses. Lag: the 2024 edition (mid-2024) was "
            "released in January 2025."
        ),
    ),
    dict(
        source_id="undesa_migration_flows",
        name="International Migration Flows to and from Selected Countries (2015 revision)",
        provider="UN DESA, Population Division",
        provider_type="international organisation",
        domain="flows",
        measure="annual inflows and outflows of international migrants as recorded by "
        "the reporting countries, by country of origin or destination",
        definition_basis="mixed (national definitions)",
        geographic_coverage="45 reporting countries",
        spatial_granularity="national",
        first_year=1980,
        last_year=2013,
        frequency="irregular",
        disaggregation="country of origin or destination",
        access="open",
        format="xlsx",
        url="https://www.un.org/development/desa/pd/data/international-migration-flows",
        notes=(
            "Each country counts migrants by its own definition (place of birth, citizenship "
            "or previous/next residence), which is the point of the collection: flows are "
            "not comparable across countries. Not updated since the 2015 revision."
        ),
    ),
    dict(
        source_id="undesa_wpp",
        name="World Population Prospects",
        provider="UN DESA, Population Division",
        provider_type="international organisation",
        domain="flows",
        measure="net migration (immigrants minus emigrants) and net migration rate, "
        "estimates and projections",
        definition_basis="not applicable",
        geographic_coverage="world (all countries and areas)",
        spatial_granularity="national",
        first_year=1950,
        last_year=2023,
        frequency="irregular",
        publication_lag_months=12,
        access="open",
        format="CSV, xlsx",
        url="https://population.un.org/wpp/",
        notes=(
            "The 2024 revision (released July 2024) has estimates to 2023 and projections to "
            "2100. Net migration is largely derived as a residual of population change and "
            "from stock differences, not observed."
        ),
    ),
    dict(
        source_id="unhcr_refugee_data_finder",
        name="Refugee Data Finder",
        provider="UNHCR, the UN Refugee Agency",
        provider_type="international organisation",
        domain="asylum and refugees",
        measure="refugees, asylum-seekers, internally displaced and stateless people and "
        "returnees, by country of origin and country of asylum",
        definition_basis="legal, protection or displacement status",
        geographic_coverage="world",
        spatial_granularity="national",
        first_year=1951,
        last_year=2025,
        frequency="semi-annual",
        publication_lag_months=6,
        disaggregation="country of origin; country of asylum; sex; age (where reported)",
        access="open",
        format="CSV, API (JSON)",
        url="https://www.unhcr.org/refugee-statistics/",
        notes=(
            "End-year figures (Global Trends, published around June) and mid-year figures. "
            "The API needs no credentials. Launched in June 2020; the R package 'refugees' "
            "mirrors the data. Sub-national and demographic data exist for some countries."
        ),
    ),
    dict(
        source_id="unhcr_operational_data_portal",
        name="Operational Data Portal (refugee situations)",
        provider="UNHCR, the UN Refugee Agency",
        provider_type="international organisation",
        domain="asylum and refugees",
        measure="situation-specific figures, e.g. refugees from Ukraine recorded in Europe "
        "or sea and land arrivals in the Mediterranean",
        definition_basis="legal, protection or displacement status",
        geographic_coverage="selected refugee situations",
        frequency="irregular",
        access="open",
        url="https://data.unhcr.org",
        notes=(
            "Figures come from governments and partners and are updated as a situation "
            "evolves; definitions differ between situations."
        ),
    ),
    # --- Eurostat -------------------------------------------------------------------------
    dict(
        source_id="eurostat_population_citizenship",
        name="Population on 1 January by age group, sex and citizenship (migr_pop1ctz)",
        provider=_EUROSTAT,
        provider_type="statistical office",
        domain="stocks",
        measure="usually resident population by citizenship",
        definition_basis="citizenship",
        geographic_coverage=_EU_ESS,
        spatial_granularity="national",
        last_year=2025,
        frequency="annual",
        publication_lag_months=14,
        disaggregation="sex; age group; citizenship",
        access="open",
        format=_EUROSTAT_FORMAT,
        url=_eurostat_url("migr_pop1ctz"),
        notes=_EU862 + " Naturalised migrants count as nationals.",
    ),
    dict(
        source_id="eurostat_population_birth",
        name="Population on 1 January by age group, sex and country of birth (migr_pop3ctb)",
        provider=_EUROSTAT,
        provider_type="statistical office",
        domain="stocks",
        measure="usually resident population by country of birth",
        definition_basis="country of birth",
        geographic_coverage=_EU_ESS,
        spatial_granularity="national",
        last_year=2025,
        frequency="annual",
        publication_lag_months=14,
        disaggregation="sex; age group; country of birth",
        access="open",
        format=_EUROSTAT_FORMAT,
        url=_eurostat_url("migr_pop3ctb"),
        notes=_EU862 + " Stocks on 1 January 2024 were released in early 2025.",
    ),
    dict(
        source_id="eurostat_immigration",
        name="Immigration by age group, sex and citizenship (migr_imm1ctz)",
        provider=_EUROSTAT,
        provider_type="statistical office",
        domain="flows",
        measure="immigrants during the year",
        definition_basis="usual residence (12-month rule)",
        geographic_coverage=_EU_ESS,
        spatial_granularity="national",
        last_year=2024,
        frequency="annual",
        publication_lag_months=15,
        disaggregation="sex; age group; citizenship (other tables: country of birth, "
        "previous residence)",
        access="open",
        format=_EUROSTAT_FORMAT,
        url=_eurostat_url("migr_imm1ctz"),
        notes=(
            _EU862 + " An immigrant establishes usual residence for at least 12 months; "
            "national registers apply the rule differently, so the two sides of a "
            "bilateral flow rarely agree. Lag counted from the end of the reference year."
        ),
    ),
    dict(
        source_id="eurostat_emigration",
        name="Emigration by age group, sex and citizenship (migr_emi1ctz)",
        provider=_EUROSTAT,
        provider_type="statistical office",
        domain="flows",
        measure="emigrants during the year",
        definition_basis="usual residence (12-month rule)",
        geographic_coverage=_EU_ESS,
        spatial_granularity="national",
        last_year=2024,
        frequency="annual",
        publication_lag_months=15,
        disaggregation="sex; age group; citizenship (other tables: country of birth, "
        "next residence)",
        access="open",
        format=_EUROSTAT_FORMAT,
        url=_eurostat_url("migr_emi1ctz"),
        notes=(_EU862 + " Emigration is undercounted where people leave without de-registering."),
    ),
    dict(
        source_id="eurostat_citizenship_acquisition",
        name="Acquisition of citizenship by age group, sex and former citizenship (migr_acq)",
        provider=_EUROSTAT,
        provider_type="statistical office",
        domain="citizenship",
        measure="persons who acquired the citizenship of the reporting country",
        definition_basis="citizenship",
        geographic_coverage=_EU_ESS,
        spatial_granularity="national",
        last_year=2024,
        frequency="annual",
        publication_lag_months=15,
        disaggregation="sex; age group; former citizenship",
        access="open",
        format=_EUROSTAT_FORMAT,
        url=_eurostat_url("migr_acq"),
        notes=(
            "Naturalisations move people from the foreign-citizen to the national count "
            "without any migration: needed to reconcile citizenship and birth-based stocks."
        ),
    ),
    dict(
        source_id="eurostat_asylum_applicants_monthly",
        name="Asylum applicants by type, citizenship, age and sex, monthly (migr_asyappctzm)",
        provider=_EUROSTAT,
        provider_type="statistical office",
        domain="asylum and refugees",
        measure="applicants for international protection",
        definition_basis="legal, protection or displacement status",
        geographic_coverage=_EU_ESS,
        spatial_granularity="national",
        first_year=2008,
        last_year=COMPILED_YEAR,
        frequency="monthly",
        disaggregation="sex; age group; citizenship; first-time or subsequent applicant",
        access="open",
        format=_EUROSTAT_FORMAT,
        url=_eurostat_url("migr_asyappctzm"),
        notes="Annual aggregates in migr_asyappctza; older series (before 2008) separate.",
    ),
    dict(
        source_id="eurostat_asylum_decisions",
        name="First instance decisions on asylum applications, annual (migr_asydcfsta)",
        provider=_EUROSTAT,
        provider_type="statistical office",
        domain="asylum and refugees",
        measure="first instance decisions by outcome (refugee status, subsidiary "
        "protection, humanitarian status, rejection)",
        definition_basis="legal, protection or displacement status",
        geographic_coverage=_EU_ESS,
        spatial_granularity="national",
        first_year=2008,
        last_year=2025,
        frequency="annual",
        disaggregation="sex; age group; citizenship; decision outcome",
        access="open",
        format=_EUROSTAT_FORMAT,
        url=_eurostat_url("migr_asydcfsta"),
        notes="Quarterly decision data exist in a separate table.",
    ),
    dict(
        source_id="eurostat_first_residence_permits",
        name="First permits by reason, length of validity and citizenship (migr_resfirst)",
        provider=_EUROSTAT,
        provider_type="statistical office",
        domain="flows",
        measure="first residence permits issued to non-EU citizens",
        definition_basis="legal, protection or displacement status",
        geographic_coverage=_EU_ESS,
        spatial_granularity="national",
        first_year=2008,
        last_year=2024,
        frequency="annual",
        disaggregation="reason (family, education, employment, other); length of "
        "validity; citizenship",
        access="open",
        format=_EUROSTAT_FORMAT,
        url=_eurostat_url("migr_resfirst"),
        notes=(
            "Permits valid for at least 3 months; a proxy for non-EU immigration by reason. "
            "Beneficiaries of temporary protection are not included."
        ),
    ),
    dict(
        source_id="eurostat_temporary_protection",
        name="Beneficiaries of temporary protection at the end of the month (migr_asytpsm)",
        provider=_EUROSTAT,
        provider_type="statistical office",
        domain="asylum and refugees",
        measure="persons holding temporary protection status at the end of the month",
        definition_basis="legal, protection or displacement status",
        geographic_coverage=_EU_ESS,
        spatial_granularity="national",
        first_year=2022,
        last_year=COMPILED_YEAR,
        frequency="monthly",
        disaggregation="sex; age group; citizenship",
        access="open",
        format=_EUROSTAT_FORMAT,
        url=_eurostat_url("migr_asytpsm"),
        notes=(
            "Mostly people displaced from Ukraine, under Council Implementing Decision (EU) "
            "2022/382; not counted as asylum applicants nor as residence permit holders."
        ),
    ),
    dict(
        source_id="eurostat_illegally_present",
        name="Third-country nationals found to be illegally present (migr_eipre)",
        provider=_EUROSTAT,
        provider_type="statistical office",
        domain="irregular migration",
        measure="non-EU citizens apprehended or otherwise found to be illegally present",
        definition_basis="legal, protection or displacement status",
        geographic_coverage=_EU_ESS,
        spatial_granularity="national",
        first_year=2008,
        last_year=2024,
        frequency="annual",
        disaggregation="sex; age group; citizenship",
        access="open",
        format=_EUROSTAT_FORMAT,
        url=_eurostat_url("migr_eipre"),
        notes=(
            "Counts what authorities record: enforcement effort shapes the numbers as much "
            "as the size of the irregular population."
        ),
    ),
    dict(
        source_id="eurostat_air_passengers",
        name="Air passenger transport by reporting country (avia_paoc)",
        provider=_EUROSTAT,
        provider_type="statistical office",
        domain="mobility",
        measure="passengers carried (arrivals and departures) at airports of the reporting country",
        definition_basis="not applicable",
        geographic_coverage=_EU_ESS,
        spatial_granularity="national",
        last_year=2025,
        frequency="monthly",
        disaggregation="arrivals or departures; national, intra-EU or extra-EU transport",
        access="open",
        format=_EUROSTAT_FORMAT,
        url=_eurostat_url("avia_paoc"),
        notes=(
            "Monthly, quarterly and annual tables. Harmonised from reference year 2003 "
            "(Regulation (EC) No 437/2003), partial data before. Airports handling fewer "
            "than 15,000 passenger units a year are excluded. Passengers, not migrants: "
            "tourism and business dominate."
        ),
    ),
    dict(
        source_id="eurostat_air_passengers_partner",
        name="Air passenger transport between reporting and partner countries (avia_paocc)",
        provider=_EUROSTAT,
        provider_type="statistical office",
        domain="mobility",
        measure="passengers carried between a reporting country and each partner country",
        definition_basis="not applicable",
        geographic_coverage=_EU_ESS,
        spatial_granularity="national",
        last_year=2025,
        frequency="monthly",
        disaggregation="partner country; arrivals or departures",
        access="open",
        format=_EUROSTAT_FORMAT,
        url=_eurostat_url("avia_paocc"),
        notes=(
            "Covers partners among the reporting countries; extra-EU partner countries are "
            "in avia_paexcc. Country-pair arrivals minus departures give the passenger "
            "imbalances used as a migration signal."
        ),
    ),
    dict(
        source_id="eurostat_census_hub",
        name="Census Hub (2011 and 2021 population and housing censuses)",
        provider=_EUROSTAT,
        provider_type="statistical office",
        domain="stocks",
        measure="census counts of usual residents by demographic, social and migration "
        "characteristics",
        definition_basis="country of birth and citizenship",
        geographic_coverage="EU Member States and EFTA countries",
        spatial_granularity="regional (NUTS 2/3)",
        first_year=2011,
        last_year=2021,
        frequency="10-yearly",
        disaggregation="sex; age; education; economic activity; country of birth; "
        "citizenship; residence one year before",
        access="open",
        format="SDMX, CSV",
        url="https://ec.europa.eu/CensusHub2",
        notes=(
            "Predefined multi-dimensional tables (hypercubes) queried from the national "
            "statistical institutes' own databases; some tables at municipal (LAU) level. "
            "Earlier rounds (1990/91, 2001) are in the Eurostat database."
        ),
    ),
    dict(
        source_id="eurostat_census_grid_2021",
        name="Census 2021 population grid (1 km²)",
        provider=_EUROSTAT,
        provider_type="statistical office",
        domain="stocks",
        measure="usual residents per 1 km² grid cell",
        definition_basis="country of birth",
        geographic_coverage="EU Member States and EFTA countries",
        spatial_granularity="1 km grid",
        first_year=2021,
        last_year=2021,
        frequency="irregular",
        disaggregation="sex; age (under 15, 15-64, 65 and over); employed persons; place "
        "of birth (reporting country, other EU country, outside the EU); usual residence "
        "one year before",
        access="open",
        format="GeoPackage, GeoTIFF, GeoParquet, CSV",
        url="https://ec.europa.eu/eurostat/web/gisco/geodata/population-distribution/geostat",
        notes=(
            "Commission Implementing Regulation (EU) 2018/1799; ETRS89-LAEA (EPSG:3035). "
            "First released March 2023, revised June 2024. Place of birth in three groups "
            "only, so no single origin country; earlier GEOSTAT grids have totals only."
        ),
    ),
    dict(
        source_id="eurostat_eu_lfs",
        name="EU Labour Force Survey (EU-LFS) microdata",
        provider=_EUROSTAT,
        provider_type="statistical office",
        domain="labour",
        measure="labour-market status of residents, by country of birth and citizenship "
        "(household survey)",
        definition_basis="country of birth and citizenship",
        geographic_coverage=_EU_ESS,
        spatial_granularity="individual records",
        first_year=1983,
        frequency="quarterly",
        disaggregation="sex; age; education; occupation; years of residence; country of "
        "birth (grouped); citizenship (grouped)",
        access="restricted",
        format="CSV microdata",
        url="https://ec.europa.eu/eurostat/web/microdata/european-union-labour-force-survey",
        notes=(
            "Microdata for recognised research entities on application; aggregated tables "
            "are open in the Eurostat database. A sample survey: small migrant groups have "
            "large sampling errors."
        ),
    ),
    dict(
        source_id="eurostat_gisco_nuts",
        name="NUTS and LAU boundaries (GISCO)",
        provider=_EUROSTAT,
        provider_type="statistical office",
        domain="geography",
        measure="boundaries of statistical regions (NUTS 0-3) and local administrative units",
        definition_basis="not applicable",
        geographic_coverage=_EU_ESS,
        spatial_granularity="regional (NUTS 2/3)",
        frequency="irregular",
        access="open",
        format="GeoJSON, Shapefile, GeoPackage",
        url="https://ec.europa.eu/eurostat/web/gisco",
        notes=(
            "NUTS is revised every few years (versions 2003 to 2024): a regional series "
            "must be matched to the NUTS version it was published in."
        ),
    ),
    # --- EU agencies and JRC --------------------------------------------------------------
    dict(
        source_id="frontex_illegal_border_crossings",
        name="Detections of illegal border-crossings, monthly",
        provider="Frontex, the European Border and Coast Guard Agency",
        provider_type="EU agency or service",
        domain="irregular migration",
        measure="detections of illegal border-crossings between border-crossing points "
        "at the external borders",
        definition_basis="not applicable",
        geographic_coverage="external borders of EU Member States and Schengen-associated "
        "countries",
        spatial_granularity="border route",
        first_year=2009,
        last_year=COMPILED_YEAR,
        frequency="monthly",
        publication_lag_months=1,
        disaggregation="migratory route; nationality",
        access="open",
        format="xlsx",
        url="https://www.frontex.europa.eu/what-we-do/monitoring-and-risk-analysis/migratory-map/",
        notes=(
            "Counts detections, not persons: one person crossing twice is counted twice. "
            "The latest month comes from Frontex operations and is preliminary; Member "
            "States' data usually follow about one month after the reporting period."
        ),
    ),
    dict(
        source_id="euaa_latest_asylum_trends",
        name="Latest Asylum Trends (Early warning and Preparedness System)",
        provider="European Union Agency for Asylum (EUAA)",
        provider_type="EU agency or service",
        domain="asylum and refugees",
        measure="asylum applications, first instance decisions and pending cases in the "
        "EU+ (EU Member States, Norway and Switzerland)",
        definition_basis="legal, protection or displacement status",
        geographic_coverage="EU+ (EU Member States, Norway, Switzerland)",
        first_year=2013,
        last_year=COMPILED_YEAR,
        frequency="monthly",
        disaggregation="citizenship",
        access="open",
        format="web report with charts",
        url="https://euaa.europa.eu/latest-asylum-trends-asylum",
        notes=(
            "Provisional, unvalidated data exchanged between national authorities; they can "
            "differ from Eurostat's validated statistics. Earlier reports did not show "
            "country-level data."
        ),
    ),
    dict(
        source_id="jrc_d4i_census_grid",
        name="Data for Integration (D4I): migrants on a 100 m grid, 2011 census",
        provider="European Commission, Joint Research Centre (Knowledge Centre on Migration "
        "and Demography)",
        provider_type="EU agency or service",
        domain="stocks",
        measure="residents by country or continent of origin per 100 m cell, in the "
        "cities of eight countries",
        definition_basis="country of birth or citizenship",
        geographic_coverage="France, Germany, Ireland, Italy, Netherlands, Portugal, Spain, "
        "United Kingdom",
        spatial_granularity="100 m grid",
        first_year=2011,
        last_year=2011,
        frequency="one-off",
        disaggregation="origin (country, continent, EU or non-EU)",
        access="restricted",
        url="https://knowledge4policy.ec.europa.eu/dataset/ds00164_en",
        notes=(
            "Obtained by spatially disaggregating 2011 census statistics for about 45,000 "
            "local administrative units, so cell values are modelled; open to researchers "
            "on request. The origin concept follows each national census."
        ),
    ),
    dict(
        source_id="jrc_ghsl_population",
        name="Global Human Settlement Layer population grid (GHS-POP)",
        provider="European Commission, Joint Research Centre",
        provider_type="EU agency or service",
        domain="geography",
        measure="residential population per grid cell",
        definition_basis="not applicable",
        geographic_coverage="world",
        spatial_granularity="100 m grid",
        first_year=1975,
        last_year=2030,
        frequency="5-yearly",
        access="open",
        format="GeoTIFF",
        url="https://human-settlement.emergency.copernicus.eu",
        notes=(
            "Epochs 1975-2030 in five-year steps (release R2023A); 2025 and 2030 are "
            "projections. Census counts redistributed to cells by built-up surface; also "
            "at coarser resolutions."
        ),
    ),
    # --- OECD, World Bank, ILO, IOM -------------------------------------------------------
    dict(
        source_id="oecd_international_migration_database",
        name="OECD International Migration Database",
        provider="OECD",
        provider_type="international organisation",
        domain="flows",
        measure="inflows and outflows of foreign population, stocks of foreign-born and "
        "foreign population, acquisitions of nationality",
        definition_basis="mixed (national definitions)",
        geographic_coverage="OECD member countries",
        spatial_granularity="national",
        frequency="annual",
        disaggregation="country of birth or nationality",
        access="open",
        format="CSV, SDMX (OECD Data Explorer)",
        url="https://migration-demography-tools.jrc.ec.europa.eu/catalogue/dataset/ds00055",
        notes=(
            "Compiled from national registers, permits, surveys and censuses without a "
            "common definition; series start in the 1970s or 1980s depending on the "
            "country. The link is the KCMD catalogue entry, because the OECD moved its data "
            "pages in 2024."
        ),
    ),
    dict(
        source_id="oecd_dioc",
        name="Database on Immigrants in OECD and non-OECD Countries (DIOC, DIOC-E)",
        provider="OECD (DIOC-E with the World Bank)",
        provider_type="international organisation",
        domain="stocks",
        measure="immigrants by country of birth with education, labour-market status, "
        "occupation and duration of stay",
        definition_basis="country of birth",
        geographic_coverage="OECD destinations (DIOC); about 100 destinations (DIOC-E)",
        spatial_granularity="national",
        first_year=2000,
        last_year=2015,
        frequency="5-yearly",
        disaggregation="sex; age; education; field of study; labour-force status; "
        "occupation; sector; duration of stay",
        access="open",
        format="CSV",
        url="https://www.oecd.org/en/data/datasets/database-on-immigrants-in-oecd-and-non-oecd-countries.html",
        notes=(
            "Census rounds 2000/01, 2005/06, 2010/11 and 2015/16 (DIOC-E for 2000/01 and "
            "2010/11); the basis of emigration rates by education level."
        ),
    ),
    dict(
        source_id="worldbank_wdi",
        name="World Development Indicators",
        provider="World Bank",
        provider_type="international organisation",
        domain="stocks",
        measure="country indicators, including international migrant stock (SM.POP.TOTL), "
        "net migration (SM.POP.NETM), personal remittances received (BX.TRF.PWKR.CD.DT), "
        "population and GDP per capita",
        definition_basis="mixed (national definitions)",
        geographic_coverage="world",
        spatial_granularity="national",
        first_year=1960,
        last_year=2024,
        frequency="annual",
        access="open",
        format="CSV, xlsx, API",
        url="https://databank.worldbank.org/source/world-development-indicators",
        notes=(
            "Migration indicators are republished from UN DESA and UN WPP; last_year varies "
            "by indicator. The usual source of gravity-model covariates."
        ),
    ),
    dict(
        source_id="worldbank_global_bilateral_migration",
        name="Global Bilateral Migration Database",
        provider="World Bank",
        provider_type="international organisation",
        domain="stocks",
        measure="bilateral migrant stocks by origin and destination, census rounds",
        definition_basis="country of birth or citizenship",
        geographic_coverage="world",
        spatial_granularity="national",
        first_year=1960,
        last_year=2000,
        frequency="10-yearly",
        disaggregation="sex; country of origin",
        access="open",
        format="CSV (DataBank)",
        url="https://databank.worldbank.org/source/global-bilateral-migration",
        notes=(
            "Özden, Parsons, Schiff & Walmsley (2011). Missing cells were estimated, so it "
            "is not comparable with the later Bilateral Migration Matrix."
        ),
    ),
    dict(
        source_id="worldbank_knomad_remittances",
        name="Migration and remittances data (remittance flows, bilateral matrices)",
        provider="World Bank / KNOMAD",
        provider_type="international organisation",
        domain="remittances",
        measure="annual remittance inflows and outflows by country; bilateral migration "
        "and bilateral remittance matrices",
        definition_basis="not applicable",
        geographic_coverage="world",
        spatial_granularity="national",
        frequency="annual",
        access="open",
        format="xlsx",
        url="https://www.worldbank.org/en/topic/migrationremittancesdiasporaissues/brief/migration-remittances-data",
        notes=(
            "Remittance flows follow balance-of-payments statistics and miss informal "
            "channels. Bilateral remittances are model estimates (Ratha & Shaw 2007 "
            "method), not observations. The Bilateral Migration Matrix exists for 2010 and "
            "2013, with later editions."
        ),
    ),
    dict(
        source_id="worldbank_remittance_prices",
        name="Remittance Prices Worldwide",
        provider="World Bank",
        provider_type="international organisation",
        domain="remittances",
        measure="cost of sending remittances (fees and exchange-rate margins) by corridor "
        "and service provider",
        definition_basis="not applicable",
        geographic_coverage="selected sending and receiving country corridors",
        spatial_granularity="national",
        frequency="quarterly",
        access="open",
        format="xlsx",
        url="https://remittanceprices.worldbank.org",
        notes="Monitors the SDG target on remittance costs (10.c).",
    ),
    dict(
        source_id="ilo_labour_migration",
        name="ILOSTAT labour migration statistics and ILO Global Estimates on International "
        "Migrant Workers",
        provider="International Labour Organization (ILO)",
        provider_type="international organisation",
        domain="labour",
        measure="migrant workers, labour-force status of migrants and flows of migrant "
        "workers; global and regional estimates of international migrant workers",
        definition_basis="mixed (national definitions)",
        geographic_coverage="world",
        spatial_granularity="national",
        frequency="irregular",
        disaggregation="sex; age (varies by country)",
        access="open",
        format="CSV, API",
        url="https://ilostat.ilo.org/topics/labour-migration/",
        notes=(
            "Country series come from labour force surveys and censuses that define migrant "
            "workers by foreign birth or foreign citizenship. Global estimates are modelled "
            "from a subset of countries and published in editions a few years apart."
        ),
    ),
    dict(
        source_id="iom_dtm",
        name="Displacement Tracking Matrix (DTM)",
        provider="International Organization for Migration (IOM)",
        provider_type="international organisation",
        domain="displacement",
        measure="internally displaced people, returnees and migrants counted at sites, in "
        "communities and at flow-monitoring points",
        definition_basis="legal, protection or displacement status",
        geographic_coverage="crisis-affected countries",
        spatial_granularity="subnational (administrative units)",
        last_year=COMPILED_YEAR,
        frequency="irregular",
        disaggregation="sex; age (where collected)",
        format="xlsx, CSV, API",
        url="https://dtm.iom.int",
        notes=(
            "Assessment rounds in each operation; many datasets are public (also on HDX), "
            "others only on request, so access varies."
        ),
    ),
    dict(
        source_id="iom_missing_migrants",
        name="Missing Migrants Project",
        provider="International Organization for Migration (IOM), Global Migration Data "
        "Analysis Centre",
        provider_type="international organisation",
        domain="irregular migration",
        measure="recorded deaths and disappearances of people in the process of migration "
        "towards an international destination, by incident",
        definition_basis="not applicable",
        geographic_coverage="world",
        spatial_granularity="point",
        first_year=2014,
        last_year=COMPILED_YEAR,
        frequency="continuous",
        disaggregation="sex and age (where known); region of origin; migration route; "
        "cause of death",
        access="open",
        format="CSV, xlsx",
        url="https://missingmigrants.iom.int",
        notes=(
            "A minimum count compiled from authorities, survivors' testimony, NGOs and "
            "media; locations are approximate. Licensed CC BY 4.0. Data for SDG indicator "
            "10.7.3."
        ),
    ),
    # --- displacement NGOs, surveys, censuses ---------------------------------------------
    dict(
        source_id="idmc_gidd",
        name="Global Internal Displacement Database (GIDD)",
        provider="Internal Displacement Monitoring Centre (IDMC), Norwegian Refugee Council",
        provider_type="non-profit organisation",
        domain="displacement",
        measure="internal displacements during the year and internally displaced people "
        "at year end, by conflict and disaster",
        definition_basis="legal, protection or displacement status",
        geographic_coverage="world",
        spatial_granularity="national",
        first_year=2008,
        last_year=2025,
        frequency="annual",
        publication_lag_months=5,
        disaggregation="cause (conflict, disaster); hazard type; sex and age estimates "
        "for the total number of IDPs",
        access="open",
        format="xlsx, API (JSON)",
        url="https://www.internal-displacement.org/database",
        notes=(
            "Disaster displacement since 2008. Counts movements, not people: a person "
            "displaced twice in a year counts twice. The Global Report on Internal "
            "Displacement appears each May; event-level updates are published continuously. "
            "API use needs a key."
        ),
    ),
    dict(
        source_id="gallup_world_poll_migration",
        name="Gallup World Poll: desire and plans to migrate",
        provider="Gallup",
        provider_type="private company",
        domain="aspirations",
        measure="share of adults who would like to move permanently to another country, "
        "their desired destination, and plans to move in the next 12 months",
        definition_basis="self-reported",
        geographic_coverage="more than 140 countries",
        spatial_granularity="individual records",
        first_year=2007,
        frequency="annual",
        disaggregation="sex; age; education; income (microdata)",
        access="proprietary",
        format="microdata by subscription",
        url="https://news.gallup.com/poll/245270/newest-potential-net-migration-index-shows-gains-losses.aspx",
        notes=(
            "About 1,000 interviews per country and round. Headline results and the "
            "Potential Net Migration Index are published free; microdata need a "
            "subscription. A wish to migrate is not a plan, and a plan is not a move."
        ),
    ),
    dict(
        source_id="ipums_international",
        name="IPUMS International (census microdata)",
        provider="IPUMS, University of Minnesota",
        provider_type="academic or research institute",
        domain="stocks",
        measure="harmonised samples of census microdata with birthplace, citizenship, "
        "years in the country and previous residence",
        definition_basis="country of birth and citizenship",
        geographic_coverage="countries worldwide with census samples (more with each release)",
        spatial_granularity="individual records",
        first_year=1960,
        frequency="irregular",
        disaggregation="sex; age; education; occupation; birthplace; citizenship; "
        "previous residence; subnational geography",
        access="registration",
        format="fixed-width or CSV extracts with Stata, SPSS and SAS syntax",
        url="https://international.ipums.org",
        notes=(
            "Free for research after registration and acceptance of the licence "
            "(no redistribution). Which migration variables exist depends on each census; "
            "spatially harmonised birthplace and previous-residence variables were added in "
            "2025."
        ),
    ),
    dict(
        source_id="us_census_acs",
        name="American Community Survey (ACS)",
        provider="U.S. Census Bureau",
        provider_type="statistical office",
        domain="stocks",
        measure="foreign-born population by country of birth, year of entry and citizenship",
        definition_basis="country of birth",
        geographic_coverage="United States",
        spatial_granularity="subnational (administrative units)",
        first_year=2005,
        last_year=2024,
        frequency="annual",
        publication_lag_months=9,
        disaggregation="sex; age; education; year of entry; citizenship; country of birth; "
        "language",
        access="open",
        format="CSV, API",
        url="https://www.census.gov/programs-surveys/acs",
        notes=(
            "1-year estimates for areas of 65,000 people or more, 5-year estimates down to "
            "census tracts; a survey, published with margins of error."
        ),
    ),
    dict(
        source_id="uk_ons_long_term_migration",
        name="Long-term international migration, provisional estimates",
        provider="Office for National Statistics (ONS), United Kingdom",
        provider_type="statistical office",
        domain="flows",
        measure="long-term immigration, emigration and net migration",
        definition_basis="usual residence (12-month rule)",
        geographic_coverage="United Kingdom",
        spatial_granularity="national",
        last_year=2025,
        frequency="semi-annual",
        publication_lag_months=5,
        disaggregation="nationality group (British, EU, non-EU); reason for migration; sex; age",
        access="open",
        format="xlsx",
        url="https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/internationalmigration",
        notes=(
            "Estimates for years ending June and December; provisional and revised in later "
            "releases. Since the COVID-19 pandemic they rely mainly on administrative data "
            "instead of the International Passenger Survey."
        ),
    ),
    # --- estimates and policy databases ---------------------------------------------------
    dict(
        source_id="abel_cohen_bilateral_flows",
        name="Bilateral international migration flow estimates (Abel & Cohen)",
        provider="Guy J. Abel and Joel E. Cohen",
        provider_type="academic or research institute",
        domain="flows",
        measure="estimated five-year bilateral migration flows between 200 countries, "
        "derived from changes in bilateral stocks by six methods",
        definition_basis="country of birth",
        geographic_coverage="world (200 countries)",
        spatial_granularity="national",
        first_year=1990,
        last_year=2020,
        frequency="5-yearly",
        disaggregation="sex (2022 update); estimation method",
        access="open",
        format="CSV (Figshare)",
        url="https://doi.org/10.1038/s41597-019-0089-3",
        notes=(
            "Scientific Data 2019 (1990-2015) and the 2022 update by sex for 1990-2020 "
            "(doi:10.1038/s41597-022-01271-z); updated again as UN data are revised. "
            "Estimates, not observations: they inherit the errors of the stock data and "
            "differ by method (demographic accounting validates best)."
        ),
    ),
    dict(
        source_id="quantmig_migration_estimates",
        name="QuantMig Migration Estimates Explorer",
        provider="QuantMig project (Horizon 2020), University of Southampton",
        provider_type="academic or research institute",
        domain="flows",
        measure="harmonised probabilistic estimates of migration flows among 32 European "
        "countries and to and from the rest of the world, with uncertainty",
        definition_basis="usual residence (12-month rule)",
        geographic_coverage="EU Member States, United Kingdom, EFTA countries, North Macedonia",
        spatial_granularity="national",
        first_year=2009,
        last_year=2019,
        frequency="one-off",
        disaggregation="origin; destination; age; sex; region of birth",
        access="open",
        format="CSV (web explorer)",
        url="https://www.quantmig.eu/data_and_estimates/estimates_explorer/",
        notes=(
            "A Bayesian hierarchical model corrects Eurostat data for bias and undercount "
            "and imputes missing flows; extends the IMEM estimates for 2002-2008."
        ),
    ),
    dict(
        source_id="imem_migration_estimates",
        name="Integrated Modelling of European Migration (IMEM) estimates",
        provider="IMEM project (NORFACE), University of Southampton",
        provider_type="academic or research institute",
        domain="flows",
        measure="harmonised estimates of migration flows among European countries, with "
        "uncertainty",
        definition_basis="usual residence (12-month rule)",
        geographic_coverage="31 European countries",
        spatial_granularity="national",
        first_year=2002,
        last_year=2008,
        frequency="one-off",
        disaggregation="age; sex",
        access="open",
        format="CSV (web explorer)",
        url="https://www.imem.cpc.ac.uk",
        notes=(
            "Raymer, Wiśniowski, Forster, Smith & Bijak (2013), Journal of the American "
            "Statistical Association 108(503), 801-819, doi:10.1080/01621459.2013.789435."
        ),
    ),
    dict(
        source_id="demig_policy",
        name="DEMIG POLICY",
        provider="International Migration Institute, University of Oxford",
        provider_type="academic or research institute",
        domain="policy",
        measure="more than 6,500 immigration and emigration policy changes, coded by "
        "policy area, tool, target group and change in restrictiveness",
        definition_basis="not applicable",
        geographic_coverage="45 countries",
        spatial_granularity="national",
        first_year=1945,
        last_year=2013,
        frequency="one-off",
        disaggregation="policy area; policy tool; migrant group; migrant origin",
        access="open",
        format="Stata, xlsx",
        url="https://www.migrationinstitute.org/data/demig-data/demig-policy-1",
        notes=(
            "Version 1.3 (2015); most changes enacted 1945-2013. The DEMIG-QuantMig database "
            "extends the method to 31 European countries for 1990-2020."
        ),
    ),
    dict(
        source_id="mipex",
        name="Migrant Integration Policy Index (MIPEX)",
        provider="Migration Policy Group and CIDOB",
        provider_type="non-profit organisation",
        domain="policy",
        measure="integration policy indicators in eight areas: labour market mobility, "
        "family reunion, education, health, political participation, permanent "
        "residence, access to nationality, anti-discrimination",
        definition_basis="not applicable",
        geographic_coverage="56 countries",
        spatial_granularity="national",
        first_year=2007,
        last_year=2019,
        frequency="irregular",
        disaggregation="policy area; indicator",
        access="open",
        url="https://www.mipex.eu",
        notes="MIPEX 2020 edition: scores for 2007-2019.",
    ),
    dict(
        source_id="cepii_geodist",
        name="GeoDist",
        provider="CEPII",
        provider_type="academic or research institute",
        domain="geography",
        measure="bilateral distances (between main cities and population-weighted), "
        "contiguity, common language and colonial ties for country pairs",
        definition_basis="not applicable",
        geographic_coverage="225 countries",
        spatial_granularity="national",
        frequency="one-off",
        format="Stata, xlsx",
        url="https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=6",
        notes="Mayer & Zignago (2011), CEPII Working Paper 2011-25.",
    ),
    dict(
        source_id="cepii_gravity",
        name="Gravity database",
        provider="CEPII",
        provider_type="academic or research institute",
        domain="geography",
        measure="panel of country-pair variables for gravity models (distances, "
        "contiguity, languages, colonial ties, trade agreements, GDP, population)",
        definition_basis="not applicable",
        geographic_coverage="world",
        spatial_granularity="national",
        frequency="irregular",
        format="CSV, Stata, RDS",
        url="https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=8",
        notes="Conte, Cotterlaz & Mayer (2022), CEPII Working Paper.",
    ),
    dict(
        source_id="natural_earth_countries",
        name="Natural Earth Admin 0 countries",
        provider="Natural Earth (volunteers, supported by NACIS)",
        provider_type="non-profit organisation",
        domain="geography",
        measure="country boundaries with ISO codes and population and GDP estimates",
        definition_basis="not applicable",
        geographic_coverage="world",
        spatial_granularity="national",
        frequency="irregular",
        access="open",
        format="Shapefile, GeoPackage",
        url="https://www.naturalearthdata.com",
        notes=(
            "Public domain; scales 1:10m, 1:50m and 1:110m. The course's real country "
            "boundaries are the 1:110m file shipped in pyogrio's test fixtures."
        ),
    ),
    dict(
        source_id="worldpop_population",
        name="WorldPop gridded population",
        provider="WorldPop, University of Southampton",
        provider_type="academic or research institute",
        domain="geography",
        measure="gridded population estimates, also by age and sex",
        definition_basis="not applicable",
        geographic_coverage="world",
        spatial_granularity="100 m grid",
        first_year=2000,
        frequency="annual",
        disaggregation="sex; age group",
        access="open",
        format="GeoTIFF",
        url="https://www.worldpop.org",
        notes=(
            "Census counts redistributed to cells with covariates (top-down modelling); "
            "licensed CC BY 4.0. Also hosts modelled internal and international migration "
            "flow estimates for around 2005-2010."
        ),
    ),
    # --- digital traces -------------------------------------------------------------------
    dict(
        source_id="meta_marketing_api",
        name="Meta (Facebook) Marketing API audience estimates",
        provider="Meta Platforms",
        provider_type="private company",
        domain="digital traces",
        measure="estimated daily and monthly active users matching targeting criteria, "
        "including users classified as having lived in another country",
        definition_basis="platform-inferred residence",
        geographic_coverage="countries where the platforms operate",
        spatial_granularity="subnational (administrative units)",
        last_year=COMPILED_YEAR,
        frequency="real time",
        publication_lag_months=0,
        disaggregation="sex; age; 'lived in' country; language; device; interests",
        access="registration",
        format="API (JSON)",
        url="https://developers.facebook.com/docs/marketing-apis",
        notes=(
            "Needs a developer and an advertising account. Estimates are rounded and given "
            "as lower and upper bounds, with a floor for small audiences; targeting options "
            "and estimation methods change without notice, and there is no history: one "
            "must query and archive. Targeting can be as fine as cities and a radius around "
            "a point. Pioneered for migration by Zagheni, Weber & Gummadi (2017)."
        ),
    ),
    dict(
        source_id="worldbank_linkedin_ddd",
        name="World Bank Group - LinkedIn Digital Data for Development",
        provider="World Bank Group and LinkedIn",
        provider_type="international organisation",
        domain="labour",
        measure="talent migration (members moving between countries), skills and industry "
        "employment trends",
        definition_basis="platform-inferred residence",
        geographic_coverage="more than 100 countries",
        spatial_granularity="national",
        disaggregation="industry; skill; country of origin or destination",
        access="open",
        format="xlsx",
        url="https://linkedindata.worldbank.org",
        notes=(
            "Licensed CC BY 3.0; a cell is reported only with at least 50 observations. "
            "Members are strongly selected towards the highly educated and some sectors."
        ),
    ),
    dict(
        source_id="linkedin_marketing_api",
        name="LinkedIn Marketing API audience counts",
        provider="LinkedIn (Microsoft)",
        provider_type="private company",
        domain="digital traces",
        measure="number of members matching targeting criteria (location, education, "
        "skills, industry)",
        definition_basis="platform-inferred residence",
        last_year=COMPILED_YEAR,
        frequency="real time",
        publication_lag_months=0,
        format="API (JSON)",
        url="https://learn.microsoft.com/en-us/linkedin/marketing/",
        notes=(
            "API access is granted by LinkedIn on application; conditions and the "
            "available targeting facets change over time."
        ),
    ),
    dict(
        source_id="x_api",
        name="X (formerly Twitter) API: posts and geotags",
        provider="X Corp.",
        provider_type="private company",
        domain="digital traces",
        measure="posts with metadata, including GPS coordinates or a tagged place for a "
        "small share of posts, and self-reported profile locations",
        definition_basis="platform-inferred residence",
        geographic_coverage="world",
        spatial_granularity="point",
        last_year=COMPILED_YEAR,
        frequency="real time",
        publication_lag_months=0,
        access="proprietary",
        format="API (JSON)",
        url="https://developer.x.com",
        notes=(
            "Free academic access ended in 2023; access is now through paid tiers. Only a "
            "small share of posts is geotagged. Terms restrict sharing of content, so "
            "studies share post identifiers. Used to infer migration (Zagheni, Garimella, "
            "Weber & State 2014) and to study migration discourse."
        ),
    ),
    dict(
        source_id="mobile_phone_cdr",
        name="Mobile phone call-detail records (CDR)",
        provider="Mobile network operators (e.g. through Flowminder)",
        provider_type="private company",
        domain="mobility",
        measure="time-stamped calls and messages with the serving cell tower, shared as "
        "aggregate counts or origin-destination matrices",
        definition_basis="platform-inferred residence",
        geographic_coverage="single countries, per agreement",
        spatial_granularity="cell tower",
        frequency="irregular",
        access="restricted",
        format="aggregates under a data-sharing agreement",
        url="https://www.flowminder.org",
        notes=(
            "Only through agreements with operators, often via intermediaries. Shared as "
            "aggregates because a few points identify a person (de Montjoye et al. 2013). "
            "Used after the 2010 Haiti earthquake (Bengtsson et al. 2011)."
        ),
    ),
    dict(
        source_id="google_trends",
        name="Google Trends",
        provider="Google",
        provider_type="private company",
        domain="digital traces",
        measure="relative search interest (index 0-100) in terms or topics, by region and time",
        definition_basis="not applicable",
        geographic_coverage="world",
        spatial_granularity="subnational (administrative units)",
        first_year=2004,
        last_year=COMPILED_YEAR,
        frequency="real time",
        publication_lag_months=0,
        disaggregation="region; category",
        access="open",
        format="CSV (web download)",
        url="https://trends.google.com",
        notes=(
            "A sampled index scaled to the peak of each query, not counts: repeated queries "
            "can differ. Used to predict migration from searches (Böhme, Gröger & Stöhr "
            "2020)."
        ),
    ),
    dict(
        source_id="google_community_mobility",
        name="COVID-19 Community Mobility Reports",
        provider="Google",
        provider_type="private company",
        domain="mobility",
        measure="percentage change in visits to categories of places against a "
        "pre-pandemic baseline (3 January to 6 February 2020)",
        definition_basis="not applicable",
        geographic_coverage="world",
        spatial_granularity="subnational (administrative units)",
        first_year=2020,
        last_year=2022,
        frequency="daily",
        access="open",
        format="CSV",
        url="https://www.google.com/covid19/mobility/",
        notes="No longer updated after October 2022; the historical files remain online.",
    ),
    dict(
        source_id="opensky_network",
        name="OpenSky Network flight data",
        provider="OpenSky Network",
        provider_type="non-profit organisation",
        domain="mobility",
        measure="aircraft positions and flights from a crowdsourced network of ADS-B receivers",
        definition_basis="not applicable",
        geographic_coverage="world (uneven receiver coverage)",
        spatial_granularity="point",
        last_year=COMPILED_YEAR,
        frequency="real time",
        publication_lag_months=0,
        access="restricted",
        format="API (JSON), database access",
        url="https://opensky-network.org",
        notes=(
            "Flights, not passengers. Live data through an open API; the historical "
            "database is available to researchers on application."
        ),
    ),
]

_COLUMNS = [
    "source_id",
    "name",
    "provider",
    "provider_type",
    "domain",
    "measure",
    "definition_basis",
    "geographic_coverage",
    "spatial_granularity",
    "first_year",
    "last_year",
    "frequency",
    "publication_lag_months",
    "disaggregation",
    "access",
    "format",
    "url",
    "notes",
]
_INTEGER_COLUMNS = ("first_year", "last_year", "publication_lag_months")


def catalogue_table() -> pd.DataFrame:
    """The catalogue as a DataFrame, one row per source, in the column order of the schema.

    Returns
    -------
    DataFrame
        Columns as in :func:`catalogue_schema`; integer columns are nullable
        (``Int64``), text columns are ``object`` with ``None`` where a fact is unknown.
    """
    unknown = {k for row in _SOURCES for k in row} - set(_COLUMNS)
    if unknown:
        raise ValueError(f"source catalogue: unknown keys {sorted(unknown)}")
    df = pd.DataFrame([{c: row.get(c) for c in _COLUMNS} for row in _SOURCES], columns=_COLUMNS)
    for col in _INTEGER_COLUMNS:
        df[col] = df[col].astype("Int64")
    return df


def _text(name: str, description: str, **constraints) -> dict:
    field = {"name": name, "type": "string", "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


def _enum(name: str, description: str, values: tuple[str, ...], required: bool) -> dict:
    constraints: dict = {"enum": list(values)}
    if required:
        constraints["required"] = True
    return _text(name, description, **constraints)


def catalogue_schema() -> dict:
    """Frictionless Table Schema of ``source_catalogue.csv``."""
    year = {"minimum": 1900, "maximum": 2100}
    fields = [
        _text(
            "source_id",
            "Identifier of the source, lower snake case.",
            required=True,
            unique=True,
            pattern="^[a-z0-9_]+$",
        ),
        _text("name", "Name of the dataset or product as its provider calls it.", required=True),
        _text("provider", "Organisation or people who publish it.", required=True),
        _enum("provider_type", "Kind of provider.", PROVIDER_TYPES, required=True),
        _enum("domain", "What the source is mainly about.", DOMAINS, required=True),
        _text("measure", "What is counted or estimated."),
        _enum(
            "definition_basis",
            "Who counts as a migrant (or what is counted): by country of birth, by "
            "citizenship, by a 12-month change of usual residence, by legal or protection "
            "status, by a platform's inference, or not applicable. 'country of birth or "
            "citizenship' means one or the other depending on the reporting country; "
            "'country of birth and citizenship' means both are available.",
            DEFINITION_BASES,
            required=False,
        ),
        _text("geographic_coverage", "Countries or areas covered."),
        _enum(
            "spatial_granularity",
            "Finest spatial unit generally available.",
            SPATIAL_GRANULARITIES,
            required=False,
        ),
        {
            "name": "first_year",
            "type": "integer",
            "description": "First reference year available (approximate; empty if unsure).",
            "unit": "year",
            "constraints": year,
        },
        {
            "name": "last_year",
            "type": "integer",
            "description": (
                f"Latest reference year available when the catalogue was compiled "
                f"({COMPILED_YEAR}); approximate, and later for a source updated since. "
                "Projections count for sources that include them (see notes)."
            ),
            "unit": "year",
            "constraints": year,
        },
        _enum(
            "frequency",
            "How often new data are released.",
            FREQUENCIES,
            required=False,
        ),
        {
            "name": "publication_lag_months",
            "type": "integer",
            "description": (
                "Typical months between the end of the reference period (or the reference "
                "date) and first publication; approximate, 0 for real-time sources, empty "
                "if unsure."
            ),
            "unit": "months",
            "constraints": {"minimum": 0, "maximum": 120},
        },
        _text("disaggregation", "Breakdowns available, separated by semicolons."),
        _enum(
            "access",
            "How one gets the data: open (download without an account), registration "
            "(free account or licence agreement), restricted (on application or under a "
            "data-sharing agreement), proprietary (commercial: subscription or paid access).",
            ACCESS_LEVELS,
            required=False,
        ),
        _text("format", "File formats or interfaces."),
        {
            "name": "url",
            "type": "string",
            "format": "uri",
            "description": "Landing page of the source (https).",
            "constraints": {"required": True, "unique": True, "pattern": "^https://.+"},
        },
        _text("notes", "Caveats, definitions and what the course team could confirm."),
    ]
    return {"fields": fields, "primaryKey": ["source_id"], "missingValues": [""]}


_DATASHEET = {
    "mimics": (
        "This is not an imitation: it is a small catalogue of **real** migration data "
        "sources, in the manner of the data hubs that researchers and policy makers use to "
        "find data, such as the Knowledge Centre on Migration and Demography's Migration "
        "Data Catalogue and Dynamic Data Hub (European Commission, Joint Research Centre, "
        "launched in December 2016) and the Migration Data Portal of IOM's Global Migration "
        "Data Analysis Centre. It covers official statistics (UN DESA, Eurostat, OECD, "
        "World Bank, UNHCR, ILO, IOM, national offices), estimates built on them (Abel & "
        "Cohen, QuantMig, IMEM), surveys and censuses (Gallup, IPUMS, EU-LFS, ACS), grids "
        "(Eurostat census grid, JRC D4I and GHSL, WorldPop), policy databases (DEMIG, "
        "MIPEX), geography for gravity models (CEPII) and digital traces (advertising "
        "platforms, X, phone records, search and mobility data)."
    ),
    "generation": (
        f"Compiled by hand by the course team in {COMPILED_YEAR}, from each provider's "
        "public documentation (landing pages, metadata files, data descriptions and the "
        "papers that introduce a dataset), and written into "
        "`migrationlab_world.catalogue`. Nothing is random and nothing is simulated. "
        "Each row says what the source measures and on which definition of a migrant, "
        "where and when it is available, how often and how late it is published, and how "
        "to get it. Where the team was not confident of a fact, the cell is **empty**, "
        "not guessed; `notes` then says what is known."
    ),
    "flaws": (
        "- **Approximate.** `first_year`, `last_year` and `publication_lag_months` are "
        "typical values read from documentation and release calendars, not measured for "
        "every table; lags differ between countries and releases.\n"
        f"- **A snapshot.** The catalogue describes the sources as of {COMPILED_YEAR}: "
        "`last_year` moves on, platforms change their access rules (X ended free academic "
        "access in 2023; Google stopped its mobility reports in 2022), and web pages move "
        "(links may break; the OECD moved its data pages in 2024).\n"
        "- **A selection.** About fifty sources chosen for this course, weighted towards "
        "Europe and global sources; national registers, most national censuses and many "
        "surveys are missing.\n"
        "- **Summaries.** One line per definition or coverage cannot capture each "
        "source's footnotes; read the provider's metadata before using a source.\n"
        "- **Empty cells** mean 'not confirmed by the course team', not 'does not exist'."
    ),
    "real_source": (
        "The hubs themselves: the KCMD Migration Data Catalogue "
        "(https://migration-demography-tools.jrc.ec.europa.eu/catalogue) and Dynamic Data "
        "Hub (https://migration-demography-tools.jrc.ec.europa.eu/data-hub/index.html), and "
        "the Migration Data Portal (https://www.migrationdataportal.org). For each source, "
        "follow `url` and check the provider's current metadata: this table is a map, not "
        "the territory."
    ),
}


def generate_catalogue() -> tuple[list[Resource], list[dict]]:
    """Build the ``source_catalogue`` resource: real metadata on migration data sources.

    Returns
    -------
    resources : list of Resource
        One resource, ``source_catalogue`` (``source_catalogue.csv``, ``synthetic=False``).
    calibration_rows : list of dict
        Empty: the catalogue is not calibrated, it is compiled.

    Examples
    --------
    >>> resources, calibration = generate_catalogue()
    >>> table = resources[0].data
    >>> bool(table["url"].str.startswith("https://").all())
    True
    """
    resource = Resource(
        name="source_catalogue",
        path="source_catalogue.csv",
        title="Catalogue of real migration data sources",
        description=(
            "Real metadata, compiled by the course team in "
            f"{COMPILED_YEAR} from public documentation: one row per migration data source "
            "(provider, definition, coverage, granularity, years, frequency, publication "
            "lag, access, link). Years and lags are approximate; empty cells were not "
            "confirmed."
        ),
        data=catalogue_table(),
        schema=catalogue_schema(),
        synthetic=False,
        mimics="Migration data hubs: the KCMD Data Catalogue and the Migration Data Portal",
        sources=[
            {
                "title": f"Compiled by the course team ({COMPILED_YEAR}) from the providers' "
                "public documentation linked in the url column",
                "path": "https://github.com/migration-data-course/data-driven-migration",
            },
            {
                "title": "Knowledge Centre on Migration and Demography, Migration Data Catalogue",
                "path": "https://migration-demography-tools.jrc.ec.europa.eu/catalogue",
            },
            {
                "title": "IOM GMDAC, Migration Data Portal",
                "path": "https://www.migrationdataportal.org",
            },
        ],
        licenses=[CC_BY],
        datasheet=dict(_DATASHEET),
    )
    return [resource], []
