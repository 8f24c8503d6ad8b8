"""Checks of the built site's structure: titles instead of section numbers, the schedule's
links, the city-grid figure of chapter 4.

Plain ``test_…`` functions that take the ``built_book`` fixture; ``tests/test_book.py``
imports them so that they share its one build. To run them on an existing build:
``MIGRATIONLAB_BUILT_SITE=_build/html pytest tests/book_structure_checks.py -p no:xdist``.
"""

from __future__ import annotations

import html
import posixpath
import re

import pytest
from conftest import toc_files


def _h1(page: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert found, "no <h1>"
    text = re.sub(r"<[^>]+>", "", found.group(1))
    return html.unescape(text).replace("#", "").strip()


@pytest.mark.slow
def test_no_page_shows_a_section_number(built_book):
    # Sphinx writes section numbers as <span class="section-number">1.8. </span>, in the
    # page, the sidebar and the previous/next links.
    numbered = [
        page
        for page in toc_files()
        if 'class="section-number"' in (built_book / f"{page}.html").read_text(encoding="utf-8")
    ]
    assert not numbered, f"pages that show section numbers: {numbered}"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("page", "pattern"),
    [
        ("book/01_data_landscape", r"Chapter 1: "),
        ("notebooks/02_new_data_sources", r"Lab 2: "),
        ("notebooks/05_real_data", r"Lab 5b: "),
    ],
)
def test_the_tab_and_the_page_carry_the_title(built_book, page, pattern):
    text = (built_book / f"{page}.html").read_text(encoding="utf-8")
    title = html.unescape(re.search(r"<title>(.*?)</title>", text, re.S).group(1))
    assert re.match(pattern, title), f"{page}: browser tab reads {title!r}"
    assert re.match(pattern, _h1(text)), f"{page}: heading reads {_h1(text)!r}"


@pytest.mark.slow
def test_the_schedule_links_labs_and_exercises_by_title(built_book):
    text = (built_book / "book" / "schedule.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="(\.\./(?:notebooks|exercises)/[^"#]+)">([^<]+)</a>', text)
    assert len({href for href, _ in links}) >= 15, f"too few lab and exercise links: {links}"
    for href, label in links:
        target = built_book / posixpath.normpath(posixpath.join("book", href))
        assert target.exists(), f"schedule links {href}, which the site does not have"
        # Sphinx curls the page's quotes ("world’s"); the link keeps them straight.
        title = _h1(target.read_text(encoding="utf-8")).replace("\u2019", "'")
        assert html.unescape(label) == title, f"{href}: link reads {label!r}, page {title!r}"


@pytest.mark.slow
def test_chapter_4_shows_the_city_grid(built_book):
    text = (built_book / "book" / "04_cities_segregation.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure[^>]*id="fig-city-grid".*?</figure>', text, re.S)
    assert figure, "no figure fig-city-grid in chapter 4"
    alt = re.search(r'<img[^>]*alt="([^"]+)"', figure.group(0))
    assert alt and len(alt.group(1)) > 80, "the city-grid map has no real alt text"
    assert "synthetic" in figure.group(0), "the caption does not say the data are synthetic"
