"""migrationlab_world: the generator of the course's synthetic world (``make data``).

Never imported by the notebooks: they read what this package writes, through
:mod:`migrationlab.data`. One hidden truth (true bilateral migrant flows and stocks
between real countries, 1990-2023) is observed by every bundled dataset, each with the
flaws of the real instrument it imitates. Beside it, ``data/real/`` holds real extracts
(UN DESA, World Bank, CEPII, OpenFlights) that this package checks and describes but never
changes. The design, its equations, planted parameters,
instruments and calibration targets are in the repository's ``docs/synthetic_world.md``;
each dataset's datasheet in ``data/datasheets/`` says what was planted and why.

Layers (each module imports only modules listed above it)
---------------------------------------------------------
``seeds``        the seed tree: every part's random stream, derived from one seed
``_io``          deterministic writers, the :class:`Resource` description, datasheets from
                 their templates (``datasheets/*.md``) and calibration rows
``inputs``       real inputs read by the generator (Natural Earth, GeoNames, airports)
``real``         the real extracts kept by hand in ``data/real/``: their hashes, schemas,
                 licences and the figures their publishers printed (copied, never
                 generated); the truth is anchored on them
``anchor``       the true migrant stocks, anchored on the real UN DESA matrix
``traffic``      the deterministic gravity terms of air traffic, shared by the truth
                 (which plants its corridor surge where passengers are published) and
                 the passenger instrument
``world``        the hidden truth: countries, indicators, true flows and stocks
``official``     instruments of official statistics: UN DESA-like stocks, Eurostat-like
                 flows, country indicators; social-media audiences, professional network
``passengers``   the air-passenger instrument, and airports
``cities``       invented cities: census grids, districts, housing, elections; phone activity
``discourse``    a network of accounts sharing migration-related posts
``phone_records`` persons, SIMs, call records, contacts and mobile money of one country
``online_traces`` logins by IP location, geo-located posts and a corpus of texts
``catalogue``    the catalogue of real migration data sources (read from
                 ``data/sources/source_catalogue.yml``, checked against its JSON Schema)
``calibration``  the world's achieved values against the published targets
``schemas``      the Table Schemas of the bundled files
``generate``     ``make data``: runs every part and writes ``data/``
``fullscale``    full-size synthetic data as partitioned Parquet, outside the repository
``real_rebuild`` how the files of ``data/real/`` were made from the publishers' files (run
                 by hand when those files are at hand, never by ``make data``; the tests
                 rebuild the two whose originals are bundled)

Usage
-----
>>> from migrationlab_world.generate import generate   # doctest: +SKIP
>>> generate("data", seed=2026)                        # doctest: +SKIP
"""

from __future__ import annotations

from migrationlab_world.seeds import DEFAULT_SEED

__all__ = ["DEFAULT_SEED"]
