"""The ten-day plan (book/schedule.yml) is complete and fits the teaching day."""

import pytest

from coursekit.schedule import contact_hours, read_schedule


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
    import re

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
        page_path = href.removeprefix("../").removesuffix(".html")
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
