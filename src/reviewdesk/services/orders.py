"""The order feed from the shop's order system: buyers, orders, lines, status timeline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reviewdesk.db.catalog import Product, ProductCode, Variant
from reviewdesk.db.orders import Buyer, Order, OrderEvent, OrderLine
from reviewdesk.db.reviews import Review
from reviewdesk.domain.identifiers import normalise_code
from reviewdesk.domain.orders import OrderStatus, check_event, current_status
from reviewdesk.domain.pagination import decode_cursor, encode_cursor
from reviewdesk.domain.principals import Principal, Role
from reviewdesk.domain.reviewing import window_closes_at
from reviewdesk.errors import Conflict, InvalidInput, NotAllowed, NotFound, ReviewdeskError
from reviewdesk.services.access import audit, require_buyer, shop_for_staff
from reviewdesk.services.catalog import Page, RecordId
from reviewdesk.services.coupons import CouponUseIn, redeem
from reviewdesk.services.platform import Platform

# ---- inputs -------------------------------------------------------------------------------


class BuyerIn(BaseModel):
    """The buyer as the order system knows them (personal data: kept private)."""

    model_config = ConfigDict(extra="forbid")
    external_id: str = Field(min_length=1, max_length=200)
    email: str | None = Field(None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    full_name: str | None = Field(None, max_length=300)
    nickname: str | None = Field(None, max_length=100)
    phone: str | None = Field(None, max_length=40)
    address: str | None = Field(None, max_length=2000)


class OrderLineIn(BaseModel):
    """One line: the product by id, SKU or GTIN, and the quantity."""

    model_config = ConfigDict(extra="forbid")
    external_id: str = Field(min_length=1, max_length=200)
    product_id: RecordId | None = None
    sku: str | None = Field(None, max_length=100)
    gtin: str | None = Field(None, max_length=32)
    quantity: int = Field(1, ge=1, le=100000)

    @model_validator(mode="after")
    def _one_product_reference(self) -> OrderLineIn:
        given = [x for x in (self.product_id, self.sku, self.gtin) if x is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of product_id, sku or gtin")
        return self


class OrderEventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: OrderStatus
    occurred_at: AwareDatetime


class OrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    external_id: str = Field(min_length=1, max_length=200)
    buyer: BuyerIn
    placed_at: AwareDatetime
    lines: list[OrderLineIn] = Field(min_length=1, max_length=500)
    events: list[OrderEventIn] = Field(default_factory=list, max_length=20)
    coupons: list[CouponUseIn] = Field(
        default_factory=list, max_length=20, description="Review coupons used on the order"
    )


# ---- views --------------------------------------------------------------------------------


class OrderLineView(BaseModel):
    id: int
    external_id: str
    product_id: int
    variant_id: int | None
    quantity: int
    delivered_at: datetime | None
    review_id: int | None = None
    review_window_closes_at: datetime | None = None


class OrderEventView(BaseModel):
    status: OrderStatus
    occurred_at: datetime


class OrderView(BaseModel):
    id: int
    shop_id: int
    external_id: str
    buyer_id: int
    status: OrderStatus
    placed_at: datetime
    delivered_at: datetime | None
    lines: list[OrderLineView]
    events: list[OrderEventView]


class FeedOutcome(BaseModel):
    """What feeding one order did: ``created``, ``updated`` or ``unchanged``."""

    outcome: Literal["created", "updated", "unchanged"]
    order: OrderView


class BulkRowOutcome(BaseModel):
    """The outcome of one order of a bulk feed (``error`` set when it was refused)."""

    index: int
    external_id: str | None
    outcome: Literal["created", "updated", "unchanged", "error"]
    order_id: int | None = None
    error: dict[str, object] | None = None


# ---- feed ---------------------------------------------------------------------------------


def _upsert_buyer(session: Session, buyer: BuyerIn) -> Buyer:
    row = session.scalars(select(Buyer).where(Buyer.external_id == buyer.external_id)).first()
    if row is None:
        row = Buyer(external_id=buyer.external_id)
        session.add(row)
    for name in ("email", "full_name", "nickname", "phone", "address"):
        value = getattr(buyer, name)
        if value is not None:
            setattr(row, name, value)
    session.flush()
    return row


def _resolve_line(
    session: Session, shop_id: int, line: OrderLineIn, index: int
) -> tuple[int, int | None]:
    where = f"lines[{index}]"
    if line.product_id is not None:
        product = session.get(Product, line.product_id)
        if product is None or product.shop_id != shop_id or product.removed_at is not None:
            raise NotFound(
                "product_not_found",
                f"{where}.product_id: product {line.product_id} is not listed in this shop",
                field=f"{where}.product_id",
            )
        return product.id, None
    if line.sku is not None:
        variant = session.scalars(
            select(Variant).where(
                Variant.shop_id == shop_id, Variant.sku == line.sku, Variant.removed_at.is_(None)
            )
        ).first()
        if variant is None:
            raise NotFound(
                "variant_not_found",
                f"{where}.sku: no variant {line.sku!r} in this shop",
                field=f"{where}.sku",
            )
        return variant.product_id, variant.id
    assert line.gtin is not None
    gtin = normalise_code(line.gtin, field=f"{where}.gtin").gtin
    code = session.scalars(
        select(ProductCode).where(ProductCode.shop_id == shop_id, ProductCode.gtin == gtin)
    ).first()
    if code is None:
        raise NotFound(
            "product_not_found",
            f"{where}.gtin: no product with GTIN {gtin} in this shop",
            field=f"{where}.gtin",
        )
    return code.product_id, code.variant_id


def _recorded(session: Session, order_id: int) -> dict[OrderStatus, datetime]:
    rows = session.scalars(select(OrderEvent).where(OrderEvent.order_id == order_id))
    return {OrderStatus(e.status): e.occurred_at for e in rows}


def _apply_event(
    platform: Platform, session: Session, order: Order, status: OrderStatus, occurred_at: datetime
) -> bool:
    """Record one event; False when the order already has that step (idempotent)."""
    recorded = _recorded(session, order.id)
    if status in recorded:
        return False
    check_event(
        status, occurred_at, placed_at=order.placed_at, recorded=recorded, now=platform.now()
    )
    session.add(
        OrderEvent(
            shop_id=order.shop_id, order_id=order.id, status=status.value, occurred_at=occurred_at
        )
    )
    recorded[status] = occurred_at
    setattr(order, f"{status.value}_at", occurred_at)
    order.status = current_status(recorded).value
    if status is OrderStatus.DELIVERED:
        session.execute(
            update(OrderLine).where(OrderLine.order_id == order.id).values(delivered_at=occurred_at)
        )
    session.flush()
    return True


def _feed_one(
    platform: Platform, session: Session, actor: Principal, shop_id: int, order_in: OrderIn
) -> FeedOutcome:
    order = session.scalars(
        select(Order)
        .where(Order.shop_id == shop_id, Order.external_id == order_in.external_id)
        .with_for_update()
    ).first()
    changed = False
    if order is None:
        buyer = _upsert_buyer(session, order_in.buyer)
        order = Order(
            shop_id=shop_id,
            buyer_id=buyer.id,
            external_id=order_in.external_id,
            status=OrderStatus.PLACED.value,
            placed_at=order_in.placed_at,
        )
        session.add(order)
        session.flush()
        session.add(
            OrderEvent(
                shop_id=shop_id, order_id=order.id, status="placed", occurred_at=order_in.placed_at
            )
        )
        outcome: Literal["created", "updated", "unchanged"] = "created"
    else:
        known = session.get(Buyer, order.buyer_id)
        assert known is not None
        if known.external_id != order_in.buyer.external_id:
            raise Conflict(
                "order_buyer_changed",
                f"order {order_in.external_id} belongs to "
                "another buyer; an order's buyer cannot change",
            )
        _upsert_buyer(session, order_in.buyer)
        outcome = "unchanged"
    existing = {
        line.external_id: line
        for line in session.scalars(select(OrderLine).where(OrderLine.order_id == order.id))
    }
    seen: set[str] = set()
    for index, line_in in enumerate(order_in.lines):
        if line_in.external_id in seen:
            raise InvalidInput(
                "duplicate_line",
                f"lines[{index}].external_id: {line_in.external_id!r} appears twice",
                field=f"lines[{index}].external_id",
            )
        seen.add(line_in.external_id)
        product_id, variant_id = _resolve_line(session, shop_id, line_in, index)
        old = existing.get(line_in.external_id)
        if old is not None:
            if (old.product_id, old.quantity) != (product_id, line_in.quantity) or (
                variant_id is not None and old.variant_id != variant_id
            ):
                raise Conflict(
                    "order_line_changed",
                    f"lines[{index}]: line "
                    f"{line_in.external_id!r} was fed before with another product "
                    "or quantity",
                    field=f"lines[{index}]",
                )
            continue
        session.add(
            OrderLine(
                shop_id=shop_id,
                order_id=order.id,
                external_id=line_in.external_id,
                product_id=product_id,
                variant_id=variant_id,
                quantity=line_in.quantity,
                delivered_at=order.delivered_at,
            )
        )
        changed = True
    session.flush()
    for event in sorted(order_in.events, key=lambda e: e.occurred_at):
        changed |= _apply_event(platform, session, order, event.status, event.occurred_at)
    changed |= redeem(session, order, order_in.coupons, platform.now())
    if outcome == "unchanged" and changed:
        outcome = "updated"
    if outcome != "unchanged":
        audit(
            session,
            actor,
            f"order.{outcome}",
            "order",
            order.id,
            shop_id,
            {"external_id": order.external_id},
        )
    return FeedOutcome(outcome=outcome, order=_order_view(session, order))


def feed_order(
    platform: Platform, actor: Principal, shop_id: int, order_in: OrderIn
) -> FeedOutcome:
    """Create or update an order from the feed; feeding the same order twice changes nothing."""
    with platform.db.write() as session:
        shop_for_staff(session, actor, shop_id)
        return _feed_one(platform, session, actor, shop_id, order_in)


def feed_orders_bulk(
    platform: Platform, actor: Principal, shop_id: int, orders: list[OrderIn]
) -> list[BulkRowOutcome]:
    """Feed many orders; each succeeds or fails on its own, with its outcome reported."""
    results: list[BulkRowOutcome] = []
    with platform.db.write() as session:
        shop_for_staff(session, actor, shop_id)
        for index, order_in in enumerate(orders):
            savepoint = session.begin_nested()
            try:
                fed = _feed_one(platform, session, actor, shop_id, order_in)
            except ReviewdeskError as error:
                savepoint.rollback()
                results.append(
                    BulkRowOutcome(
                        index=index,
                        external_id=order_in.external_id,
                        outcome="error",
                        error={
                            "code": error.code,
                            "detail": error.detail,
                            "status": error.status,
                            **error.extra,
                        },
                    )
                )
                continue
            savepoint.commit()
            results.append(
                BulkRowOutcome(
                    index=index,
                    external_id=order_in.external_id,
                    outcome=fed.outcome,
                    order_id=fed.order.id,
                )
            )
    return results


def record_event(
    platform: Platform, actor: Principal, shop_id: int, order_id: int, event: OrderEventIn
) -> FeedOutcome:
    """Add one step to an order's timeline (the same step twice changes nothing)."""
    with platform.db.write() as session:
        shop_for_staff(session, actor, shop_id)
        order = session.scalars(select(Order).where(Order.id == order_id).with_for_update()).first()
        if order is None or order.shop_id != shop_id:
            raise NotFound("order_not_found", f"order {order_id} is not in shop {shop_id}")
        changed = _apply_event(platform, session, order, event.status, event.occurred_at)
        if changed:
            audit(
                session,
                actor,
                "order.event",
                "order",
                order.id,
                shop_id,
                {"status": event.status.value},
            )
        return FeedOutcome(
            outcome="updated" if changed else "unchanged", order=_order_view(session, order)
        )


# ---- reading ------------------------------------------------------------------------------


def _order_views(
    session: Session, orders: Sequence[Order], window_days: int | None = None
) -> list[OrderView]:
    """Views of ``orders``; lines, their reviews and the timelines read in one query each."""
    ids = [o.id for o in orders]
    lines: dict[int, list[OrderLine]] = {oid: [] for oid in ids}
    events: dict[int, list[OrderEventView]] = {oid: [] for oid in ids}
    reviews: dict[int, int] = {}
    if ids:
        for line in session.scalars(
            select(OrderLine).where(OrderLine.order_id.in_(ids)).order_by(OrderLine.id)
        ):
            lines[line.order_id].append(line)
        line_ids = [line.id for group in lines.values() for line in group]
        if line_ids:
            found = session.execute(
                select(Review.order_line_id, Review.id).where(
                    Review.order_line_id.in_(line_ids), Review.status != "deleted"
                )
            )
            reviews = {line_id: review_id for line_id, review_id in found if line_id}
        for e in session.scalars(
            select(OrderEvent)
            .where(OrderEvent.order_id.in_(ids))
            .order_by(OrderEvent.occurred_at, OrderEvent.id)
        ):
            events[e.order_id].append(
                OrderEventView(status=OrderStatus(e.status), occurred_at=e.occurred_at)
            )
    return [
        OrderView(
            id=order.id,
            shop_id=order.shop_id,
            external_id=order.external_id,
            buyer_id=order.buyer_id,
            status=OrderStatus(order.status),
            placed_at=order.placed_at,
            delivered_at=order.delivered_at,
            lines=[
                OrderLineView(
                    id=line.id,
                    external_id=line.external_id,
                    product_id=line.product_id,
                    variant_id=line.variant_id,
                    quantity=line.quantity,
                    delivered_at=line.delivered_at,
                    review_id=reviews.get(line.id),
                    review_window_closes_at=(
                        window_closes_at(line.delivered_at, window_days)
                        if window_days is not None and line.delivered_at is not None
                        else None
                    ),
                )
                for line in lines[order.id]
            ],
            events=events[order.id],
        )
        for order in orders
    ]


def _order_view(session: Session, order: Order, window_days: int | None = None) -> OrderView:
    return _order_views(session, [order], window_days)[0]


def get_order(platform: Platform, actor: Principal, shop_id: int, order_id: int) -> OrderView:
    """An order, for the shop's staff and for the buyer who placed it."""
    with platform.db.read() as session:
        order = session.get(Order, order_id)
        if order is None or order.shop_id != shop_id:
            raise NotFound("order_not_found", f"order {order_id} is not in shop {shop_id}")
        if actor.role is Role.BUYER:
            if order.buyer_id != actor.buyer_id:
                raise NotAllowed("not_your_order", "This order belongs to another buyer.")
        else:
            shop_for_staff(session, actor, shop_id)
        return _order_view(session, order, platform.settings.review_window_days)


def get_my_order_line(platform: Platform, actor: Principal, line_id: int) -> OrderLineView:
    """One order line of the buyer's own, with its review and review window."""
    buyer_id = require_buyer(actor)
    with platform.db.read() as session:
        line = session.get(OrderLine, line_id)
        order = session.get(Order, line.order_id) if line is not None else None
        if line is None or order is None:
            raise NotFound("order_line_not_found", f"order line {line_id} does not exist")
        if order.buyer_id != buyer_id:
            raise NotAllowed("not_your_order", "This order line belongs to another buyer.")
        view = _order_view(session, order, platform.settings.review_window_days)
        return next(item for item in view.lines if item.id == line_id)


def list_my_orders(
    platform: Platform, actor: Principal, *, cursor: str | None = None, limit: int = 20
) -> Page[OrderView]:
    """The buyer's own orders, newest first, with each line's review and review window."""
    buyer_id = require_buyer(actor)
    limit = max(1, min(limit, platform.settings.max_page_size))
    with platform.db.read() as session:
        query = select(Order).where(Order.buyer_id == buyer_id)
        if cursor:
            (after,) = decode_cursor(cursor, "order", 1)
            query = query.where(Order.id < int(after))
        rows = session.scalars(query.order_by(Order.id.desc()).limit(limit + 1)).all()
        window = platform.settings.review_window_days
        return Page[OrderView](
            items=_order_views(session, rows[:limit], window),
            next_cursor=encode_cursor("order", [rows[limit - 1].id]) if len(rows) > limit else None,
        )
