"""Small worlds for the generator's tests: real countries, made-up truth (test data only)."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from migrationlab_world.world import World, build_countries


@functools.cache
def _all_countries() -> pd.DataFrame:
    countries, _ = build_countries()  # Natural Earth + GeoNames, as the generator reads them
    return countries


def real_countries(isos: list[str] | None = None) -> pd.DataFrame:
    """The generator's countries table (``isos`` only, sorted), with 2019-ish size columns.

    ``population`` and ``gdp_per_capita_usd`` come from Natural Earth's estimates, which the
    real world replaces with simulated indicators; enough for a test world.
    """
    c = _all_countries()
    if isos is not None:
        c = c[c["iso3"].isin(isos)]
    c = c.sort_values("iso3").reset_index(drop=True)
    population = c["pop_est_natural_earth"].astype(float)
    return c.assign(
        population=population,
        gdp_per_capita_usd=c["gdp_md_est_natural_earth"] * 1e6 / population,
    )


def countries_only_world(seed: int, isos: list[str] | None = None) -> World:
    """A World with countries and nothing else (what the city generator reads)."""
    empty = pd.DataFrame()
    return World(seed, np.arange(1990, 2024), real_countries(isos), empty, empty, empty)


def written_tables(resources, folder) -> dict[str, pd.DataFrame]:
    """Write each generated resource into ``folder`` as ``make data`` would; read it back.

    Returns one table per resource name, read with the loaders' rule for missing values
    (an empty field is missing, nothing else is).
    """
    from migrationlab_world._io import write_resource

    return {
        r.name: pd.read_csv(write_resource(r, folder), keep_default_na=False, na_values=[""])
        for r in resources
    }
