"""Migration, displacement and transfers from individual phone records, and their privacy.

The methods of the published uses of call detail records (CDR) and mobile-money records,
on the course's synthetic tables (``load_phone_records()`` and its companions):

- :func:`home_locations`, :func:`usual_home`: the home tower and district of each SIM and
  month from night-time events (Blumenstock 2012; Bengtsson et al. 2011);
- :func:`migration_matrix`: internal migration between two periods;
- :func:`circular_movers`: SIMs away in the same months of two years and back after;
- :func:`displacement`: who left a district after a disaster, where to, and who returned
  (Bengtsson et al. 2011);
- :func:`reweight`: post-stratification of SIMs to a census by district, sex and age;
- :func:`remittance_response`: transfers received after a disaster against before, by
  distance from the epicentre and tie strength (Blumenstock, Eagle & Fafchamps 2016);
- :func:`unicity`, :func:`k_anonymity`, :func:`suppress`: how identifying traces are
  (de Montjoye et al. 2013) and what a released aggregate must withhold.

Tables are pandas DataFrames with the columns of the bundled data; months are ``YYYY-MM``
strings, distances km.

Examples
--------
>>> import pandas as pd
>>> records = pd.DataFrame({"sim": [1, 1], "month": ["2021-01"] * 2, "tower": ["T1", "T2"],
...                         "night_events": [9, 1], "day_events": [2, 30]})
>>> towers = pd.DataFrame({"tower": ["T1", "T2"], "district": ["A", "B"],
...                        "x_km": [0.0, 9.0], "y_km": [0.0, 0.0]})
>>> home_locations(records, towers)["district"].tolist()
['A']
>>> home_locations(records, towers, method="all")["district"].tolist()
['B']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from migrationlab.checks import require_columns

__all__ = [
    "circular_movers",
    "displacement",
    "home_locations",
    "k_anonymity",
    "migration_matrix",
    "remittance_response",
    "reweight",
    "suppress",
    "unicity",
    "usual_home",
]

_RECORD_COLUMNS = ["sim", "month", "tower", "night_events", "day_events"]
_HOME_COLUMNS = ["sim", "month", "district"]


def _need(table, columns, *, table_name: str, caller: str) -> None:
    require_columns(
        table,
        columns,
        table_name=table_name,
        caller=f"{caller}()",
        fix="Pass the bundled table (load_phone_records() and companions) or rename its "
        "columns to these names.",
    )


def _months_between(first: str, last: str) -> list[str]:
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def _shift(month: str, k: int) -> str:
    return str(pd.Period(month, freq="M") + k)


def home_locations(
    records: pd.DataFrame, towers: pd.DataFrame, method: str = "night", min_events: int = 1
) -> pd.DataFrame:
    """Home tower and district of each SIM and month: the tower with the most events.

    Parameters
    ----------
    records : DataFrame
        ``sim``, ``month``, ``tower``, ``night_events``, ``day_events`` (``phone_records``).
    towers : DataFrame
        ``tower``, ``district``, ``x_km``, ``y_km`` (``phone_towers``).
    method : {"night", "all"}
        ``"night"`` counts events between 20:00 and 07:00 only (the course's method: people
        sleep at home); ``"all"`` counts every event, the naive choice that puts commuters
        where they work.
    min_events : int
        SIM-months with fewer counted events get no home.

    Returns
    -------
    DataFrame
        ``sim``, ``month``, ``tower``, ``district``, ``x_km``, ``y_km``, ``events``: one
        row per SIM and month with a home. Ties go to the first tower in id order.

    Examples
    --------
    See the module's example.
    """
    _need(records, _RECORD_COLUMNS, table_name="records", caller="home_locations")
    _need(
        towers, ["tower", "district", "x_km", "y_km"], table_name="towers", caller="home_locations"
    )
    if method not in ("night", "all"):
        raise ValueError(f"home_locations: method must be 'night' or 'all', not {method!r}.")
    events = records["night_events"]
    if method == "all":
        events = events + records["day_events"]
    r = records.assign(events=events)
    r = r[r["events"] >= 1].sort_values(
        ["sim", "month", "events", "tower"], ascending=[True, True, False, True]
    )
    top = r.drop_duplicates(["sim", "month"])
    top = top[top["events"] >= min_events]
    unknown = set(top["tower"]) - set(towers["tower"])
    if unknown:
        raise ValueError(
            f"home_locations: towers {sorted(unknown)[:5]} of records are not in towers; "
            "pass the phone_towers table that goes with these records."
        )
    out = top[["sim", "month", "tower", "events"]].merge(
        towers[["tower", "district", "x_km", "y_km"]], on="tower", how="left"
    )
    return out[["sim", "month", "tower", "district", "x_km", "y_km", "events"]].reset_index(
        drop=True
    )


def usual_home(homes: pd.DataFrame, first: str, last: str, min_months: int = 1) -> pd.Series:
    """Most frequent home district of each SIM over the months ``first`` to ``last``.

    Parameters
    ----------
    homes : DataFrame
        ``sim``, ``month``, ``district`` (from :func:`home_locations`).
    first, last : str
        First and last month (``YYYY-MM``), both included.
    min_months : int
        SIMs with a home in fewer months of the period get none.

    Returns
    -------
    Series
        District by SIM (index ``sim``); ties go to the alphabetically first district.

    Examples
    --------
    >>> homes = pd.DataFrame({"sim": [1, 1, 1], "month": ["2021-01", "2021-02", "2021-03"],
    ...                       "district": ["B", "A", "B"]})
    >>> usual_home(homes, "2021-01", "2021-03").to_dict()
    {1: 'B'}
    """
    _need(homes, _HOME_COLUMNS, table_name="homes", caller="usual_home")
    h = homes[(homes["month"] >= first) & (homes["month"] <= last)]
    counts = h.groupby(["sim", "district"]).size().rename("n").reset_index()
    months = counts.groupby("sim")["n"].transform("sum")
    counts = counts[months >= min_months].sort_values(
        ["sim", "n", "district"], ascending=[True, False, True]
    )
    return counts.drop_duplicates("sim").set_index("sim")["district"]


def migration_matrix(
    homes: pd.DataFrame,
    before: tuple[str, str],
    after: tuple[str, str],
    weights: pd.Series | None = None,
    min_months: int = 3,
) -> pd.DataFrame:
    """Origin-destination matrix of SIMs by usual district in two periods.

    Parameters
    ----------
    homes : DataFrame
        ``sim``, ``month``, ``district`` (from :func:`home_locations`).
    before, after : tuple of str
        First and last month of each period.
    weights : Series, optional
        Persons each SIM stands for (index ``sim``), e.g. from :func:`reweight`; default 1.
    min_months : int
        Months with a home a SIM needs in each period to count.

    Returns
    -------
    DataFrame
        Origins as rows, destinations as columns; counts of SIMs (or weighted persons)
        seen in both periods. The diagonal holds those who stayed.

    Examples
    --------
    >>> homes = pd.DataFrame({"sim": [1, 1, 2, 2], "month": ["2021-01", "2022-01"] * 2,
    ...                       "district": ["A", "B", "A", "A"]})
    >>> migration_matrix(homes, ("2021-01", "2021-01"), ("2022-01", "2022-01"),
    ...                  min_months=1).loc["A", "B"].item()
    1.0
    """
    o = usual_home(homes, *before, min_months=min_months).rename("origin")
    d = usual_home(homes, *after, min_months=min_months).rename("destination")
    both = pd.concat([o, d], axis=1, join="inner")
    w = pd.Series(1.0, index=both.index) if weights is None else weights.reindex(both.index)
    both["w"] = w.fillna(0.0).to_numpy()
    districts = sorted(set(both["origin"]) | set(both["destination"]))
    m = both.pivot_table(index="origin", columns="destination", values="w", aggfunc="sum")
    return m.reindex(index=districts, columns=districts).fillna(0.0)


def circular_movers(
    homes: pd.DataFrame, max_months_away: int = 4, min_years: int = 2
) -> pd.DataFrame:
    """SIMs away from their usual district in the same calendar months of several years.

    A SIM is a circular mover when, in at least ``min_years`` calendar years, it spends a
    spell of at most ``max_months_away`` months in one other district and then comes
    back, and the spells of the different years share at least one calendar month and the
    district. A one-off absence (a visit, a displacement) or a move without return does
    not qualify.

    Parameters
    ----------
    homes : DataFrame
        ``sim``, ``month``, ``district`` (from :func:`home_locations`).
    max_months_away, min_years : int

    Returns
    -------
    DataFrame
        ``sim``, ``usual_district``, ``season_district``, ``years``, ``months`` (calendar
        months away, e.g. ``"6,7,8"``).

    Examples
    --------
    >>> months = [f"{y}-{m:02d}" for y in (2021, 2022) for m in range(1, 13)]
    >>> where = ["A" if int(m[5:]) not in (6, 7) else "B" for m in months]
    >>> homes = pd.DataFrame({"sim": 1, "month": months, "district": where})
    >>> circular_movers(homes)[["season_district", "months"]].values.tolist()
    [['B', '6,7']]
    """
    _need(homes, _HOME_COLUMNS, table_name="homes", caller="circular_movers")
    h = homes.sort_values(["sim", "month"])
    usual = h.groupby("sim")["district"].agg(lambda s: s.value_counts().sort_index().idxmax())
    h = h.assign(usual=h["sim"].map(usual).to_numpy())
    h = h.assign(away=h["district"] != h["usual"])
    # Spells: runs of consecutive rows (in the SIM's own sequence) with the same district.
    new = (h["sim"] != h["sim"].shift()) | (h["district"] != h["district"].shift())
    h = h.assign(spell=new.cumsum())
    spells = h.groupby("spell").agg(
        sim=("sim", "first"),
        district=("district", "first"),
        away=("away", "first"),
        first=("month", "first"),
        months=("month", list),
        n=("month", "size"),
    )
    last_spell = spells.groupby("sim").cumcount(ascending=False) == 0
    first_spell = spells.groupby("sim").cumcount() == 0
    ok = spells["away"] & (spells["n"] <= max_months_away) & ~last_spell & ~first_spell
    s = spells[ok]
    rows = []
    for (sim, district), g in s.groupby(["sim", "district"]):
        by_year: dict[str, set[int]] = {}
        for ms in g["months"]:
            for m in ms:
                by_year.setdefault(m[:4], set()).add(int(m[5:]))
        years = sorted(by_year)
        if len(years) < min_years:
            continue
        common = set.intersection(*(by_year[y] for y in years))
        if common:
            rows.append((sim, usual[sim], district, len(years), ",".join(map(str, sorted(common)))))
    return pd.DataFrame(
        rows, columns=["sim", "usual_district", "season_district", "years", "months"]
    )


def displacement(
    homes: pd.DataFrame,
    district: str,
    month: str,
    after: int = 1,
    end: str | None = None,
    weights: pd.Series | None = None,
) -> dict:
    """Who left a district after a disaster, where they went, and who came back (long).

    Residents are SIMs whose home (night-time) district was ``district`` in the month
    before ``month``. Of those seen ``after`` months after ``month``, the displaced are
    those with a home elsewhere. The return rate is the share of the displaced seen in
    ``end`` who are back home then. SIMs not seen in a month are left out of that month,
    never counted as displaced: silence is not departure (towers fail, SIMs churn).

    Parameters
    ----------
    homes : DataFrame
        ``sim``, ``month``, ``district`` (from :func:`home_locations`).
    district, month : str
        The struck district and the month of the disaster (``YYYY-MM``).
    after : int
        Months after ``month`` at which displacement is measured (1: the next month).
    end : str, optional
        Month at which returns are counted; default the last month of ``homes``.
    weights : Series, optional
        Persons each SIM stands for (index ``sim``), e.g. from :func:`reweight`.

    Returns
    -------
    dict
        ``residents`` (SIMs resident before and seen after), ``share_displaced``,
        ``destinations`` (Series: share of the displaced by district),
        ``return_rate`` (share back at ``end`` among displaced seen then),
        ``back_by_month`` (Series: share of the displaced seen each month who are home).

    Examples
    --------
    >>> homes = pd.DataFrame({"sim": [1, 1, 1, 2, 2, 2],
    ...                       "month": ["2021-01", "2021-03", "2021-05"] * 2,
    ...                       "district": ["A", "B", "A", "A", "A", "A"]})
    >>> displacement(homes, "A", "2021-02", end="2021-05")["share_displaced"]
    0.5
    """
    _need(homes, _HOME_COLUMNS, table_name="homes", caller="displacement")
    before = _shift(month, -1)
    at = homes.set_index(["sim", "month"])["district"]
    residents = homes.loc[(homes["month"] == before) & (homes["district"] == district), "sim"]
    if residents.empty:
        raise ValueError(
            f"displacement: no SIM had its home in {district!r} in {before}; check the "
            "district name and the month of the disaster."
        )
    w = (
        pd.Series(1.0, index=residents.to_numpy())
        if weights is None
        else (weights.reindex(residents.to_numpy()).fillna(0.0))
    )
    later = homes[(homes["month"] == _shift(month, after)) & homes["sim"].isin(residents)]
    later = later.set_index("sim")["district"]
    away = later != district
    ws = w.reindex(later.index)
    share = float((ws * away).sum() / ws.sum())
    dest = (ws[away].groupby(later[away]).sum() / ws[away].sum()).sort_values(ascending=False)
    displaced = later.index[away]
    end = end or homes["month"].max()
    months = _months_between(_shift(month, after), end)
    back = {}
    for m in months:
        seen = at.reindex(pd.MultiIndex.from_product([displaced, [m]])).dropna()
        sims = seen.index.get_level_values(0)
        wm = w.reindex(sims).to_numpy()
        back[m] = (
            float((wm * (seen.to_numpy() == district)).sum() / wm.sum()) if wm.sum() else np.nan
        )
    back = pd.Series(back, name="share_back")
    return {
        "residents": int(len(later)),
        "share_displaced": share,
        "destinations": dest.rename("share_of_displaced"),
        "return_rate": float(back.iloc[-1]),
        "back_by_month": back,
    }


def reweight(sim_homes: pd.Series, subscribers: pd.DataFrame, census: pd.DataFrame) -> pd.Series:
    """Post-stratification weights: persons each SIM stands for, by district, sex and age.

    Each SIM with home district ``d`` registered to sex ``s`` and age group ``a`` gets
    ``census(d, s, a) / SIMs(d, s, a)``: cells where few people own SIMs (women, the old,
    the poorer districts) get larger weights. What the cells do not capture (wealth,
    shared SIMs registered to the household head) stays biased.

    Parameters
    ----------
    sim_homes : Series
        Home district by SIM (index ``sim``), e.g. from :func:`usual_home`.
    subscribers : DataFrame
        ``sim``, ``registered_sex``, ``registered_age_group`` (``phone_subscribers``).
    census : DataFrame
        ``district``, ``sex``, ``age_group``, ``population`` (``phone_census``).

    Returns
    -------
    Series
        Weight by SIM (index ``sim``), in persons. SIMs in a cell the census lacks get 0.

    Examples
    --------
    >>> subs = pd.DataFrame({"sim": [1, 2, 3], "registered_sex": ["male", "male", "female"],
    ...                      "registered_age_group": ["15-24"] * 3})
    >>> census = pd.DataFrame({"district": ["A", "A"], "sex": ["male", "female"],
    ...                        "age_group": ["15-24"] * 2, "population": [100, 90]})
    >>> reweight(pd.Series("A", index=[1, 2, 3]), subs, census).tolist()
    [50.0, 50.0, 90.0]
    """
    _need(
        subscribers,
        ["sim", "registered_sex", "registered_age_group"],
        table_name="subscribers",
        caller="reweight",
    )
    _need(
        census,
        ["district", "sex", "age_group", "population"],
        table_name="census",
        caller="reweight",
    )
    s = subscribers.set_index("sim").reindex(sim_homes.index)
    if s["registered_sex"].isna().any():
        raise ValueError(
            "reweight: some SIMs of sim_homes are not in subscribers; pass the "
            "phone_subscribers table of the same records."
        )
    cells = pd.DataFrame(
        {
            "district": sim_homes.to_numpy(),
            "sex": s["registered_sex"].to_numpy(),
            "age_group": s["registered_age_group"].to_numpy(),
        },
        index=sim_homes.index,
    )
    n = cells.groupby(["district", "sex", "age_group"]).size().rename("sims")
    pop = census.set_index(["district", "sex", "age_group"])["population"]
    key = pd.MultiIndex.from_frame(cells)
    w = pop.reindex(key).to_numpy() / n.reindex(key).to_numpy()
    return pd.Series(np.nan_to_num(w), index=sim_homes.index, name="weight")


def remittance_response(
    transfers: pd.DataFrame,
    contacts: pd.DataFrame,
    homes: pd.DataFrame,
    epicentre_km: tuple[float, float],
    month: str,
    bands_km: tuple[float, ...] = (0.0, 25.0, 60.0, 120.0, 1000.0),
    window: int = 3,
    pre: int = 12,
    by_tie: bool = True,
) -> pd.DataFrame:
    """Transfers received after a disaster against before, by distance and tie (long).

    A difference in differences on pairs of contacts: for each directed pair (sender,
    receiver), the receiver's distance from the epicentre is that of its home tower in the
    month before the disaster; the tie is "strong" when the pair's calls before the
    disaster are at least the median. The transfer rate per pair-month in the ``window``
    months from ``month`` is divided by the rate in the ``pre`` months before; a pair
    counts in a month while both SIMs are in service (between their first and last month
    with records). The last band is the control: ``did_ratio`` divides each ratio by the
    control's, removing what changed everywhere.

    Parameters
    ----------
    transfers : DataFrame
        ``sender``, ``receiver``, ``month`` (``mobile_money_transfers``).
    contacts : DataFrame
        ``sim_a``, ``sim_b``, ``calls_before`` (``phone_contacts``).
    homes : DataFrame
        ``sim``, ``month``, ``x_km``, ``y_km`` (from :func:`home_locations`).
    epicentre_km : tuple of float
        x and y of the epicentre (``phone_disaster``).
    month : str
        Month of the disaster.
    bands_km, window, pre : distance band edges (km), months after and before.
    by_tie : bool
        Split each band by tie strength.

    Returns
    -------
    DataFrame
        ``band_km``, ``tie``, ``pairs``, ``transfers_before``, ``transfers_after``,
        ``rate_before``, ``rate_after`` (per pair-month), ``ratio``, ``did_ratio``.
    """
    _need(
        transfers,
        ["sender", "receiver", "month"],
        table_name="transfers",
        caller="remittance_response",
    )
    _need(
        contacts,
        ["sim_a", "sim_b", "calls_before"],
        table_name="contacts",
        caller="remittance_response",
    )
    _need(homes, ["sim", "month", "x_km", "y_km"], table_name="homes", caller="remittance_response")
    pairs = pd.concat(
        [
            contacts.rename(columns={"sim_a": "sender", "sim_b": "receiver"}),
            contacts.rename(columns={"sim_b": "sender", "sim_a": "receiver"}),
        ],
        ignore_index=True,
    )[["sender", "receiver", "calls_before"]]
    h0 = homes[homes["month"] == _shift(month, -1)].set_index("sim")
    pairs = pairs[pairs["receiver"].isin(h0.index)]
    dx = h0.loc[pairs["receiver"], "x_km"].to_numpy() - epicentre_km[0]
    dy = h0.loc[pairs["receiver"], "y_km"].to_numpy() - epicentre_km[1]
    pairs = pairs.assign(distance_km=np.hypot(dx, dy))
    labels = [f"{a:g}-{b:g}" for a, b in zip(bands_km[:-1], bands_km[1:], strict=True)]
    pairs["band_km"] = pd.cut(pairs["distance_km"], list(bands_km), labels=labels, right=False)
    strong = pairs["calls_before"] >= pairs["calls_before"].median()
    pairs["tie"] = np.where(strong, "strong", "weak") if by_tie else "all"
    span = homes.groupby("sim")["month"].agg(["min", "max"])
    before = _months_between(_shift(month, -pre), _shift(month, -1))
    after = _months_between(month, _shift(month, window - 1))

    pairs = pairs[pairs["sender"].isin(span.index)]
    first = np.maximum(
        span["min"].reindex(pairs["sender"]).to_numpy(),
        span["min"].reindex(pairs["receiver"]).to_numpy(),
    )
    last = np.minimum(
        span["max"].reindex(pairs["sender"]).to_numpy(),
        span["max"].reindex(pairs["receiver"]).to_numpy(),
    )

    def exposure(months: list[str]) -> np.ndarray:
        return sum((first <= m) & (last >= m) for m in months).astype(float)

    pairs["exp_before"] = exposure(before)
    pairs["exp_after"] = exposure(after)
    t = transfers[["sender", "receiver", "month"]]
    key = ["sender", "receiver"]
    n_before = t[t["month"].isin(before)].groupby(key).size().rename("transfers_before")
    n_after = t[t["month"].isin(after)].groupby(key).size().rename("transfers_after")
    pairs = (
        pairs.join(n_before, on=key)
        .join(n_after, on=key)
        .fillna({"transfers_before": 0, "transfers_after": 0})
    )
    g = (
        pairs.groupby(["band_km", "tie"], observed=True)
        .agg(
            pairs=("sender", "size"),
            transfers_before=("transfers_before", "sum"),
            transfers_after=("transfers_after", "sum"),
            exposure_before=("exp_before", "sum"),
            exposure_after=("exp_after", "sum"),
        )
        .reset_index()
    )
    g["rate_before"] = g["transfers_before"] / g["exposure_before"]
    g["rate_after"] = g["transfers_after"] / g["exposure_after"]
    g["ratio"] = g["rate_after"] / g["rate_before"]
    control = g[g["band_km"] == labels[-1]].set_index("tie")["ratio"]
    g["did_ratio"] = g["ratio"] / g["tie"].map(control).to_numpy()
    g["band_km"] = g["band_km"].astype(str)
    g[["transfers_before", "transfers_after"]] = g[["transfers_before", "transfers_after"]].astype(
        "int64"
    )
    return g.drop(columns=["exposure_before", "exposure_after"])


def unicity(records: pd.DataFrame, k: int, n_sims: int = 500, seed: int = 0) -> float:
    """Share of SIMs singled out by ``k`` of their own points (month, tower).

    For each of ``n_sims`` SIMs drawn at random among those with at least ``k`` distinct
    points, ``k`` of its points are drawn; the SIM is unique if no other SIM of
    ``records`` has all of them (de Montjoye et al. 2013, with months instead of hours).

    Parameters
    ----------
    records : DataFrame
        ``sim``, ``month``, ``tower``.
    k : int
        Points known to the attacker (1 or more).
    n_sims : int
        SIMs tested (all if fewer).
    seed : int
        Seed of the draws.

    Returns
    -------
    float
        Share of the tested SIMs that are unique.

    Examples
    --------
    >>> r = pd.DataFrame({"sim": [1, 1, 2], "month": ["2021-01", "2021-02", "2021-01"],
    ...                   "tower": ["T1", "T2", "T1"]})
    >>> unicity(r, k=1, n_sims=10)
    0.5
    """
    _need(records, ["sim", "month", "tower"], table_name="records", caller="unicity")
    if k < 1:
        raise ValueError(f"unicity: k must be 1 or more, not {k}.")
    pts = records[["sim", "month", "tower"]].drop_duplicates()
    point = pts["month"].astype(str) + "|" + pts["tower"].astype(str)
    sims_at = pd.Series(pts["sim"].to_numpy()).groupby(point.to_numpy()).agg(frozenset)
    by_sim = pd.Series(point.to_numpy()).groupby(pts["sim"].to_numpy()).agg(list)
    by_sim = by_sim[by_sim.map(len) >= k]
    rng = np.random.default_rng(seed)
    chosen = rng.choice(by_sim.index.to_numpy(), size=min(n_sims, len(by_sim)), replace=False)
    unique = 0
    for sim in chosen:
        own = by_sim[sim]
        picks = rng.choice(len(own), size=k, replace=False)
        candidates = frozenset.intersection(*(sims_at[own[i]] for i in picks))
        unique += len(candidates) == 1
    return unique / len(chosen)


def k_anonymity(table: pd.DataFrame, quasi_identifiers: list[str], count: str | None = None) -> int:
    """The k of a table: the size of its smallest group of rows alike on the quasi-identifiers.

    Parameters
    ----------
    table : DataFrame
        Individual rows, or an aggregate with a ``count`` column.
    quasi_identifiers : list of str
        Columns an attacker may know (district, sex, age group, month, ...).
    count : str, optional
        Column of counts when ``table`` is an aggregate; groups of count 0 are ignored.

    Returns
    -------
    int
        The smallest group size; a table is k-anonymous for any k up to it.

    Examples
    --------
    >>> t = pd.DataFrame({"district": ["A", "A", "B"], "sex": ["f", "f", "m"]})
    >>> k_anonymity(t, ["district", "sex"])
    1
    """
    _need(
        table,
        quasi_identifiers + ([count] if count else []),
        table_name="table",
        caller="k_anonymity",
    )
    sizes = (
        table.groupby(quasi_identifiers)[count].sum()
        if count
        else table.groupby(quasi_identifiers).size()
    )
    sizes = sizes[sizes > 0]
    return int(sizes.min())


def suppress(table: pd.DataFrame, count: str, threshold: int) -> pd.DataFrame:
    """Withhold counts under ``threshold`` (set to missing) and flag them.

    Parameters
    ----------
    table : DataFrame
        An aggregate with a column of counts.
    count : str
        The column of counts.
    threshold : int
        Smallest count published (counts of 1 to ``threshold - 1`` are withheld; zeros too,
        since a published zero next to withheld cells gives them away).

    Returns
    -------
    DataFrame
        A copy with ``count`` as floats (missing where withheld) and a ``suppressed`` column.

    Examples
    --------
    >>> suppress(pd.DataFrame({"n": [3, 40]}), "n", 10)["n"].tolist()
    [nan, 40.0]
    """
    _need(table, [count], table_name="table", caller="suppress")
    out = table.copy()
    small = out[count] < threshold
    out[count] = out[count].astype(float).where(~small)
    out["suppressed"] = small.to_numpy()
    return out
