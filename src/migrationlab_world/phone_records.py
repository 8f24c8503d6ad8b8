"""Individual-level synthetic traces: call detail records and mobile-money transfers of one country.

A sample of persons aged 15 and over stands for the adult population of one real
low-income country of the course's world (Rwanda, :data:`COUNTRY_ISO3`), living in
invented districts (invented names and coordinates, as the invented cities of
``cities``). Each person has a district every month; the truth plants, in this order:

1. **permanent internal migration** drawn from a planted origin-destination matrix, mostly
   towards the capital;
2. **circular movers**: poorer young adults of rural districts who spend the same months
   of every year in an agricultural district;
3. **a disaster** (an earthquake) in one district at a planted month: a planted share of
   its residents is displaced within two months, mostly to the district of their birth or
   to the capital, and a planted share returns in the following months.

A mobile network operator observes them through SIM cards: ownership varies with wealth,
sex, age and the capital; household heads' SIMs are shared with a member who has none;
SIMs churn and go silent; the towers of the disaster district are down in its month.
Each active SIM-month has events at towers: at night mostly at home, by day partly at
work (commuters into the capital). Mobile-money transfers flow along the contact network;
after the disaster, transfers to recipients near the epicentre rise with a planted
response that falls with distance and rises with tie strength.

Tables (``phone_*``, ``mobile_money_transfers``, ``displacement_survey``) and the truth in
``ground_truth/true_phone_*`` and ``ground_truth/parameters.json`` (``phone_records``).
Sources of the design: Bengtsson et al. (2011), Blumenstock (2012), Blumenstock, Eagle &
Fafchamps (2016), de Montjoye et al. (2013), in ``book/references.bib``.

Usage
-----
>>> resources, planted, calibration = generate_phone_records(world, rng)   # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from migrationlab_world._io import Resource, calibration_row, datasheet
from migrationlab_world.world import World

__all__ = ["COUNTRY_ISO3", "DISTRICTS", "MONTHS", "generate_phone_records"]

#: The country the sample stands for: a low-income country of the world (World Bank
#: income group), with the published phone and mobile-money studies the design follows.
COUNTRY_ISO3 = "RWA"
#: Persons in the sample (aged 15+), and the share of the population aged 15 and over
#: (a plausible value set by the generator) that gives each person's weight.
N_PERSONS = 12_000
ADULT_SHARE = 0.6

#: Invented districts: name, x and y (km from the capital's centre), share of the adult
#: population, kind. Names are made up; no real place is meant.
DISTRICTS: tuple[tuple[str, float, float, float, str], ...] = (
    ("Kalemba", 0.0, 0.0, 0.16, "capital"),
    ("Abenza", 22.0, 14.0, 0.09, "commuter belt"),
    ("Bukora", -18.0, -20.0, 0.09, "commuter belt"),
    ("Dumasi", -95.0, 10.0, 0.11, "lakeside"),
    ("Ekundo", -70.0, 55.0, 0.08, "rural"),
    ("Folwe", 85.0, -60.0, 0.08, "agricultural"),
    ("Gasara", 60.0, 70.0, 0.09, "rural"),
    ("Hiremba", -60.0, -75.0, 0.08, "rural"),
    ("Itazo", 110.0, 20.0, 0.07, "agricultural"),
    ("Jomeka", 20.0, -95.0, 0.08, "rural"),
    ("Lunaro", -115.0, -35.0, 0.09, "rural"),
)
DISTRICT_NAMES = tuple(d[0] for d in DISTRICTS)
CAPITAL = 0
#: Towers per district (more in the capital).
TOWERS_PER_DISTRICT = (12, 4, 4, 5, 3, 3, 3, 3, 3, 3, 3)
TOWER_SPREAD_KM = 7.0

MONTHS = tuple(str(p) for p in pd.period_range("2021-01", "2023-06", freq="M"))
SEX = ("female", "male")
AGE_GROUPS = ("15-24", "25-34", "35-49", "50+")
AGE_SHARES = (0.33, 0.26, 0.23, 0.18)

#: Permanent migration: probability of one move in the window, by age group; the
#: destination is drawn from MIGRATION_MATRIX (rows: origin).
MOVE_PROBABILITY = (0.11, 0.09, 0.045, 0.02)
#: ... times a factor by sex and by wealth quintile: men and the better-off move more, and
#: they also own more SIMs, so SIM counts overstate migration. Post-stratification by sex
#: and age removes the first part of that bias; the wealth part stays (no census cell).
MOVE_SEX_FACTOR = {"female": 0.6, "male": 1.4}
MOVE_WEALTH_FACTOR = (0.6, 0.8, 1.0, 1.2, 1.4)
CAPITAL_PULL = 0.55
DISTANCE_DECAY_KM = 80.0

#: Circular movers: rural residents of wealth quintile 1-2 under 50; in SEASON_MONTHS of
#: every year they stay in an agricultural district.
CIRCULAR_PROBABILITY = 0.3
SEASON_MONTHS = (6, 7, 8)

#: The disaster: district, month, epicentre (km), displacement and return.
DISASTER_DISTRICT = 3
DISASTER_MONTH = "2022-02"
EPICENTRE_KM = (-100.0, 16.0)
DISPLACEMENT_BASE = 0.28
DISPLACEMENT_EFFECTS = {"female": 0.12, "age_50_plus": -0.05, "wealth_q1_q2": 0.10}
DISPLACED_IN_FIRST_MONTH = 0.7
TIES_DESTINATION = 0.6
#: Added to the capital's weight among the other refuges (population x exp(-km / 60)).
TIES_CAPITAL_BONUS = 0.05
RETURN_SHARE = 0.6
RETURN_MONTHLY_HAZARD = 0.25

#: SIM ownership: logit of owning a SIM registered to oneself.
OWNERSHIP_LOGIT = {
    "intercept": 0.4,
    "wealth_quintile": (-1.2, -0.6, 0.0, 0.6, 1.3),
    "female": -0.7,
    "age": (-0.2, 0.3, 0.2, -0.9),
    "capital": 0.6,
}
SHARED_SIM_PROBABILITY = 0.6
#: Churn: share of SIMs starting late, monthly end hazard, replacement, silent months.
LATE_START = 0.12
CHURN_MONTHLY = 0.012
REPLACED_AFTER_CHURN = 0.5
SILENT_MONTH = 0.04

#: Events per SIM-month: log-normal median and sigma; night share; where.
EVENTS_MEDIAN = 30.0
EVENTS_SIGMA = 0.7
SHARED_SIM_EVENTS = 1.6
NIGHT_SHARE = 0.35
NIGHT_AT_HOME = 0.92
DAY_AT_WORK = 0.85
VISIT_PROBABILITY = 0.25
COMMUTER_SHARE = 0.5

#: Contacts and mobile money.
CONTACTS_PER_SIM = 4
TRANSFER_BASE = 0.035
TRANSFER_STRENGTH_ELASTICITY = 0.3
AMOUNT_MEDIAN_USD = 18.0
AMOUNT_SIGMA = 0.8
RESPONSE_AMPLITUDE = 3.0
RESPONSE_DISTANCE_KM = 30.0
RESPONSE_TIE_ELASTICITY = 0.5
RESPONSE_DECAY = (1.0, 0.6, 0.3)
#: Bands of recipient distance from the epicentre (km) for the truth of the response.
RESPONSE_BANDS_KM = (0.0, 25.0, 60.0, 120.0, 1000.0)

#: The survey after the disaster: month offset, host districts reached, sample size.
SURVEY_OFFSET = 3
SURVEY_SAMPLE = 500
OWNERSHIP_SURVEY_SAMPLE = 3000


def generate_phone_records(
    world: World, rng: np.random.Generator
) -> tuple[list[Resource], dict, list[dict]]:
    """Generate persons, SIMs, call records, contacts, transfers and surveys (long).

    Parameters
    ----------
    world : World
        The course's world; only ``world.countries`` (the population of
        :data:`COUNTRY_ISO3`) is read.
    rng : numpy.random.Generator
        The ``phone_records`` stream, ``seeds.rng(seed, "phone_records")`` in ``make data``.

    Returns
    -------
    resources : list of Resource
        The observed tables and the ground truth (``ground_truth/true_phone_*``).
    planted_parameters : dict
        Scalars and small tables of the planted truth.
    calibration_rows : list of dict
        Design checks (not gated): realised displaced share, SIM ownership, naive bias.
    """
    row = world.countries.loc[world.countries["iso3"] == COUNTRY_ISO3]
    if row.empty:
        raise ValueError(
            f"phone_records: country {COUNTRY_ISO3} is not in world.countries; "
            "set COUNTRY_ISO3 in migrationlab_world/phone_records.py to a country of the world."
        )
    weight = float(row["population"].iloc[0]) * ADULT_SHARE / N_PERSONS
    towers = _towers(rng)
    persons = _persons(rng)
    home, persons, matrix = _residence(persons, rng)
    sims, persons = _sims(persons, rng)
    records = _records(persons, sims, home, towers, rng)
    contacts = _contacts(sims, persons, rng)
    transfers, response = _transfers(contacts, sims, persons, home, towers, records, rng)
    census = _census(persons, home, weight)
    ownership = _ownership_survey(persons, home, rng)
    survey = _displacement_survey(persons, home, weight, rng)
    truth = _truth(persons, home, sims, weight)
    planted = _planted(weight, matrix, response, truth, persons)
    calibration = _calibration(planted, persons, sims)
    resources = _resources(
        towers, census, ownership, sims, records, contacts, transfers, survey, truth, planted
    )
    return resources, planted, calibration


# --- the truth ---------------------------------------------------------------------------


def _xy() -> np.ndarray:
    return np.array([[d[1], d[2]] for d in DISTRICTS])


def _towers(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for d, ((name, x, y, _, _), k) in enumerate(zip(DISTRICTS, TOWERS_PER_DISTRICT, strict=True)):
        spread = TOWER_SPREAD_KM * (1.4 if d == CAPITAL else 1.0)
        for _ in range(k):
            dx, dy = rng.normal(0.0, spread, 2)
            rows.append((name, d, round(x + dx, 1), round(y + dy, 1)))
    t = pd.DataFrame(rows, columns=["district", "_d", "x_km", "y_km"])
    t.insert(0, "tower", [f"T{i + 1:03d}" for i in range(len(t))])
    return t


def _persons(rng: np.random.Generator) -> pd.DataFrame:
    """Households of 1-4 adults; sex, age, wealth, district and birth district."""
    sizes = []
    while sum(sizes) < N_PERSONS:
        sizes.append(1 + rng.binomial(3, 0.4))
    sizes[-1] -= sum(sizes) - N_PERSONS
    sizes = np.array([s for s in sizes if s > 0])
    hh = np.repeat(np.arange(sizes.size), sizes)
    first = np.r_[True, hh[1:] != hh[:-1]]
    n = hh.size
    share = np.array([d[3] for d in DISTRICTS])
    hh_district = rng.choice(len(DISTRICTS), size=sizes.size, p=share / share.sum())
    district = hh_district[hh]
    # Wealth by household: richer in the capital.
    base = rng.normal(0.0, 1.0, sizes.size) + np.where(hh_district == CAPITAL, 0.7, 0.0)
    quintile = (np.searchsorted(np.quantile(base, [0.2, 0.4, 0.6, 0.8]), base) + 1)[hh]
    female = np.where(first, rng.random(n) < 0.3, rng.random(n) < 0.62)
    age = rng.choice(4, size=n, p=AGE_SHARES)
    age = np.where(first, np.maximum(age, rng.choice(4, size=n, p=(0.1, 0.3, 0.35, 0.25))), age)
    born_elsewhere = rng.random(n) < np.where(district == CAPITAL, 0.5, 0.25)
    other = (district + rng.integers(1, len(DISTRICTS), n)) % len(DISTRICTS)
    return pd.DataFrame(
        {
            "person": np.arange(1, n + 1),
            "household": hh + 1,
            "household_head": first,
            "sex": np.array(SEX)[(~female).astype(int)],
            "age_group": np.array(AGE_GROUPS)[age],
            "_age": age,
            "wealth_quintile": quintile,
            "birth_district": np.where(born_elsewhere, other, district),
            "_district0": district,
            "_u_home": rng.random(n),
            "_u_work": rng.random(n),
        }
    )


def migration_matrix_planted() -> np.ndarray:
    """Planted destination probabilities of a permanent move, rows = origin district."""
    xy = _xy()
    dist = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    share = np.array([d[3] for d in DISTRICTS])
    w = share[None, :] * np.exp(-dist / DISTANCE_DECAY_KM)
    np.fill_diagonal(w, 0.0)
    w[:, CAPITAL] = 0.0
    w = w / w.sum(axis=1, keepdims=True)
    m = w * (1 - CAPITAL_PULL)
    m[:, CAPITAL] = CAPITAL_PULL
    m[CAPITAL] = w[CAPITAL]
    return m


def _residence(persons: pd.DataFrame, rng: np.random.Generator):
    """Monthly district of every person (n x months) with the planted moves (long)."""
    n, t = len(persons), len(MONTHS)
    d0 = persons["_district0"].to_numpy()
    age = persons["_age"].to_numpy()
    kinds = np.array([d[4] for d in DISTRICTS])
    home = np.repeat(d0[:, None], t, axis=1).astype(np.int16)
    # Circular movers first (they do not move permanently).
    eligible = (kinds[d0] == "rural") & (persons["wealth_quintile"].to_numpy() <= 2) & (age < 3)
    circular = eligible & (rng.random(n) < CIRCULAR_PROBABILITY)
    agri = np.flatnonzero(kinds == "agricultural")
    xy = _xy()
    nearest = agri[
        np.argmin(np.hypot(*(xy[d0][:, None, :] - xy[agri][None]).transpose(2, 0, 1)), axis=1)
    ]
    other = agri[(np.searchsorted(agri, nearest) + 1) % agri.size]
    season_district = np.where(rng.random(n) < 0.8, nearest, other)
    season = np.array([int(m[5:]) in SEASON_MONTHS for m in MONTHS])
    # Permanent moves.
    matrix = migration_matrix_planted()
    move_p = (
        np.array(MOVE_PROBABILITY)[age]
        * persons["sex"].map(MOVE_SEX_FACTOR).to_numpy()
        * np.array(MOVE_WEALTH_FACTOR)[persons["wealth_quintile"].to_numpy() - 1]
    )
    moves = ~circular & (rng.random(n) < move_p)
    move_month = np.where(moves, rng.integers(1, t, n), t)
    dest = np.array([rng.choice(len(DISTRICTS), p=matrix[o]) for o in d0])
    cols = np.arange(t)[None, :]
    home = np.where(cols >= move_month[:, None], dest[:, None], home).astype(np.int16)
    # Household members who did not move stay: moves are individual.
    # The disaster.
    dm = MONTHS.index(DISASTER_MONTH)
    at_risk = home[:, dm - 1] == DISASTER_DISTRICT
    p = (
        DISPLACEMENT_BASE
        + DISPLACEMENT_EFFECTS["female"] * (persons["sex"].to_numpy() == "female")
        + DISPLACEMENT_EFFECTS["age_50_plus"] * (age == 3)
        + DISPLACEMENT_EFFECTS["wealth_q1_q2"] * (persons["wealth_quintile"].to_numpy() <= 2)
    )
    displaced = at_risk & (rng.random(n) < p)
    leave = dm + (rng.random(n) >= DISPLACED_IN_FIRST_MONTH)
    birth = persons["birth_district"].to_numpy()
    dist_from = np.hypot(*(xy - xy[DISASTER_DISTRICT]).T)
    ties_w = np.array([d[3] for d in DISTRICTS]) * np.exp(-dist_from / 60.0)
    ties_w[DISASTER_DISTRICT] = 0.0
    ties_w[CAPITAL] += TIES_CAPITAL_BONUS
    drawn = rng.choice(len(DISTRICTS), size=n, p=ties_w / ties_w.sum())
    use_birth = (birth != DISASTER_DISTRICT) & (rng.random(n) < TIES_DESTINATION)
    refuge = np.where(use_birth, birth, drawn)
    returns = displaced & (rng.random(n) < RETURN_SHARE)
    back = np.where(returns, dm + 1 + rng.geometric(RETURN_MONTHLY_HAZARD, n), t)
    back = np.minimum(back, t)
    for i in np.flatnonzero(displaced):
        home[i, leave[i] :] = refuge[i]
        home[i, back[i] :] = DISASTER_DISTRICT
    # Season months come last (movers are never displaced: no rural district is hit).
    home = np.where(circular[:, None] & season[None, :], season_district[:, None], home)
    persons = persons.assign(
        circular_mover=circular,
        season_district=np.where(circular, season_district, -1),
        permanent_mover=moves & ~displaced | (moves & displaced & (move_month < dm)),
        move_month=move_month,
        displaced=displaced,
        displaced_month=np.where(displaced, leave, -1),
        refuge_district=np.where(displaced, refuge, -1),
        returned_month=np.where(displaced & (back < t), back, -1),
    )
    return home, persons, matrix


def _logistic(x):
    return 1.0 / (1.0 + np.exp(-x))


def _sims(persons: pd.DataFrame, rng: np.random.Generator):
    """SIMs: owners, shared use, activity spans, churn with replacement SIMs."""
    n, t = len(persons), len(MONTHS)
    c = OWNERSHIP_LOGIT
    logit = (
        c["intercept"]
        + np.array(c["wealth_quintile"])[persons["wealth_quintile"].to_numpy() - 1]
        + c["female"] * (persons["sex"].to_numpy() == "female")
        + np.array(c["age"])[persons["_age"].to_numpy()]
        + c["capital"] * (persons["_district0"].to_numpy() == CAPITAL)
    )
    p_own = _logistic(logit)
    owns = rng.random(n) < p_own
    head_idx = persons.groupby("household")["person"].transform("min").to_numpy() - 1
    head_owns = owns[head_idx]
    shares = ~owns & head_owns & ~persons["household_head"].to_numpy()
    shares &= rng.random(n) < SHARED_SIM_PROBABILITY
    # Only one sharer per head's SIM.
    sharer_of = pd.Series(np.flatnonzero(shares)).groupby(head_idx[shares]).first()
    shares = np.zeros(n, dtype=bool)
    shares[sharer_of.to_numpy()] = True
    owners = np.flatnonzero(owns)
    start = np.where(rng.random(owners.size) < LATE_START, rng.integers(1, t, owners.size), 0)
    life = rng.geometric(CHURN_MONTHLY, owners.size)
    end = np.minimum(start + life, t)
    rows = [(o, s, e) for o, s, e in zip(owners, start, end, strict=True)]
    replaced = (end < t) & (rng.random(owners.size) < REPLACED_AFTER_CHURN)
    rows += [(o, e, t) for o, e in zip(owners[replaced], end[replaced], strict=True)]
    sims = pd.DataFrame(rows, columns=["_owner", "_start", "_end"])
    sims = sims.sort_values(["_owner", "_start"], ignore_index=True)
    ids = rng.choice(np.arange(100_000, 1_000_000), size=len(sims), replace=False)
    sims.insert(0, "sim", ids)
    sharer = pd.Series(sharer_of.index.to_numpy(), index=sharer_of.to_numpy())  # sharer->head
    head_to_sharer = pd.Series(sharer.index.to_numpy(), index=sharer.to_numpy())
    sims["_sharer"] = sims["_owner"].map(head_to_sharer).fillna(-1).astype(int)
    sims["registered_sex"] = persons["sex"].to_numpy()[sims["_owner"]]
    sims["registered_age_group"] = persons["age_group"].to_numpy()[sims["_owner"]]
    first_sim = sims.groupby("_owner")["sim"].first()
    persons = persons.assign(
        owns_sim=owns,
        p_own_sim=p_own,
        uses_shared_sim=shares,
        sim=pd.Series(np.arange(n)).map(first_sim).astype("Int64").to_numpy(),
    )
    shared_sim = pd.Series(np.arange(n))[shares].map(lambda i: first_sim.get(head_idx[i], pd.NA))
    used = pd.Series(pd.NA, index=np.arange(n), dtype="Int64")
    used[shared_sim.index] = shared_sim.astype("Int64")
    persons["shared_sim"] = used.to_numpy()
    return sims, persons


def _records(persons, sims, home, towers, rng: np.random.Generator) -> pd.DataFrame:
    """Monthly events per SIM and tower: night and day counts (long)."""
    t = len(MONTHS)
    dm = MONTHS.index(DISASTER_MONTH)
    tower_d = towers["_d"].to_numpy()
    first = np.searchsorted(tower_d, np.arange(len(DISTRICTS)))
    count = np.bincount(tower_d, minlength=len(DISTRICTS))
    kinds = np.array([d[4] for d in DISTRICTS])
    owner = sims["_owner"].to_numpy()
    n_sims = len(sims)
    d = home[owner].astype(int)  # sims x months
    uh = persons["_u_home"].to_numpy()[owner][:, None]
    uw = persons["_u_work"].to_numpy()[owner][:, None]
    home_tower = first[d] + np.floor(uh * count[d]).astype(int)
    commuter = (kinds[d] == "commuter belt") & (uw < COMMUTER_SHARE)
    same = uw < 0.5 + COMMUTER_SHARE / 2
    local_work = first[d] + np.floor(((uw * 7.3) % 1.0) * count[d]).astype(int)
    capital_work = first[CAPITAL] + np.floor(((uw * 3.7) % 1.0) * count[CAPITAL]).astype(int)
    work = np.where(commuter, capital_work, np.where(same & ~commuter, home_tower, local_work))
    month = np.arange(t)[None, :]
    active = (month >= sims["_start"].to_numpy()[:, None]) & (
        month < sims["_end"].to_numpy()[:, None]
    )
    active &= rng.random((n_sims, t)) >= SILENT_MONTH
    active &= ~((d == DISASTER_DISTRICT) & (month == dm))  # towers down
    scale = np.where(sims["_sharer"].to_numpy() >= 0, SHARED_SIM_EVENTS, 1.0)[:, None]
    level = rng.lognormal(np.log(EVENTS_MEDIAN), EVENTS_SIGMA, n_sims)[:, None] * scale
    total = rng.poisson(level * rng.lognormal(0.0, 0.3, (n_sims, t)))
    night = rng.binomial(total, NIGHT_SHARE)
    day = total - night
    visit = rng.random((n_sims, t)) < VISIT_PROBABILITY
    weights = np.array([dd[3] for dd in DISTRICTS])[tower_d] / count[tower_d]
    visit_tower = rng.choice(len(towers), size=(n_sims, t), p=weights / weights.sum())
    night_away = np.where(visit, rng.binomial(night, 1 - NIGHT_AT_HOME), 0)
    day_away = rng.binomial(day, 1 - DAY_AT_WORK)
    day_visit = np.where(visit, day_away, 0)
    day_home = np.where(visit, 0, day_away)  # without a visit, off-work hours are at home
    parts = [
        (home_tower, night - night_away, day_home),
        (work, np.zeros_like(day), day - day_away),
        (visit_tower, night_away, day_visit),
    ]
    sim_ids = np.broadcast_to(sims["sim"].to_numpy()[:, None], (n_sims, t))
    months = np.broadcast_to(month, (n_sims, t))
    frames = []
    for tower, n_night, n_day in parts:
        keep = active & ((n_night + n_day) > 0)
        frames.append(
            pd.DataFrame(
                {
                    "sim": sim_ids[keep],
                    "_m": months[keep],
                    "_t": tower[keep],
                    "night_events": n_night[keep],
                    "day_events": n_day[keep],
                }
            )
        )
    rec = pd.concat(frames, ignore_index=True)
    rec = rec.groupby(["sim", "_m", "_t"], as_index=False)[["night_events", "day_events"]].sum()
    rec["month"] = np.array(MONTHS)[rec["_m"]]
    rec["tower"] = towers["tower"].to_numpy()[rec["_t"]]
    return rec[["sim", "month", "tower", "night_events", "day_events", "_m", "_t"]]


def _contacts(sims, persons, rng: np.random.Generator) -> pd.DataFrame:
    """Undirected contact pairs of SIMs with their calls before the disaster."""
    dm = MONTHS.index(DISASTER_MONTH)
    s = sims[sims["_start"] < dm].reset_index(drop=True)
    owner = s["_owner"].to_numpy()
    birth = persons["birth_district"].to_numpy()[owner]
    here = persons["_district0"].to_numpy()[owner]
    n = len(s)
    by_birth = pd.Series(np.arange(n)).groupby(birth).apply(np.asarray).to_dict()
    by_here = pd.Series(np.arange(n)).groupby(here).apply(np.asarray).to_dict()
    a, b, family = [], [], []
    for i in range(n):
        for _ in range(CONTACTS_PER_SIM // 2):
            u = rng.random()
            if u < 0.5:
                pool, fam = by_birth[birth[i]], True
            elif u < 0.8:
                pool, fam = by_here[here[i]], False
            else:
                pool, fam = None, False
            j = rng.integers(n) if pool is None else pool[rng.integers(pool.size)]
            if j != i:
                a.append(min(i, j))
                b.append(max(i, j))
                family.append(fam)
    pairs = pd.DataFrame({"_a": a, "_b": b, "_family": family})
    pairs = pairs.groupby(["_a", "_b"], as_index=False)["_family"].max()
    strength = rng.lognormal(np.log(np.where(pairs["_family"], 40.0, 12.0)), 0.9)
    months = np.minimum(
        dm - np.maximum(s["_start"].to_numpy()[pairs["_a"]], s["_start"].to_numpy()[pairs["_b"]]),
        dm,
    )
    calls = rng.poisson(strength * months / dm)
    sim_ids = s["sim"].to_numpy()
    out = pd.DataFrame(
        {"sim_a": sim_ids[pairs["_a"]], "sim_b": sim_ids[pairs["_b"]], "calls_before": calls}
    )
    out = out[out["calls_before"] > 0]
    return out.sort_values(["sim_a", "sim_b"], ignore_index=True)


def _transfers(contacts, sims, persons, home, towers, records, rng: np.random.Generator):
    """Monthly mobile-money transfers along contacts, with the planted disaster response."""
    t = len(MONTHS)
    dm = MONTHS.index(DISASTER_MONTH)
    pairs = pd.concat(
        [
            contacts.rename(columns={"sim_a": "sender", "sim_b": "receiver"}),
            contacts.rename(columns={"sim_b": "sender", "sim_a": "receiver"}),
        ],
        ignore_index=True,
    )
    idx = pd.Series(np.arange(len(sims)), index=sims["sim"].to_numpy())
    si, ri = idx[pairs["sender"]].to_numpy(), idx[pairs["receiver"]].to_numpy()
    start, end = sims["_start"].to_numpy(), sims["_end"].to_numpy()
    owner = sims["_owner"].to_numpy()
    # Distance of the receiver's true home tower before the disaster from the epicentre.
    tower_d = towers["_d"].to_numpy()
    first = np.searchsorted(tower_d, np.arange(len(DISTRICTS)))
    count = np.bincount(tower_d, minlength=len(DISTRICTS))
    d_before = home[owner[ri], dm - 1].astype(int)
    ht = first[d_before] + np.floor(persons["_u_home"].to_numpy()[owner[ri]] * count[d_before])
    ht = ht.astype(int)
    dist = np.hypot(
        towers["x_km"].to_numpy()[ht] - EPICENTRE_KM[0],
        towers["y_km"].to_numpy()[ht] - EPICENTRE_KM[1],
    )
    calls = pairs["calls_before"].to_numpy().astype(float)
    rel = calls / np.median(calls)
    base = TRANSFER_BASE * rel**TRANSFER_STRENGTH_ELASTICITY
    lift = RESPONSE_AMPLITUDE * np.exp(-dist / RESPONSE_DISTANCE_KM) * rel**RESPONSE_TIE_ELASTICITY
    month = np.arange(t)[None, :]
    decay = np.zeros(t)
    decay[dm : dm + len(RESPONSE_DECAY)] = RESPONSE_DECAY
    prob = np.minimum(base[:, None] * (1.0 + lift[:, None] * decay[None, :]), 1.0)
    both = (month >= np.maximum(start[si], start[ri])[:, None]) & (
        month < np.minimum(end[si], end[ri])[:, None]
    )
    hit = both & (rng.random(prob.shape) < prob)
    p_idx, m_idx = np.nonzero(hit)
    amount = np.round(rng.lognormal(np.log(AMOUNT_MEDIAN_USD), AMOUNT_SIGMA, p_idx.size), 2)
    transfers = pd.DataFrame(
        {
            "sender": pairs["sender"].to_numpy()[p_idx],
            "receiver": pairs["receiver"].to_numpy()[p_idx],
            "month": np.array(MONTHS)[m_idx],
            "amount_usd": amount,
        }
    ).sort_values(["month", "sender", "receiver"], ignore_index=True)
    # Planted response by band and tie strength: mean multiplier of the expected transfer
    # count over the three months after the disaster, weighted by the base probability.
    strong = calls >= np.median(calls)
    band = np.digitize(dist, RESPONSE_BANDS_KM[1:-1])
    mean_decay = float(np.mean(RESPONSE_DECAY))
    rows = []
    for b in range(len(RESPONSE_BANDS_KM) - 1):
        for label, mask in (("weak", ~strong), ("strong", strong)):
            sel = (band == b) & mask
            w = base[sel]
            mult = float(np.sum(w * (1 + lift[sel] * mean_decay)) / w.sum()) if sel.any() else 1.0
            rows.append(
                {
                    "band_km": f"{RESPONSE_BANDS_KM[b]:g}-{RESPONSE_BANDS_KM[b + 1]:g}",
                    "tie": label,
                    "pairs": int(sel.sum()),
                    "planted_multiplier": round(mult, 4),
                }
            )
    return transfers, rows


# --- instruments besides the records ------------------------------------------------------


def _census(persons, home, weight) -> pd.DataFrame:
    """Census of the adult population at the start: district x sex x age group."""
    df = pd.DataFrame({"_d": home[:, 0], "sex": persons["sex"], "age_group": persons["age_group"]})
    full = pd.MultiIndex.from_product(
        [range(len(DISTRICTS)), SEX, AGE_GROUPS], names=["_d", "sex", "age_group"]
    )
    counts = df.groupby(["_d", "sex", "age_group"]).size().reindex(full, fill_value=0)
    out = counts.reset_index(name="n")
    out["population"] = (np.round(out.pop("n") * weight / 10) * 10).astype("int64")
    out.insert(0, "district", np.array(DISTRICT_NAMES)[out.pop("_d")])
    return out


def _ownership_survey(persons, home, rng: np.random.Generator) -> pd.DataFrame:
    """A household survey on phone use: a random sample of adults, with sampling error."""
    pick = rng.choice(len(persons), size=OWNERSHIP_SURVEY_SAMPLE, replace=False)
    p = persons.iloc[pick]
    area = np.where(home[pick, 0] == CAPITAL, "capital", "rest of country")
    df = pd.DataFrame(
        {
            "area": area,
            "sex": p["sex"].to_numpy(),
            "age_group": p["age_group"].to_numpy(),
            "own": p["owns_sim"].to_numpy(),
            "shared": p["uses_shared_sim"].to_numpy(),
        }
    )
    out = df.groupby(["area", "sex", "age_group"], as_index=False).agg(
        respondents=("own", "size"), own_sim=("own", "sum"), use_shared_sim=("shared", "sum")
    )
    out[["own_sim", "use_shared_sim"]] = out[["own_sim", "use_shared_sim"]].astype("int64")
    return out


def _displacement_survey(persons, home, weight, rng: np.random.Generator) -> pd.DataFrame:
    """Survey of displaced people in the host districts next to the disaster district."""
    m = MONTHS.index(DISASTER_MONTH) + SURVEY_OFFSET
    xy = _xy()
    dist = np.hypot(*(xy - xy[DISASTER_DISTRICT]).T)
    dist[DISASTER_DISTRICT] = np.inf
    dist[CAPITAL] = np.inf  # the capital's hosts live dispersed: no sites to survey
    hosts = np.argsort(dist)[:3]
    displaced = persons["displaced"].to_numpy()
    rows = []
    for h in sorted(hosts):
        residents = np.flatnonzero(home[:, m] == h)
        sample = rng.choice(residents, size=min(SURVEY_SAMPLE, residents.size), replace=False)
        found = int(
            np.sum(displaced[sample] & (persons["refuge_district"].to_numpy()[sample] == h))
        )
        share = found / sample.size
        population = residents.size * weight
        rows.append(
            {
                "district": DISTRICT_NAMES[h],
                "month": MONTHS[m],
                "respondents": int(sample.size),
                "displaced_respondents": found,
                "estimated_displaced": int(round(share * population, -1)),
                "standard_error": int(
                    round(np.sqrt(share * (1 - share) / sample.size) * population, -1)
                ),
            }
        )
    return pd.DataFrame(rows)


def _truth(persons, home, sims, weight) -> dict:
    """Ground-truth tables: persons, residence spells, true migration matrix."""
    n, t = home.shape
    change = np.c_[np.ones((n, 1), bool), home[:, 1:] != home[:, :-1]]
    i, m = np.nonzero(change)
    spells = pd.DataFrame({"person": i + 1, "_m": m, "_d": home[i, m]})
    spells["last"] = spells.groupby("person")["_m"].shift(-1).fillna(t).astype(int) - 1
    spells = pd.DataFrame(
        {
            "person": spells["person"],
            "district": np.array(DISTRICT_NAMES)[spells["_d"]],
            "first_month": np.array(MONTHS)[spells["_m"]],
            "last_month": np.array(MONTHS)[spells["last"]],
        }
    )
    before, after = _period_mode(home, 0, 5), _period_mode(home, 24, 29)
    od = pd.crosstab(before, after).reindex(
        index=range(len(DISTRICTS)), columns=range(len(DISTRICTS)), fill_value=0
    )
    mig = od.stack().reset_index()
    mig.columns = ["_o", "_d", "n"]
    mig = pd.DataFrame(
        {
            "origin": np.array(DISTRICT_NAMES)[mig["_o"]],
            "destination": np.array(DISTRICT_NAMES)[mig["_d"]],
            "persons_sampled": mig["n"].astype("int64"),
            "persons": np.round(mig["n"] * weight).astype("int64"),
        }
    )
    sim_of = sims.groupby("_owner")["sim"].apply(lambda s: ";".join(map(str, s)))
    names = np.array(DISTRICT_NAMES + ("",))
    p = persons
    people = pd.DataFrame(
        {
            "person": p["person"],
            "household": p["household"],
            "household_head": p["household_head"],
            "sex": p["sex"],
            "age_group": p["age_group"],
            "wealth_quintile": p["wealth_quintile"],
            "birth_district": names[p["birth_district"]],
            "sims_owned": pd.Series(np.arange(n)).map(sim_of).fillna("").to_numpy(),
            "shared_sim": p["shared_sim"],
            "commuter_belt_worker": False,
            "circular_mover": p["circular_mover"],
            "season_district": names[p["season_district"]],
            "permanent_mover": p["permanent_mover"],
            "displaced": p["displaced"],
            "displaced_month": _month_or_blank(p["displaced_month"]),
            "refuge_district": names[p["refuge_district"]],
            "returned_month": _month_or_blank(p["returned_month"]),
        }
    ).drop(columns="commuter_belt_worker")
    return {"persons": people, "residence": spells, "migration": mig}


def _month_or_blank(col) -> np.ndarray:
    labels = np.array(MONTHS + ("",))
    return labels[np.where(col.to_numpy() >= 0, col.to_numpy(), len(MONTHS))]


def _period_mode(home: np.ndarray, first: int, last: int) -> np.ndarray:
    """Most frequent district of each row over months first..last (ties: lowest)."""
    block = home[:, first : last + 1].astype(int)
    counts = np.stack([(block == d).sum(axis=1) for d in range(len(DISTRICTS))], axis=1)
    return counts.argmax(axis=1)


def _planted(weight, matrix, response, truth, persons) -> dict:
    dm = MONTHS.index(DISASTER_MONTH)
    people = truth["persons"]
    resid = truth["residence"]
    at_risk = _residents_at(resid, DISTRICT_NAMES[DISASTER_DISTRICT], MONTHS[dm - 1])
    disp = people.set_index("person").loc[at_risk, "displaced"]
    returned_by_end = people.set_index("person").loc[at_risk][disp]["returned_month"] != ""
    return {
        "country_iso3": COUNTRY_ISO3,
        "persons_in_sample": N_PERSONS,
        "adult_share": ADULT_SHARE,
        "person_weight": round(weight, 2),
        "months": [MONTHS[0], MONTHS[-1]],
        "districts": [
            {"district": d[0], "x_km": d[1], "y_km": d[2], "population_share": d[3], "kind": d[4]}
            for d in DISTRICTS
        ],
        "migration_matrix": {
            "rows": "origin district",
            "columns": "destination district",
            "order": list(DISTRICT_NAMES),
            "values": [[round(float(v), 4) for v in r] for r in matrix],
        },
        "move_probability_by_age_group": dict(zip(AGE_GROUPS, MOVE_PROBABILITY, strict=True)),
        "move_probability_factor_by_sex": MOVE_SEX_FACTOR,
        "move_probability_factor_by_wealth_quintile": list(MOVE_WEALTH_FACTOR),
        "migration_periods": {"before": [MONTHS[0], MONTHS[5]], "after": [MONTHS[24], MONTHS[29]]},
        "circular_movers": {
            "probability_if_eligible": CIRCULAR_PROBABILITY,
            "eligible": "rural district, wealth quintile 1-2, aged under 50",
            "season_months": list(SEASON_MONTHS),
            "share_of_persons": round(float(persons["circular_mover"].mean()), 4),
        },
        "disaster": {
            "district": DISTRICT_NAMES[DISASTER_DISTRICT],
            "month": DISASTER_MONTH,
            "epicentre_km": list(EPICENTRE_KM),
            "displacement_base_probability": DISPLACEMENT_BASE,
            "displacement_effects": dict(DISPLACEMENT_EFFECTS),
            "displaced_in_first_month": DISPLACED_IN_FIRST_MONTH,
            "to_birth_district_if_elsewhere": TIES_DESTINATION,
            "capital_bonus_among_other_refuges": TIES_CAPITAL_BONUS,
            "eventual_return_share": RETURN_SHARE,
            "return_monthly_hazard": RETURN_MONTHLY_HAZARD,
            "residents_before": int(len(at_risk)),
            "true_displaced_share": round(float(disp.mean()), 4),
            "true_return_share_by_end": round(float(returned_by_end.mean()), 4),
        },
        "sim_ownership_logit": {
            k: v if np.isscalar(v) else list(v) for k, v in OWNERSHIP_LOGIT.items()
        },
        "shared_sim_probability": SHARED_SIM_PROBABILITY,
        "churn": {
            "late_start": LATE_START,
            "monthly_end_hazard": CHURN_MONTHLY,
            "replaced_after_churn": REPLACED_AFTER_CHURN,
            "silent_month": SILENT_MONTH,
        },
        "events": {
            "median_per_sim_month": EVENTS_MEDIAN,
            "night_share": NIGHT_SHARE,
            "night_at_home": NIGHT_AT_HOME,
            "day_at_work": DAY_AT_WORK,
            "commuter_share_in_commuter_belt": COMMUTER_SHARE,
        },
        "remittance_response": {
            "base_monthly_probability": TRANSFER_BASE,
            "base_tie_elasticity": TRANSFER_STRENGTH_ELASTICITY,
            "amplitude": RESPONSE_AMPLITUDE,
            "distance_scale_km": RESPONSE_DISTANCE_KM,
            "tie_elasticity": RESPONSE_TIE_ELASTICITY,
            "decay_by_month_after": list(RESPONSE_DECAY),
            "formula": "P = base * (calls/median)^base_tie_elasticity * (1 + amplitude * "
            "exp(-distance_km/distance_scale_km) * (calls/median)^tie_elasticity * decay)",
            "by_band": response,
        },
    }


def _residents_at(resid: pd.DataFrame, district: str, month: str) -> np.ndarray:
    sel = (resid["district"] == district) & (resid["first_month"] <= month)
    sel &= resid["last_month"] >= month
    return resid.loc[sel, "person"].to_numpy()


def _calibration(planted, persons, sims) -> list[dict]:
    src = "design check (phone_records)"
    return [
        calibration_row(
            "phone_records: true share of the disaster district's residents displaced",
            src,
            None,
            planted["disaster"]["true_displaced_share"],
            None,
            "share",
        ),
        calibration_row(
            "phone_records: share of adults owning a SIM",
            src,
            None,
            float(persons["owns_sim"].mean()),
            None,
            "share",
        ),
        calibration_row(
            "phone_records: share of persons who are circular movers",
            src,
            None,
            planted["circular_movers"]["share_of_persons"],
            None,
            "share",
        ),
    ]


# --- resources --------------------------------------------------------------------------


def _f(name, type_, description, unit=None, required=True, **cons) -> dict:
    field = {"name": name, "type": type_, "description": description}
    if unit:
        field["unit"] = unit
    field["constraints"] = {"required": required, **cons}
    return field


def _month_field(name="month", description="Month (YYYY-MM).", required=True) -> dict:
    f = _f(name, "string", description, pattern=r"\d{4}-\d{2}")
    f["constraints"]["required"] = required
    return f


def _district_field(name="district", description="Invented district name.", required=True):
    f = _f(name, "string", description, enum=list(DISTRICT_NAMES))
    f["constraints"]["required"] = required
    return f


def _sim_field(
    name="sim", description="Synthetic SIM number (no real number behind it).", required=True
):
    return _f(name, "integer", description, required=required, minimum=100000)


def _count(name, description) -> dict:
    return _f(name, "integer", description, "count", minimum=0)


def _schema(fields, key, **extra) -> dict:
    return {"fields": fields, "primaryKey": key, "missingValues": [""], **extra}


def _resources(
    towers, census, ownership, sims, records, contacts, transfers, survey, truth, planted
) -> list[Resource]:
    """Every table as a Resource with schema and datasheet (long: one block per table)."""
    common = datasheet(
        "phone_and_money",
        n_persons=f"{N_PERSONS:,}",
        n_districts=len(DISTRICTS),
        capital=DISTRICT_NAMES[CAPITAL],
        first_month=MONTHS[0],
        last_month=MONTHS[-1],
        person_weight=f"{planted['person_weight']:,.0f}",
        disaster_district=DISTRICT_NAMES[DISASTER_DISTRICT],
        disaster_month=DISASTER_MONTH,
        displacement_base=DISPLACEMENT_BASE,
        return_share=RETURN_SHARE,
        capital_pull=CAPITAL_PULL,
        season_months=", ".join(pd.Timestamp(2000, m, 1).strftime("%B") for m in SEASON_MONTHS),
        shared_probability=SHARED_SIM_PROBABILITY,
        night_share=NIGHT_SHARE,
        commuter_share=COMMUTER_SHARE,
        response_amplitude=RESPONSE_AMPLITUDE,
        response_distance=RESPONSE_DISTANCE_KM,
        survey_offset=SURVEY_OFFSET,
        survey_sample=SURVEY_SAMPLE,
    )
    mimic_cdr = "Call detail records of a mobile network operator, aggregated per SIM and month"
    towers_out = towers[["tower", "district", "x_km", "y_km"]]
    sims_out = sims[["sim", "registered_sex", "registered_age_group"]].sort_values(
        "sim", ignore_index=True
    )
    records_out = records.sort_values(["sim", "_m", "_t"])[
        ["sim", "month", "tower", "night_events", "day_events"]
    ].reset_index(drop=True)
    dm = MONTHS.index(DISASTER_MONTH)
    disaster = pd.DataFrame(
        [
            {
                "event": "earthquake",
                "district": DISTRICT_NAMES[DISASTER_DISTRICT],
                "month": MONTHS[dm],
                "epicentre_x_km": EPICENTRE_KM[0],
                "epicentre_y_km": EPICENTRE_KM[1],
            }
        ]
    )
    sex_enum = {"enum": list(SEX)}
    age_enum = {"enum": list(AGE_GROUPS)}
    specs = [
        (
            "phone_towers",
            "phone_towers.csv",
            "Phone towers of the synthetic country",
            "Towers (antennas) with their invented district and coordinates (km).",
            towers_out,
            _schema(
                [
                    _f("tower", "string", "Tower id.", unique=True),
                    _district_field(),
                    _f("x_km", "number", "East coordinate from the capital's centre.", "km"),
                    _f("y_km", "number", "North coordinate from the capital's centre.", "km"),
                ],
                ["tower"],
            ),
            "A mobile operator's cell-tower list",
        ),
        (
            "phone_census",
            "phone_census.csv",
            "Census of the synthetic country's adults",
            "Population aged 15+ by invented district, sex and age group at the start of "
            "the window (rounded to tens).",
            census,
            _schema(
                [
                    _district_field(),
                    _f("sex", "string", "Sex.", **sex_enum),
                    _f("age_group", "string", "Age group (years).", **age_enum),
                    _count("population", "Residents aged 15+ (persons, rounded to 10)."),
                ],
                ["district", "sex", "age_group"],
            ),
            "A census table of population by district, sex and age",
        ),
        (
            "phone_ownership_survey",
            "phone_ownership_survey.csv",
            "Survey of mobile-phone ownership (synthetic)",
            "A random sample of adults: who owns a SIM registered to them, and who uses "
            "the SIM of another household member.",
            ownership,
            _schema(
                [
                    _f(
                        "area",
                        "string",
                        "Capital or rest of the country.",
                        enum=["capital", "rest of country"],
                    ),
                    _f("sex", "string", "Sex.", **sex_enum),
                    _f("age_group", "string", "Age group (years).", **age_enum),
                    _count("respondents", "Adults interviewed."),
                    _count("own_sim", "Respondents owning a SIM registered to them."),
                    _count("use_shared_sim", "Respondents using a household member's SIM."),
                ],
                ["area", "sex", "age_group"],
            ),
            "A household survey module on mobile-phone ownership (GSMA, DHS style)",
        ),
        (
            "phone_subscribers",
            "phone_subscribers.csv",
            "SIM subscribers (synthetic)",
            "Every SIM with the sex and age group of the person it is registered to.",
            sims_out,
            _schema(
                [
                    _sim_field(),
                    _f("registered_sex", "string", "Sex of the registered owner.", **sex_enum),
                    _f(
                        "registered_age_group",
                        "string",
                        "Age group of the registered owner.",
                        **age_enum,
                    ),
                ],
                ["sim"],
            ),
            "An operator's subscriber register (SIM registration data)",
        ),
        (
            "phone_records",
            "phone_records.csv.gz",
            "Call detail records per SIM and month",
            "Events (calls, texts, data sessions) per SIM, month and tower, split into night "
            "(20:00-07:00) and day; only non-zero rows.",
            records_out,
            _schema(
                [
                    _sim_field(),
                    _month_field(),
                    _f("tower", "string", "Tower id (phone_towers)."),
                    _count("night_events", "Events between 20:00 and 07:00."),
                    _count("day_events", "Events between 07:00 and 20:00."),
                ],
                ["sim", "month", "tower"],
            ),
            mimic_cdr,
        ),
        (
            "phone_contacts",
            "phone_contacts.csv.gz",
            "Contacts between SIMs (synthetic)",
            "Pairs of SIMs that called each other before the disaster, with the number of "
            f"calls between {MONTHS[0]} and {MONTHS[dm - 1]} (tie strength).",
            contacts,
            _schema(
                [
                    _sim_field("sim_a", "One SIM of the pair (the smaller number)."),
                    _sim_field("sim_b", "The other SIM of the pair."),
                    _count("calls_before", "Calls between the two SIMs before the disaster."),
                ],
                ["sim_a", "sim_b"],
            ),
            "A call graph derived from call detail records",
        ),
        (
            "mobile_money_transfers",
            "mobile_money_transfers.csv.gz",
            "Mobile-money transfers (synthetic)",
            "Person-to-person mobile-money transfers between SIMs by month, in US dollars.",
            transfers,
            _schema(
                [
                    _sim_field("sender", "SIM sending the money."),
                    _sim_field("receiver", "SIM receiving the money."),
                    _month_field(),
                    _f("amount_usd", "number", "Amount sent.", "USD", minimum=0),
                ],
                None,
            ),
            "Mobile-money transaction records of an operator",
        ),
        (
            "phone_disaster",
            "phone_disaster.csv",
            "The disaster (synthetic)",
            "The earthquake that struck one invented district: month and epicentre.",
            disaster,
            _schema(
                [
                    _f("event", "string", "Kind of event."),
                    _district_field(description="District struck."),
                    _month_field(),
                    _f("epicentre_x_km", "number", "East coordinate of the epicentre.", "km"),
                    _f("epicentre_y_km", "number", "North coordinate of the epicentre.", "km"),
                ],
                ["event"],
            ),
            "A disaster report (date and epicentre)",
        ),
        (
            "displacement_survey",
            "displacement_survey.csv",
            "Survey of displaced people after the disaster (synthetic)",
            f"A sample survey in the host districts reached {SURVEY_OFFSET} months after the "
            "disaster: respondents displaced from the struck district, and estimates.",
            survey,
            _schema(
                [
                    _district_field(description="Host district surveyed."),
                    _month_field(),
                    _count("respondents", "Adults interviewed."),
                    _count(
                        "displaced_respondents", "Respondents displaced from the struck district."
                    ),
                    _count(
                        "estimated_displaced",
                        "Displaced adults in the district (estimate, rounded to 10).",
                    ),
                    _count("standard_error", "Standard error of the estimate (persons)."),
                ],
                ["district"],
            ),
            "A displacement tracking survey (IOM DTM style) after a disaster",
        ),
    ]
    out = []
    for name, path, title, description, data, schema, mimics in specs:
        if schema.get("primaryKey") is None:
            schema.pop("primaryKey")
        out.append(
            Resource(
                name=name,
                path=path,
                title=title + " (synthetic)" * ("synthetic" not in title),
                description=description,
                data=data,
                schema=schema,
                synthetic=True,
                mimics=mimics,
                datasheet={**common, **datasheet(name)},
            )
        )
    truth_specs = [
        (
            "true_phone_persons",
            "ground_truth/true_phone_persons.csv.gz",
            "GROUND TRUTH: the persons behind the phone records",
            truth["persons"],
            _schema(
                [
                    _f("person", "integer", "Synthetic person number.", minimum=1, unique=True),
                    _f("household", "integer", "Household number.", minimum=1),
                    _f("household_head", "boolean", "Head of the household."),
                    _f("sex", "string", "Sex.", **sex_enum),
                    _f("age_group", "string", "Age group.", **age_enum),
                    _f(
                        "wealth_quintile",
                        "integer",
                        "Wealth quintile (1 poorest).",
                        minimum=1,
                        maximum=5,
                    ),
                    _district_field("birth_district", "District of birth (family ties)."),
                    _f(
                        "sims_owned",
                        "string",
                        "SIMs registered to the person (; separated; empty: none).",
                        required=False,
                    ),
                    _sim_field(
                        "shared_sim", "Household head's SIM the person also uses.", required=False
                    ),
                    _f("circular_mover", "boolean", "Planted circular (seasonal) mover."),
                    _district_field(
                        "season_district",
                        "Where a circular mover spends the season.",
                        required=False,
                    ),
                    _f("permanent_mover", "boolean", "Planted permanent internal migrant."),
                    _f("displaced", "boolean", "Displaced by the disaster."),
                    _month_field("displaced_month", "First month away.", required=False),
                    _district_field(
                        "refuge_district", "Where the displaced person went.", required=False
                    ),
                    _month_field(
                        "returned_month",
                        "First month back (empty: not back by the end of the window).",
                        required=False,
                    ),
                ],
                ["person"],
            ),
        ),
        (
            "true_phone_residence",
            "ground_truth/true_phone_residence.csv.gz",
            "GROUND TRUTH: every person's district, as spells of months",
            truth["residence"],
            _schema(
                [
                    _f("person", "integer", "Synthetic person number.", minimum=1),
                    _district_field(),
                    _month_field("first_month", "First month of the spell."),
                    _month_field("last_month", "Last month of the spell."),
                ],
                ["person", "first_month"],
            ),
        ),
        (
            "true_phone_migration",
            "ground_truth/true_phone_migration.csv",
            "GROUND TRUTH: internal migration between the two periods",
            truth["migration"],
            _schema(
                [
                    _district_field("origin", "Usual district in the first period."),
                    _district_field("destination", "Usual district in the second period."),
                    _count("persons_sampled", "Persons of the sample."),
                    _count("persons", "Persons (sample times the person weight)."),
                ],
                ["origin", "destination"],
            ),
        ),
    ]
    truth_sheet = datasheet("true_phone_records", months=f"{MONTHS[0]} to {MONTHS[-1]}")
    for name, path, title, data, schema in truth_specs:
        out.append(
            Resource(
                name=name,
                path=path,
                title=title,
                description=title.split(": ", 1)[1] + ".",
                data=data,
                schema=schema,
                synthetic=True,
                mimics="The answers: what the phone records observe (never an input)",
                datasheet={
                    **truth_sheet,
                    **datasheet(name, months=f"{MONTHS[0]} to {MONTHS[-1]}"),
                },
            )
        )
    return out
