"""Benchmark: every lab and solution notebook runs in under 30 s and 1.5 GB.

Run with ``make bench`` (all notebooks) or ``python benchmarks/bench_notebooks.py NAME ...``
(only the notebooks whose file name contains one of the NAMEs, e.g. ``03_migration``).

Each notebook is executed top to bottom on a fresh ``python3`` kernel with nbclient, as
the tests and the book build do. The wall time counts from the kernel's start to the end
of the last cell; the peak memory is the largest resident set size (RSS) of the kernel and
its children, sampled every 20 ms. Results are merged into
``benchmarks/results/notebook_times.csv`` (one row per notebook, with the date and the
machine); the run fails when a notebook misses a budget.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import threading
import time
from pathlib import Path

import nbformat
import pandas as pd
import psutil
from nbclient import NotebookClient

from migrationlab import REPO_ROOT

BUDGET_S = 30.0
BUDGET_MB = 1536.0
RESULTS = Path(__file__).parent / "results" / "notebook_times.csv"
FOLDERS = ("notebooks", "solutions")


class PeakMemory:
    """The peak summed RSS of this process's children while the block runs, in MB."""

    def __init__(self, interval_s: float = 0.02):
        self.interval_s = interval_s
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for child in me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.NoSuchProcess:
                    continue
            self.peak_mb = max(self.peak_mb, total / 2**20)
            self._stop.wait(self.interval_s)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def notebooks(names: list[str]) -> list[Path]:
    found = [
        p
        for folder in FOLDERS
        for p in sorted((REPO_ROOT / folder).glob("*.ipynb"))
        if not names or any(n in p.name for n in names)
    ]
    if not found:
        raise SystemExit(f"no notebook under {', '.join(FOLDERS)} matches {names}")
    return found


def run(path: Path) -> dict:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    with PeakMemory() as memory:
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
    return {
        "notebook": str(path.relative_to(REPO_ROOT)),
        "seconds": round(seconds, 1),
        "peak_mb": round(memory.peak_mb),
        "within_budget": seconds <= BUDGET_S and memory.peak_mb <= BUDGET_MB,
    }


def main(argv: list[str]) -> int:
    machine = f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
    rows = []
    for path in notebooks(argv):
        row = run(path)
        row = {"date": dt.date.today().isoformat(), "machine": machine, **row}
        row |= {"budget_s": BUDGET_S, "budget_mb": BUDGET_MB}
        print(
            f"{row['notebook']}: {row['seconds']:.1f} s, {row['peak_mb']} MB peak"
            + ("" if row["within_budget"] else "  OVER BUDGET"),
            flush=True,
        )
        rows.append(row)
    new = pd.DataFrame(rows)
    if RESULTS.exists():
        old = pd.read_csv(RESULTS)
        new = pd.concat([old[~old["notebook"].isin(new["notebook"])], new])
    RESULTS.parent.mkdir(exist_ok=True)
    new.sort_values("notebook").to_csv(RESULTS, index=False)
    print(f"wrote {RESULTS}")
    over = [r["notebook"] for r in rows if not r["within_budget"]]
    if over:
        print(f"over budget ({BUDGET_S:g} s, {BUDGET_MB:g} MB): {over}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
