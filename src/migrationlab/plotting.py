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

Readable text
-------------
The book shows a figure at most as wide as its content column: 7.7 inches on a desktop
(741 CSS pixels at 1366 x 900, 96 pixels to the inch), and a wider figure is scaled down
with its text. A text of ``s`` points in a figure ``W`` inches wide is therefore read at
``s * min(1, 7.7 / W)`` points; the course asks for at least 8. The style keeps figures
narrower than the column (7.4 inches by default) and its smallest text (source lines, CRS
notes) at 8 points, and :func:`use_course_style` installs a check: when a figure is drawn,
any text that would be read under 8 points raises a :class:`SmallTextWarning`. The warning
goes to the notebook's stderr, which fails the book build.

Seaborn
-------
Seaborn draws with Matplotlib's settings, so :func:`use_course_style` styles its figures
too: its default palette (``seaborn.color_palette()``) is the colour cycle set here, so
``hue=`` groups get the Okabe-Ito colours in order, and its text takes the sizes set here.
Call ``use_course_style()`` after any ``seaborn.set_theme()``, which would overwrite them.
Two defaults of seaborn are not Matplotlib settings and are passed by hand: a numeric
``hue=`` takes ``palette=SEQUENTIAL_CMAP`` (or ``DIVERGING_CMAP``), and ``heatmap`` takes
``cmap=``. Axes-level functions (``regplot``, ``histplot``, ``scatterplot``) draw on the axes
of :func:`subplots`; figure-level ones (``lmplot``, ``displot``, ``relplot``) make their own
figure, ``height * aspect * columns`` inches wide (keep it within 7.4), and switch it to a
tight layout, which the style lets them do without a warning.

Examples
--------
>>> import migrationlab.plotting as mplot
>>> mplot.use_course_style()
>>> fig, ax = mplot.subplots()
>>> ax = mplot.label(ax, title="Migrant stock", xlabel="Year", ylabel="Persons (millions)")
"""

from __future__ import annotations

import textwrap
import warnings
from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
from cycler import cycler
from matplotlib.text import Text

from migrationlab.checks import require_columns

__all__ = [
    "OKABE_ITO",
    "SEQUENTIAL_CMAP",
    "DIVERGING_CMAP",
    "COURSE_RC",
    "COLUMN_WIDTH_IN",
    "MIN_TEXT_PT",
    "SmallTextWarning",
    "use_course_style",
    "small_texts",
    "watch_text_size",
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

#: Width of the book's content column on a desktop, in inches: the widest a figure is shown.
COLUMN_WIDTH_IN = 7.7
#: The smallest text size, in points, that a figure may have once shown in that column.
MIN_TEXT_PT = 8.0

#: Matplotlib settings of the course style: light grid, no top/right spines, readable sizes.
COURSE_RC: dict[str, object] = {
    # Narrower than the column (with the 0.1-inch margins of a tight save), so never shrunk.
    "figure.figsize": (7.4, 4.5),
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
    # Every figure made with pyplot checks the size of its text when drawn.
    "figure.hooks": ["migrationlab.plotting:watch_text_size"],
}


class SmallTextWarning(UserWarning):
    """A figure has text that reads under :data:`MIN_TEXT_PT` points in the book's column."""


def use_course_style() -> None:
    """Apply the course figure style to every figure drawn after the call.

    The style includes a check of text sizes (see :func:`watch_text_size`) on every figure
    created with :mod:`matplotlib.pyplot` (and so with seaborn, pandas and geopandas).
    Seaborn reads these settings (see the module's notes); its figure-level functions
    (``lmplot``, ``displot``...) lay their figure out tightly, replacing the constrained
    layout of the style, and the warning Matplotlib gives then is silenced for seaborn's
    grids alone: it says nothing wrong about the figure, and on a notebook's stderr it
    would fail the book build.
    """
    mpl.rcParams.update(COURSE_RC)
    warnings.filterwarnings(
        "ignore",
        message="The figure layout has changed to tight",
        category=UserWarning,
        module=r"seaborn\.axisgrid",
    )


def small_texts(
    fig, renderer=None, *, column_width_in: float = COLUMN_WIDTH_IN, min_pt: float = MIN_TEXT_PT
) -> list[tuple[str, float, float]]:
    """The texts of a figure that read under ``min_pt`` points in the book's column.

    The figure's width is that of its tight bounding box plus the margins of a tight save
    (``savefig.pad_inches``), as notebooks display it; a figure wider than
    ``column_width_in`` is shown scaled down by ``column_width_in / width``.

    Returns
    -------
    list of (text, size in points, size as read in points)
        Empty when every visible text is large enough.
    """
    if renderer is None:
        renderer = fig.canvas.get_renderer()
    scale = min(1.0, column_width_in / _shown_width_in(fig, renderer))
    out = []
    for text in _drawn_texts(fig):
        size = float(text.get_fontsize())
        if size * scale < min_pt:
            out.append((text.get_text(), size, size * scale))
    return out


def _drawn_texts(artist):
    """The non-empty texts that drawing ``artist`` draws: hidden branches are skipped.

    An invisible artist hides its children, and the axis labels and ticks of axes switched
    off (maps) are not drawn, though they still exist.
    """
    if not artist.get_visible():
        return
    if isinstance(artist, Text):
        if artist.get_text().strip():
            yield artist
        return
    hidden = set()
    if isinstance(artist, mpl.axes.Axes) and not artist.axison:
        axes = (getattr(artist, name, None) for name in ("xaxis", "yaxis", "zaxis"))
        hidden = {id(axis) for axis in axes if axis is not None}
    for child in artist.get_children():
        if id(child) not in hidden:
            yield from _drawn_texts(child)


def _shown_width_in(fig, renderer) -> float:
    """The width in inches of ``fig`` as a notebook shows it: a tight save with its margins."""
    return fig.get_tightbbox(renderer).width + 2 * float(mpl.rcParams["savefig.pad_inches"])


def watch_text_size(fig) -> None:
    """Make ``fig`` warn (:class:`SmallTextWarning`) when drawn with text too small to read.

    A Matplotlib figure hook (``rcParams["figure.hooks"]``, set by the course style): it
    runs on every figure that pyplot creates. The warning names the texts, their size as
    read in the book's column and the fix.
    """

    def check(event) -> None:
        small = small_texts(fig, event.renderer)
        if not small:
            return
        width = _shown_width_in(fig, event.renderer)
        listed = "; ".join(
            f"{text[:40]!r} {size:g} pt reads as {read:.1f} pt" for text, size, read in small[:4]
        )
        more = f" and {len(small) - 4} more" if len(small) > 4 else ""
        warnings.warn(
            f"figure text under {MIN_TEXT_PT:g} pt in the book's {COLUMN_WIDTH_IN:g}-inch column "
            f"(figure {width:.1f} in wide): {listed}{more}. Make the figure narrower "
            f"(figsize width {COURSE_RC['figure.figsize'][0]:g} in or less) or the text larger.",
            SmallTextWarning,
            stacklevel=1,
        )

    fig.canvas.mpl_connect("draw_event", check)


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
    """Set a title and axis labels; the labels should name the quantity and its unit.

    The title wraps at the figure's right edge: a constrained layout leaves a title's width
    out of its sums, so a long one would stick out and widen the figure.
    """
    ax.set_title(title, wrap=True)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    return ax


def add_source(ax, source: str, *, synthetic: bool = False):
    """Write a source line at the foot of the figure, e.g. ``"Source: Natural Earth 1:110m"``.

    With ``synthetic=True`` the line says that the data are synthetic sample data, as every
    figure drawn from the course's simulated world must. ``ax`` is any axes of the figure
    (or the figure): the line is the figure's bottom label (``Figure.supxlabel``), aligned
    left, for which a constrained layout makes room below every panel, axis label and
    colour bar. A long line is wrapped to the figure's width: sticking out, it would widen
    the figure, which the book then shrinks, text and all.

    Raises ``ValueError`` if the figure's bottom label already holds something else.
    """
    fig = ax.figure
    current = fig.get_supxlabel()
    if current and not current.startswith("Source: "):
        raise ValueError(
            f"add_source(): the figure's bottom label (supxlabel) already reads {current!r}; "
            "put the source in that label yourself, or use a title or axis label instead."
        )
    text = f"Source: {source}"
    if synthetic:
        text += " (synthetic sample data)"
    # DejaVu Sans at 8 pt: at most about 0.58 em (4.6 pt) a character on average.
    room_pt = (fig.get_size_inches()[0] - 0.3) * 72
    text = textwrap.fill(text, width=max(30, int(room_pt / (0.58 * 8))))
    fig.supxlabel(text, x=0.01, ha="left", fontsize=8, color="#4d4d4d")
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
        _, ax = subplots(figsize=(7.4, 4.2))
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
