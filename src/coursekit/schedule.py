"""The ten-day plan of the course, read from ``book/schedule.yml``.

The schedule page and the instructor guide render it; the tests check that it is
complete (ten days, every chapter's lecture, lab and exercises, every project milestone)
and that no day runs past the end of the teaching day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import yaml

from migrationlab import REPO_ROOT

SCHEDULE_FILE = REPO_ROOT / "book" / "schedule.yml"
KINDS = ("lecture", "lab", "exercises", "project", "presentation", "break")


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
