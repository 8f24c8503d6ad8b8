"""Tests of the command line behind the Makefile."""

import pytest

from coursekit import cli
from migrationlab import REPO_ROOT


def test_parser_knows_the_makefile_commands():
    parser = cli.build_parser()
    for command in ("book", "lab", "clean"):
        args = parser.parse_args([command])
        assert callable(args.func)


def test_unknown_command_is_rejected(capsys):
    with pytest.raises(SystemExit):
        cli.main(["nonsense"])
    assert "invalid choice" in capsys.readouterr().err


def test_missing_tool_error_names_the_fix():
    with pytest.raises(SystemExit, match="make test"):
        cli._tool("no-such-tool-for-the-course")


def test_makefile_targets_call_the_cli():
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert "-m migrationlab book" in makefile
    assert "-m migrationlab lab" in makefile
    assert "-m pytest" in makefile
