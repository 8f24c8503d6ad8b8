"""Statistical models used across chapters.

Planned (issues "Chapter 2" and "Chapter 3"): gravity-model helpers (dyadic panels,
great-circle distances, PPML with fixed effects via statsmodels' Poisson GLM), the
calibration of social-media audience counts against official stocks, and evaluation
helpers (cross-validation by group, error metrics such as MAPE).
"""
