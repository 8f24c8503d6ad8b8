"""The command line behind the Makefile: what each argv runs, with which options, and what
a wrong option says."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from coursekit import cli
from migrationlab import REPO_ROOT


def parse(argv: str):
    return cli.build_parser().parse_args(shlex.split(argv))


def error_of(argv: str, capsys) -> str:
    """What ``python -m migrationlab <argv>`` prints when it refuses the arguments."""
    with pytest.raises(SystemExit) as exit_info:
        cli.main(shlex.split(argv))
    assert exit_info.value.code not in (0, None)
    message = exit_info.value.code if isinstance(exit_info.value.code, str) else ""
    return message + capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "func", "options"),
    [
        ("book", cli.book_command, {"student": False, "all": False}),
        ("book --student --all", cli.book_command, {"student": True, "all": True}),
        ("data", cli.data_command, {"seed": None, "out": None, "scale": None, "quiet": False}),
        ("data --seed 7 --out /tmp/w --quiet", cli.data_command, {"seed": 7, "quiet": True}),
        (
            "data --scale small --out /tmp/s --cities 3 --grid-cells 0 --years 2010-2012",
            cli.data_command,
            {"scale": "small", "cities": 3, "grid_cells": 0, "years": "2010-2012"},
        ),
        ("exercises", cli.exercises_command, {"names": []}),
        ("exercises 00_warmup 03_migration_drivers", cli.exercises_command,
         {"names": ["00_warmup", "03_migration_drivers"]}),
        (
            "grade --assignment 00_warmup --submissions in --timeout 5 --workers 1",
            cli.grade_command,
            {"assignment": "00_warmup", "submissions": "in", "timeout": 5.0, "workers": 1},
        ),
        ("mistakes 03_migration_drivers --hints", cli.mistakes_command,
         {"names": ["03_migration_drivers"], "hints": True, "workers": 2}),
        ("lab --no-browser", cli.lab_command, {"no_browser": True}),
        ("clean", cli.clean_command, {}),
    ],
)  # fmt: skip
def test_argv_chooses_the_command_and_its_options(argv, func, options):
    args = parse(argv)
    assert args.command == argv.split()[0]
    assert args.func is func
    for name, value in options.items():
        assert getattr(args, name) == value, name


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ("nonsense", "invalid choice: 'nonsense'"),
        ("", "the following arguments are required: command"),
        ("data --seed seven", "argument --seed: invalid int value: 'seven'"),
        ("data --scale huge --out /tmp/x", "argument --scale: invalid choice: 'huge'"),
        ("data --cities 3", "--cities: only for full-size data; add --scale"),
        ("data --grid-cells 10 --years 2010", "--grid-cells, --years: only for full-size data"),
        ("data --scale small", "--scale needs --out"),
        ("data --scale small --out /tmp/x --years 20x0", "--years '20x0': give a year or a range"),
        ("grade --assignment 00_warmup", "the following arguments are required: --submissions"),
        ("grade --submissions in --assignment a --workers two", "invalid int value: 'two'"),
        ("book --students", "unrecognized arguments: --students"),
    ],
)
def test_bad_arguments_are_refused_with_a_message_that_says_why(argv, message, capsys):
    assert message in error_of(argv, capsys)


def test_missing_tool_error_names_the_fix():
    with pytest.raises(SystemExit, match="make test"):
        cli._tool("no-such-tool-for-the-course")


def _book_run(argv: str, monkeypatch, tmp_path):
    """Run the book command with the build stubbed out; return (jupyter-book argv, pages)."""
    import coursekit.exercises
    from coursekit import book

    calls, written, executed = [], [], []
    monkeypatch.setattr(book, "BUILD_DIR", tmp_path)
    monkeypatch.setattr(
        coursekit.exercises, "write_worked_pages", lambda *a, **k: written.append(True)
    )
    monkeypatch.setattr(book, "execute_notebooks", lambda toc, **k: executed.append(toc))
    monkeypatch.setattr(
        book.subprocess, "run", lambda cmd, **kw: calls.append(cmd) or SimpleNamespace(returncode=3)
    )
    assert cli.main(shlex.split(argv)) == 3  # the build's failure is the command's
    (cmd,) = calls
    # the notebooks of the book that is built are executed first, into the cache
    assert executed == [Path(cmd[cmd.index("--toc") + 1])]
    return cmd, bool(written)


def test_book_writes_the_worked_pages_then_builds_with_warnings_as_errors(monkeypatch, tmp_path):
    cmd, wrote_pages = _book_run("book", monkeypatch, tmp_path)
    assert wrote_pages, "the worked-solutions pages must be written before the build"
    assert cmd[1:3] == ["build", str(REPO_ROOT)]
    assert {"-W", "-n", "--keep-going"} <= set(cmd) and "--all" not in cmd
    assert cmd[cmd.index("--toc") + 1] == str(REPO_ROOT / "book" / "_toc.yml")
    assert cmd[cmd.index("--path-output") + 1] == str(REPO_ROOT)
    assert "--all" in _book_run("book --all", monkeypatch, tmp_path)[0]


def test_student_edition_builds_without_the_worked_pages(monkeypatch, tmp_path):
    cmd, wrote_pages = _book_run("book --student", monkeypatch, tmp_path)
    assert not wrote_pages
    assert cmd[cmd.index("--path-output") + 1] == str(tmp_path / "student")
    toc_path = cmd[cmd.index("--toc") + 1]
    assert toc_path == str(tmp_path / "student_toc.yml")
    toc = (tmp_path / "student_toc.yml").read_text(encoding="utf-8")
    full = (REPO_ROOT / "book" / "_toc.yml").read_text(encoding="utf-8")
    assert "book/solutions/" in full and "book/solutions/" not in toc
    assert toc.count("exercises/") == full.count("- file: exercises/")
    assert yaml.safe_load(toc)["root"] == "book/index"


def test_grade_passes_its_options_to_the_grader(monkeypatch, tmp_path, capsys):
    import pandas as pd

    import coursekit.grading

    seen = {}

    def fake_grade(assignment, submissions, out, *, timeout_s, cell_timeout_s, workers, reveal):
        seen.update(assignment=assignment, submissions=submissions, out=out)
        seen.update(timeout_s=timeout_s, cell_timeout_s=cell_timeout_s)
        seen.update(workers=workers, reveal=reveal)
        return pd.DataFrame({"student": ["a"], "total": [8]})

    monkeypatch.setattr(coursekit.grading, "grade", fake_grade)
    argv = (
        f"grade --assignment 01_data_landscape --submissions {tmp_path} --timeout 9 "
        "--cell-timeout 3 --workers 1 --after-deadline"
    )
    assert cli.main(shlex.split(argv)) == 0
    assert seen == {
        "assignment": "01_data_landscape",
        "submissions": tmp_path,
        "out": REPO_ROOT / "_build" / "grades" / "01_data_landscape",
        "timeout_s": 9.0,
        "cell_timeout_s": 3.0,
        "workers": 1,
        "reveal": True,
    }
    assert "gradebook.csv" in capsys.readouterr().out


# --- the Makefile's targets call these commands --------------------------------------------


def _make_dry_run(*args: str) -> list[list[str]]:
    """The Python commands `make -n <args>` would run, split as the shell splits them."""
    result = subprocess.run(
        ["make", "-n", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    lines = result.stdout.splitlines()
    return [
        shlex.split(line) for line in lines if " -m migrationlab" in line or " -m pytest" in line
    ]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize(
    ("target", "command", "options"),
    [
        (["book"], "book", {"student": False}),
        (["book-student"], "book", {"student": True}),
        (["data"], "data", {"scale": None}),
        (["exercises"], "exercises", {"names": []}),
        (["lab"], "lab", {}),
        (
            ["grade", "ASSIGNMENT=00_warmup", "SUBMISSIONS=in"],
            "grade",
            {"assignment": "00_warmup", "submissions": "in", "after_deadline": False},
        ),
        (
            ["grade", "ASSIGNMENT=00_warmup", "SUBMISSIONS=in", "AFTER_DEADLINE=1"],
            "grade",
            {"assignment": "00_warmup", "after_deadline": True},
        ),
        (
            ["mistakes", "ASSIGNMENT=05_mobility_nexus"],
            "mistakes",
            {"names": ["05_mobility_nexus"]},
        ),
        (["mistakes"], "mistakes", {"names": [], "hints": True}),
    ],
)
def test_makefile_target_runs_the_cli_command(target, command, options):
    calls = [c for c in _make_dry_run(*target) if c[1:3] == ["-m", "migrationlab"]]
    assert len(calls) == 1, calls
    assert calls[0][0].endswith(".venv/bin/python")
    args = cli.build_parser().parse_args(calls[0][3:])
    assert args.command == command
    for name, value in options.items():
        assert getattr(args, name) == value, name


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_check_is_the_fast_tier_and_make_test_runs_everything():
    def pytest_call(target):
        (call,) = [c for c in _make_dry_run(target) if c[1:3] == ["-m", "pytest"]]
        return call[3:]

    check, full = pytest_call("check"), pytest_call("test")
    assert check[check.index("-m") + 1] == "not slow"
    assert "-m" not in full, "make test (CI) must run every test, the slow ones included"
    assert "-n" in full and "-n" in check
