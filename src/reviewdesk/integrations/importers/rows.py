"""One row's cells (by target field) turned into an ``ImportedRow`` or a ``RowProblem``.

Cells are kept as data: nothing is evaluated or escaped (a ``=HYPERLINK(...)`` body stays
that text; neutralising formulas is the exporters' job). Text is stripped of surrounding
blanks and its CRLF line ends become LF, nothing more. A GTIN that fails its check digit
becomes ``gtin=None`` (the cell stays in ``raw``) so that it never matches a product by
accident.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from decimal import Decimal

from reviewdesk.domain.identifiers import try_normalise
from reviewdesk.integrations.importers.records import ImportedRow, RowProblem, content_hash
from reviewdesk.integrations.importers.sources import SourceSpec
from reviewdesk.integrations.importers.values import (
    DateOrder,
    RatingError,
    parse_bool,
    parse_datetime,
    parse_media_urls,
    parse_published,
    parse_rating,
    parse_source_kind,
)


@dataclass(frozen=True)
class RowContext:
    """What every row of one file is read with."""

    spec: SourceSpec
    header_of: Mapping[str, str]
    date_order: DateOrder
    zone: tzinfo = UTC


def build_row(
    row_number: int,
    cells: Mapping[str, str],
    raw: Mapping[str, str],
    context: RowContext,
    *,
    rating_scale: tuple[Decimal, Decimal] | None = None,
) -> ImportedRow | RowProblem:
    """The normalised review of one row, or the first reason it cannot be one."""

    present = {
        target: stripped.replace("\r\n", "\n")
        for target, value in cells.items()
        if (stripped := value.strip())
    }
    text = present.get

    def problem(target: str, code: str, message: str) -> RowProblem:
        column = context.header_of.get(target, target)
        return RowProblem(row_number, column, code, f"row {row_number}, {column}: {message}")

    rating_text = text("rating")
    if rating_text is None:
        return problem("rating", "missing_rating", "there is no rating")
    try:
        if rating_scale is None:
            rating = parse_rating(rating_text)
        else:
            rating = parse_rating(rating_text, best=rating_scale[1], worst=rating_scale[0])
    except RatingError as error:
        return problem("rating", "invalid_rating", str(error))

    dates: dict[str, datetime | None] = {}
    for target in ("created_at", "reply_at"):
        value = text(target)
        if value is None:
            dates[target] = None
            continue
        try:
            dates[target] = parse_datetime(value, order=context.date_order, zone=context.zone)
        except (ValueError, OverflowError, OSError) as error:
            return problem(target, "invalid_date", str(error))
    created_at = dates["created_at"]
    if created_at is None:
        return problem("created_at", "missing_date", "there is no review date")

    gtin_text = text("gtin")
    published_text, hidden_text = text("published"), text("hidden")
    published = parse_published(published_text) if published_text else None
    if published is None and hidden_text:
        hidden = parse_bool(hidden_text)
        published = None if hidden is None else not hidden
    kind_text, handle = text("source_kind"), text("handle")
    source_kind = (parse_source_kind(kind_text) if kind_text else None) or "product"
    if handle is not None and handle.casefold() in context.spec.store_handles:
        source_kind = "store"
    verified_text, incentive_text = text("verified"), text("incentivized")
    media_text = text("media_urls")
    keys = {
        "platform_product_id": text("platform_product_id"),
        "platform_variant_id": text("platform_variant_id"),
        "handle": handle,
        "sku": text("sku"),
        "gtin": try_normalise(gtin_text) if gtin_text else None,
    }
    title, body = text("title"), text("body")
    reviewer_name, reviewer_email = text("reviewer_name"), text("reviewer_email")
    return ImportedRow(
        row_number=row_number,
        source=context.spec.key,
        external_review_id=text("external_review_id"),
        rating=rating,
        created_at=created_at,
        **keys,
        product_name=text("product_name"),
        product_url=text("product_url"),
        brand=text("brand"),
        mpn=text("mpn"),
        title=title,
        body=body,
        reviewer_name=reviewer_name,
        reviewer_email=reviewer_email,
        verified=parse_bool(verified_text) if verified_text else None,
        incentivized=parse_bool(incentive_text) if incentive_text else None,
        media_urls=parse_media_urls(media_text) if media_text else (),
        reply=text("reply"),
        reply_at=dates["reply_at"],
        published=published,
        source_kind=source_kind,
        content_hash=content_hash(
            product_keys=tuple(keys.values()),
            rating=rating,
            title=title,
            body=body,
            created_at=created_at,
            reviewer_name=reviewer_name,
            reviewer_email=reviewer_email,
        ),
        raw=dict(raw),
    )
