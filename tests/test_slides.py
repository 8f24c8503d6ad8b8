"""Slide decks from short deck sources and the built lecture pages (``coursekit.slides``).

Fast: a small page written here stands for a built lecture page; no book is built. The
checks of the real decks in a browser (every slide fits at 1280x720, one PDF page a slide)
are in ``book_slides_checks.py``.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from coursekit.slides import (
    PDF_MARK,
    DeckError,
    _from_deck,
    _link_pdf,
    build_deck,
    parse_deck,
    write_decks,
)
from migrationlab import REPO_ROOT

PAGE = """<html><body><article class="bd-article" role="main">
<section id="a-chapter"><span id="sec-x"></span>
<h1><span class="section-number">1. </span>A chapter<a class="headerlink" href="#t">#</a></h1>
<div class="admonition"><p>Objectives of the chapter</p></div>
<section id="first-block"><span id="sec-x-first"></span><h2>1.1. First block</h2>
<p>The catalogue lists <span class="pasted-text">56</span> sources; the UN counts 281
million migrants. See <a href="bibliography.html#b1">[1]</a> and
<a href="#fig-a">Fig. 1.1</a>.</p>
<figure id="fig-a"><img alt="a map of the world" src="../_images/map.png">
<figcaption><p><span class="caption-number">Fig. 1.1 </span>A map (synthetic sample
data).<a class="headerlink" href="#fig-a">#</a></p></figcaption></figure>
<div class="math notranslate nohighlight">\\[F = m a\\]</div>
</section>
<section id="second-block"><h2>1.2. Second block</h2>
<p>Official data arrive a median of <span class="pasted-text">12</span> months late, and
<span class="pasted-text">7</span> months late, and <span class="pasted-text">9</span>
months late.</p>
<table><thead><tr><th>kind</th><th>count</th></tr></thead>
<tbody><tr><td>census</td><td>4</td></tr></tbody></table>
</section>
</section></article></body></html>"""

DECK = """<!-- a comment
over two lines -->
# {title}
Section: sec-x

- Learn this

---

## Counting
Section: sec-x-first
Data: synthetic

- The catalogue [[lists # sources]]
- The UN: 281 million
  - a second level
  that goes on
1. first
2. second

> A key message

Notes:
Say **more** here.

- a note bullet

---

## A figure
Section: second-block

![](fig-a)

Notes:
The detail.

---

## A table and an equation

![Short caption](second-block:table)
"""


def deck(text: str = DECK) -> str:
    return build_deck(text, PAGE, "01_x", "book/slides/01_x.md")


def slides_of(html: str) -> list[str]:
    body = html.split('<div class="slides">', 1)[1].split("</main>", 1)[0]
    return re.findall(r"<section\b.*?</section>", body, re.S)


# --- the deck source ---------------------------------------------------------------------


def test_a_deck_source_is_parsed_slide_by_slide():
    slides = parse_deck(DECK, "deck.md")
    assert [s.heading for s in slides] == [
        "{title}",
        "Counting",
        "A figure",
        "A table and an equation",
    ]
    title, counting, figure, table = slides
    assert title.level == 1 and title.sections == ["sec-x"] and title.line == 3
    assert counting.synthetic and counting.sections == ["sec-x-first"]
    kinds = [b[0] for b in counting.blocks]
    assert kinds == ["list", "list", "key"]
    bullets = counting.blocks[0][2]
    assert bullets[1] == ["The UN: 281 million", ["a second level that goes on"]]
    assert counting.blocks[1][1] is True  # numbered
    assert counting.notes == ["Say **more** here.", "- a note bullet"]
    assert figure.blocks == [("figure", "fig-a", "")]
    assert table.blocks == [("figure", "second-block:table", "Short caption")]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("- no heading", "no heading"),
        ("## One\n## Two", "a second heading"),
        ("### Three", "use '# ' for the title slide"),
        ("## H\nData: real", "write 'Data: synthetic'"),
        ("## H\n" + "- item\n" * 7, "7 bullets (at most 6)"),
        ("## H\n" + "word " * 80, "80 words besides the heading (at most 75)"),
        ("## H\n![](fig-a)\n" + "word " * 31, "(at most 30)"),
        ("## H\n![](fig-a)\n![](fig-b)", "2 figures (one a slide)"),
        ("\n\n---\n", "no slide found"),
    ],
)
def test_bad_deck_sources_fail_with_the_file_the_slide_and_the_fix(source, message):
    with pytest.raises(DeckError) as error:
        parse_deck(source, "book/slides/01_x.md")
    text = str(error.value)
    assert message in text
    if "no slide" not in message:
        assert "book/slides/01_x.md, slide 1" in text and "Fix:" in text


# --- against the lecture page ------------------------------------------------------------


def test_a_deck_has_its_slides_notes_figures_and_a_link_back():
    html = deck()
    slides = slides_of(html)
    assert len(slides) == 4
    title, counting, figure, table = slides
    assert "<h1>A chapter</h1>" in title and 'class="center title"' in title
    assert "Objectives of the chapter" in title  # the page's opening, in the notes
    assert "First block" not in title  # ... without the rest of the page
    # the quote takes the page's value; typed numbers that are on the page stay
    assert "lists 56 sources" in counting and "281 million" in counting
    assert '<p class="badge">Synthetic sample data</p>' in counting
    assert "<li>The UN: 281 million<ul><li>a second level that goes on</li></ul></li>" in counting
    assert "<ol><li>first</li><li>second</li></ol>" in counting
    assert '<p class="key">A key message</p>' in counting
    notes = counting.split('<aside class="notes">', 1)[1]
    assert "<strong>more</strong>" in notes and "<li>a note bullet</li>" in notes
    assert "From the lecture, 1.1. First block" in notes
    assert 'data-lecture="../book/01_x.html#sec-x-first"' in counting
    # links of the page are rewritten for the deck, and ids are not copied
    assert 'href="../book/bibliography.html#b1"' in notes
    assert 'href="../book/01_x.html#fig-a"' in notes
    assert ' id="' not in "".join(slides)
    # the figure: its image, the page's caption, the badge its caption asks for
    assert 'src="../_images/map.png"' in figure and 'alt="a map of the world"' in figure
    assert 'class="r-stretch"' in figure and "Fig. 1.1 A map (synthetic sample data)." in figure
    assert "Synthetic sample data</p>" in figure
    # a table by its section and kind, with a caption of the deck's own
    assert '<div class="deck-table"><table>' in table and "Short caption" in table
    assert '<td class="num">4</td>' in table
    # a section without notes of its own gets none: the last slide has no Section
    assert '<aside class="notes">' not in table


def test_an_equation_is_taken_from_the_page_and_loads_the_bundled_mathjax():
    html = deck("## An equation\n\n![](sec-x-first:math)")
    assert "\\[F = m a\\]" in html
    assert '<script defer src="../_static/mathjax/tex-svg-full.js"></script>' in html
    assert "tex-svg-full.js" not in deck("## Plain\n- text")


def test_a_deck_loads_nothing_from_the_network():
    html = deck()
    loads = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert loads and not [u for u in loads if re.match(r"(https?:)?//", u)], loads
    assert "http://" not in html and "https://" not in html
    for needed in ("revealjs/dist/reveal.js", "revealjs/plugin/notes/notes.js"):
        assert f'src="../_static/{needed}"' in html
    assert "width: 1280, height: 720" in html and "hashOneBasedIndex: true" in html
    assert 'href="../book/01_x.html"' in html  # the link back to the lecture


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("## H\n- 57 sources", "the number 57 is not on the lecture page book/01_x.html"),
        ("## H\n- 56 sources", "the number 56 is computed when the book is built"),
        ("## H\nNotes:\nIt was 57.", "the number 57 is not on the lecture page"),
        ("## H\n- [[lists # items]]", "the quote [[lists # items]] is not on the lecture page"),
        ("## H\n- [[# months late]]", "the quote [[# months late]] is ambiguous"),
        ("## H\nSection: sec-gone", "no section 'sec-gone'"),
        ("## H\n![](fig-gone)", "no figure, table or equation 'fig-gone'"),
        ("## H\n![](second-block:table2)", "'second-block:table2'"),
        ("## H\n![](sec-gone:figure)", "'sec-gone:figure'"),
    ],
)
def test_what_is_not_on_the_page_fails_with_the_deck_the_slide_and_the_fix(source, message):
    with pytest.raises(DeckError) as error:
        deck(source)
    text = str(error.value)
    assert message in text
    assert text.startswith("book/slides/01_x.md, slide 1 ('H')") and "Fix:" in text


def test_a_missing_section_error_lists_the_sections_of_the_page():
    with pytest.raises(DeckError) as error:
        deck("## H\nSection: sec-gone")
    assert "sec-x-first (1.1. First block); second-block (1.2. Second block)" in str(error.value)


def test_urls_outside_the_site_are_kept():
    for url in ("https://doi.org/10.1/x", "mailto:a@b.c", "//cdn.example/x.js"):
        assert _from_deck(url, "book/01_x.html", "slides/01_x.html") == url
    assert _from_deck("../_images/a.png", "book/01_x.html", "slides/01_x.html") == (
        "../_images/a.png"
    )


# --- the site ----------------------------------------------------------------------------


def test_write_decks_copies_reveal_with_its_licence_and_links_the_pdf(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "01_x.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "book" / "index.html").write_text("<html></html>", encoding="utf-8")
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "01_x.md").write_text(DECK, encoding="utf-8")
    written = write_decks(tmp_path, sources=sources)
    assert written == [tmp_path / "slides" / "01_x.html"]
    html = written[0].read_text(encoding="utf-8")
    for path in re.findall(r'(?:src|href)="(\.\./_static/revealjs/[^"]+)"', html):
        assert (written[0].parent / path).resolve().is_file(), path
    static = tmp_path / "_static" / "revealjs"
    assert "Permission is hereby granted" in (static / "LICENSE").read_text()
    assert (static / "dist" / "theme" / "fonts" / "source-sans-pro" / "LICENSE").is_file()
    assert PDF_MARK in html
    _link_pdf(tmp_path, tmp_path / "slides" / "01_x.pdf")
    assert ' · <a href="01_x.pdf">PDF</a>' in written[0].read_text(encoding="utf-8")


def test_a_lecture_without_a_deck_source_fails_with_the_fix(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "02_y.html").write_text(PAGE, encoding="utf-8")
    with pytest.raises(DeckError, match=r"02_y.md: no deck source for the lecture book/02_y"):
        write_decks(tmp_path, sources=tmp_path)


def test_every_lecture_has_a_deck_source_that_parses():
    toc = yaml.safe_load((REPO_ROOT / "book" / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    lectures = [f for f in files if re.fullmatch(r"book/\d\d_\w+", f)]
    assert len(lectures) == 5, lectures
    for lecture in lectures:
        source = REPO_ROOT / "book" / "slides" / f"{lecture.split('/')[-1]}.md"
        assert source.is_file(), f"no deck source {source.relative_to(REPO_ROOT)}"
        slides = parse_deck(source.read_text(encoding="utf-8"), str(source))
        assert 10 <= len(slides) <= 16, f"{source.name}: {len(slides)} slides"
        assert slides[0].level == 1, f"{source.name}: the first slide is the title slide"
        missing = [s.number for s in slides if not (s.sections or s.notes)]
        assert not missing, f"{source.name}: slides without speaker notes: {missing}"


def test_the_module_imports_without_playwright_or_bs4():
    code = (
        "import sys, coursekit.slides; "
        "print(any(m.split('.')[0] in ('playwright', 'bs4') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
