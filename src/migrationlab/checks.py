"""The one input check of migrationlab: columns present, values usable.

Every function of the package that takes a table checks it with these helpers, so that a
wrong input fails the same way everywhere: before any computation, with an error that
names the function, the table (or file), the column and the fix.

- :func:`require_table`: the input is a pandas DataFrame;
- :func:`require_columns`: it has the columns a function needs;
- :func:`require_values`: their values are finite and above a bound (counts >= 0,
  populations > 0, ...).

A missing column raises :class:`MissingColumnError`, which is both a ``KeyError`` (what
pandas raises for an unknown column) and a ``ValueError`` (what a wrong input is), so
that code catching either keeps working. Modules with an error class of their own (the
readers of real sources raise ``RealSourceError``) pass it as ``error=``.

Examples
--------
>>> import pandas as pd
>>> flows = pd.DataFrame({"origin": ["A"], "flow": [3.0]})
>>> require_columns(flows, ["origin", "flow"], table_name="the flows table",
...                 fix="Rename the columns first.")
>>> try:
...     require_columns(flows, ["destination"], table_name="the flows table",
...                     fix="Rename the columns first.", caller="fit()")
... except KeyError as err:
...     print(err)
fit(): the flows table has no column 'destination' (it has: origin, flow). Rename the columns first.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["MissingColumnError", "require_table", "require_columns", "require_values"]

#: Columns listed in full in an error message; longer tables are cut with "and N more".
_LISTED_COLUMNS = 30


class MissingColumnError(KeyError, ValueError):
    """A table lacks columns that a function needs.

    Attributes
    ----------
    table : str
        The name of the table (or the path of the file) as given to the check.
    missing : tuple of str
        The missing columns, in the order the function asked for them.
    """

    def __init__(self, message: str, *, table: str = "", missing: Iterable = ()):
        super().__init__(message)
        self.table = table
        self.missing = tuple(missing)

    def __str__(self) -> str:
        # KeyError would print the message with quotes around it, as it does for a key.
        return str(self.args[0]) if self.args else ""


def _prefix(caller: str | None) -> str:
    return f"{caller}: " if caller else ""


def _names(columns: Iterable, n: int = _LISTED_COLUMNS) -> str:
    """Column names separated by commas, cut after ``n`` with how many more."""
    items = [str(c) for c in columns]
    more = f" and {len(items) - n} more" if len(items) > n else ""
    return ", ".join(items[:n]) + more


def require_table(table, *, table_name: str, fix: str = "", caller: str | None = None) -> None:
    """Raise ``TypeError`` unless ``table`` is a pandas DataFrame.

    Parameters
    ----------
    table : object
        The input to check.
    table_name : str
        How the message names the input, e.g. ``"the flows table"`` or a file's path.
    fix : str
        What to do about it, appended to the message.
    caller : str, optional
        The function that checks, e.g. ``"fit_ppml()"``; starts the message.

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame (a GeoDataFrame is one).
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(
            f"{_prefix(caller)}{table_name} must be a pandas DataFrame, got "
            f"{type(table).__name__}. {fix}".rstrip()
        )


def require_columns(
    table,
    columns: Iterable,
    *,
    table_name: str,
    fix: str,
    caller: str | None = None,
    error: type[Exception] = MissingColumnError,
) -> None:
    """Raise an error naming the table, the missing columns and the fix.

    Parameters
    ----------
    table : pandas.DataFrame
        The input to check; anything else raises ``TypeError`` (:func:`require_table`).
    columns : iterable of str
        The columns the caller needs. ``None`` entries (an optional column not asked
        for) are skipped.
    table_name : str
        How the message names the table, e.g. ``"the flows table"``, ``"passengers"`` or
        the path of the file it was read from.
    fix : str
        What the user should do, e.g. ``"Rename the columns or pass flow= and stock=."``
    caller : str, optional
        The function that checks, e.g. ``"dyadic_panel()"``; starts the message.
    error : exception class
        What to raise; :class:`MissingColumnError` (a ``KeyError`` and a ``ValueError``)
        by default. It is called with the message alone unless it is a subclass of
        :class:`MissingColumnError`.

    Raises
    ------
    MissingColumnError, or ``error``
        If one or more columns are missing. The message reads
        ``"<caller>: <table_name> has no column 'x' (it has: a, b). <fix>"``.
    """
    require_table(table, table_name=table_name, fix=fix, caller=caller)
    wanted = list(dict.fromkeys(c for c in columns if c is not None))
    missing = [c for c in wanted if c not in table.columns]
    if not missing:
        return
    noun = "column" if len(missing) == 1 else "columns"
    message = (
        f"{_prefix(caller)}{table_name} has no {noun} {', '.join(map(repr, missing))} "
        f"(it has: {_names(table.columns)}). {fix}".rstrip()
    )
    if issubclass(error, MissingColumnError):
        raise error(message, table=table_name, missing=missing)
    raise error(message)


def require_values(
    table: pd.DataFrame,
    columns: Iterable[str],
    *,
    table_name: str,
    fix: str,
    caller: str | None = None,
    minimum: float | None = 0.0,
    strict: bool = False,
    allow_missing: bool = False,
    what: str = "values",
) -> None:
    """Raise ``ValueError`` at the first unusable value of ``columns``.

    A value is unusable when it is not a number, missing (unless ``allow_missing``),
    infinite, or below ``minimum`` (at or below it when ``strict``). The message names the
    column, the value, its row label, the rule broken and the fix.

    Parameters
    ----------
    table : pandas.DataFrame
        The input, with ``columns`` present (check with :func:`require_columns` first).
    columns : iterable of str
        Numeric columns to check, in the order in which to report them.
    table_name, fix, caller : str
        As for :func:`require_columns`.
    minimum : float or None
        Lower bound of the values (``None``: any finite value).
    strict : bool
        The bound itself is not allowed (``minimum=0, strict=True``: positive values).
    allow_missing : bool
        Missing values (NaN, None) pass; infinite values still raise.
    what : str
        What the values are, for the message, e.g. ``"counts of residents"``.

    Raises
    ------
    ValueError
        If any value breaks the rule.
    """
    for column in columns:
        raw = table[column]
        values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        missing = np.isnan(values)
        if allow_missing:  # a missing value passes, text that is not a number does not
            missing &= raw.notna().to_numpy()
        bad = np.isinf(values) | missing
        if minimum is not None:
            with np.errstate(invalid="ignore"):
                bad |= (values <= minimum) if strict else (values < minimum)
        if not bad.any():
            continue
        i = int(np.flatnonzero(bad)[0])
        rule = "finite"
        if minimum is not None:
            rule += (
                (" and positive" if strict else " and non-negative")
                if minimum == 0
                else f" and {'above' if strict else 'at least'} {minimum:g}"
            )
        rule += "" if allow_missing else ", without missing values"
        raise ValueError(
            f"{_prefix(caller)}column {column!r} of {table_name} has the value "
            f"{raw.iloc[i]!r} in row {table.index[i]!r} ({int(bad.sum())} such row(s)); "
            f"{what} must be {rule}. {fix}".rstrip()
        )
