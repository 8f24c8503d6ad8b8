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
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["Source: UN DESA (synthetic sample data)"]
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


def test_source_line_clears_the_axis_label():
    fig, (with_label, without, a_map) = plt.subplots(1, 3)
    with_label.set_xlabel("Year")
    a_map.set_axis_off()
    offsets = {}
    for name, ax in {"label": with_label, "ticks": without, "map": a_map}.items():
        mplot.add_source(ax, "x")
        offsets[name] = ax.texts[-1].xyann[1]
    assert offsets["label"] < offsets["ticks"] < offsets["map"] < 0
    plt.close(fig)


def test_choropleth_errors_say_what_to_do(world):
    with pytest.raises(ValueError, match="set_crs"):
        mplot.choropleth(world.set_crs(None, allow_override=True), "pop_est", legend_label="x")
    with pytest.raises(KeyError, match="no column 'nope'"):
        mplot.choropleth(world, "nope", legend_label="x")
