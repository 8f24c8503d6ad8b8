"""The source catalogue (real metadata) and the synthetic discourse network.

Fast checks: each table matches its Table Schema, the catalogue's links are usable, the
discourse network is byte-for-byte reproducible, and its planted structure (echo chambers,
reshares mostly inside them) is recoverable with standard methods.
"""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import yaml

from migrationlab_world._io import write_resource
from migrationlab_world.catalogue import (
    COMPILED_YEAR,
    ENTRIES_FILE,
    SOURCES_DIR,
    CatalogueEntryError,
    generate_catalogue,
    read_entries,
)
from migrationlab_world.discourse import (
    COMMUNITIES,
    adjusted_rand_index,
    follow_graph,
    generate_discourse,
    within_community_share,
)
from migrationlab_world.schemas import CALIBRATION

#: The columns of ground_truth/calibration.csv, as its schema gives them.
CALIBRATION_COLUMNS = {f["name"] for f in CALIBRATION["fields"]}

SEED = 2026
DATASHEET_KEYS = {"mimics", "generation", "flaws", "real_source"}


def check_against_schema(df: pd.DataFrame, schema: dict, name: str) -> None:
    """Assert that a DataFrame satisfies a Frictionless Table Schema (fields, keys)."""
    fields = schema["fields"]
    assert [f["name"] for f in fields] == list(df.columns), f"{name}: columns differ"
    for field in fields:
        col, where = df[field["name"]], f"{name}.{field['name']}"
        present = col.dropna()
        kind = field["type"]
        if kind == "integer":
            assert pd.api.types.is_integer_dtype(col), f"{where}: not an integer column"
        elif kind == "string":
            assert present.map(lambda v: isinstance(v, str) and v != "").all(), where
        elif kind == "datetime":
            fmt = field.get("format", "%Y-%m-%dT%H:%M:%SZ")
            pd.to_datetime(present, format=fmt)  # raises on a malformed value
        else:
            raise AssertionError(f"{where}: type {kind} not covered by this test")
        constraints = field.get("constraints", {})
        if constraints.get("required"):
            assert col.notna().all(), f"{where}: required but missing"
        if constraints.get("unique"):
            assert present.is_unique, f"{where}: not unique"
        if "enum" in constraints:
            bad = set(present) - set(constraints["enum"])
            assert not bad, f"{where}: values outside the enum: {bad}"
        if "minimum" in constraints:
            assert (present >= constraints["minimum"]).all(), f"{where}: below minimum"
        if "maximum" in constraints:
            assert (present <= constraints["maximum"]).all(), f"{where}: above maximum"
        if "pattern" in constraints:
            assert present.str.fullmatch(constraints["pattern"]).all(), f"{where}: pattern"
    key = schema["primaryKey"]
    assert df[key].notna().all().all(), f"{name}: primary key has missing values"
    assert not df.duplicated(key).any(), f"{name}: primary key {key} not unique"


# --- source catalogue ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue():
    resources, calibration = generate_catalogue()
    assert len(resources) == 1
    assert calibration == []
    return resources[0]


def test_catalogue_matches_schema(catalogue):
    assert catalogue.name == "source_catalogue"
    assert catalogue.path == "source_catalogue.csv"
    assert catalogue.synthetic is False
    check_against_schema(catalogue.data, catalogue.schema, catalogue.name)
    assert catalogue.schema["primaryKey"] == ["source_id"]
    lag = next(f for f in catalogue.schema["fields"] if f["name"] == "publication_lag_months")
    assert lag["unit"] == "months"


def _entries_with(tmp_path, change):
    """A copy of the catalogue entries with ``change`` applied to them, as a path."""
    text = (SOURCES_DIR / ENTRIES_FILE).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    change(data["sources"])
    path = tmp_path / "catalogue.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_catalogue_entries_are_read_from_the_data_file(catalogue):
    entries = read_entries()
    assert entries["compiled_year"] == COMPILED_YEAR
    assert [e["source_id"] for e in entries["sources"]] == catalogue.data["source_id"].tolist()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda s: s[3].update(access="free"), ["entry 4", "'access'", "'free'", "Fix: use one"]),
        (lambda s: s[5].update(acess="open"), ["entry 6", "'acess'", "Fix: use only the fields"]),
        (lambda s: s[0].pop("url"), ["entry 1", "'url'", "Fix: give the field"]),
        (lambda s: s[2].update(first_year="1990"), ["entry 3", "'first_year'", "Fix: give a"]),
        (lambda s: s[7].update(source_id=s[1]["source_id"]), ["entry 8", "already used"]),
    ],
)
def test_a_bad_catalogue_entry_names_file_entry_field_and_fix(tmp_path, change, words):
    path = _entries_with(tmp_path, change)
    with pytest.raises(CatalogueEntryError) as error:
        read_entries(path)
    message = str(error.value)
    assert message.startswith(str(path))
    for word in words:
        assert word in message, message


def test_catalogue_size_and_coverage(catalogue):
    df = catalogue.data
    assert 40 <= len(df) <= 70
    # Every source the course refers to is there.
    for needle in [
        "International Migrant Stock",
        "migr_pop3ctb",
        "migr_imm1ctz",
        "avia_paoc",
        "Census Hub",
        "DIOC",
        "Refugee Data Finder",
        "Missing Migrants",
        "Gallup",
        "IPUMS",
        "D4I",
        "Marketing API",
        "Google Trends",
        "DEMIG",
        "Abel & Cohen",
        "QuantMig",
        "GeoDist",
    ]:
        assert df["name"].str.contains(needle, regex=False).any(), needle


def test_catalogue_urls_are_https_and_unique(catalogue):
    urls = catalogue.data["url"]
    assert urls.notna().all()
    assert urls.str.match(r"^https://[^\s]+$").all()
    assert urls.is_unique


def test_catalogue_years_are_plausible(catalogue):
    df = catalogue.data
    both = df.dropna(subset=["first_year", "last_year"])
    assert (both["first_year"] <= both["last_year"]).all()
    # Beyond the compilation year only for sources with projections, said in the notes.
    future = df[df["last_year"].fillna(0) > COMPILED_YEAR]
    assert future["notes"].str.contains("projection").all()
    assert (df["publication_lag_months"].dropna() >= 0).all()


def test_catalogue_datasheet_says_real_and_approximate(catalogue):
    assert set(catalogue.datasheet) == DATASHEET_KEYS
    text = " ".join(catalogue.datasheet.values())
    assert "approximate" in text.lower()
    assert str(COMPILED_YEAR) in catalogue.datasheet["generation"]
    assert "real" in catalogue.description.lower()


# --- discourse network -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def discourse():
    resources, planted, calibration = generate_discourse(SEED)
    return {r.name: r for r in resources}, planted, calibration


def test_discourse_resources_match_their_schemas(discourse):
    resources, _, _ = discourse
    assert list(resources) == ["discourse_accounts", "discourse_follows", "discourse_shares"]
    for resource in resources.values():
        assert resource.synthetic is True
        assert resource.path.endswith((".csv", ".csv.gz"))
        assert set(resource.datasheet) == DATASHEET_KEYS
        check_against_schema(resource.data, resource.schema, resource.name)


def test_discourse_foreign_keys_hold(discourse):
    resources, _, _ = discourse
    accounts = resources["discourse_accounts"].data
    follows = resources["discourse_follows"].data
    shares = resources["discourse_shares"].data
    ids = set(accounts["account_id"])
    for name, resource in resources.items():
        for fk in resource.schema.get("foreignKeys", []):
            assert fk["reference"]["resource"] in resources, f"{name}: unknown reference"
            values = resource.data[fk["fields"]].dropna()
            assert set(values) <= ids, f"{name}.{fk['fields']}: ids not in accounts"
    # Every reshare comes from an earlier share of the same message by an account followed.
    reshares = shares[shares["step"] > 0]
    parents = shares[["message_id", "account_id", "shared_at", "step"]].rename(
        columns={"account_id": "shared_from", "shared_at": "parent_at"}
    )
    joined = reshares.merge(
        parents,
        on=["message_id", "shared_from"],
        suffixes=("", "_parent"),
        validate="many_to_one",
    )
    assert len(joined) == len(reshares)
    assert (joined["step"] == joined["step_parent"] + 1).all()
    assert (joined["shared_at"] >= joined["parent_at"]).all()
    edges = set(zip(follows["follower_id"], follows["followed_id"], strict=True))
    pairs = zip(reshares["account_id"], reshares["shared_from"], strict=True)
    assert all(pair in edges for pair in pairs)
    originals = shares[shares["step"] == 0]
    assert originals["shared_from"].isna().all()
    assert (originals["account_id"] == originals["origin_account_id"]).all()
    assert originals["message_id"].is_unique


def test_discourse_counts_agree_with_edges(discourse):
    resources, _, _ = discourse
    accounts = resources["discourse_accounts"].data.set_index("account_id")
    follows = resources["discourse_follows"].data
    assert accounts["followers"].sum() == len(follows) == accounts["following"].sum()
    in_degree = follows["followed_id"].value_counts()
    assert (accounts["followers"] == in_degree.reindex(accounts.index, fill_value=0)).all()
    assert (follows["follower_id"] != follows["followed_id"]).all()


def test_discourse_is_deterministic(tmp_path):
    first = generate_discourse(SEED)
    second = generate_discourse(SEED)
    other = generate_discourse(SEED + 1)
    assert json.dumps(first[1], sort_keys=True) == json.dumps(second[1], sort_keys=True)
    assert first[2] == second[2]
    for a, b, c in zip(first[0], second[0], other[0], strict=True):
        path_a = write_resource(a, tmp_path / "a")
        path_b = write_resource(b, tmp_path / "b")
        path_c = write_resource(c, tmp_path / "c")
        assert path_a.read_bytes() == path_b.read_bytes(), a.name
        assert path_a.read_bytes() != path_c.read_bytes(), a.name
        # The written file reads back with the schema's columns.
        back = pd.read_csv(path_a)
        assert list(back.columns) == [f["name"] for f in a.schema["fields"]]
        assert len(back) == len(a.data)


def test_discourse_planted_parameters(discourse):
    resources, planted, _ = discourse
    accounts = resources["discourse_accounts"].data
    json.dumps(planted)  # goes to ground_truth/parameters.json
    sizes = {c["community"]: c["size"] for c in planted["communities"]}
    assert sizes == accounts["community"].value_counts().sort_index().to_dict()
    assert planted["n_accounts"] == len(accounts) == sum(s for _, s in COMMUNITIES)
    block = np.array(planted["follow_block_probabilities"]["values"])
    assert block.shape == (len(COMMUNITIES), len(COMMUNITIES))
    off_diagonal = block[~np.eye(len(block), dtype=bool)].reshape(len(block), -1)
    assert (np.diag(block)[:, None] > off_diagonal).all()  # echo chambers
    p = planted["reshare_probabilities"]
    assert p["same_community"] > p["other_community"]
    stance = accounts.groupby("community")["stance"].unique()
    assert (stance.map(len) == 1).all()


def test_planted_communities_are_recovered(discourse):
    from sklearn.metrics import adjusted_rand_score

    resources, _, calibration = discourse
    accounts = resources["discourse_accounts"].data
    graph = follow_graph(resources["discourse_follows"].data, accounts)
    found = nx.community.louvain_communities(graph, seed=0)
    label = {node: i for i, nodes in enumerate(found) for node in nodes}
    predicted = accounts["account_id"].map(label)
    ari = adjusted_rand_score(accounts["community"], predicted)
    assert ari > 0.8
    assert adjusted_rand_index(accounts["community"], predicted) == pytest.approx(ari)
    row = next(r for r in calibration if "Rand" in r["target"])
    assert row["achieved_value"] > 0.8


def test_reshares_stay_mostly_within_communities(discourse):
    resources, _, _ = discourse
    accounts = resources["discourse_accounts"].data
    follows = resources["discourse_follows"].data
    shares = resources["discourse_shares"].data
    within = within_community_share(accounts, shares)
    assert within > 1 - within  # more reshares inside than across communities
    assert within > 0.6
    # Per exposure: every share exposes the sharer's followers to the message.
    community = accounts.set_index("account_id")["community"]
    exposures = shares[["message_id", "account_id", "origin_community"]].merge(
        follows, left_on="account_id", right_on="followed_id"
    )
    exposures = exposures.drop_duplicates(["message_id", "follower_id"])
    shared = set(zip(shares["message_id"], shares["account_id"], strict=True))
    exposures["reshared"] = [
        pair in shared
        for pair in zip(exposures["message_id"], exposures["follower_id"], strict=True)
    ]
    exposures["same"] = exposures["follower_id"].map(community) == exposures["origin_community"]
    rate = exposures.groupby("same")["reshared"].mean()
    assert rate[True] > 3 * rate[False]


def test_discourse_calibration_rows(discourse):
    _, _, calibration = discourse
    assert len(calibration) >= 3
    for row in calibration:
        assert set(row) == CALIBRATION_COLUMNS
        assert row["published_value"] is None
        assert np.isfinite(row["achieved_value"])
    modularity = next(r for r in calibration if "modularity" in r["target"])
    assert modularity["achieved_value"] > 0.3


def test_discourse_has_ids_only(discourse):
    resources, _, _ = discourse
    for resource in resources.values():
        text_columns = [f["name"] for f in resource.schema["fields"] if f["type"] == "string"]
        for column in text_columns:
            constraints = next(
                f["constraints"] for f in resource.schema["fields"] if f["name"] == column
            )
            assert "enum" in constraints, f"{resource.name}.{column}: free text"


def test_package_validates_with_frictionless(tmp_path, discourse, catalogue):
    """Frictionless itself accepts the files, schemas and foreign keys.

    The follow edges (38,000 rows, slow to validate row by row) are left to the checks
    above; the data tests validate the whole bundled package.
    """
    frictionless = pytest.importorskip("frictionless")
    by_name = discourse[0]
    resources = [by_name["discourse_accounts"], by_name["discourse_shares"], catalogue]
    for resource in resources:
        write_resource(resource, tmp_path)
    descriptor = {"name": "check", "resources": []}
    for resource in resources:
        desc = resource.descriptor(tmp_path)
        for custom in ("synthetic", "mimics", "datasheet"):
            desc.pop(custom)
        descriptor["resources"].append(desc)
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    report = frictionless.Package(str(tmp_path / "datapackage.json")).validate()
    errors = [e.message for task in report.tasks for e in task.errors][:5]
    assert report.valid, errors
