"""Exports of a shop's reviews: which reviews, in what public form, in bounded memory."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import event, insert

from builders import World, jpeg_with_gps, refused
from reviewdesk.db.reviews import Review
from reviewdesk.services import catalog, coupons, exports, reviews
from reviewdesk.services.catalog import CodeIn, ProductIn, VariantIn
from reviewdesk.services.coupons import PromotionIn
from reviewdesk.services.reviews import MediaUpload, ReviewView

STRUCTURE_XSD = (
    Path(__file__).parents[1] / "integrations" / "feeds" / "product_reviews_structure.xsd"
)
ELEVEN_WORDS = "The linen is soft and the stitching looks neat after washing"
BASE = "http://127.0.0.1:8000"


def export(world: World, fmt: str, *, actor: str = "seller_a", **options: Any) -> bytes:
    out = io.BytesIO()
    principal = getattr(world, actor).principal
    exports.export_reviews(world.platform, principal, world.shop_a, fmt, out, **options)
    return out.getvalue()


def valid_feed(data: bytes) -> etree._Element:
    """The parsed Google feed, which must be valid against the structural schema."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    schema = etree.XMLSchema(etree.parse(str(STRUCTURE_XSD), parser))
    root = etree.fromstring(data, parser)
    assert schema.validate(root), "\n".join(str(e) for e in schema.error_log)
    return root


def feed_reviews(root: etree._Element) -> dict[int, etree._Element]:
    return {int(r.findtext("review_id")): r for r in root.findall("reviews/review")}


def csv_rows(data: bytes, key: str = "review_id") -> dict[int, dict[str, str]]:
    """The rows of a CSV export by review id (``reviewID`` in the Meta feed)."""
    return {int(r[key]): r for r in csv.DictReader(io.StringIO(data.decode("utf-8")))}


def write(
    world: World, buyer: str, line: str, rating: int = 5, text: str | None = "Good", **extra: Any
) -> ReviewView:
    actor = world.buyer_x if buyer == "x" else world.buyer_y
    return reviews.submit_review(
        world.platform, actor.principal, order_line_id=world.lines[line], rating=rating, text=text,
        **extra,
    )  # fmt: skip


def test_google_feed_validates_and_holds_exactly_the_shops_published_reviews(
    world: World,
) -> None:
    kept = write(world, "x", "seed-x", title="Soft linen", media=[MediaUpload(jpeg_with_gps())])
    deleted = write(world, "y", "seed-y")
    reviews.delete_review(world.platform, world.buyer_y.principal, deleted.id)
    world.deliver("scarf", "x", world.product_a2)
    scarf = write(world, "x", "scarf", rating=3, text="Colours faded a little")
    world.deliver("delisted", "y", world.product_a2)
    world.deliver("jacket", "y", world.product_b, shop=world.shop_b)
    foreign = write(world, "y", "jacket")

    root = valid_feed(export(world, "google"))
    found = feed_reviews(root)
    assert set(found) == {kept.id, scarf.id}
    assert deleted.id not in found and foreign.id not in found
    assert root.findtext("publisher/name") == "Batik House"
    review = found[kept.id]
    assert review.findtext("title") == "Soft linen"
    assert review.findtext("reviewer/name") == "x***a"
    assert review.findtext("is_verified_purchase") == "true"
    assert review.findtext("collection_method") == "post_fulfillment"
    product_url = f"{BASE}/shops/batik-house/products/linen-shirt"
    assert review.findtext("review_url") == f"{product_url}#review-{kept.id}"
    assert review.findtext("products/product/product_url") == product_url
    photo = kept.media[0].id
    assert review.findtext("reviewer_images/reviewer_image/url") == f"{BASE}/media/{photo}"

    catalog.remove_product(world.platform, world.operator.principal, world.shop_a, world.product_a2)
    assert set(feed_reviews(valid_feed(export(world, "google")))) == {kept.id}


def test_google_feed_prefers_gtin_then_brand_and_mpn_then_sku(world: World) -> None:
    tie = catalog.create_product(
        world.platform,
        world.operator.principal,
        world.shop_a,
        ProductIn(handle="silk-tie", title="Silk tie", variants=[VariantIn(sku="ST-1")]),
    )
    kebaya = catalog.create_product(
        world.platform,
        world.operator.principal,
        world.shop_a,
        ProductIn(
            handle="kebaya",
            title="Kebaya",
            brand="Batik House",
            mpn="KB-77",
            variants=[VariantIn(sku="KB-S")],
        ),
    )
    sarong = catalog.create_product(
        world.platform,
        world.operator.principal,
        world.shop_a,
        ProductIn(
            handle="sarong",
            title="Sarong",
            brand="Batik House",
            mpn="SR-1",
            codes=[CodeIn(value="036000291452")],
            variants=[VariantIn(sku="SR-M")],
        ),
    )
    written = {"shirt": write(world, "x", "seed-x")}  # GTIN and two SKUs
    for name, product in (("tie", tie), ("kebaya", kebaya), ("sarong", sarong)):
        world.deliver(name, "x", product.id)
        written[name] = write(world, "x", name)
    world.deliver("scarf", "x", world.product_a2)
    written["scarf"] = write(world, "x", "scarf")  # no identifier at all

    found = feed_reviews(valid_feed(export(world, "google")))

    def ids(name: str) -> dict[str, list[str]]:
        product_ids = found[written[name].id].find("products/product/product_ids")
        if product_ids is None:
            return {}
        return {kind.tag: [v.text or "" for v in kind] for kind in product_ids}

    assert ids("shirt") == {"gtins": ["04006381333931"]}
    assert ids("sarong") == {"gtins": ["00036000291452"]}
    assert ids("kebaya") == {"mpns": ["KB-77"], "brands": ["Batik House"]}
    assert ids("tie") == {"skus": ["ST-1"]}
    assert ids("scarf") == {}


def test_incentivized_review_is_flagged_in_both_feeds_and_labelled(world: World) -> None:
    coupons.create_promotion(
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        PromotionIn(
            name="Photo reviews",
            discount_kind="fixed",
            discount_value=Decimal("5"),
            product_ids=[world.product_a],
            start_at=datetime.now(UTC) - timedelta(days=1),
            end_at=datetime.now(UTC) + timedelta(days=5),
        ),
    )
    rewarded = write(world, "x", "seed-x", text=ELEVEN_WORDS, media=[MediaUpload(jpeg_with_gps())])
    plain = write(world, "y", "seed-y", text="Fine")
    assert reviews.get_review(world.platform, world.buyer_x.principal, rewarded.id).incentivized

    google = feed_reviews(valid_feed(export(world, "google")))
    assert google[rewarded.id].findtext("is_incentivized_review") == "true"
    assert google[plain.id].findtext("is_incentivized_review") == "false"
    meta = csv_rows(export(world, "meta"), key="reviewID")
    assert meta[rewarded.id]["incentivized"] == "true"
    assert meta[plain.id]["incentivized"] == "false"
    seller = csv_rows(export(world, "csv"))
    assert seller[rewarded.id]["labels"].split("\n") == ["Verified purchase", "Incentivized review"]
    assert seller[rewarded.id]["incentivized"] == "true"
    assert seller[plain.id]["labels"] == "Verified purchase"


def test_imported_review_carries_its_source_label_and_is_unsolicited(world: World) -> None:
    now = datetime.now(UTC)
    # No import service yet in this tree's history: the row an importer writes, by hand.
    with world.platform.db.write() as session:
        session.execute(
            insert(Review),
            [
                {
                    "shop_id": world.shop_a,
                    "product_id": world.product_a,
                    "source": "judgeme",
                    "status": "published",
                    "rating": 4,
                    "public_body": "Bought it at the fair, still great",
                    "reviewer_display": "s***i",
                    "is_verified": False,
                    "has_text": True,
                    "created_at": now - timedelta(days=400),
                    "published_at": now - timedelta(days=400),
                }
            ],
        )
    (line,) = [json.loads(line) for line in export(world, "jsonl").splitlines()]
    assert line["source"] == "judgeme"
    assert line["labels"] == ["Review from Judge.me"]
    assert line["reply"] is None and line["categories"] == []
    (review,) = feed_reviews(valid_feed(export(world, "google"))).values()
    assert review.findtext("collection_method") == "unsolicited"
    assert review.findtext("is_verified_purchase") == "false"


def test_seller_csv_neutralises_a_formula_at_the_start_of_a_review(world: World) -> None:
    # (A formula with a URL in it would be held for moderation as a link: not exported.)
    review = write(world, "x", "seed-x", title="=1+2", text='=CMD("calc")|A1 fits well')
    (row,) = csv_rows(export(world, "csv")).values()
    assert row["review_id"] == str(review.id)
    assert row["title"] == "'=1+2"
    assert row["body"].startswith("'=CMD(")
    # The feeds carry the text as written: Google and Meta show it, no spreadsheet runs it.
    (feed_review,) = feed_reviews(valid_feed(export(world, "google"))).values()
    assert feed_review.findtext("title") == "=1+2"


def test_no_export_carries_a_buyers_email_name_phone_or_address(world: World) -> None:
    write(
        world,
        "x",
        "seed-x",
        title="From Xandra Quillfeather",
        text="Write to xandra.quill@example.org or call +6281234567890, Jalan Melati 12.",
    )
    write(world, "y", "seed-y", text="Yusuf here: yusuf.brightwater@example.net")
    secrets = []
    for buyer in world.buyers.values():
        secrets += [buyer.email, buyer.full_name, buyer.phone, buyer.address]
        secrets += (buyer.full_name or "").split()
    for fmt in ("google", "meta", "csv", "jsonl"):
        data = export(world, fmt).decode("utf-8")
        assert "x***a" in data, fmt
        leaked = [s for s in secrets if s and s.lower() in data.lower()]
        assert leaked == [], (fmt, leaked)


def test_urls_start_with_the_public_base_url(world: World) -> None:
    review = write(world, "x", "seed-x")
    (row,) = csv_rows(export(world, "csv", base_url="https://reviews.example/")).values()
    page = "https://reviews.example/shops/batik-house/products/linen-shirt"
    assert row["product_url"] == page
    assert row["review_url"] == f"{page}#review-{review.id}"


def test_a_foreign_seller_or_a_buyer_may_not_export_a_shop(world: World) -> None:
    write(world, "x", "seed-x")
    for actor in ("seller_b", "buyer_x"):
        refused("not_your_shop", export, world, "csv", actor=actor)
    refused("invalid_export_format", export, world, "pdf")
    assert export(world, "jsonl", actor="operator").count(b"\n") == 1


def test_export_streams_the_reviews_in_bounded_memory(world: World) -> None:
    """Thousands of long reviews pass through while far less than their size is held."""
    count, body_chars = 5000, 2000
    now = datetime.now(UTC)
    rows = [
        {
            "shop_id": world.shop_a,
            "product_id": world.product_a if i % 2 else world.product_a2,
            "source": "native",
            "status": "published",
            "rating": 1 + i % 5,
            "public_title": f"Review {i}",
            "public_body": (f"review {i} " + "kain batik halus " * 200)[:body_chars],
            "reviewer_display": "r***a",
            "is_verified": True,
            "has_text": True,
            "created_at": now - timedelta(minutes=i),
            "published_at": now - timedelta(minutes=i),
        }
        for i in range(count)
    ]
    with world.platform.db.write() as session:
        session.execute(insert(Review), rows)
    del rows
    data_size = count * body_chars  # the texts alone, were they all held at once
    bound = 6 * 1024 * 1024
    assert data_size > bound * 1.5  # the bound would catch a full load

    class Sink(io.RawIOBase):
        written = 0

        def writable(self) -> bool:
            return True

        def write(self, data: Any) -> int:
            self.written += len(data)
            return len(data)

    cursors: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "FROM reviews" in statement:
            cursors.append(type(cursor).__name__)

    engine = world.platform.db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        export(world, "google")  # also compiles and caches the statements before measuring
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    # PostgreSQL: a named (server-side) cursor, fetched a partition at a time. SQLite's
    # cursors step through the rows as they are fetched.
    expected = "ServerCursor" if world.platform.db.dialect == "postgresql" else "Cursor"
    assert cursors == [expected]
    for fmt in ("google", "csv"):
        sink = Sink()
        tracemalloc.start()
        try:
            written = exports.export_reviews(
                world.platform,
                world.seller_a.principal,
                world.shop_a,
                fmt,
                sink,  # type: ignore[arg-type]
            )
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert written == count
        assert sink.written > data_size
        assert peak < bound, (fmt, peak)
