"""Every notebook runs top to bottom on a fresh kernel, and is committed without outputs."""

from __future__ import annotations

import json

import nbformat
import pytest
from conftest import NOTEBOOK_DIRS, course_notebooks
from nbclient import NotebookClient

from migrationlab import REPO_ROOT

EXECUTED = course_notebooks("notebooks", "solutions", "book/solutions")


def _ids(paths):
    return [str(p.relative_to(REPO_ROOT)) for p in paths]


@pytest.mark.slow
@pytest.mark.parametrize("path", EXECUTED, ids=_ids(EXECUTED))
def test_notebook_executes_without_error_or_warning(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()  # raises CellExecutionError, with the traceback, on the first error
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"cell {index} raised"
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                pytest.fail(
                    f"{path.name}, cell {index} wrote to stderr (a warning the student would "
                    f"see):\n{output.get('text')}\nFix the cause rather than hiding the warning."
                )


COMMITTED = course_notebooks(*NOTEBOOK_DIRS)


@pytest.mark.parametrize("path", COMMITTED, ids=_ids(COMMITTED))
def test_notebook_is_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = [
        i
        for i, cell in enumerate(nb["cells"])
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} carry outputs; run `make strip` before committing"
    )


def test_there_is_a_notebook_to_run():
    assert EXECUTED, "no notebook found under notebooks/ or solutions/"
