"""Statistical models used across chapters.

- Chapter 2: the calibration of social-media audience counts against official stocks
  (:func:`fit_penetration`, :func:`stock_from_audience`, :func:`cross_validated_stock`)
  and its evaluation (:func:`destination_folds`, :func:`mape`);
- Chapter 3: gravity models of migration (:func:`country_pairs`, :func:`dyadic_panel`,
  :func:`gravity_design`, :func:`hump_turning_point`) and :func:`fit_ppml`, the course's
  one PPML fit (statsmodels' Poisson GLM with fixed effects), which
  :func:`migrationlab.mobility.fit_gravity` calls for passenger flows too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf

from migrationlab.checks import require_columns, require_values
from migrationlab.geo import great_circle_km

# --------------------------------------------------------------------------------------
# Chapter 2: calibrating advertising-platform audiences against official stocks
# --------------------------------------------------------------------------------------


def mape(estimate, reference) -> float:
    """Mean absolute percentage error of ``estimate`` against ``reference``, in percent.

    ``100 * mean(|estimate - reference| / reference)``, the error measure of Zagheni,
    Weber & Gummadi (2017) for audience-based estimates of migrant stocks.

    Parameters
    ----------
    estimate, reference : array-like of float
        Estimated and reference values (e.g. persons), of equal length. Every reference
        value must be positive and finite: a percentage error of a zero is undefined.

    Returns
    -------
    float
        The MAPE in percent (0 is perfect; 50 means off by half on average).

    References
    ----------
    Zagheni, E., Weber, I. & Gummadi, K. (2017). Leveraging Facebook's advertising platform
    to monitor stocks of migrants. *Population and Development Review* 43(4), 721-734.
    https://doi.org/10.1111/padr.12102

    Examples
    --------
    >>> mape([110, 90], [100, 100])
    10.0
    """
    est = np.asarray(estimate, dtype=float).ravel()
    ref = np.asarray(reference, dtype=float).ravel()
    if est.shape != ref.shape:
        raise ValueError(
            f"mape(): estimate has {est.size} values and reference {ref.size}; pass two "
            "aligned columns of the same table (e.g. after a merge), not columns of two tables."
        )
    if est.size == 0:
        raise ValueError("mape(): no values; check that the selection before it kept rows.")
    if not (np.all(np.isfinite(ref)) and np.all(ref > 0)):
        raise ValueError(
            "mape(): the reference contains zeros, negative or missing values; the "
            "percentage error is undefined there. Keep only rows with a positive reference "
            "(e.g. df[df['migrant_stock'] > 0])."
        )
    if not np.all(np.isfinite(est)):
        raise ValueError(
            "mape(): the estimate contains missing or infinite values; drop or fill them "
            "first and say so."
        )
    return float(100.0 * np.mean(np.abs(est - ref) / ref))


def destination_folds(destinations, n_folds: int = 5, seed: int = 0) -> np.ndarray:
    """Fold labels for cross-validation stratified by destination.

    Within each destination the rows (origins) are shuffled and dealt out to the folds in
    turn, so that every fold holds out some corridors of every destination while the
    remaining corridors of that destination stay in the training data: the destination's
    penetration can be learned and is tested on corridors the fit has not seen. For the
    harder question, a destination without any official statistics, hold out whole
    destinations instead (``pd.factorize(destinations)[0]`` as labels). A destination
    with a single row cannot be predicted out of fold by a model with a destination
    term: keep destinations with at least two rows. When a table has several rows per
    corridor (e.g. one per sex), compute the folds on the corridors and merge them back,
    so that the rows of one corridor share a fold.

    Parameters
    ----------
    destinations : array-like of str
        Destination code of each row (e.g. ``df["destination_iso3"]``).
    n_folds : int
        Number of folds, at least 2.
    seed : int
        Seed of the shuffle, so that the folds are reproducible.

    Returns
    -------
    numpy.ndarray of int
        A fold label in ``0 .. n_folds - 1`` for each row.

    Examples
    --------
    >>> destination_folds(["AUT", "AUT", "BEL", "BEL"], n_folds=2).tolist()
    [0, 1, 0, 1]
    """
    if int(n_folds) != n_folds or n_folds < 2:
        raise ValueError(f"destination_folds(): n_folds={n_folds!r}; use an integer of at least 2.")
    dest = pd.Series(np.asarray(destinations, dtype=object))
    if dest.isna().any():
        raise ValueError(
            "destination_folds(): some destinations are missing; drop those rows first."
        )
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(dest))
    shuffled = dest.iloc[order]
    rank = shuffled.groupby(shuffled, sort=False).cumcount().to_numpy()
    folds = np.empty(len(dest), dtype=np.int64)
    folds[order] = rank % int(n_folds)
    return folds


def _check_calibration_columns(data: pd.DataFrame, columns: list[str], caller: str) -> None:
    """The calibration table has the stock and audience columns, positive and complete."""
    require_columns(
        data,
        columns,
        table_name="the calibration table",
        fix="Name the columns with stock= and audience=, or add the covariates to the table.",
        caller=caller,
    )
    require_values(
        data,
        columns,
        table_name="the calibration table",
        what="stocks and audiences (logs are taken)",
        strict=True,
        fix="Keep corridors with a positive official stock and audience, e.g. those above "
        "a size threshold, and drop rows with missing values.",
        caller=caller,
    )


def fit_penetration(
    data: pd.DataFrame,
    covariates: str,
    *,
    stock: str = "migrant_stock",
    audience: str = "audience",
):
    """Fit a log-linear model of platform penetration, audience / stock, by least squares.

    The model is ``log(audience / stock) = covariates``: the share of migrants a platform
    reaches, explained by the destination, the origin's income, the sex and age of the
    audience, and so on. Dividing an audience by its fitted penetration gives a calibrated
    stock estimate (:func:`stock_from_audience`), the correction of Zagheni, Weber &
    Gummadi (2017).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per corridor (or corridor and sex, ...), with the official stock, the
        audience and the covariates.
    covariates : str
        Right-hand side of a statsmodels/patsy formula, e.g.
        ``"C(destination_iso3) + log_origin_income + sex"``.
    stock, audience : str
        Columns holding the reference stock and the audience, both in persons.

    Returns
    -------
    statsmodels.regression.linear_model.RegressionResultsWrapper
        The fitted OLS; ``params`` are log-penetration effects.

    References
    ----------
    Zagheni, E., Weber, I. & Gummadi, K. (2017), https://doi.org/10.1111/padr.12102
    """
    if not isinstance(covariates, str) or "~" in covariates or not covariates.strip():
        raise ValueError(
            f"fit_penetration(): covariates={covariates!r}; pass only the right-hand side "
            "of the formula, e.g. 'C(destination_iso3) + log_origin_income'."
        )
    _check_calibration_columns(data, [stock, audience], "fit_penetration()")
    frame = data.assign(_log_penetration=np.log(data[audience] / data[stock]))
    return smf.ols(f"_log_penetration ~ {covariates}", data=frame).fit()


def stock_from_audience(result, data: pd.DataFrame, *, audience: str = "audience") -> pd.Series:
    """Calibrated stock estimate: audience divided by the fitted penetration, in persons.

    Parameters
    ----------
    result : statsmodels results
        A fit of :func:`fit_penetration`.
    data : pandas.DataFrame
        Rows to estimate, with the audience and the covariates of the fit. They may be
        other rows or other dates than the fitted ones (a nowcast), but every category of a
        ``C(...)`` term must have been seen in the fit.
    audience : str
        Column holding the audience, in persons.

    Returns
    -------
    pandas.Series
        Estimated stock for each row of ``data``, same index.
    """
    require_columns(
        data,
        [audience],
        table_name="the table to estimate",
        fix="Pass audience= with the name of its audience column (persons).",
        caller="stock_from_audience()",
    )
    try:
        log_pen = np.asarray(result.predict(data), dtype=float)
    except Exception as err:  # patsy raises on categories the fit has not seen
        raise ValueError(
            "stock_from_audience(): could not predict for these rows "
            f"({type(err).__name__}: {err}). A destination (or other category) the fit has "
            "never seen has no estimated effect: fit it, or drop the C(...) term for it."
        ) from err
    return pd.Series(data[audience].to_numpy(dtype=float) / np.exp(log_pen), index=data.index)


def cross_validated_stock(
    data: pd.DataFrame,
    covariates: str,
    folds,
    *,
    stock: str = "migrant_stock",
    audience: str = "audience",
) -> pd.Series:
    """Out-of-fold calibrated stock estimates: each row predicted by a fit without its fold.

    Parameters
    ----------
    data : pandas.DataFrame
        Calibration table as for :func:`fit_penetration`.
    covariates : str
        Right-hand side of the penetration formula.
    folds : array-like of int
        Fold label of each row, e.g. from :func:`destination_folds`.
    stock, audience : str
        Columns of the reference stock and of the audience, in persons.

    Returns
    -------
    pandas.Series
        Estimated stock of each row, from the model fitted on the other folds.
    """
    labels = np.asarray(folds)
    if labels.shape != (len(data),):
        raise ValueError(
            f"cross_validated_stock(): {labels.size} fold labels for {len(data)} rows; "
            "compute the folds on the same table, e.g. destination_folds(df['destination_iso3'])."
        )
    if np.unique(labels).size < 2:
        raise ValueError("cross_validated_stock(): all rows are in one fold; use two or more.")
    out = pd.Series(np.nan, index=data.index)
    for fold in np.unique(labels):
        test = labels == fold
        fit = fit_penetration(data[~test], covariates, stock=stock, audience=audience)
        out[test] = stock_from_audience(fit, data[test], audience=audience).to_numpy()
    return out


# --------------------------------------------------------------------------------------
# Chapter 3: gravity models of migration, estimated by PPML
# --------------------------------------------------------------------------------------


def country_pairs(countries: pd.DataFrame, *, min_distance_km: float = 50.0) -> pd.DataFrame:
    """Ordered country pairs with distance, contiguity and a common language.

    Parameters
    ----------
    countries : pandas.DataFrame
        One row per country with the columns of ``load_countries()``: ``iso3``,
        ``capital_lat``, ``capital_lon`` (degrees), ``neighbours_iso3`` (ISO3 codes
        separated by ';') and ``languages`` (ISO 639 codes separated by ';', main first).
    min_distance_km : float
        Floor of the distance, km: neighbouring capitals can be a few km apart, and the
        log of a tiny distance would dominate a gravity fit.

    Returns
    -------
    pandas.DataFrame
        ``n (n - 1)`` rows with ``origin_iso3``, ``destination_iso3``, ``distance_km``
        (great-circle distance between the capitals, km), ``contiguity`` (1 if the two share
        a land border) and ``common_language`` (1 if one of the first two languages of each
        is shared).
    """
    require_columns(
        countries,
        ["iso3", "capital_lat", "capital_lon", "neighbours_iso3", "languages"],
        table_name="the countries table",
        fix="Pass the table of migrationlab.data.load_countries() (or a subset of its rows).",
        caller="country_pairs()",
    )
    if countries["iso3"].duplicated().any():
        dup = countries.loc[countries["iso3"].duplicated(), "iso3"].tolist()
        raise ValueError(f"country_pairs(): duplicated iso3 codes {dup}; keep one row each.")
    c = countries.reset_index(drop=True)
    n = len(c)
    o, d = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    keep = o != d
    o, d = o[keep], d[keep]
    iso = c["iso3"].to_numpy()
    lat, lon = c["capital_lat"].to_numpy(float), c["capital_lon"].to_numpy(float)
    neighbours = [set(str(s).split(";")) - {"", "nan"} for s in c["neighbours_iso3"].fillna("")]
    languages = [set(str(s).split(";")[:2]) - {"", "nan"} for s in c["languages"].fillna("")]
    return pd.DataFrame(
        {
            "origin_iso3": iso[o],
            "destination_iso3": iso[d],
            "distance_km": np.maximum(
                great_circle_km(lat[o], lon[o], lat[d], lon[d]), min_distance_km
            ),
            "contiguity": np.array(
                [iso[j] in neighbours[i] for i, j in zip(o, d, strict=True)], int
            ),
            "common_language": np.array(
                [bool(languages[i] & languages[j]) for i, j in zip(o, d, strict=True)], int
            ),
        }
    )


def dyadic_panel(
    pairs: pd.DataFrame,
    years,
    *,
    flows: pd.DataFrame,
    stocks: pd.DataFrame,
    indicators: pd.DataFrame,
    flow: str = "flow",
    stock: str = "migrant_stock",
    stock_lag: int = 1,
) -> pd.DataFrame:
    """Origin-destination-year panel for a gravity model, zeros included.

    Every pair of ``pairs`` appears in every year: a pair-year absent from ``flows`` gets a
    flow of 0 (a zero is an observation, not a missing value; dropping zeros is one of the
    biases of log-linear gravity). The diaspora is the stock of the pair ``stock_lag`` years
    before the flow (0 where the stock table has no row), and the indicators of the origin
    and the destination of the flow's year are joined with the suffixes ``_o`` and ``_d``.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Output of :func:`country_pairs` (or any table with ``origin_iso3`` and
        ``destination_iso3``).
    years : iterable of int
        Years of the flows.
    flows : pandas.DataFrame
        ``origin_iso3``, ``destination_iso3``, ``year`` and the ``flow`` column (persons).
    stocks : pandas.DataFrame
        ``origin_iso3``, ``destination_iso3``, ``year`` and the ``stock`` column (persons);
        rows with an unknown origin are ignored.
    indicators : pandas.DataFrame
        ``iso3``, ``year`` and the numeric indicators (e.g. ``population``,
        ``gdp_per_capita_ppp_usd``).
    flow, stock : str
        Names of the flow and stock columns.
    stock_lag : int
        Years between the stock and the flow it explains (1: last year's diaspora).

    Returns
    -------
    pandas.DataFrame
        One row per pair and year: the pair columns, ``year``, ``flow``, ``diaspora`` and the
        indicators as ``<name>_o`` and ``<name>_d``. Rows with a missing indicator are kept
        (with NaN): decide, and say, how to treat them.
    """
    keys = ["origin_iso3", "destination_iso3", "year"]
    for name, table, cols in (
        ("flows", flows, [*keys, flow]),
        ("stocks", stocks, [*keys, stock]),
        ("indicators", indicators, ["iso3", "year"]),
    ):
        require_columns(
            table,
            cols,
            table_name=f"the {name} table",
            fix="Rename the columns, or pass the names with flow= and stock=.",
            caller="dyadic_panel()",
        )
    years = sorted({int(y) for y in years})
    if not years:
        raise ValueError("dyadic_panel(): no years given; pass e.g. years=[2006, 2011].")
    panel = pairs.merge(pd.DataFrame({"year": years}), how="cross")
    f = flows.loc[flows["year"].isin(years), keys + [flow]].rename(columns={flow: "flow"})
    panel = panel.merge(f, on=keys, how="left")
    panel["flow"] = panel["flow"].fillna(0).astype(float)
    lagged = [y - stock_lag for y in years]
    s = stocks.loc[stocks["year"].isin(lagged) & stocks["origin_iso3"].notna(), keys + [stock]]
    s = s.assign(year=s["year"] + stock_lag).rename(columns={stock: "diaspora"})
    panel = panel.merge(s, on=keys, how="left")
    panel["diaspora"] = panel["diaspora"].fillna(0).astype(float)
    values = [c for c in indicators.columns if c not in ("iso3", "year")]
    for side, code in (("o", "origin_iso3"), ("d", "destination_iso3")):
        ind = indicators[["iso3", "year", *values]].rename(
            columns={"iso3": code, **{v: f"{v}_{side}" for v in values}}
        )
        panel = panel.merge(ind, on=[code, "year"], how="left")
    return panel


def gravity_design(
    data: pd.DataFrame, regressors, fixed_effects=(), *, add_constant: bool = True
) -> pd.DataFrame:
    """Design matrix of a gravity model: regressors plus fixed-effect dummies.

    Each fixed effect (a column such as ``origin_iso3``, ``destination_iso3`` or
    ``year``) becomes one 0/1 column per category but the first, so that the constant
    stays identified.

    Parameters
    ----------
    data : pandas.DataFrame
        The panel, e.g. from :func:`dyadic_panel`.
    regressors : list of str
        Numeric columns (e.g. ``["log_distance", "contiguity"]``); no missing values.
    fixed_effects : list of str
        Categorical columns whose categories get a dummy each.
    add_constant : bool
        Add a column ``const`` of ones.

    Returns
    -------
    pandas.DataFrame
        Float columns: ``const``, the regressors, then ``fe_<column>_<category>``.
    """
    regressors, fixed_effects = list(regressors), list(fixed_effects)
    require_columns(
        data,
        regressors + fixed_effects,
        table_name="the panel",
        fix="Compute derived regressors first, e.g. "
        "df['log_distance'] = np.log(df['distance_km']).",
        caller="gravity_design()",
    )
    require_values(
        data,
        regressors,
        table_name="the panel",
        minimum=None,
        what="regressors",
        fix="A log of 0? Use log1p for counts with zeros, or drop incomplete rows first "
        "and say so.",
        caller="gravity_design()",
    )
    x = data[regressors].astype(float)
    parts = [x]
    for fe in fixed_effects:
        dummies = pd.get_dummies(
            data[fe].astype(str), prefix=f"fe_{fe}", drop_first=True, dtype=float
        )
        parts.append(dummies)
    design = pd.concat(parts, axis=1)
    if add_constant:
        design.insert(0, "const", 1.0)
    return design


def fit_ppml(
    data: pd.DataFrame,
    y: str,
    regressors,
    fixed_effects=(),
    *,
    cov_type: str = "HC1",
):
    """Poisson pseudo-maximum-likelihood (PPML) gravity model with fixed effects.

    Fits ``E[y] = exp(X b)`` by statsmodels' Poisson GLM on the levels of ``y``, zeros
    included, with heteroskedasticity-robust standard errors. PPML is consistent whenever
    the conditional mean is right, whatever the variance, whereas OLS on ``log y`` is
    biased when the variance of the errors depends on the regressors, and must drop the
    zeros (Santos Silva & Tenreyro 2006). ``y`` need not be an integer.

    Parameters
    ----------
    data : pandas.DataFrame
        The panel, without missing values in the columns used.
    y : str
        The dependent column, e.g. ``"flow"`` (persons, >= 0).
    regressors : list of str
        Numeric regressors, e.g. ``["log_distance", "contiguity", "log_diaspora"]``:
        coefficients of log regressors are elasticities.
    fixed_effects : list of str
        Categorical columns with a dummy per category, e.g. ``["origin_iso3",
        "destination_iso3", "year"]``.
    cov_type : str
        Covariance of the estimates, passed to statsmodels (``"HC1"``: robust).

    Returns
    -------
    statsmodels.genmod.generalized_linear_model.GLMResultsWrapper
        ``params`` and ``bse`` are labelled by the design columns (:func:`gravity_design`).

    References
    ----------
    Santos Silva, J. M. C. & Tenreyro, S. (2006). The log of gravity. *Review of Economics
    and Statistics* 88(4), 641-658. https://doi.org/10.1162/rest.88.4.641

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"x": rng.normal(size=500)})
    >>> df["y"] = rng.poisson(np.exp(1.0 + 0.5 * df["x"]))
    >>> round(float(fit_ppml(df, "y", ["x"]).params["x"]), 1)
    0.5
    """
    require_columns(
        data,
        [y],
        table_name="the panel",
        fix="Pass y= with the name of the dependent column (the flow, in persons).",
        caller="fit_ppml()",
    )
    require_values(
        data,
        [y],
        table_name="the panel",
        what="flows",
        fix="PPML models the level of the flow (zeros included), not its log: pass the flow "
        "itself, and drop rows with a missing flow first.",
        caller="fit_ppml()",
    )
    target = data[y].astype(float)
    design = gravity_design(data, regressors, fixed_effects)
    # Newton steps on the Poisson log-likelihood converge in a few iterations and are
    # several times faster than IRLS with a least-squares solve on a wide dummy matrix.
    model = sm.GLM(target, design, family=sm.families.Poisson())
    result = model.fit(method="newton", maxiter=100, cov_type=cov_type)
    if not result.mle_retvals.get("converged", False):
        raise RuntimeError(
            "fit_ppml(): the Poisson fit did not converge; check for regressors that are "
            "collinear with the fixed effects, or for fixed-effect categories whose flows "
            "are all zero (drop them)."
        )
    return result


def hump_turning_point(result, linear: str, square: str) -> dict:
    """Income at which a quadratic-in-log-income emigration profile peaks (migration hump).

    With ``b1 log g + b2 (log g)^2`` in the model and ``b2 < 0``, emigration is highest at
    ``g* = exp(-b1 / (2 b2))``. The interval is a delta-method 95 % interval for
    ``log g*``, transformed back to dollars.

    Parameters
    ----------
    result : statsmodels results
        A fit with ``params`` and ``cov_params()`` (e.g. :func:`fit_ppml`).
    linear, square : str
        Names of the coefficients on ``log g`` and on ``(log g)^2``.

    Returns
    -------
    dict
        ``peak`` (the turning point, in the unit of ``g``, e.g. USD PPP), ``lower`` and
        ``upper`` (95 % interval), ``log_peak_se`` (standard error of ``log g*``).

    References
    ----------
    Clemens, M. A. (2020). The emigration life cycle: how development shapes emigration from
    poor countries. IZA Discussion Paper 13614. https://docs.iza.org/dp13614.pdf
    """
    for name in (linear, square):
        if name not in result.params.index:
            raise KeyError(
                f"hump_turning_point(): no coefficient {name!r}; the fit has "
                f"{list(result.params.index[:10])} ..."
            )
    b1, b2 = float(result.params[linear]), float(result.params[square])
    if not b2 < 0:
        raise ValueError(
            f"hump_turning_point(): the coefficient on {square!r} is {b2:.3g} >= 0, so the "
            "profile is U-shaped or flat, not a hump, and has no maximum."
        )
    log_peak = -b1 / (2.0 * b2)
    cov = result.cov_params().loc[[linear, square], [linear, square]].to_numpy()
    grad = np.array([-1.0 / (2.0 * b2), b1 / (2.0 * b2**2)])
    se = float(np.sqrt(grad @ cov @ grad))
    return {
        "peak": float(np.exp(log_peak)),
        "lower": float(np.exp(log_peak - 1.96 * se)),
        "upper": float(np.exp(log_peak + 1.96 * se)),
        "log_peak_se": se,
    }
