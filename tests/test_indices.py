"""Tests of migrationlab.indices: equal to PySAL segregation 2.5.4, and invariants."""

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from libpysal.weights import Kernel
from scipy.stats import hypergeom
from segregation import multigroup, singlegroup
from segregation.inference import simulate_person_permutation
from segregation.local import MultiLocationQuotient

from migrationlab import indices as ix

GROUPS = ["a", "b", "c"]


def _synthetic_grid(seed: int, h: int = 11, w: int = 14, listed: float = 0.8) -> pd.DataFrame:
    """A city of 100 m cells, some unlisted, a few empty, three clustered groups."""
    rng = np.random.default_rng(seed)
    rr, cc = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    keep = rng.random(h * w) < listed
    n = int(keep.sum())
    t = rng.poisson(40, n)
    t[rng.random(n) < 0.05] = 0
    wave = np.sin(rr.ravel()[keep] / 3.0) + np.cos(cc.ravel()[keep] / 4.0)
    pa = 1 / (1 + np.exp(-(wave * 1.5 - 2)))
    a = rng.binomial(t, pa)
    b = rng.binomial(t - a, 0.08)
    return pd.DataFrame(
        {
            "x": 4_300_050.0 + 100 * cc.ravel()[keep],
            "y": 3_100_050.0 + 100 * rr.ravel()[keep],
            "a": a,
            "b": b,
            "c": t - a - b,
            "t": t,
        }
    )


@pytest.fixture(scope="module")
def two_cities() -> pd.DataFrame:
    one = _synthetic_grid(1).assign(city="one")
    two = _synthetic_grid(2, h=9, w=9, listed=0.9).assign(city="two")
    return pd.concat([one, two], ignore_index=True)


def _pysal(cls, df, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PySAL warns about empty units; we test values
        return cls(df, *args, **kwargs).statistic


@pytest.mark.parametrize("name", list(ix.SINGLE_GROUP_INDICES))
def test_single_group_indices_equal_pysal(two_cities, name):
    ours = ix.single_group_indices(two_cities, ["a", "b"], "t", by="city")
    cls = getattr(singlegroup, ix.SINGLE_GROUP_INDICES[name])
    for (city, group), value in ours.set_index(["city", "group"])[name].items():
        part = two_cities[two_cities.city == city].reset_index(drop=True)
        assert value == pytest.approx(_pysal(cls, part, group, "t"), abs=1e-9), (city, group)


def test_one_index_functions_equal_the_table(two_cities):
    table = ix.single_group_indices(two_cities, GROUPS, "t", by="city")
    for name in ix.SINGLE_GROUP_INDICES:
        wide = getattr(ix, name)(two_cities, GROUPS, "t", by="city")
        assert list(wide.columns) == GROUPS and list(wide.index) == ["one", "two"]
        long = table.pivot(index="city", columns="group", values=name)[GROUPS]
        np.testing.assert_allclose(wide.to_numpy(), long.to_numpy(), rtol=0, atol=1e-15)


def test_several_by_columns_give_one_row_per_city_and_year(two_cities):
    both = pd.concat([two_cities.assign(year=2011), two_cities.assign(year=2021)])
    out = ix.dissimilarity(both, "a", "t", by=["city", "year"])
    assert out.index.names == ["city", "year"] and len(out) == 4
    assert out.loc[("one", 2011), "a"] == out.loc[("one", 2021), "a"]


def test_diversity_equals_pysal_multigroup(two_cities):
    ours = ix.diversity(two_cities, GROUPS, by="city")
    pairs = {
        "shannon": multigroup.MultiDiversity,
        "simpson_interaction": multigroup.SimpsonsInteraction,
        "simpson_concentration": multigroup.SimpsonsConcentration,
        "theil_h": multigroup.MultiInfoTheory,
    }
    for city in ["one", "two"]:
        part = two_cities[two_cities.city == city].reset_index(drop=True)
        for col, cls in pairs.items():
            assert ours.loc[city, col] == pytest.approx(_pysal(cls, part, GROUPS), abs=1e-9)
        normalised = _pysal(multigroup.MultiDiversity, part, GROUPS, normalized=True)
        assert ours.loc[city, "shannon_normalised"] == pytest.approx(normalised, abs=1e-9)


def test_location_quotient_equals_pysal(two_cities):
    ours = ix.location_quotient(two_cities, GROUPS, by="city")
    assert list(ours.columns) == [f"lq_{g}" for g in GROUPS]
    for city in ["one", "two"]:
        rows = two_cities.city == city
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = MultiLocationQuotient(two_cities[rows].reset_index(drop=True), GROUPS)
        np.testing.assert_allclose(ours[rows].to_numpy(), ref.statistics, atol=1e-9)


@pytest.mark.parametrize("kernel", ["triangular", "gaussian", "quartic", "uniform"])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("diagonal", [False, True])
def test_spatial_dissimilarity_equals_pysal_kernel(two_cities, kernel, standardize, diagonal):
    ours = ix.spatial_dissimilarity(
        two_cities,
        ["a", "b"],
        "t",
        x="x",
        y="y",
        cell_size=100,
        bandwidth=500,
        kernel=kernel,
        by="city",
        standardize=standardize,
        diagonal=diagonal,
    )
    for city in ["one", "two"]:
        part = two_cities[two_cities.city == city].reset_index(drop=True)
        gdf = gpd.GeoDataFrame(part, geometry=shapely.points(part.x, part.y), crs="EPSG:3035")
        w = Kernel.from_dataframe(gdf, bandwidth=500, function=kernel, diagonal=diagonal)
        for group in ["a", "b"]:
            ref = _pysal(singlegroup.SpatialDissim, gdf, group, "t", w=w, standardize=standardize)
            assert ours.loc[city, group] == pytest.approx(ref, abs=1e-6)


def test_spatial_dissimilarity_accepts_cell_polygons_via_centroids(two_cities):
    """Grid polygons as loaded from cities.gpkg: their centroids are the cell centres."""
    part = two_cities[two_cities.city == "one"].reset_index(drop=True)
    cells = gpd.GeoDataFrame(
        part,
        geometry=shapely.box(part.x - 50, part.y - 50, part.x + 50, part.y + 50),
        crs="EPSG:3035",
    )
    cells["cx"], cells["cy"] = cells.geometry.centroid.x, cells.geometry.centroid.y
    ours = ix.spatial_dissimilarity(
        cells, "a", "t", x="cx", y="cy", cell_size=100, bandwidth=300
    ).iloc[0, 0]
    w = Kernel.from_dataframe(cells, bandwidth=300)
    assert ours == pytest.approx(_pysal(singlegroup.SpatialDissim, cells, "a", "t", w=w), abs=1e-6)


def test_spatial_dissimilarity_is_below_dissimilarity_for_clustered_group(two_cities):
    sd = ix.spatial_dissimilarity(
        two_cities, "a", "t", x="x", y="y", cell_size=100, bandwidth=500, by="city"
    )
    d = ix.dissimilarity(two_cities, "a", "t", by="city")
    assert (sd["a"] < d["a"]).all() and (sd["a"] > 0).all()


# ----------------------------------------------------------------------- invariants

counts = st.lists(
    st.tuples(st.integers(0, 200), st.integers(0, 200)), min_size=2, max_size=40
).filter(lambda rows: 0 < sum(r[0] for r in rows) and 0 < sum(r[1] for r in rows))


def _frame(rows):
    g = np.array([r[0] for r in rows])
    o = np.array([r[1] for r in rows])
    return pd.DataFrame({"g": g, "t": g + o})


@settings(max_examples=60, deadline=None)
@given(rows=counts, factor=st.integers(2, 50))
def test_indices_lie_in_unit_interval_and_ignore_the_scale_of_counts(rows, factor):
    df = _frame(rows)
    base = ix.single_group_indices(df, "g", "t")
    scaled = ix.single_group_indices(df * factor, "g", "t")
    for name in ix.SINGLE_GROUP_INDICES:
        v = base[name].item()
        assert -1e-12 <= v <= 1 + 1e-12, (name, v)
        assert scaled[name].item() == pytest.approx(v, abs=1e-9), name


@settings(max_examples=60, deadline=None)
@given(rows=counts, seed=st.integers(0, 10_000))
def test_indices_do_not_depend_on_the_order_of_units(rows, seed):
    df = _frame(rows)
    shuffled = df.sample(frac=1, random_state=seed)
    a = ix.single_group_indices(df, "g", "t")
    b = ix.single_group_indices(shuffled, "g", "t")
    for name in ix.SINGLE_GROUP_INDICES:
        assert b[name].item() == pytest.approx(a[name].item(), abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(rows=counts)
def test_isolation_plus_exposure_is_one_and_dissimilarity_is_symmetric(rows):
    df = _frame(rows).assign(o=lambda d: d.t - d.g)
    out = ix.single_group_indices(df, ["g", "o"], "t").set_index("group")
    assert out.loc["g", "isolation"] + out.loc["g", "exposure"] == pytest.approx(1)
    assert out.loc["g", "dissimilarity"] == pytest.approx(out.loc["o", "dissimilarity"])


@settings(max_examples=40, deadline=None)
@given(share=st.floats(0.01, 0.99), sizes=st.lists(st.integers(1, 500), min_size=2, max_size=30))
def test_even_spread_gives_zero_and_full_separation_gives_one(share, sizes):
    t = np.array(sizes) * 100
    even = pd.DataFrame({"g": t * share, "t": t})
    assert ix.dissimilarity(even, "g", "t").iloc[0, 0] == pytest.approx(0, abs=1e-9)
    apart = pd.DataFrame({"g": np.where(np.arange(t.size) % 2 == 0, t, 0), "t": t})
    out = ix.single_group_indices(apart, "g", "t")
    for name in ["dissimilarity", "gini", "entropy", "correlation_ratio", "atkinson"]:
        assert out[name].item() == pytest.approx(1, abs=1e-9), name


def test_diversity_is_zero_for_one_group_and_ln_k_for_equal_groups():
    df = pd.DataFrame({"a": [5, 5], "b": [5, 5], "c": [5, 5], "d": [5, 5]})
    out = ix.diversity(df, ["a", "b", "c", "d"]).iloc[0]
    assert out.shannon == pytest.approx(np.log(4)) and out.shannon_normalised == pytest.approx(1)
    assert out.simpson_interaction == pytest.approx(0.75) and out.theil_h == pytest.approx(0)


# ------------------------------------------------------------ dissimilarity under chance


def _small_city() -> pd.DataFrame:
    """A city of small units where a small group is spread unevenly (about 5 per cent)."""
    rng = np.random.default_rng(7)
    t = rng.integers(0, 30, 60)
    g = rng.binomial(t, np.linspace(0.0, 0.12, 60))
    return pd.DataFrame({"g": g, "t": t})


def test_random_allocation_draws_as_pysal_person_permutation():
    df = _small_city()
    draws = 200
    ours = ix.random_allocation_dissimilarity(df, "g", "t", draws=draws, seed=3, keep_draws=True)
    np.random.seed(11)  # noqa: NPY002 (PySAL draws from NumPy's global generator)
    theirs = np.array(
        [
            _pysal(singlegroup.Dissim, simulate_person_permutation(df, group="g", total="t"),
                   "g", "t")
            for _ in range(draws)
        ]
    )  # fmt: skip
    a = ours["g"].to_numpy()
    se = np.sqrt(a.var(ddof=1) / draws + theirs.var(ddof=1) / draws)
    assert abs(a.mean() - theirs.mean()) < 4 * se
    assert 0.7 < a.std() / theirs.std() < 1.4
    assert ix.dissimilarity(df, "g", "t").iloc[0, 0] > a.mean()  # the group is uneven


def test_random_allocation_mean_equals_the_exact_expectation():
    # Under a person permutation, the group's count in a unit is hypergeometric, so
    # E[D] = 1/2 sum_i E|x_i / X - (t_i - x_i) / (T - X)| exactly.
    df = _small_city()
    t, X = df["t"].to_numpy(), int(df["g"].sum())
    T = int(t.sum())
    exact = 0.0
    for ti in t:
        k = np.arange(0, min(ti, X) + 1)
        exact += 0.5 * np.sum(hypergeom.pmf(k, T, X, ti) * np.abs(k / X - (ti - k) / (T - X)))
    draws = ix.random_allocation_dissimilarity(df, "g", "t", draws=2000, seed=5, keep_draws=True)
    se = draws["g"].std() / np.sqrt(len(draws))
    assert draws["g"].mean() == pytest.approx(exact, abs=4 * se)


def test_random_allocation_by_city_is_seeded_and_vectorised(two_cities):
    both = pd.concat([two_cities.assign(year=2011), two_cities.assign(year=2021)])
    kwargs = {"by": ["city", "year"], "draws": 5, "seed": 1}
    mean = ix.random_allocation_dissimilarity(both, GROUPS, "t", **kwargs)
    again = ix.random_allocation_dissimilarity(both, GROUPS, "t", **kwargs)
    each = ix.random_allocation_dissimilarity(both, GROUPS, "t", keep_draws=True, **kwargs)
    pd.testing.assert_frame_equal(mean, again)
    assert mean.index.names == ["city", "year"] and list(mean.columns) == GROUPS
    assert each.index.names == ["city", "year", "draw"] and len(each) == 4 * 5
    np.testing.assert_allclose(each.groupby(["city", "year"]).mean(), mean, rtol=1e-12)
    assert ((mean > 0) & (mean < ix.dissimilarity(both, GROUPS, "t", by=["city", "year"]))).all(
        axis=None
    )  # fmt: skip


def test_chance_adjusted_dissimilarity_is_zero_at_chance_and_one_at_separation():
    assert ix.chance_adjusted_dissimilarity(0.3, 0.3) == pytest.approx(0)
    assert ix.chance_adjusted_dissimilarity(1.0, 0.3) == pytest.approx(1)
    assert ix.chance_adjusted_dissimilarity(0.15, 0.3) == pytest.approx(-0.5)
    d = pd.Series([0.5, 0.2], index=["x", "y"])
    out = ix.chance_adjusted_dissimilarity(d, pd.Series([0.2, 0.4], index=["x", "y"]))
    assert list(out.index) == ["x", "y"] and out.tolist() == pytest.approx([0.375, -0.5])


# ----------------------------------------------------------------------- validation


def test_errors_name_the_input_and_the_fix(two_cities):
    with pytest.raises(
        KeyError, match=r"no column 'zzz'.*existing count columns as the group columns"
    ):
        ix.dissimilarity(two_cities, "zzz", "t")
    bad = two_cities.assign(a=two_cities.t + 1)
    with pytest.raises(ValueError, match="cannot exceed the total"):
        ix.dissimilarity(bad, "a", "t")
    neg = two_cities.assign(b=-1)
    with pytest.raises(ValueError, match="'b'.*finite and non-negative"):
        ix.isolation(neg, "b", "t")
    with pytest.raises(ValueError, match="unknown index"):
        ix.single_group_indices(two_cities, "a", "t", indices=["segregation"])
    with pytest.raises(TypeError, match="pandas DataFrame"):
        ix.dissimilarity(two_cities.to_numpy(), "a", "t")
    with pytest.raises(ValueError, match="regular grid of 100 m"):
        ix.spatial_dissimilarity(
            two_cities.assign(x=two_cities.x + np.arange(len(two_cities)) * 0.37),
            "a", "t", x="x", y="y", cell_size=100, bandwidth=500, by="city",
        )  # fmt: skip
    with pytest.raises(ValueError, match="lists some grid cell twice"):
        ix.spatial_dissimilarity(two_cities, "a", "t", x="x", y="y", cell_size=100, bandwidth=500)
    with pytest.raises(ValueError, match="unknown kernel"):
        ix.spatial_dissimilarity(two_cities, "a", "t", x="x", y="y", cell_size=100,
                                 bandwidth=500, kernel="epanechnikov")  # fmt: skip
    with pytest.raises(ValueError, match="whole numbers of persons"):
        ix.random_allocation_dissimilarity(two_cities.assign(a=two_cities.a * 0.5), "a", "t")
    with pytest.raises(ValueError, match="positive whole number"):
        ix.random_allocation_dissimilarity(two_cities, "a", "t", draws=0)


def test_absent_group_gives_nan_not_an_error():
    df = pd.DataFrame({"g": [0, 0], "t": [10, 20]})
    assert np.isnan(ix.dissimilarity(df, "g", "t").iloc[0, 0])
