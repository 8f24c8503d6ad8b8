"""Benchmark: the book builds cold in under 5 minutes, rebuilds in under 40 s, stays small.

Run with ``make bench`` (or ``python benchmarks/bench_book.py``). The book is built by
``make book``'s own code, :func:`coursekit.book.build`: the worked-solutions pages, the
notebooks executed in parallel into the execution cache, Jupyter Book with warnings as
errors, then the slide PDFs and the whole-book PDF printed by Chromium. It builds into a
temporary folder with an empty execution cache, so that every notebook is executed
("cold"), and again with nothing changed ("no-change rebuild": Sphinx reads nothing
again, the PDFs are printed again). Then the built site is measured: the pages with their
assets, the downloads apart (the executed notebooks and the PDFs), and the largest page
counted with the images it shows. Results go to ``benchmarks/results/book_build.csv``;
the run fails when a budget is missed.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pandas as pd
import yaml

from coursekit import book
from migrationlab import REPO_ROOT

BUDGETS = {
    "cold_build_s": 300.0,
    "rebuild_s": 40.0,
    "site_mb": 40.0,
    "downloads_mb": 30.0,
    "largest_page_mb": 3.0,
}
#: What a reader downloads rather than browses: the executed notebooks and the PDFs.
DOWNLOADS = ("_downloads", "download")
RESULTS = Path(__file__).parent / "results" / "book_build.csv"


def build(config: Path, out: Path) -> float:
    """Seconds that ``make book``'s build takes into ``out``, without the course archive."""
    start = time.perf_counter()
    status = book.build(config=config, output=out, archive=None)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit("the book did not build; see above")
    return seconds


def page_weights(html_dir: Path) -> dict[str, int]:
    """Bytes of every page with the images it shows (each image counted once per page)."""
    weights = {}
    for page in html_dir.rglob("*.html"):
        if "_static" in page.parts:
            continue
        rel = page.relative_to(html_dir).as_posix()
        total = page.stat().st_size
        for src in set(re.findall(r'<img[^>]*\ssrc="([^"]+)"', page.read_text(encoding="utf-8"))):
            if urlsplit(src).scheme:
                continue
            target = html_dir / unquote(urlsplit(urljoin("http://s/" + rel, src)).path).lstrip("/")
            if target.is_file():
                total += target.stat().st_size
        weights[rel] = total
    return weights


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-book-") as tmp:
        tmp = Path(tmp)
        config = yaml.safe_load((REPO_ROOT / "book" / "_config.yml").read_text())
        config["execute"]["cache"] = str(tmp / "jupyter_cache")  # empty: a cold build
        config_path = tmp / "_config.yml"
        config_path.write_text(yaml.safe_dump(config, sort_keys=False))
        cold = build(config_path, tmp)
        rebuild = build(config_path, tmp)
        html = tmp / "_build" / "html"
        files = [p for p in html.rglob("*") if p.is_file()]
        downloads = [p for p in files if p.relative_to(html).parts[0] in DOWNLOADS]
        downloads += list((html / "slides").glob("*.pdf"))
        site = sum(p.stat().st_size for p in files) - sum(p.stat().st_size for p in downloads)
        downloaded = sum(p.stat().st_size for p in downloads)
        weights = page_weights(html)
        pages = len(weights)
    largest, largest_bytes = max(weights.items(), key=lambda kv: kv[1])
    row = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "cold_build_s": round(cold, 1),
        "rebuild_s": round(rebuild, 1),
        "site_mb": round(site / 2**20, 1),
        "downloads_mb": round(downloaded / 2**20, 1),
        "pages": pages,
        "largest_page": largest,
        "largest_page_mb": round(largest_bytes / 2**20, 2),
    }
    over = [key for key, budget in BUDGETS.items() if row[key] > budget]
    row |= {f"budget_{k}": v for k, v in BUDGETS.items()} | {"within_budget": not over}
    RESULTS.parent.mkdir(exist_ok=True)
    pd.DataFrame([row]).to_csv(RESULTS, index=False)
    for key, value in row.items():
        print(f"{key}: {value}")
    if over:
        print(f"over budget: {over}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
