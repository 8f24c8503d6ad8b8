"""A Sphinx extension for the reader's side of the built book: offline, shareable, findable.

- **Offline math.** Sphinx loads MathJax from a CDN by default; a reader offline (or on a
  summer-school network that blocks it) then sees raw ``$...$``. This extension ships the
  single-file MathJax 3 bundle ``tex-svg-full.js`` from the PyPI package
  ``django-static-mathjax`` (MathJax 3.2.2; only static files, despite its name) into
  ``_static/mathjax/`` and points Sphinx's ``mathjax_path`` at it. The SVG output needs
  no web fonts, so nothing else is fetched.
  MathJax (2.3 MB) is loaded only by pages that have mathematics themselves: Sphinx 7
  also counts the mathematics of every page a page's table of contents lists, so a
  chapter page and the start page would load it for their sections' formulas.
- **Sharing metadata.** Every page gets Open Graph tags (title, description, type).
- **A 404 page that works at any address.** ``sphinx-notfound-page`` (``notfound.extension``,
  set up here too) writes ``404.html`` with absolute links (``notfound_urls_prefix`` in
  ``book/_config.yml``); this extension gives it its text and its link to the start.
- **Phones, projectors and desktops.** The course's stylesheet and script
  (``coursekit/static/course.css`` and ``course.js``): long inline code wraps, wide outputs
  scroll in their own box, figures open full size, the menus get a close button. The theme's
  empty top bar goes: pydata-sphinx-theme 0.17 fills it with a second search box, and its
  hidden copies of the menu buttons are the ones the theme's script wires, so that on a
  phone the visible buttons did nothing (pydata/pydata-sphinx-theme#2451).
- **Downloads.** Each executed notebook page offers its notebook with outputs
  (:mod:`coursekit.downloads`).
- **No source maps.** The themes ship ``.map`` files of their bundled scripts and styles;
  the site does not need them (they are removed with the comments that point at them).
- **Fixes of the generated pages** that the browser tests found: sphinx-thebe's inline
  configuration script is added twice (a JavaScript error, "THEBE_JS_URL has already
  been declared", on every page); the sidebar's expand buttons (``<summary>``) have no
  accessible name (axe-core rule ``summary-name``, serious); and docutils marks the
  bibliography ``role="list"`` without list items (``aria-required-children``, critical).

Enabled in ``book/_config.yml`` (``sphinx.extra_extensions``).
"""

from __future__ import annotations

import html
import shutil
from importlib.resources import files
from pathlib import Path

#: The MathJax bundle: TeX input with every extension, SVG output, menu and assistive MathML.
MATHJAX_FILE = "tex-svg-full.js"
MATHJAX_PATH = f"mathjax/{MATHJAX_FILE}"  # relative to _static, as Sphinx reads it


def mathjax_source() -> Path:
    """The bundled MathJax file in the installed ``django-static-mathjax`` package."""
    try:
        path = Path(str(files("mathjax") / "static" / "mathjax" / "es5" / MATHJAX_FILE))
    except ModuleNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise RuntimeError(
            f"MathJax ({MATHJAX_FILE}) is not installed: the offline book needs the package "
            "django-static-mathjax from requirements.txt. Recreate the environment with "
            "`make book` (or `pip install -r requirements.txt`)."
        )
    return path


#: The course's stylesheet and script, served from the package.
STATIC_DIR = Path(__file__).parent / "static"


def _configure(app, config) -> None:
    config.mathjax_path = MATHJAX_PATH
    config.html_static_path = [*config.html_static_path, str(STATIC_DIR)]
    # pydata-sphinx-theme 0.17 puts a search box in the top bar unless told otherwise; the
    # book theme leaves the rest of that bar empty. Without it the bar renders no buttons.
    config.html_theme_options.setdefault("navbar_persistent", [])


def _is_math_script(app, script) -> bool:
    filename = str(getattr(script, "filename", script) or "")  # "_static/" + mathjax_path
    body = str(getattr(script, "attributes", {}).get("body", ""))
    mathjax = app.config.mathjax_path
    return filename in (mathjax, f"_static/{mathjax}") or body.lstrip().startswith("window.MathJax")


def page_has_math(app, pagename: str) -> bool:
    """Whether the page itself (not the pages its table of contents lists) has mathematics."""
    return bool(app.env.get_domain("math").data["has_equations"].get(pagename, False))


def _copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / MATHJAX_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    source = mathjax_source()
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        shutil.copyfile(source, target)


DESCRIPTION = (
    "An open course on migration data science: official statistics, new digital data, "
    "gravity models, segregation in cities and air passenger flows, with executable "
    "notebooks over synthetic sample data."
)


def _sharing_metadata(app, pagename, templatename, context, doctree) -> None:
    site = app.config.html_title or app.config.project
    title = context.get("title") or site
    full = site if title == site else f"{title} - {site}"
    tags = {
        "og:title": full,
        "og:site_name": site,
        "og:type": "website" if pagename == app.config.root_doc else "article",
        "og:description": DESCRIPTION,
    }
    extra = "".join(
        f'<meta property="{key}" content="{html.escape(value, quote=True)}" />\n'
        for key, value in tags.items()
    )
    extra += f'<meta name="description" content="{html.escape(DESCRIPTION, quote=True)}" />\n'
    context["metatags"] = context.get("metatags", "") + extra


def not_found_context(prefix: str | None, start: str) -> dict[str, str]:
    """The title and body of the 404 page; ``start`` is the start page relative to the root.

    The page is served at any missing address, so its link is absolute: ``prefix`` is
    ``notfound_urls_prefix`` (where the site is published, ``/`` at the root of a host).
    """
    prefix = prefix or "/"
    if not (prefix.startswith("/") and prefix.endswith("/")):
        raise ValueError(
            f"book/_config.yml: sphinx.config.notfound_urls_prefix is {prefix!r}; it must start "
            'and end with "/": "/" for a site at the root of its host, "/course/" for one '
            "published under https://host/course/"
        )
    href = html.escape(prefix + start.lstrip("/"), quote=True)
    body = (
        '<section id="page-not-found"><h1>Page not found</h1>'
        "<p>There is no page at this address in this edition of the course. Pages move "
        "when chapters are reorganised; the search box finds them by content.</p>"
        f'<p><a href="{href}">Go to the start of the course</a>.</p></section>'
    )
    return {"title": "Page not found", "body": body}


def _set_not_found_page(app) -> None:
    if app.builder.format != "html":
        return
    start = app.builder.get_target_uri(app.config.root_doc)
    app.config.notfound_context = not_found_context(app.config.notfound_urls_prefix, start)


def _remove_source_maps(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    remove_source_maps(Path(app.outdir) / "_static")


def remove_source_maps(static: Path) -> list[Path]:
    """Delete the ``.map`` files under ``static`` and the comments that point at maps.

    A browser with its developer tools open requests the map that a script or stylesheet
    names in a ``sourceMappingURL`` comment: with the maps gone, those requests would fail.
    (Maps inlined as ``data:`` addresses are kept: they request nothing.) Returns the files
    deleted.
    """
    maps = sorted(static.rglob("*.map"))
    for m in maps:
        m.unlink()
    for asset in [*static.rglob("*.js"), *static.rglob("*.css")]:
        text = asset.read_text(encoding="utf-8", errors="surrogateescape")
        if "sourceMappingURL=" not in text:
            continue
        lines = text.split("\n")
        kept = [line for line in lines if not _points_at_a_map(line)]
        if len(kept) != len(lines):
            asset.write_text("\n".join(kept), encoding="utf-8", errors="surrogateescape")
    return maps


def _points_at_a_map(line: str) -> bool:
    stripped = line.strip()
    for opening, closing in (("//# sourceMappingURL=", ""), ("/*# sourceMappingURL=", "*/")):
        if stripped.startswith(opening) and stripped.endswith(closing):
            target = stripped[len(opening) : len(stripped) - len(closing)].strip()
            return not target.startswith("data:")
    return False


_CITATION_LIST = '<div role="list" class="citation-list">'
_TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
_NAMED_TOGGLE = (
    '<summary aria-label="Show or hide the pages below this one">'
    '<span class="toctree-toggle" role="presentation">'
)


def _fix_theme_context(app, pagename, templatename, context, doctree) -> None:
    scripts, seen = [], set()
    for script in context.get("script_files", []):
        # Sphinx's _JavaScript: the same file or inline body, whatever its priority.
        attributes = getattr(script, "attributes", {})
        filename = getattr(script, "filename", script) or ""  # inline: None or ""
        key = (str(filename), tuple(sorted(attributes.items())))
        if key not in seen:
            seen.add(key)
            scripts.append(script)
    if not page_has_math(app, pagename):
        scripts = [script for script in scripts if not _is_math_script(app, script)]
    context["script_files"] = scripts
    if "body" in context:
        context["body"] = context["body"].replace(_CITATION_LIST, '<div class="citation-list">')
    toctree = context.get("generate_toctree_html")
    if toctree is not None and not getattr(toctree, "names_toggles", False):

        def named_toggles(*args, **kwargs):
            rendered = toctree(*args, **kwargs)
            text = str(rendered).replace(_TOGGLE, _NAMED_TOGGLE)
            if type(rendered).__name__ == "BeautifulSoup":  # the theme returns a soup
                return type(rendered)(text, "html.parser")
            return type(rendered)(text)

        named_toggles.names_toggles = True
        context["generate_toctree_html"] = named_toggles


def setup(app):
    mathjax_source()  # fail at the start of the build, not after it, when it is missing
    app.setup_extension("notfound.extension")
    app.setup_extension("coursekit.downloads")
    app.connect("config-inited", _configure)
    app.add_css_file("course.css")
    app.add_js_file("course.js", loading_method="defer")
    app.connect("builder-inited", _set_not_found_page)
    app.connect("build-finished", _copy_mathjax)
    # Last, after every extension has copied its static files (reveal.js for the slides).
    app.connect("build-finished", _remove_source_maps, priority=900)
    app.connect("html-page-context", _sharing_metadata)
    # After the themes have filled the context (their handlers run at the default 500).
    app.connect("html-page-context", _fix_theme_context, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
