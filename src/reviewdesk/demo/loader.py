"""``reviewdesk demo``: a realistic platform to try reviewdesk on.

Sellers, shops and products go through the services like any caller's. The bulk (tens of
thousands of orders and reviews) is written with batched inserts so that the demo loads
in seconds; every row still obeys the rules, because each review is checked with the same
eligibility rule the services apply (``check_may_review``), and the rating summaries are
computed at the end by the same recompute that ``reviewdesk recompute`` runs.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Table, bindparam, func, insert, select, text, update

from reviewdesk.config import Settings, get_settings
from reviewdesk.db.catalog import Shop
from reviewdesk.db.migrate import upgrade
from reviewdesk.db.orders import Buyer, Order, OrderEvent, OrderLine
from reviewdesk.db.reviews import HelpfulVote, Review, ReviewMedia, ReviewRevision
from reviewdesk.demo import corpus
from reviewdesk.domain.display import mask_display_name
from reviewdesk.domain.principals import OPERATOR, Role
from reviewdesk.domain.reviewing import OrderLineFacts, ReviewPolicy, check_may_review
from reviewdesk.errors import Conflict
from reviewdesk.services import access, catalog
from reviewdesk.services.catalog import CodeIn, ProductIn, VariantIn
from reviewdesk.services.media import make_thumbnail
from reviewdesk.services.platform import InlineJobs, Platform, open_platform
from reviewdesk.services.ratings import check_summaries
from reviewdesk.services.text import language_of, public_copy

DEMO_DIR = Path("reviewdesk-demo")
REVIEWS: Table = Review.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class DemoScale:
    """How much demo data to make."""

    products: int = 200
    orders: int = 20_000
    reviews: int = 10_000
    photos: int = 150

    @property
    def buyers(self) -> int:
        """Buyers: about six orders each."""
        return max(20, self.orders // 6)


@dataclass
class DemoResult:
    """What was loaded, how long it took, and the tokens to try it with."""

    counts: dict[str, int]
    tokens: dict[str, str]
    seconds: float
    seller_name: str
    buyer_display: str
    buyer_external_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def demo_settings() -> Settings:
    """The configured database when ``REVIEWDESK_DATABASE_URL`` is set, else a fresh SQLite
    file (with its media and job queue) under ``./reviewdesk-demo``."""
    if os.environ.get("REVIEWDESK_DATABASE_URL"):
        return get_settings()
    if DEMO_DIR.exists():
        shutil.rmtree(DEMO_DIR)
    DEMO_DIR.mkdir(parents=True)
    return get_settings().model_copy(
        update={
            "database_url": f"sqlite:///{DEMO_DIR / 'demo.db'}",
            "media_dir": DEMO_DIR / "media",
            "jobs_path": DEMO_DIR / "jobs.db",
        }
    )


def _next_ids(platform: Platform, tables: list[Table]) -> dict[str, int]:
    with platform.db.read() as session:
        return {
            t.name: int(session.scalar(select(func.coalesce(func.max(t.c.id), 0))) or 0) + 1
            for t in tables
        }


def _insert(platform: Platform, table: Table, rows: list[dict[str, Any]]) -> None:
    with platform.db.write() as session:
        for start in range(0, len(rows), 5000):
            session.execute(insert(table), rows[start : start + 5000])


def _reset_sequences(platform: Platform, tables: list[Table]) -> None:
    if platform.db.dialect != "postgresql":
        return
    with platform.db.write() as session:
        for table in tables:
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
                )
            )


def _photo(rng: random.Random, label: str) -> bytes:
    """A small generated picture standing in for a buyer's photo."""
    base = (rng.randint(60, 220), rng.randint(60, 220), rng.randint(60, 220))
    image = Image.new("RGB", (800, 600), base)
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randint(0, 700), rng.randint(0, 500)
        colour = tuple(min(255, c + rng.randint(-60, 60)) for c in base)
        draw.ellipse((x, y, x + rng.randint(60, 200), y + rng.randint(60, 200)), fill=colour)
    draw.text((20, 560), label[:60], fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def load_demo(
    settings: Settings,
    scale: DemoScale | None = None,
    *,
    seed: int = 2026,
    console: Console | None = None,
) -> DemoResult:
    """Migrate the database of ``settings`` and fill it with demo data."""
    scale = scale or DemoScale()
    started = time.perf_counter()
    rng = random.Random(seed)
    platform = open_platform(settings, jobs=InlineJobs())
    try:
        return _load(platform, scale, rng, console or Console(stderr=True), started)
    finally:
        platform.close()


def _load(
    platform: Platform, scale: DemoScale, rng: random.Random, console: Console, started: float
) -> DemoResult:
    upgrade(platform.db)
    with platform.db.read() as session:
        if session.scalar(select(func.count(Shop.id))):
            raise Conflict(
                "database_not_empty",
                "the demo loads only into an empty database; "
                f"{platform.settings.database_url} already has shops",
            )
    progress = Progress(
        TextColumn("{task.description:<18}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    with progress:
        shops, seller_ids = _sellers_and_shops(platform)
        products = _products(platform, scale, rng, shops, progress)
        buyers = corpus.buyers(rng, scale.buyers)
        order_rows = _orders(platform, scale, rng, buyers, products, shops, progress)
        reviewed = _reviews(platform, scale, rng, order_rows, progress)
        _votes(platform, rng, reviewed, len(buyers), progress)
        _photos(platform, scale, rng, reviewed, progress)
        task = progress.add_task("rating summaries", total=1)
        check_summaries(platform, OPERATOR, fix=True)
        progress.advance(task)
    tokens, buyer_display, buyer_ext = _tokens(platform, seller_ids, order_rows, reviewed)
    counts = {
        "sellers": len(seller_ids),
        "shops": len(shops),
        "products": len(products),
        "buyers": len(buyers),
        "orders": len(order_rows["orders"]),
        "order lines": len(order_rows["lines"]),
        "reviews": len(reviewed),
        "photos": min(scale.photos, len(reviewed)),
    }
    return DemoResult(
        counts=counts,
        tokens=tokens,
        seconds=time.perf_counter() - started,
        seller_name=corpus.sellers()[0].name,
        buyer_display=buyer_display,
        buyer_external_id=buyer_ext,
    )


def _sellers_and_shops(platform: Platform) -> tuple[dict[str, int], dict[str, int]]:
    seller_ids: dict[str, int] = {}
    for seller in corpus.sellers():
        view = catalog.create_seller(platform, OPERATOR, name=seller.name)
        seller_ids[seller.slug] = view.id
        for member in seller.members:
            catalog.add_member(
                platform, OPERATOR, view.id, email=member.email, name=member.full_name
            )
    shops = {}
    for shop in corpus.shops():
        shops[shop.slug] = catalog.create_shop(
            platform,
            OPERATOR,
            seller_id=seller_ids[shop.seller.slug],
            slug=shop.slug,
            name=shop.name,
        ).id
    return shops, seller_ids


@dataclass(frozen=True)
class _Product:
    id: int
    shop_id: int
    variant_ids: tuple[int, ...]
    demo: corpus.DemoProduct


def _products(
    platform: Platform,
    scale: DemoScale,
    rng: random.Random,
    shops: dict[str, int],
    progress: Progress,
) -> list[_Product]:
    made = []
    task = progress.add_task("products", total=scale.products)
    for index, product in enumerate(corpus.catalog(rng, scale.products)):
        externals = {"shopify_product": str(7_000_000 + index)} if index % 3 == 0 else {}
        view = catalog.create_product(
            platform,
            OPERATOR,
            shops[product.shop_slug],
            ProductIn(
                handle=product.slug,
                title=product.name,
                brand=product.brand,
                description=product.description,
                external_ids=externals,
                variants=[
                    VariantIn(
                        sku=v.sku, title=v.option, codes=[CodeIn(value=v.gtin)] if v.gtin else []
                    )
                    for v in product.variants
                ],
            ),
        )
        made.append(_Product(view.id, view.shop_id, tuple(v.id for v in view.variants), product))
        progress.advance(task)
    return made


def order_timeline(rng: random.Random, placed: datetime, now: datetime) -> dict[str, datetime]:
    """A plausible status timeline of an order placed at ``placed``, as of ``now``.

    3 % are cancelled; the rest ship within two days and arrive within eight more (when that
    moment has come), 2 % never arrive, and 2.5 % of delivered orders are later refunded.
    """
    roll = rng.random()
    timeline: dict[str, datetime] = {"placed": placed}
    if roll < 0.03:
        timeline["cancelled"] = placed + timedelta(hours=rng.randint(1, 30))
        return timeline
    shipped = placed + timedelta(hours=rng.randint(6, 48))
    delivered = shipped + timedelta(days=rng.uniform(1, 8))
    if shipped < now:
        timeline["shipped"] = shipped
    if delivered < now and roll > 0.05:
        timeline["delivered"] = delivered
        if roll > 0.975:
            refunded = delivered + timedelta(days=rng.uniform(1, 10))
            if refunded < now:
                timeline["refunded"] = refunded
    return timeline


def _orders(
    platform: Platform,
    scale: DemoScale,
    rng: random.Random,
    buyers: list[corpus.DemoBuyer],
    products: list[_Product],
    shops: dict[str, int],
    progress: Progress,
) -> dict[str, list[dict[str, Any]]]:
    now = platform.now()
    tables = [Buyer.__table__, Order.__table__, OrderLine.__table__, OrderEvent.__table__]
    ids = _next_ids(platform, tables)  # type: ignore[arg-type]
    buyer_rows = [
        {
            "id": ids["buyers"] + i,
            "external_id": f"demo-buyer-{i + 1:05d}",
            "email": b.email,
            "full_name": b.full_name,
            "nickname": b.given_name,
            "phone": b.phone,
            "address": f"{b.street}, {b.postal_code} {b.city}, {b.region}, {b.country}",
            "created_at": now - timedelta(days=400),
        }
        for i, b in enumerate(buyers)
    ]
    by_shop: dict[int, list[_Product]] = {}
    for product in products:
        by_shop.setdefault(product.shop_id, []).append(product)
    shop_ids = sorted(by_shop)
    orders: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    task = progress.add_task("orders", total=scale.orders)
    for n in range(scale.orders):
        order_id = ids["orders"] + n
        shop_id = rng.choice(shop_ids)
        buyer = rng.choice(buyer_rows)
        placed = now - timedelta(days=rng.uniform(0.2, 150), minutes=rng.randint(0, 1440))
        timeline = order_timeline(rng, placed, now)
        status = max(timeline.items(), key=lambda item: item[1])[0]
        orders.append(
            {
                "id": order_id,
                "shop_id": shop_id,
                "buyer_id": buyer["id"],
                "external_id": f"DEMO-{n + 1:06d}",
                "status": status,
                "placed_at": placed,
                "shipped_at": timeline.get("shipped"),
                "delivered_at": timeline.get("delivered"),
                "refunded_at": timeline.get("refunded"),
                "cancelled_at": timeline.get("cancelled"),
                "created_at": placed,
                "updated_at": max(timeline.values()),
            }
        )
        for status_name, moment in timeline.items():
            events.append(
                {
                    "id": ids["order_events"] + len(events),
                    "shop_id": shop_id,
                    "order_id": order_id,
                    "status": status_name,
                    "occurred_at": moment,
                    "recorded_at": moment,
                }
            )
        picks = rng.sample(
            by_shop[shop_id], k=min(len(by_shop[shop_id]), rng.choice((1, 1, 1, 2, 2, 3)))
        )
        for position, product in enumerate(picks, start=1):
            lines.append(
                {
                    "id": ids["order_lines"] + len(lines),
                    "shop_id": shop_id,
                    "order_id": order_id,
                    "external_id": f"DEMO-{n + 1:06d}-{position}",
                    "product_id": product.id,
                    "variant_id": rng.choice(product.variant_ids) if product.variant_ids else None,
                    "quantity": rng.choice((1, 1, 1, 2, 3)),
                    "delivered_at": timeline.get("delivered"),
                    "_buyer": buyer,
                    "_product": product,
                }
            )
        progress.advance(task)
    _insert(platform, Buyer.__table__, buyer_rows)  # type: ignore[arg-type]
    _insert(platform, Order.__table__, orders)  # type: ignore[arg-type]
    _insert(
        platform,
        OrderLine.__table__,  # type: ignore[arg-type]
        [{k: v for k, v in row.items() if not k.startswith("_")} for row in lines],
    )
    _insert(platform, OrderEvent.__table__, events)  # type: ignore[arg-type]
    _reset_sequences(platform, tables)  # type: ignore[arg-type]
    return {"buyers": buyer_rows, "orders": orders, "lines": lines}


def _reviews(
    platform: Platform,
    scale: DemoScale,
    rng: random.Random,
    order_rows: dict[str, list[dict[str, Any]]],
    progress: Progress,
) -> list[dict[str, Any]]:
    now = platform.now()
    policy: ReviewPolicy = platform.review_policy
    window = timedelta(days=policy.review_window_days)
    delivered = [line for line in order_rows["lines"] if line["delivered_at"] is not None]
    chosen = rng.sample(delivered, k=min(scale.reviews, len(delivered)))
    tables = [Review.__table__, ReviewRevision.__table__]
    ids = _next_ids(platform, tables)  # type: ignore[arg-type]
    reviews, revisions = [], []
    task = progress.add_task("reviews", total=len(chosen))
    for n, line in enumerate(chosen):
        buyer = line["_buyer"]
        product: _Product = line["_product"]
        latest = min(now, line["delivered_at"] + window)
        written = line["delivered_at"] + (latest - line["delivered_at"]) * rng.random() ** 2
        check_may_review(
            OrderLineFacts(buyer["id"], line["delivered_at"]),
            buyer_id=buyer["id"],
            now=written,
            policy=policy,
            already_reviewed=False,
        )
        drawn = corpus.review(rng, product.demo)
        review_id = ids["reviews"] + n
        names = [buyer["full_name"], buyer["nickname"]]
        edited = rng.random() < 0.05
        row = {
            "id": review_id,
            "shop_id": line["shop_id"],
            "product_id": product.id,
            "variant_id": line["variant_id"],
            "order_line_id": line["id"],
            "buyer_id": buyer["id"],
            "source": "native",
            "status": "published",
            "rating": drawn.rating,
            "title": drawn.title,
            "body": drawn.text,
            "public_title": public_copy(drawn.title, names),
            "public_body": public_copy(drawn.text, names),
            "language": (
                language_of(" ".join(x for x in (drawn.title, drawn.text) if x)) or drawn.language
            )
            if drawn.text
            else None,
            "reviewer_display": mask_display_name(buyer["nickname"]),
            "is_verified": True,
            "is_incentivized": False,
            "has_text": bool(drawn.text),
            "photo_count": 0,
            "video_count": 0,
            "helpful_count": 0,
            "version": 2 if edited else 1,
            "created_at": written,
            "published_at": written,
            "edited_at": None,
            "deleted_at": None,
        }
        first = {
            "shop_id": row["shop_id"],
            "review_id": review_id,
            "version": 1,
            "rating": row["rating"],
            "title": row["title"],
            "body": row["body"],
            "photo_count": 0,
            "video_count": 0,
            "created_at": written,
        }
        revisions.append(first)
        if edited:
            # A buyer who came back: the earlier version was a star lower or higher.
            first["rating"] = max(1, min(5, drawn.rating + rng.choice((-1, 1))))
            row["edited_at"] = min(now, written + timedelta(days=rng.uniform(0.5, 10)))
            revisions.append(
                {**first, "version": 2, "rating": row["rating"], "created_at": row["edited_at"]}
            )
        reviews.append(row)
        progress.advance(task)
    for index, revision in enumerate(revisions):
        revision["id"] = ids["review_revisions"] + index
    _insert(platform, Review.__table__, reviews)  # type: ignore[arg-type]
    _insert(platform, ReviewRevision.__table__, revisions)  # type: ignore[arg-type]
    _reset_sequences(platform, tables)  # type: ignore[arg-type]
    return reviews


def _votes(
    platform: Platform,
    rng: random.Random,
    reviews: list[dict[str, Any]],
    buyer_count: int,
    progress: Progress,
) -> None:
    ids = _next_ids(platform, [HelpfulVote.__table__])  # type: ignore[list-item]
    votes: list[dict[str, Any]] = []
    counts: dict[int, int] = {}
    voted = [r for r in reviews if r["has_text"] and rng.random() < 0.3]
    task = progress.add_task("helpful votes", total=len(voted))
    first_buyer = min(r["buyer_id"] for r in reviews) if reviews else 1
    for review in voted:
        voters = {
            first_buyer + rng.randrange(buyer_count) for _ in range(rng.choice((1, 1, 2, 3, 5, 8)))
        } - {review["buyer_id"]}
        for voter in voters:
            votes.append(
                {
                    "id": ids["helpful_votes"] + len(votes),
                    "shop_id": review["shop_id"],
                    "review_id": review["id"],
                    "voter_key": f"buyer:{voter}",
                    "created_at": review["published_at"],
                }
            )
        counts[review["id"]] = len(voters)
        progress.advance(task)
    _insert(platform, HelpfulVote.__table__, votes)  # type: ignore[arg-type]
    with platform.db.write() as session:
        for start in range(0, len(voted), 2000):
            batch = voted[start : start + 2000]
            session.execute(
                update(REVIEWS)
                .where(REVIEWS.c.id == bindparam("rid"))
                .values(helpful_count=bindparam("n")),
                [{"rid": r["id"], "n": counts[r["id"]]} for r in batch],
            )
    _reset_sequences(platform, [HelpfulVote.__table__])  # type: ignore[list-item]


def _photos(
    platform: Platform,
    scale: DemoScale,
    rng: random.Random,
    reviews: list[dict[str, Any]],
    progress: Progress,
) -> None:
    candidates = [r for r in reviews if r["has_text"] and r["rating"] in (1, 2, 4, 5)]
    chosen = rng.sample(candidates, k=min(scale.photos, len(candidates)))
    task = progress.add_task("photos", total=len(chosen))
    for review in chosen:
        data = _photo(rng, review["public_title"] or "")
        key = f"shop/{review['shop_id']}/review/{review['id']}/demo-{review['id']}.jpg"
        platform.storage.put(key, data, "image/jpeg")
        with platform.db.write() as session:
            media_id = session.execute(
                insert(ReviewMedia)
                .values(
                    shop_id=review["shop_id"],
                    review_id=review["id"],
                    kind="photo",
                    mime="image/jpeg",
                    storage_key=key,
                    size_bytes=len(data),
                    width=800,
                    height=600,
                    created_at=review["published_at"],
                )
                .returning(ReviewMedia.id)
            ).scalar_one()
            session.execute(
                update(REVIEWS)
                .where(REVIEWS.c.id == review["id"])
                .values(photo_count=REVIEWS.c.photo_count + 1)
            )
        make_thumbnail(platform, media_id)
        progress.advance(task)


def _tokens(
    platform: Platform,
    seller_ids: dict[str, int],
    order_rows: dict[str, list[dict[str, Any]]],
    reviews: list[dict[str, Any]],
) -> tuple[dict[str, str], str, str]:
    """Tokens to try the demo with; the buyer has reviews and lines still to review."""
    now = platform.now()
    window = timedelta(days=platform.settings.review_window_days)
    reviewed_lines = {r["order_line_id"] for r in reviews}
    reviewers = {r["buyer_id"] for r in reviews}
    open_lines: dict[int, int] = {}
    for line in order_rows["lines"]:
        delivered = line["delivered_at"]
        if delivered and delivered + window > now and line["id"] not in reviewed_lines:
            open_lines[line["_buyer"]["id"]] = open_lines.get(line["_buyer"]["id"], 0) + 1
    buyer_id = max((b for b in open_lines if b in reviewers), key=lambda b: open_lines[b])
    buyer = next(b for b in order_rows["buyers"] if b["id"] == buyer_id)
    operator, _ = access.create_token(platform, OPERATOR, role=Role.OPERATOR, name="demo")
    seller, _ = access.create_token(
        platform,
        OPERATOR,
        role=Role.SELLER,
        seller_id=seller_ids[corpus.sellers()[0].slug],
        name="demo",
    )
    buyer_token, _ = access.create_token(
        platform, OPERATOR, role=Role.BUYER, buyer_id=buyer_id, name="demo"
    )
    return (
        {"operator": operator, "seller": seller, "buyer": buyer_token},
        mask_display_name(buyer["nickname"]),
        buyer["external_id"],
    )
