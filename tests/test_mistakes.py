"""The catalogue of mistakes (``tests/mistakes/NN_topic.yml``): the autograder tells right
from wrong.

Fast tests check that every autograded question of every assignment has at least three
plausible mistakes and one valid alternative, and that each variant still applies to the
current solution. The slow tests grade every variant with the grading command
(:func:`coursekit.mistakes.grade_catalogue`) and assert what the issue asks: no mistake
scores full marks, each keeps at most ``MISTAKE_SHARE_MAX`` of its question's points, the
mistakes of the whole catalogue keep at most ``CATALOGUE_SHARE_MAX`` of the points at stake,
every alternative scores full marks, and every failed check gives the student a hint.
"""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import pytest

from coursekit import mistakes
from coursekit.exercises import SOLUTIONS_DIR, solution_names

NAMES = solution_names()
MIN_MISTAKES, MIN_ALTERNATIVES = 3, 1


def _autograded_questions(name: str) -> list[str]:
    nb = nbformat.read(SOLUTIONS_DIR / f"{name}.ipynb", as_version=4)
    names = []
    for cell in nb.cells:
        text = cell.source.strip()
        if cell.cell_type == "raw" and text.startswith("# BEGIN QUESTION"):
            if not re.search(r"^manual:\s*true", text, re.M):
                names.append(re.search(r"^name:\s*(\S+)", text, re.M).group(1))
    return names


def _solution_code(name: str) -> nbformat.NotebookNode:
    """The solution without its test cells: what otter's autograder copy holds."""
    nb = nbformat.read(SOLUTIONS_DIR / f"{name}.ipynb", as_version=4)
    cells, in_tests = [], False
    for cell in nb.cells:
        first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        if cell.cell_type == "raw" and re.match(r"#\s*(BEGIN|END) TESTS", first):
            in_tests = first.split()[1] == "BEGIN"
        elif cell.cell_type == "code" and not in_tests:
            cells.append(cell)
    return nbformat.v4.new_notebook(cells=cells)


@pytest.mark.parametrize("name", NAMES)
def test_every_autograded_question_has_mistakes_and_an_alternative(name):
    variants = mistakes.load_catalogue(name)
    questions = _autograded_questions(name)
    for question in questions:
        kinds = [v.kind for v in variants if v.question == question]
        assert kinds.count("mistake") >= MIN_MISTAKES, (
            f"tests/mistakes/{name}.yml: {question} needs at least {MIN_MISTAKES} mistakes"
        )
        assert kinds.count("alternative") >= MIN_ALTERNATIVES, (
            f"tests/mistakes/{name}.yml: {question} needs at least one valid alternative"
        )
    unknown = {v.question for v in variants} - set(questions)
    assert not unknown, f"tests/mistakes/{name}.yml names no autograded question {unknown}"


@pytest.mark.parametrize("name", NAMES)
def test_every_variant_applies_to_the_current_solution(name):
    solution = _solution_code(name)
    for variant in mistakes.load_catalogue(name):
        changed = mistakes.variant_notebook(solution, variant)  # raises when it does not apply
        assert changed != solution, variant


def test_a_replacement_that_no_longer_applies_names_the_entry_and_the_fix(tmp_path):
    path = tmp_path / "00_warmup.yml"
    entry = "    - what: gone\n      replace:\n        - old: nowhere\n          new: x\n"
    path.write_text("q1:\n  mistakes:\n" + entry)
    (variant,) = mistakes.load_catalogue("00_warmup", path)
    with pytest.raises(mistakes.CatalogueError, match=r"q1 mistake 1 \(gone\).*does not occur"):
        mistakes.variant_notebook(_solution_code("00_warmup"), variant)


def test_a_malformed_entry_names_the_file_and_the_entry(tmp_path):
    path = tmp_path / "00_warmup.yml"
    path.write_text("q1:\n  mistakes:\n    - what: no replacement\n")
    with pytest.raises(mistakes.CatalogueError, match=r"00_warmup.yml: q1 mistake 1: needs"):
        mistakes.load_catalogue("00_warmup", path)


_RESULTS: dict[str, pd.DataFrame] = {}


def _graded(name: str) -> pd.DataFrame:
    if name not in _RESULTS:
        _RESULTS[name] = mistakes.grade_catalogue(name)
    return _RESULTS[name]


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Traits should be given as instances:DeprecationWarning")
@pytest.mark.parametrize("name", NAMES)
def test_mistakes_lose_their_points_and_alternatives_keep_them(name):
    results = _graded(name)
    wrong = results[results["kind"] == "mistake"]
    right = results[results["kind"] == "alternative"]
    full = wrong[wrong["share"] >= 1 - 1e-9]
    assert full.empty, f"mistakes scoring full marks:\n{full[['question', 'what', 'hints']]}"
    generous = wrong[wrong["share"] > mistakes.MISTAKE_SHARE_MAX + 1e-9]
    assert generous.empty, (
        f"mistakes keeping more than {mistakes.MISTAKE_SHARE_MAX:.0%} of their question's "
        f"points:\n{generous[['question', 'what', 'score', 'points']]}"
    )
    lost = right[right["share"] < 1 - 1e-9]
    assert lost.empty, f"valid alternatives losing points:\n{lost[['question', 'what', 'hints']]}"
    assert (right["status"] == "graded").all(), right[["question", "what", "reason"]]
    # Every mistake that loses points is told why, never only that a check failed.
    for row in wrong.itertuples():
        assert row.hints and "All checks passed" not in row.hints, row
        assert "A hidden check failed" not in row.hints, row


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Traits should be given as instances:DeprecationWarning")
def test_the_whole_catalogue_awards_mistakes_a_small_share():
    results = pd.concat([_graded(name) for name in NAMES], ignore_index=True)
    wrong = results[results["kind"] == "mistake"]
    share = wrong["score"].sum() / wrong["points"].sum()
    assert share <= mistakes.CATALOGUE_SHARE_MAX, (
        f"mistakes keep {share:.1%} of the points at stake "
        f"(at most {mistakes.CATALOGUE_SHARE_MAX:.0%}):\n{mistakes.summary(results)}"
    )
    assert set(results["assignment"]) == set(NAMES)
