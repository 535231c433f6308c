"""The review apps we import from: their column names (with aliases) and habits.

Headers are matched ignoring case, spaces, underscores, hyphens and dots (``Review ID``,
``review_id`` and ``reviewId`` are one header); the first alias present wins, and an
explicit mapping (``--map target=Header``) overrides them all.

Confirmed from the apps' published templates/help (see ``shared/spec/formats.md``):
Judge.me's main columns and Okendo's import template. *Unconfirmed* (best-known names,
to check against the apps' current exports before relying on them): Yotpo beyond the
published names, Junip, REVIEWS.io, Loox, Stamped, Shopify Product Reviews, Trustpilot
product reviews, Judge.me's ``verified``/``hidden``/``featured`` variants and its store
reviews (exported under the handle ``judgeme-shop-reviews`` or typed by a
``review_type`` column), and every app's incentivized column (none publishes one; we
accept ``incentivized``/``incentivised``/``is_incentivized``).

Numeric dates whose day/month order the file does not prove are read month-first for the
apps based in North America or Israel (Judge.me's exports use ISO dates anyway) and
day-first for REVIEWS.io (UK), Okendo (Australia) and Trustpilot (Denmark).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from reviewdesk.integrations.importers.records import ImportFileError

#: Every field a column can be mapped to (``--map target=Header``).
TARGETS: tuple[str, ...] = (
    "external_review_id",
    "platform_product_id",
    "platform_variant_id",
    "handle",
    "sku",
    "gtin",
    "product_name",
    "product_url",
    "brand",
    "mpn",
    "rating",
    "title",
    "body",
    "created_at",
    "reviewer_name",
    "reviewer_email",
    "verified",
    "incentivized",
    "media_urls",
    "reply",
    "reply_at",
    "published",
    "hidden",
    "source_kind",
)
PRODUCT_KEYS: tuple[str, ...] = (
    "platform_variant_id",
    "gtin",
    "platform_product_id",
    "sku",
    "handle",
    "product_name",
)


def header_key(header: str) -> str:
    """The form headers are compared in: casefolded, without spaces and punctuation."""
    return re.sub(r"[\W_]+", "", header.replace("\ufeff", "").casefold())


@dataclass(frozen=True)
class SourceSpec:
    """One app's export: aliases per target, required targets, date habit."""

    key: str
    label: str
    aliases: Mapping[str, tuple[str, ...]]
    required: tuple[tuple[str, ...], ...] = (("rating",), ("created_at",), PRODUCT_KEYS)
    ignored: tuple[str, ...] = ()
    day_first: bool = False
    store_handles: frozenset[str] = field(default_factory=frozenset)


_COMMON: dict[str, tuple[str, ...]] = {
    "gtin": ("gtin", "barcode", "upc", "ean", "isbn", "product_gtin", "product_barcode"),
    "brand": ("brand", "product_brand", "vendor"),
    "mpn": ("mpn", "product_mpn"),
    "incentivized": ("incentivized", "incentivised", "is_incentivized", "incentivized_review"),
    "source_kind": ("review_type", "type"),
    "platform_variant_id": ("variant_id", "product_variant_id", "shopify_variant_id"),
}


def _spec(
    key: str, label: str, aliases: dict[str, tuple[str, ...]], **options: object
) -> SourceSpec:
    merged = {**_COMMON, **aliases}
    return SourceSpec(key=key, label=label, aliases=merged, **options)  # type: ignore[arg-type]


SOURCES: dict[str, SourceSpec] = {
    spec.key: spec
    for spec in (
        _spec(
            "judgeme",
            "Judge.me",
            {
                "external_review_id": ("id", "review_id"),
                "title": ("title", "review_title"),
                "body": ("body", "review_body", "content"),
                "rating": ("rating", "review_rating", "stars"),
                "created_at": ("review_date", "created_at", "date"),
                "reviewer_name": ("reviewer_name", "name", "author"),
                "reviewer_email": ("reviewer_email", "email"),
                "platform_product_id": ("product_id", "shopify_product_id"),
                "handle": ("product_handle", "handle"),
                "sku": ("sku", "product_sku"),
                "product_name": ("product_title", "product_name"),
                "product_url": ("product_url",),
                "reply": ("reply", "reply_content"),
                "reply_at": ("reply_date", "replied_at"),
                "media_urls": ("picture_urls", "pictures", "photo_urls", "image_urls"),
                "published": ("curated", "status", "published"),
                "hidden": ("hidden",),
                "verified": ("verified", "verified_buyer"),
            },
            ignored=("source", "featured", "ip_address", "location", "metaobject_handle"),
            store_handles=frozenset({"judgeme-shop-reviews"}),
        ),
        _spec(
            "yotpo",
            "Yotpo",
            {
                "external_review_id": ("review_id", "id"),
                "platform_product_id": ("product_id", "domain_key"),
                "sku": ("sku", "product_sku"),
                "product_name": ("product_title", "product_name"),
                "product_url": ("product_url",),
                "reviewer_name": ("display_name", "user_name", "name"),
                "reviewer_email": ("email", "user_email"),
                "body": ("review_content", "content"),
                "title": ("review_title", "title"),
                "rating": ("review_score", "score", "rating"),
                "created_at": ("date", "created_at", "review_date"),
                "published": ("published", "status"),
                "reply": ("comment_content", "comment"),
                "reply_at": ("comment_created_at", "comment_date"),
                "media_urls": ("published_image_urls", "image_urls", "images"),
                "verified": ("verified_buyer", "verified_purchase", "verified"),
            },
            ignored=(
                "appkey",
                "user_type",
                "product_description",
                "product_image_url",
                "votes_up",
                "votes_down",
                "user_reference",
                "cf_default_form_tag",
            ),
        ),
        _spec(
            "okendo",
            "Okendo",
            {
                "external_review_id": ("reviewId", "id"),
                "reviewer_name": ("name", "reviewerName"),
                "body": ("body",),
                "rating": ("rating",),
                "created_at": ("dateCreated", "date_created", "created_at"),
                "handle": ("handle", "productHandle"),
                "platform_product_id": ("productId",),
                "platform_variant_id": ("variantId", "variant_id"),
                "sku": ("sku",),
                "title": ("title",),
                "reviewer_email": ("email",),
                "media_urls": ("imageUrls", "videoUrls", "media"),
                "reply": ("reply", "replyBody"),
                "reply_at": ("replyDate", "replyDateCreated"),
                "verified": ("isVerifiedBuyer", "verified_buyer", "verified"),
                "published": ("status", "published"),
            },
            ignored=("countryCode", "location", "isRecommended", "helpfulCount"),
            day_first=True,
        ),
        _spec(
            "junip",
            "Junip",
            {
                "external_review_id": ("id", "review_id"),
                "platform_product_id": ("product_id", "product_remote_id"),
                "handle": ("product_handle", "handle"),
                "sku": ("sku", "product_sku"),
                "product_name": ("product_title", "product_name"),
                "rating": ("rating",),
                "title": ("title",),
                "body": ("body",),
                "created_at": ("created_at", "date"),
                "reviewer_name": ("name", "customer_name", "reviewer_name"),
                "reviewer_email": ("email", "customer_email", "reviewer_email"),
                "verified": ("verified", "verified_buyer"),
                "media_urls": ("photo_urls", "images", "media_urls"),
                "reply": ("reply", "response"),
                "reply_at": ("reply_created_at", "replied_at"),
                "published": ("state", "status", "published"),
            },
        ),
        _spec(
            "reviewsio",
            "REVIEWS.io",
            {
                "external_review_id": ("review_id", "id"),
                "sku": ("sku", "product_sku"),
                "product_name": ("product_name", "product"),
                "rating": ("rating", "review_rating"),
                "title": ("title", "review_title"),
                "body": ("review", "comments", "comment", "body"),
                "reviewer_name": ("name", "reviewer_name"),
                "reviewer_email": ("email", "reviewer_email"),
                "created_at": ("date", "date_created", "created_at"),
                "media_urls": ("images", "photos", "media"),
                "reply": ("reply", "response"),
                "reply_at": ("reply_date",),
                "verified": ("verified_buyer", "verified"),
                "published": ("status", "published"),
            },
            ignored=("order_id", "order_number", "location", "ip_address"),
            day_first=True,
        ),
        _spec(
            "loox",
            "Loox",
            {
                "external_review_id": ("id", "review_id"),
                "platform_product_id": ("product_id",),
                "handle": ("handle", "product_handle"),
                "product_name": ("product_title", "product_name"),
                "rating": ("rating",),
                "body": ("review", "body"),
                "reviewer_name": ("full_name", "nickname", "author", "name"),
                "reviewer_email": ("email",),
                "created_at": ("date", "created_at"),
                "media_urls": ("img", "photo_url", "image_urls", "images"),
                "verified": ("verified_purchase", "verified"),
                "reply": ("reply",),
                "reply_at": ("replied_at", "reply_date"),
                "published": ("status", "published"),
            },
            ignored=("variant", "orderId", "metaobject_handle"),
        ),
        _spec(
            "stamped",
            "Stamped",
            {
                "external_review_id": ("reviewId", "id"),
                "platform_product_id": ("productId", "product_id"),
                "handle": ("productHandle", "product_handle"),
                "sku": ("productSku", "sku"),
                "product_name": ("productTitle", "productName", "product_title"),
                "product_url": ("productUrl",),
                "reviewer_name": ("author", "reviewerName", "name"),
                "reviewer_email": ("email", "reviewerEmail"),
                "title": ("reviewTitle", "title"),
                "body": ("reviewMessage", "body", "review"),
                "rating": ("reviewRating", "rating"),
                "created_at": ("reviewDate", "date", "created_at"),
                "verified": ("reviewVerifiedType", "verified"),
                "reply": ("reviewReply", "reply"),
                "reply_at": ("reviewReplyDate", "reply_date"),
                "media_urls": ("reviewImages", "imageUrls", "photos"),
                "published": ("published", "status", "reviewState"),
            },
            ignored=(
                "location",
                "productImageUrl",
                "productDescription",
                "reviewRecommendProduct",
                "reviewVotesUp",
                "reviewVotesDown",
            ),
        ),
        _spec(
            "shopify",
            "Shopify Product Reviews",
            {
                "external_review_id": ("id", "review_id"),
                "platform_product_id": ("product_id",),
                "handle": ("product_handle", "handle"),
                "published": ("state", "status"),
                "rating": ("rating",),
                "title": ("title",),
                "reviewer_name": ("author", "name"),
                "reviewer_email": ("email",),
                "body": ("body",),
                "reply": ("reply",),
                "created_at": ("created_at", "date"),
                "reply_at": ("replied_at", "reply_date"),
            },
            ignored=("location", "ip_address", "shop_domain"),
        ),
        _spec(
            "trustpilot",
            "Trustpilot",
            {
                "external_review_id": ("review_id", "id"),
                "created_at": ("review_created_utc", "created_at", "review_date", "date"),
                "rating": ("stars", "rating", "star_rating"),
                "title": ("review_title", "title"),
                "body": ("review_content", "content", "review"),
                "reviewer_name": ("reviewer_name", "consumer_name", "customer_name", "name"),
                "reviewer_email": ("reviewer_email", "consumer_email", "customer_email", "email"),
                "sku": ("sku", "product_sku"),
                "product_name": ("product_name", "product"),
                "product_url": ("product_url",),
                "reply": ("reply", "company_reply", "reply_content"),
                "reply_at": ("reply_date", "replied_at", "company_reply_date"),
                "verified": ("verified", "is_verified", "verified_purchase"),
                "published": ("status", "review_status"),
                "source_kind": ("review_type", "type"),
            },
            ignored=(
                "reference",
                "reference_id",
                "reference_number",
                "language",
                "location",
                "review_language",
                "source",
            ),
            day_first=True,
        ),
        _spec(
            "generic",
            "CSV",
            {target: (target,) for target in TARGETS}
            | {
                "platform_product_id": ("platform_product_id", "product_id"),
                "platform_variant_id": ("platform_variant_id", "variant_id"),
                "external_review_id": ("external_review_id", "review_id", "id"),
                "created_at": ("created_at", "date"),
            },
        ),
        SourceSpec(
            key="google",
            label="Google product review feed",
            aliases={},
            required=(),
        ),
    )
}
_SOURCE_NAMES = {
    "judgeme": "judgeme",
    "yotpo": "yotpo",
    "okendo": "okendo",
    "junip": "junip",
    "reviewsio": "reviewsio",
    "reviews": "reviewsio",
    "loox": "loox",
    "stamped": "stamped",
    "stampedio": "stamped",
    "shopify": "shopify",
    "shopifyproductreviews": "shopify",
    "productreviews": "shopify",
    "trustpilot": "trustpilot",
    "trustpilotproductreviews": "trustpilot",
    "google": "google",
    "googlefeed": "google",
    "googleproductreviews": "google",
    "googleproductreviewfeed": "google",
    "generic": "generic",
    "csv": "generic",
    "jsonl": "generic",
    "jsonlines": "generic",
    "ndjson": "generic",
}


def source_spec(name: str) -> SourceSpec:
    """The spec of ``name`` (``judgeme``, ``Judge.me``, ``reviews.io``, ``csv``...)."""
    key = _SOURCE_NAMES.get(header_key(name))
    if key is None:
        known = ", ".join(sorted(spec for spec in SOURCES))
        raise ImportFileError("unknown_source", f"unknown import source {name!r} (one of {known})")
    return SOURCES[key]


@dataclass(frozen=True)
class ColumnLayout:
    """Which header feeds which target, and what was left over."""

    columns: tuple[str, ...]
    header_of: Mapping[str, str]  # target -> header as written in the file
    unknown_columns: tuple[str, ...]
    notes: tuple[str, ...] = ()


def resolve_columns(
    columns: tuple[str, ...], spec: SourceSpec, mapping: Mapping[str, str] | None
) -> ColumnLayout:
    """Match headers to targets (mapping first, then aliases) and check required ones."""
    by_key: dict[str, str] = {}
    notes = []
    for column in columns:
        key = header_key(column)
        if key in by_key:
            notes.append(f"the column {column!r} appears twice; the first one is read")
        elif key:
            by_key[key] = column
    header_of: dict[str, str] = {}
    used: set[str] = set()
    for target, wanted in (mapping or {}).items():
        if target not in TARGETS:
            raise ImportFileError(
                "unknown_mapping_target",
                f"the mapping names {target!r}, which is not a field (one of {', '.join(TARGETS)})",
            )
        mapped = by_key.get(header_key(wanted))
        if mapped is None:
            raise ImportFileError(
                "mapped_column_missing",
                f"the mapping reads {target} from {wanted!r}, but the file has no such column "
                f"(its columns: {', '.join(columns)})",
            )
        header_of[target] = mapped
        used.add(mapped)
    for target, aliases in spec.aliases.items():
        if target in header_of:
            continue
        for alias in aliases:
            found = by_key.get(header_key(alias))
            if found is not None and found not in used:
                header_of[target] = found
                used.add(found)
                break
    missing = [group for group in spec.required if not any(t in header_of for t in group)]
    if missing:
        raise ImportFileError(
            "missing_columns",
            "missing required columns: " + "; ".join(_describe(group, spec) for group in missing),
            missing=[list(group) for group in missing],
        )
    ignored = {header_key(name) for name in spec.ignored}
    unknown = tuple(
        column
        for column in columns
        if column not in used and header_key(column) and header_key(column) not in ignored
    )
    return ColumnLayout(columns, header_of, unknown, tuple(notes))


def _describe(group: tuple[str, ...], spec: SourceSpec) -> str:
    names = [alias for target in group for alias in spec.aliases.get(target, (target,))]
    what = group[0] if len(group) == 1 else "a product key"
    return f"{what} (a column named one of: {', '.join(dict.fromkeys(names))})"
