"""Individual phone records and mobile money: generator and the students' methods.

The generator is run once on a countries-only world; its tables are written and read back
as CSV, as the loaders would. For each planted quantity the course's method recovers it
within a stated tolerance, and the naive method is measurably off.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
from world_fixtures import countries_only_world, written_tables

from migrationlab import phone_records as pr
from migrationlab_world import seeds
from migrationlab_world._io import to_csv_bytes, write_resource
from migrationlab_world.phone_records import generate_phone_records

SEED = 2026


@pytest.fixture(scope="module")
def generated():
    world = countries_only_world(SEED, ["RWA", "DEU"])
    return generate_phone_records(world, seeds.rng(SEED, "phone_records"))


@pytest.fixture(scope="module")
def tables(generated, tmp_path_factory):
    resources, planted, _ = generated
    t = written_tables(resources, tmp_path_factory.mktemp("phone"))
    t["planted"] = planted
    return t


@pytest.fixture(scope="module")
def homes(tables):
    return pr.home_locations(tables["phone_records"], tables["phone_towers"])


@pytest.fixture(scope="module")
def sim_to_person(tables):
    p = tables["true_phone_persons"].dropna(subset=["sims_owned"])
    p = p.assign(sim=p["sims_owned"].astype(str).str.split(";")).explode("sim")
    return p.assign(sim=p["sim"].astype(int)).set_index("sim")["person"]


def _true_district(tables, month):
    r = tables["true_phone_residence"]
    sel = (r["first_month"] <= month) & (r["last_month"] >= month)
    return r[sel].set_index("person")["district"]


def test_same_seed_same_bytes(generated):
    world = countries_only_world(SEED, ["RWA", "DEU"])
    again, _, _ = generate_phone_records(world, seeds.rng(SEED, "phone_records"))
    for a, b in zip(generated[0], again, strict=True):
        digest = [hashlib.sha256(to_csv_bytes(x.data)).hexdigest() for x in (a, b)]
        assert digest[0] == digest[1], a.name


def test_budget_and_no_real_identifiers(generated, tables, tmp_path):
    resources = generated[0]
    size = sum(write_resource(r, tmp_path).stat().st_size for r in resources)
    assert size < 2.5e6
    assert all(r.synthetic and r.datasheet for r in resources)
    subs = tables["phone_subscribers"]
    assert subs["sim"].between(100_000, 999_999).all()  # six-digit synthetic numbers
    assert set(tables["phone_towers"]["district"]) <= {d[0] for d in pr_districts()}
    assert all(
        r.path.startswith("ground_truth/true_") for r in resources if r.name.startswith("true_")
    )


def pr_districts():
    from migrationlab_world.phone_records import DISTRICTS

    return DISTRICTS


def test_night_homes_right_all_events_biased(tables, homes, sim_to_person):
    """Night-time homes match the true district; all-event homes put commuters in the capital."""
    naive = pr.home_locations(tables["phone_records"], tables["phone_towers"], method="all")
    accuracy = {}
    for name, h in (("night", homes), ("all", naive)):
        m = "2021-10"
        hm = h[h["month"] == m]
        truth = _true_district(tables, m).reindex(sim_to_person.reindex(hm["sim"]).to_numpy())
        accuracy[name] = float(np.mean(hm["district"].to_numpy() == truth.to_numpy()))
    assert accuracy["night"] >= 0.98
    assert accuracy["night"] - accuracy["all"] >= 0.04
    capital = {
        n: float((h["district"] == "Kalemba").mean()) for n, h in (("night", homes), ("all", naive))
    }
    assert capital["all"] - capital["night"] >= 0.04


def test_migration_matrix_recovers_truth(tables, homes):
    truth = tables["true_phone_migration"].pivot(
        index="origin", columns="destination", values="persons_sampled"
    )
    truth_off = truth.to_numpy().astype(float)
    np.fill_diagonal(truth_off, 0)

    def off_corr(h):
        m = pr.migration_matrix(h, ("2021-01", "2021-06"), ("2023-01", "2023-06"))
        m = m.reindex(index=truth.index, columns=truth.columns).fillna(0).to_numpy()
        np.fill_diagonal(m, 0)
        return np.corrcoef(m.ravel(), truth_off.ravel())[0, 1]

    naive = pr.home_locations(tables["phone_records"], tables["phone_towers"], method="all")
    night, all_events = off_corr(homes), off_corr(naive)
    assert night >= 0.9  # tolerance: correlation of off-diagonal flows at least 0.9
    assert night - all_events >= 0.05


def test_circular_movers_precision_recall(tables, homes, sim_to_person):
    found = pr.circular_movers(homes)
    persons = tables["true_phone_persons"]
    truth = set(persons.loc[persons["circular_mover"], "person"])
    owners = set(sim_to_person)
    got = set(sim_to_person.reindex(found["sim"]).dropna().astype(int))
    precision = len(got & truth) / len(got)
    recall = len(got & truth) / len(truth & set(sim_to_person.to_numpy()))
    assert precision >= 0.9 and recall >= 0.6
    assert len(owners) > 0
    # Naive: anyone away from the usual district for a short spell once.
    naive = pr.circular_movers(homes, min_years=1)
    naive_got = set(sim_to_person.reindex(naive["sim"]).dropna().astype(int))
    assert len(naive_got & truth) / len(naive_got) <= precision - 0.1


def test_displacement_and_return(tables, homes):
    truth = tables["planted"]["disaster"]
    d = pr.displacement(homes, truth["district"], truth["month"])
    assert abs(d["share_displaced"] - truth["true_displaced_share"]) <= 0.05
    assert abs(d["return_rate"] - truth["true_return_share_by_end"]) <= 0.1
    assert d["destinations"].index[0] == "Kalemba"
    # Naive: SIMs not seen in the disaster month (towers down) counted as displaced.
    before = homes[(homes["month"] == "2022-01") & (homes["district"] == truth["district"])]
    seen = homes[(homes["month"] == truth["month"]) & (homes["district"] == truth["district"])]
    naive = 1 - before["sim"].isin(seen["sim"]).mean()
    assert naive - truth["true_displaced_share"] >= 0.3


def test_reweighting_and_survey_bias(tables, homes):
    truth = tables["planted"]["disaster"]
    usual = pr.usual_home(homes, "2021-07", "2022-01")
    w = pr.reweight(usual, tables["phone_subscribers"], tables["phone_census"])
    assert w.gt(0).mean() > 0.99
    # Weighted SIMs reproduce the census by district.
    by_district = w.groupby(usual).sum()
    census = tables["phone_census"].groupby("district")["population"].sum()
    assert np.allclose(by_district / census.reindex(by_district.index), 1.0, atol=0.02)
    d = pr.displacement(homes, truth["district"], truth["month"], weights=w)
    assert abs(d["share_displaced"] - truth["true_displaced_share"]) <= 0.05
    # The survey misses the capital and the far families: it underestimates.
    survey = tables["displacement_survey"]["estimated_displaced"].sum()
    census = tables["phone_census"]
    residents = census.loc[census["district"] == truth["district"], "population"].sum()
    assert survey / residents <= truth["true_displaced_share"] - 0.1


def test_remittance_response(tables, homes):
    planted = pd.DataFrame(tables["planted"]["remittance_response"]["by_band"])
    dis = tables["phone_disaster"].iloc[0]
    got = pr.remittance_response(
        tables["mobile_money_transfers"],
        tables["phone_contacts"],
        homes,
        (dis["epicentre_x_km"], dis["epicentre_y_km"]),
        dis["month"],
    )
    both = got.merge(planted, on=["band_km", "tie"])
    near = both[both["band_km"] == "0-25"]
    assert np.all(np.abs(near["ratio"] / near["planted_multiplier"] - 1) <= 0.25)
    assert near.set_index("tie").loc["strong", "ratio"] > near.set_index("tie").loc["weak", "ratio"]
    far = both[both["band_km"] == "120-1000"]
    assert np.all(np.abs(far["ratio"] - 1) <= 0.15)
    assert (both.groupby("band_km", sort=False)["ratio"].mean().diff().dropna() < 0.05).all()


def test_unicity_rises_with_points_and_suppression(tables):
    rec = tables["phone_records"]
    u = [pr.unicity(rec, k, n_sims=300) for k in (1, 2, 4)]
    assert u[0] <= u[1] <= u[2] and u[2] > u[0]
    agg = rec.groupby(["month", "tower"]).size().rename("sims").reset_index()
    assert pr.k_anonymity(agg, ["month", "tower"], count="sims") >= 1
    out = pr.suppress(agg, "sims", 15)
    assert out["sims"].dropna().min() >= 15
    assert out["suppressed"].sum() == (agg["sims"] < 15).sum()


def test_bad_input_names_the_fix(tables):
    with pytest.raises(Exception, match="night_events"):
        pr.home_locations(
            tables["phone_records"].drop(columns="night_events"), tables["phone_towers"]
        )
    with pytest.raises(ValueError, match="method"):
        pr.home_locations(tables["phone_records"], tables["phone_towers"], method="day")


def test_reweighting_removes_part_of_the_selection_in_migration(tables, homes):
    """Men and the better-off move more and own more SIMs: SIM shares overstate migration.

    Post-stratification by district, sex and age removes the part its cells capture; the
    wealth part stays, so the reweighted count is between the unweighted one and the truth.
    """
    before, after = ("2021-01", "2021-06"), ("2023-01", "2023-06")
    census = tables["phone_census"]
    adults = census["population"].sum()
    plain = pr.migration_matrix(homes, before, after)
    unweighted = (plain.to_numpy().sum() - np.trace(plain.to_numpy())) / plain.to_numpy().sum()
    usual = pr.usual_home(homes, *before, min_months=3)
    usual = usual[usual.index.isin(pr.usual_home(homes, *after, min_months=3).index)]
    w = pr.reweight(usual, tables["phone_subscribers"], census)
    weighted = pr.migration_matrix(homes, before, after, weights=w).to_numpy()
    reweighted = (weighted.sum() - np.trace(weighted)) / adults
    truth = tables["true_phone_migration"]
    true_share = truth.loc[truth["origin"] != truth["destination"], "persons"].sum() / adults
    # Tolerances: the naive share is at least 8 % too high; reweighting removes at least a
    # quarter of that excess and never overshoots below the truth.
    assert unweighted >= 1.08 * true_share
    assert true_share <= reweighted <= true_share + 0.75 * (unweighted - true_share)
