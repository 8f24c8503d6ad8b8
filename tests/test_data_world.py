"""The bundled data as a whole: reproducible, valid, calibrated, small."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from migrationlab import data
from migrationlab_world import DEFAULT_SEED

DATA = data.DATA_DIR


def _committed_files():
    """What ``make data`` writes: every file of data/ but the READMEs and the hand-kept inputs."""
    return sorted(
        p.relative_to(DATA)
        for p in DATA.rglob("*")
        if p.is_file() and p.name != "README.md" and p.relative_to(DATA).parts[0] != "sources"
    )


@pytest.mark.slow
def test_make_data_rewrites_the_committed_files_byte_for_byte(tmp_path):
    from migrationlab_world.generate import generate

    generate(tmp_path, seed=DEFAULT_SEED, progress=False)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert written == _committed_files(), "make data writes other files than those committed"
    differ = [str(p) for p in written if (tmp_path / p).read_bytes() != (DATA / p).read_bytes()]
    assert not differ, f"make data changes these committed files: {differ}"


def test_every_file_is_described_with_its_hash():
    package = data.read_datapackage()
    described = {r["path"] for r in package["resources"]}
    # Not datasets: the real data's licences and the publishers' original files (their
    # hashes are checked by migrationlab_world.real.check_real_files, tests/test_real_data.py).
    files = {
        str(p)
        for p in _committed_files()
        if p.parts[0] != "datasheets"
        and not (p.parts[0] == "real" and (p.name == "LICENSES.md" or p.parts[1] == "originals"))
    }
    assert files - {"datapackage.json"} == described
    for r in package["resources"]:
        assert r["hash"].startswith("sha256:") and len(r["hash"]) == 71
        assert isinstance(r["synthetic"], bool), f"{r['name']}: say whether it is synthetic"
        assert r.get("licenses"), f"{r['name']}: no licence"
        assert r.get("sources") or r["path"].startswith("ground_truth/"), f"{r['name']}: no source"


def test_real_and_synthetic_flags():
    flags = {r["name"]: r["synthetic"] for r in data.read_datapackage()["resources"]}
    assert flags["world"] is False and flags["countries"] is False
    assert flags["airports"] is False and flags["source_catalogue"] is False
    for name in ("migrant_stocks", "social_media_audience", "air_passengers", "cities"):
        assert flags[name] is True
    from migrationlab_world.real import REAL_FILES

    for real in REAL_FILES:
        assert flags[real.name] is False, f"{real.name} is real data"


def test_data_folder_is_under_50_mb():
    total = sum((DATA / p).stat().st_size for p in _committed_files())
    assert total < 50e6, f"data/ holds {total / 1e6:.1f} MB"


def test_every_calibration_target_is_within_tolerance():
    cal = data.load_calibration()
    assert len(cal) >= 40
    failing = cal[~cal["within_tolerance"]]
    assert failing.empty, "calibration targets missed:\n" + failing.to_string()
    # The flag must agree with the numbers it summarises.
    gated = cal.dropna(subset=["published_value", "tolerance"])
    gated = gated[~gated["target"].str.contains("not gated")]
    gap = (gated["achieved_value"] - gated["published_value"]).abs()
    assert (gap <= gated["tolerance"] + 1e-9).all()


def test_calibration_covers_the_specification():
    targets = " | ".join(data.load_calibration()["target"])
    for needle in (
        "world migrant stock 1990",
        "world migrant stock 2020",
        "female share",
        "largest corridor",
        "Europe",
        "Asia",
        "foreign-born share LUX",
        "foreign-born share POL",
        "social media naive MAPE",
        "social media corrected MAPE",
        "distance elasticity by PPML",
        "publication lag",
        "air passengers",
        "Dissimilarity",
    ):
        assert needle in targets, f"no calibration row for {needle!r}"


def test_parameters_json_holds_every_planted_part():
    params = json.loads((DATA / "ground_truth" / "parameters.json").read_text())
    assert params["seed"] == DEFAULT_SEED
    for key in ("flows", "instruments"):
        assert key in params
    for instrument in (
        "migrant_stocks",
        "eu_immigration_flows",
        "social_media_audience",
        "professional_network",
        "air_passengers",
        "cities",
        "discourse_network",
    ):
        assert instrument in params["instruments"], instrument


#: Rows of each table that frictionless reads. The loaders of migrationlab.data check every
#: row of every file against the same schema and hash (test_data_loaders.py), and agree
#: with frictionless on bad input; frictionless, the reference, checks the descriptor and
#: the first rows of each table (all rows of all but the five largest), in seconds rather
#: than half a minute.
FRICTIONLESS_ROWS = 50_000


@pytest.mark.slow
def test_frictionless_validates_the_package():
    import frictionless

    report = frictionless.validate(DATA / "datapackage.json", limit_rows=FRICTIONLESS_ROWS)
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[
        :20
    ]


def test_no_destination_hosts_more_migrants_than_residents():
    """Shares below 100 % every year, and in 2020 near the real ones, small countries too.

    The gated calibration rows check the countries of over 1 million people (factor 1.3);
    here every country with a real UN DESA share must be within a factor 1.5.
    """
    stocks = data.load_true_stocks()
    ind = data.load_country_indicators()
    for year in (2000, 2010, 2020, 2023):
        pop = ind[ind["year"] == year].set_index("iso3")["population"].dropna()
        hosted = stocks[stocks["year"] == year].groupby("destination_iso3")["stock"].sum()
        share = 100 * (hosted / pop).dropna()
        assert (share < 100).all(), share[share >= 100]
    real = data.load_un_stocks_by_destination_2020()
    real = real[(real["year"] == 2020) & real["is_country"]].set_index("iso3")
    real_share = 100 * real["migrant_stock"] / (1000 * real["population_thousands"])
    truth = data.load_country_indicators()
    pop = truth[truth["year"] == 2020].set_index("iso3")["population"]
    hosted = stocks[stocks["year"] == 2020].groupby("destination_iso3")["stock"].sum()
    both = pd.DataFrame({"real": real_share, "synthetic": 100 * hosted / pop}).dropna()
    factor = np.maximum(both["synthetic"] / both["real"], both["real"] / both["synthetic"])
    off = both[(factor > 1.5) & ((both["synthetic"] - both["real"]).abs() > 1.5)]
    assert off.empty, off


def test_planted_surge_is_published_by_the_passenger_statistics_every_year():
    """Chapter 5 and the mobility project must be able to see every planted corridor."""
    events = data.load_events()
    surges = [e for e in events if e["kind"] == "corridor_surge"]
    published = data.load_parameters()["instruments"]["air_passengers"]
    assert len(published["corridor_surge"]) == len(surges) >= 2
    table = data.load_air_passengers()
    for event, planted in zip(surges, published["corridor_surge"], strict=True):
        assert planted["observed_by_air_passengers"] is True
        assert planted["years_below_reporting_threshold"] == []
        pair = table[
            (table["reporting_iso3"] == event["destination_iso3"])
            & (table["partner_iso3"] == event["origin_iso3"])
        ]
        assert sorted(pair["year"].unique()) == list(range(2010, 2024))
        net = pair.pivot_table(
            index="year", columns="direction", values="passengers", aggfunc="sum"
        )
        net = net["arrivals"] - net["departures"]
        # The surge shows in net arrivals: its full years clearly above the years before it.
        start = event["start_year"]
        assert net.loc[start + event["ramp_years"] - 1 :].mean() > 2.5 * net.loc[: start - 2].mean()
    # The first surge is the one chapter 5 follows; it comes first in the answer key.
    assert surges[0]["start_year"] == 2017


def test_visitor_event_moves_passengers_but_no_migrants():
    """The travel-only event: arrivals jump, then departures follow (net arrivals cancel)."""
    (event,) = [e for e in data.load_events() if e["kind"] == "visitor_event"]
    (planted,) = data.load_parameters()["instruments"]["air_passengers"]["visitor_event"]
    assert planted["visitors"] > 0.03 * planted["usual_passengers_that_year"]
    assert [y for y in planted["years_below_reporting_threshold"] if y < 2020] == []
    table = data.load_air_passengers()
    pair = table[
        (table["reporting_iso3"] == event["destination_iso3"])
        & (table["partner_iso3"] == event["origin_iso3"])
    ]
    monthly = pair.pivot_table(index=["year", "month"], columns="direction", values="passengers")
    start = (event["start_year"], event["start_month"])
    window = monthly.loc[start:].iloc[:5]
    net = window["arrivals"] - window["departures"]
    # The visitors' net arrivals cancel within a few months (up to ordinary noise)...
    assert abs(net.sum()) < 0.15 * planted["visitors"]
    # ... while the arrivals of the event's months stand out from the same months a year before.
    before = monthly.loc[(event["start_year"] - 1, event["start_month"]) :].iloc[:3]["arrivals"]
    assert window["arrivals"].iloc[:3].sum() > before.sum() + 0.5 * planted["visitors"]


def test_every_datasheet_comes_from_a_template():
    from importlib import resources

    from migrationlab_world._io import DATASHEET_SECTIONS, datasheet

    folder = resources.files("migrationlab_world") / "datasheets"
    templates = {p.name.removesuffix(".md") for p in folder.iterdir() if p.name.endswith(".md")}
    written = {p.stem for p in (DATA / "datasheets").glob("*.md")}
    assert written <= templates, f"datasheets without a template: {written - templates}"
    for name in sorted(templates):
        text = (folder / f"{name}.md").read_text(encoding="utf-8")
        headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
        assert set(headings) <= set(DATASHEET_SECTIONS.values()), name
    with pytest.raises(KeyError):
        datasheet("source_catalogue")  # its $compiled_year is computed: not given here
