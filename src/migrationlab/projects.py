"""Scores of the week-two project notebooks: one function per track, the same for every team.

Each project starter notebook (``notebooks/project_*.ipynb``) holds back part of the data
(a census, official years, destinations) and scores a team's estimates against it. The
scores live here, tested, rather than in the notebooks; a notebook binds its held-out
table to a score (``functools.partial``), so that teams call it with their estimates
only.

- :func:`score_phone_estimate` (track 2, cities): residents per antenna cell estimated
  from phone records, against a held-out census;
- :func:`score_against_official` (track 3, mobility): immigration estimated from air
  passengers, against held-out official flows;
- :func:`score_nowcast` and :func:`score_nowcast_by_year` (track 1, nowcasting): stocks
  nowcast from platform audiences, against official or true stocks, with the coverage of
  their intervals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from migrationlab.checks import require_columns, require_values

__all__ = [
    "score_phone_estimate",
    "score_against_official",
    "score_nowcast",
    "score_nowcast_by_year",
]


def score_phone_estimate(
    estimates: pd.DataFrame, origin_iso3: str, *, truth: pd.DataFrame
) -> pd.Series:
    """Score estimated residents of one origin group per antenna cell against a census.

    Every antenna cell of the census in the cities of ``estimates`` is scored; a cell
    without an estimate is an error (zero is an estimate, a missing value is not).

    Parameters
    ----------
    estimates : pandas.DataFrame
        Columns ``city_id``, ``antenna_cell_id`` and ``estimate`` (residents born in
        ``origin_iso3``, persons), one row per antenna cell.
    origin_iso3 : str
        ISO3 code of the origin group, e.g. ``"SYR"``.
    truth : pandas.DataFrame
        The held-out census summed per antenna cell: indexed by ``city_id`` and
        ``antenna_cell_id`` with a column ``pop_born_<iso3>`` per origin, e.g.
        ``cells[cells["census_year"] == 2021].groupby(["city_id",
        "antenna_cell_id"])[group_columns].sum()``.

    Returns
    -------
    pandas.Series
        ``antenna_cells`` (cells scored), ``total_estimated`` and ``total_census_2021``
        (persons), ``rank_correlation`` (Spearman, places only) and
        ``weighted_abs_error_pct`` (sum of absolute errors over the cells as a share of
        the group's census count, percent), rounded to 3 decimals.

    Raises
    ------
    KeyError
        If a column is missing from ``estimates``, or the census has no column of the
        origin.
    ValueError
        If an antenna cell of the census has no estimate.

    Examples
    --------
    >>> truth = pd.DataFrame({"city_id": ["c", "c"], "antenna_cell_id": ["a1", "a2"],
    ...                       "pop_born_syr": [10, 30]}).set_index(["city_id", "antenna_cell_id"])
    >>> est = pd.DataFrame({"city_id": ["c", "c"], "antenna_cell_id": ["a1", "a2"],
    ...                     "estimate": [20.0, 30.0]})
    >>> float(score_phone_estimate(est, "SYR", truth=truth)["weighted_abs_error_pct"])
    25.0
    """
    require_columns(
        estimates,
        ["city_id", "antenna_cell_id", "estimate"],
        table_name="the estimates table",
        fix="Give one row per antenna cell with city_id, antenna_cell_id and estimate.",
        caller="score_phone_estimate()",
    )
    column = f"pop_born_{origin_iso3.lower()}"
    require_columns(
        truth,
        [column],
        table_name="the held-out census",
        fix="Pass the census summed per antenna cell with all pop_born_* columns, and an "
        "origin tabulated in the census (ISO3 code).",
        caller="score_phone_estimate()",
    )
    census = truth[column].rename("census_2021").reset_index()
    census = census[census["city_id"].isin(estimates["city_id"].unique())]
    both = census.merge(estimates, on=["city_id", "antenna_cell_id"], how="left")
    if both["estimate"].isna().any():
        raise ValueError(
            f"score_phone_estimate(): {int(both['estimate'].isna().sum())} antenna cells "
            "have no estimate; give every antenna cell of the city a value (zero is a value)."
        )
    error = (both["estimate"] - both["census_2021"]).abs().sum() / both["census_2021"].sum()
    return pd.Series(
        {
            "antenna_cells": len(both),
            "total_estimated": both["estimate"].sum(),
            "total_census_2021": both["census_2021"].sum(),
            "rank_correlation": both["estimate"].corr(both["census_2021"], method="spearman"),
            "weighted_abs_error_pct": 100 * error,
        }
    ).round(3)


def score_against_official(estimates: pd.DataFrame, *, official: pd.DataFrame) -> pd.Series:
    """Score estimated immigration against official flows on the rows both have.

    Parameters
    ----------
    estimates : pandas.DataFrame
        Columns ``year``, ``destination_iso3``, ``citizenship_iso3`` and ``estimate``
        (immigrants, persons), at most one row per key.
    official : pandas.DataFrame
        The held-out official flows in the layout of ``load_eu_immigration_flows()``
        (the same keys and ``immigrants``), without missing values, one row per key.

    Returns
    -------
    pandas.Series
        ``rows_scored`` (rows with both an estimate and an official figure),
        ``rank_correlation`` (Spearman) and ``median_ratio_estimate_to_official``, rounded
        to 3 decimals.

    Raises
    ------
    KeyError
        If a column is missing.
    pandas.errors.MergeError
        If a key appears twice in either table.
    ValueError
        If no estimate matches an official row.

    Examples
    --------
    >>> official = pd.DataFrame({"year": [2019, 2019], "destination_iso3": ["DEU", "DEU"],
    ...                          "citizenship_iso3": ["SYR", "TUR"], "immigrants": [100, 50]})
    >>> est = official.rename(columns={"immigrants": "estimate"}).assign(estimate=[200, 50])
    >>> score_against_official(est, official=official).to_dict()
    {'rows_scored': 2.0, 'rank_correlation': 1.0, 'median_ratio_estimate_to_official': 1.5}
    """
    keys = ["year", "destination_iso3", "citizenship_iso3"]
    require_columns(
        estimates,
        [*keys, "estimate"],
        table_name="the estimates table",
        fix="Name the estimated immigrants 'estimate' and keep the keys of the official table.",
        caller="score_against_official()",
    )
    require_columns(
        official,
        [*keys, "immigrants"],
        table_name="the official flows",
        fix="Pass the held-out rows of load_eu_immigration_flows().",
        caller="score_against_official()",
    )
    both = estimates.merge(official, on=keys, how="inner", validate="one_to_one")
    if both.empty:
        raise ValueError(
            "score_against_official(): no estimate matches a held-out official row: check "
            "the years (those held out) and that codes are ISO3."
        )
    return pd.Series(
        {
            "rows_scored": len(both),
            "rank_correlation": both["estimate"].corr(both["immigrants"], method="spearman"),
            "median_ratio_estimate_to_official": (both["estimate"] / both["immigrants"]).median(),
        }
    ).round(3)


def score_nowcast(estimates: pd.DataFrame, reference: pd.DataFrame, value: str) -> pd.Series:
    """Score nowcast stocks, and their intervals if given, against a reference.

    Every corridor of the reference must have an estimate. The errors are absolute
    percentage errors ``|estimate - reference| / reference`` (the MAPE of Zagheni, Weber &
    Gummadi 2017); an interval covers a corridor when ``lower <= reference <= upper``.

    Parameters
    ----------
    estimates : pandas.DataFrame
        Columns ``destination_iso3``, ``origin_iso3`` (and ``year`` when the reference has
        it), ``estimate`` (persons) and, optionally, ``lower`` and ``upper`` (the bounds of
        an interval, persons), one row per corridor.
    reference : pandas.DataFrame
        Columns ``destination_iso3``, ``origin_iso3`` (and optionally ``year``) and
        ``value``, one row per corridor; values must be positive.
    value : str
        Column of the reference stock, e.g. ``"migrant_stock"`` or ``"stock"``.

    Returns
    -------
    pandas.Series
        ``corridors``, ``MAPE_pct`` and ``median_APE_pct`` (percent); with bounds also
        ``coverage_pct`` (share of reference values inside their interval) and
        ``median_width_pct`` (median of ``(upper - lower) / estimate``, percent), rounded
        to 1 decimal.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If a reference corridor has no estimate or a reference value is not positive.
    pandas.errors.MergeError
        If a corridor appears twice in either table.

    Examples
    --------
    >>> ref = pd.DataFrame({"destination_iso3": ["DEU", "DEU"], "origin_iso3": ["SYR", "TUR"],
    ...                     "migrant_stock": [100.0, 200.0]})
    >>> est = ref.rename(columns={"migrant_stock": "estimate"}).assign(estimate=[110.0, 180.0])
    >>> score_nowcast(est, ref, "migrant_stock").to_dict()
    {'corridors': 2.0, 'MAPE_pct': 10.0, 'median_APE_pct': 10.0}

    This function is long for its documentation, not its code (about 40
    lines); the steps are named helpers or short, commented blocks.
    """
    keys = ["destination_iso3", "origin_iso3"] + (["year"] if "year" in reference else [])
    require_columns(
        reference,
        [*keys, value],
        table_name="the reference table",
        fix="Pass value= with the name of its stock column.",
        caller="score_nowcast()",
    )
    require_values(
        reference,
        [value],
        table_name="the reference table",
        strict=True,
        what="reference stocks (a percentage error is taken)",
        fix="Score only corridors with a positive reference stock.",
        caller="score_nowcast()",
    )
    require_columns(
        estimates,
        [*keys, "estimate"],
        table_name="the estimates table",
        fix="Name the nowcast column 'estimate' and keep the corridor columns of the reference.",
        caller="score_nowcast()",
    )
    both = reference.merge(estimates, on=keys, how="left", validate="one_to_one")
    if both["estimate"].isna().any():
        raise ValueError(
            f"score_nowcast(): {int(both['estimate'].isna().sum())} reference corridors have "
            "no estimate: estimate every corridor, or say why not in your brief."
        )
    ape = (both["estimate"] - both[value]).abs() / both[value]
    result = {
        "corridors": len(both),
        "MAPE_pct": 100 * ape.mean(),
        "median_APE_pct": 100 * ape.median(),
    }
    if {"lower", "upper"} <= set(both.columns):
        inside = (both["lower"] <= both[value]) & (both[value] <= both["upper"])
        result["coverage_pct"] = 100 * inside.mean()
        result["median_width_pct"] = (
            100 * ((both["upper"] - both["lower"]) / both["estimate"]).median()
        )
    return pd.Series(result).round(1)


def score_nowcast_by_year(
    nowcasts: pd.DataFrame, truth: pd.DataFrame, value: str, years
) -> pd.DataFrame:
    """:func:`score_nowcast` year by year: one column of scores per year.

    Parameters
    ----------
    nowcasts : pandas.DataFrame
        Columns ``destination_iso3``, ``origin_iso3``, ``year``, ``estimate`` and,
        optionally, ``lower`` and ``upper``.
    truth : pandas.DataFrame
        Columns ``destination_iso3``, ``origin_iso3``, ``year`` and ``value``: the corridors
        to score, every one of which needs a nowcast in its year.
    value : str
        Column of the true stock, e.g. ``"stock"``.
    years : iterable of int
        The years to score, in the order of the columns.

    Returns
    -------
    pandas.DataFrame
        The scores of :func:`score_nowcast` (rows) for each year (columns).

    Raises
    ------
    KeyError
        If ``year`` is missing from either table.
    ValueError
        If a year has no true stocks to score against, or as :func:`score_nowcast`.
    """
    for name, table in (("the nowcasts", nowcasts), ("the true stocks", truth)):
        require_columns(
            table,
            ["year"],
            table_name=name,
            fix="Give each row the year of its stock.",
            caller="score_nowcast_by_year()",
        )
    years = [int(y) for y in years]
    empty = [y for y in years if not np.any(truth["year"] == y)]
    if empty:
        raise ValueError(
            f"score_nowcast_by_year(): no true stocks for {empty}; score only years the "
            "truth covers."
        )
    return pd.DataFrame(
        {
            year: score_nowcast(
                nowcasts[nowcasts["year"] == year],
                truth[truth["year"] == year].drop(columns="year"),
                value,
            )
            for year in years
        }
    )
