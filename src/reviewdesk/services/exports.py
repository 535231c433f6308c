"""Exports of a shop's reviews: the Google and Meta feeds, CSV and JSON lines (issue 7).

What is exported: the reviews the public lists show, and only those (status
``published`` on a product still listed, as in ``services.public``), in their public form:
the masked copy of the text (``public_title``/``public_body``), the masked reviewer name
(``reviewer_display``) and the public labels (``domain.display.review_labels``: verified,
incentivized, "Review from <source>" for imported reviews). Nothing is read from the
buyer, the order or the review as the buyer typed it, so no e-mail address, name, phone
number or address can reach a feed. A record carries the shop's public reply (its text,
and ``reply_at``: when that text was saved), as the product page shows it; stored
complaint categories do not exist yet (a later issue adds them): ``categories=()``.

URLs are absolute, under the ``public_base_url`` setting: a product's page
``/shops/{slug}/products/{handle}``, a review as the anchor ``#review-{id}`` on it (the
one the product page's review widget carries) and a photo ``/media/{id}``. The Google and
Meta feeds get photos only, since their elements are for images; the seller's CSV and
JSON lines list every photo and video.

Memory stays bounded whatever the number of reviews: the reviews come from one streamed
statement (``yield_per``: a server-side cursor on PostgreSQL, stepped rows on SQLite) in
partitions of ``PARTITION`` rows, in the order of the shop's newest-reviews index
(``published_at``, ``id``: no sort); the products they name, with their GTINs and SKUs,
are read for each partition's products not yet known, into a least-recently-used cache of
``PRODUCT_CACHE`` products; each partition's media in one query, its replies in another. The writers
(``integrations.feeds``) write as records arrive. The whole export reads one snapshot:
SQLite's read transaction is one, and on PostgreSQL it runs ``REPEATABLE READ``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Generator, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO
from urllib.parse import quote

from sqlalchemy import Connection, Row, Select, select
from sqlalchemy.orm import Session

from reviewdesk.db.catalog import Product, ProductCode, Shop, Variant
from reviewdesk.db.moderation import ReviewReply
from reviewdesk.db.reviews import Review
from reviewdesk.domain.display import review_labels
from reviewdesk.domain.principals import Principal
from reviewdesk.domain.ratings import PUBLISHED
from reviewdesk.errors import InvalidInput
from reviewdesk.integrations.feeds import (
    ExportedProduct,
    ExportedReview,
    FeedInfo,
    write_google_feed,
    write_meta_feed,
    write_reviews_csv,
    write_reviews_jsonl,
)
from reviewdesk.integrations.feeds.formats import MEDIA_TYPES, ExportFormat
from reviewdesk.services.access import shop_for_staff
from reviewdesk.services.platform import Platform
from reviewdesk.services.reviews import media_views

PARTITION = 500
"""Review rows fetched and turned into records at a time."""
PRODUCT_CACHE = 4096
"""Products kept between partitions (at least ``PARTITION``: a partition's products fit)."""
ANONYMOUS = "a***s"
"""The display name of a reviewer without a name (``domain.display.mask_display_name``)."""

_FILE_NAMES = {
    ExportFormat.GOOGLE: "{slug}-google-product-reviews.xml",
    ExportFormat.META: "{slug}-meta-product-reviews.csv",
    ExportFormat.CSV: "{slug}-reviews.csv",
    ExportFormat.JSONL: "{slug}-reviews.jsonl",
}
# Formats whose media element is for images: videos are left out of them.
_IMAGES_ONLY = frozenset({ExportFormat.GOOGLE, ExportFormat.META})


@dataclass(frozen=True)
class ExportTarget:
    """What an export of a shop will be: its media type and a file name for it."""

    shop_id: int
    shop_slug: str
    format: ExportFormat
    media_type: str
    filename: str


def export_format(value: str) -> ExportFormat:
    """The format named ``value``; anything else is refused."""
    try:
        return ExportFormat(value)
    except ValueError:
        names = ", ".join(f.value for f in ExportFormat)
        raise InvalidInput(
            "invalid_export_format", f"format must be one of {names}, got {value!r}", field="format"
        ) from None


def export_target(
    platform: Platform, principal: Principal, shop_id: int, fmt: ExportFormat | str
) -> ExportTarget:
    """Check that the principal may export the shop; the media type and file name."""
    fmt = export_format(fmt)
    with platform.db.read() as session:
        shop = shop_for_staff(session, principal, shop_id)
        return ExportTarget(
            shop_id=shop.id,
            shop_slug=shop.slug,
            format=fmt,
            media_type=MEDIA_TYPES[fmt],
            filename=_FILE_NAMES[fmt].format(slug=shop.slug),
        )


def export_reviews(
    platform: Platform,
    principal: Principal,
    shop_id: int,
    fmt: ExportFormat | str,
    out: BinaryIO,
    *,
    base_url: str | None = None,
) -> int:
    """Stream the shop's published reviews to ``out`` in ``fmt``; the number written.

    ``base_url`` (default: the ``public_base_url`` setting) prefixes every URL. Reviews a
    format cannot carry (the feeds need a text) are left out and not counted.
    """
    fmt = export_format(fmt)
    base = (base_url or platform.settings.public_base_url).rstrip("/")
    with platform.db.read() as session:
        connection = snapshot(session)
        shop = shop_for_staff(session, principal, shop_id)
        info = FeedInfo(
            publisher_name=shop.name,
            store_name=shop.name,
            store_id=shop.slug,
            store_urls=(f"{base}/shops/{quote(shop.slug)}",),
        )
        reviews = exported_reviews(connection, shop, base, images_only=fmt in _IMAGES_ONLY)
        try:
            if fmt is ExportFormat.GOOGLE:
                return write_google_feed(reviews, info, out)
            if fmt is ExportFormat.META:
                return write_meta_feed(reviews, info, out)
            if fmt is ExportFormat.CSV:
                return write_reviews_csv(reviews, out)
            return write_reviews_jsonl(reviews, out)
        finally:
            # The cursor is closed here, inside its transaction, also when writing failed.
            reviews.close()


def snapshot(session: Session) -> Connection:
    """The session's connection, reading one snapshot for the whole transaction.

    Must come before the session's first statement. SQLite's read transaction is a
    snapshot already (WAL); PostgreSQL's default gives each statement its own.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    return connection


# A row of ``_REVIEW_COLUMNS`` (the typed form of a row of any columns).
ReviewRow = Row[*tuple[Any, ...]]
# The columns of an exported review, in the order ``_record`` reads them.
_REVIEW_COLUMNS = (
    Review.id,
    Review.product_id,
    Review.rating,
    Review.public_title,
    Review.public_body,
    Review.reviewer_display,
    Review.language,
    Review.published_at,
    Review.created_at,
    Review.edited_at,
    Review.is_verified,
    Review.is_incentivized,
    Review.source,
    Review.helpful_count,
    Review.photo_count,
    Review.video_count,
)


def published_review_rows(
    connection: Connection, shop_id: int
) -> Generator[Sequence[ReviewRow], None, None]:
    """The shop's published reviews, a partition of rows at a time, from a streamed cursor.

    Reviews of delisted products are among them: ``exported_reviews`` drops those when
    it reads their product.
    """
    statement: Select[*tuple[Any, ...]] = (
        select(*_REVIEW_COLUMNS)
        .where(Review.shop_id == shop_id, Review.status == PUBLISHED)
        .order_by(Review.published_at, Review.id)
        .execution_options(yield_per=PARTITION)
    )
    result = connection.execute(statement)
    try:
        yield from result.partitions()
    finally:
        result.close()


def exported_reviews(
    connection: Connection, shop: Shop, base_url: str, *, images_only: bool = False
) -> Generator[ExportedReview, None, None]:
    """The records of the shop's published reviews on listed products, as they stream in."""
    products = _ProductCache(connection, shop, base_url)
    labels: dict[tuple[bool, bool, str], tuple[str, ...]] = {}
    with closing(published_review_rows(connection, shop.id)) as partitions:
        for rows in partitions:
            products.load({row[1] for row in rows})
            media = _media(connection, rows, base_url, images_only)
            replies = _replies(connection, rows)
            for row in rows:
                product = products.get(row[1])
                if product is None:
                    continue  # delisted: its reviews are hidden everywhere
                verified, incentivized, source = bool(row[10]), bool(row[11]), row[12]
                key = (verified, incentivized, source)
                if key not in labels:
                    labels[key] = tuple(
                        review_labels(verified=verified, incentivized=incentivized, source=source)
                    )
                reply = replies.get(row[0], (None, None))
                yield _record(row, product, media.get(row[0], ()), labels[key], reply)


def _record(
    row: ReviewRow,
    product: ExportedProduct,
    media: tuple[str, ...],
    labels: tuple[str, ...],
    reply: tuple[str | None, datetime | None],
) -> ExportedReview:
    published: datetime = row[7] or row[8]
    display: str = row[5]
    return ExportedReview(
        review_id=row[0],
        product=product,
        rating=row[2],
        title=row[3],
        body=row[4],
        created_at=published,
        updated_at=row[9] or published,
        reviewer_display=display,
        # The masked name of a reviewer without a name (a name like "Agnes" masks the
        # same way: then the feed says anonymous, which discloses nothing either).
        is_anonymous=display == ANONYMOUS,
        verified=bool(row[10]),
        incentivized=bool(row[11]),
        source=row[12],
        language=row[6],
        helpful_count=row[13],
        media_urls=media,
        reply=reply[0],
        reply_at=reply[1],
        labels=labels,
        categories=(),  # stored complaint categories: a later issue
        review_url=f"{product.url}#review-{row[0]}",
    )


def _media(
    connection: Connection, rows: Sequence[ReviewRow], base_url: str, images_only: bool
) -> dict[int, tuple[str, ...]]:
    """Absolute media URLs of the partition's reviews that have media, by review id."""
    ids = [row[0] for row in rows if row[14] or (row[15] and not images_only)]
    if not ids:
        return {}
    found = {}
    for review_id, views in media_views(connection, ids).items():
        urls = tuple(
            view.url if "://" in view.url else base_url + view.url
            for view in views
            if view.kind == "photo" or not images_only
        )
        if urls:
            found[review_id] = urls
    return found


def _replies(
    connection: Connection, rows: Sequence[ReviewRow]
) -> dict[int, tuple[str | None, datetime | None]]:
    """The shop's reply to each of the partition's reviews that has one: text and time."""
    found = connection.execute(
        select(ReviewReply.review_id, ReviewReply.body, ReviewReply.updated_at).where(
            ReviewReply.review_id.in_([row[0] for row in rows])
        )
    )
    return {review_id: (body, at) for review_id, body, at in found}


class _ProductCache:
    """The shop's products as feeds name them, read as reviews need them, LRU-bounded.

    A delisted product is cached as None: its reviews are left out.
    """

    def __init__(self, connection: Connection, shop: Shop, base_url: str) -> None:
        self._connection = connection
        self._shop_id = shop.id
        self._prefix = f"{base_url}/shops/{quote(shop.slug)}/products/"
        self._products: OrderedDict[int, ExportedProduct | None] = OrderedDict()

    def get(self, product_id: int) -> ExportedProduct | None:
        """A product ``load`` read (None: delisted)."""
        return self._products[product_id]

    def load(self, product_ids: Iterable[int]) -> None:
        """Read the products among ``product_ids`` that are not cached yet."""
        missing = sorted(pid for pid in product_ids if pid not in self._products)
        for pid in product_ids:
            if pid in self._products:
                self._products.move_to_end(pid)
        if not missing:
            return
        gtins: dict[int, list[str]] = {pid: [] for pid in missing}
        skus: dict[int, list[str]] = {pid: [] for pid in missing}
        for pid, gtin in self._connection.execute(
            select(ProductCode.product_id, ProductCode.gtin)
            .where(ProductCode.product_id.in_(missing))
            .order_by(ProductCode.id)
        ):
            gtins[pid].append(gtin)
        for pid, sku in self._connection.execute(
            select(Variant.product_id, Variant.sku)
            .where(Variant.product_id.in_(missing), Variant.removed_at.is_(None))
            .order_by(Variant.id)
        ):
            skus[pid].append(sku)
        listed: dict[int, ExportedProduct | None] = dict.fromkeys(missing)
        for pid, handle, title, brand, mpn, removed_at in self._connection.execute(
            select(
                Product.id,
                Product.handle,
                Product.title,
                Product.brand,
                Product.mpn,
                Product.removed_at,
            ).where(Product.id.in_(missing), Product.shop_id == self._shop_id)
        ):
            if removed_at is None:
                listed[pid] = ExportedProduct(
                    id=pid,
                    name=title,
                    url=self._prefix + quote(handle),
                    brand=brand,
                    mpn=mpn,
                    gtins=tuple(gtins[pid]),
                    skus=tuple(skus[pid]),
                    handle=handle,
                )
        self._products.update(listed)
        while len(self._products) > PRODUCT_CACHE:
            self._products.popitem(last=False)
