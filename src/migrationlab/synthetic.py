"""Generator of the course's simulated world, run by ``make data``.

Planned (issue "Bundled sample data"; specification in the course's SYNTHETIC_WORLD.md):
a seeded, deterministic generator of the hidden true migrant stocks and flows between real
countries, 1990-2023, and of every instrument observing them (official stocks and flows,
social-media audiences, professional-network counts, air passengers, city census grids,
phone activity, a discourse network), each with its typical flaws, plus the ground truth
and a calibration report against published figures.
"""
