"""Routes: the order feed and the buyer's orders."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from reviewdesk.api.auth import PlatformDep, PrincipalDep
from reviewdesk.api.params import RowId
from reviewdesk.services import orders
from reviewdesk.services.catalog import Page
from reviewdesk.services.orders import (
    BulkRowOutcome,
    FeedOutcome,
    OrderEventIn,
    OrderIn,
    OrderView,
)

router = APIRouter(tags=["orders"])


class BulkOrdersIn(BaseModel):
    orders: list[OrderIn] = Field(min_length=1, max_length=1000)


class BulkOrdersOut(BaseModel):
    results: list[BulkRowOutcome]
    counts: dict[str, int]


@router.post("/shops/{shop_id}/orders", status_code=status.HTTP_200_OK)
def feed_order(
    shop_id: RowId, body: OrderIn, platform: PlatformDep, principal: PrincipalDep
) -> FeedOutcome:
    """Create or update one order (idempotent by the order's external id)."""
    return orders.feed_order(platform, principal, shop_id, body)


@router.post("/shops/{shop_id}/orders/bulk")
def feed_orders_bulk(
    shop_id: RowId, body: BulkOrdersIn, platform: PlatformDep, principal: PrincipalDep
) -> BulkOrdersOut:
    """Feed many orders; each one's outcome is reported, a bad one never stops the rest."""
    results = orders.feed_orders_bulk(platform, principal, shop_id, body.orders)
    counts: dict[str, int] = {}
    for row in results:
        counts[row.outcome] = counts.get(row.outcome, 0) + 1
    return BulkOrdersOut(results=results, counts=counts)


@router.get("/shops/{shop_id}/orders/{order_id}")
def get_order(
    shop_id: RowId, order_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> OrderView:
    """An order with its lines and timeline (the shop's staff, the buyer)."""
    return orders.get_order(platform, principal, shop_id, order_id)


@router.post("/shops/{shop_id}/orders/{order_id}/events")
def record_event(
    shop_id: RowId,
    order_id: RowId,
    body: OrderEventIn,
    platform: PlatformDep,
    principal: PrincipalDep,
) -> FeedOutcome:
    """Add a step to the order's timeline (the same step twice changes nothing)."""
    return orders.record_event(platform, principal, shop_id, order_id, body)


@router.get("/me/orders")
def my_orders(
    platform: PlatformDep, principal: PrincipalDep, cursor: str | None = None, limit: int = 20
) -> Page[OrderView]:
    """The buyer's own orders, with each line's review and review window."""
    return orders.list_my_orders(platform, principal, cursor=cursor, limit=limit)
