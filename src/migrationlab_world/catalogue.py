"""The catalogue of real migration data sources: real metadata, not synthetic data.

The course points students to the sources that its synthetic sample data imitate, in the
manner of a migration data hub (the Knowledge Centre on Migration and Demography's Data
Catalogue and Dynamic Data Hub, the IOM GMDAC Migration Data Portal). One row per source:
who publishes it, what it measures and on which definition, where and when it is
available, how late it arrives, and how one gets it.

The rows are data, not code: they live in ``data/sources/source_catalogue.yml``, one
entry per source, compiled by the course team from each provider's public documentation,
and ``data/sources/source_catalogue.schema.json`` (JSON Schema) says what an entry may
hold. This module reads the entries, checks each against the schema
(:func:`read_entries`) and turns them into the ``source_catalogue`` table, its Table
Schema and its datasheet. The allowed values of
each categorical column (:data:`PROVIDER_TYPES`, :data:`DOMAINS`, ...) are those of the
JSON Schema. Years and publication lags are approximate. Where the team was not sure of a
fact, the key is left out and the cell is empty rather than guessed; ``notes`` says what
is known instead.

Usage
-----
>>> resources, calibration = generate_catalogue()
>>> resources[0].name
'source_catalogue'
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import jsonschema
import pandas as pd
import yaml

from migrationlab import REPO_ROOT
from migrationlab_world._io import CC_BY, Resource, datasheet

__all__ = [
    "ACCESS_LEVELS",
    "COMPILED_YEAR",
    "DEFINITION_BASES",
    "DOMAINS",
    "ENTRIES_FILE",
    "FREQUENCIES",
    "PROVIDER_TYPES",
    "SPATIAL_GRANULARITIES",
    "CatalogueEntryError",
    "generate_catalogue",
    "read_entries",
]

#: The input, kept by hand (``make data`` never rewrites ``data/sources/``): one entry per
#: source (YAML), and the JSON Schema of the file.
SOURCES_DIR = REPO_ROOT / "data" / "sources"
ENTRIES_FILE = "source_catalogue.yml"
SCHEMA_FILE = "source_catalogue.schema.json"


class CatalogueEntryError(ValueError):
    """An entry of ``source_catalogue.yml`` that the generator cannot use."""


def _input_file(name: str) -> Path:
    return SOURCES_DIR / name


@functools.cache
def entries_schema() -> dict:
    """The JSON Schema of ``source_catalogue.yml`` (``source_catalogue.schema.json``)."""
    return json.loads(_input_file(SCHEMA_FILE).read_text(encoding="utf-8"))


def _where(error: jsonschema.ValidationError, sources: list) -> str:
    """'entry 3 (source_id 'x'), field 'access'' for an error inside ``sources``."""
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] == "sources":
        entry = sources[path[1]]
        sid = entry.get("source_id", "?") if isinstance(entry, dict) else "?"
        field = f", field {path[2]!r}" if len(path) > 2 else ""
        if error.validator == "additionalProperties" or error.validator == "required":
            field = ""  # the message names the field
        return f"entry {path[1] + 1} (source_id {sid!r}){field}"
    return "top level" if not path else "/".join(map(str, path))


def _fix(error: jsonschema.ValidationError) -> str:
    """What to do about a schema error, in one sentence."""
    rule = error.validator
    if rule == "enum":
        return f"use one of {error.validator_value}, or add the value to {SCHEMA_FILE}"
    if rule == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return f"use only the fields {allowed} (the columns of source_catalogue.csv)"
    if rule == "required":
        return "give the field: it is a required column of source_catalogue.csv"
    if rule == "pattern":
        return f"write it to match the pattern {error.validator_value!r}"
    if rule in ("minimum", "maximum"):
        return f"give a value within the bounds of {SCHEMA_FILE}, or leave the field out"
    if rule in ("type", "minLength"):
        return "give a value of the type the schema says, or leave the field out if unknown"
    return f"see the rule {rule!r} in {SCHEMA_FILE}"


@functools.cache
def read_entries(path: str | Path | None = None) -> dict:
    """``source_catalogue.yml``, checked against its JSON Schema and for unique ids and links.

    Parameters
    ----------
    path : str or Path, optional
        Another file of entries (for tests); by default ``data/sources/source_catalogue.yml``.

    Returns
    -------
    dict
        ``compiled_year`` (int) and ``sources`` (list of dict, one per source, in the
        order of the file; a key left out is unknown).

    Raises
    ------
    CatalogueEntryError
        Naming the file, the entry, the field, what is wrong and how to fix it.
    """
    file = _input_file(ENTRIES_FILE) if path is None else Path(path)
    name = ENTRIES_FILE if path is None else str(path)
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    sources = data.get("sources", []) if isinstance(data, dict) else []
    validator = jsonschema.Draft202012Validator(entries_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        raise CatalogueEntryError(
            f"{name}, {_where(e, sources)}: {e.message}. Fix: {_fix(e)}."
            + (f" ({len(errors) - 1} more problem(s) after this one.)" if len(errors) > 1 else "")
        )
    for key in ("source_id", "url"):
        seen: dict = {}
        for i, entry in enumerate(sources, start=1):
            if entry[key] in seen:
                raise CatalogueEntryError(
                    f"{name}, entry {i} (source_id {entry['source_id']!r}), field "
                    f"{key!r}: {entry[key]!r} is already used by entry {seen[entry[key]]}. "
                    f"Fix: give each source its own {key}."
                )
            seen[entry[key]] = i
    return data


def _allowed(field: str) -> tuple[str, ...]:
    return tuple(entries_schema()["$defs"]["source"]["properties"][field]["enum"])


#: The year the catalogue was compiled; ``last_year`` is "latest available as of then".
COMPILED_YEAR: int = read_entries()["compiled_year"]
PROVIDER_TYPES = _allowed("provider_type")
DOMAINS = _allowed("domain")
DEFINITION_BASES = _allowed("definition_basis")
SPATIAL_GRANULARITIES = _allowed("spatial_granularity")
FREQUENCIES = _allowed("frequency")
ACCESS_LEVELS = _allowed("access")


#: Columns of ``source_catalogue.csv``: the fields of an entry, in the schema's order.
_COLUMNS = list(entries_schema()["$defs"]["source"]["properties"])
_INTEGER_COLUMNS = ("first_year", "last_year", "publication_lag_months")


def catalogue_table() -> pd.DataFrame:
    """The catalogue as a DataFrame, one row per source, in the column order of the schema.

    Returns
    -------
    DataFrame
        Columns as in :func:`catalogue_schema`; integer columns are nullable
        (``Int64``), text columns are ``object`` with ``None`` where a fact is unknown.
    """
    sources = read_entries()["sources"]
    df = pd.DataFrame([{c: row.get(c) for c in _COLUMNS} for row in sources], columns=_COLUMNS)
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
    """Frictionless Table Schema of ``source_catalogue.csv``.

    Long on purpose: one literal list of the eighteen fields in column order, each with
    the description the datasheet prints; split, the table would be scattered. The
    allowed values come from ``source_catalogue.schema.json``.
    """
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
        datasheet=datasheet("source_catalogue", compiled_year=COMPILED_YEAR),
    )
    return [resource], []
