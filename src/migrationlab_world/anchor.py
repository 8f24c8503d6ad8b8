"""The true migrant stocks of the simulated world, anchored on the real UN DESA matrix.

The world's bilateral structure is the real one where it is observed: the true stock of a
pair follows UN DESA's *International Migrant Stock 2019* origin-destination matrix
(``data/real/``), with a persistent and a yearly multiplicative noise, so that no synthetic
number is a copy of a published one. Each destination's total follows its real
foreign-born share (UN DESA 2020, by destination) times the world's population, so that
the migrants whose origin the UN could not name are spread over the known origins.

Years between the UN's five-yearly estimates are interpolated (log-linear where both
neighbours are positive). After 2020 each destination keeps its 2015-2020 growth, except
the EU member states, which reach Eurostat's foreign-born shares of 1 January 2024 and the
EU-wide totals born outside the EU and born in another member state
(``EU_BORN_OUTSIDE_2024_M``, ``EU_BORN_IN_OTHER_MEMBER_2024_M``).

Two countries of the world have no UN DESA row of their own, Taiwan and Kosovo (UN DESA
counts them with China and Serbia): their pairs are spread by the gravity terms of the
flow equation over plausible totals set here (``NO_UN_FIGURE``), and flagged as such.

Only the stocks are anchored. The flows are drawn from the planted gravity law given last
year's stock (see :mod:`migrationlab_world.world`), so that the planted parameters stay
recoverable; they are not an accounting identity with the stocks, as real flows are not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from migrationlab_world import real

#: Years of the real origin-destination matrix (UN DESA, International Migrant Stock 2019).
MATRIX_YEARS = (1990, 1995, 2000, 2005, 2010, 2015, 2019)
#: Eurostat, EU population diversity by citizenship and country of birth (2025): residents
#: of the EU-27 on 1 January 2024 born outside the EU and born in another member state.
EU_BORN_OUTSIDE_2024_M = 44.7
EU_BORN_IN_OTHER_MEMBER_2024_M = 17.9
#: Countries without a UN DESA row: (the country UN DESA counts them with, share of the
#: population living abroad, foreign-born share of the population). The shares are
#: plausible values set by the generator, not published figures; emigrants go where those
#: of the country they are counted with go, immigrants come as the gravity terms say.
NO_UN_FIGURE = {"TWN": ("CHN", 0.02, 0.03), "XKX": ("SRB", 0.25, 0.02)}
#: Multiplicative noise on log stocks: a persistent one per pair, whose standard deviation
#: falls from 0.25 for pairs of under 1,000 migrants to 0.05 for pairs of a million or more
#: (large corridors are the best measured), and a yearly one.
PAIR_NOISE_SD = (0.25, 0.05)
YEAR_NOISE_SD = 0.03
#: Bounds on a destination's yearly growth after 2020 (log points).
GROWTH_BOUNDS = (-0.04, 0.04)


@dataclass
class AnchoredStocks:
    """The anchored truth: stocks by year and pair, and what the generator assumed."""

    stocks: np.ndarray  # years x pairs, persons at the end of each year
    female_share: np.ndarray  # per country (as destination), UN DESA 2020
    real_pairs: np.ndarray  # bool per pair: the UN matrix holds the pair
    no_un_figure: list[str]  # countries filled by the gravity terms


def real_matrix(iso: np.ndarray, o: np.ndarray, d: np.ndarray) -> np.ndarray:
    """The UN DESA 2019 matrix on the world's pairs: ``len(MATRIX_YEARS) x pairs``.

    Cells that UN DESA publishes as not available take the nearest year's value of the
    same pair; absent pairs are zero (UN DESA publishes no zero cells).
    """
    od = real.load("un_stocks_origin_destination_2019")
    index = {code: i for i, code in enumerate(iso)}
    pair_of = np.full((len(iso), len(iso)), -1)
    pair_of[o, d] = np.arange(len(o))
    od = od[od["origin_iso3"].isin(index) & od["destination_iso3"].isin(index)]
    od = od[od["origin_iso3"] != od["destination_iso3"]]
    wide = od.pivot_table(
        index=["origin_iso3", "destination_iso3"],
        columns="year",
        values="migrant_stock",
        aggfunc="sum",
        dropna=False,
    ).reindex(columns=list(MATRIX_YEARS))
    missing = od[od["migrant_stock"].isna()].set_index(["origin_iso3", "destination_iso3", "year"])
    for orig, dest, year in missing.index:
        wide.loc[(orig, dest), year] = np.nan
    wide = wide.ffill(axis=1).bfill(axis=1).fillna(0.0)
    pairs = pair_of[
        wide.index.get_level_values(0).map(index).to_numpy(),
        wide.index.get_level_values(1).map(index).to_numpy(),
    ]
    matrix = np.zeros((len(MATRIX_YEARS), len(o)))
    matrix[:, pairs] = wide.to_numpy().T
    return matrix


def real_destination_shares(iso: np.ndarray, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Foreign-born share of each country's population by year (NaN without a UN figure),
    interpolated log-linearly between UN DESA's years, and the female share of 2020."""
    bd = real.load("un_stocks_by_destination_2020")
    bd = bd[bd["is_country"] & bd["iso3"].isin(set(iso))]
    share = bd.assign(share=bd["migrant_stock"] / (1000.0 * bd["population_thousands"]))
    wide = share.pivot(index="iso3", columns="year", values="share").reindex(iso)
    known = wide.columns.to_numpy()
    values = wide.to_numpy(float)
    out = np.full((len(iso), len(years)), np.nan)
    for i in range(len(iso)):
        ok = np.isfinite(values[i]) & (values[i] > 0)
        if ok.any():  # before the first published year (South Sudan: 2010), that year's share
            out[i] = np.exp(np.interp(years, known[ok], np.log(values[i][ok])))
    f20 = bd[bd["year"] == 2020].set_index("iso3")
    female = (f20["migrant_stock_female"] / f20["migrant_stock"]).reindex(iso)
    return out, female.fillna(0.5).to_numpy()


def _interpolate(knots: np.ndarray, values: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Yearly values between knot years: log-linear where both ends are positive."""
    out = np.empty((len(years), values.shape[1]))
    for t, year in enumerate(years):
        k = min(max(np.searchsorted(knots, year, side="right") - 1, 0), len(knots) - 2)
        w = (year - knots[k]) / (knots[k + 1] - knots[k])
        a, b = values[k], values[k + 1]
        both = (a > 0) & (b > 0)
        loglin = np.exp(
            (1 - w) * np.log(np.where(both, a, 1.0)) + w * np.log(np.where(both, b, 1.0))
        )
        out[t] = np.where(both, loglin, (1 - w) * a + w * b)
    return out


def anchored_stocks(
    iso: np.ndarray,
    o: np.ndarray,
    d: np.ndarray,
    years: np.ndarray,
    population: np.ndarray,
    gravity_weight: np.ndarray,
    eu_share_targets: dict[str, float],
    eu27: list[str],
    rng: np.random.Generator,
) -> AnchoredStocks:
    """True stocks (years x pairs) anchored on the real matrix; see the module docstring.

    ``population`` is countries x years (the world's own), ``gravity_weight`` a positive
    weight per pair (the gravity terms) for the pairs without a UN figure,
    ``eu_share_targets`` the foreign-born shares (fractions) of the EU member states at
    the end of the last year.
    """
    n = len(iso)
    matrix = real_matrix(iso, o, d)
    shares, female = real_destination_shares(iso, years)
    totals = shares * population  # destination totals, NaN without a UN figure
    # Rows scaled to each destination's total (the unknown origins spread over the known).
    knots = np.array([*MATRIX_YEARS, 2020])
    rows = np.vstack([matrix, matrix[-1]])
    for k, year in enumerate(knots):
        t = int(np.searchsorted(years, year))
        row_sum = np.bincount(d, weights=rows[k], minlength=n)
        scale = np.where(row_sum > 0, totals[:, t] / np.where(row_sum > 0, row_sum, 1.0), 0.0)
        rows[k] = rows[k] * np.nan_to_num(scale)[d]
    i2020 = int(np.searchsorted(years, 2020))
    stocks = np.zeros((len(years), len(o)))
    stocks[: i2020 + 1] = _interpolate(knots, rows, years[: i2020 + 1])
    # After 2020: each destination keeps its 2015-2020 growth.
    i2015 = int(np.searchsorted(years, 2015))
    growth = np.log(totals[:, i2020] / totals[:, i2015]) / 5.0
    growth = np.clip(np.nan_to_num(growth), *GROWTH_BOUNDS)
    for t in range(i2020 + 1, len(years)):
        stocks[t] = stocks[i2020] * np.exp(growth[d] * (years[t] - 2020))

    no_figure = _fill_without_un_figure(stocks, iso, o, d, population, gravity_weight, matrix)
    size = np.log10(1.0 + stocks.max(axis=0))
    high, low = PAIR_NOISE_SD
    pair_sd = np.clip(low + (high - low) * (6.0 - size) / 3.0, low, high)
    noise = rng.normal(0.0, 1.0, len(o))[None, :] * pair_sd[None, :] + rng.normal(
        0.0, YEAR_NOISE_SD, stocks.shape
    )
    before = np.stack([np.bincount(d, weights=s, minlength=n) for s in stocks])
    stocks = stocks * np.exp(noise)
    after = np.stack([np.bincount(d, weights=s, minlength=n) for s in stocks])
    stocks *= np.divide(before, after, out=np.ones_like(before), where=after > 0)[:, d]

    _calibrate_eu(stocks, iso, o, d, years, population, eu_share_targets, eu27)
    real_pairs = (matrix > 0).any(axis=0)
    return AnchoredStocks(np.round(stocks), female, real_pairs, no_figure)


def _fill_without_un_figure(stocks, iso, o, d, population, weight, matrix):
    """Pairs of countries with no UN DESA row, over the plausible totals of NO_UN_FIGURE."""
    filled = []
    index = {code: i for i, code in enumerate(iso)}
    for code, (like, abroad, foreign_born) in NO_UN_FIGURE.items():
        if code not in index:
            continue
        c = index[code]
        # emigrants: the destinations of the country UN DESA counts them with
        pairs = np.where(o == c)[0]
        like_pairs = np.where(o == index[like])[0]
        like_of = {int(dd): p for p, dd in zip(like_pairs, d[like_pairs], strict=True)}
        w = np.array(
            [matrix[-1, like_of[int(dd)]] if int(dd) in like_of else 0.0 for dd in d[pairs]]
        )
        w = w if w.sum() > 0 else weight[pairs]
        path = abroad * population[c]
        stocks[:, pairs] = path[:, None] * (w / w.sum())[None, :]
        # immigrants: the gravity terms
        pairs = np.where(d == c)[0]
        w = weight[pairs]
        path = foreign_born * population[c]
        stocks[:, pairs] = path[:, None] * (w / w.sum())[None, :]
        filled.append(code)
    return filled


def _calibrate_eu(stocks, iso, o, d, years, population, share_targets, eu27) -> None:
    """The EU member states at the end of the last year: Eurostat's shares and totals.

    Each member state's foreign-born total is its target share of its population; within
    the EU, one common factor on the odds of being born outside the EU (against in another
    member state) makes the EU-wide split Eurostat's. Then the EU-wide totals are matched
    by a common scale, and the years after 2020 are ramped geometrically to the result.
    """
    n, last = len(iso), len(years) - 1
    eu = np.isin(iso, eu27)
    eu_d, eu_o = eu[d], eu[o]
    i2020 = int(np.searchsorted(years, 2020))
    target_total = np.array([share_targets.get(code, np.nan) for code in iso]) * population[:, last]
    s = stocks[last]
    outside = np.bincount(d, weights=s * (eu_d & ~eu_o), minlength=n)
    inside = np.bincount(d, weights=s * (eu_d & eu_o), minlength=n)
    goal_out = EU_BORN_OUTSIDE_2024_M * 1e6
    goal_in = EU_BORN_IN_OTHER_MEMBER_2024_M * 1e6
    r = outside / np.where(outside + inside > 0, outside + inside, 1.0)
    lo, hi = -5.0, 5.0
    for _ in range(60):
        phi = np.exp((lo + hi) / 2)
        q = phi * r / (phi * r + 1 - r)
        total_out = np.nansum((target_total * q)[eu])
        total_in = np.nansum((target_total * (1 - q))[eu])
        if total_out / (total_out + total_in) < goal_out / (goal_out + goal_in):
            lo = np.log(phi)
        else:
            hi = np.log(phi)
    scale_all = (goal_out + goal_in) / (total_out + total_in)
    new_out = target_total * q * scale_all
    new_in = target_total * (1 - q) * scale_all
    factor = np.ones(len(o))
    k_out = np.divide(new_out, outside, out=np.ones(n), where=outside > 0)
    k_in = np.divide(new_in, inside, out=np.ones(n), where=inside > 0)
    factor[eu_d & ~eu_o] = k_out[d][eu_d & ~eu_o]
    factor[eu_d & eu_o] = k_in[d][eu_d & eu_o]
    span = years[last] - years[i2020]
    for t in range(i2020 + 1, last + 1):
        stocks[t] *= factor ** ((years[t] - years[i2020]) / span)
