"""Shared helpers of the test suite.

Two tiers (see the Makefile): ``make check`` runs ``-m "not slow"`` (unit, property and data
tests and lint: no notebook is executed, no book is built) and ``make test`` runs
everything. A test that executes a notebook or needs the built book is marked ``slow``.

The book is built once per ``make test``, by the session fixture :func:`built_book`; every
test that reads the built site or the notebooks it executed is in ``test_book.py``, which
pytest-xdist (``--dist loadfile``) runs in one worker, so that they share that one build.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from migrationlab import REPO_ROOT

#: The folders of committed notebooks (``book/solutions/`` is generated, not committed).
NOTEBOOK_DIRS = ("notebooks", "solutions", "exercises")
HTML = REPO_ROOT / "_build" / "html"


def course_notebooks(*dirs: str) -> list[Path]:
    """Every committed-style notebook under the given top-level folders, sorted."""
    found: list[Path] = []
    for d in dirs:
        found += [
            p
            for p in sorted((REPO_ROOT / d).rglob("*.ipynb"))
            if ".ipynb_checkpoints" not in p.parts
        ]
    return found


def toc_files() -> list[str]:
    """Every document of ``book/_toc.yml`` (root first), without its suffix."""
    toc = yaml.safe_load((REPO_ROOT / "book" / "_toc.yml").read_text(encoding="utf-8"))

    def files_of(entries):
        for entry in entries:
            yield entry["file"]
            yield from files_of(entry.get("sections", []))

    return [toc["root"]] + [f for part in toc["parts"] for f in files_of(part["chapters"])]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def built_book() -> Path:
    """The html folder of the book, built once per test session as `make book` builds it.

    The build writes the worked-solutions pages and executes every notebook of the book
    (or takes it from the execution cache, ``_build/.jupyter_cache``) with warnings as
    errors; the notebook tests read the outputs from that cache instead of executing the
    notebooks again.

    Set MIGRATIONLAB_BUILT_SITE to the html folder of a site built already to check that
    site instead (quicker while you work on the site tests; `make test` always builds).
    """
    if os.environ.get("MIGRATIONLAB_BUILT_SITE"):
        return Path(os.environ["MIGRATIONLAB_BUILT_SITE"])
    result = subprocess.run(
        [sys.executable, "-m", "migrationlab", "book"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, (
        "the book did not build (warnings are errors; a notebook that raised shows its "
        "traceback in _build/html/reports/):\n" + result.stdout[-6000:] + result.stderr[-6000:]
    )
    return HTML
