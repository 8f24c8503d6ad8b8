"""Benchmark: every ``load_*()`` of the bundled data must take under one second.

Run with ``make bench`` (or ``python benchmarks/bench_load.py``). Each loader is timed
over several repeats (best of N, after one warm-up that fills the OS file cache); the
results are written to ``benchmarks/results/load_times.csv`` with the machine and date,
and the run fails when a loader exceeds the budget.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

import pandas as pd

from migrationlab import data

BUDGET_S = 1.0
REPEATS = 5
RESULTS = Path(__file__).parent / "results" / "load_times.csv"


def calls():
    for name in data.dataset_names():
        loader = getattr(data, f"load_{name}")
        if name == "cities":
            for layer in ("cities", "districts", "grid_cells"):
                yield f"cities[{layer}]", (lambda layer=layer: data.load_cities(layer))
        else:
            yield name, loader


def main() -> int:
    rows = []
    for label, fn in calls():
        result = fn()  # warm-up
        times = []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        n_rows = len(result) if hasattr(result, "__len__") else None
        rows.append(
            {
                "dataset": label,
                "rows": n_rows,
                "best_s": min(times),
                "median_s": sorted(times)[len(times) // 2],
            }
        )
        print(f"{label:32s} {n_rows!s:>9} rows  best {min(times):6.3f} s", flush=True)
    df = pd.DataFrame(rows)
    df["budget_s"] = BUDGET_S
    df["within_budget"] = df["best_s"] <= BUDGET_S
    df["date"] = dt.date.today().isoformat()
    df["machine"] = (
        f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    RESULTS.parent.mkdir(exist_ok=True)
    df.round(4).to_csv(RESULTS, index=False)
    print(f"\nwritten {RESULTS}")
    slow = df[~df["within_budget"]]
    if len(slow):
        print("over budget:\n" + slow.to_string(index=False), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
