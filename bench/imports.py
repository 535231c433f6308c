"""Benchmark of review imports: a Judge.me CSV of 1,000,000 rows on SQLite and PostgreSQL.

    python bench/imports.py [--backend sqlite|postgresql|both] [--rows 1000000]
        [--products 10000] [--batch N] [--regenerate] [--skip-raw]
    python bench/imports.py --profile [--rows 50000]     (cProfile of one SQLite import)

The file: a Judge.me-shaped export (``id, title, body, rating, review_date, source,
curated, reviewer_name, reviewer_email, product_id, product_handle, verified, reply,
reply_date, picture_urls, ip_address, location``) generated once per size and cached under
``build/bench/`` (``judgeme-<rows>-products-<products>-v<N>.csv``). Texts come from the demo
corpus (English, Indonesian, Vietnamese, with titles), over ``--products`` products of one
shop; about 6 % of texts carry a phone number or an e-mail address and 2 % are signed with
the reviewer's first name, so that masking personal data has real work; 5 % of the photo
reviews have picture URLs (kept as links: media fetching is off), 8 % a seller reply.
Outcomes built in: ~5 % rows of products the shop does not have (*unmatched*), ~2 %
*skipped* (not a verified buyer, spam in Judge.me, store reviews), ~0.1 % *duplicates*
(a review id seen before), ~0.02 % *failed* (no rating, a date that is not one). 80 % of
rows name the Shopify product id and the handle, 20 % only the handle.

Each backend gets a fresh database (SQLite file under ``build/bench/``, PostgreSQL database
``rd_bench_imports`` on the local server), migrated by ``reviewdesk.db.migrate.upgrade``,
with one seller and shop made through the catalogue service and the products (handle,
``shopify_product`` external id, rating summary) written in bulk. Then, each in its own
subprocess (a fresh interpreter, its peak RSS read from ``os.wait4``):

1. **import**: ``imports.create_import`` (copy the upload, check it) then
   ``imports.run_import`` (read in batches of ``import_batch_rows``, classify, mask and
   detect language, stage into ``imported_reviews``, then publish the matched rows into
   ``reviews``, rating summaries, picture links) -- exactly what the worker does. Rows/s is
   the file's rows over the wall time of both.
2. **raw**: after emptying the tables, the same file's rows, parsed beforehand with the
   ``csv`` module into ready parameter dicts (every column the import fills, text copied
   unmasked), inserted by ``executemany`` through SQLAlchemy Core, in batches of the same
   size, one transaction per batch, into ``imported_reviews`` -- every row of the file, so
   the baseline writes a little more than the import stages (skipped, failed and duplicate
   rows included): the ratio is conservative. Only the time of the inserts and commits
   counts. Then, for information, the rows with a known product into ``reviews`` in the
   same way (the import's second write); the ratio's goal is against ``imported_reviews``.

Goals (issue 7): import rows/s >= 20 % of the raw rate; peak memory of the import process
< 300 MB whatever the file size. The exit code is 0 either way (this is a measurement).

``--profile`` imports ``--rows`` (default 50,000) rows on a fresh SQLite database under
cProfile and prints where the time goes (reading and parsing the file, masking personal
data, language detection, the rest of staging, the SQL of each step), then the functions
with the most own time.
"""

from __future__ import annotations

import argparse
import bisect
import cProfile
import csv
import datetime as dt
import json
import os
import platform as pyplatform
import pstats
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from itertools import accumulate
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
BENCH_DIR = ROOT / "build" / "bench"
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "rd_bench_imports"

RATIO_GOAL = 0.20
MEMORY_GOAL_MB = 300.0
GENERATOR_VERSION = 2
SEED = 2026
SHOPIFY_BASE = 7_100_000_000_000  # Shopify product ids are 13-digit numbers

HEADER = (
    "id", "title", "body", "rating", "review_date", "source", "curated", "reviewer_name",
    "reviewer_email", "product_id", "product_handle", "verified", "reply", "reply_date",
    "picture_urls", "ip_address", "location",
)  # fmt: skip

UNMATCHED_SHARE = 0.05
SKIPPED_SHARE = 0.02
DUPLICATE_SHARE = 0.001
FAILED_SHARE = 0.0002
PII_SHARE = 0.06
SIGNED_SHARE = 0.02
PICTURE_SHARE = 0.05
REPLY_SHARE = 0.08
HANDLE_ONLY_SHARE = 0.20

# --------------------------------------------------------------------------------------
# The file
# --------------------------------------------------------------------------------------

_PII = {
    "en": (
        "Call me at {phone} if you want more photos.",
        "Text me on {phone} for the group order.",
        "My email is {email} if the seller wants to reach me.",
        "Questions? Write to {email}.",
    ),
    "id": (
        "Kalau mau tanya hubungi WA saya {phone} ya kak.",
        "Yang mau titip beli bisa chat {phone}.",
        "Email saya {email} kalau ada yang mau tanya.",
    ),
    "vi": (
        "Ai cần hỏi thì gọi mình số {phone} nhé.",
        "Liên hệ zalo {phone} để mua chung.",
        "Email của mình: {email}.",
    ),
}
_LOCATIONS = (
    "Jakarta, ID", "Surabaya, ID", "Bandung, ID", "Ho Chi Minh City, VN", "Hanoi, VN",
    "Da Nang, VN", "Kuala Lumpur, MY", "Singapore, SG", "Austin, US", "Leeds, GB", "",
)  # fmt: skip
_REPLIES = (
    "Thank you so much for your review!",
    "Terima kasih banyak kak, ditunggu orderan berikutnya!",
    "Cảm ơn bạn đã ủng hộ shop!",
    "We're sorry to hear that, please contact our support so we can make it right.",
)


def csv_path(rows: int, products: int) -> Path:
    return BENCH_DIR / f"judgeme-{rows}-products-{products}-v{GENERATOR_VERSION}.csv"


def catalogue(products: int) -> list[tuple[str, str, str, str]]:
    """(handle, title, brand, Shopify product id) of the shop's products, deterministic."""
    from reviewdesk.demo import corpus

    made = corpus.catalog(random.Random(SEED), products)
    return [(p.slug, p.name, p.brand, str(SHOPIFY_BASE + i)) for i, p in enumerate(made)]


def _phone(rng: random.Random) -> str:
    kind = rng.randrange(4)
    a, b = rng.randrange(10, 99), rng.randrange(1000, 9999)
    c, d, e = rng.randrange(1000, 9999), rng.randrange(100, 999), rng.randrange(100, 999)
    if kind == 0:
        return f"+62 8{a} {b} {c}"
    if kind == 1:
        return f"08{a}-{b}-{c}"
    if kind == 2:
        return f"09{a} {d} {e}"
    return f"+84 9{a} {d} {e}"


def generate_csv(path: Path, rows: int, products: int, log: Any = print) -> None:
    """Write the benchmark file (see the module docstring); atomic, by rename."""
    from reviewdesk.demo import corpus

    log(f"generating {rows:,} Judge.me rows over {products:,} products into {path}")
    started = time.perf_counter()
    rng = random.Random(SEED + 1)
    demo_products = corpus.catalog(random.Random(SEED), products)
    ours = catalogue(products)
    weights = [1 / (rank**0.8) for rank in range(1, products + 1)]
    rng.shuffle(weights)
    cumulative = list(accumulate(weights))
    people = corpus.buyers(rng, min(20_000, max(100, rows // 20)))
    foreign = max(20, products // 20)  # products of the old store that we do not have
    start = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
    span = 3 * 365 * 86400
    recent: list[list[str]] = []
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADER)
        for n in range(rows):
            draw = rng.random()
            if draw < DUPLICATE_SHARE and recent:
                # A review exported twice (same Judge.me id); the content may differ a little.
                writer.writerow(rng.choice(recent))
                continue
            index = bisect.bisect(cumulative, rng.random() * cumulative[-1])
            index = min(index, products - 1)
            demo = demo_products[index]
            handle, _title, _brand, product_id = ours[index]
            drawn = corpus.review(rng, demo)
            person = people[rng.randrange(len(people))]
            title, body = drawn.title or "", drawn.text or ""
            if body and rng.random() < PII_SHARE:
                lang = drawn.language if drawn.language in _PII else "en"
                extra = rng.choice(_PII[lang]).format(phone=_phone(rng), email=person.email)
                body = f"{body} {extra}"
            if body and rng.random() < SIGNED_SHARE:
                body = f"{body}\n- {person.given_name.split()[0]}"
            verified, curated = "buyer", "ok"
            rating = str(drawn.rating)
            when = start + dt.timedelta(seconds=int(rng.random() * span))
            review_date = when.strftime("%Y-%m-%d %H:%M:%S UTC")
            draw = rng.random()
            if draw < UNMATCHED_SHARE:
                k = rng.randrange(foreign)
                product_id, handle = str(SHOPIFY_BASE + 5_000_000 + k), f"{demo.slug}-old-{k}"
            elif draw < UNMATCHED_SHARE + SKIPPED_SHARE:
                kind = rng.randrange(4)
                if kind in (0, 1):
                    verified = "nothing"
                elif kind == 2:
                    curated = "spam"
                else:
                    product_id, handle = "", "judgeme-shop-reviews"
            elif draw < UNMATCHED_SHARE + SKIPPED_SHARE + FAILED_SHARE:
                if rng.random() < 0.5:
                    rating = ""
                else:
                    review_date = "sometime last spring"
            if product_id and rng.random() < HANDLE_ONLY_SHARE:
                product_id = ""
            pictures = ""
            if rng.random() < PICTURE_SHARE:
                pictures = ",".join(
                    f"https://judgeme.imgix.net/bench/reviews/{n + 1}-{k}.jpg"
                    for k in range(rng.choice((1, 1, 2, 3)))
                )
            reply = reply_date = ""
            if rng.random() < REPLY_SHARE:
                reply = rng.choice(_REPLIES)
                reply_date = (when + dt.timedelta(days=rng.randrange(1, 8))).strftime(
                    "%Y-%m-%d %H:%M:%S UTC"
                )
            row = [
                str(300_000_000 + n),
                title,
                body,
                rating,
                review_date,
                rng.choice(("web", "email", "shop_app")),
                curated,
                person.full_name,
                person.email,
                product_id,
                handle,
                verified,
                reply,
                reply_date,
                pictures,
                f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                rng.choice(_LOCATIONS),
            ]
            writer.writerow(row)
            if len(recent) < 1000:
                recent.append(row)
            elif rng.random() < 0.01:
                recent[rng.randrange(1000)] = row
            if (n + 1) % 200_000 == 0:
                log(f"  {n + 1:,} rows, {time.perf_counter() - started:.0f} s")
    partial.replace(path)
    log(f"  done: {path.stat().st_size / 1e6:,.0f} MB in {time.perf_counter() - started:.0f} s")


def ensure_csv(rows: int, products: int, regenerate: bool) -> Path:
    path = csv_path(rows, products)
    if regenerate or not path.is_file():
        generate_csv(path, rows, products)
    else:
        print(f"file: reusing {path} ({path.stat().st_size / 1e6:,.0f} MB)")
    return path


# --------------------------------------------------------------------------------------
# The database
# --------------------------------------------------------------------------------------


def sqlite_url(rows: int) -> str:
    return f"sqlite:///{BENCH_DIR / f'imports-{rows}.db'}"


def postgresql_url() -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_BENCH_DB


def fresh_database(url: str) -> None:
    """Remove the database at ``url`` and create it empty."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{parsed.database}"')
    finally:
        admin.dispose()


def bench_settings(url: str, workdir: Path, batch: int | None) -> Any:
    from reviewdesk.config import Settings

    values: dict[str, Any] = {
        "database_url": url,
        "media_dir": workdir / "media",
        "jobs_path": workdir / "jobs.db",
        "import_dir": workdir / "imports",
        "jobs_immediate": True,
        "import_fetch_media": False,
    }
    if batch:
        values["import_batch_rows"] = batch
    return Settings(**values)


def seed_database(url: str, products: int, workdir: Path) -> dict[str, int]:
    """Migrate; one seller and shop through the services; the products in bulk. Ids."""
    from sqlalchemy import insert, select

    from reviewdesk.db.catalog import ExternalId, Product
    from reviewdesk.db.migrate import upgrade
    from reviewdesk.db.reviews import ProductRatingSummary
    from reviewdesk.domain.principals import OPERATOR
    from reviewdesk.services import catalog
    from reviewdesk.services.platform import open_platform

    platform = open_platform(bench_settings(url, workdir, None))
    try:
        upgrade(platform.db)
        seller = catalog.create_seller(platform, OPERATOR, name="Bench Imports Co")
        shop = catalog.create_shop(
            platform, OPERATOR, seller_id=seller.id, slug="bench-imports", name="Bench Imports"
        )
        now = dt.datetime.now(dt.UTC)
        made = catalogue(products)
        with platform.db.write() as session:
            session.execute(
                insert(Product),
                [
                    {"shop_id": shop.id, "handle": h, "title": t, "brand": b, "created_at": now}
                    for h, t, b, _ in made
                ],
            )
            ids = dict(
                session.execute(
                    select(Product.handle, Product.id).where(Product.shop_id == shop.id)
                ).all()
            )
            session.execute(
                insert(ProductRatingSummary),
                [{"product_id": ids[h], "shop_id": shop.id} for h, *_ in made],
            )
            session.execute(
                insert(ExternalId),
                [
                    {
                        "shop_id": shop.id,
                        "product_id": ids[h],
                        "platform": "shopify_product",
                        "value": pid,
                    }
                    for h, _, _, pid in made
                ],
            )
        if platform.db.dialect == "postgresql":
            with platform.db.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT"
            ) as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        return {"seller": seller.id, "shop": shop.id}
    finally:
        platform.db.engine.dispose()


def empty_import_tables(url: str) -> None:
    """Remove every trace of imports and reviews (summaries back to zero)."""
    from reviewdesk.db.engine import Database

    db = Database(url)
    tables = ("review_media", "reviews", "imported_reviews", "import_problems", "import_jobs")
    try:
        with db.engine.begin() as conn:
            if db.dialect == "postgresql":
                conn.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            else:
                for table in tables:
                    conn.exec_driver_sql(f"DELETE FROM {table}")
            for table in ("product_rating_summaries", "shop_rating_summaries"):
                conn.exec_driver_sql(
                    f"UPDATE {table} SET review_count = 0, rating_sum = 0, stars_1 = 0, "
                    "stars_2 = 0, stars_3 = 0, stars_4 = 0, stars_5 = 0"
                )
        if db.dialect == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        else:
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.engine.dispose()


# --------------------------------------------------------------------------------------
# The children (``imports.py --child import|raw``)
# --------------------------------------------------------------------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _MemorySampler:
    """Peak anonymous and file-backed resident memory, sampled from /proc a few times a
    second (the kernel's peak RSS counts the pages of SQLite's memory-mapped database file
    too; the anonymous part is the process's own memory)."""

    def __init__(self, interval: float = 0.2) -> None:
        import threading

        self.peak = {"RssAnon": 0.0, "RssFile": 0.0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)
        self._thread.start()

    def sample(self) -> None:
        try:
            status = Path("/proc/self/status").read_text()
        except OSError:
            return
        for key in self.peak:
            found = re.search(rf"^{key}:\s+(\d+) kB", status, re.M)
            if found:
                self.peak[key] = max(self.peak[key], int(found.group(1)) / 1024)

    def _run(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self.sample()

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        self.sample()
        return self.peak


def _report(values: dict[str, Any]) -> None:
    print("RDBENCH " + json.dumps(values), flush=True)


class _Deferred:
    """Jobs that only note the import created, so that its run is timed on its own."""

    def __init__(self) -> None:
        self.created: list[int] = []

    def import_created(self, job_id: int) -> None:
        self.created.append(job_id)

    def import_published(self, job_id: int) -> None:  # pragma: no cover - fetching is off
        raise AssertionError("media fetching is off in the benchmark")

    def media_uploaded(self, media_id: int) -> None:  # pragma: no cover
        raise AssertionError("no media is uploaded by an import")


def child_import(args: argparse.Namespace) -> None:
    from reviewdesk.domain.principals import OPERATOR
    from reviewdesk.services import imports
    from reviewdesk.services.imports import ImportOptions
    from reviewdesk.services.platform import open_platform

    rss_start = _rss_mb()
    sampler = _MemorySampler()
    jobs = _Deferred()
    platform = open_platform(
        bench_settings(args.url, Path(args.workdir), args.batch),
        jobs=jobs,  # type: ignore[arg-type]
    )
    profiler = cProfile.Profile() if args.cprofile else None
    marks: dict[str, float] = {}
    timers = _install_timers(imports) if args.timers else None
    statements = _watch_statements(platform.db.engine)

    def progress(done: int, total: int | None) -> None:
        marks["last_batch"] = time.perf_counter()
        marks["rss_batches_mb"] = _rss_mb()

    if profiler:
        profiler.enable()
    started = time.perf_counter()
    with open(args.csv, "rb") as stream:
        imports.create_import(
            platform,
            OPERATOR,
            args.shop,
            stream,
            Path(args.csv).name,
            ImportOptions(source="judgeme", fetch_media=False),
        )
    created = time.perf_counter()
    (job_id,) = jobs.created
    view = imports.run_import(platform, job_id, progress=progress)
    finished = time.perf_counter()
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.cprofile)
    assert isinstance(view, imports.ImportJobView), view
    sampled = sampler.stop()
    _report(
        {
            "rows": view.rows_done,
            "status": view.status,
            "error": view.error.model_dump() if view.error else None,
            "counts": view.counts.model_dump(),
            "create_s": created - started,
            "run_s": finished - created,
            "finish_s": finished - marks.get("last_batch", finished),
            "seconds": finished - started,
            "rss_start_mb": rss_start,
            "rss_peak_mb": _rss_mb(),
            "rss_batches_mb": marks.get("rss_batches_mb"),
            "anon_peak_mb": sampled["RssAnon"],
            "file_peak_mb": sampled["RssFile"],
            "batch": platform.settings.import_batch_rows,
            "timers": timers,
            "sql": sorted(
                ([sql, *entry] for sql, entry in statements.items()), key=lambda e: -e[2]
            )[:10],
        }
    )
    platform.db.engine.dispose()


def _watch_statements(engine: Any) -> dict[str, list[float]]:
    """SQL time by statement (its first words): {statement: [count, seconds, slowest]}."""
    from sqlalchemy import event

    found: dict[str, list[float]] = {}

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        conn.info.setdefault("rd_bench_started", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        seconds = time.perf_counter() - conn.info["rd_bench_started"].pop()
        key = " ".join(statement.split())[:90]
        entry = found.setdefault(key, [0, 0.0, 0.0])
        entry[0] += 1
        entry[1] += seconds
        entry[2] = max(entry[2], seconds)

    return found


# Functions of the import service timed by ``--timers`` (wall time, inclusive; the
# service is being split and renamed: whichever of the names exists).
_TIMED = {
    "read": ("_batches", "batches"),  # a generator: the time of each next() is reading
    "apply_links": ("_apply_links", "apply_links"),
    "materialise": ("_materialise", "materialise"),
    "apply_delta": ("apply_delta",),
    "after_publish": ("_after_publish", "after_publish"),
    "mask": ("public_copy",),
    "language": ("language_of",),
    "stage": ("_stage", "stage"),
    "classify": ("_classify", "classify"),
    "write_batch": ("_write_batch", "write_batch"),
    "finish": ("_finish", "finish"),
}


def _install_timers(module: Any) -> dict[str, float]:
    """Wrap the service's steps in wall-clock timers (a few microseconds per call, unlike
    a profiler's cost on every Python call); the dict fills as the import runs."""
    import functools

    spent: dict[str, float] = {}

    def timed(key: str, func: Any) -> Any:
        @functools.wraps(func)
        def wrapper(*a: Any, **k: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return func(*a, **k)
            finally:
                spent[key] = spent.get(key, 0.0) + time.perf_counter() - t0

        return wrapper

    def timed_generator(key: str, func: Any) -> Any:
        @functools.wraps(func)
        def wrapper(*a: Any, **k: Any) -> Any:
            inner = func(*a, **k)
            while True:
                t0 = time.perf_counter()
                try:
                    item = next(inner)
                except StopIteration:
                    return
                finally:
                    spent[key] = spent.get(key, 0.0) + time.perf_counter() - t0
                yield item

        return wrapper

    for key, names in _TIMED.items():
        for name in names:
            func = getattr(module, name, None)
            if func is not None:
                wrap = timed_generator if key == "read" else timed
                setattr(module, name, wrap(key, func))
                spent[key] = 0.0
                break
    return spent


def child_raw(args: argparse.Namespace) -> None:
    """The same rows, parsed by the csv module into ready dicts, inserted with executemany."""
    from sqlalchemy import insert, select

    from reviewdesk.db.catalog import ExternalId, Product
    from reviewdesk.db.imports import ImportedReview, ImportJob
    from reviewdesk.db.reviews import Review
    from reviewdesk.services.platform import open_platform

    rss_start = _rss_mb()
    platform = open_platform(bench_settings(args.url, Path(args.workdir), args.batch))
    batch_rows = platform.settings.import_batch_rows
    db = platform.db
    now = dt.datetime.now(dt.UTC)
    with db.write() as session:
        by_handle = dict(
            session.execute(
                select(Product.handle, Product.id).where(Product.shop_id == args.shop)
            ).all()
        )
        by_shopify = dict(
            session.execute(
                select(ExternalId.value, ExternalId.product_id).where(
                    ExternalId.shop_id == args.shop, ExternalId.platform == "shopify_product"
                )
            ).all()
        )
        job = ImportJob(
            shop_id=args.shop, source="judgeme", file_name="raw", file_key="raw",
            file_bytes=0, file_sha256="0" * 64, match_by="auto", platform="shopify",
            status="completed", created_by="bench", created_at=now,
        )  # fmt: skip
        session.add(job)
        session.flush()
        job_id = job.id

    def date(text: str) -> dt.datetime | None:
        try:
            return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S UTC").replace(tzinfo=dt.UTC)
        except ValueError:
            return None

    seen: set[str] = set()

    def staged(number: int, cells: dict[str, str]) -> dict[str, Any]:
        product = by_shopify.get(cells["product_id"]) or by_handle.get(cells["product_handle"])
        name = cells["reviewer_name"] or None
        pictures = [u for u in cells["picture_urls"].split(",") if u]
        # Keys as the import writes them (the same index order); a repeated review id
        # gets a suffix, since every row is written here.
        dedup = f"id:{cells['id']}"
        if dedup in seen:
            dedup = f"{dedup}#{number}"
        seen.add(dedup)
        product_key = (
            f"product:{cells['product_id']}"
            if cells["product_id"]
            else f"handle:{cells['product_handle']}"
        )
        return {
            "id": number,
            "shop_id": args.shop,
            "job_id": job_id,
            "row_number": number,
            "source": "judgeme",
            "dedup_key": dedup,
            "external_review_id": cells["id"] or None,
            "product_key": product_key,
            "external_product_id": cells["product_id"] or None,
            "external_variant_id": None,
            "handle": cells["product_handle"] or None,
            "sku": None,
            "gtin": None,
            "product_name": None,
            "product_url": None,
            "state": "matched" if product else "unmatched",
            "unmatched_reason": None if product else "no product of this shop has it",
            "matched_by": "product_id" if product else None,
            "product_id": product,
            "variant_id": None,
            "rating": int(cells["rating"] or 0),
            "title": cells["title"] or None,
            "body": cells["body"] or None,
            "public_title": cells["title"] or None,
            "public_body": cells["body"] or None,
            "language": "en",
            "reviewer_name": name,
            "reviewer_display": (name[:1] + "***") if name else "anonymous",
            "written_at": date(cells["review_date"]) or now,
            "media_urls": json.dumps(pictures),
            "media_fetched": False,
            "reply": cells["reply"] or None,
            "reply_at": date(cells["reply_date"]),
            "created_at": now,
        }

    review_columns = (
        "shop_id", "product_id", "variant_id", "source", "rating", "title", "body",
        "public_title", "public_body", "language", "reviewer_display", "created_at",
    )  # fmt: skip

    def review(row: dict[str, Any]) -> dict[str, Any]:
        values = {c: row[c] for c in review_columns}
        values["created_at"] = values["published_at"] = row["written_at"]
        values.update(
            imported_review_id=row["id"], status="published", is_verified=True,
            is_incentivized=False, has_text=bool(row["body"]), photo_count=0, video_count=0,
            helpful_count=0, version=1,
        )  # fmt: skip
        return values

    engine = db.engine.execution_options(reviewdesk_write=True)  # BEGIN IMMEDIATE on SQLite
    timed = {"imported_reviews": 0.0, "reviews": 0.0}
    counts = {"imported_reviews": 0, "reviews": 0}

    def insert_batch(table: Any, rows: list[dict[str, Any]]) -> None:
        t0 = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(insert(table), rows)
        timed[table.name] += time.perf_counter() - t0
        counts[table.name] += len(rows)

    def file_rows() -> Any:
        seen.clear()
        with open(args.csv, encoding="utf-8", newline="") as handle:
            for number, cells in enumerate(csv.DictReader(handle), start=1):
                yield staged(number, cells)

    started = time.perf_counter()
    # Pass 1: every row of the file into imported_reviews (what the import stages).
    batch: list[dict[str, Any]] = []
    for values in file_rows():
        batch.append(values)
        if len(batch) == batch_rows:
            insert_batch(ImportedReview.__table__, batch)
            batch = []
    if batch:
        insert_batch(ImportedReview.__table__, batch)
    staged_done = time.perf_counter()
    # Pass 2: the rows with a known product into reviews (what the import publishes).
    batch = []
    for values in file_rows():
        if values["product_id"]:
            batch.append(review(values))
            if len(batch) == batch_rows:
                insert_batch(Review.__table__, batch)
                batch = []
    if batch:
        insert_batch(Review.__table__, batch)
    _report(
        {
            "rows": counts["imported_reviews"],
            "reviews_rows": counts["reviews"],
            "insert_s": timed["imported_reviews"],
            "reviews_insert_s": timed["reviews"],
            "wall_s": time.perf_counter() - started,
            "parse_and_insert_s": staged_done - started,
            "rss_start_mb": rss_start,
            "rss_peak_mb": _rss_mb(),
            "batch": batch_rows,
        }
    )
    db.engine.dispose()


def run_child(kind: str, extra: list[str], log: Path) -> tuple[dict[str, Any], float]:
    """Run a child; its report and its peak RSS in MB (from the kernel, via wait4)."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, __file__, "--child", kind, *extra],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(errors="replace")
    found = re.search(r"^RDBENCH (\{.*\})$", text, re.M)
    if process.returncode != 0 or not found:
        raise RuntimeError(f"{kind} child failed ({process.returncode}):\n{text[-4000:]}")
    return json.loads(found.group(1)), usage.ru_maxrss / 1024


# --------------------------------------------------------------------------------------
# Measuring and reporting
# --------------------------------------------------------------------------------------


def machine() -> list[str]:
    import sqlalchemy

    mem = "?"
    meminfo = Path("/proc/meminfo").read_text()
    found = re.search(r"MemTotal:\s+(\d+)", meminfo)
    if found:
        mem = f"{int(found.group(1)) / 1024 / 1024:.1f} GiB"
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    return [
        f"date      {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"machine   {os.cpu_count()} cores ({cpu.group(1).strip() if cpu else '?'}), {mem} RAM, "
        f"{pyplatform.platform()}",
        f"software  Python {pyplatform.python_version()}, SQLAlchemy {sqlalchemy.__version__}",
        f"load avg  {' '.join(f'{x:.2f}' for x in os.getloadavg())} (shared machine)",
    ]


class _Autoanalyze:
    """Plays autovacuum's part (an ANALYZE of the import's tables every minute, as its
    default ``autovacuum_naptime``) on a PostgreSQL server that runs without it, like the
    local test cluster: a production server has it on, and without fresh statistics the
    planner keeps the plan it made for the empty table (see the module docstring)."""

    TABLES = ("imported_reviews", "import_problems", "reviews", "review_media")

    def __init__(self, url: str, interval: float = 60.0) -> None:
        self.url, self.interval, self.runs = url, interval, 0
        self.needed = False
        self._thread: Any = None

    def __enter__(self) -> _Autoanalyze:
        import threading

        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        if make_url(self.url).get_backend_name() != "postgresql":
            return self
        self._engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        with self._engine.connect() as conn:
            self.needed = conn.exec_driver_sql("SHOW autovacuum").scalar() == "off"
        if self.needed:
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            with self._engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE " + ", ".join(self.TABLES))
            self.runs += 1

    def __exit__(self, *exc: object) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
        if hasattr(self, "_engine"):
            self._engine.dispose()


def bench_backend(
    backend: str, url: str, path: Path, args: argparse.Namespace, workdir: Path
) -> dict[str, Any]:
    print(f"\n=== {backend} ===", flush=True)
    t0 = time.perf_counter()
    fresh_database(url)
    ids = seed_database(url, args.products, workdir / backend)
    print(f"  fresh database, {args.products:,} products in {time.perf_counter() - t0:.1f} s")
    common = ["--url", url, "--csv", str(path), "--shop", str(ids["shop"])]
    common += ["--workdir", str(workdir / backend)]
    if args.batch:
        common += ["--batch", str(args.batch)]
    print("  import (create_import + run_import) ...", flush=True)
    log = workdir / f"{backend}-import.log"
    with _Autoanalyze(url) as analyze:
        imported, import_rss = run_child("import", [*common, "--timers"], log)
    if analyze.needed:
        print(f"    (autovacuum is off on this server: ANALYZE run {analyze.runs} times)")
    if imported["status"] != "completed":
        raise RuntimeError(f"the import did not complete: {imported}")
    print(
        f"    {imported['rows']:,} rows in {imported['seconds']:.1f} s "
        f"({imported['rows'] / imported['seconds']:,.0f} rows/s); counts {imported['counts']}",
        flush=True,
    )
    print("    SQL time by statement (count, total s, slowest s):")
    for sql, count, seconds, slowest in imported.get("sql") or ():
        print(f"      {count:>9,} {seconds:8.1f} {slowest:7.2f}  {sql}")
    result: dict[str, Any] = {"import": imported, "import_rss": import_rss}
    if not args.skip_raw:
        empty_import_tables(url)
        print("  raw executemany baseline ...", flush=True)
        with _Autoanalyze(url):
            raw, raw_rss = run_child("raw", common, workdir / f"{backend}-raw.log")
        print(
            f"    {raw['rows']:,} rows in {raw['insert_s']:.1f} s of inserts "
            f"({raw['rows'] / raw['insert_s']:,.0f} rows/s)",
            flush=True,
        )
        result.update(raw=raw, raw_rss=raw_rss)
    return result


def report(results: dict[str, dict[str, Any]], args: argparse.Namespace, path: Path) -> None:
    print("\n" + "\n".join(machine()))
    size = path.stat().st_size / 1e6
    print(f"file      {path.name}: {args.rows:,} rows, {size:,.0f} MB, {args.products:,} products")
    head = f"{'':<44} " + " ".join(f"{b:>14}" for b in results)
    lines = [head, "-" * len(head)]

    def row(label: str, fmt: Any) -> None:
        cells = []
        for result in results.values():
            try:
                cells.append(f"{fmt(result):>14}")
            except (KeyError, ZeroDivisionError):
                cells.append(f"{'-':>14}")
        lines.append(f"{label:<44} " + " ".join(cells))

    def rate(r: dict[str, Any]) -> float:
        return float(r["import"]["rows"] / r["import"]["seconds"])

    def raw_rate(r: dict[str, Any]) -> float:
        return float(r["raw"]["rows"] / r["raw"]["insert_s"])

    row("import: rows/s (file rows / wall time)", lambda r: f"{rate(r):,.0f}")
    row("  wall time, s", lambda r: f"{r['import']['seconds']:,.1f}")
    row("  of which create_import (copy, check), s", lambda r: f"{r['import']['create_s']:,.1f}")
    row("  of which publishing after last batch, s", lambda r: f"{r['import']['finish_s']:,.1f}")
    for key in ("imported", "unmatched", "duplicates", "skipped", "failed"):
        row(f"  {key}", lambda r, k=key: f"{r['import']['counts'][k]:,}")
    row("raw executemany -> imported_reviews, rows/s", lambda r: f"{raw_rate(r):,.0f}")
    row(
        "raw executemany -> reviews (information)",
        lambda r: f"{r['raw']['reviews_rows'] / r['raw']['reviews_insert_s']:,.0f}",
    )
    row(
        "raw both tables, rows/s (information)",
        lambda r: (
            f"{r['raw']['rows'] / (r['raw']['insert_s'] + r['raw']['reviews_insert_s']):,.0f}"
        ),  # noqa: E501
    )
    row(f"ratio import / raw (goal >= {RATIO_GOAL:.2f})", lambda r: f"{rate(r) / raw_rate(r):.3f}")
    row("  result", lambda r: "pass" if rate(r) / raw_rate(r) >= RATIO_GOAL else "FAIL")
    row("import peak RSS, MB (wait4)", lambda r: f"{r['import_rss']:,.0f}")
    row("  RSS at start (interpreter + modules)", lambda r: f"{r['import']['rss_start_mb']:,.0f}")
    row("  peak until the last batch, MB", lambda r: f"{r['import']['rss_batches_mb']:,.0f}")
    row("  peak anonymous RSS (sampled), MB", lambda r: f"{r['import']['anon_peak_mb']:,.0f}")
    row("  peak file-backed RSS (sampled), MB", lambda r: f"{r['import']['file_peak_mb']:,.0f}")
    row(
        f"  result (goal < {MEMORY_GOAL_MB:.0f} MB)",
        lambda r: "pass" if r["import_rss"] < MEMORY_GOAL_MB else "FAIL",
    )
    row("batch rows (import_batch_rows)", lambda r: f"{r['import']['batch']:,}")
    print("\n".join(lines))
    missed = []
    for backend, r in results.items():
        if "raw" in r and rate(r) / raw_rate(r) < RATIO_GOAL:
            missed.append(f"{backend}: ratio {rate(r) / raw_rate(r):.3f} < {RATIO_GOAL}")
        if r["import_rss"] >= MEMORY_GOAL_MB:
            missed.append(f"{backend}: peak RSS {r['import_rss']:.0f} MB >= {MEMORY_GOAL_MB:.0f}")
    for backend, r in results.items():
        print(f"\n{backend}: " + "\n".join(timer_report(r["import"])))
    print("\ngoals missed: " + ("; ".join(missed) if missed else "none"))


# --------------------------------------------------------------------------------------
# Profile (--profile)
# --------------------------------------------------------------------------------------

_CATEGORIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # label, a directory of the function's module, its names (the service is being split
    # into modules and its helpers renamed: any of these, with or without the underscore)
    ("create_import: copy the upload, sniff, sample dates", "services/", ("create_import",)),
    ("reading + parsing the file (importers: CSV, rows)", "importers/", ("convert",)),
    ("  of which CSV records (decode, csv module)", "importers/", ("records",)),
    ("  of which build_row (values, hash)", "importers/", ("build_row",)),
    ("masking personal data (public_copy)", "services/", ("public_copy",)),
    ("  of which phone numbers (phonenumbers + shapes)", "analytics/", ("phones",)),
    ("  of which the name/address tagger", "analytics/", ("tag",)),
    ("language detection (language_of)", "services/", ("language_of",)),
    ("staging (_stage, incl. masking + language)", "services/", ("stage",)),
    ("classify (dedup + match SQL + _stage)", "services/", ("classify",)),
    ("writing each batch (_write_batch)", "services/", ("write_batch",)),
    ("publishing (_finish: everything after the last batch)", "services/", ("finish",)),
    ("  of which rating summaries (apply_delta)", "services/", ("apply_delta",)),
    ("  of which picture links (keep_media_links)", "services/", ("keep_media_links",)),
)


def profile_report(stats_path: Path, total: float) -> list[str]:
    stats = pstats.Stats(str(stats_path))
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    lines = [f"{'where the time goes (cProfile, inclusive)':<56} {'s':>8} {'share':>7}"]
    for label, directory, names in _CATEGORIES:
        seconds = sum(
            value[3]
            for (file, _line, func), value in raw.items()
            if func.lstrip("_") in names and directory in file.replace("\\", "/")
        )
        lines.append(f"{label:<56} {seconds:8.2f} {100 * seconds / total:6.1f}%")
    lines.append(f"{'total (profiled wall time)':<56} {total:8.2f}")
    lines.append("")
    lines.append("functions with the most own time (tottime):")
    top = sorted(raw.items(), key=lambda kv: -kv[1][2])[:25]
    for (file, line, func), value in top:
        where = re.sub(r".*/(site-packages|src)/", "", file)
        lines.append(f"  {value[2]:7.2f} s  {value[1]:>9,} calls  {func} ({where}:{line})")
    return lines


def profile(args: argparse.Namespace) -> None:
    path = ensure_csv(args.rows, args.products, args.regenerate)
    workdir = Path(tempfile.mkdtemp(prefix="rd-bench-imports-"))
    url = sqlite_url(args.rows).replace(".db", "-profile.db")
    fresh_database(url)
    ids = seed_database(url, args.products, workdir)
    out = BENCH_DIR / f"profile-imports-{args.rows}.prof"
    common = ["--url", url, "--csv", str(path), "--shop", str(ids["shop"])]
    common += ["--workdir", str(workdir)]
    if args.batch:
        common += ["--batch", str(args.batch)]
    plain, _ = run_child("import", [*common, "--timers"], workdir / "plain.log")
    empty_import_tables(url)  # the same file again would be all duplicates
    profiled, _ = run_child("import", [*common, "--cprofile", str(out)], workdir / "prof.log")
    print("\n" + "\n".join(machine()))
    print(
        f"\nimport of {plain['rows']:,} rows on SQLite: {plain['seconds']:.1f} s without "
        f"the profiler ({plain['rows'] / plain['seconds']:,.0f} rows/s), "
        f"{profiled['seconds']:.1f} s under cProfile (stats in {out})\n"
    )
    print("\n".join(timer_report(plain)))
    print()
    print("\n".join(profile_report(out, profiled["seconds"])))


def timer_report(result: dict[str, Any]) -> list[str]:
    """Where the wall time goes without a profiler (timers around the service's steps)."""
    t = result.get("timers") or {}
    total, rows = result["seconds"], result["rows"]
    parts: list[tuple[str, float | None]] = [
        ("create_import (copy the upload, sniff, sample dates)", result["create_s"]),
        ("reading + parsing the file (importers)", t.get("read")),
        ("masking personal data (public_copy)", t.get("mask")),
        ("language detection (language_of)", t.get("language")),
    ]
    if "stage" in t:
        rest = t["stage"] - t.get("mask", 0.0) - t.get("language", 0.0)
        parts.append(("rest of staging (dicts, display names, keys)", rest))
    if "classify" in t:
        parts.append(
            ("dedup + match queries (classify minus staging)", t["classify"] - t.get("stage", 0.0))
        )
    parts += [
        ("writing each batch (ORM bulk insert, checkpoint, commit)", t.get("write_batch")),
        ("publishing after the last batch (finish)", t.get("finish")),
    ]
    known = sum(v for _, v in parts if v is not None)
    parts.append(("other (job bookkeeping, batching, timers)", total - known))
    finish = [
        ("  of finish: links made meanwhile (apply_links)", t.get("apply_links")),
        ("  of finish: INSERT..SELECT + summaries (materialise)", t.get("materialise")),
        ("    of which rating summaries (apply_delta per product)", t.get("apply_delta")),
        ("  picture links (after_publish -> keep_media_links)", t.get("after_publish")),
    ]
    parts += [(label, value) for label, value in finish if value is not None]
    head = "wall time by step (timers around the service's functions)"
    lines = [f"{head:<60} {'s':>8} {'share':>7} {'us/row':>8}"]
    for label, value in parts:
        if value is None:
            lines.append(f"{label:<60} {'-':>8}")
        else:
            lines.append(
                f"{label:<60} {value:8.2f} {100 * value / total:6.1f}% {1e6 * value / rows:8.0f}"
            )
    lines.append(f"{'total':<60} {total:8.2f} {100.0:6.1f}% {1e6 * total / rows:8.0f}")
    return lines


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--rows", type=int, default=None, help="default 1,000,000 (50,000 with --profile)"
    )
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument(
        "--batch", type=int, default=None, help="import_batch_rows (default: the setting's)"
    )
    parser.add_argument("--regenerate", action="store_true", help="write the CSV again")
    parser.add_argument("--skip-raw", action="store_true", help="no raw baseline")
    parser.add_argument("--profile", action="store_true")
    # internal: the children
    parser.add_argument("--child", choices=("import", "raw"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--shop", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--cprofile", help=argparse.SUPPRESS)
    parser.add_argument("--timers", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "import":
        child_import(args)
        return 0
    if args.child == "raw":
        child_raw(args)
        return 0
    if args.rows is None:
        args.rows = 50_000 if args.profile else 1_000_000
    if args.profile:
        profile(args)
        return 0
    path = ensure_csv(args.rows, args.products, args.regenerate)
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="rd-bench-imports-") as tmp:
        workdir = Path(tmp)
        for backend in backends:
            url = sqlite_url(args.rows) if backend == "sqlite" else postgresql_url()
            results[backend] = bench_backend(backend, url, path, args, workdir)
    report(results, args, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
