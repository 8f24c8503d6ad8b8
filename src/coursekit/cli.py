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
lab     start JupyterLab on the course folder
clean   remove the built site, the execution cache and tool caches
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from migrationlab import REPO_ROOT

BUILD_DIR = REPO_ROOT / "_build"
HTML_DIR = BUILD_DIR / "html"


def _tool(name: str) -> str:
    """Path of a console script installed next to the running Python (the course venv)."""
    scripts = Path(sys.executable).parent
    for candidate in (scripts / name, scripts / f"{name}.exe"):
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(
            f"error: '{name}' is not installed in this environment ({sys.prefix}). "
            "Create the course environment with `make test` (or the README's commands for "
            "Windows/conda) and run this command with its Python."
        )
    return found


def student_toc() -> Path:
    """A copy of the table of contents without the worked-solutions pages (at any depth)."""
    import yaml

    def without_solutions(entries):
        kept = []
        for entry in entries:
            if entry.get("file", "").startswith("book/solutions/"):
                continue
            if "sections" in entry:
                entry = dict(entry, sections=without_solutions(entry["sections"]))
            kept.append(entry)
        return kept

    toc = yaml.safe_load((REPO_ROOT / "book" / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc["parts"]:
        part["chapters"] = without_solutions(part["chapters"])
    path = BUILD_DIR / "student_toc.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    return path


def book_command(args: argparse.Namespace) -> int:
    """Build the Jupyter Book from the repository root, warnings as errors.

    The worked-solutions pages (``book/solutions/``, not committed) are first written from
    ``solutions/``: only the transformation, without otter (see ``make exercises``).
    """
    if not args.student:
        from coursekit.exercises import write_worked_pages

        write_worked_pages()
    toc = student_toc() if args.student else REPO_ROOT / "book" / "_toc.yml"
    output = BUILD_DIR / "student" if args.student else REPO_ROOT
    cmd = [
        _tool("jupyter-book"),
        "build",
        str(REPO_ROOT),
        "--config",
        str(REPO_ROOT / "book" / "_config.yml"),
        "--toc",
        str(toc),
        "--path-output",
        str(output),
        "--builder",
        "html",
        "-W",
        "-n",
        "--keep-going",
    ]
    if args.all:
        cmd.append("--all")
    print("$ " + " ".join(cmd), flush=True)
    result = subprocess.run(cmd, cwd=REPO_ROOT)
    if result.returncode != 0:
        print(
            "\nThe book did not build. Read the first 'WARNING' or 'ERROR' above: a notebook "
            "that raised shows its traceback in _build/html/reports/.",
            file=sys.stderr,
        )
        return result.returncode
    index = output / "_build" / "html" / "index.html"
    edition = "student edition (no worked solutions) " if args.student else ""
    print(f"\nThe book {edition}is built. Open it in a browser:\n  {index.as_uri()}")
    if not args.student:
        archive = course_archive(output / "_build" / "html", ARCHIVE)
        size_mb = archive.stat().st_size / 2**20
        print(f"The whole course for offline use ({size_mb:.0f} MB):\n  {archive}")
    return 0


#: The reader's download: the built site, the notebooks, the exercises and the data.
ARCHIVE = BUILD_DIR / "download" / "data-driven-migration-course.zip"
#: Never in the reader's archive: solutions/ holds the hidden checks of the exercises.
_NOT_FOR_READERS = ("solutions/", "_build/", ".venv/", ".git/", ".ci/")


def course_files(root: Path = REPO_ROOT) -> list[str]:
    """The course's own files (as ``git ls-files`` lists them), without instructor files.

    Outside a git checkout (an unpacked archive, say), every file under ``root`` except
    the generated folders.
    """
    try:
        listed = subprocess.run(
            ["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        listed = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    return sorted(
        f
        for f in listed
        if not f.startswith(_NOT_FOR_READERS) and "__pycache__" not in f and (root / f).is_file()
    )


def course_archive(html_dir: Path, archive: Path) -> Path:
    """Zip the built site (under ``site/``) with the course files for offline use.

    The notebooks, exercises, data, the helper package and the set-up files go in as they
    are in the repository, so that the README's commands work in the unpacked folder; the
    worked-solution sources with their hidden checks (``solutions/``) stay out, and the
    worked-solutions pages generated from them (``book/solutions/``) go in.
    """
    import zipfile

    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_suffix(".zip.partial")
    top = archive.stem
    # strict_timestamps=False: files dated before 1980 (the data) get 1980 in the archive.
    with zipfile.ZipFile(
        partial, "w", compression=zipfile.ZIP_DEFLATED, strict_timestamps=False
    ) as z:
        for name in course_files():
            z.write(REPO_ROOT / name, f"{top}/{name}")
        # The worked-solutions pages are generated (not in git) from solutions/, which stays
        # out: the archive ships the pages themselves, so that its book builds.
        from coursekit.exercises import WORKED_DIR

        for path in sorted(WORKED_DIR.glob("*.ipynb")):
            name = path.relative_to(REPO_ROOT).as_posix()
            z.write(path, f"{top}/{name}")
        for path in sorted(html_dir.rglob("*")):
            if path.is_file():
                z.write(path, f"{top}/site/{path.relative_to(html_dir).as_posix()}")
    partial.replace(archive)
    return archive


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
        workers=args.workers,
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
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per notebook")
    p.add_argument("--workers", type=int, default=2, help="notebooks graded in parallel")
    p.set_defaults(func=grade_command)

    p = sub.add_parser("lab", help="start JupyterLab on the course")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    p.set_defaults(func=lab_command)

    p = sub.add_parser("clean", help="remove _build/ and tool caches (keeps .venv)")
    p.set_defaults(func=clean_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
