"""The seller's inbox over all their shops (product.md §1 "Multi-store").

Items are written by ``services.alerts.raise_for_review`` in the review's transaction,
one per event whose shop's rules (or the default) send it to the inbox. The seller reads
one list over every shop of their seller account, filters it by shop, and sees the
unhandled and unread counts of each shop and of all together; items are marked read or
handled one by one or in batches (a selection of ids, or everything a filter matches up
to a given item, so items that arrived meanwhile are not swept along). Handling an item
also marks it read. The operator works any seller's inbox by naming the seller or a shop.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import ColumnElement, and_, case, func, select, update
from sqlalchemy.orm import Session

from reviewdesk.db.alerts import InboxItem
from reviewdesk.db.catalog import Product, Shop
from reviewdesk.db.reviews import Review
from reviewdesk.domain.pagination import decode_cursor, encode_cursor
from reviewdesk.domain.principals import Principal, Role
from reviewdesk.errors import InvalidInput, NotAllowed, NotFound
from reviewdesk.services.access import audit, shop_for_staff
from reviewdesk.services.catalog import RecordId
from reviewdesk.services.platform import Platform

State = Literal["unhandled", "handled", "all"]
Action = Literal["mark_handled", "mark_unhandled", "mark_read", "mark_unread"]
_AUDITED = frozenset({"mark_handled", "mark_unhandled"})


class InboxItemView(BaseModel):
    id: int
    shop_id: int
    shop_name: str
    kind: str
    title: str
    review_id: int | None
    rating: int | None
    review_status: str | None
    reviewer: str | None = Field(description="The masked display name")
    product_id: int | None
    product_title: str | None
    created_at: datetime
    read_at: datetime | None
    handled_at: datetime | None


class ShopInboxCounts(BaseModel):
    shop_id: int
    shop_name: str
    unhandled: int
    unread: int


class InboxCounts(BaseModel):
    unhandled: int
    unread: int
    shops: list[ShopInboxCounts]


class InboxPage(BaseModel):
    items: list[InboxItemView]
    next_cursor: str | None
    counts: InboxCounts = Field(description="Of every shop of the seller, whatever the filter")


class InboxFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    shop_id: RecordId | None = None
    kind: str | None = Field(None, max_length=48)
    state: State = "unhandled"
    unread: bool | None = None
    up_to_id: RecordId | None = Field(
        None, description="only items up to this id (the newest the seller has seen)"
    )


class InboxItemPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    read: bool | None = None
    handled: bool | None = None


class InboxBatchIn(BaseModel):
    """An action over a selection (``ids``) or over what a filter matches (``filter``)."""

    model_config = ConfigDict(extra="forbid")
    action: Action
    ids: list[RecordId] | None = Field(None, min_length=1, max_length=1000)
    filter: InboxFilter | None = None
    seller_id: RecordId | None = Field(None, description="the operator: whose inbox")

    @model_validator(mode="after")
    def _one_selection(self) -> InboxBatchIn:
        if (self.ids is None) == (self.filter is None):
            raise ValueError("give either ids or filter")
        return self


class InboxBatchResult(BaseModel):
    action: Action
    updated: int = Field(description="Items whose state changed")


def _require_staff(actor: Principal) -> None:
    if actor.role is not Role.SELLER and not actor.is_operator:
        raise NotAllowed("sellers_only", "The inbox belongs to a seller's staff.")


def _seller_shops(
    session: Session, actor: Principal, seller_id: int | None, shop_id: int | None
) -> dict[int, str]:
    """The shops (id -> name) of the inbox ``actor`` works, checked."""
    _require_staff(actor)
    owner = actor.seller_id if actor.role is Role.SELLER else seller_id
    if owner is None and shop_id is not None:
        owner = shop_for_staff(session, actor, shop_id).seller_id
    if owner is None:
        raise InvalidInput(
            "seller_required", "The operator names the seller (seller_id) or a shop_id."
        )
    if shop_id is not None and shop_for_staff(session, actor, shop_id).seller_id != owner:
        raise NotAllowed("not_your_shop", "This shop belongs to another seller account.")
    rows = session.execute(
        select(Shop.id, Shop.name).where(Shop.seller_id == owner).order_by(Shop.id)
    )
    return {shop: name for shop, name in rows}


def _conditions(shops: dict[int, str], chosen: InboxFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [
        InboxItem.shop_id.in_([chosen.shop_id] if chosen.shop_id else list(shops))
    ]
    if chosen.kind:
        where.append(InboxItem.kind == chosen.kind)
    if chosen.state == "unhandled":
        where.append(InboxItem.handled_at.is_(None))
    elif chosen.state == "handled":
        where.append(InboxItem.handled_at.is_not(None))
    if chosen.unread is not None:
        where.append(
            InboxItem.read_at.is_(None) if chosen.unread else InboxItem.read_at.is_not(None)
        )
    if chosen.up_to_id is not None:
        where.append(InboxItem.id <= chosen.up_to_id)
    return where


def _counts(session: Session, shops: dict[int, str]) -> InboxCounts:
    rows = session.execute(
        select(
            InboxItem.shop_id,
            func.count(InboxItem.id),
            func.sum(case((InboxItem.read_at.is_(None), 1), else_=0)),
        )
        .where(InboxItem.shop_id.in_(list(shops)), InboxItem.handled_at.is_(None))
        .group_by(InboxItem.shop_id)
    )
    found = {shop: (int(unhandled), int(unread or 0)) for shop, unhandled, unread in rows}
    per_shop = [
        ShopInboxCounts(
            shop_id=shop,
            shop_name=name,
            unhandled=found.get(shop, (0, 0))[0],
            unread=found.get(shop, (0, 0))[1],
        )
        for shop, name in shops.items()
    ]
    return InboxCounts(
        unhandled=sum(c.unhandled for c in per_shop),
        unread=sum(c.unread for c in per_shop),
        shops=per_shop,
    )


def _item_views(
    session: Session, shops: dict[int, str], items: list[InboxItem]
) -> list[InboxItemView]:
    review_ids = [i.review_id for i in items if i.review_id is not None]
    reviews: dict[int, Any] = {}
    if review_ids:
        rows = session.execute(
            select(
                Review.id,
                Review.rating,
                Review.status,
                Review.reviewer_display,
                Product.id.label("product_id"),
                Product.title,
            )
            .join(Product, Product.id == Review.product_id)
            .where(Review.id.in_(review_ids))
        )
        reviews = {row.id: row for row in rows}
    views = []
    for item in items:
        review = reviews.get(item.review_id) if item.review_id is not None else None
        views.append(
            InboxItemView(
                id=item.id,
                shop_id=item.shop_id,
                shop_name=shops.get(item.shop_id, ""),
                kind=item.kind,
                title=item.title,
                review_id=item.review_id,
                rating=review.rating if review else None,
                review_status=review.status if review else None,
                reviewer=review.reviewer_display if review else None,
                product_id=review.product_id if review else None,
                product_title=review.title if review else None,
                created_at=item.created_at,
                read_at=item.read_at,
                handled_at=item.handled_at,
            )
        )
    return views


def list_inbox(
    platform: Platform,
    actor: Principal,
    chosen: InboxFilter | None = None,
    *,
    seller_id: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> InboxPage:
    """The inbox over all the seller's shops, newest first, with every shop's counts."""
    chosen = chosen or InboxFilter()
    size = max(1, min(limit or platform.settings.page_size, platform.settings.max_page_size))
    with platform.db.read() as session:
        shops = _seller_shops(session, actor, seller_id, chosen.shop_id)
        query = select(InboxItem).where(*_conditions(shops, chosen))
        if cursor:
            (after,) = decode_cursor(cursor, "inbox", 1)
            query = query.where(InboxItem.id < int(after))
        rows = list(session.scalars(query.order_by(InboxItem.id.desc()).limit(size + 1)))
        return InboxPage(
            items=_item_views(session, shops, rows[:size]),
            next_cursor=encode_cursor("inbox", [rows[size - 1].id]) if len(rows) > size else None,
            counts=_counts(session, shops),
        )


def _values(action: Action, now: datetime) -> tuple[ColumnElement[bool], dict[str, Any]]:
    """The rows an action changes and the change."""
    if action == "mark_handled":
        return InboxItem.handled_at.is_(None), {
            "handled_at": now,
            "read_at": func.coalesce(InboxItem.read_at, now),
        }
    if action == "mark_unhandled":
        return InboxItem.handled_at.is_not(None), {"handled_at": None}
    if action == "mark_read":
        return InboxItem.read_at.is_(None), {"read_at": now}
    return InboxItem.read_at.is_not(None), {"read_at": None}


def _owned_items(session: Session, actor: Principal, ids: list[int]) -> dict[int, int]:
    """item id -> shop id of ``ids``, all of them in shops ``actor`` may work."""
    rows: dict[int, int] = {
        item_id: shop_id
        for item_id, shop_id in session.execute(
            select(InboxItem.id, InboxItem.shop_id).where(InboxItem.id.in_(ids))
        )
    }
    missing = sorted(set(ids) - set(rows))
    if missing:
        raise NotFound("inbox_item_not_found", f"inbox items {missing} do not exist", ids=missing)
    for shop_id in set(rows.values()):
        shop_for_staff(session, actor, shop_id)
    return rows


def mark_items(platform: Platform, actor: Principal, batch: InboxBatchIn) -> InboxBatchResult:
    """Mark a selection of items, or every item a filter matches, in one transaction."""
    now = platform.now()
    changes, values = _values(batch.action, now)
    with platform.db.write() as session:
        if batch.ids is not None:
            _require_staff(actor)
            owned = _owned_items(session, actor, batch.ids)
            where: list[ColumnElement[bool]] = [InboxItem.id.in_(list(owned))]
            shop_ids = sorted(set(owned.values()))
        else:
            assert batch.filter is not None
            shops = _seller_shops(session, actor, batch.seller_id, batch.filter.shop_id)
            where = _conditions(shops, batch.filter)
            shop_ids = [batch.filter.shop_id] if batch.filter.shop_id else list(shops)
        result = session.execute(
            update(InboxItem)
            .where(and_(*where), changes)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        updated = int(result.rowcount)  # type: ignore[attr-defined]
        # Handling is work worth a trace; reading is not.
        for shop_id in shop_ids if batch.action in _AUDITED else []:
            audit(
                session,
                actor,
                f"inbox.{batch.action}",
                "inbox",
                None,
                shop_id,
                {"ids": batch.ids, "filter": batch.filter.model_dump() if batch.filter else None},
            )
        return InboxBatchResult(action=batch.action, updated=updated)


def update_item(
    platform: Platform, actor: Principal, item_id: int, patch: InboxItemPatch
) -> InboxItemView:
    """Mark one item read or unread, handled or not."""
    now = platform.now()
    with platform.db.write() as session:
        _require_staff(actor)
        item = session.get(InboxItem, item_id)
        if item is None:
            raise NotFound("inbox_item_not_found", f"inbox item {item_id} does not exist")
        shop = shop_for_staff(session, actor, item.shop_id)
        if patch.handled is not None:
            item.handled_at = (item.handled_at or now) if patch.handled else None
            if patch.handled:
                item.read_at = item.read_at or now
        if patch.read is not None:
            item.read_at = (item.read_at or now) if patch.read else None
        if patch.handled is not None:
            audit(
                session,
                actor,
                "inbox.mark_handled" if patch.handled else "inbox.mark_unhandled",
                "inbox_item",
                item.id,
                item.shop_id,
                {},
            )
        session.flush()
        return _item_views(session, {shop.id: shop.name}, [item])[0]
