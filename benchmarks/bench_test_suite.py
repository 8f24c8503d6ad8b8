"""Benchmark: `make check` under a minute, `make test` from a fresh clone under five minutes.

Run with ``make bench`` (or ``python benchmarks/bench_test_suite.py``). ``make check`` (the
fast tier) is timed in this checkout; ``make test`` in a fresh clone of the committed
``HEAD`` in a temporary folder, so that it pays everything CI pays: creating ``.venv`` from
the lock, building the book with an empty execution cache, and the whole suite. A row per
run is appended to ``benchmarks/results/test_suite.csv``; the run fails when a budget is
missed. ``--check-only`` skips the fresh clone (minutes).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from migrationlab import REPO_ROOT

BUDGETS = {"check_s": 60.0, "fresh_test_s": 300.0}
RESULTS = Path(__file__).parent / "results" / "test_suite.csv"


def timed(cmd: list[str], cwd: Path) -> tuple[float, bool]:
    """Seconds ``cmd`` took in ``cwd`` and whether it passed (its output is shown)."""
    print("$ " + " ".join(cmd), f"(in {cwd})", flush=True)
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd)
    return time.perf_counter() - start, result.returncode == 0


def main() -> int:
    check_s, check_ok = timed(["make", "check"], REPO_ROOT)
    fresh_s, fresh_ok = float("nan"), None
    if "--check-only" not in sys.argv:
        with tempfile.TemporaryDirectory(prefix="bench-test-suite-") as tmp:
            clone = Path(tmp) / "course"
            subprocess.run(["git", "clone", "--quiet", str(REPO_ROOT), str(clone)], check=True)
            fresh_s, fresh_ok = timed(["make", "test"], clone)
    row = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "check_s": round(check_s, 1),
        "check_passed": check_ok,
        "fresh_test_s": round(fresh_s, 1),
        "fresh_test_passed": fresh_ok,
    }
    over = [k for k, budget in BUDGETS.items() if row[k] == row[k] and row[k] > budget]
    row |= {f"budget_{k}": v for k, v in BUDGETS.items()} | {"within_budget": not over}
    RESULTS.parent.mkdir(exist_ok=True)
    frame = pd.DataFrame([row])
    frame.to_csv(RESULTS, mode="a", header=not RESULTS.exists(), index=False)
    for key, value in row.items():
        print(f"{key}: {value}")
    if over or not check_ok or fresh_ok is False:
        print(f"over budget: {over}" if over else "a test run failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
