"""The ten-day plan (book/schedule.yml) is complete and fits the teaching day."""

import re

import pytest

from coursekit.schedule import contact_hours, read_schedule
from migrationlab import REPO_ROOT


def test_ten_days_that_end_by_five():
    plan = read_schedule()
    assert sorted(plan["day"].unique()) == list(range(1, 11))
    last = plan.groupby("day")["end"].last()
    assert (last <= "17:30").all(), f"days that run late: {last[last > '17:30'].to_dict()}"


def test_every_chapter_has_its_lecture_lab_and_exercises():
    plan = read_schedule()
    for n in range(1, 6):
        day = plan[plan["day"] == n]
        assert {"lecture", "lab", "exercises"} <= set(day["kind"]), f"day {n}"
        assert day["what"].str.contains(f"0{n}_").any(), f"day {n} names no chapter-{n} notebook"


def test_week_two_has_the_milestones_and_the_presentations():
    plan = read_schedule()
    text = " ".join(plan[plan["day"] >= 6]["what"])
    for milestone in ("Milestone 1", "Milestone 2", "Milestone 3", "Milestone 4"):
        assert milestone in text
    assert (plan[plan["day"] == 10]["kind"] == "presentation").any()


def test_contact_hours_leave_out_the_breaks():
    plan = read_schedule()
    hours = contact_hours(plan).set_index("day")["contact_hours"]
    assert hours.loc[1:9].between(5, 7).all(), hours.to_dict()  # the last day is shorter
    day1 = plan[(plan["day"] == 1) & (plan["kind"] != "break")]["minutes"].sum()
    assert hours.loc[1] == day1 / 60


def test_a_bad_block_is_named(tmp_path):
    bad = tmp_path / "schedule.yml"
    bad.write_text(
        "days:\n  - day: 1\n    title: t\n    start: '09:00'\n    blocks:\n"
        "      - {kind: nap, minutes: 30, what: siesta}\n"
    )
    with pytest.raises(ValueError, match=r"day 1, block 1 \('siesta'\): kind 'nap'"):
        read_schedule(bad)


def test_labs_and_exercises_are_links_titled_with_their_pages():
    import html
    import posixpath

    from coursekit.schedule import page_title, timetable_html

    page = timetable_html(read_schedule())
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', page)
    targets = {href for href, _ in links}
    for n, topic in [
        (1, "data_landscape"),
        (2, "new_data_sources"),
        (3, "migration_drivers"),
        (4, "cities_segregation"),
        (5, "mobility_nexus"),
    ]:
        for href in (
            f"../notebooks/0{n}_{topic}.html",
            f"../notebooks/0{n}_real_data.html",
            f"../exercises/0{n}_{topic}.html",
        ):
            assert href in targets, f"day {n}: no link to {href}"
    for href, text in links:
        page_path = posixpath.normpath(posixpath.join("book", href)).removesuffix(".html")
        assert text == html.escape(page_title(page_path)), (href, text)
    # No path is left as plain text: every one became a link.
    assert not re.search(r"(?<![/\"])\b(notebooks|exercises)/\w+", re.sub(r"<a [^>]+>", "", page))


def test_a_page_title_is_its_first_heading_outside_code(tmp_path):
    from coursekit.schedule import page_title

    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "p.md").write_text("```python\n# a comment\n```\n\n# The *title*\n")
    assert page_title("book/p", tmp_path) == "The title"
    (tmp_path / "book" / "q.md").write_text("No heading here.\n")
    with pytest.raises(ValueError, match=r"q\.md: no title"):
        page_title("book/q", tmp_path)


def test_a_block_naming_a_page_not_in_the_book_is_an_error(tmp_path):
    from coursekit.schedule import timetable_html

    bad = tmp_path / "schedule.yml"
    bad.write_text(
        "days:\n  - day: 1\n    title: t\n    start: '09:00'\n    blocks:\n"
        "      - {kind: lab, minutes: 30, what: 'notebooks/09_missing, first half'}\n"
    )
    with pytest.raises(ValueError, match=r"day 1, block 1 .*notebooks/09_missing, which is not"):
        timetable_html(read_schedule(bad))


# --- one timetable: durations are written in book/schedule.yml only ------------------------

#: A duration typed into a page: "75 minutes", "90-minute", "ten minutes", "about 2 hours of
#: lecture".
_NUMBER = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|half an?)"
TYPED_DURATION = re.compile(
    rf"\b{_NUMBER}\s*(?:(?:-|–|to)\s*\d+\s*)?(?:-?minutes?\b|mins?\b)"
    rf"|\b{_NUMBER}\s*(?:-|–)?\s*hours?\s+(?:of\s+)?(?:lecture|lab|class|exercises?|teaching)",
    re.IGNORECASE,
)
#: Lengths of time that are not the length of a session, a lecture, a lab or an exercise:
#: the format of a team's talk and pitch in week two, which the assessment states.
NOT_TEACHING_TIME = (
    "ten minutes and questions",
    "ten-minute presentation",
    "Three minutes per team",
    "Ten minutes and five of questions per team",
    "A presentation of ten minutes",
    "Ten minutes kept",
    "in a few minutes",
    "a few minutes once",
    "an antenna and an hour",
    "takes about half a minute in networkx",  # a computation, not a session
)


def _page_texts():
    """The prose of every page a reader or student meets: book pages and notebooks."""
    import nbformat

    for path in sorted((REPO_ROOT / "book").rglob("*.md")):
        if "solutions" in path.relative_to(REPO_ROOT / "book").parts:
            continue  # written by make book from solutions/
        yield path, path.read_text(encoding="utf-8")
    for folder in ("notebooks", "exercises", "solutions"):
        for path in sorted((REPO_ROOT / folder).glob("*.ipynb")):
            cells = nbformat.read(path, as_version=4).cells
            yield path, "\n".join(c.source for c in cells if c.cell_type == "markdown")


def test_no_duration_is_typed_outside_the_timetable():
    typed = []
    for path, text in _page_texts():
        for line in text.splitlines():
            if any(allowed in line for allowed in NOT_TEACHING_TIME):
                continue
            for match in TYPED_DURATION.finditer(line):
                typed.append(
                    f"{path.relative_to(REPO_ROOT)}: {match.group(0)!r} in {line.strip()!r}"
                )
    assert not typed, (
        "durations typed into pages; write them in book/schedule.yml and show them with "
        "{timetable}`page` (MyST pages) or migrationlab.timetable.show_time (notebooks):\n"
        + "\n".join(typed)
    )


def test_the_typed_duration_pattern_catches_what_pages_used_to_say():
    for said in (
        "Time: about 75 minutes.",
        "plus the 90-minute lab",
        "Lecture about 95 minutes",
        "About two hours of lecture (115 minutes)",
        "a 45 min session",
        "a ten-minute break",
    ):
        assert TYPED_DURATION.search(said), said
    for fine in ("runs in seconds", "minutes of phone calls", "under a minute", "24 hours later"):
        assert not TYPED_DURATION.search(fine), fine


def test_every_lab_lecture_and_exercise_has_its_time_in_the_timetable():
    from migrationlab.timetable import minutes

    for n, name in enumerate(
        [
            "01_data_landscape",
            "02_new_data_sources",
            "03_migration_drivers",
            "04_cities_segregation",
            "05_mobility_nexus",
        ],
        start=1,
    ):
        for page in (f"book/{name}", f"notebooks/{name}", f"notebooks/0{n}_real_data"):
            assert minutes(page) >= 15, page
        assert minutes(f"exercises/{name}") >= 60


def test_each_page_shows_the_time_the_timetable_gives_it():
    import nbformat

    from migrationlab.timetable import PAGE_PATH

    for path in sorted((REPO_ROOT / "notebooks").glob("0*.ipynb")):
        code = "\n".join(
            c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"
        )
        assert f'show_time("notebooks/{path.stem}")' in code, f"{path.name} does not show its time"
    for path in sorted((REPO_ROOT / "book").glob("0[1-5]_*.md")):
        shown = re.findall(r"\{timetable\}`([^`]+)`", path.read_text(encoding="utf-8"))
        assert f"book/{path.stem}" in shown, f"{path.name} does not show the lecture's time"
        assert all(PAGE_PATH.fullmatch(page) for page in shown)


def test_a_page_time_sums_its_blocks_and_a_block_names_one_page(tmp_path):
    from migrationlab.timetable import minutes, time_text

    plan = tmp_path / "schedule.yml"
    plan.write_text(
        "days:\n"
        "  - day: 1\n    lecture: book/01_x\n    start: '09:00'\n    blocks:\n"
        "      - {kind: lecture, minutes: 20, what: 'Stocks and flows'}\n"
        "      - {kind: lecture, minutes: 15, what: 'Welcome (notebooks/00_start)'}\n"
        "      - {kind: lab, minutes: 75, what: 'notebooks/01_x, first half'}\n"
        "      - {kind: break, minutes: 60, what: 'Lunch'}\n"
        "      - {kind: lab, minutes: 30, what: 'notebooks/01_x, second half'}\n",
        encoding="utf-8",
    )
    assert minutes("book/01_x", plan) == 20
    assert minutes("notebooks/00_start", plan) == 15
    assert time_text("notebooks/01_x", plan) == "105 minutes (75 + 30, on day 1)"
    with pytest.raises(KeyError, match="no block in schedule.yml"):
        minutes("notebooks/02_y", plan)
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "'notebooks/01_x, second half'", "'notebooks/01_x, then notebooks/01_real'"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"day 1, block 5 .*split it"):
        minutes("notebooks/01_x", plan)
