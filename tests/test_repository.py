"""The repository holds what the README promises: layout, commands, CI and licences."""

from migrationlab import REPO_ROOT


def test_layout_of_the_architecture():
    for folder in (
        "book",
        "notebooks",
        "data",
        "exercises",
        "solutions",
        "src/migrationlab",
        "tests",
        "benchmarks",
    ):
        assert (REPO_ROOT / folder).is_dir(), f"missing folder {folder}/"
    for file in (
        "environment.yml",
        "pyproject.toml",
        "requirements.txt",
        "Makefile",
        "README.md",
        ".ci/run",
        "LICENSE",
        "LICENSE-CONTENT.md",
        "CITATION.cff",
    ):
        assert (REPO_ROOT / file).is_file(), f"missing file {file}"


def test_ci_runs_exactly_the_readme_test_command():
    readme = (REPO_ROOT / "README.md").read_text()
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make book" in readme
    commands = [
        line.strip()
        for line in ci.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert "make test" in commands


def test_package_modules_of_the_architecture_exist_with_docstrings():
    import importlib

    for name in (
        "data",
        "synthetic",
        "indices",
        "models",
        "mobility",
        "plotting",
        "grading",
        "cli",
    ):
        module = importlib.import_module(f"migrationlab.{name}")
        assert module.__doc__ and len(module.__doc__.strip()) > 40, (
            f"migrationlab.{name} needs a docstring"
        )
