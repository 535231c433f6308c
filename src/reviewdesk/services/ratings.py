"""Star rating summaries: kept exact in each writing transaction, and recomputed to check."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select, update
from sqlalchemy.orm import Session

from reviewdesk.db.catalog import Product, Shop
from reviewdesk.db.reviews import ProductRatingSummary, Review, ShopRatingSummary
from reviewdesk.domain.principals import Principal
from reviewdesk.domain.ratings import PUBLISHED, RatingSummary
from reviewdesk.services.access import audit, require_operator
from reviewdesk.services.platform import Platform


def summary_of(row: ProductRatingSummary | ShopRatingSummary) -> RatingSummary:
    """The domain value of a stored summary row."""
    return RatingSummary(
        row.review_count,
        row.rating_sum,
        (row.stars_1, row.stars_2, row.stars_3, row.stars_4, row.stars_5),
    )


def _increments(
    table: type[ProductRatingSummary] | type[ShopRatingSummary], delta: RatingSummary
) -> dict[str, object]:
    # In-place increments: concurrent writers never overwrite each other's counts.
    values: dict[str, object] = {
        "review_count": table.review_count + delta.count,
        "rating_sum": table.rating_sum + delta.total,
    }
    for stars, change in enumerate(delta.histogram, start=1):
        if change:
            column = getattr(table, f"stars_{stars}")
            values[f"stars_{stars}"] = column + change
    return values


def apply_delta(session: Session, shop_id: int, product_id: int, delta: RatingSummary) -> None:
    """Add ``delta`` to the product's and the shop's summaries (product row first, always)."""
    if delta.is_zero:
        return
    session.execute(
        update(ProductRatingSummary)
        .where(ProductRatingSummary.product_id == product_id)
        .values(**_increments(ProductRatingSummary, delta))
    )
    session.execute(
        update(ShopRatingSummary)
        .where(ShopRatingSummary.shop_id == shop_id)
        .values(**_increments(ShopRatingSummary, delta))
    )


def _counted_condition(imported_count_in_rating: bool) -> ColumnElement[bool]:
    condition = (Review.status == PUBLISHED) & Product.removed_at.is_(None)
    if not imported_count_in_rating:
        condition = condition & (Review.source == "native")
    return condition


def _aggregate_columns() -> list[ColumnElement[int]]:
    columns: list[ColumnElement[int]] = [
        func.count(Review.id),
        func.coalesce(func.sum(Review.rating), 0),
    ]
    for stars in range(1, 6):
        columns.append(func.coalesce(func.sum(case((Review.rating == stars, 1), else_=0)), 0))
    return columns


def recomputed_product_summaries(
    session: Session, shop_id: int, imported_count_in_rating: bool
) -> dict[int, RatingSummary]:
    """Every product's summary computed from its reviews (SQL aggregation)."""
    query = (
        select(Review.product_id, *_aggregate_columns())
        .join(Product, Product.id == Review.product_id)
        .where(Review.shop_id == shop_id, _counted_condition(imported_count_in_rating))
        .group_by(Review.product_id)
    )
    result: dict[int, RatingSummary] = {}
    for row in session.execute(query):
        product_id, count, total, s1, s2, s3, s4, s5 = (int(v) for v in row)
        result[product_id] = RatingSummary(count, total, (s1, s2, s3, s4, s5))
    return result


@dataclass(frozen=True)
class Drift:
    """A stored summary that differs from the recomputed one."""

    scope: str
    shop_id: int
    product_id: int | None
    stored: RatingSummary
    recomputed: RatingSummary


def shop_ids(platform: Platform) -> list[int]:
    """Every shop's id."""
    with platform.db.read() as session:
        return list(session.scalars(select(Shop.id).order_by(Shop.id)))


def check_summaries(
    platform: Platform, actor: Principal, *, fix: bool = False, only: list[int] | None = None
) -> list[Drift]:
    """Recompute every summary from scratch; report (and with ``fix`` repair) any drift.

    Each shop is checked in its own write transaction, so the comparison is made against a
    state no writer can change halfway.
    """
    require_operator(actor)
    drifts: list[Drift] = []
    for shop_id in only if only is not None else shop_ids(platform):
        with platform.db.write() as session:
            shop_row = session.scalars(
                select(ShopRatingSummary)
                .where(ShopRatingSummary.shop_id == shop_id)
                .with_for_update()
            ).one()
            recomputed = recomputed_product_summaries(
                session, shop_id, platform.settings.imported_count_in_rating
            )
            shop_total = RatingSummary()
            rows = session.scalars(
                select(ProductRatingSummary)
                .where(ProductRatingSummary.shop_id == shop_id)
                .with_for_update()
            ).all()
            found: list[Drift] = []
            for row in rows:
                fresh = recomputed.get(row.product_id, RatingSummary())
                shop_total = shop_total + fresh
                if summary_of(row) != fresh:
                    found.append(Drift("product", shop_id, row.product_id, summary_of(row), fresh))
                    if fix:
                        _store(row, fresh)
            if summary_of(shop_row) != shop_total:
                found.append(Drift("shop", shop_id, None, summary_of(shop_row), shop_total))
                if fix:
                    _store(shop_row, shop_total)
            if found:
                audit(
                    session,
                    actor,
                    "summaries.fix" if fix else "summaries.drift",
                    "shop",
                    shop_id,
                    shop_id,
                    {"drifts": len(found)},
                )
            drifts.extend(found)
    return drifts


def _store(row: ProductRatingSummary | ShopRatingSummary, value: RatingSummary) -> None:
    row.review_count = value.count
    row.rating_sum = value.total
    row.stars_1, row.stars_2, row.stars_3, row.stars_4, row.stars_5 = value.histogram
