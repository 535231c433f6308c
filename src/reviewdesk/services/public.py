"""What anyone may read without a token: shops, products, star summaries, published reviews.

Nothing here reads a buyer's personal data: reviewers appear by the masked display name
stored on the review, and texts in their masked public copy. A seller's reply shows with
its review as "Response from <shop name>": never who wrote it. Nothing here reads private
cases.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import (
    Connection,
    Integer,
    Select,
    and_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session

from reviewdesk.db.base import MAX_ID
from reviewdesk.db.catalog import Product, ProductCode, Shop
from reviewdesk.db.moderation import ReviewReply
from reviewdesk.db.reviews import ProductRatingSummary, Review, ReviewMedia, ShopRatingSummary
from reviewdesk.domain.display import review_labels, source_name
from reviewdesk.domain.pagination import decode_cursor, encode_cursor
from reviewdesk.domain.ratings import PUBLISHED, RatingSummary
from reviewdesk.errors import InvalidInput, NotFound
from reviewdesk.services.catalog import Page
from reviewdesk.services.platform import Platform
from reviewdesk.services.ratings import summary_of
from reviewdesk.services.reviews import MediaView, media_views


class ReviewSort(StrEnum):
    """The orders of product.md §1 "Display"."""

    NEWEST = "newest"
    MOST_HELPFUL = "most_helpful"
    HIGHEST = "highest"
    LOWEST = "lowest"


class ReviewFilters(BaseModel):
    """The filters of product.md §1 "Display"; unset means no filter."""

    stars: list[int] = Field(default_factory=list)
    with_media: bool | None = None
    with_text: bool | None = None
    verified: bool | None = None
    incentivized: bool | None = None
    imported: bool | None = None
    language: str | None = Field(None, max_length=8)


class RatingView(BaseModel):
    average: float | None
    count: int
    histogram: dict[str, int]


class ShopPublic(BaseModel):
    slug: str
    name: str
    rating: RatingView


class ProductPublic(BaseModel):
    id: int
    handle: str
    title: str
    brand: str | None
    mpn: str | None
    description: str | None
    gtins: list[str]
    shop_slug: str
    shop_name: str
    rating: RatingView


class PublicReply(BaseModel):
    """The shop's public reply to a review ("Response from <shop name>")."""

    shop_name: str
    text: str
    replied_at: datetime
    edited_at: datetime | None = Field(None, description="Set when the reply was edited")


class PublicReview(BaseModel):
    id: int
    product_id: int
    product_handle: str | None = None
    rating: int
    title: str | None
    text: str | None
    reviewer: str
    language: str | None
    published_at: datetime
    edited: bool
    verified: bool
    incentivized: bool
    source: str
    labels: list[str]
    helpful_count: int
    media: list[MediaView]
    reply: PublicReply | None = None


class ProductRef(BaseModel):
    """The names and public page of a listed product."""

    id: int
    title: str
    handle: str
    shop_slug: str
    shop_name: str

    @property
    def url(self) -> str:
        """The public product page."""
        return f"/shops/{self.shop_slug}/products/{self.handle}"


def product_refs(platform: Platform, ids: set[int]) -> dict[int, ProductRef]:
    """The listed products among ``ids``, by id (removed ones are left out)."""
    if not ids:
        return {}
    with platform.db.read() as session:
        rows = session.execute(
            select(Product.id, Product.title, Product.handle, Shop.slug, Shop.name)
            .join(Shop, Shop.id == Product.shop_id)
            .where(Product.id.in_(sorted(ids)), Product.removed_at.is_(None))
        ).all()
    return {
        row[0]: ProductRef(
            id=row[0], title=row[1], handle=row[2], shop_slug=row[3], shop_name=row[4]
        )
        for row in rows
    }


PublicReviewPage = Page[PublicReview]
# A select of any columns (the typed form of Select[Any]).
RowsSelect = Select[*tuple[Any, ...]]


def rating_view(row: ProductRatingSummary | ShopRatingSummary | None) -> RatingView:
    """The public form of a stored summary."""
    if row is None:
        return _rating(0, 0, 0, 0, 0, 0, 0)
    summary = summary_of(row)
    return _rating(summary.count, summary.total, *summary.histogram)


def _shop(session: Session, slug: str) -> Shop:
    shop = session.scalars(select(Shop).where(Shop.slug == slug)).first()
    if shop is None:
        raise NotFound("shop_not_found", f"no shop {slug!r}")
    return shop


def _product(session: Session, shop: Shop, handle: str) -> Product:
    product = session.scalars(
        select(Product).where(
            Product.shop_id == shop.id, Product.handle == handle, Product.removed_at.is_(None)
        )
    ).first()
    if product is None:
        raise NotFound("product_not_found", f"no product {handle!r} in shop {shop.slug!r}")
    return product


def list_shops(platform: Platform) -> list[ShopPublic]:
    """Every shop with its star summary."""
    with platform.db.read() as session:
        rows = session.execute(
            select(Shop, ShopRatingSummary)
            .join(ShopRatingSummary, ShopRatingSummary.shop_id == Shop.id, isouter=True)
            .order_by(Shop.name)
        ).all()
        return [ShopPublic(slug=s.slug, name=s.name, rating=rating_view(r)) for s, r in rows]


def shop_summary(platform: Platform, slug: str) -> ShopPublic:
    """A shop's star summary over all its listed products."""
    with platform.db.read() as session:
        shop = _shop(session, slug)
        row = session.get(ShopRatingSummary, shop.id)
        return ShopPublic(slug=shop.slug, name=shop.name, rating=rating_view(row))


def _gtins(session: Session, product_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {pid: [] for pid in product_ids}
    rows = session.execute(
        select(ProductCode.product_id, ProductCode.gtin)
        .where(ProductCode.product_id.in_(product_ids))
        .order_by(ProductCode.id)
    )
    for product_id, gtin in rows:
        found[product_id].append(gtin)
    return found


def _product_public(
    shop: Shop, product: Product, row: ProductRatingSummary | None, gtins: list[str]
) -> ProductPublic:
    return ProductPublic(
        id=product.id,
        handle=product.handle,
        title=product.title,
        brand=product.brand,
        mpn=product.mpn,
        description=product.description,
        gtins=gtins,
        shop_slug=shop.slug,
        shop_name=shop.name,
        rating=rating_view(row),
    )


def _product_summary_query(dialect: str) -> RowsSelect:
    """The public summary of a product in one statement (GTINs aggregated in it)."""
    # A literal separator: the statement is compiled once and run on the driver directly.
    aggregate = func.string_agg if dialect == "postgresql" else func.group_concat
    gtins = (
        select(aggregate(ProductCode.gtin, literal_column("','")))
        .where(ProductCode.product_id == Product.id)
        .correlate(Product)
        .scalar_subquery()
    )
    return (
        select(
            Product.id,
            Product.handle,
            Product.title,
            Product.brand,
            Product.mpn,
            Product.description,
            Shop.slug,
            Shop.name,
            ProductRatingSummary.review_count,
            ProductRatingSummary.rating_sum,
            ProductRatingSummary.stars_1,
            ProductRatingSummary.stars_2,
            ProductRatingSummary.stars_3,
            ProductRatingSummary.stars_4,
            ProductRatingSummary.stars_5,
            gtins,
        )
        .join(Shop, Shop.id == Product.shop_id)
        .join(ProductRatingSummary, ProductRatingSummary.product_id == Product.id, isouter=True)
        .where(
            Shop.slug == bindparam("slug"),
            Product.handle == bindparam("handle"),
            Product.removed_at.is_(None),
        )
    )


_LISTED_PRODUCT_ID = (
    select(Product.id)
    .join(Shop, Shop.id == Product.shop_id)
    .where(
        Shop.slug == bindparam("slug"),
        Product.handle == bindparam("handle"),
        Product.removed_at.is_(None),
    )
    .scalar_subquery()
)


def _rating(count: int | None, total: int | None, *histogram: int | None) -> RatingView:
    summary = RatingSummary(count or 0, total or 0, tuple(h or 0 for h in histogram))  # type: ignore[arg-type]
    average = summary.average
    return RatingView(
        average=float(average) if average is not None else None,
        count=summary.count,
        histogram={str(s): summary.histogram[s - 1] for s in range(1, 6)},
    )


def _not_found(connection: Connection, slug: str, handle: str) -> NotFound:
    if connection.execute(select(Shop.id).where(Shop.slug == slug)).first() is None:
        return NotFound("shop_not_found", f"no shop {slug!r}")
    return NotFound("product_not_found", f"no product {handle!r} in shop {slug!r}")


def product_summary(platform: Platform, slug: str, handle: str) -> ProductPublic:
    """A listed product with its star summary."""
    rows = platform.db.fetch_prepared(
        "product_summary",
        lambda: _product_summary_query(platform.db.dialect),
        {"slug": slug, "handle": handle},
    )
    if not rows:
        with platform.db.autocommit() as connection:
            raise _not_found(connection, slug, handle)
    row = rows[0]
    return ProductPublic(
        id=row[0],
        handle=row[1],
        title=row[2],
        brand=row[3],
        mpn=row[4],
        description=row[5],
        gtins=sorted(row[15].split(",")) if row[15] else [],
        shop_slug=row[6],
        shop_name=row[7],
        rating=_rating(*(None if v is None else int(v) for v in row[8:15])),
    )


def list_products(
    platform: Platform, slug: str, *, cursor: str | None = None, limit: int = 50
) -> Page[ProductPublic]:
    """A shop's listed products with their star summaries, by title."""
    limit = max(1, min(limit, platform.settings.max_page_size))
    with platform.db.read() as session:
        shop = _shop(session, slug)
        query = (
            select(Product, ProductRatingSummary)
            .join(ProductRatingSummary, ProductRatingSummary.product_id == Product.id, isouter=True)
            .where(Product.shop_id == shop.id, Product.removed_at.is_(None))
        )
        if cursor:
            title, pid = decode_cursor(cursor, "title", 2)
            query = query.where(
                or_(Product.title > title, and_(Product.title == title, Product.id > int(pid)))
            )
        rows = session.execute(query.order_by(Product.title, Product.id).limit(limit + 1)).all()
        gtins = _gtins(session, [p.id for p, _ in rows[:limit]])
        items = [_product_public(shop, p, r, gtins[p.id]) for p, r in rows[:limit]]
        last = rows[limit - 1][0] if len(rows) > limit else None
        return Page[ProductPublic](
            items=items,
            next_cursor=encode_cursor("title", [last.title, last.id]) if last else None,
        )


# (column, descending) per sort; the review id breaks every tie.
_SORT_KEYS: dict[ReviewSort, list[tuple[Any, bool]]] = {
    ReviewSort.NEWEST: [(Review.published_at, True), (Review.id, True)],
    ReviewSort.MOST_HELPFUL: [(Review.helpful_count, True), (Review.id, True)],
    ReviewSort.HIGHEST: [(Review.rating, True), (Review.id, True)],
    ReviewSort.LOWEST: [(Review.rating, False), (Review.id, True)],
}


def _after(keys: list[tuple[Any, bool]]) -> Any:
    """Rows strictly after the cursor (bound as ``cursor_0``, ``cursor_1``) in this order."""
    values = [bindparam(f"cursor_{i}", type_=column.type) for i, (column, _) in enumerate(keys)]
    clauses = []
    for depth, (column, descending) in enumerate(keys):
        equal = [keys[i][0] == values[i] for i in range(depth)]
        beyond = column < values[depth] if descending else column > values[depth]
        clauses.append(and_(*equal, beyond))
    return or_(*clauses)


def _cursor_values(sort: ReviewSort, raw: list[Any]) -> list[Any]:
    try:
        if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in raw):
            raise TypeError
        first = datetime.fromisoformat(raw[0]) if sort is ReviewSort.NEWEST else int(raw[0])
        last_id = int(raw[1])
        if isinstance(first, datetime) and first.tzinfo is None:
            raise ValueError
        if not all(-MAX_ID <= n <= MAX_ID for n in (last_id, first) if isinstance(n, int)):
            raise ValueError
        return [first, last_id]
    except (TypeError, ValueError):
        raise InvalidInput(
            "invalid_cursor", "cursor is not one this list returned", field="cursor"
        ) from None


def _filter_key(filters: ReviewFilters) -> tuple[Any, ...]:
    """The filters as a hashable key (the shape of the query they make)."""
    bad = [s for s in filters.stars if s not in range(1, 6)]
    if bad:
        raise InvalidInput("invalid_filter", f"stars must be 1-5, got {bad}", field="stars")
    return (
        tuple(sorted(set(filters.stars))),
        filters.with_media,
        filters.with_text,
        filters.verified,
        filters.incentivized,
        filters.imported,
        filters.language or None,
    )


@lru_cache(maxsize=512)
def _page_query(scope: str, sort: ReviewSort, after: bool, key: tuple[Any, ...]) -> RowsSelect:
    """The statement of a review list, built once per shape and reused (bound values vary).

    ``scope`` "product" binds ``slug`` and ``handle``; "shop" binds ``shop_id``.
    """
    query: RowsSelect
    if scope == "product":
        query = select(*_PUBLIC_COLUMNS).where(
            Review.product_id == _LISTED_PRODUCT_ID, Review.status == PUBLISHED
        )
    else:
        query = (
            select(*_PUBLIC_COLUMNS)
            .join(Product, Product.id == Review.product_id)
            .where(
                Review.shop_id == bindparam("shop_id"),
                Review.status == PUBLISHED,
                Product.removed_at.is_(None),
            )
        )
    stars, with_media, with_text, verified, incentivized, imported, language = key
    filters = ReviewFilters(
        stars=list(stars),
        with_media=with_media,
        with_text=with_text,
        verified=verified,
        incentivized=incentivized,
        imported=imported,
        language=language,
    )
    query = _filtered(query, filters)
    keys = _SORT_KEYS[sort]
    if after:
        query = query.where(_after(keys))
    order = [c.desc() if d else c.asc() for c, d in keys]
    return query.order_by(*order).limit(bindparam("page_limit", type_=Integer))


def _filtered(query: RowsSelect, filters: ReviewFilters) -> RowsSelect:
    if filters.stars:
        # One comparison per star (not IN): prepared reads take no expanding parameters.
        query = query.where(or_(*(Review.rating == star for star in sorted(set(filters.stars)))))
    if filters.with_media is not None:
        has = (Review.photo_count > 0) | (Review.video_count > 0)
        query = query.where(has if filters.with_media else ~has)
    if filters.with_text is not None:
        query = query.where(Review.has_text.is_(filters.with_text))
    if filters.verified is not None:
        query = query.where(Review.is_verified.is_(filters.verified))
    if filters.incentivized is not None:
        query = query.where(Review.is_incentivized.is_(filters.incentivized))
    if filters.imported is not None:
        query = query.where(
            (Review.source != "native") if filters.imported else (Review.source == "native")
        )
    if filters.language:
        query = query.where(Review.language == filters.language)
    return query


_PUBLIC_COLUMNS = (
    Review.id,
    Review.product_id,
    Review.rating,
    Review.public_title,
    Review.public_body,
    Review.reviewer_display,
    Review.language,
    Review.published_at,
    Review.version,
    Review.is_verified,
    Review.is_incentivized,
    Review.source,
    Review.helpful_count,
    Review.photo_count,
    Review.video_count,
)


def _moment(value: Any) -> datetime:
    """A timestamp as the driver returns it (SQLite: naive UTC text), aware in UTC."""
    moment: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@lru_cache(maxsize=16)
def _reply_query(size: int) -> RowsSelect:
    """The replies of ``size`` reviews bound as ``review_0`` ... (one shape per size)."""
    ids = [bindparam(f"review_{i}", type_=ReviewReply.review_id.type) for i in range(size)]
    return (
        select(
            ReviewReply.review_id,
            ReviewReply.body,
            ReviewReply.created_at,
            ReviewReply.updated_at,
            ReviewReply.version,
            Shop.name,
        )
        .join(Shop, Shop.id == ReviewReply.shop_id)
        .where(ReviewReply.review_id.in_(ids))
    )


def _replies(platform: Platform, review_ids: list[int]) -> dict[int, PublicReply]:
    """The replies of a page's reviews, in one prepared statement keyed by their ids."""
    if not review_ids:
        return {}
    # Sizes rounded up to a power of two (the first id repeated): a handful of shapes.
    size = 1 << (len(review_ids) - 1).bit_length()
    padded = review_ids + [review_ids[0]] * (size - len(review_ids))
    rows = platform.db.fetch_prepared(
        ("replies", size),
        lambda: _reply_query(size),
        {f"review_{i}": rid for i, rid in enumerate(padded)},
    )
    return {
        r[0]: PublicReply(
            shop_name=r[5],
            text=r[1],
            replied_at=_moment(r[2]),
            edited_at=_moment(r[3]) if r[4] > 1 else None,
        )
        for r in rows
    }


def _page(
    platform: Platform,
    scope: str,
    filters: ReviewFilters,
    sort: ReviewSort,
    cursor: str | None,
    limit: int,
    params: dict[str, Any],
    handle: str | None = None,
) -> Page[PublicReview]:
    key = (scope, sort, cursor is not None, _filter_key(filters))
    bound = {**params, "page_limit": limit + 1}
    if cursor:
        first, last_id = _cursor_values(sort, decode_cursor(cursor, sort, 2))
        bound.update(cursor_0=first, cursor_1=last_id)
    rows = platform.db.fetch_prepared(("reviews", *key), lambda: _page_query(*key), bound)
    page = rows[:limit]
    # Columns as in _PUBLIC_COLUMNS: id, product_id, rating, public_title, public_body,
    # reviewer_display, language, published_at, version, is_verified, is_incentivized,
    # source, helpful_count, photo_count, video_count.
    product_ids = {r[1] for r in page}
    with_media = [r[0] for r in page if r[13] or r[14]]
    handles: dict[int, str] = dict.fromkeys(product_ids, handle) if handle else {}
    media: dict[int, list[MediaView]] = {}
    if (product_ids and not handle) or with_media:
        with platform.db.autocommit() as connection:
            if product_ids and not handle:
                handles = dict(
                    connection.execute(
                        select(Product.id, Product.handle).where(Product.id.in_(product_ids))
                    ).all()
                )
            media = media_views(connection, with_media) if with_media else {}
    replies = _replies(platform, [r[0] for r in page])
    items = []
    for r in page:
        verified, incentivized, source = bool(r[9]), bool(r[10]), r[11]
        items.append(
            PublicReview(
                id=r[0],
                product_id=r[1],
                product_handle=handles.get(r[1]),
                rating=r[2],
                title=r[3],
                text=r[4],
                reviewer=r[5],
                language=r[6],
                published_at=_moment(r[7]),
                edited=r[8] > 1,
                verified=verified,
                incentivized=incentivized,
                source=source_name(source) if source != "native" else "native",
                labels=review_labels(verified=verified, incentivized=incentivized, source=source),
                helpful_count=r[12],
                media=media.get(r[0], []),
                reply=replies.get(r[0]),
            )
        )
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        first_key = {
            ReviewSort.NEWEST: last.published_at.isoformat(),
            ReviewSort.MOST_HELPFUL: last.helpful_count,
            ReviewSort.HIGHEST: last.rating,
            ReviewSort.LOWEST: last.rating,
        }[sort]
        next_cursor = encode_cursor(sort, [first_key, last.id])
    return PublicReviewPage(items=items, next_cursor=next_cursor)


def list_product_reviews(
    platform: Platform,
    slug: str,
    handle: str,
    *,
    filters: ReviewFilters | None = None,
    sort: ReviewSort = ReviewSort.NEWEST,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[PublicReview]:
    """A listed product's published reviews, filtered and sorted, a page at a time."""
    limit = max(1, min(limit or platform.settings.page_size, platform.settings.max_page_size))
    where = {"slug": slug, "handle": handle}
    page = _page(
        platform, "product", filters or ReviewFilters(), sort, cursor, limit, where, handle
    )
    if not page.items and not cursor:
        # An empty first page: tell a product without reviews from one that is not listed.
        with platform.db.autocommit() as connection:
            if connection.execute(select(_LISTED_PRODUCT_ID), where).scalar() is None:
                raise _not_found(connection, slug, handle)
    return page


def list_shop_reviews(
    platform: Platform,
    slug: str,
    *,
    filters: ReviewFilters | None = None,
    sort: ReviewSort = ReviewSort.NEWEST,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[PublicReview]:
    """The published reviews of all a shop's listed products (the shop's profile)."""
    limit = max(1, min(limit or platform.settings.page_size, platform.settings.max_page_size))
    with platform.db.autocommit() as connection:
        shop_id = connection.execute(select(Shop.id).where(Shop.slug == slug)).scalar()
        if shop_id is None:
            raise NotFound("shop_not_found", f"no shop {slug!r}")
    return _page(
        platform,
        "shop",
        filters or ReviewFilters(),
        sort,
        cursor,
        limit,
        {"shop_id": shop_id},
    )


def public_media(platform: Platform, media_id: int, *, thumbnail: bool) -> tuple[str, str]:
    """The storage key and type of a published review's photo or video (or its thumbnail)."""
    with platform.db.read() as session:
        row = session.execute(
            select(ReviewMedia, Review.status, Product.removed_at)
            .join(Review, Review.id == ReviewMedia.review_id)
            .join(Product, Product.id == Review.product_id)
            .where(ReviewMedia.id == media_id)
        ).first()
        if row is None or row[1] != PUBLISHED or row[2] is not None:
            raise NotFound("media_not_found", f"media {media_id} is not public")
        media = row[0]
        if media.source_url is not None:
            raise NotFound("media_not_stored", "this media is a link to where it was imported from")
        if thumbnail:
            if media.thumb_key is None:
                raise NotFound("thumbnail_not_ready", "the thumbnail is still being made")
            return media.thumb_key, "image/jpeg"
        return media.storage_key, media.mime
