"""The exercise pipeline, both ways, for every notebook in solutions/.

- exercises/ is exactly what ``make exercises`` writes (fast: otter assign without its own
  test run, which executes nothing and writes the same files);
- the worked-solutions pages are what ``make exercises`` and ``make book`` write;
- graded with its autograder bundle, every solution gets full marks on every public and
  hidden check, and runs without an error or a warning on stderr: the one execution of
  each solution notebook in ``make test`` (``make exercises`` runs the same checks through
  otter assign; the test suite does not run them twice);
- the untouched student notebook runs top to bottom without an error, fails a public check
  of every question and scores zero;
- no solution code and no hidden check reaches the student notebook;
- the student edition of the book holds no solution code (test_book.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from coursekit import exercises, grading
from migrationlab import REPO_ROOT

NAMES = exercises.solution_names()


def test_there_is_an_exercise_notebook():
    assert NAMES, "no solutions/NN_topic.ipynb found"


@pytest.fixture(scope="module")
def assigned(tmp_path_factory):
    """Run the pipeline into a scratch folder once per test module.

    Without otter's own test run (``--no-run-tests``): it would execute every solution, and
    the grading test below executes each once and proves more (the bundle grades it).
    """
    root = tmp_path_factory.mktemp("assigned")
    exercises.build(
        NAMES,
        exercises_dir=root / "exercises",
        worked_dir=root / "worked",
        autograder_dir=root / "autograder",
        work_dir=root / "otter",
        run_tests=False,
    )
    return root


@pytest.mark.parametrize("name", NAMES)
def test_exercises_are_exactly_what_make_exercises_writes(assigned, name):
    generated = assigned / "exercises" / f"{name}.ipynb"
    committed = exercises.EXERCISES_DIR / f"{name}.ipynb"
    assert committed.exists(), f"{committed} missing: run make exercises"
    assert generated.read_bytes() == committed.read_bytes(), (
        f"{committed.relative_to(REPO_ROOT)} differs from what make exercises writes: "
        "edit solutions/ and run make exercises, never edit the generated file"
    )


def test_make_book_writes_the_worked_pages_that_make_exercises_writes(assigned, tmp_path):
    pages = exercises.write_worked_pages(worked_dir=tmp_path)
    assert [p.stem for p in pages] == NAMES
    for page in pages:
        assert page.read_bytes() == (assigned / "worked" / page.name).read_bytes(), page.name
        worked = nbformat.read(page, as_version=4)
        nbformat.validate(worked)
        code = json.dumps([c.source for c in worked.cells if c.cell_type == "code"])
        assert "grader.check(" not in code and "BEGIN TESTS" not in code, page.name
    # Unchanged pages are not rewritten (a rebuild of the book then skips them).
    before = {p: p.stat().st_mtime_ns for p in pages}
    exercises.write_worked_pages(worked_dir=tmp_path)
    assert {p: p.stat().st_mtime_ns for p in pages} == before


def test_worked_pages_follow_solutions_and_are_kept_without_them(tmp_path):
    worked, sources = tmp_path / "worked", tmp_path / "solutions"
    sources.mkdir()
    (sources / "00_warmup.ipynb").write_bytes(
        (exercises.SOLUTIONS_DIR / "00_warmup.ipynb").read_bytes()
    )
    worked.mkdir()
    (worked / "99_gone.ipynb").write_text("{}")
    pages = exercises.write_worked_pages(worked_dir=worked, solutions_dir=sources)
    assert (
        sorted(p.name for p in worked.iterdir()) == ["00_warmup.ipynb"] == [p.name for p in pages]
    )
    # The reader's archive has the pages but no solutions/: `make book` keeps them.
    (sources / "00_warmup.ipynb").unlink()
    exercises.write_worked_pages(worked_dir=worked, solutions_dir=sources)
    assert (worked / "00_warmup.ipynb").exists()


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


@pytest.fixture(scope="module")
def otter_worker():
    """One grading process (otter imported once) for every notebook graded here."""
    worker = grading.OtterWorker()
    yield worker
    worker.close()


def _graded(worker, bundle: Path, notebook: Path, name: str, tmp: Path):
    """Grade ``notebook`` as ``make grade`` does; return the scores and the executed notebook.

    Returns ``(result, executed, submitted)``: a :class:`coursekit.grading.Result` with the
    score of every autograded question and the notes of every failed check, otter's executed
    notebook, and the submitted notebook.
    """
    submitted = nbformat.read(notebook, as_version=4)
    tests = grading._bundle_tests(bundle)
    result = grading.Result(student=notebook.stem, file=notebook.name, scores=dict.fromkeys(tests))
    tmp.mkdir()
    status, problem = grading._run_otter(submitted, name, bundle, tmp, (300, 60), worker)
    assert status == "graded", f"otter could not grade {notebook}: {problem}"
    executed = grading._read_results(tmp, result)
    assert executed is not None, "otter wrote no executed notebook"
    return result, executed, submitted


def _own_cells(executed, submitted):
    """The code cells of otter's executed notebook that come from the submission."""
    sources = {c.source for c in submitted.cells if c.cell_type == "code"}
    ids = {c.get("id") for c in submitted.cells if c.get("id")}
    return [
        c
        for c in executed.cells
        if c.cell_type == "code" and (c.get("id") in ids or c.source in sources)
    ]


@pytest.mark.slow
# Loading otter's pickled results imports nbconvert, which trips a traitlets deprecation.
@pytest.mark.filterwarnings("ignore:Traits should be given as instances:DeprecationWarning")
@pytest.mark.parametrize("name", NAMES)
def test_solution_scores_full_and_untouched_scores_zero(assigned, otter_worker, tmp_path, name):
    bundle = assigned / "autograder" / f"{name}-autograder.zip"
    points = {q: t["points"] for q, t in grading._bundle_tests(bundle).items()}
    assert points, f"the bundle of {name} holds no checks"

    # The solution (otter's autograder copy of it): full marks, no error, nothing on stderr.
    solution = assigned / "otter" / name / "autograder" / f"{name}.ipynb"
    full, executed, submitted = _graded(otter_worker, bundle, solution, name, tmp_path / "sol")
    assert full.scores == points, f"the solution of {name} loses points: {full.feedback}"
    own = _own_cells(executed, submitted)
    assert len(own) >= len([c for c in submitted.cells if c.cell_type == "code"]) - 1
    for index, cell in enumerate(own):
        if "grader.check(" in cell.source or "otter.Notebook(" in cell.source:
            continue  # otter's own cells log to stderr; the course's code must not
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", (
                f"solutions/{name}, code cell {index} raised: {output.get('evalue')}"
            )
            assert output.get("name") != "stderr", (
                f"solutions/{name}, code cell {index} wrote to stderr (a warning the student "
                f"would see):\n{output.get('text')}\nFix the cause rather than hiding it."
            )

    # The untouched exercise: runs to the end, fails a public check of each question, zero.
    untouched = exercises.EXERCISES_DIR / f"{name}.ipynb"
    zero, executed, submitted = _graded(otter_worker, bundle, untouched, name, tmp_path / "ex")
    errors = grading._cell_errors(executed, submitted, {})
    assert not errors, f"the untouched exercises/{name} does not run to the end: {errors}"
    assert set(zero.scores) == set(full.scores)
    assert all(score == 0 for score in zero.scores.values()), zero.scores
    passes_untouched = [
        q
        for q in zero.scores
        if not [n for n in zero.feedback.get(q, []) if not n.startswith("Hidden check")]
    ]
    assert not passes_untouched, f"public checks that pass untouched: {passes_untouched}"


@pytest.mark.parametrize("name", NAMES)
def test_every_check_has_a_hint(assigned, name):
    """Students see the message of every failed check, hidden ones included (not its code),
    so each check has one: "A hidden check failed" alone tells them nothing."""
    bundle = assigned / "autograder" / f"{name}-autograder.zip"
    for question, test in grading._bundle_tests(bundle).items():
        for number, case in enumerate(test["cases"], start=1):
            message = (case.get("failure_message") or "").strip()
            assert len(message) >= 20, f"{name} {question} check {number} has no hint"
