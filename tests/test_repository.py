"""The architecture holds: packages by audience, imports in one direction, maps up to date."""

from __future__ import annotations

import ast
import json
import re

import pytest

from migrationlab import REPO_ROOT

SRC = REPO_ROOT / "src"
PACKAGES = ("migrationlab", "migrationlab_world", "coursekit")
#: Which packages each package may import (the direction of ARCHITECTURE.md's picture).
MAY_IMPORT = {
    "migrationlab": {"migrationlab"},
    "migrationlab_world": {"migrationlab", "migrationlab_world"},
    "coursekit": {"migrationlab", "migrationlab_world", "coursekit"},
}


def _modules(package: str) -> list:
    return sorted((SRC / package).glob("*.py"))


def _imported_packages(source: str) -> set[str]:
    """Top-level course packages a module imports, at any depth (lazy imports included)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {n.split(".")[0] for n in names if n.split(".")[0] in PACKAGES}
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_point_one_way(package):
    wrong = []
    for path in _modules(package):
        if package == "migrationlab" and path.name == "__main__.py":
            continue  # `python -m migrationlab` hands over to the course tools' CLI
        extra = _imported_packages(path.read_text(encoding="utf-8")) - MAY_IMPORT[package]
        if extra:
            wrong.append(f"{path.relative_to(REPO_ROOT)} imports {sorted(extra)}")
    assert not wrong, "imports against the architecture:\n" + "\n".join(wrong)


def test_imports_detector_sees_lazy_imports():
    source = "def f():\n    from migrationlab_world import seeds\n    import coursekit.cli\n"
    assert _imported_packages(source) == {"migrationlab_world", "coursekit"}


def test_notebooks_import_only_the_student_package():
    wrong = []
    for folder in ("notebooks", "solutions", "exercises"):
        for path in sorted((REPO_ROOT / folder).glob("*.ipynb")):
            for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
                if cell["cell_type"] != "code":
                    continue
                code = "".join(cell["source"])
                code = "\n".join(line for line in code.splitlines() if not line.startswith("%"))
                try:
                    extra = _imported_packages(code) - {"migrationlab"}
                except SyntaxError:
                    continue  # an exercise's `...` placeholder cell
                if extra:
                    wrong.append(f"{folder}/{path.name} imports {sorted(extra)}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_module_has_a_docstring_and_is_on_its_package_map(package):
    init = (SRC / package / "__init__.py").read_text(encoding="utf-8")
    problems = []
    for path in _modules(package):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        if not doc or len(doc) < 40:
            problems.append(f"{path.name}: no docstring saying what it holds")
        name = path.stem
        if name not in ("__init__", "__main__") and f"``{name}``" not in init:
            problems.append(f"{name}: not on the map in {package}/__init__.py")
    assert not problems, "\n".join(problems)


def test_every_document_the_code_cites_is_in_the_repository():
    missing = []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for cited in re.findall(r"([\w./-]*[A-Za-z_]+\.md)\b", text):
            if "{" in cited:
                continue
            if not any(p.is_file() for p in REPO_ROOT.glob(f"**/{cited.lstrip('./')}")):
                missing.append(f"{path.relative_to(REPO_ROOT)} cites {cited}")
    assert not missing, "\n".join(missing)


def test_ci_runs_exactly_the_readme_test_command():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [
        line.strip()
        for line in ci.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert "make test" in commands
    assert "make test" in readme


def test_the_generator_layers_point_one_way():
    """Each module of the generator imports only modules above it on the package's map.

    So the truth (``world``) never imports an instrument (``passengers``, ``official``...).
    """
    init = (SRC / "migrationlab_world" / "__init__.py").read_text(encoding="utf-8")
    order = re.findall(r"^``(\w+)``", ast.get_docstring(ast.parse(init)), re.M)
    assert order.index("world") < order.index("passengers") < order.index("generate")
    wrong = []
    for path in _modules("migrationlab_world"):
        if path.stem == "__init__":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "migrationlab_world":
                    names = [alias.name for alias in node.names]
                elif node.module.startswith("migrationlab_world."):
                    names = [node.module.split(".")[1]]
            for name in names:
                if name in order and order.index(name) >= order.index(path.stem):
                    wrong.append(f"{path.stem} imports {name}, listed below it")
    assert not wrong, "\n".join(wrong)


def test_a_long_function_says_why_in_its_docstring():
    """No function over 80 lines without a reason given in its docstring ("long ...")."""
    silent = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                doc = ast.get_docstring(node) or ""
                if length > 80 and not re.search(r"\blong\b", doc, re.I):
                    silent.append(f"{path.relative_to(REPO_ROOT)}:{node.name} ({length} lines)")
    assert not silent, "split these, or say in the docstring why they are long:\n" + "\n".join(
        silent
    )
