"""Tables of review imports: the jobs, their report, the imported reviews, product links.

An imported review lives in ``imported_reviews`` from the moment its row is read (matched
or not); a matched one also becomes a row of ``reviews`` (``reviews.imported_review_id``)
when its job completes, or when its external product is linked later.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reviewdesk.db.base import Base, Id, UTCDateTime, utcnow


class ImportJob(Base):
    """One import of one file into one shop, with its options, progress and counts.

    ``rows_done`` is the number of the last row whose outcome is committed: the job
    resumes after it. ``lease_owner``/``lease_until`` keep two workers off one job.
    """

    __tablename__ = "import_jobs"
    __table_args__ = (Index("ix_import_jobs_shop_id_id", "shop_id", "id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    source: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(300))
    file_key: Mapped[str] = mapped_column(String(300))
    file_bytes: Mapped[int] = mapped_column(Id)
    file_sha256: Mapped[str] = mapped_column(String(64))
    mapping: Mapped[str] = mapped_column(Text, default="{}")
    match_by: Mapped[str] = mapped_column(String(16))
    platform: Mapped[str] = mapped_column(String(64))
    day_first: Mapped[bool | None] = mapped_column(Boolean)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    assume_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    fetch_media: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(16))
    rows_total: Mapped[int | None] = mapped_column(Integer)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    unmatched: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="[]")
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_detail: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ImportProblem(Base):
    """A row of an import's report: a skipped or failed row with its reason."""

    __tablename__ = "import_problems"
    __table_args__ = (UniqueConstraint("job_id", "row_number"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    job_id: Mapped[int] = mapped_column(ForeignKey("import_jobs.id"))
    row_number: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(64))
    column_name: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)


class ImportedReview(Base):
    """A review read from another platform's file: its content, external product, state.

    ``dedup_key`` is ``id:<external review id>`` or ``hash:<content hash>``; unique per
    shop and source, so the same file twice creates nothing. ``state`` is ``matched``
    (it has a product), ``unmatched`` or ``deleted``.
    """

    __tablename__ = "imported_reviews"
    __table_args__ = (
        UniqueConstraint("shop_id", "source", "dedup_key"),
        Index("ix_imported_reviews_job", "job_id", "state"),
        Index("ix_imported_reviews_group", "shop_id", "source", "product_key", "state"),
        Index("ix_imported_reviews_shop_state", "shop_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    job_id: Mapped[int] = mapped_column(ForeignKey("import_jobs.id"))
    row_number: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(32))
    dedup_key: Mapped[str] = mapped_column(String(240))
    external_review_id: Mapped[str | None] = mapped_column(String(200))
    # The external product: the key its reviews are grouped (and linked) by, and what the
    # file said about it.
    product_key: Mapped[str] = mapped_column(String(300))
    external_product_id: Mapped[str | None] = mapped_column(String(200))
    external_variant_id: Mapped[str | None] = mapped_column(String(200))
    handle: Mapped[str | None] = mapped_column(String(300))
    sku: Mapped[str | None] = mapped_column(String(200))
    gtin: Mapped[str | None] = mapped_column(String(14))
    product_name: Mapped[str | None] = mapped_column(String(500))
    product_url: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    unmatched_reason: Mapped[str | None] = mapped_column(String(200))
    matched_by: Mapped[str | None] = mapped_column(String(16))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variants.id"))
    rating: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    public_title: Mapped[str | None] = mapped_column(String(300))
    public_body: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    reviewer_name: Mapped[str | None] = mapped_column(String(300))
    reviewer_display: Mapped[str] = mapped_column(String(64))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)
    media_urls: Mapped[str] = mapped_column(Text, default="[]")
    media_fetched: Mapped[bool] = mapped_column(Boolean, default=False)
    reply: Mapped[str | None] = mapped_column(Text)
    reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ImportLink(Base):
    """The seller's decision that an external product (of one source) is one of ours."""

    __tablename__ = "import_links"
    __table_args__ = (UniqueConstraint("shop_id", "source", "product_key"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    source: Mapped[str] = mapped_column(String(32))
    product_key: Mapped[str] = mapped_column(String(300))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variants.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
