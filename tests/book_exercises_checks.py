"""Checks of the built site's exercise and worked-solution pages, as a reader meets them.

A reader who opens an exercise or its worked solutions should see the page's title first
(not otter's set-up code), find every question in the page contents (the right sidebar),
and, on a worked-solutions page, the result of every answer under its code. These read
the HTML of the built site; ``tests/test_book.py`` imports them so that they share its one
build (``built_book``). The transformation itself is tested fast in ``test_exercises.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from coursekit import exercises

NAMES = exercises.solution_names()
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_QUESTION = re.compile(r"Question (\d+): \S")


def _soup(path: Path):
    from bs4 import BeautifulSoup

    assert path.exists(), f"{path} was not built"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _text(tag) -> str:
    """A heading's or link's words, without the section number and the ``#`` link."""
    tag = tag.__copy__()
    for extra in tag.select(".section-number, a.headerlink"):
        extra.decompose()
    words = " ".join(tag.get_text(" ").split())
    return re.sub(r"^(\d+\.)+\s*", "", words)  # the page contents number their entries in the text


def _question_count(name: str) -> int:
    nb = nbformat.read(exercises.SOLUTIONS_DIR / f"{name}.ipynb", as_version=4)
    return sum(
        c.cell_type == "raw" and c.source.strip().startswith("# BEGIN QUESTION") for c in nb.cells
    )


def _pages(built_book: Path) -> list[tuple[str, str, Path]]:
    """``(name, title word, html path)`` of every exercise page and worked-solutions page."""
    return [
        (name, word, built_book / folder / f"{name}.html")
        for name in NAMES
        for word, folder in (("Exercises", "exercises"), ("Solutions", "book/solutions"))
    ]


@pytest.mark.slow
def test_exercise_and_solution_pages_open_with_their_title(built_book):
    assert NAMES, "no solution notebook"
    wrong = []
    for name, word, path in _pages(built_book):
        article = _soup(path).select_one("article")
        # The first heading or notebook cell of the page, in document order.
        first = article.find(
            lambda t: t.name in _HEADINGS or (t.name == "div" and "cell" in t.get("class", []))
        )
        # A chapter's second exercise set is "Exercises 2b: ...".
        expected = rf"{word} {int(name[:2])}[b-z]?: "
        if first is None or first.name != "h1" or not re.match(expected, _text(first)):
            what = "nothing" if first is None else f"<{first.name}> {_text(first)[:60]!r}"
            wrong.append(f"{path.relative_to(built_book)} opens with {what}, not {expected!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.slow
def test_page_contents_list_every_question(built_book):
    wrong = []
    for name, word, path in _pages(built_book):
        toc = _soup(path).select_one(".bd-toc nav")
        entries = [_text(a) for a in toc.select("a")] if toc else []
        numbers = [int(m.group(1)) for e in entries if (m := _QUESTION.match(e))]
        expected = list(range(1, _question_count(name) + 1))
        if numbers != expected:
            wrong.append(
                f"{path.relative_to(built_book)}: the page contents list questions {numbers}, "
                f"not {expected} (entries: {entries})"
            )
        if word == "Solutions" and any(e == "Done" for e in entries):
            wrong.append(f"{path.relative_to(built_book)} keeps the hand-in note 'Done'")
    assert not wrong, "\n".join(wrong)


@pytest.mark.slow
def test_every_solution_page_shows_the_output_of_every_answer(built_book):
    """Each question answered in code has at least one output in its section; written
    questions (their model answer in a dropdown) have none to show."""
    wrong = []
    for name in NAMES:
        path = built_book / "book" / "solutions" / f"{name}.html"
        sections = [
            s
            for s in _soup(path).select("article section")
            if (h := s.find("h2", recursive=False)) and _QUESTION.match(_text(h))
        ]
        assert len(sections) == _question_count(name), f"{name}: question sections {sections}"
        answered = [s for s in sections if not s.select("details.sd-dropdown")]
        assert answered, f"{name}: no question answered in code"
        for section in answered:
            outputs = len(section.select("div.cell_output"))
            cells = len(section.select("div.cell"))
            if not outputs:
                title = _text(section.find("h2", recursive=False))
                wrong.append(f"{name}, {title!r}: {cells} code cells and no output")
    assert not wrong, "worked solutions without their results:\n" + "\n".join(wrong)
