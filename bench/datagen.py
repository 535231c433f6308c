"""Benchmark data at scale: 1,000,000 reviews over 10,000 products (the standard size).

``reviewdesk demo`` is built for tens of thousands of rows and creates every product
through the catalogue service; at benchmark scale this generator is used instead. It
migrates an empty database with ``reviewdesk.db.migrate.upgrade``, creates the sellers and
shops through the services, and writes the bulk (products, variants, codes, buyers,
orders, order lines, status timelines, reviews, revisions, helpful votes) in big batches:
``executemany`` on the engine's raw DBAPI connection on SQLite (foreign keys checked
once at the end with ``PRAGMA foreign_key_check``), ``COPY`` through psycopg on
PostgreSQL. Every row obeys the rules: a review only on a delivered order line of the
reviewing buyer, written inside the review window (checked with the services' own
``check_may_review``), one per line, rating 1-5, texts drawn by ``corpus.review``. The
product summaries are computed while generating, then checked (and the shop summaries
filled) by ``check_summaries(..., fix=True)``, the same recompute ``reviewdesk recompute``
runs; PostgreSQL gets ``ANALYZE``.

When several databases need building (``--backend both``) one pass generates the rows and
writes them to all of them. A database that already holds the requested numbers of
reviews and products is reused (migrated to the newest revision first when a migration
was added since it was built); ``regenerate`` rebuilds.

    python bench/datagen.py [--backend sqlite|postgresql|both] [--reviews N] [--products N]
"""

from __future__ import annotations

import argparse
import bisect
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from reviewdesk.config import Settings
from reviewdesk.db.catalog import Product, Shop
from reviewdesk.db.migrate import current_revision, head_revision, upgrade
from reviewdesk.db.reviews import Review
from reviewdesk.demo import corpus
from reviewdesk.demo.loader import order_timeline
from reviewdesk.domain.display import mask_display_name
from reviewdesk.domain.identifiers import normalise_code
from reviewdesk.domain.principals import OPERATOR
from reviewdesk.domain.reviewing import OrderLineFacts, check_may_review
from reviewdesk.services import catalog
from reviewdesk.services.platform import InlineJobs, Platform, open_platform
from reviewdesk.services.ratings import check_summaries
from reviewdesk.services.text import language_of, public_copy

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "build" / "bench"
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "rd_bench"

REVIEW_RATE = 0.75  # share of delivered order lines that get a review
EDIT_RATE = 0.05  # share of reviews edited once (a second revision)
VOTE_RATE = 0.10  # share of reviews with text that got helpful votes
HISTORY_DAYS = 730  # orders placed over the last two years
POPULARITY = 0.8  # Zipf exponent of product popularity within a shop
BATCH_ORDERS = 25_000

# Column order of every table written in bulk.
COLUMNS: dict[str, tuple[str, ...]] = {
    "products": (
        "id", "shop_id", "handle", "title", "brand", "mpn", "description",
        "created_at", "updated_at", "removed_at",
    ),
    "variants": ("id", "shop_id", "product_id", "sku", "title", "created_at", "removed_at"),
    "product_codes": ("id", "shop_id", "product_id", "variant_id", "gtin", "kind", "original"),
    "external_ids": ("id", "shop_id", "product_id", "variant_id", "platform", "value"),
    "buyers": (
        "id", "external_id", "email", "full_name", "nickname", "phone", "address", "created_at",
    ),
    "orders": (
        "id", "shop_id", "buyer_id", "external_id", "status", "placed_at", "shipped_at",
        "delivered_at", "refunded_at", "cancelled_at", "created_at", "updated_at",
    ),
    "order_lines": (
        "id", "shop_id", "order_id", "external_id", "product_id", "variant_id", "quantity",
        "delivered_at",
    ),
    "order_events": ("id", "shop_id", "order_id", "status", "occurred_at", "recorded_at"),
    "reviews": (
        "id", "shop_id", "product_id", "variant_id", "order_line_id", "buyer_id", "source",
        "status", "rating", "title", "body", "public_title", "public_body", "language",
        "reviewer_display", "is_verified", "is_incentivized", "has_text", "photo_count",
        "video_count", "helpful_count", "version", "created_at", "published_at", "edited_at",
        "deleted_at",
    ),
    "review_revisions": (
        "id", "shop_id", "review_id", "version", "rating", "title", "body", "photo_count",
        "video_count", "created_at",
    ),
    "helpful_votes": ("id", "shop_id", "review_id", "voter_key", "created_at"),
    "product_rating_summaries": (
        "product_id", "shop_id", "review_count", "rating_sum",
        "stars_1", "stars_2", "stars_3", "stars_4", "stars_5",
    ),
}  # fmt: skip
# Tables with an id sequence to move past the ids written here (PostgreSQL).
SEQUENCED = [t for t, cols in COLUMNS.items() if cols[0] == "id"]


@dataclass(frozen=True)
class Scale:
    """How much benchmark data to make."""

    reviews: int = 1_000_000
    products: int = 10_000
    seed: int = 2026

    @property
    def buyers(self) -> int:
        """Buyers: about ten reviews each."""
        return max(50, self.reviews // 10)


def sqlite_url(scale: Scale) -> str:
    """The cached SQLite file of ``scale``."""
    return f"sqlite:///{BENCH_DIR / f'reviews-{scale.reviews}-products-{scale.products}.db'}"


def postgresql_url() -> str:
    """The benchmark database on the local PostgreSQL."""
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_BENCH_DB


def bench_settings(url: str, workdir: Path) -> Settings:
    """Settings over ``url`` with media and job files in ``workdir`` (nothing else read)."""
    return Settings(
        database_url=url,
        media_dir=workdir / "media",
        jobs_path=workdir / "jobs.db",
        jobs_immediate=True,
    )


# --------------------------------------------------------------------------------------
# Whether a database is ready
# --------------------------------------------------------------------------------------


def row_counts(url: str) -> dict[str, int] | None:
    """Reviews and products in the database at ``url`` (migrated to the newest revision
    first when it is behind); None when absent or not a reviewdesk database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or not Path(parsed.database).is_file():
            return None
    else:
        admin = create_engine(PG_ADMIN_URL)
        try:
            with admin.connect() as conn:
                found = conn.scalar(
                    text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
                )
        finally:
            admin.dispose()
        if not found:
            return None
    from reviewdesk.db.engine import Database

    db = Database(url)
    try:
        revision = current_revision(db)
        if revision is None:
            return None
        if revision != head_revision():
            # Rows of an older schema: bring them up as any deployment would.
            upgrade(db)
        with db.read() as session:
            return {
                "reviews": int(session.scalar(select(func.count()).select_from(Review)) or 0),
                "products": int(session.scalar(select(func.count()).select_from(Product)) or 0),
                "shop_summaries_filled": int(
                    session.scalar(
                        text("SELECT COALESCE(SUM(review_count), 0) FROM shop_rating_summaries")
                    )
                    or 0
                ),
            }
    except Exception:  # noqa: BLE001 - a half-built or foreign database: rebuild it
        return None
    finally:
        db.dispose()


def is_ready(url: str, scale: Scale) -> bool:
    """True when ``url`` holds exactly the requested data, summaries included."""
    counts = row_counts(url)
    return counts is not None and counts == {
        "reviews": scale.reviews,
        "products": scale.products,
        "shop_summaries_filled": scale.reviews,
    }


def _fresh(url: str) -> None:
    """Remove the database at ``url`` and create it empty."""
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


# --------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------


class Sink:
    """One database being filled: a platform over it and one raw connection for the bulk."""

    def __init__(self, url: str, workdir: Path) -> None:
        self.url = url
        self.platform: Platform = open_platform(bench_settings(url, workdir), jobs=InlineJobs())
        self.dialect = self.platform.db.dialect
        self.seconds = 0.0  # time spent writing (the rest is generation, shared)

    def migrate_and_seed(self) -> tuple[dict[str, int], dict[str, int]]:
        """Migrate; create sellers and shops through the services. Their ids by slug."""
        upgrade(self.platform.db)
        sellers, shops = {}, {}
        for seller in corpus.sellers():
            view = catalog.create_seller(self.platform, OPERATOR, name=seller.name)
            sellers[seller.slug] = view.id
            for member in seller.members:
                catalog.add_member(
                    self.platform, OPERATOR, view.id, email=member.email, name=member.full_name
                )
        for shop in corpus.shops():
            shops[shop.slug] = catalog.create_shop(
                self.platform,
                OPERATOR,
                seller_id=sellers[shop.seller.slug],
                slug=shop.slug,
                name=shop.name,
            ).id
        self.raw = self.platform.db.engine.raw_connection()
        self.conn: Any = self.raw.driver_connection
        if self.dialect == "sqlite":
            # Only this process's raw inserts meet the adapter: SQLAlchemy's own DateTime
            # binds are strings by the time they reach sqlite3.
            sqlite3.register_adapter(datetime, _sqlite_time)
            cur = self.conn.cursor()
            cur.execute("PRAGMA foreign_keys=OFF")  # rows are consistent by construction
            cur.execute("PRAGMA cache_size=-1000000")  # 1 GB page cache for the load
            cur.execute("PRAGMA synchronous=OFF")
            cur.close()
        return sellers, shops

    def write(self, batches: dict[str, list[tuple[Any, ...]]]) -> None:
        """Write one batch of rows per table in one transaction."""
        started = time.perf_counter()
        if self.dialect == "sqlite":
            cur = self.conn.cursor()
            cur.execute("BEGIN")
            for table, rows in batches.items():
                if rows:
                    cols = COLUMNS[table]
                    marks = ", ".join("?" for _ in cols)
                    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})"
                    cur.executemany(sql, rows)
            cur.execute("COMMIT")
            cur.close()
        else:
            with self.conn.cursor() as cur:
                for table, rows in batches.items():
                    if not rows:
                        continue
                    with cur.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as cp:
                        for row in rows:
                            cp.write_row(row)
            self.conn.commit()
        self.seconds += time.perf_counter() - started

    def finish(self) -> int:
        """Sequences, summaries (checked and shop totals filled), statistics. Drift found."""
        started = time.perf_counter()
        if self.dialect == "postgresql":
            with self.conn.cursor() as cur:
                for table in SEQUENCED:
                    cur.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                    )
            self.conn.commit()
        else:
            cur = self.conn.cursor()
            broken = cur.execute("PRAGMA foreign_key_check").fetchmany(5)
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
            if broken:
                raise RuntimeError(f"rows with a broken foreign key: {broken}")
        self.raw.close()
        drifts = check_summaries(self.platform, OPERATOR, fix=True)
        product_drift = sum(1 for d in drifts if d.scope == "product")
        engine = self.platform.db.engine
        if self.dialect == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        else:
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        self.platform.close()
        self.seconds += time.perf_counter() - started
        return product_drift


def _sqlite_time(value: datetime) -> str:
    # SQLAlchemy's SQLite DATETIME text: naive UTC, always with microseconds.
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


# --------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------


def _buyers(rng: random.Random, n: int, now: datetime) -> list[tuple[Any, ...]]:
    """Buyer rows: the demo corpus' people (up to 20,000), then recombinations of them."""
    people = corpus.buyers(rng, min(n, 20_000))
    rows = []
    for i in range(n):
        b = people[i % len(people)]
        if i < len(people):
            given, full, email = b.given_name, b.full_name, b.email
        else:
            other = people[rng.randrange(len(people))]
            given = other.given_name
            full = f"{given} {b.family_name}"
            local, domain = b.email.split("@", 1)
            email = f"{local}.{i}@{domain}"
        rows.append(
            (
                i + 1,
                f"bench-buyer-{i + 1:07d}",
                email,
                full,
                given,
                b.phone,
                f"{b.street}, {b.postal_code} {b.city}, {b.region}, {b.country}",
                now - timedelta(days=HISTORY_DAYS + 30),
            )
        )
    return rows


def _catalogue(
    rng: random.Random, scale: Scale, shops: dict[str, int], now: datetime
) -> tuple[dict[str, list[tuple[Any, ...]]], list[tuple[int, int, tuple[int, ...], Any]]]:
    """Rows of products, variants, codes and external ids; (id, shop, variants, demo) each."""
    products, variants, codes, externals, made = [], [], [], [], []
    created = now - timedelta(days=HISTORY_DAYS + 30)
    for index, p in enumerate(corpus.catalog(rng, scale.products)):
        pid, shop_id = index + 1, shops[p.shop_slug]
        products.append(
            (pid, shop_id, p.slug, p.name, p.brand, None, p.description, created, created, None)
        )
        if index % 3 == 0:
            externals.append(
                (len(externals) + 1, shop_id, pid, None, "shopify_product", str(7_000_000 + index))
            )
        vids = []
        for v in p.variants:
            vid = len(variants) + 1
            vids.append(vid)
            variants.append((vid, shop_id, pid, v.sku, v.option, created, None))
            if v.gtin:
                code = normalise_code(v.gtin)
                codes.append(
                    (len(codes) + 1, shop_id, pid, vid, code.gtin, code.kind.value, code.original)
                )
        made.append((pid, shop_id, tuple(vids), p))
    tables = {
        "products": products,
        "variants": variants,
        "product_codes": codes,
        "external_ids": externals,
    }
    return tables, made


def generate(
    sinks: Sequence[Sink], scale: Scale, log: Callable[[str], None] = print
) -> dict[str, int]:
    """Fill every sink with the same data; row counts per table."""
    rng = random.Random(scale.seed)
    now = datetime.now(UTC).replace(microsecond=0)
    seeded = [sink.migrate_and_seed() for sink in sinks]
    shops = seeded[0][1]
    if any(s[1] != shops for s in seeded):
        raise RuntimeError("the databases gave the shops different ids")
    counts: dict[str, int] = {}

    def write(batches: dict[str, list[tuple[Any, ...]]]) -> None:
        for table, rows in batches.items():
            counts[table] = counts.get(table, 0) + len(rows)
        for sink in sinks:
            sink.write(batches)

    started = time.perf_counter()
    tables, products = _catalogue(rng, scale, shops, now)
    buyer_rows = _buyers(rng, scale.buyers, now)
    write({**tables, "buyers": buyer_rows})
    log(f"  catalogue and {len(buyer_rows):,} buyers in {time.perf_counter() - started:.1f} s")
    nick = [mask_display_name(row[4]) for row in buyer_rows]
    names = [[row[3], row[4]] for row in buyer_rows]

    # Popularity: Zipf within each shop; orders pick a shop by its total weight.
    by_shop: dict[int, list[tuple[int, int, tuple[int, ...], Any]]] = {}
    for product in products:
        by_shop.setdefault(product[1], []).append(product)
    shop_ids = sorted(by_shop)
    shop_cum, product_cum = [], {}
    for shop_id in shop_ids:
        weights = [1 / (rank**POPULARITY) for rank in range(1, len(by_shop[shop_id]) + 1)]
        rng.shuffle(weights)
        product_cum[shop_id] = list(accumulate(weights))
        shop_cum.append(sum(weights))
    shop_cum = list(accumulate(shop_cum))

    policy = sinks[0].platform.review_policy
    window = timedelta(days=policy.review_window_days)
    start = now - timedelta(days=HISTORY_DAYS)
    summaries: dict[int, list[int]] = {p[0]: [0, 0, 0, 0, 0] for p in products}
    next_id = {"orders": 1, "order_lines": 1, "order_events": 1, "reviews": 1}
    next_id.update({"review_revisions": 1, "helpful_votes": 1})
    batch: dict[str, list[tuple[Any, ...]]] = {t: [] for t in next_id}
    n_buyers = len(buyer_rows)
    reviews = 0
    order_no = 0
    while reviews < scale.reviews:
        order_no += 1
        order_id = next_id["orders"]
        next_id["orders"] += 1
        shop_id = shop_ids[bisect.bisect(shop_cum, rng.random() * shop_cum[-1])]
        buyer_id = rng.randrange(n_buyers) + 1
        placed = start + timedelta(seconds=rng.random() * (HISTORY_DAYS - 0.2) * 86400)
        timeline = order_timeline(rng, placed, now)
        status = max(timeline.items(), key=lambda item: item[1])[0]
        delivered_at = timeline.get("delivered")
        ext = f"BENCH-{order_no:08d}"
        batch["orders"].append(
            (
                order_id, shop_id, buyer_id, ext, status, placed, timeline.get("shipped"),
                delivered_at, timeline.get("refunded"), timeline.get("cancelled"), placed,
                max(timeline.values()),
            )
        )  # fmt: skip
        for name, moment in timeline.items():
            batch["order_events"].append(
                (next_id["order_events"], shop_id, order_id, name, moment, moment)
            )
            next_id["order_events"] += 1
        cum = product_cum[shop_id]
        shop_products = by_shop[shop_id]
        picks: dict[int, None] = {}
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            picks[bisect.bisect(cum, rng.random() * cum[-1])] = None
        for position, pick in enumerate(picks, start=1):
            pid, _, vids, demo = shop_products[pick]
            line_id = next_id["order_lines"]
            next_id["order_lines"] += 1
            variant_id = vids[int(rng.random() * len(vids))]
            batch["order_lines"].append(
                (
                    line_id, shop_id, order_id, f"{ext}-{position}", pid, variant_id,
                    rng.choice((1, 1, 1, 2, 3)), delivered_at,
                )
            )  # fmt: skip
            if delivered_at is None or reviews >= scale.reviews or rng.random() >= REVIEW_RATE:
                continue
            latest = min(now, delivered_at + window)
            written = delivered_at + (latest - delivered_at) * rng.random() ** 2
            check_may_review(
                OrderLineFacts(buyer_id, delivered_at),
                buyer_id=buyer_id,
                now=written,
                policy=policy,
                already_reviewed=False,
            )
            drawn = corpus.review(rng, demo)
            review_id = next_id["reviews"]
            next_id["reviews"] += 1
            reviews += 1
            summaries[pid][drawn.rating - 1] += 1
            edited = rng.random() < EDIT_RATE
            has_text = drawn.text is not None
            helpful = 0
            if has_text and rng.random() < VOTE_RATE:
                voters = {
                    rng.randrange(n_buyers) + 1 for _ in range(rng.choice((1, 1, 2, 3, 5, 8)))
                } - {buyer_id}
                for voter in sorted(voters):
                    batch["helpful_votes"].append(
                        (next_id["helpful_votes"], shop_id, review_id, f"buyer:{voter}", written)
                    )
                    next_id["helpful_votes"] += 1
                helpful = len(voters)
            first_rating = drawn.rating
            edited_at = None
            if edited:
                # A buyer who came back: the earlier version was a star lower or higher.
                first_rating = max(1, min(5, drawn.rating + rng.choice((-1, 1))))
                edited_at = min(now, written + timedelta(days=rng.uniform(0.5, 10)))
            known = names[buyer_id - 1]
            language = (
                language_of(" ".join(x for x in (drawn.title, drawn.text) if x)) or drawn.language
                if has_text
                else None
            )
            batch["reviews"].append(
                (
                    review_id, shop_id, pid, variant_id, line_id, buyer_id, "native",
                    "published", drawn.rating, drawn.title, drawn.text,
                    public_copy(drawn.title, known), public_copy(drawn.text, known), language,
                    nick[buyer_id - 1], True, False, has_text, 0, 0, helpful,
                    2 if edited else 1, written, written, edited_at, None,
                )
            )  # fmt: skip
            batch["review_revisions"].append(
                (
                    next_id["review_revisions"], shop_id, review_id, 1, first_rating,
                    drawn.title, drawn.text, 0, 0, written,
                )
            )  # fmt: skip
            next_id["review_revisions"] += 1
            if edited:
                batch["review_revisions"].append(
                    (
                        next_id["review_revisions"], shop_id, review_id, 2, drawn.rating,
                        drawn.title, drawn.text, 0, 0, edited_at,
                    )
                )  # fmt: skip
                next_id["review_revisions"] += 1
        if len(batch["orders"]) >= BATCH_ORDERS or reviews >= scale.reviews:
            write(batch)
            batch = {t: [] for t in batch}
            elapsed = time.perf_counter() - started
            log(f"  {reviews:,} reviews, {order_no:,} orders, {elapsed:.0f} s")
    write(batch)
    rows = [
        (pid, shop_id, sum(h), sum((s + 1) * c for s, c in enumerate(h)), *h)
        for pid, shop_id, _, _ in products
        for h in [summaries[pid]]
    ]
    write({"product_rating_summaries": rows})
    for sink in sinks:
        drift = sink.finish()
        if drift:
            raise RuntimeError(f"{drift} product summaries differed from the recompute")
    return counts


def ensure_databases(
    urls: Iterable[str],
    scale: Scale,
    *,
    regenerate: bool = False,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Make sure each database holds ``scale``; build those that don't in one pass."""
    todo = [url for url in urls if regenerate or not is_ready(url, scale)]
    if not todo:
        log("benchmark data: cached databases hold the requested rows; reusing them")
        return {"generated": [], "seconds": 0.0}
    log(
        f"benchmark data: generating {scale.reviews:,} reviews over {scale.products:,} "
        f"products into {', '.join(_safe(u) for u in todo)}"
    )
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rd-bench-gen-") as workdir:
        for url in todo:
            _fresh(url)
        sinks = [Sink(url, Path(workdir)) for url in todo]
        counts = generate(sinks, scale, log)
    seconds = time.perf_counter() - started
    for url in todo:
        if not is_ready(url, scale):
            raise RuntimeError(f"{_safe(url)} does not hold the requested rows after generating")
    writes = {_safe(s.url): round(s.seconds, 1) for s in sinks}
    log(f"benchmark data: done in {seconds:.0f} s (writing per database, s: {writes})")
    log("  rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    return {"generated": todo, "seconds": seconds, "write_seconds": writes, "counts": counts}


def product_paths(url: str, limit: int | None = None) -> list[tuple[str, str]]:
    """(shop slug, product handle) of listed products, in id order."""
    from reviewdesk.db.engine import Database

    db = Database(url)
    try:
        with db.read() as session:
            query = (
                select(Shop.slug, Product.handle)
                .join(Shop, Shop.id == Product.shop_id)
                .where(Product.removed_at.is_(None))
                .order_by(Product.id)
            )
            if limit:
                query = query.limit(limit)
            return [(slug, handle) for slug, handle in session.execute(query)]
    finally:
        db.dispose()


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args(argv)
    scale = Scale(reviews=args.reviews, products=args.products)
    urls = []
    if args.backend in ("sqlite", "both"):
        urls.append(sqlite_url(scale))
    if args.backend in ("postgresql", "both"):
        urls.append(postgresql_url())
    ensure_databases(urls, scale, regenerate=args.regenerate)
    return 0


if __name__ == "__main__":
    sys.exit(main())
