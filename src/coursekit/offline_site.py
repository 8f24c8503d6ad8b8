"""A Sphinx extension for the reader's side of the built book: offline, shareable, findable.

- **Offline math.** Sphinx loads MathJax from a CDN by default; a reader offline (or on a
  summer-school network that blocks it) then sees raw ``$...$``. This extension ships the
  single-file MathJax 3 bundle ``tex-svg-full.js`` from the PyPI package
  ``django-static-mathjax`` (MathJax 3.2.2; only static files, despite its name) into
  ``_static/mathjax/`` and points Sphinx's ``mathjax_path`` at it. The SVG output needs
  no web fonts, so nothing else is fetched.
- **Sharing metadata.** Every page gets Open Graph tags (title, description, type).
- **A 404 page** (``404.html`` at the root of the site) that points back to the start.
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


def _use_local_mathjax(app, config) -> None:
    config.mathjax_path = MATHJAX_PATH


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


def _not_found_page(app):
    if app.builder.format != "html":
        return
    start = app.builder.get_target_uri(app.config.root_doc)
    body = (
        '<section id="page-not-found"><h1>Page not found</h1>'
        "<p>There is no page at this address in this edition of the course. Pages move "
        "when chapters are reorganised; the search box above finds them by content.</p>"
        f'<p><a href="{start}">Go to the start of the course</a>.</p></section>'
    )
    yield "404", {"title": "Page not found", "body": body}, "page.html"


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
    app.connect("config-inited", _use_local_mathjax)
    app.connect("build-finished", _copy_mathjax)
    app.connect("html-page-context", _sharing_metadata)
    # After the themes have filled the context (their handlers run at the default 500).
    app.connect("html-page-context", _fix_theme_context, priority=900)
    app.connect("html-collect-pages", _not_found_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
