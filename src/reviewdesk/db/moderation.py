"""Tables of what happens to reviews after they are written: the text engine's analysis,
moderation decisions, seller replies, private cases and reports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from reviewdesk.db.base import Base, Id, UTCDateTime, utcnow

OPEN_REPORT = text("status IN ('submitted', 'in_review')")


class ReviewAnalysis(Base):
    """The text engine's reading of a review's current version (one row per review)."""

    __tablename__ = "review_analyses"
    __table_args__ = (Index("ix_review_analyses_shop_group", "shop_id", "complaint_group"),)

    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    version: Mapped[int] = mapped_column(Integer)
    language: Mapped[str | None] = mapped_column(String(8))
    sentiment: Mapped[str] = mapped_column(String(8))
    sentiment_score: Mapped[float] = mapped_column(Float)
    top_category: Mapped[str | None] = mapped_column(String(40))
    complaint_group: Mapped[str | None] = mapped_column(String(16))
    categories: Mapped[str] = mapped_column(Text, default="[]")
    aspects: Mapped[str] = mapped_column(Text, default="[]")
    flags: Mapped[str] = mapped_column(Text, default="[]")
    deceptive_score: Mapped[float] = mapped_column(Float, default=0.0)
    analysed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ModerationDecision(Base):
    """Every moderation step of a review, automatic or by a moderator, with its reasons."""

    __tablename__ = "moderation_decisions"
    __table_args__ = (Index("ix_moderation_decisions_review", "review_id", "id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    action: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    reasons: Mapped[str] = mapped_column(Text, default="[]")
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewReply(Base):
    """The seller's one public reply to a review."""

    __tablename__ = "review_replies"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), unique=True)
    body: Mapped[str] = mapped_column(Text)
    warnings: Mapped[str] = mapped_column(Text, default="[]")
    author: Mapped[str] = mapped_column(String(64))
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewCase(Base):
    """A private follow-up between the seller and the buyer about a review."""

    __tablename__ = "review_cases"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), unique=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id"), index=True)
    status: Mapped[str] = mapped_column(String(24))
    resolution: Mapped[str | None] = mapped_column(String(16))
    opened_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CaseMessage(Base):
    __tablename__ = "case_messages"
    __table_args__ = (Index("ix_case_messages_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("review_cases.id"))
    author_role: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewReport(Base):
    """A seller's report of a review, and the moderator's decision on it."""

    __tablename__ = "review_reports"
    __table_args__ = (
        # One open report per review.
        Index(
            "uq_review_reports_open",
            "review_id",
            unique=True,
            sqlite_where=OPEN_REPORT,
            postgresql_where=OPEN_REPORT,
        ),
        Index("ix_review_reports_shop", "shop_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    reason: Mapped[str] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    reporter: Mapped[str] = mapped_column(String(64))
    moderator_note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    in_review_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReportEvidence(Base):
    __tablename__ = "report_evidence"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    report_id: Mapped[int] = mapped_column(ForeignKey("review_reports.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(300))
    mime: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(300))
    size_bytes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
