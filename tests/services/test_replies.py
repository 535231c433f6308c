"""The shop's one public reply to a review: compliance, edits, display, exports."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from sqlalchemy import select

from builders import World, refused
from reviewdesk.db.access import AuditEntry
from reviewdesk.db.reviews import Review
from reviewdesk.errors import Conflict, InvalidInput, NotAllowed, NotFound
from reviewdesk.services import catalog, exports, public, replies, reviews
from reviewdesk.services.reviews import ReviewView

APOLOGY = "We're sorry the shirt arrived torn; a replacement ships today."


def review_by(
    world: World, buyer: str = "x", rating: int = 2, text: str | None = None
) -> ReviewView:
    actor = world.buyer_x if buyer == "x" else world.buyer_y
    return reviews.submit_review(
        world.platform,
        actor.principal,
        order_line_id=world.lines[f"seed-{buyer}"],
        rating=rating,
        text=text or "The shirt arrived torn at the seam.",
    )


def audit_of(world: World, action: str) -> list[dict[str, Any]]:
    with world.platform.db.read() as session:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
        return [json.loads(row.detail) for row in rows]


def test_seller_replies_and_reply_shows_with_review_publicly(world: World) -> None:
    review = review_by(world)
    reply = replies.create_reply(world.platform, world.seller_a.principal, review.id, APOLOGY)
    assert reply.text == APOLOGY and reply.warnings == [] and reply.version == 1
    assert not reply.automatic
    for page in (
        public.list_product_reviews(world.platform, "batik-house", "linen-shirt"),
        public.list_shop_reviews(world.platform, "batik-house"),
    ):
        shown = page.items[0].reply
        assert shown is not None and shown.text == APOLOGY
        assert shown.shop_name == "Batik House" and shown.edited_at is None
        # Who wrote it is never public: only the shop's name.
        assert "seller:" not in page.model_dump_json()


def test_operator_may_reply_for_any_shop(world: World) -> None:
    review = review_by(world)
    reply = replies.create_reply(world.platform, world.operator.principal, review.id, APOLOGY)
    assert reply.shop_id == world.shop_a


@pytest.mark.parametrize(
    "text",
    [
        "We will give you a $10 voucher if you change your review to 5 stars.",
        "Kami kasih voucher 50rb kalau kakak ubah ulasan jadi bintang 5 ya.",
        "Shop sẽ tặng mã giảm giá nếu bạn sửa đánh giá thành 5 sao nhé.",
    ],
    ids=["en", "id", "vi"],
)
def test_reply_offering_a_benefit_for_a_better_review_is_refused(world: World, text: str) -> None:
    review = review_by(world)
    error = refused(
        "reply_not_compliant",
        replies.create_reply,
        world.platform,
        world.seller_a.principal,
        review.id,
        text,
    )
    assert isinstance(error, InvalidInput)
    findings = error.extra["findings"]
    blocking = [f for f in findings if f["severity"] == "block"]
    assert [f["rule"] for f in blocking] == ["incentive"]
    finding = blocking[0]
    assert set(finding) == {"rule", "severity", "start", "end", "message", "suggestion"}
    assert 0 <= finding["start"] < finding["end"] <= len(text)
    assert finding["message"] and finding["suggestion"]
    with world.platform.db.read() as session:
        assert session.scalar(select(Review.id).where(Review.id == review.id)) == review.id
    assert (
        public.list_product_reviews(world.platform, "batik-house", "linen-shirt").items[0].reply
        is None
    )


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Please delete this review, we fixed it.", "review_change_request"),
        ("Don't leave reviews like this; contact us on WhatsApp instead.", "redirect"),
        ("Sorry about this, Xandra Quillfeather, we will send a new one.", "personal_data"),
        ("Sorry! Reach us at +6281234567890 and we will fix it.", "personal_data"),
    ],
)
def test_each_blocking_rule_refuses_the_reply(world: World, text: str, rule: str) -> None:
    review = review_by(world)
    error = refused(
        "reply_not_compliant",
        replies.create_reply,
        world.platform,
        world.seller_a.principal,
        review.id,
        text,
    )
    assert rule in {f["rule"] for f in error.extra["findings"] if f["severity"] == "block"}


def test_reply_naming_a_seller_member_is_refused(world: World) -> None:
    seller_id = catalog.get_shop(world.platform, world.operator.principal, world.shop_a).seller_id
    catalog.add_member(
        world.platform,
        world.seller_a.principal,
        seller_id,
        email="wilhelmina@batik.example",
        name="Wilhelmina Okonkwo",
    )
    review = review_by(world)
    error = refused(
        "reply_not_compliant",
        replies.create_reply,
        world.platform,
        world.seller_a.principal,
        review.id,
        "Sorry about the seam. Wilhelmina Okonkwo will send a new shirt.",
    )
    (finding,) = [f for f in error.extra["findings"] if f["rule"] == "personal_data"]
    text = "Sorry about the seam. Wilhelmina Okonkwo will send a new shirt."
    assert "Wilhelmina Okonkwo" in text[finding["start"] : finding["end"]]


def test_warned_reply_is_saved_with_its_warnings(world: World) -> None:
    review = review_by(world, rating=1)
    text = "Thanks for your feedback. Check out our new collection!"
    reply = replies.create_reply(world.platform, world.seller_a.principal, review.id, text)
    rules = {w.rule for w in reply.warnings}
    assert rules == {"no_acknowledgement", "promotional"}
    assert all(w.severity == "warn" for w in reply.warnings)
    stored = replies.get_reply(world.platform, world.seller_a.principal, review.id)
    assert stored.warnings == reply.warnings
    shown = public.list_product_reviews(world.platform, "batik-house", "linen-shirt").items[0]
    assert shown.reply is not None and shown.reply.text == text
    assert "no_acknowledgement" not in shown.model_dump_json()


def test_reply_length_is_limited_to_500_characters(world: World) -> None:
    review = review_by(world, rating=5, text="Lovely shirt.")
    error = refused(
        "reply_too_long",
        replies.create_reply,
        world.platform,
        world.seller_a.principal,
        review.id,
        "Thank you! " + "x" * 490,
    )
    assert error.extra["limit"] == 500 and error.extra["length"] == 501
    exact = "Thank you! " + "x" * 489
    assert (
        len(replies.create_reply(world.platform, world.seller_a.principal, review.id, exact).text)
        == 500
    )


def test_empty_reply_is_refused(world: World) -> None:
    review = review_by(world)
    refused(
        "reply_empty",
        replies.create_reply,
        world.platform,
        world.seller_a.principal,
        review.id,
        "  ",
    )


def test_one_reply_per_review(world: World) -> None:
    review = review_by(world)
    replies.create_reply(world.platform, world.seller_a.principal, review.id, APOLOGY)
    error = refused(
        "reply_exists",
        replies.create_reply,
        world.platform,
        world.seller_a.principal,
        review.id,
        "Sorry again, we are on it.",
    )
    assert isinstance(error, Conflict)


def test_foreign_seller_and_buyers_may_not_reply(world: World) -> None:
    review = review_by(world)
    for actor in (world.seller_b, world.buyer_x, world.buyer_y, world.moderator):
        error = refused(
            "not_your_shop",
            replies.create_reply,
            world.platform,
            actor.principal,
            review.id,
            APOLOGY,
        )
        assert isinstance(error, NotAllowed)
    replies.create_reply(world.platform, world.seller_a.principal, review.id, APOLOGY)
    for call, args in (
        (replies.edit_reply, (review.id, "Sorry, fixed.")),
        (replies.delete_reply, (review.id,)),
        (replies.get_reply, (review.id,)),
    ):
        refused("not_your_shop", call, world.platform, world.seller_b.principal, *args)
        refused("not_your_shop", call, world.platform, world.buyer_x.principal, *args)


def test_moderator_reads_a_reply_with_its_warnings(world: World) -> None:
    review = review_by(world)
    replies.create_reply(world.platform, world.seller_a.principal, review.id, APOLOGY)
    assert replies.get_reply(world.platform, world.moderator.principal, review.id).text == APOLOGY


def test_no_reply_to_a_deleted_or_unpublished_review(world: World) -> None:
    review = review_by(world)
    other = review_by(world, buyer="y")
    reviews.delete_review(world.platform, world.buyer_x.principal, review.id)
    error = refused(
        "review_not_found",
        replies.create_reply,
        world.platform,
        world.seller_a.principal,
        review.id,
        APOLOGY,
    )
    assert isinstance(error, NotFound)
    # A review waiting for a moderator is not public, so it cannot be answered publicly.
    with world.platform.db.write() as session:
        held = session.get(Review, other.id)
        assert held is not None
        held.status = "held"
    refused(
        "review_not_published",
        replies.create_reply,
        world.platform,
        world.seller_a.principal,
        other.id,
        APOLOGY,
    )


def test_edit_is_checked_again_and_keeps_the_previous_text_in_the_audit_log(world: World) -> None:
    review = review_by(world)
    replies.create_reply(world.platform, world.seller_a.principal, review.id, APOLOGY)
    refused(
        "reply_not_compliant",
        replies.edit_reply,
        world.platform,
        world.seller_a.principal,
        review.id,
        "Sorry! Please update your review to 5 stars now.",
    )
    assert replies.get_reply(world.platform, world.seller_a.principal, review.id).text == APOLOGY
    edited = replies.edit_reply(
        world.platform, world.seller_a.principal, review.id, "Sorry, the replacement is out."
    )
    assert edited.version == 2 and edited.updated_at >= edited.created_at
    (entry,) = audit_of(world, "reply.edit")
    assert entry["previous"] == APOLOGY and entry["text"] == "Sorry, the replacement is out."
    shown = public.list_product_reviews(world.platform, "batik-house", "linen-shirt").items[0]
    assert shown.reply is not None and shown.reply.text == "Sorry, the replacement is out."
    assert shown.reply.edited_at is not None
    same = replies.edit_reply(
        world.platform, world.seller_a.principal, review.id, "Sorry, the replacement is out."
    )
    assert same.version == 2


def test_edit_or_delete_without_a_reply_is_refused(world: World) -> None:
    review = review_by(world)
    refused(
        "reply_not_found",
        replies.edit_reply,
        world.platform,
        world.seller_a.principal,
        review.id,
        APOLOGY,
    )
    refused(
        "reply_not_found", replies.delete_reply, world.platform, world.seller_a.principal, review.id
    )


def test_deleted_reply_leaves_the_page_and_stays_in_the_audit_log(world: World) -> None:
    review = review_by(world)
    replies.create_reply(world.platform, world.seller_a.principal, review.id, APOLOGY)
    replies.delete_reply(world.platform, world.seller_a.principal, review.id)
    shown = public.list_product_reviews(world.platform, "batik-house", "linen-shirt").items[0]
    assert shown.reply is None
    assert audit_of(world, "reply.delete")[0]["text"] == APOLOGY
    # The review can be answered again.
    replies.create_reply(world.platform, world.seller_a.principal, review.id, APOLOGY)


def test_replying_never_changes_the_buyers_review(world: World) -> None:
    review = review_by(world)
    seller = world.seller_a.principal
    replies.create_reply(world.platform, seller, review.id, APOLOGY)
    replies.edit_reply(world.platform, seller, review.id, "Sorry, a new shirt is on its way.")
    replies.delete_reply(world.platform, seller, review.id)
    after = reviews.get_review(world.platform, world.buyer_x.principal, review.id)
    assert (after.rating, after.text, after.version, after.edited, after.status) == (
        review.rating,
        review.text,
        review.version,
        False,
        "published",
    )
    refused("buyer_only", reviews.edit_review, world.platform, seller, review.id, rating=5)
    refused("buyer_only", reviews.delete_review, world.platform, seller, review.id)


def test_a_page_reads_its_replies_in_one_statement(world: World, monkeypatch: Any) -> None:
    ids = [review_by(world).id, review_by(world, buyer="y", rating=4, text="Fine.").id]
    for n in range(3):
        line = world.deliver(f"more-{n}", "x", world.product_a)
        ids.append(
            reviews.submit_review(
                world.platform, world.buyer_x.principal, order_line_id=line, rating=3
            ).id
        )
    answered = {ids[0], ids[3]}
    for rid in answered:
        replies.create_reply(world.platform, world.seller_a.principal, rid, f"Sorry! ({rid})")
    calls: list[Any] = []
    fetch = world.platform.db.fetch_prepared

    def counting(key: Any, build: Any, params: dict[str, Any]) -> list[Any]:
        calls.append(key)
        return fetch(key, build, params)

    monkeypatch.setattr(world.platform.db, "fetch_prepared", counting)
    for limit in (5, 3, 1):
        calls.clear()
        page = public.list_product_reviews(
            world.platform, "batik-house", "linen-shirt", limit=limit
        )
        assert [k for k in calls if k[0] == "replies"] == [
            ("replies", 1 << (limit - 1).bit_length())
        ]
        for item in page.items:
            expected = f"Sorry! ({item.id})" if item.id in answered else None
            assert (item.reply.text if item.reply else None) == expected


def test_exports_carry_the_reply(world: World) -> None:
    review = review_by(world)
    other = review_by(world, buyer="y", rating=5, text="Great.")
    replies.create_reply(world.platform, world.seller_a.principal, review.id, APOLOGY)
    out = io.BytesIO()
    exports.export_reviews(world.platform, world.seller_a.principal, world.shop_a, "jsonl", out)
    lines = {r["review_id"]: r for r in map(json.loads, out.getvalue().decode().splitlines())}
    assert lines[review.id]["reply"] == APOLOGY and lines[review.id]["reply_at"]
    assert lines[other.id]["reply"] is None and lines[other.id]["reply_at"] is None
