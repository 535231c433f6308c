"""Imported reviews after their import: the Matched and Unmatched views, links, deletion.

A link maps an external product (of one source) to one of the shop's products; its
unmatched reviews are published the way an import publishes (``imports.materialise``).
Unlinking and deleting withdraw the reviews they published (they become deleted reviews
and leave the rating summaries).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from reviewdesk.db.catalog import Product, Variant
from reviewdesk.db.imports import ImportedReview, ImportJob, ImportLink
from reviewdesk.db.reviews import Review
from reviewdesk.domain.pagination import decode_cursor, encode_cursor
from reviewdesk.domain.principals import Principal
from reviewdesk.domain.ratings import PUBLISHED
from reviewdesk.errors import Conflict, InvalidInput, NotFound
from reviewdesk.integrations.importers import source_spec
from reviewdesk.services.access import audit, shop_for_staff
from reviewdesk.services.catalog import Page
from reviewdesk.services.imports import (
    COMPLETED,
    MATCHED,
    REMOVED,
    UNMATCHED,
    after_publish,
    apply_links,
    materialise,
    sum_by_product,
)
from reviewdesk.services.platform import Platform
from reviewdesk.services.ratings import apply_delta


class ImportedReviewView(BaseModel):
    """An imported review as the shop's staff sees it (the reviewer's name included)."""

    id: int
    job_id: int
    row_number: int
    source: str
    external_review_id: str | None
    state: Literal["matched", "unmatched", "deleted"]
    product_key: str
    product_name: str | None
    product_id: int | None
    variant_id: int | None
    matched_by: str | None
    unmatched_reason: str | None
    review_id: int | None
    rating: int
    title: str | None
    text: str | None
    reviewer_name: str | None
    reviewer: str
    written_at: datetime
    media_urls: list[str]
    reply: str | None
    reply_at: datetime | None


class ExternalProductView(BaseModel):
    """Reviews of one external product (one source), for the Matched/Unmatched views."""

    source: str
    product_key: str
    product_name: str | None
    external_product_id: str | None
    external_variant_id: str | None
    handle: str | None
    sku: str | None
    gtin: str | None
    product_url: str | None
    product_id: int | None
    review_count: int
    unmatched_reason: str | None
    link_id: int | None


class LinkIn(BaseModel):
    source: str = Field(max_length=32)
    product_key: str = Field(min_length=1, max_length=300)
    product_id: int = Field(ge=1, le=2**63 - 1)
    variant_id: int | None = Field(None, ge=1, le=2**63 - 1)


class LinkView(BaseModel):
    id: int
    shop_id: int
    source: str
    product_key: str
    product_id: int
    variant_id: int | None
    reviews_matched: int = Field(description="reviews this call moved to Matched")
    created_at: datetime


class ExternalProductRef(BaseModel):
    source: str = Field(max_length=32)
    product_key: str = Field(min_length=1, max_length=300)


# ---- the Matched and Unmatched views -----------------------------------------------------------


def _imported_view(row: ImportedReview, review_id: int | None) -> ImportedReviewView:
    return ImportedReviewView(
        id=row.id,
        job_id=row.job_id,
        row_number=row.row_number,
        source=row.source,
        external_review_id=row.external_review_id,
        state=row.state,
        product_key=row.product_key,
        product_name=row.product_name,
        product_id=row.product_id,
        variant_id=row.variant_id,
        matched_by=row.matched_by,
        unmatched_reason=row.unmatched_reason,
        review_id=review_id,
        rating=row.rating,
        title=row.title,
        text=row.body,
        reviewer_name=row.reviewer_name,
        reviewer=row.reviewer_display,
        written_at=row.written_at,
        media_urls=json.loads(row.media_urls),
        reply=row.reply,
        reply_at=row.reply_at,
    )


def _visible(condition: Any) -> Any:
    # Rows of jobs still running are not shown: they may yet be withdrawn.
    done = select(ImportJob.id).where(ImportJob.status == COMPLETED)
    return and_(condition, ImportedReview.job_id.in_(done))


def list_imported_reviews(
    platform: Platform,
    actor: Principal,
    shop_id: int,
    *,
    state: Literal["matched", "unmatched"] | None = None,
    source: str | None = None,
    product_key: str | None = None,
    job_id: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[ImportedReviewView]:
    """The shop's imported reviews (newest import first), by state, source, product, job."""
    limit = max(1, min(limit, platform.settings.max_page_size))
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
        condition = ImportedReview.shop_id == shop_id
        condition = and_(condition, ImportedReview.state != REMOVED)
        if state:
            condition = and_(condition, ImportedReview.state == state)
        if source:
            condition = and_(condition, ImportedReview.source == source_spec(source).key)
        if product_key:
            condition = and_(condition, ImportedReview.product_key == product_key)
        if job_id is not None:
            condition = and_(condition, ImportedReview.job_id == job_id)
        if cursor:
            (after,) = decode_cursor(cursor, "imported", 1)
            condition = and_(condition, ImportedReview.id < int(after))
        rows = session.execute(
            select(ImportedReview, Review.id)
            .outerjoin(Review, Review.imported_review_id == ImportedReview.id)
            .where(_visible(condition))
            .order_by(ImportedReview.id.desc())
            .limit(limit + 1)
        ).all()
        return Page[ImportedReviewView](
            items=[_imported_view(r, rid) for r, rid in rows[:limit]],
            next_cursor=encode_cursor("imported", [rows[limit - 1][0].id])
            if len(rows) > limit
            else None,
        )


def list_external_products(
    platform: Platform,
    actor: Principal,
    shop_id: int,
    *,
    state: Literal["matched", "unmatched"] = "unmatched",
    source: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[ExternalProductView]:
    """Imported reviews grouped by external product (Matched or Unmatched view)."""
    limit = max(1, min(limit, platform.settings.max_page_size))
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
        condition = and_(ImportedReview.shop_id == shop_id, ImportedReview.state == state)
        if source:
            condition = and_(condition, ImportedReview.source == source_spec(source).key)
        if cursor:
            after_source, after_key = decode_cursor(cursor, f"products-{state}", 2)
            condition = and_(
                condition,
                (ImportedReview.source > after_source)
                | (
                    (ImportedReview.source == after_source)
                    & (ImportedReview.product_key > after_key)
                ),
            )
        groups = session.execute(
            select(
                ImportedReview.source,
                ImportedReview.product_key,
                func.count(),
                func.max(ImportedReview.id),
                func.max(ImportedReview.product_id),
            )
            .where(_visible(condition))
            .group_by(ImportedReview.source, ImportedReview.product_key)
            .order_by(ImportedReview.source, ImportedReview.product_key)
            .limit(limit + 1)
        ).all()
        latest = {
            r.id: r
            for r in session.scalars(
                select(ImportedReview).where(ImportedReview.id.in_([g[3] for g in groups]))
            )
        }
        links = {
            (link.source, link.product_key): link.id
            for link in session.scalars(
                select(ImportLink).where(
                    ImportLink.shop_id == shop_id,
                    ImportLink.product_key.in_([g[1] for g in groups]),
                )
            )
        }
        items = []
        for src, key, count, latest_id, product_id in groups[:limit]:
            row = latest[latest_id]
            items.append(
                ExternalProductView(
                    source=src,
                    product_key=key,
                    product_name=row.product_name,
                    external_product_id=row.external_product_id,
                    external_variant_id=row.external_variant_id,
                    handle=row.handle,
                    sku=row.sku,
                    gtin=row.gtin,
                    product_url=row.product_url,
                    product_id=product_id if state == MATCHED else None,
                    review_count=count,
                    unmatched_reason=row.unmatched_reason,
                    link_id=links.get((src, key)),
                )
            )
        next_cursor = None
        if len(groups) > limit:
            next_cursor = encode_cursor(
                f"products-{state}", [groups[limit - 1][0], groups[limit - 1][1]]
            )
        return Page[ExternalProductView](items=items, next_cursor=next_cursor)


# ---- link, unlink, delete ----------------------------------------------------------------------


def _withdraw(platform: Platform, session: Session, shop_id: int, condition: Any) -> int:
    """Take the reviews made from the imported reviews under ``condition`` off display.

    They become deleted reviews (kept for the audit trail, freed from their imported
    review), and leave the rating summaries.
    """
    made = (
        select(Review.id)
        .join(ImportedReview, ImportedReview.id == Review.imported_review_id)
        .where(ImportedReview.shop_id == shop_id, condition)
    )
    if platform.settings.imported_count_in_rating:
        added = sum_by_product(
            session.execute(
                select(Review.product_id, Review.rating, func.count())
                .join(Product, Product.id == Review.product_id)
                .where(
                    Review.id.in_(made),
                    Review.status == PUBLISHED,
                    Product.removed_at.is_(None),
                )
                .group_by(Review.product_id, Review.rating)
            )
        )
        deltas = {product_id: -summary for product_id, summary in added.items()}
        for product_id in sorted(deltas):
            apply_delta(session, shop_id, product_id, deltas[product_id])
    result = session.execute(
        update(Review)
        .where(Review.id.in_(made))
        .values(status="deleted", deleted_at=platform.now(), imported_review_id=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _link_view(link: ImportLink, moved: int) -> LinkView:
    return LinkView(
        id=link.id,
        shop_id=link.shop_id,
        source=link.source,
        product_key=link.product_key,
        product_id=link.product_id,
        variant_id=link.variant_id,
        reviews_matched=moved,
        created_at=link.created_at,
    )


def link_product(platform: Platform, actor: Principal, shop_id: int, body: LinkIn) -> LinkView:
    """Map an external product to one of the shop's products; its unmatched reviews move
    to Matched and show. Linking again to the same product reprocesses; to another
    product is refused until unlinked."""
    source = source_spec(body.source).key
    with platform.db.write() as session:
        shop_for_staff(session, actor, shop_id)
        product = session.get(Product, body.product_id)
        if product is None or product.shop_id != shop_id or product.removed_at is not None:
            raise NotFound(
                "product_not_found", f"product {body.product_id} is not listed in this shop"
            )
        if body.variant_id is not None:
            variant = session.get(Variant, body.variant_id)
            if (
                variant is None
                or variant.product_id != product.id
                or variant.removed_at is not None
            ):
                raise NotFound(
                    "variant_not_found", f"variant {body.variant_id} is not of product {product.id}"
                )
        link = session.scalars(
            select(ImportLink).where(
                ImportLink.shop_id == shop_id,
                ImportLink.source == source,
                ImportLink.product_key == body.product_key,
            )
        ).first()
        if link is not None and link.product_id != body.product_id:
            raise Conflict(
                "already_linked",
                f"{body.product_key} is linked to product {link.product_id}: unlink it first",
                link_id=link.id,
            )
        if link is None:
            link = ImportLink(
                shop_id=shop_id,
                source=source,
                product_key=body.product_key,
                product_id=body.product_id,
                variant_id=body.variant_id,
                created_at=platform.now(),
            )
            session.add(link)
            session.flush()
        group = and_(
            ImportedReview.source == source,
            ImportedReview.product_key == body.product_key,
            ImportedReview.job_id.in_(select(ImportJob.id).where(ImportJob.status == COMPLETED)),
        )
        moved = apply_links(session, shop_id, group)
        materialise(platform, session, shop_id, group)
        audit(
            session,
            actor,
            "import.link",
            "import_link",
            link.id,
            shop_id,
            {
                "source": source,
                "product_key": body.product_key,
                "product_id": body.product_id,
                "moved": moved,
            },
        )
        view = _link_view(link, moved)
    ids = _fetchable(platform, shop_id, source, body.product_key)
    for job_id in ids:
        after_publish(platform, job_id, _job_fetches(platform, job_id))
    return view


def _fetchable(platform: Platform, shop_id: int, source: str, product_key: str) -> list[int]:
    with platform.db.read() as session:
        return list(
            session.scalars(
                select(ImportedReview.job_id)
                .where(
                    ImportedReview.shop_id == shop_id,
                    ImportedReview.source == source,
                    ImportedReview.product_key == product_key,
                    ImportedReview.state == MATCHED,
                    ImportedReview.media_urls != "[]",
                    ImportedReview.media_fetched.is_(False),
                )
                .distinct()
            )
        )


def _job_fetches(platform: Platform, job_id: int) -> bool:
    with platform.db.read() as session:
        return bool(session.scalar(select(ImportJob.fetch_media).where(ImportJob.id == job_id)))


def list_links(platform: Platform, actor: Principal, shop_id: int) -> list[LinkView]:
    """The shop's links of external products to its products."""
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
        links = session.scalars(
            select(ImportLink).where(ImportLink.shop_id == shop_id).order_by(ImportLink.id)
        ).all()
        return [_link_view(link, 0) for link in links]


def unlink_product(platform: Platform, actor: Principal, shop_id: int, link_id: int) -> int:
    """Remove a link: the reviews it matched leave display and go back to Unmatched."""
    with platform.db.write() as session:
        shop_for_staff(session, actor, shop_id)
        link = session.get(ImportLink, link_id)
        if link is None or link.shop_id != shop_id:
            raise NotFound("link_not_found", f"link {link_id} does not exist in shop {shop_id}")
        group = and_(
            ImportedReview.source == link.source,
            ImportedReview.product_key == link.product_key,
            ImportedReview.state == MATCHED,
            ImportedReview.matched_by == "link",
        )
        _withdraw(platform, session, shop_id, group)
        result = session.execute(
            update(ImportedReview)
            .where(ImportedReview.shop_id == shop_id, group)
            .values(
                state=UNMATCHED,
                matched_by=None,
                product_id=None,
                variant_id=None,
                unmatched_reason="unlinked by the seller",
            )
            .execution_options(synchronize_session=False)
        )
        moved = int(result.rowcount)  # type: ignore[attr-defined]
        audit(
            session,
            actor,
            "import.unlink",
            "import_link",
            link.id,
            shop_id,
            {
                "source": link.source,
                "product_key": link.product_key,
                "product_id": link.product_id,
                "moved": moved,
            },
        )
        session.delete(link)
    return moved


def delete_imported(
    platform: Platform,
    actor: Principal,
    shop_id: int,
    *,
    imported_review_id: int | None = None,
    product: ExternalProductRef | None = None,
) -> int:
    """Delete one imported review, or every review of an external product; the count.

    Deleted imported reviews leave display and metrics and are not imported again from
    the same file (their deduplication key stays).
    """
    with platform.db.write() as session:
        shop_for_staff(session, actor, shop_id)
        if imported_review_id is not None:
            row = session.get(ImportedReview, imported_review_id)
            if row is None or row.shop_id != shop_id or row.state == REMOVED:
                raise NotFound(
                    "imported_review_not_found",
                    f"imported review {imported_review_id} does not exist in shop {shop_id}",
                )
            condition: Any = ImportedReview.id == imported_review_id
        elif product is not None:
            condition = and_(
                ImportedReview.source == source_spec(product.source).key,
                ImportedReview.product_key == product.product_key,
            )
        else:
            raise InvalidInput(
                "nothing_to_delete", "name an imported review or an external product"
            )
        condition = _visible(and_(condition, ImportedReview.state != REMOVED))
        _withdraw(platform, session, shop_id, condition)
        result = session.execute(
            update(ImportedReview)
            .where(ImportedReview.shop_id == shop_id, condition)
            .values(state=REMOVED)
            .execution_options(synchronize_session=False)
        )
        count = int(result.rowcount)  # type: ignore[attr-defined]
        audit(
            session,
            actor,
            "import.delete",
            "imported_review",
            imported_review_id,
            shop_id,
            {"product": product.model_dump() if product else None, "deleted": count},
        )
    return count
