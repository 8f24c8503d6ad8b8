"""The catalogue of mistakes: plausible wrong answers and valid alternatives, graded.

An autograder earns trust when it tells a right answer from a plausible wrong one. For
every autograded question, ``tests/mistakes/NN_topic.yml`` keeps

- **mistakes**: small code variants of the solution that a student could plausibly write
  (a share instead of a percent, the wrong year, NaNs kept, the right method with the
  wrong arguments, a number copied from the lecture or read from the answer key);
- **alternatives**: variants that are right in another way (an equivalent formula,
  another pandas route, a result rounded to the precision the question states).

Each variant is a list of text replacements in the solution notebook: ``old`` must occur
exactly once in its code cells and becomes ``new``. The variants are graded by the
course's grading command (:func:`coursekit.grading.grade`): every mistake alone, in a
notebook of its own, so that what it loses is its own doing; the alternatives, which must
all score full marks, together, the k-th alternative of every question in notebook k
(an alternative that does not combine with the others, or loses points among them, is
graded again in a notebook of its own, and that is its score). The
test suite (``tests/test_mistakes.py``) asserts that no mistake scores full marks, that
each mistake keeps at most :data:`MISTAKE_SHARE_MAX` of its question's points, that
mistakes together keep at most :data:`CATALOGUE_SHARE_MAX` of the points at stake, and
that every alternative scores full marks.

``python -m migrationlab mistakes NN_topic`` grades one assignment's catalogue and prints
what each variant scored and the hints it got: the instructor's way to try the
autograder before a class.

The file format, one entry per question::

    q3:
      mistakes:
        - what: log(1 + flow) keeps the zero flows
          replace:
            - old: np.log(panel.loc[positive, "flow"])
              new: np.log1p(panel.loc[positive, "flow"])
      alternatives:
        - what: rounded to 3 decimals
          replace:
            - old: delta_ols = -ols.params["log_distance"]
              new: delta_ols = round(-ols.params["log_distance"], 3)
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd
import yaml

from migrationlab import REPO_ROOT

CATALOGUE_DIR = REPO_ROOT / "tests" / "mistakes"
#: At most this share of a question's points may go to any one of its mistakes.
MISTAKE_SHARE_MAX = 0.5
#: At most this share of the points at stake may go to the mistakes of the whole catalogue.
CATALOGUE_SHARE_MAX = 0.10
KINDS = ("mistake", "alternative")


class CatalogueError(ValueError):
    """A catalogue file that cannot be read or applied (names the file, the entry, the fix)."""


@dataclass(frozen=True)
class Variant:
    """One entry of the catalogue: a mistake or an alternative answer to one question."""

    assignment: str
    question: str
    kind: str  # "mistake" or "alternative"
    number: int  # 1, 2, ... within the question and kind
    what: str
    replace: tuple[tuple[str, str], ...]

    @property
    def student(self) -> str:
        """The name its notebook is graded under, e.g. ``q3-mistake-2``."""
        return f"{self.question}-{self.kind}-{self.number}"


def catalogue_path(assignment: str) -> Path:
    """The catalogue file of an assignment."""
    return CATALOGUE_DIR / f"{assignment}.yml"


def load_catalogue(assignment: str, path: Path | None = None) -> list[Variant]:
    """Read and check the catalogue of one assignment.

    Raises :class:`CatalogueError`, naming the file and the entry, on a malformed file.
    """
    path = catalogue_path(assignment) if path is None else Path(path)
    if not path.exists():
        raise CatalogueError(
            f"{path}: no catalogue of mistakes for {assignment}; write one (see "
            "coursekit.mistakes for the format)"
        )
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path}: not valid YAML ({error})") from error
    if not isinstance(raw, dict):
        raise CatalogueError(f"{path}: expected a mapping of question names (q1, q2, ...)")
    variants = []
    for question, entry in raw.items():
        if not isinstance(entry, dict) or set(entry) - {"mistakes", "alternatives"}:
            raise CatalogueError(
                f"{path}: {question} should hold 'mistakes' and 'alternatives' lists only"
            )
        for key, kind in (("mistakes", "mistake"), ("alternatives", "alternative")):
            for number, item in enumerate(entry.get(key) or [], start=1):
                where = f"{path}: {question} {kind} {number}"
                if not isinstance(item, dict) or not item.get("what") or not item.get("replace"):
                    raise CatalogueError(f"{where}: needs 'what' (in words) and 'replace' (a list)")
                pairs = []
                for pair in item["replace"]:
                    if not isinstance(pair, dict) or "old" not in pair or "new" not in pair:
                        raise CatalogueError(f"{where}: each replacement needs 'old' and 'new'")
                    pairs.append((str(pair["old"]), str(pair["new"])))
                variants.append(
                    Variant(
                        assignment, str(question), kind, number, str(item["what"]), tuple(pairs)
                    )
                )
    return variants


def variant_notebook(solution: nbformat.NotebookNode, variant: Variant) -> nbformat.NotebookNode:
    """The solution notebook with the variant's replacements made.

    Each ``old`` text must occur exactly once in the code cells, so that a catalogue does
    not silently stop testing anything when the solution changes.
    """
    nb = nbformat.from_dict(solution)
    for old, new in variant.replace:
        hits = [c for c in nb.cells if c.cell_type == "code" and old in c.source]
        count = sum(c.source.count(old) for c in hits)
        if count != 1:
            found = "does not occur" if count == 0 else f"occurs {count} times"
            raise CatalogueError(
                f"{catalogue_path(variant.assignment)}: {variant.question} {variant.kind} "
                f"{variant.number} ({variant.what}): the text to replace {found} in the "
                f"code of solutions/{variant.assignment}.ipynb: {old!r}; quote a line of the "
                "current solution exactly (and enough of it to be unique)"
            )
        hits[0].source = hits[0].source.replace(old, new)
    return nb


def grade_catalogue(
    assignment: str,
    *,
    workers: int = 2,
    timeout_s: float = 300.0,
    out: Path | None = None,
) -> pd.DataFrame:
    """Grade every variant of an assignment's catalogue with the grading command.

    The solution and the autograder bundle are generated afresh from
    ``solutions/<assignment>.ipynb`` (otter assign without its own run), so the result
    never depends on a stale bundle. Returns one row per variant: ``question``, ``kind``,
    ``number``, ``what``, ``score``, ``points``, ``share`` (score / points), ``status``,
    ``hints`` (what the student is told about the question) and ``reason``.

    It is long for its two passes (every variant, then the alternatives that lost points
    among the others, alone) and the table it builds; each step is a call.
    """
    from coursekit.exercises import run_assign
    from coursekit.grading import assignment_questions, grade

    variants = load_catalogue(assignment)
    with tempfile.TemporaryDirectory(prefix="migrationlab-mistakes-") as tmp:
        tmp = Path(tmp)
        assigned = run_assign(assignment, tmp / "otter", run_tests=False)
        solution = nbformat.read(assigned / "autograder" / f"{assignment}.ipynb", as_version=4)
        (bundle,) = (assigned / "autograder").glob(f"{assignment}-autograder_*.zip")
        folder = tmp / "submissions"
        folder.mkdir()
        graded_as = _write_variants(solution, variants, folder)
        graded_dir = Path(out) if out is not None else tmp / "grades"
        book = grade(
            assignment, folder, graded_dir, timeout_s=timeout_s, workers=workers, bundle=bundle
        )
        points = {q.name: q.points for q in assignment_questions(assignment, bundle=bundle)}
        feedback = _feedback(graded_dir)
        # An alternative that lost points among the others is graded again on its own:
        # what it scores there is its score (another alternative may have changed a value
        # its question reads).
        rows = book.set_index("student")
        again = [
            v
            for v in variants
            if graded_as[v] != v.student
            and v.question in points
            and float(rows.loc[graded_as[v], v.question]) < points[v.question]
        ]
        if again:
            alone = tmp / "alone"
            alone.mkdir()
            for v in again:
                nbformat.write(variant_notebook(solution, v), alone / f"{v.student}.ipynb")
                graded_as[v] = v.student
            book = pd.concat(
                [
                    book,
                    grade(
                        assignment,
                        alone,
                        tmp / "grades-alone",
                        timeout_s=timeout_s,
                        workers=workers,
                        bundle=bundle,
                    ),
                ],
                ignore_index=True,
            )
            feedback |= _feedback(tmp / "grades-alone")
    rows = []
    by_student = book.set_index("student")
    for v in variants:
        row = by_student.loc[graded_as[v]]
        if v.question not in points:
            raise CatalogueError(
                f"{catalogue_path(assignment)}: {v.question} is not an autograded question of "
                f"{assignment} (they are {', '.join(points)})"
            )
        score = float(row[v.question])
        rows.append(
            {
                "assignment": assignment,
                "question": v.question,
                "kind": v.kind,
                "number": v.number,
                "what": v.what,
                "score": score,
                "points": points[v.question],
                "share": score / points[v.question] if points[v.question] else 0.0,
                "status": row["status"],
                "hints": _question_hints(feedback.get(graded_as[v], ""), v.question),
                "reason": row["reason"],
            }
        )
    return pd.DataFrame(rows)


def _feedback(graded_dir: Path) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in (graded_dir / "feedback").glob("*.md")}


def _write_variants(solution, variants: list[Variant], folder: Path) -> dict[Variant, str]:
    """Write the notebooks to grade; return the student name each variant is graded under.

    A mistake gets a notebook of its own. The k-th alternative of every question goes into
    notebook ``alternatives-k``; one whose text to replace another alternative has already
    changed gets a notebook of its own.
    """
    graded_as: dict[Variant, str] = {}
    combined: dict[int, nbformat.NotebookNode] = {}
    for variant in variants:
        if variant.kind == "alternative":
            name = f"alternatives-{variant.number}"
            try:
                combined[variant.number] = variant_notebook(
                    combined.get(variant.number, solution), variant
                )
                graded_as[variant] = name
                continue
            except CatalogueError:
                variant_notebook(solution, variant)  # raises if it does not apply at all
        nbformat.write(variant_notebook(solution, variant), folder / f"{variant.student}.ipynb")
        graded_as[variant] = variant.student
    for number, nb in combined.items():
        nbformat.write(nb, folder / f"alternatives-{number}.ipynb")
    return graded_as


def _question_hints(markdown: str, question: str) -> str:
    """The feedback lines under one question's heading, joined by ' | '."""
    lines, inside = [], False
    for line in markdown.splitlines():
        if line.startswith("## "):
            inside = line[3:].startswith(f"{question}:")
            continue
        if inside and line.strip():
            lines.append(line.strip().removeprefix("- "))
    return " | ".join(lines)


def summary(results: pd.DataFrame) -> pd.DataFrame:
    """Per assignment and kind: variants, points at stake, points awarded and their share."""
    table = (
        results.groupby(["assignment", "kind"])
        .agg(
            variants=("score", "size"),
            at_stake=("points", "sum"),
            awarded=("score", "sum"),
            full_marks=("share", lambda s: int((s >= 1 - 1e-9).sum())),
        )
        .reset_index()
    )
    table["share_awarded"] = table["awarded"] / table["at_stake"]
    return table
