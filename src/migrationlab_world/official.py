"""Instruments observing the hidden world: official statistics and digital traces.

Each function takes the :class:`~migrationlab_world.world.World` and returns the
observed table, with the flaws of the real instrument it imitates planted on purpose
(each flaw is described in the dataset's datasheet and recorded in the ground truth).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from migrationlab_world.world import EU27, World

#: The reference date of the simulated present: statistics published by 31 December 2023.
PRESENT_YEAR = 2023
UN_DESA_YEARS = (1990, 1995, 2000, 2005, 2010, 2015, 2020)
EU_FLOW_YEARS = tuple(range(2008, 2022))  # published with a two-year lag
SOCIAL_MEDIA_DESTINATIONS = tuple(EU27) + ("GBR", "NOR", "CHE", "USA", "CAN", "AUS")
SOCIAL_MEDIA_DATES = tuple(f"{y}-{m:02d}-01" for y in range(2016, PRESENT_YEAR + 1) for m in (1, 7))
AGE_GROUPS = ("18-29", "30-44", "45-64", "65+")
#: Age profile of adult migrants (shares of the adult stock), and the share of children
#: (under 18, not counted by the platform).
ADULT_AGE_PROFILE = np.array([0.27, 0.36, 0.28, 0.09])
CHILD_SHARE = 0.12
EDUCATION_LEVELS = ("tertiary", "upper_secondary", "lower_secondary_or_less")
#: Intercept of the logistic tertiary share of migrants: with it, about a third of the
#: adult migrants of the professional network's destinations are tertiary educated, as
#: OECD's DIOC reports for 2010/11 (gated in calibration.csv).
TERTIARY_INTERCEPT = -1.2


def _round_sig(x: np.ndarray, digits: int = 2) -> np.ndarray:
    """Round to ``digits`` significant digits, as advertising platforms report audiences."""
    x = np.asarray(x, dtype=float)
    out = np.zeros_like(x)
    pos = x > 0
    mag = np.floor(np.log10(x[pos]))
    factor = 10.0 ** (mag - digits + 1)
    out[pos] = np.round(x[pos] / factor) * factor
    return out


# --------------------------------------------------------------------------------------
# Country indicators (World Bank WDI style)
# --------------------------------------------------------------------------------------


def country_indicators(world: World, rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Yearly indicators as published by 31 December 2023: gaps and late releases.

    - GDP per person is published up to 2022 for most countries; up to 2021 for about a
      fifth (late releases), and the poorest countries miss about 8 % of years at random.
    - Unemployment is missing for about 6 % of country-years and published to 2022.
    - Population estimates are complete to 2023.
    """
    df = world.indicators.copy()
    countries = world.countries.set_index("iso3")
    late = rng.random(len(countries)) < 0.2
    late_iso = set(countries.index[late])
    poor = set(countries.index[countries["gdp_per_capita_usd"] < 5000])

    gdp_missing = (df["year"] > 2022) | (df["iso3"].isin(late_iso) & (df["year"] > 2021))
    gdp_missing |= df["iso3"].isin(poor) & (rng.random(len(df)) < 0.08)
    unemp_missing = (df["year"] > 2022) | (rng.random(len(df)) < 0.06)
    df.loc[gdp_missing, "gdp_per_capita_ppp_usd"] = np.nan
    df.loc[unemp_missing, "unemployment_rate_pct"] = np.nan
    truth = {
        "late_gdp_release_iso3": sorted(late_iso),
        "gdp_missing_country_years": int(gdp_missing.sum()),
        "unemployment_missing_country_years": int(unemp_missing.sum()),
    }
    return df, truth


# --------------------------------------------------------------------------------------
# Migrant stocks (UN DESA style)
# --------------------------------------------------------------------------------------


def migrant_stocks(world: World, rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Five-yearly bilateral stocks as a UN DESA-like edition published in 2020/21.

    Flaws: (1) about 15 destinations count foreign *citizens*, so naturalised migrants
    vanish (a destination-specific share between 25 % and 60 %); (2) about 20
    destinations cannot split part of their stock by origin: that part is reported on a
    row with an empty ``origin_iso3`` (origin unknown); (3) estimates carry a small error
    (about 5 %); (4) the latest year is 2020: nothing after it.
    """
    iso = world.countries["iso3"].to_numpy()
    eu = set(EU27)
    non_eu = np.array([c for c in iso if c not in eu])
    citizenship = sorted(rng.choice(non_eu, size=15, replace=False).tolist())
    unknown = sorted(rng.choice(iso, size=20, replace=False).tolist())
    naturalised = {c: round(float(rng.uniform(0.25, 0.60)), 3) for c in citizenship}
    unknown_share = {c: round(float(rng.uniform(0.05, 0.40)), 3) for c in unknown}

    s = world.stocks[world.stocks["year"].isin(UN_DESA_YEARS)].copy()
    factor = np.exp(rng.normal(0.0, 0.05, len(s)))
    factor *= 1.0 - s["destination_iso3"].map(naturalised).fillna(0.0).to_numpy()
    observed = np.round(s["stock"].to_numpy() * factor)
    observed_f = np.round(s["stock_female"].to_numpy() * factor)
    share_unknown = s["destination_iso3"].map(unknown_share).fillna(0.0).to_numpy()
    moved = np.round(observed * share_unknown)
    moved_f = np.round(observed_f * share_unknown)
    s["migrant_stock"] = (observed - moved).astype(np.int64)
    s["migrant_stock_female"] = np.minimum(observed_f - moved_f, s["migrant_stock"]).astype(
        np.int64
    )
    s["migrant_stock_female"] = s["migrant_stock_female"].clip(lower=0)
    s["_moved"], s["_moved_f"] = moved, moved_f

    unknown_rows = (
        s[s["_moved"] > 0]
        .groupby(["year", "destination_iso3"], as_index=False)[["_moved", "_moved_f"]]
        .sum()
        .rename(columns={"_moved": "migrant_stock", "_moved_f": "migrant_stock_female"})
    )
    unknown_rows["origin_iso3"] = None
    known = s[s["migrant_stock"] > 0][
        ["year", "destination_iso3", "origin_iso3", "migrant_stock", "migrant_stock_female"]
    ]
    out = pd.concat([known, unknown_rows], ignore_index=True)
    out["migrant_stock"] = out["migrant_stock"].astype(np.int64)
    out["migrant_stock_female"] = out["migrant_stock_female"].astype(np.int64)
    out["basis"] = np.where(out["destination_iso3"].isin(citizenship), "citizenship", "birth")
    out = out.sort_values(
        ["year", "destination_iso3", "origin_iso3"], na_position="last", ignore_index=True
    )
    out = out[
        [
            "year",
            "destination_iso3",
            "origin_iso3",
            "migrant_stock",
            "migrant_stock_female",
            "basis",
        ]
    ]
    truth = {
        "citizenship_based_destinations": citizenship,
        "naturalised_share_missing": naturalised,
        "unknown_origin_destinations": unknown,
        "unknown_origin_share": unknown_share,
        "estimate_error_sd_log": 0.05,
        "latest_year": max(UN_DESA_YEARS),
    }
    return out, truth


# --------------------------------------------------------------------------------------
# EU immigration flows (Eurostat style)
# --------------------------------------------------------------------------------------


def eu_immigration_flows(world: World, rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Annual immigration into EU member states by citizenship, 2008-2021.

    Flaws: (1) publication lag: the latest year is 2021 in a world observed at the end of
    2023; (2) four member states use a national definition shorter than the UN's
    12-month rule and count about 35 % more immigrants; (3) about 8 % of
    destination-years are not reported (rows kept, counts missing); (4) counts are by
    citizenship, so nationals returning home appear as immigrants of their own country.
    """
    flows = world.flows
    eu_flows = flows[flows["destination_iso3"].isin(EU27) & flows["year"].isin(EU_FLOW_YEARS)]
    eu_flows = eu_flows.rename(columns={"origin_iso3": "citizenship_iso3", "flow": "true"})
    # Returning nationals: the returns of each member state's emigrants abroad.
    keep_rate = world.parameters["flows"]["return_rate"]
    st = world.stocks
    returns = (
        st[st["origin_iso3"].isin(EU27) & st["year"].isin([y - 1 for y in EU_FLOW_YEARS])]
        .groupby(["origin_iso3", "year"], as_index=False)["stock"]
        .sum()
    )
    returns = pd.DataFrame(
        {
            "citizenship_iso3": returns["origin_iso3"],
            "destination_iso3": returns["origin_iso3"],
            "year": returns["year"] + 1,
            "true": rng.poisson(returns["stock"].to_numpy() * keep_rate),
        }
    )
    df = pd.concat([eu_flows, returns], ignore_index=True)

    national_definition = sorted(rng.choice(EU27, size=4, replace=False).tolist())
    factor = np.where(df["destination_iso3"].isin(national_definition), 1.35, 1.0)
    factor = factor * np.exp(rng.normal(0.0, 0.05, len(df)))
    df["immigrants"] = np.round(df["true"] * factor)
    df["definition"] = np.where(
        df["destination_iso3"].isin(national_definition), "national", "12_months"
    )
    pairs = [(d, y) for d in EU27 for y in EU_FLOW_YEARS]
    gap_idx = rng.choice(len(pairs), size=round(0.08 * len(pairs)), replace=False)
    gaps = sorted(pairs[i] for i in gap_idx)
    gap_set = set(gaps)
    missing = np.array(
        [(d, y) in gap_set for d, y in zip(df["destination_iso3"], df["year"], strict=True)],
        dtype=bool,
    )
    df.loc[missing, "immigrants"] = np.nan
    df["immigrants"] = df["immigrants"].astype("Int64")
    df = df[df["immigrants"].isna() | (df["immigrants"] > 0)]
    df = df.sort_values(["year", "destination_iso3", "citizenship_iso3"], ignore_index=True)
    out = df[["year", "destination_iso3", "citizenship_iso3", "immigrants", "definition"]]
    truth = {
        "national_definition_destinations": national_definition,
        "national_definition_inflation": 1.35,
        "unreported_destination_years": [[d, int(y)] for d, y in gaps],
        "latest_year": max(EU_FLOW_YEARS),
        "publication_lag_years": PRESENT_YEAR - max(EU_FLOW_YEARS),
    }
    return out, truth


# --------------------------------------------------------------------------------------
# Social-media advertising audiences
# --------------------------------------------------------------------------------------


def _stock_at_dates(world: World, dests, dates) -> pd.DataFrame:
    """True stocks of the top origins of each destination, interpolated to the dates."""
    st = world.stocks[world.stocks["destination_iso3"].isin(dests)]
    top = (
        st[st["year"] == 2020]
        .sort_values(["destination_iso3", "stock", "origin_iso3"], ascending=[True, False, True])
        .groupby("destination_iso3")
        .head(40)[["destination_iso3", "origin_iso3"]]
    )
    st = st.merge(top, on=["destination_iso3", "origin_iso3"])
    wide = st.pivot_table(
        index=["destination_iso3", "origin_iso3"],
        columns="year",
        values=["stock", "stock_female"],
        fill_value=0,
    )
    rows = []
    for date in dates:
        year, month = int(date[:4]), int(date[5:7])
        # End-of-year stocks: 1 January of y is the end of y-1; 1 July is half way.
        w = 0.0 if month == 1 else 0.5
        s = (1 - w) * wide["stock"][year - 1] + w * wide["stock"][year]
        f = (1 - w) * wide["stock_female"][year - 1] + w * wide["stock_female"][year]
        rows.append(pd.DataFrame({"date": date, "stock": s, "stock_female": f}).reset_index())
    return pd.concat(rows, ignore_index=True)


def _platform_levels() -> dict[str, float]:
    """The platform's overall penetration at each date, with its two method changes."""
    date_level = {}
    for date in SOCIAL_MEDIA_DATES:
        year = int(date[:4]) + (0.5 if date.endswith("07-01") else 0.0)
        level = 0.30 + 0.12 * min(max((year - 2016) / 3.0, 0.0), 1.0)
        if date >= "2019-07-01":
            level *= 0.85  # method change: "lived in" redefined
        if date >= "2022-01-01":
            level *= 1.10  # method change: new user-count model
        date_level[date] = level
    return date_level


def _audience_cells(base: pd.DataFrame, age_profile, factors: tuple, rng) -> pd.DataFrame:
    """Reported audiences by date, corridor, age group and sex, with the true stock.

    Draws each cell's penetration noise and its Poisson audience, sex by sex and age
    group by age group.
    """
    date_level, age_factor, sex_factor = factors
    rows = []
    adult = 1.0 - CHILD_SHARE
    for sex in ("female", "male"):
        stock_sex = np.where(
            sex == "female", base["stock_female"], base["stock"] - base["stock_female"]
        )
        for a, age in enumerate(AGE_GROUPS):
            share = age_profile[base["k"].to_numpy(), a]
            true_cell = adult * stock_sex * share
            pen = (
                base["date"].map(date_level).to_numpy()
                * np.exp(base["log_pen_pair"].to_numpy())
                * age_factor[a]
                * sex_factor[sex]
                * np.exp(rng.normal(0.0, 0.05, len(base)))
            )
            pen = np.clip(pen, 0.0, 0.95)
            audience = rng.poisson(true_cell * pen)
            reported = np.maximum(_round_sig(audience, 2), 1000.0)
            rows.append(
                pd.DataFrame(
                    {
                        "date": base["date"],
                        "destination_iso3": base["destination_iso3"],
                        "origin_iso3": base["origin_iso3"],
                        "age_group": age,
                        "sex": sex,
                        "audience_lower": np.maximum(_round_sig(reported * 0.9, 2), 1000).astype(
                            np.int64
                        ),
                        "audience_upper": np.maximum(_round_sig(reported * 1.1, 2), 1000).astype(
                            np.int64
                        ),
                        "true_stock": np.round(true_cell).astype(np.int64),
                    }
                )
            )
    out = pd.concat(rows, ignore_index=True).sort_values(
        ["date", "destination_iso3", "origin_iso3", "age_group", "sex"], ignore_index=True
    )
    return out


def social_media_audience(world: World, rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Advertising-platform audiences "lived in origin, now lives in destination".

    Penetration (platform users among migrants) varies by destination, origin income,
    age and sex, and by a persistent corridor effect; the platform changed its method
    twice (all audiences jump); counts are rounded to two significant digits and any
    audience under 1,000 is reported as 1,000 (a reporting floor: our design choice,
    in the spirit of the real platforms' minimum audience sizes).
    """
    dests = SOCIAL_MEDIA_DESTINATIONS
    base = _stock_at_dates(world, dests, SOCIAL_MEDIA_DATES)
    pairs = base[["destination_iso3", "origin_iso3"]].drop_duplicates().reset_index(drop=True)
    gdppc = world.countries.set_index("iso3")["gdp_per_capita_usd"]
    log_income = np.log(pairs["origin_iso3"].map(gdppc).to_numpy())
    dest_effect = dict(zip(dests, rng.normal(0.0, 0.35, len(dests)), strict=True))
    pair_sd = 0.55
    pair_effect = rng.normal(0.0, pair_sd, len(pairs))
    age_profile = rng.dirichlet(40 * ADULT_AGE_PROFILE, len(pairs))
    pairs["log_pen_pair"] = (
        pairs["destination_iso3"].map(dest_effect).to_numpy()
        + 0.45 * (log_income - np.log(10_000))
        + pair_effect
    )
    base = base.merge(pairs.assign(k=np.arange(len(pairs))), on=["destination_iso3", "origin_iso3"])

    date_level = _platform_levels()
    age_factor = np.array([1.30, 1.00, 0.70, 0.35])
    sex_factor = {"female": 0.95, "male": 1.05}
    factors = (date_level, age_factor, sex_factor)
    out = _audience_cells(base, age_profile, factors, rng)
    truth_table = out[["date", "destination_iso3", "origin_iso3", "age_group", "sex", "true_stock"]]
    truth = {
        "reporting_floor": 1000,
        "rounding_significant_digits": 2,
        "bounds": "lower = 0.9 x reported, upper = 1.1 x reported, rounded, floored",
        "platform_level_by_date": {k: round(v, 4) for k, v in date_level.items()},
        "method_changes": {"2019-07-01": 0.85, "2022-01-01": 1.10},
        "age_factor": dict(zip(AGE_GROUPS, age_factor.tolist(), strict=True)),
        "sex_factor": sex_factor,
        "origin_income_elasticity": 0.45,
        "destination_effect_sd_log": 0.35,
        "destination_effect": {k: round(float(v), 4) for k, v in dest_effect.items()},
        "pair_effect_sd_log": pair_sd,
        "child_share_not_on_platform": CHILD_SHARE,
        "adult_age_profile_mean": dict(zip(AGE_GROUPS, ADULT_AGE_PROFILE.tolist(), strict=True)),
    }
    return out.drop(columns="true_stock"), truth | {"_truth_table": truth_table}


# --------------------------------------------------------------------------------------
# Professional network
# --------------------------------------------------------------------------------------


def professional_network(
    world: World, rng: np.random.Generator
) -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """Members of a professional network by origin, destination and education, end 2023.

    The true education of migrants depends on origin and destination income; membership
    depends steeply on education (tertiary-educated migrants are about 40 times as
    likely to be members as those with lower secondary education or less).
    """
    st = world.stocks[
        (world.stocks["year"] == PRESENT_YEAR)
        & world.stocks["destination_iso3"].isin(SOCIAL_MEDIA_DESTINATIONS)
    ]
    top = (
        st.sort_values(["destination_iso3", "stock", "origin_iso3"], ascending=[True, False, True])
        .groupby("destination_iso3")
        .head(40)
        .reset_index(drop=True)
    )
    gdppc = world.countries.set_index("iso3")["gdp_per_capita_usd"]
    x = 0.6 * (np.log(top["origin_iso3"].map(gdppc).to_numpy()) - np.log(10_000))
    x += 0.3 * (np.log(top["destination_iso3"].map(gdppc).to_numpy()) - np.log(30_000))
    tertiary = 1.0 / (1.0 + np.exp(-(TERTIARY_INTERCEPT + x + rng.normal(0.0, 0.3, len(top)))))
    upper = (1.0 - tertiary) * 0.55
    lower = 1.0 - tertiary - upper
    shares = np.column_stack([tertiary, upper, lower])
    membership = np.array([0.32, 0.05, 0.008])
    dest_pen = dict(
        zip(
            SOCIAL_MEDIA_DESTINATIONS,
            np.exp(rng.normal(0.0, 0.3, len(SOCIAL_MEDIA_DESTINATIONS))),
            strict=True,
        )
    )
    rows, truth_rows = [], []
    adult = 1.0 - CHILD_SHARE
    for e, level in enumerate(EDUCATION_LEVELS):
        true_count = np.round(adult * top["stock"].to_numpy() * shares[:, e]).astype(np.int64)
        p = np.clip(membership[e] * top["destination_iso3"].map(dest_pen).to_numpy(), 0, 1)
        members = rng.binomial(true_count, p)
        rows.append(
            pd.DataFrame(
                {
                    "destination_iso3": top["destination_iso3"],
                    "origin_iso3": top["origin_iso3"],
                    "education": level,
                    "members": members,
                }
            )
        )
        truth_rows.append(
            pd.DataFrame(
                {
                    "destination_iso3": top["destination_iso3"],
                    "origin_iso3": top["origin_iso3"],
                    "education": level,
                    "true_adult_stock": true_count,
                }
            )
        )
    out = pd.concat(rows, ignore_index=True).sort_values(
        ["destination_iso3", "origin_iso3", "education"], ignore_index=True
    )
    truth_table = pd.concat(truth_rows, ignore_index=True).sort_values(
        ["destination_iso3", "origin_iso3", "education"], ignore_index=True
    )
    truth = {
        "reference_date": f"{PRESENT_YEAR}-12-31",
        "membership_probability_by_education": dict(
            zip(EDUCATION_LEVELS, membership.tolist(), strict=True)
        ),
        "destination_penetration_factor": {k: round(float(v), 4) for k, v in dest_pen.items()},
        "tertiary_share_model": f"logistic({TERTIARY_INTERCEPT} + 0.6 (log gdppc_o - log 10000) "
        "+ 0.3 (log gdppc_d - log 30000) + N(0, 0.3))",
    }
    out["year"] = PRESENT_YEAR
    out = out[["year", "destination_iso3", "origin_iso3", "education", "members"]]
    return out, truth, truth_table
