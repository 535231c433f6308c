"""Who may review, and what happens when reviews are written, edited and deleted."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from builders import World, jpeg_with_gps, refused
from reviewdesk.db.access import AuditEntry
from reviewdesk.domain.principals import OPERATOR
from reviewdesk.errors import Conflict, InvalidInput, NotAllowed, NotFound
from reviewdesk.services import orders, public, reviews
from reviewdesk.services.orders import OrderEventIn
from reviewdesk.services.ratings import check_summaries
from reviewdesk.services.reviews import MediaUpload


def test_buyer_reviews_delivered_line_and_summary_follows(world: World) -> None:
    review = reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=4,
        text="Soft linen, true to size.",
    )
    assert review.verified and not review.edited and review.status == "published"
    summary = public.product_summary(world.platform, "batik-house", "linen-shirt")
    assert summary.rating.count == 1 and summary.rating.average == 4.0
    assert summary.rating.histogram == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0}
    assert public.shop_summary(world.platform, "batik-house").rating.count == 1


def test_review_refused_for_another_buyers_line(world: World) -> None:
    error = refused(
        "not_your_order",
        reviews.submit_review,
        world.platform,
        world.buyer_y.principal,
        order_line_id=world.lines["seed-x"],
        rating=5,
    )
    assert isinstance(error, NotAllowed)


def test_review_refused_before_delivery(world: World) -> None:
    line = world.deliver("undelivered", "x", world.product_a, delivered_days_ago=None)
    refused(
        "not_delivered",
        reviews.submit_review,
        world.platform,
        world.buyer_x.principal,
        order_line_id=line,
        rating=5,
    )


def test_review_refused_after_window_closes(world: World) -> None:
    line = world.deliver("old", "x", world.product_a, placed_days_ago=80, delivered_days_ago=61)
    error = refused(
        "review_window_closed",
        reviews.submit_review,
        world.platform,
        world.buyer_x.principal,
        order_line_id=line,
        rating=5,
    )
    assert isinstance(error, Conflict)
    inside = world.deliver(
        "recent", "x", world.product_a, placed_days_ago=80, delivered_days_ago=59
    )
    assert (
        reviews.submit_review(
            world.platform, world.buyer_x.principal, order_line_id=inside, rating=5
        ).rating
        == 5
    )


def test_second_review_of_same_line_refused(world: World) -> None:
    reviews.submit_review(
        world.platform, world.buyer_x.principal, order_line_id=world.lines["seed-x"], rating=5
    )
    refused(
        "already_reviewed",
        reviews.submit_review,
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=3,
    )


@pytest.mark.parametrize("rating", [0, 6, -1, 3.5, "5", None, True])
def test_rating_must_be_whole_number_one_to_five(world: World, rating: object) -> None:
    error = refused(
        "invalid_rating",
        reviews.submit_review,
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=rating,
    )
    assert isinstance(error, InvalidInput)


def test_text_policy_requires_text_for_configured_ratings(world: World) -> None:
    world.platform.settings = world.platform.settings.model_copy(
        update={"review_text_required_ratings": [1, 2], "review_text_min_chars": 10}
    )
    refused(
        "text_required",
        reviews.submit_review,
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=1,
        text="   ",
    )
    refused(
        "text_too_short",
        reviews.submit_review,
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=2,
        text="bad",
    )
    assert (
        reviews.submit_review(
            world.platform, world.buyer_x.principal, order_line_id=world.lines["seed-x"], rating=5
        ).text
        is None
    )


def test_refund_never_removes_review(world: World) -> None:
    review = reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=2,
        text="Tore",
    )
    from datetime import UTC, datetime

    orders.record_event(
        world.platform,
        OPERATOR,
        world.shop_a,
        world.orders["seed-x"],
        OrderEventIn(status="refunded", occurred_at=datetime.now(UTC)),
    )
    assert (
        reviews.get_review(world.platform, world.buyer_x.principal, review.id).status == "published"
    )
    assert public.product_summary(world.platform, "batik-house", "linen-shirt").rating.count == 1


def test_edit_keeps_history_and_seller_sees_edited(world: World) -> None:
    review = reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=2,
        text="Arrived late",
    )
    reviews.edit_review(
        world.platform,
        world.buyer_x.principal,
        review.id,
        rating=4,
        text="Arrived late but the shirt is lovely",
    )
    as_seller = reviews.get_review(world.platform, world.seller_a.principal, review.id)
    assert as_seller.edited and as_seller.version == 2 and as_seller.rating == 4
    history = reviews.review_history(world.platform, world.seller_a.principal, review.id)
    assert [(h.version, h.rating, h.text) for h in history] == [
        (1, 2, "Arrived late"),
        (2, 4, "Arrived late but the shirt is lovely"),
    ]
    rating = public.product_summary(world.platform, "batik-house", "linen-shirt").rating
    assert rating.histogram["2"] == 0 and rating.histogram["4"] == 1 and rating.average == 4.0


def test_only_author_edits_or_deletes(world: World) -> None:
    review = reviews.submit_review(
        world.platform, world.buyer_x.principal, order_line_id=world.lines["seed-x"], rating=5
    )
    refused(
        "not_your_review",
        reviews.edit_review,
        world.platform,
        world.buyer_y.principal,
        review.id,
        rating=1,
    )
    refused(
        "buyer_only",
        reviews.edit_review,
        world.platform,
        world.seller_a.principal,
        review.id,
        rating=1,
    )
    refused(
        "buyer_only", reviews.delete_review, world.platform, world.seller_a.principal, review.id
    )
    refused(
        "not_your_review", reviews.delete_review, world.platform, world.buyer_y.principal, review.id
    )


def test_delete_hides_review_keeps_audit_and_frees_line(world: World) -> None:
    review = reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=1,
        text="Never again",
    )
    reviews.delete_review(world.platform, world.buyer_x.principal, review.id)
    page = public.list_product_reviews(world.platform, "batik-house", "linen-shirt")
    assert page.items == []
    assert public.product_summary(world.platform, "batik-house", "linen-shirt").rating.count == 0
    with world.platform.db.read() as session:
        detail = session.scalars(
            select(AuditEntry.detail).where(
                AuditEntry.action == "review.delete", AuditEntry.subject_id == review.id
            )
        ).one()
    assert "Never again" in detail
    refused(
        "review_not_found", reviews.get_review, world.platform, world.buyer_x.principal, review.id
    )
    again = reviews.submit_review(
        world.platform, world.buyer_x.principal, order_line_id=world.lines["seed-x"], rating=3
    )
    assert again.id != review.id
    assert check_summaries(world.platform, OPERATOR) == []


def test_photo_stored_without_location_and_thumbnail_made(world: World) -> None:
    review = reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=5,
        text="Look",
        media=[MediaUpload(jpeg_with_gps(), "IMG_0001.JPG")],
    )
    assert len(review.media) == 1
    media = review.media[0]
    key, mime = public.public_media(world.platform, media.id, thumbnail=False)
    stored = Image.open(io.BytesIO(world.platform.storage.get(key)))
    assert mime == "image/jpeg"
    assert 0x8825 not in stored.getexif() and not stored.getexif()
    thumb_key, _ = public.public_media(world.platform, media.id, thumbnail=True)
    thumb = Image.open(io.BytesIO(world.platform.storage.get(thumb_key)))
    assert max(thumb.size) <= 320
    listed = public.list_product_reviews(world.platform, "batik-house", "linen-shirt").items[0]
    assert listed.media[0].thumbnail_url == f"/media/{media.id}/thumbnail"


def test_upload_typed_by_content_not_name(world: World) -> None:
    refused(
        "unsupported_media_type",
        reviews.submit_review,
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=5,
        media=[MediaUpload(b"MZ\x90\x00 not a picture" * 20, "holiday.jpg")],
    )
    # Nothing was written: the line can still be reviewed, no file left behind.
    assert (
        reviews.submit_review(
            world.platform, world.buyer_x.principal, order_line_id=world.lines["seed-x"], rating=5
        ).media
        == []
    )
    media_dir = world.platform.settings.media_dir
    assert not media_dir.exists() or not any(p.is_file() for p in media_dir.rglob("*"))


def test_photo_count_limit(world: World) -> None:
    world.platform.settings = world.platform.settings.model_copy(update={"max_photos": 2})
    photos = [MediaUpload(jpeg_with_gps((50, 50)), f"{i}.jpg") for i in range(3)]
    refused(
        "too_many_photos",
        reviews.submit_review,
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=5,
        media=photos,
    )


def test_helpful_vote_once_per_voter(world: World) -> None:
    review = reviews.submit_review(
        world.platform, world.buyer_x.principal, order_line_id=world.lines["seed-x"], rating=5
    )
    vote = reviews.vote_helpful(world.platform, world.buyer_y.principal, review.id)
    assert vote.helpful_count == 1
    refused(
        "already_voted", reviews.vote_helpful, world.platform, world.buyer_y.principal, review.id
    )
    refused("own_review", reviews.vote_helpful, world.platform, world.buyer_x.principal, review.id)
    assert (
        reviews.withdraw_vote(world.platform, world.buyer_y.principal, review.id).helpful_count == 0
    )


def test_removed_product_hides_reviews_and_relisting_starts_empty(world: World) -> None:
    from reviewdesk.services import catalog
    from reviewdesk.services.catalog import CodeIn, ProductIn

    reviews.submit_review(
        world.platform, world.buyer_x.principal, order_line_id=world.lines["seed-x"], rating=5
    )
    catalog.remove_product(world.platform, world.seller_a.principal, world.shop_a, world.product_a)
    with pytest.raises(NotFound):
        public.list_product_reviews(world.platform, "batik-house", "linen-shirt")
    assert public.shop_summary(world.platform, "batik-house").rating.count == 0
    catalog.create_product(
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        ProductIn(handle="linen-shirt", title="Linen shirt", codes=[CodeIn(value="4006381333931")]),
    )
    relisted = public.product_summary(world.platform, "batik-house", "linen-shirt")
    assert relisted.rating.count == 0
    assert public.list_product_reviews(world.platform, "batik-house", "linen-shirt").items == []
    assert check_summaries(world.platform, OPERATOR) == []


def test_personal_data_in_review_text_is_masked_in_public(world: World) -> None:
    text = (
        "Great shirt. Xandra Quillfeather here, write to xandra.q@example.org or call "
        "+62 812 3456 7890 if you want to swap sizes."
    )
    review = reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=5,
        text=text,
    )
    assert review.text == text  # the author (and moderators) keep the original
    shown = public.list_product_reviews(world.platform, "batik-house", "linen-shirt").items[0]
    assert shown.text is not None
    for secret in ("Xandra", "Quillfeather", "xandra.q@example.org", "3456"):
        assert secret not in shown.text
    assert "[email]" in shown.text and "[phone]" in shown.text
    assert shown.language == "en"
