"""The order status timeline: which steps may follow which, and the current status."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from reviewdesk.errors import Conflict, InvalidInput


class OrderStatus(StrEnum):
    """A step of an order's timeline."""

    PLACED = "placed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    REFUNDED = "refunded"
    CANCELLED = "cancelled"


# Clocks of order systems drift; an event a little ahead of ours is accepted.
CLOCK_SKEW = timedelta(minutes=10)


def check_event(
    status: OrderStatus,
    occurred_at: datetime,
    *,
    placed_at: datetime,
    recorded: dict[OrderStatus, datetime],
    now: datetime,
) -> None:
    """Refuse an event that cannot happen to an order with the ``recorded`` timeline."""
    if occurred_at > now + CLOCK_SKEW:
        raise InvalidInput(
            "event_in_future",
            f"{status.value} at {occurred_at.isoformat()} is in the future",
            field="occurred_at",
        )
    if occurred_at < placed_at:
        raise InvalidInput(
            "event_before_placed",
            f"{status.value} at {occurred_at.isoformat()} is before the order was placed "
            f"({placed_at.isoformat()})",
            field="occurred_at",
        )
    if status is OrderStatus.DELIVERED and OrderStatus.CANCELLED in recorded:
        raise Conflict("invalid_order_transition", "a cancelled order cannot be delivered")
    if status is OrderStatus.CANCELLED and OrderStatus.DELIVERED in recorded:
        raise Conflict(
            "invalid_order_transition",
            "a delivered order cannot be cancelled; report a refund instead",
        )
    if status is OrderStatus.SHIPPED and OrderStatus.CANCELLED in recorded:
        raise Conflict("invalid_order_transition", "a cancelled order cannot be shipped")


def current_status(recorded: dict[OrderStatus, datetime]) -> OrderStatus:
    """The latest step of the timeline (ties broken by the natural order of steps)."""
    rank = list(OrderStatus)
    return max(recorded.items(), key=lambda item: (item[1], rank.index(item[0])))[0]
