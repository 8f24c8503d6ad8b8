"""The exercise pipeline, both ways, for every notebook in solutions/.

- exercises/ and book/solutions/ are exactly what ``make exercises`` writes;
- every solution passes every public and hidden check (otter assign runs them and fails
  otherwise; the autograder then gives the solution full marks);
- the untouched student notebook runs top to bottom and scores zero;
- no solution code and no hidden check reaches the student notebook;
- the student edition of the book holds no solution code.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from coursekit import exercises
from migrationlab import REPO_ROOT

NAMES = exercises.solution_names()


def test_there_is_an_exercise_notebook():
    assert NAMES, "no solutions/NN_topic.ipynb found"


@pytest.fixture(scope="module")
def assigned(tmp_path_factory):
    """Run the pipeline into a scratch folder once per test module."""
    root = tmp_path_factory.mktemp("assigned")
    exercises.build(
        NAMES,
        exercises_dir=root / "exercises",
        worked_dir=root / "worked",
        autograder_dir=root / "autograder",
        work_dir=root / "otter",
    )
    return root


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_exercises_are_exactly_what_make_exercises_writes(assigned, name):
    for generated, committed in (
        (assigned / "exercises" / f"{name}.ipynb", exercises.EXERCISES_DIR / f"{name}.ipynb"),
        (assigned / "worked" / f"{name}.ipynb", exercises.WORKED_DIR / f"{name}.ipynb"),
    ):
        assert committed.exists(), f"{committed} missing: run make exercises"
        assert generated.read_bytes() == committed.read_bytes(), (
            f"{committed.relative_to(REPO_ROOT)} differs from what make exercises writes: "
            "edit solutions/ and run make exercises, never edit the generated file"
        )


def _solution_lines(name: str) -> list[str]:
    """Lines of solution code (marked ``# SOLUTION`` or inside BEGIN/END SOLUTION)."""
    nb = nbformat.read(exercises.SOLUTIONS_DIR / f"{name}.ipynb", as_version=4)
    lines = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        inside = False
        for line in cell.source.splitlines():
            if re.match(r"^\s*#\s*BEGIN SOLUTION", line):
                inside = True
                continue
            if re.match(r"^\s*#\s*END SOLUTION", line):
                inside = False
                continue
            if inside or re.search(r"#\s*SOLUTION\s*$", line):
                code = re.sub(r"\s*#\s*SOLUTION\s*$", "", line).strip()
                # "x = ..." stays in the exercise; "x = <solution>" must not
                if code and not code.endswith("..."):
                    lines.append(code)
    return lines


def _hidden_tests(name: str) -> list[str]:
    nb = nbformat.read(exercises.SOLUTIONS_DIR / f"{name}.ipynb", as_version=4)
    hidden = []
    for cell in nb.cells:
        if cell.cell_type == "code" and re.search(r"^hidden:\s*true", cell.source, re.M):
            body = cell.source.split("# END TEST CONFIG", 1)[1]
            hidden += [line.strip() for line in body.splitlines() if len(line.strip()) > 12]
    return hidden


@pytest.mark.parametrize("name", NAMES)
def test_no_solution_code_or_hidden_check_in_the_exercise(name):
    text = (exercises.EXERCISES_DIR / f"{name}.ipynb").read_text(encoding="utf-8")
    sources = json.loads(text)
    flat = json.dumps(sources)
    solution = _solution_lines(name)
    assert solution, "found no solution lines to look for; is the solution marked?"
    leaked = [line for line in solution if line in text or json.dumps(line)[1:-1] in flat]
    assert not leaked, f"solution code in exercises/{name}.ipynb: {leaked}"
    hidden = _hidden_tests(name)
    leaked = [h for h in hidden if json.dumps(h)[1:-1] in flat]
    assert not leaked, f"hidden checks in exercises/{name}.ipynb: {leaked}"


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_untouched_exercise_runs_and_every_check_fails(tmp_path, name):
    path = tmp_path / f"{name}.ipynb"
    shutil.copy(exercises.EXERCISES_DIR / f"{name}.ipynb", path)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    checks = [c for c in nb.cells if c.cell_type == "code" and "grader.check(" in c.source]
    assert checks
    for cell in checks:
        shown = json.dumps(cell.outputs)
        assert "All test cases passed" not in shown, f"{cell.source} passes untouched"


def _otter_score(autograder: Path, notebook: Path, out: Path) -> dict:
    out.mkdir()
    subprocess.run(
        [
            str(Path(sys.executable).parent / "otter"),
            "run",
            "-a",
            str(autograder),
            str(notebook),
            "-o",
            str(out),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    results = json.loads((out / "results.json").read_text())
    return {t["name"]: (t["score"], t["max_score"]) for t in results["tests"] if "score" in t}


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_solution_scores_full_and_untouched_scores_zero(assigned, tmp_path, name):
    autograder = assigned / "autograder" / f"{name}-autograder.zip"
    solution = assigned / "otter" / name / "autograder" / f"{name}.ipynb"
    full = _otter_score(autograder, solution, tmp_path / "solution")
    assert full and all(score == top for score, top in full.values()), full
    untouched = tmp_path / f"{name}.ipynb"
    shutil.copy(exercises.EXERCISES_DIR / f"{name}.ipynb", untouched)
    zero = _otter_score(autograder, untouched, tmp_path / "untouched")
    assert set(zero) == set(full)
    assert all(score == 0 for score, _ in zero.values()), zero
