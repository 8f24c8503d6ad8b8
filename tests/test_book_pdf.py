"""The whole-book PDF (coursekit.book_pdf) on a small site made here: no book build needed.

The fast tests check the assembly (order, numbering, links, what is dropped) and the PDF
reading and bookmarking on a hand-made PDF; the two marked slow print the small site with
Chromium, once as it is and once with a page that asks for the network.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from coursekit import book_pdf
from coursekit.book import TOC, toc_documents
from coursekit.offline_site import mathjax_source

# A 1 x 1 PNG: the smallest figure a page can have.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a2cdf1d30000000049454e44ae426082"
)

SMALL_TOC = """
format: jb-book
root: book/index
parts:
  - caption: Start here
    chapters:
      - file: book/intro
  - caption: "Week 1 · Day 1"
    chapters:
      - file: book/01_topic
        sections:
          - file: notebooks/01_topic
  - caption: "Week 1 · Day 2"
    numbered: true
    chapters:
      - file: book/02_topic
  - caption: Appendices
    chapters:
      - file: book/data
        sections:
          - file: book/sheet
      - file: book/bibliography
"""

CONFIG = """
title: A Small Course
author: The team
copyright: "2026"
logo: book/images/logo.svg
html:
  extra_footer: "<p>Text: CC BY 4.0.</p>"
sphinx:
  config:
    html_last_updated_fmt: "%d %B %Y"
"""

BODIES = {
    "book/index": ("A Small Course", "<p>Welcome.</p>"),
    "book/intro": (
        "Introduction",
        '<p>See <a class="reference internal" href="01_topic.html#stocks">stocks</a>, '
        '<a href="https://example.org/data">the data</a> and '
        '<a href="other.html">a page left out</a>.</p>'
        '<button class="copybtn">copy</button><script>alert(1)</script>',
    ),
    "book/01_topic": (
        "Chapter 1: Topic one",
        '<section id="stocks"><h2>Stocks<a class="headerlink" href="#stocks">#</a></h2>'
        '<p>As <a href="bibliography.html#id3">[Lee, 1966]</a> says; see '
        '<a href="#stocks">above</a>.</p>'
        '<figure id="fig-one"><img src="../_images/fig.png" alt="a figure"></figure>'
        "</section>",
    ),
    "notebooks/01_topic": (
        "Lab 1: Topic one",
        '<details class="hide above-input"><summary>Show code cell source</summary>'
        "<pre>print(1)</pre></details>"
        '<details class="sd-dropdown"><summary>Hint</summary><p>Look up.</p></details>'
        "<table><tr><th>pop_born_other</th></tr><tr><td>1</td></tr></table>",
    ),
    "book/02_topic": ("Topic two", '<p>Inline math <span class="math">\\(x^2\\)</span>.</p>'),
    "book/data": ("Data catalogue", "<p>The data.</p>"),
    "book/sheet": ("One data sheet", "<p>Columns.</p>"),
    "book/bibliography": (
        "Bibliography",
        '<div class="citation" id="id3"><span class="label">Lee</span>'
        "<p>Everett S. Lee. A theory of migration. Demography, 1966.</p></div>",
    ),
    "book/other": ("Not in the TOC", "<p>Left out.</p>"),
}


def _page(doc: str, title: str, body: str) -> str:
    up = "../" * doc.count("/")
    return textwrap.dedent(
        f"""\
        <!DOCTYPE html><html><head><title>{title}</title>
        <link rel="stylesheet" href="{up}_static/site.css">
        <script>window.MathJax = {{"options": {{"processHtmlClass": "math"}}}}</script>
        <script defer src="{up}_static/mathjax/tex-svg-full.js"></script>
        </head><body><nav class="bd-sidebar">Navigation</nav><main>
        <article class="bd-article" role="main"><section id="top"><h1>{title}<a
        class="headerlink" href="#top">#</a></h1>{body}</section></article></main>
        </body></html>"""
    )


@pytest.fixture()
def site(tmp_path: Path) -> dict[str, Path]:
    """A built site of nine pages, its TOC and its configuration."""
    html = tmp_path / "html"
    for doc, (title, body) in BODIES.items():
        path = html / f"{doc}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_page(doc, title, body), encoding="utf-8")
    (html / "index.html").write_text("<meta http-equiv='refresh' content='0; book/index.html'>")
    (html / "_images").mkdir()
    (html / "_images" / "fig.png").write_bytes(PNG)
    (html / "_static" / "mathjax").mkdir(parents=True)
    shutil.copyfile(mathjax_source(), html / "_static" / "mathjax" / "tex-svg-full.js")
    (html / "_static" / "site.css").write_text("p { color: #222; }")
    (html / "_static" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    )
    toc = tmp_path / "_toc.yml"
    toc.write_text(SMALL_TOC, encoding="utf-8")
    config = tmp_path / "_config.yml"
    config.write_text(CONFIG, encoding="utf-8")
    return {"html": html, "toc": toc, "config": config}


def _book(site, **kwargs) -> book_pdf.Printable:
    return book_pdf.assemble(
        site["html"], site["toc"], config=site["config"], date=dt.date(2026, 7, 1), **kwargs
    )


def _section(document: str, doc: str) -> str:
    """The HTML of one page of the assembled book."""
    start = document.index(f'id="{book_pdf.anchor(doc)}"')
    end = document.find('<section class="pdf-page', start)
    return document[start : end if end > 0 else None]


# --- numbering from the table of contents ---


def test_outline_numbers_chapters_and_appendices_from_the_toc_structure(site):
    outline = book_pdf.book_outline(site["toc"])
    assert [e.doc for e in outline] == toc_documents(site["toc"])
    labels = {e.doc: (e.label, e.depth) for e in outline}
    assert labels == {
        "book/index": ("", 0),
        "book/intro": ("", 0),
        "book/01_topic": ("Chapter 1", 0),  # a top-level entry with sections
        "notebooks/01_topic": ("", 1),  # inside chapter 1
        "book/02_topic": ("Chapter 2", 0),  # a `numbered` part
        "book/data": ("Appendix A", 0),
        "book/sheet": ("", 1),
        "book/bibliography": ("", 0),  # closes the book without a letter
    }
    assert outline[2].part == "Week 1 · Day 1"


def test_the_course_has_five_lecture_chapters_and_lettered_appendices():
    outline = book_pdf.book_outline(TOC)
    chapters = [(e.label, e.doc) for e in outline if e.label.startswith("Chapter")]
    assert [label for label, _ in chapters] == [f"Chapter {n}" for n in range(1, 6)]
    assert all(re.fullmatch(r"book/0[1-5]_\w+", doc) for _, doc in chapters), chapters
    appendices = [e for e in outline if e.label.startswith("Appendix")]
    assert appendices[0].label == "Appendix A"
    assert all(e.depth == 0 for e in appendices)


def test_a_toc_that_is_not_a_book_is_a_clear_error(tmp_path):
    toc = tmp_path / "toc.yml"
    toc.write_text("format: jb-article\nroot: index\n", encoding="utf-8")
    with pytest.raises(ValueError, match="toc.yml.*`root` and `parts`"):
        book_pdf.book_outline(toc)


# --- assembly ---


def test_pages_follow_the_toc_after_the_title_page_and_contents(site):
    document = _book(site).html
    positions = [document.index(f'id="{book_pdf.anchor(d)}"') for d in toc_documents(site["toc"])]
    assert positions == sorted(positions)
    assert document.index('id="pdf-title"') < document.index('id="pdf-contents"') < positions[0]
    assert "Not in the TOC" not in document


def test_a_link_to_another_page_becomes_an_anchor_and_a_web_link_stays(site):
    document = _book(site).html
    intro = _section(document, "book/intro")
    assert 'href="#book-01_topic--stocks"' in intro
    assert 'href="https://example.org/data"' in intro
    assert "a page left out" in intro and 'href="other.html"' not in intro
    chapter = _section(document, "book/01_topic")
    assert 'href="#book-bibliography--id3"' in chapter  # a citation lands on the bibliography
    assert 'id="book-01_topic--stocks"' in chapter
    # every link inside the document has its target
    ids = set(re.findall(r'id="([^"]+)"', document))
    assert set(re.findall(r'href="#([^"]+)"', document)) <= ids


def test_figures_point_at_the_files_of_the_site(site):
    chapter = _section(_book(site).html, "book/01_topic")
    src = re.search(r'<img [^>]*src="([^"]+)"', chapter).group(1)
    assert src == (site["html"] / "_images" / "fig.png").resolve().as_uri()


def test_what_acts_on_a_screen_is_dropped_and_folded_cells_are_opened(site):
    document = _book(site).html
    for gone in ("headerlink", "copybtn", "alert(1)", "Navigation", "Show code cell source"):
        assert gone not in document, gone
    lab = _section(document, "notebooks/01_topic")
    assert "<pre>print(1)</pre>" in lab and 'class="hide' not in lab  # unfolded
    assert lab.count("<details") == lab.count('open=""') == 1
    assert "<summary>Hint</summary>" in lab  # a dropdown keeps its title
    assert "pop_<wbr/>born_<wbr/>other" in lab  # wide column heads may wrap


def test_chapters_are_numbered_once_and_their_pages_sit_inside(site):
    book = _book(site)
    chapter = _section(book.html, "book/01_topic")
    assert '<span class="pdf-label">Chapter 1</span>' in chapter
    assert "Topic one" in chapter and "Chapter 1: Topic one" not in chapter
    lab = _section(book.html, "notebooks/01_topic")
    assert "<h2>Lab 1: Topic one</h2>" in lab  # one level below its chapter
    assert '<span class="pdf-label">Appendix A</span>' in _section(book.html, "book/data")
    assert (0, "Chapter 1: Topic one", "book-01_topic") in book.bookmarks
    assert (1, "Lab 1: Topic one", "notebooks-01_topic") in book.bookmarks
    contents = book.html[book.html.index('id="pdf-contents"') :]
    assert re.search(r"Chapter 2</span>Topic two</a>", contents)


def test_the_title_page_says_what_the_data_are_and_under_which_licence(site):
    document = _book(site).html
    title = document[document.index('id="pdf-title"') : document.index('id="pdf-contents"')]
    for text in ("A Small Course", "The team", "Synthetic sample data unless marked"):
        assert text in title
    assert "01 July 2026" in title and "CC BY 4.0" in title and "© 2026" in title


def test_math_brings_the_sites_mathjax(site):
    book = _book(site)
    assert book.math
    assert (site["html"] / "_static/mathjax/tex-svg-full.js").resolve().as_uri() in book.html
    (site["html"] / "_static/mathjax/tex-svg-full.js").unlink()
    with pytest.raises(FileNotFoundError, match="MathJax is missing.*make book"):
        _book(site)


def test_a_missing_page_names_the_toc_entry(site):
    (site["html"] / "book" / "02_topic.html").unlink()
    with pytest.raises(FileNotFoundError, match=r"_toc.yml: the entry `file: book/02_topic`"):
        _book(site)


def test_a_missing_figure_is_an_error(site):
    (site["html"] / "_images" / "fig.png").unlink()
    with pytest.raises(FileNotFoundError, match=r"book/01_topic.html: <img src='../_images"):
        _book(site)


def test_a_config_without_title_is_a_clear_error(site):
    site["config"].write_text(yaml.safe_dump({"author": "x"}), encoding="utf-8")
    with pytest.raises(ValueError, match="_config.yml: no `title`"):
        _book(site)


def test_no_built_site_says_to_build_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="make book"):
        book_pdf.write_book_pdf(tmp_path, TOC, tmp_path / "book.pdf")


def test_missing_chromium_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(FileNotFoundError, match="apt-get install chromium"):
        book_pdf.chromium_path()


# --- reading and bookmarking a PDF ---


def _pdf_with_destinations(pages: int, destinations: dict[str, int]) -> bytes:
    """A PDF of blank pages with named destinations (page from 0), as Chromium names ids."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    for name, page in destinations.items():
        writer.add_named_destination(name, page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_with_chromium_dests(pages: int, destinations: dict[str, int]) -> bytes:
    """The same, with the destinations where Chromium writes them: the catalogue's /Dests."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    dests = DictionaryObject()
    for name, page in destinations.items():
        where = [NameObject("/XYZ"), NumberObject(0), NumberObject(800), NumberObject(0)]
        dests[NameObject("/" + name)] = ArrayObject([writer.pages[page].indirect_reference, *where])
    writer._root_object[NameObject("/Dests")] = writer._add_object(dests)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_named_pages_reads_chromiums_destinations_by_their_ids():
    data = _pdf_with_chromium_dests(3, {"book-01_topic": 1, "book-bibliography--id3": 2})
    assert book_pdf.named_pages(data) == {"book-01_topic": 2, "book-bibliography--id3": 3}
    marked = book_pdf.add_bookmarks(data, [(0, "Chapter 1", "book-01_topic")])
    assert marked != data  # found by its id, so bookmarked


def test_named_pages_reads_the_page_of_each_named_destination():
    data = _pdf_with_destinations(3, {"chapter-1": 1, "lab-1": 2})
    assert book_pdf.named_pages(data) == {"chapter-1": 2, "lab-1": 3}
    assert book_pdf.page_count(data) == 3


def test_bookmarks_are_appended_and_fold_the_pages_of_a_chapter():
    from pypdf import PdfReader

    data = _pdf_with_destinations(3, {"chapter-1": 1, "lab-1": 2, "chapter-2": 2})
    marked = book_pdf.add_bookmarks(
        data,
        [
            (0, "Chapter 1: Ümlaut", "chapter-1"),
            (1, "Lab", "lab-1"),
            (0, "Gone", "no-such"),
            (0, "Chapter 2", "chapter-2"),
        ],
    )
    assert marked.startswith(data)  # an incremental update: the printed PDF is left as it was
    reader = PdfReader(io.BytesIO(marked))
    top = reader.outline
    titles = [item.title for item in top if not isinstance(item, list)]
    assert titles == ["Chapter 1: Ümlaut", "Chapter 2"]  # no destination, no bookmark
    assert [item.title for item in top[1]] == ["Lab"]  # folded under its chapter
    assert reader.get_destination_page_number(top[0]) == 1
    assert reader.get_destination_page_number(top[1][0]) == 2
    assert reader.page_mode == "/UseOutlines"
    assert book_pdf.named_pages(marked) == book_pdf.named_pages(data)


def test_a_pdf_without_destinations_gets_no_bookmarks():
    data = _pdf_with_destinations(2, {})
    assert book_pdf.add_bookmarks(data, [(0, "Chapter 1", "chapter-1")]) == data


def test_only_files_of_the_machine_may_be_loaded():
    class Route:
        def __init__(self, url):
            self.request = type("Request", (), {"url": url})()
            self.done = None

        def continue_(self):
            self.done = "continued"

        def abort(self, reason):
            self.done = reason

    blocked: list[str] = []
    local, web = Route("file:///site/_static/site.css"), Route("https://cdn.example.org/x.js")
    book_pdf._only_local(local, blocked)
    book_pdf._only_local(web, blocked)
    assert (local.done, web.done) == ("continued", "blockedbyclient")
    assert blocked == ["https://cdn.example.org/x.js"]


# --- printing (Chromium) ---


@pytest.mark.slow
def test_the_small_site_prints_with_contents_page_numbers_and_bookmarks(site, tmp_path, capsys):
    out = book_pdf.write_book_pdf(
        site["html"], site["toc"], tmp_path / "small.pdf", config=site["config"]
    )
    data = out.read_bytes()
    anchors = book_pdf.named_pages(data)
    # title page, contents, then a page each (the data sheet runs on after its appendix)
    assert book_pdf.page_count(data) == 9
    assert anchors["book-01_topic"] == 5
    assert anchors["book-bibliography--id3"] == 9  # the citation's target
    assert b"/Outlines" in data and b"/Subtype /Image" in data
    printed = capsys.readouterr().out
    assert "warning" not in printed  # the contents' page numbers held, nothing sticks out
    assert "(9 pages" in printed


@pytest.mark.slow
def test_a_page_that_asks_for_the_network_fails_the_print(site, tmp_path):
    page = site["html"] / "book" / "intro.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(
        text.replace("<p>See", '<p><img src="https://example.org/tracker.png" alt="">See'),
        encoding="utf-8",
    )
    with pytest.raises(RuntimeError, match=r"(?s)offline.*https://example.org/tracker.png"):
        book_pdf.write_book_pdf(
            site["html"], site["toc"], tmp_path / "small.pdf", config=site["config"]
        )
    assert not (tmp_path / "small.pdf").exists()
