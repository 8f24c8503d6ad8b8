"""The book builds with warnings as errors, and the built pages hold what they should."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from migrationlab import REPO_ROOT

HTML = REPO_ROOT / "_build" / "html"


@pytest.fixture(scope="module")
def built_book():
    result = subprocess.run(
        [sys.executable, "-m", "migrationlab", "book"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, (
        "the book did not build (warnings are errors):\n"
        + result.stdout[-6000:]
        + result.stderr[-6000:]
    )
    return HTML


@pytest.mark.slow
def test_book_builds_with_warnings_as_errors(built_book):
    assert (built_book / "index.html").exists()


@pytest.mark.slow
def test_every_toc_page_is_built(built_book):
    import yaml

    toc = yaml.safe_load((REPO_ROOT / "book" / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    missing = [f for f in files if not (built_book / f"{f}.html").exists()]
    assert not missing, f"pages missing from the built site: {missing}"


@pytest.mark.slow
def test_example_notebook_page_shows_the_map_with_alt_text(built_book):
    page = (built_book / "notebooks" / "00_getting_started.html").read_text(encoding="utf-8")
    images = re.findall(r"<img[^>]*>", page)
    maps = [img for img in images if "World map of GDP per person" in img]
    assert maps, "the executed map (with its alt text) is not on the page"
    assert "fig-start-gdp-map" in page


@pytest.mark.slow
def test_status_page_lists_execution_times_and_versions(built_book):
    page = (built_book / "book" / "status.html").read_text(encoding="utf-8")
    assert "00_getting_started" in page
    assert "geopandas" in page and "jupyter-book" in page


@pytest.mark.slow
def test_no_image_without_alt_text(built_book):
    offenders = []
    for page in built_book.rglob("*.html"):
        if "_static" in page.parts or "reports" in page.parts:
            continue
        for img in re.findall(r"<img[^>]*>", page.read_text(encoding="utf-8")):
            alt = re.search(r'alt="([^"]*)"', img)
            if alt is None or not alt.group(1).strip():
                offenders.append(f"{page.relative_to(built_book)}: {img[:120]}")
    assert not offenders, "images without alt text:\n" + "\n".join(offenders)


def test_toc_lists_every_datasheet():
    import json

    import yaml

    toc = (REPO_ROOT / "book" / "_toc.yml").read_text()
    listed = set(yaml.safe_load(toc) and __import__("re").findall(r"data/datasheets/(\w+)", toc))
    package = json.loads((REPO_ROOT / "data" / "datapackage.json").read_text())
    sheets = {r["name"] for r in package["resources"] if r.get("datasheet")}
    assert listed == sheets, f"add to book/_toc.yml: {sorted(sheets - listed)}"
