"""Tests of migrationlab_world.passengers: synthetic air passengers and real airports.

They run on a small fake world (20 Natural Earth countries, made-up stocks and flows in the
layout of ``World``, one planted corridor surge), so that they are fast and do not depend
on the full world builder.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from world_fixtures import real_countries

from migrationlab_world._io import write_resource
from migrationlab_world.passengers import (
    GRAVITY,
    REPORTING_THRESHOLD,
    SHOCK,
    YEARS,
    corridor_net_arrivals,
    eu_total_by_month,
    eu_total_passengers,
    generate_passengers,
)
from migrationlab_world.schemas import CALIBRATION
from migrationlab_world.world import World

#: The columns of ground_truth/calibration.csv, as its schema gives them.
CALIBRATION_COLUMNS = {f["name"] for f in CALIBRATION["fields"]}

EU = ["AUT", "DEU", "ESP", "FRA", "ITA", "NLD", "POL", "PRT", "ROU", "SWE"]
NON_EU = ["BRA", "CHN", "DZA", "GBR", "IND", "MAR", "NGA", "SYR", "TUR", "USA"]
#: The planted corridor of the fake world, and a pair with no diaspora (pure tourism).
EVENT = {
    "kind": "corridor_surge",
    "origin_iso3": "NGA",
    "destination_iso3": "ITA",
    "start_year": 2017,
    "extra_flow_per_year": 40_000,
}
TOURISM_PAIR = ("DEU", "PRT")
SEED = 7


def fake_world(isos: list[str] | None = None, seed: int = 0) -> World:
    """A small world with real countries and made-up stocks and flows (test data only)."""
    isos = isos or EU + NON_EU
    rng = np.random.default_rng(seed)
    countries = real_countries(isos)[
        ["iso3", "name", "continent", "region", "eu_member", "capital", "capital_lat"]
        + ["capital_lon", "population", "gdp_per_capita_usd"]
    ]
    years = np.arange(1990, 2024)
    ind = countries[["iso3", "population", "gdp_per_capita_usd"]].merge(
        pd.DataFrame({"year": years}), how="cross"
    )
    ind = ind.rename(columns={"gdp_per_capita_usd": "gdp_per_capita_ppp_usd"})
    ind["population"] *= 1.005 ** (ind["year"] - 2019)
    ind["gdp_per_capita_ppp_usd"] *= 1.02 ** (ind["year"] - 2019)

    iso = countries["iso3"].to_numpy()
    pop = countries["population"].to_numpy()
    n = len(iso)
    base = np.exp(rng.normal(0, 1.5, (n, n))) * np.sqrt(np.outer(pop, pop)) / 2e4
    base[rng.random((n, n)) < 0.2] = 0.0
    np.fill_diagonal(base, 0.0)
    pos = {c: i for i, c in enumerate(iso)}
    a, b = pos[TOURISM_PAIR[0]], pos[TOURISM_PAIR[1]]
    base[a, b] = base[b, a] = 0.0
    o, d = pos[EVENT["origin_iso3"]], pos[EVENT["destination_iso3"]]
    base[o, d], base[d, o] = 20_000.0, 5_000.0
    oi, di = np.nonzero(base)
    stock_rows, flow_rows = [], []
    for year in range(2005, 2024):
        growth = 1.02 ** (year - 2005)
        stock_rows.append(
            pd.DataFrame(
                {
                    "origin_iso3": iso[oi],
                    "destination_iso3": iso[di],
                    "year": year,
                    "stock": np.round(base[oi, di] * growth),
                }
            )
        )
        flow = np.round(0.05 * base[oi, di] * growth)
        flow[(oi == o) & (di == d)] = 2_000.0
        flow[(oi == d) & (di == o)] = 2_000.0
        if year >= EVENT["start_year"]:
            flow[(oi == o) & (di == d)] += EVENT["extra_flow_per_year"]
        flow_rows.append(
            pd.DataFrame(
                {"origin_iso3": iso[oi], "destination_iso3": iso[di], "year": year, "flow": flow}
            )
        )
    return World(
        seed=seed,
        years=years,
        countries=countries,
        indicators=ind,
        flows=pd.concat(flow_rows, ignore_index=True),
        stocks=pd.concat(stock_rows, ignore_index=True),
        parameters={},
        events=[dict(EVENT)],
    )


@pytest.fixture(scope="module")
def world() -> World:
    return fake_world()


@pytest.fixture(scope="module")
def generated(world):
    return generate_passengers(world, seed=SEED)


@pytest.fixture(scope="module")
def resources(generated):
    return {r.name: r for r in generated[0]}


@pytest.fixture(scope="module")
def passengers(resources) -> pd.DataFrame:
    return resources["air_passengers"].data


def _check_schema(resource, countries_iso3: set) -> None:
    df, schema = resource.data, resource.schema
    names = [f["name"] for f in schema["fields"]]
    assert list(df.columns) == names, f"{resource.name}: columns differ from the schema"
    for f in schema["fields"]:
        col, c = df[f["name"]], f.get("constraints", {})
        assert f.get("description"), f"{resource.name}.{f['name']}: no description"
        values = col.dropna()
        if f["type"] == "integer":
            assert pd.api.types.is_integer_dtype(col), f"{f['name']} is not integer"
        elif f["type"] == "number":
            assert pd.api.types.is_numeric_dtype(col), f"{f['name']} is not numeric"
        elif f["type"] == "string":
            assert values.map(lambda v: isinstance(v, str)).all(), f"{f['name']} not string"
        if c.get("required"):
            assert col.notna().all(), f"{f['name']} has missing values"
        if "minimum" in c:
            assert (values >= c["minimum"]).all(), f"{f['name']} below minimum"
        if "maximum" in c:
            assert (values <= c["maximum"]).all(), f"{f['name']} above maximum"
        if "enum" in c:
            assert set(values) <= set(c["enum"]), f"{f['name']} outside enum"
        if "pattern" in c:
            pattern = re.compile(c["pattern"])
            assert values.map(lambda v, p=pattern: p.fullmatch(v) is not None).all()
        if c.get("unique"):
            assert values.is_unique, f"{f['name']} not unique"
    assert not df.duplicated(schema["primaryKey"]).any(), f"{resource.name}: primary key"
    for fk in schema["foreignKeys"]:
        assert fk["reference"] == {"resource": "countries", "fields": "iso3"}
        assert set(df[fk["fields"]]) <= countries_iso3, f"{fk['fields']}: unknown codes"
    iso_fields = {f["name"] for f in schema["fields"] if f["name"].endswith("iso3")}
    assert iso_fields == {fk["fields"] for fk in schema["foreignKeys"]}


def test_resources_match_their_schemas(world, resources):
    assert set(resources) == {"airports", "air_passengers"}
    known = set(world.countries["iso3"])
    for resource in resources.values():
        _check_schema(resource, known)
        assert set(resource.datasheet) == {"mimics", "generation", "flaws", "real_source"}
    assert resources["air_passengers"].synthetic and not resources["airports"].synthetic
    assert resources["air_passengers"].path == "air_passengers.csv.gz"
    assert resources["airports"].path == "airports.csv"
    assert "MIT" in {lic["name"] for lic in resources["airports"].licenses}


def test_passenger_counts_are_non_negative_integers(passengers):
    assert pd.api.types.is_integer_dtype(passengers["passengers"])
    assert (passengers["passengers"] >= 0).all()
    assert set(passengers["year"]) <= set(YEARS.tolist())
    assert (passengers["reporting_iso3"] != passengers["partner_iso3"]).all()
    assert set(passengers["reporting_iso3"]) <= set(EU)


def test_reporting_threshold_drops_whole_pair_years(passengers):
    per_year = passengers.groupby(["reporting_iso3", "partner_iso3", "year"])["passengers"]
    assert (per_year.size() == 24).all()
    assert (per_year.sum() >= REPORTING_THRESHOLD).all()


def test_intra_eu_pairs_are_reported_by_both_sides(passengers):
    t = passengers.set_index(["reporting_iso3", "partner_iso3", "year", "month", "direction"])
    ab = t.loc[("DEU", "ESP", 2015, slice(None), "departures"), "passengers"].to_numpy()
    ba = t.loc[("ESP", "DEU", 2015, slice(None), "arrivals"), "passengers"].to_numpy()
    # The same journeys, seen from both ends, with a few per cent of coverage difference.
    assert np.all(np.abs(ab / ba - 1) < 0.15)


def test_generation_is_deterministic(world, generated, tmp_path):
    again = generate_passengers(world, seed=SEED)
    for first, second in zip(generated[0], again[0], strict=True):
        a = write_resource(first, tmp_path / "a")
        b = write_resource(second, tmp_path / "b")
        assert a.read_bytes() == b.read_bytes(), f"{first.name} differs between runs"
    assert generated[1] == again[1]
    assert generated[2] == again[2]


def test_seasonality_peaks_in_summer_and_dips_in_february(world, passengers):
    eu = world.countries.loc[world.countries["eu_member"], "iso3"]
    pre = passengers[passengers["year"].between(2015, 2019)]
    monthly = eu_total_by_month(pre, eu).groupby(level="month").mean()
    assert monthly[7] > monthly.mean() and monthly[8] > monthly.mean()
    assert monthly[2] < monthly.mean()
    assert monthly.idxmax() in (7, 8)
    a, b = TOURISM_PAIR  # no diaspora: a pure tourism and business corridor
    pair = pre[(pre["reporting_iso3"] == a) & (pre["partner_iso3"] == b)]
    by_month = pair.groupby("month")["passengers"].sum()
    assert by_month[7] > by_month.mean() and by_month[8] > by_month.mean()
    assert by_month[2] < by_month.mean()


def test_2020_collapse_and_partial_recovery(world, passengers):
    eu = world.countries.loc[world.countries["eu_member"], "iso3"]
    total = eu_total_passengers(passengers, eu)
    assert 0.20 < total[2020] / total[2019] < 0.35
    assert total[2020] < total[2021] < total[2022] < total[2019]
    assert total[2015] < total[2019]
    assert len(SHOCK[2020]) == 12


def test_planted_corridor_shows_in_net_arrivals_after_start_only(generated, passengers):
    start = EVENT["start_year"]
    net = corridor_net_arrivals(passengers, EVENT["destination_iso3"], EVENT["origin_iso3"])
    cumulative = net.cumsum()
    before = net[net.index < start]
    after = net[net.index >= start]
    # Flat before: the yearly net only wanders (noise, trips straddling the new year),
    # by a small fraction of the surge.
    assert abs(before.mean()) < 0.1 * EVENT["extra_flow_per_year"]
    assert before.abs().mean() < 0.2 * EVENT["extra_flow_per_year"]
    # Rising after: every year adds a large positive net, and the cumulative sum climbs.
    assert (after > 0.3 * EVENT["extra_flow_per_year"]).all()
    assert cumulative.iloc[-1] - cumulative[start - 1] > 3 * EVENT["extra_flow_per_year"]
    planted = generated[1]["corridor_surge"][0]
    assert planted["passenger_signal_start"] == {"year": start, "month": 1}
    assert planted["official_statistics_first_show_it_in"] == start + 2
    assert planted["first_year_net_arrivals_exceed_pre_event_mean_plus_3_sd"] == start


def test_vfr_elasticity_is_recovered_by_poisson_glm(world, passengers):
    import statsmodels.api as sm

    from migrationlab.geo import great_circle_km

    t = passengers[passengers["year"].between(2015, 2019)]
    annual = t.groupby(["reporting_iso3", "partner_iso3", "year"], as_index=False)[
        "passengers"
    ].sum()
    s = world.stocks.rename(columns={"stock": "s"})
    s = s.assign(year=s["year"] + 1)  # the diaspora at the end of the previous year
    one = s.rename(columns={"origin_iso3": "partner_iso3", "destination_iso3": "reporting_iso3"})
    two = s.rename(columns={"origin_iso3": "reporting_iso3", "destination_iso3": "partner_iso3"})
    keys = ["reporting_iso3", "partner_iso3", "year"]
    df = annual.merge(one, on=keys, how="left").merge(two, on=keys, how="left")
    df["diaspora"] = df[["s_x", "s_y"]].fillna(0).sum(axis=1)
    c = world.countries.set_index("iso3")
    d = great_circle_km(
        c.loc[df["reporting_iso3"], "capital_lat"].to_numpy(),
        c.loc[df["reporting_iso3"], "capital_lon"].to_numpy(),
        c.loc[df["partner_iso3"], "capital_lat"].to_numpy(),
        c.loc[df["partner_iso3"], "capital_lon"].to_numpy(),
    )
    x = pd.DataFrame(
        {
            "log1p_diaspora": np.log1p(df["diaspora"]),
            "log_distance": np.log(d),
            "short_haul": np.log1p(-np.exp(-((d / GRAVITY["short_haul_scale_km"]) ** 2))),
        }
    )  # the intra-EU premium is a partner attribute: the partner effects absorb it
    dummies = pd.get_dummies(
        df[["reporting_iso3", "partner_iso3"]].astype(str).assign(year=df["year"].astype(str)),
        drop_first=True,
        dtype=float,
    )
    x = sm.add_constant(pd.concat([x, dummies], axis=1))
    fit = sm.GLM(df["passengers"].to_numpy(float), x, family=sm.families.Poisson()).fit()
    planted = GRAVITY["log1p_diaspora_stock"]
    assert abs(fit.params["log1p_diaspora"] - planted) < 0.1, fit.params["log1p_diaspora"]
    assert abs(fit.params["log_distance"] - GRAVITY["log_distance"]) < 0.3


def test_planted_parameters_and_calibration_rows(generated):
    import json

    _, planted, rows = generated
    json.dumps(planted)  # JSON-serialisable
    assert planted["gravity"]["log1p_diaspora_stock"] == GRAVITY["log1p_diaspora_stock"]
    assert len(planted["seasonality"]["tourism_business_profile"]) == 12
    keys = CALIBRATION_COLUMNS
    assert rows and all(set(r) == keys for r in rows)
    assert all(isinstance(r["within_tolerance"], bool) for r in rows)
    by_target = {r["target"].split(" (")[0]: r for r in rows}
    fall = by_target["Fall of EU air passengers in 2020 against 2019"]
    assert fall["within_tolerance"], fall


def test_airports_follow_the_stated_rule(world, resources):
    airports = resources["airports"].data
    capitals = airports[airports["role"] == "capital"]
    assert capitals["iso3"].is_unique
    main = dict(zip(capitals["iso3"], capitals["iata"], strict=True))
    # Overrides where the rule finds a secondary or closed airport.
    assert main["DEU"] == "BER" and main["GBR"] == "LHR"
    assert main["FRA"] == "CDG" and main["ESP"] == "MAD" and main["ITA"] == "FCO"
    over = airports[airports["selection"] == "override"]
    assert (over["selection_note"].str.len() > 0).all()
    assert (airports.loc[airports["selection"] == "rule", "selection_note"] == "").all()
    large = airports[airports["role"] == "large_city"]
    assert set(large["iso3"]) <= set(EU)
    assert {"FRA", "MUC", "BCN", "MXP"} <= set(large["iata"])
    assert (airports["distance_to_served_city_km"] <= 150).all()
