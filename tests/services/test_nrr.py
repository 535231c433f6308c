"""Negative Review Rate: the spec's rules through the services, and the SQL aggregation
against a brute-force computation on random data (hypothesis)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from builders import World, refused
from reviewdesk.db.moderation import ReviewAnalysis
from reviewdesk.db.orders import Buyer, Order, OrderLine
from reviewdesk.db.reviews import Review
from reviewdesk.domain.principals import OPERATOR
from reviewdesk.services import catalog, moderation, nrr, reports, reviews
from reviewdesk.services.catalog import ProductIn
from reviewdesk.services.moderation import DecisionIn
from reviewdesk.services.nrr import NrrReport
from reviewdesk.services.reports import ReportDecisionIn, ReportIn, TakeIn

LOGISTICS_TEXT = "The parcel arrived two weeks late and the box was crushed."
PRODUCT_TEXT = "The stitching came apart after one wash."


def window(report: NrrReport, days: int) -> tuple[int, int, int]:
    """(negatives, seller-attributable negatives, delivered lines) of one window."""
    found = next(w for w in report.windows if w.window_days == days)
    assert found.nrr.delivered_order_lines == found.seller_attributable_nrr.delivered_order_lines
    return (
        found.nrr.negative_reviews,
        found.seller_attributable_nrr.negative_reviews,
        found.nrr.delivered_order_lines,
    )


def write(world: World, name: str, rating: int, days_ago: float, text: str = PRODUCT_TEXT) -> int:
    line = world.deliver(
        name, "x", world.product_a, delivered_days_ago=days_ago, placed_days_ago=days_ago + 5
    )
    return reviews.submit_review(
        world.platform, world.buyer_x.principal, order_line_id=line, rating=rating, text=text
    ).id


def test_nrr_follows_the_spec_through_every_exclusion(world: World) -> None:
    # The two seed lines (delivered 5 days ago) have no review.
    counted = write(world, "counted", 1, 3)
    write(world, "three-stars", 3, 4)
    logistics = write(world, "logistics", 2, 20, LOGISTICS_TEXT)
    deleted = write(world, "deleted", 1, 6)
    reviews.delete_review(world.platform, world.buyer_x.principal, deleted)
    upheld = write(world, "upheld", 1, 6)
    hidden = write(world, "hidden", 2, 12)
    for review_id, outcome in ((upheld, "upheld"), (hidden, None)):
        made = reports.report_review(
            world.platform, world.seller_a.principal, review_id, ReportIn(reason="abusive")
        )
        reports.take_report(
            world.platform, world.moderator.principal, made.id, TakeIn(hide=outcome is None)
        )
        if outcome:
            reports.decide_report(
                world.platform,
                world.moderator.principal,
                made.id,
                ReportDecisionIn(outcome="upheld", note="Abusive."),
            )
    held = write(world, "held", 1, 40, "Terrible, see http://cheap.example instead")
    rejected = write(world, "rejected", 2, 45)
    moderation.decide(
        world.platform,
        world.moderator.principal,
        rejected,
        DecisionIn(action="reject", reason="not about the product"),
    )
    world.deliver("old", "x", world.product_a, placed_days_ago=80, delivered_days_ago=70)
    world.deliver("not-yet", "x", world.product_a, delivered_days_ago=None)
    # Another shop's negative and another product's line.
    other_line = world.deliver(
        "other-shop", "y", world.product_b, world.shop_b, delivered_days_ago=2
    )
    reviews.submit_review(
        world.platform, world.buyer_y.principal, order_line_id=other_line, rating=1
    )
    world.deliver("scarf", "y", world.product_a2, delivered_days_ago=1)

    with world.platform.db.read() as session:
        statuses = dict(
            session.execute(
                select(Review.id, Review.status).where(
                    Review.id.in_([counted, logistics, upheld, hidden, held, rejected])
                )
            ).all()
        )
        group = session.scalar(
            select(ReviewAnalysis.complaint_group).where(ReviewAnalysis.review_id == logistics)
        )
    assert statuses == {
        counted: "published",
        logistics: "published",
        upheld: "removed",
        hidden: "hidden",
        held: "held",
        rejected: "rejected",
    }
    assert group == "logistics"

    shop = nrr.shop_nrr(world.platform, world.seller_a.principal, world.shop_a)
    # Lines in 7 days: 2 seeds, counted, three-stars, deleted, upheld, scarf = 7; counted only.
    assert window(shop, 7) == (1, 1, 7)
    # 30 days adds logistics and hidden (9 lines); 60 days adds held and rejected (11 lines).
    assert window(shop, 30) == (3, 2, 9)
    assert window(shop, 60) == (4, 3, 11)
    seven = shop.windows[0]
    assert seven.nrr.percent == 14.29 and seven.window_days == 7
    assert seven.end - seven.start == timedelta(days=7)
    assert sum(d.delivered_order_lines for d in shop.daily) == 11
    assert sum(d.negative_reviews for d in shop.daily) == 4
    assert sum(d.seller_attributable_negative_reviews for d in shop.daily) == 3
    assert len(shop.daily) == 61 and shop.daily[-1].date == shop.computed_at.date()

    product = nrr.product_nrr(world.platform, OPERATOR, world.shop_a, world.product_a2)
    assert window(product, 60) == (0, 0, 1) and product.windows[0].nrr.percent == 0.0
    empty = nrr.product_nrr(world.platform, OPERATOR, world.shop_b, world.product_b)
    assert window(empty, 7) == (1, 1, 1) and empty.windows[-1].nrr.percent == 100.0


def test_nrr_without_deliveries_has_no_rate(world: World) -> None:
    report = nrr.product_nrr(
        world.platform, world.seller_a.principal, world.shop_a, world.product_a2
    )
    assert [w.nrr.percent for w in report.windows] == [None, None, None]
    assert [w.seller_attributable_nrr.percent for w in report.windows] == [None, None, None]
    assert all(d.delivered_order_lines == 0 for d in report.daily)


def test_nrr_windows_are_a_setting(world: World) -> None:
    world.platform.settings = world.platform.settings.model_copy(update={"nrr_windows": [1, 14]})
    report = nrr.shop_nrr(world.platform, world.seller_a.principal, world.shop_a)
    assert [w.window_days for w in report.windows] == [1, 14]
    assert len(report.daily) == 15
    assert window(report, 14) == (0, 0, 2) and window(report, 1) == (0, 0, 0)


def test_nrr_is_for_the_shops_staff(world: World) -> None:
    for actor in (world.seller_b, world.buyer_x, world.moderator):
        refused("not_your_shop", nrr.shop_nrr, world.platform, actor.principal, world.shop_a)
        refused(
            "not_your_shop",
            nrr.product_nrr,
            world.platform,
            actor.principal,
            world.shop_a,
            world.product_a,
        )
    refused(
        "product_not_found",
        nrr.product_nrr,
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        world.product_b,
    )


# ---- against brute force --------------------------------------------------------------------
#
# Rows are written directly here, not through the services: hypothesis tries hundreds of
# combinations of statuses, sources and analyses, some of which the services reach only
# through long paths (a held review whose report was upheld) and some not at all (an imported
# review tied to an order line), which the query must still leave out.

STATUSES = ["published", "held", "hidden", "deleted", "removed", "rejected"]
GROUPS = [None, "logistics", "product", "service", "no analysis"]


@dataclass
class FakeReview:
    rating: int
    source: str
    status: str
    group: str | None


@dataclass
class FakeLine:
    product: int
    delivered: datetime | None
    reviews: list[FakeReview] = field(default_factory=list)


review_st = st.builds(
    FakeReview,
    rating=st.integers(1, 5),
    source=st.sampled_from(["native", "native", "native", "judgeme"]),
    status=st.sampled_from(STATUSES),
    group=st.sampled_from(GROUPS),
)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[datetime, list[int], list[FakeLine], list[FakeLine]]:
    now = datetime(2026, 3, 15, tzinfo=UTC) + timedelta(
        seconds=draw(st.integers(0, 86_399)), microseconds=draw(st.integers(0, 999_999))
    )
    windows = sorted(set(draw(st.lists(st.integers(1, 75), min_size=1, max_size=4))))
    edges = [timedelta(days=w) + timedelta(microseconds=d) for w in windows for d in (-1, 0, 1)]
    edges += [timedelta(0), timedelta(microseconds=-1)]
    # A delivery just after a UTC midnight and just before one.
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    edges += [now - midnight, now - midnight + timedelta(microseconds=1)]
    offset = st.one_of(
        st.sampled_from(edges),
        st.integers(-2 * 86_400, 80 * 86_400).map(lambda s: timedelta(seconds=s)),
    )

    def lines(max_size: int) -> list[FakeLine]:
        made = []
        for _ in range(draw(st.integers(0, max_size))):
            delivered = draw(st.one_of(st.none(), offset.map(lambda o: now - o)))
            line = FakeLine(draw(st.integers(0, 1)), delivered)
            # Any number of deleted reviews, at most one live one (as the schema requires).
            live = False
            for review in draw(st.lists(review_st, max_size=3)):
                if review.status != "deleted":
                    if live:
                        continue
                    live = True
                line.reviews.append(review)
            made.append(line)
        return made

    return now, windows, lines(25), lines(5)


_shops = itertools.count()


def _store(world: World, shop_id: int, products: list[int], lines: list[FakeLine]) -> None:
    with world.platform.db.write() as session:
        buyer = Buyer(external_id=f"nrr-buyer-{shop_id}")
        session.add(buyer)
        session.flush()
        order = Order(
            shop_id=shop_id,
            buyer_id=buyer.id,
            external_id="nrr",
            status="delivered",
            placed_at=datetime(2025, 1, 1, tzinfo=UTC),
        )
        session.add(order)
        session.flush()
        for n, fake in enumerate(lines):
            line = OrderLine(
                shop_id=shop_id,
                order_id=order.id,
                external_id=f"l{n}",
                product_id=products[fake.product],
                quantity=1,
                delivered_at=fake.delivered,
            )
            session.add(line)
            session.flush()
            for fr in fake.reviews:
                review = Review(
                    shop_id=shop_id,
                    product_id=line.product_id,
                    order_line_id=line.id,
                    buyer_id=buyer.id,
                    source=fr.source,
                    status=fr.status,
                    rating=fr.rating,
                    reviewer_display="b***r",
                    is_verified=True,
                    published_at=fake.delivered,
                )
                session.add(review)
                session.flush()
                if fr.group != "no analysis":
                    session.add(
                        ReviewAnalysis(
                            review_id=review.id,
                            shop_id=shop_id,
                            version=1,
                            sentiment="negative",
                            sentiment_score=-0.5,
                            complaint_group=fr.group,
                        )
                    )
        # Negative imported reviews on no order line: never counted either.
        session.add(
            Review(
                shop_id=shop_id,
                product_id=products[0],
                source="judgeme",
                status="published",
                rating=1,
                reviewer_display="i***d",
                is_verified=True,
            )
        )


def _percent(negatives: int, delivered: int) -> float | None:
    if delivered == 0:
        return None
    return float((Decimal(100 * negatives) / delivered).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _brute_force(
    now: datetime, windows: list[int], lines: list[FakeLine], product: int | None
) -> dict[str, object]:
    """NRR computed the slow, obvious way from the generated data."""
    mine = [line for line in lines if product is None or line.product == product]

    def negatives(line: FakeLine, seller_only: bool) -> int:
        return sum(
            1
            for r in line.reviews
            if r.source == "native"
            and r.rating in (1, 2)
            and r.status in ("published", "held", "hidden")
            and not (seller_only and r.group == "logistics")
        )

    result: dict[str, object] = {}
    for w in windows:
        inside = [
            line
            for line in mine
            if line.delivered is not None and now - timedelta(days=w) <= line.delivered <= now
        ]
        all_neg = sum(negatives(line, False) for line in inside)
        seller_neg = sum(negatives(line, True) for line in inside)
        result[f"w{w}"] = (
            (all_neg, len(inside), _percent(all_neg, len(inside))),
            (seller_neg, len(inside), _percent(seller_neg, len(inside))),
        )
    first = (now - timedelta(days=max(windows))).date()
    days: dict[date, list[int]] = {
        first + timedelta(days=i): [0, 0, 0] for i in range((now.date() - first).days + 1)
    }
    for line in mine:
        if line.delivered is None:
            continue
        if not now - timedelta(days=max(windows)) <= line.delivered <= now:
            continue
        counts = days[line.delivered.date()]
        counts[0] += 1
        counts[1] += negatives(line, False)
        counts[2] += negatives(line, True)
    result["daily"] = [(d, *c) for d, c in days.items()]
    return result


def _as_computed(report: NrrReport) -> dict[str, object]:
    result: dict[str, object] = {
        f"w{w.window_days}": (
            (w.nrr.negative_reviews, w.nrr.delivered_order_lines, w.nrr.percent),
            (
                w.seller_attributable_nrr.negative_reviews,
                w.seller_attributable_nrr.delivered_order_lines,
                w.seller_attributable_nrr.percent,
            ),
        )
        for w in report.windows
    }
    result["daily"] = [
        (
            d.date,
            d.delivered_order_lines,
            d.negative_reviews,
            d.seller_attributable_negative_reviews,
        )
        for d in report.daily
    ]
    return result


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=scenarios())
def test_nrr_equals_brute_force_on_random_data(world: World, scenario: tuple) -> None:  # type: ignore[type-arg]
    now, windows, lines, noise = scenario
    platform = world.platform
    seller_id = catalog.get_shop(platform, OPERATOR, world.shop_a).seller_id
    shop_ids, product_ids = [], []
    for _ in range(2):
        n = next(_shops)
        shop = catalog.create_shop(
            platform, OPERATOR, seller_id=seller_id, slug=f"nrr-{n}", name=f"NRR {n}"
        )
        products = [
            catalog.create_product(
                platform, OPERATOR, shop.id, ProductIn(handle=f"p{i}", title=f"P{i}")
            ).id
            for i in range(2)
        ]
        shop_ids.append(shop.id)
        product_ids.append(products)
    _store(world, shop_ids[0], product_ids[0], lines)
    _store(world, shop_ids[1], product_ids[1], noise)

    original_now, original_settings = platform.now, platform.settings
    platform.now = lambda: now  # type: ignore[method-assign]
    platform.settings = original_settings.model_copy(update={"nrr_windows": windows})
    try:
        shop = nrr.shop_nrr(platform, world.seller_a.principal, shop_ids[0])
        product = nrr.product_nrr(
            platform, world.seller_a.principal, shop_ids[0], product_ids[0][1]
        )
    finally:
        platform.now = original_now  # type: ignore[method-assign]
        platform.settings = original_settings
    assert shop.computed_at == now
    assert _as_computed(shop) == _brute_force(now, windows, lines, None)
    assert _as_computed(product) == _brute_force(now, windows, lines, 1)


@pytest.mark.parametrize("windows", [[7, 30, 60], [1], [366]])
def test_series_spans_the_largest_window(world: World, windows: list[int]) -> None:
    world.platform.settings = world.platform.settings.model_copy(update={"nrr_windows": windows})
    report = nrr.shop_nrr(world.platform, OPERATOR, world.shop_a)
    first = (report.computed_at - timedelta(days=max(windows))).date()
    assert [d.date for d in report.daily] == [
        first + timedelta(days=i) for i in range(max(windows) + 1)
    ]
