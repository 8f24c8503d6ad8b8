"""Benchmark: PPML against log-OLS on many simulated worlds, not one.

Lab 3 fits the gravity model of migration to one world (the bundled seed) and compares
the estimates with the planted parameters. On one draw either estimator may land closer
to the truth. This script asks what holds across draws: for each of ``--seeds`` seeds
(20 by default, from the bundled seed 2026 on) it builds the hidden truth with
``migrationlab_world.world.build_world`` and the two official tables the lab reads
(``country_indicators`` and ``migrant_stocks``, each from its own stream of the seed tree,
as ``make data`` draws them), keeps the flows the ground-truth file publishes (pair-years
of at least 5 migrants; ``data/datasheets/true_flows.md``), and builds the lab's panel and
fits exactly as the lab does:

- the 60 most populous countries, flows of 1996, 2001, 2006, 2011 and 2016, each with the
  official stock of the year before as the diaspora; pair-years whose GDP per person is
  not published are dropped;
- regressors log distance, contiguity, common language, log(1 + diaspora), the origin's
  log GDP per person and its square, the destination's log GDP per person; origin,
  destination and year fixed effects;
- OLS on log F (positive flows only), OLS on log(1 + F), and PPML (``fit_ppml``), all with
  HC1 standard errors; and the lab's across-country PPML for the migration hump
  (destination and year fixed effects, the origin's population as a control).

A fourth fit, PPML on every true flow (pair-years of 1 to 4 migrants included, which the
published file leaves out), shows what the publication threshold costs; the lab cannot
run it.

For seed 2026 the script checks that its panel is the one the lab builds from the bundled
files. It writes two tables, with the date and the machine:

- ``results/gravity_seeds.csv``: one row per seed, estimator and coefficient (planted
  value, estimate, robust s.e., error, whether the 95 % interval covers the planted
  value), with the panel's counts: pair-years, those with no published flow, and of
  these the true zeros and the pair-years of 1 to 4 migrants;
- ``results/gravity_seeds_summary.csv``: per estimator and coefficient, the mean error,
  the standard deviation of the estimates across seeds, the root mean squared error and
  the coverage of the intervals; for PPML, the share of seeds in which it is closer to
  the planted value than OLS on log F; for OLS on log F, the number of seeds in which its
  error is positive and negative.

It is a benchmark, not a test: nothing fails when an estimator misses; the run fails only
when it takes longer than its budget (300 s on two cores; about 3 s a seed, most of it
spent building the world). Run with ``make bench`` or
``python benchmarks/bench_gravity_seeds.py [--seeds N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm
from threadpoolctl import threadpool_limits

from migrationlab import data
from migrationlab.models import (
    country_pairs,
    dyadic_panel,
    fit_ppml,
    gravity_design,
    hump_turning_point,
)
from migrationlab_world import official, seeds
from migrationlab_world.world import build_world

RESULTS = Path(__file__).parent / "results"
BUDGET_S = 300.0
#: The lab's sample: the 60 most populous countries and five flow years.
N_COUNTRIES = 60
YEARS = [1996, 2001, 2006, 2011, 2016]
#: ``make data`` publishes the true flows of pair-years with at least 5 migrants.
PUBLICATION_THRESHOLD = 5
REGRESSORS = [
    "log_distance",
    "contiguity",
    "common_language",
    "log_diaspora",
    "log_gdp_o",
    "log_gdp_o_sq",
    "log_gdp_d",
]
FIXED = ["origin_iso3", "destination_iso3", "year"]
HUMP = [
    "log_distance",
    "contiguity",
    "common_language",
    "log_diaspora",
    "log_pop_o",
    "log_gdp_o",
    "log_gdp_o_sq",
    "log_gdp_d",
]
#: Coefficient of the lab's table -> (planted parameter, sign of the coefficient).
PLANTED = {
    "log_distance": ("delta_log_distance", -1.0),
    "contiguity": ("g1_contiguity", 1.0),
    "common_language": ("g2_common_language", 1.0),
    "log_diaspora": ("eta_log_diaspora", 1.0),
}


def lab_panel(countries, flows, stocks, indicators) -> pd.DataFrame:
    """The panel of Lab 3 (the same steps as its cell "Distances and the dyadic panel")."""
    sample = countries.nlargest(N_COUNTRIES, "population")
    panel = dyadic_panel(
        country_pairs(sample),
        YEARS,
        flows=flows,
        stocks=stocks,
        indicators=indicators[["iso3", "year", "population", "gdp_per_capita_ppp_usd"]],
    )
    panel = panel.dropna(subset=["gdp_per_capita_ppp_usd_o", "gdp_per_capita_ppp_usd_d"])
    panel = panel.assign(
        log_distance=np.log(panel["distance_km"]),
        log_diaspora=np.log1p(panel["diaspora"]),
        log_gdp_o=np.log(panel["gdp_per_capita_ppp_usd_o"]),
        log_gdp_d=np.log(panel["gdp_per_capita_ppp_usd_d"]),
        log_pop_o=np.log(panel["population_o"]),
    ).reset_index(drop=True)
    panel["log_gdp_o_sq"] = panel["log_gdp_o"] ** 2
    return panel


def observed_world(seed: int):
    """The truth of ``seed`` and the tables the lab would read, drawn as ``make data`` does.

    The countries are the bundled table (real geography, capitals rounded as published)
    with the seed's 2020 population and GDP per person.
    """
    world = build_world(seed, progress=False)
    indicators, _ = official.country_indicators(world, seeds.rng(seed, "country_indicators"))
    stocks, _ = official.migrant_stocks(world, seeds.rng(seed, "migrant_stocks"))
    own = world.countries.set_index("iso3")
    countries = data.load_countries()
    for column in ("population", "gdp_per_capita_usd"):
        countries[column] = countries["iso3"].map(own[column]).to_numpy()
    return world, countries, indicators, stocks


def fit_seed(seed: int) -> tuple[list[dict], dict]:
    """All fits on one seed's panel: one row per estimator and coefficient, and the counts."""
    world, countries, indicators, stocks = observed_world(seed)
    published = world.flows[world.flows["flow"] >= PUBLICATION_THRESHOLD]
    panel = lab_panel(countries, published, stocks, indicators)
    if seed == seeds.DEFAULT_SEED:
        bundled = lab_panel(
            data.load_countries(),
            data.load_true_flows(),
            data.load_migrant_stocks(),
            data.load_country_indicators(),
        )
        pd.testing.assert_frame_equal(panel, bundled, check_dtype=False)
    every = world.flows.rename(columns={"flow": "true_flow"})
    panel = panel.merge(every, on=["origin_iso3", "destination_iso3", "year"], how="left")
    panel["true_flow"] = panel["true_flow"].fillna(0.0).astype(float)
    counts = {
        "pair_years": len(panel),
        "no_published_flow": int((panel["flow"] == 0).sum()),
        "true_zero": int((panel["true_flow"] == 0).sum()),
        "below_threshold": int(((panel["true_flow"] > 0) & (panel["flow"] == 0)).sum()),
    }

    design = gravity_design(panel, REGRESSORS, FIXED)
    pos = panel["flow"] > 0
    fits = {
        "OLS on log F": sm.OLS(np.log(panel.loc[pos, "flow"]), design[pos]).fit(cov_type="HC1"),
        "OLS on log(1+F)": sm.OLS(np.log1p(panel["flow"]), design).fit(cov_type="HC1"),
        "PPML": fit_ppml(panel, "flow", REGRESSORS, FIXED),
        "PPML, all true flows": fit_ppml(panel, "true_flow", REGRESSORS, FIXED),
    }
    p = world.parameters["flows"]
    rows = []
    for estimator, fit in fits.items():
        for term, (name, sign) in PLANTED.items():
            est, se = float(fit.params[term]), float(fit.bse[term])
            rows.append(
                {
                    "seed": seed,
                    "estimator": estimator,
                    "term": term,
                    "planted": sign * p[name],
                    "estimate": est,
                    "robust_se": se,
                }
            )
    hump = hump_turning_point(
        fit_ppml(panel, "flow", HUMP, ["destination_iso3", "year"]), "log_gdp_o", "log_gdp_o_sq"
    )
    rows.append(
        {
            "seed": seed,
            "estimator": "PPML across countries",
            "term": "hump_peak_gdppc_ppp_usd",
            "planted": p["hump_peak_gdppc_ppp_usd"],
            "estimate": hump["peak"],
            "robust_se": np.nan,
            "lower": hump["lower"],
            "upper": hump["upper"],
        }
    )
    for row in rows:
        row.update(counts)
    return rows, counts


def summarise(per_seed: pd.DataFrame) -> pd.DataFrame:
    """Per estimator and coefficient: bias, spread, RMSE, coverage, PPML closer, OLS sign."""
    g = per_seed.groupby(["estimator", "term"], sort=False)
    summary = g.agg(
        n_seeds=("seed", "size"),
        planted=("planted", "first"),
        mean_estimate=("estimate", "mean"),
        mean_error=("error", "mean"),
        sd_estimate=("estimate", "std"),
        rmse=("error", lambda e: float(np.sqrt(np.mean(e**2)))),
        mean_abs_error=("abs_error", "mean"),
        coverage_95=("covered", "mean"),
        seeds_error_positive=("error", lambda e: int((e > 0).sum())),
        seeds_error_negative=("error", lambda e: int((e < 0).sum())),
    ).reset_index()
    wide = per_seed.pivot_table(index="seed", columns=["estimator", "term"], values="abs_error")
    closer = {
        term: float((wide[("PPML", term)] < wide[("OLS on log F", term)]).mean())
        for term in PLANTED
    }
    is_ppml = summary["estimator"] == "PPML"
    summary["ppml_closer_than_log_ols_share"] = np.where(
        is_ppml, summary["term"].map(closer), np.nan
    )
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="number of seeds (default 20)")
    parser.add_argument(
        "--first-seed", type=int, default=seeds.DEFAULT_SEED, help="first seed (default 2026)"
    )
    args = parser.parse_args(argv)
    # Small fits: one thread each is faster than several competing for two shared cores.
    threadpool_limits(limits=1)
    start = time.perf_counter()
    rows = []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        t0 = time.perf_counter()
        seed_rows, counts = fit_seed(seed)
        rows += seed_rows
        ppml = {r["term"]: r["estimate"] for r in seed_rows if r["estimator"] == "PPML"}
        ols = {r["term"]: r["estimate"] for r in seed_rows if r["estimator"] == "OLS on log F"}
        print(
            f"seed {seed}: distance PPML {ppml['log_distance']:.3f} log-OLS "
            f"{ols['log_distance']:.3f}; diaspora PPML {ppml['log_diaspora']:.3f} log-OLS "
            f"{ols['log_diaspora']:.3f}; {counts['no_published_flow']:,} of "
            f"{counts['pair_years']:,} pair-years without a published flow "
            f"({counts['true_zero']:,} true zeros); {time.perf_counter() - t0:.1f} s",
            flush=True,
        )
    wall = time.perf_counter() - start

    per_seed = pd.DataFrame(rows)
    per_seed["error"] = per_seed["estimate"] - per_seed["planted"]
    per_seed["abs_error"] = per_seed["error"].abs()
    has_se = per_seed["robust_se"].notna()
    per_seed.loc[has_se, "lower"] = per_seed["estimate"] - 1.96 * per_seed["robust_se"]
    per_seed.loc[has_se, "upper"] = per_seed["estimate"] + 1.96 * per_seed["robust_se"]
    per_seed["covered"] = (per_seed["lower"] <= per_seed["planted"]) & (
        per_seed["planted"] <= per_seed["upper"]
    )
    summary = summarise(per_seed)

    machine = f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
    stamp = {"date": dt.date.today().isoformat(), "machine": machine}
    summary = summary.assign(
        wall_s=round(wall, 1), budget_s=BUDGET_S, within_budget=wall <= BUDGET_S, **stamp
    )
    RESULTS.mkdir(exist_ok=True)
    per_seed.assign(**stamp).round(4).to_csv(RESULTS / "gravity_seeds.csv", index=False)
    summary.round(4).to_csv(RESULTS / "gravity_seeds_summary.csv", index=False)
    show = summary[summary["term"].isin(["log_distance", "log_diaspora"])]
    print(
        show[
            [
                "estimator",
                "term",
                "planted",
                "mean_estimate",
                "sd_estimate",
                "rmse",
                "coverage_95",
                "ppml_closer_than_log_ols_share",
            ]
        ]
        .round(3)
        .to_string(index=False)
    )
    print(f"\n{args.seeds} seeds in {wall:.0f} s; written {RESULTS / 'gravity_seeds.csv'} and")
    print(f"{RESULTS / 'gravity_seeds_summary.csv'}")
    if wall > BUDGET_S:
        print(f"over budget: {wall:.0f} s > {BUDGET_S:.0f} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
