"""The seed tree: every random stream of the generator, derived from one seed.

Each part of the world draws from a stream of its own, so that changing one instrument
(say, the passenger table) leaves every other file as it was. The table :data:`PARTS`
says how each part's stream comes from the one seed; :func:`sequence` and :func:`rng`
are the only way the generator turns a seed into randomness.

The derivations are those with which the bundled ``data/`` were drawn; they differ in form
(the truth takes the seed itself, the official instruments ``[seed, key]``, the later
parts a seed re-derived from ``[seed, key]``), and they are kept so that ``make data``
rewrites the same bytes. A new part gets a new key of the ``"spawn"`` kind.

Below a part, streams are only ever spawned from the part's own stream, never derived
from the seed again: the generators take what this module gives them (an int seed of a
``reseed`` part, a Generator or a SeedSequence) and go on from there. ``cities`` spawns
one child per city (``Generator.spawn``); ``full_scale`` spawns one child for the grid
and one for the passenger records, then one per city (after one for the layout) and one
per month (after one for the routes); the truth's calibration reuses one integer drawn
from its own stream, so that every iteration sees the same noise.

Examples
--------
>>> from migrationlab_world import seeds
>>> seeds.rng(2026, "truth").integers(10)   # the same number for the same seed
np.int64(8)
"""

from __future__ import annotations

import numpy as np

#: The seed of the bundled data. A new cohort gets a new, equally calibrated world with
#: ``python -m migrationlab data --seed N``.
DEFAULT_SEED = 2026

#: How each part's stream derives from the seed: ``(kind, key)``.
#:
#: ``root``   ``SeedSequence(seed)``: the hidden truth (``world.build_world``);
#: ``spawn``  ``SeedSequence([seed, key])``: the truth's later planted events (``events``:
#:            a second surge and a travel-only event), the official instruments, the
#:            individual-level traces (``phone_records``, ``online_traces``), and
#:            the root of the full-scale generator, which spawns one child per city and
#:            per month;
#: ``reseed`` ``SeedSequence(n)`` with ``n`` the first word of ``SeedSequence([seed, key])``:
#:            passengers, cities and discourse.
PARTS: dict[str, tuple[str, int | None]] = {
    "truth": ("root", None),
    "events": ("spawn", 16),
    "country_indicators": ("spawn", 11),
    "migrant_stocks": ("spawn", 12),
    "eu_immigration_flows": ("spawn", 13),
    "social_media_audience": ("spawn", 14),
    "professional_network": ("spawn", 15),
    "passengers": ("reseed", 21),
    "cities": ("reseed", 22),
    "discourse": ("reseed", 23),
    "full_scale": ("spawn", 12),
    "phone_records": ("spawn", 17),
    "online_traces": ("spawn", 18),
}


def sequence(seed: int, part: str) -> np.random.SeedSequence:
    """The :class:`numpy.random.SeedSequence` of ``part`` (a key of :data:`PARTS`)."""
    try:
        kind, key = PARTS[part]
    except KeyError:
        raise KeyError(f"no random stream named {part!r}; the parts are {list(PARTS)}") from None
    if kind == "root":
        return np.random.SeedSequence(seed)
    if kind == "spawn":
        return np.random.SeedSequence([seed, key])
    return np.random.SeedSequence(part_seed(seed, part))


def part_seed(seed: int, part: str) -> int:
    """The integer seed of a ``reseed`` part (recorded in its planted parameters)."""
    kind, key = PARTS[part]
    if kind != "reseed":
        raise ValueError(f"{part!r} is a {kind!r} part; only 'reseed' parts have an int seed")
    return int(np.random.SeedSequence([seed, key]).generate_state(1)[0])


def rng(seed: int, part: str) -> np.random.Generator:
    """A fresh :class:`numpy.random.Generator` on the stream of ``part``."""
    return np.random.default_rng(sequence(seed, part))
