"""How long each lecture, lab and exercise takes, read from the course timetable.

``book/schedule.yml`` is the only place where the course writes a duration. A lab, a
lecture page or an exercise shows its time by asking this module, so that the page and
the timetable cannot disagree::

    from migrationlab.timetable import show_time
    show_time("notebooks/01_data_landscape")

Which blocks count for a page: a block counts for the page of the book that its ``what``
names (``notebooks/01_data_landscape, first half``); a lecture block that names no page
counts for the day's ``lecture``. A block that names two pages is an error: split it, so
that each page's time is stated.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from migrationlab import REPO_ROOT

SCHEDULE_FILE = REPO_ROOT / "book" / "schedule.yml"
#: A page of the book named in a block, by its path from the repository root, no suffix.
PAGE_PATH = re.compile(r"\b(?:book|notebooks|exercises)/[A-Za-z0-9_]+\b")


def page_blocks(path: Path = SCHEDULE_FILE) -> dict[str, list[tuple[int, int]]]:
    """Each page's blocks in the timetable, as ``(day, minutes)`` in the order taught.

    Raises ``ValueError`` naming the day and block when a block names two pages or has no
    positive whole number of minutes.
    """
    plan = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    found: dict[str, list[tuple[int, int]]] = {}
    for day in plan["days"]:
        for i, block in enumerate(day["blocks"], start=1):
            what = str(block.get("what", ""))
            where = f"{Path(path).name}: day {day['day']}, block {i} ({what!r})"
            minutes = block.get("minutes")
            if not isinstance(minutes, int) or minutes <= 0:
                raise ValueError(f"{where}: minutes must be a positive whole number")
            pages = sorted(set(PAGE_PATH.findall(what)))
            if len(pages) > 1:
                raise ValueError(
                    f"{where}: names {len(pages)} pages ({', '.join(pages)}); split it into "
                    "one block per page, so that each page's time is stated"
                )
            if not pages and block.get("kind") == "lecture" and day.get("lecture"):
                pages = [day["lecture"]]
            for page in pages:
                found.setdefault(page, []).append((int(day["day"]), minutes))
    return found


def minutes(page: str, path: Path = SCHEDULE_FILE) -> int:
    """The minutes the timetable gives ``page`` (``notebooks/01_data_landscape``), in all.

    Raises ``KeyError`` naming the timetable when the page has no block in it.
    """
    blocks = page_blocks(path).get(page)
    if not blocks:
        raise KeyError(
            f"{page} has no block in {Path(path).name}: add one (kind, minutes, and the "
            f"page's path in 'what'), or do not ask for its time"
        )
    return sum(m for _, m in blocks)


def time_text(page: str, path: Path = SCHEDULE_FILE) -> str:
    """The page's time as a reader reads it: ``"105 minutes (75 + 30, on day 1)"``.

    Up to three blocks are listed; more (a lecture's sections) are counted.
    """
    blocks = page_blocks(path).get(page) or []
    total = minutes(page, path)
    days = sorted({d for d, _ in blocks})
    on = "day " + " and ".join(str(d) for d in days)
    if len(blocks) == 1:
        return f"{total} minutes (on {on})"
    if len(blocks) > 3:
        return f"{total} minutes (in {len(blocks)} blocks, on {on})"
    parts = " + ".join(str(m) for _, m in blocks)
    return f"{total} minutes ({parts}, on {on})"


def show_time(page: str, path: Path = SCHEDULE_FILE):
    """Display the page's time in class, from the timetable, as Markdown in a notebook."""
    from IPython.display import Markdown, display

    text = f"**Time in class:** {time_text(page, path)}, from the course timetable."
    display(Markdown(text))
