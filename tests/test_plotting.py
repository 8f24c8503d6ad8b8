"""Unit tests of migrationlab.plotting."""

import matplotlib
import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgb

import migrationlab.plotting as mplot
from migrationlab.data import load_natural_earth_countries

matplotlib.use("Agg")


def _relative_luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_okabe_ito_palette_is_the_published_one():
    assert len(mplot.OKABE_ITO) == 8
    assert len(set(mplot.OKABE_ITO)) == 8
    assert "#E69F00" in mplot.OKABE_ITO and "#0072B2" in mplot.OKABE_ITO


def test_qualitative_returns_palette_prefix_and_rejects_too_many():
    assert mplot.qualitative(3) == list(mplot.OKABE_ITO[:3])
    with pytest.raises(ValueError, match="colour-blind-safe palette has 8 colours"):
        mplot.qualitative(9)
    with pytest.raises(ValueError):
        mplot.qualitative(0)


def test_course_style_sets_palette_and_colour_blind_safe_colormap():
    mplot.use_course_style()
    cycle = [c["color"] for c in matplotlib.rcParams["axes.prop_cycle"]]
    assert cycle == list(mplot.OKABE_ITO)
    assert matplotlib.rcParams["image.cmap"] == "cividis"
    # White figure background: figures stay legible when the site is in dark mode.
    assert _relative_luminance(matplotlib.rcParams["figure.facecolor"]) == pytest.approx(1.0)


def test_label_and_source_line():
    fig, ax = mplot.subplots()
    mplot.label(ax, title="T", xlabel="Year", ylabel="Persons (millions)")
    mplot.add_source(ax, "UN DESA", synthetic=True)
    assert ax.get_title(loc="left") == "T"
    assert ax.get_xlabel() == "Year" and ax.get_ylabel() == "Persons (millions)"
    assert fig.get_supxlabel() == "Source: UN DESA (synthetic sample data)"
    mplot.add_source(ax, "World Bank")  # a second call replaces the line
    assert fig.get_supxlabel() == "Source: World Bank"
    fig.supxlabel("Year")
    with pytest.raises(ValueError, match="already reads 'Year'"):
        mplot.add_source(ax, "x")
    plt.close(fig)


@pytest.fixture(scope="module")
def world():
    return load_natural_earth_countries()


def test_choropleth_draws_every_country_and_notes_crs(world):
    world = world.assign(value=world["pop_est"] / 1e6)
    world.loc[world.index[:3], "value"] = float("nan")  # missing values are drawn, not dropped
    ax = mplot.choropleth(world, "value", legend_label="Population (millions)")
    drawn = sum(len(c.get_paths()) for c in ax.collections)  # one path per country
    assert drawn == len(world)
    assert any("EPSG:4326" in t.get_text() for t in ax.texts)
    plt.close(ax.figure)


def test_choropleth_classed_map_has_a_legend(world):
    world = world.assign(gdp=1e6 * world["gdp_md_est"] / world["pop_est"])
    ax = mplot.choropleth(
        world.to_crs("EPSG:8857"),
        "gdp",
        legend_label="GDP per person (USD)",
        boundaries=[0, 1_000, 10_000, 200_000],
    )
    legend = ax.get_legend()
    assert legend is not None and legend.get_title().get_text() == "GDP per person (USD)"
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels == ["up to 1,000", "over 1,000 to 10,000", "over 10,000"]
    drawn = sum(len(c.get_paths()) for c in ax.collections)
    assert drawn == len(world), "every country is drawn in one class or as missing"
    assert any("EPSG:8857" in t.get_text() for t in ax.texts)
    plt.close(ax.figure)


def test_classed_map_matches_the_classes_of_mapclassify(world):
    # The reference classification: mapclassify's UserDefined bins (upper bounds). The map
    # draws each class as one collection in the class's colour, one path per country.
    import mapclassify
    import numpy as np

    edges = [0, 1_000, 10_000, 200_000]
    gdf = world.assign(gdp=1e6 * world["gdp_md_est"] / world["pop_est"])
    gdf.loc[gdf.index[:4], "gdp"] = edges  # values on the edges, too
    ax = mplot.choropleth(gdf, "gdp", legend_label="GDP per person (USD)", boundaries=edges)
    drawn = [len(c.get_paths()) for c in ax.collections]
    plt.close(ax.figure)
    ref = mapclassify.UserDefined(gdf["gdp"].to_numpy(), bins=edges[1:]).yb
    assert drawn == np.bincount(ref, minlength=len(edges) - 1).tolist()
    # one colour a class
    colours = [tuple(c.get_facecolor()[0]) for c in ax.collections]
    assert len(set(colours)) == len(edges) - 1


def test_classed_map_rejects_bad_boundaries(world):
    with pytest.raises(ValueError, match="increasing"):
        mplot.choropleth(world, "pop_est", legend_label="x", boundaries=[0, 10, 5])


def test_source_line_sits_under_every_panel_and_inside_the_figure(recwarn):
    mplot.use_course_style()
    fig, (left, right) = mplot.subplots(1, 2)
    left.set_xlabel("Year")
    right.set_axis_off()
    long_source = "; ".join(["UN DESA International Migrant Stock 2020 (CC BY 3.0 IGO)"] * 3)
    mplot.add_source(left, long_source, synthetic=True)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    (label,) = [t for t in fig.texts if t.get_text() == fig.get_supxlabel()]
    line = label.get_window_extent(renderer)
    assert "\n" in fig.get_supxlabel(), "a long source line is wrapped"
    assert line.x1 <= fig.bbox.x1 and line.y0 >= fig.bbox.y0, "the line stays in the figure"
    for ax in (left, right):
        assert line.y1 <= ax.get_tightbbox(renderer).y0 + 1, "the line is under the panel"
    # the panels keep their width: a constrained layout is not squeezed by the line
    assert left.get_position().width > 0.3
    assert not [w for w in recwarn if "constrained_layout" in str(w.message)]
    plt.close(fig)


def test_choropleth_errors_say_what_to_do(world):
    with pytest.raises(ValueError, match="set_crs"):
        mplot.choropleth(world.set_crs(None, allow_override=True), "pop_est", legend_label="x")
    with pytest.raises(KeyError, match="no column 'nope'"):
        mplot.choropleth(world, "nope", legend_label="x")


def _save(fig):
    import io

    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")  # as a notebook shows it
    plt.close(fig)


def test_the_style_checks_text_size_on_every_pyplot_figure():
    mplot.use_course_style()
    assert "migrationlab.plotting:watch_text_size" in matplotlib.rcParams["figure.hooks"]
    width = matplotlib.rcParams["figure.figsize"][0]
    assert width + 0.2 <= mplot.COLUMN_WIDTH_IN, "the default figure is shrunk in the column"


def test_a_wide_figure_with_a_source_line_warns():
    mplot.use_course_style()
    fig, ax = plt.subplots(figsize=(10, 4))  # shown at 7.7/10.2 of its size: 8 pt reads 6
    mplot.add_source(ax, "UN DESA", synthetic=True)
    with pytest.warns(mplot.SmallTextWarning, match=r"'Source: UN DESA.*8 pt reads as 6\.\d pt"):
        _save(fig)


def test_small_print_warns_even_in_a_narrow_figure():
    mplot.use_course_style()
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.annotate("footnote", (0.5, 0.5), fontsize=7)
    with pytest.warns(mplot.SmallTextWarning, match="'footnote' 7 pt"):
        _save(fig)


def test_a_figure_in_the_course_style_does_not_warn(recwarn):
    mplot.use_course_style()
    fig, ax = mplot.subplots()
    ax.plot([2000, 2020], [1.0, 2.0], label="stock")
    ax.legend()
    mplot.label(ax, title="A title of some length", xlabel="Year", ylabel="Persons (millions)")
    mplot.add_source(ax, "UN DESA International Migrant Stock 2020", synthetic=True)
    _save(fig)
    assert not [w for w in recwarn if issubclass(w.category, mplot.SmallTextWarning)]


def test_small_texts_reads_sizes_at_the_column_width():
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.set_title("nine", fontsize=9)
    fig.canvas.draw()
    assert mplot.small_texts(fig) == []
    # the same figure in a column half as wide: 9 pt reads as about 4.5
    small = dict((t, read) for t, _, read in mplot.small_texts(fig, column_width_in=3.6))
    assert 4 < small["nine"] < 5
    plt.close(fig)


def test_hidden_text_is_not_measured():
    fig, (a_map, hidden) = plt.subplots(1, 2, figsize=(6, 3))
    a_map.set_xlabel("Geodetic longitude [degree]", fontsize=5)  # not drawn: the axes are off
    a_map.tick_params(labelsize=5)
    a_map.set_axis_off()
    hidden.set_title("invisible", fontsize=5).set_visible(False)
    hidden.tick_params(labelsize=9)
    fig.canvas.draw()
    assert mplot.small_texts(fig) == []
    a_map.set_axis_on()
    assert "Geodetic longitude [degree]" in [t for t, _, _ in mplot.small_texts(fig)]
    plt.close(fig)


def test_a_long_panel_title_wraps_instead_of_widening_the_figure(recwarn):
    mplot.use_course_style()
    fig, (left, right) = mplot.subplots(1, 2)
    mplot.label(left, title="Top 10 airports by degree")
    mplot.label(right, title="Top 10 airports by betweenness, the longer title of the two")
    mplot.add_source(left, "OpenFlights")  # 8 pt: under 8 as soon as the figure is widened
    fig.canvas.draw()
    assert mplot.small_texts(fig) == [], "the figure stays within the column"
    _save(fig)
    assert not [w for w in recwarn if issubclass(w.category, mplot.SmallTextWarning)]


def test_seaborn_figures_take_the_course_palette_and_font_sizes(recwarn):
    import numpy as np
    import pandas as pd
    import seaborn as sns
    from matplotlib.colors import to_hex

    mplot.use_course_style()
    assert [to_hex(c) for c in sns.color_palette()] == [c.lower() for c in mplot.OKABE_ITO]
    rng = np.random.default_rng(0)
    table = pd.DataFrame(
        {
            "x": np.arange(30.0),
            "y": np.arange(30.0) + rng.normal(size=30),
            "group": list("abc") * 10,
        }
    )
    fig, ax = mplot.subplots()
    sns.scatterplot(table, x="x", y="y", hue="group", ax=ax)
    sns.regplot(table, x="x", y="y", ax=ax, scatter=False)
    mplot.label(ax, title="T", xlabel="x (km)", ylabel="y (persons)")
    fig.canvas.draw()
    hues = [to_hex(c) for c in ax.collections[0].get_facecolors()[:3]]
    assert hues == [c.lower() for c in mplot.OKABE_ITO[:3]], "hue groups in palette order"
    assert to_hex(ax.lines[0].get_color()) == mplot.OKABE_ITO[0].lower()
    rc = matplotlib.rcParams
    assert ax.title.get_fontsize() == rc["axes.titlesize"] == 13
    assert ax.xaxis.label.get_fontsize() == rc["axes.labelsize"] == 11
    assert (
        ax.get_xticklabels()[0].get_fontsize()
        == matplotlib.font_manager.FontProperties(size=rc["xtick.labelsize"]).get_size_in_points()
    )
    assert ax.get_legend().get_texts()[0].get_fontsize() == pytest.approx(11)
    _save(fig)
    # A figure-level function lays its figure out tightly without a warning on stderr.
    grid = sns.lmplot(table, x="x", y="y", col="group", height=2.4)
    mplot.add_source(grid.axes.flat[0], "test", synthetic=True)
    _save(grid.figure)
    assert not [w for w in recwarn if "layout has changed" in str(w.message)]
    assert not [w for w in recwarn if issubclass(w.category, mplot.SmallTextWarning)]
