"""Negative Review Rate of a shop and of a product (product.md §1; rules in domain/nrr.py).

One SQL statement per report, aggregated in the database (``UNION ALL`` of):

- the denominator as one ``count(*)`` per *segment*: the largest window cut at every UTC
  midnight and every window's start (about 64 for 7/30/60 days), each an index-only range
  count on ``ix_order_lines_shop_delivered`` / ``ix_order_lines_product_delivered``. This is
  several times faster than grouping a million rows by day, on both databases;
- the numerator: the counted negative reviews (a materialized CTE reaching each one's order
  line and analysis by primary key), grouped by the segment of their line's delivery, with
  and without the logistics ones.

Python then adds the at most ~65 segment rows into windows and days (each is a sum of whole
segments). One statement is one snapshot, so numerator and denominator always agree, on
PostgreSQL too. ``bench/nrr.py`` measures it on a shop with a million delivered lines.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    case,
    func,
    literal_column,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from reviewdesk.db.catalog import Product
from reviewdesk.db.moderation import ReviewAnalysis
from reviewdesk.db.orders import OrderLine
from reviewdesk.db.reviews import Review
from reviewdesk.domain.nrr import (
    COUNTED_STATUSES,
    LOGISTICS,
    NATIVE,
    NEGATIVE_MAX_RATING,
    NrrWindows,
    rate_percent,
)
from reviewdesk.domain.principals import Principal
from reviewdesk.errors import NotFound
from reviewdesk.services.access import shop_for_staff
from reviewdesk.services.platform import Platform


class NrrRate(BaseModel):
    negative_reviews: int = Field(description="Numerator: the counted negative reviews")
    delivered_order_lines: int = Field(description="Denominator: order lines delivered")
    percent: float | None = Field(
        description="negative_reviews / delivered_order_lines as a percentage, 2 decimals; "
        "null when nothing was delivered"
    )


class NrrWindow(BaseModel):
    window_days: int
    start: datetime = Field(description="Earliest delivery time inside the window")
    end: datetime = Field(description="The time the figures were computed")
    nrr: NrrRate = Field(description="Negative Review Rate: every native 1-2 star review")
    seller_attributable_nrr: NrrRate = Field(
        description="Seller-attributable NRR: negatives classified as logistics-caused left out"
    )


class NrrDay(BaseModel):
    date: dt.date = Field(description="UTC day of delivery (the first and last are partial)")
    delivered_order_lines: int
    negative_reviews: int
    seller_attributable_negative_reviews: int


class NrrReport(BaseModel):
    shop_id: int
    product_id: int | None = Field(description="Null for the whole shop")
    computed_at: datetime
    windows: list[NrrWindow]
    daily: list[NrrDay] = Field(description="The largest window, day by day of delivery")


def shop_nrr(platform: Platform, actor: Principal, shop_id: int) -> NrrReport:
    """The shop's NRR over every configured window, and its daily series (shop staff)."""
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
        return _report(platform, session, shop_id, None)


def product_nrr(platform: Platform, actor: Principal, shop_id: int, product_id: int) -> NrrReport:
    """One product's NRR over every configured window, and its daily series (shop staff)."""
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
        product = session.get(Product, product_id)
        # A removed product keeps its NRR: its order lines were delivered all the same.
        if product is None or product.shop_id != shop_id:
            raise NotFound("product_not_found", f"product {product_id} is not in this shop")
        return _report(platform, session, shop_id, product_id)


def nrr_statement(
    windows: NrrWindows, shop_id: int, product_id: int | None = None
) -> CompoundSelect[Any]:
    """The one statement of an NRR report: rows of (segment number, delivered lines,
    negatives, seller-attributable negatives), segments as ``windows.segments`` lists them."""
    segments = windows.segments
    zero: ColumnElement[int] = literal_column("0")
    if product_id is not None:
        lines_scope = OrderLine.product_id == product_id
        reviews_scope = Review.product_id == product_id
    else:
        lines_scope = OrderLine.shop_id == shop_id
        # Through the products: SQLite then reads (product_id, status, rating) index
        # entries of the negatives only, where the shop's index would visit every review.
        reviews_scope = Review.product_id.in_(select(Product.id).where(Product.shop_id == shop_id))
    # Denominator: one range count per segment, each an index-only range scan of
    # (shop_id | product_id, delivered_at); no per-row grouping work at all.
    parts: list[Select[*tuple[Any, ...]]] = [
        select(literal_column(str(i)), func.count(), zero, zero).where(
            lines_scope,
            OrderLine.delivered_at >= segment.start,
            OrderLine.delivered_at <= segment.end
            if segment.closed
            else OrderLine.delivered_at < segment.end,
        )
        for i, segment in enumerate(segments)
    ]
    # Numerator: the counted negatives, each reaching its order line by primary key. The
    # logistics ones are found once through ix_review_analyses_shop_group and probed as a
    # set, not looked up review by review. Materialized, so each lookup runs once per review
    # whatever refers to its result, and PostgreSQL does not hash-join the whole order_lines
    # table instead.
    logistics = select(ReviewAnalysis.review_id).where(
        ReviewAnalysis.shop_id == shop_id, ReviewAnalysis.complaint_group == LOGISTICS
    )
    negatives = (
        select(
            select(OrderLine.delivered_at)
            .where(OrderLine.id == Review.order_line_id, lines_scope)
            .scalar_subquery()
            .label("delivered_at"),
            case((Review.id.in_(logistics), 0), else_=1).label("attributable"),
        )
        .where(
            reviews_scope,
            Review.rating <= NEGATIVE_MAX_RATING,
            Review.source == NATIVE,
            Review.status.in_(COUNTED_STATUSES),
            Review.order_line_id.is_not(None),
        )
        .cte("nrr_negatives")
        .prefix_with("MATERIALIZED")
    )
    delivered = negatives.c.delivered_at
    segment_of = case(
        *[(delivered < segment.end, i) for i, segment in enumerate(segments[:-1])],
        else_=len(segments) - 1,
    )
    parts.append(
        select(segment_of, zero, func.count(), func.sum(negatives.c.attributable))
        .where(delivered >= segments[0].start, delivered <= windows.now)
        .group_by(segment_of)
    )
    return union_all(*parts)


def _report(
    platform: Platform, session: Session, shop_id: int, product_id: int | None
) -> NrrReport:
    windows = NrrWindows(platform.now(), tuple(platform.settings.nrr_windows))
    segments = windows.segments
    if platform.db.dialect == "postgresql":
        # Compiling this statement to machine code costs more (~0.3 s) than it ever saves.
        session.execute(text("SET LOCAL jit = off"))
    found = [[0, 0, 0] for _ in segments]
    for i, lines, negatives, attributable in session.execute(
        nrr_statement(windows, shop_id, product_id)
    ):
        counts = found[int(i)]
        counts[0] += int(lines)
        counts[1] += int(negatives)
        counts[2] += int(attributable)
    by_window = {d: [0, 0, 0] for d in windows.days}
    by_day = {d: [0, 0, 0] for d in windows.series_days}
    for segment, counts in zip(segments, found, strict=True):
        for total in (*(by_window[d] for d in segment.windows), by_day[segment.day]):
            for k in range(3):
                total[k] += counts[k]
    return NrrReport(
        shop_id=shop_id,
        product_id=product_id,
        computed_at=windows.now,
        windows=[
            NrrWindow(
                window_days=d,
                start=windows.start(d),
                end=windows.now,
                nrr=_rate(by_window[d][1], by_window[d][0]),
                seller_attributable_nrr=_rate(by_window[d][2], by_window[d][0]),
            )
            for d in windows.days
        ],
        daily=[
            NrrDay(
                date=day,
                delivered_order_lines=counts[0],
                negative_reviews=counts[1],
                seller_attributable_negative_reviews=counts[2],
            )
            for day, counts in by_day.items()
        ],
    )


def _rate(negatives: int, delivered: int) -> NrrRate:
    return NrrRate(
        negative_reviews=negatives,
        delivered_order_lines=delivered,
        percent=rate_percent(negatives, delivered),
    )
