"""Benchmark of the Google product review feed export: 1,000,000 reviews, rows/s, peak memory.

    python bench/exports.py [--backend sqlite|postgresql|both] [--format google]
        [--reviews 1000000] [--products 10000] [--repeat 1] [--regenerate]

On the benchmark data of ``bench/datagen.py`` (cached: the SQLite file under
``build/bench/``, the PostgreSQL database ``rd_bench``; 1,000,000 published reviews over
10,000 products in 4 shops), for each backend, every measurement runs in a fresh child
process of its own (``exports.py --child ...``), which reports its peak resident memory
when done: the kernel's RSS high-water mark of its address space (``VmHWM`` in
``/proc/self/status``). Not ``ru_maxrss`` (``getrusage(RUSAGE_CHILDREN)`` or
``os.wait4``): Python starts children with vfork, and Linux carries the parent's
high-water mark over the child's exec, so that figure is the parent's when the parent is
larger (measured here: a 10 MiB child reported as 311 MiB).

On SQLite the RSS high-water mark also counts the database file's pages: reviewdesk's
engine memory-maps the file (``PRAGMA mmap_size``, for the read path), and pages read
through the map are resident in the process (file-backed, shared with the page cache,
dropped first under memory pressure). A streamed read of 1M reviews touches most of the
file, so that figure follows the file's size, not what the export holds. The child
therefore also reports its peak *anonymous* resident memory (``RssAnon``: the heap, what
the export itself allocates), sampled every 5 ms by a thread.

- **export**: ``services.exports.export_reviews`` of every shop in turn (together the
  1,000,000 reviews) in ``--format``, each feed written to a file (deleted afterwards), as
  ``reviewdesk export -o`` does;
- **export, smallest shop**: the same for the smallest shop alone: peak memory of a
  fraction of the rows beside that of all of them (bounded memory: the two match);
- **raw cursor** (the baseline): the same rows from the same streamed statement, in the
  same kind of transaction (``services.exports.published_review_rows``), iterated without
  reading products, building records or writing a feed;
- **idle**: a child that imports the same modules and opens the platform, then exits:
  the memory every process pays before the first row.

Rows/s counts the rows read (the shops' published reviews) over the time the export (or
the iteration) took inside the child, process start excluded; the feeds leave out bare
star ratings, so fewer reviews are written than read. The ratio is export rows/s over
raw-cursor rows/s measured in the same round. With ``--repeat`` > 1 the rounds interleave
and the table shows medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

# --------------------------------------------------------------------------------------
# Children: one measurement each, a JSON line on stdout
# --------------------------------------------------------------------------------------


def _open(url: str, workdir: Path) -> Any:
    from datagen import bench_settings
    from reviewdesk.services.platform import InlineJobs, open_platform

    return open_platform(bench_settings(url, workdir), jobs=InlineJobs())


def _shops(platform: Any, only: list[str] | None) -> list[tuple[int, str]]:
    from sqlalchemy import select

    from reviewdesk.db.catalog import Shop

    with platform.db.read() as session:
        shops = [(i, s) for i, s in session.execute(select(Shop.id, Shop.slug).order_by(Shop.id))]
    return [(i, s) for i, s in shops if only is None or s in only]


class AnonymousPeak:
    """The largest ``RssAnon`` of this process seen by a thread sampling every 5 ms."""

    def __init__(self) -> None:
        self.peak_kib = _status_kib("RssAnon")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak_kib = max(self.peak_kib, _status_kib("RssAnon"))

    def stop(self) -> float:
        """Stop sampling; the peak in MiB."""
        self._stop.set()
        self._thread.join()
        self.peak_kib = max(self.peak_kib, _status_kib("RssAnon"))
        return self.peak_kib / 1024


def child(mode: str, url: str, fmt: str, only: list[str] | None, workdir: Path) -> dict[str, Any]:
    anonymous = AnonymousPeak()
    from reviewdesk.domain.principals import OPERATOR
    from reviewdesk.services.exports import export_reviews, published_review_rows, snapshot

    platform = _open(url, workdir)
    shops = _shops(platform, only)
    rows = _published(platform, [shop_id for shop_id, _ in shops]) if mode != "idle" else 0
    written = size = 0
    started = time.perf_counter()
    if mode == "export":
        for shop_id, slug in shops:
            path = workdir / f"{slug}.{fmt}"
            with path.open("wb") as out:
                written += export_reviews(platform, OPERATOR, shop_id, fmt, out)
            size += path.stat().st_size
            path.unlink()
    elif mode == "raw":
        for shop_id, _ in shops:
            with platform.db.read() as session:
                connection = snapshot(session)
                for partition in published_review_rows(connection, shop_id):
                    for _row in partition:
                        written += 1
        if written != rows:
            raise RuntimeError(f"the cursor gave {written} rows, {rows} expected")
    seconds = time.perf_counter() - started
    platform.close()
    return {
        "rows": rows,
        "written": written,
        "seconds": seconds,
        "bytes": size,
        "shops": [s for _, s in shops],
        "peak_rss_mib": _status_kib("VmHWM") / 1024,
        "peak_anon_mib": anonymous.stop(),
    }


def _published(platform: Any, shop_ids: list[int]) -> int:
    from sqlalchemy import func, select

    from reviewdesk.db.reviews import Review

    with platform.db.read() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Review)
                .where(Review.shop_id.in_(shop_ids), Review.status == "published")
            )
            or 0
        )


def _status_kib(field: str) -> int:
    """A figure of ``/proc/self/status`` in KiB: ``VmHWM`` is the RSS high-water mark of
    this process's own address space (since its exec), ``RssAnon`` its anonymous RSS now."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def run_child(mode: str, url: str, fmt: str, only: list[str] | None) -> dict[str, Any]:
    """A measurement in a fresh process: rows, time, output size, peak RSS (MiB)."""
    command = [sys.executable, __file__, "--child", mode, "--url", url, "--format", fmt]
    if only:
        command += ["--only", ",".join(only)]
    with tempfile.TemporaryDirectory(prefix="rd-bench-export-") as workdir:
        done = subprocess.run(
            [*command, "--workdir", workdir], stdout=subprocess.PIPE, cwd=ROOT, check=True
        )
    result: dict[str, Any] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return result


# --------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------


def smallest_shop(url: str) -> tuple[str, int]:
    from sqlalchemy import func, select

    from reviewdesk.db.catalog import Shop
    from reviewdesk.db.engine import Database
    from reviewdesk.db.reviews import Review

    db = Database(url)
    try:
        with db.read() as session:
            counts = session.execute(
                select(Shop.slug, func.count(Review.id))
                .join(Review, Review.shop_id == Shop.id)
                .where(Review.status == "published")
                .group_by(Shop.slug)
                .order_by(func.count(Review.id))
            ).all()
    finally:
        db.dispose()
    return counts[0][0], int(counts[0][1])


def measure(backend: str, url: str, fmt: str, repeat: int) -> list[str]:
    small, small_rows = smallest_shop(url)
    print(f"{backend}: smallest shop {small} ({small_rows:,} published reviews)", flush=True)
    runs: dict[str, list[dict[str, Any]]] = {"idle": [], "raw": [], "export": [], "small": []}
    runs["idle"].append(run_child("idle", url, fmt, None))
    ratios = []
    for round_no in range(1, repeat + 1):
        raw = run_child("raw", url, fmt, None)
        export = run_child("export", url, fmt, None)
        runs["raw"].append(raw)
        runs["export"].append(export)
        ratios.append((export["rows"] / export["seconds"]) / (raw["rows"] / raw["seconds"]))
        print(
            f"  round {round_no}: raw {raw['rows'] / raw['seconds']:,.0f} rows/s, "
            f"export {export['rows'] / export['seconds']:,.0f} rows/s, "
            f"peak RSS {export['peak_rss_mib']:.0f} MiB "
            f"(anonymous {export['peak_anon_mib']:.0f} MiB)",
            flush=True,
        )
    runs["small"].append(run_child("export", url, fmt, [small]))

    def median(name: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[name])

    def rate(name: str) -> float:
        return statistics.median(r["rows"] / r["seconds"] for r in runs[name])

    ratio = statistics.median(ratios)
    lines = []
    for name, label in (
        ("export", f"{fmt} export, all shops"),
        ("small", f"{fmt} export, {small}"),
        ("raw", "raw cursor (baseline)"),
        ("idle", "idle process"),
    ):
        rows = int(median(name, "rows"))
        seconds = median(name, "seconds")
        speed = f"{rate(name):,.0f}" if rows else "-"
        relative = {"export": f"{ratio:.2f}", "raw": "1.00"}.get(name, "-")
        size = median(name, "bytes")
        lines.append(
            f"| {backend} | {label} | {rows:,} | {int(median(name, 'written')):,} "
            f"| {seconds:.1f} s | {speed} | {relative} | "
            f"{median(name, 'peak_rss_mib'):.0f} MiB | {median(name, 'peak_anon_mib'):.0f} MiB | "
            + (f"{size / 1e6:,.0f} MB" if size else "-")
            + " |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--format", default="google", choices=("google", "meta", "csv", "jsonl"))
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--child", choices=("idle", "raw", "export"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--only", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        only = args.only.split(",") if args.only else None
        print(json.dumps(child(args.child, args.url, args.format, only, Path(args.workdir))))
        return 0

    from datagen import Scale, ensure_databases, postgresql_url, sqlite_url
    from read_path import machine

    scale = Scale(reviews=args.reviews, products=args.products)
    backends = []
    if args.backend in ("sqlite", "both"):
        backends.append(("SQLite", sqlite_url(scale)))
    if args.backend in ("postgresql", "both"):
        backends.append(("PostgreSQL", postgresql_url()))
    ensure_databases([url for _, url in backends], scale, regenerate=args.regenerate)
    header = machine()
    table = [
        "| backend | run | rows read | reviews written | time | rows/s | ratio to raw "
        "| peak RSS | peak anonymous RSS | output |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for backend, url in backends:
        table += measure(backend, url, args.format, args.repeat)
    print()
    print("\n".join(header))
    print(f"load avg  {' '.join(f'{x:.2f}' for x in os.getloadavg())} (after the runs)")
    print()
    print("\n".join(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
