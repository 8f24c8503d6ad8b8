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
                # "x = ..." stays in the exercise; "x = <solution>" must not. Closing
                # brackets and a bare argument ("transfers,") of a call split over
                # lines give nothing away, and occur in any code.
                if re.fullmatch(r"[()\[\]{},\s]*|\w+,", code):
                    continue
                if code and not code.endswith("..."):
                    lines.append(code)
    return lines


def _hidden_tests(name: str) -> list[str]:
    nb = nbformat.read(exercises.SOLUTIONS_DIR / f"{name}.ipynb", as_version=4)
    hidden = []
    for cell in nb.cells:
        if cell.cell_type == "code" and re.search(r"^hidden:\s*true", cell.source, re.M):
            body = cell.source.split("# END TEST CONFIG", 1)[1]
            # An import line of a check gives nothing away, and the exercise has it too.
            hidden += [
                line.strip()
                for line in body.splitlines()
                if len(line.strip()) > 12 and not re.match(r"(import|from) \w", line.strip())
            ]
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


# --- what a reader sees: titles, question headings, the worked pages --------------------

_QUESTION_HEADING = re.compile(r"^## Question (\d+): \S", re.M)


def _questions(name: str) -> list[str]:
    """The otter names of the questions of a solution notebook, in order (q1, q2, ...)."""
    nb = nbformat.read(exercises.SOLUTIONS_DIR / f"{name}.ipynb", as_version=4)
    return [
        re.search(r"^name:\s*(\S+)", c.source, re.M).group(1)
        for c in nb.cells
        if c.cell_type == "raw" and c.source.strip().startswith("# BEGIN QUESTION")
    ]


def _headings(nb) -> list[str]:
    return [
        line
        for c in nb.cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if re.match(r"#+ ", line)
    ]


@pytest.mark.parametrize("name", NAMES)
def test_every_question_is_a_heading_and_none_is_deeper_than_three(name):
    nb = nbformat.read(exercises.SOLUTIONS_DIR / f"{name}.ipynb", as_version=4)
    headings = _headings(nb)
    number = int(name[:2])
    assert re.fullmatch(rf"# Exercises {number}[b-z]?: [A-Z].+", headings[0]), headings[0]
    numbers = [int(m.group(1)) for h in headings if (m := _QUESTION_HEADING.match(h))]
    assert numbers == list(range(1, len(_questions(name)) + 1)), (
        f"solutions/{name}: question headings {numbers}, questions {_questions(name)}; each "
        "question opens with '## Question N: topic'"
    )
    deep = [h for h in headings if h.startswith("####")]
    assert not deep, f"solutions/{name}: headings deeper than ###: {deep}"
    bold = [c.source[:40] for c in nb.cells if c.source.startswith("**Question")]
    assert not bold, f"solutions/{name}: questions still in bold, not headings: {bold}"


@pytest.mark.parametrize("name", NAMES)
def test_exercise_opens_with_its_title_then_otter_set_up(name):
    nb = nbformat.read(exercises.EXERCISES_DIR / f"{name}.ipynb", as_version=4)
    first, second = nb.cells[:2]
    # A chapter's second exercise set is "Exercises 2b: ...".
    assert first.cell_type == "markdown" and re.match(
        rf"# Exercises {int(name[:2])}[b-z]?: ", first.source
    ), f"exercises/{name} opens with {first.source[:40]!r}, not its title"
    assert second.cell_type == "code" and "otter.Notebook(" in second.source
    # otter keeps the set-up cell locked; moving it keeps its metadata
    assert second.metadata.get("editable") is False
    headings = _headings(nb)
    assert len([h for h in headings if _QUESTION_HEADING.match(h)]) == len(_questions(name))
    assert headings[-1] == exercises.HAND_IN_HEADING, "the hand-in note closes the exercise"


def test_title_first_moves_the_title_above_otter_set_up_only():
    setup = nbformat.v4.new_code_cell('import otter\ngrader = otter.Notebook("x.ipynb")')
    title = nbformat.v4.new_markdown_cell("# Exercises 9: Something")
    body = nbformat.v4.new_code_cell("x = 1")
    nb = nbformat.v4.new_notebook(cells=[setup, title, body])
    assert [c.source for c in exercises.title_first(nb).cells] == [
        title.source,
        setup.source,
        body.source,
    ]
    # Already in order (or no otter set-up cell): unchanged.
    assert [c.source for c in exercises.title_first(nb).cells] == [
        title.source,
        setup.source,
        body.source,
    ]
    bare = nbformat.v4.new_notebook(cells=[body, title])
    assert [c.source for c in exercises.title_first(bare).cells] == [body.source, title.source]


@pytest.mark.parametrize(
    ("code", "checked", "shown"),
    [
        ("a = 1\nb = a + 1", {"b"}, "b"),  # one answer: a bare last expression
        ("a = 1\nb = 2\nc = 3", {"c", "a"}, "display(a, c)"),  # the checked, in cell order
        ("tmp = 1\nanswer = tmp * 2", set(), "answer"),  # nothing checked: the last assigned
        ("x, y = 1, 2", {"x", "y"}, "display(x, y)"),  # tuple targets
        ("fit = sm.OLS(y, X).fit()\nslope = fit.params[1]", {"fit", "slope"}, "slope"),
        ("ppml = fit_ppml(p, 'flow', R, F)\nd = 1", {"ppml", "d"}, "d"),  # models left out
        ("total = 1\ntotal += 2", {"total"}, "total"),  # shown once
    ],
)
def test_show_answer_appends_a_line_that_displays_the_answer(code, checked, shown):
    out = exercises.show_answer(code, checked)
    assert out.startswith(code)
    assert out[len(code) :].strip() == shown


@pytest.mark.parametrize(
    "code",
    [
        "a = 1\na",  # ends in an expression: shows it already
        "def f(x):\n    return x",  # defines a function only
        "x = [1, 2]\nprint(x)",
        "this is not python",
    ],
)
def test_show_answer_leaves_cells_that_show_something_or_cannot(code):
    assert exercises.show_answer(code, {"a", "x"}) == code


def test_show_answer_wraps_a_long_display_one_name_a_line():
    names = [f"a_rather_long_answer_name_{i}" for i in range(5)]
    code = "\n".join(f"{n} = {i}" for i, n in enumerate(names))
    out = exercises.show_answer(code, set(names))
    assert max(len(line) for line in out.splitlines()) <= 88
    assert out.endswith("display(\n" + "".join(f"    {n},\n" for n in names) + ")")
    compile(out, "<cell>", "exec")


def _worked(name: str):
    source = nbformat.read(exercises.SOLUTIONS_DIR / f"{name}.ipynb", as_version=4)
    return exercises.worked_solutions(source, name)


@pytest.mark.parametrize("name", NAMES)
def test_worked_page_opens_with_its_title_and_lists_the_questions(name):
    page = _worked(name)
    headings = _headings(page)
    assert page.cells[0].cell_type == "markdown"
    assert re.fullmatch(rf"# Solutions {int(name[:2])}[b-z]?: [A-Z].+", headings[0]), headings[0]
    assert page.cells[0].source.startswith(headings[0])
    questions = [h for h in headings if _QUESTION_HEADING.match(h)]
    assert len(questions) == len(_questions(name))


@pytest.mark.parametrize("name", NAMES)
def test_worked_page_leaves_out_the_hand_in_note(name):
    text = json.dumps([c.source for c in _worked(name).cells])
    assert exercises.HAND_IN_HEADING not in text
    assert "hand it in" not in text and "grader.check" not in text


@pytest.mark.parametrize("name", NAMES)
def test_worked_page_shows_the_code_and_ends_every_answer_with_its_answer(name):
    import ast

    page = _worked(name)
    code_cells = [c for c in page.cells if c.cell_type == "code"]
    # Only the set-up cell (after the removed cell that shortens long lists) is folded.
    folded = [c for c in code_cells if "hide-input" in c.metadata.get("tags", [])]
    assert folded == [code_cells[1]], f"{name}: folded {[c.source[:40] for c in folded]}"
    # The answer cells are the code cells right under a question's text, in the order of
    # the questions that have code (written questions have none).
    source = nbformat.read(exercises.SOLUTIONS_DIR / f"{name}.ipynb", as_version=4)
    answers = []
    inside = False
    for cell in source.cells:
        if cell.cell_type == "raw" and cell.source.strip().startswith("# BEGIN SOLUTION"):
            inside = True
        elif cell.cell_type == "raw" and cell.source.strip().startswith("# END SOLUTION"):
            inside = False
        elif inside and cell.cell_type == "code":
            answers.append(cell)
    assert answers, f"{name}: no answer cell found"
    for answer in answers:
        body = exercises._solution_code(answer.source).rstrip()
        (cell,) = [c for c in code_cells if c.source.startswith(body)]
        assert "hide-input" not in cell.metadata.get("tags", []), f"{name}: answer folded"
        last = ast.parse(cell.source).body[-1]
        assert isinstance(last, ast.Expr), (
            f"{name}: the answer cell ending {cell.source.splitlines()[-1]!r} displays nothing"
        )


def test_worked_page_shortens_long_sequences_in_a_removed_cell():
    page = _worked(NAMES[0])
    setup = page.cells[1]
    assert setup.cell_type == "code" and "max_seq_length" in setup.source
    assert setup.metadata["tags"] == ["remove-cell"]
