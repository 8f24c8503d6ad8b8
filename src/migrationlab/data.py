"""Loaders for the bundled sample data and for the formats of the real sources.

Planned (issue "Bundled sample data"): one ``load_<dataset>()`` per dataset in
``data/datapackage.json``, each verifying the file's SHA-256 hash and schema and raising
an error that names the file, the field and the fix; plus readers for the UN DESA
International Migrant Stock workbook, Eurostat TSV and SDMX-CSV, and World Bank WDI CSV,
so that a notebook can swap the synthetic sample for the real source.

The one loader available now reads real reference data shipped in a PyPI package.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["natural_earth_countries_path", "load_natural_earth_countries"]


def natural_earth_countries_path() -> Path:
    """Path of the Natural Earth 1:110m countries shapefile shipped in pyogrio's test fixtures.

    Natural Earth is public domain (https://www.naturalearthdata.com/about/terms-of-use/).
    The file travels inside the ``pyogrio`` wheel, so no download is needed.
    """
    import pyogrio

    path = (
        Path(pyogrio.__file__).parent
        / "tests"
        / "fixtures"
        / "naturalearth_lowres"
        / ("naturalearth_lowres.shp")
    )
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: this pyogrio installation does not ship its test fixtures. "
            "Reinstall the course environment with `make clean && make test` (pip installs "
            "pyogrio from its wheel, which includes them)."
        )
    return path


def load_natural_earth_countries():
    """Natural Earth 1:110m countries as a GeoDataFrame in WGS 84 (EPSG:4326).

    Columns: ``pop_est`` (persons), ``continent``, ``name``, ``iso_a3`` (ISO 3166-1
    alpha-3, ``-99`` where Natural Earth has no code), ``gdp_md_est`` (GDP, million USD),
    ``geometry``.
    """
    import geopandas as gpd

    gdf = gpd.read_file(natural_earth_countries_path())
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise ValueError(
            f"{natural_earth_countries_path()}: expected CRS EPSG:4326, found {gdf.crs}. "
            "The fixture has changed upstream; pin the pyogrio version of requirements.txt."
        )
    return gdf
