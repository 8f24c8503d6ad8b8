"""migrationlab: the helper package of the course "Data-driven Modelling of Migration".

Notebooks import it so that they show the idea and not the plumbing. One module per
concern (see the course's ARCHITECTURE.md):

``data``      loaders for the bundled sample data and for the real sources' formats
``synthetic`` the generator of the course's simulated world (``make data``)
``indices``   segregation and diversity indices, checked against PySAL
``models``    gravity/PPML helpers, social-media calibration, evaluation helpers
``mobility``  passenger-flow helpers: seasonality, imbalance, network measures
``plotting``  one figure style, colour-blind-safe palettes, map helpers
``grading``   the instructor's grading command (wraps otter-grader)
``cli``       ``python -m migrationlab ...``, the commands behind the Makefile
"""

from pathlib import Path

__version__ = "0.1.0"

#: Root of the course repository (the folder holding ``book/``, ``data/``, ``notebooks/``).
REPO_ROOT = Path(__file__).resolve().parents[2]
