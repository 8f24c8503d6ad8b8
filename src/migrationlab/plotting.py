"""One figure style for the whole course, colour-blind-safe palettes and map helpers.

Every function draws on a Matplotlib ``Axes`` and returns it; nothing is saved to disk.
Notebooks display the figure inline and the book picks it up from the notebook output,
so a figure only ever exists as the output of the code that computed it.

Palettes
--------
``OKABE_ITO`` is the eight-colour qualitative palette of Okabe & Ito (2008), designed to be
distinguishable under the common forms of colour-vision deficiency. Sequential data use
``cividis`` (Nuñez, Anderton & Renslow 2018), which is perceptually uniform and
colour-blind-safe; diverging data use ``PuOr``, whose two ends stay apart under
deuteranopia and protanopia.

Examples
--------
>>> import migrationlab.plotting as mplot
>>> mplot.use_course_style()
>>> fig, ax = mplot.subplots()
>>> ax = mplot.label(ax, title="Migrant stock", xlabel="Year", ylabel="Persons (millions)")
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
from cycler import cycler

from migrationlab.checks import require_columns

__all__ = [
    "OKABE_ITO",
    "SEQUENTIAL_CMAP",
    "DIVERGING_CMAP",
    "COURSE_RC",
    "use_course_style",
    "qualitative",
    "subplots",
    "label",
    "add_source",
    "choropleth",
]

#: Okabe-Ito qualitative palette (black moved last so that lines start with colours).
OKABE_ITO: tuple[str, ...] = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
)

#: Perceptually uniform, colour-blind-safe colormap for quantities (shares, counts).
SEQUENTIAL_CMAP = "cividis"
#: Diverging colormap for signed quantities (imbalances, residuals, changes).
DIVERGING_CMAP = "PuOr"

#: Matplotlib settings of the course style: light grid, no top/right spines, readable sizes.
COURSE_RC: dict[str, object] = {
    "figure.figsize": (8.0, 4.8),
    "figure.dpi": 110,
    "figure.constrained_layout.use": True,
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#d9d9d9",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "image.cmap": SEQUENTIAL_CMAP,
    "axes.prop_cycle": cycler(color=list(OKABE_ITO)),
    # A white figure background keeps figures legible when the site is in dark mode.
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}


def use_course_style() -> None:
    """Apply the course figure style to every figure drawn after the call."""
    mpl.rcParams.update(COURSE_RC)


def qualitative(n: int) -> list[str]:
    """Return ``n`` colours of the Okabe-Ito palette, in order.

    Parameters
    ----------
    n : int
        Number of categories, between 1 and 8. More than eight categories cannot be told
        apart reliably by colour alone: facet the figure or group the categories instead.
    """
    if not 1 <= n <= len(OKABE_ITO):
        raise ValueError(
            f"qualitative(n={n}): the colour-blind-safe palette has {len(OKABE_ITO)} colours; "
            "group small categories into 'other' or draw one panel per category."
        )
    return list(OKABE_ITO[:n])


def subplots(nrows: int = 1, ncols: int = 1, **kwargs):
    """Create a figure in the course style, like :func:`matplotlib.pyplot.subplots`."""
    use_course_style()
    return plt.subplots(nrows, ncols, **kwargs)


def label(ax, *, title: str, xlabel: str | None = None, ylabel: str | None = None):
    """Set a title and axis labels; the labels should name the quantity and its unit."""
    ax.set_title(title)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    return ax


def add_source(ax, source: str, *, synthetic: bool = False, offset_points: float | None = None):
    """Write a source line under the axes, e.g. ``"Source: Natural Earth 1:110m"``.

    With ``synthetic=True`` the line says that the data are synthetic sample data, as every
    figure drawn from the course's simulated world must. The line goes below the x-axis
    label when the axes have one, below the tick labels otherwise, and just under the
    frame of a map (axes switched off); ``offset_points`` (negative: downwards) overrides.
    """
    text = f"Source: {source}"
    if synthetic:
        text += " (synthetic sample data)"
    if offset_points is None:
        if not ax.axison:
            offset_points = -4
        elif ax.get_xlabel():
            offset_points = -44
        else:
            offset_points = -28
    ax.annotate(
        text,
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, offset_points),
        textcoords="offset points",
        fontsize=8,
        color="#4d4d4d",
        ha="left",
        va="top",
        annotation_clip=False,
    )
    return ax


def choropleth(
    gdf,
    column: str,
    *,
    ax=None,
    legend_label: str,
    cmap: str = SEQUENTIAL_CMAP,
    missing_label: str = "no data",
    boundaries: Sequence[float] | None = None,
):
    """Draw a choropleth map of ``gdf[column]`` with a legend, a missing-data class and a CRS note.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons with a defined CRS.
    column : str
        Numeric column to colour by.
    legend_label : str
        What the colour shows, with its unit, e.g. ``"Migrant share (%)"``.
    cmap : str
        A colour-blind-safe colormap; the course default is ``cividis``.
    missing_label : str
        Legend text for polygons whose value is missing (drawn hatched in light grey,
        never dropped).
    boundaries : sequence of float, optional
        Class boundaries for a classed map; a continuous colour bar is drawn when omitted.
    """
    if gdf.crs is None:
        raise ValueError(
            "choropleth(): the GeoDataFrame has no CRS, so the map cannot state its "
            "projection. Set it with gdf.set_crs('EPSG:4326') (or the CRS of the source)."
        )
    require_columns(
        gdf,
        [column],
        table_name="the GeoDataFrame",
        fix="Pass column= with the name of the column to map.",
        caller="choropleth()",
    )
    if ax is None:
        _, ax = subplots(figsize=(10, 5.2))
    missing_kwds = {
        "color": "#eeeeee",
        "hatch": "///",
        "edgecolor": "#999999",
        "label": missing_label,
    }
    style = {"edgecolor": "white", "linewidth": 0.3}
    if boundaries is not None:
        _classed_map(gdf, column, ax, cmap, list(boundaries), legend_label, missing_kwds, style)
    else:
        gdf.plot(
            column=column,
            ax=ax,
            cmap=cmap,
            legend=True,
            missing_kwds=missing_kwds,
            legend_kwds={
                "label": legend_label,
                "orientation": "horizontal",
                "shrink": 0.6,
                "pad": 0.02,
            },
            **style,
        )
    ax.set_axis_off()
    crs_name = gdf.crs.name if gdf.crs.name else gdf.crs.to_string()
    epsg = gdf.crs.to_epsg()
    crs_text = f"CRS: {crs_name}" + (f" (EPSG:{epsg})" if epsg else "")
    ax.annotate(
        crs_text,
        xy=(1, 0),
        xycoords="axes fraction",
        fontsize=8,
        color="#4d4d4d",
        ha="right",
        va="bottom",
    )
    return ax


def _classed_map(gdf, column, ax, cmap, edges, legend_label, missing_kwds, style) -> None:
    """Colour polygons by class, with a legend of the classes and of the missing values.

    A class holds the values above its lower edge up to and including its upper edge, as
    mapclassify's ``UserDefined`` classes do; values beyond the outer edges join the first
    or the last class, so no polygon is left out. Drawn with Matplotlib alone
    (geopandas' ``scheme=`` imports mapclassify, whose numba compilation costs seconds).
    """
    import numpy as np
    from matplotlib.patches import Patch

    edges = [float(e) for e in edges]
    if len(edges) < 3 or any(b <= a for a, b in zip(edges, edges[1:], strict=False)):
        raise ValueError(
            f"choropleth(): boundaries must be at least three increasing numbers (two "
            f"classes), e.g. [0, 1_000, 10_000, 200_000]; got {edges}"
        )
    values = gdf[column].to_numpy(dtype=float)
    classes = np.digitize(values, edges[1:-1], right=True)
    k = len(edges) - 1
    colours = mpl.colormaps[cmap].resampled(k)(np.arange(k))
    missing = np.isnan(values)
    handles = []
    for i in range(k):
        if i == 0:
            text = f"up to {edges[1]:,.0f}"
        elif i == k - 1:
            text = f"over {edges[-2]:,.0f}"
        else:
            text = f"over {edges[i]:,.0f} to {edges[i + 1]:,.0f}"
        members = gdf[(classes == i) & ~missing]
        if len(members):
            members.plot(ax=ax, color=colours[i], **style)
        handles.append(Patch(facecolor=colours[i], edgecolor="#999999", label=text))
    if missing.any():
        shown = {key: v for key, v in missing_kwds.items() if key != "label"}
        gdf[missing].plot(ax=ax, **shown)
        handles.append(
            Patch(
                facecolor=missing_kwds["color"],
                hatch=missing_kwds["hatch"],
                edgecolor=missing_kwds["edgecolor"],
                label=missing_kwds["label"],
            )
        )
    ax.legend(handles=handles, title=legend_label, loc="lower left", frameon=False)
