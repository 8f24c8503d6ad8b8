"""Browser checks of the built site on a phone, a desktop and at a missing address (issue 20).

Plain ``test_...`` functions, marked slow, that take the ``built_book`` fixture:
``tests/test_book.py`` imports them so that they share its one build. To run them alone
against a site built already::

    MIGRATIONLAB_BUILT_SITE=_build/html pytest -q tests/book_site_checks.py -p no:xdist

Each fixture drives Chromium in a thread of its own and returns what it found, so that
these checks run beside test_book.py's browser fixtures (Playwright's sync API refuses to
start while another sync or async Playwright runs in the same thread). Viewports: a phone
390x844 (touch, scale 2) and a desktop 1366x900.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import io
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from site_checks import CHROMIUM_FLAGS, _QuietHandler, chromium_path, parse_page, serve, site_pages

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}

#: The page of the menu checks: a lecture, with a left navigation and page contents.
MENU_PAGE = "book/03_migration_drivers.html"
#: A page with mathematics, rendered by MathJax.
MATH_PAGE = "book/03_migration_drivers.html"
#: A missing address three folders deep.
MISSING = "a/b/c/missing.html"

PLACEHOLDER_HOST = re.compile(
    r"(^|\.)example\.(com|org|net)$|^localhost$|^127\.\d+\.\d+\.\d+$|^0\.0\.0\.0$|^\[?::1\]?$"
)


def _in_thread(function, *args):
    """Run ``function(*args)`` in a new thread (a fresh event loop) and return its result."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def _toc_pages() -> list[str]:
    from conftest import toc_files

    return [f"{doc}.html" for doc in toc_files()]


@contextlib.contextmanager
def _browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


class _NotFoundHandler(_QuietHandler):
    """Answers a missing path as a web host does: ``404.html``, with status 404."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.exists():
            return super().send_head()
        page = Path(self.directory) / "404.html"
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve_with_not_found(folder: Path):
    """Like ``site_checks.serve``, but a missing path gets the site's 404 page (status 404)."""
    return serve(folder, _NotFoundHandler)


# --- every page on a phone -----------------------------------------------------------------

#: Elements wider than the window, outside any box that scrolls (or clips) sideways.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => /(auto|scroll|hidden|clip)/.test(getComputedStyle(el).overflowX);
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("dialog:not([open])")) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || (box.right <= width + 1 && box.left >= -1)) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
    let parent = el.parentElement, contained = false;
    while (parent && parent !== document.body) {
      if (scrolls(parent) && parent.getBoundingClientRect().right <= width + 1) {
        contained = true;
        break;
      }
      parent = parent.parentElement;
    }
    if (contained) continue;
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      [...el.classList].map((c) => "." + c).join("");
    found.push(`${name} (${Math.round(box.left)}..${Math.round(box.right)} px): ` +
      el.textContent.trim().slice(0, 60));
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, found};
}"""

MATHJAX_READY_JS = """() => (window.MathJax && MathJax.startup && MathJax.startup.promise)
  ? MathJax.startup.promise.then(() => true) : true"""


def _scan_phone(built_book: Path, pages: list[str]) -> dict:
    results = {}
    with serve(built_book) as base, _browser() as browser:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        for name in pages:
            requests.clear()
            page.goto(base + name, wait_until="load")
            page.evaluate(MATHJAX_READY_JS)
            overflow = page.evaluate(OVERFLOW_JS)
            results[name] = {
                "overflow": overflow,
                "mathjax": any("/mathjax/" in url for url in requests),
                "rendered_math": page.locator("mjx-container").count(),
            }
        context.close()
    return results


@pytest.fixture(scope="module")
def phone_scan(built_book):
    """Every page of the table of contents, loaded on a phone: overflow and MathJax."""
    return _in_thread(_scan_phone, built_book, _toc_pages())


@pytest.mark.slow
def test_no_page_is_wider_than_a_phone(built_book, phone_scan):
    assert len(phone_scan) > 60, "too few pages: is the site built?"
    wide = []
    for name, found in phone_scan.items():
        overflow = found["overflow"]
        if overflow["found"] or overflow["scrollWidth"] > overflow["width"]:
            shown = "; ".join(overflow["found"][:3]) or "(no single element)"
            wide.append(f"{name}: {overflow['scrollWidth']} px wide: {shown}")
    assert not wide, f"{len(wide)} of {len(phone_scan)} pages overflow at 390 px:\n" + "\n".join(
        wide
    )


def _has_math(html_file: Path) -> bool:
    text = html_file.read_text(encoding="utf-8")
    article = text[text.find("<article") : text.rfind("</article>")]
    return re.search(r'class="[^"]*\bmath\b', article) is not None


@pytest.mark.slow
def test_mathjax_loads_only_on_pages_with_mathematics(built_book, phone_scan):
    with_math = [name for name in phone_scan if _has_math(built_book / name)]
    assert MATH_PAGE in with_math, f"{MATH_PAGE} has no mathematics any more: pick another page"
    needless = [n for n in phone_scan if n not in with_math and phone_scan[n]["mathjax"]]
    missing = [n for n in with_math if not phone_scan[n]["mathjax"]]
    unrendered = [n for n in with_math if not phone_scan[n]["rendered_math"]]
    assert not needless, "pages without mathematics load MathJax:\n" + "\n".join(needless)
    assert not missing, "pages with mathematics do not load MathJax:\n" + "\n".join(missing)
    assert not unrendered, "MathJax renders nothing on:\n" + "\n".join(unrendered)


# --- menus, search and figures -------------------------------------------------------------


def _dialog_state(page, dialog: str) -> dict:
    return page.evaluate(
        """(id) => {
          const d = document.getElementById(id);
          const links = [...d.querySelectorAll("a.reference")].filter((a) => {
            const r = a.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && getComputedStyle(a).visibility !== "hidden";
          });
          return {open: d.open, links: links.length};
        }""",
        dialog,
    )


def _phone_menus(page, base: str) -> dict:
    """Each menu opened by its button and closed each way: states after opening and closing."""
    found = {}
    page.goto(base + MENU_PAGE, wait_until="load")
    found["visible_toggles"] = {
        kind: sum(t.is_visible() for t in page.locator(f".{kind}-toggle").all())
        for kind in ("primary", "secondary")
    }
    width = PHONE["viewport"]["width"]
    for kind, dialog, outside in (
        ("primary", "pst-primary-sidebar-modal", (width - 8, 400)),
        ("secondary", "pst-secondary-sidebar-modal", (8, 400)),
    ):
        for way in ("button", "escape", "overlay"):
            page.locator(f".bd-header-article .{kind}-toggle").tap()
            page.wait_for_timeout(150)
            opened = _dialog_state(page, dialog)
            if way == "button":
                page.locator(f"#{dialog} .course-menu-close").tap(timeout=5000)
            elif way == "escape":
                page.keyboard.press("Escape")
            else:
                page.touchscreen.tap(*outside)
            page.wait_for_timeout(150)
            found[f"{kind}/{way}"] = {"opened": opened, "closed": _dialog_state(page, dialog)}
    # The search button of the article header opens the search dialog.
    page.locator(".bd-header-article .search-button").tap()
    found["search_opens"] = page.evaluate("document.getElementById('pst-search-dialog').open")
    page.keyboard.press("Escape")
    return found


def _desktop(page, base: str, shots: Path | None) -> dict:
    found = {}
    page.goto(base + MENU_PAGE, wait_until="load")
    header = page.locator("#pst-header")
    found["top_band_height"] = header.bounding_box()["height"] if header.is_visible() else 0
    found["article_header_top"] = page.locator(".bd-header-article").bounding_box()["y"]
    found["search_fields"] = sum(f.is_visible() for f in page.locator(".search-button-field").all())
    found["page_contents_links"] = page.locator("#pst-secondary-sidebar a.reference").count()
    found["page_contents_visible"] = page.locator("#pst-secondary-sidebar").is_visible()
    found["secondary_toggle_visible"] = page.locator(".secondary-toggle").first.is_visible()
    # Ctrl+K opens the search dialog with its field focused; Enter searches.
    page.keyboard.press("Control+k")
    page.wait_for_timeout(100)
    found["shortcut_opens_search"] = page.evaluate(
        "(() => { const d = document.getElementById('pst-search-dialog');"
        " return d.open && d.contains(document.activeElement); })()"
    )
    page.keyboard.type("gravity")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    found["search_url"] = page.url
    page.goto(base + MENU_PAGE, wait_until="load")
    sidebar = page.locator("#pst-primary-sidebar")
    toggle = page.locator(".bd-header-article .primary-toggle")
    found["sidebar_before"] = sidebar.is_visible()
    toggle.click()
    page.wait_for_timeout(600)  # the theme's transition
    found["sidebar_collapsed"] = not sidebar.is_visible()
    found["dialog_after_collapse"] = page.evaluate(
        "document.getElementById('pst-primary-sidebar-modal').open"
    )
    found["search_button_when_collapsed"] = page.locator(
        ".bd-header-article .search-button"
    ).is_visible()
    if shots:
        page.screenshot(path=shots / "desktop_collapsed.png")
    toggle.click()
    page.wait_for_timeout(600)
    found["sidebar_reopened"] = sidebar.is_visible()
    found["sidebar_links"] = sum(
        a.is_visible() for a in page.locator("#pst-primary-sidebar a.reference").all()[:10]
    )
    return found


def _figure_page(built_book: Path) -> str:
    for name in _toc_pages():
        text = (built_book / name).read_text(encoding="utf-8")
        if re.search(r"<figure[^>]*>\s*<img ", text):
            return name
    raise AssertionError("no page of the book has a figure")


def _lightbox(page, base: str, name: str, tap: bool) -> dict:
    """A figure opened by a click (or tap) and by the keyboard, at full size, and closed."""
    page.goto(base + name, wait_until="load")
    button = page.locator(".course-figure-button").first
    button.scroll_into_view_if_needed()
    inline = button.locator("img").bounding_box()["width"]
    if tap:
        button.tap()
    else:
        button.click()
    page.wait_for_timeout(200)
    state = """() => { const d = document.querySelector("dialog.course-lightbox");
      const img = d.querySelector("img");
      return {open: d.open, natural: img.naturalWidth, shown: img.getBoundingClientRect().width,
              focus_in: d.contains(document.activeElement),
              focus_back: document.activeElement.classList.contains("course-figure-button")}; }"""
    found = {"inline": inline, "opened": page.evaluate(state)}
    page.keyboard.press("Escape")
    found["after_escape"] = page.evaluate(state)
    page.keyboard.press("Enter")  # the focus is back on the figure
    found["keyboard_opened"] = page.evaluate(state)
    page.locator(".course-lightbox__fit").click()
    found["fitted"] = page.evaluate(state)
    page.locator(".course-lightbox__close").click()
    found["after_close"] = page.evaluate(state)
    return found


def _interact(built_book: Path, shots: Path | None) -> dict:
    figure_page = _figure_page(built_book)
    found = {"figure_page": figure_page}
    with serve(built_book) as base, _browser() as browser:
        errors: list[str] = []
        for label, options in (("phone", PHONE), ("desktop", DESKTOP)):
            context = browser.new_context(**options)
            page = context.new_page()
            page.on("pageerror", lambda e, label=label: errors.append(f"{label}: {e}"))
            if label == "phone":
                found["menus"] = _phone_menus(page, base)
            else:
                found["desktop"] = _desktop(page, base, shots)
            found[f"lightbox/{label}"] = _lightbox(page, base, figure_page, label == "phone")
            context.close()
        found["errors"] = errors
    return found


@pytest.fixture(scope="module")
def interactions(built_book):
    """Menus, search and the figure viewer, driven on a phone and on a desktop."""
    return _in_thread(_interact, built_book, None)


@pytest.mark.slow
def test_phone_menus_open_and_close(interactions):
    menus = interactions["menus"]
    assert menus["visible_toggles"] == {"primary": 1, "secondary": 1}, menus["visible_toggles"]
    failures = []
    for key, state in menus.items():
        if "/" not in key:
            continue
        if not (state["opened"]["open"] and state["opened"]["links"] > 0):
            failures.append(f"{key}: the menu does not open with its links shown ({state})")
        if state["closed"]["open"]:
            failures.append(f"{key}: the menu stays open")
    assert len([k for k in menus if "/" in k]) == 6
    assert not failures, "\n".join(failures)
    assert menus["search_opens"], "the search button of the phone's header does nothing"
    assert not interactions["errors"], interactions["errors"]


@pytest.mark.slow
def test_desktop_has_one_search_box_and_no_empty_band(interactions):
    desktop = interactions["desktop"]
    assert desktop["top_band_height"] == 0, "the empty top bar is back"
    assert desktop["article_header_top"] == 0, "something sits above the article header"
    assert desktop["search_fields"] == 1, f"{desktop['search_fields']} search boxes"
    assert desktop["shortcut_opens_search"], "Ctrl+K does not open the search field"
    assert "search.html?q=gravity" in desktop["search_url"], desktop["search_url"]


@pytest.mark.slow
def test_desktop_sidebars(interactions):
    desktop = interactions["desktop"]
    # The page contents is always shown on a desktop: there is no button to open it.
    assert desktop["page_contents_visible"] and desktop["page_contents_links"] > 3, desktop
    assert not desktop["secondary_toggle_visible"]
    # The hamburger collapses the left sidebar and opens it again (never as a dialog).
    assert desktop["sidebar_before"], "the left sidebar is hidden when the page opens"
    assert desktop["sidebar_collapsed"], "the hamburger does not collapse the left sidebar"
    assert not desktop["dialog_after_collapse"], "the hamburger opened the phone's dialog"
    assert desktop["search_button_when_collapsed"], "no search button with the sidebar hidden"
    assert desktop["sidebar_reopened"] and desktop["sidebar_links"] > 0


@pytest.mark.slow
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_figures_open_full_size_and_close(interactions, device):
    found = interactions[f"lightbox/{device}"]
    where = f"{interactions['figure_page']} on the {device}"
    opened = found["opened"]
    assert opened["open"], f"{where}: clicking the figure opens nothing"
    assert opened["natural"] > 0 and abs(opened["shown"] - opened["natural"]) <= 1, (
        f"{where}: not at full size ({opened['shown']} px shown of {opened['natural']})"
    )
    assert opened["focus_in"], f"{where}: the focus is not in the viewer"
    assert not found["after_escape"]["open"], f"{where}: Escape does not close the viewer"
    assert found["after_escape"]["focus_back"], f"{where}: the focus is not back on the figure"
    assert found["keyboard_opened"]["open"], f"{where}: Enter on the figure opens nothing"
    width = (PHONE if device == "phone" else DESKTOP)["viewport"]["width"]
    assert found["fitted"]["shown"] <= width, f"{where}: 'Fit to screen' does not fit"
    assert not found["after_close"]["open"], f"{where}: the close button does not close"


# --- the 404 page --------------------------------------------------------------------------


def _visit_missing(built_book: Path, shots: Path | None) -> dict:
    found = {"failed": [], "errors": []}
    with serve_with_not_found(built_book) as base, _browser() as browser:
        page = browser.new_context(**PHONE).new_page()

        def on_response(response):
            if response.status >= 400 and response.url != base + MISSING:
                found["failed"].append(f"{response.url} (HTTP {response.status})")

        page.on("requestfailed", lambda r: found["failed"].append(f"{r.url} ({r.failure})"))
        page.on("response", on_response)
        page.on("pageerror", lambda e: found["errors"].append(str(e)))

        def on_console(message):
            # (Chromium reports the page's own status 404 as an error: that one is expected.)
            if message.type == "error" and message.location.get("url") != base + MISSING:
                found["errors"].append(f"{message.text} ({message.location.get('url')})")

        page.on("console", on_console)
        response = page.goto(base + MISSING, wait_until="load")
        page.wait_for_timeout(200)
        found["status"] = response.status
        found["title"] = page.locator("article h1").first.inner_text()
        found["styled"] = page.evaluate(
            "getComputedStyle(document.documentElement)"
            ".getPropertyValue('--pst-color-primary').trim()"
        )
        found["logo"] = page.evaluate(
            "[...document.querySelectorAll('img.logo__image')].some(i => i.naturalWidth > 0)"
        )
        if shots:
            page.screenshot(path=shots / "not_found_at_depth.png")
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        here = {base, base + MISSING}  # (the skip link points into the page itself)
        internal = sorted({h.split("#")[0] for h in hrefs if h.startswith(base)} - here)
        found["dead_links"] = [
            h for h in internal if page.request.get(h, max_redirects=0).status >= 400
        ]
        found["links_checked"] = len(internal)
        start = page.get_by_role("link", name="Go to the start of the course")
        found["start_href"] = start.get_attribute("href")
        with page.expect_navigation():
            start.click()
        found["start_title"] = page.title()
        found["start_status"] = page.request.get(page.url).status
    return found


@pytest.fixture(scope="module")
def not_found_visit(built_book):
    return _in_thread(_visit_missing, built_book, None)


@pytest.mark.slow
def test_the_404_page_works_at_any_depth(not_found_visit):
    found = not_found_visit
    assert found["status"] == 404
    assert found["title"] == "Page not found"
    assert found["styled"], "the 404 page is not styled (the theme's stylesheet is missing)"
    assert found["logo"], "the logo of the 404 page does not load"
    assert not found["failed"], "failed requests:\n" + "\n".join(found["failed"])
    assert not found["errors"], "console errors:\n" + "\n".join(found["errors"])
    assert found["links_checked"] > 20 and not found["dead_links"], found["dead_links"]
    assert found["start_status"] == 200 and "Page not found" not in found["start_title"], found


# --- links, downloads and files (no browser) -----------------------------------------------


@pytest.mark.slow
def test_no_link_points_at_a_placeholder_host(built_book):
    pages = site_pages(built_book)  # with the 404 page and the slide decks
    found = []
    for name in pages:
        for attribute, value in parse_page(built_book / name).targets:
            host = urlsplit(value).hostname or ""
            if PLACEHOLDER_HOST.search(host):
                found.append(f"{name}: {attribute}={value}")
    assert len(pages) > 60
    assert not found, "links to placeholder hosts:\n" + "\n".join(found)


@pytest.mark.slow
def test_every_executed_notebook_page_offers_its_executed_notebook(built_book):
    import nbformat
    from test_notebooks import executed_by_the_book

    executed = executed_by_the_book()
    assert len(executed) > 20, executed
    problems = []
    for doc in executed:
        html = (built_book / f"{doc}.html").read_text(encoding="utf-8")
        link = re.search(r'<a href="([^"]+)"[^>]*btn-download-executed-notebook-button', html)
        if not link:
            problems.append(f"{doc}: no 'executed .ipynb' in the download menu")
            continue
        target = urlsplit(urljoin(f"http://site/{doc}.html", link.group(1))).path.lstrip("/")
        if target != f"_downloads/executed/{doc}.ipynb" or not (built_book / target).is_file():
            problems.append(f"{doc}: the link {link.group(1)} leads to no file")
            continue
        notebook = nbformat.read(built_book / target, as_version=4)
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        if not any(cell.get("outputs") for cell in code):
            problems.append(f"{doc}: the executed notebook has no output")
        if "download-source-button" not in html:
            problems.append(f"{doc}: the notebook as committed is not offered")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_no_source_maps_in_the_site(built_book):
    static = built_book / "_static"
    maps = sorted(p.relative_to(built_book).as_posix() for p in built_book.rglob("*.map"))
    assert not maps, f"source maps in the site: {maps}"
    named = [
        f"{p.relative_to(built_book)}: {m.group(1)}"
        for p in [*static.rglob("*.js"), *static.rglob("*.css")]
        for m in re.finditer(
            r"sourceMappingURL=([^\s*]+)", p.read_text(encoding="utf-8", errors="replace")
        )
        if not m.group(1).startswith("data:")
    ]
    assert not named, "files still name a source map (the browser would request it):\n" + (
        "\n".join(named)
    )
