"""Unit tests of migrationlab.mobility (chapter 5)."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrationlab import mobility as mob
from migrationlab.geo import EARTH_RADIUS_KM


def _table(pairs_years, seed=0):
    """A small table in the layout of load_air_passengers."""
    rng = np.random.default_rng(seed)
    rows = []
    for (r, p), years in pairs_years.items():
        for y in years:
            for m in range(1, 13):
                for d in ("arrivals", "departures"):
                    rows.append((r, p, y, m, d, int(rng.integers(100, 1000))))
    return pd.DataFrame(rows, columns=list(mob._PASSENGER_COLUMNS))


def test_monthly_series_has_full_calendar_and_missing_years_as_nan():
    t = _table({("AUT", "TUR"): [2010, 2012], ("DEU", "TUR"): [2010, 2011, 2012]})
    s = mob.monthly_series(t, "AUT", "TUR")
    assert list(s.columns) == ["arrivals", "departures"]
    assert len(s) == 36 and s.index.freqstr == "MS"
    assert s.loc["2011"].isna().all().all()
    assert (
        s.loc["2012-03-01", "arrivals"]
        == t.query(
            "reporting_iso3 == 'AUT' and year == 2012 and month == 3 and direction == 'arrivals'"
        )["passengers"].item()
    )


def test_monthly_series_absent_pair_names_the_threshold():
    t = _table({("AUT", "TUR"): [2010]})
    with pytest.raises(ValueError, match="reporting threshold"):
        mob.monthly_series(t, "AUT", "IRQ")
    with pytest.raises(ValueError, match="no column"):
        mob.monthly_series(t.drop(columns="direction"), "AUT", "TUR")


def test_flow_log_ratio_values_and_edge_cases():
    assert mob.flow_log_ratio([200.0], [100.0])[0] == pytest.approx(1.0)
    assert mob.flow_log_ratio([50.0], [100.0])[0] == pytest.approx(-1.0)
    r = mob.flow_log_ratio([0.0, 10.0, np.nan], [10.0, 0.0, 5.0])
    assert np.isnan(r).all()
    s = mob.flow_log_ratio(
        pd.Series([4.0, 1.0], index=["a", "b"]), pd.Series([1.0, 4.0], index=["a", "b"])
    )
    assert (
        list(s.index) == ["a", "b"]
        and s["a"] == pytest.approx(2.0)
        and s["b"] == pytest.approx(-2.0)
    )
    with pytest.raises(ValueError, match="negative"):
        mob.flow_log_ratio([-1.0], [1.0])
    with pytest.raises(ValueError, match="shape"):
        mob.flow_log_ratio([1.0, 2.0], [1.0])


def test_cumulative_flow_log_ratio_cancels_round_trips_and_skips_gaps():
    # 100 leave in month 1 and come back in month 2: the monthly FLR swings, the CFLR is 0.
    inflow = np.array([50.0, 150.0, 100.0])
    outflow = np.array([150.0, 50.0, 100.0])
    assert mob.flow_log_ratio(inflow, outflow)[0] < -1.5
    c = mob.cumulative_flow_log_ratio(inflow, outflow)
    assert c[1] == pytest.approx(0.0) and c[2] == pytest.approx(0.0)
    # a lasting surplus accumulates
    c2 = mob.cumulative_flow_log_ratio([110.0] * 5, [100.0] * 5)
    assert np.allclose(c2, np.log2(1.1))
    # a missing month adds nothing to either sum
    c3 = mob.cumulative_flow_log_ratio([100.0, np.nan, 300.0], [100.0, 50.0, 100.0])
    assert c3[2] == pytest.approx(np.log2(400 / 200))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(1, 1e6), min_size=2, max_size=30), st.floats(0.1, 10))
def test_cumulative_flr_of_proportional_flows_is_constant(outflow, ratio):
    inflow = np.array(outflow) * ratio
    c = mob.cumulative_flow_log_ratio(inflow, np.array(outflow))
    assert np.allclose(c, np.log2(ratio))


def test_stl_decompose_adds_up_and_finds_the_seasonal_peak():
    idx = pd.date_range("2010-01-01", periods=96, freq="MS")
    seasonal = np.where(idx.month == 12, 3.0, -3.0 / 11)
    rng = np.random.default_rng(1)
    y = pd.Series(10 + 0.05 * np.arange(96) + seasonal + rng.normal(0, 0.05, 96), index=idx)
    d = mob.stl_decompose(y)
    assert list(d.columns) == ["observed", "trend", "seasonal", "remainder"]
    assert np.allclose(d["trend"] + d["seasonal"] + d["remainder"], y)
    profile = d["seasonal"].groupby(d.index.month).mean()
    assert profile.idxmax() == 12 and profile.max() > 2


def test_stl_decompose_rejects_gaps_and_short_series():
    idx = pd.date_range("2010-01-01", periods=36, freq="MS")
    y = pd.Series(np.arange(36.0), index=idx)
    with pytest.raises(ValueError, match="missing values"):
        mob.stl_decompose(y.where(y != 5))
    with pytest.raises(ValueError, match="at least 25"):
        mob.stl_decompose(y.iloc[:20])
    with pytest.raises(TypeError):
        mob.stl_decompose(y.to_numpy())


def test_first_exceedance_dates_a_step():
    s = pd.Series([10, 11, 9, 10, 12, 30, 31], index=range(2010, 2017), dtype=float)
    assert mob.first_exceedance(s, 2014) == 2015
    assert mob.first_exceedance(s, 2014, n_sd=100) is None
    assert mob.first_exceedance(s, 2014, after=2016) == 2016
    with pytest.raises(ValueError, match="at least two"):
        mob.first_exceedance(s, 2010)
    with pytest.raises(ValueError, match="time order"):
        mob.first_exceedance(s.iloc[::-1], 2014)


def test_months_between():
    assert mob.months_between("2018-05", "2020-12") == 31
    assert mob.months_between(pd.Timestamp("2018-01-01"), "2018-01") == 0
    assert mob.months_between("2020-03", "2019-03") == -12


def _surge_table(surges, missing=(), years=range(2010, 2020), seed=1):
    """Corridors with balanced traffic plus a little noise; ``surges`` maps a corridor to
    (first month of the surge, extra arrivals per month); ``missing`` lists
    (corridor, year) left out of the table, as below the reporting threshold."""
    rng = np.random.default_rng(seed)
    corridors = [("AUT", "TUR"), ("DEU", "MKD"), ("FRA", "MAR"), ("ITA", "ALB"), ("ESP", "COL")]
    rows = []
    for r, p in corridors:
        for y in years:
            if ((r, p), y) in missing:
                continue
            for m in range(1, 13):
                extra = 0
                if (r, p) in surges and pd.Timestamp(y, m, 1) >= pd.Timestamp(surges[(r, p)][0]):
                    extra = surges[(r, p)][1]
                arrivals = 1000 + int(rng.integers(0, 40)) + extra
                rows.append((r, p, y, m, "arrivals", arrivals))
                rows.append((r, p, y, m, "departures", 1000 + int(rng.integers(0, 40))))
    return pd.DataFrame(rows, columns=list(mob._PASSENGER_COLUMNS))


def test_rolling_net_arrivals_sums_a_year_and_keeps_gaps_missing():
    t = _surge_table({}, missing={(("AUT", "TUR"), 2012)})
    net = mob.rolling_net_arrivals(t)
    assert net.index.freqstr == "MS" and len(net) == 120
    assert net.columns.names == ["reporting_iso3", "partner_iso3"]
    one = t.query("reporting_iso3 == 'DEU' and year == 2011")
    expected = (
        one.loc[one["direction"] == "arrivals", "passengers"].sum()
        - one.loc[one["direction"] == "departures", "passengers"].sum()
    )
    assert net.loc["2011-12-01", ("DEU", "MKD")] == expected
    assert net.loc["2010-11-01"].isna().all()  # fewer than 12 months so far
    # a year below the threshold leaves every window that touches it missing
    assert net.loc["2012-01-01":"2013-11-01", ("AUT", "TUR")].isna().all()
    assert np.isfinite(net.loc["2013-12-01", ("AUT", "TUR")])


def test_realtime_scan_finds_the_planted_surge_after_the_publication_lag():
    # DEU-MKD surges strongly from March 2017, ITA-ALB less so; the others stay flat.
    t = _surge_table({("DEU", "MKD"): ("2017-03", 5000), ("ITA", "ALB"): ("2017-03", 1500)})
    months = pd.date_range("2017-01-01", "2018-06-01", freq="MS")
    scan = mob.realtime_surge_scan(t, months, "2016-12", publication_lag_months=0)
    assert list(scan.columns[:4]) == ["month", "data_month", "reporting_iso3", "partner_iso3"]
    alarms = scan[scan["alarm"]]
    # no alarm before the surge is in the data; from its first month, the planted corridor
    # ranks first and the weaker one second; the flat corridors never alarm
    assert alarms["month"].min() == pd.Timestamp("2017-03-01")
    first = alarms[alarms["month"] == pd.Timestamp("2017-03-01")].set_index("partner_iso3")
    assert first.loc["MKD", "rank"] == 1 and first.loc["ALB", "rank"] == 2
    assert set(alarms["partner_iso3"]) == {"MKD", "ALB"}
    assert (scan.groupby("month").size() == 5).all()
    # the same scan with a publication lag alarms exactly that many months later
    lagged = mob.realtime_surge_scan(
        t,
        pd.date_range("2017-04-01", "2018-06-01", freq="MS"),
        "2016-12",
        publication_lag_months=3,
    )
    assert lagged.loc[lagged["alarm"], "month"].min() == pd.Timestamp("2017-06-01")
    assert (lagged["month"] - lagged["data_month"]).dt.days.between(89, 92).all()
    # what is not yet published is not seen: the row of June 2017 is the data of March
    row = lagged[(lagged["month"] == "2017-06-01") & (lagged["partner_iso3"] == "MKD")]
    assert (
        row["net_arrivals"].item() == mob.rolling_net_arrivals(t).loc["2017-03-01", ("DEU", "MKD")]
    )


def test_realtime_scan_refuses_months_it_cannot_see_and_skips_short_baselines():
    t = _surge_table({}, missing={(("AUT", "TUR"), y) for y in range(2010, 2016)})
    with pytest.raises(ValueError, match="Start the scan in 2017-07"):
        mob.realtime_surge_scan(t, ["2017-03"], "2016-12", publication_lag_months=6)
    with pytest.raises(ValueError, match="outside the table"):
        mob.realtime_surge_scan(t, ["2020-03"], "2016-12", publication_lag_months=0)
    scan = mob.realtime_surge_scan(t, ["2017-07"], "2016-12", publication_lag_months=6)
    # AUT-TUR has only 2016 in its baseline (one complete window): not scored
    assert ("AUT", "TUR") not in set(zip(scan["reporting_iso3"], scan["partner_iso3"], strict=True))
    assert len(scan) == 4 and scan["rank"].isna().sum() == (~scan["alarm"]).sum()


def test_network_measures_of_a_star():
    annual = pd.DataFrame(
        {
            "origin_iso3": ["AUT", "AUT", "AUT", "DEU"],
            "destination_iso3": ["DEU", "FRA", "ITA", "AUT"],
            "passengers": [10.0, 20.0, 30.0, 5.0],
        }
    )
    g = mob.passenger_network(annual)
    m = mob.network_measures(g)
    assert m.loc["AUT", "degree"] == 3 and m.loc["DEU", "degree"] == 1
    assert m.loc["AUT", "strength_out"] == 60 and m.loc["AUT", "strength_in"] == 5
    assert m.loc["AUT", "betweenness"] == pytest.approx(1.0)
    assert m.loc["ITA", "betweenness"] == 0
    assert m.index[0] == "AUT"
    with pytest.raises(ValueError, match="duplicated"):
        mob.passenger_network(pd.concat([annual, annual.iloc[:1]]))
    with pytest.raises(ValueError, match="positive"):
        mob.passenger_network(annual.assign(passengers=0.0))
    with pytest.raises(TypeError):
        mob.network_measures(nx.Graph())


def test_haversine_known_distance():
    # Vienna to Rome, about 765 km
    assert mob.great_circle_km(48.2082, 16.3738, 41.9028, 12.4964) == pytest.approx(765, abs=10)
    assert mob.great_circle_km(0, 0, 0, 180) == pytest.approx(np.pi * EARTH_RADIUS_KM)


def test_intervening_population_matches_brute_force():
    rng = np.random.default_rng(3)
    pts = rng.uniform(-40, 40, (12, 2))
    pop = rng.integers(1, 100, 12).astype(float)
    d = mob.great_circle_km(pts[:4, None, 0], pts[:4, None, 1], pts[None, :, 0], pts[None, :, 1])
    s = mob.intervening_population(d, pop)
    for i in range(4):
        for j in range(12):
            expected = pop[(d[i] > 0) & (d[i] < d[i, j])].sum()
            assert s[i, j] == pytest.approx(expected)
    with pytest.raises(ValueError, match="shape"):
        mob.intervening_population(d, pop[:5])


def test_radiation_flows_keep_origin_totals_and_favour_near_large_places():
    d = np.array([[0.0, 100.0, 200.0, 300.0]])
    pop = np.array([10.0, 50.0, 50.0, 50.0])
    s = mob.intervening_population(d, pop)
    dest_pop = pop.copy()
    dest_pop[0] = 0
    t = mob.radiation_flows([1000.0], pop[:1], dest_pop, s)
    assert t.sum() == pytest.approx(1000.0)
    assert t[0, 0] == 0 and t[0, 1] > t[0, 2] > t[0, 3]
    with pytest.raises(ValueError, match="Shapes"):
        mob.radiation_flows([1.0, 2.0], pop[:1], dest_pop, s)


def test_fit_gravity_recovers_planted_coefficients():
    rng = np.random.default_rng(7)
    n = 3000
    df = pd.DataFrame(
        {
            "log_distance_km": rng.uniform(5, 9, n),
            "log_pop": rng.uniform(0, 5, n),
            "origin": rng.choice(["A", "B", "C"], n),
        }
    )
    effect = df["origin"].map({"A": 0.0, "B": 0.5, "C": -0.5})
    mu = np.exp(8 - 1.0 * df["log_distance_km"] + 0.7 * df["log_pop"] + effect)
    df["flow"] = rng.poisson(mu)
    res = mob.fit_gravity(df, "flow", ["log_distance_km", "log_pop"], origin_effects="origin")
    assert res.params["log_distance_km"] == pytest.approx(-1.0, abs=0.05)
    assert res.params["log_pop"] == pytest.approx(0.7, abs=0.03)
    with pytest.raises(ValueError, match="no column"):
        mob.fit_gravity(df, "flow", ["nope"])
    with pytest.raises(ValueError, match="negative"):
        mob.fit_gravity(df.assign(flow=-df["flow"] - 1), "flow", ["log_pop"])


def test_common_part_of_commuters():
    assert mob.common_part_of_commuters([1, 2, 3], [1, 2, 3]) == pytest.approx(1.0)
    assert mob.common_part_of_commuters([1, 0], [0, 1]) == pytest.approx(0.0)
    assert mob.common_part_of_commuters([2, 2], [1, 1]) == pytest.approx(2 * 2 / 6)
    with pytest.raises(ValueError):
        mob.common_part_of_commuters([1, 2], [1])


def test_bundled_planted_corridor_is_checked_against_the_table():
    """The loader's table either holds the planted corridor or monthly_series says why not."""
    from migrationlab.data import load_air_passengers, load_events

    event = next(e for e in load_events() if e["kind"] == "corridor_surge")
    table = load_air_passengers()
    present = (
        (table["reporting_iso3"] == event["destination_iso3"])
        & (table["partner_iso3"] == event["origin_iso3"])
    ).any()
    if present:
        s = mob.monthly_series(table, event["destination_iso3"], event["origin_iso3"])
        assert s.notna().any().all()
    else:
        with pytest.raises(ValueError, match="threshold"):
            mob.monthly_series(table, event["destination_iso3"], event["origin_iso3"])
