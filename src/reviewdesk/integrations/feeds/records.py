"""What the feed writers take: plain, immutable records the export service fills.

The writers never read a database: the export service (``services/exports``) turns rows
from a cursor into these records, one at a time, so a feed of any size is written in
bounded memory. Records carry only what is already public about a review (the masked
display name, never an e-mail address or a buyer id) plus the seller-side fields of the
seller's own export (reply, labels, categories).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from reviewdesk.errors import InvalidInput

_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")


@dataclass(frozen=True, slots=True)
class ExportedProduct:
    """The reviewed product and every identifier a feed may match it by."""

    id: int
    name: str
    url: str
    brand: str | None = None
    mpn: str | None = None
    gtins: tuple[str, ...] = ()
    skus: tuple[str, ...] = ()
    handle: str | None = None


@dataclass(frozen=True, slots=True)
class ExportedReview:
    """One published review as every export format sees it."""

    review_id: int
    product: ExportedProduct
    rating: int
    title: str | None
    body: str | None
    created_at: datetime
    updated_at: datetime
    reviewer_display: str
    is_anonymous: bool
    verified: bool
    incentivized: bool
    source: str
    language: str | None
    helpful_count: int
    media_urls: tuple[str, ...]
    reply: str | None
    reply_at: datetime | None
    labels: tuple[str, ...]
    categories: tuple[str, ...]
    review_url: str

    def __post_init__(self) -> None:
        # Checked here, where the service builds the record, so that a bad row fails
        # with its review id rather than as a broken feed on Google's or Meta's side.
        if not 1 <= self.rating <= 5:
            raise _refuse(self, "export_rating_out_of_range", f"rating {self.rating} not 1-5")
        for name in ("created_at", "updated_at", "reply_at"):
            value = getattr(self, name)
            if value is not None and value.utcoffset() is None:
                raise _refuse(self, "export_naive_datetime", f"{name} has no time zone")
        if not self.review_url.strip() or not self.product.url.strip():
            # Both feeds require them; an empty one would reject the whole feed.
            raise _refuse(self, "export_missing_url", "review_url and product url are required")
        if _EMAIL.search(self.reviewer_display):
            # Feeds are public: a reviewer appears by the masked display name only.
            raise _refuse(self, "export_reviewer_email", "reviewer_display looks like an e-mail")


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """Who publishes a feed: the publisher (Google) or the store (Meta)."""

    publisher_name: str
    store_name: str
    store_urls: tuple[str, ...] = ()
    store_id: str | None = None
    publisher_favicon: str | None = None
    aggregator_name: str | None = "reviewdesk"

    def __post_init__(self) -> None:
        if not self.store_name.strip():
            raise InvalidInput("export_missing_store_name", "a feed needs the store's name")


def _refuse(review: ExportedReview, code: str, detail: str) -> InvalidInput:
    return InvalidInput(code, f"review {review.review_id}: {detail}", review_id=review.review_id)
