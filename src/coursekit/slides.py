"""Slide decks of the lectures: short slides for a 16:9 projector, the detail in the notes.

Why: a lecture page is written to be read, a slide to be glanced at while someone talks.
Cutting the page into one slide per section gave slides of 150-350 words that overflowed
the screen. So each lecture has a short deck source in ``book/slides/``, named like the
lecture and written by hand (a heading and a few bullets a slide), and this module turns
it into a reveal.js deck ``slides/<lecture>.html`` of the built site, taking from the
built lecture page what must not be retyped:

- **figures, tables and equations**, by their id on the page (``fig-...``, ``tbl-...``) or
  as the n-th of their kind in a section, so a slide shows what the page shows;
- **numbers**: a number computed when the book is built is quoted from the page with a
  phrase, ``[[a median of # months]]``, where ``#`` stands for the page's value; any other
  number on a slide or in its notes must appear on the page, or the build stops;
- **speaker notes**: the text of the lecture section a slide presents (``Section:``) goes
  into its notes (reveal.js's notes plugin, key S), after the author's own ``Notes:``.

When a referenced section, figure or phrase is missing from the page (a heading renamed, a
figure relabelled) the build fails with an error that names the deck file, the slide, what
is missing, what the page has instead, and the fix. The format of a deck source is
described in ``book/slides/README.md``.

reveal.js 5 (MIT) comes from the PyPI package ``sphinx-revealjs``, used only for its static
files: they are copied into ``_static/revealjs/`` of the site with their licence, nothing
is fetched from the network, and a deck works from ``file://``. Decks are 1280 x 720
(16:9); ``#/N`` opens slide N. :func:`deck_pdfs` prints each deck to ``slides/<lecture>.pdf``
with Chromium (one page a slide).

A Sphinx extension (``book/_config.yml``): when the HTML build finishes it calls
:func:`write_decks`, which can also be run on any built site, without Sphinx.
"""

from __future__ import annotations

import copy
import html
import importlib.util
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from coursekit.browser import OFFLINE_FLAGS, chromium_path

LECTURE = re.compile(r"book/\d\d_[a-z0-9_]+")
SLIDES_DIR = "slides"
#: Where the deck sources live, relative to the repository root.
SOURCES_DIR = Path("book") / "slides"
#: A deck's size in CSS pixels: a 16:9 projector.
WIDTH, HEIGHT = 1280, 720

#: Limits of one slide's visible text; the detail belongs in the notes.
MAX_ITEMS = 6
MAX_WORDS = 75
MAX_WORDS_WITH_FIGURE = 30

#: The reveal.js files a deck needs, relative to the package's ``_static/revealjs``.
REVEAL_FILES = (
    "LICENSE",
    "dist/reset.css",
    "dist/reveal.css",
    "dist/reveal.js",
    "dist/theme/white.css",
    "dist/theme/fonts/source-sans-pro",
    "plugin/notes/notes.js",
)
STATIC = "../_static"  # from a deck in slides/
PDF_MARK = "<!--deck-pdf-->"

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_QUOTE = re.compile(r"\[\[(.+?)\]\]")
_FIGURE_LINE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
_KIND_REF = re.compile(r"(?P<where>[\w-]+):(?P<kind>figure|table|img|math)(?P<n>\d*)")
_KINDS = {"figure": "figure", "table": "table", "img": "img", "math": "div.math"}


class DeckError(ValueError):
    """A deck source that cannot be turned into slides; the message says how to fix it."""


# --- the deck source ---------------------------------------------------------------------


@dataclass
class Slide:
    """One slide of a deck source: its heading, what it shows, and the speaker's notes."""

    number: int
    line: int
    heading: str = ""
    level: int = 2
    sections: list[str] = field(default_factory=list)
    synthetic: bool = False
    blocks: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def where(self, source: str, line: int | None = None) -> str:
        title = f" ({self.heading!r})" if self.heading else ""
        return f"{source}, slide {self.number}{title}, line {line or self.line}"


def parse_deck(text: str, source: str = "deck") -> list[Slide]:
    """The slides of a deck source (the format of ``book/slides/README.md``).

    Slides are separated by lines ``---``. ``source`` names the file in error messages.
    """
    slides, chunk = [], []
    lines = _without_comments(text.splitlines())
    for number, line in lines + [(len(lines) + 1, "---")]:
        if line.strip() == "---":
            if any(s.strip() for _, s in chunk):
                slides.append(_parse_slide(chunk, len(slides) + 1, source))
            chunk = []
        else:
            chunk.append((number, line))
    if not slides:
        raise DeckError(f"{source}: no slide found; slides are separated by lines '---'")
    return slides


def _without_comments(lines: list[str]) -> list[tuple[int, str]]:
    """Numbered lines without ``<!-- ... -->`` comments (which may span lines)."""
    kept, inside = [], False
    for number, line in enumerate(lines, start=1):
        if inside or line.lstrip().startswith("<!--"):
            inside = "-->" not in line
            continue
        kept.append((number, line))
    return kept


def _parse_slide(chunk, number: int, source: str) -> Slide:
    """One slide from its numbered lines; the checks of its length are here too."""
    first = next(n for n, s in chunk if s.strip())
    slide = Slide(number=number, line=first)
    blocks, notes = slide.blocks, None
    for n, line in chunk:
        stripped = line.strip()
        if notes is not None:
            notes.append(line)
            continue

        def fail(problem: str, fix: str, n: int = n) -> DeckError:
            return DeckError(f"{slide.where(source, n)}: {problem}. Fix: {fix}.")

        if not stripped:
            blocks.append(("break",))
        elif re.match(r"#{1,2} ", stripped):
            if slide.heading:
                raise fail("a second heading", "start a new slide with a line '---' before it")
            slide.level = len(stripped.split(" ")[0])
            slide.heading = stripped[slide.level + 1 :].strip()
        elif stripped.startswith("#"):
            raise fail(f"heading {stripped[:30]!r}", "use '# ' for the title slide, '## ' else")
        elif stripped.startswith("Section:"):
            slide.sections += stripped.split(":", 1)[1].split()
        elif stripped.startswith("Data:"):
            if stripped.split(":", 1)[1].strip() != "synthetic":
                raise fail(f"{stripped!r}", "write 'Data: synthetic' or nothing")
            slide.synthetic = True
        elif stripped.startswith("Notes:"):
            notes = [stripped[len("Notes:") :]]
        elif _FIGURE_LINE.fullmatch(stripped):
            caption, ref = _FIGURE_LINE.fullmatch(stripped).groups()
            blocks.append(("figure", ref, caption.strip()))
        elif re.match(r"[-*] ", stripped) or re.match(r"\d+\. ", stripped):
            ordered = stripped[0].isdigit()
            text = stripped.split(" ", 1)[1].strip()
            if line.startswith((" ", "\t")) and blocks and blocks[-1][0] == "list":
                blocks[-1][2][-1][1].append(text)  # a second-level item
            elif blocks and blocks[-1][0] == "list" and blocks[-1][1] == ordered:
                blocks[-1][2].append([text, []])
            else:
                blocks.append(("list", ordered, [[text, []]]))
        elif line.startswith((" ", "\t")) and blocks and blocks[-1][0] == "list":
            item = blocks[-1][2][-1]
            if item[1]:
                item[1][-1] += " " + stripped
            else:
                item[0] += " " + stripped
        elif stripped.startswith("> "):
            blocks.append(("key", stripped[2:].strip()))
        elif blocks and blocks[-1][0] in ("p", "key"):
            blocks[-1] = (blocks[-1][0], blocks[-1][1] + " " + stripped)
        else:
            blocks.append(("p", stripped))
    slide.blocks = [b for b in blocks if b[0] != "break"]
    slide.notes = _paragraphs(notes or [])
    _check_length(slide, source)
    return slide


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated paragraphs; a paragraph whose lines start with '- ' is a list."""
    text = "\n".join(lines).strip()
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _visible_text(slide: Slide) -> list[str]:
    texts = [slide.heading]
    for block in slide.blocks:
        if block[0] == "list":
            texts += [t for text, subs in block[2] for t in [text, *subs]]
        elif block[0] in ("p", "key"):
            texts.append(block[1])
        elif block[0] == "figure":
            texts.append(block[2])
    return texts


def _check_length(slide: Slide, source: str) -> None:
    where = slide.where(source)
    if not slide.heading:
        raise DeckError(f"{where}: the slide has no heading. Fix: begin it with '## Heading'.")
    figures = [b for b in slide.blocks if b[0] == "figure"]
    items = sum(len(b[2]) for b in slide.blocks if b[0] == "list")
    words = sum(len(t.split()) for t in _visible_text(slide)[1:])
    limit = MAX_WORDS_WITH_FIGURE if figures else MAX_WORDS
    problems = []
    if len(figures) > 1:
        problems.append(f"{len(figures)} figures (one a slide)")
    if items > MAX_ITEMS:
        problems.append(f"{items} bullets (at most {MAX_ITEMS})")
    if words > limit:
        problems.append(f"{words} words besides the heading (at most {limit})")
    if problems:
        raise DeckError(
            f"{where}: too much for one slide: {', '.join(problems)}. Fix: move the detail "
            "into 'Notes:' or split the slide with a line '---'."
        )


# --- the built lecture page --------------------------------------------------------------


_PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                        "−": "-", "\xa0": " ", "\u202f": " "})  # fmt: skip


def _norm(text: str, strip: bool = True) -> str:
    """Text for matching: straight quotes, plain dashes and spaces, collapsed whitespace."""
    text = re.sub(r"\s+", " ", text.translate(_PLAIN))
    return text.strip() if strip else text


def _from_deck(url: str, page: str, deck: str) -> str:
    """``url`` as written on ``page``, rewritten relative to ``deck`` (both site paths)."""
    parts = urlsplit(url)
    if parts.scheme or url.startswith("//") or not url:
        return url
    target = urlsplit(urljoin(f"http://site/{page}", url))
    path = posixpath.relpath(target.path.lstrip("/") or ".", posixpath.dirname(deck) or ".")
    return path + (f"#{target.fragment}" if target.fragment else "")


class LecturePage:
    """A built lecture page, read for a deck: its title, sections, elements and text.

    ``page`` and ``deck`` are site paths (``book/01_x.html``, ``slides/01_x.html``); links
    and image sources taken from the page are rewritten to work from the deck.
    """

    def __init__(self, page_html: str, page: str = "book/page.html", deck: str = "slides/x.html"):
        from bs4 import BeautifulSoup

        self.path, self.deck = page, deck
        soup = BeautifulSoup(page_html, "html.parser")
        for tag, attribute in (("a", "href"), ("img", "src")):
            for element in soup.find_all(tag, attrs={attribute: True}):
                element[attribute] = _from_deck(element[attribute], page, deck)
        self.article = soup.select_one("article.bd-article") or soup.body or soup
        self.top = self.article.find("section")
        if self.top is None or self.top.find("h1") is None:
            raise DeckError(f"{page}: no <section> with an <h1>: is it a lecture page?")
        for link in self.article.select("a.headerlink"):
            link.decompose()
        heading = self.top.find("h1").get_text(" ", strip=True)
        self.title = re.sub(r"^[\d.]+\s+", "", heading)
        marked = copy.copy(self.article)
        for script in marked.find_all(["script", "style"]):
            script.decompose()
        for span in marked.select(".pasted-text"):
            span.replace_with(f"\x01{span.get_text()}\x02")
        self.text = _norm(marked.get_text())
        glued = re.findall(r"\x01([^\x02]*)\x02", self.text)
        self.glued_numbers = {n for value in glued for n in _NUMBER.findall(value)}
        self.numbers = set(_NUMBER.findall(re.sub(r"\x01[^\x02]*\x02", " ", self.text)))

    def sections(self) -> list[tuple[str, str]]:
        """``(id, heading)`` of every ``##`` section, by its label where it has one."""
        found = []
        for section in self.top.find_all("section", recursive=False):
            h2 = section.find("h2")
            if h2 is not None:
                label = section.find("span", id=True, recursive=False)
                found.append(((label or section)["id"], h2.get_text(" ", strip=True)))
        return found

    def section(self, ref: str):
        """The ``<section>`` with id (or label) ``ref``; ``None`` if there is none."""
        element = self.article.find(id=ref)
        if element is None:
            return None
        if element.name != "section":
            parent = element.parent
            element = parent if parent is not None and parent.name == "section" else None
            if element is None:
                following = self.article.find(id=ref).find_next_sibling()
                element = following if following and following.name == "section" else None
        return element

    def element(self, ref: str):
        """The element named by a figure reference: ``id`` or ``section:kindN``."""
        match = _KIND_REF.fullmatch(ref)
        if match is None:
            return self.article.find(id=ref)
        section = self.section(match["where"])
        if section is None:
            return None
        found = section.select(_KINDS[match["kind"]])
        index = int(match["n"] or 1) - 1
        return found[index] if 0 <= index < len(found) else None

    def ids(self, prefixes=("fig", "tbl", "eq")) -> list[str]:
        return [e["id"] for e in self.article.find_all(id=True) if e["id"].startswith(prefixes)]

    def quote(self, phrase: str) -> str | None:
        """``phrase`` as on the page, with each ``#`` replaced by the page's value there.

        ``None`` when the phrase is not on the page; a :class:`ValueError` when it is in
        several places with different values.
        """
        parts = [re.escape(_norm(p, strip=False)) for p in phrase.split("#")]
        value = r"(?:\x01([^\x02]*)\x02|(-?\d[\d.,]*\d|-?\d))"
        matches = list(re.finditer(value.join(parts), self.text))
        if not matches:
            return None
        filled = set()
        for match in matches:
            groups = match.groups()
            values = [a or b for a, b in zip(groups[::2], groups[1::2], strict=True)]
            text = phrase.split("#")[0]
            for value_text, rest in zip(values, phrase.split("#")[1:], strict=True):
                text += value_text + rest
            filled.add(text)
        if len(filled) > 1:
            raise ValueError(f"it is on the page {len(matches)} times, with different values")
        return filled.pop()


# --- rendering ---------------------------------------------------------------------------


def _inline(text: str, page: LecturePage, where: str) -> str:
    """HTML of one line of deck text: quotes from the page, math, code, bold and italics."""
    kept: list[str] = []

    def keep(fragment: str) -> str:
        kept.append(fragment)
        return f"\x00{len(kept) - 1}\x00"

    def quote(match) -> str:
        phrase = match[1]
        try:
            found = page.quote(phrase)
        except ValueError as error:
            raise DeckError(
                f"{where}: the quote [[{phrase}]] is ambiguous: {error}. Fix: quote a "
                "longer phrase of the page."
            ) from None
        if found is None:
            raise DeckError(
                f"{where}: the quote [[{phrase}]] is not on the lecture page {page.path}. "
                "Fix: copy the phrase as the page now words it, with '#' for each number."
            )
        return keep(html.escape(found))

    text = _QUOTE.sub(quote, text)
    _check_numbers(_QUOTE.sub(" ", re.sub("\x00\\d+\x00", " ", text)), page, where)
    text = re.sub(r"\$([^$]+)\$", lambda m: keep(_math(m[1])), text)
    text = re.sub(r"`([^`]+)`", lambda m: keep(f"<code>{html.escape(m[1])}</code>"), text)
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", text)
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m[1])], text)


def _math(tex: str) -> str:
    return f'<span class="math notranslate nohighlight">\\({html.escape(tex)}\\)</span>'


def _check_numbers(text: str, page: LecturePage, where: str) -> None:
    """Every number typed into a deck must be on the lecture page, and not computed."""
    for number in _NUMBER.findall(text):
        if number in page.numbers:
            continue
        if number in page.glued_numbers:
            raise DeckError(
                f"{where}: the number {number} is computed when the book is built, so it "
                f"changes with the data. Fix: quote it from the page, e.g. [[... # ...]]."
            )
        raise DeckError(
            f"{where}: the number {number} is not on the lecture page {page.path}. Fix: "
            "every number on a slide comes from its lecture page: quote the page's phrase "
            "with [[... # ...]], show its figure or table, or leave the number out."
        )


def _figure(block, page: LecturePage, where: str) -> tuple[str, str, bool]:
    """``(slide HTML, notes HTML, synthetic?)`` of a figure, table or equation of the page."""
    _, ref, caption = block
    element = page.element(ref)
    if element is None:
        raise DeckError(
            f"{where}: no figure, table or equation {ref!r} on the lecture page {page.path} "
            f"(its ids: {', '.join(page.ids()) or 'none'}; sections: "
            f"{', '.join(i for i, _ in page.sections())}). Fix: use one of these ids, or "
            "'<section id>:table' (figure, img, math; add a number for the n-th)."
        )
    element = copy.copy(element)
    for tag in element.find_all(True):
        tag.attrs.pop("id", None)
    element.attrs.pop("id", None)
    for style in element.find_all("style"):
        style.decompose()
    page_caption = element.find(["figcaption", "caption"])
    page_caption_text = " ".join(page_caption.get_text(" ").split()) if page_caption else ""
    if page_caption is not None:
        page_caption.decompose()
    shown = _inline(caption, page, where) if caption else html.escape(page_caption_text)
    alt = " ".join(img.get("alt", "") for img in element.find_all("img"))
    synthetic = "synthetic" in f"{page_caption_text} {alt}".lower()
    if element.name == "img" or (element.find("img") and not element.find("table")):
        img = element if element.name == "img" else element.find("img")
        body = (
            f'<img class="r-stretch" src="{html.escape(img["src"])}" '
            f'alt="{html.escape(img.get("alt", ""))}">'
        )
    elif element.name == "div" and "math" in element.get("class", []):
        body = f'<div class="deck-math">{element}</div>'
    else:
        table = element if element.name == "table" else element.find("table")
        if table is None:
            raise DeckError(f"{where}: {ref!r} holds no image, table or equation to show.")
        for cell in table.find_all(["td", "th"]):
            if re.fullmatch(r"[-+−<>]?[\d.,]+\s*%?", cell.get_text(strip=True)):
                cell["class"] = [*cell.get("class", []), "num"]
        body = f'<div class="deck-table">{table}</div>'
    slide = body + (f'<p class="caption">{shown}</p>' if shown else "")
    notes = ""
    if caption and page_caption_text:  # the page's full caption, for the speaker
        notes = f"<p><em>Caption on the page:</em> {html.escape(page_caption_text)}</p>"
    return slide, notes, synthetic


def _section_notes(ref: str, page: LecturePage, where: str) -> str:
    """The text of a lecture section (by id or label), for the speaker's notes."""
    section = page.section(ref)
    if section is None:
        listing = "; ".join(f"{i} ({h})" for i, h in page.sections())
        raise DeckError(
            f"{where}: no section {ref!r} on the lecture page {page.path}. Its "
            f"sections: {listing}. Fix: point 'Section:' at one of these ids."
        )
    section = copy.copy(section)
    heading = section.find(["h1", "h2"])
    title = heading.get_text(" ", strip=True) if heading else page.title
    if heading is not None and heading.name == "h1":
        for sub in section.find_all("section", recursive=False):
            sub.decompose()  # the title slide gets the page's opening, not the whole page
    for drop in section.find_all(["h1", "h2", "figure", "table", "style", "script"]):
        drop.decompose()
    for cell in section.select("div.cell"):
        cell.decompose()
    for tag in section.find_all(True):
        tag.attrs.pop("id", None)
        if tag.name == "section":
            tag.name = "div"  # a <section> in a slide would make reveal.js a vertical stack
    body = "".join(str(child) for child in section.children).strip()
    return f"<p><strong>From the lecture, {html.escape(title)}</strong></p>{body}"


def _author_notes(slide: Slide, page: LecturePage, where: str) -> str:
    parts = []
    for paragraph in slide.notes:
        lines = paragraph.splitlines()
        if all(re.match(r"\s*[-*] ", line) for line in lines):
            items = "".join(f"<li>{_inline(line.strip()[2:], page, where)}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{_inline(' '.join(s.strip() for s in lines), page, where)}</p>")
    return "".join(parts)


def render_slide(slide: Slide, page: LecturePage, *, source: str, lecture: str) -> str:
    """One ``<section>`` of a reveal.js deck, with its speaker notes."""
    where = slide.where(source)
    heading = slide.heading.replace("{title}", page.title)
    tag = "h1" if slide.level == 1 else "h2"
    parts = [f"<{tag}>{_inline(heading, page, where)}</{tag}>"]
    notes = [_author_notes(slide, page, where)]
    synthetic = slide.synthetic
    for block in slide.blocks:
        if block[0] == "list":
            tag_name = "ol" if block[1] else "ul"
            items = []
            for text, subs in block[2]:
                inner = "".join(f"<li>{_inline(s, page, where)}</li>" for s in subs)
                items.append(f"<li>{_inline(text, page, where)}{f'<ul>{inner}</ul>' * bool(subs)}")
            parts.append(f"<{tag_name}>{'</li>'.join(items)}</li></{tag_name}>")
        elif block[0] == "p":
            parts.append(f"<p>{_inline(block[1], page, where)}</p>")
        elif block[0] == "key":
            parts.append(f'<p class="key">{_inline(block[1], page, where)}</p>')
        elif block[0] == "figure":
            shown, figure_notes, from_synthetic = _figure(block, page, where)
            parts.append(shown)
            notes.append(figure_notes)
            synthetic = synthetic or from_synthetic
    target = lecture
    notes += [_section_notes(ref, page, where) for ref in slide.sections]
    if slide.sections:
        target = f"{lecture}#{slide.sections[0]}"
    classes = ["center title"] if slide.level == 1 else []
    if synthetic:
        classes.append("synthetic")
        parts.insert(0, '<p class="badge">Synthetic sample data</p>')
    attributes = f' class="{" ".join(classes)}"' * bool(classes)
    notes_html = "".join(notes)
    aside = f'<aside class="notes">{notes_html}</aside>' if notes_html else ""
    return (
        f'<section{attributes} data-lecture="{html.escape(target)}">'
        f"{''.join(parts)}{aside}</section>"
    )


_STYLE = """
.reveal { --r-main-font-size: 32px; --r-heading-text-transform: none;
  --r-heading-font-weight: 600; --r-heading-color: #10324a; --r-main-color: #1a1a1a;
  --r-link-color: #00588f; --r-link-color-hover: #003b61; --r-heading-line-height: 1.15;
  --r-heading-margin: 0 0 0.45em 0; }
body > main { height: 100%; }  /* the landmark around .reveal, which fills it */
.reveal .slides { text-align: left; }
html body .reveal .slides section[data-lecture] { box-sizing: border-box;
  padding: 22px 40px !important; }  /* beats reveal.js's print rule */
.reveal h1 { font-size: 62px; margin-bottom: .35em; }
.reveal h2 { font-size: 44px; border-bottom: 4px solid #0072B2; padding-bottom: .12em; }
.reveal section.synthetic h2 { padding-right: 260px; }
.reveal p, .reveal li { line-height: 1.3; }
.reveal ul, .reveal ol { display: block; margin: 0 0 0 1.1em; }
.reveal li { margin: .32em 0; }
.reveal li li { font-size: .85em; margin: .15em 0; }
.reveal .title p { font-size: 26px; color: #33475b; }
.reveal .title li { font-size: 26px; margin: .2em 0; }
.reveal p.key { border-left: 8px solid #0072B2; background: #eef5fb; padding: .35em .7em; }
.reveal p.badge { position: absolute; top: 22px; right: 40px; margin: 0; font-size: 17px;
  background: #fff3cd; color: #4a3700; border: 1px solid #b58b00; border-radius: 4px;
  padding: 2px 10px; }
.reveal p.caption { font-size: 17px; line-height: 1.3; color: #3d3d3d; margin: .3em 0 0; }
.reveal img.r-stretch { display: block; margin: 0 auto; background: #fff; }
.reveal .deck-table { display: flex; justify-content: center; }
.reveal .deck-table table { font-size: 24px; border-collapse: collapse; }
.reveal .deck-table th, .reveal .deck-table td { padding: .2em .6em; border: 0;
  border-bottom: 1px solid #c8c8c8; text-align: left; vertical-align: top; }
.reveal .deck-table .num { text-align: right; font-variant-numeric: tabular-nums; }
.reveal .deck-math { font-size: 30px; text-align: center; }
.reveal code { font-size: .9em; background: #f2f2f2; padding: 0 .15em; }
.reveal .controls { font-size: 6px; right: 6px; bottom: 3px; }
.reveal .slide-number { font: 13px/1.3 system-ui, sans-serif; right: 56px; bottom: 4px;
  padding: 0 6px; background: #fff; color: #1a1a1a; }
.deck-nav { position: fixed; left: 8px; bottom: 4px; z-index: 40; font: 13px/1.3 system-ui,
  sans-serif; background: #fff; padding: 0 6px; }
.deck-nav a { color: #00588f; }
.reveal-print .deck-nav { display: none; }
"""

_SCRIPT = """
(function () {
  // Printing lays the slides out once, so math and fonts come first; on screen, at once.
  const print = /print-pdf/i.test(location.search);
  const back = document.getElementById('deck-lecture');
  const math = window.deckMath || Promise.resolve();
  function follow() {
    const slide = Reveal.getCurrentSlide();
    if (slide && slide.dataset.lecture) back.href = slide.dataset.lecture;
  }
  const before = print ? Promise.all([math, document.fonts.ready]) : Promise.resolve();
  before.then(() => {
    const ready = Reveal.initialize({
      width: %(width)d, height: %(height)d, margin: print ? 0 : 0.03, minScale: 0.2,
      maxScale: 2.0, center: false, hash: true, hashOneBasedIndex: true, transition: 'none',
      controls: true, progress: true, slideNumber: 'c/t', pdfMaxPagesPerSlide: 1,
      pdfSeparateFragments: false, plugins: [RevealNotes]
    });
    const laidOut = print ? new Promise((done) => Reveal.on('pdf-ready', done)) : null;
    Reveal.on('slidechanged', follow);
    return Promise.all([ready, laidOut, math, document.fonts.ready]);
  }).then(() => {
    follow();
    if (!print) Reveal.layout();
    document.documentElement.dataset.deckReady = 'yes';
  });
})();
"""

_MATHJAX_CONFIG = """
window.deckMath = new Promise((resolve) => {
  window.MathJax = {
    tex: { inlineMath: [['\\\\(', '\\\\)']], displayMath: [['\\\\[', '\\\\]']] },
    options: { ignoreHtmlClass: 'tex2jax_ignore|mathjax_ignore',
               processHtmlClass: 'tex2jax_process|mathjax_process|math' },
    svg: { fontCache: 'global' },
    startup: { pageReady: () => MathJax.startup.defaultPageReady().then(resolve) }
  };
});
"""


def deck_html(sections: list[str], *, title: str, lecture: str, math: bool) -> str:
    """A whole reveal.js deck (HTML) from its rendered ``<section>`` slides."""
    revealjs = f"{STATIC}/revealjs"
    mathjax = (
        f"<script>{_MATHJAX_CONFIG}</script>"
        f'<script defer src="{STATIC}/mathjax/tex-svg-full.js"></script>'
        if math
        else ""
    )
    script = _SCRIPT % {"width": WIDTH, "height": HEIGHT}
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>Slides: {html.escape(title)}</title>"
        f'<link rel="stylesheet" href="{revealjs}/dist/reset.css">'
        f'<link rel="stylesheet" href="{revealjs}/dist/reveal.css">'
        f'<link rel="stylesheet" href="{revealjs}/dist/theme/white.css">'
        f"<style>{_STYLE}</style>{mathjax}</head><body>\n"
        '<main><div class="reveal"><div class="slides">\n'
        + "\n".join(sections)
        + "\n</div></div></main>\n"
        f'<nav class="deck-nav" aria-label="Deck"><a id="deck-lecture" href="{lecture}">'
        f"The lecture page</a>{PDF_MARK} · S: speaker notes</nav>\n"
        f'<script src="{revealjs}/dist/reveal.js"></script>'
        f'<script src="{revealjs}/plugin/notes/notes.js"></script>'
        f"<script>{script}</script></body></html>\n"
    )


def build_deck(source_text: str, page_html: str, name: str, source: str = "deck") -> str:
    """The deck ``slides/<name>.html`` from its source and the built lecture page."""
    page = LecturePage(page_html, f"book/{name}.html", f"{SLIDES_DIR}/{name}.html")
    lecture = f"../book/{name}.html"
    slides = parse_deck(source_text, source)
    sections = [render_slide(s, page, source=source, lecture=lecture) for s in slides]
    math = any('class="math' in s for s in sections)
    return deck_html(sections, title=page.title, lecture=lecture, math=math)


# --- the site ----------------------------------------------------------------------------


def revealjs_source() -> Path:
    """The reveal.js files shipped by the installed PyPI package ``sphinx-revealjs``."""
    spec = importlib.util.find_spec("sphinx_revealjs")
    folder = Path(spec.origin).parent / "_static" / "revealjs" if spec and spec.origin else None
    if folder is None or not (folder / "dist" / "reveal.js").is_file():
        raise RuntimeError(
            "reveal.js is not installed: the slide decks need the package sphinx-revealjs "
            "from requirements.txt (only its static files are used). Recreate the "
            "environment with `make book` (or `pip install -r requirements.txt`)."
        )
    return folder


def copy_revealjs(html_dir: Path) -> Path:
    """Copy the reveal.js files a deck needs, and its licence, into ``_static/revealjs``."""
    source, target = revealjs_source(), Path(html_dir) / "_static" / "revealjs"
    for name in REVEAL_FILES:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, dirs_exist_ok=True)
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / name, target / name)
    return target


def write_decks(html_dir: Path, docnames=None, sources: Path | None = None) -> list[Path]:
    """Write ``slides/<lecture>.html`` for every lecture of a built site.

    ``docnames`` are the site's documents (default: the lecture pages found in
    ``html_dir/book``); ``sources`` the folder of deck sources (default
    ``book/slides`` of the repository). Returns the decks written.
    """
    from migrationlab import REPO_ROOT

    html_dir = Path(html_dir)
    sources = Path(sources) if sources is not None else REPO_ROOT / SOURCES_DIR
    if docnames is None:
        docnames = [f"book/{p.stem}" for p in (html_dir / "book").glob("*.html")]
    lectures = sorted(d for d in docnames if LECTURE.fullmatch(d))
    copy_revealjs(html_dir)
    written = []
    for docname in lectures:
        name = docname.split("/")[-1]
        source = sources / f"{name}.md"
        shown = _shown(source)
        if not source.is_file():
            raise DeckError(
                f"{shown}: no deck source for the lecture {docname}. Fix: write one "
                f"(the format is in {_shown(sources / 'README.md')})."
            )
        page_html = (html_dir / f"{docname}.html").read_text(encoding="utf-8")
        deck = build_deck(source.read_text(encoding="utf-8"), page_html, name, shown)
        out = html_dir / SLIDES_DIR / f"{name}.html"
        out.parent.mkdir(exist_ok=True)
        out.write_text(deck, encoding="utf-8")
        written.append(out)
    return written


def _shown(path: Path) -> str:
    """A path as a reader finds it: relative to the repository when inside it."""
    from migrationlab import REPO_ROOT

    try:
        return Path(path).resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


# --- PDF ---------------------------------------------------------------------------------


def deck_pdfs(html_dir: Path, *, notes: bool = False) -> list[Path]:
    """Print every deck of ``html_dir/slides`` to a PDF beside it, one 1280x720 page a slide.

    Chromium (through Playwright) opens each deck from ``file://`` in reveal.js's
    ``?print-pdf`` mode; every request that is not a local file is refused, so printing
    works offline. ``notes=True`` adds each slide's speaker notes on a page of their own.
    The deck and its lecture page then link to the PDF. Returns the PDFs written.
    """
    from playwright.sync_api import sync_playwright

    html_dir = Path(html_dir)
    decks = sorted((html_dir / SLIDES_DIR).glob("*.html"))
    query = "?print-pdf" + ("&showNotes=separate-page" if notes else "")
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path("printing the slides"),
            args=OFFLINE_FLAGS,
        )
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.route("**/*", _local_only)
        for deck in decks:
            page.goto(deck.resolve().as_uri() + query, wait_until="load")
            page.wait_for_selector("html[data-deck-ready='yes']", timeout=60_000)
            pages, slides = page.evaluate(
                "[document.querySelectorAll('.pdf-page').length, Reveal.getTotalSlides()]"
            )
            if pages < slides:
                raise RuntimeError(f"{deck}: {slides} slides but {pages} pages laid out to print")
            out = deck.with_suffix(".pdf")
            page.pdf(
                path=str(out),
                width=f"{WIDTH}px",
                height=f"{HEIGHT}px",
                print_background=True,
                prefer_css_page_size=True,
            )
            written.append(out)
        browser.close()
    for out in written:
        _link_pdf(html_dir, out)
    return written


def _local_only(route) -> None:
    if route.request.url.startswith(("file:", "data:", "about:", "blob:")):
        route.continue_()
    else:
        route.abort()


def _link_pdf(html_dir: Path, pdf: Path) -> None:
    """Fill the PDF link of a deck and of its lecture page."""
    for path, href in (
        (pdf.with_suffix(".html"), pdf.name),
        (html_dir / "book" / pdf.with_suffix(".html").name, f"../{SLIDES_DIR}/{pdf.name}"),
    ):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            link = f' · <a href="{href}">PDF</a>'
            path.write_text(text.replace(PDF_MARK, link), encoding="utf-8")


# --- Sphinx ------------------------------------------------------------------------------


def _link_from_lecture(app, pagename, templatename, context, doctree) -> None:
    """A line under a lecture page's title that opens its slides."""
    if not LECTURE.fullmatch(pagename) or "body" not in context:
        return
    name = pagename.split("/")[-1]
    link = (
        f'<p class="lecture-slides">Slides of this lecture: <a href="../{SLIDES_DIR}/'
        f'{name}.html">open the deck</a>{PDF_MARK}</p>'
    )
    context["body"] = context["body"].replace("</h1>", "</h1>" + link, 1)


def _build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        write_decks(Path(app.outdir), app.env.found_docs, Path(app.srcdir) / SOURCES_DIR)


def setup(app):
    app.connect("html-page-context", _link_from_lecture)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
