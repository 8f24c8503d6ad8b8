"""Benchmark: grading 30 submissions of an exercise must take under two minutes.

Run with ``make bench`` (or ``python benchmarks/bench_grading.py [NN_topic ...]``; every
assignment by default). The submissions are a mix of correct, (for the warm-up) partly
correct and untouched copies of the student notebook (built as in the grading tests),
graded with ``coursekit.grading.grade(..., workers=2)`` as an instructor would. The times
are written to ``benchmarks/results/grading_time.csv``, one row per assignment, with the
machine and date; the run fails when one exceeds the budget. The budget was set for the
warm-up; the chapters' exercises fit models and rebuild their references in the hidden
checks, and their rows say whether they fit it too.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from coursekit.exercises import autograder_zip, solution_names
from coursekit.grading import grade
from migrationlab import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "tests"))
from grading_fixtures import correct, partial_warmup, student_notebook, write  # noqa: E402

N = 30
WORKERS = 2
BUDGET_S = 120.0
RESULTS = Path(__file__).parent / "results" / "grading_time.csv"


def bench(assignment: str) -> dict:
    """Grade N submissions of one assignment; return the row of the results table."""
    autograder_zip(assignment)  # built first if missing: not part of the time
    kinds = {"correct": correct(assignment), "untouched": student_notebook(assignment)}
    if assignment == "00_warmup":
        kinds["partial"] = partial_warmup()
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        folder = Path(tmp) / "submissions"
        folder.mkdir()
        names = list(kinds)
        for i in range(N):
            kind = names[i % len(names)]
            write(kinds[kind], folder / f"student{i + 1:02d}_{kind}.ipynb")
        start = time.perf_counter()
        book = grade(assignment, folder, Path(tmp) / "out", workers=WORKERS)
        seconds = time.perf_counter() - start
    print(book.groupby("status")["total"].describe().to_string())
    not_graded = book[book["status"] != "graded"]
    if len(not_graded):
        print("not graded:\n" + not_graded.to_string(index=False), file=sys.stderr)
    return {
        "date": dt.date.today().isoformat(),
        "machine": (
            f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "assignment": assignment,
        "n": N,
        "workers": WORKERS,
        "seconds": round(seconds, 1),
        "seconds_per_notebook": round(seconds / N, 2),
        "budget_s": BUDGET_S,
        "within_budget": seconds <= BUDGET_S,
        "all_graded": not len(not_graded),
    }


def main() -> int:
    rows = []
    for assignment in sys.argv[1:] or solution_names():
        rows.append(bench(assignment))
        r = rows[-1]
        print(f"{assignment}: {N} notebooks in {r['seconds']} s")
    RESULTS.parent.mkdir(exist_ok=True)
    table = pd.DataFrame(rows)
    table.to_csv(RESULTS, index=False)
    print(f"\n{table.to_string(index=False)}\nwrote {RESULTS}")
    failed = table[~table["within_budget"] | ~table["all_graded"]]
    if len(failed):
        print(f"over budget or not graded:\n{failed.to_string(index=False)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
