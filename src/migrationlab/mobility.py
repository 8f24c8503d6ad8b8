"""Passenger-flow helpers for the mobility-migration nexus (chapter 5).

Air passenger statistics count trips, not migrants. Most trips are round trips (tourism,
business, visits to friends and relatives) that cancel over a year; what is left of
arrivals minus departures is a rough, early signal of net migration by air. This module
holds the plumbing of that argument, so that the chapter's notebooks can show the idea:

- :func:`monthly_series`: one reporter-partner pair of a Eurostat-style table as two
  monthly series (arrivals, departures) on a complete monthly calendar;
- :func:`flow_log_ratio` and :func:`cumulative_flow_log_ratio`: the imbalance indicators
  of Pollacci, Sirbu & Iacus (2023);
- :func:`stl_decompose`: trend, seasonal and remainder of a monthly series with
  statsmodels' STL (Cleveland et al. 1990), as in Gabrielli et al. (2019);
- :func:`first_exceedance` and :func:`months_between`: dating an event against a baseline
  and measuring how much earlier one source shows it than another;
- :func:`rolling_net_arrivals` and :func:`realtime_surge_scan`: a detector that works in
  real time, month by month, on what has been published by then
  (:data:`PASSENGER_PUBLICATION_LAG_MONTHS`), over every corridor of the table;
- :func:`passenger_network` and :func:`network_measures`: the country graph with networkx
  (degree, strength, betweenness);
- :func:`~migrationlab.geo.great_circle_km` (re-exported), :func:`intervening_population`,
  :func:`radiation_flows`, :func:`fit_gravity` and :func:`common_part_of_commuters`:
  gravity and radiation models of passenger flows over statsmodels' Poisson GLM.

References
----------
Pollacci, L., Sirbu, A. & Iacus, S. M. (2023). Air Traffic Data International Mobility
Indicators for the UK (dataset): flow log ratio FLR = log2(inflow / outflow) and its
cumulative version.
Gabrielli, L., Deutschmann, E., Natale, F., Recchi, E. & Vespe, M. (2019). Dissecting
global air traffic data to discern different types and trends of transnational human
mobility. EPJ Data Science 8, 26. https://doi.org/10.1140/epjds/s13688-019-0204-x
Simini, F., Gonzalez, M. C., Maritan, A. & Barabasi, A.-L. (2012). A universal model for
mobility and migration patterns. Nature 484, 96-100. https://doi.org/10.1038/nature10856
Barrat, A., Barthelemy, M., Pastor-Satorras, R. & Vespignani, A. (2004). The architecture
of complex weighted networks. PNAS 101, 3747-3752. https://doi.org/10.1073/pnas.0400087101
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
from statsmodels.tsa.seasonal import STL

from migrationlab.checks import require_columns, require_values
from migrationlab.geo import great_circle_km
from migrationlab.models import fit_ppml

__all__ = [
    "monthly_series",
    "flow_log_ratio",
    "cumulative_flow_log_ratio",
    "stl_decompose",
    "first_exceedance",
    "months_between",
    "PASSENGER_PUBLICATION_LAG_MONTHS",
    "rolling_net_arrivals",
    "realtime_surge_scan",
    "passenger_network",
    "network_measures",
    "great_circle_km",
    "intervening_population",
    "radiation_flows",
    "fit_gravity",
    "common_part_of_commuters",
]

#: Months between the end of a reference month and the day its passenger counts by partner
#: country are public. Our assumption, not a measured release calendar: the member states
#: send these counts to Eurostat some months after the reference period (Regulation (EC)
#: No 437/2003), and Eurostat checks them before it publishes ``avia_paocc`` and
#: ``avia_par_*``; we take six months. The real-time scan takes the lag as a parameter,
#: so its effect on an alarm can be measured.
PASSENGER_PUBLICATION_LAG_MONTHS = 6

_PASSENGER_COLUMNS = (
    "reporting_iso3",
    "partner_iso3",
    "year",
    "month",
    "direction",
    "passengers",
)


def _require_passenger_columns(passengers: pd.DataFrame, caller: str) -> None:
    """A clear error when ``passengers`` lacks a column of load_air_passengers()'s layout."""
    require_columns(
        passengers,
        _PASSENGER_COLUMNS,
        table_name="the passengers table",
        fix="Expected the layout of load_air_passengers() (reporting_iso3, partner_iso3, "
        "year, month, direction, passengers); rename your columns to these names first.",
        caller=caller,
    )


def monthly_series(
    passengers: pd.DataFrame, reporting_iso3: str, partner_iso3: str
) -> pd.DataFrame:
    """Monthly arrivals and departures of one reporter-partner pair.

    Parameters
    ----------
    passengers : DataFrame
        A table in the layout of :func:`migrationlab.data.load_air_passengers`.
    reporting_iso3, partner_iso3 : str
        ISO 3166-1 alpha-3 codes of the reporting EU member state and of its partner.

    Returns
    -------
    DataFrame
        Indexed by the first day of each month (``DatetimeIndex`` with frequency
        ``MS``) from January of the first to December of the last year in the table, with
        columns ``arrivals`` and ``departures`` (passengers per month, seen from the
        reporter). Months of a year below the reporting threshold are missing (NaN), not
        zero: the source did not publish them.

    Raises
    ------
    ValueError
        If the pair is not in the table at all (every year below the threshold, or a
        misspelt code).
    """
    _require_passenger_columns(passengers, "monthly_series()")
    rows = passengers[
        (passengers["reporting_iso3"] == reporting_iso3)
        & (passengers["partner_iso3"] == partner_iso3)
    ]
    if rows.empty:
        raise ValueError(
            f"No rows for reporting_iso3={reporting_iso3!r}, partner_iso3={partner_iso3!r}: "
            "the pair is absent from the table. Either a code is misspelt or the reporter "
            "is not an EU member state, or every year of the pair fell below the reporting "
            "threshold (15,000 passengers a year), so nothing was published."
        )
    wide = rows.pivot_table(
        index=["year", "month"], columns="direction", values="passengers", aggfunc="sum"
    )
    wide = wide.reindex(columns=["arrivals", "departures"])
    wide.index = pd.to_datetime(
        {"year": wide.index.get_level_values(0), "month": wide.index.get_level_values(1), "day": 1}
    )
    years = passengers["year"]
    calendar = pd.date_range(f"{years.min()}-01-01", f"{years.max()}-12-01", freq="MS")
    out = wide.reindex(calendar).astype(float)
    out.index.name = "month"
    out.columns.name = None
    return out


def _positive_array(x, name: str) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if np.any(a[np.isfinite(a)] < 0):
        raise ValueError(
            f"{name} has negative values; passenger counts are >= 0. Check the sign of {name}."
        )
    return a


def _like(x, values: np.ndarray):
    if isinstance(x, pd.Series):
        return pd.Series(values, index=x.index, name="flow_log_ratio")
    return values


def flow_log_ratio(inflow, outflow):
    """Flow log ratio FLR = log2(inflow / outflow), period by period.

    Pollacci, Sirbu & Iacus (2023): for a country C1 and a partner C2, the inflow is the
    number of people travelling from C2 to C1 in a period and the outflow the number
    travelling from C1 to C2. FLR > 0 means more came in than went out; FLR = 1 means
    twice as many, FLR = -1 half as many. Round trips within the period cancel.

    Parameters
    ----------
    inflow, outflow : array-like or Series
        Passengers (counts >= 0) of the same periods. A Series keeps its index.

    Returns
    -------
    ndarray or Series
        The ratio in bits (log base 2), NaN where either count is missing or zero (the log
        of 0 is undefined: aggregate to longer periods rather than add a pseudo-count).
    """
    a, b = _positive_array(inflow, "inflow"), _positive_array(outflow, "outflow")
    if a.shape != b.shape:
        raise ValueError(
            f"inflow has shape {a.shape} and outflow {b.shape}: give one value per period to both."
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(
            (a > 0) & (b > 0), np.log2(np.where(a > 0, a, 1.0) / np.where(b > 0, b, 1.0)), np.nan
        )
    return _like(inflow, r)


def cumulative_flow_log_ratio(inflow, outflow):
    """Cumulative flow log ratio CFLR(t) = log2(sum of inflows to t / sum of outflows to t).

    The cumulative version of :func:`flow_log_ratio` (Pollacci, Sirbu & Iacus 2023): both
    flows are summed from the first period to period ``t`` before taking the ratio, so the
    trips that leave in one month and return in the next cancel, and a lasting imbalance
    (net migration) accumulates. Missing periods are skipped (they add nothing to either
    sum).

    Parameters
    ----------
    inflow, outflow : array-like or Series
        Passengers (counts >= 0) of consecutive periods, in time order.

    Returns
    -------
    ndarray or Series
        CFLR in bits; NaN until both sums are positive.
    """
    a, b = _positive_array(inflow, "inflow"), _positive_array(outflow, "outflow")
    if a.shape != b.shape:
        raise ValueError(
            f"inflow has shape {a.shape} and outflow {b.shape}: give one value per period to both."
        )
    both = np.isfinite(a) & np.isfinite(b)
    ca = np.cumsum(np.where(both, a, 0.0))
    cb = np.cumsum(np.where(both, b, 0.0))
    r = flow_log_ratio(ca, cb)
    return _like(inflow, r)


def stl_decompose(
    series: pd.Series, period: int = 12, robust: bool = True, seasonal: int = 13
) -> pd.DataFrame:
    """Trend, seasonal and remainder components of a monthly series with STL.

    A thin wrapper of :class:`statsmodels.tsa.seasonal.STL` (Cleveland et al. 1990) that
    checks its input. Gabrielli et al. (2019) use such a decomposition of monthly air
    passengers to separate the trend of a country pair from its seasonal profile.

    Parameters
    ----------
    series : Series
        Monthly values on a complete calendar (e.g. a column of :func:`monthly_series`),
        without missing values: decompose a span of years that were all published.
    period : int
        Length of the seasonal cycle in observations (12 for monthly data).
    robust : bool
        Down-weight outliers (e.g. a shock month) when fitting, as STL's robust option.
    seasonal : int
        Odd length of the seasonal smoother (in cycles); larger means a steadier profile.

    Returns
    -------
    DataFrame
        Columns ``observed``, ``trend``, ``seasonal``, ``remainder`` on the input's index;
        ``observed = trend + seasonal + remainder`` (additive). Decompose log passengers
        for a multiplicative profile.
    """
    if not isinstance(series, pd.Series):
        raise TypeError(f"series must be a pandas Series, got {type(series).__name__}.")
    if series.isna().any():
        first = series.index[series.isna().to_numpy()][0]
        raise ValueError(
            f"series has missing values (first at {first}); STL needs a complete series. "
            "Select a span of years that were all published, e.g. series.loc['2010':'2019']."
        )
    if len(series) < 2 * period + 1:
        raise ValueError(
            f"series has {len(series)} values; STL with period={period} needs at least "
            f"{2 * period + 1} (more than two full cycles)."
        )
    res = STL(series.astype(float), period=period, robust=robust, seasonal=seasonal).fit()
    return pd.DataFrame(
        {
            "observed": series.astype(float),
            "trend": res.trend,
            "seasonal": res.seasonal,
            "remainder": res.resid,
        },
        index=series.index,
    )


def first_exceedance(series: pd.Series, baseline_end, n_sd: float = 3.0, after=None):
    """First index after a baseline where a series exceeds baseline mean + ``n_sd`` sd.

    The simplest change detector: the baseline (everything up to and including
    ``baseline_end``) gives a mean and a standard deviation; the alarm is the first later
    value above ``mean + n_sd * sd``.

    Parameters
    ----------
    series : Series
        Values in time order (annual net arrivals, a 12-month rolling sum, ...).
    baseline_end : label
        Last index label of the baseline period (a year, or a date string for a
        ``DatetimeIndex``). The baseline must hold at least two non-missing values.
    n_sd : float
        Number of standard deviations above the baseline mean that raise the alarm.
    after : label, optional
        Look for the alarm only from this label on (default: right after the baseline).

    Returns
    -------
    label or None
        The index label of the first exceedance, or None if there is none.
    """
    if not isinstance(series, pd.Series):
        raise TypeError(f"series must be a pandas Series, got {type(series).__name__}.")
    if not series.index.is_monotonic_increasing:
        raise ValueError("series must be in time order: sort it with series.sort_index() first.")
    base = series.loc[:baseline_end].dropna()
    if len(base) < 2:
        raise ValueError(
            f"The baseline up to {baseline_end!r} has {len(base)} non-missing value(s); "
            "at least two are needed for a standard deviation. Choose a later baseline_end."
        )
    bar = base.mean() + n_sd * base.std(ddof=1)
    rest = series.loc[series.index > base.index[-1]] if after is None else series.loc[after:]
    hits = rest[rest > bar]
    return hits.index[0] if len(hits) else None


def months_between(earlier, later) -> int:
    """Whole months from ``earlier`` to ``later`` (dates or ``'YYYY-MM'`` strings).

    ``months_between('2018-05', '2020-12')`` is 31. Positive when ``later`` is later.
    """
    a, b = pd.Period(earlier, freq="M"), pd.Period(later, freq="M")
    return (b.year - a.year) * 12 + (b.month - a.month)


def rolling_net_arrivals(passengers: pd.DataFrame, window: int = 12) -> pd.DataFrame:
    """Net arrivals of every corridor, summed over a moving window of months.

    A corridor is one reporter-partner pair of the table, seen from the reporter:
    arrivals from the partner minus departures to it. Summing over 12 months removes the
    seasons and the round trips whose return falls in the next month.

    Parameters
    ----------
    passengers : DataFrame
        A table in the layout of :func:`migrationlab.data.load_air_passengers`.
    window : int
        Number of months in each sum (12 for a year).

    Returns
    -------
    DataFrame
        Indexed by month (first day, frequency ``MS``) on a complete calendar, one column
        per corridor (a ``MultiIndex`` of ``reporting_iso3``, ``partner_iso3``). The value
        of month *t* is the sum of the ``window`` months ending in *t* (passengers); it is
        NaN when one of these months is not in the table (a year below the reporting
        threshold), so an unpublished month never counts as zero.
    """
    _require_passenger_columns(passengers, "rolling_net_arrivals()")
    if int(window) < 1:
        raise ValueError(f"window must be a positive number of months, got {window}.")
    sign = np.where(passengers["direction"] == "arrivals", 1.0, -1.0)
    net = (passengers["passengers"] * sign).groupby(
        [
            passengers["year"],
            passengers["month"],
            passengers["reporting_iso3"],
            passengers["partner_iso3"],
        ]
    )
    wide = net.sum().unstack(["reporting_iso3", "partner_iso3"])
    wide.index = pd.to_datetime(
        {"year": wide.index.get_level_values(0), "month": wide.index.get_level_values(1), "day": 1}
    )
    years = passengers["year"]
    calendar = pd.date_range(f"{years.min()}-01-01", f"{years.max()}-12-01", freq="MS")
    out = wide.reindex(calendar).rolling(int(window), min_periods=int(window)).sum()
    out.index.name = "month"
    return out.sort_index(axis=1)


def realtime_surge_scan(
    passengers: pd.DataFrame,
    months,
    baseline_end,
    n_sd: float = 3.0,
    publication_lag_months: int = PASSENGER_PUBLICATION_LAG_MONTHS,
    window: int = 12,
    min_baseline: int = 24,
) -> pd.DataFrame:
    """Scan every corridor for a surge, month by month, with only what is published.

    In each month *m* of ``months`` the analyst sees the passenger counts up to month
    *m* - ``publication_lag_months`` (the *data month*), and nothing later. For every
    corridor it takes the latest published value of :func:`rolling_net_arrivals` and
    compares it with the corridor's own baseline: the mean and standard deviation of its
    rolling sums of the months up to ``baseline_end``. The corridor alarms when the value
    exceeds ``mean + n_sd * sd``; alarms are ranked by their z-score,
    ``(value - mean) / sd``, largest first. The scan needs no answer key: it does not know
    which corridor to watch. It does need the baseline period (when to start watching),
    the threshold ``n_sd`` and the publication lag.

    Parameters
    ----------
    passengers : DataFrame
        A table in the layout of :func:`migrationlab.data.load_air_passengers`.
    months : sequence of dates or ``'YYYY-MM'`` strings
        The months in which the scan runs (real time).
    baseline_end : date or ``'YYYY-MM'``
        Last month of the baseline. Every data month must come after it: the baseline
        must be published before the scan starts.
    n_sd : float
        Number of standard deviations above the baseline mean that raise an alarm.
    publication_lag_months : int
        Months from the end of a reference month to its publication
        (:data:`PASSENGER_PUBLICATION_LAG_MONTHS` by default, an assumption).
    window : int
        Months in each rolling sum of net arrivals.
    min_baseline : int
        Corridors with fewer baseline values than this (years below the reporting
        threshold) are not scored.

    Returns
    -------
    DataFrame
        One row per month and scored corridor (a corridor whose latest window is complete
        and whose baseline is long enough), with ``month``, ``data_month``,
        ``reporting_iso3``, ``partner_iso3``, ``net_arrivals`` (passengers in the window
        ending in the data month), ``baseline_mean``, ``baseline_sd``, ``z_score``,
        ``alarm`` (bool) and ``rank`` (1 = largest z-score among the month's alarms; missing
        for corridors that do not alarm). Sorted by month, then by z-score, largest first.
        The table's reporting threshold is applied by whole year, so a month counts as
        published only if its year was.
    """
    rolling = rolling_net_arrivals(passengers, window=window)
    lag = int(publication_lag_months)
    if lag < 0:
        raise ValueError(f"publication_lag_months must be >= 0, got {lag}.")
    end = pd.Timestamp(pd.Period(baseline_end, freq="M").start_time)
    base = rolling.loc[:end]
    count, mean, sd = base.notna().sum(), base.mean(), base.std(ddof=1)
    usable = (count >= int(min_baseline)) & (sd > 0)
    frames = []
    for m in months:
        month = pd.Period(m, freq="M")
        data_month = (month - lag).start_time
        if data_month <= end:
            first = (pd.Period(end, freq="M") + 1 + lag).strftime("%Y-%m")
            raise ValueError(
                f"In {month} the latest published passenger month is "
                f"{data_month:%Y-%m}, not after the baseline's end {end:%Y-%m}: nothing "
                f"new to scan. Start the scan in {first} or later, or end the baseline earlier."
            )
        if data_month not in rolling.index:
            raise ValueError(
                f"In {month} the data month would be {data_month:%Y-%m}, outside the table "
                f"({rolling.index[0]:%Y-%m} to {rolling.index[-1]:%Y-%m}). Scan earlier months."
            )
        frame = _score_corridors(rolling.loc[data_month], mean, sd, usable, n_sd)
        frames.append(frame.assign(month=month.start_time, data_month=data_month))
    columns = ["month", "data_month", *_SCAN_COLUMNS]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


_SCAN_COLUMNS = (
    "reporting_iso3",
    "partner_iso3",
    "net_arrivals",
    "baseline_mean",
    "baseline_sd",
    "z_score",
    "alarm",
    "rank",
)


def _score_corridors(value, mean, sd, usable, n_sd: float) -> pd.DataFrame:
    """z-scores of the corridors' latest values against their baselines, alarms ranked."""
    z = ((value - mean) / sd)[usable & value.notna()]
    frame = pd.DataFrame(
        {
            "net_arrivals": value[z.index],
            "baseline_mean": mean[z.index],
            "baseline_sd": sd[z.index],
            "z_score": z,
        }
    ).sort_values("z_score", ascending=False, kind="stable")
    frame["alarm"] = frame["z_score"] > n_sd
    frame["rank"] = pd.array(np.cumsum(frame["alarm"].to_numpy()), dtype="Int64")
    frame.loc[~frame["alarm"], "rank"] = pd.NA
    return frame.reset_index()


def passenger_network(annual: pd.DataFrame, weight: str = "passengers") -> nx.DiGraph:
    """Directed country graph of passenger flows.

    Parameters
    ----------
    annual : DataFrame
        One row per directed pair with columns ``origin_iso3``, ``destination_iso3`` and
        the ``weight`` column (passengers in the period, > 0). Pairs reported by both
        sides (two EU member states) should be given once per direction.
    weight : str
        Name of the weight column.

    Returns
    -------
    networkx.DiGraph
        Nodes are ISO3 codes, edges carry ``weight`` (passengers) and ``distance``
        (1 / weight, the cost used for weighted shortest paths).
    """
    require_columns(
        annual,
        ["origin_iso3", "destination_iso3", weight],
        table_name="the annual table",
        fix="Give one row per directed pair with origin_iso3, destination_iso3 and the "
        "weight column (pass its name as weight=).",
        caller="passenger_network()",
    )
    require_values(
        annual,
        [weight],
        table_name="the annual table",
        strict=True,
        what="passengers",
        fix="Drop empty pairs before building the graph.",
        caller="passenger_network()",
    )
    w = annual[weight].to_numpy(float)
    if (annual["origin_iso3"] == annual["destination_iso3"]).any():
        raise ValueError(
            "annual has rows whose origin equals their destination: drop self-loops first."
        )
    if annual.duplicated(["origin_iso3", "destination_iso3"]).any():
        raise ValueError(
            "annual has duplicated (origin_iso3, destination_iso3) rows: aggregate them first "
            "(e.g. the mean of the two reports of an intra-EU pair)."
        )
    g = nx.DiGraph()
    for o, d, x in zip(annual["origin_iso3"], annual["destination_iso3"], w, strict=True):
        g.add_edge(o, d, weight=float(x), distance=1.0 / float(x))
    return g


def network_measures(graph: nx.DiGraph) -> pd.DataFrame:
    """Degree, strength and betweenness of each country of a passenger graph.

    Parameters
    ----------
    graph : networkx.DiGraph
        From :func:`passenger_network`.

    Returns
    -------
    DataFrame
        Indexed by ISO3 code: ``degree`` (number of distinct partners, in or out),
        ``strength_in`` and ``strength_out`` (passengers arriving and leaving, the weighted
        degree of Barrat et al. 2004), ``strength`` (their sum), ``betweenness``
        (unweighted shortest-path betweenness on the undirected graph, normalised to
        [0, 1]: the share of shortest routes between other countries that pass through
        the node), sorted by strength.
    """
    if not isinstance(graph, nx.DiGraph):
        raise TypeError(
            f"graph must be a networkx DiGraph (see passenger_network), got {type(graph).__name__}."
        )
    und = graph.to_undirected()
    bet = nx.betweenness_centrality(und, normalized=True)
    out = pd.DataFrame(
        {
            "degree": dict(und.degree()),
            "strength_in": dict(graph.in_degree(weight="weight")),
            "strength_out": dict(graph.out_degree(weight="weight")),
            "betweenness": bet,
        }
    )
    out["strength"] = out["strength_in"] + out["strength_out"]
    out.index.name = "iso3"
    return out[["degree", "strength_in", "strength_out", "strength", "betweenness"]].sort_values(
        "strength", ascending=False
    )


def intervening_population(distance_km: np.ndarray, population) -> np.ndarray:
    """s_ij of the radiation model: population within distance d_ij of i, i and j excluded.

    Parameters
    ----------
    distance_km : 2-D array (n_origins, n_places)
        Distance from each origin (rows) to every place (columns); the origin's own place
        has distance 0.
    population : 1-D array (n_places,)
        Population of every place (persons).

    Returns
    -------
    2-D array
        ``s[i, j]`` = total population of the places k with ``0 < d_ik < d_ij``.
        Places exactly as far as j are left out, as is j itself.
    """
    d = np.asarray(distance_km, float)
    pop = np.asarray(population, float)
    if d.ndim != 2 or d.shape[1] != pop.shape[0]:
        raise ValueError(
            f"distance_km has shape {d.shape} and population {pop.shape}: distance_km must be "
            "(n_origins, n_places) with one column per entry of population."
        )
    s = np.empty_like(d)
    for i in range(d.shape[0]):
        order = np.argsort(d[i], kind="stable")
        ds, ps = d[i, order], pop[order]
        within = ds > 0
        csum = np.cumsum(np.where(within, ps, 0.0))
        # population strictly closer than each place: cumulative sum up to the first
        # place at the same distance, minus that place
        first = np.searchsorted(ds, ds, side="left")
        strictly = np.where(first > 0, csum[np.maximum(first - 1, 0)], 0.0)
        s[i, order] = strictly
    return s


def radiation_flows(
    outflow_totals, origin_population, destination_population, intervening
) -> np.ndarray:
    """Expected flows of the radiation model (Simini et al. 2012).

    ``T_ij = T_i * m_i n_j / ((m_i + s_ij) (m_i + n_j + s_ij))``, where ``T_i`` is the
    total leaving origin i, ``m_i`` and ``n_j`` the populations of origin and destination
    and ``s_ij`` the population within distance d_ij of i (excluding i and j). The model
    has no parameter to fit: distance enters only through the intervening opportunities.
    Its probabilities sum to at most 1 over all destinations of the world; here the flows
    are renormalised over the destinations given, so that each origin's predicted total
    equals ``T_i``.

    Parameters
    ----------
    outflow_totals : 1-D array (n_origins,)
        Observed total passengers leaving each origin.
    origin_population : 1-D array (n_origins,)
    destination_population : 1-D array (n_destinations,)
    intervening : 2-D array (n_origins, n_destinations)
        ``s_ij`` from :func:`intervening_population` (persons).

    Returns
    -------
    2-D array (n_origins, n_destinations)
        Expected passengers; set the origin's own column to 0 before calling if it is a
        destination too (``n_j = 0``).
    """
    t = np.asarray(outflow_totals, float)
    m = np.asarray(origin_population, float)[:, None]
    n = np.asarray(destination_population, float)[None, :]
    s = np.asarray(intervening, float)
    if s.shape != (t.shape[0], n.shape[1]) or m.shape[0] != t.shape[0]:
        raise ValueError(
            f"Shapes do not match: outflow_totals {t.shape}, origin_population {m.shape[:1]}, "
            f"destination_population {n.shape[1:]}, intervening {s.shape}; intervening must be "
            "(n_origins, n_destinations)."
        )
    if np.any(m <= 0) or np.any(n < 0) or np.any(s < 0):
        raise ValueError(
            "Populations must be positive (origins) or >= 0 (destinations), and s_ij >= 0."
        )
    p = m * n / ((m + s) * (m + n + s))
    total = p.sum(axis=1, keepdims=True)
    return t[:, None] * np.divide(p, total, out=np.zeros_like(p), where=total > 0)


def fit_gravity(flows: pd.DataFrame, y: str, regressors, origin_effects: str | None = None):
    """Poisson pseudo-maximum-likelihood (PPML) gravity model of passenger flows.

    ``E[y] = exp(b0 + sum_k b_k x_k [+ origin fixed effect])``, fitted by a Poisson GLM
    (Santos Silva & Tenreyro 2006), which keeps zero flows and is consistent under
    heteroskedasticity where OLS on log flows is not. This is
    :func:`migrationlab.models.fit_ppml`, the course's one PPML fit, on the complete rows
    of ``flows``: rows with a missing value in a column used are left out.

    Parameters
    ----------
    flows : DataFrame
        One row per pair.
    y : str
        Column of flows (counts or passengers, >= 0).
    regressors : list of str
        Columns entering linearly (take logs beforehand, e.g. ``log_distance_km``).
    origin_effects : str, optional
        Column whose categories get their own intercept (origin fixed effects); with
        them the model reproduces each origin's total, as the radiation model does.

    Returns
    -------
    statsmodels GLMResults
        ``.params`` (named as in :func:`migrationlab.models.gravity_design`: ``const``, the
        regressors, ``fe_<origin_effects>_<category>``), ``.bse`` and ``.fittedvalues``
        (on the index of the complete rows); standard errors are
        heteroskedasticity-robust (HC1).
    """
    regressors = list(regressors)
    effects = [origin_effects] if origin_effects else []
    cols = [y, *regressors, *effects]
    require_columns(
        flows,
        cols,
        table_name="the flows table",
        fix="Compute them before fitting (e.g. log distance).",
        caller="fit_gravity()",
    )
    data = flows[cols].dropna()
    if len(data) < len(regressors) + 2:
        raise ValueError(
            f"fit_gravity(): only {len(data)} complete rows of the flows table for "
            f"{len(regressors)} regressors: too few to fit. Drop fewer rows, or fewer regressors."
        )
    return fit_ppml(data, y, regressors, effects)


def common_part_of_commuters(observed, predicted) -> float:
    """Common part of commuters, CPC = 2 sum min(T, T_hat) / (sum T + sum T_hat).

    The share of flows that a model puts in the right place (1 = perfect, 0 = none);
    the usual score for comparing gravity and radiation models (Lenormand et al. 2016).
    """
    t, p = np.asarray(observed, float), np.asarray(predicted, float)
    if t.shape != p.shape:
        raise ValueError(
            f"observed has shape {t.shape} and predicted {p.shape}: give one value per "
            "pair to both."
        )
    if np.any(t < 0) or np.any(p < 0):
        raise ValueError("Flows must be >= 0 for the common part of commuters.")
    return float(2 * np.minimum(t, p).sum() / (t.sum() + p.sum()))
