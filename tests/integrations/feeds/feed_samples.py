"""Records for the feed tests: one realistic review, overridable field by field."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from reviewdesk.domain.display import review_labels
from reviewdesk.integrations.feeds import ExportedProduct, ExportedReview, FeedInfo

FEED_INFO = FeedInfo(
    publisher_name="Toko Kopi Nusantara",
    store_name="Toko Kopi Nusantara",
    store_id="shop-17",
    store_urls=("https://kopi.example", "https://www.kopi.example"),
    publisher_favicon="https://kopi.example/favicon.png",
)

JAKARTA = timezone(timedelta(hours=7))


def a_product(**changes: Any) -> ExportedProduct:
    """A product with every identifier set."""
    product = ExportedProduct(
        id=42,
        name="Kopi Gayo 250 g",
        url="https://kopi.example/products/kopi-gayo",
        brand="Gayo Highlands",
        mpn="GH-250",
        gtins=("08991234567890",),
        skus=("KG-250",),
        handle="kopi-gayo",
    )
    return replace(product, **changes)


def a_review(**changes: Any) -> ExportedReview:
    """A verified native review with a photo and a reply."""
    fields: dict[str, Any] = {
        "review_id": 1001,
        "product": a_product(),
        "rating": 4,
        "title": "Harum sekali",
        "body": "Aromanya kuat, pengiriman cepat. Would buy again!",
        "created_at": datetime(2024, 5, 1, 15, 30, tzinfo=JAKARTA),
        "updated_at": datetime(2024, 5, 2, 9, 0, tzinfo=UTC),
        "reviewer_display": "b***i",
        "is_anonymous": False,
        "verified": True,
        "incentivized": False,
        "source": "native",
        "language": "id",
        "helpful_count": 3,
        "media_urls": ("https://cdn.kopi.example/m/1.jpg",),
        "reply": "Terima kasih, Budi!",
        "reply_at": datetime(2024, 5, 3, 10, 0, tzinfo=UTC),
        "labels": (),
        "categories": ("quality",),
        "review_url": "https://kopi.example/products/kopi-gayo#review-1001",
    }
    fields.update(changes)
    if "labels" not in changes:
        fields["labels"] = tuple(
            review_labels(
                verified=fields["verified"],
                incentivized=fields["incentivized"],
                source=fields["source"],
            )
        )
    return ExportedReview(**fields)


def many_reviews(count: int) -> Iterator[ExportedReview]:
    """``count`` distinct reviews, made one at a time as a database cursor would yield."""
    start = datetime(2023, 1, 1, tzinfo=UTC)
    product = a_product()
    for n in range(count):
        yield ExportedReview(
            review_id=n + 1,
            product=product,
            rating=n % 5 + 1,
            title=f"Review {n} & <more>",
            body=f"Body of review {n}: enak sekali ☕ — {'x' * (n % 200)}",
            created_at=start + timedelta(minutes=n),
            updated_at=start + timedelta(minutes=n),
            reviewer_display="a***s",
            is_anonymous=n % 7 == 0,
            verified=n % 2 == 0,
            incentivized=n % 5 == 0,
            source="native" if n % 3 else "judgeme",
            language="id",
            helpful_count=n % 11,
            media_urls=(f"https://cdn.kopi.example/m/{n}.jpg",) if n % 4 == 0 else (),
            reply="Terima kasih!" if n % 6 == 0 else None,
            reply_at=start + timedelta(days=1, minutes=n) if n % 6 == 0 else None,
            labels=("Verified purchase",) if n % 2 == 0 else (),
            categories=("quality", "shipping") if n % 9 == 0 else (),
            review_url=f"https://kopi.example/products/kopi-gayo#review-{n + 1}",
        )


class DiscardingSink(io.RawIOBase):
    """A binary stream that counts the bytes written to it and keeps none."""

    def __init__(self) -> None:
        super().__init__()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        length = len(memoryview(data).cast("B"))
        self.size += length
        return length
