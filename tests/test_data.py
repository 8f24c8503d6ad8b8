"""Tests of migrationlab.data: the real reference data shipped in PyPI packages."""

from migrationlab.data import load_natural_earth_countries, natural_earth_countries_path


def test_natural_earth_countries_ship_with_pyogrio():
    assert natural_earth_countries_path().exists()


def test_natural_earth_countries_content():
    world = load_natural_earth_countries()
    assert len(world) == 177
    assert world.crs.to_epsg() == 4326
    assert {"name", "iso_a3", "pop_est", "gdp_md_est", "continent"} <= set(world.columns)
    # The known holes in the codes that the getting-started notebook teaches about.
    assert set(world.loc[world["iso_a3"] == "-99", "name"]) >= {"France", "Norway"}
    # World population of the file's vintage: about 7.4 billion.
    assert 7.0e9 < world["pop_est"].sum() < 7.8e9
