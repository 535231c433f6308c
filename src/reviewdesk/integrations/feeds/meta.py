"""Meta (Facebook and Instagram Shops) product review feed, CSV.

Columns as Meta's "Product Review Feed Schema" (CSV variant, Commerce Platform docs)
lists them, in that order: ``aggregator``, ``store.name``, ``store.id``,
``store.storeUrls``, ``reviewID``, ``rating``, ``title``, ``content``, ``created_at``,
``updated_at``, ``review_image_urls``, ``incentivized``, ``has_verified_purchase``,
``reviewer.name``, ``reviewer.reviewerID``, ``reviewer.isAnonymous``; then the product
columns.

Unconfirmed (we could not read that part of Meta's page; check it before onboarding a
shop and change ``META_COLUMNS`` / ``_product_cells`` only):

- the product columns: we write ``product.name``, ``product.url``, ``product.brand``,
  ``product.productIdentifiers.gtins``, ``product.productIdentifiers.mpns`` and
  ``product.productIdentifiers.skus``, after the JSON variant of the schema, whose
  ``Product`` carries a name, a URL and product identifiers;
- how an ``Array<string>`` cell is written: we write a JSON array
  (``["https://a.example","https://b.example"]``), the form Meta's examples use.

Rules: booleans are ``true``/``false``; times are UTC ISO 8601, which Meta's examples
allow; ``content`` must be non-empty, so a review without a body uses its title, and a
bare star rating is left out and not counted; ``reviewer.reviewerID`` stays empty (a
public feed identifies no buyer); ``reviewer.name`` is the masked display name. Cells are
not formula-neutralised: this file is read by Meta's ingestion, and a quote prefix would
change the review text shoppers see (the seller's own CSV export does neutralise).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import BinaryIO

from reviewdesk.integrations.feeds.records import ExportedReview, FeedInfo
from reviewdesk.integrations.feeds.streams import csv_writer
from reviewdesk.integrations.feeds.text import clean_text, utc_timestamp

META_COLUMNS = (
    "aggregator",
    "store.name",
    "store.id",
    "store.storeUrls",
    "reviewID",
    "rating",
    "title",
    "content",
    "created_at",
    "updated_at",
    "review_image_urls",
    "incentivized",
    "has_verified_purchase",
    "reviewer.name",
    "reviewer.reviewerID",
    "reviewer.isAnonymous",
    "product.name",
    "product.url",
    "product.brand",
    "product.productIdentifiers.gtins",
    "product.productIdentifiers.mpns",
    "product.productIdentifiers.skus",
)


def write_meta_feed(
    reviews: Iterable[ExportedReview], info: FeedInfo, out: BinaryIO, *, bom: bool = False
) -> int:
    """Stream a Meta product review feed (CSV) to ``out``; the number of reviews written."""
    store = [
        clean_text(info.aggregator_name),
        clean_text(info.store_name),
        clean_text(info.store_id),
        _array(info.store_urls),
    ]
    written = 0
    with csv_writer(out, bom=bom) as writer:
        writer.writerow(META_COLUMNS)
        for review in reviews:
            title = clean_text(review.title).strip()
            content = clean_text(review.body).strip()
            if not content:
                content, title = title, ""
            if not content:
                continue
            product = review.product
            writer.writerow(
                [
                    *store,
                    str(review.review_id),
                    review.rating,
                    title,
                    content,
                    utc_timestamp(review.created_at),
                    utc_timestamp(review.updated_at),
                    _array(review.media_urls),
                    _boolean(review.incentivized),
                    _boolean(review.verified),
                    clean_text(review.reviewer_display).strip() or "a***s",
                    "",
                    _boolean(review.is_anonymous),
                    clean_text(product.name),
                    clean_text(product.url),
                    clean_text(product.brand),
                    _array(product.gtins),
                    _array((product.mpn,) if product.mpn else ()),
                    _array(product.skus),
                ]
            )
            written += 1
    return written


def _array(values: Iterable[str]) -> str:
    items = [v for v in (clean_text(value).strip() for value in values) if v]
    return json.dumps(items, ensure_ascii=False, separators=(",", ":")) if items else ""


def _boolean(value: bool) -> str:
    return "true" if value else "false"
