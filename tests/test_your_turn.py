"""Every lab has "Your turn" tasks, each with a folded solution that leaves the lab as it was.

The format (``docs/chapter_template.md``): a markdown cell that opens with
``**Your turn N.**`` (N = 1, 2, ... in the notebook) asks a short task where the skill was
just shown; the code cell right after it is the solution, its first line
``# Your turn N: a solution``, tagged ``hide-cell`` (the book folds code and output behind
a button) and ``your-turn-solution``, with ``jupyter.source_hidden`` and
``jupyter.outputs_hidden`` set (JupyterLab folds it too). The solutions run with the
notebook, in the book build and the notebook tests. A solution works on names of its
own: it must not assign a name that the lab assigns, nor change a table of the lab in
place, so that the cells after it see the lab as it was.
"""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from migrationlab import REPO_ROOT

LABS = sorted((REPO_ROOT / "notebooks").glob("0[1-5]_*.ipynb"))
TASK = re.compile(r"^\*\*Your turn (\d+)\.\*\*")
MIN_TASKS = 3


def _tasks(nb) -> list[tuple[int, int]]:
    """``(N, index of the task's markdown cell)`` for every task of a notebook."""
    return [
        (int(m.group(1)), i)
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown" and (m := TASK.match(cell.source.lstrip()))
    ]


def _assigned(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Names a cell binds at its top level, and names whose contents it changes in place."""
    bound, changed = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.For | ast.With):
            targets = [getattr(node, "target", None)] + [
                item.optional_vars for item in getattr(node, "items", [])
            ]
        for target in targets:
            if target is None:
                continue
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    bound.add(sub.id)
                elif isinstance(sub, ast.Subscript | ast.Attribute):
                    root = sub
                    while isinstance(root, ast.Subscript | ast.Attribute):
                        root = root.value
                    if isinstance(root, ast.Name):
                        changed.add(root.id)
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            bound.add(node.name)
    return bound, changed


def _code(cell) -> str:
    """A cell's Python, without IPython's magics and shell lines."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in cell.source.splitlines()
    )


def test_there_are_labs():
    assert len(LABS) >= 10, [p.name for p in LABS]


@pytest.mark.parametrize("path", LABS, ids=lambda p: p.stem)
def test_every_lab_has_your_turn_tasks_with_folded_solutions(path):
    nb = nbformat.read(path, as_version=4)
    tasks = _tasks(nb)
    numbers = [n for n, _ in tasks]
    assert len(tasks) >= MIN_TASKS, f"{path.name}: {len(tasks)} 'Your turn' tasks, want 3-6"
    assert numbers == list(range(1, len(tasks) + 1)), f"{path.name}: tasks numbered {numbers}"
    for n, i in tasks:
        assert i + 1 < len(nb.cells), f"{path.name}: Your turn {n} has no solution cell"
        solution = nb.cells[i + 1]
        where = f"{path.name}, Your turn {n}"
        assert solution.cell_type == "code", f"{where}: the next cell is not its solution"
        assert solution.source.startswith(f"# Your turn {n}: a solution"), where
        tags = solution.metadata.get("tags", [])
        assert {"hide-cell", "your-turn-solution"} <= set(tags), f"{where}: tags {tags}"
        folded = solution.metadata.get("jupyter", {})
        assert folded.get("source_hidden") and folded.get("outputs_hidden"), (
            f"{where}: set metadata jupyter.source_hidden and jupyter.outputs_hidden"
        )


@pytest.mark.parametrize("path", LABS, ids=lambda p: p.stem)
def test_a_solution_leaves_the_lab_as_it_was(path):
    nb = nbformat.read(path, as_version=4)
    lab_names: set[str] = set()
    solutions = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        bound, changed = _assigned(ast.parse(_code(cell)))
        if "your-turn-solution" in cell.metadata.get("tags", []):
            solutions.append((cell.source.splitlines()[0], bound, changed))
        else:
            lab_names |= bound
    for title, bound, changed in solutions:
        clash = sorted(bound & lab_names)
        assert not clash, f"{path.name}, {title!r}: reassigns the lab's {clash}; use new names"
        mutated = sorted(changed & lab_names)
        assert not mutated, (
            f"{path.name}, {title!r}: changes the lab's {mutated} in place; work on a copy "
            "(df.copy(), or df.assign(...))"
        )


def test_the_check_finds_a_solution_that_changes_the_lab():
    bound, changed = _assigned(ast.parse("panel['x'] = 1\nshare = panel.x.mean()\n"))
    assert bound == {"share"} and changed == {"panel"}
    bound, changed = _assigned(ast.parse("for year in years:\n    total += 1\n"))
    assert bound == {"year", "total"} and changed == set()
