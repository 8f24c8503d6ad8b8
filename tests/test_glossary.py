"""The glossary (book/glossary.md): enough terms, each defined once and used by a chapter.

Every term of the glossary must be linked with ``{term}`` from at least one chapter (a
lecture page ``book/0[1-5]_*.md`` or a lab ``notebooks/0[1-5]_*.ipynb``), and every
``{term}`` link of the book's pages must name a term the glossary defines: Sphinx looks
terms up without regard to case. Fast: reads the sources, builds nothing.
"""

from __future__ import annotations

import json
import re

import yaml

from migrationlab import REPO_ROOT

GLOSSARY = REPO_ROOT / "book" / "glossary.md"
#: ``{term}`text``` or ``{term}`text <target>```: the target is the term.
TERM_ROLE = re.compile(r"\{term\}`([^`<]*?)(?:\s*<([^>`]+)>)?`", re.S)


def glossary_terms() -> list[str]:
    """The terms of the glossary, as written (several may share one definition)."""
    text = GLOSSARY.read_text(encoding="utf-8")
    blocks = re.findall(r"^```\{glossary\}\n(.*?)^```$", text, re.S | re.M)
    assert blocks, f"{GLOSSARY.name}: no ```{{glossary}} block"
    terms = []
    for block in blocks:
        for line in block.splitlines():
            if line and not line[0].isspace() and not line.startswith(":"):
                terms.append(line.strip())
    return terms


def _texts(paths) -> dict[str, str]:
    texts = {}
    for path in paths:
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            texts[path.relative_to(REPO_ROOT).as_posix()] = "\n".join(
                "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
            )
        else:
            texts[path.relative_to(REPO_ROOT).as_posix()] = path.read_text(encoding="utf-8")
    return texts


def chapter_texts() -> dict[str, str]:
    return _texts(
        [
            *sorted((REPO_ROOT / "book").glob("0[1-5]_*.md")),
            *sorted((REPO_ROOT / "notebooks").glob("0[1-5]_*.ipynb")),
        ]
    )


def linked_terms(text: str) -> list[str]:
    return [(target or shown).strip().lower() for shown, target in TERM_ROLE.findall(text)]


def test_the_glossary_has_at_least_forty_terms_each_defined_once():
    terms = glossary_terms()
    assert len(terms) >= 40, f"{len(terms)} terms; the course promises at least 40"
    lowered = [t.lower() for t in terms]
    doubles = sorted({t for t in lowered if lowered.count(t) > 1})
    assert not doubles, f"terms defined twice in {GLOSSARY.name}: {doubles}"


def test_the_glossary_is_in_the_table_of_contents():
    toc = yaml.safe_load((REPO_ROOT / "book" / "_toc.yml").read_text(encoding="utf-8"))
    files = {c["file"] for part in toc["parts"] for c in part["chapters"]}
    assert "book/glossary" in files


def test_every_term_is_linked_from_a_chapter():
    used = {t for text in chapter_texts().values() for t in linked_terms(text)}
    unused = [t for t in glossary_terms() if t.lower() not in used]
    # A term listed under another name (MAPE / mean absolute percentage error) shares a
    # definition: one of its names linked is enough.
    text = GLOSSARY.read_text(encoding="utf-8")
    groups = re.findall(r"^\n((?:[^\s:][^\n]*\n)+)  ", text, re.M)
    for group in groups:
        names = [n.strip() for n in group.strip().splitlines()]
        if any(n.lower() in used for n in names):
            unused = [t for t in unused if t not in names]
    assert not unused, (
        "glossary terms that no chapter links with {term} (link the first use in a lecture "
        f"or lab, or drop the term): {unused}"
    )


def test_every_term_link_has_a_target():
    terms = {t.lower() for t in glossary_terms()}
    pages = sorted((REPO_ROOT / "book").rglob("*.md"))
    notebooks = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
    missing = [
        f"{page}: {{term}} {term!r}"
        for page, text in _texts([*pages, *notebooks]).items()
        for term in linked_terms(text)
        if term not in terms
    ]
    assert not missing, (
        f"{{term}} links to words {GLOSSARY.relative_to(REPO_ROOT)} does not define (add "
        "the term there, or point the link at a defined one: {term}`text <term>`):\n"
        + "\n".join(missing)
    )


def test_every_chapter_links_the_glossary():
    for page, text in chapter_texts().items():
        if page.startswith("book/"):
            assert len(set(linked_terms(text))) >= 10, f"{page}: fewer than ten terms linked"
