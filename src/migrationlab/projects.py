"""Scores of the week-two project notebooks: one function per track, the same for every team.

Each project starter notebook (``notebooks/project_*.ipynb``) holds back part of the data
(a census, official years, destinations) and scores a team's estimates against it. The
scores live here, tested, rather than in the notebooks; a notebook binds its held-out
table to a score (``functools.partial``), so that teams call it with their estimates
only.

- :func:`score_phone_estimate` (track 2, cities): residents per antenna cell estimated
  from phone records, against a held-out census;
- :func:`score_against_official` (track 3, mobility): immigration estimated from air
  passengers, against held-out official flows; :func:`score_event_flags` (track 3): the
  corridors a team flagged, against every planted event of the sealed answer key (hits,
  misses, false alarms, travel mistaken for migration);
- :func:`score_nowcast` and :func:`score_nowcast_by_year` (track 1, nowcasting): stocks
  nowcast from platform audiences, against official or true stocks, with the coverage of
  their intervals.
- :func:`skills_survey` and :func:`score_education_estimate` (track 4, skills): a
  survey-like sample of adult migrants by education, the reference that the network's
  selection is corrected against; and the score of adult migrants estimated by corridor
  and education, against the survey or the true counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from migrationlab.checks import require_columns, require_values

__all__ = [
    "score_phone_estimate",
    "score_against_official",
    "score_event_flags",
    "score_nowcast",
    "score_nowcast_by_year",
    "skills_survey",
    "score_education_estimate",
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


def score_event_flags(flags: pd.DataFrame, *, events: list[dict]) -> pd.DataFrame:
    """Score a team's flagged corridors against every planted event of the answer key.

    A flag is a corridor as its reporter publishes it (``reporting_iso3``, the EU member
    state, and ``partner_iso3``) with the month of the alarm. A migration surge
    (``kind`` ``"corridor_surge"``, from ``origin_iso3`` into ``destination_iso3``) is
    *hit* by the first flag on its corridor from January of its ``start_year`` on. A
    flag on the corridor of a travel-only event (``"visitor_event"``) from its first month
    to a year later *mistakes travel for migration*. Every other flag, including flags on
    a surge's corridor before it started, is a *false alarm*.

    Parameters
    ----------
    flags : pandas.DataFrame
        Columns ``reporting_iso3``, ``partner_iso3`` and ``alarm_month`` (anything
        ``pandas.Period(..., "M")`` reads, e.g. ``"2018-03"``), one row per alarm.
    events : list of dict
        The planted events, ``load_events()`` (day 9: ``reveal_ground_truth()["events"]``).

    Returns
    -------
    pandas.DataFrame
        One row per planted event, then one per false alarm: ``kind``
        (``corridor_surge``, ``visitor_event`` or ``false_alarm``), ``reporting_iso3``,
        ``partner_iso3``, ``start`` (the event's first month, empty for a false alarm),
        ``first_alarm`` (empty if not flagged), ``months_to_alarm`` and ``outcome``
        (``hit``, ``miss``, ``travel_flagged_as_migration``, ``travel_not_flagged`` or
        ``false_alarm``). ``result["outcome"].value_counts()`` sums it up.

    Raises
    ------
    KeyError
        If a column is missing from ``flags``.
    ValueError
        If an alarm month cannot be read, or ``events`` holds no event.

    Examples
    --------
    >>> events = [{"kind": "corridor_surge", "origin_iso3": "MAR",
    ...            "destination_iso3": "ITA", "start_year": 2017}]
    >>> flags = pd.DataFrame({"reporting_iso3": ["ITA", "DEU"], "partner_iso3": ["MAR", "TUR"],
    ...                       "alarm_month": ["2017-09", "2018-01"]})
    >>> score_event_flags(flags, events=events)["outcome"].tolist()
    ['hit', 'false_alarm']

    This function is long for its documentation and its one table of outcomes (about
    70 lines of code): each event is matched in one pass, then the flags left over.
    """
    require_columns(
        flags,
        ["reporting_iso3", "partner_iso3", "alarm_month"],
        table_name="the flags table",
        fix="Give one row per alarm: the reporter (EU member state), the partner and the "
        "month of the alarm, e.g. '2018-03'.",
        caller="score_event_flags()",
    )
    if not events:
        raise ValueError(
            "score_event_flags(): no planted events given: pass load_events() (day 9)."
        )
    try:
        months = pd.PeriodIndex([pd.Period(m, "M") for m in flags["alarm_month"]], freq="M")
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"score_event_flags(): the flags table's alarm_month cannot be read as months "
            f"({error}); write months as 'YYYY-MM'."
        ) from None
    alarms = flags[["reporting_iso3", "partner_iso3"]].assign(month=months)
    used = np.zeros(len(alarms), dtype=bool)
    rows = []
    for event in events:
        start = pd.Period(f"{event['start_year']}-{event.get('start_month', 1):02d}", "M")
        corridor = (alarms["reporting_iso3"] == event["destination_iso3"]).to_numpy() & (
            alarms["partner_iso3"] == event["origin_iso3"]
        ).to_numpy()
        travel = event["kind"] != "corridor_surge"
        late_enough = (alarms["month"] >= start).to_numpy()
        if travel:
            late_enough &= (alarms["month"] <= start + 12).to_numpy()
        matched = corridor & late_enough
        used |= matched
        first = alarms.loc[matched, "month"].min() if matched.any() else None
        if travel:
            outcome = "travel_flagged_as_migration" if first is not None else "travel_not_flagged"
        else:
            outcome = "hit" if first is not None else "miss"
        rows.append(
            {
                "kind": event["kind"],
                "reporting_iso3": event["destination_iso3"],
                "partner_iso3": event["origin_iso3"],
                "start": str(start),
                "first_alarm": None if first is None else str(first),
                "months_to_alarm": None if first is None else (first - start).n,
                "outcome": outcome,
            }
        )
    for _, alarm in alarms[~used].iterrows():
        rows.append(
            {
                "kind": "false_alarm",
                "reporting_iso3": alarm["reporting_iso3"],
                "partner_iso3": alarm["partner_iso3"],
                "start": None,
                "first_alarm": str(alarm["month"]),
                "months_to_alarm": None,
                "outcome": "false_alarm",
            }
        )
    result = pd.DataFrame(rows)
    result["months_to_alarm"] = result["months_to_alarm"].astype("Int64")
    return result


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


def skills_survey(
    truth: pd.DataFrame,
    destinations,
    *,
    sampling_fraction: float = 0.005,
    seed: int = 2026,
) -> pd.DataFrame:
    """A survey-like sample of adult migrants by education, drawn from a table of counts.

    A stand-in for a labour-force survey that asks migrants their highest education: every
    adult migrant of the given destinations is a respondent with the same probability
    ``sampling_fraction`` (binomial draws per corridor and education level), and the
    survey's estimate of a cell is its respondents divided by that probability (the
    Horvitz-Thompson estimator of a simple random sample). Small corridors get few
    respondents, and so noisy estimates, as in a real survey.

    Parameters
    ----------
    truth : pandas.DataFrame
        Adult migrants by corridor and education, in the layout of
        ``load_true_education()``: ``destination_iso3``, ``origin_iso3``, ``education``
        and ``true_adult_stock`` (persons).
    destinations : iterable of str
        ISO3 codes of the destinations that have the survey.
    sampling_fraction : float
        Probability that an adult migrant is a respondent, in (0, 1].
    seed : int
        Seed of the draws (the same seed gives the same survey).

    Returns
    -------
    pandas.DataFrame
        ``destination_iso3``, ``origin_iso3``, ``education``, ``respondents`` (persons in
        the sample) and ``survey_estimate`` (adult migrants, persons), one row per cell of
        ``truth`` in those destinations.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If the fraction is outside (0, 1], or a destination has no row in ``truth``.

    Examples
    --------
    >>> truth = pd.DataFrame({"destination_iso3": ["DEU", "DEU"], "origin_iso3": ["SYR", "SYR"],
    ...                       "education": ["tertiary", "upper_secondary"],
    ...                       "true_adult_stock": [400, 600]})
    >>> skills_survey(truth, ["DEU"], sampling_fraction=1.0)["survey_estimate"].tolist()
    [400.0, 600.0]
    """
    keys = ["destination_iso3", "origin_iso3", "education"]
    require_columns(
        truth,
        [*keys, "true_adult_stock"],
        table_name="the table of adult migrants by education",
        fix="Pass load_true_education() or a table in its layout.",
        caller="skills_survey()",
    )
    if not 0.0 < float(sampling_fraction) <= 1.0:
        raise ValueError(
            f"skills_survey(): sampling_fraction={sampling_fraction!r}; pass a probability "
            "in (0, 1], e.g. 0.005 for one adult migrant in 200."
        )
    wanted = sorted({str(d) for d in destinations})
    unknown = sorted(set(wanted) - set(truth["destination_iso3"]))
    if unknown:
        raise ValueError(
            f"skills_survey(): no adult migrants for the destinations {unknown}; pass ISO3 "
            "codes of destinations of the table."
        )
    rows = truth[truth["destination_iso3"].isin(wanted)].sort_values(keys, ignore_index=True)
    rng = np.random.default_rng(seed)
    respondents = rng.binomial(rows["true_adult_stock"].to_numpy(dtype=np.int64), sampling_fraction)
    return rows[keys].assign(
        respondents=respondents, survey_estimate=respondents / float(sampling_fraction)
    )


def score_education_estimate(
    estimates: pd.DataFrame, reference: pd.DataFrame, value: str
) -> pd.Series:
    """Score adult migrants estimated by corridor and education against a reference.

    Two questions, two scores: *how many* (the weighted absolute percentage error of the
    counts, all levels, and of the tertiary-educated alone: absolute errors summed over
    the cells as a share of the reference's total, so that a corridor counts by its size
    and a zero in the reference is no division by zero) and *which mix* (the mean absolute
    error of the tertiary-educated share of each corridor, in percentage points). Every
    cell of the reference must have an estimate; with bounds, an interval covers a cell
    when ``lower <= reference <= upper``.

    Parameters
    ----------
    estimates : pandas.DataFrame
        ``destination_iso3``, ``origin_iso3``, ``education`` and ``estimate`` (adult
        migrants, persons, non-negative) and optionally ``lower`` and ``upper``, one row
        per cell.
    reference : pandas.DataFrame
        The same keys and ``value`` (persons, non-negative): a survey's estimates or the
        true counts.
    value : str
        Column of the reference, e.g. ``"survey_estimate"`` or ``"true_adult_stock"``.

    Returns
    -------
    pandas.Series
        ``cells`` and ``corridors`` scored, ``weighted_APE_pct``,
        ``tertiary_weighted_APE_pct`` and ``tertiary_share_MAE_pp`` (over the corridors
        whose reference total is positive); with bounds also ``coverage_pct`` (share of
        cells inside their interval); rounded to 1 decimal.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If a reference cell has no estimate, a value is negative or missing, or the
        reference has no tertiary-educated cell or no migrant at all.
    pandas.errors.MergeError
        If a cell appears twice in either table.

    Examples
    --------
    >>> ref = pd.DataFrame({"destination_iso3": "DEU", "origin_iso3": "SYR",
    ...                     "education": ["tertiary", "upper_secondary"],
    ...                     "true_adult_stock": [100.0, 300.0]})
    >>> est = ref.drop(columns="true_adult_stock").assign(estimate=[200.0, 200.0])
    >>> score = score_education_estimate(est, ref, "true_adult_stock")
    >>> score[["weighted_APE_pct", "tertiary_weighted_APE_pct", "tertiary_share_MAE_pp"]].tolist()
    [50.0, 100.0, 25.0]

    This function is long for its documentation, not its code (about 45 lines): two
    scores, each a few lines, after the checks of both tables.
    """
    keys = ["destination_iso3", "origin_iso3", "education"]
    for table, name, columns, fix in (
        (reference, "the reference table", [*keys, value], "Pass value= with the name of "
         "its column of adult migrants."),
        (estimates, "the estimates table", [*keys, "estimate"], "Name the estimated adult "
         "migrants 'estimate' and keep the corridor and education columns of the reference."),
    ):  # fmt: skip
        require_columns(
            table, columns, table_name=name, fix=fix, caller="score_education_estimate()"
        )
        require_values(
            table,
            columns[-1:],
            table_name=name,
            what="adult migrants (persons)",
            fix="Estimate every cell with a count of zero or more.",
            caller="score_education_estimate()",
        )
    both = reference[[*keys, value]].merge(estimates, on=keys, how="left", validate="one_to_one")
    if both["estimate"].isna().any():
        raise ValueError(
            f"score_education_estimate(): {int(both['estimate'].isna().sum())} reference cells "
            "have no estimate: estimate every corridor and education level (zero is an "
            "estimate)."
        )
    tertiary = both["education"] == "tertiary"
    if not tertiary.any() or both[value].sum() <= 0:
        raise ValueError(
            "score_education_estimate(): the reference has no tertiary-educated cell or no "
            "migrant at all; score against the survey or the true counts by education."
        )
    error = (both["estimate"] - both[value]).abs()
    totals = both.groupby(keys[:2])[[value, "estimate"]].sum()
    graduates = both[tertiary].set_index(keys[:2])[[value, "estimate"]]
    shares = graduates.div(totals).loc[totals[value] > 0]
    result = {
        "cells": len(both),
        "corridors": len(totals),
        "weighted_APE_pct": 100 * error.sum() / both[value].sum(),
        "tertiary_weighted_APE_pct": 100 * error[tertiary].sum() / both.loc[tertiary, value].sum(),
        "tertiary_share_MAE_pp": 100 * (shares["estimate"] - shares[value]).abs().mean(),
    }
    if {"lower", "upper"} <= set(both.columns):
        inside = (both["lower"] <= both[value]) & (both[value] <= both["upper"])
        result["coverage_pct"] = 100 * inside.mean()
    return pd.Series(result).round(1)
