"""Country identifiers and reporting gaps: harmonise names and codes, find missing years.

Migration data name countries in many ways: ISO 3166-1 alpha-3 codes (``DEU``), alpha-2
codes (``DE``, and Eurostat's ``EL`` and ``UK``), UN M49 numeric codes (``276``) and a
zoo of names ("Viet Nam", "Korea, Rep.", "Dem. Rep. Congo", "Türkiye"). The course joins
everything on ISO3 codes, and converts the rest with country_converter (Stadler 2017),
a maintained table of codes and name patterns, rather than with a hand-made dictionary.

:func:`to_iso3` converts and :func:`conversion_report` shows what happened to each
distinct identifier, so that nothing is lost or merged without anyone noticing.
:func:`reporting_gaps` lists, per country, the years a table should have and has not.

References
----------
Stadler, K. (2017). The country converter coco - a Python package for converting country
names between different classification schemes. *Journal of Open Source Software*, 2(16),
332. https://doi.org/10.21105/joss.00332

Examples
--------
>>> from migrationlab.countries import to_iso3
>>> list(to_iso3(["Viet Nam", "DE", "276", "EL"]))  # doctest: +SKIP
['VNM', 'DEU', 'DEU', 'GRC']
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from migrationlab.checks import require_columns

__all__ = [
    "SOURCE_TYPES",
    "UnknownCountryError",
    "to_iso3",
    "conversion_report",
    "reporting_gaps",
    "code_table",
    "iso3_from_m49",
    "iso3_from_iso2",
]

#: What ``src`` may be: ``"auto"`` guesses per identifier (digits: UN M49 numeric; two
#: letters: ISO2; three capital letters: ISO3; anything else: a name).
SOURCE_TYPES = {
    "auto": None,
    "name": "regex",
    "ISO2": "ISO2",
    "ISO3": "ISO3",
    "ISOnumeric": "ISOnumeric",
}

_NOT_FOUND = "__not_found__"
_CONVERTER = None


class UnknownCountryError(ValueError):
    """Some identifiers are not known to country_converter (raised with ``strict=True``)."""


@contextlib.contextmanager
def quiet_country_converter():
    """Silence country_converter's warning per unknown name; the callers report them."""
    log = logging.getLogger("country_converter.country_converter")
    old = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(old)


def _converter():
    global _CONVERTER
    if _CONVERTER is None:
        import country_converter

        with quiet_country_converter():
            _CONVERTER = country_converter.CountryConverter()
    return _CONVERTER


def _as_text(identifiers, what: str) -> pd.Series:
    """The identifiers as a Series of stripped strings (NaN stays NaN), index kept."""
    if isinstance(identifiers, (str, bytes)):
        raise TypeError(
            f"{what}: got a single string {identifiers!r}; pass a list or a pandas Series of "
            f"identifiers, e.g. [{identifiers!r}]."
        )
    series = identifiers if isinstance(identifiers, pd.Series) else pd.Series(list(identifiers))
    bad = [v for v in series.dropna().unique() if not isinstance(v, (str, int, np.integer))]
    if bad:
        raise TypeError(
            f"{what}: identifiers must be names or codes (text or whole numbers), but got "
            f"{bad[:3]!r} of type {type(bad[0]).__name__}. Convert the column with "
            ".astype(str) first, or drop the rows that hold no identifier."
        )
    text = series.map(lambda v: v if pd.isna(v) else str(v).strip())
    return text.mask(text == "", np.nan)


def _check_src(src: str, what: str) -> str | None:
    if src not in SOURCE_TYPES:
        raise ValueError(
            f"{what}: src={src!r} is not one of {sorted(SOURCE_TYPES)}. Use 'name' for "
            "country names, 'ISO2'/'ISO3'/'ISOnumeric' for codes, or 'auto' to guess."
        )
    return SOURCE_TYPES[src]


def _lookup(distinct: list[str], src: str | None) -> dict[str, str | None]:
    """Map each distinct identifier to ISO3 with country_converter; None if unknown."""
    if not distinct:
        return {}
    with quiet_country_converter():
        out = _converter().convert(distinct, src=src, to="ISO3", not_found=_NOT_FOUND)
    if isinstance(out, str):
        out = [out]
    return {
        ident: (code if isinstance(code, str) and code != _NOT_FOUND else None)
        for ident, code in zip(distinct, out, strict=True)
    }


def _mapping(text: pd.Series, src: str, overrides, what: str) -> dict[str, tuple]:
    """``{identifier: (iso3 or None, how)}`` for every distinct identifier."""
    coco_src = _check_src(src, what)
    overrides = dict(overrides or {})
    for key, value in overrides.items():
        if value is not None and not (isinstance(value, str) and len(value) == 3):
            raise ValueError(
                f"{what}: overrides[{key!r}] = {value!r} is not an ISO3 code. Give three "
                "letters (e.g. 'NLD'), or None to mark the identifier as not a country."
            )
    distinct = [v for v in dict.fromkeys(text.dropna())]
    override_keys = {str(k).strip(): v for k, v in overrides.items()}
    looked_up = _lookup([v for v in distinct if v not in override_keys], coco_src)
    result = {}
    for ident in distinct:
        if ident in override_keys:
            result[ident] = (override_keys[ident], "override")
        elif looked_up[ident] is None:
            result[ident] = (None, "not found")
        else:
            result[ident] = (looked_up[ident], "converted")
    return result


def to_iso3(
    identifiers: Iterable,
    *,
    src: str = "auto",
    overrides: Mapping[str, str | None] | None = None,
    strict: bool = False,
) -> pd.Series:
    """Convert country names or codes to ISO 3166-1 alpha-3 codes with country_converter.

    Parameters
    ----------
    identifiers : list or pandas.Series
        Country names or codes. Surrounding spaces are ignored; missing values stay
        missing. A Series keeps its index, so the result can be assigned as a column.
    src : {"auto", "name", "ISO2", "ISO3", "ISOnumeric"}
        What the identifiers are. ``"auto"`` (default) lets country_converter guess for
        each identifier: digits are UN M49 numeric codes, two letters ISO2 (Eurostat's
        ``EL`` and ``UK`` included), three capitals ISO3, anything else a name matched by
        regular expression.
    overrides : dict, optional
        ``{identifier: ISO3}`` for identifiers the converter does not know or gets wrong
        (e.g. ``{"Holland": "NLD"}``); ``{identifier: None}`` marks one as not a country
        (an aggregate such as "World" or "Unknown"). Overrides win over the converter.
    strict : bool
        If True, raise :class:`UnknownCountryError` when an identifier is not found.

    Returns
    -------
    pandas.Series
        ISO3 codes (object dtype) aligned with the input; NaN where an identifier is
        missing or not found. Check the NaNs (or :func:`conversion_report`) before joining.

    Raises
    ------
    UnknownCountryError
        With ``strict=True``, naming every identifier that was not found.

    Notes
    -----
    A converter can also be *wrong without saying so*: name patterns match loosely, so
    "N. Cyprus" becomes CYP and "Czechoslovakia" CZE. Look at :func:`conversion_report`
    for identifiers that share a code.

    Examples
    --------
    >>> to_iso3(["Viet Nam", "Holland"], overrides={"Holland": "NLD"}).tolist()  # doctest: +SKIP
    ['VNM', 'NLD']
    """
    what = "to_iso3()"
    text = _as_text(identifiers, what)
    mapping = _mapping(text, src, overrides, what)
    unknown = [ident for ident, (_, how) in mapping.items() if how == "not found"]
    if strict and unknown:
        shown = ", ".join(repr(u) for u in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        raise UnknownCountryError(
            f"{what}: {len(unknown)} identifier(s) not known to country_converter: "
            f"{shown}{more}. Check the spelling, pass overrides={{{unknown[0]!r}: 'ISO3'}} "
            f"for a country, or overrides={{{unknown[0]!r}: None}} for an aggregate."
        )
    codes = text.map(lambda v: np.nan if pd.isna(v) else (mapping[v][0] or np.nan))
    return codes.astype(object).rename("iso3")


def conversion_report(
    identifiers: Iterable,
    *,
    src: str = "auto",
    overrides: Mapping[str, str | None] | None = None,
) -> pd.DataFrame:
    """What :func:`to_iso3` does with each distinct identifier, to check before a join.

    Parameters
    ----------
    identifiers, src, overrides
        As for :func:`to_iso3`.

    Returns
    -------
    pandas.DataFrame
        One row per distinct identifier, in order of first appearance, with the columns
        ``identifier``, ``rows`` (how many input rows hold it), ``iso3`` (NaN if not
        found), ``status`` (``converted``, ``override`` or ``not found``) and
        ``shares_code_with`` (the other identifiers converted to the same code, separated
        by ``"; "``, empty if none). Identifiers that share a code are either synonyms
        ("UK" and "United Kingdom") or a silent merge ("Cyprus" and "N. Cyprus"): decide
        which.
    """
    what = "conversion_report()"
    text = _as_text(identifiers, what)
    mapping = _mapping(text, src, overrides, what)
    counts = text.value_counts(sort=False)
    rows = [
        {
            "identifier": ident,
            "rows": int(counts[ident]),
            "iso3": code if code is not None else np.nan,
            "status": how,
        }
        for ident, (code, how) in mapping.items()
    ]
    report = pd.DataFrame(rows, columns=["identifier", "rows", "iso3", "status"])
    by_code = report.dropna(subset=["iso3"]).groupby("iso3")["identifier"].agg(list)
    report["shares_code_with"] = [
        "; ".join(o for o in by_code.get(code, []) if o != ident) if isinstance(code, str) else ""
        for ident, code in zip(report["identifier"], report["iso3"], strict=True)
    ]
    return report


def reporting_gaps(
    df: pd.DataFrame,
    *,
    by: str,
    value: str,
    year: str = "year",
    expected_years: Iterable[int] | None = None,
) -> pd.DataFrame:
    """Per country (or any unit), which expected years have no value: the gaps of a table.

    A year counts as missing when the table has no row for it *or* a row whose ``value``
    is empty: official tables do both.

    Parameters
    ----------
    df : pandas.DataFrame
        A long table with one row per unit and year, e.g. ``load_country_indicators()``.
    by : str
        Column of the unit, e.g. ``"iso3"`` or ``"destination_iso3"``.
    value : str
        Column whose missing values count as gaps, e.g. ``"gdp_per_capita_ppp_usd"``.
    year : str
        Column of the reference year (whole numbers).
    expected_years : iterable of int, optional
        The years every unit should have; by default every year that occurs in ``df``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``by``, with ``last_year`` (latest year with a value; NaN if none),
        ``n_expected``, ``n_missing``, ``share_missing`` (0 to 1) and ``missing_years``
        (a sorted list of ints), sorted by ``by``.
    """
    what = "reporting_gaps()"
    require_columns(
        df,
        [by, value, year],
        table_name="the table df",
        fix="Pass by=, value= and year= with the names it uses.",
        caller=what,
    )
    years = pd.to_numeric(df[year], errors="coerce")
    if years.isna().any() or not np.all(years == np.round(years)):
        raise ValueError(
            f"{what}: column {year!r} must hold whole years with no missing values; "
            "drop or fix the rows without a year first."
        )
    expected = (
        sorted({int(y) for y in years})
        if expected_years is None
        else sorted({int(y) for y in expected_years})
    )
    if not expected:
        raise ValueError(f"{what}: no expected years (the table is empty and none were given).")
    reported = df.loc[df[value].notna(), [by]].assign(_year=years[df[value].notna()].astype(int))
    have = reported.groupby(by)["_year"].agg(lambda s: set(s.tolist()))
    units = sorted(df[by].dropna().unique())
    rows = []
    for unit in units:
        present = have.get(unit, set())
        gaps = [y for y in expected if y not in present]
        rows.append(
            {
                by: unit,
                "last_year": max(present) if present else np.nan,
                "n_expected": len(expected),
                "n_missing": len(gaps),
                "share_missing": len(gaps) / len(expected),
                "missing_years": gaps,
            }
        )
    return pd.DataFrame(rows).set_index(by)


# --------------------------------------------------------------------------------------
# Code tables for the real extracts (fast: one read of country_converter's own table)
# --------------------------------------------------------------------------------------

#: M49 codes of places that ISO 3166 does not number, as UN DESA and the World Bank code
#: them: Taiwan (UN DESA: "China, Taiwan Province of China"), the Channel Islands, Kosovo.
M49_EXTRA_ISO3 = {158: "TWN", 830: "CHI", 412: "XKX"}

#: OpenFlights' country names that its own ``countries.dat`` spells differently (the
#: airport table uses these older or shorter names).
OPENFLIGHTS_NAME_ISO3 = {
    "Brunei": "BRN", "Burma": "MMR", "Cape Verde": "CPV", "Congo (Brazzaville)": "COG",
    "Congo (Kinshasa)": "COD", "East Timor": "TLS", "Faroe Islands": "FRO",
    "Kyrgyzstan": "KGZ", "Macau": "MAC", "Micronesia": "FSM", "Saint Helena": "SHN",
    "Saint Kitts and Nevis": "KNA", "Saint Lucia": "LCA", "Saint Pierre and Miquelon": "SPM",
    "Saint Vincent and the Grenadines": "VCT", "Svalbard": "SJM", "Swaziland": "SWZ",
    "Virgin Islands": "VIR", "Wallis and Futuna": "WLF", "West Bank": "PSE",
    # US Minor Outlying Islands, which countries.dat lists without a code
    "Midway Islands": "UMI", "Johnston Atoll": "UMI", "Wake Island": "UMI",
}  # fmt: skip

_CODE_TABLE: pd.DataFrame | None = None


def code_table() -> pd.DataFrame:
    """ISO3, ISO2 and UN M49 code of every country known to country_converter.

    Read straight from country_converter's data file (a few milliseconds, where building
    its converter takes most of a second), so that the loaders of the real extracts can
    add ISO3 columns quickly. Where country_converter lists two ISO2 codes (``GB`` and
    ``UK``), the first, the ISO one, is kept.
    """
    global _CODE_TABLE
    if _CODE_TABLE is None:
        import importlib.resources

        path = importlib.resources.files("country_converter") / "country_data.tsv"
        table = pd.read_csv(
            path,
            sep="\t",
            usecols=["ISO3", "ISO2", "UNcode", "name_short"],
            keep_default_na=False,  # "NA" is Namibia
            na_values=[""],
        )
        table["ISO2"] = table["ISO2"].str.extract(r"\^?([A-Z]{2})", expand=False)
        _CODE_TABLE = table
    return _CODE_TABLE


def iso3_from_m49(codes) -> pd.Series:
    """ISO3 codes of UN M49 numeric codes; ``None`` for aggregates and unknown codes.

    >>> iso3_from_m49([840, 484, 158, 900]).tolist()
    ['USA', 'MEX', 'TWN', None]
    """
    table = code_table().dropna(subset=["UNcode"])
    mapping = dict(zip(table["UNcode"].astype(int), table["ISO3"], strict=True))
    mapping.update(M49_EXTRA_ISO3)
    codes = pd.Series(codes)
    return codes.map(lambda c: mapping.get(int(c)) if pd.notna(c) and int(c) < 900 else None)


def iso3_from_iso2(codes) -> pd.Series:
    """ISO3 codes of ISO 3166-1 alpha-2 codes; ``NaN`` where unknown.

    >>> iso3_from_iso2(["GB", "NA", "MX"]).tolist()
    ['GBR', 'NAM', 'MEX']
    """
    table = code_table().dropna(subset=["ISO2"])
    mapping = dict(zip(table["ISO2"], table["ISO3"], strict=True))
    return pd.Series(codes).map(mapping)
