"""The ten-day plan of the course, read from ``book/schedule.yml``.

The schedule page and the instructor guide render it; the tests check that it is
complete (ten days, every chapter's lecture, lab and exercises, every project milestone)
and that no day runs past the end of the teaching day.

The plan names labs and exercises by their paths (``notebooks/01_data_landscape``), which
stay true when a page is retitled; the timetable shows each as a link to its page with the
page's current title, read from the page itself, so the two never disagree. A path that
is not a page of the book is an error, not a dead link.

As a Sphinx extension (``book/_config.yml``) it adds the role ``{timetable}`` for the
pages of the book written in MyST: ``{timetable}`book/01_data_landscape``` shows the
page's time from the timetable (:func:`migrationlab.timetable.time_text`), so that no
page types a duration of its own.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
from pathlib import Path

import pandas as pd
import yaml

from migrationlab import REPO_ROOT

SCHEDULE_FILE = REPO_ROOT / "book" / "schedule.yml"
TOC_FILE = REPO_ROOT / "book" / "_toc.yml"
KINDS = ("lecture", "lab", "exercises", "project", "presentation", "break")
#: A page of the book named in a block, by its path from the repository root, no suffix.
PAGE_PATH = re.compile(r"\b(?:book|notebooks|exercises)/[A-Za-z0-9_]+\b")


def read_schedule(path: Path = SCHEDULE_FILE) -> pd.DataFrame:
    """Every block of every day with its clock times.

    Returns one row per block: ``day``, ``title`` (of the day), ``start`` and ``end``
    (``HH:MM``), ``minutes``, ``kind`` and ``what``. Raises ``ValueError`` naming the day
    and block when a block has an unknown kind or a duration that is not a positive
    number of minutes.
    """
    plan = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    rows = []
    for day in plan["days"]:
        clock = dt.datetime.strptime(str(day["start"]), "%H:%M")
        for i, block in enumerate(day["blocks"], start=1):
            where = f"{path}: day {day['day']}, block {i} ({block.get('what', '?')!r})"
            if block.get("kind") not in KINDS:
                raise ValueError(f"{where}: kind {block.get('kind')!r} is not one of {KINDS}")
            minutes = block.get("minutes")
            if not isinstance(minutes, int) or minutes <= 0:
                raise ValueError(f"{where}: minutes must be a positive whole number")
            end = clock + dt.timedelta(minutes=minutes)
            rows.append(
                {
                    "day": int(day["day"]),
                    "title": day["title"],
                    "start": clock.strftime("%H:%M"),
                    "end": end.strftime("%H:%M"),
                    "minutes": minutes,
                    "kind": block["kind"],
                    "what": block["what"],
                }
            )
            clock = end
    return pd.DataFrame(rows)


def contact_hours(schedule: pd.DataFrame) -> pd.DataFrame:
    """Contact hours per day (every block but breaks), with the day's first and last times."""
    teaching = schedule[schedule["kind"] != "break"]
    by_day = teaching.groupby("day").agg(
        title=("title", "first"),
        contact_hours=("minutes", lambda m: m.sum() / 60),
    )
    span = schedule.groupby("day").agg(starts=("start", "first"), ends=("end", "last"))
    out = by_day.join(span)
    for kind in ("lecture", "lab", "exercises", "project", "presentation"):
        minutes = teaching[teaching["kind"] == kind].groupby("day")["minutes"].sum()
        out[f"{kind}_hours"] = (minutes / 60).reindex(out.index, fill_value=0.0)
    return out.reset_index()


def toc_pages(toc: Path = TOC_FILE) -> set[str]:
    """The paths (from the repository root, no suffix) of every page in the book's TOC."""
    spec = yaml.safe_load(Path(toc).read_text(encoding="utf-8"))
    pages = {spec["root"]}
    entries = [entry for part in spec.get("parts", []) for entry in part.get("chapters", [])]
    while entries:
        entry = entries.pop()
        pages.add(entry["file"])
        entries.extend(entry.get("sections", []))
    return pages


def page_title(page: str, root: Path = REPO_ROOT) -> str:
    """The title of a book page: the first ``# `` heading of its MyST file or notebook.

    ``page`` is the page's path from ``root`` without its suffix, as in the TOC. Code
    (fenced blocks, notebook code cells) is skipped, so a ``# comment`` is never a title.
    Raises ``ValueError`` naming the file when it has no such heading.
    """
    md, ipynb = root / f"{page}.md", root / f"{page}.ipynb"
    if ipynb.exists():
        cells = json.loads(ipynb.read_text(encoding="utf-8"))["cells"]
        texts = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
        path = ipynb
    elif md.exists():
        texts, path = [md.read_text(encoding="utf-8")], md
    else:
        raise ValueError(f"{page}: neither {md.name} nor {ipynb.name} exists under {root}")
    for text in texts:
        fence = None
        for line in text.splitlines():
            mark = re.match(r"\s*(`{3,}|~{3,})", line)
            if mark and fence is None:
                fence = mark.group(1)
            elif mark and fence and mark.group(1).startswith(fence):
                fence = None
            elif fence is None and line.startswith("# "):
                return re.sub(r"[*`]", "", line[2:]).strip()
    raise ValueError(f"{path}: no title ('# ' heading); add one as the page's first heading")


def linked_html(
    what: str,
    *,
    page: str = "book/schedule",
    root: Path = REPO_ROOT,
    pages: set[str] | None = None,
    where: str = "",
) -> str:
    """The text of a block as HTML, each page path in it a link titled with the page's title.

    ``page`` is the page the HTML is shown on (links are relative to it); ``pages`` the
    pages of the book (default: those of ``book/_toc.yml``). A path that is not one of
    them raises ``ValueError`` (prefixed with ``where``), since the site would not have it.
    """
    pages = toc_pages() if pages is None else pages
    out, last = [], 0
    for match in PAGE_PATH.finditer(what):
        target = match.group(0)
        if target not in pages:
            raise ValueError(
                f"{where}names {target}, which is not a page of the book: correct the path "
                f"in {SCHEDULE_FILE.name} or add the page to {TOC_FILE.name}"
            )
        href = posixpath.relpath(f"{target}.html", posixpath.dirname(page))
        title = html.escape(page_title(target, root))
        out += [html.escape(what[last : match.start()]), f'<a href="{href}">{title}</a>']
        last = match.end()
    out.append(html.escape(what[last:]))
    return "".join(out)


def timetable_html(schedule: pd.DataFrame, *, page: str = "book/schedule") -> str:
    """The day-by-day timetable as HTML: a heading and a table of blocks for each day.

    Labs and exercises named by path become links to their pages (see
    :func:`linked_html`); an unknown path raises ``ValueError`` naming the day and block.
    """
    pages = toc_pages()
    parts = []
    for day, blocks in schedule.groupby("day"):
        rows = []
        for i, block in enumerate(blocks.itertuples(), start=1):
            where = f"{SCHEDULE_FILE.name}: day {day}, block {i} ({block.what!r}) "
            text = linked_html(block.what, page=page, pages=pages, where=where)
            cells = [block.start, block.end, block.kind]
            rows.append("".join(f"<td>{html.escape(c)}</td>" for c in cells) + f"<td>{text}</td>")
        head = "".join(f"<th>{h}</th>" for h in ("start", "end", "kind", "block"))
        body = "".join(f"<tr>{row}</tr>" for row in rows)
        title = html.escape(blocks["title"].iloc[0])
        parts.append(
            f"<h3>Day {day}: {title}</h3>\n"
            f'<table class="dataframe"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        )
    return "\n".join(parts)


def _timetable_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{timetable}`notebooks/01_data_landscape``: the page's time, from the timetable."""
    from docutils import nodes

    from migrationlab.timetable import time_text

    env = getattr(inliner.document.settings, "env", None)
    if env is not None:
        env.note_dependency(str(SCHEDULE_FILE))  # rebuilt when the timetable changes
    try:
        shown = time_text(text.strip())
    except (KeyError, ValueError) as error:
        message = inliner.reporter.error(f"{{timetable}}: {error}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    return [nodes.Text(shown)], []


def setup(app):
    app.add_role("timetable", _timetable_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
