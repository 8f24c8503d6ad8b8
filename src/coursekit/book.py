"""The book: build the site, execute its notebooks in parallel, and pack the course.

:func:`build` is ``make book`` (``python -m migrationlab book``): it writes the
worked-solutions pages from ``solutions/``, executes the notebooks of the book that the
execution cache lacks, several at a time (:func:`execute_notebooks`), and runs
Jupyter Book with warnings as errors, then prints the slide decks and the whole book to
PDF with Chromium (:func:`print_pdfs`); the full edition then packs the site with the
course files into one archive for offline use (:func:`course_archive`). The student edition
(:func:`student_toc`) leaves out the worked solutions.

Jupyter Book executes the notebooks of a page one after the other while it reads them; on
a machine with several cores, the cache is filled first by jupyter-cache's parallel
executor, with the same reader, working folder, timeout and error rule as MyST-NB, so the
build then finds every notebook in the cache. A notebook that fails there is left out of
the cache: the build executes it again and reports its error as it always did.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from migrationlab import REPO_ROOT

BUILD_DIR = REPO_ROOT / "_build"
CONFIG = REPO_ROOT / "book" / "_config.yml"
TOC = REPO_ROOT / "book" / "_toc.yml"
#: The reader's download: the built site, the notebooks, the exercises and the data.
ARCHIVE = BUILD_DIR / "download" / "data-driven-migration-course.zip"


def tool_path(name: str) -> str:
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


def build(
    *,
    student: bool = False,
    rebuild_all: bool = False,
    config: Path = CONFIG,
    output: Path | None = None,
    archive: Path | None = ARCHIVE,
) -> int:
    """Build the Jupyter Book from the repository root, warnings as errors; exit status.

    The worked-solutions pages (``book/solutions/``, not committed) are first written from
    ``solutions/``: only the transformation, without otter (see ``make exercises``).
    ``config``, ``output`` (the folder that receives ``_build/html``) and ``archive`` (the
    full edition's offline archive; ``None``: none) are for the benchmark, which builds
    into a temporary folder with an empty execution cache.
    """
    if not student:
        from coursekit.exercises import write_worked_pages

        write_worked_pages()
    toc = student_toc() if student else TOC
    if output is None:
        output = BUILD_DIR / "student" if student else REPO_ROOT
    execute_notebooks(toc, config=config)
    cmd = [
        tool_path("jupyter-book"),
        "build",
        str(REPO_ROOT),
        "--config",
        str(config),
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
    if rebuild_all:
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
    html_dir = output / "_build" / "html"
    print_pdfs(html_dir, toc, config)
    index = html_dir / "index.html"
    edition = "student edition (no worked solutions) " if student else ""
    print(f"\nThe book {edition}is built. Open it in a browser:\n  {index.as_uri()}")
    if not student and archive is not None:
        written = course_archive(html_dir, archive)
        size_mb = written.stat().st_size / 2**20
        print(f"The whole course for offline use ({size_mb:.0f} MB):\n  {written}")
    return 0


def print_pdfs(html_dir: Path, toc: Path, config: Path = CONFIG) -> None:
    """Print the slide decks (``slides/NN.pdf``) and the whole book (``download/``) to PDF.

    Both are printed offline by the system Chromium from the built site
    (:mod:`coursekit.slides`, :mod:`coursekit.book_pdf`); the site's pages link to them.
    """
    from coursekit.book_pdf import write_book_pdf
    from coursekit.downloads import BOOK_PDF
    from coursekit.slides import deck_pdfs

    decks = deck_pdfs(html_dir)
    print(f"The slides as PDF: {len(decks)} decks in {html_dir / 'slides'}")
    write_book_pdf(html_dir, toc, html_dir / BOOK_PDF, config=config)


def toc_documents(toc: Path = TOC) -> list[str]:
    """Every document of a table of contents (root first), without its suffix."""
    import yaml

    data = yaml.safe_load(toc.read_text(encoding="utf-8"))

    def files_of(entries):
        for entry in entries:
            if "file" in entry:
                yield entry["file"]
            yield from files_of(entry.get("sections", []))

    return [data["root"]] + [f for part in data["parts"] for f in files_of(part["chapters"])]


def _notebooks_to_execute(toc: Path, excluded: list[str]) -> list[tuple[Path, dict | None]]:
    """The book's executable documents as MyST-NB reads them: ``(path, jupyter-cache reader)``.

    Notebooks (``.ipynb``) and MyST Markdown notebooks (``.md`` with a kernel in their
    front matter), without those that the configuration excludes from execution.
    """
    from myst_nb.core.read import is_myst_markdown_notebook

    found = []
    for doc in toc_documents(toc):
        if any(fnmatch.fnmatch(doc + ".ipynb", p) or fnmatch.fnmatch(doc, p) for p in excluded):
            continue
        ipynb, md = REPO_ROOT / f"{doc}.ipynb", REPO_ROOT / f"{doc}.md"
        if ipynb.is_file():
            found.append((ipynb, None))  # jupyter-cache's default reader: nbformat
        elif md.is_file() and is_myst_markdown_notebook(md.read_text(encoding="utf-8")):
            found.append((md, {"type": "plugin", "name": "myst_nb_md"}))
    return found


def execute_notebooks(
    toc: Path = TOC, processes: int | None = None, *, config: Path = CONFIG
) -> None:
    """Fill the execution cache with the book's notebooks, ``processes`` at a time.

    Only when the configuration caches execution (``execute_notebooks: cache``), the
    machine has more than one core (``processes``: all of them by default) and more than
    one notebook is missing from the cache. Errors are not raised here: a notebook that
    fails stays out of the cache, and the build that follows executes it and reports it.
    """
    import yaml

    settings = yaml.safe_load(config.read_text(encoding="utf-8")).get("execute", {})
    processes = processes or os.cpu_count() or 1
    if settings.get("execute_notebooks") != "cache" or processes < 2:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    cache = get_cache(str(REPO_ROOT / settings.get("cache", "_build/.jupyter_cache")))
    uris = []
    for path, reader in _notebooks_to_execute(toc, settings.get("exclude_patterns", [])):
        if reader is None:
            cache.add_nb_to_project(str(path))
        else:
            cache.add_nb_to_project(str(path), read_data=reader)
        uris.append(str(path))
    missing = cache.list_unexecuted(filter_uris=uris)
    if len(missing) < 2:
        return  # nothing to gain: the build executes the one notebook itself
    print(f"Executing {len(missing)} notebooks of the book, {processes} at a time", flush=True)
    logger = logging.getLogger("coursekit.book")
    logger.addHandler(logging.StreamHandler(sys.stdout))
    logger.setLevel(logging.WARNING)
    executor = load_executor("local-parallel", cache=cache, logger=logger)
    result = executor.run_and_cache(
        filter_uris=[r.uri for r in missing],
        timeout=settings.get("timeout", 30),
        allow_errors=settings.get("allow_errors", False),
    )
    if result.excepted or result.errored:
        failed = ", ".join(Path(u).relative_to(REPO_ROOT).as_posix() for u in result.excepted)
        print(f"Not cached (the build runs them again and shows the error): {failed}")


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
