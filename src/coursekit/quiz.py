"""Self-check quizzes in the lecture pages: a Sphinx directive, a small script, no network.

Why the course's own: the quiz extensions for Jupyter Book draw their questions with a
script loaded from a CDN or from a notebook output, and mark options up as clickable boxes
rather than form controls. Here the questions are written in the page, in the body of a
``{quiz}`` directive as YAML, and become ordinary HTML: each question a ``<fieldset>`` with
a ``<legend>``, radio buttons with labels (or a labelled text field for a number), a
"Check" button and a live status line. ``coursekit/static/quiz.js`` shows the feedback of
the chosen option, or of the number typed, and ``quiz.css`` styles it; both are served
with the site, so a quiz works with the network cut.

A choice question::

    - question: A stock is counted ...
      choices:
        - text: at a date
          correct: true
          feedback: Right: a stock is a count of people at a moment.
        - text: over a year
          feedback: That is a flow ...

A numeric question states its tolerance; ``mistakes`` are the wrong answers that a
common misconception gives, each with its explanation, and ``hint`` answers any other::

    - question: What is the stock on 1 January 2024, in thousands?
      answer: 545
      tolerance: 0.5
      unit: thousand people
      feedback: Right: 500 + 80 - 30 - 5.
      mistakes:
        - value: 580
          feedback: You added the arrivals but forgot the departures and the deaths.
      hint: Start from the stock, add the arrivals, take away every way of leaving.

Text may use inline MyST: ``{term}`` links to the glossary, ``$...$`` mathematics,
emphasis. Every question also appears, answered and explained, in a folded "Answers and
explanations" list below the quiz: it serves a reader without JavaScript and the book's
PDF (:mod:`coursekit.book_pdf` removes scripts, buttons and inputs and opens folded
blocks, so on paper the questions read as lettered lists, followed by the answers).

A quiz whose YAML is wrong stops the build with an error that names the page, the line of
the directive, the question and field, and the fix (:func:`parse_quiz`).

Enabled in ``book/_config.yml`` (``sphinx.extra_extensions``).
"""

from __future__ import annotations

import html
import math
import string
from dataclasses import dataclass, field
from pathlib import Path

import yaml

#: The quiz's stylesheet and script, served from this package (as offline_site's files).
STATIC_DIR = Path(__file__).parent / "static"
CSS_FILE = "quiz.css"
JS_FILE = "quiz.js"

CHOICE_KEYS = {"question", "choices"}
NUMERIC_KEYS = {"question", "answer", "tolerance", "unit", "feedback", "mistakes", "hint"}
OPTION_KEYS = {"text", "correct", "feedback"}
MISTAKE_KEYS = {"value", "feedback"}
#: Choices of a question: at least a right one and a wrong one, at most A to F.
MIN_CHOICES, MAX_CHOICES = 2, 6

EXAMPLE = (
    "- question: ...\n  choices:\n    - text: ...\n      correct: true\n"
    "      feedback: ...\n    - text: ...\n      feedback: ..."
)


class QuizError(ValueError):
    """A quiz's YAML that cannot be used; the message names where, what and the fix."""


@dataclass
class Choice:
    text: str
    feedback: str
    correct: bool = False


@dataclass
class Mistake:
    value: float
    feedback: str


@dataclass
class Question:
    """One question: ``choices`` for a choice question, ``answer`` for a numeric one."""

    text: str
    choices: list[Choice] = field(default_factory=list)
    answer: float | None = None
    tolerance: float = 0.0
    unit: str = ""
    feedback: str = ""
    mistakes: list[Mistake] = field(default_factory=list)
    hint: str = ""

    @property
    def numeric(self) -> bool:
        return self.answer is not None


def _text(value, where: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise QuizError(
            f"{where}: '{name}' must be a non-empty text, is {value!r}; write "
            f"`{name}: ...` (quote it if it starts with a character YAML reserves, "
            "such as { [ * & ! | > ' \" % @ `)"
        )
    return " ".join(value.split())


def _number(value, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise QuizError(
            f"{where}: '{name}' must be a number, is {value!r}; write it without units or "
            f"quotes, e.g. `{name}: 0.25`"
        )
    return float(value)


def _keys(item, allowed: set[str], where: str, what: str) -> dict:
    if not isinstance(item, dict):
        raise QuizError(
            f"{where}: {what} must be a mapping of fields ({', '.join(sorted(allowed))}), "
            f"is {item!r}; indent its fields under the '-' that starts it"
        )
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise QuizError(
            f"{where}: unknown field(s) {unknown} in {what}; the fields of {what} are "
            f"{sorted(allowed)}: correct the spelling or remove them"
        )
    return item


def _choice_question(item: dict, where: str) -> Question:
    choices = item["choices"]
    if not isinstance(choices, list) or not MIN_CHOICES <= len(choices) <= MAX_CHOICES:
        raise QuizError(
            f"{where}: 'choices' must be a list of {MIN_CHOICES} to {MAX_CHOICES} choices, "
            f"is {choices!r}; write each as `- text: ...` with its `feedback: ...`"
        )
    parsed = []
    for j, option in enumerate(choices, start=1):
        at = f"{where}, choice {j}"
        option = _keys(option, OPTION_KEYS, at, "a choice")
        for name in ("text", "feedback"):
            if name not in option:
                raise QuizError(
                    f"{at}: no '{name}'; every choice needs `text: ...` and `feedback: ...` "
                    "(the feedback says why this choice is right or wrong)"
                )
        correct = option.get("correct", False)
        if not isinstance(correct, bool):
            raise QuizError(f"{at}: 'correct' must be true or false, is {correct!r}")
        parsed.append(
            Choice(
                _text(option["text"], at, "text"),
                _text(option["feedback"], at, "feedback"),
                correct,
            )
        )
    right = [j for j, c in enumerate(parsed, start=1) if c.correct]
    if len(right) != 1:
        raise QuizError(
            f"{where}: {len(right)} choices are marked `correct: true` "
            f"({'choices ' + str(right) if right else 'none'}); mark exactly one"
        )
    return Question(_text(item["question"], where, "question"), choices=parsed)


def _numeric_question(item: dict, where: str) -> Question:
    for name in ("tolerance", "feedback", "hint"):
        if name not in item:
            why = {
                "tolerance": "how far from the answer a reply still counts as right, "
                "e.g. `tolerance: 0.005`",
                "feedback": "the explanation shown with a right answer",
                "hint": "what to reconsider after a wrong answer that no 'mistakes' entry explains",
            }[name]
            raise QuizError(f"{where}: a numeric question needs '{name}': {why}")
    tolerance = _number(item["tolerance"], where, "tolerance")
    if tolerance < 0:
        raise QuizError(f"{where}: 'tolerance' must not be negative, is {tolerance}")
    answer = _number(item["answer"], where, "answer")
    mistakes = []
    for j, entry in enumerate(item.get("mistakes") or [], start=1):
        at = f"{where}, mistake {j}"
        entry = _keys(entry, MISTAKE_KEYS, at, "a mistake")
        if set(entry) != MISTAKE_KEYS:
            raise QuizError(f"{at}: needs `value: <number>` and `feedback: ...`")
        value = _number(entry["value"], at, "value")
        if abs(value - answer) <= tolerance:
            raise QuizError(
                f"{at}: the value {value} counts as right (within {tolerance} of {answer}); "
                "a mistake must lie outside the tolerance: change the value or the tolerance"
            )
        mistakes.append(Mistake(value, _text(entry["feedback"], at, "feedback")))
    unit = _text(item["unit"], where, "unit") if "unit" in item else ""
    return Question(
        _text(item["question"], where, "question"),
        answer=answer,
        tolerance=tolerance,
        unit=unit,
        feedback=_text(item["feedback"], where, "feedback"),
        mistakes=mistakes,
        hint=_text(item["hint"], where, "hint"),
    )


def parse_quiz(text: str, where: str = "quiz") -> list[Question]:
    """The questions of a quiz from the YAML body of its directive.

    ``where`` names the page and line in error messages. Raises :class:`QuizError`
    naming the question and the field, and what to write instead, when the YAML does not
    parse or a question lacks a field, has an unknown one, or has not exactly one right
    choice.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" (line {mark.line + 1} of the quiz)" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise QuizError(
            f"{where}: the quiz is not valid YAML{line}: {problem}; check the indentation "
            "and quote texts that contain ': ' or start with a special character"
        ) from None
    if not isinstance(data, list) or not data:
        raise QuizError(
            f"{where}: the body of a quiz must be a YAML list of questions, each starting "
            f"with '- question:', for example\n{EXAMPLE}"
        )
    questions = []
    for i, item in enumerate(data, start=1):
        at = f"{where}, question {i}"
        item = _keys(item, CHOICE_KEYS | NUMERIC_KEYS, at, "a question")
        if "question" not in item:
            raise QuizError(f"{at}: no 'question'; start the question with `- question: ...`")
        kinds = [k for k in ("choices", "answer") if k in item]
        if len(kinds) != 1:
            raise QuizError(
                f"{at}: a question has either 'choices' (a choice question) or 'answer' "
                f"(a numeric one), has {kinds or 'neither'}; keep one of them"
            )
        if kinds == ["choices"]:
            stray = sorted(set(item) - CHOICE_KEYS)
            if stray:
                raise QuizError(
                    f"{at}: {stray} belong to numeric questions; in a choice question each "
                    "choice carries its own 'feedback': move the text there or remove it"
                )
            questions.append(_choice_question(item, at))
        else:
            questions.append(_numeric_question(item, at))
    return questions


def letter(index: int) -> str:
    """A choice's letter: 0 is A."""
    return string.ascii_uppercase[index]


def format_number(value: float) -> str:
    """A number as the page shows it: no trailing zeros (545, 0.3, 0.25)."""
    return f"{value:.10g}"


# --- docutils nodes and their HTML -------------------------------------------------------

try:
    from docutils import nodes
    from sphinx.util.docutils import SphinxDirective
except ModuleNotFoundError:  # the parser above works without Sphinx
    nodes = None
    SphinxDirective = object


if nodes is not None:

    class quiz(nodes.General, nodes.Element):  # noqa: N801 (docutils names nodes in lower case)
        """The whole quiz: ``<div class="course-quiz">``."""

    class quiz_question(nodes.General, nodes.Element):  # noqa: N801
        """One question: a ``<fieldset>`` with the data the script checks against."""

    class quiz_legend(nodes.General, nodes.TextElement):  # noqa: N801
        """The question's text: its ``<legend>``."""

    class quiz_choice(nodes.General, nodes.TextElement):  # noqa: N801
        """One choice: a radio button and its label (the choice's text)."""

    class quiz_numeric(nodes.General, nodes.Element):  # noqa: N801
        """The labelled field for a numeric answer."""

    class quiz_feedback(nodes.General, nodes.TextElement):  # noqa: N801
        """A feedback text, hidden until the script shows it."""

    class quiz_controls(nodes.General, nodes.Element):  # noqa: N801
        """The "Check" button and the live status line."""

    class quiz_key(nodes.General, nodes.Element):  # noqa: N801
        """The folded list of answers and explanations."""


def _attrs(**values) -> str:
    return "".join(
        f' {name.replace("_", "-")}="{html.escape(str(value), quote=True)}"'
        for name, value in values.items()
        if value is not None
    )


def _visit_quiz(self, node):
    self.body.append(
        f'<div class="course-quiz" id="{node["quiz_id"]}" '
        'role="group" aria-label="Self-check quiz">'
    )


def _depart_div(self, node):
    self.body.append("</div>\n")


def _visit_question(self, node):
    data = {"data_kind": node["kind"]}
    if node["kind"] == "numeric":
        data |= {
            "data_answer": format_number(node["answer"]),
            "data_tolerance": format_number(node["tolerance"]),
        }
    self.body.append(f'<fieldset class="course-quiz__question" id="{node["qid"]}"{_attrs(**data)}>')


def _depart_question(self, node):
    self.body.append("</fieldset>\n")


def _visit_legend(self, node):
    self.body.append(
        f'<legend><span class="course-quiz__number">Question {node["number"]}.</span> '
    )


def _depart_legend(self, node):
    self.body.append("</legend>\n")


def _visit_choice(self, node):
    qid, index = node["qid"], node["index"]
    correct = "true" if node["correct"] else "false"
    self.body.append(
        '<div class="course-quiz__choice">'
        f'<input type="radio" name="{qid}" id="{qid}-{index}" value="{index}"'
        f' data-correct="{correct}">'
        f'<label for="{qid}-{index}"><span class="course-quiz__letter">'
        f"{letter(index)}.</span> "
    )


def _depart_choice(self, node):
    self.body.append("</label></div>\n")


def _visit_numeric(self, node):
    qid = node["qid"]
    unit = f" ({html.escape(node['unit'])})" if node["unit"] else ""
    self.body.append(
        f'<div class="course-quiz__numeric"><label for="{qid}-value">Your answer{unit}</label> '
        f'<input type="text" inputmode="decimal" autocomplete="off" id="{qid}-value" '
        f'name="{qid}-value" size="10"></div>\n'
    )


def _visit_feedback(self, node):
    data = {"data_for": node.get("for"), "data_value": node.get("value")}
    self.body.append(f'<div class="course-quiz__feedback"{_attrs(**data)} hidden>')


def _visit_controls(self, node):
    self.body.append(
        '<div class="course-quiz__controls">'
        '<button type="button" class="course-quiz__check">Check</button>'
        '<p class="course-quiz__status" role="status" aria-live="polite"></p></div>\n'
    )


def _visit_key(self, node):
    self.body.append(
        '<details class="course-quiz__key"><summary>Answers and explanations</summary>\n'
    )


def _depart_key(self, node):
    self.body.append("</details>\n")


def _skip(self, node):
    raise nodes.SkipNode


def _pass(self, node):
    pass


class QuizDirective(SphinxDirective):
    """``{quiz}``: a self-check quiz from the YAML list of questions in its body."""

    has_content = True
    required_arguments = 0
    optional_arguments = 0

    def _inline(self, text: str) -> list:
        parsed, messages = self.state.inline_text(text, self.lineno)
        return [*parsed, *messages]

    def run(self):
        env = self.env
        page = env.doc2path(env.docname, False)
        where = f"{page}, line {self.lineno}"
        try:
            questions = parse_quiz("\n".join(self.content), where)
        except QuizError as error:
            raise self.error(str(error)) from None
        # (Sphinx empties temp_data after each page: the count is the page's own.)
        number = env.temp_data.get("course_quiz_count", 0) + 1
        env.temp_data["course_quiz_count"] = number
        quiz_id = f"course-quiz-{number}"
        root = quiz(quiz_id=quiz_id)
        self.set_source_info(root)
        key = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
        for i, question in enumerate(questions, start=1):
            qid = f"{quiz_id}-q{i}"
            kind = "numeric" if question.numeric else "choice"
            box = quiz_question(
                qid=qid, kind=kind, answer=question.answer, tolerance=question.tolerance
            )
            box += quiz_legend("", "", *self._inline(question.text), number=i)
            answer = nodes.paragraph()
            if question.numeric:
                box += quiz_numeric(qid=qid, unit=question.unit)
                box += quiz_feedback("", "", *self._inline(question.feedback), **{"for": "right"})
                for mistake in question.mistakes:
                    box += quiz_feedback(
                        "",
                        "",
                        *self._inline(mistake.feedback),
                        **{"for": "mistake", "value": format_number(mistake.value)},
                    )
                box += quiz_feedback("", "", *self._inline(question.hint), **{"for": "other"})
                unit = f" {question.unit}" if question.unit else ""
                answer += nodes.strong(
                    "",
                    f"{format_number(question.answer)}{unit} "
                    f"(\u00b1 {format_number(question.tolerance)})",
                )
                answer += nodes.Text(" \u2014 ")
                answer += self._inline(question.feedback)
            else:
                for j, choice in enumerate(question.choices):
                    box += quiz_choice(
                        "",
                        "",
                        *self._inline(choice.text),
                        qid=qid,
                        index=j,
                        correct=choice.correct,
                    )
                    box += quiz_feedback("", "", *self._inline(choice.feedback), **{"for": str(j)})
                right = next(j for j, c in enumerate(question.choices) if c.correct)
                answer += nodes.strong("", f"{letter(right)}.")
                answer += nodes.Text(" ")
                answer += self._inline(question.choices[right].text)
                answer += nodes.Text(" \u2014 ")
                answer += self._inline(question.choices[right].feedback)
            box += quiz_controls()
            root += box
            key += nodes.list_item("", answer)
        root += quiz_key("", key)
        return [root]


def _configure(app, config) -> None:
    if str(STATIC_DIR) not in map(str, config.html_static_path):
        config.html_static_path = [*config.html_static_path, str(STATIC_DIR)]


def _add_script(app, pagename, templatename, context, doctree) -> None:
    # The script only where a quiz is; the stylesheet is on every page (the book's PDF
    # takes its styles from the first page).
    if doctree is not None and any(doctree.findall(quiz)):
        app.add_js_file(JS_FILE, loading_method="defer")


def setup(app):
    html_only = {"html": (_visit_quiz, _depart_div)}
    for builder in ("latex", "text", "man", "texinfo"):
        html_only[builder] = (_skip, None)
    app.add_node(quiz, **html_only)
    pairs = {
        quiz_question: (_visit_question, _depart_question),
        quiz_legend: (_visit_legend, _depart_legend),
        quiz_choice: (_visit_choice, _depart_choice),
        quiz_numeric: (_visit_numeric, _pass),
        quiz_feedback: (_visit_feedback, _depart_div),
        quiz_controls: (_visit_controls, _pass),
        quiz_key: (_visit_key, _depart_key),
    }
    for node, (visit, depart) in pairs.items():
        app.add_node(node, html=(visit, depart))
    app.add_directive("quiz", QuizDirective)
    app.connect("config-inited", _configure)
    app.add_css_file(CSS_FILE)
    app.connect("html-page-context", _add_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
