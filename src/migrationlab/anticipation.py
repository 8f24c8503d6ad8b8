"""Anticipation: a nowcast of migrant stocks with checked intervals, and scenario projections.

Official stocks arrive years late; advertising-platform audiences arrive every six months.
This module turns the two into a nowcast of the latest year's stocks by corridor, with an
interval whose coverage can be checked, and projects a destination's migrant population
under stated flow scenarios (chapter 5, Lab 5c).

The nowcast (:func:`corridor_changes`, :func:`platform_jumps`, :func:`nowcast_stocks`)
carries each corridor's last official stock forward with the change of its audience, the
ratio method of survey nowcasting: the corridor's persistent penetration cancels out of
the ratio, which is why it beats a calibration of levels by far. How much the audience
change tells about the stock change is learnt in a back-test on official data alone (the
change between the two latest official years against the audience change over the same
period); its residuals, resampled with the corridors (a bootstrap, so that the slope's
uncertainty is carried too), give the interval. :func:`interval_coverage` checks the
intervals against a reference, for instance the synthetic world's truth.

The projection (:func:`flow_scenarios`, :func:`project_stock`) is stock-flow accounting,
year by year::

    stock[t + 1] = stock[t] + inflow[t] - emigration[t] - deaths[t] - naturalisations[t]

with the outflows proportional to the stock at the start of the year. Every rate is a
parameter, so that each scenario's assumptions are stated where it is computed.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import statsmodels.api as sm

from migrationlab.checks import require_columns, require_values

__all__ = [
    "corridor_changes",
    "platform_jumps",
    "nowcast_stocks",
    "interval_coverage",
    "flow_scenarios",
    "project_stock",
]

PAIR = ["destination_iso3", "origin_iso3"]
#: The columns :func:`nowcast_stocks` needs, all in persons.
NOWCAST_COLUMNS = [
    "stock_before",
    "stock_base",
    "audience_before",
    "audience_base",
    "audience_now",
]


# --------------------------------------------------------------------------------------
# The nowcast
# --------------------------------------------------------------------------------------


def _audience_by_corridor(audience: pd.DataFrame, caller: str) -> tuple[pd.DataFrame, pd.Series]:
    """Summed audience midpoints by date and corridor (wide), and each corridor's floor share."""
    require_columns(
        audience,
        ["date", *PAIR, "audience_lower", "audience_upper"],
        table_name="the audience table",
        fix="Pass the table of load_social_media_audience(), unchanged.",
        caller=caller,
    )
    require_values(
        audience,
        ["audience_lower", "audience_upper"],
        table_name="the audience table",
        what="audience bounds (persons)",
        fix="Pass the table of load_social_media_audience(), unchanged.",
        caller=caller,
    )
    mid = (audience["audience_lower"] + audience["audience_upper"]) / 2
    cells = audience[["date", *PAIR]].assign(
        audience=mid, floored=mid * (audience["audience_lower"] <= 1000)
    )
    sums = cells.groupby(["date", *PAIR])[["audience", "floored"]].sum()
    wide = sums["audience"].unstack("date")
    floor_share = (sums["floored"] / sums["audience"]).groupby(PAIR).max()
    return wide, floor_share


def corridor_changes(
    audience: pd.DataFrame,
    official: pd.DataFrame,
    *,
    before_year: int = 2015,
    base_year: int = 2020,
    now_date: str = "2023-01-01",
) -> pd.DataFrame:
    """One row per corridor: two official stocks and the audiences of three dates.

    The audience of 1 January of year ``y + 1`` goes with the official stock of the end of
    year ``y`` (both describe the same moment). The table also says, for each corridor,
    whether its official figure can anchor a nowcast of foreign-born stocks.

    Parameters
    ----------
    audience : pandas.DataFrame
        ``load_social_media_audience()``: bounds by date, corridor, age group and sex.
    official : pandas.DataFrame
        ``load_migrant_stocks()``: official stocks with ``year``, ``migrant_stock`` and
        ``basis``; rows without an origin are the part of a stock not split by origin.
    before_year, base_year : int
        The two latest official years (the back-test runs from the first to the second).
    now_date : str
        Date of the latest audience, the moment nowcast (``"2023-01-01"``: end of 2022).

    Returns
    -------
    pandas.DataFrame
        ``destination_iso3, origin_iso3, stock_before, stock_base`` (official, persons),
        ``audience_before, audience_base, audience_now`` (midpoints summed over age and
        sex, persons), ``floor_share`` (the largest share, over the three dates, of the
        corridor's audience in cells at the reporting floor of 1,000), ``basis`` and
        ``split_by_origin`` (False where the destination left part of its stock without an
        origin in ``base_year``).
    """
    caller = "corridor_changes()"
    wide, floor_share = _audience_by_corridor(audience, caller)
    require_columns(
        official,
        ["year", *PAIR, "migrant_stock", "basis"],
        table_name="the official stocks table",
        fix="Pass the table of load_migrant_stocks(), unchanged.",
        caller=caller,
    )
    dates = {
        "audience_before": pd.Timestamp(f"{before_year + 1}-01-01"),
        "audience_base": pd.Timestamp(f"{base_year + 1}-01-01"),
        "audience_now": pd.Timestamp(now_date),
    }
    absent = [f"{d:%Y-%m-%d}" for d in dates.values() if d not in wide.columns]
    if absent:
        raise ValueError(
            f"{caller}: the audience table has no column 'date' value {', '.join(absent)} "
            f"(it covers {min(wide.columns):%Y-%m-%d} to {max(wide.columns):%Y-%m-%d}). "
            "Choose official years whose following 1 January the audience covers."
        )
    table = pd.DataFrame({name: wide[d] for name, d in dates.items()})
    table["floor_share"] = floor_share.reindex(table.index)
    year_rows = official[official["year"].isin([before_year, base_year])]
    split = year_rows[year_rows["origin_iso3"].notna()]
    stocks = split.pivot_table(index=PAIR, columns="year", values="migrant_stock", aggfunc="sum")
    missing_years = {before_year, base_year} - set(stocks.columns)
    if missing_years:
        raise ValueError(
            f"{caller}: the official stocks table has no column 'year' value "
            f"{sorted(missing_years)}; pass before_year= and base_year= among its years."
        )
    stocks = stocks.rename(columns={before_year: "stock_before", base_year: "stock_base"})
    table = table.join(stocks[["stock_before", "stock_base"]], how="inner").reset_index()
    base_rows = official[official["year"] == base_year]
    basis = base_rows.groupby("destination_iso3")["basis"].first()
    unsplit = set(base_rows.loc[base_rows["origin_iso3"].isna(), "destination_iso3"])
    table["basis"] = table["destination_iso3"].map(basis)
    table["split_by_origin"] = ~table["destination_iso3"].isin(unsplit)
    columns = [*PAIR, *NOWCAST_COLUMNS[:2], *NOWCAST_COLUMNS[2:], "floor_share"]
    return table[[*columns, "basis", "split_by_origin"]]


def platform_jumps(audience: pd.DataFrame, threshold: float = 0.03) -> pd.Series:
    """The platform's method changes: dates where all corridors' audiences jump together.

    For the corridors with no cell at the reporting floor, the median log change of the
    audience from one date to the next is compared with the median of the (up to four)
    changes around it, itself left out: migrant stocks change smoothly, so a change that
    stands out by more than ``threshold`` is read as the platform's, as in Lab 2.

    Returns
    -------
    pandas.Series
        The log jump at each flagged date (``exp(jump)`` is the factor by which the
        platform's count changed), indexed by date; empty when nothing is flagged.
    """
    if not threshold > 0:
        raise ValueError(f"platform_jumps(): threshold={threshold!r}; use a positive log change.")
    wide, floor_share = _audience_by_corridor(audience, "platform_jumps()")
    clean = wide[floor_share.reindex(wide.index) == 0]
    change = np.log(clean).diff(axis=1).median().dropna()
    values = change.to_numpy()
    # Each change against the median of the (up to) four around it, itself left out, so
    # that a jump does not pull its own reference towards it.
    around = [
        np.median(np.delete(values[max(i - 2, 0) : i + 3], min(i, 2))) for i in range(len(values))
    ]
    jump = change - np.asarray(around)
    return jump[jump.abs() > threshold].rename("log_jump")


def _slope_and_residuals(y: np.ndarray, x: np.ndarray) -> tuple[float, np.ndarray]:
    """OLS of the centred stock change on the centred audience change (statsmodels)."""
    yc, xc = y - np.median(y), x - np.median(x)
    fit = sm.OLS(yc, sm.add_constant(xc, has_constant="add")).fit()
    return float(fit.params[1]), np.asarray(fit.resid)


def nowcast_stocks(
    table: pd.DataFrame,
    *,
    platform_change: float = 0.0,
    level: float = 0.90,
    official_error_sd: float = 0.0,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Nowcast each corridor's stock at the latest audience date, with an interval.

    The model, on logs, for corridor ``c``::

        log stock_now[c] = log stock_base[c] + g + b * (x[c] - median(x)) + e[c]

    where ``x`` is the log change of the audience from the base date to now and ``g`` the
    common change of all corridors, ``median(x) - platform_change`` (the audience's median
    change once the platform's own method changes are taken out, e.g. the sum of
    :func:`platform_jumps` between the two dates). The slope ``b`` and the spread of
    ``e`` come from the back-test, on official figures only: the change of the official
    stock from the earlier year to the base year against the audience change over the
    same period, both centred on their medians. The interval resamples the back-test's
    corridors ``n_boot`` times (refitting ``b``) and adds a resampled residual: it carries
    both the uncertainty of the slope and the scatter of the corridors. The function is
    long because it checks every input at the boundary before the fit and the bootstrap.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`corridor_changes` (or any table with its five stock and audience
        columns, positive, in persons), already filtered to the corridors to nowcast.
    platform_change : float
        The platform's own log change between the base date and now (0: none).
    level : float
        Nominal coverage of the interval (0.90: from the 5th to the 95th percentile).
    official_error_sd : float
        Log error of one official figure, as its producer documents it (0: unknown). The
        back-test's target, a change between two official figures, carries that error
        twice; a nowcast compared with the true stock carries it once (in its base). The
        residuals are shrunk by that one variance, never below zero.
    n_boot : int
        Bootstrap replicates (at least 100).
    seed : int
        Seed of the bootstrap.

    Returns
    -------
    pandas.DataFrame
        The input's corridor columns, with ``estimate``, ``lower`` and ``upper`` (persons),
        and the fitted ``slope`` and common log change ``common_change`` as columns of
        equal value (so that a reader sees what the nowcast assumed).
    """
    caller = "nowcast_stocks()"
    require_columns(
        table,
        NOWCAST_COLUMNS,
        table_name="the corridor table",
        fix="Build it with corridor_changes(audience, official).",
        caller=caller,
    )
    require_values(
        table,
        NOWCAST_COLUMNS,
        table_name="the corridor table",
        what="stocks and audiences (logs are taken)",
        strict=True,
        fix="Keep corridors with positive official stocks and audiences (e.g. "
        "table[table['stock_before'] > 0]) and drop rows with missing values.",
        caller=caller,
    )
    if not 0 < level < 1:
        raise ValueError(f"{caller}: level={level!r}; use a share between 0 and 1, e.g. 0.9.")
    if len(table) < 10:
        raise ValueError(
            f"{caller}: the corridor table has {len(table)} rows; the back-test needs at "
            "least 10 corridors. Loosen the filters (a lower size threshold, more destinations)."
        )
    if int(n_boot) != n_boot or n_boot < 100:
        raise ValueError(f"{caller}: n_boot={n_boot!r}; use an integer of at least 100.")
    if official_error_sd < 0:
        raise ValueError(f"{caller}: official_error_sd={official_error_sd!r}; use 0 or more.")

    y = np.log(table["stock_base"].to_numpy(float) / table["stock_before"].to_numpy(float))
    x = np.log(table["audience_base"].to_numpy(float) / table["audience_before"].to_numpy(float))
    x_now = np.log(table["audience_now"].to_numpy(float) / table["audience_base"].to_numpy(float))
    log_base = np.log(table["stock_base"].to_numpy(float))

    def shrink(resid: np.ndarray) -> np.ndarray:
        share = 1.0 - official_error_sd**2 / max(float(np.var(resid)), 1e-12)
        return resid * np.sqrt(max(share, 0.0))

    slope, _ = _slope_and_residuals(y, x)
    common = float(np.median(x_now)) - platform_change
    estimate = log_base + common + slope * (x_now - np.median(x_now))

    rng = np.random.default_rng(seed)
    n = len(table)
    draws = np.empty((int(n_boot), n))
    for b in range(int(n_boot)):
        rows = rng.integers(0, n, n)
        b_slope, b_resid = _slope_and_residuals(y[rows], x[rows])
        b_common = float(np.median(x_now[rows])) - platform_change
        noise = rng.choice(shrink(b_resid), size=n, replace=True)
        draws[b] = log_base + b_common + b_slope * (x_now - np.median(x_now[rows])) + noise
    tail = (1.0 - level) / 2
    lower, upper = np.quantile(draws, [tail, 1.0 - tail], axis=0)
    keep = [c for c in table.columns if c not in ("estimate", "lower", "upper")]
    return table[keep].assign(
        estimate=np.exp(estimate),
        lower=np.exp(lower),
        upper=np.exp(upper),
        slope=slope,
        common_change=common,
    )


def interval_coverage(
    nowcast: pd.DataFrame,
    reference: pd.DataFrame,
    *,
    value: str = "stock",
    on: tuple[str, ...] = ("destination_iso3", "origin_iso3"),
) -> pd.Series:
    """The share of reference values inside the nowcast's intervals, and where the rest fall.

    Parameters
    ----------
    nowcast : pandas.DataFrame
        With the key columns ``on`` and ``lower``, ``upper`` (persons).
    reference : pandas.DataFrame
        With ``on`` and ``value``: the values the intervals should cover (for instance the
        synthetic world's true stocks of the nowcast year). Rows are matched on ``on``;
        nowcast rows without a reference are left out, and counted.

    Returns
    -------
    pandas.Series
        ``n`` (intervals checked), ``coverage`` (share with lower <= value <= upper),
        ``below`` and ``above`` (shares of values under and over the interval),
        ``unmatched`` (nowcast rows without a reference).

    The function is long because both tables are checked, with messages that name them.

    Examples
    --------
    >>> now = pd.DataFrame({"k": [1, 2], "lower": [0, 0], "upper": [10, 10]})
    >>> ref = pd.DataFrame({"k": [1, 2], "stock": [5, 20]})
    >>> interval_coverage(now, ref, on=("k",))["coverage"]
    0.5
    """
    keys = list(on)
    caller = "interval_coverage()"
    require_columns(
        nowcast,
        [*keys, "lower", "upper"],
        table_name="the nowcast table",
        fix="Pass the table of nowcast_stocks(), or name its key columns with on=.",
        caller=caller,
    )
    require_columns(
        reference,
        [*keys, value],
        table_name="the reference table",
        fix="Pass value= with the column to cover (e.g. 'stock') and on= with the keys.",
        caller=caller,
    )
    require_values(
        nowcast,
        ["lower", "upper"],
        table_name="the nowcast table",
        minimum=None,
        what="interval bounds",
        fix="Drop the rows without an interval first.",
        caller=caller,
    )
    if (nowcast["lower"] > nowcast["upper"]).any():
        raise ValueError(
            f"{caller}: in the nowcast table, column 'lower' exceeds column 'upper' in "
            f"{int((nowcast['lower'] > nowcast['upper']).sum())} row(s); swap them or recompute."
        )
    if reference.duplicated(keys).any():
        raise ValueError(
            f"{caller}: the reference table has several rows per {', '.join(keys)}; select "
            "one year (or sum the rows) before checking."
        )
    merged = nowcast[[*keys, "lower", "upper"]].merge(
        reference[[*keys, value]], on=keys, how="left"
    )
    matched = merged.dropna(subset=[value])
    if matched.empty:
        raise ValueError(
            f"{caller}: no row of the nowcast table matches the reference table on "
            f"{', '.join(keys)}; check that both hold the same corridors and year."
        )
    truth = matched[value].to_numpy(float)
    below = truth < matched["lower"].to_numpy(float)
    above = truth > matched["upper"].to_numpy(float)
    return pd.Series(
        {
            "n": len(matched),
            "coverage": float(np.mean(~below & ~above)),
            "below": float(np.mean(below)),
            "above": float(np.mean(above)),
            "unmatched": len(merged) - len(matched),
        }
    )


# --------------------------------------------------------------------------------------
# Scenario projection: stock-flow accounting
# --------------------------------------------------------------------------------------


def flow_scenarios(
    recent_inflow: float,
    *,
    first_year: int,
    years: int = 10,
    multipliers: Mapping[str, float] | None = None,
    ramp_years: int = 3,
) -> pd.DataFrame:
    """Yearly inflows under scenarios that scale the recent inflow, reached over a ramp.

    Each scenario moves the inflow from ``recent_inflow`` to ``multiplier * recent_inflow``
    in equal steps over ``ramp_years`` years and keeps it there.

    Parameters
    ----------
    recent_inflow : float
        Immigrants a year now (persons), e.g. the mean of the latest official years.
    first_year : int
        First projected year.
    years : int
        Number of projected years.
    multipliers : mapping of str to float, optional
        Scenario name to its final inflow relative to now. Default: continuation 1.0,
        surge 2.0, fall 0.5.
    ramp_years : int
        Years over which the inflow reaches its new level (1: at once).

    Returns
    -------
    pandas.DataFrame
        ``scenario, year, inflow`` (persons), one row per scenario and year.
    """
    if not (np.isfinite(recent_inflow) and recent_inflow >= 0):
        raise ValueError(
            f"flow_scenarios(): recent_inflow={recent_inflow!r}; pass a number of "
            "immigrants a year, 0 or more (e.g. the mean of the latest official years)."
        )
    if int(years) != years or years < 1 or int(ramp_years) != ramp_years or ramp_years < 1:
        raise ValueError(
            f"flow_scenarios(): years={years!r}, ramp_years={ramp_years!r}; use whole "
            "numbers of 1 or more."
        )
    multipliers = dict(multipliers or {"continuation": 1.0, "surge": 2.0, "fall": 0.5})
    bad = {k: v for k, v in multipliers.items() if not v >= 0}
    if bad:
        raise ValueError(f"flow_scenarios(): multipliers {bad} are negative; use 0 or more.")
    step = np.minimum(np.arange(1, int(years) + 1) / int(ramp_years), 1.0)
    rows = [
        pd.DataFrame(
            {
                "scenario": name,
                "year": np.arange(first_year, first_year + int(years)),
                "inflow": recent_inflow * (1.0 + (m - 1.0) * step),
            }
        )
        for name, m in multipliers.items()
    ]
    return pd.concat(rows, ignore_index=True)


def project_stock(
    base_stock: float,
    inflows: pd.DataFrame,
    *,
    emigration_rate: float,
    mortality_rate: float,
    naturalisation_rate: float = 0.0,
) -> pd.DataFrame:
    """Project a migrant stock year by year by stock-flow accounting, scenario by scenario.

    For each year ``t`` of a scenario, starting from ``base_stock``::

        emigration = emigration_rate * stock_start        (returns and onward moves)
        deaths = mortality_rate * stock_start
        naturalisations = naturalisation_rate * stock_start
        stock_end = stock_start + inflow - emigration - deaths - naturalisations

    and ``stock_end`` is the next year's ``stock_start``. Outflows apply to the stock at
    the start of the year: the year's arrivals do not leave or die in their first year, a
    simplification of a cohort-component model that has ages and durations of stay.
    Naturalisation removes people only from a count of foreign *citizens*; for a count of
    the foreign-born leave it at 0.
    The function is long because its inputs (table, stock and three rates) are checked
    before the accounting, which is a short loop.

    Parameters
    ----------
    base_stock : float
        Migrant stock at the end of the year before the first projected year (persons).
    inflows : pandas.DataFrame
        ``scenario, year, inflow`` (persons a year), e.g. from :func:`flow_scenarios`.
    emigration_rate, mortality_rate, naturalisation_rate : float
        Shares of the stock leaving each year, between 0 and 1.

    Returns
    -------
    pandas.DataFrame
        ``scenario, year, stock_start, inflow, emigration, deaths, naturalisations,
        stock_end`` in persons, one row per scenario and year, years in order.
    """
    caller = "project_stock()"
    require_columns(
        inflows,
        ["scenario", "year", "inflow"],
        table_name="the inflow table",
        fix="Build it with flow_scenarios(), or name its columns scenario, year and inflow.",
        caller=caller,
    )
    require_values(
        inflows,
        ["year", "inflow"],
        table_name="the inflow table",
        what="years and inflows (persons a year)",
        fix="Fill or drop the missing inflows; an inflow cannot be negative.",
        caller=caller,
    )
    if not (np.isfinite(base_stock) and base_stock >= 0):
        raise ValueError(
            f"{caller}: base_stock={base_stock!r}; pass a number of persons, 0 or more."
        )
    rates = {
        "emigration_rate": emigration_rate,
        "mortality_rate": mortality_rate,
        "naturalisation_rate": naturalisation_rate,
    }
    bad = {k: v for k, v in rates.items() if not 0 <= v < 1}
    if bad or sum(rates.values()) >= 1:
        raise ValueError(
            f"{caller}: rates {bad or rates} are not shares of the stock a year; each must "
            "be between 0 and 1 (e.g. 0.02 for 2 %), and together below 1."
        )
    if inflows.duplicated(["scenario", "year"]).any():
        raise ValueError(
            f"{caller}: the inflow table has several rows for one scenario and year "
            "(columns 'scenario', 'year'); keep one inflow per year."
        )
    out = []
    for name, group in inflows.groupby("scenario", sort=False):
        group = group.sort_values("year")
        stock = float(base_stock)
        for year, inflow in zip(group["year"], group["inflow"], strict=True):
            row = {
                "scenario": name,
                "year": int(year),
                "stock_start": stock,
                "inflow": float(inflow),
                "emigration": emigration_rate * stock,
                "deaths": mortality_rate * stock,
                "naturalisations": naturalisation_rate * stock,
            }
            stock = (
                stock + row["inflow"] - row["emigration"] - row["deaths"] - row["naturalisations"]
            )
            row["stock_end"] = stock
            out.append(row)
    return pd.DataFrame(out)
