"""Benchmark of the Negative Review Rate: a shop with 1,000,000 delivered order lines.

    python bench/nrr.py [--backend sqlite|postgresql|both] [--lines 1000000] [--repeat 15]
        [--regenerate] [--explain]

Data (built once, cached: the SQLite file ``build/bench/nrr-<lines>.db``, the PostgreSQL
database ``rd_bench_nrr`` on 127.0.0.1:5432): the migrated schema, a seller and two shops
made through the services, then in bulk (``executemany`` on SQLite, ``COPY`` on
PostgreSQL): ``--lines`` order lines of the measured shop over 2,000 products (Zipf
popularity), all delivered within the last 60 days, so that the largest window holds every
one of them (the worst case), in orders of 1-3 lines; 30 % of the lines reviewed, 8 % of
those reviews negative (1-2 stars), ~1.5 % of them deleted, removed, rejected, hidden or
held; the text engine's analysis on every negative review (35 % logistics) and on 10 % of
the others; 20,000 imported reviews on no order line. A second shop with a quarter as many
lines delivered over the same days shares the tables. Then ``VACUUM ANALYZE`` / ``ANALYZE``.

Measured in ``--repeat`` interleaved rounds after a warm-up round (so that a disturbance of
this shared machine hits every measurement alike), median and spread, in one process:
``services.nrr.shop_nrr`` (all configured windows, 7/30/60, plus the 61-day daily series,
through the service, its read transaction and the pydantic report) with the clock pinned to
the data's build time; the same for the shop's most-ordered product; the baseline, a bare
``SELECT count(*) FROM order_lines`` over the same table on the same connection pool (the
ratio is the median of per-round ratios to it); and, as a second baseline, the count of the
shop's lines in the largest window (the denominator alone, one index range: on SQLite a bare
``count(*)`` reads page counts, not rows). Goals (issue 6): shop NRR under 300 ms on
PostgreSQL and under 1 s on SQLite. The exit code is 0 even when a goal is missed (this is
a measurement); missed goals are listed.
"""

from __future__ import annotations

import argparse
import bisect
import platform as pyplatform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from datagen import BENCH_DIR, PG_ADMIN_URL, _fresh, _sqlite_time, bench_settings  # noqa: E402
from reviewdesk.db.catalog import Shop  # noqa: E402
from reviewdesk.db.migrate import current_revision, head_revision, upgrade  # noqa: E402
from reviewdesk.db.orders import OrderLine  # noqa: E402
from reviewdesk.domain.nrr import NrrWindows  # noqa: E402
from reviewdesk.domain.principals import OPERATOR  # noqa: E402
from reviewdesk.services import catalog, nrr  # noqa: E402
from reviewdesk.services.platform import InlineJobs, Platform, open_platform  # noqa: E402

PG_DB = "rd_bench_nrr"
SHOP_SLUG = "nrr-bench"
OTHER_SLUG = "nrr-neighbour"
GOALS_MS = {"sqlite": 1000.0, "postgresql": 300.0}

PRODUCTS = 2_000
DAYS = 60
REVIEW_RATE = 0.30
RATINGS = (1, 2, 3, 4, 5)
RATING_WEIGHTS = (0.05, 0.03, 0.07, 0.25, 0.60)  # 8 % negative
# Statuses of reviews besides "published": what the exclusions have to work through.
OTHER_STATUSES = (("deleted", 0.005), ("removed", 0.003), ("rejected", 0.002))
OTHER_STATUSES += (("hidden", 0.0025), ("held", 0.0025))
GROUPS = (("logistics", 0.35), ("product", 0.45), ("service", 0.10), (None, 0.10))
IMPORTED = 20_000
BATCH = 50_000

COLUMNS: dict[str, tuple[str, ...]] = {
    "products": ("id", "shop_id", "handle", "title", "created_at", "updated_at"),
    "buyers": ("id", "external_id", "created_at"),
    "orders": (
        "id", "shop_id", "buyer_id", "external_id", "status", "placed_at", "shipped_at",
        "delivered_at", "created_at", "updated_at",
    ),
    "order_lines": (
        "id", "shop_id", "order_id", "external_id", "product_id", "quantity", "delivered_at",
    ),
    "reviews": (
        "id", "shop_id", "product_id", "order_line_id", "buyer_id", "source", "status",
        "rating", "reviewer_display", "is_verified", "is_incentivized", "has_text",
        "photo_count", "video_count", "helpful_count", "version", "created_at", "published_at",
        "deleted_at",
    ),
    "review_analyses": (
        "review_id", "shop_id", "version", "sentiment", "sentiment_score", "top_category",
        "complaint_group", "categories", "aspects", "flags", "deceptive_score", "analysed_at",
    ),
}  # fmt: skip


def sqlite_url(lines: int) -> str:
    """The cached SQLite file for ``lines`` order lines."""
    return f"sqlite:///{BENCH_DIR / f'nrr-{lines}.db'}"


def postgresql_url() -> str:
    """The benchmark database on the local PostgreSQL."""
    return make_url(PG_ADMIN_URL).set(database=PG_DB).render_as_string(hide_password=False)


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------


def _ready(url: str, lines: int) -> bool:
    """True when ``url`` holds the benchmark shop with exactly ``lines`` order lines."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not Path(parsed.database or "").is_file():
            return False
    else:
        admin = create_engine(PG_ADMIN_URL)
        try:
            with admin.connect() as conn:
                if not conn.scalar(
                    text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": PG_DB}
                ):
                    return False
        finally:
            admin.dispose()
    platform = _platform(url)
    try:
        revision = current_revision(platform.db)
        if revision is None:
            return False
        if revision != head_revision():
            upgrade(platform.db)
        with platform.db.read() as session:
            shop_id = session.scalar(select(Shop.id).where(Shop.slug == SHOP_SLUG))
            if shop_id is None:
                return False
            found = session.scalar(
                select(func.count()).select_from(OrderLine).where(OrderLine.shop_id == shop_id)
            )
        return found == lines
    except Exception:  # noqa: BLE001 - half-built or foreign: rebuild
        return False
    finally:
        platform.close()


def _platform(url: str) -> Platform:
    workdir = Path(tempfile.mkdtemp(prefix="rd-nrr-"))
    return open_platform(bench_settings(url, workdir), jobs=InlineJobs())


def _pick(rng: random.Random, choices: tuple[tuple[Any, float], ...], default: Any) -> Any:
    draw = rng.random()
    for value, share in choices:
        if draw < share:
            return value
        draw -= share
    return default


class _Ids:
    """The next id of each table (rows are written with their ids)."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        value = self.next.get(table, 1)
        self.next[table] = value + 1
        return value


def _shop_rows(
    rng: random.Random, ids: _Ids, shop_id: int, lines: int, products: int, now: datetime
) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
    """Batches of rows of one shop: products, buyers, orders, lines, reviews, analyses."""
    created = now - timedelta(days=400)
    product_ids = [ids("products") for _ in range(products)]
    yield {
        "products": [
            (pid, shop_id, f"p-{pid}", f"Product {pid}", created, created) for pid in product_ids
        ]
    }
    popularity = list(accumulate(1 / (rank + 1) ** 0.8 for rank in range(products)))
    buyers = max(1_000, lines // 10)
    buyer_ids = [ids("buyers") for _ in range(buyers)]
    for start in range(0, buyers, BATCH):
        yield {
            "buyers": [(b, f"nrr-{shop_id}-{b}", created) for b in buyer_ids[start : start + BATCH]]
        }
    made = 0
    while made < lines:
        batch: dict[str, list[tuple[Any, ...]]] = {
            t: [] for t in COLUMNS if t not in ("products", "buyers")
        }
        while made < lines and len(batch["order_lines"]) < BATCH:
            order_id = ids("orders")
            buyer = rng.choice(buyer_ids)
            delivered = now - timedelta(seconds=rng.uniform(1, DAYS * 86_400 - 1))
            placed = delivered - timedelta(days=3)
            batch["orders"].append(
                (
                    order_id, shop_id, buyer, f"o-{order_id}", "delivered", placed,
                    placed + timedelta(hours=20), delivered, placed, delivered,
                )
            )  # fmt: skip
            for n in range(min(rng.choice((1, 1, 1, 2, 2, 3)), lines - made)):
                line_id = ids("order_lines")
                product = product_ids[bisect.bisect(popularity, rng.random() * popularity[-1])]
                batch["order_lines"].append(
                    (line_id, shop_id, order_id, f"l-{n}", product, 1, delivered)
                )
                made += 1
                if rng.random() < REVIEW_RATE:
                    _review(rng, ids, batch, shop_id, product, line_id, buyer, delivered)
        yield batch
    imported: dict[str, list[tuple[Any, ...]]] = {"reviews": [], "review_analyses": []}
    for _ in range(IMPORTED if lines >= 100_000 else lines // 50):
        product = product_ids[bisect.bisect(popularity, rng.random() * popularity[-1])]
        when = now - timedelta(days=rng.uniform(0, 400))
        _review(rng, ids, imported, shop_id, product, None, None, when, source="judgeme")
    yield imported


def _review(
    rng: random.Random,
    ids: _Ids,
    batch: dict[str, list[tuple[Any, ...]]],
    shop_id: int,
    product: int,
    line_id: int | None,
    buyer: int | None,
    delivered: datetime,
    source: str = "native",
) -> None:
    review_id = ids("reviews")
    rating = rng.choices(RATINGS, RATING_WEIGHTS)[0]
    status = _pick(rng, OTHER_STATUSES, "published")
    written = delivered + timedelta(hours=rng.uniform(1, 24 * 10))
    batch["reviews"].append(
        (
            review_id, shop_id, product, line_id, buyer, source, status, rating, "b***r",
            True, False, True, 0, 0, 0, 1, written, written,
            written if status == "deleted" else None,
        )
    )  # fmt: skip
    if rating <= 2 or rng.random() < 0.10:
        group = _pick(rng, GROUPS, None) if rating <= 2 else None
        sentiment = "negative" if rating <= 2 else "positive"
        batch["review_analyses"].append(
            (
                review_id, shop_id, 1, sentiment, -0.6 if rating <= 2 else 0.7,
                f"{group}.other" if group else None, group, "[]", "[]", "[]", 0.0, written,
            )
        )  # fmt: skip


class _Writer:
    """Bulk writes through the engine's raw connection: executemany, or COPY."""

    def __init__(self, platform: Platform) -> None:
        self.dialect = platform.db.dialect
        self.raw = platform.db.engine.raw_connection()
        self.conn: Any = self.raw.driver_connection
        if self.dialect == "sqlite":
            import sqlite3

            sqlite3.register_adapter(datetime, _sqlite_time)
            cur = self.conn.cursor()
            cur.execute("PRAGMA foreign_keys=OFF")  # consistent by construction, checked below
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("PRAGMA cache_size=-1000000")
            cur.close()

    def write(self, batch: dict[str, list[tuple[Any, ...]]]) -> None:
        if self.dialect == "sqlite":
            cur = self.conn.cursor()
            cur.execute("BEGIN")
            for table, rows in batch.items():
                if rows:
                    cols = COLUMNS[table]
                    cur.executemany(
                        f"INSERT INTO {table} ({', '.join(cols)}) "
                        f"VALUES ({', '.join('?' for _ in cols)})",
                        rows,
                    )
            cur.execute("COMMIT")
            cur.close()
            return
        with self.conn.cursor() as cur:
            for table, rows in batch.items():
                if rows:
                    with cur.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as cp:
                        for row in rows:
                            cp.write_row(row)
        self.conn.commit()

    def finish(self) -> None:
        if self.dialect == "sqlite":
            cur = self.conn.cursor()
            broken = cur.execute("PRAGMA foreign_key_check").fetchmany(5)
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("ANALYZE")
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cur.close()
            if broken:
                raise RuntimeError(f"rows with a broken foreign key: {broken}")
            self.raw.close()
            return
        with self.conn.cursor() as cur:
            for table in ("products", "buyers", "orders", "order_lines", "reviews"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
        self.conn.commit()
        self.conn.autocommit = True
        with self.conn.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        self.raw.close()


def build(url: str, lines: int) -> None:
    """Make the benchmark database at ``url`` from scratch."""
    started = time.perf_counter()
    _fresh(url)
    platform = _platform(url)
    upgrade(platform.db)
    seller = catalog.create_seller(platform, OPERATOR, name="NRR bench seller")
    shops = [
        catalog.create_shop(platform, OPERATOR, seller_id=seller.id, slug=slug, name=slug).id
        for slug in (SHOP_SLUG, OTHER_SLUG)
    ]
    now = datetime.now(UTC).replace(microsecond=0)
    rng = random.Random(2026)
    ids = _Ids()
    writer = _Writer(platform)
    for shop_id, count, products in ((shops[0], lines, PRODUCTS), (shops[1], lines // 4, 500)):
        for batch in _shop_rows(rng, ids, shop_id, count, products, now):
            writer.write(batch)
    writer.finish()
    platform.close()
    print(f"  built {_safe(url)} in {time.perf_counter() - started:.0f} s", flush=True)


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


# --------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------


def _rounds(calls: dict[str, Callable[[], Any]], repeat: int) -> dict[str, list[float]]:
    """Wall times (ms) of each call, in ``repeat`` interleaved rounds after one warm-up round,
    so that a disturbance of this shared machine hits every measurement alike."""
    times: dict[str, list[float]] = {name: [] for name in calls}
    for round_ in range(repeat + 1):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            if round_:
                times[name].append((time.perf_counter() - started) * 1000)
    return times


def measure(url: str, repeat: int, explain: bool) -> list[dict[str, Any]]:
    """Time shop NRR, product NRR and the two baselines on the database at ``url``."""
    platform = _platform(url)
    backend = platform.db.dialect
    with platform.db.read() as session:
        shop_id = session.scalar(select(Shop.id).where(Shop.slug == SHOP_SLUG))
        assert shop_id is not None
        # The clock of the data: just after its last delivery.
        latest = session.scalar(
            select(func.max(OrderLine.delivered_at)).where(OrderLine.shop_id == shop_id)
        )
        top_product, top_lines = session.execute(
            select(OrderLine.product_id, func.count())
            .where(OrderLine.shop_id == shop_id)
            .group_by(OrderLine.product_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
    assert latest is not None
    pinned = latest + timedelta(seconds=1)
    platform.now = lambda: pinned  # type: ignore[method-assign]
    windows = NrrWindows(pinned, tuple(platform.settings.nrr_windows))

    def count_all() -> int:
        with platform.db.read() as session:
            return int(session.scalar(text("SELECT count(*) FROM order_lines")) or 0)

    def count_window() -> int:
        with platform.db.read() as session:
            return int(
                session.scalar(
                    select(func.count()).where(
                        OrderLine.shop_id == shop_id,
                        OrderLine.delivered_at >= windows.start(windows.largest),
                        OrderLine.delivered_at <= pinned,
                    )
                )
                or 0
            )

    results: dict[str, Any] = {
        "count_all": count_all(),
        "count_window": count_window(),
        "shop": nrr.shop_nrr(platform, OPERATOR, shop_id),
        "product": nrr.product_nrr(platform, OPERATOR, shop_id, top_product),
    }
    times = _rounds(
        {
            "count_all": count_all,
            "count_window": count_window,
            "shop": lambda: nrr.shop_nrr(platform, OPERATOR, shop_id),
            "product": lambda: nrr.product_nrr(platform, OPERATOR, shop_id, top_product),
        },
        repeat,
    )
    shop = results["shop"]
    largest = shop.windows[-1]
    labels = {
        "count_all": f"bare SELECT count(*) FROM order_lines ({results['count_all']:,} rows)",
        "count_window": f"baseline 2: count(*) of the shop's lines in {windows.largest} days "
        f"({results['count_window']:,}, index range)",
        "shop": f"shop NRR: {len(shop.windows)} windows + {len(shop.daily)}-day series "
        f"({largest.nrr.delivered_order_lines:,} lines, {largest.nrr.negative_reviews:,} "
        "negatives)",
        "product": f"product NRR, most ordered product ({top_lines:,} lines)",
    }
    rows = []
    for name, samples in times.items():
        ratios = [t / base for t, base in zip(samples, times["count_all"], strict=True)]
        rows.append(
            {
                "backend": backend,
                "what": labels[name],
                "median": statistics.median(samples),
                "min": min(samples),
                "max": max(samples),
                "ratio": statistics.median(ratios),
                "goal": GOALS_MS[backend] if name == "shop" else None,
            }
        )
    for w in shop.windows:
        print(
            f"  {backend} shop {w.window_days:>2} d: NRR {w.nrr.percent} % "
            f"({w.nrr.negative_reviews:,}/{w.nrr.delivered_order_lines:,}), "
            f"seller-attributable {w.seller_attributable_nrr.percent} % "
            f"({w.seller_attributable_nrr.negative_reviews:,})"
        )
    if explain:
        _explain(platform, shop_id, pinned)
    platform.close()
    return rows


def _explain(platform: Platform, shop_id: int, now: datetime) -> None:
    """Print the plan of the shop's NRR statement, with the parameters the service sends."""
    from sqlalchemy import event

    windows = NrrWindows(now, tuple(platform.settings.nrr_windows))
    statement = nrr.nrr_statement(windows, shop_id)
    captured: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        captured.append((sql, params))

    engine = platform.db.engine
    event.listen(engine, "before_cursor_execute", capture)
    with engine.connect() as conn:
        conn.execute(statement).fetchall()
    event.remove(engine, "before_cursor_execute", capture)
    sql, params = captured[-1]
    postgresql = platform.db.dialect == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgresql else "EXPLAIN QUERY PLAN "
    with engine.connect() as conn:
        if postgresql:
            conn.exec_driver_sql("SET LOCAL jit = off")  # as the service runs it
        plan = conn.exec_driver_sql(prefix + sql, params).fetchall()
    # The segment CASE makes some lines very long; their start is what matters.
    print("\n".join("    " + " ".join(str(c) for c in row)[:160] for row in plan))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    args = parser.parse_args(argv)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    urls = {"sqlite": sqlite_url(args.lines), "postgresql": postgresql_url()}
    results = []
    for backend in backends:
        url = urls[backend]
        if args.regenerate or not _ready(url, args.lines):
            print(f"building {backend} data ({args.lines:,} lines)...", flush=True)
            build(url, args.lines)
        results += measure(url, args.repeat, args.explain)
    print(
        f"\nNRR, {args.lines:,} delivered order lines in the shop, median of {args.repeat} "
        f"({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {pyplatform.machine()})"
    )
    print("| backend | measurement | median | min-max | ratio to bare count(*) | goal |")
    print("|---|---|---|---|---|---|")
    missed = []
    for row in results:
        goal = row["goal"]
        verdict = (
            "-"
            if goal is None
            else f"< {goal:.0f} ms " + ("met" if row["median"] < goal else "MISSED")
        )
        if goal is not None and row["median"] >= goal:
            missed.append(f"{row['backend']}: {row['what']}")
        print(
            f"| {row['backend']} | {row['what']} | {row['median']:.1f} ms "
            f"| {row['min']:.1f}-{row['max']:.1f} ms | {row['ratio']:.2f} | {verdict} |"
        )
    if missed:
        print("\ngoals missed:\n  " + "\n  ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
