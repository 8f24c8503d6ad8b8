"""Segregation and diversity indices, vectorised over many cities and groups at once.

Planned (issue "Chapter 4"): dissimilarity, isolation, exposure, entropy (Theil's H),
Simpson and Shannon diversity, location quotients and a kernel-based spatial
dissimilarity, all taking counts per areal unit, with values equal to those of PySAL's
``segregation`` package on the same data (checked by the tests).
"""
