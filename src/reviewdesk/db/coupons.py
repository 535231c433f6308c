"""Tables of review promotions and the coupons they issue."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reviewdesk.db.base import Base, Id, UTCDateTime, utcnow


class ReviewPromotion(Base):
    __tablename__ = "review_promotions"
    __table_args__ = (Index("ix_review_promotions_shop_window", "shop_id", "start_at", "end_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    name: Mapped[str] = mapped_column(String(200))
    discount_kind: Mapped[str] = mapped_column(String(8))
    discount_value: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    covers_all: Mapped[bool] = mapped_column(Boolean)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    budget: Mapped[int | None] = mapped_column(Integer)
    # Kept in the issuing transaction under a row lock: the budget is never exceeded.
    issued_count: Mapped[int] = mapped_column(Integer, default=0)
    coupon_days: Mapped[int] = mapped_column(Integer, default=60)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ReviewPromotionProduct(Base):
    __tablename__ = "review_promotion_products"
    __table_args__ = (UniqueConstraint("promotion_id", "product_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    promotion_id: Mapped[int] = mapped_column(ForeignKey("review_promotions.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)


class Coupon(Base):
    """One coupon, earned by one review; at most one per order line per promotion."""

    __tablename__ = "coupons"
    __table_args__ = (
        # Deleting a review and writing it again never earns a second coupon.
        UniqueConstraint("promotion_id", "order_line_id"),
        Index("ix_coupons_buyer", "buyer_id", "id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    promotion_id: Mapped[int] = mapped_column(ForeignKey("review_promotions.id"), index=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id"))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    discount_kind: Mapped[str] = mapped_column(String(8))
    discount_value: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    redeemed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    redeemed_order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    # What the order system reports the coupon took off (the promotion's cost).
    redeemed_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
