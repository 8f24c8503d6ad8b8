"""Browser checks of the self-check quizzes in the built site, with the network cut.

Plain ``test_...`` functions, marked slow, that take the ``built_book`` fixture;
``tests/test_book.py`` imports them so that they share its one build. To run them alone
against a site built already::

    MIGRATIONLAB_BUILT_SITE=_build/html pytest -q tests/book_quiz_checks.py -p no:xdist

On every lecture page, with every request that leaves the machine refused, Chromium
answers the first choice question wrongly and then rightly, and the first numeric
question (where the page has one) likewise, and reads the feedback and the status each
time. The fast tests of the directive are in ``tests/test_quiz.py``.
"""

from __future__ import annotations

import concurrent.futures
import re
from pathlib import Path

import pytest
from site_checks import CHROMIUM_FLAGS, chromium_path, local_only, serve

LECTURES = [
    "book/01_data_landscape.html",
    "book/02_new_data_sources.html",
    "book/03_migration_drivers.html",
    "book/04_cities_segregation.html",
    "book/05_mobility_nexus.html",
]

#: What the page shows after each answer: the visible feedback boxes, their text, the status.
STATE_JS = """(question) => {
  const shown = [...question.querySelectorAll(".course-quiz__feedback")].filter(
    (box) => !box.hidden && box.getBoundingClientRect().height > 0);
  return {
    shown: shown.length,
    feedback: shown.map((box) => box.textContent.trim()).join(" | "),
    expected: shown.map((box) => box.dataset.for).join(" | "),
    status: question.querySelector(".course-quiz__status").textContent.trim(),
  };
}"""


def _in_thread(function, *args):
    """Run ``function(*args)`` in a new thread (Playwright's sync API needs its own loop)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def _answer_choice(page, question) -> dict:
    wrong = question.locator("input[type=radio][data-correct=false]").first
    right = question.locator("input[type=radio][data-correct=true]")
    found = {
        "wrong_value": wrong.get_attribute("value"),
        "right_value": right.get_attribute("value"),
    }
    # By the label, as a reader clicks: the label must name the radio button.
    question.locator(f"label[for='{wrong.get_attribute('id')}']").click()
    question.locator(".course-quiz__check").click()
    found["after_wrong"] = question.evaluate(STATE_JS)
    found["after_wrong"]["checked"] = wrong.is_checked()
    question.locator(f"label[for='{right.get_attribute('id')}']").click()
    found["after_change"] = question.evaluate(STATE_JS)
    question.locator(".course-quiz__check").click()
    found["after_right"] = question.evaluate(STATE_JS)
    return found


def _answer_number(page, question) -> dict:
    answer = float(question.get_attribute("data-answer"))
    tolerance = float(question.get_attribute("data-tolerance"))
    field = question.locator("input[type=text]")
    label = question.locator(f"label[for='{field.get_attribute('id')}']").inner_text()
    mistakes = question.locator("[data-for=mistake]")
    wrong = (
        mistakes.first.get_attribute("data-value")
        if mistakes.count()
        else repr(answer * 3 + 10 * tolerance + 7)
    )
    found = {
        "label": label,
        "wrong_value": wrong,
        "expected_wrong": "mistake" if mistakes.count() else "other",
    }
    field.fill(wrong)
    question.locator(".course-quiz__check").click()
    found["after_wrong"] = question.evaluate(STATE_JS)
    field.fill("")
    # The right answer typed as a reader might, within the tolerance and with a comma.
    field.type(repr(answer + tolerance / 2).replace(".", ","))
    field.press("Enter")
    found["after_right"] = question.evaluate(STATE_JS)
    return found


def walk_quizzes(site: Path, pages: list[str]) -> dict:
    """Answer a question of each page wrongly, then rightly, offline; report what is seen."""
    from playwright.sync_api import sync_playwright

    results: dict = {}
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        outside: list[str] = []

        context.route("**/*", local_only(base, outside))
        for name in pages:
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.goto(base + name, wait_until="load")
            found = {
                "questions": page.locator(".course-quiz__question").count(),
                "ready": page.locator(".course-quiz__question--ready").count(),
                "hidden_before": page.evaluate(
                    "[...document.querySelectorAll('.course-quiz__feedback')].every(b => b.hidden)"
                ),
                "key": page.locator("details.course-quiz__key li").count(),
            }
            choice = page.locator(".course-quiz__question[data-kind=choice]").first
            if choice.count():
                found["choice"] = _answer_choice(page, choice)
            number = page.locator(".course-quiz__question[data-kind=numeric]").first
            if number.count():
                found["numeric"] = _answer_number(page, number)
            found["errors"] = errors
            results[name] = found
            page.close()
        results["outside"] = outside
        browser.close()
    return results


@pytest.fixture(scope="module")
def quiz_walk(built_book):
    return _in_thread(walk_quizzes, built_book, LECTURES)


def quiz_problems(name: str, found: dict) -> list[str]:
    """What a page's quiz got wrong in the walk (empty: nothing)."""
    problems = []
    if not 5 <= found["questions"] <= 8:
        problems.append(f"{found['questions']} questions (5 to 8 wanted)")
    if found["ready"] != found["questions"]:
        problems.append("the quiz script did not set up every question (is quiz.js loaded?)")
    if not found["hidden_before"]:
        problems.append("feedback is shown before any answer")
    if found["key"] != found["questions"]:
        problems.append(f"the answer list has {found['key']} answers for {found['questions']}")
    choice = found.get("choice")
    if choice is None:
        problems.append("no choice question")
    else:
        wrong, right = choice["after_wrong"], choice["after_right"]
        if not wrong["checked"]:
            problems.append("clicking a choice's label does not select it")
        if wrong["shown"] != 1 or wrong["expected"] != choice["wrong_value"]:
            problems.append(f"a wrong choice shows {wrong}, not its own feedback")
        if not wrong["status"].startswith("Not quite") or len(wrong["feedback"]) < 30:
            problems.append(f"a wrong choice gets no explanation: {wrong}")
        if choice["after_change"]["shown"] or choice["after_change"]["status"]:
            problems.append("a new choice keeps the old verdict")
        if right["shown"] != 1 or right["expected"] != choice["right_value"]:
            problems.append(f"the right choice shows {right}, not its own feedback")
        if right["status"] != "Correct.":
            problems.append(f"the right choice reads {right['status']!r}")
    numeric = found.get("numeric")
    if numeric is not None:
        wrong, right = numeric["after_wrong"], numeric["after_right"]
        if not numeric["label"].startswith("Your answer"):
            problems.append(f"the number field is labelled {numeric['label']!r}")
        if wrong["expected"] != numeric["expected_wrong"] or not wrong["status"].startswith(
            "Not quite"
        ):
            problems.append(f"the wrong number {numeric['wrong_value']} shows {wrong}")
        if right["expected"] != "right" or right["status"] != "Correct.":
            problems.append(f"the right number shows {right}")
    if found["errors"]:
        problems.append(f"JavaScript errors: {found['errors']}")
    return [f"{name}: {p}" for p in problems]


@pytest.mark.slow
def test_every_chapter_quiz_answers_wrong_then_right_offline(quiz_walk):
    problems = [p for name in LECTURES for p in quiz_problems(name, quiz_walk[name])]
    assert not problems, "\n".join(problems)
    assert not quiz_walk["outside"], f"requests off the machine: {quiz_walk['outside']}"


@pytest.mark.slow
def test_quiz_pages_load_the_quiz_script_and_others_do_not(built_book):
    for name in LECTURES:
        assert "quiz.js" in (built_book / name).read_text(encoding="utf-8"), name
    setup = (built_book / "book" / "setup.html").read_text(encoding="utf-8")
    assert not re.search(r"quiz\.js", setup), "a page without a quiz loads quiz.js"
    assert "quiz.css" in setup, "the quiz's stylesheet (also used by the PDF) is missing"
