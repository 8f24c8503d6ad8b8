"""The exercise pipeline: ``solutions/`` is the single source, ``exercises/`` is generated.

``python -m migrationlab exercises`` (``make exercises``) runs otter-grader's
``otter assign`` on every ``solutions/NN_topic.ipynb``. Otter executes the solution and
fails when any public or hidden check fails; it then writes

- the student notebook, copied (with stable cell ids) to ``exercises/NN_topic.ipynb``:
  ``...`` placeholders, ``grader.check("qN")`` cells, public checks only. Otter puts its
  set-up cell first; we move the title above it, so that the page opens with its title;
- the autograder bundle, copied to ``_build/autograder/NN_topic-autograder.zip`` (holds the
  hidden checks; never give it to students);
- the worked-solutions page of the book, ``book/solutions/NN_topic.ipynb``: the questions
  with their solution code in plain sight, each answer cell ending by displaying the
  answer (most end in an assignment, which shows nothing), the model answers of written
  questions in dropdowns; without the checks and without the hand-in note.

Each question is a ``## Question N: topic`` heading in ``solutions/``, so that the page
contents of both pages list the questions.

``exercises/`` is committed (students open it directly) and never edited by hand; a test
fails when it differs from what this module writes. ``book/solutions/`` is not committed:
:func:`write_worked_pages` derives it from ``solutions/`` in a moment, without otter and
without executing anything, and ``make book`` calls it before every build.
"""

from __future__ import annotations

import ast
import hashlib
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import nbformat

from migrationlab import REPO_ROOT

SOLUTIONS_DIR = REPO_ROOT / "solutions"
EXERCISES_DIR = REPO_ROOT / "exercises"
WORKED_DIR = REPO_ROOT / "book" / "solutions"
#: Where the autograder bundles go (the instructor guide names it). Not committed.
AUTOGRADER_DIR = REPO_ROOT / "_build" / "autograder"
OTTER_WORK_DIR = REPO_ROOT / "_build" / "otter"

_DIRECTIVE = re.compile(r"^\s*#\s*(BEGIN|END)\s+(QUESTION|SOLUTION|TESTS|PROMPT)\b", re.I)
#: The first line of the note that closes every exercise (save and hand in): not a solution.
HAND_IN_HEADING = "## Done"


class ExerciseError(RuntimeError):
    """otter assign failed on a solution notebook."""


def solution_names(solutions_dir: Path = SOLUTIONS_DIR) -> list[str]:
    """Names (``NN_topic``) of every solution notebook."""
    return sorted(p.stem for p in solutions_dir.glob("[0-9][0-9]_*.ipynb"))


def _otter() -> str:
    exe = Path(sys.executable).parent / "otter"
    return str(exe) if exe.exists() else "otter"


def run_assign(
    name: str,
    work_dir: Path = OTTER_WORK_DIR,
    solutions_dir: Path = SOLUTIONS_DIR,
    *,
    run_tests: bool = True,
):
    """Run ``otter assign`` on one solution notebook; return its output folder.

    Otter executes the solution notebook and checks that it passes every public and
    hidden check; a failure raises :class:`ExerciseError` with otter's output. With
    ``run_tests=False`` (``otter assign --no-run-tests``) nothing is executed: the same
    files are written, unchecked. The test suite uses that and grades the solution with
    the bundle instead, which executes it once and proves the same.
    """
    source = solutions_dir / f"{name}.ipynb"
    if not source.exists():
        raise FileNotFoundError(
            f"{source}: no such solution notebook; the solutions are {solution_names()}"
        )
    out = work_dir / name
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [_otter(), "assign", *([] if run_tests else ["--no-run-tests"]), source.name, str(out)],
        cwd=solutions_dir,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise ExerciseError(
            f"otter assign failed on {source} (a check fails on the solution, or the "
            f"notebook is not in otter's assign format):\n{result.stdout[-4000:]}"
            f"{result.stderr[-4000:]}"
        )
    return out


def stable_ids(nb: nbformat.NotebookNode, prefix: str) -> nbformat.NotebookNode:
    """Give every cell an id derived from its position and content (otter's are random)."""
    for i, cell in enumerate(nb.cells):
        digest = hashlib.sha256(f"{i}:{cell.cell_type}:{cell.source}".encode()).hexdigest()
        cell["id"] = f"{prefix}-{i:03d}-{digest[:8]}"
    return nb


def title_first(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Move the title (the first ``# ...`` markdown cell) above otter's set-up cell.

    ``otter assign`` puts its ``grader = otter.Notebook(...)`` cell first; a page that
    opens with code hides its title. Grading does not depend on the order: otter runs the
    set-up cell wherever it is, and the grader matches cells by id and by their checks.
    """
    setup = next(
        (
            i
            for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and "otter.Notebook(" in c.source
        ),
        None,
    )
    title = next(
        (
            i
            for i, c in enumerate(nb.cells)
            if c.cell_type == "markdown" and c.source.lstrip().startswith("# ")
        ),
        None,
    )
    if setup is not None and title is not None and setup < title:
        nb.cells.insert(setup, nb.cells.pop(title))
    return nb


def _directive(cell) -> tuple[str, str] | None:
    """``("BEGIN", "SOLUTION")`` and the like for an otter directive cell, else None."""
    text = cell.source.strip()
    match = _DIRECTIVE.match(text.splitlines()[0]) if text else None
    return (match.group(1).upper(), match.group(2).upper()) if match else None


def _checked_names(source: nbformat.NotebookNode) -> dict[str, set[str]]:
    """For every question, the names its checks (public and hidden) read."""
    names: dict[str, set[str]] = {}
    question, in_tests = None, False
    for cell in source.cells:
        directive = _directive(cell) if cell.cell_type == "raw" else None
        if directive == ("BEGIN", "QUESTION"):
            found = re.search(r"^name:\s*(\S+)", cell.source, re.M)
            question = found.group(1) if found else None
        elif directive and directive[1] == "TESTS":
            in_tests = directive[0] == "BEGIN"
        elif in_tests and cell.cell_type == "code" and question:
            body = cell.source.split("# END TEST CONFIG", 1)[-1]
            try:
                tree = ast.parse(body)
            except SyntaxError:
                continue  # otter reports a check that does not parse; nothing to read here
            names.setdefault(question, set()).update(
                n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
            )
    return names


def _is_fit(value: ast.expr) -> bool:
    """A call like ``sm.OLS(...).fit()`` or ``fit_ppml(...)``: a model, whose repr says little."""
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name.startswith("fit")


def show_answer(code: str, checked: Iterable[str] = ()) -> str:
    """The answer cell ``code`` with a last line that displays its answer.

    A cell that ends in an expression shows it already and is returned as it is. Otherwise
    the names the cell assigns at top level are shown: those the question's checks read
    (``checked``), in the order of their last assignment, or else the last one assigned.
    Fitted models are left out (their repr is an address; the answers drawn from them are
    shown). One name is shown as a bare last expression, several with
    ``display(a, b, ...)``; a cell that only defines functions shows nothing.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    if not tree.body or isinstance(tree.body[-1], ast.Expr):
        return code
    assigned: list[str] = []
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
            targets, value = [statement.target], statement.value
        else:
            continue
        if value is None or _is_fit(value):
            continue
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    if node.id in assigned:
                        assigned.remove(node.id)
                    assigned.append(node.id)
    checked = set(checked)
    shown = [name for name in assigned if name in checked] or assigned[-1:]
    if not shown:
        return code
    line = shown[0] if len(shown) == 1 else f"display({', '.join(shown)})"
    if len(line) > 88:  # one name a line, as ruff format would write it
        line = "display(\n" + "".join(f"    {n},\n" for n in shown) + ")"
    return code.rstrip() + "\n" + line


def _solution_code(text: str) -> str:
    """A solution cell without otter's markers (``# SOLUTION``, ``# BEGIN/END SOLUTION``)."""
    code = re.sub(r"\s*#\s*SOLUTION\s*$", "", text, flags=re.M)
    return "\n".join(
        line for line in code.splitlines() if not re.match(r"^\s*#\s*(BEGIN|END) SOLUTION", line)
    )


#: Lists and sets of more items show their first ones and ``...``, as pandas truncates a long
#: table: an answer such as Louvain's communities (sets of hundreds of ids) stays short.
SHORT_SEQUENCE_ITEMS = 12


def _short_sequences_cell() -> nbformat.NotebookNode:
    """A code cell, left out of the page, that shortens long lists and sets in the outputs."""
    cell = nbformat.v4.new_code_cell(
        f"# Long lists and sets show their first {SHORT_SEQUENCE_ITEMS} items (the page's set-up)\n"
        f"%config PlainTextFormatter.max_seq_length = {SHORT_SEQUENCE_ITEMS}"
    )
    cell.metadata["tags"] = ["remove-cell"]
    return cell


def worked_solutions(source: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The book's worked-solutions page built from the solution notebook.

    Keeps the text and the solution code, in plain sight: each answer cell ends by
    displaying its answer (:func:`show_answer`), so that the page shows every result next
    to the code that gives it. The set-up cell (imports, data) before the first question
    is folded. Turns the model answers of written questions into
    dropdowns, and leaves out the assignment configuration, the checks and the hand-in
    note (``## Done``), which is addressed to students.
    """
    checked = _checked_names(source)
    cells = []
    mode = None  # None, "solution", "tests"
    manual = False
    question = None
    title = None
    set_up = False
    for cell in source.cells:
        text = cell.source
        if cell.cell_type == "raw":
            if "ASSIGNMENT CONFIG" in (text.strip().splitlines() or [""])[0]:
                continue
            directive = _directive(cell)
            if directive:
                kind, what = directive
                if what == "QUESTION" and kind == "BEGIN":
                    manual = bool(re.search(r"^manual:\s*true", text, re.M))
                    found = re.search(r"^name:\s*(\S+)", text, re.M)
                    question = found.group(1) if found else None
                if what == "SOLUTION":
                    mode = "solution" if kind == "BEGIN" else None
                if what == "TESTS":
                    mode = "tests" if kind == "BEGIN" else None
            continue
        if mode == "tests":
            continue
        if cell.cell_type == "markdown":
            if text.lstrip().startswith(HAND_IN_HEADING):
                continue
            if title is None and text.lstrip().startswith("# "):
                heading = text.lstrip().splitlines()[0][2:].strip()
                title = heading.replace("Exercises", "Solutions", 1)
                text = (
                    f"# {title}\n\nWorked solutions of {{doc}}`the exercises "
                    f"<../../exercises/{name}>`. Try the questions first: the checks in the "
                    "exercise notebook tell you whether you are right.\n\n"
                    "```{admonition} Instructors\n:class: note\nThe student edition of the "
                    "book (`make book-student`) leaves this page out.\n```"
                )
                cells.append(nbformat.v4.new_markdown_cell(text))
                cells.append(_short_sequences_cell())
                continue
            if mode == "solution" and manual:
                text = "```{dropdown} Model answer\n" + text.strip() + "\n```"
            cells.append(nbformat.v4.new_markdown_cell(text))
        elif cell.cell_type == "code":
            code = _solution_code(cell.source)
            if mode == "solution":
                code = show_answer(code, checked.get(question, set()))
            new = nbformat.v4.new_code_cell(code)
            if question is None and not set_up:
                new.metadata["tags"] = ["hide-input"]  # the set-up (imports, data): folded
                set_up = True
            cells.append(new)
    nb = nbformat.v4.new_notebook(cells=cells, metadata=dict(source.metadata))
    return stable_ids(nb, f"{name}-solutions")


def write_worked_pages(
    names: list[str] | None = None,
    *,
    worked_dir: Path = WORKED_DIR,
    solutions_dir: Path = SOLUTIONS_DIR,
) -> list[Path]:
    """Write the book's worked-solutions pages from ``solutions/``; return their paths.

    Only the transformation of :func:`worked_solutions`: no otter, nothing executed (a
    fraction of a second). A page whose content is unchanged is not rewritten, so that a
    book build with nothing changed does not read it again. Pages of solutions that no
    longer exist are removed. Without ``solutions/`` (the reader's archive leaves it out
    and ships the pages instead) the pages there are kept as they are.
    """
    every = solution_names(solutions_dir)
    if not every:
        # A copy of the course without solutions/ (the reader's archive) ships the pages.
        return sorted(worked_dir.glob("*.ipynb"))
    names = names or every
    worked_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
        source = nbformat.read(solutions_dir / f"{name}.ipynb", as_version=4)
        text = nbformat.writes(worked_solutions(source, name))
        text += "" if text.endswith("\n") else "\n"  # as nbformat.write writes it
        path = worked_dir / f"{name}.ipynb"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    if names == every:
        for stale in set(worked_dir.glob("*.ipynb")) - set(written):
            stale.unlink()
    return written


def build(
    names: list[str] | None = None,
    *,
    exercises_dir: Path = EXERCISES_DIR,
    worked_dir: Path = WORKED_DIR,
    autograder_dir: Path = AUTOGRADER_DIR,
    work_dir: Path = OTTER_WORK_DIR,
    run_tests: bool = True,
) -> list[str]:
    """Generate the student notebooks, worked solutions and autograder bundles.

    ``run_tests=False`` skips otter's execution of the solutions (see :func:`run_assign`).
    """
    names = names or solution_names()
    for name in names:
        out = run_assign(name, work_dir, run_tests=run_tests)
        student = nbformat.read(out / "student" / f"{name}.ipynb", as_version=4)
        exercises_dir.mkdir(parents=True, exist_ok=True)
        student = title_first(student)
        nbformat.write(stable_ids(student, name), exercises_dir / f"{name}.ipynb")
        (zip_path,) = (out / "autograder").glob(f"{name}-autograder_*.zip")
        autograder_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(zip_path, autograder_dir / f"{name}-autograder.zip")
        write_worked_pages([name], worked_dir=worked_dir)
        print(
            f"{name}: {exercises_dir / name}.ipynb, {worked_dir / name}.ipynb, "
            f"{autograder_dir / name}-autograder.zip"
        )
    return names


def autograder_zip(name: str, *, run_tests: bool = True) -> Path:
    """The autograder bundle of one assignment, built first if it is missing.

    Building it runs otter's checks of the solution unless ``run_tests`` is false.
    """
    path = AUTOGRADER_DIR / f"{name}-autograder.zip"
    if not path.exists():
        out = run_assign(name, run_tests=run_tests)
        (zip_path,) = (out / "autograder").glob(f"{name}-autograder_*.zip")
        AUTOGRADER_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copy(zip_path, path)
    return path
