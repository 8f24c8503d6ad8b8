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


def add_source(ax, source: str, *, synthetic: bool = False):
    """Write a source line under the axes, e.g. ``"Source: Natural Earth 1:110m"``.

    With ``synthetic=True`` the line says that the data are synthetic sample data, as every
    figure drawn from the course's simulated world must.
    """
    text = f"Source: {source}"
    if synthetic:
        text += " (synthetic sample data)"
    ax.annotate(
        text,
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -28),
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
    if column not in gdf.columns:
        raise KeyError(
            f"choropleth(): no column {column!r}; available columns: {list(gdf.columns)}"
        )
    if ax is None:
        _, ax = subplots(figsize=(10, 5.2))
    missing_kwds = {
        "color": "#eeeeee",
        "hatch": "///",
        "edgecolor": "#999999",
        "label": missing_label,
    }
    if boundaries is not None:
        classed = {
            "scheme": "UserDefined",
            "classification_kwds": {"bins": list(boundaries)[1:]},
            "legend_kwds": {"title": legend_label, "loc": "lower left", "fmt": "{:,.0f}"},
        }
    else:
        classed = {
            "legend_kwds": {
                "label": legend_label,
                "orientation": "horizontal",
                "shrink": 0.6,
                "pad": 0.02,
            }
        }
    gdf.plot(
        column=column,
        ax=ax,
        cmap=cmap,
        legend=True,
        missing_kwds=missing_kwds,
        edgecolor="white",
        linewidth=0.3,
        **classed,
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
