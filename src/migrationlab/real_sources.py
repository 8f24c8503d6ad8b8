"""Readers for the real sources that the course's synthetic sample data imitate.

The bundled datasets are synthetic (see ``data/datasheets/``). Each function here reads
one real source, in the exact file layout its publisher distributes, and returns a
DataFrame in the layout of the bundled dataset it replaces, so that a notebook can swap
the sample for the real thing by changing one line.

Which reader replaces which bundled dataset:

* UN DESA *International Migrant Stock 2020*, destination-and-origin workbook:
  :func:`read_undesa_stock_workbook` -> ``migrant_stocks``.
* UN DESA *International Migrant Stock 2020*, by-destination workbook (stock by sex,
  population, refugees): :func:`read_undesa_destination_workbook` -> the real
  ``un_stocks_by_destination_2020`` (its publisher's file is bundled in
  ``data/real/originals/``).
* Eurostat ``migr_imm1ctz`` (TSV or SDMX-CSV): :func:`read_eurostat_tsv` or
  :func:`read_eurostat_sdmx_csv`, then :func:`eurostat_immigration` ->
  ``eu_immigration_flows``.
* Eurostat ``avia_paoc`` / ``avia_paocc`` (TSV or SDMX-CSV): the same readers, then
  :func:`eurostat_air_passengers` -> ``air_passengers``.
* World Bank World Development Indicators (API CSV or WDICSV.csv):
  :func:`read_worldbank_wdi_csv` -> ``country_indicators``.

Conventions shared by every function:

* A missing file raises :class:`FileNotFoundError` naming the file and where to download
  it; a file in another layout raises :class:`RealSourceError` (a :class:`ValueError`)
  naming the file, what is wrong and how to fix it.
* Countries are ISO 3166-1 alpha-3 codes. Rows about aggregates (world regions,
  development and income groups, the EU, "total", "stateless", ...) are **set aside, not
  dropped silently**: the returned frame's ``attrs["set_aside"]`` counts them by code,
  ``attrs["set_aside_rows"]`` gives their number, and ``aggregates=True`` returns those
  rows instead of the country rows. A code that is neither a known country nor a known
  aggregate raises :class:`UnknownCodeError`; ``extra_codes={code: "ISO3"}`` maps it, and
  ``extra_codes={code: None}`` sets it aside as an aggregate.
* Counts are persons, as floats (``NaN`` where the publisher has no value).
"""

from __future__ import annotations

import gzip
import io
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from migrationlab.checks import require_columns
from migrationlab.countries import quiet_country_converter

__all__ = [
    "RealSourceError",
    "UnknownCodeError",
    "WDI_COLUMN_NAMES",
    "WORLD_BANK_AGGREGATES",
    "read_undesa_stock_workbook",
    "read_undesa_destination_workbook",
    "UNDESA_DESTINATION_FILE",
    "read_eurostat_tsv",
    "read_eurostat_sdmx_csv",
    "eurostat_iso3",
    "eurostat_immigration",
    "eurostat_air_passengers",
    "read_worldbank_wdi_csv",
    "natural_earth_countries_path",
    "load_natural_earth_countries",
]

logger = logging.getLogger(__name__)

UNDESA_PAGE = "https://www.un.org/development/desa/pd/content/international-migrant-stock"
UNDESA_FILE = "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx"
EUROSTAT_API = "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data"
WDI_PAGE = "https://data.worldbank.org/indicator"
WDI_BULK = "https://datacatalog.worldbank.org/search/dataset/0037712/World-Development-Indicators"


class RealSourceError(ValueError):
    """A real-source file or table does not have the layout the reader expects."""


class UnknownCodeError(RealSourceError):
    """A country code is neither a known country nor a known aggregate."""


# ----------------------------------------------------------------------------------------
# Shared helpers
# ----------------------------------------------------------------------------------------


def _existing_file(path, what: str, where: str) -> Path:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: no such file. Download {what} from {where} and pass the path of the "
            "downloaded file."
        )
    if path.is_dir():
        raise RealSourceError(f"{path} is a folder; pass the path of {what} inside it.")
    return path


def _head_bytes(path: Path, n: int = 4) -> bytes:
    with open(path, "rb") as f:
        return f.read(n)


def _is_gzip(path: Path) -> bool:
    return _head_bytes(path, 2) == b"\x1f\x8b"


def _is_zip(path: Path) -> bool:
    return _head_bytes(path, 4) == b"PK\x03\x04"


def _read_text_table(path: Path, sep: str, kind: str) -> pd.DataFrame:
    """Every cell of a (possibly gzipped) delimited file as text, nothing turned into NaN.

    Raises :class:`RealSourceError` naming the file when it is not a well-formed ``kind``.
    """
    try:
        return pd.read_csv(
            path,
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            compression="gzip" if _is_gzip(path) else None,
            encoding="utf-8-sig",
        )
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        raise RealSourceError(f"{path}: not a well-formed {kind} ({err}).") from err


def _text_head(path: Path, n_lines: int) -> list[str]:
    """The first lines of a plain or gzipped text file, BOM removed."""
    opener = gzip.open if _is_gzip(path) else open
    lines = []
    try:
        with opener(path, "rt", encoding="utf-8-sig", errors="replace") as f:
            for _ in range(n_lines):
                line = f.readline()
                if not line:
                    break
                lines.append(line.rstrip("\r\n"))
    except (OSError, EOFError) as err:
        raise RealSourceError(f"{path}: cannot be read as text ({err}).") from err
    return lines


def _reject_zip(path: Path, expected: str) -> None:
    if _is_zip(path):
        raise RealSourceError(
            f"{path} is a ZIP archive (or an Excel workbook), not {expected}. Unzip it and "
            "pass the path of the file inside."
        )


_CONVERTER = None
_NOT_FOUND = "__not_found__"


def _coco(codes: Sequence, src: str) -> dict:
    """Map each code to ISO3 with country_converter; None where it does not know the code."""
    global _CONVERTER
    codes = list(codes)
    if not codes:
        return {}
    with quiet_country_converter():
        if _CONVERTER is None:
            import country_converter

            _CONVERTER = country_converter.CountryConverter()
        out = _CONVERTER.convert(codes, src=src, to="ISO3", not_found=_NOT_FOUND)
    if isinstance(out, str):
        out = [out]
    return {
        code: (iso if isinstance(iso, str) and iso != _NOT_FOUND else None)
        for code, iso in zip(codes, out, strict=True)
    }


def _some(items: Sequence, n: int = 10) -> str:
    """The first ``n`` items, comma-separated, and how many more."""
    items = [str(x) for x in items]
    more = f" and {len(items) - n} more" if len(items) > n else ""
    return ", ".join(items[:n]) + more


def _counts(values: Iterable) -> dict:
    """Row counts per value, most frequent first (plain Python types, for ``attrs``)."""
    return {str(k): int(v) for k, v in Counter(values).most_common()}


def _finish(
    df: pd.DataFrame, source, set_aside: dict, what: str, rows: int | None = None, **attrs
) -> pd.DataFrame:
    """Attach provenance and the set-aside report to ``df``; log the report.

    ``rows`` is the number of rows set aside when a row can count under two keys of
    ``set_aside`` (both sides of a pair are aggregates); by default the counts are summed.
    """
    set_aside = {k: v for k, v in set_aside.items() if v}
    n = sum(sum(v.values()) for v in set_aside.values()) if rows is None else int(rows)
    df.attrs.update(attrs)
    df.attrs["source"] = str(source)
    df.attrs["set_aside"] = set_aside
    df.attrs["set_aside_rows"] = n
    if n:
        logger.info(
            "%s: set aside %d %s rows (%s); see .attrs['set_aside'] or pass aggregates=True",
            source,
            n,
            what,
            "; ".join(f"{k}: {', '.join(list(v)[:8])}" for k, v in set_aside.items()),
        )
    return df


def _require_columns(df: pd.DataFrame, columns: Iterable[str], what: str, hint: str) -> None:
    """The input of ``what`` is a DataFrame with ``columns``; RealSourceError if not."""
    require_columns(
        df, columns, table_name="the table", fix=hint, caller=what, error=RealSourceError
    )


def _source_of(df: pd.DataFrame) -> str:
    return str(df.attrs.get("source", "<DataFrame>"))


# ----------------------------------------------------------------------------------------
# UN DESA International Migrant Stock
# ----------------------------------------------------------------------------------------

#: M49 codes that country_converter 1.3.2 does not know, with the code used instead.
#: 830 Channel Islands and 412 Kosovo have no ISO 3166 code: these are the World Bank's.
_M49_EXTRA = {158: "TWN", 830: "CHI", 412: "XKX"}

#: M49 region codes below 900 (UN Statistics Division's standard areas). UN DESA's
#: Population Division numbers its own aggregates from 900 up (900 World, 947 Sub-Saharan
#: Africa, 1503 High-income countries, ...); both kinds are aggregates.
_M49_REGIONS = {
    1, 2, 5, 9, 11, 13, 14, 15, 17, 18, 19, 21, 29, 30, 34, 35, 39, 53, 54, 57, 61,
    142, 143, 145, 150, 151, 154, 155, 202, 419,
}  # fmt: skip

_UNKNOWN_ORIGIN_NAMES = {"other", "others"}

_UNDESA_COLUMNS = {
    "destination_name": "region, development group, country or area of destination",
    "destination_code": "location code of destination",
    "type_of_data": "type of data of destination",
    "origin_name": "region, development group, country or area of origin",
    "origin_code": "location code of origin",
}

_MISSING_CELLS = {"", "..", "-", "…", "...", "nan", "none"}


def _clean_label(x) -> str:
    """A workbook label without footnote stars and surrounding spaces."""
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return ""
    return str(x).strip().rstrip("*").strip()


def _as_year(x) -> int | None:
    if isinstance(x, bool) or x is None:
        return None
    if isinstance(x, int | np.integer):
        y = int(x)
    elif isinstance(x, float | np.floating):
        if np.isnan(x) or x != int(x):
            return None
        y = int(x)
    else:
        s = str(x).strip()
        if re.fullmatch(r"\d{4}(\.0)?", s) is None:
            return None
        y = int(s[:4])
    return y if 1900 <= y <= 2100 else None


def _as_code(x) -> int | None:
    if x is None or isinstance(x, bool):
        return None
    if isinstance(x, int | np.integer):
        return int(x)
    if isinstance(x, float | np.floating):
        return None if np.isnan(x) or x != int(x) else int(x)
    s = str(x).strip()
    return int(float(s)) if re.fullmatch(r"\d+(\.0)?", s) else None


def _stock_cells(block: np.ndarray, path: Path, first_row: int, years: list[int]) -> np.ndarray:
    """Numbers from workbook cells; '..', '-' and empty cells are missing (NaN)."""
    out = np.full(block.shape, np.nan)
    for (i, j), x in np.ndenumerate(block):
        if x is None or isinstance(x, bool):
            continue
        if isinstance(x, int | float | np.integer | np.floating):
            out[i, j] = float(x)
            continue
        s = str(x).strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
        if s.lower() in _MISSING_CELLS:
            continue
        try:
            out[i, j] = float(s)
        except ValueError:
            raise RealSourceError(
                f"{path}: cell {x!r} in workbook row {first_row + i}, year {years[j]} is not "
                "a number. This reader expects numbers, '..' or empty cells in the year "
                "columns; was the sheet edited?"
            ) from None
    return out


def _parse_type_of_data(code: str, path: Path, destination: str) -> tuple[str | None, str | None]:
    """UN DESA type-of-data code -> (basis, normalised code).

    B: foreign-born population; C: foreign citizens; R: refugees added from UNHCR/UNRWA
    statistics; I: imputed (no data). Spaces are dropped, so "B R" and "BR" are the same.
    """
    s = re.sub(r"[\s,;/+]", "", code).upper()
    if not s:
        return None, None
    unknown = set(s) - set("BCRI")
    if unknown or ("B" in s and "C" in s):
        raise RealSourceError(
            f"{path}: destination {destination!r} has type of data {code!r}; this reader knows "
            "B (born abroad), C (foreign citizens), R (refugees added) and I (imputed). Check "
            "the workbook's notes for the new code and extend _parse_type_of_data."
        )
    basis = "birth" if "B" in s else "citizenship" if "C" in s else None
    return basis, s


def _locate_header(
    raw: pd.DataFrame, columns: dict, anchor: str, path: Path, sheet: str, expects: str
) -> tuple[int, dict] | None:
    """The header row among a sheet's first 40: the first holding the label ``anchor``.

    Returns ``(row index, {key: column position})`` for the labels of ``columns``, or None
    when no row holds ``anchor``; a row that holds it but lacks another label is an error
    that names the label and ends with ``expects`` (which workbook the reader wants).
    """
    for i in range(min(len(raw), 40)):
        labels = [_norm(x) for x in raw.iloc[i]]
        if anchor not in labels:
            continue
        for label in columns.values():
            if label not in labels:
                raise RealSourceError(
                    f"{path}: sheet {sheet!r}, header row {i + 1} has no column {label!r} "
                    f"(it has {[x for x in labels if x]}). {expects}"
                )
        return i, {key: labels.index(label) for key, label in columns.items()}
    return None


def _find_undesa_header(raw: pd.DataFrame, path: Path, sheet: str) -> tuple[int, dict]:
    found = _locate_header(
        raw,
        _UNDESA_COLUMNS,
        _UNDESA_COLUMNS["destination_code"],
        path,
        sheet,
        f"This reader expects the destination-and-origin workbook ({UNDESA_FILE}) from "
        f"{UNDESA_PAGE}.",
    )
    if found is not None:
        return found
    raise RealSourceError(
        f"{path}: sheet {sheet!r} has no header row with 'Location code of destination' in its "
        f"first 40 rows. This reader expects the destination-AND-origin workbook "
        f"({UNDESA_FILE}, sheet 'Table 1') from {UNDESA_PAGE}; the by-destination and "
        "by-origin workbooks have one country column only."
    )


def read_undesa_stock_workbook(
    path,
    sheet: str = "Table 1",
    *,
    aggregates: bool = False,
    extra_codes: Mapping[int, str | None] | None = None,
) -> pd.DataFrame:
    """Bilateral international migrant stocks from UN DESA's workbook.

    Source: United Nations, Department of Economic and Social Affairs, Population Division
    (2020), *International Migrant Stock 2020*,
    https://www.un.org/development/desa/pd/content/international-migrant-stock.
    Download "Destination and origin",
    ``undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx``.
    Sheet "Table 1": about ten title rows, then the header (Index; Region, development
    group, country or area of destination; Notes of destination; Location code of
    destination; Type of data of destination; Region, development group, country or area
    of origin; Location code of origin; the years for both sexes, then for males, then for
    females). Columns are found by their header names, so other editions with the same
    header names (2024 adds the year 2024) read as well; a missing name is reported.

    Stocks are mid-year counts of persons living in the destination who were born in the
    origin, or, where the destination's type of data is C, who are citizens of the origin
    (migrants who naturalised are then missing from the count).

    Parameters
    ----------
    path : str or Path
        The workbook.
    sheet : str
        Sheet name, "Table 1" in the published workbook.
    aggregates : bool
        False (default): the country rows. True: the rows set aside instead, those whose
        destination or origin is a region, development group or income group.
    extra_codes : dict, optional
        ``{M49 code: ISO3}`` for codes country_converter does not know, or
        ``{M49 code: None}`` to set a code aside as an aggregate.

    Returns
    -------
    DataFrame
        One row per (year, destination, origin): ``year`` (int), ``destination_iso3``,
        ``origin_iso3`` (None for the workbook's "Other" row, migrants whose origin is
        unknown: kept, so that origins add up to the destination's total),
        ``migrant_stock`` (persons, both sexes), ``migrant_stock_female`` (persons),
        ``basis`` ("birth" or "citizenship", None when the data are imputed only) and
        ``type_of_data`` (the workbook's code without spaces: B, BR, C, CR, I, ...).
        ``attrs["set_aside"]`` counts the aggregate rows by "name (M49 code)", for the
        destination and the origin side. With ``aggregates=True``: ``year``,
        ``destination_code``, ``destination_name``, ``destination_iso3``, ``origin_code``,
        ``origin_name``, ``origin_iso3``, ``migrant_stock``, ``migrant_stock_female``.

    Notes
    -----
    M49 codes become ISO3 with country_converter; 158 (Taiwan Province of China) becomes
    TWN, and 830 (Channel Islands), which has no ISO code, becomes the World Bank's CHI.
    A code below 900 that is neither a country nor an M49 region raises
    :class:`UnknownCodeError`. Cells "..", "-" and empty cells are missing (NaN). The
    table has tens of thousands of rows: reading it with openpyxl takes tens of seconds (15 s
    for 37,000 rows on the course machines).

    Examples
    --------
    >>> stocks = read_undesa_stock_workbook(
    ...     "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx")  # doctest: +SKIP
    >>> stocks.attrs["set_aside"]["destination"]  # rows per aggregate  # doctest: +SKIP
    >>> regions = read_undesa_stock_workbook(
    ...     "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx",
    ...     aggregates=True)  # doctest: +SKIP

    This function is long for its documentation, not its code (about 60
    lines); the steps are named helpers or short, commented blocks.
    """
    path = _existing_file(path, f"the UN DESA workbook {UNDESA_FILE}", UNDESA_PAGE)
    raw = _read_undesa_sheet(path, sheet)
    head, cols = _find_undesa_header(raw, path, sheet)
    years, both_cols, female_cols = _undesa_year_columns(raw.iloc[head], path, sheet, head)
    rows = _undesa_data_rows(raw, head, cols, path, sheet)
    both = _stock_cells(rows.block[:, both_cols], path, rows.first_row, years)
    female = _stock_cells(rows.block[:, female_cols], path, rows.first_row, years)
    iso = _undesa_iso3_of_codes(rows, extra_codes, path)
    d_iso = np.array([iso[c] for c in rows.dcode], dtype=object)
    o_iso = np.array(
        [None if u else iso[c] for c, u in zip(rows.ocode, rows.unknown_origin, strict=True)],
        dtype=object,
    )
    d_country = np.array([x is not None for x in d_iso])
    o_country = np.array([x is not None for x in o_iso]) | rows.unknown_origin
    aside = ~(d_country & o_country)
    set_aside = _undesa_set_aside(rows, aside, d_country, o_country, len(years))

    def long(mask: np.ndarray, columns: dict) -> pd.DataFrame:
        out = {"year": np.tile(np.array(years, dtype=np.int64), int(mask.sum()))}
        out.update({name: np.repeat(values[mask], len(years)) for name, values in columns.items()})
        out["migrant_stock"] = both[mask].reshape(-1)
        out["migrant_stock_female"] = female[mask].reshape(-1)
        return pd.DataFrame(out)

    if aggregates:
        df = long(
            aside,
            {
                "destination_code": rows.dcode,
                "destination_name": rows.dname,
                "destination_iso3": d_iso,
                "origin_code": rows.ocode,
                "origin_name": rows.oname,
                "origin_iso3": o_iso,
            },
        )
        df = df.sort_values(
            ["year", "destination_code", "origin_code"], na_position="last", kind="stable"
        ).reset_index(drop=True)
        # the "Other" row has no location code in some editions
        df["origin_code"] = df["origin_code"].astype("Int64").mask(df["origin_code"] < 0)
    else:
        basis, tcode = _undesa_type_of_data(rows, d_country, path)
        columns = {"destination_iso3": d_iso, "origin_iso3": o_iso}
        df = long(~aside, {**columns, "basis": basis, "type_of_data": tcode})
        df = _undesa_country_table(df, path)
    return _finish(
        df,
        path,
        set_aside,
        "aggregate (region or group)",
        rows=int(aside.sum()) * len(years),
        years=years,
    )


def _open_undesa_workbook(path: Path, publisher_file: str) -> pd.ExcelFile:
    """The workbook at ``path``, opened; a clear error if it is no .xlsx or is damaged."""
    if not _is_zip(path):
        raise RealSourceError(
            f"{path} is not an .xlsx workbook. Download {publisher_file} (Excel) from "
            f"{UNDESA_PAGE}; if you saved it as CSV, use the original .xlsx instead."
        )
    try:
        return pd.ExcelFile(path, engine="openpyxl")
    except Exception as err:  # openpyxl raises several types for damaged files
        raise RealSourceError(f"{path}: cannot be opened as an Excel workbook ({err}).") from err


def _read_undesa_sheet(path: Path, sheet: str) -> pd.DataFrame:
    """Every cell of the sheet as text or number, no header: the raw grid of the workbook."""
    with _open_undesa_workbook(path, UNDESA_FILE) as book:
        if sheet not in book.sheet_names:
            raise RealSourceError(
                f"{path}: no sheet {sheet!r}; the workbook has {book.sheet_names}. The "
                f"destination-and-origin table is sheet 'Table 1' of {UNDESA_FILE}."
            )
        # keep_default_na=False: only this reader decides what is missing ("..", "-", "")
        return book.parse(sheet, header=None, dtype=object, keep_default_na=False)


def _undesa_year_columns(
    header: pd.Series, path: Path, sheet: str, head: int
) -> tuple[list[int], list[int], list[int]]:
    """(years, positions of the both-sexes columns, positions of the female columns)."""
    year_positions = [(j, _as_year(x)) for j, x in enumerate(header)]
    year_positions = [(j, y) for j, y in year_positions if y is not None]
    years = [y for _, y in year_positions]
    n = len(years) // 3
    if n == 0 or len(years) != 3 * n or not (years[:n] == years[n : 2 * n] == years[2 * n :]):
        raise RealSourceError(
            f"{path}: header row {head + 1} of sheet {sheet!r} should list the years three "
            f"times (both sexes, males, females); it lists {years}. Is this the "
            f"destination-and-origin workbook {UNDESA_FILE}?"
        )
    both_cols = [j for j, _ in year_positions[:n]]
    female_cols = [j for j, _ in year_positions[2 * n :]]
    return years[:n], both_cols, female_cols


@dataclass
class _UndesaRows:
    """The data rows of the workbook, one entry per row (blank lines and notes dropped)."""

    dcode: np.ndarray  # M49 code of the destination
    ocode: np.ndarray  # M49 code of the origin, -1 for the "Other" row without a code
    dname: np.ndarray  # names, as printed (footnote stars removed)
    oname: np.ndarray
    type_of_data: list[str]  # the destination's type-of-data code, as printed
    unknown_origin: np.ndarray  # the "Other" row: migrants of unknown origin
    block: np.ndarray  # the rows' cells, every column of the sheet
    first_row: int  # 1-based workbook row of the line under the header


def _undesa_data_rows(
    raw: pd.DataFrame, head: int, cols: dict, path: Path, sheet: str
) -> _UndesaRows:
    """The rows under the header that carry data; an edited row (a code missing) raises."""
    body = raw.iloc[head + 1 :]
    first_row = head + 2  # 1-based workbook row of body's first line
    dcode = [_as_code(x) for x in body.iloc[:, cols["destination_code"]]]
    ocode = [_as_code(x) for x in body.iloc[:, cols["origin_code"]]]
    dname = [_clean_label(x) for x in body.iloc[:, cols["destination_name"]]]
    oname = [_clean_label(x) for x in body.iloc[:, cols["origin_name"]]]
    dtype_ = [_clean_label(x) for x in body.iloc[:, cols["type_of_data"]]]
    unknown_origin = np.array([o.lower() in _UNKNOWN_ORIGIN_NAMES for o in oname])
    keep = []
    for i, (d, o) in enumerate(zip(dcode, ocode, strict=True)):
        if d is None and o is None and not unknown_origin[i]:
            continue  # blank lines and the footnotes under the table
        if d is None or (o is None and not unknown_origin[i]):
            raise RealSourceError(
                f"{path}: workbook row {first_row + i} ({dname[i]!r} <- {oname[i]!r}) lacks a "
                "location code of destination or of origin. This reader needs both codes on "
                "every data row; was the sheet edited?"
            )
        keep.append(i)
    if not keep:
        raise RealSourceError(f"{path}: sheet {sheet!r} has a header but no data rows.")
    return _UndesaRows(
        dcode=np.array([dcode[i] for i in keep]),
        ocode=np.array([-1 if ocode[i] is None else ocode[i] for i in keep]),
        dname=np.array([dname[i] for i in keep], dtype=object),
        oname=np.array([oname[i] for i in keep], dtype=object),
        type_of_data=[dtype_[i] for i in keep],
        unknown_origin=unknown_origin[np.array(keep)],
        block=body.to_numpy()[np.array(keep)],
        first_row=first_row,
    )


def _undesa_iso3_of_codes(rows: _UndesaRows, extra_codes, path: Path) -> dict:
    """{M49 code: ISO3, or None for an aggregate} for every code of the rows."""
    names: dict[int, str] = {}
    for code, name in zip(rows.dcode.tolist(), rows.dname, strict=True):
        names.setdefault(code, name)
    known = rows.ocode[~rows.unknown_origin].tolist()
    for code, name in zip(known, rows.oname[~rows.unknown_origin], strict=True):
        names.setdefault(code, name)
    return _m49_iso3(names, extra_codes, path)


def _m49_iso3(names: Mapping[int, str], extra_codes, path: Path) -> dict:
    """{M49 code: ISO3, or None for an aggregate} for the codes of ``names`` ({code: name}).

    Which codes are countries: ``extra_codes`` first, then the supplement of this module
    (regions, codes country_converter does not know), then country_converter. A code none
    of them knows raises :class:`UnknownCodeError`, which names it with its name.
    """
    extra = {int(k): v for k, v in (extra_codes or {}).items()}
    iso: dict[int, str | None] = {}
    to_convert = []
    for c in sorted(names):
        if c in extra:
            iso[c] = extra[c]
        elif c >= 900 or c in _M49_REGIONS:
            iso[c] = None
        elif c in _M49_EXTRA:
            iso[c] = _M49_EXTRA[c]
        else:
            to_convert.append(c)
    converted = _coco(to_convert, src="UNcode")
    unknown = [c for c in to_convert if converted[c] is None]
    if unknown:
        listed = _some([f"{c} ({names[c]!r})" for c in unknown])
        raise UnknownCodeError(
            f"{path}: M49 location codes that are neither countries known to "
            f"country_converter nor regions: {listed}. If a code is a country, pass "
            f"extra_codes={{{unknown[0]}: 'ISO3'}}; to set it aside as an aggregate, "
            f"extra_codes={{{unknown[0]}: None}}."
        )
    iso.update(converted)
    return iso


def _undesa_set_aside(
    rows: _UndesaRows,
    aside: np.ndarray,
    d_country: np.ndarray,
    o_country: np.ndarray,
    n_years: int,
) -> dict:
    """Rows set aside, counted by "name (M49 code)" of the aggregate, on each side."""

    def count(names, codes, is_country):
        return _counts(
            f"{n} ({c})"
            for n, c, isc in zip(names[aside], codes[aside], is_country[aside], strict=True)
            for _ in range(n_years)
            if not isc
        )

    return {
        "destination": count(rows.dname, rows.dcode, d_country),
        "origin": count(rows.oname, rows.ocode, o_country),
    }


def _undesa_type_of_data(
    rows: _UndesaRows, d_country: np.ndarray, path: Path
) -> tuple[np.ndarray, np.ndarray]:
    """(basis, normalised type-of-data code) of each row, from its destination's code."""
    parsed = {}
    for name, code, is_c in zip(rows.dname, rows.type_of_data, d_country, strict=True):
        if is_c and code not in parsed:
            parsed[code] = _parse_type_of_data(code, path, name)
    codes = rows.type_of_data
    basis = np.array([parsed[c][0] if c in parsed else None for c in codes], dtype=object)
    tcode = np.array([parsed[c][1] if c in parsed else None for c in codes], dtype=object)
    return basis, tcode


def _undesa_country_table(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The country rows in the reader's column order, sorted; a duplicated pair raises."""
    df = df[
        ["year", "destination_iso3", "origin_iso3", "migrant_stock", "migrant_stock_female"]
        + ["basis", "type_of_data"]
    ]
    dup = df.duplicated(["year", "destination_iso3", "origin_iso3"], keep=False)
    if dup.any():
        first = df[dup].iloc[0]
        raise RealSourceError(
            f"{path}: the pair {first['destination_iso3']} <- {first['origin_iso3']} "
            f"appears more than once for {first['year']}; two M49 codes map to the same "
            "ISO3 code. Check extra_codes."
        )
    order = ["year", "destination_iso3", "origin_iso3"]
    return df.sort_values(order, na_position="last", kind="stable").reset_index(drop=True)


# ----------------------------------------------------------------------------------------
# UN DESA International Migrant Stock: the by-destination workbook
# ----------------------------------------------------------------------------------------

UNDESA_DESTINATION_FILE = "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"

#: The sheets the by-destination reader takes, the title of each block of year columns
#: it reads from them ("<title>, <sex>"), and the output column of each block.
_DESTINATION_SHEETS = {
    "Table 1": (
        "international migrant stock at mid-year",
        {
            "both sexes combined": "migrant_stock",
            "males": "migrant_stock_male",
            "females": "migrant_stock_female",
        },
    ),
    "Table 2": (
        "total population at mid-year",
        {
            "both sexes combined": "population_thousands",
            "males": "population_male_thousands",
            "females": "population_female_thousands",
        },
    ),
    "Table 6": (
        "refugee and asylum seekers at mid-year",
        {"both sexes combined": "refugees_incl_asylum_seekers"},
    ),
}

_DESTINATION_HEADER = {
    "location": "region, development group, country or area",
    "location_code": "location code",
    "type_of_data": "type of data",
}

#: Cells that stand for a number the workbook does not give: ".." not available, "~"
#: suppressed because fewer than five persons (Table 6), and an empty cell.
_DESTINATION_MISSING = {"", "..", "~"}
#: Cells that stand for zero: "-" (zero), and the em dash the Notes sheet defines as
#: "not zero, but less than half of the unit employed", i.e. zero once rounded.
_DESTINATION_ZERO = {"-", "\u2014", "\u2013"}


def read_undesa_destination_workbook(
    path,
    *,
    aggregates: bool = False,
    extra_codes: Mapping[int, str | None] | None = None,
) -> pd.DataFrame:
    """Migrant stock, population and refugees by country of destination, from UN DESA.

    Source: United Nations, Department of Economic and Social Affairs, Population Division
    (2020), *International Migrant Stock 2020: Destination*,
    https://www.un.org/development/desa/pd/content/international-migrant-stock
    ("Destination", ``undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx``; licence
    CC BY 3.0 IGO). The course bundles this workbook, unchanged, in
    ``data/real/originals/``; the table this reader returns is the real dataset
    ``un_stocks_by_destination_2020`` that the course bundles
    (:func:`migrationlab.data.load_un_stocks_by_destination_2020`).

    Three sheets are read: "Table 1" (international migrant stock by sex), "Table 2"
    (total population by sex, in thousands) and "Table 6" (refugees and asylum seekers).
    In each, the header row is found by its labels ("Region, development group, country
    or area", "Location code", "Type of data" and the years), and each block of year
    columns by the title printed above it (e.g. "International migrant stock at mid-year,
    females"); Table 6's percentage and rate-of-change blocks are not read. An edition
    with other years (2024) reads the same way.

    Parameters
    ----------
    path : str or Path
        The workbook.
    aggregates : bool
        False (default): one row per country or area and year. True: the rows set aside
        instead, the world, regions, development groups and income groups (M49 codes of
        900 and more, and the M49 regions).
    extra_codes : dict, optional
        ``{M49 code: ISO3}`` for a country code country_converter does not know, or
        ``{M49 code: None}`` to set a code aside as an aggregate.

    Returns
    -------
    DataFrame
        One row per location and year, sorted by ``location_code`` and ``year``:
        ``location_code`` (M49, int), ``iso3`` (None for aggregates), ``year`` (int),
        ``is_country`` (bool), ``location`` (name as printed, footnote stars and indent
        removed), ``type_of_data`` (as printed: "B", "C" or "I", with " R" where refugees
        were added; Belize's has a trailing space in the 2020 edition; None for the
        aggregates and for Taiwan, Saint Barthélemy and Saint Martin),
        ``migrant_stock``, ``migrant_stock_male``, ``migrant_stock_female`` (persons),
        ``population_thousands``, ``population_male_thousands``,
        ``population_female_thousands`` (**thousands** of persons, as published: multiply
        by 1000 for persons) and ``refugees_incl_asylum_seekers`` (persons). These are the
        columns of the bundled ``un_stocks_by_destination_2020`` with the loader's
        ``iso3``. Counts are floats; ``..`` (not available), ``~`` (fewer than five,
        suppressed) and empty cells are NaN, ``-`` and an em dash (rounds to zero) are 0.
        ``attrs["set_aside"]["location"]`` counts the aggregate rows by "name (M49 code)";
        ``attrs["duplicates_dropped"]`` names the aggregates printed twice (under two
        groupings, with the same numbers), of which one copy is kept.

    Raises
    ------
    FileNotFoundError
        The file does not exist (the message says where to download it).
    RealSourceError
        A sheet, a header label or a block of years is missing, a cell is not a number,
        or the three sheets list different locations; the message names the file and
        the sheet.
    UnknownCodeError
        A location code below 900 is neither a country nor an M49 region.

    Examples
    --------
    >>> from migrationlab import REPO_ROOT
    >>> path = REPO_ROOT / "data/real/originals" / UNDESA_DESTINATION_FILE
    >>> stocks = read_undesa_destination_workbook(path)
    >>> int(stocks.query("iso3 == 'USA' and year == 2020")["migrant_stock"].iloc[0])
    50632836
    >>> world = read_undesa_destination_workbook(path, aggregates=True)
    >>> int(world.query("location_code == 900 and year == 2020")["migrant_stock"].iloc[0])
    280598105

    This function is long for its documentation, not its code (about 40 lines); the
    steps are named helpers.
    """
    path = _existing_file(
        path,
        f'UN DESA\'s by-destination workbook {UNDESA_DESTINATION_FILE} ("Destination")',
        UNDESA_PAGE,
    )
    grids = _read_destination_sheets(path)
    tables = {sheet: _destination_sheet(grid, path, sheet) for sheet, grid in grids.items()}
    first = _destination_sheets_agree(tables, path)
    names = dict(zip(first.codes, first.names, strict=True))
    iso = _m49_iso3(names, extra_codes, path)
    years = first.years
    n_years = len(years)
    codes = np.array(first.codes, dtype=np.int64)
    is_country = np.array([iso[c] is not None for c in first.codes])
    out = {
        "location_code": np.repeat(codes, n_years),
        "iso3": np.repeat(np.array([iso[c] for c in first.codes], dtype=object), n_years),
        "year": np.tile(np.array(years, dtype=np.int64), len(codes)),
        "is_country": np.repeat(is_country, n_years),
        "location": np.repeat(np.array(first.names, dtype=object), n_years),
        "type_of_data": np.repeat(np.array(first.types, dtype=object), n_years),
    }
    for table in tables.values():
        order = [table.codes.index(c) for c in first.codes]
        for column, values in table.values.items():
            out[column] = values[order].reshape(-1)
    df = pd.DataFrame(out)
    keep = df["is_country"] != aggregates
    aside = df.loc[~df["is_country"]]
    set_aside = {
        "location": _counts(
            f"{n} ({c})" for n, c in zip(aside["location"], aside["location_code"], strict=True)
        )
    }
    df = df[keep].sort_values(["location_code", "year"], kind="stable").reset_index(drop=True)
    duplicates = {f"{names[c]} ({c})": n for c, n in first.duplicates.items()}
    return _finish(
        df,
        path,
        set_aside,
        "aggregate (world, region or group)",
        years=years,
        duplicates_dropped=duplicates,
        units={"population_thousands": "thousands of persons", "migrant_stock": "persons"},
    )


def _destination_sheets_agree(tables: dict, path: Path) -> _DestinationSheet:
    """The first sheet, once every sheet is checked to list its years and locations."""
    first = next(iter(tables.values()))
    for sheet, table in tables.items():
        if table.years != first.years:
            raise RealSourceError(
                f"{path}: sheet {sheet!r} has the years {table.years}, sheet 'Table 1' has "
                f"{first.years}. The three sheets of the by-destination workbook should "
                "list the same years; was a sheet edited?"
            )
        if set(table.codes) != set(first.codes):
            odd = sorted(set(table.codes) ^ set(first.codes))
            raise RealSourceError(
                f"{path}: sheet {sheet!r} and sheet 'Table 1' list different locations "
                f"(location codes {_some(odd)} are in one only). Use the unedited workbook."
            )
    return first


def _read_destination_sheets(path: Path) -> dict[str, pd.DataFrame]:
    """The raw grid of each sheet the by-destination reader needs."""
    with _open_undesa_workbook(path, UNDESA_DESTINATION_FILE) as book:
        missing = [s for s in _DESTINATION_SHEETS if s not in book.sheet_names]
        if missing:
            hint = ""
            if "Table 1" in book.sheet_names:
                head = book.parse("Table 1", header=None, nrows=40, dtype=object)
                if any("of destination" in _norm(x) for x in head.to_numpy().ravel()):
                    hint = (
                        " This looks like the destination-AND-origin workbook: read it with "
                        "read_undesa_stock_workbook."
                    )
            raise RealSourceError(
                f"{path}: no sheet {missing[0]!r}; the workbook has {book.sheet_names}. This "
                f"reader needs the sheets {list(_DESTINATION_SHEETS)} of UN DESA's "
                f"by-destination workbook ({UNDESA_DESTINATION_FILE}, from {UNDESA_PAGE}); "
                f"download it again if a sheet was deleted.{hint}"
            )
        # keep_default_na=False: only this reader decides what is missing ("..", "~", "")
        return {
            sheet: book.parse(sheet, header=None, dtype=object, keep_default_na=False)
            for sheet in _DESTINATION_SHEETS
        }


@dataclass
class _DestinationSheet:
    """The locations of one sheet, in the printed order, and its blocks of numbers."""

    codes: list[int]
    names: list[str]
    types: list[str | None]
    years: list[int]
    values: dict[str, np.ndarray]  # output column -> (location, year) numbers
    duplicates: dict[int, int]  # code -> number of further identical copies dropped


def _norm(x) -> str:
    """A label in lower case with single spaces, footnote stars removed."""
    return " ".join(_clean_label(x).lower().split())


def _destination_header(raw: pd.DataFrame, path: Path, sheet: str) -> tuple[int, dict]:
    """(row index of the header, {key: column position}) of one sheet."""
    found = _locate_header(
        raw,
        _DESTINATION_HEADER,
        _DESTINATION_HEADER["location"],
        path,
        sheet,
        f"This reader expects the unedited by-destination workbook {UNDESA_DESTINATION_FILE} "
        f"from {UNDESA_PAGE}.",
    )
    if found is not None:
        return found
    hint = ""
    if any("of destination" in _norm(x) for x in raw.head(40).to_numpy().ravel()):
        hint = (
            " This looks like the destination-AND-origin workbook: read it with "
            "read_undesa_stock_workbook."
        )
    raise RealSourceError(
        f"{path}: sheet {sheet!r} has no header row with the column 'Region, development "
        "group, country or area' in its first 40 rows. This reader expects UN DESA's "
        f"by-destination workbook {UNDESA_DESTINATION_FILE} from {UNDESA_PAGE}.{hint}"
    )


def _destination_blocks(
    raw: pd.DataFrame, head: int, path: Path, sheet: str
) -> tuple[list[int], dict[str, list[int]]]:
    """(years, {output column: positions of its year columns}) of one sheet.

    A block is a run of year columns, the years increasing; its title is the nearest
    text above its first column (at most six rows up).
    """
    title, blocks = _DESTINATION_SHEETS[sheet]
    runs: list[list[tuple[int, int]]] = []
    for j, x in enumerate(raw.iloc[head]):
        year = _as_year(x)
        if year is None:
            continue
        if runs and runs[-1][-1][0] == j - 1 and runs[-1][-1][1] < year:
            runs[-1].append((j, year))
        else:
            runs.append([(j, year)])
    found: dict[str, list[tuple[int, int]]] = {}
    titles = []
    for run in runs:
        above = [_norm(raw.iat[i, run[0][0]]) for i in range(head - 1, max(head - 7, -1), -1)]
        label = next((t for t in above if t), "")
        titles.append(label)
        name, _, sex = label.rpartition(",")
        sex = sex.replace("(thousands)", "").strip()
        if name.strip() == title and sex in blocks:
            if blocks[sex] in found:
                raise RealSourceError(
                    f"{path}: sheet {sheet!r} has two blocks of years titled {label!r}."
                )
            if sheet == "Table 2" and "(thousands)" not in label:
                raise RealSourceError(
                    f"{path}: sheet 'Table 2', block {label!r} does not say '(thousands)'; "
                    "this reader returns the population in thousands as published and "
                    "will not guess another unit."
                )
            found[blocks[sex]] = run
    missing = [f"{title}, {sex}" for sex, column in blocks.items() if column not in found]
    if missing:
        raise RealSourceError(
            f"{path}: sheet {sheet!r} has no block of year columns titled {missing[0]!r} "
            f"above header row {head + 1} (block titles found: {[t for t in titles if t]}). "
            f"This reader expects the unedited by-destination workbook "
            f"{UNDESA_DESTINATION_FILE} from {UNDESA_PAGE}."
        )
    years = {column: [y for _, y in run] for column, run in found.items()}
    first = next(iter(years.values()))
    if any(y != first for y in years.values()):
        raise RealSourceError(
            f"{path}: sheet {sheet!r} lists different years in its blocks ({years}); "
            "was the sheet edited?"
        )
    return first, {column: [j for j, _ in run] for column, run in found.items()}


def _destination_number(x, path: Path, sheet: str, row: int, col: int) -> float:
    """One cell of the by-destination workbook as a number (NaN where not available)."""
    if isinstance(x, bool):
        pass
    elif isinstance(x, int | float | np.integer | np.floating):
        return float(x)
    else:
        s = str(x).strip()
        if s in _DESTINATION_MISSING:
            return np.nan
        if s in _DESTINATION_ZERO:
            return 0.0
        try:
            return float(s.replace(",", "").replace("\u00a0", "").replace(" ", ""))
        except ValueError:
            pass
    from openpyxl.utils import get_column_letter

    raise RealSourceError(
        f"{path}: sheet {sheet!r}, cell {get_column_letter(col + 1)}{row + 1} holds {x!r}, "
        "not a number. The by-destination workbook has numbers, '..' (not available), "
        "'~' (fewer than five), '-' (zero) or empty cells; was the sheet edited?"
    )


def _destination_sheet(raw: pd.DataFrame, path: Path, sheet: str) -> _DestinationSheet:
    """The locations and numbers of one sheet of the by-destination workbook."""
    head, cols = _destination_header(raw, path, sheet)
    years, blocks = _destination_blocks(raw, head, path, sheet)
    positions = [j for js in blocks.values() for j in js]
    codes: list[int] = []
    names: list[str] = []
    types: list[str | None] = []
    rows: list[np.ndarray] = []
    duplicates: dict[int, int] = {}
    for i in range(head + 1, len(raw)):
        cells = raw.iloc[i]
        numbers = np.array(
            [_destination_number(cells.iat[j], path, sheet, i, j) for j in positions]
        )
        code = _as_code(cells.iat[cols["location_code"]])
        name = _clean_label(cells.iat[cols["location"]])
        if code is None:
            if np.isnan(numbers).all():
                continue  # blank lines and notes under the table
            raise RealSourceError(
                f"{path}: sheet {sheet!r}, workbook row {i + 1} ({name!r}) has numbers but "
                "no location code. This reader needs the code on every data row; was the "
                "sheet edited?"
            )
        if code in codes:
            earlier = rows[codes.index(code)]
            if not np.array_equal(earlier, numbers, equal_nan=True):
                raise RealSourceError(
                    f"{path}: sheet {sheet!r} lists location code {code} ({name!r}) twice "
                    f"with different numbers (workbook row {i + 1}). Use the unedited "
                    "workbook."
                )
            duplicates[code] = duplicates.get(code, 0) + 1
            continue
        kind = cells.iat[cols["type_of_data"]]
        codes.append(code)
        names.append(name)
        types.append(None if str(kind).strip() == "" else str(kind))
        rows.append(numbers)
    if not codes:
        raise RealSourceError(f"{path}: sheet {sheet!r} has a header but no data rows.")
    grid = np.vstack(rows)
    values, at = {}, 0
    for column, js in blocks.items():
        values[column] = grid[:, at : at + len(js)]
        at += len(js)
    return _DestinationSheet(codes, names, types, years, values, duplicates)


# ----------------------------------------------------------------------------------------
# Eurostat: bulk TSV and SDMX-CSV
# ----------------------------------------------------------------------------------------

# A number, or ':' for "not available", optionally followed by a space and flag letters:
# "1234", "1234 p", "12.5 bep", ": ", ": c". Eurostat's own flag letters may also follow
# the number without a space, as in the "0n" (zero, not significant) of older files.
_EUROSTAT_CELL = re.compile(
    r"^(?P<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|:)"
    r"(?:\s+(?P<flag>[A-Za-z]+(?: [A-Za-z]+)*)|(?P<glued>[bcdefinprsuz]+))?$"
)


def _parse_eurostat_cells(cells: pd.Series, path: Path, where) -> tuple[np.ndarray, np.ndarray]:
    """Eurostat value cells -> (float values, flag strings)."""
    s = cells.astype(str).str.strip()
    parts = s.str.extract(_EUROSTAT_CELL)
    bad = parts["num"].isna() & (s != "")
    if bad.any():
        examples = ", ".join(f"{s[i]!r} ({where(i)})" for i in s.index[bad][:3])
        raise RealSourceError(
            f"{path}: {int(bad.sum())} value cells are not a number or ':' (optionally "
            f"followed by a space and flag letters, as in '12 p' or ': c'), e.g. {examples}."
        )
    num = parts["num"].where(parts["num"] != ":")
    values = pd.to_numeric(num, errors="raise").to_numpy(dtype=float)
    flags = parts["flag"].astype("string").fillna(parts["glued"].astype("string")).fillna("")
    flags = flags.str.replace(" ", "", regex=False).to_numpy(dtype=object)
    return values, flags


def _sdmx_hint(first_line: str) -> str:
    if first_line.upper().startswith(("DATAFLOW", "STRUCTURE")):
        return " This looks like an SDMX-CSV file: use read_eurostat_sdmx_csv."
    if first_line.startswith(('"Data Source"', "Data Source")):
        return " This looks like a World Bank CSV: use read_worldbank_wdi_csv."
    return ""


def read_eurostat_tsv(path) -> pd.DataFrame:
    """A Eurostat dataset from its bulk TSV file, as a long table.

    Source: Eurostat's dissemination API,
    ``https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/<code>?format=TSV&compressed=true``
    (e.g. ``migr_imm1ctz``; the databrowser's "Download" > "TSV" gives the same layout).
    The file is tab-separated, plain or gzipped (``.tsv.gz``): the first header cell holds
    the dimension names and the time label, e.g.
    ``freq,citizen,agedef,age,unit,sex,geo\\TIME_PERIOD`` (``geo\\time`` in the files of
    the older bulk-download service); the other header
    cells are time periods (``2019``, ``2019-07``, ``2019M07``, ``2019-Q3``; trailing spaces
    are ignored). Each value cell is a number, optionally followed by flag letters
    (``1234 p``), or ``:`` when not available, possibly flagged (``: c``).

    Parameters
    ----------
    path : str or Path
        The ``.tsv`` or ``.tsv.gz`` file (gzip is detected from the content).

    Returns
    -------
    DataFrame
        One row per cell of the file: one column per dimension (named as in the file,
        e.g. ``geo``), ``time_period`` (str, as in the file), ``value`` (float, NaN where
        ':'; in the dataset's unit, see its ``unit`` dimension) and ``flag`` (str, '' when
        none: b break in series, c confidential, d definition differs, e estimated,
        p provisional, u low reliability, z not applicable, ...). ``attrs["dataset"]`` is
        the file name without extension.

    This function is long for its documentation, not its code (about 60
    lines); the steps are named helpers or short, commented blocks.
    """
    path = _existing_file(path, "a Eurostat TSV file (e.g. migr_imm1ctz.tsv.gz)", EUROSTAT_API)
    _reject_zip(path, "a Eurostat TSV file")
    head = _text_head(path, 1)
    first = head[0] if head else ""
    first_cell = first.split("\t", 1)[0].strip()
    if "\\" not in first_cell:
        raise RealSourceError(
            f"{path}: the first header cell should end with '\\TIME_PERIOD' (Eurostat TSV, "
            f"e.g. 'freq,citizen,agedef,age,unit,sex,geo\\TIME_PERIOD'); found "
            f"{first_cell[:60]!r}.{_sdmx_hint(first)}"
        )
    dims_part, time_label = first_cell.rsplit("\\", 1)
    if time_label.strip().upper() not in {"TIME_PERIOD", "TIME"}:
        raise RealSourceError(
            f"{path}: the first header cell should end with '\\TIME_PERIOD' (or '\\time' in "
            f"older files); it ends with '\\{time_label}'. Time must run across the columns: "
            "download the TSV without pivoting other dimensions."
        )
    dims = [d.strip() for d in dims_part.split(",")]
    if any(not d for d in dims) or len(set(dims)) != len(dims):
        raise RealSourceError(f"{path}: malformed dimension list {dims_part!r} in the header.")
    reserved = {"time_period", "value", "flag"} & set(dims)
    if reserved:
        raise RealSourceError(f"{path}: a dimension is named {reserved.pop()!r}; rename it.")
    wide = _read_text_table(path, "\t", "tab-separated file")

    times = [str(c).strip() for c in wide.columns[1:]]
    if "" in times or any(t.startswith("Unnamed:") for t in times):
        raise RealSourceError(f"{path}: a time-period header cell is empty.")
    if len(set(times)) != len(times):
        raise RealSourceError(f"{path}: a time period appears twice in the header: {times}.")
    keys = wide.iloc[:, 0].str.split(",", expand=True, regex=False)
    n_fields = wide.iloc[:, 0].str.count(",") + 1
    if (n_fields != len(dims)).any():
        i = int(np.flatnonzero((n_fields != len(dims)).to_numpy())[0])
        raise RealSourceError(
            f"{path}: line {i + 2} has {n_fields.iloc[i]} comma-separated codes "
            f"({wide.iloc[i, 0]!r}); the header names {len(dims)} dimensions ({dims})."
        )

    n_rows, n_times = len(wide), len(times)
    cells = pd.Series(wide.iloc[:, 1:].to_numpy(dtype=object).reshape(-1))

    def where(i: int) -> str:
        return f"line {i // n_times + 2}, column {times[i % n_times]!r}"

    values, flags = _parse_eurostat_cells(cells, path, where)
    out = {
        d: np.repeat(keys[k].str.strip().to_numpy(dtype=object), n_times)
        for k, d in enumerate(dims)
    }
    out["time_period"] = np.tile(np.array(times, dtype=object), n_rows)
    out["value"] = values
    out["flag"] = flags
    df = pd.DataFrame(out)
    dataset = re.sub(r"(\.tsv)?(\.gz)?$", "", path.name, flags=re.IGNORECASE)
    return _finish(df, path, {}, "", dataset=dataset.lower(), format="tsv")


_SDMX_META = {"DATAFLOW", "LAST UPDATE", "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION"}


def read_eurostat_sdmx_csv(path) -> pd.DataFrame:
    """A Eurostat dataset from an SDMX-CSV file, in the layout of :func:`read_eurostat_tsv`.

    Source: ``https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/<code>?format=SDMX-CSV``
    or the databrowser's "Download" > "SDMX-CSV" (with codes, not labels). Columns:
    DATAFLOW, LAST UPDATE, one column per dimension (``freq``, ``citizen``, ..., ``geo``),
    TIME_PERIOD, OBS_VALUE, OBS_FLAG and, in recent files, CONF_STATUS. Comma- or
    semicolon-separated, plain or gzipped.

    Parameters
    ----------
    path : str or Path
        The ``.csv`` or ``.csv.gz`` file.

    Returns
    -------
    DataFrame
        One column per dimension, ``time_period`` (str), ``value`` (float, NaN where
        empty or ':'), ``flag`` (str, '' when none). A CONF_STATUS other than F (free) is
        appended to the flag in lower case, so that a confidential cell carries flag "c"
        as in the TSV file. Cells written "code:label" keep the code. ``attrs["dataflow"]``
        is the DATAFLOW (e.g. ``ESTAT:MIGR_IMM1CTZ(1.0)``), ``attrs["dataset"]`` its code in
        lower case.

    This function is long for its documentation, not its code (about 60
    lines); the steps are named helpers or short, commented blocks.
    """
    path = _existing_file(path, "a Eurostat SDMX-CSV file", EUROSTAT_API)
    _reject_zip(path, "an SDMX-CSV file")
    head = _text_head(path, 1)
    first = head[0] if head else ""
    if "\t" in first and "\\" in first.split("\t", 1)[0]:
        raise RealSourceError(
            f"{path}: this is a Eurostat TSV file (its first header cell is "
            f"{first.split(chr(9), 1)[0][:60]!r}); use read_eurostat_tsv."
        )
    sep = ";" if first.count(";") > first.count(",") else ","
    raw = _read_text_table(path, sep, "CSV file")
    raw.columns = [str(c).strip() for c in raw.columns]
    upper = {c.upper(): c for c in raw.columns}
    missing = [c for c in ("TIME_PERIOD", "OBS_VALUE") if c not in upper]
    if missing:
        raise RealSourceError(
            f"{path}: no column {' or '.join(missing)}; an SDMX-CSV file has TIME_PERIOD and "
            f"OBS_VALUE columns (found {list(raw.columns)[:12]}).{_sdmx_hint(first)} Download "
            "the data as 'SDMX-CSV' with codes."
        )
    special = {"TIME_PERIOD", "OBS_VALUE", "OBS_FLAG", "CONF_STATUS"} | _SDMX_META
    dims = [c for c in raw.columns if c.upper() not in special]
    if not dims:
        raise RealSourceError(f"{path}: no dimension columns besides TIME_PERIOD and OBS_VALUE.")
    reserved = {"time_period", "value", "flag"} & set(dims)
    if reserved:
        raise RealSourceError(f"{path}: a dimension is named {reserved.pop()!r}; rename it.")

    def where(i: int) -> str:
        return f"line {i + 2}"

    values, flags = _parse_eurostat_cells(raw[upper["OBS_VALUE"]], path, where)
    if "OBS_FLAG" in upper:
        extra = raw[upper["OBS_FLAG"]].str.strip().str.replace(" ", "", regex=False)
        flags = np.array([a + b for a, b in zip(flags, extra, strict=True)], dtype=object)
    if "CONF_STATUS" in upper:
        conf = raw[upper["CONF_STATUS"]].str.strip().str.lower()
        flags = np.array(
            [f if c in ("", "f") or c in f else f + c for f, c in zip(flags, conf, strict=True)],
            dtype=object,
        )
    out = {d: raw[d].str.strip().str.split(":", n=1).str[0].str.strip() for d in dims}
    df = pd.DataFrame(out)
    df["time_period"] = raw[upper["TIME_PERIOD"]].str.strip()
    df["value"] = values
    df["flag"] = flags
    dataflow = raw[upper["DATAFLOW"]].iloc[0].strip() if "DATAFLOW" in upper and len(raw) else ""
    code = re.sub(r"\(.*\)$", "", dataflow.split(":")[-1]).lower() if dataflow else ""
    return _finish(df, path, {}, "", dataflow=dataflow, dataset=code, format="sdmx-csv")


# ----------------------------------------------------------------------------------------
# Eurostat country codes
# ----------------------------------------------------------------------------------------

#: Eurostat's exceptions to ISO 3166-1 alpha-2.
_EUROSTAT_EXCEPTIONS = {"EL": "GRC", "UK": "GBR", "XK": "XKX"}
#: Two-letter Eurostat codes that are aggregates.
_EUROSTAT_TWO_LETTER_AGGREGATES = {"EU", "EA"}


def eurostat_iso3(codes: Iterable[str], *, extra_codes: Mapping[str, str | None] | None = None):
    """ISO3 codes for Eurostat geographic codes, None for aggregates.

    Eurostat uses ISO 3166-1 alpha-2 codes with two exceptions, EL (Greece, ISO GR) and UK
    (United Kingdom, ISO GB), plus XK for Kosovo (mapped to XKX, the code the EU and the
    World Bank use). Every code that is not two capital letters is an aggregate or a
    category: EU27_2020, EA20, EFTA, EXT_EU27_2020, TOTAL, NAT (nationals of the reporting
    country), FOR, STLS (stateless), UNK (unknown), EU27_2020_FOR, ...; so are EU and EA.

    Parameters
    ----------
    codes : iterable of str
    extra_codes : dict, optional
        ``{code: ISO3}`` for codes country_converter does not know (e.g. a former
        country), or ``{code: None}`` to treat a code as an aggregate.

    Returns
    -------
    dict
        ``{code: ISO3 or None}``.

    Raises
    ------
    UnknownCodeError
        For a two-letter code that is not a country known to country_converter.
    """
    extra = dict(extra_codes or {})
    result: dict[str, str | None] = {}
    to_convert = []
    for code in dict.fromkeys(str(c) for c in codes):
        if code in extra:
            result[code] = extra[code]
        elif code in _EUROSTAT_EXCEPTIONS:
            result[code] = _EUROSTAT_EXCEPTIONS[code]
        elif re.fullmatch(r"[A-Z]{2}", code) is None or code in _EUROSTAT_TWO_LETTER_AGGREGATES:
            result[code] = None
        else:
            to_convert.append(code)
    converted = _coco(to_convert, src="ISO2")
    unknown = [c for c in to_convert if converted[c] is None]
    if unknown:
        raise UnknownCodeError(
            f"Eurostat country codes not known as ISO 3166 alpha-2 codes: {_some(unknown)}. "
            "If a code "
            f"is a country, pass extra_codes={{'{unknown[0]}': 'ISO3'}}; to set it aside as an "
            f"aggregate, extra_codes={{'{unknown[0]}': None}}."
        )
    result.update(converted)
    return result


def _map_eurostat(df: pd.DataFrame, column: str, extra_codes, source: str) -> pd.Series:
    try:
        mapping = eurostat_iso3(df[column].unique(), extra_codes=extra_codes)
    except UnknownCodeError as err:
        raise UnknownCodeError(f"{source}, column {column!r}: {err}") from None
    return df[column].map(mapping)


def _select(df: pd.DataFrame, column: str, value: str, source: str, what: str) -> pd.DataFrame:
    if column not in df.columns:
        return df
    kept = df[df[column] == value]
    if kept.empty:
        raise RealSourceError(
            f"{source}: {what} keeps {column} == {value!r}, but the table's {column} values "
            f"are {sorted(df[column].unique())[:12]}. Is this the right dataset?"
        )
    return kept


def _check_unique(df: pd.DataFrame, keys: list[str], source: str, what: str) -> None:
    dup = df.duplicated(keys, keep=False)
    if dup.any():
        example = df.loc[dup, keys].iloc[0].tolist()
        others = [
            c
            for c in df.columns
            if c not in keys and c not in ("value", "flag") and df.loc[dup, c].nunique() > 1
        ]
        why = (
            f"they differ in {others}: filter those dimensions first"
            if others
            else "their dimensions are identical: was a dimension column (sex, age, ...) "
            "dropped before the call? Pass the reader's output unchanged"
        )
        raise RealSourceError(
            f"{source}: {what} found more than one row for the same {', '.join(keys)} "
            f"(e.g. {example}); {why}."
        )


def eurostat_immigration(
    df: pd.DataFrame,
    *,
    agedef: str = "COMPLET",
    aggregates: bool = False,
    extra_codes: Mapping[str, str | None] | None = None,
) -> pd.DataFrame:
    """Annual immigration by citizenship, from Eurostat's ``migr_imm1ctz``.

    Source: Eurostat, "Immigration by age group, sex and citizenship" (``migr_imm1ctz``),
    https://ec.europa.eu/eurostat/databrowser/view/migr_imm1ctz/default/table; read the
    TSV with :func:`read_eurostat_tsv` or the SDMX-CSV with :func:`read_eurostat_sdmx_csv`
    and pass the result. Immigrants are persons establishing their usual residence in the
    reporting country during the year for at least 12 months (or expected to), having
    previously been usually resident elsewhere.

    Keeps age TOTAL, sex T (both sexes), unit NR (persons) and age definition ``agedef``:
    COMPLET (age in completed years, the default) or REACH (age reached during the year).
    Totals over all ages are the same under both; the filter only avoids counting each
    immigrant twice.

    Parameters
    ----------
    df : DataFrame
        Output of either reader for ``migr_imm1ctz`` (columns ``citizen``, ``geo``,
        ``time_period``, ``value``, ``flag``; ``age``, ``sex``, ``unit``, ``agedef`` when
        present are filtered as above).
    agedef : {"COMPLET", "REACH"}
    aggregates : bool
        False (default): country-to-country rows. True: the rows set aside instead, those
        whose reporting country (``geo``) or citizenship is an aggregate or category
        (EU27_2020, TOTAL, NAT, STLS, UNK, EU27_2020_FOR, NEU27_2020_FOR, ...).
    extra_codes : dict, optional
        Passed to :func:`eurostat_iso3`.

    Returns
    -------
    DataFrame
        ``year`` (int), ``destination_iso3`` (reporting country), ``citizenship_iso3``,
        ``immigrants`` (persons; NaN where Eurostat has ':'), ``flag`` (str). Missing
        values are kept as rows: the reporting gaps are part of the data.
        ``attrs["set_aside"]`` counts set-aside rows by code for ``geo`` and ``citizen``
        (a row with both sides aggregate counts in both). With ``aggregates=True``:
        ``year``, ``geo``, ``citizen``, ``destination_iso3``, ``citizenship_iso3``,
        ``immigrants``, ``flag``.

    This function is long for its documentation, not its code (about 60
    lines); the steps are named helpers or short, commented blocks.
    """
    hint = "Pass the output of read_eurostat_tsv or read_eurostat_sdmx_csv for migr_imm1ctz."
    needed = ["citizen", "geo", "time_period", "value", "flag"]
    _require_columns(df, needed, "eurostat_immigration", hint)
    source = _source_of(df)
    if agedef not in ("COMPLET", "REACH"):
        raise ValueError(f"agedef must be 'COMPLET' or 'REACH', not {agedef!r}.")
    what = "eurostat_immigration"
    kept = df
    for column, value in (("age", "TOTAL"), ("sex", "T"), ("unit", "NR"), ("agedef", agedef)):
        kept = _select(kept, column, value, source, what)
    if "freq" in kept.columns:
        kept = _select(kept, "freq", "A", source, what)
    _check_unique(kept, ["geo", "citizen", "time_period"], source, what)
    bad_time = ~kept["time_period"].str.fullmatch(r"\d{4}")
    if bad_time.any():
        raise RealSourceError(
            f"{source}: {what} expects annual time periods (2019, ...); found "
            f"{sorted(kept.loc[bad_time, 'time_period'].unique())[:5]}."
        )
    dest = _map_eurostat(kept, "geo", extra_codes, source)
    cit = _map_eurostat(kept, "citizen", extra_codes, source)
    countries = dest.notna() & cit.notna()
    aside = ~countries
    set_aside = {
        "geo": _counts(kept.loc[aside & dest.isna(), "geo"]),
        "citizen": _counts(kept.loc[aside & cit.isna(), "citizen"]),
    }
    if not aggregates and not countries.any() and len(kept):
        raise RealSourceError(
            f"{source}: no row has a country as both reporting country and citizenship "
            f"(codes such as {sorted(kept['geo'].unique())[:5]}). Eurostat files must be "
            "downloaded with codes, not labels."
        )
    mask = aside if aggregates else countries
    out = pd.DataFrame(
        {
            "year": kept.loc[mask, "time_period"].astype(np.int64),
            "destination_iso3": dest[mask],
            "citizenship_iso3": cit[mask],
            "immigrants": kept.loc[mask, "value"].astype(float),
            "flag": kept.loc[mask, "flag"],
        }
    )
    if aggregates:
        out.insert(1, "geo", kept.loc[mask, "geo"])
        out.insert(2, "citizen", kept.loc[mask, "citizen"])
        order = ["year", "geo", "citizen"]
    else:
        order = ["year", "destination_iso3", "citizenship_iso3"]
    out = out.sort_values(order, kind="stable").reset_index(drop=True)
    return _finish(
        out,
        source,
        set_aside,
        "aggregate or category",
        rows=int(aside.sum()),
        filters={"age": "TOTAL", "sex": "T", "unit": "NR", "agedef": agedef},
    )


_AIR_MEASURES = {
    "carried": {"PAS_CRD_ARR": "arrivals", "PAS_CRD_DEP": "departures"},
    "on_board": {"PAS_BRD_ARR": "arrivals", "PAS_BRD_DEP": "departures"},
}
_MONTH = re.compile(r"^(?P<year>\d{4})(?:-|M)(?P<month>\d{2})$")


def eurostat_air_passengers(
    df: pd.DataFrame,
    *,
    measure: str = "carried",
    aggregates: bool = False,
    extra_codes: Mapping[str, str | None] | None = None,
) -> pd.DataFrame:
    """Monthly air passengers between countries, from Eurostat's aviation tables.

    Source: Eurostat air transport statistics, dimensions ``freq``, ``unit`` (PAS),
    ``tra_meas``, ``partner``, ``geo`` (the reporting country):
    ``avia_paoc`` "Air passenger transport by reporting country",
    https://ec.europa.eu/eurostat/databrowser/view/avia_paoc/default/table, and the tables
    with partner *countries*, ``avia_paocc`` (between reporting countries, intra-EU and
    EFTA) and ``avia_paexcc`` (extra-EU partner countries), which read the same way. Read
    the TSV or SDMX-CSV with :func:`read_eurostat_tsv` / :func:`read_eurostat_sdmx_csv`.

    Parameters
    ----------
    df : DataFrame
        Output of either reader (columns ``tra_meas``, ``partner``, ``geo``,
        ``time_period``, ``value``, ``flag``; ``unit`` and ``freq`` when present).
    measure : {"carried", "on_board"}
        "carried" (default): passengers carried, PAS_CRD_ARR (arrivals) and PAS_CRD_DEP
        (departures), each passenger counted once per flight. "on_board": PAS_BRD_ARR and
        PAS_BRD_DEP, counted on every flight stage. Totals without a direction (PAS_CRD,
        PAS_BRD) and other measures are set aside.
    aggregates : bool
        False (default): country pairs. True: the monthly rows of the chosen measure whose
        reporting or partner code is an aggregate (EU27_2020, EXT_EU27_2020, TOTAL, ...).
    extra_codes : dict, optional
        Passed to :func:`eurostat_iso3`.

    Returns
    -------
    DataFrame
        ``reporting_iso3``, ``partner_iso3``, ``year`` (int), ``month`` (int, 1-12),
        ``direction`` ("arrivals" at or "departures" from the reporting country),
        ``passengers`` (persons per month, NaN where ':') and ``flag``. Monthly periods
        are read as ``2019-07`` or ``2019M07``; annual and quarterly rows are set aside.
        ``attrs["set_aside"]`` counts set-aside rows, at the first step that set them
        aside, by ``unit``, ``freq``, ``time_period`` (non-monthly periods), ``tra_meas``,
        ``geo`` and ``partner``. With ``aggregates=True`` the ``geo`` and ``partner``
        codes are added as columns.

    This function is long for its documentation, not its code (about 60
    lines); the steps are named helpers or short, commented blocks.
    """
    hint = "Pass the output of read_eurostat_tsv or read_eurostat_sdmx_csv for avia_paoc(c)."
    needed = ["tra_meas", "partner", "geo", "time_period", "value", "flag"]
    _require_columns(df, needed, "eurostat_air_passengers", hint)
    if measure not in _AIR_MEASURES:
        raise ValueError(f"measure must be one of {list(_AIR_MEASURES)}, not {measure!r}.")
    source = _source_of(df)
    what = "eurostat_air_passengers"
    set_aside: dict[str, dict] = {}
    kept = df
    if "unit" in kept.columns:
        kept = _select(kept, "unit", "PAS", source, what)
        set_aside["unit"] = _counts(df.loc[df["unit"] != "PAS", "unit"])
    if "freq" in kept.columns:
        monthly = kept["freq"] == "M"
        set_aside["freq"] = _counts(kept.loc[~monthly, "freq"])
        kept = kept[monthly]
    parts = kept["time_period"].str.extract(_MONTH)
    is_month = parts["year"].notna()
    set_aside["time_period"] = _counts(kept.loc[~is_month, "time_period"])
    kept, parts = kept[is_month], parts[is_month]
    directions = _AIR_MEASURES[measure]
    chosen = kept["tra_meas"].isin(list(directions))
    set_aside["tra_meas"] = _counts(kept.loc[~chosen, "tra_meas"])
    kept, parts = kept[chosen], parts[chosen]
    if kept.empty:
        raise RealSourceError(
            f"{source}: {what} found no monthly rows with tra_meas {list(directions)}; the "
            f"table's tra_meas values are {sorted(df['tra_meas'].unique())[:12]}. Download "
            "the monthly data of avia_paoc / avia_paocc with arrivals and departures."
        )
    month = parts["month"].astype(int)
    if not month.between(1, 12).all():
        bad = kept.loc[~month.between(1, 12), "time_period"].iloc[0]
        raise RealSourceError(f"{source}: month out of range in time period {bad!r}.")
    _check_unique(kept, ["geo", "partner", "tra_meas", "time_period"], source, what)
    rep = _map_eurostat(kept, "geo", extra_codes, source)
    par = _map_eurostat(kept, "partner", extra_codes, source)
    countries = rep.notna() & par.notna()
    set_aside["geo"] = _counts(kept.loc[rep.isna(), "geo"])
    set_aside["partner"] = _counts(kept.loc[rep.notna() & par.isna(), "partner"])
    mask = ~countries if aggregates else countries
    out = pd.DataFrame(
        {
            "reporting_iso3": rep[mask],
            "partner_iso3": par[mask],
            "year": parts.loc[mask, "year"].astype(np.int64),
            "month": month[mask].astype(np.int64),
            "direction": kept.loc[mask, "tra_meas"].map(directions),
            "passengers": kept.loc[mask, "value"].astype(float),
            "flag": kept.loc[mask, "flag"],
        }
    )
    if aggregates:
        out.insert(0, "geo", kept.loc[mask, "geo"])
        out.insert(1, "partner", kept.loc[mask, "partner"])
        order = ["geo", "partner", "direction", "year", "month"]
    else:  # the order of the bundled air_passengers
        order = ["reporting_iso3", "partner_iso3", "direction", "year", "month"]
    out = out.sort_values(order, kind="stable").reset_index(drop=True)
    what_aside = "non-country, non-monthly or other-measure"
    return _finish(out, source, set_aside, what_aside, measure=measure)


# ----------------------------------------------------------------------------------------
# World Bank World Development Indicators
# ----------------------------------------------------------------------------------------

#: Course column names for World Bank indicator codes; other codes become snake_case.
WDI_COLUMN_NAMES = {
    "SP.POP.TOTL": "population",
    "NY.GDP.PCAP.PP.KD": "gdp_per_capita_ppp_usd",
    "SL.UEM.TOTL.ZS": "unemployment_rate_pct",
}

#: World Bank aggregates (regions, income and lending groups, demographic-dividend groups,
#: World): the rows of the API download's Metadata_Country file with an empty Region.
WORLD_BANK_AGGREGATES = {
    "AFE": "Africa Eastern and Southern",
    "AFW": "Africa Western and Central",
    "ARB": "Arab World",
    "CEB": "Central Europe and the Baltics",
    "CSS": "Caribbean small states",
    "EAP": "East Asia & Pacific (excluding high income)",
    "EAR": "Early-demographic dividend",
    "EAS": "East Asia & Pacific",
    "ECA": "Europe & Central Asia (excluding high income)",
    "ECS": "Europe & Central Asia",
    "EMU": "Euro area",
    "EUU": "European Union",
    "FCS": "Fragile and conflict affected situations",
    "HIC": "High income",
    "HPC": "Heavily indebted poor countries (HIPC)",
    "IBD": "IBRD only",
    "IBT": "IDA & IBRD total",
    "IDA": "IDA total",
    "IDB": "IDA blend",
    "IDX": "IDA only",
    "INX": "Not classified",
    "LAC": "Latin America & Caribbean (excluding high income)",
    "LCN": "Latin America & Caribbean",
    "LDC": "Least developed countries: UN classification",
    "LIC": "Low income",
    "LMC": "Lower middle income",
    "LMY": "Low & middle income",
    "LTE": "Late-demographic dividend",
    "MEA": "Middle East & North Africa",
    "MIC": "Middle income",
    "MNA": "Middle East & North Africa (excluding high income)",
    "NAC": "North America",
    "OED": "OECD members",
    "OSS": "Other small states",
    "PRE": "Pre-demographic dividend",
    "PSS": "Pacific island small states",
    "PST": "Post-demographic dividend",
    "SAS": "South Asia",
    "SSA": "Sub-Saharan Africa (excluding high income)",
    "SSF": "Sub-Saharan Africa",
    "SST": "Small states",
    "TEA": "East Asia & Pacific (IDA & IBRD countries)",
    "TEC": "Europe & Central Asia (IDA & IBRD countries)",
    "TLA": "Latin America & the Caribbean (IDA & IBRD countries)",
    "TMN": "Middle East & North Africa (IDA & IBRD countries)",
    "TSA": "South Asia (IDA & IBRD)",
    "TSS": "Sub-Saharan Africa (IDA & IBRD countries)",
    "UMC": "Upper middle income",
    "WLD": "World",
}
#: World Bank country codes that are not ISO 3166-1 alpha-3 codes (kept as they are).
_WORLD_BANK_NON_ISO = {"XKX": "Kosovo", "CHI": "Channel Islands"}

_WDI_ID = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]


def _snake(code: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", code.lower()).strip("_")


def _read_wdi_file(path, wanted: set[str] | None) -> pd.DataFrame:
    """One World Bank CSV -> long rows (code, name, indicator, year, value)."""
    path = _existing_file(
        path,
        "a World Bank CSV (API_<indicator>_DS2_en_csv_v2_*.csv from the indicator page's "
        "'Download CSV', or WDICSV.csv from the WDI bulk download)",
        f"{WDI_PAGE} or {WDI_BULK}",
    )
    if _is_zip(path):
        raise RealSourceError(
            f"{path} is a ZIP archive. Unzip it and pass the API_<indicator>_...csv (or "
            "WDICSV.csv) inside, not the Metadata_ files."
        )
    lines = _text_head(path, 12)
    header_at = next(
        (i for i, line in enumerate(lines) if line.lstrip('"').startswith("Country Name")), None
    )
    if header_at is None:
        hint = _sdmx_hint(lines[0] if lines else "")
        if lines and lines[0].lstrip('"').startswith(("Country Code", "Code", "Series Code")):
            hint = " This looks like one of the download's Metadata_ files: pass the data file."
        raise RealSourceError(
            f'{path}: no header row starting with "Country Name" in the first lines. This '
            "reader expects the World Bank CSV layout (API_<indicator>_DS2_en_csv_v2_*.csv: "
            '4 metadata lines, then "Country Name","Country Code","Indicator Name",'
            f'"Indicator Code","1960",...; or WDICSV.csv).{hint}'
        )
    header = [
        str(c).strip() for c in pd.read_csv(io.StringIO(lines[header_at] + "\n"), dtype=str).columns
    ]
    if list(header[:4]) != _WDI_ID:
        raise RealSourceError(
            f"{path}: the header should start with {_WDI_ID}; it starts with {list(header[:4])}."
        )
    year_cols = [c for c in header[4:] if re.fullmatch(r"\d{4}", c)]
    other = [c for c in header[4:] if c not in year_cols]
    if any(c and not c.startswith("Unnamed:") for c in other) or not year_cols:
        raise RealSourceError(
            f"{path}: after the four id columns the header should list years only; found "
            f"{other[:5] or 'no year'}. Download the CSV in the default layout (years as columns)."
        )
    dtypes = dict.fromkeys(_WDI_ID, str) | dict.fromkeys(year_cols, float)
    chunks = []
    try:
        reader = pd.read_csv(
            path,
            skiprows=header_at,
            dtype=dtypes,
            keep_default_na=False,
            na_values=[""],
            encoding="utf-8-sig",
            chunksize=50_000,
        )
        for chunk in reader:
            chunk.columns = [str(c).strip() for c in chunk.columns]
            blank = [c for c in chunk.columns if c.startswith("Unnamed:")]
            if blank and chunk[blank].notna().any().any():
                raise RealSourceError(f"{path}: values in a column without a header.")
            chunk = chunk.drop(columns=blank)
            if wanted is not None:
                chunk = chunk[chunk["Indicator Code"].isin(wanted)]
            chunks.append(chunk)
    except (ValueError, pd.errors.ParserError) as err:
        if isinstance(err, RealSourceError):
            raise
        raise RealSourceError(
            f"{path}: cannot read the year columns as numbers ({err}). Is this the unedited "
            "World Bank CSV?"
        ) from err
    wide = pd.concat(chunks, ignore_index=True)
    long = wide.melt(id_vars=_WDI_ID, value_vars=year_cols, var_name="year", value_name="value")
    long["year"] = long["year"].astype(np.int64)
    long["file"] = str(path)
    return long


def read_worldbank_wdi_csv(
    path,
    indicators: Sequence[str] | None = None,
    *,
    aggregates: bool = False,
    extra_codes: Mapping[str, str | None] | None = None,
    metadata=None,
) -> pd.DataFrame:
    """Country indicators from World Bank World Development Indicators CSV files.

    Source: World Bank, World Development Indicators. One indicator: its page
    ``https://data.worldbank.org/indicator/<code>`` > "Download CSV" gives a ZIP with
    ``API_<code>_DS2_en_csv_v2_<n>.csv`` (4 metadata lines, then "Country Name", "Country
    Code", "Indicator Name", "Indicator Code", "1960", ..., and an empty trailing column)
    and two ``Metadata_`` files; unzip it and pass the ``API_`` file. All indicators:
    the bulk download (WDI_CSV.zip) from
    https://datacatalog.worldbank.org/search/dataset/0037712/World-Development-Indicators
    holds ``WDICSV.csv``, the same columns without the metadata lines (about 200 MB:
    pass ``indicators``).

    Parameters
    ----------
    path : str or Path, or a list of them
        One or several World Bank CSV files (e.g. one ``API_`` file per indicator); they are
        combined into one table.
    indicators : list of str, optional
        Indicator codes to keep (all in the files by default). Each must be present.
    aggregates : bool
        False (default): countries. True: the World Bank aggregates instead (WLD World,
        EUU European Union, HIC High income, SSF Sub-Saharan Africa, ...; see
        ``WORLD_BANK_AGGREGATES``).
    extra_codes : dict, optional
        ``{code: ISO3}`` for a country code that is not an ISO3 code, or ``{code: None}``
        to set it aside as an aggregate.
    metadata : str or Path, optional
        The ``Metadata_Country_API_<code>_DS2_en_csv_v2_<n>.csv`` file of the same
        download (columns "Country Code", "Region", "IncomeGroup", ...). With it, a code
        whose Region is empty there is an aggregate (besides ``WORLD_BANK_AGGREGATES``),
        and the country table gains ``name`` (the data file's "Country Name"),
        ``region`` and ``income_group`` (NaN for a code the metadata file does not
        list, or where it leaves them empty).

    Returns
    -------
    DataFrame
        ``iso3``, ``year`` (int) and one float column per indicator, named by
        ``WDI_COLUMN_NAMES`` (SP.POP.TOTL -> ``population``, persons; NY.GDP.PCAP.PP.KD ->
        ``gdp_per_capita_ppp_usd``, GDP per capita, PPP, constant international dollars;
        SL.UEM.TOTL.ZS -> ``unemployment_rate_pct``, percent of the labour force, modelled
        ILO estimate) or, for other codes, the code in snake_case (SM.POP.TOTL ->
        ``sm_pop_totl``). Every (country, year) of the files is a row, NaN where the World
        Bank has no value. Country codes are ISO3 except the World Bank's XKX (Kosovo) and
        CHI (Channel Islands). ``attrs["indicators"]`` maps codes to column names and
        ``attrs["set_aside"]`` counts the aggregate rows by "code (name)". With
        ``aggregates=True`` the first columns are ``code`` and ``name`` instead of ``iso3``.
        With ``metadata``, the country table's first columns are ``iso3``, ``name``,
        ``region``, ``income_group``, ``year``.

    Examples
    --------
    >>> from migrationlab import REPO_ROOT
    >>> folder = REPO_ROOT / "data/real/originals"
    >>> gdp = read_worldbank_wdi_csv(
    ...     folder / "API_NY.GDP.PCAP.PP.CD_DS2_en_csv_v2_5728866.csv",
    ...     metadata=folder / "Metadata_Country_API_NY.GDP.PCAP.PP.CD_DS2_en_csv_v2_5728866.csv",
    ... )
    >>> row = gdp.query("iso3 == 'USA' and year == 2022").iloc[0]
    >>> print(f"{row['ny_gdp_pcap_pp_cd']:,.2f}", row["income_group"])
    76,398.59 High income

    This function is long for its documentation, not its code (about 65
    lines); the steps are named helpers or short, commented blocks.
    """
    paths = [path] if isinstance(path, str | Path) else list(path)
    if not paths:
        raise ValueError("read_worldbank_wdi_csv needs at least one file.")
    wanted = None if indicators is None else set(indicators)
    long = pd.concat([_read_wdi_file(p, wanted) for p in paths], ignore_index=True)
    label = ", ".join(str(p) for p in paths)
    found = list(dict.fromkeys(long["Indicator Code"]))
    if indicators is not None:
        missing = [c for c in indicators if c not in found]
        if missing:
            raise RealSourceError(
                f"{label}: indicator {', '.join(missing)} is not in the file(s). Download it from "
                f"{WDI_PAGE}/{missing[0]}, or check the code."
            )
        found = list(dict.fromkeys(indicators))
    if not found:
        raise RealSourceError(f"{label}: the file(s) hold no data rows.")
    dup = long.duplicated(["Country Code", "Indicator Code", "year"], keep=False)
    if dup.any():
        row = long[dup].iloc[0]
        raise RealSourceError(
            f"{label}: {row['Indicator Code']} for {row['Country Code']} appears more than "
            "once; pass each indicator's file once."
        )
    columns = {c: WDI_COLUMN_NAMES.get(c, _snake(c)) for c in found}
    if len(set(columns.values())) != len(columns):
        raise RealSourceError(f"{label}: two indicator codes give the same column name.")

    meta = None if metadata is None else _read_wdi_metadata(metadata)
    no_region = [] if meta is None else list(meta.index[meta["region"].isna()])
    kind = _wdi_country_kinds(long, {**dict.fromkeys(no_region), **(extra_codes or {})}, label)
    iso = long["Country Code"].map(kind)
    is_country = iso.notna()
    names = long.drop_duplicates("Country Code").set_index("Country Code")["Country Name"]
    aside_codes = long.loc[~is_country].drop_duplicates(["Country Code", "year"])["Country Code"]
    set_aside = {"Country Code": _counts(f"{c} ({names[c]})" for c in aside_codes)}

    part = long[~is_country] if aggregates else long[is_country].assign(iso3=iso[is_country])
    index = ["Country Code", "Country Name", "year"] if aggregates else ["iso3", "year"]
    wide = (
        part.pivot(index=index, columns="Indicator Code", values="value")
        .reindex(columns=found)
        .rename(columns=columns)
        .reset_index()
    )
    wide.columns.name = None
    if aggregates:
        wide = wide.rename(columns={"Country Code": "code", "Country Name": "name"})
    key = "code" if aggregates else "iso3"
    wide = wide.sort_values([key, "year"], kind="stable").reset_index(drop=True)
    for c in columns.values():
        wide[c] = wide[c].astype(float)
    if meta is not None and not aggregates:
        first = part.drop_duplicates("iso3").set_index("iso3")  # the World Bank's code, name
        code = wide["iso3"].map(first["Country Code"])
        described = {
            "name": wide["iso3"].map(first["Country Name"]),
            "region": code.map(meta["region"]),
            "income_group": code.map(meta["income_group"]),
        }
        for at, (column, values) in enumerate(described.items(), start=1):
            wide.insert(at, column, values)
    attrs = {} if metadata is None else {"metadata": str(metadata)}
    return _finish(wide, label, set_aside, "aggregate", indicators=columns, **attrs)


def _read_wdi_metadata(path) -> pd.DataFrame:
    """The Metadata_Country file of a World Bank download: region, income group by code."""
    path = _existing_file(
        path,
        "the Metadata_Country_API_<indicator>_...csv file of the World Bank download (it "
        "comes in the same ZIP as the data file)",
        WDI_PAGE,
    )
    _reject_zip(path, "the Metadata_Country CSV of a World Bank download")
    table = _read_text_table(path, ",", "World Bank Metadata_Country CSV")
    table.columns = [str(c).strip() for c in table.columns]
    wanted = ["Country Code", "Region", "IncomeGroup"]
    if any(c not in table.columns for c in wanted):
        raise RealSourceError(
            f"{path}: the columns should include {wanted}; found {list(table.columns)[:6]}. "
            "Pass the Metadata_Country_API_<indicator>_...csv file of the download as "
            "metadata (not the data file, nor the Metadata_Indicator file)."
        )
    table = table[wanted].rename(columns={"Region": "region", "IncomeGroup": "income_group"})
    table = table.set_index(table["Country Code"].str.strip())[["region", "income_group"]]
    if table.index.duplicated().any():
        raise RealSourceError(f"{path}: a country code is listed twice; is this the unedited file?")
    return table.apply(lambda col: col.str.strip()).replace("", np.nan)


def _wdi_country_kinds(long: pd.DataFrame, extra_codes, label: str) -> dict:
    """{World Bank country code: ISO3 (or the World Bank's code), None for an aggregate}.

    ``extra_codes`` first, then the World Bank's aggregates and its non-ISO country codes,
    then country_converter; a code none of them knows raises :class:`UnknownCodeError`.
    """
    extra = dict(extra_codes or {})
    codes = list(dict.fromkeys(long["Country Code"]))
    kind: dict[str, str | None] = {}
    to_check = []
    for c in codes:
        if c in extra:
            kind[c] = extra[c]
        elif c in WORLD_BANK_AGGREGATES:
            kind[c] = None
        elif c in _WORLD_BANK_NON_ISO:
            kind[c] = c
        else:
            to_check.append(c)
    checked = _coco(to_check, src="ISO3")
    unknown = [c for c in to_check if checked[c] is None]
    if unknown:
        names = long.drop_duplicates("Country Code").set_index("Country Code")["Country Name"]
        listed = _some([f"{c} ({names[c]!r})" for c in unknown])
        raise UnknownCodeError(
            f"{label}: country codes that are neither ISO3 codes nor World Bank aggregates: "
            f"{listed}. If a code is a country, pass extra_codes={{'{unknown[0]}': 'ISO3'}}; "
            f"to set it aside as an aggregate, extra_codes={{'{unknown[0]}': None}}."
        )
    kind.update({c: c for c in to_check})
    return kind


# ------------------------------------------------------------------ Natural Earth


def natural_earth_countries_path() -> Path:
    """Path of the Natural Earth 1:110m countries shapefile shipped in pyogrio's test fixtures.

    Natural Earth is public domain (https://www.naturalearthdata.com/about/terms-of-use/).
    The file travels inside the ``pyogrio`` wheel, so no download is needed.
    """
    import pyogrio

    path = (
        Path(pyogrio.__file__).parent
        / "tests"
        / "fixtures"
        / "naturalearth_lowres"
        / ("naturalearth_lowres.shp")
    )
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: this pyogrio installation does not ship its test fixtures. "
            "Reinstall the course environment with `make clean && make test` (pip installs "
            "pyogrio from its wheel, which includes them)."
        )
    return path


def load_natural_earth_countries():
    """Natural Earth 1:110m countries as a GeoDataFrame in WGS 84 (EPSG:4326).

    Columns: ``pop_est`` (persons), ``continent``, ``name``, ``iso_a3`` (ISO 3166-1
    alpha-3, ``-99`` where Natural Earth has no code), ``gdp_md_est`` (GDP, million USD),
    ``geometry``.
    """
    import geopandas as gpd

    gdf = gpd.read_file(natural_earth_countries_path())
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise ValueError(
            f"{natural_earth_countries_path()}: expected CRS EPSG:4326, found {gdf.crs}. "
            "The fixture has changed upstream; pin the pyogrio version of requirements.txt."
        )
    return gdf
