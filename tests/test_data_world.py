"""The bundled data as a whole: reproducible, valid, calibrated, small."""

from __future__ import annotations

import json

import pytest

from migrationlab import data
from migrationlab.synthetic import DEFAULT_SEED

DATA = data.DATA_DIR


def _committed_files():
    return sorted(
        p.relative_to(DATA) for p in DATA.rglob("*") if p.is_file() and p.name != "README.md"
    )


@pytest.mark.slow
def test_make_data_rewrites_the_committed_files_byte_for_byte(tmp_path):
    from migrationlab.synthetic.generate import generate

    generate(tmp_path, seed=DEFAULT_SEED, progress=False)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert written == _committed_files(), "make data writes other files than those committed"
    differ = [str(p) for p in written if (tmp_path / p).read_bytes() != (DATA / p).read_bytes()]
    assert not differ, f"make data changes these committed files: {differ}"


def test_every_file_is_described_with_its_hash():
    package = data.read_datapackage()
    described = {r["path"] for r in package["resources"]}
    files = {str(p) for p in _committed_files() if p.parts[0] != "datasheets"}
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


@pytest.mark.slow
def test_frictionless_validates_the_package():
    import frictionless

    report = frictionless.validate(DATA / "datapackage.json")
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[
        :20
    ]
