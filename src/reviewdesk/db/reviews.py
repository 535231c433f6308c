"""Tables of reviews, their history, media, helpful votes and the maintained rating summaries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from reviewdesk.db.base import Base, Id, UTCDateTime, utcnow

NOT_DELETED = text("status <> 'deleted'")


class Review(Base):
    __tablename__ = "reviews"
    __table_args__ = (
        # One live review per order line; a deleted review frees the line.
        Index(
            "uq_reviews_order_line_live",
            "order_line_id",
            unique=True,
            sqlite_where=NOT_DELETED,
            postgresql_where=NOT_DELETED,
        ),
        # Keyset pagination of the public list, one index per sort.
        Index("ix_reviews_product_newest", "product_id", "status", "published_at", "id"),
        Index("ix_reviews_product_helpful", "product_id", "status", "helpful_count", "id"),
        Index("ix_reviews_product_rating", "product_id", "status", "rating", "id"),
        Index("ix_reviews_shop_newest", "shop_id", "status", "published_at", "id"),
        Index("ix_reviews_buyer", "buyer_id", "id"),
        # An imported review appears once (no foreign key: the column came after the table).
        Index("uq_reviews_imported_review", "imported_review_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variants.id"))
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"))
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("buyers.id"))
    imported_review_id: Mapped[int | None] = mapped_column(Id)
    source: Mapped[str] = mapped_column(String(32), default="native")
    status: Mapped[str] = mapped_column(String(16))
    rating: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    # The copy shown publicly: personal data in the text masked.
    public_title: Mapped[str | None] = mapped_column(String(300))
    public_body: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    reviewer_display: Mapped[str] = mapped_column(String(64))
    is_verified: Mapped[bool] = mapped_column(Boolean)
    is_incentivized: Mapped[bool] = mapped_column(Boolean, default=False)
    has_text: Mapped[bool] = mapped_column(Boolean, default=False)
    photo_count: Mapped[int] = mapped_column(Integer, default=0)
    video_count: Mapped[int] = mapped_column(Integer, default=0)
    helpful_count: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set while the review waits for a moderator (status "held").
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReviewRevision(Base):
    """Each version of a review as the buyer wrote it (the edit history)."""

    __tablename__ = "review_revisions"
    __table_args__ = (UniqueConstraint("review_id", "version"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    version: Mapped[int] = mapped_column(Integer)
    rating: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    photo_count: Mapped[int] = mapped_column(Integer, default=0)
    video_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewMedia(Base):
    __tablename__ = "review_media"
    # Media URLs carry the id and are cached for long: an id is never handed out twice.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    mime: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(300))
    thumb_key: Mapped[str | None] = mapped_column(String(300))
    # Media of an imported review kept as a link (not fetched): no stored bytes.
    source_url: Mapped[str | None] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HelpfulVote(Base):
    __tablename__ = "helpful_votes"
    __table_args__ = (UniqueConstraint("review_id", "voter_key"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    voter_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class _SummaryColumns:
    review_count: Mapped[int] = mapped_column(Integer, default=0)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)
    stars_1: Mapped[int] = mapped_column(Integer, default=0)
    stars_2: Mapped[int] = mapped_column(Integer, default=0)
    stars_3: Mapped[int] = mapped_column(Integer, default=0)
    stars_4: Mapped[int] = mapped_column(Integer, default=0)
    stars_5: Mapped[int] = mapped_column(Integer, default=0)


class ProductRatingSummary(_SummaryColumns, Base):
    """Count, sum and histogram of a product's counted reviews, kept in the writing transaction."""

    __tablename__ = "product_rating_summaries"

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)


class ShopRatingSummary(_SummaryColumns, Base):
    """The same over all the shop's listed products."""

    __tablename__ = "shop_rating_summaries"

    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), primary_key=True)
