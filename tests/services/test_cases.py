"""Private cases between a shop and the buyer of a negative or neutral review."""

from __future__ import annotations

import io

import pytest

from builders import World, refused
from reviewdesk.db.moderation import ReviewAnalysis
from reviewdesk.db.reviews import Review
from reviewdesk.domain.cases import MAX_MESSAGE_CHARS, CaseStatus
from reviewdesk.errors import Conflict, NotAllowed
from reviewdesk.services import cases, imports, public, reviews
from reviewdesk.services.cases import CaseView
from reviewdesk.services.reviews import ReviewView

FIRST = "We're sorry about the torn seam. Could you send us a photo of it?"


def review_by(world: World, buyer: str = "x", rating: int = 2) -> ReviewView:
    actor = world.buyer_x if buyer == "x" else world.buyer_y
    return reviews.submit_review(
        world.platform,
        actor.principal,
        order_line_id=world.lines[f"seed-{buyer}"],
        rating=rating,
        text="The shirt arrived torn at the seam." if rating <= 3 else "Lovely shirt, fits well.",
    )


def opened(world: World, rating: int = 2) -> tuple[ReviewView, CaseView]:
    review = review_by(world, rating=rating)
    return review, cases.open_case(world.platform, world.seller_a.principal, review.id, FIRST)


def analysed(world: World, review_id: int, sentiment: str, *, stale: bool = False) -> None:
    """Make the stored analysis of the review say ``sentiment`` (of an older version when
    ``stale``), whatever the text engine read."""
    with world.platform.db.write() as session:
        review = session.get(Review, review_id)
        assert review is not None
        row = session.get(ReviewAnalysis, review_id)
        if row is None:
            row = ReviewAnalysis(review_id=review.id, shop_id=review.shop_id, sentiment_score=0.0)
            session.add(row)
        row.version = review.version - 1 if stale else review.version
        row.sentiment = sentiment


def test_seller_opens_a_case_for_a_negative_review(world: World) -> None:
    review, case = opened(world)
    assert case.review_id == review.id and case.shop_name == "Batik House"
    assert case.status is CaseStatus.WAITING_FOR_BUYER and case.resolution is None
    assert [(m.author, m.text) for m in case.messages] == [("seller", FIRST)]


@pytest.mark.parametrize("rating", [1, 2, 3])
def test_case_allowed_for_one_to_three_stars(world: World, rating: int) -> None:
    _, case = opened(world, rating=rating)
    assert case.rating == rating


@pytest.mark.parametrize("rating", [4, 5])
def test_case_refused_for_a_positive_review(world: World, rating: int) -> None:
    review = review_by(world, rating=rating)
    error = refused(
        "review_not_negative",
        cases.open_case,
        world.platform,
        world.seller_a.principal,
        review.id,
        FIRST,
    )
    assert isinstance(error, Conflict)


@pytest.mark.parametrize("sentiment", ["negative", "neutral"])
def test_case_allowed_for_a_high_rating_read_as_negative_or_neutral(
    world: World, sentiment: str
) -> None:
    review = review_by(world, rating=4)
    analysed(world, review.id, sentiment)
    case = cases.open_case(world.platform, world.seller_a.principal, review.id, FIRST)
    assert case.rating == 4


def test_stale_or_positive_analysis_does_not_open_a_case(world: World) -> None:
    review = review_by(world, rating=5)
    analysed(world, review.id, "positive")
    refused(
        "review_not_negative",
        cases.open_case,
        world.platform,
        world.seller_a.principal,
        review.id,
        FIRST,
    )
    other = review_by(world, buyer="y", rating=5)
    reviews.edit_review(world.platform, world.buyer_y.principal, other.id, text="Now it's fine.")
    analysed(world, other.id, "negative", stale=True)
    refused(
        "review_not_negative",
        cases.open_case,
        world.platform,
        world.seller_a.principal,
        other.id,
        FIRST,
    )


def test_one_case_per_review(world: World) -> None:
    review, case = opened(world)
    error = refused(
        "case_exists",
        cases.open_case,
        world.platform,
        world.seller_a.principal,
        review.id,
        "Hello again.",
    )
    assert error.extra["case_id"] == case.id


def test_case_refused_for_an_imported_review(world: World) -> None:
    csv = (
        "id,title,body,rating,review_date,reviewer_name,product_handle,verified\n"
        "c-1,Shirt,Torn,2,2024-03-07,An,linen-shirt,buyer\n"
    )
    imports.create_import(
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        io.BytesIO(csv.encode()),
        "judgeme.csv",
        imports.ImportOptions(source="judgeme", fetch_media=False),
    )
    page = public.list_product_reviews(
        world.platform,
        "batik-house",
        "linen-shirt",
        filters=public.ReviewFilters(imported=True),
    )
    (imported,) = page.items
    refused(
        "review_not_native",
        cases.open_case,
        world.platform,
        world.seller_a.principal,
        imported.id,
        FIRST,
    )


def test_case_refused_for_a_deleted_or_unpublished_review(world: World) -> None:
    review = review_by(world)
    reviews.delete_review(world.platform, world.buyer_x.principal, review.id)
    refused(
        "review_not_found",
        cases.open_case,
        world.platform,
        world.seller_a.principal,
        review.id,
        FIRST,
    )
    other = review_by(world, buyer="y")
    with world.platform.db.write() as session:
        held = session.get(Review, other.id)
        assert held is not None
        held.status = "held"
    refused(
        "review_not_published",
        cases.open_case,
        world.platform,
        world.seller_a.principal,
        other.id,
        FIRST,
    )


def test_only_the_shops_staff_open_a_case(world: World) -> None:
    review = review_by(world)
    for actor in (world.seller_b, world.buyer_x, world.buyer_y, world.moderator):
        error = refused(
            "not_your_shop",
            cases.open_case,
            world.platform,
            actor.principal,
            review.id,
            FIRST,
        )
        assert isinstance(error, NotAllowed)
    assert cases.open_case(world.platform, world.operator.principal, review.id, FIRST).id


def test_messages_set_the_status(world: World) -> None:
    _, case = opened(world)
    case = cases.add_message(world.platform, world.buyer_x.principal, case.id, "Photo sent.")
    assert case.status is CaseStatus.OPEN
    case = cases.add_message(
        world.platform, world.seller_a.principal, case.id, "Thanks, a new one ships today."
    )
    assert case.status is CaseStatus.WAITING_FOR_BUYER
    assert [m.author for m in case.messages] == ["seller", "buyer", "seller"]


def test_only_the_two_parties_write_and_moderators_read(world: World) -> None:
    _, case = opened(world)
    refused(
        "not_your_case", cases.add_message, world.platform, world.buyer_y.principal, case.id, "Hi"
    )
    refused(
        "not_your_shop", cases.add_message, world.platform, world.seller_b.principal, case.id, "Hi"
    )
    refused(
        "not_case_party",
        cases.add_message,
        world.platform,
        world.moderator.principal,
        case.id,
        "Hi",
    )
    refused("not_your_case", cases.get_case, world.platform, world.buyer_y.principal, case.id)
    refused("not_your_shop", cases.get_case, world.platform, world.seller_b.principal, case.id)
    for actor in (world.buyer_x, world.seller_a, world.moderator, world.operator):
        assert cases.get_case(world.platform, actor.principal, case.id).messages[0].text == FIRST
    refused("case_not_found", cases.get_case, world.platform, world.seller_a.principal, 999_999)


def test_resolving_needs_a_resolution_from_the_shop(world: World) -> None:
    _, case = opened(world)
    refused(
        "invalid_resolution",
        cases.resolve_case,
        world.platform,
        world.seller_a.principal,
        case.id,
        "voucher",
    )
    refused(
        "seller_only",
        cases.resolve_case,
        world.platform,
        world.buyer_x.principal,
        case.id,
        "refund",
    )
    refused(
        "seller_only",
        cases.resolve_case,
        world.platform,
        world.moderator.principal,
        case.id,
        "refund",
    )
    refused(
        "not_your_shop",
        cases.resolve_case,
        world.platform,
        world.seller_b.principal,
        case.id,
        "refund",
    )
    resolved = cases.resolve_case(world.platform, world.seller_a.principal, case.id, "replacement")
    assert resolved.status is CaseStatus.RESOLVED and resolved.resolution == "replacement"
    assert resolved.resolved_at is not None
    refused(
        "case_resolved",
        cases.resolve_case,
        world.platform,
        world.seller_a.principal,
        case.id,
        "refund",
    )


@pytest.mark.parametrize(
    ("party", "status"), [("buyer_x", CaseStatus.OPEN), ("seller_a", CaseStatus.WAITING_FOR_BUYER)]
)
def test_a_new_message_reopens_a_resolved_case(
    world: World, party: str, status: CaseStatus
) -> None:
    _, case = opened(world)
    cases.resolve_case(world.platform, world.seller_a.principal, case.id, "refund")
    actor = getattr(world, party).principal
    reopened = cases.add_message(world.platform, actor, case.id, "About the refund: thanks.")
    assert reopened.status is status
    assert reopened.resolution is None and reopened.resolved_at is None
    again = cases.resolve_case(world.platform, world.seller_a.principal, case.id, "explanation")
    assert again.resolution == "explanation"


@pytest.mark.parametrize(
    "text",
    [
        "We will refund you in full if you delete your review.",
        "Kami kasih voucher 50rb kalau kakak ubah ulasan jadi bintang 5 ya.",
        "Shop sẽ tặng mã giảm giá nếu bạn sửa đánh giá thành 5 sao nhé.",
    ],
    ids=["en", "id", "vi"],
)
def test_seller_may_not_buy_a_better_review_in_private(world: World, text: str) -> None:
    review = review_by(world)
    error = refused(
        "message_not_compliant",
        cases.open_case,
        world.platform,
        world.seller_a.principal,
        review.id,
        text,
    )
    assert [f["rule"] for f in error.extra["findings"]] == ["incentive"]
    case = cases.open_case(world.platform, world.seller_a.principal, review.id, FIRST)
    refused(
        "message_not_compliant",
        cases.add_message,
        world.platform,
        world.seller_a.principal,
        case.id,
        text,
    )


def test_contact_details_are_allowed_in_a_private_case(world: World) -> None:
    _, case = opened(world)
    case = cases.add_message(
        world.platform,
        world.seller_a.principal,
        case.id,
        "Sorry again, Xandra Quillfeather: call us on +62 21 5550 1234 or WhatsApp.",
    )
    assert case.status is CaseStatus.WAITING_FOR_BUYER


def test_message_text_is_required_and_limited(world: World) -> None:
    review = review_by(world)
    refused(
        "message_empty", cases.open_case, world.platform, world.seller_a.principal, review.id, " "
    )
    case = cases.open_case(world.platform, world.seller_a.principal, review.id, FIRST)
    error = refused(
        "message_too_long",
        cases.add_message,
        world.platform,
        world.buyer_x.principal,
        case.id,
        "a" * (MAX_MESSAGE_CHARS + 1),
    )
    assert error.extra["limit"] == MAX_MESSAGE_CHARS
    cases.add_message(world.platform, world.buyer_x.principal, case.id, "a" * MAX_MESSAGE_CHARS)


def test_case_goes_on_after_the_buyer_deletes_the_review(world: World) -> None:
    review, case = opened(world)
    reviews.delete_review(world.platform, world.buyer_x.principal, review.id)
    case = cases.add_message(world.platform, world.buyer_x.principal, case.id, "Deleted; thanks.")
    assert case.status is CaseStatus.OPEN


def test_shop_and_buyer_lists(world: World) -> None:
    _, case_x = opened(world)
    review_y = review_by(world, buyer="y", rating=3)
    case_y = cases.open_case(world.platform, world.seller_a.principal, review_y.id, FIRST)
    cases.add_message(world.platform, world.buyer_y.principal, case_y.id, "Hello.")
    seller = world.seller_a.principal
    listed = cases.list_shop_cases(world.platform, seller, world.shop_a)
    assert [c.id for c in listed.items] == [case_y.id, case_x.id]
    first = cases.list_shop_cases(world.platform, seller, world.shop_a, limit=1)
    assert [c.id for c in first.items] == [case_y.id] and first.next_cursor
    rest = cases.list_shop_cases(
        world.platform, seller, world.shop_a, limit=1, cursor=first.next_cursor
    )
    assert [c.id for c in rest.items] == [case_x.id] and rest.next_cursor is None
    waiting = cases.list_shop_cases(
        world.platform, seller, world.shop_a, status=CaseStatus.WAITING_FOR_BUYER
    )
    assert [c.id for c in waiting.items] == [case_x.id]
    moderated = cases.list_shop_cases(world.platform, world.moderator.principal, world.shop_a)
    assert len(moderated.items) == 2
    refused(
        "not_your_shop",
        cases.list_shop_cases,
        world.platform,
        world.seller_b.principal,
        world.shop_a,
    )
    refused(
        "not_your_shop",
        cases.list_shop_cases,
        world.platform,
        world.buyer_x.principal,
        world.shop_a,
    )
    mine = cases.list_my_cases(world.platform, world.buyer_x.principal)
    assert [c.id for c in mine.items] == [case_x.id]
    assert [c.id for c in cases.list_my_cases(world.platform, world.buyer_y.principal).items] == [
        case_y.id
    ]
    refused("buyer_only", cases.list_my_cases, world.platform, seller)
