"""Benchmark: grading 30 submissions of 00_warmup must take under two minutes.

Run with ``make bench`` (or ``python benchmarks/bench_grading.py``). The submissions are a
mix of correct, partly correct and untouched copies of the student notebook (built as in
the grading tests), graded with ``coursekit.grading.grade(..., workers=2)`` as an
instructor would. The time is written to ``benchmarks/results/grading_time.csv`` with the
machine and date, and the run fails when it exceeds the budget.
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

from coursekit.exercises import autograder_zip
from coursekit.grading import grade
from migrationlab import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "tests"))
from grading_fixtures import correct, partial_warmup, student_notebook, write  # noqa: E402

ASSIGNMENT = "00_warmup"
N = 30
WORKERS = 2
BUDGET_S = 120.0
RESULTS = Path(__file__).parent / "results" / "grading_time.csv"


def main() -> int:
    autograder_zip(ASSIGNMENT)  # built first if missing: not part of the time
    kinds = {
        "correct": correct(ASSIGNMENT),
        "partial": partial_warmup(),
        "untouched": student_notebook(ASSIGNMENT),
    }
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        folder = Path(tmp) / "submissions"
        folder.mkdir()
        names = list(kinds)
        for i in range(N):
            kind = names[i % len(names)]
            write(kinds[kind], folder / f"student{i + 1:02d}_{kind}.ipynb")
        start = time.perf_counter()
        book = grade(ASSIGNMENT, folder, Path(tmp) / "out", workers=WORKERS)
        seconds = time.perf_counter() - start

    print(book.groupby("status")["total"].describe().to_string())
    not_graded = book[book["status"] != "graded"]
    row = {
        "date": dt.date.today().isoformat(),
        "machine": (
            f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "n": N,
        "workers": WORKERS,
        "seconds": round(seconds, 1),
        "seconds_per_notebook": round(seconds / N, 2),
        "budget_s": BUDGET_S,
        "within_budget": seconds <= BUDGET_S,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    pd.DataFrame([row]).to_csv(RESULTS, index=False)
    print(f"\ngraded {N} notebooks in {seconds:.1f} s ({seconds / N:.2f} s each); wrote {RESULTS}")
    if len(not_graded):
        print("not graded:\n" + not_graded.to_string(index=False), file=sys.stderr)
        return 1
    if seconds > BUDGET_S:
        print(f"over budget: {seconds:.1f} s > {BUDGET_S:g} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
