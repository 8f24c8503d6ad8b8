"""The instructor's grading command: a folder of submissions in, a gradebook out.

``python -m migrationlab grade --assignment 00_warmup --submissions <folder>`` (``make
grade``) grades every file of the folder locally with otter-grader, without Docker:

1. files that are not notebooks, notebooks that do not open, and notebooks of another
   assignment get a row with zero points and a reason; otter is not called;
2. every other notebook is copied as ``<assignment>.ipynb`` (the name its ``otter.Notebook``
   cell expects) with the standard ``python3`` kernel, and graded as
   ``otter run -a <autograder.zip> <notebook> -o <temporary folder>`` would, through
   otter's Python API in a long-lived worker process (one per worker, so that otter is
   imported once, not once per notebook). Each of the student's cells has a time limit:
   a cell that runs longer is interrupted and the next one runs, so an endless loop costs
   its question, not the notebook; a notebook that still runs past its own limit is
   stopped by killing its worker with its kernel. A notebook without otter's metadata (its
   cells copied into a fresh notebook) is graded when its ``grader.check`` cells are the
   exercise's;
3. the scores come from otter's ``results.json``; the executed notebook (in otter's
   ``results.pkl``) tells which cells raised an error or were stopped, and the handed-out
   notebook ``exercises/<assignment>.ipynb`` which of its cells were deleted.

It writes ``gradebook.csv`` (one row per file) and ``feedback/<student>.md`` per student:
the score of every question, the hint (``failure_message``) of every failed check, public
or hidden (the code of hidden checks stays with the instructor until the deadline has
passed: ``reveal=True``, ``--after-deadline``), and what went wrong. Otter keeps executing
after a cell that raises (or does not even parse), so the other questions of such a
notebook are still graded.

Otter executes the students' code with the instructor's permissions: grade on a machine
(or in a container) where that is acceptable.
"""

from __future__ import annotations

import ast
import contextlib
import json
import multiprocessing
import os
import queue
import re
import signal
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pandas as pd
import psutil
import yaml
from nbformat.reader import NotJSONError

from coursekit.exercises import EXERCISES_DIR, SOLUTIONS_DIR, autograder_zip, solution_names

#: Statuses of a notebook that otter graded (every question has its score).
_GRADED_STATUSES = ("graded", "syntax_error", "cell_timeout", "cell_error", "deleted_cells")
#: Cell metadata key marking the cells of the graded copy (the student's, or the grader's).
_CELL_ROLE = "migrationlab_grader"
_CHECK_CALL = re.compile(r"""grader\.check\(\s*["']([^"']+)["']\s*\)""")
_MANUAL_START = "<!-- BEGIN QUESTION -->"
_MANUAL_END = "<!-- END QUESTION -->"


@dataclass(frozen=True)
class Question:
    """One question of an assignment: its name, its points and how it is graded."""

    name: str
    points: float
    manual: bool = False


@dataclass
class Result:
    """The grading of one submitted file.

    ``scores`` holds the points of every autograded question; ``feedback`` the lines shown
    to the student under each question (hints of failed public checks, "a hidden check
    failed"); ``problems`` what went wrong, in words for the instructor and the student.
    """

    student: str
    file: str
    scores: dict[str, float]
    status: str = "graded"
    problems: list[str] = field(default_factory=list)
    feedback: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0


def grade(
    assignment: str,
    submissions: Path,
    out: Path,
    *,
    timeout_s: float = 300.0,
    cell_timeout_s: float = 60.0,
    workers: int = 2,
    bundle: Path | None = None,
    reveal: bool = False,
) -> pd.DataFrame:
    """Grade every submitted file of an assignment; write a gradebook and feedback.

    Parameters
    ----------
    assignment : str
        Name of the assignment, ``NN_topic`` as in ``solutions/NN_topic.ipynb``.
    submissions : Path
        Folder of submitted files, one per student; the student is the file name without
        its extension. Hidden files (``.DS_Store``...) and sub-folders are skipped.
    out : Path
        Folder to write ``gradebook.csv`` and ``feedback/<student>.md`` to (created; earlier
        feedback files in it are removed).
    timeout_s : float, default 300
        Seconds one notebook may take; otter and its kernel are killed after that, and no
        question of it is graded (the backstop for a cell that ignores the interrupt).
    cell_timeout_s : float, default 60
        Seconds one of the student's cells may take; a cell that runs longer is interrupted
        and reported (status ``cell_timeout``), and the other cells and every question are
        still graded.
    workers : int, default 2
        Notebooks graded at the same time (one otter process and one kernel each).
    bundle : Path, optional
        The autograder bundle to grade with; by default ``_build/autograder/`` holds it
        (built from ``solutions/`` when missing).
    reveal : bool, default False
        Feedback for after the deadline: each failed check is named with its code,
        hidden ones included. Before the deadline (the default) students get the hint of
        every failed check, never the code of a hidden one.

    Returns
    -------
    pandas.DataFrame
        The gradebook: ``student``, ``file``, one column of points per question (empty for
        manually graded questions), ``total`` and ``possible`` (autograded points),
        ``manual`` (the questions to grade by hand), ``status`` (``graded`` or what went
        wrong: ``syntax_error``, ``cell_error``, ``deleted_cells``, ``timeout``,
        ``not_notebook``, ``invalid_notebook``, ``wrong_assignment``, ``otter_error``) and
        ``reason`` (in words; empty when nothing went wrong).

    Examples
    --------
    >>> book = grade("00_warmup", Path("hand-ins"), Path("grades"))  # doctest: +SKIP
    >>> book[["student", "total", "possible", "status"]]  # doctest: +SKIP

    This function is long for its documentation, not its code (about 60 lines); each
    step (checking a file, running otter, reading its results) is a named helper.
    """
    files = _submitted_files(assignment, Path(submissions))
    if timeout_s <= 0 or cell_timeout_s <= 0 or workers < 1:
        raise ValueError(
            "timeout_s and cell_timeout_s must be > 0 and workers >= 1 "
            f"(got {timeout_s}, {cell_timeout_s}, {workers})"
        )
    bundle = autograder_zip(assignment) if bundle is None else Path(bundle)
    questions = assignment_questions(assignment, bundle=bundle)
    handed_out = _handed_out_notebook(assignment)
    students = _student_names(files)

    # Long-lived grading processes, one per worker thread, handed out through a queue.
    idle: queue.Queue[OtterWorker] = queue.Queue()
    started: list[OtterWorker] = []

    def grade_file(path: Path) -> Result:
        worker = idle.get()
        try:
            result = grade_submission(
                path,
                assignment,
                questions,
                bundle,
                handed_out,
                student=students[path],
                timeout_s=timeout_s,
                cell_timeout_s=cell_timeout_s,
                reveal=reveal,
                worker=worker,
            )
        finally:
            idle.put(worker)
        total = sum(result.scores.values())
        print(
            f"{students[path]}: {result.status}, {total:g} points ({result.seconds:.1f} s)",
            file=sys.stderr,
            flush=True,
        )
        return result

    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        # Only as many grading processes as there are notebooks to send to otter.
        for _ in range(min(workers, sum(p.suffix.lower() == ".ipynb" for p in files) or 1)):
            started.append(OtterWorker())
            idle.put(started[-1])
        results = list(pool.map(grade_file, files))
    except BaseException:
        # Ctrl-C reaches only this process: the kernels run in sessions of their own.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        for worker in started:
            worker.close()
        pool.shutdown()

    out = Path(out)
    feedback_dir = out / "feedback"
    feedback_dir.mkdir(parents=True, exist_ok=True)
    for old in feedback_dir.glob("*.md"):
        old.unlink()
    for result in results:
        text = feedback_markdown(result, questions, assignment)
        (feedback_dir / f"{result.student}.md").write_text(text, encoding="utf-8")
    book = gradebook(results, questions)
    book.to_csv(out / "gradebook.csv", index=False)
    return book


def assignment_questions(assignment: str, *, bundle: Path | None = None) -> list[Question]:
    """The questions of an assignment in notebook order, with points and grading mode.

    The order and the manually graded questions come from the ``# BEGIN QUESTION`` cells
    of ``solutions/<assignment>.ipynb``; the points of autograded questions from the tests
    in the autograder bundle (a test there that the notebook does not declare comes last).
    """
    tests = _bundle_tests(autograder_zip(assignment) if bundle is None else Path(bundle))
    declared = []
    source = nbformat.read(SOLUTIONS_DIR / f"{assignment}.ipynb", as_version=4)
    for cell in source.cells:
        lines = cell.source.strip().splitlines()
        if cell.cell_type == "raw" and lines and lines[0].strip() == "# BEGIN QUESTION":
            config = yaml.safe_load("\n".join(lines[1:])) or {}
            declared.append(
                Question(
                    name=str(config["name"]),
                    points=float(config.get("points") or 0),
                    manual=bool(config.get("manual", False)),
                )
            )
    questions = [
        Question(q.name, tests[q.name]["points"]) if q.name in tests else q
        for q in declared
        if q.name in tests or q.manual
    ]
    names = {q.name for q in questions}
    questions += [Question(n, t["points"]) for n, t in tests.items() if n not in names]
    return questions


def grade_submission(
    path: Path,
    assignment: str,
    questions: list[Question],
    bundle: Path,
    handed_out: nbformat.NotebookNode | None,
    *,
    student: str,
    timeout_s: float,
    cell_timeout_s: float = 60.0,
    reveal: bool = False,
    worker: OtterWorker | None = None,
) -> Result:
    """Grade one submitted file; every failure becomes a status and a reason.

    ``worker`` is the grading process to use; without one, a process is started for this
    file and closed after it.
    """
    start = time.perf_counter()
    auto = [q.name for q in questions if not q.manual]
    result = Result(student=student, file=path.name, scores=dict.fromkeys(auto, 0.0))
    nb, status, problem = _open_submission(path, assignment, handed_out)
    if nb is not None and problem:  # graded, with a note (e.g. otter metadata restored)
        result.problems.append(problem)
    if nb is not None:
        with tempfile.TemporaryDirectory(prefix="migrationlab-grade-") as tmp:
            limits = (timeout_s, cell_timeout_s)
            status, problem = _run_otter(nb, assignment, bundle, Path(tmp), limits, worker)
            executed = _read_results(Path(tmp), result, reveal) if status == "graded" else None
    if status != "graded":
        result.status = status
        result.problems.append(problem)
    else:
        labels = _cell_labels(handed_out) if handed_out is not None else {}
        errors = _cell_errors(executed, nb, labels, cell_timeout_s)
        deleted = _deleted_cells(nb, handed_out, labels)
        result.problems += [words for _, words in errors]
        if deleted:
            result.problems.append("deleted from the handed-out notebook: " + deleted)
        kinds = {kind for kind, _ in errors} | ({"deleted_cells"} if deleted else set())
        # The status names the worst problem; the reason lists them all.
        for kind in ("syntax_error", "cell_timeout", "cell_error", "deleted_cells"):
            if kind in kinds:
                result.status = kind
                break
    result.seconds = time.perf_counter() - start
    return result


def gradebook(results: list[Result], questions: list[Question]) -> pd.DataFrame:
    """The gradebook table: one row per submitted file (see :func:`grade`)."""
    manual = ", ".join(q.name for q in questions if q.manual)
    rows = []
    for r in results:
        row = {"student": r.student, "file": r.file}
        for q in questions:
            row[q.name] = None if q.manual else r.scores.get(q.name, 0.0)
        row["total"] = sum(r.scores.values())
        row["possible"] = sum(q.points for q in questions if not q.manual)
        row["manual"] = manual
        row["status"] = r.status
        row["reason"] = "; ".join(r.problems)
        rows.append(row)
    columns = ["student", "file", *(q.name for q in questions)]
    columns += ["total", "possible", "manual", "status", "reason"]
    return pd.DataFrame(rows, columns=columns)


def feedback_markdown(result: Result, questions: list[Question], assignment: str) -> str:
    """The feedback for one student, in Markdown, safe to hand out (no hidden checks)."""
    auto = [q for q in questions if not q.manual]
    total = sum(result.scores.values())
    possible = sum(q.points for q in auto)
    lines = [
        f"# {assignment}: feedback for {result.student}",
        "",
        f"File graded: `{result.file}`. Autograded score: **{total:g} / {possible:g}** points.",
        "",
    ]
    if result.problems:
        lines += ["## What went wrong", ""]
        lines += [f"- {problem[0].upper()}{problem[1:]}" for problem in result.problems]
        lines.append("")
    for q in questions:
        if q.manual:
            lines += [f"## {q.name}: graded by your instructor ({q.points:g} points)", ""]
            continue
        score = result.scores.get(q.name, 0.0)
        lines += [f"## {q.name}: {score:g} / {q.points:g}", ""]
        notes = result.feedback.get(q.name)
        if notes:
            lines += [f"- {note}" for note in notes]
        elif result.status not in _GRADED_STATUSES:
            lines.append("Not graded: see *What went wrong* above.")
        else:
            lines.append("All checks passed." if score == q.points else "Some checks failed.")
        lines.append("")
    return "\n".join(lines)


# --- inputs -------------------------------------------------------------------------------


def _submitted_files(assignment: str, submissions: Path) -> list[Path]:
    known = solution_names()
    if assignment not in known:
        raise ValueError(
            f"unknown assignment {assignment!r}: the assignments are {', '.join(known)} "
            f"(one per solutions/NN_topic.ipynb)"
        )
    if not submissions.is_dir():
        raise FileNotFoundError(
            f"{submissions}: no such folder of submissions; pass the folder that holds the "
            "students' notebooks (one file per student)"
        )
    files = sorted(p for p in submissions.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        raise ValueError(
            f"{submissions} holds no submissions: put the students' notebooks in it "
            "(one file per student, named after the student)"
        )
    return files


def _student_names(files: list[Path]) -> dict[Path, str]:
    """The file stem, or the whole file name where two files share a stem."""
    stems = [p.stem for p in files]
    return {p: p.stem if stems.count(p.stem) == 1 else p.name for p in files}


def _bundle_tests(bundle: Path) -> dict[str, dict]:
    """The tests of an autograder bundle: ``{question: {"points": p, "cases": [...]}}``.

    Each ``tests/<question>.py`` assigns a literal dict to ``test``; it is read, not run.
    """
    tests = {}
    with zipfile.ZipFile(bundle) as z:
        for member in sorted(z.namelist()):
            if not re.fullmatch(r"tests/[^/]+\.py", member):
                continue
            tree = ast.parse(z.read(member).decode("utf-8"))
            for node in tree.body:
                if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "test" for t in node.targets
                ):
                    test = ast.literal_eval(node.value)
                    cases = [c for suite in test.get("suites", []) for c in suite["cases"]]
                    points = test.get("points")
                    if points is None:
                        points = sum(c.get("points") or 0 for c in cases)
                    tests[test["name"]] = {"points": float(points), "cases": cases}
    return tests


def _handed_out_notebook(assignment: str) -> nbformat.NotebookNode | None:
    path = EXERCISES_DIR / f"{assignment}.ipynb"
    return nbformat.read(path, as_version=4) if path.exists() else None


def _open_submission(path: Path, assignment: str, handed_out=None):
    """The submission as a notebook, ``"graded"`` and a note (usually empty), or ``None``,
    a status and a reason."""
    if path.suffix.lower() != ".ipynb":
        reason = (
            f"{path.name} is not a Jupyter notebook (.ipynb); ask the student for the "
            f"notebook {assignment}.ipynb itself"
        )
        return None, "not_notebook", reason
    try:
        nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # nbformat raises several types for broken files
        what = "not JSON" if isinstance(error, NotJSONError) else "JSON, but not a notebook"
        reason = (
            f"{path.name} does not open as a notebook (it is {what}: damaged, cut off or "
            "saved by another program); ask the student to download it again from Jupyter "
            "(File > Download)"
        )
        return None, "invalid_notebook", reason
    name = nb.metadata.get("otter", {}).get("assignment_name")
    if name is None and handed_out is not None:
        return _match_cells(nb, path, assignment, handed_out)
    if name != assignment:
        which = f"is a notebook of assignment {name!r}" if name else "has no otter metadata"
        reason = (
            f"{path.name} {which}: it was not made from exercises/{assignment}.ipynb; ask "
            "the student to hand in the notebook they worked in"
        )
        return None, "wrong_assignment", reason
    return nb, "graded", ""


def _match_cells(nb, path: Path, assignment: str, handed_out):
    """A notebook without otter metadata (its cells copied into a fresh notebook): graded
    when its ``grader.check`` cells are those of the exercise, else a reason to recover it.
    """
    expected = {m.group(1) for c in handed_out.cells for m in _CHECK_CALL.finditer(c.source)}
    found = {m.group(1) for c in nb.cells for m in _CHECK_CALL.finditer(c.source)}
    recover = (
        f"to recover it, open a fresh copy of exercises/{assignment}.ipynb, paste the "
        "student's answer cells into it under the questions they answer, save it under the "
        "student's name and grade it again"
    )
    if not found or not found <= expected or len(found) < len(expected) / 2:
        what = (
            "none of the exercise's grader.check cells"
            if not found
            else f"the check cells {', '.join(sorted(found))}, not those of the exercise"
        )
        reason = f"{path.name} has no otter metadata and {what}: it cannot be matched; {recover}"
        return None, "wrong_assignment", reason
    copy = nbformat.from_dict(nb)
    copy.metadata["otter"] = handed_out.metadata["otter"]
    note = (
        f"{path.name} had no otter metadata (its cells were copied into another notebook); "
        f"it was graded as {assignment} because its {len(found)} check cells are the "
        f"exercise's; if a score looks wrong, {recover}"
    )
    return copy, "graded", note


# --- running otter ------------------------------------------------------------------------


#: The grader's first cell in the graded copy (not the student's): data paths relative to
#: ``exercises/``, where the notebook was handed out (``../data/...``), work as they did for
#: the student, through a link to the course's data next to the graded copy.
_SETUP_CELL = """\
import os as _grader_os
if not _grader_os.path.exists(_grader_os.path.join(_grader_os.pardir, "data")):
    try:
        _grader_os.symlink({data!r}, _grader_os.path.join(_grader_os.pardir, "data"))
    except OSError:
        pass
del _grader_os
"""


def _run_otter(nb, assignment, bundle, tmp: Path, limits, worker) -> tuple[str, str]:
    """Grade a copy of the notebook in ``tmp`` with otter; return a status and a reason.

    ``limits`` is ``(seconds for the notebook, seconds for one of the student's cells)``.
    """
    from migrationlab import REPO_ROOT

    timeout_s, cell_timeout_s = limits
    copy = nbformat.from_dict(nb)
    # The grader's kernel, whatever kernel the student picked (as otter does in Docker).
    copy.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    for cell in copy.cells:
        cell.metadata[_CELL_ROLE] = "student"
    setup = nbformat.v4.new_code_cell(_SETUP_CELL.format(data=str(REPO_ROOT / "data")))
    setup.metadata[_CELL_ROLE] = "grader"
    copy.cells.insert(0, setup)
    (tmp / "submission").mkdir()
    notebook = tmp / "submission" / f"{assignment}.ipynb"
    nbformat.write(copy, notebook)
    own = worker is None
    worker = OtterWorker() if own else worker
    try:
        outcome = worker.grade(notebook, Path(bundle), tmp, timeout_s, cell_timeout_s)
    finally:
        if own:
            worker.close()
    if outcome == "timeout":
        return "timeout", (
            f"timed out after {timeout_s:g} s (a cell that could not be interrupted, or "
            "many slow cells); no question was graded"
        )
    if outcome or not (tmp / "results.json").exists():
        log = tmp / "otter.log"
        lines = log.read_text(errors="replace").splitlines() if log.exists() else []
        last = [line for line in lines if line.strip()]
        detail = outcome or (last[-1].strip() if last else "no results were written")
        return "otter_error", f"otter could not grade the notebook: {detail[:300]}"
    return "graded", ""


class OtterWorker:
    """A long-lived process that grades notebooks with otter's Python API (``otter run``).

    Importing otter takes about two seconds; a worker pays it once, not once per notebook.
    Each notebook runs in a kernel of its own, started by otter inside the worker. A
    notebook that runs past its timeout is stopped by killing the worker with its kernel;
    the next notebook gets a fresh worker.
    """

    def __init__(self) -> None:
        self._process = None
        self._start()

    def _start(self) -> None:
        # "spawn": a fresh interpreter, with none of this process's threads or locks.
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_worker_loop, args=(child,), daemon=True)
        self._process.start()
        child.close()
        if not self._conn.poll(120) or self._conn.recv() != "ready":
            self.close()
            raise RuntimeError("the grading process did not start: is otter-grader installed?")

    def grade(
        self,
        notebook: Path,
        bundle: Path,
        out: Path,
        timeout_s: float,
        cell_timeout_s: float = 60.0,
    ) -> str:
        """Grade ``notebook``; otter's results go to ``out``.

        A cell of the student's (marked in the cell metadata) that runs longer than
        ``cell_timeout_s`` is interrupted and the next cell runs. Returns ``""`` when otter
        graded it, ``"timeout"``, or what went wrong in words.
        """
        if self._process is None:
            self._start()
        self._conn.send((str(notebook), str(bundle), str(out), float(cell_timeout_s)))
        if not self._conn.poll(timeout_s):
            self.close()
            return "timeout"
        try:
            return self._conn.recv()
        except EOFError:
            code = self._process.exitcode if self._process else None
            self.close()
            return f"the grading process died (exit code {code})"

    def close(self) -> None:
        """Stop the worker, the kernel it may be running and their children."""
        if self._process is None:
            return
        with contextlib.suppress(OSError):
            self._conn.close()
        _kill_tree(self._process.pid)
        self._process.join(5)
        self._process = None


def _worker_loop(conn) -> None:
    """The body of an :class:`OtterWorker` process: grade notebooks sent through ``conn``."""
    import dill
    import otter.run

    limit = _limit_student_cells()
    conn.send("ready")
    while True:
        try:
            notebook, bundle, out, limit["seconds"] = conn.recv()
        except EOFError:
            return
        conn.send(_grade_in_worker(otter.run, dill, Path(notebook), bundle, Path(out)))


def _limit_student_cells() -> dict[str, float]:
    """Give each of the student's cells a time limit in the notebooks otter executes.

    Otter executes with nbconvert's ``ExecutePreprocessor``, imported when it grades; this
    puts in its place a subclass that interrupts a student's cell (marked in its metadata)
    after ``limit["seconds"]`` and goes on with the next cell (nbclient's
    ``interrupt_on_timeout``). Otter's own cells, which run the checks, have no limit.
    Returns the dict whose ``"seconds"`` the worker sets before each notebook.
    """
    import nbconvert.preprocessors

    limit = {"seconds": 60.0}
    base = nbconvert.preprocessors.ExecutePreprocessor

    def cell_limit(cell):
        if cell.get("metadata", {}).get(_CELL_ROLE) == "student":
            return max(1, round(limit["seconds"]))
        return None

    class LimitedExecutePreprocessor(base):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.interrupt_on_timeout = True
            self.timeout_func = cell_limit

    nbconvert.preprocessors.ExecutePreprocessor = LimitedExecutePreprocessor
    return limit


def _grade_in_worker(otter_run, dill, notebook: Path, bundle: str, out: Path) -> str:
    """``otter run -a bundle notebook -o out --pickle-results``, in this process."""
    sys.stdout.flush()
    sys.stderr.flush()
    # otter's own temporary folder goes inside ``out``, so that a killed run leaves nothing.
    old_tmp, cwd = tempfile.tempdir, os.getcwd()
    tempfile.tempdir = str(out)
    with open(out / "otter.log", "w", encoding="utf-8") as log:
        saved = os.dup(1), os.dup(2)
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            results = otter_run.main(
                str(notebook), autograder=bundle, output_dir=str(out), no_logo=True
            )
            with open(out / "results.pkl", "wb") as f:
                dill.dump(results, f)
            return ""
        except BaseException as error:  # a broken notebook must not end the worker
            return f"{type(error).__name__}: {error}"
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
            tempfile.tempdir = old_tmp
            os.chdir(cwd)


def _kill_tree(pid: int) -> None:
    """Kill a process, the kernel it started (in a session of its own) and their children."""
    try:
        parent = psutil.Process(pid)
        family = [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for member in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            member.kill()
    if hasattr(os, "killpg"):
        # Anything left in the kernel's process group whose parent has died.
        for member in family[1:]:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if os.getpgid(member.pid) != os.getpgrp():
                    os.killpg(member.pid, signal.SIGKILL)
    psutil.wait_procs(family, timeout=5)


def _read_results(tmp: Path, result: Result, reveal: bool = False) -> nbformat.NotebookNode | None:
    """Put the scores of otter's ``results.json`` and the per-check outcomes of its
    ``results.pkl`` into ``result``; return the executed notebook (``None`` if missing)."""
    import dill  # otter's own pickler, installed with it

    tests = json.loads((tmp / "results.json").read_text(encoding="utf-8"))["tests"]
    for test in tests:
        if test.get("name") in result.scores and test.get("score") is not None:
            result.scores[test["name"]] = float(test["score"])
    pickled = tmp / "results.pkl"
    if not pickled.exists():
        return None
    with open(pickled, "rb") as f:
        graded = dill.load(f)
    for name, test_file in graded.results.items():
        notes = []
        for number, case in enumerate(test_file.test_case_results, start=1):
            if case.passed:
                continue
            message = (case.test_case.failure_message or "").strip()
            if reveal:
                kind = "hidden check" if case.test_case.hidden else "check"
                code = _check_code(case.test_case.body)
                notes.append(
                    f"{kind.capitalize()} {number} failed: {message or 'no hint'}\n\n"
                    + "  ```python\n"
                    + "".join(f"  {line}\n" for line in code.splitlines())
                    + "  ```"
                )
            elif case.test_case.hidden:
                # The hint, never the hidden check's code (that comes after the deadline).
                hint = message or "this check has no hint yet: ask your instructor"
                notes.append(f"Hidden check {number}: {hint}")
            else:
                notes.append(
                    f"Check {number}: "
                    + (message or f'run `grader.check("{name}")` in your notebook to see it.')
                )
        if notes:
            result.feedback[name] = notes
    return graded.notebook


def _check_code(body: str) -> str:
    """The code of a check as the instructor wrote it (otter stores it as a doctest)."""
    lines = []
    for line in str(body).splitlines():
        if line.startswith((">>> ", "... ")):
            lines.append(line[4:])
        elif line in (">>>", "..."):
            lines.append("")
    return "\n".join(lines).strip() or str(body).strip()


# --- what went wrong in a notebook --------------------------------------------------------


def _cell_labels(handed_out: nbformat.NotebookNode) -> dict[str, str]:
    """Names of the handed-out answer and check cells by cell id ("the answer cell of q2").

    An answer cell belongs to the question whose check cell follows it, or, for a written
    question, to the question whose ``<!-- BEGIN QUESTION -->`` block holds it; written
    questions are numbered in the order of those blocks.
    """
    labels: dict[str, str] = {}
    pending: list[str] = []
    manual_block = 0
    in_manual = False
    for cell in handed_out.cells:
        cell_id = cell.get("id")
        check = _CHECK_CALL.search(cell.source) if cell.cell_type == "code" else None
        if _MANUAL_START in cell.source:
            in_manual, manual_block = True, manual_block + 1
        if check:
            labels[cell_id] = f"the check cell of {check.group(1)}"
            labels.update({p: f"the answer cell of {check.group(1)}" for p in pending})
            pending = []
        elif "otter_answer_cell" in cell.metadata.get("tags", []):
            if in_manual:
                labels[cell_id] = f"the answer cell of written question {manual_block}"
            else:
                pending.append(cell_id)
        if _MANUAL_END in cell.source:
            in_manual = False
    return labels


def _where(cell, index: int, labels: dict[str, str]) -> str:
    label = labels.get(cell.get("id"))
    first = next((line for line in cell.source.splitlines() if line.strip()), "").strip()
    snippet = first if len(first) <= 50 else first[:47] + "..."
    return f"{label} (cell {index + 1})" if label else f"cell {index + 1} (`{snippet}`)"


def _cell_errors(executed, submission, labels, cell_timeout_s=60.0) -> list[tuple[str, str]]:
    """The errors raised by the student's own cells, as ``(kind, words)``.

    Otter adds cells of its own to the executed notebook; a cell is the student's when its
    id (or else its source) is one of the submission's.
    """
    if executed is None:
        return []
    by_id = {c.get("id"): i for i, c in enumerate(submission.cells) if c.get("id")}
    by_source = {c.source: i for i, c in enumerate(submission.cells)}
    errors = []
    for cell in executed.cells:
        index = by_id.get(cell.get("id"), by_source.get(cell.source))
        if cell.cell_type != "code" or index is None:
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            where = _where(submission.cells[index], index, labels)
            # "incomplete input (4124465584.py, line 5)": the file is IPython's, not theirs.
            value = re.sub(r" \([^()]*\.py, (line \d+)\)", r" on \1", str(output.get("evalue")))
            value = value if len(value) <= 200 else value[:197] + "..."
            if output.get("ename") == "KeyboardInterrupt":
                errors.append(
                    (
                        "cell_timeout",
                        f"{where} ran longer than {cell_timeout_s:g} s and was stopped (an "
                        "infinite loop or a very slow computation?); the rest was graded",
                    )
                )
            elif output.get("ename") in ("SyntaxError", "IndentationError", "TabError"):
                errors.append(
                    ("syntax_error", f"{where} has a syntax error ({value}), so none of it ran")
                )
            else:
                errors.append(("cell_error", f"{where} raised {output.get('ename')}: {value}"))
    return errors


def _deleted_cells(submission, handed_out, labels) -> str:
    """The handed-out answer and check cells missing from the submission, in words.

    Check cells are looked up by their ``grader.check`` call, answer cells by cell id (only
    when the submission kept the handed-out ids at all: Jupyter keeps them).
    """
    if handed_out is None:
        return ""
    ids = {c.get("id") for c in submission.cells}
    keeps_ids = bool(ids & set(labels))
    checks = {m.group(1) for c in submission.cells for m in _CHECK_CALL.finditer(c.source)}
    missing = []
    for cell in handed_out.cells:
        label = labels.get(cell.get("id"))
        if label is None:
            continue
        check = _CHECK_CALL.search(cell.source) if label.startswith("the check") else None
        if check and check.group(1) not in checks:
            missing.append(f"{label} (otter ran its checks anyway)")
        elif not check and keeps_ids and cell.get("id") not in ids:
            missing.append(label)
    return ", ".join(missing)
