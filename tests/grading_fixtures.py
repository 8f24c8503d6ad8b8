"""Submissions for the grading tests and benchmark, made from the course's own notebooks.

Every submission starts from the handed-out student notebook ``exercises/NN_topic.ipynb``
and fills its answer cells with the solution code taken from ``solutions/NN_topic.ipynb``,
so the fixtures follow the assignment when it changes. The broken variants then change one
thing each (a syntax error, an exception, an infinite loop, deleted cells, a file that is
not a notebook) to exercise what the grader does with them.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from migrationlab import REPO_ROOT

_CHECK = re.compile(r"""grader\.check\(\s*["'](\w+)["']\s*\)""")
_SOLUTION_MARK = re.compile(r"\s*#\s*SOLUTION\s*$", re.M)
_QUESTION_NAME = re.compile(r"^name:\s*(\S+)", re.M)


def solution_code(name: str) -> dict[str, str]:
    """The solution code of every autograded question, by question name."""
    source = nbformat.read(REPO_ROOT / "solutions" / f"{name}.ipynb", as_version=4)
    answers: dict[str, str] = {}
    question, in_solution = None, False
    for cell in source.cells:
        text = cell.source.strip()
        if cell.cell_type == "raw":
            if text.startswith("# BEGIN QUESTION"):
                question = _QUESTION_NAME.search(text).group(1)
            elif text.startswith("# BEGIN SOLUTION"):
                in_solution = True
            elif text.startswith("# END SOLUTION"):
                in_solution = False
        elif cell.cell_type == "code" and in_solution:
            code = _SOLUTION_MARK.sub("", cell.source)
            answers[question] = (answers.get(question, "") + "\n" + code).strip()
    return answers


def student_notebook(name: str) -> nbformat.NotebookNode:
    """The handed-out student notebook, as a student would receive it."""
    return nbformat.read(REPO_ROOT / "exercises" / f"{name}.ipynb", as_version=4)


def answer_cells(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    """The code answer cell of each autograded question (the one before its check cell)."""
    cells: dict[str, nbformat.NotebookNode] = {}
    pending = None
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        check = _CHECK.search(cell.source)
        if check and pending is not None:
            cells[check.group(1)] = pending
            pending = None
        elif "otter_answer_cell" in cell.metadata.get("tags", []):
            pending = cell
    return cells


def check_cell(nb: nbformat.NotebookNode, question: str) -> nbformat.NotebookNode:
    """The ``grader.check("<question>")`` cell of a question."""
    (cell,) = [c for c in nb.cells if (m := _CHECK.search(c.source)) and m.group(1) == question]
    return cell


def answered(name: str, answers: dict[str, str]) -> nbformat.NotebookNode:
    """The student notebook with the given answer code in the questions' answer cells."""
    nb = student_notebook(name)
    cells = answer_cells(nb)
    for question, code in answers.items():
        cells[question].source = code
    return nb


def correct(name: str) -> nbformat.NotebookNode:
    """A submission answering every autograded question with the solution."""
    return answered(name, solution_code(name))


def partial_warmup() -> nbformat.NotebookNode:
    """00_warmup with q1 and q3 right, q2 a fraction instead of a percentage, q4 untouched.

    The q2 public check's hint ("Did you multiply by 100?") addresses exactly that mistake.
    """
    code = solution_code("00_warmup")
    wrong_q2 = code["q2"].replace("100 * deu_stock", "deu_stock")
    assert wrong_q2 != code["q2"], "the q2 solution changed: update partial_warmup()"
    return answered("00_warmup", {"q1": code["q1"], "q2": wrong_q2, "q3": code["q3"]})


def write(nb: nbformat.NotebookNode, path: Path) -> Path:
    nbformat.write(nb, path)
    return path


def warmup_submissions(folder: Path) -> dict[str, Path]:
    """Write one submission of every kind the grader must handle for 00_warmup.

    Returns the written files by student name (file stem). The kinds are: ``correct``,
    ``partial`` (q1, q3 right), ``untouched``, ``syntax_error`` (in the q2 answer cell),
    ``exception`` (the q3 answer cell raises a KeyError), ``infinite_loop`` (in the first
    answer cell), ``stuck`` (a loop in the first answer cell that ignores interrupts),
    ``deleted_cells`` (the q4 answer cell and the q1 check cell removed), ``copied`` (every
    cell copied into a fresh notebook: no otter metadata), ``foreign`` (a fresh notebook
    with other checks), ``relative_path`` (q1 reads the data file by its path relative to
    ``exercises/``),
    ``notes`` (a text file), ``photo`` (a PNG), ``broken`` (an ``.ipynb`` that is not JSON)
    and ``not_a_notebook`` (an ``.ipynb`` that is JSON but no notebook).
    """
    name = "00_warmup"
    folder.mkdir(parents=True, exist_ok=True)
    code = solution_code(name)
    files = {
        "correct": write(correct(name), folder / "correct.ipynb"),
        "partial": write(partial_warmup(), folder / "partial.ipynb"),
        "untouched": write(student_notebook(name), folder / "untouched.ipynb"),
    }

    syntax = dict(code, q2=code["q2"].replace("100 * deu_stock", "100 * (deu_stock"))
    files["syntax_error"] = write(answered(name, syntax), folder / "syntax_error.ipynb")

    raising = dict(code, q3=code["q3"].replace('nlargest(5, "migrant_stock")', 'nlargest(5, "n")'))
    assert raising != code, "the q3 solution changed: update warmup_submissions()"
    files["exception"] = write(answered(name, raising), folder / "exception.ipynb")

    looping = dict(code, q1="while True:\n    pass\n" + code["q1"])
    files["infinite_loop"] = write(answered(name, looping), folder / "infinite_loop.ipynb")
    deaf = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n"
    files["stuck"] = write(answered(name, dict(code, q1=deaf)), folder / "stuck.ipynb")

    fresh = nbformat.v4.new_notebook()
    for cell in correct(name).cells:
        new = (
            nbformat.v4.new_code_cell if cell.cell_type == "code" else nbformat.v4.new_markdown_cell
        )
        fresh.cells.append(new(cell.source))
    files["copied"] = write(fresh, folder / "copied.ipynb")
    foreign = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('grader.check("q99")')])
    files["foreign"] = write(foreign, folder / "foreign.ipynb")

    by_path = 'import pandas as pd\nraw = pd.read_csv("../data/migrant_stocks.csv.gz")\n' + code[
        "q1"
    ].replace("stocks", "raw")
    assert "raw.loc" in by_path, "the q1 solution changed: update warmup_submissions()"
    files["relative_path"] = write(
        answered(name, dict(code, q1=by_path)), folder / "relative_path.ipynb"
    )

    deleted = correct(name)
    removed = [answer_cells(deleted)["q4"], check_cell(deleted, "q1")]
    deleted.cells = [c for c in deleted.cells if all(c is not r for r in removed)]
    files["deleted_cells"] = write(deleted, folder / "deleted_cells.ipynb")

    files["notes"] = folder / "notes.txt"
    files["notes"].write_text("I could not open the notebook, here are my answers: 42\n")
    files["photo"] = folder / "photo.png"
    files["photo"].write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    files["broken"] = folder / "broken.ipynb"
    files["broken"].write_text('{"cells": [{"cell_type": "code", "source": "x = 1"')
    files["not_a_notebook"] = folder / "not_a_notebook.ipynb"
    files["not_a_notebook"].write_text('{"answers": [1, 2, 3]}')
    return files
