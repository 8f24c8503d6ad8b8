"""Checks of the slide decks of the built site, in Chromium at a projector's 1280x720.

Plain ``test_...`` functions for ``test_book.py`` to import, so that they share its one
build of the book (the ``built_book`` fixture): every slide of every deck is visible and
fits its 16:9 box with nothing scrolled, every content slide has speaker notes, the keys
and addresses work, nothing is fetched from outside the site, and each deck's PDF has one
page a slide.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from migrationlab import REPO_ROOT

#: What sticks out of a slide, measured in the page (CSS pixels of the viewport).
_OVERFLOW = """() => {
  const box = document.querySelector('.reveal .slides').getBoundingClientRect();
  const slide = Reveal.getCurrentSlide();
  const out = [];
  const config = Reveal.getConfig();
  if (slide.scrollHeight > config.height + 1) out.push('content ' + slide.scrollHeight + 'px high');
  if (slide.scrollWidth > config.width + 1) out.push('content ' + slide.scrollWidth + 'px wide');
  for (const el of slide.querySelectorAll('*')) {
    if (el.closest('aside.notes')) continue;
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
        || r.bottom > box.bottom + 1) {
      const text = (el.textContent || el.getAttribute('alt') || '').trim().slice(0, 40);
      out.push(el.tagName.toLowerCase() + ' "' + text + '" outside the slide');
    }
  }
  if (box.width < 0.8 * innerWidth || box.height < 0.8 * innerHeight) out.push('slide too small');
  const heading = slide.querySelector('h1, h2');
  const at = heading.getBoundingClientRect();
  const hit = document.elementFromPoint(at.left + 4, at.top + at.height / 2);
  if (!hit || !heading.contains(hit)) out.push('the heading is hidden');
  const page = document.scrollingElement;
  if (page.scrollHeight > innerHeight || page.scrollWidth > innerWidth) out.push('page scrolls');
  return out;
}"""


def _lectures() -> list[str]:
    import yaml

    toc = yaml.safe_load((REPO_ROOT / "book" / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [f.split("/")[-1] for f in files if re.fullmatch(r"book/\d\d_\w+", f)]


def _deck_slides(html: str) -> list[str]:
    body = html.split('<div class="slides">', 1)[1].split("</main>", 1)[0]
    return re.findall(r"<section\b.*?</section>", body, re.S)


def _pdf_pages(path: Path) -> int:
    """How many pages a PDF has."""
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


@pytest.mark.slow
def test_every_lecture_has_a_deck_that_loads_nothing_from_outside(built_book):
    """Replaces test_book.py's check of the same name (the decks are reveal.js now)."""
    from coursekit.slides import parse_deck

    lectures = _lectures()
    assert len(lectures) == 5, lectures
    for name in lectures:
        deck = built_book / "slides" / f"{name}.html"
        assert deck.exists(), f"no slides for book/{name}: is coursekit.slides enabled?"
        text = deck.read_text(encoding="utf-8")
        source = (REPO_ROOT / "book" / "slides" / f"{name}.md").read_text(encoding="utf-8")
        assert len(_deck_slides(text)) == len(parse_deck(source)), name
        loads = re.findall(r'<(?:script|img|link|iframe)[^>]*(?:src|href)="([^"]+)"', text)
        online = [u for u in loads if re.match(r"(https?:)?//", u)]
        assert not online, f"{deck.name} loads from the network: {online}"
        local = [u.split("#")[0] for u in loads if not u.startswith("data:")]
        missing = [u for u in local if not (deck.parent / u).resolve().is_file()]
        assert not missing, f"{deck.name} loads files the site lacks: {missing}"
    licence = built_book / "_static" / "revealjs" / "LICENSE"
    assert "Hakim El Hattab" in licence.read_text(encoding="utf-8")


@pytest.mark.slow
def test_every_slide_fits_a_1280x720_projector_and_has_speaker_notes(built_book):
    from playwright.sync_api import sync_playwright
    from site_checks import CHROMIUM_FLAGS, chromium_path, local_only, serve

    problems, outside, errors, counts = [], [], [], {}
    with serve(built_book) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})

        page.route("**/*", local_only(base, outside))
        page.on("pageerror", lambda e: errors.append(str(e)))
        for name in _lectures():
            page.goto(f"{base}slides/{name}.html", wait_until="load")
            page.wait_for_selector("html[data-deck-ready='yes']", timeout=30_000)
            total = page.evaluate("Reveal.getTotalSlides()")
            counts[name] = total
            for index in range(total):
                page.evaluate(f"Reveal.slide({index})")
                page.wait_for_timeout(50)
                for problem in page.evaluate(_OVERFLOW):
                    problems.append(f"{name} slide {index + 1}: {problem}")
                notes = page.evaluate(
                    "() => (Reveal.getCurrentSlide().querySelector('aside.notes')"
                    "?.textContent || '').trim().length"
                )
                if notes < 40:
                    problems.append(f"{name} slide {index + 1}: no speaker notes")
        browser.close()
    assert all(10 <= n <= 16 for n in counts.values()), counts
    assert not problems, "slides that do not fit or lack notes:\n" + "\n".join(problems)
    assert not outside, f"the decks request resources from outside the site: {outside}"
    assert not errors, f"JavaScript errors in the decks: {errors}"


@pytest.mark.slow
def test_decks_navigate_by_keys_and_addresses_and_link_back(built_book):
    from playwright.sync_api import sync_playwright
    from site_checks import CHROMIUM_FLAGS, chromium_path

    name = _lectures()[0]
    deck = built_book / "slides" / f"{name}.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        # From file://, as a lecturer opens a copy of the site with no network.
        page.goto(deck.resolve().as_uri() + "#/3", wait_until="load")
        page.wait_for_selector("html[data-deck-ready='yes']", timeout=30_000)
        assert page.evaluate("Reveal.getIndices().h") == 2, "#/3 does not open slide 3"
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => location.hash === '#/4'")
        page.keyboard.press("Space")
        page.wait_for_function("() => location.hash === '#/5'")
        page.keyboard.press("ArrowLeft")
        page.wait_for_function("() => location.hash === '#/4'")
        assert page.evaluate("Reveal.hasPlugin('notes')"), "no speaker notes plugin (key S)"
        href = page.get_attribute("#deck-lecture", "href")
        browser.close()
    target, _, anchor = href.partition("#")
    assert target == f"../book/{name}.html", href
    lecture = (built_book / "book" / f"{name}.html").read_text(encoding="utf-8")
    assert f'id="{anchor}"' in lecture, f"the deck links to a missing section: {href}"
    assert f'href="../slides/{name}.html"' in lecture, "the lecture page does not link its deck"


@pytest.mark.slow
def test_every_deck_has_a_pdf_with_one_page_a_slide(built_book):
    """The PDFs come from coursekit.slides.deck_pdfs, which `make book` runs."""
    pages = {}
    for name in _lectures():
        deck = built_book / "slides" / f"{name}.html"
        pdf = deck.with_suffix(".pdf")
        assert pdf.exists(), f"no {pdf.name}: run coursekit.slides.deck_pdfs on the site"
        slides = len(_deck_slides(deck.read_text(encoding="utf-8")))
        pages[name] = (_pdf_pages(pdf), slides)
        assert f'href="{pdf.name}"' in deck.read_text(encoding="utf-8"), "no link to the PDF"
    wrong = {name: counts for name, counts in pages.items() if counts[0] != counts[1]}
    assert not wrong, f"PDF pages against slides: {wrong}"
