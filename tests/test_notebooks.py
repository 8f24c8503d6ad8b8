"""Every notebook runs top to bottom on a fresh kernel without an error or a warning on
stderr, every notebook is where the book expects it, and notebooks are committed without
outputs.

Each notebook is executed once per ``make test``:

- the notebooks of the book (``notebooks/`` and the worked-solutions pages) by the book
  build (``built_book`` in conftest.py), into its execution cache ``_build/.jupyter_cache``;
  ``test_book.py::test_notebook_of_the_book_ran_without_error_or_warning`` reads the
  outputs from there (in test_book.py, so that the one build of the session serves both:
  pytest-xdist runs a file in one worker);
- the exercise sources ``solutions/`` by ``test_exercises.py``, which grades each with its
  autograder bundle and checks the executed notebook for errors and stderr output too;
- any notebook deliberately left out of the book (:data:`NOT_IN_BOOK`) directly, here.
"""

from __future__ import annotations

import json

import nbformat
import pytest
import yaml
from conftest import NOTEBOOK_DIRS, course_notebooks, toc_files

from coursekit import book
from coursekit.exercises import solution_names, write_worked_pages
from migrationlab import REPO_ROOT

#: Folders whose notebooks are never pages of the book, with the reason.
NEVER_IN_BOOK = {
    "solutions": "exercise sources holding the hidden checks; the book shows the worked "
    "pages generated from them (book/solutions/), and test_exercises.py executes them",
}


def _config() -> dict:
    return yaml.safe_load((REPO_ROOT / "book" / "_config.yml").read_text(encoding="utf-8"))


def _generated_worked_page(doc: str) -> bool:
    """``book/solutions/NN_topic``: written by `make book` from ``solutions/NN_topic``."""
    folder, _, name = doc.rpartition("/")
    return folder == "book/solutions" and name in solution_names()


def book_notebooks() -> list[str]:
    """Documents of the book that are notebooks, as ``folder/name`` without suffix."""
    return [
        doc
        for doc in toc_files()
        if (REPO_ROOT / f"{doc}.ipynb").exists() or _generated_worked_page(doc)
    ]


def executed_by_the_book() -> list[str]:
    """The book's documents that the build executes, as the build lists them (coursekit.book).

    The worked-solutions pages are written first, as `make book` does: the list must not
    depend on which of them an earlier build or test happened to leave behind.
    """
    write_worked_pages()
    excluded = _config()["execute"].get("exclude_patterns", [])
    found = book._notebooks_to_execute(book.TOC, excluded)
    return [path.relative_to(REPO_ROOT).with_suffix("").as_posix() for path, _ in found]


# --- where the notebooks are (fast) --------------------------------------------------------


def test_every_toc_entry_exists():
    missing = [
        doc
        for doc in toc_files()
        if not any((REPO_ROOT / f"{doc}{suffix}").exists() for suffix in (".md", ".ipynb"))
        and not _generated_worked_page(doc)
    ]
    assert not missing, f"book/_toc.yml lists documents that do not exist: {missing}"


def test_every_notebook_is_in_the_book_or_deliberately_left_out():
    in_toc = set(toc_files())
    stray = [
        str(path.relative_to(REPO_ROOT))
        for path in course_notebooks(*NOTEBOOK_DIRS)
        if path.relative_to(REPO_ROOT).parts[0] not in NEVER_IN_BOOK
        and path.relative_to(REPO_ROOT).with_suffix("").as_posix() not in in_toc
    ]
    assert not stray, (
        f"notebooks that are no page of the book: {stray}; add them to book/_toc.yml (the "
        "build executes every notebook of the book, and the tests read its outputs)"
    )


def test_every_exercise_has_its_student_and_worked_page_in_the_book():
    in_toc = set(toc_files())
    for name in solution_names():
        assert f"exercises/{name}" in in_toc, f"exercises/{name} is not in book/_toc.yml"
        assert f"book/solutions/{name}" in in_toc, f"book/solutions/{name} not in the TOC"


def test_the_build_executes_every_lab_and_worked_page_but_no_exercise():
    executed = executed_by_the_book()
    # The labs and worked pages: every one of them shows its outputs in the book.
    for path in course_notebooks("notebooks"):
        assert path.relative_to(REPO_ROOT).with_suffix("").as_posix() in executed, path
    assert {f"book/solutions/{name}" for name in solution_names()} <= set(executed)
    assert not [doc for doc in executed if doc.startswith("exercises/")]
    # and the lecture pages that compute their figures (MyST notebooks with a kernel)
    assert {f"book/0{n}_{t}" for n, t in ((1, "data_landscape"), (4, "cities_segregation"))} <= set(
        executed
    )


# --- execution (slow) ---------------------------------------------------------------------


def _check_outputs(nb: nbformat.NotebookNode, label: str) -> None:
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", (
                f"{label}, cell {index} raised:\n" + "\n".join(output.get("traceback", []))
            )
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                pytest.fail(
                    f"{label}, cell {index} wrote to stderr (a warning the student would "
                    f"see):\n{output.get('text')}\nFix the cause rather than hiding the warning."
                )


# --- committed without outputs (fast) ------------------------------------------------------

COMMITTED = course_notebooks(*NOTEBOOK_DIRS)


@pytest.mark.parametrize("path", COMMITTED, ids=[str(p.relative_to(REPO_ROOT)) for p in COMMITTED])
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
