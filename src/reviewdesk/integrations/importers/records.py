"""What an importer hands to the import service: one record per row, or a problem.

``ImportedRow`` is the normalised review whatever the source; ``RowProblem`` is a row that
could not be read (the service reports it with its row number and goes on). Whole-file
refusals (a binary file, an unsafe XML feed, missing columns...) are ``ImportFileError``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from reviewdesk.errors import InvalidInput

SourceKind = Literal["product", "store", "site"]


@dataclass(frozen=True)
class ImportedRow:
    """One review read from an import file, normalised; ``raw`` keeps the original cells."""

    row_number: int
    source: str
    external_review_id: str | None
    rating: int
    created_at: datetime
    platform_product_id: str | None = None
    platform_variant_id: str | None = None
    handle: str | None = None
    sku: str | None = None
    gtin: str | None = None
    product_name: str | None = None
    product_url: str | None = None
    brand: str | None = None
    mpn: str | None = None
    title: str | None = None
    body: str | None = None
    reviewer_name: str | None = None
    reviewer_email: str | None = None
    verified: bool | None = None
    incentivized: bool | None = None
    media_urls: tuple[str, ...] = ()
    reply: str | None = None
    reply_at: datetime | None = None
    published: bool | None = None
    source_kind: SourceKind = "product"
    content_hash: str = ""
    raw: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class RowProblem:
    """A row that cannot become a review, with the reason (``code`` is stable)."""

    row_number: int
    column: str | None
    code: str
    message: str


class ImportFileError(InvalidInput):
    """The file as a whole cannot be read (or cannot be read any further)."""

    def __init__(
        self,
        code: str,
        detail: str,
        *,
        row_number: int | None = None,
        byte_offset: int | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(code, detail, row_number=row_number, byte_offset=byte_offset, **extra)
        self.row_number = row_number
        self.byte_offset = byte_offset
        if code == "file_too_large":
            self.status = 413


def _canonical(text: str | None) -> str:
    if text is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", text).split())


def content_hash(
    *,
    product_keys: tuple[str | None, ...],
    rating: int,
    title: str | None,
    body: str | None,
    created_at: datetime,
    reviewer_name: str | None,
    reviewer_email: str | None,
) -> str:
    """SHA-256 of the review's content, for deduplication when there is no external id.

    Text is NFC-normalised with whitespace collapsed and the e-mail casefolded, so a file
    re-saved by a spreadsheet (CRLF, trailing blanks) hashes the same. The source is not
    part of the hash: the service scopes it by source already.
    """
    parts = [
        *(_canonical(key) for key in product_keys),
        str(rating),
        _canonical(title),
        _canonical(body),
        created_at.isoformat(),
        _canonical(reviewer_name),
        _canonical(reviewer_email).casefold(),
    ]
    # joined by U+001F, removed from the parts themselves, so that no two contents collide
    encoded = "\x1f".join(part.replace("\x1f", "") for part in parts).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()
