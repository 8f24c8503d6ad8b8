"""Fast tests of the self-check quizzes (coursekit.quiz): the YAML, the errors, the HTML.

A tiny Sphinx project is built in a temporary folder (MyST, no notebook executed); the
quizzes in the built book are answered in a browser by tests/book_quiz_checks.py (slow).
"""

from __future__ import annotations

import re

import pytest

from coursekit.quiz import QuizError, parse_quiz
from migrationlab import REPO_ROOT

CHAPTERS = sorted((REPO_ROOT / "book").glob("0[1-5]_*.md"))

GOOD = """
- question: A {term}`stock` is counted ...
  choices:
    - text: over a period
      feedback: That is a flow.
    - text: at a date
      correct: true
      feedback: Right, at a date.
- question: What is 500 + 80 - 30 - 5, in thousands?
  answer: 545
  tolerance: 0.5
  unit: thousand people
  feedback: Right.
  mistakes:
    - value: 580
      feedback: You forgot the departures and the deaths.
  hint: Take away every way of leaving.
"""


def _quiz_bodies(path):
    text = path.read_text(encoding="utf-8")
    return re.findall(r"^```\{quiz\}\n(.*?)^```$", text, re.S | re.M)


def test_a_good_quiz_parses():
    choice, number = parse_quiz(GOOD, "page.md")
    assert [c.correct for c in choice.choices] == [False, True]
    assert number.numeric and number.answer == 545 and number.tolerance == 0.5
    assert number.mistakes[0].value == 580


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("- question: a\n  choices: [\n", r"not valid YAML .*indentation"),
        ("question: a", r"must be a YAML list of questions"),
        (
            "- question: a\n  choices:\n    - text: x\n      feedback: y\n"
            "    - text: z\n      feedback: w\n",
            r"question 1: 0 choices are marked `correct: true` \(none\); mark exactly one",
        ),
        (
            "- question: a\n  choices:\n    - text: x\n      correct: true\n"
            "    - text: z\n      feedback: w\n",
            r"question 1, choice 1: no 'feedback'; every choice needs",
        ),
        (
            "- question: a\n  choices:\n    - text: x\n      correct: true\n      feedback: y\n"
            "    - txt: z\n      feedback: w\n",
            r"question 1, choice 2: unknown field\(s\) \['txt'\].*correct the spelling",
        ),
        (
            "- question: a\n  answer: 1\n  feedback: y\n  hint: z\n",
            r"question 1: a numeric question needs 'tolerance'",
        ),
        (
            "- question: a\n  answer: 0.3 %\n  tolerance: 0.1\n  feedback: y\n  hint: z\n",
            r"'answer' must be a number, is '0.3 %'; write it without units",
        ),
        (
            "- question: a\n  answer: 1\n  tolerance: 0.1\n  feedback: y\n  hint: z\n"
            "  mistakes:\n    - value: 1.05\n      feedback: w\n",
            r"mistake 1: the value 1.05 counts as right",
        ),
        ("- question: a\n", r"question 1: a question has either 'choices'.*neither"),
    ],
)
def test_bad_yaml_names_the_page_the_field_and_the_fix(yaml_text, expected):
    with pytest.raises(QuizError, match=r"^book/01_x\.md, line 7") as error:
        parse_quiz(yaml_text, "book/01_x.md, line 7")
    assert re.search(expected, str(error.value), re.S), str(error.value)


def _build(tmp_path, body: str):
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "coursekit.quiz"]\nmyst_enable_extensions = ["dollarmath"]\n',
        encoding="utf-8",
    )
    (src / "index.md").write_text(
        "# Glossary\n\n```{glossary}\nstock\n  People at a date.\n```\n\n"
        f"## Self-check\n\n```{{quiz}}\n{body}\n```\n",
        encoding="utf-8",
    )
    warnings = []

    class Sink:
        def write(self, text):
            warnings.append(text)

        def flush(self):
            pass

    app = Sphinx(
        str(src),
        str(src),
        str(tmp_path / "out"),
        str(tmp_path / "doctrees"),
        "html",
        status=None,
        warning=Sink(),
        freshenv=True,
    )
    app.build()
    return tmp_path / "out", "".join(warnings)


def test_the_directive_renders_accessible_html(tmp_path):
    out, warnings = _build(tmp_path, GOOD)
    assert not warnings, warnings
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count('<fieldset class="course-quiz__question"') == 2
    assert page.count("<legend>") == 2
    # every radio button and the number field have a label
    for input_id in re.findall(r'<input type="(?:radio|text)"[^>]* id="([^"]+)"', page):
        assert f'<label for="{input_id}"' in page, input_id
    assert '<button type="button" class="course-quiz__check">Check</button>' in page
    assert 'role="status"' in page
    assert 'data-answer="545" data-tolerance="0.5"' in page
    assert page.count("course-quiz__feedback") == 5 and page.count(" hidden>") == 5
    assert 'href="#term-stock"' in page  # {term} inside a question links the glossary
    assert "<summary>Answers and explanations</summary>" in page
    assert "<strong>B.</strong> at a date" in page
    assert "quiz.js" in page and "quiz.css" in page
    assert (out / "_static" / "quiz.js").is_file() and (out / "_static" / "quiz.css").is_file()


def test_a_bad_quiz_stops_the_build_naming_the_page(tmp_path):
    _, warnings = _build(tmp_path, "- question: a\n  answer: 1\n  feedback: y\n  hint: z\n")
    assert "index.md, line" in warnings and "needs 'tolerance'" in warnings, warnings


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_has_a_self_check_quiz_of_five_to_eight_questions(path):
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^## Self-check$", text, re.M), f"{path.name}: no '## Self-check' section"
    bodies = _quiz_bodies(path)
    assert len(bodies) == 1, f"{path.name}: {len(bodies)} quizzes"
    questions = parse_quiz(bodies[0], path.name)
    assert 5 <= len(questions) <= 8, f"{path.name}: {len(questions)} questions"
    for q in questions:
        if not q.numeric:
            assert len(q.choices) >= 3, f"{path.name}: {q.text[:40]}: too few choices"
    # the right answer is not always in the same place
    places = {[c.correct for c in q.choices].index(True) for q in questions if not q.numeric}
    assert len(places) >= 3, f"{path.name}: the right answer sits at {places}"
