"""Checks of the whole-book PDF that ``make book`` writes into the built site.

Imported by ``test_book.py`` so that they share its one build (the ``built_book`` fixture).
The PDF (pages, named destinations, bookmarks, images, text) is read with pypdf.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from coursekit.book import TOC
from coursekit.book_pdf import anchor, book_outline, named_pages

#: Where ``make book`` writes the PDF, relative to the built site.
PDF_IN_SITE = Path("download") / "data-driven-migration.pdf"
#: The book has some 500 pages; a PDF that lost a chapter's labs would still pass, but not
#: one that lost its notebooks or printed only the lecture pages.
MIN_PAGES = 300


@functools.cache
def _read(html_dir: Path) -> tuple[PdfReader, dict[str, int]]:
    """The PDF and the page (from 1) of each of its named destinations."""
    path = html_dir / PDF_IN_SITE
    assert path.is_file(), (
        f"{path} is missing: `make book` writes it with coursekit.book_pdf.write_book_pdf"
    )
    return PdfReader(path), named_pages(path.read_bytes())


def _bookmarks(reader: PdfReader) -> list[str]:
    """The titles of the PDF's bookmarks, at every level."""

    def titles(items) -> list[str]:
        return [t for i in items for t in (titles(i) if isinstance(i, list) else [i.title])]

    return titles(reader.outline)


def _images_on(reader: PdfReader, page: int, smallest: int = 100) -> int:
    """Images of at least ``smallest`` pixels a side drawn on a page (1-based)."""
    images = reader.pages[page - 1].images
    return sum(min(i.image.size) >= smallest for i in images)


@pytest.mark.slow
def test_the_book_pdf_has_the_whole_book(built_book):
    reader, anchors = _read(built_book)
    assert len(reader.pages) > MIN_PAGES
    # every page of the TOC is in it, in the order of the TOC
    pages = [anchors.get(anchor(e.doc)) for e in book_outline(TOC)]
    missing = [e.doc for e, p in zip(book_outline(TOC), pages, strict=True) if p is None]
    assert not missing, f"pages of the TOC missing from the PDF's contents: {missing}"
    assert pages == sorted(pages)


@pytest.mark.slow
def test_the_five_lectures_are_chapters_1_to_5_with_bookmarks(built_book):
    reader, _ = _read(built_book)
    chapters = [e for e in book_outline(TOC) if e.label.startswith("Chapter")]
    assert [e.label for e in chapters] == [f"Chapter {n}" for n in range(1, 6)]
    marks = _bookmarks(reader)
    for n in range(1, 6):
        assert sum(m.startswith(f"Chapter {n}: ") for m in marks) == 1, marks
    assert not any(re.match(r"Chapter \d+: Chapter", m) for m in marks)  # numbered once


@pytest.mark.slow
def test_citations_land_on_the_bibliography_inside_the_pdf(built_book):
    _, anchors = _read(built_book)
    start = anchors[anchor("book/bibliography")]
    entries = {k: p for k, p in anchors.items() if k.startswith("book-bibliography--")}
    # Chromium names only the elements that a link points at: these are cited entries.
    assert len(entries) >= 10, sorted(entries)
    assert all(p >= start for p in entries.values())


@pytest.mark.slow
def test_every_lecture_chapter_prints_its_figures(built_book):
    reader, anchors = _read(built_book)
    outline = book_outline(TOC)
    tops = [(anchors[anchor(e.doc)], e) for e in outline if e.depth == 0]
    ends = [page for page, _ in tops[1:]] + [len(reader.pages) + 1]
    for (first, entry), after in zip(tops, ends, strict=True):
        if entry.label.startswith("Chapter"):
            images = sum(_images_on(reader, p) for p in range(first, after))
            assert images >= 1, (
                f"{entry.label} ({entry.doc}): no figure in pages {first}-{after - 1}"
            )


@pytest.mark.slow
def test_the_pdf_text_has_the_chapters_the_title_page_and_a_bibliography_entry(built_book):
    reader, _ = _read(built_book)
    text = " ".join("\f".join(p.extract_text() or "" for p in reader.pages).split())
    for n in range(1, 6):
        assert re.search(rf"chapter {n}\b", text, re.I), f"Chapter {n}"
    assert "Synthetic sample data unless marked" in text
    page = (built_book / "book" / "bibliography.html").read_text(encoding="utf-8")
    entry = re.search(r'class="citation"[^>]*>.*?<p>(.*?)</p>', page, re.S)
    first_words = html.unescape(re.sub(r"<[^>]+>", "", entry.group(1))).split()[:6]
    squeeze = "".join  # line breaks and justification differ: compare without spaces
    assert squeeze(first_words) in squeeze(text.split()), first_words
