"""Rebuild the files of ``data/real/`` from the upstream files they were made from.

Run by hand, when the upstream files are at hand::

    python -m migrationlab_world.real_rebuild RAW_DIR [OUT_DIR] [--only NAME ...]

``RAW_DIR`` holds the upstream files, each under its name in :data:`UPSTREAM` (for
example ``ims2020_destination.xlsx``) or under the file name it has upstream (for example
``undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx``, as in ``data/real/originals/``).
:data:`UPSTREAM` says where each file comes from: a public GitHub repository, a commit and
a path, so ``git show <commit>:<path>`` in a clone of that repository gives it. ``OUT_DIR``
(default ``data/real/``) receives the rebuilt files; ``--only`` rebuilds some datasets
(names as in :data:`migrationlab_world.real.REAL_FILES`).

Each file is written deterministically (CSV with Unix line ends; gzip without a
timestamp), read back, and checked against the figures its publisher printed
(:data:`migrationlab_world.real.PUBLISHED_FIGURES`) and a few consistency checks; a
failed check stops the rebuild (:class:`RebuildError`). Each file's SHA-256 is then
compared with the hash recorded in :data:`migrationlab_world.real.REAL_FILES`: identical
means the bundled copy is exactly what the upstream file gives.

Neither ``make data`` nor the test suite runs this over the upstream files, which are not
bundled. The two datasets whose publisher's files *are* bundled (in
``data/real/originals/``), ``un_stocks_by_destination_2020`` and
``wdi_gdp_per_capita_ppp``, are rebuilt by ``tests/test_real_data.py`` and must come out
byte for byte identical to the bundled copies.

The UN DESA 2020 workbook is read with
:func:`migrationlab.real_sources.read_undesa_destination_workbook` and the World Bank
bulk CSV with :func:`migrationlab.real_sources.read_worldbank_wdi_csv`, so the bundled
copies double as tests of those readers on the publishers' real files.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from migrationlab.real_sources import read_undesa_destination_workbook, read_worldbank_wdi_csv
from migrationlab_world._io import sha256
from migrationlab_world.real import _SCHEMAS, PUBLISHED_FIGURES, REAL_DIR, REAL_FILES


@dataclass(frozen=True)
class Upstream:
    """Where one upstream file comes from: ``git show <commit>:<path>`` in ``repo``."""

    repo: str
    commit: str
    path: str
    what: str

    @property
    def file_name(self) -> str:
        """The file's name upstream (accepted in RAW_DIR besides the key of UPSTREAM)."""
        return PurePosixPath(self.path).name


_STEPLADDER = "guyabel/stepladderChapter"
_OPENFLIGHTS = ("jpatokal/openflights", "5a0360255a5a2ff2b9f1e9cb199716da68a8a33f")
_COMPLEXITY = ("LNshuti/complexity", "8d82ddfeacaaddab7e99e38f7d05f53a17c3ec16")

#: Every upstream file, by the name the rebuild looks for in RAW_DIR.
UPSTREAM = {
    "ims2020_destination.xlsx": Upstream(
        _STEPLADDER,
        "be0164e34f8f71634249d204c12b81e198d897f1",
        "data_raw/undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx",
        "UN DESA's workbook International Migrant Stock 2020: Destination, unchanged "
        "(also bundled as data/real/originals/undesa_pd_2020_ims_stock_by_sex_and_"
        "destination.xlsx)",
    ),
    "ims2019_od_clean.csv": Upstream(
        _STEPLADDER,
        "dfa46c6512b0242bd3c82b822ed21a06eb2d7fcf",
        "archive/UN_MigrantStockByOriginAndDestination_2019_clean.csv",
        "UN DESA International Migrant Stock 2019, origin x destination, as a wide CSV "
        "made by the repository's authors (not the publisher's file)",
    ),
    "wdi_population.csv": Upstream(
        "datasets/population",
        "425fc447a53a26c767a15a7de60c4cc2478a0595",
        "data/population.csv",
        "World Bank WDI SP.POP.TOTL, Datahub's copy (columns Country Name, Country Code, "
        "Year, Value)",
    ),
    "wdi_gdppc_ppp.csv": Upstream(
        *_COMPLEXITY,
        "data/API_NY.GDP.PCAP.PP.CD_DS2_en_csv_v2_5728866.csv",
        "World Bank WDI bulk CSV of NY.GDP.PCAP.PP.CD, release 2023-07-25, unchanged (also "
        "bundled in data/real/originals/)",
    ),
    "wdi_gdppc_ppp_meta_country.csv": Upstream(
        *_COMPLEXITY,
        "data/Metadata_Country_API_NY.GDP.PCAP.PP.CD_DS2_en_csv_v2_5728866.csv",
        "its Metadata_Country file (region and income group), unchanged (also bundled)",
    ),
    "dist_cepii.csv": Upstream(
        "ClaudeGrasland/trade",
        "0a6fc98496f32e561254f577f9440b344d582c06",
        "data/dist_cepii.csv",
        "CEPII GeoDist dist_cepii, semicolon-separated export with all 14 columns",
    ),
    "airports.dat": Upstream(*_OPENFLIGHTS, "data/airports.dat", "OpenFlights airports"),
    "routes.dat": Upstream(*_OPENFLIGHTS, "data/routes.dat", "OpenFlights routes (June 2014)"),
    "airlines.dat": Upstream(*_OPENFLIGHTS, "data/airlines.dat", "OpenFlights airlines"),
    "countries.dat": Upstream(*_OPENFLIGHTS, "data/countries.dat", "OpenFlights countries"),
}

#: The upstream files each dataset is made from.
NEEDS = {
    "un_stocks_by_destination_2020": ["ims2020_destination.xlsx"],
    # the 2019 file names its countries; their M49 codes come from the 2020 workbook
    "un_stocks_origin_destination_2019": ["ims2019_od_clean.csv", "ims2020_destination.xlsx"],
    "wdi_population": ["wdi_population.csv"],
    "wdi_gdp_per_capita_ppp": ["wdi_gdppc_ppp.csv", "wdi_gdppc_ppp_meta_country.csv"],
    "cepii_geodist": ["dist_cepii.csv"],
    "openflights_airports": ["airports.dat"],
    "openflights_routes": ["routes.dat"],
    "openflights_airlines": ["airlines.dat"],
    "openflights_countries": ["countries.dat"],
}

#: Region rows that the 2019 upstream CSV left among its destinations (not countries).
OD_2019_REGION_ROWS = ("Caribbean", "Melanesia", "Micronesia", "Polynesia", "South America")
#: 2019 names that the 2020 workbook spells differently, with their M49 code.
OD_2019_NAME_CODES = {"Micronesia (Fed. States of)": 583}


#: Parse decimals exactly as written upstream (pandas' default parser can be one unit in
#: the last place off for 17-digit numbers, such as OpenFlights' coordinates).
_EXACT = "round_trip"


class RebuildError(RuntimeError):
    """An upstream file is missing or not as expected, or a rebuilt file fails a check."""


class _Raw:
    """The upstream files of RAW_DIR, found by their key in UPSTREAM or their own name."""

    def __init__(self, raw_dir) -> None:
        self.dir = Path(raw_dir)
        self.built: dict[str, pd.DataFrame] = {}  # tables another builder reuses

    def find(self, key: str) -> Path | None:
        for name in (key, UPSTREAM[key].file_name):
            if (self.dir / name).is_file():
                return self.dir / name
        return None

    def missing(self, keys: Iterable[str]) -> list[str]:
        return [k for k in keys if self.find(k) is None]

    def __call__(self, key: str) -> Path:
        path = self.find(key)
        if path is None:
            raise RebuildError(_missing_message(self.dir, [key]))
        return path


def _missing_message(raw_dir: Path, keys: list[str]) -> str:
    lines = [f"{raw_dir}: the upstream files below are missing. Put each there (either name):"]
    for k in keys:
        u = UPSTREAM[k]
        lines.append(f"  {k} (or {u.file_name}): git show {u.commit}:{u.path} in {u.repo}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# One builder per dataset: upstream files -> the table, in the bundled file's layout
# ---------------------------------------------------------------------------------------


def build_un_stocks_by_destination_2020(raw: _Raw) -> pd.DataFrame:
    """Countries and aggregates of the 2020 by-destination workbook, one row per year."""
    path = raw("ims2020_destination.xlsx")
    countries = read_undesa_destination_workbook(path)
    aggregates = read_undesa_destination_workbook(path, aggregates=True)
    table = pd.concat([countries, aggregates], ignore_index=True).drop(columns="iso3")
    # the bundled file's rule: a country or area has an M49 code below 900
    odd = table.loc[table["is_country"] != (table["location_code"] < 900), "location"]
    if len(odd):
        raise RebuildError(
            f"{path}: the reader's countries differ from 'M49 code below 900' for "
            f"{sorted(set(odd))}; the schema of un_stocks_by_destination_2020 says otherwise."
        )
    return table.sort_values(["location_code", "year"]).reset_index(drop=True)


def build_un_stocks_origin_destination_2019(raw: _Raw) -> pd.DataFrame:
    """The wide 2019 origin x destination CSV in long form, with M49 codes added."""
    path = raw("ims2019_od_clean.csv")
    wide = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(wide.columns[:2]) != ["Year", "Dest"]:
        raise RebuildError(f"{path}: the first columns should be Year, Dest.")
    wide = wide[~wide["Dest"].isin(OD_2019_REGION_ROWS)]
    long = wide.melt(id_vars=["Year", "Dest"], var_name="origin", value_name="cell")
    cell = long["cell"].str.strip()
    bad = ~(cell.isin(["..", "-"]) | cell.str.fullmatch(r"\d+(\.\d+)?"))
    if bad.any():
        examples = sorted(set(cell[bad]))[:5]
        raise RebuildError(f"{path}: cells that are not numbers, '..' or '-': {examples}.")
    # '-' is zero and '..' not available (UN DESA's notes); zero pairs are left out
    stock = pd.to_numeric(cell.replace({"-": "0", "..": ""}).replace("", np.nan))
    if "un_stocks_by_destination_2020" not in raw.built:
        raw.built["un_stocks_by_destination_2020"] = build_un_stocks_by_destination_2020(raw)
    names = raw.built["un_stocks_by_destination_2020"].query("is_country")
    code_of = dict(zip(names["location"], names["location_code"], strict=True))
    code_of |= OD_2019_NAME_CODES
    table = pd.DataFrame(
        {
            "year": long["Year"].astype(int),
            "destination": long["Dest"],
            "destination_code": long["Dest"].map(code_of).astype("Int64"),
            "origin": long["origin"],
            "origin_code": long["origin"].map(code_of).astype("Int64"),
            "migrant_stock": stock,
        }
    )
    table = table[table["migrant_stock"] != 0]
    for side in ("destination", "origin"):
        unmatched = table.loc[table[f"{side}_code"].isna(), side].unique()
        if len(unmatched):
            raise RebuildError(
                f"{path}: {side} names without an M49 code in the 2020 workbook: "
                f"{sorted(unmatched)[:5]}; add them to OD_2019_NAME_CODES."
            )
    return table.sort_values(["year", "destination", "origin"]).reset_index(drop=True)


def build_wdi_population(raw: _Raw) -> pd.DataFrame:
    """Datahub's WDI population CSV with the course's column names."""
    path = raw("wdi_population.csv")
    table = pd.read_csv(path, float_precision=_EXACT)
    upstream = ["Country Name", "Country Code", "Year", "Value"]
    if list(table.columns) != upstream:
        raise RebuildError(f"{path}: columns {list(table.columns)} instead of {upstream}.")
    return table.set_axis(["country_name", "iso3", "year", "population"], axis=1)


def build_wdi_gdp_per_capita_ppp(raw: _Raw) -> pd.DataFrame:
    """The WDI bulk CSV in long form (years with a value), with region and income group."""
    data, meta = raw("wdi_gdppc_ppp.csv"), raw("wdi_gdppc_ppp_meta_country.csv")
    value = "gdp_pc_ppp_current_intl_usd"
    code = "NY.GDP.PCAP.PP.CD"
    countries = read_worldbank_wdi_csv(data, [code], metadata=meta)
    aggregates = read_worldbank_wdi_csv(data, [code], aggregates=True, metadata=meta)
    column = countries.attrs["indicators"][code]
    countries = countries.rename(
        columns={"name": "country_name", "region": "wb_region", "income_group": "wb_income_group"}
    )
    aggregates = aggregates.rename(columns={"name": "country_name", "code": "iso3"}).assign(
        wb_region=np.nan, wb_income_group=np.nan
    )
    table = pd.concat([countries, aggregates], ignore_index=True).rename(columns={column: value})
    table = table.dropna(subset=[value])
    # the bundled file's rule: an aggregate is a code without a World Bank region
    table["is_aggregate"] = table["wb_region"].isna()
    columns = ["country_name", "iso3", "year", value, "wb_region", "wb_income_group"]
    return table[[*columns, "is_aggregate"]].sort_values(["iso3", "year"]).reset_index(drop=True)


def build_cepii_geodist(raw: _Raw) -> pd.DataFrame:
    """CEPII's semicolon-separated export, unchanged ('.' for missing distances kept)."""
    path = raw("dist_cepii.csv")
    return pd.read_csv(path, sep=";", keep_default_na=False, na_values=[""], float_precision=_EXACT)


def _openflights(key: str, dataset: str) -> Callable[[_Raw], pd.DataFrame]:
    """A builder of one OpenFlights table: no header upstream, \\N for missing."""

    def build(raw: _Raw) -> pd.DataFrame:
        names = [f["name"] for f in _SCHEMAS[dataset]["fields"]]
        return pd.read_csv(
            raw(key),
            header=None,
            names=names,
            na_values=["\\N"],
            keep_default_na=False,
            float_precision=_EXACT,
        )

    build.__doc__ = f"OpenFlights' {key} with the column names of its schema."
    return build


BUILDERS: dict[str, Callable[[_Raw], pd.DataFrame]] = {
    "un_stocks_by_destination_2020": build_un_stocks_by_destination_2020,
    "un_stocks_origin_destination_2019": build_un_stocks_origin_destination_2019,
    "wdi_population": build_wdi_population,
    "wdi_gdp_per_capita_ppp": build_wdi_gdp_per_capita_ppp,
    "cepii_geodist": build_cepii_geodist,
    "openflights_airports": _openflights("airports.dat", "openflights_airports"),
    "openflights_routes": _openflights("routes.dat", "openflights_routes"),
    "openflights_airlines": _openflights("airlines.dat", "openflights_airlines"),
    "openflights_countries": _openflights("countries.dat", "openflights_countries"),
}


# ---------------------------------------------------------------------------------------
# Writing and checking
# ---------------------------------------------------------------------------------------


def write_csv(table: pd.DataFrame, path: Path) -> None:
    """Write ``table`` as CSV (UTF-8, Unix line ends), gzipped when ``path`` ends in .gz.

    pandas writes the gzip stream (level 9) with ``mtime`` 0, so the header holds no
    timestamp, only the name of the CSV inside: equal tables give equal bytes. (The
    compressed bytes depend on how pandas feeds the stream, so a gzip written another
    way holds the same CSV in different bytes; the bundled files were written this way.)
    """
    gz = {"method": "gzip", "mtime": 0} if path.name.endswith(".gz") else None
    table.to_csv(path, index=False, lineterminator="\n", encoding="utf-8", compression=gz)


def _read_back(path: Path, dataset: str) -> pd.DataFrame:
    na = _SCHEMAS[dataset].get("missingValues", [""])
    return pd.read_csv(path, keep_default_na=False, na_values=na, float_precision=_EXACT)


def figure_checks(dataset: str, table: pd.DataFrame) -> list[tuple[str, float, float, bool]]:
    """(what, got, published, within tolerance) for each published figure of ``dataset``.

    ``table`` is the file as read back; each figure's ``where`` is a pandas query on it
    and its ``column`` is summed (``rows`` counts the rows).
    """
    out = []
    for f in (f for f in PUBLISHED_FIGURES if f["dataset"] == dataset):
        rows = table if f["where"] is None else table.query(f["where"])
        got = float(len(rows) if f["column"] == "rows" else rows[f["column"]].sum())
        out.append((f["what"], got, f["value"], abs(got - f["value"]) <= f["tolerance"]))
    return out


def consistency_checks(dataset: str, table: pd.DataFrame) -> list[tuple[str, bool]]:
    """Checks beyond the published figures: the columns are the schema's, and a few more."""
    fields = [f["name"] for f in _SCHEMAS[dataset]["fields"]]
    out = [(f"columns are the schema's {fields}", list(table.columns) == fields)]
    keys = _SCHEMAS[dataset].get("primaryKey")
    if keys:
        out.append((f"{keys} is unique", not table.duplicated(keys).any()))
    if dataset == "cepii_geodist":
        back = table.rename(columns={"iso_o": "iso_d", "iso_d": "iso_o"})
        pair = table.merge(back, on=["iso_o", "iso_d"], suffixes=("", "_back"))
        symmetric = len(pair) == len(table) and np.allclose(pair["dist"], pair["dist_back"])
        out.append(("dist is symmetric", bool(symmetric)))
    if dataset == "openflights_routes":
        airports = pd.concat([table["source_airport_id"], table["destination_airport_id"]])
        n = airports.dropna().nunique()
        what = f"{n:,} airports with routes (openflights.org: 3,321; within 30)"
        out.append((what, abs(n - 3321) <= 30))
    return out


@dataclass
class Rebuilt:
    """What the rebuild of one dataset gave."""

    dataset: str
    path: Path
    rows: int
    sha256: str
    recorded_sha256: str

    @property
    def identical(self) -> bool:
        """True when the file is byte for byte the bundled copy (same SHA-256)."""
        return self.sha256 == self.recorded_sha256


def rebuild(raw_dir, out_dir=REAL_DIR, only: Iterable[str] | None = None, log=print):
    """Rebuild the datasets ``only`` (default all) from RAW_DIR into OUT_DIR and check them.

    Returns a list of :class:`Rebuilt`. Raises :class:`RebuildError` when an upstream file
    is missing (all missing files are listed, with where to get them) or a check fails.
    """
    files = {f.name: f for f in REAL_FILES}
    names = list(files) if only is None else list(dict.fromkeys(only))
    unknown = [n for n in names if n not in files]
    if unknown:
        raise RebuildError(f"no real dataset {unknown}; the datasets are {list(files)}.")
    raw = _Raw(raw_dir)
    if not raw.dir.is_dir():
        raise RebuildError(f"{raw.dir}: no such folder; pass the folder of the upstream files.")
    missing = raw.missing(dict.fromkeys(k for n in names for k in NEEDS[n]))
    if missing:
        raise RebuildError(_missing_message(raw.dir, missing))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for name in names:
        table = raw.built[name] = BUILDERS[name](raw)
        path = out_dir / files[name].file
        write_csv(table, path)
        back = _read_back(path, name)
        failed = []
        for what, got, want, ok in figure_checks(name, back):
            log(f"  {name}: {what}: {got:,.2f} (published {want:,.2f}) {'OK' if ok else 'FAIL'}")
            failed += [] if ok else [what]
        for what, ok in consistency_checks(name, back):
            log(f"  {name}: {what}: {'OK' if ok else 'FAIL'}")
            failed += [] if ok else [what]
        if failed:
            raise RebuildError(f"{path}: failed checks: {failed}.")
        done = Rebuilt(name, path, len(back), sha256(path), files[name].sha256)
        same = (
            "identical to the recorded copy" if done.identical else "DIFFERS from the recorded hash"
        )
        log(f"{path.name}: {done.rows:,} rows, SHA-256 {done.sha256[:12]}…, {same}")
        results.append(done)
    return results


def main(argv: list[str] | None = None) -> int:
    """Command line: rebuild, print the checks; exit 1 on a missing file or a failed check."""
    parser = argparse.ArgumentParser(
        prog="python -m migrationlab_world.real_rebuild",
        description="Rebuild data/real/ from the upstream files (see the module docstring).",
    )
    parser.add_argument("raw_dir", type=Path, help="folder holding the upstream files")
    parser.add_argument("out_dir", type=Path, nargs="?", default=REAL_DIR,
                        help=f"where to write (default {REAL_DIR})")  # fmt: skip
    parser.add_argument("--only", action="append", choices=list(BUILDERS), metavar="DATASET",
                        help="rebuild this dataset only (repeatable)")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        results = rebuild(args.raw_dir, args.out_dir, args.only)
    except RebuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    changed = [r.dataset for r in results if not r.identical]
    if changed:
        print(
            f"{len(changed)} file(s) differ from the recorded hashes: {changed}. If that is "
            "intended, record the new hashes in migrationlab_world/real.py and say what "
            "changed in the datasheets."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
