"""Reads a written Google feed back: our structural schema and a safe parse into dicts."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

STRUCTURE_XSD = Path(__file__).with_name("product_reviews_structure.xsd")


@cache
def structure_schema() -> etree.XMLSchema:
    """reviewdesk's structural schema of the 2.4 feed (not Google's XSD; see the file)."""
    return etree.XMLSchema(etree.parse(str(STRUCTURE_XSD), _safe_parser()))


def _safe_parser() -> etree.XMLParser:
    # Entities off, no DTD, no network: the way an importer must read a feed.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_feed(data: bytes) -> etree._Element:
    """The feed's root element, parsed safely."""
    return etree.fromstring(data, _safe_parser())


def assert_valid(data: bytes) -> etree._Element:
    """Parse ``data`` and fail the test with the schema's errors if it is not valid."""
    root = parse_feed(data)
    schema = structure_schema()
    if not schema.validate(root):
        raise AssertionError("\n".join(str(error) for error in schema.error_log))
    return root


def _text(parent: etree._Element, path: str) -> str | None:
    found = parent.find(path)
    return None if found is None else found.text


def _texts(parent: etree._Element, path: str) -> list[str]:
    return [element.text or "" for element in parent.findall(path)]


def read_reviews(root: etree._Element) -> list[dict[str, Any]]:
    """Every review of a parsed feed as a plain dict of what it says."""
    reviews = []
    for review in root.findall("reviews/review"):
        name = review.find("reviewer/name")
        assert name is not None
        product = review.find("products/product")
        assert product is not None
        overall = review.find("ratings/overall")
        assert overall is not None
        url = review.find("review_url")
        assert url is not None
        reviews.append(
            {
                "order": [child.tag for child in review],
                "review_id": _text(review, "review_id"),
                "reviewer_name": name.text,
                "is_anonymous": name.get("is_anonymous"),
                "is_verified_purchase": _text(review, "is_verified_purchase"),
                "is_incentivized_review": _text(review, "is_incentivized_review"),
                "review_timestamp": _text(review, "review_timestamp"),
                "title": _text(review, "title"),
                "content": _text(review, "content"),
                "review_language": _text(review, "review_language"),
                "review_url": url.text,
                "review_url_type": url.get("type"),
                "images": _texts(review, "reviewer_images/reviewer_image/url"),
                "rating": overall.text,
                "rating_range": (overall.get("min"), overall.get("max")),
                "gtins": _texts(product, "product_ids/gtins/gtin"),
                "mpns": _texts(product, "product_ids/mpns/mpn"),
                "skus": _texts(product, "product_ids/skus/sku"),
                "brands": _texts(product, "product_ids/brands/brand"),
                "has_product_ids": product.find("product_ids") is not None,
                "product_name": _text(product, "product_name"),
                "product_url": _text(product, "product_url"),
                "is_spam": _text(review, "is_spam"),
                "collection_method": _text(review, "collection_method"),
            }
        )
    return reviews
