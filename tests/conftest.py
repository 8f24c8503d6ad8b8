"""Shared helpers of the test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrationlab import REPO_ROOT

NOTEBOOK_DIRS = ("notebooks", "solutions", "exercises", "book/solutions")


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


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT
