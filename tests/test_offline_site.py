"""Fast tests of the site extensions coursekit.offline_site and coursekit.downloads.

No book is built here: the functions are called on small inputs. What they do to the built
site in a browser is checked by tests/book_site_checks.py (slow).
"""

from __future__ import annotations

from types import SimpleNamespace

import nbformat
import pytest
import yaml

from coursekit import downloads, offline_site
from migrationlab import REPO_ROOT

CONFIG = REPO_ROOT / "book" / "_config.yml"


def _config() -> dict:
    return yaml.safe_load(CONFIG.read_text(encoding="utf-8"))


# --- the 404 page --------------------------------------------------------------------------


def test_not_found_page_links_the_start_absolutely():
    context = offline_site.not_found_context("/", "book/index.html")
    assert context["title"] == "Page not found"
    assert 'href="/book/index.html"' in context["body"]
    assert "There is no page at this address" in context["body"]


def test_not_found_page_under_a_sub_path():
    context = offline_site.not_found_context("/course/", "book/index.html")
    assert 'href="/course/book/index.html"' in context["body"]


@pytest.mark.parametrize("prefix", ["course/", "/course", "https://host/course/"])
def test_a_relative_prefix_is_refused_with_the_fix(prefix):
    with pytest.raises(ValueError, match=r"notfound_urls_prefix.*\"/course/\""):
        offline_site.not_found_context(prefix, "book/index.html")


def test_config_enables_the_404_extension_at_the_root():
    sphinx = _config()["sphinx"]
    assert "notfound.extension" in sphinx["extra_extensions"]
    prefix = sphinx["config"]["notfound_urls_prefix"]
    assert prefix == "/"
    offline_site.not_found_context(prefix, "book/index.html")  # accepted


def test_no_launch_button_points_at_a_placeholder_host():
    launch = _config()["launch_buttons"]
    assert "jupyterhub_url" not in launch
    for key, value in launch.items():
        if key.endswith("_url"):
            assert "example." not in value and "localhost" not in value, (key, value)
    assert _config()["repository"]["url"].startswith("https://github.com/")


# --- configuration: static files, the empty top bar, MathJax -------------------------------


def _fake_config(**theme_options):
    return SimpleNamespace(
        mathjax_path="", html_static_path=["_static"], html_theme_options=dict(theme_options)
    )


def test_configure_serves_the_course_files_and_empties_the_top_bar():
    config = _fake_config()
    offline_site._configure(None, config)
    assert config.mathjax_path == offline_site.MATHJAX_PATH
    assert config.html_static_path[0] == "_static"
    static = offline_site.STATIC_DIR
    assert config.html_static_path[-1] == str(static)
    assert (static / "course.css").is_file() and (static / "course.js").is_file()
    assert config.html_theme_options["navbar_persistent"] == []


def test_configure_keeps_a_top_bar_the_configuration_asks_for():
    config = _fake_config(navbar_persistent=["search-button-field"])
    offline_site._configure(None, config)
    assert config.html_theme_options["navbar_persistent"] == ["search-button-field"]


def _fake_app(equations: dict[str, bool]):
    domain = SimpleNamespace(data={"has_equations": equations})
    env = SimpleNamespace(get_domain=lambda name: domain)
    return SimpleNamespace(env=env, config=SimpleNamespace(mathjax_path="mathjax/tex.js"))


def test_mathjax_only_where_the_page_itself_has_mathematics():
    app = _fake_app({"book/03": True, "book/index": False})
    assert offline_site.page_has_math(app, "book/03")
    assert not offline_site.page_has_math(app, "book/index")
    assert not offline_site.page_has_math(app, "404")  # a generated page


class _Script(str):
    """Like Sphinx's _JavaScript: a str with ``filename`` and ``attributes``."""

    def __new__(cls, filename, **attributes):
        self = super().__new__(cls, filename)
        self.filename, self.attributes = filename, attributes
        return self


def _page_context(app, pagename):
    scripts = [
        _Script("_static/doctools.js"),
        _Script("", body='window.MathJax = {"options": {}}'),
        _Script("_static/mathjax/tex.js", defer="defer"),
        _Script("_static/course.js", defer="defer"),
    ]
    context = {"script_files": scripts}
    offline_site._fix_theme_context(app, pagename, "page.html", context, None)
    return [str(getattr(s, "filename", s)) or "inline" for s in context["script_files"]]


def test_pages_without_mathematics_lose_the_mathjax_scripts():
    app = _fake_app({"with": True, "without": False})
    assert _page_context(app, "without") == ["_static/doctools.js", "_static/course.js"]
    assert _page_context(app, "with") == [
        "_static/doctools.js",
        "inline",
        "_static/mathjax/tex.js",
        "_static/course.js",
    ]


# --- source maps ---------------------------------------------------------------------------


def test_source_maps_and_the_comments_naming_them_are_removed(tmp_path):
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "a.js").write_text("let a = 1;\n//# sourceMappingURL=a.js.map", encoding="utf-8")
    (scripts / "a.js.map").write_text("{}", encoding="utf-8")
    (tmp_path / "b.css").write_text("p{}\n/*# sourceMappingURL=b.css.map */\n", encoding="utf-8")
    (tmp_path / "b.css.map").write_text("{}", encoding="utf-8")
    # A map that was never shipped (reveal.js names one): its comment goes too.
    (tmp_path / "c.js").write_text("c();\n//# sourceMappingURL=c.js.map\n", encoding="utf-8")
    inline = "d();\n//# sourceMappingURL=data:application/json;base64,e30=\n"
    (tmp_path / "d.js").write_text(inline, encoding="utf-8")

    removed = offline_site.remove_source_maps(tmp_path)

    assert sorted(p.name for p in removed) == ["a.js.map", "b.css.map"]
    assert not list(tmp_path.rglob("*.map"))
    assert (scripts / "a.js").read_text(encoding="utf-8") == "let a = 1;"
    assert (tmp_path / "b.css").read_text(encoding="utf-8") == "p{}\n"
    assert (tmp_path / "c.js").read_text(encoding="utf-8") == "c();\n"
    assert (tmp_path / "d.js").read_text(encoding="utf-8") == inline


# --- executed notebooks --------------------------------------------------------------------


def _download_menu(*labels):
    buttons = [{"type": "link", "label": label, "url": label} for label in labels]
    return {"header_buttons": [{"label": "download-buttons", "buttons": buttons}]}


def _labels(context):
    return [b["label"] for b in context["header_buttons"][0]["buttons"]]


def test_executed_entry_follows_the_notebook_as_committed():
    md_page = _download_menu(
        "download-notebook-button", "download-source-button", "download-pdf-button"
    )
    assert downloads.add_menu_entry(md_page, "../_downloads/executed/book/x.ipynb")
    assert _labels(md_page)[:2] == ["download-notebook-button", downloads.ENTRY_LABEL]
    ipynb_page = _download_menu("download-source-button", "download-pdf-button")
    downloads.add_menu_entry(ipynb_page, "x")
    assert _labels(ipynb_page) == [
        "download-source-button",
        downloads.ENTRY_LABEL,
        "download-pdf-button",
    ]
    downloads.add_menu_entry(ipynb_page, "x")  # once only
    assert _labels(ipynb_page).count(downloads.ENTRY_LABEL) == 1


def test_every_menu_ends_with_the_whole_book_pdf_once():
    page = _download_menu("download-source-button", "download-pdf-button")
    assert downloads.add_book_pdf_entry(page, "../download/data-driven-migration.pdf")
    downloads.add_book_pdf_entry(page, "../download/data-driven-migration.pdf")
    assert _labels(page) == [
        "download-source-button",
        "download-pdf-button",
        downloads.BOOK_PDF_LABEL,
    ]
    assert page["header_buttons"][0]["buttons"][-1]["url"].endswith(downloads.BOOK_PDF)
    assert not downloads.add_book_pdf_entry({"header_buttons": []}, "x")


def test_no_menu_no_entry():
    context = {"header_buttons": [{"label": "launch-buttons", "buttons": []}]}
    assert not downloads.add_menu_entry(context, "x")
    assert context["header_buttons"][0]["buttons"] == []


MD_NOTEBOOK = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
---
# A lecture

```{code-cell} python
print(1 + 1)
```
"""


def test_markdown_notebooks_are_read_as_myst_nb_reads_them(tmp_path):
    page = tmp_path / "lecture.md"
    page.write_text(MD_NOTEBOOK, encoding="utf-8")
    notebook = downloads.read_source(page)
    assert [c.cell_type for c in notebook.cells] == ["markdown", "code"]
    plain = tmp_path / "plain.md"
    plain.write_text("# Not a notebook\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"plain\.md: not a notebook"):
        downloads.read_source(plain)


def test_executed_notebook_merges_the_cached_outputs(tmp_path):
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    source = tmp_path / "lab.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(2)")])
    nbformat.write(notebook, source)
    executed = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(2)")])
    executed.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="2\n")]
    cache_dir = tmp_path / "cache"
    get_cache(str(cache_dir)).cache_notebook_bundle(
        CacheBundleIn(executed, str(source)), check_validity=False
    )

    merged = downloads.executed_notebook(source, cache_dir)

    assert merged.cells[0].outputs[0]["text"] == "2\n"
    assert not nbformat.read(source, as_version=4).cells[0].outputs  # the source is untouched


def test_a_notebook_missing_from_the_cache_says_what_to_do(tmp_path):
    from jupyter_cache import get_cache

    source = tmp_path / "lab.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), source)
    with pytest.raises(LookupError, match="no execution cache"):
        downloads.executed_notebook(source, tmp_path / "nowhere")
    get_cache(str(tmp_path / "cache")).list_cache_records()  # an empty cache
    with pytest.raises(LookupError, match="build the book again"):
        downloads.executed_notebook(source, tmp_path / "cache")
