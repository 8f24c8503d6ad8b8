"""Segregation and diversity indices, vectorised over many cities and groups at once.

Every function takes counts of residents per areal unit (grid cells or districts) in a
DataFrame with one row per unit, one integer column per group and, where needed, a column
of total residents. ``by`` names the columns that say which city (and census year) a row
belongs to; every index is computed for every city and every group in one pass of NumPy
group sums, instead of one call per city and group.

The values are those of PySAL's ``segregation`` package (version 2.5.4) on the same data:
``Dissim``, ``Gini``, ``Isolation``, ``Interaction``, ``CorrelationR``, ``Entropy`` and
``Atkinson`` (single group); ``MultiDiversity``, ``SimpsonsInteraction``,
``SimpsonsConcentration`` and ``MultiInfoTheory`` (several groups);
``MultiLocationQuotient`` (local); and ``SpatialDissim`` with a libpysal ``Kernel`` weight.
The tests in ``tests/test_indices.py`` prove the equality (to 1e-9 for the aspatial indices,
1e-6 for the spatial one). The dissimilarity expected under random allocation
(``random_allocation_dissimilarity``) draws the same permutations as PySAL's
``simulate_person_permutation``; the tests compare the two distributions.

Conventions follow PySAL: a unit without residents has group share 0; an index whose
denominator vanishes (a group absent from a city, or the whole city) is ``NaN``.

References
----------
Massey, D. S. & Denton, N. A. (1988). The dimensions of residential segregation.
*Social Forces* 67(2), 281-315. https://doi.org/10.1093/sf/67.2.281

Reardon, S. F. & Firebaugh, G. (2002). Measures of multigroup segregation.
*Sociological Methodology* 32, 33-67. https://doi.org/10.1111/1467-9531.00110

Carrington, W. J. & Troske, K. R. (1997). On measuring segregation in samples with
small units. *Journal of Business & Economic Statistics* 15(4), 402-409.
https://doi.org/10.1080/07350015.1997.10524718

Morrill, R. L. (1991). On the measure of geographic segregation. *Geography Research
Forum* 11, 25-36.

Cortes, R. X., Rey, S., Knaap, E. & Wolf, L. J. (2020). An open-source framework for
non-spatial and spatial segregation measures: the PySAL segregation module.
*Journal of Computational Social Science* 3, 135-166.
https://doi.org/10.1007/s42001-019-00059-3

Examples
--------
>>> import pandas as pd
>>> from migrationlab import indices as ix
>>> cells = pd.DataFrame({"city": ["a", "a", "a", "b", "b"],
...                       "migrants": [10, 0, 5, 3, 3], "total": [20, 30, 25, 10, 10]})
>>> ix.dissimilarity(cells, "migrants", "total", by="city")["migrants"].round(3).to_dict()
{'a': 0.5, 'b': 0.0}
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from migrationlab.checks import require_columns, require_table, require_values

__all__ = [
    "SINGLE_GROUP_INDICES",
    "KERNELS",
    "single_group_indices",
    "dissimilarity",
    "gini",
    "isolation",
    "exposure",
    "correlation_ratio",
    "entropy",
    "atkinson",
    "random_allocation_dissimilarity",
    "chance_adjusted_dissimilarity",
    "diversity",
    "location_quotient",
    "spatial_dissimilarity",
]

#: Names of the aspatial single-group indices, with the PySAL class each one equals.
SINGLE_GROUP_INDICES: dict[str, str] = {
    "dissimilarity": "Dissim",
    "gini": "Gini",
    "isolation": "Isolation",
    "exposure": "Interaction",
    "correlation_ratio": "CorrelationR",
    "entropy": "Entropy",
    "atkinson": "Atkinson",
}


def _kernel_triangular(z):
    return 1.0 - z


def _kernel_uniform(z):
    return np.full_like(z, 0.5)


def _kernel_quadratic(z):
    return 0.75 * (1.0 - z**2)


def _kernel_quartic(z):
    return (15.0 / 16.0) * (1.0 - z**2) ** 2


def _kernel_gaussian(z):
    return (2.0 * np.pi) ** -0.5 * np.exp(-(z**2) / 2.0)


#: Kernel functions of ``libpysal.weights.Kernel`` (z = distance / bandwidth, z <= 1).
KERNELS = {
    "triangular": _kernel_triangular,
    "uniform": _kernel_uniform,
    "quadratic": _kernel_quadratic,
    "quartic": _kernel_quartic,
    "gaussian": _kernel_gaussian,
}


# --------------------------------------------------------------------------- validation


def _as_list(x) -> list[str]:
    if x is None:
        return []
    if isinstance(x, str):
        return [x]
    return list(x)


def _check_columns(df, cols: Sequence[str], what: str, func: str) -> None:
    """The table is a DataFrame of counts per areal unit holding ``cols`` (the ``what``)."""
    require_table(
        df,
        table_name="the table of counts per areal unit",
        fix="Build one with pd.DataFrame({...}).",
        caller=f"{func}()",
    )
    require_columns(
        df,
        cols,
        table_name="the table of counts per areal unit",
        fix=f"Pass the names of existing count columns as the {what}.",
        caller=f"{func}()",
    )


def _counts(df, cols: Sequence[str], func: str) -> np.ndarray:
    """The counts of ``cols`` as floats, once they are checked finite and non-negative."""
    require_values(
        df,
        cols,
        table_name="the table of counts per areal unit",
        what="counts of residents",
        fix="Fill or drop missing counts before computing an index.",
        caller=f"{func}()",
    )
    return df[list(cols)].to_numpy(dtype=float)


def _prepare(df, groups, total, by, func):
    """Validate and return (x: n x G, t: n, codes: n, keys: index of the cities)."""
    groups = _as_list(groups)
    by = _as_list(by)
    if not groups:
        raise ValueError(f"{func}(): name at least one group column in `groups`.")
    _check_columns(df, groups, "group columns", func)
    _check_columns(df, [total], "total column", func)
    _check_columns(df, by, "`by` columns", func)
    x = _counts(df, groups, func)
    t = _counts(df, [total], func)[:, 0]
    over = x > t[:, None]
    if over.any():
        row, col = np.argwhere(over)[0]
        raise ValueError(
            f"{func}(): in row {df.index[row]!r} group {groups[col]!r} counts {x[row, col]:g} "
            f"residents but {total!r} only {t[row]:g}; a group cannot exceed the total. "
            "Check that `total` is the column of all residents."
        )
    codes, keys = _codes(df, by)
    return groups, x, t, codes, keys


def _codes(df, by):
    if not by:
        return np.zeros(len(df), dtype=np.intp), pd.RangeIndex(1, name="unit_set")
    mi = pd.MultiIndex.from_frame(df[by])
    codes, uniques = pd.factorize(mi, sort=True)
    keys = pd.MultiIndex.from_tuples(list(uniques), names=by) if len(by) > 1 else None
    if keys is None:
        keys = pd.Index([u[0] for u in uniques], name=by[0])
    return codes.astype(np.intp), keys


def _group_sum(values: np.ndarray, codes: np.ndarray, k: int) -> np.ndarray:
    """Sum rows of ``values`` (n or n x G) by city code: returns k (x G)."""
    if values.ndim == 1:
        return np.bincount(codes, weights=values, minlength=k)
    return np.column_stack(
        [np.bincount(codes, weights=values[:, j], minlength=k) for j in range(values.shape[1])]
    ).reshape(k, values.shape[1])


def _share(x, t):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(t[:, None] == 0, 0.0, x / t[:, None])


def _frame(values, keys, groups):
    return pd.DataFrame(values, index=keys, columns=list(groups))


# ------------------------------------------------------------------ single-group indices


def _single_group(x, t, codes, k, which):
    """All requested single-group indices as a dict name -> k x G array."""
    X = _group_sum(x, codes, k)  # residents of each group in each city
    T = _group_sum(t, codes, k)[:, None]  # residents of each city
    pi = _share(x, t)
    out = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        P = X / T
        need_xpx = {"isolation", "correlation_ratio"} & set(which)
        if need_xpx:
            # PySAL: nansum((x / X) * (x / t)); units with t = 0 contribute nothing
            xpx = _group_sum(x * pi, codes, k) / X
        if "dissimilarity" in which:
            num = _group_sum(t[:, None] * np.abs(pi - P[codes]), codes, k)
            out["dissimilarity"] = num / (2 * T * P * (1 - P))
        if "gini" in which:
            out["gini"] = _gini(pi, t, codes, k, T, P)
        if "isolation" in which:
            out["isolation"] = xpx
        if "exposure" in which:
            out["exposure"] = _group_sum(x * (1 - pi), codes, k) / X
        if "correlation_ratio" in which:
            out["correlation_ratio"] = (xpx - P) / (1 - P)
        if "entropy" in which:
            E = -(P * np.log(P) + (1 - P) * np.log(1 - P))
            Ei = -(_xlogx(pi) + _xlogx(1 - pi))
            out["entropy"] = _group_sum(t[:, None] * (E[codes] - Ei), codes, k) / (E * T)
        if "atkinson" in which:
            b = 0.5
            s = _group_sum((1 - pi) ** (1 - b) * pi**b * t[:, None], codes, k)
            out["atkinson"] = 1 - (P / (1 - P)) * np.abs(s / (P * T)) ** (1 / (1 - b))
    return out


def _xlogx(p):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)


def _gini(pi, t, codes, k, T, P):
    """Gini index sum_ij t_i t_j |p_i - p_j| / (2 T^2 P (1 - P)) by sorting, O(n log n)."""
    n, g = pi.shape
    out = np.empty((k, g))
    # sort by city, then by share: lexsort's last key is the primary one
    for j in range(g):
        order = np.lexsort((pi[:, j], codes))
        c, p, w = codes[order], pi[order, j], t[order]
        cw = np.cumsum(w)
        cwp = np.cumsum(w * p)
        start = np.searchsorted(c, np.arange(k))
        base_w = np.where(start > 0, cw[start - 1], 0.0)[c]
        base_wp = np.where(start > 0, cwp[start - 1], 0.0)[c]
        below_w = cw - w - base_w  # weight of the city's units with smaller share
        below_wp = cwp - w * p - base_wp
        pairs = _group_sum(w * (p * below_w - below_wp), c, k)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[:, j] = 2 * pairs / (2 * T[:, 0] ** 2 * P[:, j] * (1 - P[:, j]))
    return out


def single_group_indices(
    df: pd.DataFrame,
    groups: str | Sequence[str],
    total: str,
    by: str | Sequence[str] | None = None,
    indices: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every aspatial single-group index for every group of every city, as a tidy table.

    Each group is compared with everybody else in the unit (``total - group``), as in
    PySAL's single-group classes.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per areal unit (grid cell or district), counts of residents (persons).
    groups : str or sequence of str
        Columns with the residents of each group of interest.
    total : str
        Column with all residents of the unit (persons); each group must not exceed it.
    by : str or sequence of str, optional
        Columns that identify the city (and year); one set of indices per distinct value.
        Without ``by`` the whole table is one city.
    indices : sequence of str, optional
        A subset of :data:`SINGLE_GROUP_INDICES`; all of them by default.

    Returns
    -------
    pandas.DataFrame
        One row per city and group: the ``by`` columns, ``group``, ``group_share`` (the
        group's share of the city's residents, 0-1) and one column per index (0-1).

    Notes
    -----
    With :math:`x_i` the group's residents in unit :math:`i`, :math:`t_i` all residents,
    :math:`p_i = x_i/t_i`, :math:`X, T, P = X/T` the city totals (Massey & Denton 1988):
    dissimilarity :math:`D = \\sum_i t_i |p_i - P| / (2TP(1-P))`; Gini
    :math:`G = \\sum_{ij} t_i t_j |p_i - p_j| / (2T^2P(1-P))`; isolation
    :math:`{}_xP^*_x = \\sum_i (x_i/X) p_i`; exposure (interaction)
    :math:`{}_xP^*_y = \\sum_i (x_i/X)(1-p_i)`; correlation ratio
    :math:`V = ({}_xP^*_x - P)/(1-P)`; entropy (Theil's H) :math:`H = \\sum_i t_i
    (E - E_i)/(ET)` with :math:`E = -P\\ln P - (1-P)\\ln(1-P)`; Atkinson with
    :math:`b = 0.5`.

    Examples
    --------
    >>> import pandas as pd
    >>> cells = pd.DataFrame({"x": [10, 0, 5], "t": [20, 30, 25]})
    >>> single_group_indices(cells, "x", "t", indices=["dissimilarity", "isolation"])
    ...                                                       # doctest: +NORMALIZE_WHITESPACE
      group  group_share  dissimilarity  isolation
    0     x          0.2            0.5        0.4
    """
    func = "single_group_indices"
    which = list(SINGLE_GROUP_INDICES) if indices is None else list(indices)
    unknown = [w for w in which if w not in SINGLE_GROUP_INDICES]
    if unknown:
        raise ValueError(
            f"{func}(): unknown index {unknown}; choose from {list(SINGLE_GROUP_INDICES)}."
        )
    groups, x, t, codes, keys = _prepare(df, groups, total, by, func)
    k = len(keys)
    res = _single_group(x, t, codes, k, which)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = _group_sum(x, codes, k) / _group_sum(t, codes, k)[:, None]
    cols = {"group_share": share, **{w: res[w] for w in which}}
    long = pd.DataFrame({name: v.ravel() for name, v in cols.items()})
    long.insert(0, "group", np.tile(groups, k))
    by_cols = _as_list(by)
    if by_cols:
        key_frame = keys.to_frame(index=False).loc[np.repeat(np.arange(k), len(groups))]
        long = pd.concat([key_frame.reset_index(drop=True), long], axis=1)
    return long


def _one_index(name, df, groups, total, by):
    groups, x, t, codes, keys = _prepare(df, groups, total, by, name)
    return _frame(_single_group(x, t, codes, len(keys), [name])[name], keys, groups)


def dissimilarity(df, groups, total, by=None) -> pd.DataFrame:
    """Dissimilarity index D of each group against everybody else, per city (0-1).

    The share of the group that would have to move to another unit for every unit to
    have the city's composition (Duncan & Duncan 1955; Massey & Denton 1988). Equals
    ``segregation.singlegroup.Dissim``. Parameters as :func:`single_group_indices`;
    returns one row per city, one column per group.
    """
    return _one_index("dissimilarity", df, groups, total, by)


def gini(df, groups, total, by=None) -> pd.DataFrame:
    """Gini segregation index of each group, per city (0-1); equals ``Gini`` of PySAL.

    Mean absolute difference of the group's share over all pairs of units, weighted by
    their residents, over its maximum. Computed by sorting (O(n log n)), not over pairs.
    """
    return _one_index("gini", df, groups, total, by)


def isolation(df, groups, total, by=None) -> pd.DataFrame:
    """Isolation index: the group's share in the unit of its average member (0-1).

    Massey & Denton's exposure of a group to itself, :math:`{}_xP^*_x`; depends on the
    group's size (a large group is isolated even when evenly spread). Equals
    ``segregation.singlegroup.Isolation``.
    """
    return _one_index("isolation", df, groups, total, by)


def exposure(df, groups, total, by=None) -> pd.DataFrame:
    """Exposure (interaction) index: the share of others in the unit of the average member.

    :math:`{}_xP^*_y` with y = everybody not in the group, so isolation + exposure = 1.
    Equals ``segregation.singlegroup.Interaction``.
    """
    return _one_index("exposure", df, groups, total, by)


def correlation_ratio(df, groups, total, by=None) -> pd.DataFrame:
    """Correlation ratio (eta squared): isolation corrected for group size (0-1).

    Equals ``segregation.singlegroup.CorrelationR``.
    """
    return _one_index("correlation_ratio", df, groups, total, by)


def entropy(df, groups, total, by=None) -> pd.DataFrame:
    """Entropy index (Theil's H) of each group against everybody else, per city (0-1).

    The mean loss of diversity of the units against the city, with natural logarithms
    (Theil & Finizza 1971; Reardon & Firebaugh 2002). Equals
    ``segregation.singlegroup.Entropy``.
    """
    return _one_index("entropy", df, groups, total, by)


def atkinson(df, groups, total, by=None) -> pd.DataFrame:
    """Atkinson index with shape parameter b = 0.5 (0-1); equals PySAL's ``Atkinson``."""
    return _one_index("atkinson", df, groups, total, by)


# ------------------------------------------------------------------ chance and small units


def random_allocation_dissimilarity(
    df: pd.DataFrame,
    groups: str | Sequence[str],
    total: str,
    by: str | Sequence[str] | None = None,
    *,
    draws: int = 20,
    seed: int = 0,
    keep_draws: bool = False,
) -> pd.DataFrame:
    """Dissimilarity index D* that the group would have if it were spread at random.

    Each draw keeps the residents of every unit and of every group, and gives the group's
    members a random set of places among all the city's residents (a random permutation
    of people over units). D of that allocation is above 0 because a unit holds a whole
    number of people: the smaller the group and the units, the larger D* (Carrington &
    Troske 1997). The draws are those of PySAL's ``segregation.inference
    .simulate_person_permutation`` followed by ``Dissim``, done with one permutation per
    city and draw for all groups at once.

    Parameters
    ----------
    df, groups, total, by
        As in :func:`single_group_indices`; counts must be whole numbers of persons.
    draws : int
        Number of random allocations per city (each group's D* is their mean).
    seed : int
        Seed of the random generator (``numpy.random.default_rng``); the cities are
        drawn in the order of their keys.
    keep_draws : bool
        Return every draw (one row per city and draw, an extra index level ``draw``)
        instead of the mean.

    Returns
    -------
    pandas.DataFrame
        One row per city (or per city and draw), one column per group (0-1).

    Examples
    --------
    >>> import pandas as pd
    >>> from migrationlab import indices as ix
    >>> cells = pd.DataFrame({"migrants": [1, 0, 1, 0], "total": [5, 5, 5, 5]})
    >>> d_star = ix.random_allocation_dissimilarity(cells, "migrants", "total", draws=50)
    >>> bool(d_star.loc[0, "migrants"] > 0.4)
    True
    """
    func = "random_allocation_dissimilarity"
    if int(draws) != draws or draws < 1:
        raise ValueError(f"{func}(): draws must be a positive whole number, got {draws!r}.")
    groups, x, t, codes, keys = _prepare(df, groups, total, by, func)
    if not (np.array_equal(x, np.round(x)) and np.array_equal(t, np.round(t))):
        raise ValueError(
            f"{func}(): counts must be whole numbers of persons to be allocated at random; "
            f"round the columns {[*groups, total]} or use the counts, not shares."
        )
    rng = np.random.default_rng(seed)
    out = np.empty((len(keys), int(draws), len(groups)))
    for c in range(len(keys)):
        rows = np.flatnonzero(codes == c)
        tc = t[rows].astype(np.int64)
        sizes = x[rows].sum(axis=0).astype(np.int64)
        home = np.repeat(np.arange(rows.size), tc)  # the unit of each resident
        one = np.zeros(rows.size, dtype=np.intp)  # all units in one city
        for d in range(int(draws)):
            shuffled = rng.permutation(home)
            # the first X_g residents of the shuffled list are group g: a random subset
            xs = np.column_stack([np.bincount(shuffled[:n], minlength=rows.size) for n in sizes])
            out[c, d] = _single_group(
                xs.astype(float), tc.astype(float), one, 1, ["dissimilarity"]
            )["dissimilarity"][0]
    if not keep_draws:
        return _frame(out.mean(axis=1), keys, groups)
    names = list(keys.names)
    tuples = [
        (*(key if isinstance(key, tuple) else (key,)), d) for key in keys for d in range(int(draws))
    ]
    index = pd.MultiIndex.from_tuples(tuples, names=[*names, "draw"])
    return pd.DataFrame(out.reshape(-1, len(groups)), index=index, columns=groups)


def chance_adjusted_dissimilarity(observed, random):
    """Carrington and Troske's dissimilarity above chance, from D and D* (-1 to 1).

    ``(D - D*) / (1 - D*)`` when D >= D*: the share of the way from a random allocation
    to complete separation; ``(D - D*) / D*`` when D < D* (more even than chance).
    0 means no more segregation than a random spread would show. Works on numbers,
    Series or DataFrames of the same shape (e.g. the outputs of :func:`dissimilarity`
    and :func:`random_allocation_dissimilarity`).

    Examples
    --------
    >>> round(chance_adjusted_dissimilarity(0.5, 0.2), 3)
    0.375
    """
    excess = observed - random
    adjusted = excess / np.where(excess >= 0, 1 - random, random)
    return float(adjusted) if np.ndim(adjusted) == 0 else adjusted


# ------------------------------------------------------------------------ several groups


def diversity(df, groups, by=None) -> pd.DataFrame:
    """Diversity and multigroup segregation of each city, from exhaustive group counts.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per areal unit; counts of residents (persons).
    groups : sequence of str
        Columns that together count every resident exactly once (e.g. natives, EU-born
        and each non-EU origin); the city's total is their sum.
    by : str or sequence of str, optional
        Columns identifying the city (and year).

    Returns
    -------
    pandas.DataFrame
        One row per city with ``shannon`` (entropy of the city's composition, natural
        logarithm; PySAL ``MultiDiversity``), ``shannon_normalised`` (divided by
        ln K, 0-1), ``simpson_interaction`` (probability that two residents drawn at
        random belong to different groups, 1 - sum P_k^2; ``SimpsonsInteraction``),
        ``simpson_concentration`` (sum P_k^2; ``SimpsonsConcentration``) and
        ``theil_h`` (multigroup information theory index of Reardon & Firebaugh 2002,
        ``MultiInfoTheory``: how much less diverse the units are than the city).
    """
    func = "diversity"
    groups = _as_list(groups)
    if len(groups) < 2:
        raise ValueError(f"{func}(): diversity needs at least two group columns, got {groups}.")
    by = _as_list(by)
    _check_columns(df, groups, "group columns", func)
    _check_columns(df, by, "`by` columns", func)
    x = _counts(df, groups, func)
    codes, keys = _codes(df, by)
    k = len(keys)
    X = _group_sum(x, codes, k)
    T = X.sum(axis=1, keepdims=True)
    t = x.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        P = X / T
        shannon = -np.nansum(np.where(P > 0, P * np.log(P), np.nan), axis=1)
        shannon[(P <= 0).any(axis=1)] = np.nan  # PySAL: log(0) gives NaN
        pik = x / t[:, None]
        term = t[:, None] * pik * np.log(pik / P[codes])
        term = np.where(np.isfinite(term), term, 0.0)  # nansum, and 0 log 0 = 0
        theil = _group_sum(term, codes, k).sum(axis=1) / (T[:, 0] * shannon)
    out = pd.DataFrame(
        {
            "shannon": shannon,
            "shannon_normalised": shannon / np.log(len(groups)),
            "simpson_interaction": (P * (1 - P)).sum(axis=1),
            "simpson_concentration": (P * P).sum(axis=1),
            "theil_h": theil,
        },
        index=keys,
    )
    return out


def location_quotient(df, groups, by=None) -> pd.DataFrame:
    """Location quotient of each group in each unit: its share there over its city share.

    ``LQ = (x_ik / t_i) / (X_k / T)`` with ``t_i`` the sum of ``groups`` in the unit;
    1 means the unit has the city's share, 2 twice as much. Equals PySAL's
    ``segregation.local.MultiLocationQuotient`` city by city.

    Returns
    -------
    pandas.DataFrame
        Same index as ``df``, one column ``lq_<group>`` per group (NaN in empty units).
    """
    func = "location_quotient"
    groups = _as_list(groups)
    by = _as_list(by)
    _check_columns(df, groups, "group columns", func)
    _check_columns(df, by, "`by` columns", func)
    x = _counts(df, groups, func)
    codes, keys = _codes(df, by)
    X = _group_sum(x, codes, len(keys))
    with np.errstate(divide="ignore", invalid="ignore"):
        city_share = X / X.sum(axis=1, keepdims=True)
        lq = (x / x.sum(axis=1, keepdims=True)) / city_share[codes]
    return pd.DataFrame(lq, index=df.index, columns=[f"lq_{g}" for g in groups])


# ------------------------------------------------------------------- spatial dissimilarity


def _grid_index(coord: np.ndarray, cell_size: float, name: str, func: str) -> np.ndarray:
    steps = (coord - coord.min()) / cell_size
    idx = np.rint(steps)
    if not np.allclose(steps, idx, rtol=0, atol=1e-6):
        raise ValueError(
            f"{func}(): the {name} coordinates are not on a regular grid of {cell_size:g} m "
            "cells. Pass cell centres (e.g. gdf.geometry.centroid.x) and the cell size "
            "of the grid as `cell_size`."
        )
    return idx.astype(np.intp)


def _kernel_offsets(cell_size, bandwidth, kernel, diagonal):
    r = int(np.floor(bandwidth / cell_size)) + 1
    di, dj = np.meshgrid(np.arange(-r, r + 1), np.arange(-r, r + 1), indexing="ij")
    dist = np.sqrt((di * cell_size) ** 2.0 + (dj * cell_size) ** 2.0)
    keep = dist <= bandwidth  # libpysal: neighbours are the points within the bandwidth
    di, dj, z = di[keep], dj[keep], dist[keep] / bandwidth
    w = KERNELS[kernel](z)
    if diagonal:
        w = np.where((di == 0) & (dj == 0), 1.0, w)
    return di, dj, w


def spatial_dissimilarity(
    df: pd.DataFrame,
    groups: str | Sequence[str],
    total: str,
    *,
    x: str,
    y: str,
    cell_size: float,
    bandwidth: float,
    kernel: str = "triangular",
    by: str | Sequence[str] | None = None,
    standardize: bool = False,
    diagonal: bool = False,
) -> pd.DataFrame:
    """Spatial dissimilarity (Morrill 1991) with a distance kernel, on a regular grid.

    ``SD = D - sum_ij c_ij |p_i - p_j| / sum_ij c_ij``: the dissimilarity index minus the
    mean difference of the group's share between nearby cells, where ``c_ij`` is a
    kernel of the distance between cell centres. Equals ``segregation.singlegroup
    .SpatialDissim(..., w=libpysal.weights.Kernel(centres, bandwidth=bandwidth,
    function=kernel, diagonal=diagonal), standardize=standardize)``.

    PySAL builds two dense n x n matrices (60 GiB each for 90,000 cells). Here the
    neighbour sums run over the few dozen grid offsets within the bandwidth, each a
    shifted copy of the city's grid, for all groups at once: memory O(n) and time
    O(n x offsets).

    Parameters
    ----------
    df : pandas.DataFrame
        One row per listed grid cell; counts of residents (persons). Cells need not fill
        the square: pairs with an unlisted cell are left out, as in libpysal.
    groups, total, by
        As in :func:`single_group_indices`.
    x, y : str
        Columns with the cell centres' coordinates in metres (a projected CRS such as
        EPSG:3035), on a grid of ``cell_size``.
    cell_size : float
        Side of a grid cell (m), e.g. 100.
    bandwidth : float
        Kernel bandwidth (m): cells farther apart than this get weight 0.
    kernel : {"triangular", "uniform", "quadratic", "quartic", "gaussian"}
        Kernel function of libpysal's ``Kernel`` (``gaussian`` normalised and truncated
        at the bandwidth, as there).
    standardize : bool
        Row-standardise the weights (PySAL's ``standardize=True``).
    diagonal : bool
        Self-weight 1 instead of K(0) (libpysal's ``diagonal=True``).

    Returns
    -------
    pandas.DataFrame
        One row per city, one column per group.

    This function is long for its documentation, not its code (about 40
    lines); the steps are named helpers or short, commented blocks.
    """
    func = "spatial_dissimilarity"
    if kernel not in KERNELS:
        raise ValueError(f"{func}(): unknown kernel {kernel!r}; choose from {list(KERNELS)}.")
    if not (np.isfinite(cell_size) and cell_size > 0):
        raise ValueError(f"{func}(): cell_size must be a positive length in metres.")
    if not (np.isfinite(bandwidth) and bandwidth > 0):
        raise ValueError(f"{func}(): bandwidth must be a positive distance in metres.")
    groups, xg, t, codes, keys = _prepare(df, groups, total, by, func)
    _check_columns(df, [x, y], "coordinate columns", func)
    k = len(keys)
    D = _single_group(xg, t, codes, k, ["dissimilarity"])["dissimilarity"]
    pi = _share(xg, t)
    xs = df[x].to_numpy(dtype=float)
    ys = df[y].to_numpy(dtype=float)
    di, dj, wk = _kernel_offsets(cell_size, bandwidth, kernel, diagonal)
    out = np.empty((k, len(groups)))
    for c in range(k):
        rows = np.flatnonzero(codes == c)
        col = _grid_index(xs[rows], cell_size, "x", func)
        row = _grid_index(ys[rows], cell_size, "y", func)
        if np.bincount(row * (col.max() + 1) + col).max() > 1:
            raise ValueError(
                f"{func}(): city {keys[c]!r} lists some grid cell twice; keep one row per "
                "cell and census year (set `by` to the city and year columns)."
            )
        shape = (row.max() + 1, col.max() + 1)
        mask = np.zeros(shape)
        mask[row, col] = 1.0
        grid = np.zeros((len(groups), *shape))
        grid[:, row, col] = pi[rows].T
        if standardize:
            num, den = _standardized_sums(grid, mask, row, col, di, dj, wk)
        else:
            num, den = _symmetric_sums(grid, mask, row.size, di, dj, wk)
        out[c] = D[c] - num / den
    return _frame(out, keys, groups)


def _symmetric_sums(grid, mask, n_cells, di, dj, wk):
    """sum_ij c_ij |p_i - p_j| per group and sum_ij c_ij, each unordered pair visited once."""
    num = np.zeros(grid.shape[0])
    den = 0.0
    full = bool(mask.all())
    buffer = np.empty_like(grid)  # reused for the differences of every offset
    for a, b, w in zip(di, dj, wk, strict=True):
        if a == 0 and b == 0:
            den += w * n_cells  # the diagonal: |p_i - p_i| = 0 adds to the weights only
            continue
        if a < 0 or (a == 0 and b < 0):
            continue  # c_ij = c_ji: the pair was counted with the opposite offset
        here, there = _offset_slices(grid.shape[1:], a, b)
        left, right = grid[(slice(None), *here)], grid[(slice(None), *there)]
        diff = np.subtract(left, right, out=buffer[:, : left.shape[1], : left.shape[2]])
        np.abs(diff, out=diff)
        if full:
            num += 2 * w * diff.sum(axis=(1, 2))
            den += 2 * w * diff.shape[1] * diff.shape[2]
        else:
            pair = mask[here] * mask[there]
            num += 2 * w * np.einsum("gij,ij->g", diff, pair)
            den += 2 * w * pair.sum()
    return num, den


def _standardized_sums(grid, mask, row, col, di, dj, wk):
    """As _symmetric_sums with row-standardised weights c_ij / sum_j c_ij."""
    rowsum = np.zeros(mask.shape)  # sum_j c_ij of each cell
    acc = np.zeros_like(grid)  # sum_j c_ij |p_i - p_j| of each cell and group
    for a, b, w in zip(di, dj, wk, strict=True):
        here, there = _offset_slices(mask.shape, a, b)
        pair = mask[here] * mask[there]
        rowsum[here] += w * pair
        if a or b:
            diff = np.abs(grid[(slice(None), *here)] - grid[(slice(None), *there)])
            acc[(slice(None), *here)] += w * pair * diff
    with np.errstate(divide="ignore", invalid="ignore"):
        num = (acc[:, row, col] / rowsum[row, col]).sum(axis=1)
    return num, float(row.size)


def _offset_slices(shape, di, dj):
    """Slices of the cells i and of their neighbours i + (di, dj), both inside the grid."""
    h, w = shape
    r0, r1 = max(0, -di), min(h, h - di)
    c0, c1 = max(0, -dj), min(w, w - dj)
    return (slice(r0, r1), slice(c0, c1)), (slice(r0 + di, r1 + di), slice(c0 + dj, c1 + dj))
