"""Individual-level synthetic traces: logins by IP location, geo-located posts, texts.

Three instruments observe the one world, person by person:

``login_users``, ``login_sessions``
    Users of an e-mail service in ten origin countries, with self-reported sex and age
    group, and their sessions per year and country of IP location (Zagheni & Weber 2012;
    State, Weber & Zagheni 2013). True emigration rates follow the world's outflows; users
    of low-penetration groups are more mobile than their group; some users sit behind a VPN.
``internet_penetration``, ``official_emigration_rates``
    What an analyst has to correct with: internet use by origin, sex and age (as ITU or a
    survey would publish it), and official emigration rates for half of the origins only,
    published with a lag.
``geo_posts``
    Geo-located posts by user, year and region in five countries, with a user base whose
    mix changes over time and a planted rise of one country's out-migration (Zagheni,
    Garimella, Weber & State 2014: difference in differences).
``discourse_texts``
    Short synthetic texts about migration, each written from one planted frame, with a
    planted event that lifts one frame's share.

The answers are ``ground_truth/true_emigration_rates``, ``ground_truth/true_text_frames``
and the planted parameters under ``"online_traces"`` in ``ground_truth/parameters.json``.
No real person, account, post or name is behind any row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from migrationlab_world._io import Resource, calibration_row, datasheet
from migrationlab_world.world import World

__all__ = ["AGE_GROUPS", "FRAMES", "SEXES", "generate_online_traces"]

# --- logins ----------------------------------------------------------------------------------

AGE_GROUPS = ("18-24", "25-34", "35-49", "50-64")
SEXES = ("female", "male")
LOGIN_YEARS = tuple(range(2016, 2024))
N_ORIGINS = 10
#: Origins: countries of at least MIN_POPULATION people whose true emigration rate
#: (2016-2023 mean) is in the upper half, ranked by GDP per person in 2020; N_ORIGINS are
#: taken at evenly spaced ranks, so that internet penetration differs widely.
MIN_POPULATION = 3_000_000
#: Every other origin (ranks 0, 2, ...) publishes official emigration rates by age and sex.
OFFICIAL_LAST_YEAR = 2021
#: Relative emigration by age group and sex (the planted age schedule), and the share of
#: each group in the population 18-64 (the same everywhere: a design simplification).
AGE_SCHEDULE = {"18-24": 1.5, "25-34": 2.0, "35-49": 0.8, "50-64": 0.3}
SEX_SCHEDULE = {"female": 0.8, "male": 1.2}
AGE_SHARE = {"18-24": 0.18, "25-34": 0.26, "35-49": 0.33, "50-64": 0.23}
#: Users of a group are more mobile than the group: a multiplier penetration**(-SELECTION).
SELECTION_EXPONENT = 0.8
USERS_PER_GROUP = 300
SESSIONS_MEDIAN = 40
VPN_USER_SHARE = 0.04
VPN_HUB = "NLD"
VPN_SESSION_SHARE = (0.25, 0.65)
TRAVEL_PROBABILITY = 0.3
GEO_ERROR_PROBABILITY = 0.03
INACTIVE_PROBABILITY = 0.05
REPORTED_SEX_ERROR = 0.04
REPORTED_AGE_ERROR = 0.10

# --- geo-located posts -----------------------------------------------------------------------

POST_YEARS = tuple(range(2016, 2024))
POST_COUNTRIES = ("IDN", "PHL", "MEX", "TUR", "POL")
#: The country whose users' out-migration is multiplied by RELATIVE_CHANGE from CHANGE_YEAR.
#: A change planted among the platform's users only: not the world's flows, whose
#: Indonesia-Netherlands surge of 2021 is far too small to change Indonesia's emigration.
TREATED = "IDN"
CHANGE_YEAR = 2021
RELATIVE_CHANGE = 1.8
POST_REGIONS = 3
FIRST_USERS = 1500
NEW_USERS_PER_YEAR = 550
INTERNATIONAL_RATE = {"early": 0.06, "late": 0.02}
INTERNAL_RATE = {"early": 0.08, "late": 0.04}
POST_LEAVE_PROBABILITY = 0.06
STRAY_PROBABILITY = 0.2

# --- texts -----------------------------------------------------------------------------------

FRAMES = {
    "economy": (
        "jobs labour workers wages employers shortage economy sector skills harvest "
        "remittances factories contracts unemployment pensions taxes construction "
        "care nurses recruitment payroll productivity salaries businesses hiring"
    ),
    "security": (
        "border fence patrol smugglers crossings guards controls illegal checkpoint "
        "deportation detention police surveillance drones security threat trafficking "
        "visas enforcement arrests fences coastguard barrier interception raids"
    ),
    "humanitarian": (
        "rescue shipwreck boat drowned survivors lifejackets volunteers sea "
        "humanitarian aid shelter tents children medical emergency ngo dinghy "
        "capsized missing bodies distress rescuers blankets vessel"
    ),
    "integration": (
        "integration language classes school culture neighbours community mosque "
        "church festival identity citizenship courses teachers diversity traditions "
        "belonging newcomers clubs volunteering cuisine dialogue values"
    ),
    "demography": (
        "census population ageing births fertility statistics projections estimate "
        "survey demographers data rate decline cohort villages depopulation "
        "forecast figures registry counts trends dependency elderly growth"
    ),
}
BACKGROUND_WORDS = (
    "migrants migration people country government new said today report year week "
    "city minister official news local public plan group number told many more "
    "also first last national policy debate asylum refugees"
)
TEXT_START = pd.Timestamp("2024-01-01")
TEXT_DAYS = 363  # days 0-363: 52 whole weeks from Monday 1 January
N_TEXTS = 2400
BASE_FRAME_SHARES = {
    "economy": 0.28,
    "security": 0.26,
    "humanitarian": 0.14,
    "integration": 0.18,
    "demography": 0.14,
}
EVENT_FRAME = "humanitarian"
EVENT_DATE = pd.Timestamp("2024-06-17")
EVENT_PEAK_SHARE = 0.55
EVENT_HALF_LIFE_DAYS = 14
WORDS_PER_TEXT = (10, 22)
FRAME_WORD_SHARE = 0.4
OTHER_FRAME_WORD_SHARE = 0.12


def generate_online_traces(
    world: World, rng: np.random.Generator
) -> tuple[list[Resource], dict, list[dict]]:
    """Logins by IP location, geo-located posts and a text corpus, from one world.

    Parameters
    ----------
    world : World
        The hidden truth: its indicators (population, GDP per person) choose the origins
        and set the rates, its flows set each origin's emigration and destinations.
    rng : numpy.random.Generator
        The ``online_traces`` stream (``seeds.rng(seed, "online_traces")``); all
        randomness comes from it, in a fixed order: logins, posts, texts.

    Returns
    -------
    resources : list of Resource
        Synthetic ``login_users``, ``login_sessions``, ``internet_penetration``,
        ``official_emigration_rates``, ``geo_posts``, ``discourse_texts`` and the truth
        ``true_emigration_rates`` and ``true_text_frames`` (under ``ground_truth/``).
    planted : dict
        Scalar planted parameters (origins, schedules, selection, VPN hub, the
        difference-in-differences change, the text event).
    calibration_rows : list of dict
        Design checks, reported and never failed.
    """
    logins = _logins(world, rng)
    posts = _posts(rng)
    texts = _texts(rng)
    planted = _planted(logins, posts, texts)
    rows = _calibration(logins, posts, texts)
    return _resources(logins, posts, texts), planted, rows


# --- logins ----------------------------------------------------------------------------------


def choose_origins(world: World) -> pd.DataFrame:
    """The login origins by the stated rule, poorest first, with a ``calibration`` flag.

    Returns
    -------
    DataFrame
        ``origin_iso3``, ``gdp_per_capita_ppp_usd`` (2020), ``calibration`` (bool: official
        rates published).
    """
    ind = world.indicators[world.indicators["year"].isin(LOGIN_YEARS)]
    out = world.flows[world.flows["year"].isin(LOGIN_YEARS)]
    out = out.groupby(["origin_iso3", "year"])["flow"].sum().rename("emigrants")
    ind = ind.set_index(["iso3", "year"]).join(out.rename_axis(["iso3", "year"])).fillna(0)
    rate = (ind["emigrants"] / ind["population"]).groupby("iso3").mean()
    y2020 = world.indicators[world.indicators["year"] == 2020].set_index("iso3")
    ok = (y2020["population"] >= MIN_POPULATION) & (rate.reindex(y2020.index) >= rate.median())
    cand = y2020[ok].sort_values("gdp_per_capita_ppp_usd")
    take = np.linspace(0, len(cand) - 1, N_ORIGINS).round().astype(int)
    chosen = cand.iloc[take]
    return pd.DataFrame(
        {
            "origin_iso3": chosen.index.to_numpy(),
            "gdp_per_capita_ppp_usd": chosen["gdp_per_capita_ppp_usd"].round(1).to_numpy(),
            "calibration": np.arange(N_ORIGINS) % 2 == 0,
        }
    )


def penetration(gdp_per_capita: float, sex: str, age_group: str) -> float:
    """Planted share of a group that uses the service (internet penetration).

    Rises with GDP per person; lower for women and for older people where income is low.
    """
    low = float(np.clip(np.log(30_000 / gdp_per_capita) / np.log(30), 0, 1))
    age = {"18-24": 0.5, "25-34": 0.3, "35-49": 0.0, "50-64": -0.8}[age_group]
    z = 1.3 * np.log(gdp_per_capita / 8_000) + 0.6 + age * (1 + low)
    z -= 1.2 * low if sex == "female" else 0.0
    return float(np.clip(1 / (1 + np.exp(-z)), 0.03, 0.97))


def _true_rates(world: World, origins: pd.DataFrame) -> pd.DataFrame:
    """True emigration rates by origin, year (of arrival), sex and age group."""
    years = LOGIN_YEARS[1:]
    ind = world.indicators.set_index(["iso3", "year"])
    flows = world.flows[world.flows["year"].isin(years)]
    out = flows.groupby(["origin_iso3", "year"])["flow"].sum()
    weight = sum(AGE_SHARE[a] * 0.5 * AGE_SCHEDULE[a] * SEX_SCHEDULE[s]
                 for a in AGE_GROUPS for s in SEXES)  # fmt: skip
    rows = []
    for o, gdp in zip(origins["origin_iso3"], origins["gdp_per_capita_ppp_usd"], strict=True):
        for y in years:
            total = out.get((o, y), 0) / ind.loc[(o, y), "population"]
            for s in SEXES:
                for a in AGE_GROUPS:
                    rate = total * AGE_SCHEDULE[a] * SEX_SCHEDULE[s] / weight
                    rows.append((o, y, s, a, rate, penetration(gdp, s, a)))
    return pd.DataFrame(
        rows,
        columns=["origin_iso3", "year", "sex", "age_group", "emigration_rate", "penetration"],
    )


def _logins(world: World, rng: np.random.Generator) -> dict:
    """Users and their sessions by year and IP country (long on purpose: one stream order).

    Each user lives in the origin until a move (drawn each year with the group's true rate
    times the selection multiplier), then in a destination drawn from the origin's true
    flows of that year. Each active user-year has sessions: most at home, some in a
    travel country, a few mislocated to a neighbour, and for VPN users a share at the hub.
    """
    origins = choose_origins(world)
    truth = _true_rates(world, origins)
    flows = world.flows[world.flows["year"].isin(LOGIN_YEARS[1:])]
    neighbours = world.countries.set_index("iso3")["neighbours_iso3"].fillna("")
    users, sessions = [], []
    uid = 0
    for o in origins["origin_iso3"]:
        dest = {
            y: g.sort_values("destination_iso3")
            for y, g in flows[flows["origin_iso3"] == o].groupby("year")
        }
        near = [c for c in str(neighbours.get(o, "")).split(";") if c in neighbours.index]
        near = near or [VPN_HUB]
        t = truth[truth["origin_iso3"] == o].set_index(["year", "sex", "age_group"])
        for s in SEXES:
            for a in AGE_GROUPS:
                pen = t.loc[(LOGIN_YEARS[1], s, a), "penetration"]
                boost = pen ** (-SELECTION_EXPONENT)
                for _ in range(USERS_PER_GROUP):
                    uid += 1
                    vpn = rng.random() < VPN_USER_SHARE
                    activity = SESSIONS_MEDIAN * rng.lognormal(0, 0.6)
                    home, moved_in = o, None
                    for y in LOGIN_YEARS:
                        if y > LOGIN_YEARS[0] and home == o:
                            p = min(1.0, t.loc[(y, s, a), "emigration_rate"] * boost)
                            if rng.random() < p:
                                g = dest[y]
                                w = g["flow"].to_numpy(float)
                                home = g["destination_iso3"].to_numpy()[
                                    rng.choice(len(g), p=w / w.sum())
                                ]
                                moved_in = y
                        if rng.random() < INACTIVE_PROBABILITY:
                            continue
                        n = max(1, int(rng.poisson(activity)))
                        shares = {home: 1.0}
                        if rng.random() < TRAVEL_PROBABILITY:
                            trip = o if home != o else rng.choice(near)
                            f = rng.uniform(0.05, 0.35)
                            shares = {home: 1 - f, trip: shares.get(trip, 0) + f}
                        if rng.random() < GEO_ERROR_PROBABILITY:
                            f = rng.uniform(0.05, 0.2)
                            wrong = rng.choice(near)
                            shares = {c: v * (1 - f) for c, v in shares.items()}
                            shares[wrong] = shares.get(wrong, 0) + f
                        if vpn:
                            f = rng.uniform(*VPN_SESSION_SHARE)
                            shares = {c: v * (1 - f) for c, v in shares.items()}
                            shares[VPN_HUB] = shares.get(VPN_HUB, 0) + f
                        cs = sorted(shares)
                        counts = rng.multinomial(n, [shares[c] for c in cs])
                        sessions += [
                            (uid, y, c, int(k)) for c, k in zip(cs, counts, strict=True) if k
                        ]
                    rep_sex = s if rng.random() >= REPORTED_SEX_ERROR else SEXES[1 - SEXES.index(s)]
                    i = AGE_GROUPS.index(a)
                    if rng.random() < REPORTED_AGE_ERROR:
                        i = int(np.clip(i + rng.choice([-1, 1]), 0, len(AGE_GROUPS) - 1))
                    users.append((uid, o, rep_sex, AGE_GROUPS[i], s, a, vpn, moved_in))
    users = pd.DataFrame(
        users,
        columns=["user_id", "signup_country_iso3", "sex", "age_group",
                 "_sex", "_age", "_vpn", "_moved_in"],
    )  # fmt: skip
    sessions = pd.DataFrame(sessions, columns=["user_id", "year", "ip_country_iso3", "sessions"])
    sessions = sessions.groupby(["user_id", "year", "ip_country_iso3"], as_index=False).sum()
    official = _official(truth, origins, rng)
    return {"origins": origins, "truth": truth, "users": users, "sessions": sessions,
            "official": official}  # fmt: skip


def _official(truth: pd.DataFrame, origins: pd.DataFrame, rng: np.random.Generator):
    """Official emigration rates per 1,000: calibration origins, years up to the lag."""
    cal = origins.loc[origins["calibration"], "origin_iso3"]
    off = truth[truth["origin_iso3"].isin(cal) & (truth["year"] <= OFFICIAL_LAST_YEAR)].copy()
    noise = rng.lognormal(0, 0.05, len(off))
    off["emigration_rate_per_1000"] = (1000 * off["emigration_rate"] * noise).round(3)
    return off[["origin_iso3", "year", "sex", "age_group", "emigration_rate_per_1000"]]


# --- geo-located posts -----------------------------------------------------------------------


def _posts(rng: np.random.Generator) -> dict:
    """Users by cohort (year joined), their region each year and their posts.

    Users who joined early are more mobile than later ones; the treated country's
    international out-migration is RELATIVE_CHANGE times higher from CHANGE_YEAR, for
    every cohort. Each active user-year has posts, most from the region of residence.
    """
    rows, moves = [], []
    uid = 0
    for c in POST_COUNTRIES:
        for joined in POST_YEARS:
            n = FIRST_USERS if joined == POST_YEARS[0] else NEW_USERS_PER_YEAR
            kind = "early" if joined <= 2017 else "late"
            for _ in range(n):
                uid += 1
                country, region = c, int(rng.integers(1, POST_REGIONS + 1))
                activity = 12 * rng.lognormal(0, 0.5)
                for y in range(joined, POST_YEARS[-1] + 1):
                    if y > joined:
                        if rng.random() < POST_LEAVE_PROBABILITY:
                            break
                        intl = INTERNATIONAL_RATE[kind]
                        if country == TREATED and y >= CHANGE_YEAR:
                            intl *= RELATIVE_CHANGE
                        u = rng.random()
                        if u < intl:
                            others = [k for k in POST_COUNTRIES if k != country]
                            country = others[int(rng.integers(len(others)))]
                            region = int(rng.integers(1, POST_REGIONS + 1))
                            moves.append((uid, y, "international"))
                        elif u < intl + INTERNAL_RATE[kind]:
                            region = (
                                1 + (region + int(rng.integers(0, POST_REGIONS - 1))) % POST_REGIONS
                            )
                            moves.append((uid, y, "internal"))
                    n_posts = max(1, int(rng.poisson(activity)))
                    stray = 0
                    if rng.random() < STRAY_PROBABILITY:  # a trip or a commute elsewhere
                        stray = rng.binomial(n_posts, rng.uniform(0.1, 0.4))
                    rows.append((uid, y, f"{country}-R{region}", n_posts - stray))
                    if stray:
                        other = 1 + (region % POST_REGIONS)
                        rows.append((uid, y, f"{country}-R{other}", stray))
    posts = pd.DataFrame(rows, columns=["user_id", "year", "region_id", "posts"])
    posts = posts[posts["posts"] > 0]
    posts = posts.groupby(["user_id", "year", "region_id"], as_index=False)["posts"].sum()
    posts.insert(2, "country_iso3", posts["region_id"].str[:3])
    return {"posts": posts, "moves": pd.DataFrame(moves, columns=["user_id", "year", "kind"])}


# --- texts -----------------------------------------------------------------------------------


def event_share(days: np.ndarray) -> np.ndarray:
    """Planted share of EVENT_FRAME by day since TEXT_START: a jump, then exponential decay."""
    base = BASE_FRAME_SHARES[EVENT_FRAME]
    since = days - (EVENT_DATE - TEXT_START).days
    lift = (EVENT_PEAK_SHARE - base) * 0.5 ** (np.maximum(since, 0) / EVENT_HALF_LIFE_DAYS)
    return np.where(since >= 0, base + lift, base)


def _texts(rng: np.random.Generator) -> dict:
    """Texts of shuffled frame, background and other-frame words, dated, one frame each."""
    names = list(FRAMES)
    vocab = {f: FRAMES[f].split() for f in names}
    background = BACKGROUND_WORDS.split()
    zipf = 1 / np.arange(1, len(background) + 1)  # a few background words in most texts
    zipf /= zipf.sum()
    days = np.sort(rng.integers(0, TEXT_DAYS + 1, N_TEXTS))
    base = np.array([BASE_FRAME_SHARES[f] for f in names])
    k_event = names.index(EVENT_FRAME)
    texts, frames = [], []
    for d in days:
        p_event = float(event_share(np.array([d]))[0])
        p = base * (1 - p_event) / (1 - base[k_event])
        p[k_event] = p_event
        k = int(rng.choice(len(names), p=p))
        n = int(rng.integers(WORDS_PER_TEXT[0], WORDS_PER_TEXT[1] + 1))
        u = rng.random(n)
        words = []
        for x in u:
            if x < FRAME_WORD_SHARE:
                words.append(vocab[names[k]][rng.integers(len(vocab[names[k]]))])
            elif x < FRAME_WORD_SHARE + OTHER_FRAME_WORD_SHARE:
                other = names[int(rng.integers(len(names)))]
                words.append(vocab[other][rng.integers(len(vocab[other]))])
            else:
                words.append(background[rng.choice(len(background), p=zipf)])
        texts.append(" ".join(words).capitalize() + ".")
        frames.append(names[k])
    kind = np.where(rng.random(N_TEXTS) < 0.7, "post", "news")
    out = pd.DataFrame(
        {
            "text_id": np.arange(1, N_TEXTS + 1),
            "date": (TEXT_START + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d"),
            "kind": kind,
            "text": texts,
        }
    )
    truth = pd.DataFrame({"text_id": out["text_id"], "frame": frames})
    return {"texts": out, "truth": truth}


# --- truth and checks ------------------------------------------------------------------------


def _planted(logins: dict, posts: dict, texts: dict) -> dict:
    origins = logins["origins"]
    return {
        "logins": {
            "origins_iso3": origins["origin_iso3"].tolist(),
            "calibration_origins_iso3": origins.loc[origins["calibration"], "origin_iso3"].tolist(),
            "origin_rule": (
                f"population >= {MIN_POPULATION:,} and mean true emigration rate "
                f"{LOGIN_YEARS[0]}-{LOGIN_YEARS[-1]} at or above the median; {N_ORIGINS} "
                "taken at evenly spaced ranks of GDP per person 2020; every other one "
                "(poorest first) publishes official rates"
            ),
            "years": [LOGIN_YEARS[0], LOGIN_YEARS[-1]],
            "official_last_year": OFFICIAL_LAST_YEAR,
            "age_schedule": dict(AGE_SCHEDULE),
            "sex_schedule": dict(SEX_SCHEDULE),
            "age_share_of_population": dict(AGE_SHARE),
            "selection_exponent": SELECTION_EXPONENT,
            "selection_rule": "a user's yearly move probability is the group's true rate "
            "times penetration ** (-selection_exponent)",
            "users_per_origin_sex_age": USERS_PER_GROUP,
            "vpn_user_share": VPN_USER_SHARE,
            "vpn_hub_iso3": VPN_HUB,
            "vpn_share_of_sessions": list(VPN_SESSION_SHARE),
            "travel_probability": TRAVEL_PROBABILITY,
            "geolocation_error_probability": GEO_ERROR_PROBABILITY,
            "reported_sex_error": REPORTED_SEX_ERROR,
            "reported_age_group_error": REPORTED_AGE_ERROR,
            "users_who_moved": int(logins["users"]["_moved_in"].notna().sum()),
        },
        "geo_posts": {
            "countries_iso3": list(POST_COUNTRIES),
            "treated_iso3": TREATED,
            "change_year": CHANGE_YEAR,
            "relative_change_international_out_migration": RELATIVE_CHANGE,
            "log_relative_change": float(np.log(RELATIVE_CHANGE)),
            "international_rate_by_cohort": dict(INTERNATIONAL_RATE),
            "internal_rate_by_cohort": dict(INTERNAL_RATE),
            "cohorts": "early: joined 2016-2017; late: joined 2018 or after",
            "first_users_per_country": FIRST_USERS,
            "new_users_per_country_year": NEW_USERS_PER_YEAR,
            "leave_probability": POST_LEAVE_PROBABILITY,
            "stray_posts_probability": STRAY_PROBABILITY,
        },
        "texts": {
            "n_texts": N_TEXTS,
            "frames": list(FRAMES),
            "base_frame_shares": dict(BASE_FRAME_SHARES),
            "event_frame": EVENT_FRAME,
            "event_date": EVENT_DATE.strftime("%Y-%m-%d"),
            "event_peak_share": EVENT_PEAK_SHARE,
            "event_half_life_days": EVENT_HALF_LIFE_DAYS,
            "frame_word_share": FRAME_WORD_SHARE,
            "other_frame_word_share": OTHER_FRAME_WORD_SHARE,
        },
    }


def _calibration(logins: dict, posts: dict, texts: dict) -> list[dict]:
    design = "design choice (no published target)"
    truth = logins["truth"]
    users = logins["users"]
    moves = posts["moves"]
    return [
        calibration_row(target, design, None, value, None)
        for target, value in [
            ("online traces: penetration, lowest group", truth["penetration"].min()),
            ("online traces: penetration, highest group", truth["penetration"].max()),
            ("online traces: true emigration rate per 1,000, mean over cells",
             1000 * truth["emigration_rate"].mean()),
            ("online traces: login users who moved abroad (share)",
             users["_moved_in"].notna().mean()),
            ("online traces: geo-post international moves", float((moves["kind"] ==
             "international").sum())),
            ("online traces: texts of the event frame (share)",
             float((texts["truth"]["frame"] == EVENT_FRAME).mean())),
        ]
    ]  # fmt: skip


# --- resources -------------------------------------------------------------------------------


def _f(name, type_, description, unit=None, **constraints) -> dict:
    field = {"name": name, "type": type_, "description": description}
    if unit:
        field["unit"] = unit
    field["constraints"] = {"required": True, **constraints}
    return field


def _iso(name: str, description: str) -> dict:
    return _f(name, "string", description, pattern="^[A-Z]{3}$")


def _country_fk(*fields: str) -> list[dict]:
    return [{"fields": f, "reference": {"resource": "countries", "fields": "iso3"}} for f in fields]


def _rate_schema(sex: str, age_group: str, rate: str) -> dict:
    """Schema of a table of emigration rates by origin, year, sex and age group."""
    return {
        "fields": [
            _iso("origin_iso3", "Origin country."),
            _f("year", "integer", "Year of emigration.", minimum=LOGIN_YEARS[1]),
            _f("sex", "string", sex, **_SEX),
            _f("age_group", "string", age_group, **_AGE),
            _f("emigration_rate_per_1000", "number", rate, "per 1,000", minimum=0),
        ],
        "primaryKey": ["origin_iso3", "year", "sex", "age_group"],
        "foreignKeys": _country_fk("origin_iso3"),
        "missingValues": [""],
    }


_SEX = {"enum": list(SEXES)}
_AGE = {"enum": list(AGE_GROUPS)}
_TRUTH = (
    "GROUND TRUTH of the simulated world: the answers that students check their estimates "
    "against. No real source provides this; never use it as an input to an estimator."
)


def _resources(logins: dict, posts: dict, texts: dict) -> list[Resource]:
    """The eight resources (long: one schema each)."""
    origins = logins["origins"]
    pen = logins["truth"][logins["truth"]["year"] == LOGIN_YEARS[1]]
    pen = pen[["origin_iso3", "sex", "age_group", "penetration"]].reset_index(drop=True)
    pen["penetration"] = pen["penetration"].round(3)
    truth = logins["truth"].copy()
    truth["emigration_rate_per_1000"] = (1000 * truth.pop("emigration_rate")).round(4)
    truth = truth.drop(columns="penetration")
    users = logins["users"][["user_id", "signup_country_iso3", "sex", "age_group"]]
    login_sheet = datasheet(
        "online_logins",
        n_origins=N_ORIGINS,
        min_population=f"{MIN_POPULATION:,}",
        origins=", ".join(origins["origin_iso3"]),
        calibration=", ".join(origins.loc[origins["calibration"], "origin_iso3"]),
        users_per_group=USERS_PER_GROUP,
        first_year=LOGIN_YEARS[0],
        last_year=LOGIN_YEARS[-1],
        official_last_year=OFFICIAL_LAST_YEAR,
        selection=SELECTION_EXPONENT,
        vpn_pct=f"{100 * VPN_USER_SHARE:.0f}",
        hub=VPN_HUB,
        travel_pct=f"{100 * TRAVEL_PROBABILITY:.0f}",
        geo_pct=f"{100 * GEO_ERROR_PROBABILITY:.0f}",
        sex_pct=f"{100 * REPORTED_SEX_ERROR:.0f}",
        age_pct=f"{100 * REPORTED_AGE_ERROR:.0f}",
    )
    post_sheet = datasheet(
        "online_posts",
        countries=", ".join(POST_COUNTRIES),
        first_year=POST_YEARS[0],
        last_year=POST_YEARS[-1],
        first_users=f"{FIRST_USERS:,}",
        new_users=NEW_USERS_PER_YEAR,
        regions=POST_REGIONS,
    )
    text_sheet = datasheet(
        "online_texts",
        n_texts=f"{N_TEXTS:,}",
        frames=", ".join(FRAMES),
        start=TEXT_START.strftime("%Y-%m-%d"),
    )
    mimic_logins = (
        "Logins to a web e-mail service with the country of each session's IP address "
        "and users' self-reported age and sex (Zagheni & Weber 2012)"
    )

    def res(name, path, title, description, data, schema, mimics, sheet):
        return Resource(name=name, path=path, title=title, description=description,
                        data=data.reset_index(drop=True), schema=schema, synthetic=True,
                        mimics=mimics, datasheet={**sheet, **datasheet(name)})  # fmt: skip

    return [
        res("login_users", "login_users.csv.gz", "Logins: users (synthetic)",
            "Synthetic users of an e-mail service: country where they signed up and their "
            "self-reported sex and age group (in 2016). Ids only.",
            users,
            {"fields": [
                _f("user_id", "integer", "Synthetic user number.", unique=True, minimum=1),
                _iso("signup_country_iso3", "Country of IP location at sign-up (2016)."),
                _f("sex", "string", "Self-reported sex (some answers are wrong).", **_SEX),
                _f("age_group", "string", "Self-reported age group in 2016 (some wrong).",
                   **_AGE),
            ], "primaryKey": ["user_id"], "foreignKeys": _country_fk("signup_country_iso3"),
             "missingValues": [""]},
            mimic_logins, login_sheet),
        res("login_sessions", "login_sessions.csv.gz", "Logins: sessions by IP country "
            "(synthetic)",
            "Number of sessions of each synthetic user per year and country of IP "
            "geolocation. A user with no row in a year was inactive.",
            logins["sessions"],
            {"fields": [
                _f("user_id", "integer", "User (login_users).", minimum=1),
                _f("year", "integer", "Calendar year.", minimum=LOGIN_YEARS[0],
                   maximum=LOGIN_YEARS[-1]),
                _iso("ip_country_iso3", "Country where the session's IP address geolocates "
                     "(a VPN or proxy shows its own country)."),
                _f("sessions", "integer", "Sessions in the year from that country.",
                   "count", minimum=1),
            ], "primaryKey": ["user_id", "year", "ip_country_iso3"],
             "foreignKeys": [{"fields": "user_id", "reference": {"resource": "login_users",
                                                                 "fields": "user_id"}},
                             *_country_fk("ip_country_iso3")],
             "missingValues": [""]},
            mimic_logins, login_sheet),
        res("internet_penetration", "internet_penetration.csv", "Internet penetration by "
            "age and sex (synthetic)",
            "Synthetic share of each origin's population, by sex and age group, that uses "
            "the internet (the e-mail service's potential users), one survey round.",
            pen,
            {"fields": [
                _iso("origin_iso3", "Origin country."),
                _f("sex", "string", "Sex.", **_SEX),
                _f("age_group", "string", "Age group.", **_AGE),
                _f("penetration", "number", "Share of the group online (0-1).", "share",
                   minimum=0, maximum=1),
            ], "primaryKey": ["origin_iso3", "sex", "age_group"],
             "foreignKeys": _country_fk("origin_iso3"), "missingValues": [""]},
            "Internet use by age and sex from ITU or household surveys", login_sheet),
        res("official_emigration_rates", "official_emigration_rates.csv", "Official "
            "emigration rates by age and sex (synthetic)",
            "Synthetic official emigration rates per 1,000 residents by sex and age group, "
            f"for {N_ORIGINS // 2} origins only, published up to {OFFICIAL_LAST_YEAR}.",
            logins["official"],
            _rate_schema("Sex.", "Age group.", "Emigrants in the year per 1,000 residents "
                         "of the group."),
            "Emigration statistics by age and sex from national statistical offices or "
            "Eurostat", login_sheet),
        res("true_emigration_rates", "ground_truth/true_emigration_rates.csv",
            "True emigration rates by age and sex (ground truth)",
            _TRUTH + " Emigration rates of the login origins by year, sex and age group.",
            truth,
            _rate_schema("True sex.", "True age group (in 2016).", "True emigrants in the "
                         "year per 1,000 residents of the group."),
            "Nothing: the hidden truth of the simulated world", login_sheet),
        res("geo_posts", "geo_posts.csv.gz", "Geo-located posts (synthetic)",
            "Number of geo-located posts of each synthetic user per year and region "
            "(invented regions of real countries). Ids only, no texts.",
            posts["posts"],
            {"fields": [
                _f("user_id", "integer", "Synthetic user number.", minimum=1),
                _f("year", "integer", "Calendar year.", minimum=POST_YEARS[0],
                   maximum=POST_YEARS[-1]),
                _iso("country_iso3", "Country of the posts' coordinates."),
                _f("region_id", "string", "Invented region: country code, -R, number.",
                   pattern="^[A-Z]{3}-R[0-9]$"),
                _f("posts", "integer", "Geo-located posts in the year from the region.",
                   "count", minimum=1),
            ], "primaryKey": ["user_id", "year", "region_id"],
             "foreignKeys": _country_fk("country_iso3"), "missingValues": [""]},
            "Geo-tagged posts of social-media users, as used to infer internal and "
            "international moves (Zagheni, Garimella, Weber & State 2014)", post_sheet),
        res("discourse_texts", "discourse_texts.csv.gz", "Discourse: texts about "
            "migration (synthetic)",
            "Short synthetic texts (posts and news items) about migration, dated; words "
            "only, no real post, author or name.",
            texts["texts"],
            {"fields": [
                _f("text_id", "integer", "Synthetic text number.", unique=True, minimum=1),
                {**_f("date", "date", "Date of publication."), "format": "%Y-%m-%d"},
                _f("kind", "string", "Post or news item.", enum=["news", "post"]),
                _f("text", "string", "The synthetic text (lower-case words)."),
            ], "primaryKey": ["text_id"], "missingValues": [""]},
            "Corpora of social-media posts and news articles about migration", text_sheet),
        res("true_text_frames", "ground_truth/true_text_frames.csv", "True frame of each "
            "text (ground truth)",
            _TRUTH + " The planted frame of every text of discourse_texts.",
            texts["truth"],
            {"fields": [
                _f("text_id", "integer", "Text (discourse_texts).", unique=True, minimum=1),
                _f("frame", "string", "Planted frame.", enum=list(FRAMES)),
            ], "primaryKey": ["text_id"], "foreignKeys": [{"fields": "text_id",
             "reference": {"resource": "discourse_texts", "fields": "text_id"}}],
             "missingValues": [""]},
            "Nothing: the hidden truth of the simulated world", text_sheet),
    ]  # fmt: skip
