"""The book builds with warnings as errors, and the built pages hold what they should."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys

import pytest

# The checks of the site as its readers meet it (phone, projector, paper), kept in files of
# their own by subject; imported here so that they share this module's one build of the book.
from book_exercises_checks import *  # noqa: F403
from book_pdf_checks import *  # noqa: F403
from book_quiz_checks import *  # noqa: F403
from book_site_checks import *  # noqa: F403
from book_slides_checks import *  # noqa: F403
from book_structure_checks import *  # noqa: F403
from test_notebooks import _check_outputs, executed_by_the_book

from migrationlab import REPO_ROOT

# The tests that need the built site use the one build of the session (conftest.built_book);
# pytest-xdist (--dist loadfile) runs this file in one worker.


@pytest.mark.slow
def test_book_builds_with_warnings_as_errors(built_book):
    assert (built_book / "index.html").exists()


@pytest.mark.slow
def test_every_toc_page_is_built(built_book):
    from conftest import toc_files

    files = toc_files()
    missing = [f for f in files if not (built_book / f"{f}.html").exists()]
    assert not missing, f"pages missing from the built site: {missing}"


@pytest.mark.slow
def test_example_notebook_page_shows_the_map_with_alt_text(built_book):
    page = (built_book / "notebooks" / "00_getting_started.html").read_text(encoding="utf-8")
    images = re.findall(r"<img[^>]*>", page)
    maps = [img for img in images if "World map of GDP per person" in img]
    assert maps, "the executed map (with its alt text) is not on the page"
    assert "fig-start-gdp-map" in page


@pytest.mark.slow
def test_status_page_lists_execution_times_and_versions(built_book):
    page = (built_book / "book" / "status.html").read_text(encoding="utf-8")
    assert "00_getting_started" in page
    assert "geopandas" in page and "jupyter-book" in page


@pytest.mark.slow
def test_no_image_without_alt_text(built_book):
    offenders = []
    for page in built_book.rglob("*.html"):
        if "_static" in page.parts or "reports" in page.parts:
            continue
        for img in re.findall(r"<img[^>]*>", page.read_text(encoding="utf-8")):
            alt = re.search(r'alt="([^"]*)"', img)
            if alt is None or not alt.group(1).strip():
                offenders.append(f"{page.relative_to(built_book)}: {img[:120]}")
    assert not offenders, "images without alt text:\n" + "\n".join(offenders)


def test_toc_lists_every_datasheet():
    import json

    import yaml

    toc = (REPO_ROOT / "book" / "_toc.yml").read_text()
    listed = set(yaml.safe_load(toc) and __import__("re").findall(r"data/datasheets/(\w+)", toc))
    package = json.loads((REPO_ROOT / "data" / "datapackage.json").read_text())
    sheets = {r["name"] for r in package["resources"] if r.get("datasheet")}
    assert listed == sheets, f"add to book/_toc.yml: {sorted(sheets - listed)}"


# --- the site in a real browser ------------------------------------------------------------
# One pass over every page in headless Chromium (site_checks.py): errors, requests, axe,
# and the download and launch buttons; one more Chromium page for the interactive checks.

SERIOUS = {"serious", "critical"}


#: Pages loaded and scanned at the same time: Chromium renders them in processes of its own,
#: so two at a time use the second core whenever the other test worker leaves it idle.
SCAN_CONCURRENCY = 2


async def _scan_page(context, axe, base: str, name: str) -> dict:
    """Load one page and scan it: errors, failed and outside requests, buttons, axe."""
    page = await context.new_page()
    found = {"errors": [], "failed": [], "outside": [], "violations": [], "buttons": []}
    # Until the page has loaded: axe's own requests afterwards are not the page's.
    loading = [True]

    async def only_local(route):
        url = route.request.url
        if url.startswith(base) or url.startswith(("data:", "blob:", "about:")):
            await route.continue_()
        else:
            if loading[0]:
                found["outside"].append(url)
            await route.abort()

    def on_console(message):
        if loading[0] and message.type == "error":
            found["errors"].append(message.text)

    def on_failed(request):
        if loading[0] and request.url.startswith(base):
            found["failed"].append(f"{request.url} ({request.failure})")

    def on_response(response):
        if loading[0] and response.status >= 400:
            found["failed"].append(f"{response.url} (HTTP {response.status})")

    await page.route("**/*", only_local)
    page.on("pageerror", lambda e: found["errors"].append(str(e)))
    page.on("console", on_console)
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    await page.goto(base + name, wait_until="load")
    await page.wait_for_timeout(100)  # let deferred scripts (MathJax, search) run
    loading[0] = False
    found["buttons"] = [
        kind
        for kind in ("download", "launch")
        if await page.locator(f".dropdown-{kind}-buttons").count() > 0
    ]
    response = (await axe.run(page, options={"resultTypes": ["violations"]})).response
    found["violations"] = [
        f"{v['id']} ({v['impact']}): {v['help']} - {len(v['nodes'])} element(s), "
        f"e.g. {v['nodes'][0]['target']}"
        for v in response["violations"]
        if v.get("impact") in SERIOUS
    ]
    await page.close()
    return found


async def _scan_site(built_book, base: str) -> dict:
    from axe_playwright_python.async_playwright import Axe
    from playwright.async_api import async_playwright
    from site_checks import CHROMIUM_FLAGS, chromium_path, site_pages

    axe = Axe()
    queue = list(site_pages(built_book))
    results = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        context = await browser.new_context()

        async def worker():
            while queue:
                name = queue.pop(0)
                results[name] = await _scan_page(context, axe, base, name)

        await asyncio.gather(*(worker() for _ in range(SCAN_CONCURRENCY)))
        await browser.close()
    return results


@pytest.fixture(scope="module")
def browser_scan(built_book):
    """Every page of the built site, loaded from a local server in Chromium and scanned."""
    from site_checks import serve, site_pages

    with serve(built_book) as base:
        results = asyncio.run(_scan_site(built_book, base))
    return {name: results[name] for name in site_pages(built_book)}  # in page order


def _failures(scan, key):
    return "\n".join(f"{name}: {item}" for name, found in scan.items() for item in found[key])


@pytest.mark.slow
def test_every_page_loads_in_the_browser_without_errors(browser_scan):
    assert len(browser_scan) > 20, "the scan found too few pages: is the site built?"
    assert not _failures(browser_scan, "errors"), "JavaScript errors:\n" + _failures(
        browser_scan, "errors"
    )
    assert not _failures(browser_scan, "failed"), "failed requests:\n" + _failures(
        browser_scan, "failed"
    )


@pytest.mark.slow
def test_no_request_leaves_the_machine(browser_scan):
    outside = _failures(browser_scan, "outside")
    assert not outside, "pages request resources from outside the site:\n" + outside


@pytest.mark.slow
def test_no_serious_or_critical_accessibility_violation(browser_scan):
    violations = _failures(browser_scan, "violations")
    assert not violations, "axe-core finds serious or critical violations:\n" + violations


@pytest.fixture(scope="module")
def browser_page(built_book):
    """A Chromium page on the local server, for interactive checks: ``(page, base_url)``."""
    from playwright.sync_api import sync_playwright
    from site_checks import CHROMIUM_FLAGS, chromium_path, serve

    with serve(built_book) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        page = browser.new_page()
        yield page, base
        browser.close()


def _lecture_pages() -> list[str]:
    import yaml

    toc = yaml.safe_load((REPO_ROOT / "book" / "_toc.yml").read_text())
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [f for f in files if re.fullmatch(r"book/\d\d_\w+", f)]


@pytest.mark.slow
def test_search_finds_every_chapter(built_book, browser_page):
    page, base = browser_page
    lectures = _lecture_pages()
    assert len(lectures) == 5, lectures
    missed = []
    for lecture in lectures:
        html = (built_book / f"{lecture}.html").read_text(encoding="utf-8")
        title = re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", html, re.S).group(1))
        # The longest word of the title: distinctive enough to find the chapter by.
        term = max(re.findall(r"[A-Za-z]{4,}", title), key=len).lower()
        page.goto(f"{base}search.html?q={term}", wait_until="load")
        page.wait_for_function(
            "() => { const s = document.querySelector('#search-results .search-summary');"
            " return s && s.textContent.trim().length > 0; }",
            timeout=20_000,
        )
        hrefs = page.eval_on_selector_all(
            "#search-results ul.search a", "as => as.map(a => a.href)"
        )
        if not any(f"{lecture}.html" in h for h in hrefs):
            missed.append(f"{lecture} (searched for {term!r}; found {len(hrefs)} results)")
    assert not missed, "the search page does not find:\n" + "\n".join(missed)


@pytest.mark.slow
def test_solution_dropdowns_open(built_book, browser_page):
    page, base = browser_page
    solution_pages = sorted((built_book / "book" / "solutions").glob("*.html"))
    assert solution_pages, "no worked-solutions page in the built site"
    for path in solution_pages:
        page.goto(base + path.relative_to(built_book).as_posix(), wait_until="load")
        details = page.locator("article details")
        assert details.count() > 0, f"{path.name}: no collapsed solution"
        for i in range(details.count()):
            box = details.nth(i)
            assert box.get_attribute("open") is None, f"{path.name}: dropdown {i} starts open"
            box.locator("summary").first.click()
            assert box.get_attribute("open") is not None, f"{path.name}: dropdown {i} stays shut"
            assert box.is_visible()


@pytest.mark.slow
def test_download_and_launch_buttons_are_present(browser_scan):
    missing = []
    for name, found in browser_scan.items():
        if name in ("search.html", "genindex.html", "404.html", "index.html"):
            continue  # (the root index.html only redirects to book/index.html)
        if name.startswith("slides/"):
            continue  # slide decks are single files of their own, without the book's buttons
        if "download" not in found["buttons"]:
            missing.append(f"{name}: no download button")
        notebook = name.startswith(("notebooks/", "exercises/", "book/solutions/"))
        if notebook and "launch" not in found["buttons"]:
            missing.append(f"{name}: no launch button")
    assert not missing, "\n".join(missing)


@pytest.mark.slow
def test_no_broken_internal_link_and_external_links_are_reported(built_book):
    from site_checks import crawl_links

    broken, external = crawl_links(built_book)
    assert not broken, "broken internal links:\n" + "\n".join(broken)
    report = REPO_ROOT / "_build" / "external_links.md"
    lines = [
        "# External links of the built site",
        "",
        "They cannot be checked from the build machine (no network); check them by hand.",
        "Links to a DOI (https://doi.org/...) are preferred where a work has one.",
        "",
        "| link | DOI | pages |",
        "| --- | --- | --- |",
    ]
    for url in sorted(external):
        pages = sorted(set(external[url]))
        shown = ", ".join(pages[:3]) + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
        lines.append(f"| {url} | {'yes' if 'doi.org/' in url else ''} | {shown} |")
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert external, "no external link found: is the crawl reading the pages?"


@pytest.mark.slow
def test_make_book_writes_the_course_archive_without_instructor_files(built_book):
    import zipfile

    from coursekit.book import ARCHIVE

    if os.environ.get("MIGRATIONLAB_BUILT_SITE"):
        pytest.skip("the archive is written by `make book`, not by an earlier build")
    with zipfile.ZipFile(ARCHIVE) as z:
        names = set(z.namelist())
    top = ARCHIVE.stem
    for needed in (
        "site/index.html",
        "site/notebooks/00_getting_started.html",
        "notebooks/00_getting_started.ipynb",
        "exercises/00_warmup.ipynb",
        "book/solutions/00_warmup.ipynb",  # generated, not in git: the archive's book needs it
        "data/datapackage.json",
        "src/migrationlab/data.py",
        "requirements.txt",
        "README.md",
    ):
        assert f"{top}/{needed}" in names, f"the course archive lacks {needed}"
    hidden = sorted(n for n in names if n.startswith(f"{top}/solutions/"))
    assert not hidden, f"the reader's archive holds the hidden checks: {hidden[:3]}"


@pytest.mark.slow
def test_student_edition_has_no_solution_code(built_book):
    # After the full book (built_book): the student edition then reuses its execution cache.
    # Both builds run in this module, one after the other: two builds at once would race
    # on the shared jupyter-cache folder.
    import nbformat
    from test_exercises import NAMES, _solution_lines

    result = subprocess.run(
        [sys.executable, "-m", "migrationlab", "book", "--student"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    html = REPO_ROOT / "_build" / "student" / "_build" / "html"
    pages = {p: p.read_text(encoding="utf-8") for p in html.rglob("*.html")}
    assert any("exercises" in str(p) for p in pages), "the exercises are not in the edition"
    assert not (html / "book" / "solutions").exists(), "worked solutions are in the edition"
    import html as html_lib

    # A solution line that the course teaches elsewhere (a lab, a lecture, the code given in
    # another exercise) is course material, not a leak: only lines found nowhere but in
    # solutions/ must be absent from the student edition.
    sources = [
        cell.source
        for folder in ("notebooks", "exercises")
        for path in sorted((REPO_ROOT / folder).glob("*.ipynb"))
        for cell in nbformat.read(path, as_version=4).cells
    ]
    sources += [p.read_text(encoding="utf-8") for p in sorted((REPO_ROOT / "book").glob("*.md"))]
    taught = "\n".join(sources)
    plain = {path: html_lib.unescape(re.sub(r"<[^>]+>", "", text)) for path, text in pages.items()}
    for name in NAMES:
        for line in _solution_lines(name):
            if line in taught:
                continue
            for path, text in plain.items():
                assert line not in text, f"solution code {line!r} of {name} in {path}"


# --- the notebooks the build executed (each once per session) ------------------------------

EXECUTED_BY_THE_BOOK = executed_by_the_book()


@pytest.mark.slow
@pytest.mark.parametrize("doc", EXECUTED_BY_THE_BOOK)
def test_notebook_of_the_book_ran_without_error_or_warning(built_book, doc):
    """The outputs the build got for the notebook as it is now, from its execution cache.

    (Not from ``_build/jupyter_execute/``: MyST-NB writes the notebook there without its
    outputs when they come from the cache.)
    """
    import nbformat
    import yaml
    from jupyter_cache import get_cache

    config = yaml.safe_load((REPO_ROOT / "book" / "_config.yml").read_text(encoding="utf-8"))
    cache_dir = built_book.parent.parent / config["execute"]["cache"]
    if (REPO_ROOT / f"{doc}.ipynb").is_file():
        source = nbformat.read(REPO_ROOT / f"{doc}.ipynb", as_version=4)
    else:  # a lecture page in MyST Markdown, read as MyST-NB reads it for the cache
        from myst_nb.core.read import myst_nb_reader_plugin

        source = myst_nb_reader_plugin(str(REPO_ROOT / f"{doc}.md"))
    try:
        # The cache matches on the code of every cell: a match is of the notebook as it is,
        # executed (MyST-NB caches a notebook once it has run).
        _, executed = get_cache(cache_dir).merge_match_into_notebook(source)
    except KeyError:
        pytest.fail(f"the book build left no executed copy of the current {doc} in {cache_dir}")
    _check_outputs(executed, doc)
