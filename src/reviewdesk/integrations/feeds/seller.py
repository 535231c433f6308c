"""The seller's own export of a shop's reviews: CSV for spreadsheets, JSON lines for code.

Every field of ``ExportedReview`` is written, reply, labels and categories included.

CSV rules:

- **Formula injection** (OWASP "CSV Injection"): a text cell that starts with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return, or with the full-width forms
  ``＝ ＋ － ＠``, is prefixed with a single quote ``'`` so a spreadsheet shows it as
  text instead of running it. The rule applies to every *text* column (titles, bodies,
  replies, names, URLs, identifiers, list cells); the *numeric* columns (``review_id``,
  ``product_id``, ``rating``, ``helpful_count``) are written from integers and never
  prefixed, so ``-3`` there stays a number. A title "-3 stars" is text and is prefixed.
- List fields (GTINs, SKUs, media URLs, labels, categories) are one cell each, items
  separated by a line feed (no item can contain one).
- Booleans are ``true``/``false``; times are UTC ISO 8601 (``2024-05-01T08:30:00Z``);
  absent values are empty cells.
- UTF-8, optionally with a byte order mark for Excel (``bom=True``).

JSON lines: one object a line, UTF-8 (not ASCII-escaped), lists as arrays, absent values
as null, U+2028/U+2029 escaped so that line-splitting readers see one review a line.

Text is cleaned of the characters XML 1.0 forbids (NUL and other C0 controls, lone
surrogates) in both formats, as in every export.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any, BinaryIO

from reviewdesk.integrations.feeds.records import ExportedReview
from reviewdesk.integrations.feeds.streams import csv_writer
from reviewdesk.integrations.feeds.text import clean_text, utc_timestamp

SELLER_COLUMNS = (
    "review_id",
    "product_id",
    "product_name",
    "product_url",
    "product_handle",
    "product_brand",
    "product_mpn",
    "product_gtins",
    "product_skus",
    "rating",
    "title",
    "body",
    "created_at",
    "updated_at",
    "reviewer_display",
    "is_anonymous",
    "verified",
    "incentivized",
    "source",
    "language",
    "helpful_count",
    "media_urls",
    "reply",
    "reply_at",
    "labels",
    "categories",
    "review_url",
)

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise_formula(cell: str) -> str:
    """``cell`` prefixed with ``'`` when a spreadsheet would read it as a formula."""
    return "'" + cell if cell.startswith(FORMULA_TRIGGERS) else cell


def write_reviews_csv(
    reviews: Iterable[ExportedReview], out: BinaryIO, *, bom: bool = False
) -> int:
    """Stream the seller's CSV export to ``out``; the number of reviews written."""
    written = 0
    with csv_writer(out, bom=bom) as writer:
        writer.writerow(SELLER_COLUMNS)
        for review in reviews:
            writer.writerow(_csv_row(review))
            written += 1
    return written


def write_reviews_jsonl(reviews: Iterable[ExportedReview], out: BinaryIO) -> int:
    """Stream the seller's JSON lines export to ``out``; the number of reviews written."""
    written = 0
    for review in reviews:
        line = json.dumps(review_object(review), ensure_ascii=False, separators=(",", ":"))
        line = line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        out.write(line.encode("utf-8") + b"\n")
        written += 1
    return written


def review_object(review: ExportedReview) -> dict[str, Any]:
    """The JSON object of one review (the shape of a JSON lines row)."""
    product = review.product
    return {
        "review_id": review.review_id,
        "product": {
            "id": product.id,
            "name": clean_text(product.name),
            "url": clean_text(product.url),
            "handle": _optional(product.handle),
            "brand": _optional(product.brand),
            "mpn": _optional(product.mpn),
            "gtins": [clean_text(v) for v in product.gtins],
            "skus": [clean_text(v) for v in product.skus],
        },
        "rating": review.rating,
        "title": _optional(review.title),
        "body": _optional(review.body),
        "created_at": utc_timestamp(review.created_at),
        "updated_at": utc_timestamp(review.updated_at),
        "reviewer_display": clean_text(review.reviewer_display),
        "is_anonymous": review.is_anonymous,
        "verified": review.verified,
        "incentivized": review.incentivized,
        "source": clean_text(review.source),
        "language": _optional(review.language),
        "helpful_count": review.helpful_count,
        "media_urls": [clean_text(v) for v in review.media_urls],
        "reply": _optional(review.reply),
        "reply_at": _time(review.reply_at),
        "labels": [clean_text(v) for v in review.labels],
        "categories": [clean_text(v) for v in review.categories],
        "review_url": clean_text(review.review_url),
    }


def _csv_row(review: ExportedReview) -> list[str | int]:
    product = review.product
    return [
        review.review_id,
        product.id,
        _cell(product.name),
        _cell(product.url),
        _cell(product.handle),
        _cell(product.brand),
        _cell(product.mpn),
        _cells(product.gtins),
        _cells(product.skus),
        review.rating,
        _cell(review.title),
        _cell(review.body),
        utc_timestamp(review.created_at),
        utc_timestamp(review.updated_at),
        _cell(review.reviewer_display),
        _boolean(review.is_anonymous),
        _boolean(review.verified),
        _boolean(review.incentivized),
        _cell(review.source),
        _cell(review.language),
        review.helpful_count,
        _cells(review.media_urls),
        _cell(review.reply),
        _time(review.reply_at) or "",
        _cells(review.labels),
        _cells(review.categories),
        _cell(review.review_url),
    ]


def _cell(value: str | None) -> str:
    return neutralise_formula(clean_text(value))


def _cells(values: Iterable[str]) -> str:
    return neutralise_formula("\n".join(clean_text(v) for v in values))


def _optional(value: str | None) -> str | None:
    return None if value is None else clean_text(value)


def _time(value: datetime | None) -> str | None:
    return None if value is None else utc_timestamp(value)


def _boolean(value: bool) -> str:
    return "true" if value else "false"
