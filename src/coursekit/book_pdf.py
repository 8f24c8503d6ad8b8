"""The whole book as one PDF, for students who read on paper or offline on a tablet.

Why from the built site: a second Sphinx build (the LaTeX builder) would double the build
time and need a TeX installation, while the HTML site already holds everything a reader
needs: the executed notebooks' outputs, the figures, the numbered sections and the
bibliography. So :func:`write_book_pdf` takes ``_build/html``, reads the pages in the
order of the table of contents, joins their articles into one printable document and has
Chromium (the browser the site's tests already drive) print it.

- **Numbering from the TOC, not from titles.** A top-level entry with sections (a
  lecture, whose lab, exercise and solution pages follow inside it) is a chapter
  ("Chapter 1" ...), as is every top-level entry of a ``numbered`` part; the entries of a
  part whose caption starts with "Appendi" are appendices ("Appendix A" ...); the
  bibliography and the other pages carry no number (:func:`book_outline`). A page title
  that already says "Chapter 1: ..." loses that prefix, so the number is not said twice.
- **One document, one set of anchors.** Every id of a page is prefixed with the page's
  anchor (``book-01_data_landscape--fig-stocks``), and a link to another page of the book
  becomes a link inside the PDF, so citations land on the bibliography's page. Links to
  the web stay; links to files of the site that are not pages are dropped (text kept).
- **Nothing that needs a screen.** Buttons, header links, scripts and the sidebars go;
  folded cells and dropdowns are opened.
- **Offline.** The figures, style sheets and MathJax are the site's own files, read from
  disk; a request for anything else is blocked and fails the build loudly.
- **Paper.** A4, page numbers in the footer, each chapter on a new page, figures kept
  whole, code wrapped and wide tables scaled to the text width, a table of contents with
  page numbers (found by printing twice: the second print only fills in the numbers, so
  the pages do not move), and bookmarks for every page, a chapter's pages folded under
  it (:func:`add_bookmarks`, with pypdf).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import posixpath
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import yaml
from bs4 import BeautifulSoup, NavigableString, Tag

from coursekit.book import BUILD_DIR, CONFIG, TOC, toc_documents
from coursekit.browser import OFFLINE_FLAGS, chromium_path
from coursekit.downloads import BOOK_PDF

#: Where ``make book`` puts the PDF (inside the site, so that the site can link to it).
PDF = BUILD_DIR / "html" / BOOK_PDF

#: A4 with these margins; the text is 210 - 2 * 16 = 178 mm wide.
MARGINS = {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
TEXT_WIDTH_PX = int((210 - 2 * 16) / 25.4 * 96)

#: Pages that close the book without an appendix letter.
UNNUMBERED = {"bibliography", "genindex"}

#: Removed from every article: they act on a screen and mean nothing on paper.
SCREEN_TAGS = {"script", "noscript", "button", "form", "input", "iframe"}
SCREEN_CLASSES = {
    "headerlink",
    "copybtn",
    "toggle-button",
    "sd-summary-state-marker",
    "d-print-none",
    "noprint",
    "thebe-launch-button",
}

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
#: "Chapter 1: ", "Appendix · ": what a page's own title says that the label says already.
_LABEL_PREFIX = re.compile(r"^\s*(Chapter|Appendix)(\s+[0-9A-Z]{1,3})?\s*[·:—–-]\s*")


@dataclass(frozen=True)
class Entry:
    """One page of the book as the PDF places it.

    ``label`` is "Chapter 1", "Appendix A" or "" (no number); ``depth`` is 0 for a page of
    its own (a chapter, an appendix, a front page) and 1 for a page inside a chapter (its
    lab, exercises, solutions) or an appendix; ``part`` is the caption of its TOC part.
    """

    doc: str
    label: str
    depth: int
    part: str


def book_outline(toc: Path = TOC) -> list[Entry]:
    """The pages of a table of contents, in its order, with their chapter numbers.

    The order is :func:`coursekit.book.toc_documents`'s; the numbers come from the TOC's
    structure: in a part captioned "Appendices", the top-level entries are appendices A,
    B, ...; elsewhere, a top-level entry with sections, or any top-level entry of a part
    with ``numbered: true``, is a chapter, numbered 1, 2, ... across the book.
    """
    data = yaml.safe_load(toc.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "root" not in data or "parts" not in data:
        raise ValueError(
            f"{toc}: expected a jb-book table of contents with `root` and `parts`; "
            "see book/_toc.yml for the format"
        )
    places: dict[str, Entry] = {data["root"]: Entry(data["root"], "", 0, "")}
    chapter, appendix = 0, 0
    for part in data["parts"]:
        caption = str(part.get("caption", ""))
        for top in part.get("chapters", []):
            label = ""
            stem = posixpath.basename(str(top.get("file", "")))
            if caption.lower().startswith("appendi"):
                if stem not in UNNUMBERED:
                    label = f"Appendix {chr(ord('A') + appendix)}"
                    appendix += 1
            elif part.get("numbered") or top.get("sections"):
                chapter += 1
                label = f"Chapter {chapter}"
            _place(top, label, 0, caption, places)
    return [places[doc] for doc in toc_documents(toc)]


def _place(entry: dict, label: str, depth: int, part: str, places: dict) -> None:
    if "file" in entry:
        places[entry["file"]] = Entry(entry["file"], label if depth == 0 else "", depth, part)
    for section in entry.get("sections", []):
        _place(section, label, depth + 1, part, places)


def anchor(doc: str, fragment: str = "") -> str:
    """The id of a page (or of an element of it) in the one-document book."""
    page = re.sub(r"[^A-Za-z0-9_-]", "-", doc)
    return f"{page}--{fragment}" if fragment else page


def _read_config(config: Path) -> dict:
    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{config}: the book's configuration is missing; pass the path of _config.yml"
        ) from None
    except yaml.YAMLError as error:
        raise ValueError(f"{config}: not valid YAML; fix the line it names: {error}") from None
    if not isinstance(data, dict) or not data.get("title"):
        raise ValueError(f"{config}: no `title`; add the course title (title: ...) to it")
    return data


def _page_text(html_dir: Path, entry: Entry, toc: Path) -> str:
    path = html_dir / f"{entry.doc}.html"
    if not path.is_file():
        raise FileNotFoundError(
            f"{toc}: the entry `file: {entry.doc}` has no page {path} in the built site; "
            "build the book first (make book), or remove the entry from the TOC"
        )
    return path.read_text(encoding="utf-8")


def _article(text: str, path: Path) -> Tag:
    """The page's article; only that part of the page is parsed (the rest is navigation)."""
    start = text.find('<article class="bd-article"')
    end = text.find("</article>", start)
    article = None
    if start >= 0 and end >= 0:
        soup = BeautifulSoup(text[start : end + len("</article>")], "html.parser")
        article = soup.find("article")
    if article is None:
        raise ValueError(
            f"{path}: no <article class='bd-article'>; the PDF reads Jupyter Book pages "
            "built with sphinx-book-theme (html builder)"
        )
    return article


def _clean(article: Tag) -> None:
    """Drop what acts on a screen; open what a screen folds (one pass: pages are long)."""
    for tag in article.find_all(True):
        if tag.decomposed:
            continue  # inside a tag removed already
        if tag.name in SCREEN_TAGS or SCREEN_CLASSES.intersection(tag.get("class") or ()):
            tag.decompose()
        elif tag.name == "details" and "hide" in tag.get("class", []):
            # MyST-NB's folded cell ("Show code cell source"): the cell, unfolded.
            for summary in tag.find_all("summary", recursive=False):
                summary.decompose()
            tag.unwrap()
        elif tag.name == "details":
            tag["open"] = ""  # a dropdown (a hint, a solution) keeps its title, opened
        elif tag.name == "img":
            tag.attrs.pop("loading", None)
        elif tag.name == "th":
            _break_after_underscores(tag)


def _break_after_underscores(cell: Tag) -> None:
    """Let a column head such as ``pop_born_other_non_eu`` wrap after its underscores."""
    for text in cell.find_all(string=True):
        if "_" not in text or text.find_parent(["code", "pre"]) is not None:
            continue
        pieces = text.split("_")
        nodes: list = []
        for i, piece in enumerate(pieces):
            if i < len(pieces) - 1:
                nodes += [NavigableString(piece + "_"), Tag(name="wbr", can_be_empty_element=True)]
            elif piece:
                nodes.append(NavigableString(piece))
        text.replace_with(*nodes)


def _rewrite_links(article: Tag, page: str, html_dir: Path, docs: set[str]) -> list[str]:
    """Make ids unique, links internal, images absolute; return the missing images."""
    own = anchor(page)
    for tag in article.find_all(id=True):
        tag["id"] = anchor(page, tag["id"])
    for tag in article.find_all(attrs={"aria-labelledby": True}):
        tag["aria-labelledby"] = " ".join(anchor(page, i) for i in tag["aria-labelledby"].split())
    here = posixpath.dirname(page)
    for link in article.find_all("a", href=True):
        href = link["href"]
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            continue  # the web, mail: kept as they are
        if not parts.path:
            link["href"] = f"#{anchor(page, parts.fragment)}" if parts.fragment else f"#{own}"
            continue
        target = posixpath.normpath(posixpath.join(here, parts.path))
        doc = target[: -len(".html")] if target.endswith(".html") else None
        if doc in docs:
            link["href"] = f"#{anchor(doc, parts.fragment)}"
        else:
            link.unwrap()  # a page left out, a download, an image: nothing to open on paper
    missing = []
    for img in article.find_all("img", src=True):
        src = img["src"]
        if urlsplit(src).scheme:
            continue  # data: URIs print as they are; anything else is blocked when printing
        path = html_dir / posixpath.normpath(posixpath.join(here, src))
        if path.is_file():
            img["src"] = path.resolve().as_uri()
        else:
            missing.append(f"{page}.html: <img src={src!r}> ({path} does not exist)")
    return missing


def _title_of(heading: Tag) -> str:
    text = "".join(
        str(s) for s in heading.find_all(string=True) if not _inside(s, "section-number")
    )
    return " ".join(text.split())


def _inside(node, css_class: str) -> bool:
    return any(css_class in (p.get("class") or []) for p in node.parents if isinstance(p, Tag))


def _label_heading(article: Tag, entry: Entry) -> str:
    """Number the page's first heading as the TOC says, shift its headings; return its title."""
    first = article.find(_HEADINGS)
    if entry.depth:
        for heading in article.find_all(_HEADINGS):
            level = min(int(heading.name[1]) + entry.depth, 6)
            heading.name = f"h{level}"
    if first is None:
        return entry.doc
    if not entry.label:
        return _title_of(first)
    for number in first.select(".section-number"):
        number.decompose()
    title = _LABEL_PREFIX.sub("", _title_of(first))
    first.clear()
    # The separator is hidden on paper (the label stands above the title) but makes the
    # PDF bookmark read "Chapter 1: Title".
    first.append(
        BeautifulSoup(
            f'<span class="pdf-label">{entry.label}</span><span class="pdf-sep">: </span>'
            f"{html.escape(title)}",
            "html.parser",
        )
    )
    return title


@dataclass
class _Page:
    entry: Entry
    title: str
    html: str


def _pages(html_dir: Path, toc: Path) -> tuple[list[_Page], dict]:
    """Every page of the TOC, cleaned and rewritten, with the site's head (styles, MathJax)."""
    outline = book_outline(toc)
    docs = {e.doc for e in outline}
    pages, missing, head = [], [], {}
    for entry in outline:
        text = _page_text(html_dir, entry, toc)
        if not head:
            head = _site_head(text, html_dir, entry.doc)
        article = _article(text, html_dir / f"{entry.doc}.html")
        _clean(article)
        missing += _rewrite_links(article, entry.doc, html_dir, docs)
        title = _label_heading(article, entry)
        head["math"] = head.get("math", False) or bool(article.select(".math"))
        pages.append(_Page(entry, title, article.decode_contents()))
    if missing:
        raise FileNotFoundError(
            "figures missing from the built site (rebuild the book: make book):\n  "
            + "\n  ".join(missing)
        )
    return pages, head


def _site_head(text: str, html_dir: Path, doc: str) -> dict:
    """The site's style sheets and MathJax, as absolute file URLs."""
    soup = BeautifulSoup(text[: text.find("</head>") + len("</head>")], "html.parser")
    here = posixpath.dirname(doc)

    def absolute(url: str) -> str:
        path = posixpath.normpath(posixpath.join(here, urlsplit(url).path))
        return (html_dir / path).resolve().as_uri()

    styles = [
        absolute(link["href"])
        for link in soup.select('head link[rel="stylesheet"]')
        if not urlsplit(link["href"]).scheme
    ]
    mathjax = soup.select_one('head script[src*="mathjax"]')
    config = next(
        (s.string for s in soup.select("head script") if s.string and "MathJax" in s.string),
        None,
    )
    return {
        "styles": styles,
        "mathjax": absolute(mathjax["src"]) if mathjax else None,
        "mathjax_config": config,
    }


#: The print style, over the site's own style sheets (light mode, see the <html> tag).
PRINT_CSS = """
@page { size: A4; }
html { font-size: 13.5px; }
body { margin: 0; background: #fff; color: #1a1a1a; -webkit-print-color-adjust: exact;
  print-color-adjust: exact; }
.pdf-book { width: 100%; }
.pdf-page { break-before: page; }
.pdf-page.pdf-run-on { break-before: auto; margin-top: 2.5rem; border-top: 1px solid #ccc; }
.pdf-book .bd-article { padding: 0; max-width: none; }
.pdf-kicker { font-size: .95rem; letter-spacing: .04em; text-transform: uppercase;
  color: #555; margin: 0 0 .3rem; }
h1 .pdf-label { display: block; font-size: 1.1rem; font-weight: 600; letter-spacing: .05em;
  text-transform: uppercase; color: #0072B2; margin-bottom: .4rem; }
.pdf-sep { display: none; }
h1, h2, h3, h4, h5, h6 { color: #1a1a1a; }
.pdf-keep { break-inside: avoid; }
figure, img, .cell_output, .admonition, .sd-card, mjx-container[display="true"], tr,
  .citation { break-inside: avoid; }
img { max-width: 100% !important; height: auto; max-height: 230mm; object-fit: contain; }
pre, pre code { white-space: pre-wrap !important; overflow-wrap: anywhere;
  overflow: visible !important; }
.pst-scrollable-table-container, .output, .cell_output, .table-wrapper {
  overflow: visible !important; }
table { max-width: 100%; }
td, th { overflow-wrap: break-word; }
a { color: #0b5394; text-decoration: none; }
details > summary { list-style: none; }
.pdf-title-page { height: 250mm; display: flex; flex-direction: column; justify-content: center;
  text-align: center; }
.pdf-title-page .pdf-logo { width: 35mm; margin: 0 auto 10mm; }
.pdf-title { font-size: 2.6rem; font-weight: 600; line-height: 1.2; margin: 0 0 6mm; }
.pdf-author { font-size: 1.3rem; margin: 0 0 14mm; }
.pdf-notice { font-size: 1.15rem; font-weight: 600; border: 2px solid #E69F00;
  padding: 3mm 6mm; margin: 0 auto 10mm; }
.pdf-date { margin: 0 0 14mm; }
.pdf-licence { font-size: .9rem; color: #333; text-align: left; }
.pdf-contents ol { list-style: none; padding: 0; margin: 0; }
.pdf-contents li { display: flex; align-items: baseline; break-inside: avoid; }
.pdf-contents li a { color: #1a1a1a; }
.pdf-contents li::after { content: ""; order: 1; flex: 1; border-bottom: 1px dotted #999;
  margin: 0 .4em; }
.pdf-contents .pdf-toc-page { order: 2; font-variant-numeric: tabular-nums; }
.pdf-contents .pdf-toc-part { font-weight: 700; margin-top: 1em; text-transform: uppercase;
  font-size: .9rem; letter-spacing: .04em; color: #555; }
.pdf-contents .pdf-toc-part::after { display: none; }
.pdf-contents .pdf-toc-d0 { margin-top: .35em; font-weight: 600; }
.pdf-contents .pdf-toc-d1 { padding-left: 1.6em; font-size: .92rem; }
.pdf-contents .pdf-toc-label { color: #0072B2; margin-right: .4em; }
"""

#: Page numbers at the foot of every page (Chromium fills the two spans).
FOOTER = (
    '<div style="font-size:8pt; width:100%; margin:0 16mm; display:flex; color:#555; '
    'font-family:sans-serif"><span style="flex:1">{title}</span>'
    '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
)


def _is_appendix(entry: Entry) -> bool:
    return entry.part.lower().startswith("appendi")


def _title_page(settings: dict, html_dir: Path, date: dt.date) -> str:
    title = html.escape(str(settings["title"]))
    logo = ""
    if settings.get("logo"):
        path = html_dir / "_static" / Path(str(settings["logo"])).name
        if path.is_file():
            logo = f'<img class="pdf-logo" src="{path.resolve().as_uri()}" alt="">'
    author = settings.get("author")
    fmt = (settings.get("sphinx") or {}).get("config", {}).get("html_last_updated_fmt")
    licence = (settings.get("html") or {}).get("extra_footer", "")
    owner = f"© {settings['copyright']} {author or ''}" if settings.get("copyright") else ""
    return (
        f'<section class="pdf-title-page" id="pdf-title">{logo}'
        f'<p class="pdf-title">{title}</p>'
        + (f'<p class="pdf-author">{html.escape(str(author))}</p>' if author else "")
        + '<p class="pdf-notice">Synthetic sample data unless marked</p>'
        f'<p class="pdf-date">{date.strftime(fmt or "%d %B %Y")}</p>'
        f'<div class="pdf-licence">{licence}<p>{html.escape(owner)}</p></div></section>'
    )


def _contents(pages: list[_Page]) -> str:
    rows, part = [], None
    for page in pages:
        entry = page.entry
        if entry.part != part:
            part = entry.part
            if part:
                rows.append(f'<li class="pdf-toc-part">{html.escape(part)}</li>')
        label = f'<span class="pdf-toc-label">{entry.label}</span>' if entry.label else ""
        rows.append(
            f'<li class="pdf-toc-d{min(entry.depth, 1)}">'
            f'<a href="#{anchor(entry.doc)}">{label}{html.escape(page.title)}</a>'
            f'<span class="pdf-toc-page" data-for="{anchor(entry.doc)}">000</span></li>'
        )
    return (
        '<section class="pdf-page pdf-contents" id="pdf-contents"><h1>Contents</h1>'
        f"<ol>{''.join(rows)}</ol></section>"
    )


@dataclass
class Printable:
    """The book as one HTML document, ready to print.

    ``math``: whether MathJax must typeset before printing; ``bookmarks``: (level, title,
    anchor) of every page, in reading order, for the PDF's bookmarks.
    """

    html: str
    math: bool
    bookmarks: list[tuple[int, str, str]]


def assemble(
    html_dir: Path, toc: Path = TOC, *, config: Path = CONFIG, date: dt.date | None = None
) -> Printable:
    """The whole book as one printable HTML document: title page, contents, the pages.

    ``date`` (the title page's) defaults to today, or to ``SOURCE_DATE_EPOCH`` when set.
    """
    settings = _read_config(config)
    if date is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        date = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch else dt.date.today()
    pages, head = _pages(html_dir, toc)
    body, part = [], None
    for page in pages:
        entry = page.entry
        classes = "pdf-page"
        if entry.depth and _is_appendix(entry):
            classes += " pdf-run-on"  # the data sheets run on, one after the other
        kicker = ""
        if entry.part != part:
            part = entry.part
            if part:
                kicker = f'<p class="pdf-kicker">{html.escape(part)}</p>'
        body.append(
            f'<section class="{classes}" id="{anchor(entry.doc)}">{kicker}'
            f'<article class="bd-article">{page.html}</article></section>'
        )
    styles = "".join(f'<link rel="stylesheet" href="{url}">' for url in head["styles"])
    math = ""
    if head["math"] and head["mathjax"]:
        if not Path(url2pathname(urlsplit(head["mathjax"]).path)).is_file():
            raise FileNotFoundError(
                f"{head['mathjax']}: the site's MathJax is missing, and the book has math; "
                "rebuild the book (make book), whose offline_site extension copies it"
            )
        if head["mathjax_config"]:
            math = f"<script>{head['mathjax_config']}</script>"
        math += f'<script defer src="{head["mathjax"]}"></script>'
    document = (
        '<!DOCTYPE html><html lang="en" data-theme="light" data-mode="light"><head>'
        f'<meta charset="utf-8"><title>{html.escape(str(settings["title"]))}</title>'
        f'{styles}<style>{PRINT_CSS}</style>{math}</head><body><main class="pdf-book">'
        f"{_title_page(settings, html_dir, date)}{_contents(pages)}{''.join(body)}"
        "</main></body></html>"
    )
    bookmarks = [
        (
            p.entry.depth,
            f"{p.entry.label}: {p.title}" if p.entry.label else p.title,
            anchor(p.entry.doc),
        )
        for p in pages
    ]
    return Printable(document, bool(math), bookmarks)


#: Scale what is wider than the text (wide data frames, long equations) down to the text
#: width (not below 40 %) by its font size, then list what sticks out all the same. Not
#: with CSS zoom: Chromium then lays some pages out differently from one print to the next.
_FIT_JS = """(width) => {
  const room = (el) => {
    const box = el.getBoundingClientRect();
    return {left: box.left, need: Math.max(el.scrollWidth, box.width)};
  };
  const tooWide = (el) => { const r = room(el); return r.left + r.need > width + 1; };
  let scaled = 0;
  const wide = document.querySelectorAll(
    '.pdf-page table, .pdf-page mjx-container[display="true"], .pdf-page .cell_output');
  for (const el of wide) {
    if (el.parentElement.closest('[data-pdf-scale]') || !tooWide(el)) continue;
    let scale = 1;
    for (let i = 0; i < 4 && scale > 0.4 && tooWide(el); i++) {
      const r = room(el);
      scale = Math.max(0.4, (scale * (width - r.left)) / r.need);
      el.style.fontSize = `${(100 * scale).toFixed(1)}%`;
    }
    el.dataset.pdfScale = scale.toFixed(2);
    scaled += 1;
  }
  const over = [];
  for (const el of document.querySelectorAll('.pdf-page *')) {
    if (el.closest('mjx-assistive-mml')) continue;
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 2) {
      const page = el.closest('.pdf-page');
      const name = el.tagName.toLowerCase();
      over.push(`${page ? page.id : '?'}: <${name}> ${Math.round(box.right)}px`);
    }
  }
  return {scaled, over};
}"""

#: Keep each heading on the page of what follows it, when that is short. Not with
#: ``break-after: avoid``: with it, Chromium breaks some pages differently from one print
#: to the next, and the contents' page numbers would not hold.
_KEEP_JS = """(tallest) => {
  for (const h of document.querySelectorAll('.pdf-page :is(h1, h2, h3, h4, h5, h6)')) {
    const next = h.nextElementSibling;
    if (!next || next.getBoundingClientRect().height > tallest) continue;
    const keep = document.createElement('div');
    keep.className = 'pdf-keep';
    h.before(keep);
    keep.append(h, next);
  }
}"""

_FILL_JS = """(numbers) => {
  for (const el of document.querySelectorAll('.pdf-toc-page')) {
    el.textContent = numbers[el.dataset.for] || '';
  }
}"""

_MATH_LEFT_JS = """() => [...document.querySelectorAll('.math')]
  .filter((el) => !el.querySelector('mjx-container')).length"""


def _only_local(route, blocked: list[str]) -> None:
    url = route.request.url
    if url.startswith(("file:", "data:", "blob:", "about:")):
        route.continue_()
    else:
        blocked.append(url)
        route.abort("blockedbyclient")


def _typeset_math(page) -> None:
    """Wait until MathJax has typeset every formula (it starts when the page has loaded)."""
    from playwright.sync_api import TimeoutError as Timeout

    try:
        page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=60_000
        )
    except Timeout:
        raise RuntimeError(
            "MathJax did not start within 60 s; open a page of the site with math in a "
            "browser and read its console"
        ) from None
    page.evaluate("() => MathJax.startup.promise.then(() => true)")
    left = page.evaluate(_MATH_LEFT_JS)
    if left:
        raise RuntimeError(
            f"MathJax left {left} formulas of the book untypeset; open the site's pages "
            "with math in a browser and read its console"
        )


def named_pages(data: bytes) -> dict[str, int]:
    """The page (from 1) of each named destination of a PDF, read with pypdf.

    Chromium names every element that a link of the page points at after its id, so
    these are the chapters, sections and cited entries of the printed book.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    # Chromium keeps them in the catalogue's /Dests dictionary, whose keys are PDF names
    # ("/book-index"); a name tree (PDF 1.2 and later) holds strings ("book-index").
    return {
        str(name).removeprefix("/"): reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
    }


def add_bookmarks(data: bytes, bookmarks: list[tuple[int, str, str]]) -> bytes:
    """Add bookmarks (level, title, anchor), in reading order, to a PDF printed by Chromium.

    Chromium writes bookmarks only into a tagged PDF, which takes twice as long to print;
    pypdf appends them as an incremental update, so the printed pages are left as they
    are. A level deeper than the one before folds under it (closed). An anchor that no
    link of the PDF points at has no destination: its bookmark is left out.
    """
    from pypdf import PdfReader, PdfWriter

    pages = named_pages(data)
    marks = [(level, title, pages[name]) for level, title, name in bookmarks if name in pages]
    if not marks:
        return data
    writer = PdfWriter(PdfReader(io.BytesIO(data)), incremental=True)
    stack: list[tuple[int, object]] = []
    for level, title, page in marks:
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        item = writer.add_outline_item(
            title=title, page_number=page - 1, parent=parent, is_open=False
        )
        stack.append((level, item))
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_count(data: bytes) -> int:
    """How many pages a PDF has."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def _offline(blocked: list[str]) -> None:
    if blocked:
        raise RuntimeError(
            "the book's PDF must print offline, but its pages asked for:\n  "
            + "\n  ".join(sorted(set(blocked)))
            + "\nServe these files from the built site (_static) instead."
        )


def _print(book: Printable, *, title: str, tagged: bool) -> tuple[bytes, int]:
    """Print the assembled book with Chromium, offline; the PDF and how many wide blocks
    were scaled to the text width.

    Printed twice: the first print (plain, the quickest) finds the page of each chapter,
    the second writes those numbers into the table of contents (same widths, so nothing
    moves).
    """
    from playwright.sync_api import sync_playwright

    options = {
        "format": "A4",
        "margin": MARGINS,
        "print_background": True,
        "display_header_footer": True,
        "header_template": "<span></span>",
        "footer_template": FOOTER.format(title=html.escape(title)),
    }
    blocked: list[str] = []
    with tempfile.TemporaryDirectory(prefix="book-pdf-") as tmp:
        source = Path(tmp) / "book.html"
        source.write_text(book.html, encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium_path("printing the book's PDF"), args=OFFLINE_FLAGS
            )
            try:
                page = browser.new_page(viewport={"width": TEXT_WIDTH_PX, "height": 900})
                page.route("**/*", lambda route: _only_local(route, blocked))
                page.emulate_media(media="print", color_scheme="light")
                page.goto(source.as_uri(), wait_until="load", timeout=120_000)
                if book.math:
                    _typeset_math(page)
                page.evaluate("() => document.fonts.ready.then(() => true)")
                page.evaluate(_KEEP_JS, 320)  # px: a third of a page
                fit = page.evaluate(_FIT_JS, TEXT_WIDTH_PX)
                _offline(blocked)  # fail before the long part
                numbers = named_pages(page.pdf(**options))
                for _ in range(3):  # the numbers do not move the pages; check it all the same
                    page.evaluate(_FILL_JS, numbers)
                    data = page.pdf(**options, tagged=tagged)
                    printed = named_pages(data)
                    if printed == numbers:
                        break
                    numbers = printed
                else:
                    print("warning: the contents' page numbers may be off by a page")
            finally:
                browser.close()
    _offline(blocked)
    if fit["over"]:
        print(f"warning: {len(fit['over'])} elements stick out of the text width, e.g.:")
        print("  " + "\n  ".join(fit["over"][:5]))
    return data, fit["scaled"]


def write_book_pdf(
    html_dir: Path = BUILD_DIR / "html",
    toc: Path = TOC,
    out: Path = PDF,
    *,
    config: Path = CONFIG,
    tagged: bool = False,
) -> Path:
    """Print the built site as one PDF (title page, contents, numbered chapters); its path.

    ``html_dir`` is the built site (``make book``'s ``_build/html``), ``toc`` the table of
    contents it was built from (the student edition's for that edition). ``tagged``
    adds the structure tags that screen readers and reflowing readers use, at twice the
    size and print time (the site is the accessible edition). Prints the page count, size
    and time.
    """
    start = time.perf_counter()
    if not (html_dir / "index.html").is_file():
        raise FileNotFoundError(
            f"{html_dir}: no built site (index.html missing); build the book first (make book)"
        )
    settings = _read_config(config)
    book = assemble(html_dir, toc, config=config)
    data, scaled = _print(book, title=str(settings["title"]), tagged=tagged)
    data = add_bookmarks(data, book.bookmarks)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".pdf.partial")
    partial.write_bytes(data)
    partial.replace(out)
    count = page_count(data)
    seconds = time.perf_counter() - start
    size = len(data) / 2**20
    print(f"The book as one PDF ({count} pages, {size:.1f} MB, {seconds:.0f} s; {scaled} wide")
    print(f"tables or equations scaled to the text width):\n  {out}")
    return out
