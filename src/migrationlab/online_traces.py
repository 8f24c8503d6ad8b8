"""Migration from individual online traces: logins by IP location, geo-located posts, texts.

Three methods of the literature, on the course's synthetic tables:

- **Emigration rates from logins** (Zagheni & Weber 2012): a user's country of residence in
  a year is the country of most of their sessions; a migrant is a user whose residence
  leaves the origin; raw rates are corrected for who is online by a model of the ratio of
  online to official rates on internet penetration, fitted where official rates exist.
- **Moves from geo-located posts** (Zagheni, Garimella, Weber & State 2014): internal and
  international moves between years, and a difference in differences that removes the
  change of the user base common to all countries.
- **Frames of a corpus** (TF-IDF and non-negative matrix factorisation, scikit-learn):
  topics, their match with known frames and their share over time.

Examples
--------
>>> import pandas as pd
>>> s = pd.DataFrame({"user_id": [1, 1], "year": [2020, 2020],
...                   "ip_country_iso3": ["MAR", "ESP"], "sessions": [8, 2]})
>>> residence_by_year(s, min_share=0.6)["residence_iso3"].tolist()
['MAR']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from migrationlab.checks import require_columns

__all__ = [
    "detect_jump",
    "diff_in_diff",
    "emigration_rates",
    "frame_shares",
    "frames",
    "match_topics",
    "mean_absolute_log_error",
    "movers",
    "out_migration_rates",
    "penetration_correction",
    "residence_by_year",
]

GROUP = ["sex", "age_group"]


def _need(df: pd.DataFrame, columns: list[str], name: str) -> None:
    require_columns(
        df,
        columns,
        table_name=name,
        fix="pass the table as loaded (see its datasheet) or the output of the function "
        "named in this function's docstring",
    )


# --- logins ----------------------------------------------------------------------------------


def residence_by_year(
    sessions: pd.DataFrame,
    min_share: float = 0.5,
    place: str = "ip_country_iso3",
    count: str = "sessions",
) -> pd.DataFrame:
    """Each user's place of residence per year: the place of most of their activity.

    Parameters
    ----------
    sessions : DataFrame
        ``user_id``, ``year``, ``place`` and ``count`` (as in ``login_sessions``).
    min_share : float
        The top place must hold at least this share of the user's activity in the year;
        otherwise the residence is unknown (missing). 0.5 is a majority rule.
    place, count : str
        Column names of the place and of the counts.

    Returns
    -------
    DataFrame
        ``user_id``, ``year``, ``residence_iso3`` (missing when below ``min_share``) and
        ``top_share`` (share of the activity in the top place). Ties go to the first
        place in alphabetical order.
    """
    _need(sessions, ["user_id", "year", place, count], "sessions")
    if not 0 <= min_share <= 1:
        raise ValueError(f"min_share must be between 0 and 1, got {min_share}.")
    s = sessions.sort_values(["user_id", "year", count, place], ascending=[True, True, False, True])
    total = s.groupby(["user_id", "year"])[count].sum()
    top = s.drop_duplicates(["user_id", "year"]).set_index(["user_id", "year"])
    share = top[count] / total
    out = pd.DataFrame({"residence_iso3": top[place].where(share >= min_share), "top_share": share})
    return out.reset_index()


def emigration_rates(
    residences: pd.DataFrame, users: pd.DataFrame, by: list[str] | None = None
) -> pd.DataFrame:
    """Emigration rates of users by origin, year and group, per 1,000 users at risk.

    A user is at risk in year t if resident in their origin (``signup_country_iso3``) in
    year t-1 and of known residence in t; an emigrant if that residence in t is another
    country. Users of unknown residence in either year are left out.

    Parameters
    ----------
    residences : DataFrame
        Output of :func:`residence_by_year`.
    users : DataFrame
        ``user_id``, ``signup_country_iso3`` and the ``by`` columns (``login_users``).
    by : list of str, optional
        Group columns of ``users``; default ``["sex", "age_group"]``.

    Returns
    -------
    DataFrame
        ``origin_iso3``, ``year``, the group columns, ``at_risk``, ``emigrants`` and
        ``emigration_rate_per_1000``.
    """
    by = GROUP if by is None else list(by)
    _need(residences, ["user_id", "year", "residence_iso3"], "residences")
    _need(users, ["user_id", "signup_country_iso3", *by], "users")
    r = residences.dropna(subset=["residence_iso3"])
    prev = r.assign(year=r["year"] + 1).rename(columns={"residence_iso3": "before"})
    pair = prev[["user_id", "year", "before"]].merge(r[["user_id", "year", "residence_iso3"]])
    pair = pair.merge(users[["user_id", "signup_country_iso3", *by]], on="user_id")
    pair = pair[pair["before"] == pair["signup_country_iso3"]]
    pair["emigrant"] = pair["residence_iso3"] != pair["before"]
    keys = ["signup_country_iso3", "year", *by]
    out = pair.groupby(keys).agg(at_risk=("emigrant", "size"), emigrants=("emigrant", "sum"))
    out = out.reset_index().rename(columns={"signup_country_iso3": "origin_iso3"})
    out["emigrants"] = out["emigrants"].astype(int)
    out["emigration_rate_per_1000"] = 1000 * out["emigrants"] / out["at_risk"]
    return out


def penetration_correction(
    online: pd.DataFrame, official: pd.DataFrame, penetration: pd.DataFrame
) -> tuple[pd.DataFrame, dict]:
    """Correct online emigration rates for selection, calibrated on official rates.

    Following Zagheni & Weber (2012), the ratio of the online to the official rate is
    modelled on internet penetration: ``log(online / official) = a + b log(penetration)``.
    It is fitted, as a Poisson model of the emigrant counts with offset
    ``log(at_risk x official rate)`` (which copes with cells of zero emigrants), on the
    origin-year-groups that have an official rate, and applied to every cell:
    ``corrected = online / exp(a + b log(penetration))``.

    Parameters
    ----------
    online : DataFrame
        Output of :func:`emigration_rates` (``origin_iso3``, ``year``, ``sex``,
        ``age_group``, ``at_risk``, ``emigrants``, ``emigration_rate_per_1000``).
    official : DataFrame
        ``origin_iso3``, ``year``, ``sex``, ``age_group``, ``emigration_rate_per_1000``
        (``official_emigration_rates``).
    penetration : DataFrame
        ``origin_iso3``, ``sex``, ``age_group``, ``penetration`` (share, 0-1).

    Returns
    -------
    corrected : DataFrame
        ``online`` with ``penetration`` and ``corrected_rate_per_1000``.
    fit : dict
        ``intercept`` (a), ``slope_log_penetration`` (b) and ``n_cells`` used.
    """
    import statsmodels.api as sm

    keys = ["origin_iso3", "year", "sex", "age_group"]
    _need(online, [*keys, "at_risk", "emigrants", "emigration_rate_per_1000"], "online")
    _need(official, [*keys, "emigration_rate_per_1000"], "official")
    _need(penetration, ["origin_iso3", "sex", "age_group", "penetration"], "penetration")
    df = online.merge(penetration, on=["origin_iso3", "sex", "age_group"], how="left")
    if df["penetration"].isna().any():
        missing = df.loc[df["penetration"].isna(), "origin_iso3"].unique().tolist()
        raise ValueError(f"penetration: no value for origins {missing}; add their rows.")
    off = official.rename(columns={"emigration_rate_per_1000": "official_per_1000"})
    cal = df.merge(off[[*keys, "official_per_1000"]], on=keys)
    cal = cal[(cal["official_per_1000"] > 0) & (cal["at_risk"] > 0)]
    if cal.empty:
        raise ValueError("official: no cell matches the online rates (origin, year, sex, age).")
    x = sm.add_constant(np.log(cal["penetration"].to_numpy()))
    offset = np.log(cal["at_risk"] * cal["official_per_1000"] / 1000)
    res = sm.GLM(cal["emigrants"].to_numpy(), x, family=sm.families.Poisson(), offset=offset).fit()
    a, b = (float(v) for v in res.params)
    ratio = np.exp(a + b * np.log(df["penetration"]))
    df["corrected_rate_per_1000"] = df["emigration_rate_per_1000"] / ratio
    return df, {"intercept": a, "slope_log_penetration": b, "n_cells": len(cal)}


def mean_absolute_log_error(estimate, truth) -> float:
    """Mean of |log(estimate / truth)| over pairs where both are positive.

    A value of 0.1 means estimates off by about 10 % on average, in either direction.
    """
    e, t = np.asarray(estimate, float), np.asarray(truth, float)
    ok = (e > 0) & (t > 0)
    if not ok.any():
        raise ValueError("mean_absolute_log_error: no pair with both values positive.")
    return float(np.mean(np.abs(np.log(e[ok] / t[ok]))))


# --- geo-located posts -----------------------------------------------------------------------


def movers(posts: pd.DataFrame, min_share: float = 0.5) -> pd.DataFrame:
    """Moves between consecutive years from geo-located posts.

    Residence in a year is the region of most posts (:func:`residence_by_year`, at least
    ``min_share`` of them); a move compares the residences of years t-1 and t.

    Parameters
    ----------
    posts : DataFrame
        ``user_id``, ``year``, ``region_id`` (``ISO3-Rn``), ``posts`` (``geo_posts``).
    min_share : float
        Minimum share of the year's posts in the top region.

    Returns
    -------
    DataFrame
        ``user_id``, ``year`` (t), ``from_country``, ``to_country``, ``move``: ``"stay"``,
        ``"internal"`` (another region of the same country) or ``"international"``.
    """
    _need(posts, ["user_id", "year", "region_id", "posts"], "posts")
    r = residence_by_year(posts, min_share, place="region_id", count="posts")
    r = r.dropna(subset=["residence_iso3"]).rename(columns={"residence_iso3": "region"})
    prev = r.assign(year=r["year"] + 1).rename(columns={"region": "from_region"})
    m = prev[["user_id", "year", "from_region"]].merge(r[["user_id", "year", "region"]])
    m["from_country"] = m["from_region"].str[:3]
    m["to_country"] = m["region"].str[:3]
    m["move"] = np.where(
        m["from_country"] != m["to_country"],
        "international",
        np.where(m["from_region"] != m["region"], "internal", "stay"),
    )
    return m[["user_id", "year", "from_country", "to_country", "move"]]


def out_migration_rates(moves: pd.DataFrame) -> pd.DataFrame:
    """Shares of users who move, by country of departure and year, per 1,000.

    Parameters
    ----------
    moves : DataFrame
        Output of :func:`movers`.

    Returns
    -------
    DataFrame
        ``country_iso3``, ``year``, ``users``, ``international_per_1000``,
        ``internal_per_1000``.
    """
    _need(moves, ["year", "from_country", "move"], "moves")
    g = moves.assign(
        international=moves["move"] == "international", internal=moves["move"] == "internal"
    ).groupby(["from_country", "year"])
    out = g.agg(users=("move", "size"), intl=("international", "mean"), inte=("internal", "mean"))
    out = out.reset_index().rename(columns={"from_country": "country_iso3"})
    out["international_per_1000"] = 1000 * out.pop("intl")
    out["internal_per_1000"] = 1000 * out.pop("inte")
    return out


def diff_in_diff(
    rates: pd.DataFrame,
    treated: str,
    change_year: int,
    column: str = "international_per_1000",
) -> dict:
    """Difference in differences of log rates: the treated country against the others.

    ``did = [mean log r(treated, after) - mean log r(treated, before)]
    - [mean log r(others, after) - mean log r(others, before)]``, with 'after' the years
    from ``change_year`` on. A change common to every country (a new mix of users) cancels
    out; ``exp(did)`` is the relative change of the treated country's rate.

    Parameters
    ----------
    rates : DataFrame
        ``country_iso3``, ``year`` and ``column`` (:func:`out_migration_rates`).
    treated : str
        ISO3 code of the treated country.
    change_year : int
        First year of the 'after' period.
    column : str
        The rate column.

    Returns
    -------
    dict
        ``naive`` (the treated country's before/after log change), ``control`` (the
        others' log change), ``did`` (their difference), ``relative_change`` (exp of did).
    """
    _need(rates, ["country_iso3", "year", column], "rates")
    if treated not in set(rates["country_iso3"]):
        raise ValueError(f"rates: treated country {treated!r} is not in country_iso3.")
    r = rates[rates[column] > 0].assign(log_rate=lambda d: np.log(d[column]))
    r["after"] = r["year"] >= change_year
    r["treated"] = r["country_iso3"] == treated
    m = r.groupby(["treated", "after"])["log_rate"].mean()
    naive = float(m[(True, True)] - m[(True, False)])
    control = float(m[(False, True)] - m[(False, False)])
    did = naive - control
    return {"naive": naive, "control": control, "did": did, "relative_change": float(np.exp(did))}


# --- texts -----------------------------------------------------------------------------------


def frames(
    texts, n_frames: int, weighting: str = "tfidf", n_top: int = 8, random_state: int = 0
) -> tuple[np.ndarray, dict]:
    """Topics of a corpus by non-negative matrix factorisation (scikit-learn).

    Parameters
    ----------
    texts : sequence of str
    n_frames : int
        Number of topics.
    weighting : {"tfidf", "counts"}
        TF-IDF weights (``TfidfVectorizer``) or raw term counts (``CountVectorizer``).
    n_top : int
        Top words listed per topic.
    random_state : int

    Returns
    -------
    labels : numpy array of int
        The topic of each text (its largest NMF weight), 0..n_frames-1.
    top_words : dict
        Topic -> its ``n_top`` words of largest weight.
    """
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    if weighting not in ("tfidf", "counts"):
        raise ValueError(f"weighting must be 'tfidf' or 'counts', got {weighting!r}.")
    vec = TfidfVectorizer() if weighting == "tfidf" else CountVectorizer()
    x = vec.fit_transform(list(texts))
    nmf = NMF(n_components=n_frames, init="nndsvd", random_state=random_state, max_iter=500)
    w = nmf.fit_transform(x)
    words = vec.get_feature_names_out()
    top = {k: list(words[np.argsort(h)[::-1][:n_top]]) for k, h in enumerate(nmf.components_)}
    return w.argmax(axis=1), top


def match_topics(labels, truth) -> dict:
    """Name each topic by the true frame most of its texts have.

    Parameters
    ----------
    labels : array-like of int
        Topic per text (:func:`frames`).
    truth : array-like of str
        True frame per text, same order.

    Returns
    -------
    dict
        Topic -> frame (two topics may get the same frame when a frame is split).
    """
    table = pd.crosstab(np.asarray(labels), np.asarray(truth))
    return table.idxmax(axis=1).to_dict()


def frame_shares(dates, labels, freq: str = "W") -> pd.DataFrame:
    """Share of each label among the texts of each period.

    Parameters
    ----------
    dates : array-like of dates
    labels : array-like
        Frame or topic per text.
    freq : str
        pandas period frequency; ``"W"``: weeks from Monday to Sunday.

    Returns
    -------
    DataFrame
        Index: period start date; one column per label; rows sum to 1.
    """
    d = pd.to_datetime(pd.Series(np.asarray(dates)))
    period = d.dt.to_period(freq).dt.start_time
    return pd.crosstab(period.to_numpy(), np.asarray(labels), normalize="index")


def detect_jump(shares: pd.Series, window: int = 8) -> pd.Timestamp:
    """The period whose value rises most above the mean of the ``window`` periods before it.

    Parameters
    ----------
    shares : Series
        One frame's share by period (index: period start).
    window : int
        Number of earlier periods forming the baseline.

    Returns
    -------
    Timestamp
        The index value of the largest rise: the start of the strongest jump.
    """
    s = shares.sort_index()
    baseline = s.rolling(window, min_periods=window).mean().shift(1)
    return (s - baseline).idxmax()
