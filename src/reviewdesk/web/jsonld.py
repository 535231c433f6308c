"""schema.org JSON-LD of a product page: Product, AggregateRating and the shown Reviews."""

from __future__ import annotations

from typing import Any

from reviewdesk.services.public import ProductPublic, PublicReview


def product_jsonld(product: ProductPublic, reviews: list[PublicReview], url: str) -> dict[str, Any]:
    """The ``Product`` object of a product page (rating and reviews only when there are some)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "url": url,
    }
    if product.brand:
        data["brand"] = {"@type": "Brand", "name": product.brand}
    if product.mpn:
        data["mpn"] = product.mpn
    if product.gtins:
        data["gtin14"] = product.gtins[0]
    if product.description:
        data["description"] = product.description
    rating = product.rating
    if rating.count and rating.average is not None:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": f"{rating.average:.1f}",
            "reviewCount": rating.count,
            "bestRating": 5,
            "worstRating": 1,
        }
    if reviews:
        data["review"] = [_review(r) for r in reviews]
    return data


def _review(review: PublicReview) -> dict[str, Any]:
    item: dict[str, Any] = {
        "@type": "Review",
        "author": {"@type": "Person", "name": review.reviewer},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": review.rating,
            "bestRating": 5,
            "worstRating": 1,
        },
        "datePublished": review.published_at.date().isoformat(),
    }
    if review.title:
        item["name"] = review.title
    if review.text:
        item["reviewBody"] = review.text
    return item
