"""Loaders for the bundled sample data and readers for the formats of the real sources.

Every bundled dataset has a ``load_<name>()`` function that checks the file before it
returns it: the file exists, its SHA-256 hash is the one recorded in
``data/datapackage.json``, and its content follows the recorded schema (columns, types,
required values, minimums, allowed values, ISO3 codes known to ``countries``, unique keys,
the CRS of geographic layers). Anything wrong raises :class:`DataError`, whose message names
the file, the problem and the fix. Nothing is dropped silently.

The readers of the real sources' formats (UN DESA workbook, Eurostat TSV and SDMX-CSV,
World Bank WDI CSV) live in :mod:`migrationlab.real_sources` and are re-exported here.

Examples
--------
>>> from migrationlab.data import load_migrant_stocks
>>> stocks = load_migrant_stocks()  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pandas as pd

from migrationlab import REPO_ROOT
from migrationlab.checks import MissingColumnError, require_columns
from migrationlab.real_sources import *  # noqa: F403  (the readers of the real formats)

# --------------------------------------------------------------------------------------
# The bundled data
# --------------------------------------------------------------------------------------


#: Where the bundled data live.
DATA_DIR = REPO_ROOT / "data"

_FIX_REGENERATE = (
    "Restore it with `git checkout -- data/` or regenerate it with `make data` "
    "(or `python -m migrationlab data`)."
)


class DataError(ValueError):
    """A bundled data file is missing, changed or does not follow its schema."""


def _data_dir(data_dir) -> Path:
    return Path(data_dir) if data_dir is not None else DATA_DIR


def read_datapackage(data_dir=None) -> dict:
    """The Data Package descriptor ``data/datapackage.json`` as a dict."""
    path = _data_dir(data_dir) / "datapackage.json"
    if not path.exists():
        raise DataError(f"{path}: the data package descriptor is missing. {_FIX_REGENERATE}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON ({exc}). {_FIX_REGENERATE}") from exc


def _descriptor(name: str, data_dir) -> dict:
    package = read_datapackage(data_dir)
    for resource in package["resources"]:
        if resource["name"] == name:
            return resource
    names = ", ".join(r["name"] for r in package["resources"])
    raise DataError(f"datapackage.json has no dataset {name!r}; it has: {names}.")


def _verified_path(desc: dict, data_dir) -> Path:
    path = _data_dir(data_dir) / desc["path"]
    if not path.exists():
        raise DataError(f"{path}: file missing (dataset {desc['name']!r}). {_FIX_REGENERATE}")
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    expected = desc["hash"].removeprefix("sha256:")
    if h.hexdigest() != expected:
        raise DataError(
            f"{path}: the file has changed or is corrupted (SHA-256 {h.hexdigest()[:12]}… "
            f"instead of {expected[:12]}… recorded in datapackage.json). {_FIX_REGENERATE} "
            "If you changed it on purpose, regenerate it with the generator instead of "
            "editing the file, so that the datasheet and hash stay true."
        )
    return path


def _fields(schema: dict) -> list[dict]:
    return schema.get("fields", [])


def _as_list(x) -> list:
    return x if isinstance(x, list) else [x]


def _coerce(df: pd.DataFrame, schema: dict, path: Path) -> pd.DataFrame:
    """Cast columns to the schema's types; a value that does not fit raises DataError."""
    for f in _fields(schema):
        name, type_ = f["name"], f["type"]
        if name not in df.columns:
            continue
        col = df[name]
        try:
            if type_ in ("integer", "year"):
                numeric = pd.to_numeric(col, errors="raise")
                if not np.all(np.isnan(numeric) | (numeric == np.round(numeric))):
                    raise ValueError("not a whole number")
                df[name] = numeric.astype("Int64")
            elif type_ == "number":
                df[name] = pd.to_numeric(col, errors="raise").astype("float64")
            elif type_ == "boolean":
                mapped = col.map(
                    {
                        "True": True,
                        "False": False,
                        "true": True,
                        "false": False,
                        True: True,
                        False: False,
                    }
                )
                if mapped.isna().any() and not col[mapped.isna()].isna().all():
                    raise ValueError("expected True or False")
                df[name] = mapped.astype("boolean")
            elif type_ == "date":
                df[name] = pd.to_datetime(col, format="%Y-%m-%d", errors="raise")
            elif type_ == "datetime":
                df[name] = pd.to_datetime(col, errors="raise", utc=True)
            elif type_ == "string":
                df[name] = col.astype(object)
        except (ValueError, TypeError) as exc:
            bad = _first_bad(col, type_)
            raise DataError(
                f"{path}: column '{name}' should hold {type_} values, but row {bad[0]} holds "
                f"{bad[1]!r} ({exc}). {_FIX_REGENERATE}"
            ) from exc
    return df


def _first_bad(col: pd.Series, type_: str) -> tuple[int, object]:
    for i, v in col.items():
        if pd.isna(v):
            continue
        try:
            if type_ in ("integer", "year"):
                if float(v) != int(float(v)):
                    return i, v
            elif type_ == "number":
                float(v)
            elif type_ == "boolean" and str(v) not in ("True", "False", "true", "false"):
                return i, v
            elif type_ in ("date", "datetime"):
                pd.to_datetime(v)
        except (ValueError, TypeError):
            return i, v
    return -1, None


def _validate(df: pd.DataFrame, schema: dict, path: Path, data_dir) -> None:
    """Check a table against its Table Schema; the first problem raises DataError."""
    expected = [f["name"] for f in _fields(schema)]
    require_columns(
        df, expected, table_name="the file", fix=_FIX_REGENERATE, caller=str(path), error=DataError
    )
    for f in _fields(schema):
        name, cons = f["name"], f.get("constraints", {})
        col = df[name]
        if cons.get("required") and col.isna().any():
            row = int(np.flatnonzero(col.isna().to_numpy())[0])
            raise DataError(
                f"{path}: column '{name}' is required but empty in row {row}. {_FIX_REGENERATE}"
            )
        present = col.dropna()
        if "minimum" in cons and len(present) and f["type"] not in ("date", "datetime"):
            below = present < cons["minimum"]
            if below.any():
                i = below.idxmax()
                what = "negative counts" if cons["minimum"] == 0 else "values too small"
                raise DataError(
                    f"{path}: column '{name}' has {what}: {int(below.sum())} value(s) below "
                    f"{cons['minimum']}, first in row {i} ({present[i]}). Counts cannot be "
                    f"negative. {_FIX_REGENERATE}"
                )
        if "maximum" in cons and len(present) and f["type"] not in ("date", "datetime"):
            above = present > cons["maximum"]
            if above.any():
                i = above.idxmax()
                raise DataError(
                    f"{path}: column '{name}' has {int(above.sum())} value(s) above "
                    f"{cons['maximum']}, first in row {i} ({present[i]}). {_FIX_REGENERATE}"
                )
        if "enum" in cons and len(present):
            allowed = set(cons["enum"])
            bad = ~present.isin(allowed)
            if bad.any():
                i = bad.idxmax()
                raise DataError(
                    f"{path}: column '{name}' holds {present[i]!r} in row {i}; allowed values "
                    f"are {sorted(map(str, allowed))}. {_FIX_REGENERATE}"
                )
        if "pattern" in cons and len(present):
            uniques = [str(v) for v in present.unique()]
            bad_values = [v for v in uniques if not re.fullmatch(cons["pattern"], v)]
            if bad_values:
                raise DataError(
                    f"{path}: column '{name}' holds {bad_values[:5]} that do not match "
                    f"{cons['pattern']!r} (for ISO3 columns: three capital letters, e.g. "
                    f"'DEU'). {_FIX_REGENERATE}"
                )
    pk = schema.get("primaryKey")
    if pk:
        dup = df.duplicated(_as_list(pk))
        if dup.any():
            i = int(np.flatnonzero(dup.to_numpy())[0])
            raise DataError(
                f"{path}: {int(dup.sum())} duplicated row(s) for the key {_as_list(pk)}, "
                f"first in row {i}. {_FIX_REGENERATE}"
            )
    for fk in schema.get("foreignKeys", []):
        fields = _as_list(fk["fields"])
        ref = fk["reference"]
        if ref["resource"] != "countries" or len(fields) != 1:
            continue
        known = _country_codes(data_dir)
        values = {str(v) for v in df[fields[0]].dropna().unique()}
        unknown = sorted(values - known)
        if unknown:
            raise DataError(
                f"{path}: column '{fields[0]}' holds ISO3 code(s) unknown to countries.csv: "
                f"{unknown[:10]}. Check the spelling, or harmonise names and codes with "
                f"country_converter (chapter 1). {_FIX_REGENERATE}"
            )


_COUNTRY_CACHE: dict = {}


def _country_codes(data_dir) -> set[str]:
    key = str(_data_dir(data_dir))
    if key not in _COUNTRY_CACHE:
        path = _data_dir(data_dir) / "countries.csv"
        codes = pd.read_csv(path, usecols=["iso3"], keep_default_na=False)["iso3"]
        _COUNTRY_CACHE[key] = set(codes)
    return _COUNTRY_CACHE[key]


#: Tables already checked in this process, by file and state: a notebook (or a grader's
#: hidden checks) that loads the same file again gets a copy without reading, hashing and
#: validating it again. A file changed on disk (other size or modification time) or a
#: changed datapackage.json is read and checked afresh.
_CHECKED: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_CHECKED_MAX = 8


def _state(path: Path) -> tuple:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), None)
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def _memo(key: tuple, read):
    """A copy of the checked table stored under ``key``, read (and stored) if missing."""
    if key not in _CHECKED:
        _CHECKED[key] = read()
        while len(_CHECKED) > _CHECKED_MAX:
            _CHECKED.popitem(last=False)
    _CHECKED.move_to_end(key)
    return _CHECKED[key].copy(deep=True)


def _load_table(name: str, data_dir=None, verify_hash: bool = True) -> pd.DataFrame:
    desc = _descriptor(name, data_dir)
    path = _data_dir(data_dir) / desc["path"]
    package = _data_dir(data_dir) / "datapackage.json"
    key = ("table", name, verify_hash, _state(path), _state(package))
    return _memo(key, lambda: _read_checked_table(name, desc, data_dir, verify_hash))


def _read_checked_table(name, desc, data_dir, verify_hash: bool) -> pd.DataFrame:
    path = _verified_path(desc, data_dir) if verify_hash else _data_dir(data_dir) / desc["path"]
    if not path.exists():
        raise DataError(f"{path}: file missing (dataset {name!r}). {_FIX_REGENERATE}")
    schema = desc["schema"]
    try:
        df = _read_typed(path, schema)
    except (ValueError, TypeError, KeyError, EOFError, OSError):
        # Slow path, only to say exactly which column and row do not fit the schema.
        df = _read_text(path, schema.get("missingValues", [""]))
        df = _coerce(df, schema, path)
    _validate(df, schema, path, data_dir)
    return _plain_dtypes(df, schema)


def _plain_dtypes(df: pd.DataFrame, schema: dict) -> pd.DataFrame:
    """NumPy dtypes that behave as students expect in comparisons and masks.

    Whole numbers become ``int64``, or ``float64`` where values are missing (NaN compares
    False, while a nullable NA would make a boolean mask ambiguous); true/false columns
    become ``bool``, or ``object`` where values are missing; text stays ``object`` with
    NaN for missing values.
    """
    for f in _fields(schema):
        name, type_ = f["name"], f["type"]
        col = df[name]
        if type_ in ("integer", "year"):
            df[name] = col.astype("float64") if col.isna().any() else col.astype("int64")
        elif type_ == "boolean":
            df[name] = col.astype(object) if col.isna().any() else col.astype(bool)
        elif type_ == "string":
            df[name] = col.astype(object).where(col.notna(), np.nan)
    return df


def _read_text(path: Path, missing=("",)) -> pd.DataFrame:
    try:
        # Every column as text: "NA" is Namibia's ISO2 code, not a missing value.
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=list(missing))
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, EOFError) as exc:
        raise DataError(f"{path}: cannot be read as CSV ({exc}). {_FIX_REGENERATE}") from exc


_ARROW_TYPES = {
    "string": "object",
    "integer": "Int64",
    "year": "Int64",
    "number": "float64",
}


def _read_typed(path: Path, schema: dict) -> pd.DataFrame:
    """Fast read with the schema's types (pyarrow engine); raises if a value does not fit."""
    header = pd.read_csv(path, nrows=0).columns
    fields = {f["name"]: f["type"] for f in _fields(schema)}
    if set(fields) - set(header):
        raise KeyError("missing columns")
    dtypes = {n: _ARROW_TYPES.get(t, "object") for n, t in fields.items()}
    missing = schema.get("missingValues", [""])
    df = pd.read_csv(path, engine="pyarrow", dtype=dtypes, keep_default_na=False, na_values=missing)
    for name, type_ in fields.items():
        if type_ == "boolean":
            df[name] = _coerce_bool(df[name])
        elif type_ == "date":
            df[name] = pd.to_datetime(df[name], format="%Y-%m-%d")
        elif type_ == "datetime":
            df[name] = pd.to_datetime(df[name], utc=True)
    return df


def _coerce_bool(col: pd.Series) -> pd.Series:
    mapped = col.map({"True": True, "False": False, "true": True, "false": False})
    if mapped.isna().any() and not col[mapped.isna()].isna().all():
        raise ValueError("expected True or False")
    return mapped.astype("boolean")


def _load_layer(name: str, layer: str, data_dir=None, verify_hash: bool = True):
    desc = _descriptor(name, data_dir)
    path = _data_dir(data_dir) / desc["path"]
    package = _data_dir(data_dir) / "datapackage.json"
    key = ("layer", name, layer, verify_hash, _state(path), _state(package))
    return _memo(key, lambda: _read_checked_layer(name, layer, desc, data_dir, verify_hash))


def _read_checked_layer(name: str, layer: str, desc: dict, data_dir, verify_hash: bool):
    import geopandas as gpd
    import pyogrio

    path = _verified_path(desc, data_dir) if verify_hash else _data_dir(data_dir) / desc["path"]
    layers = desc["layers"]
    if layer not in layers:
        raise DataError(f"{path}: no layer {layer!r}; the layers are {list(layers)}.")
    try:
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise DataError(f"{path}: cannot read layer {layer!r} ({exc}). {_FIX_REGENERATE}") from exc
    if gdf.crs is None or gdf.crs != desc["crs"]:
        raise DataError(
            f"{path}: layer {layer!r} has CRS {gdf.crs} but datapackage.json says "
            f"{desc['crs']}. Reproject with gdf.to_crs({desc['crs']!r}), or {_FIX_REGENERATE}"
        )
    schema = {k: v for k, v in layers[layer].items()}
    schema["fields"] = [f for f in schema.get("fields", []) if f["type"] != "geojson"]
    _validate(gdf, schema, path, data_dir)
    return gdf


def _load_json(name: str, data_dir=None) -> dict:
    desc = _descriptor(name, data_dir)
    path = _verified_path(desc, data_dir)
    return json.loads(path.read_text(encoding="utf-8"))


def dataset_names(data_dir=None) -> list[str]:
    """Names of every dataset in ``data/datapackage.json``."""
    return [r["name"] for r in read_datapackage(data_dir)["resources"]]


def load_countries(data_dir=None) -> pd.DataFrame:
    """Countries of the course's world (real codes, names, capitals; 174 rows)."""
    return _load_table("countries", data_dir)


def load_world(data_dir=None):
    """Natural Earth 1:110m country polygons as shipped (real data; EPSG:4326)."""
    return _load_layer("world", "countries", data_dir)


def load_country_indicators(data_dir=None) -> pd.DataFrame:
    """Population, GDP per person (PPP, USD) and unemployment by country and year (synthetic)."""
    return _load_table("country_indicators", data_dir)


def load_migrant_stocks(data_dir=None) -> pd.DataFrame:
    """Five-yearly bilateral migrant stocks, UN DESA style (synthetic); see its datasheet."""
    return _load_table("migrant_stocks", data_dir)


def load_eu_immigration_flows(data_dir=None) -> pd.DataFrame:
    """Immigration into EU member states by citizenship, Eurostat style (synthetic)."""
    return _load_table("eu_immigration_flows", data_dir)


def load_social_media_audience(data_dir=None) -> pd.DataFrame:
    """Advertising-platform audiences of migrants by age and sex (synthetic)."""
    return _load_table("social_media_audience", data_dir)


def load_professional_network(data_dir=None) -> pd.DataFrame:
    """Professional-network members by origin, destination and education (synthetic)."""
    return _load_table("professional_network", data_dir)


def load_air_passengers(data_dir=None) -> pd.DataFrame:
    """Monthly air passengers between EU reporting countries and partners (synthetic)."""
    return _load_table("air_passengers", data_dir)


def load_airports(data_dir=None) -> pd.DataFrame:
    """Main airports (real data from the airportsdata package)."""
    return _load_table("airports", data_dir)


def load_cities(layer: str = "grid_cells", data_dir=None):
    """Invented cities (synthetic), EPSG:3035: layer ``grid_cells``, ``districts`` or ``cities``."""
    return _load_layer("cities", layer, data_dir)


def group_column(group: str, table: pd.DataFrame) -> str:
    """The count column of a country-of-birth group in a census layer of ``cities``.

    The planted truth of the cities (``load_parameters()["instruments"]["cities"]``) names
    each city's groups by key: ``"eu_born"``, ``"other_non_eu"`` and the ISO3 codes of the
    origins (``"TUR"``); the census layers count residents in columns ``pop_eu_born``,
    ``pop_born_other_non_eu``, ``pop_born_tur``, ... This finds the column of a key in the
    table itself, so that truth and data can be joined without spelling the rule twice.

    Parameters
    ----------
    group : str
        A group key of the planted truth.
    table : pandas.DataFrame
        A census layer of :func:`load_cities` (``grid_cells`` or ``districts``).

    Returns
    -------
    str
        ``pop_<group>`` if the table has it, else ``pop_born_<group in lower case>``.

    Raises
    ------
    KeyError
        If the table has neither column.

    Examples
    --------
    >>> import pandas as pd
    >>> cells = pd.DataFrame(columns=["pop_eu_born", "pop_born_other_non_eu", "pop_born_tur"])
    >>> [group_column(g, cells) for g in ("eu_born", "other_non_eu", "TUR")]
    ['pop_eu_born', 'pop_born_other_non_eu', 'pop_born_tur']
    """
    candidates = [f"pop_{group}", f"pop_born_{str(group).lower()}"]
    for column in candidates:
        if column in table.columns:
            return column
    raise MissingColumnError(
        f"group_column(): the census table has no column for the group {group!r} (looked "
        f"for {candidates[0]!r} and {candidates[1]!r}). Pass a grid_cells or districts "
        "layer of load_cities(), and a group key of the planted truth of the cities.",
        table="the census table",
        missing=candidates,
    )


def load_phone_activity(data_dir=None) -> pd.DataFrame:
    """International calls per antenna cell and destination country (synthetic)."""
    return _load_table("phone_activity", data_dir)


def load_phone_towers(data_dir=None) -> pd.DataFrame:
    """Phone towers of the synthetic country: district and x, y in km."""
    return _load_table("phone_towers", data_dir)


def load_phone_census(data_dir=None) -> pd.DataFrame:
    """Census of the synthetic country's adults by district, sex and age group."""
    return _load_table("phone_census", data_dir)


def load_phone_ownership_survey(data_dir=None) -> pd.DataFrame:
    """Survey of SIM ownership and shared use by area, sex and age (synthetic)."""
    return _load_table("phone_ownership_survey", data_dir)


def load_phone_subscribers(data_dir=None) -> pd.DataFrame:
    """SIMs with their registered owner's sex and age group (synthetic)."""
    return _load_table("phone_subscribers", data_dir)


def load_phone_records(data_dir=None) -> pd.DataFrame:
    """Call detail records: night and day events per SIM, month and tower (synthetic)."""
    return _load_table("phone_records", data_dir)


def load_phone_contacts(data_dir=None) -> pd.DataFrame:
    """Pairs of SIMs that called each other before the disaster (synthetic)."""
    return _load_table("phone_contacts", data_dir)


def load_mobile_money_transfers(data_dir=None) -> pd.DataFrame:
    """Mobile-money transfers between SIMs by month, USD (synthetic)."""
    return _load_table("mobile_money_transfers", data_dir)


def load_phone_disaster(data_dir=None) -> pd.DataFrame:
    """The disaster in the synthetic country: district, month, epicentre."""
    return _load_table("phone_disaster", data_dir)


def load_displacement_survey(data_dir=None) -> pd.DataFrame:
    """Survey of displaced people in host districts after the disaster (synthetic)."""
    return _load_table("displacement_survey", data_dir)


def load_true_phone_persons(data_dir=None) -> pd.DataFrame:
    """GROUND TRUTH: the persons behind the SIMs, their moves and displacement."""
    return _load_table("true_phone_persons", data_dir)


def load_true_phone_residence(data_dir=None) -> pd.DataFrame:
    """GROUND TRUTH: each person's district, as spells of months."""
    return _load_table("true_phone_residence", data_dir)


def load_true_phone_migration(data_dir=None) -> pd.DataFrame:
    """GROUND TRUTH: internal migration between the two periods."""
    return _load_table("true_phone_migration", data_dir)


def load_source_catalogue(data_dir=None) -> pd.DataFrame:
    """Catalogue of real migration data sources (real metadata, compiled 2026)."""
    return _load_table("source_catalogue", data_dir)


def load_discourse_accounts(data_dir=None) -> pd.DataFrame:
    """Accounts of the synthetic migration-discourse network."""
    return _load_table("discourse_accounts", data_dir)


def load_discourse_follows(data_dir=None) -> pd.DataFrame:
    """Follow edges of the synthetic migration-discourse network."""
    return _load_table("discourse_follows", data_dir)


def load_discourse_shares(data_dir=None) -> pd.DataFrame:
    """Messages and reshares in the synthetic migration-discourse network."""
    return _load_table("discourse_shares", data_dir)


def load_login_users(data_dir=None) -> pd.DataFrame:
    """Synthetic e-mail users with self-reported sex and age group (ids only)."""
    return _load_table("login_users", data_dir)


def load_login_sessions(data_dir=None) -> pd.DataFrame:
    """Sessions of the synthetic e-mail users by year and country of IP location."""
    return _load_table("login_sessions", data_dir)


def load_internet_penetration(data_dir=None) -> pd.DataFrame:
    """Synthetic internet penetration by origin, sex and age group."""
    return _load_table("internet_penetration", data_dir)


def load_official_emigration_rates(data_dir=None) -> pd.DataFrame:
    """Synthetic official emigration rates by sex and age, some origins, with a lag."""
    return _load_table("official_emigration_rates", data_dir)


def load_true_emigration_rates(data_dir=None) -> pd.DataFrame:
    """GROUND TRUTH: true emigration rates of the login origins by sex and age."""
    return _load_table("true_emigration_rates", data_dir)


def load_geo_posts(data_dir=None) -> pd.DataFrame:
    """Synthetic geo-located posts by user, year and region."""
    return _load_table("geo_posts", data_dir)


def load_discourse_texts(data_dir=None) -> pd.DataFrame:
    """Synthetic short texts about migration (posts and news items), dated."""
    return _load_table("discourse_texts", data_dir)


def load_true_text_frames(data_dir=None) -> pd.DataFrame:
    """GROUND TRUTH: the planted frame of every synthetic text."""
    return _load_table("true_text_frames", data_dir)


def load_true_stocks(data_dir=None) -> pd.DataFrame:
    """GROUND TRUTH: true migrant stocks by year, to check estimates against."""
    return _load_table("true_stocks", data_dir)


def load_true_flows(data_dir=None) -> pd.DataFrame:
    """GROUND TRUTH: true annual migration flows, to check estimates against."""
    return _load_table("true_flows", data_dir)


def load_true_education(data_dir=None) -> pd.DataFrame:
    """GROUND TRUTH: true education of adult migrants behind ``professional_network``."""
    return _load_table("true_education", data_dir)


def load_calibration(data_dir=None) -> pd.DataFrame:
    """The calibration report: published targets against the generated data."""
    return _load_table("calibration", data_dir)


def load_parameters(data_dir=None) -> dict:
    """GROUND TRUTH: the planted parameters of the simulated world."""
    return _load_json("parameters", data_dir)


def load_events(data_dir=None) -> list[dict]:
    """GROUND TRUTH: the planted events (e.g. the corridor surge)."""
    return _load_json("events", data_dir)["events"]


# --------------------------------------------------------------------------------------
# Real data (data/real/): extracts of UN DESA, World Bank, CEPII and OpenFlights
# --------------------------------------------------------------------------------------
# Each file is the publisher's data under the publisher's licence (data/real/LICENSES.md).
# The loaders check hash and schema as for the synthetic data, and add ISO3 columns where
# the publisher uses other codes, so that the tables join with each other.

#: CEPII's codes that differ from ISO 3166-1 alpha-3.
CEPII_ISO3 = {"TMP": "TLS", "ROM": "ROU", "ZAR": "COD", "YUG": "SRB", "PAL": "PSE"}


def load_un_stocks_by_destination_2020(data_dir=None) -> pd.DataFrame:
    """REAL: UN DESA International Migrant Stock 2020 by destination and sex, 1990-2020.

    One row per location (235 countries or areas and 47 aggregates) and year. The loader
    adds ``iso3`` (from the M49 code; empty for aggregates). The World row has
    ``location_code == 900``. Licence CC BY 3.0 IGO: credit "United Nations Department of
    Economic and Social Affairs, Population Division (2020). International Migrant Stock
    2020."
    """
    from migrationlab.countries import iso3_from_m49

    df = _load_table("un_stocks_by_destination_2020", data_dir)
    df.insert(1, "iso3", iso3_from_m49(df["location_code"]).where(df["is_country"]))
    return df


def load_un_stocks_origin_destination_2019(data_dir=None) -> pd.DataFrame:
    """REAL: UN DESA International Migrant Stock 2019, origin x destination, 1990-2019.

    The loader adds ``destination_iso3`` and ``origin_iso3`` (from the M49 codes). The
    table has no "unknown origin" columns: sums over origins fall short of the published
    totals (world 2019: 260.3 M here against 271.6 M published). Licence CC BY 3.0 IGO.
    """
    from migrationlab.countries import iso3_from_m49

    df = _load_table("un_stocks_origin_destination_2019", data_dir)
    df.insert(3, "destination_iso3", iso3_from_m49(df["destination_code"]))
    df.insert(6, "origin_iso3", iso3_from_m49(df["origin_code"]))
    return df


def load_wdi_population(data_dir=None) -> pd.DataFrame:
    """REAL: World Bank WDI total population (SP.POP.TOTL), 1960-2024.

    The loader adds ``is_aggregate`` (World Bank aggregates such as WLD, EUU, HIC).
    Licence CC BY 4.0: credit "The World Bank: World Development Indicators".
    """
    from migrationlab.real_sources import WORLD_BANK_AGGREGATES

    df = _load_table("wdi_population", data_dir)
    df["is_aggregate"] = df["iso3"].isin(set(WORLD_BANK_AGGREGATES))
    return df


def load_wdi_gdp_per_capita_ppp(data_dir=None) -> pd.DataFrame:
    """REAL: World Bank WDI GDP per capita, PPP (current international $), 1990-2022.

    With the World Bank region and income group. Licence CC BY 4.0.
    """
    return _load_table("wdi_gdp_per_capita_ppp", data_dir)


def load_cepii_geodist(data_dir=None) -> pd.DataFrame:
    """REAL: CEPII GeoDist, all ordered pairs of 224 countries.

    Distances (km) and dummies for contiguity, common language and colonial ties. The
    loader adds ``origin_iso3`` and ``destination_iso3``: CEPII's ``iso_o`` and ``iso_d``
    with its non-ISO codes replaced (:data:`CEPII_ISO3`, e.g. TMP -> TLS). Cite Mayer and
    Zignago (2011); licence: Etalab Open Licence 2.0 (see the datasheet).
    """
    df = _load_table("cepii_geodist", data_dir)
    df.insert(2, "origin_iso3", df["iso_o"].replace(CEPII_ISO3))
    df.insert(3, "destination_iso3", df["iso_d"].replace(CEPII_ISO3))
    return df


def load_openflights_airports(data_dir=None) -> pd.DataFrame:
    """REAL: OpenFlights airports (7,698), with codes, coordinates and time zones.

    The loader adds ``iso3``, the ISO3 code of the airport's country (OpenFlights names
    its countries; :func:`load_openflights_countries` gives their ISO2 codes). Licence
    ODbL 1.0: attribution, and a derived database you publish must be ODbL too.
    """
    from migrationlab.countries import OPENFLIGHTS_NAME_ISO3, iso3_from_iso2

    df = _load_table("openflights_airports", data_dir)
    countries = _load_table("openflights_countries", data_dir).drop_duplicates("name")
    iso2 = countries["iso_code"]
    iso3 = dict(zip(countries["name"], iso3_from_iso2(iso2), strict=True)) | OPENFLIGHTS_NAME_ISO3
    df.insert(4, "iso3", df["country"].map(iso3))
    return df


def load_openflights_routes(data_dir=None) -> pd.DataFrame:
    """REAL: OpenFlights routes (67,663), a June 2014 snapshot; licence ODbL 1.0.

    One row per airline, origin airport and destination airport: who flies where, not how
    many passengers or how often.
    """
    return _load_table("openflights_routes", data_dir)


def load_openflights_airlines(data_dir=None) -> pd.DataFrame:
    """REAL: OpenFlights airlines (6,162); licence ODbL 1.0."""
    return _load_table("openflights_airlines", data_dir)


def load_openflights_countries(data_dir=None) -> pd.DataFrame:
    """REAL: OpenFlights' country names with ISO 3166-1 alpha-2 codes; licence ODbL 1.0."""
    return _load_table("openflights_countries", data_dir)
