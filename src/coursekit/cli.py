"""Command line of the course: ``python -m migrationlab <command>``.

The Makefile calls these commands after it has created ``.venv``; on a machine without
``make`` (Windows) type them yourself in the activated environment, as the README shows.

Commands
--------
book    write the worked-solutions pages from ``solutions/``, execute every notebook
        (cached) and build the site into ``_build/html``
data    regenerate ``data/`` from the seed (deterministic); with ``--scale`` write
        full-size synthetic data as partitioned Parquet outside the repository
exercises  generate ``exercises/`` and the autograder bundles from ``solutions/``
grade   grade a folder of submissions (gradebook CSV and per-student feedback)
mistakes  grade the catalogue of plausible mistakes and valid alternatives of an exercise
lab     start JupyterLab on the course folder
clean   remove the built site, the execution cache and tool caches
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
from pathlib import Path

from coursekit.book import BUILD_DIR
from coursekit.book import tool_path as _tool
from migrationlab import REPO_ROOT


def book_command(args: argparse.Namespace) -> int:
    """Build the Jupyter Book (:func:`coursekit.book.build`)."""
    from coursekit import book

    return book.build(student=args.student, rebuild_all=args.all)


#: Options of ``data`` that only make sense with ``--scale``.
_SCALE_ONLY = ("cities", "grid_cells", "passenger_rows", "years")


def data_command(args: argparse.Namespace) -> int:
    """Regenerate the bundled data from the seed; with --scale, write full-size data instead."""
    if args.scale is not None:
        return scale_data_command(args)
    given = [
        f"--{name.replace('_', '-')}" for name in _SCALE_ONLY if getattr(args, name) is not None
    ]
    if given:
        raise SystemExit(
            f"error: {', '.join(given)}: only for full-size data; add --scale small, "
            "moderate or full (and --out DIR outside the repository)."
        )
    from migrationlab_world import DEFAULT_SEED
    from migrationlab_world.generate import generate

    out = Path(args.out) if args.out else REPO_ROOT / "data"
    seed = DEFAULT_SEED if args.seed is None else args.seed
    resources = generate(out, seed=seed, progress=not args.quiet)
    print(
        f"wrote {len(resources)} datasets, datasheets and datapackage.json to {out} (seed {seed})"
    )
    return 0


def scale_data_command(args: argparse.Namespace) -> int:
    """Write full-size synthetic data as partitioned Parquet to a folder outside the repo."""
    from migrationlab_world import DEFAULT_SEED, fullscale

    if not args.out:
        raise SystemExit(
            "error: --scale needs --out, a folder outside the repository (full-size data are "
            "never written into data/), e.g. --out /tmp/migrationlab-full"
        )
    first_year = last_year = None
    if args.years is not None:
        try:
            first, _, last = args.years.partition("-")
            first_year, last_year = int(first), int(last or first)
        except ValueError:
            raise SystemExit(
                f"error: --years {args.years!r}: give a year or a range, e.g. 2010-2023"
            ) from None
    seed = DEFAULT_SEED if args.seed is None else args.seed
    try:
        manifest = fullscale.generate(
            args.out,
            args.scale,
            seed=seed,
            cities=args.cities,
            grid_cells=args.grid_cells,
            passenger_rows=args.passenger_rows,
            first_year=first_year,
            last_year=last_year,
            progress=not args.quiet,
        )
    except ValueError as exc:  # ScaleDataError included: the message says what to do
        raise SystemExit(f"error: {exc}") from None
    cells = manifest.get("grid_cells", {}).get("rows", 0)
    rows = manifest.get("passengers", {}).get("rows", 0)
    print(
        f"wrote {cells:,} grid cells and {rows:,} passenger records (synthetic, seed {seed}) "
        f"as partitioned Parquet to {Path(args.out).resolve()}"
    )
    return 0


def exercises_command(args: argparse.Namespace) -> int:
    """Generate exercises/ and the autograder bundles from solutions/ with otter assign."""
    from coursekit.exercises import build

    build(args.names or None)
    return 0


def grade_command(args: argparse.Namespace) -> int:
    """Grade a folder of submitted notebooks; write a gradebook CSV and feedback."""
    from coursekit.grading import grade

    out = Path(args.out) if args.out else REPO_ROOT / "_build" / "grades" / args.assignment
    gradebook = grade(
        args.assignment,
        Path(args.submissions),
        out,
        timeout_s=args.timeout,
        cell_timeout_s=args.cell_timeout,
        workers=args.workers,
        reveal=args.after_deadline,
    )
    print(gradebook.to_string(index=False))
    print(f"\ngradebook: {out / 'gradebook.csv'}\nfeedback:  {out / 'feedback'}/")
    return 0


def lab_command(args: argparse.Namespace) -> int:
    """Start JupyterLab with the course folder as its root."""
    cmd = [_tool("jupyter"), "lab", f"--ServerApp.root_dir={REPO_ROOT}"]
    if args.no_browser:
        cmd.append("--no-browser")
    return subprocess.run(cmd, cwd=REPO_ROOT).returncode


def clean_command(args: argparse.Namespace) -> int:
    """Remove generated files; the environment (.venv) is kept."""
    for path in (BUILD_DIR, REPO_ROOT / ".pytest_cache", REPO_ROOT / ".ruff_cache"):
        if path.exists():
            shutil.rmtree(path)
            print(f"removed {path.relative_to(REPO_ROOT)}/")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command: long, as one ``add_argument`` per option is."""
    parser = argparse.ArgumentParser(
        prog="python -m migrationlab",
        description="Commands of the course 'Data-driven Modelling of Migration'.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("book", help="execute the notebooks and build the site into _build/html")
    p.add_argument("--all", action="store_true", help="rebuild every page, not only changed ones")
    p.add_argument(
        "--student",
        action="store_true",
        help="build the student edition without worked solutions into _build/student/",
    )
    p.set_defaults(func=book_command)

    p = sub.add_parser("data", help="regenerate the bundled data (deterministic)")
    p.add_argument("--seed", type=int, default=None, help="seed of the simulated world")
    p.add_argument("--out", default=None, help="folder to write to (default: data/)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument(
        "--scale",
        choices=["small", "moderate", "full"],
        default=None,
        help="instead of data/, write full-size synthetic data (partitioned Parquet: a 100 m "
        "grid of many cities and daily passenger records) to --out, outside the repository",
    )
    p.add_argument("--cities", type=int, default=None, help="with --scale: number of cities")
    p.add_argument(
        "--grid-cells", type=int, default=None, help="with --scale: populated grid cells (0: none)"
    )
    p.add_argument(
        "--passenger-rows",
        type=int,
        default=None,
        help="with --scale: about this many passenger records (0: none)",
    )
    p.add_argument(
        "--years", default=None, help="with --scale: years of the passenger records, e.g. 2010-2023"
    )
    p.set_defaults(func=data_command)

    p = sub.add_parser(
        "exercises", help="generate exercises/ and autograder bundles from solutions/"
    )
    p.add_argument("names", nargs="*", help="NN_topic names (default: every solution)")
    p.set_defaults(func=exercises_command)

    p = sub.add_parser("grade", help="grade a folder of submissions with otter-grader")
    p.add_argument("--assignment", required=True, help="NN_topic, e.g. 00_warmup")
    p.add_argument("--submissions", required=True, help="folder of submitted notebooks")
    p.add_argument("--out", default=None, help="output folder (default: _build/grades/NN_topic)")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds per notebook")
    p.add_argument(
        "--cell-timeout",
        type=float,
        default=60.0,
        help="seconds per cell of the student's; a longer cell is stopped, the rest graded",
    )
    p.add_argument(
        "--after-deadline",
        action="store_true",
        help="feedback names each failed check with its code, hidden ones included",
    )
    p.add_argument("--workers", type=int, default=2, help="notebooks graded in parallel")
    p.set_defaults(func=grade_command)

    p = sub.add_parser(
        "mistakes", help="grade the catalogue of mistakes (tests/mistakes/NN_topic.yml)"
    )
    p.add_argument("names", nargs="*", help="NN_topic names (default: every assignment)")
    p.add_argument("--workers", type=int, default=2, help="notebooks graded in parallel")
    p.add_argument("--hints", action="store_true", help="print the hints each variant got")
    p.add_argument("--width", type=int, default=60, help="characters shown per text column")
    p.add_argument("--csv", default=None, help="also write every row to this CSV file")
    p.set_defaults(func=mistakes_command)

    p = sub.add_parser("lab", help="start JupyterLab on the course")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    p.set_defaults(func=lab_command)

    p = sub.add_parser("clean", help="remove _build/ and tool caches (keeps .venv)")
    p.set_defaults(func=clean_command)
    return parser


def mistakes_command(args: argparse.Namespace) -> int:
    """Grade the catalogue of mistakes of one or more assignments; print what each scored."""
    import pandas as pd

    from coursekit import mistakes
    from coursekit.exercises import solution_names

    tables = [
        mistakes.grade_catalogue(name, workers=args.workers)
        for name in (args.names or solution_names())
    ]
    results = pd.concat(tables, ignore_index=True)
    with pd.option_context("display.max_colwidth", args.width, "display.width", 250):
        columns = ["assignment", "question", "kind", "number", "score", "points", "what"]
        print(results[columns + (["hints"] if args.hints else [])].to_string(index=False))
        print()
        print(mistakes.summary(results).to_string(index=False))
    if args.csv:
        results.to_csv(args.csv, index=False)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
