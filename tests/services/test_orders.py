"""The order feed: idempotency, timeline rules, the buyer's own orders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from builders import World, order_in, refused
from reviewdesk.domain.principals import OPERATOR
from reviewdesk.services import orders
from reviewdesk.services.orders import BuyerIn, OrderEventIn, OrderLineIn


def test_lines_found_by_product_sku_or_gtin(world: World) -> None:
    fed = orders.feed_order(
        world.platform,
        OPERATOR,
        world.shop_a,
        order_in(
            "by-ref",
            world.buyers["x"],
            [
                OrderLineIn(external_id="1", product_id=world.product_a2),
                OrderLineIn(external_id="2", sku="LS-L"),
                OrderLineIn(external_id="3", gtin="4006381333931"),
            ],
        ),
    )
    products = [(line.product_id, line.variant_id is not None) for line in fed.order.lines]
    assert products == [
        (world.product_a2, False),
        (world.product_a, True),
        (world.product_a, False),
    ]


def test_same_order_twice_changes_nothing_and_new_lines_update(world: World) -> None:
    first = order_in(
        "twice", world.buyers["y"], [OrderLineIn(external_id="1", product_id=world.product_a)]
    )
    assert orders.feed_order(world.platform, OPERATOR, world.shop_a, first).outcome == "created"
    assert orders.feed_order(world.platform, OPERATOR, world.shop_a, first).outcome == "unchanged"
    more = first.model_copy(
        update={"lines": [*first.lines, OrderLineIn(external_id="2", product_id=world.product_a2)]}
    )
    updated = orders.feed_order(world.platform, OPERATOR, world.shop_a, more)
    assert updated.outcome == "updated" and len(updated.order.lines) == 2
    # The added line inherits the order's delivery.
    assert updated.order.lines[1].delivered_at == updated.order.delivered_at is not None


def test_order_cannot_change_buyer(world: World) -> None:
    lines = [OrderLineIn(external_id="1", product_id=world.product_a)]
    orders.feed_order(
        world.platform, OPERATOR, world.shop_a, order_in("owned", world.buyers["x"], lines)
    )
    refused(
        "order_buyer_changed",
        orders.feed_order,
        world.platform,
        OPERATOR,
        world.shop_a,
        order_in("owned", world.buyers["y"], lines),
    )


def test_line_references_are_checked(world: World) -> None:
    buyer = world.buyers["x"]
    refused(
        "product_not_found",
        orders.feed_order,
        world.platform,
        OPERATOR,
        world.shop_a,
        order_in("foreign", buyer, [OrderLineIn(external_id="1", product_id=world.product_b)]),
    )
    refused(
        "duplicate_line",
        orders.feed_order,
        world.platform,
        OPERATOR,
        world.shop_a,
        order_in(
            "dup",
            buyer,
            [
                OrderLineIn(external_id="1", product_id=world.product_a),
                OrderLineIn(external_id="1", product_id=world.product_a),
            ],
        ),
    )
    with pytest.raises(ValueError, match="exactly one of"):
        OrderLineIn(external_id="1", product_id=world.product_a, sku="LS-M")


def test_event_before_placement_is_refused(world: World) -> None:
    fed = orders.feed_order(
        world.platform,
        OPERATOR,
        world.shop_a,
        order_in(
            "early",
            world.buyers["x"],
            [OrderLineIn(external_id="1", product_id=world.product_a)],
            delivered_days_ago=None,
        ),
    )
    refused(
        "event_before_placed",
        orders.record_event,
        world.platform,
        OPERATOR,
        world.shop_a,
        fed.order.id,
        OrderEventIn(status="delivered", occurred_at=fed.order.placed_at - timedelta(days=1)),
    )


def test_delivered_then_refunded_keeps_the_delivery(world: World) -> None:
    now = datetime.now(UTC)
    view = orders.record_event(
        world.platform,
        OPERATOR,
        world.shop_a,
        world.orders["seed-x"],
        OrderEventIn(status="refunded", occurred_at=now),
    )
    assert view.order.status == "refunded"
    assert view.order.delivered_at is not None
    assert view.order.lines[0].delivered_at is not None
    assert [e.status for e in view.order.events] == ["placed", "shipped", "delivered", "refunded"]


def test_buyer_sees_only_own_orders_and_lines(world: World) -> None:
    mine = orders.list_my_orders(world.platform, world.buyer_x.principal)
    assert {o.id for o in mine.items} == {world.orders["seed-x"]}
    assert mine.items[0].lines[0].review_window_closes_at is not None
    refused(
        "not_your_order",
        orders.get_order,
        world.platform,
        world.buyer_y.principal,
        world.shop_a,
        world.orders["seed-x"],
    )
    refused(
        "not_your_order",
        orders.get_my_order_line,
        world.platform,
        world.buyer_y.principal,
        world.lines["seed-x"],
    )
    refused(
        "not_your_shop",
        orders.feed_order,
        world.platform,
        world.seller_b.principal,
        world.shop_a,
        order_in(
            "x",
            BuyerIn(external_id="z"),
            [OrderLineIn(external_id="1", product_id=world.product_a)],
        ),
    )
