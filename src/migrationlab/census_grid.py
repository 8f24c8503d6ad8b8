"""From census districts to grid cells: areal and dasymetric interpolation of counts.

A census publishes counts by country of birth for districts; a grid such as the JRC's
"Data for Integration" (D4I) 100 m grid is built by sharing each district's count among
the cells that lie in it (Alessandrini et al. 2017). How the count is shared is the
method:

- **areal weighting** gives each cell a share proportional to the area it has in the
  district (Goodchild & Lam 1980), i.e. the group's density is assumed flat within the
  district;
- **dasymetric mapping** gives each cell a share proportional to an ancillary variable
  that says where people live, such as the residents of the cell in a published total
  population grid or its built-up area (Eicher & Brewer 2001; Mennis 2003).

Both preserve every district's count (the "pycnophylactic" or volume-preserving
property). Neither can put a group where the ancillary variable does not: within a
district every cell gets the district's composition, so a segregation index computed on
the estimated grid equals the index of the districts, however fine the cells.
:func:`interpolation_errors` measures how far an estimate is from the truth, which the
course's synthetic cities provide. The ``tobler`` package of PySAL offers the same
methods (``area_interpolate``) with more options.

References
----------
Alessandrini, A., Natale, F., Sermi, F. & Vespe, M. (2017). High resolution map of
migrants in the EU. JRC Technical Report, European Commission.
Eicher, C. L. & Brewer, C. A. (2001). Dasymetric mapping and areal interpolation:
implementation and evaluation. Cartography and Geographic Information Science 28(2).
Goodchild, M. F. & Lam, N. S.-N. (1980). Areal interpolation: a variant of the
traditional spatial problem. Geo-Processing 1.
Mennis, J. (2003). Generating surface models of population using dasymetric mapping.
The Professional Geographer 55(1), 31-42.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from migrationlab import indices
from migrationlab.checks import require_columns

__all__ = ["areal_weighting", "dasymetric", "interpolation_errors"]


def _columns(column: str | Sequence[str]) -> list[str]:
    return [column] if isinstance(column, str) else list(column)


def _check_layers(districts, cells, columns: list[str], func: str) -> None:
    """Both layers are GeoDataFrames in one projected CRS; the districts hold the counts."""
    for name, layer in (("districts", districts), ("cells", cells)):
        if not isinstance(layer, gpd.GeoDataFrame):
            raise TypeError(
                f"{func}(): `{name}` must be a GeoDataFrame with polygons, got "
                f"{type(layer).__name__}. Load it with migrationlab.data.load_cities()."
            )
    if districts.crs is None or cells.crs is None or districts.crs != cells.crs:
        raise ValueError(
            f"{func}(): the districts (CRS {districts.crs}) and the cells (CRS {cells.crs}) "
            "must share one projected CRS, so that areas are comparable. Reproject one "
            "with .to_crs(), e.g. to EPSG:3035."
        )
    if districts.crs.is_geographic:
        raise ValueError(
            f"{func}(): the CRS {districts.crs} is geographic (degrees); areas need a "
            "projected CRS in metres. Reproject both layers with .to_crs('EPSG:3035')."
        )
    require_columns(
        districts,
        columns,
        table_name="the districts",
        caller=f"{func}()",
        fix="Pass the name of a count column of the districts layer (e.g. 'pop_non_eu_born').",
    )
    counts = districts[columns].to_numpy(dtype=float)
    if not np.isfinite(counts).all() or (counts < 0).any():
        raise ValueError(
            f"{func}(): the districts' counts in {columns} must be finite and "
            "non-negative. Fill or drop missing counts first."
        )


def _share(districts, cells, columns: list[str], weight: np.ndarray | None, func: str):
    """Share each district's counts among the cells, in proportion to piece weights.

    A piece is the intersection of a district and a cell. Its weight is its area, times the
    cell's ancillary density (``weight`` per m² of the cell) for the dasymetric method. A
    district whose pieces all weigh zero falls back on area weights, so that its count
    is never lost.
    """
    left = districts[columns + ["geometry"]].copy()
    left["_district"] = np.arange(len(left))
    right = gpd.GeoDataFrame({"_cell": np.arange(len(cells))}, geometry=cells.geometry.values)
    right = right.set_crs(cells.crs, allow_override=True)
    pieces = gpd.overlay(left, right, how="intersection", keep_geom_type=True)
    area = pieces.geometry.area.to_numpy()
    if weight is None:
        w = area
    else:
        cell_area = cells.geometry.area.to_numpy()
        w = area * weight[pieces["_cell"].to_numpy()] / cell_area[pieces["_cell"].to_numpy()]
    district = pieces["_district"].to_numpy()
    total_w = np.bincount(district, weights=w, minlength=len(left))
    total_area = np.bincount(district, weights=area, minlength=len(left))
    # districts without any ancillary weight share by area instead
    empty = total_w[district] <= 0
    w = np.where(empty, area, w)
    total_w = np.where(total_w > 0, total_w, total_area)
    uncovered = (total_area <= 0) & (left[columns].to_numpy(dtype=float).sum(axis=1) > 0)
    if uncovered.any():
        label = districts.index[np.flatnonzero(uncovered)[0]]
        if "district_id" in districts.columns:
            label = districts["district_id"].iloc[np.flatnonzero(uncovered)[0]]
        raise ValueError(
            f"{func}(): district {label!r} has residents but no cell overlaps it, so its "
            "count would be lost. Pass the cells of the same cities and census year as "
            "the districts (filter both on city_id and census_year)."
        )
    share = w / total_w[district]
    out = {}
    for column in columns:
        est = share * pieces[column].to_numpy(dtype=float)
        out[column] = np.bincount(pieces["_cell"].to_numpy(), weights=est, minlength=len(cells))
    return pd.DataFrame(out, index=cells.index)


def _result(frame: pd.DataFrame, column):
    return frame[column] if isinstance(column, str) else frame


def areal_weighting(districts, cells, column):
    """Share each district's count among the cells by the area they have in the district.

    Areal weighting (Goodchild & Lam 1980): a cell, or the part of a cell, that covers a
    fraction ``a`` of the area that the given cells have in a district receives ``a``
    times the district's count. The shares of a district add up to one over the cells
    given, so every district's count is preserved. If the cells cover only the inhabited
    part of a district (as the ``grid_cells`` layer does), this is already a binary
    dasymetric map: uninhabited land gets nobody.

    Parameters
    ----------
    districts : geopandas.GeoDataFrame
        Source zones with counts (persons), e.g. the ``districts`` layer of
        :func:`migrationlab.data.load_cities` for one census year.
    cells : geopandas.GeoDataFrame
        Target zones in the same projected CRS, e.g. the ``grid_cells`` of the same year.
    column : str or sequence of str
        Count column(s) of the districts to interpolate.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        Estimated counts (persons, not rounded) aligned with ``cells.index``: a Series for
        one column, a DataFrame for several.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> import geopandas as gpd
    >>> d = gpd.GeoDataFrame({"n": [100]}, geometry=[box(0, 0, 200, 100)], crs=3035)
    >>> c = gpd.GeoDataFrame(geometry=[box(0, 0, 100, 100), box(100, 0, 300, 100)], crs=3035)
    >>> areal_weighting(d, c, "n").tolist()
    [50.0, 50.0]
    """
    columns = _columns(column)
    _check_layers(districts, cells, columns, "areal_weighting")
    return _result(_share(districts, cells, columns, None, "areal_weighting"), column)


def dasymetric(districts, cells, column, ancillary):
    """Share each district's count among the cells in proportion to an ancillary variable.

    Dasymetric mapping (Eicher & Brewer 2001; Mennis 2003): the part of a cell that lies in
    a district weighs the cell's ancillary value times the fraction of the cell's area in
    the district; each district's count is shared by these weights, so it is preserved.
    The ancillary variable must come from a source other than the counts being estimated:
    the residents of each cell in a published total population grid, for example, to
    estimate where one group lives. A district whose cells all have zero ancillary value
    is shared by area instead.

    Parameters
    ----------
    districts, cells, column
        As in :func:`areal_weighting`.
    ancillary : str or array-like
        A column of ``cells`` or one non-negative value per cell (e.g. ``"pop_total"``,
        persons; or a built-up area in m²).

    Returns
    -------
    pandas.Series or pandas.DataFrame
        Estimated counts (persons, not rounded) aligned with ``cells.index``.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> import geopandas as gpd
    >>> d = gpd.GeoDataFrame({"n": [100]}, geometry=[box(0, 0, 200, 100)], crs=3035)
    >>> c = gpd.GeoDataFrame({"pop": [30, 10]},
    ...                      geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100)], crs=3035)
    >>> dasymetric(d, c, "n", "pop").tolist()
    [75.0, 25.0]
    """
    columns = _columns(column)
    _check_layers(districts, cells, columns, "dasymetric")
    if isinstance(ancillary, str):
        require_columns(
            cells,
            [ancillary],
            table_name="the cells",
            caller="dasymetric()",
            fix="For the ancillary variable, pass a column of the cells (e.g. 'pop_total') "
            "or one value per cell.",
        )
        weight = cells[ancillary].to_numpy(dtype=float)
    else:
        weight = np.asarray(ancillary, dtype=float)
        if weight.shape != (len(cells),):
            raise ValueError(
                f"dasymetric(): `ancillary` has shape {weight.shape} but there are "
                f"{len(cells)} cells. Pass one value per cell, in the order of the cells."
            )
    if not np.isfinite(weight).all() or (weight < 0).any():
        raise ValueError(
            "dasymetric(): the ancillary values must be finite and non-negative. Fill "
            "missing values (e.g. with 0 for cells known to be empty) first."
        )
    return _result(_share(districts, cells, columns, weight, "dasymetric"), column)


def interpolation_errors(truth, estimate, group: str, total: str, by=None) -> pd.DataFrame:
    """How far interpolated counts are from the true counts of the same cells.

    Parameters
    ----------
    truth : pandas.DataFrame
        One row per cell with the true counts of ``group`` and ``total`` (persons) and
        the ``by`` columns.
    estimate : pandas.DataFrame
        The same rows (same index) with the estimated counts under the same column names;
        its ``total`` is the total interpolated by the same method (or the known total).
    group, total : str
        Columns of the group's residents and of all residents.
    by : str or sequence of str, optional
        Columns of ``truth`` that identify a city (and year); one row of errors each.

    Returns
    -------
    pandas.DataFrame
        Per city: ``mean_abs_error`` (persons per cell), ``share_in_right_cell`` (the
        share of the group's true residents that the estimate puts in their own cell,
        ``sum(min(estimate, truth)) / sum(truth)``, 0-1), and the dissimilarity index of
        the group (:func:`migrationlab.indices.dissimilarity`) on the true cells
        (``dissimilarity_true``) and on the estimated cells (``dissimilarity_estimated``).
    """
    for name, table in (("the truth", truth), ("the estimate", estimate)):
        require_columns(
            table,
            [group, total],
            table_name=name,
            caller="interpolation_errors()",
            fix="Give both tables the group and total columns under one name.",
        )
    if not truth.index.equals(estimate.index):
        raise ValueError(
            "interpolation_errors(): the truth and the estimate must have the same rows "
            "(same index, same order). Build the estimate from the same cells table."
        )
    by_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    est = pd.DataFrame(estimate[[group, total]]).copy()
    est[by_cols] = truth[by_cols]
    keys = [truth[c] for c in by_cols] if by_cols else np.zeros(len(truth), dtype=int)
    diff = (est[group] - truth[group]).abs()
    right = np.minimum(est[group], truth[group])
    out = pd.DataFrame(
        {
            "mean_abs_error": diff.groupby(keys).mean(),
            "share_in_right_cell": right.groupby(keys).sum() / truth[group].groupby(keys).sum(),
        }
    )
    if by_cols:
        out["dissimilarity_true"] = indices.dissimilarity(truth, group, total, by=by)[group]
        out["dissimilarity_estimated"] = indices.dissimilarity(est, group, total, by=by)[group]
    else:
        out["dissimilarity_true"] = indices.dissimilarity(truth, group, total)[group].iloc[0]
        out["dissimilarity_estimated"] = indices.dissimilarity(est, group, total)[group].iloc[0]
    return out
