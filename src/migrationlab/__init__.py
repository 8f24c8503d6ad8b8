"""migrationlab: the helpers that the course's notebooks import.

Only what a student reads beside a lab lives here; the generator of the synthetic world
(``migrationlab_world``) and the instructor's and site tooling (``coursekit``) are
packages of their own. The picture of the three packages and the data flow is the
repository's ``ARCHITECTURE.md``.

``data``          loaders of the bundled sample data (hash and schema checked)
``real_sources``  readers of the real sources' formats (UN DESA, Eurostat, World Bank,
                  Natural Earth), re-exported by ``data``
``countries``     country names and codes: harmonisation, reporting gaps
``checks``        the one input check (columns present, values usable) with errors that
                  name the table, the column and the fix
``geo``           the one great-circle distance
``indices``       segregation and diversity indices, checked against PySAL
``census_grid``   district counts to grid cells: areal weighting, dasymetric mapping, errors
``models``        gravity models by PPML, social-media calibration, evaluation helpers
``mobility``      passenger flows: seasonality, imbalance, networks, gravity and radiation
``phone_records`` homes, migration, displacement and transfers from phone records; unicity
``anticipation``  a nowcast of stocks with checked 90 % intervals; stock-flow scenario projections
``projects``      scoring helpers of the week-two project notebooks
``timetable``     each page's time in class, read from ``book/schedule.yml``
``online_traces`` emigration from logins by IP location, moves from geo-located posts,
                  frames of a corpus (Zagheni & Weber 2012; Zagheni et al. 2014)
``plotting``      one figure style, colour-blind-safe palettes, source lines, maps
``scale``         the same analyses on full-size partitioned Parquet (pandas, Dask, DuckDB)
"""

from pathlib import Path

__version__ = "0.1.0"

#: Root of the course repository (the folder holding ``book/``, ``data/``, ``notebooks/``).
REPO_ROOT = Path(__file__).resolve().parents[2]
