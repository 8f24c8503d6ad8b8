"""Generator of the course's simulated world, run by ``make data``.

One hidden truth (true bilateral migrant flows and stocks between real countries,
1990-2023, following a gravity law with a diaspora term and a migration hump) is observed
by every bundled dataset, each with the flaws of the real instrument it imitates. The
specification, with the published figures the world is calibrated to, is the course's
``SYNTHETIC_WORLD.md``; each dataset's datasheet in ``data/datasheets/`` says what was
planted and why.

Modules
-------
``world``      countries, indicators, the true flows and stocks, and the official
               statistics observing them (UN DESA-like stocks, Eurostat-like flows),
               social-media audiences and professional-network counts
``passengers`` air passengers by country pair and month, and airports
``cities``     invented cities: census grids by country-of-birth group, districts,
               housing prices and election results; phone activity
``catalogue``  the catalogue of real migration data sources (real metadata)
``discourse``  a network of accounts sharing migration-related posts
``_io``        deterministic writers and the :class:`Resource` description

Usage
-----
>>> from migrationlab.synthetic import generate       # doctest: +SKIP
>>> generate("data", seed=2026)                       # doctest: +SKIP
"""

from __future__ import annotations

from migrationlab.synthetic._io import Resource
from migrationlab.synthetic.world import World

__all__ = ["Resource", "World", "DEFAULT_SEED"]

#: The seed of the bundled data. A new cohort can get a new, equally calibrated world
#: with ``python -m migrationlab data --seed N``.
DEFAULT_SEED = 2026
