"""Benchmark: time and peak memory of pandas, DuckDB and Dask as the data grow 100-fold.

The two full-scale analyses of ``migrationlab.scale`` (issue "From sample to full scale"):

- **segregation**: six aspatial indices of the 17 group columns in every city of a
  synthetic 100 m grid of 200,000, 2 million and 20 million populated cells (30, 300 and
  3,000 cities);
- **passengers**: monthly passengers per country pair and direction from 1 million,
  10 million and 100 million synthetic daily airport-pair records (2010-2023, 168 monthly
  partitions).

Each engine runs in a child process of its own (``python bench_scale.py --child ...``),
so that its memory is its own. The child reports the wall time of the analysis (after
the imports) and its peak resident set size (``VmHWM`` of ``/proc/self/status``); the
parent samples the child's RSS every 20 ms and kills it when it passes the **memory
budget** (4 GiB by default, ``--budget-mb``: half of a laptop with 8 GB), recording
``out of memory``. DuckDB runs with ``memory_limit = 1GB`` and 2 threads, Dask with its
threaded scheduler (2 threads), pandas reads what it needs into memory. Every result is
compared with the pandas one (exactly for passengers and Dask's indices, to 1e-12 for
DuckDB's indices); where pandas ran out of memory, DuckDB and Dask are compared with each
other. The generator's own time and peak memory are recorded too (rows ``generate``):
it writes one city or one month at a time, so its memory must not grow with the size.

Data are written to ``--data-dir`` (default ``/tmp/migrationlab-bench-scale``, outside the
repository; about 0.4 GB at the largest size), each size removed after its runs unless
``--keep-data``. Results go to ``benchmarks/results/scale.csv``. The run fails (exit 1)
when DuckDB or Dask does not finish within the budget or a result differs. About 10
minutes on two cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil

RESULTS = Path(__file__).parent / "results" / "scale.csv"
PASSENGER_ROWS = (1_000_000, 10_000_000, 100_000_000)
GRID_CELLS = (200_000, 2_000_000, 20_000_000)
CELLS_PER_CITY = 6_667  # 30, 300 and 3,000 cities
YEARS = (2010, 2023)
ENGINES = ("pandas", "duckdb", "dask")
DUCKDB_MEMORY_LIMIT = "1GB"
THREADS = 2
TIMEOUT_S = 900.0


# ---------------------------------------------------------------------- the child side


def child(args: list[str]) -> int:
    """Run one step and print a JSON line: wall time (s) and peak RSS (MB)."""
    what, engine, path, result = args
    from migrationlab import scale
    from migrationlab_world import fullscale

    t0 = time.perf_counter()
    if what == "generate-grid":
        cells = int(engine)
        fullscale.generate(
            path,
            "small",
            cities=max(1, cells // CELLS_PER_CITY),
            grid_cells=cells,
            passenger_rows=0,
            progress=False,
        )
        out = None
    elif what == "generate-passengers":
        fullscale.generate(
            path,
            "small",
            grid_cells=0,
            passenger_rows=int(engine),
            first_year=YEARS[0],
            last_year=YEARS[1],
            progress=False,
        )
        out = None
    elif what == "segregation":
        out = scale.segregation_indices(
            path, engine=engine, memory_limit=DUCKDB_MEMORY_LIMIT, threads=THREADS
        )
    else:
        out = scale.passenger_totals(
            path, engine=engine, memory_limit=DUCKDB_MEMORY_LIMIT, threads=THREADS
        )
    wall = time.perf_counter() - t0
    if out is not None:
        out.to_parquet(result)
    print(
        json.dumps(
            {"wall_s": wall, "peak_mb": peak_rss_mb(), "rows_out": 0 if out is None else len(out)}
        )
    )
    return 0


def peak_rss_mb() -> float:
    """Peak resident set size of this process (MB): VmHWM of /proc/self/status on Linux.

    ``getrusage(RUSAGE_SELF).ru_maxrss`` would do elsewhere, but on Linux it keeps the
    peak of the parent that forked this process (the benchmark's own), which hides the
    small peaks of the engines.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------- the parent side


def run_child(step: str, arg: str, path: Path, result: Path, budget_mb: float) -> dict:
    """Run one child under the memory budget; status ok, out of memory, timeout or failed."""
    cmd = [sys.executable, __file__, "--child", step, arg, str(path), str(result)]
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd="/tmp"
    )
    watched = psutil.Process(proc.pid)
    polled_mb, status = 0.0, None
    while proc.poll() is None:
        try:
            rss = watched.memory_info().rss + sum(
                c.memory_info().rss for c in watched.children(recursive=True)
            )
        except psutil.NoSuchProcess:
            break
        polled_mb = max(polled_mb, rss / 2**20)
        if polled_mb > budget_mb:
            status = "out of memory"
        elif time.perf_counter() - t0 > TIMEOUT_S:
            status = "timeout"
        if status:
            proc.kill()
            break
        time.sleep(0.02)
    stdout, stderr = proc.communicate()
    elapsed = time.perf_counter() - t0
    if status:
        return {"status": status, "wall_s": elapsed, "peak_mb": polled_mb}
    if proc.returncode != 0:
        return {
            "status": "failed",
            "wall_s": elapsed,
            "peak_mb": polled_mb,
            "note": stderr.strip().splitlines()[-1] if stderr.strip() else "",
        }
    report = json.loads(stdout.strip().splitlines()[-1])
    return {
        "status": "ok",
        "wall_s": report["wall_s"],
        "peak_mb": max(report["peak_mb"], polled_mb),
    }


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*.parquet")) / 2**20


def same(a: Path, b: Path, analysis: str) -> bool:
    left, right = pd.read_parquet(a), pd.read_parquet(b)
    try:
        if analysis == "passengers":
            pd.testing.assert_frame_equal(left, right, check_exact=True)
        else:
            pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-12, atol=1e-12)
    except AssertionError:
        return False
    return True


def bench_size(
    analysis: str, size: int, data_dir: Path, budget_mb: float, keep: bool
) -> list[dict]:
    path = data_dir / f"{analysis}-{size}"
    if path.exists():
        shutil.rmtree(path)
    step = "generate-grid" if analysis == "segregation" else "generate-passengers"
    print(f"{analysis}, {size:,} rows: generating ...", flush=True)
    gen = run_child(step, str(size), path, data_dir / "unused.parquet", budget_mb)
    if gen["status"] != "ok":
        raise SystemExit(f"generation of {path} failed: {gen}")
    manifest = json.loads((path / "manifest.json").read_text())
    part = "grid_cells" if analysis == "segregation" else "passengers"
    rows = manifest[part]["rows"]
    partitions = len(manifest[part]["partitions"])
    mb = folder_mb(path / part)
    base = {"analysis": analysis, "rows": rows, "partitions": partitions, "data_mb": round(mb)}
    out = [{**base, "engine": "generator", **gen, "equal": None}]
    results = {}
    for engine in ENGINES:
        result = data_dir / f"result-{analysis}-{size}-{engine}.parquet"
        run = run_child(analysis, engine, path, result, budget_mb)
        print(
            f"  {engine:>7}: {run['status']}, {run['wall_s']:.1f} s, {run['peak_mb']:.0f} MB",
            flush=True,
        )
        if run["status"] == "ok":
            results[engine] = result
        out.append({**base, "engine": engine, **run, "equal": None})
    reference = "pandas" if "pandas" in results else "dask"
    for row in out[1:]:
        engine = row["engine"]
        if engine in results and engine != reference and reference in results:
            row["equal"] = same(results[engine], results[reference], analysis)
            row["note"] = (row.get("note") or "") + f"compared with {reference}"
        elif engine in results and engine == reference and reference != "pandas":
            row["note"] = "reference: pandas ran out of memory"
    if not keep:
        shutil.rmtree(path)
    for result in results.values():
        result.unlink()
    return out


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        return child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="/tmp/migrationlab-bench-scale")
    parser.add_argument("--budget-mb", type=float, default=4096.0, help="memory budget per child")
    parser.add_argument("--keep-data", action="store_true", help="keep the generated data")
    parser.add_argument(
        "--quick", action="store_true", help="the two smaller sizes only (a few minutes)"
    )
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    free_gb = shutil.disk_usage(data_dir).free / 2**30
    print(f"data in {data_dir} ({free_gb:.0f} GiB free); memory budget {args.budget_mb:.0f} MB")
    count = 2 if args.quick else 3
    rows = []
    t0 = time.perf_counter()
    for analysis, sizes in (("passengers", PASSENGER_ROWS), ("segregation", GRID_CELLS)):
        for size in sizes[:count]:
            rows += bench_size(analysis, size, data_dir, args.budget_mb, args.keep_data)
    if not args.keep_data:
        shutil.rmtree(data_dir, ignore_errors=True)
    df = pd.DataFrame(rows)
    df["budget_mb"] = args.budget_mb
    df["note"] = df.get("note", pd.Series(index=df.index, dtype=object)).fillna("")
    settings = {
        "pandas": "read into memory, then groupby / single_group_indices",
        "duckdb": f"memory_limit {DUCKDB_MEMORY_LIMIT}, {THREADS} threads",
        "dask": f"threaded scheduler, {THREADS} threads",
        "generator": "writes one city or one month at a time",
    }
    df["note"] = [
        "; ".join(part for part in (settings.get(engine, ""), note) if part)
        for engine, note in zip(df["engine"], df["note"], strict=True)
    ]
    stopped = df["status"] == "out of memory"
    df.loc[stopped, "note"] += "; killed when its RSS passed the budget"
    out_of_core = df["engine"].isin(["duckdb", "dask"])
    df["within_budget"] = df["status"].eq("ok") & (df["peak_mb"] <= df["budget_mb"])
    df["date"] = dt.date.today().isoformat()
    df["machine"] = (
        f"{platform.machine()} {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}"
    )
    columns = [
        "analysis",
        "engine",
        "rows",
        "partitions",
        "data_mb",
        "wall_s",
        "peak_mb",
        "budget_mb",
        "status",
        "within_budget",
        "equal",
        "note",
        "date",
        "machine",
    ]
    RESULTS.parent.mkdir(exist_ok=True)
    df[columns].round({"wall_s": 2, "peak_mb": 0}).to_csv(RESULTS, index=False)
    print(f"\n{len(df)} rows written to {RESULTS} in {time.perf_counter() - t0:.0f} s")
    print(df[columns[:10]].to_string(index=False))
    ok = bool(df.loc[out_of_core, "within_budget"].all() and not df["equal"].eq(False).any())
    if not ok:
        print("FAILED: DuckDB or Dask missed the budget, or results differ", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
