"""The instructor's grading command (``coursekit.grading``) on the pilot assignment.

The slow test grades a folder holding one submission of every kind the grader must
survive (see ``grading_fixtures.warmup_submissions``) with otter-grader, and checks the
gradebook row by row and the feedback files.
"""

from __future__ import annotations

import re
import tempfile
import time

import pandas as pd
import psutil
import pytest
from grading_fixtures import warmup_submissions

from coursekit import grading
from coursekit.exercises import autograder_zip

ASSIGNMENT = "00_warmup"
TIMEOUT_S = 40  # several times a normal notebook (4-9 s here; up to 17 s under load)
CELL_TIMEOUT_S = 8  # the warm-up's slowest cell takes well under a second


@pytest.fixture(scope="module", autouse=True)
def bundle():
    """The autograder bundle, built without otter's run of the solution when it is missing.

    That run executes the solution; test_exercises.py grades the solution with its bundle
    instead, so the fast tests here need not execute anything.
    """
    return autograder_zip(ASSIGNMENT, run_tests=False)


def test_unknown_assignment_lists_the_known_ones(tmp_path):
    with pytest.raises(ValueError, match=r"unknown assignment '99_nothing'.*00_warmup"):
        grading.grade("99_nothing", tmp_path, tmp_path / "out")


def test_missing_submissions_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such folder of submissions"):
        grading.grade(ASSIGNMENT, tmp_path / "nowhere", tmp_path / "out")


def test_empty_submissions_folder(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / ".DS_Store").write_bytes(b"\0")  # hidden files are no submissions
    with pytest.raises(ValueError, match="holds no submissions"):
        grading.grade(ASSIGNMENT, tmp_path / "in", tmp_path / "out")


def test_questions_come_from_the_solution_and_the_bundle():
    questions = grading.assignment_questions(ASSIGNMENT)
    tests = grading._bundle_tests(autograder_zip(ASSIGNMENT))
    auto = [q.name for q in questions if not q.manual]
    assert sorted(auto) == sorted(tests)
    assert [q.name for q in questions] == ["q1", "q2", "q3", "q4", "q5"]
    assert [q.name for q in questions if q.manual] == ["q5"]
    assert all(q.points == 2 for q in questions)


def test_files_that_are_no_notebooks_are_not_sent_to_otter(tmp_path, monkeypatch):
    files = warmup_submissions(tmp_path / "in")

    def no_otter(*args, **kwargs):
        raise AssertionError("otter must not be called for a file that is no notebook")

    monkeypatch.setattr(grading, "_run_otter", no_otter)
    questions = [grading.Question("q1", 2.0), grading.Question("q5", 2.0, manual=True)]
    expected = {
        "notes": "not_notebook",
        "photo": "not_notebook",
        "broken": "invalid_notebook",
        "not_a_notebook": "invalid_notebook",
    }
    for student, status in expected.items():
        result = grading.grade_submission(
            files[student], ASSIGNMENT, questions, None, None, student=student, timeout_s=1
        )
        assert (result.status, result.scores) == (status, {"q1": 0.0})
        assert files[student].name in result.problems[0]


def _hidden_code(tests: dict) -> list[str]:
    """The code lines of every hidden check: shown to students after the deadline only."""
    parts = []
    for test in tests.values():
        for case in test["cases"]:
            if case.get("hidden"):
                parts += [line[4:] for line in case["code"].splitlines() if line[4:].strip()]
    return [p for p in parts if p]


@pytest.mark.slow
# Loading otter's pickled results imports nbconvert, which trips a traitlets deprecation.
@pytest.mark.filterwarnings("ignore:Traits should be given as instances:DeprecationWarning")
def test_grade_a_folder_with_every_kind_of_submission(tmp_path, monkeypatch):
    files = warmup_submissions(tmp_path / "in")
    # The grader's temporary folders go here, so that leftover processes can be found.
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))

    start = time.perf_counter()
    book = grading.grade(
        ASSIGNMENT,
        tmp_path / "in",
        tmp_path / "out",
        timeout_s=TIMEOUT_S,
        cell_timeout_s=CELL_TIMEOUT_S,
        workers=2,
    )
    elapsed = time.perf_counter() - start

    # One row per file, in file order, and the CSV says the same.
    assert list(book["student"]) == sorted(files)
    saved = pd.read_csv(tmp_path / "out" / "gradebook.csv", keep_default_na=False)
    assert list(saved.columns) == [
        "student", "file", "q1", "q2", "q3", "q4", "q5",
        "total", "possible", "manual", "status", "reason",
    ]  # fmt: skip
    assert list(saved["student"]) == list(book["student"])
    assert (saved["q5"] == "").all() and (saved["manual"] == "q5").all()
    assert (book["possible"] == 8).all()

    rows = book.set_index("student")
    scores = rows[["q1", "q2", "q3", "q4"]].astype(float)
    expected = {
        "correct": ([2, 2, 2, 2], "graded"),
        "partial": ([2, 0, 2, 0], "graded"),
        "untouched": ([0, 0, 0, 0], "graded"),
        "syntax_error": ([2, 0, 2, 2], "syntax_error"),
        "exception": ([2, 2, 0, 2], "cell_error"),
        "infinite_loop": ([0, 2, 2, 2], "cell_timeout"),
        "stuck": ([0, 0, 0, 0], "timeout"),
        "copied": ([2, 2, 2, 2], "graded"),
        "foreign": ([0, 0, 0, 0], "wrong_assignment"),
        "relative_path": ([2, 2, 2, 2], "graded"),
        "deleted_cells": ([2, 2, 2, 0], "deleted_cells"),
        "notes": ([0, 0, 0, 0], "not_notebook"),
        "photo": ([0, 0, 0, 0], "not_notebook"),
        "broken": ([0, 0, 0, 0], "invalid_notebook"),
        "not_a_notebook": ([0, 0, 0, 0], "invalid_notebook"),
    }
    for student, (points, status) in expected.items():
        assert list(scores.loc[student]) == points, student
        assert rows.loc[student, "total"] == sum(points), student
        assert rows.loc[student, "status"] == status, student

    reason = rows["reason"]
    assert (reason[rows["status"] == "graded"].drop("copied") == "").all()
    assert "had no otter metadata" in reason["copied"]
    assert "paste the student's answer cells" in reason["foreign"]
    syntax = r"the answer cell of q2 \(cell \d+\) has a syntax error \(.* on line \d+\).*"
    assert re.fullmatch(syntax, reason["syntax_error"])
    assert re.fullmatch(
        r"the answer cell of q3 \(cell \d+\) raised KeyError: .*", reason["exception"]
    )
    assert re.fullmatch(
        rf"the answer cell of q1 \(cell \d+\) ran longer than {CELL_TIMEOUT_S} s and was "
        r"stopped .*; the rest was graded",
        reason["infinite_loop"],
    )
    assert reason["stuck"].startswith(f"timed out after {TIMEOUT_S} s")
    assert "the answer cell of q4" in reason["deleted_cells"]
    assert "the check cell of q1 (otter ran its checks anyway)" in reason["deleted_cells"]
    assert "is not a Jupyter notebook" in reason["photo"]
    assert "not JSON" in reason["broken"]
    assert "JSON, but not a notebook" in reason["not_a_notebook"]

    # The loop was killed with its kernel: nothing runs in the grader's folders any more.
    assert elapsed < 3 * TIMEOUT_S
    for proc in psutil.process_iter(["cwd"]):
        assert not str(proc.info["cwd"] or "").startswith(str(work)), proc

    # Feedback: one file per student, the hint of every failed check, no hidden code.
    feedback = {p.stem: p.read_text() for p in (tmp_path / "out" / "feedback").glob("*.md")}
    assert sorted(feedback) == sorted(files)
    tests = grading._bundle_tests(autograder_zip(ASSIGNMENT))
    q2_hints = [c["failure_message"] for c in tests["q2"]["cases"] if not c.get("hidden")]
    assert any(hint in feedback["partial"] for hint in q2_hints)
    assert "## q1: 2 / 2\n\nAll checks passed." in feedback["partial"]
    assert "## q2: 0 / 2" in feedback["partial"]
    hidden_hints = [c["failure_message"] for c in tests["q2"]["cases"] if c.get("hidden")]
    assert all(f": {hint}" in feedback["partial"] for hint in hidden_hints)
    assert "A hidden check failed" not in "".join(feedback.values())
    assert "## q5: graded by your instructor" in feedback["partial"]
    assert "Timed out after" in feedback["stuck"]
    assert "ran longer than" in feedback["infinite_loop"]
    assert "KeyError" in feedback["exception"]
    for student, text in feedback.items():
        for hidden in _hidden_code(tests):
            assert hidden not in text, (student, hidden)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Traits should be given as instances:DeprecationWarning")
def test_after_the_deadline_the_feedback_names_each_failed_check(tmp_path):
    files = warmup_submissions(tmp_path / "all")
    (tmp_path / "in").mkdir()
    files["partial"].rename(tmp_path / "in" / "partial.ipynb")
    grading.grade(ASSIGNMENT, tmp_path / "in", tmp_path / "out", reveal=True, workers=1)
    text = (tmp_path / "out" / "feedback" / "partial.md").read_text()
    tests = grading._bundle_tests(autograder_zip(ASSIGNMENT))
    failed_q2 = [c for c in tests["q2"]["cases"]]
    for number, case in enumerate(failed_q2, start=1):
        kind = "Hidden check" if case.get("hidden") else "Check"
        assert f"{kind} {number} failed: {case['failure_message']}" in text
    assert any(line in text for line in _hidden_code({"q2": tests["q2"]}))
