"""Review promotions and coupons: conflicts, status, qualification, budget, redemption."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import World, jpeg_with_gps, order_in, refused
from reviewdesk.domain.coupons import count_words
from reviewdesk.domain.principals import OPERATOR
from reviewdesk.services import coupons, orders, public, reviews
from reviewdesk.services.coupons import CouponUseIn, PromotionIn, PromotionPatch
from reviewdesk.services.orders import OrderLineIn
from reviewdesk.services.reviews import MediaUpload

ELEVEN = "The linen is soft and the stitching looks neat after washing"
TEN = "The linen is soft and the stitching looks neat after"


def now() -> datetime:
    return datetime.now(UTC)


def promotion(world: World, **overrides: object) -> coupons.PromotionView:
    fields: dict[str, object] = {
        "name": "Photo reviews",
        "discount_kind": "fixed",
        "discount_value": Decimal("5"),
        "product_ids": [world.product_a],
        "start_at": now() - timedelta(days=1),
        "end_at": now() + timedelta(days=7),
        **overrides,
    }
    return coupons.create_promotion(
        world.platform, world.seller_a.principal, world.shop_a, PromotionIn.model_validate(fields)
    )


def photo() -> list[MediaUpload]:
    return [MediaUpload(jpeg_with_gps((64, 48)), "p.jpg")]


def test_word_count_rule() -> None:
    assert count_words(ELEVEN) == 11 and count_words(TEN) == 10
    assert count_words("Áo đẹp lắm, vải mềm, giao hàng nhanh, đóng gói cẩn thận!") == 12
    assert count_words("Bagus banget!!! 👍👍 kainnya adem, jahitan rapi") == 6
    assert count_words("don't stop — it's fine") == 4


def test_one_promotion_per_product_at_a_time(world: World) -> None:
    first = promotion(world)
    error = refused(
        "promotion_conflict",
        promotion,
        world,
        name="Second",
        start_at=now() + timedelta(days=3),
        end_at=now() + timedelta(days=20),
    )
    assert error.extra["conflicting_promotion_id"] == first.id
    refused("promotion_conflict", promotion, world, covers_all=True, product_ids=[])
    # Another product, or after the first one ends: allowed.
    promotion(world, product_ids=[world.product_a2])
    promotion(world, start_at=now() + timedelta(days=7), end_at=now() + timedelta(days=9))
    coupons.deactivate_promotion(world.platform, world.seller_a.principal, world.shop_a, first.id)
    promotion(world, name="After deactivation", start_at=now(), end_at=now() + timedelta(days=2))


def test_status_follows_time_and_deactivation(world: World) -> None:
    upcoming = promotion(
        world, start_at=now() + timedelta(days=1), end_at=now() + timedelta(days=2)
    )
    ended = promotion(world, start_at=now() - timedelta(days=9), end_at=now() - timedelta(days=8))
    ongoing = promotion(world, product_ids=[world.product_a2])
    assert (upcoming.status, ended.status, ongoing.status) == ("upcoming", "ended", "ongoing")
    stopped = coupons.deactivate_promotion(
        world.platform, world.seller_a.principal, world.shop_a, ongoing.id
    )
    assert stopped.status == "deactivated"


def test_ongoing_promotion_keeps_its_promise(world: World) -> None:
    ongoing = promotion(world, budget=3)
    refused(
        "promotion_ongoing",
        coupons.update_promotion,
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        ongoing.id,
        PromotionPatch(discount_value=Decimal("1")),
    )
    refused(
        "promotion_ongoing",
        coupons.update_promotion,
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        ongoing.id,
        PromotionPatch(end_at=now() + timedelta(days=1)),
    )
    longer = coupons.update_promotion(
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        ongoing.id,
        PromotionPatch(name="Longer", end_at=now() + timedelta(days=30), budget=10),
    )
    assert longer.name == "Longer" and longer.budget == 10
    ended = promotion(
        world,
        product_ids=[world.product_a2],
        start_at=now() - timedelta(days=9),
        end_at=now() - timedelta(days=8),
    )
    refused(
        "promotion_closed",
        coupons.update_promotion,
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        ended.id,
        PromotionPatch(name="X"),
    )


def test_qualifying_review_earns_one_coupon_and_the_label(world: World) -> None:
    promo = promotion(world)
    review = reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=1,
        text=ELEVEN,
        media=photo(),
    )
    assert review.coupon_code is not None and review.incentivized
    listed = public.list_product_reviews(world.platform, "batik-house", "linen-shirt").items
    assert listed[0].labels == ["Verified purchase", "Incentivized review"]
    mine = coupons.list_my_coupons(world.platform, world.buyer_x.principal)
    assert [c.code for c in mine] == [review.coupon_code]
    assert mine[0].expires_at - mine[0].issued_at == timedelta(days=60)
    # Dropping below the threshold keeps the coupon; deleting and re-posting earns no other.
    reviews.edit_review(world.platform, world.buyer_x.principal, review.id, text="Short now")
    reviews.delete_review(world.platform, world.buyer_x.principal, review.id)
    again = reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=5,
        text=ELEVEN,
        media=photo(),
    )
    assert again.coupon_code is None
    assert (
        coupons.get_promotion(
            world.platform, world.seller_a.principal, world.shop_a, promo.id
        ).reviews
        == 1
    )


def test_short_or_photoless_reviews_do_not_qualify_until_they_do(world: World) -> None:
    promotion(world)
    short = reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=5,
        text=TEN,
        media=photo(),
    )
    assert short.coupon_code is None
    line = world.deliver("later", "y", world.product_a)
    bare = reviews.submit_review(
        world.platform, world.buyer_y.principal, order_line_id=line, rating=5, text=ELEVEN
    )
    assert bare.coupon_code is None
    with_photo = reviews.add_media(world.platform, world.buyer_y.principal, bare.id, photo())
    assert with_photo.coupon_code is not None


def test_uncovered_product_and_review_outside_window_earn_nothing(world: World) -> None:
    promotion(world, product_ids=[world.product_a2])
    review = reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=5,
        text=ELEVEN,
        media=photo(),
    )
    assert review.coupon_code is None


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rating=st.integers(1, 5),
    tone=st.sampled_from(["love", "hate", "meh"]),
    words=st.integers(5, 20),
    with_photo=st.booleans(),
)
def test_reward_never_depends_on_rating_or_sentiment(
    world: World, rating: int, tone: str, words: int, with_photo: bool
) -> None:
    if not coupons.coupons_overview(
        world.platform, world.seller_a.principal, world.shop_a
    ).promotions:
        promotion(world)
    phrase = {"love": "absolutely love it", "hate": "terrible awful junk", "meh": "fine i guess"}[
        tone
    ]
    text = " ".join((phrase.split() * words)[:words])
    line = world.deliver(f"prop-{world.platform.now().timestamp()}", "x", world.product_a)
    review = reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=line,
        rating=rating,
        text=text,
        media=photo() if with_photo else None,
    )
    assert (review.coupon_code is not None) == (words >= 11 and with_photo)


def test_budget_never_exceeded_by_concurrent_reviews(world: World) -> None:
    promo = promotion(world, budget=3)
    lines = [world.deliver(f"race-{i}", "x" if i % 2 else "y", world.product_a) for i in range(8)]
    barrier = threading.Barrier(len(lines))
    codes: list[str | None] = []
    failures: list[BaseException] = []

    def write(i: int) -> None:
        actor = world.buyer_x if i % 2 else world.buyer_y
        barrier.wait()
        try:
            view = reviews.submit_review(
                world.platform,
                actor.principal,
                order_line_id=lines[i],
                rating=4,
                text=ELEVEN,
                media=photo(),
            )
            codes.append(view.coupon_code)
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(lines))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len([c for c in codes if c]) == 3 and len(codes) == 8
    assert (
        coupons.get_promotion(
            world.platform, world.seller_a.principal, world.shop_a, promo.id
        ).reviews
        == 3
    )


def test_order_feed_redeems_coupons(world: World) -> None:
    promo = promotion(world)
    review = reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=5,
        text=ELEVEN,
        media=photo(),
    )
    code = review.coupon_code
    assert code is not None
    used = order_in(
        "uses-coupon",
        world.buyers["x"],
        [OrderLineIn(external_id="1", product_id=world.product_a2)],
        delivered_days_ago=None,
        placed_days_ago=0.5,
    )
    used = used.model_copy(update={"coupons": [CouponUseIn(code=code, amount=Decimal("5.00"))]})
    assert orders.feed_order(world.platform, OPERATOR, world.shop_a, used).outcome == "created"
    assert orders.feed_order(world.platform, OPERATOR, world.shop_a, used).outcome == "unchanged"
    overview = coupons.coupons_overview(world.platform, world.seller_a.principal, world.shop_a)
    assert (overview.incentivized_reviews, overview.coupons_issued, overview.coupons_used) == (
        1,
        1,
        1,
    )
    assert overview.promotions[0].id == promo.id and overview.promotions[0].cost == 5
    other = used.model_copy(update={"external_id": "second-use"})
    refused("coupon_already_used", orders.feed_order, world.platform, OPERATOR, world.shop_a, other)
    stranger = order_in(
        "stranger",
        world.buyers["y"],
        [OrderLineIn(external_id="1", product_id=world.product_a2)],
        delivered_days_ago=None,
        placed_days_ago=0.5,
    ).model_copy(update={"coupons": [CouponUseIn(code=code)]})
    refused("coupon_not_yours", orders.feed_order, world.platform, OPERATOR, world.shop_a, stranger)
    unknown = stranger.model_copy(update={"coupons": [CouponUseIn(code="NOSUCHCODE")]})
    refused("coupon_not_found", orders.feed_order, world.platform, OPERATOR, world.shop_a, unknown)


def test_promotions_are_the_shops_own(world: World) -> None:
    promo = promotion(world)
    refused(
        "not_your_shop",
        coupons.get_promotion,
        world.platform,
        world.seller_b.principal,
        world.shop_a,
        promo.id,
    )
    refused(
        "not_your_shop",
        coupons.create_promotion,
        world.platform,
        world.seller_b.principal,
        world.shop_a,
        PromotionIn(
            name="x",
            discount_kind="percent",
            discount_value=Decimal("10"),
            covers_all=True,
            start_at=now(),
            end_at=now() + timedelta(days=1),
        ),
    )
    refused(
        "invalid_discount",
        coupons.create_promotion,
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        PromotionIn(
            name="x",
            discount_kind="percent",
            discount_value=Decimal("150"),
            covers_all=True,
            start_at=now(),
            end_at=now() + timedelta(days=1),
        ),
    )
    refused("product_not_found", promotion, world, product_ids=[world.product_b])
