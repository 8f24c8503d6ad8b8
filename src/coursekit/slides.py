"""Slides of every lecture, generated from the built lecture pages: nothing to keep in sync.

A Sphinx extension (enabled in ``book/_config.yml``). When the HTML build finishes, each
lecture page ``book/NN_topic.html`` becomes a slide deck ``slides/NN_topic.html``: a title
slide (the chapter title with the text before its first section: objectives,
prerequisites, time), then one slide per ``##`` section, which is one teaching block of
the schedule. The slides reuse the page's own HTML (text, tables, figures, citations,
math), so they say exactly what the lecture says.

A deck is one HTML file that works offline: its style and its navigation script are
inline, its images are the book's own, and math uses the bundled MathJax. Keys: right
arrow, space or Page Down for the next slide, left arrow or Page Up for the previous one,
Home and End; the address ends in ``#N`` for slide N, so a deck can be opened at a slide.
"""

from __future__ import annotations

import copy
import posixpath
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

LECTURE = re.compile(r"book/\d\d_[a-z0-9_]+")
SLIDES_DIR = "slides"

_STYLE = """
:root { color-scheme: light dark; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  background: #fff; color: #1a1a1a; }
.slide { display: none; box-sizing: border-box; height: 100vh; overflow-y: auto;
  padding: 3vh 6vw 8vh; font-size: clamp(16px, 1.5vw, 26px); line-height: 1.45; }
.slide.current { display: block; }
.slide h1 { font-size: 2.4em; margin-top: 18vh; }
.slide h2 { font-size: 1.6em; border-bottom: 3px solid #0072B2; padding-bottom: .2em; }
.slide img { max-width: 100%; max-height: 60vh; background: #fff; }
.slide table { border-collapse: collapse; font-size: .8em; }
.slide td, .slide th { border-bottom: 1px solid #ccc; padding: .2em .6em; }
.slide pre { font-size: .7em; overflow-x: auto; background: #f4f4f4; padding: .5em; }
.slide .admonition { border-left: 6px solid #0072B2; background: #eef5fb; padding: .3em 1em;
  margin: 1em 0; }
.slide .admonition-title { font-weight: bold; }
.slide a.headerlink { display: none; }
nav.deck { position: fixed; bottom: 0; left: 0; right: 0; display: flex; gap: 1em;
  justify-content: space-between; align-items: center; padding: .4em 1.5em;
  background: #f0f0f0; font-size: 14px; }
nav.deck button { font: inherit; padding: .2em .9em; }
@media (prefers-color-scheme: dark) {
  body { background: #121212; color: #e8e8e8; }
  nav.deck { background: #242424; }
  .slide pre { background: #1e1e1e; }
  .slide .admonition { background: #1b2a36; }
  a { color: #7cc4ff; }
}
@media print { .slide { display: block; height: auto; page-break-after: always; }
  nav.deck { display: none; } }
"""

_SCRIPT = """
(function () {
  const slides = Array.from(document.querySelectorAll('.slide'));
  const counter = document.getElementById('counter');
  let current = 0;
  function show(i) {
    current = Math.max(0, Math.min(slides.length - 1, i));
    slides.forEach((s, j) => s.classList.toggle('current', j === current));
    counter.textContent = (current + 1) + ' / ' + slides.length;
    history.replaceState(null, '', '#' + (current + 1));
    slides[current].scrollTop = 0;
  }
  document.getElementById('prev').addEventListener('click', () => show(current - 1));
  document.getElementById('next').addEventListener('click', () => show(current + 1));
  document.addEventListener('keydown', (e) => {
    if (['ArrowRight', 'PageDown', ' '].includes(e.key)) { show(current + 1); e.preventDefault(); }
    else if (['ArrowLeft', 'PageUp'].includes(e.key)) { show(current - 1); e.preventDefault(); }
    else if (e.key === 'Home') { show(0); } else if (e.key === 'End') { show(slides.length - 1); }
  });
  const start = parseInt(location.hash.slice(1), 10);
  show(Number.isFinite(start) ? start - 1 : 0);
})();
"""


def lecture_sections(page_html: str, page: str = "", deck: str = ""):
    """The title, the opening text and the ``##`` sections of a built lecture page.

    Returns ``(title, opening, sections)``: ``title`` is the chapter title as text,
    ``opening`` the HTML before the first section, ``sections`` a list of
    ``(heading, html)`` pairs, one per ``##`` section. Given the site paths of the page
    (``book/01_x.html``) and of the deck (``slides/01_x.html``), relative links and image
    sources are rewritten to work from the deck.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page_html, "html.parser")
    if page and deck:
        for tag, attribute in (("a", "href"), ("img", "src")):
            for element in soup.find_all(tag, attrs={attribute: True}):
                element[attribute] = _from_deck(element[attribute], page, deck)
    article = soup.select_one("article.bd-article") or soup.body
    top = article.find("section")
    if top is None or top.find("h1") is None:
        raise ValueError("the page has no <section> with an <h1>: is it a lecture page?")
    for link in top.select("a.headerlink"):
        link.decompose()
    title = top.find("h1").get_text(" ", strip=True)
    opening, sections = [], []
    for child in top.children:
        name = getattr(child, "name", None)
        if name == "section" and child.find("h2") is not None:
            heading = child.find("h2").get_text(" ", strip=True)
            sections.append((heading, str(child)))
        elif name not in (None, "h1", "span"):
            opening.append(str(copy.copy(child)))
    return title, "".join(opening), sections


def _from_deck(url: str, page: str, deck: str) -> str:
    """``url`` as written on ``page``, rewritten relative to ``deck`` (both site paths)."""
    parts = urlsplit(url)
    if parts.scheme or url.startswith("//") or not url:
        return url
    target = urlsplit(urljoin(f"http://site/{page}", url))
    path = posixpath.relpath(target.path.lstrip("/") or ".", posixpath.dirname(deck) or ".")
    return path + (f"#{target.fragment}" if target.fragment else "")


def deck_html(title: str, opening: str, sections, *, mathjax: str | None, lecture: str) -> str:
    """One self-contained slide deck (HTML) from the parts of a lecture page."""
    slides = [f'<section class="slide"><h1>{title}</h1>{opening}</section>']
    slides += [f'<section class="slide">{html}</section>' for _, html in sections]
    script = f'<script defer src="{mathjax}"></script>' if mathjax else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Slides: {title}</title><style>{_STYLE}</style>{script}</head><body>"
        f"<main>{''.join(slides)}</main>"
        f'<nav class="deck" aria-label="Slides"><button id="prev" type="button">Previous'
        f'</button><span id="counter" aria-live="polite"></span>'
        f'<a href="{lecture}">The lecture page</a>'
        f'<button id="next" type="button">Next</button></nav>'
        f"<script>{_SCRIPT}</script></body></html>\n"
    )


def write_decks(html_dir: Path, docnames) -> list[Path]:
    """Write ``slides/NN_topic.html`` for every lecture among ``docnames``."""
    written = []
    for docname in sorted(d for d in docnames if LECTURE.fullmatch(d)):
        page = html_dir / f"{docname}.html"
        text = page.read_text(encoding="utf-8")
        name = docname.split("/")[-1]
        deck_path = f"{SLIDES_DIR}/{name}.html"
        title, opening, sections = lecture_sections(text, f"{docname}.html", deck_path)
        mathjax = "../_static/mathjax/tex-svg-full.js" if "mathjax" in text else None
        out = html_dir / deck_path
        out.parent.mkdir(exist_ok=True)
        deck = deck_html(title, opening, sections, mathjax=mathjax, lecture=f"../book/{name}.html")
        out.write_text(deck, encoding="utf-8")
        written.append(out)
    return written


def _build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        write_decks(Path(app.outdir), app.env.found_docs)


def setup(app):
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
