"""The Google product review feed, schema 2.4 (XML), read one ``<review>`` at a time.

Parsed with defusedxml with DTDs refused outright: a feed never needs one, and refusing
it stops entity expansion ("billion laughs") and external entities before they start
(``unsafe_xml``). Each ``<review>`` is dropped from the tree once read, so memory stays
bounded whatever the number of reviews. ``row_number`` is the review's position in the
feed (1-based).

Mapping: ``review_id`` -> external id; ``reviewer/name`` -> reviewer name;
``review_timestamp``; ``title``; ``content`` -> body; ``reviewer_images/reviewer_image/url``
-> media; ``ratings/overall`` rescaled from its ``min``/``max`` to 1-5 (rounded half up);
the first ``products/product``: ``product_ids/gtins/gtin`` (first), ``mpns/mpn``,
``skus/sku``, ``brands/brand``, ``product_name``, ``product_url``;
``is_verified_purchase`` -> verified; ``is_incentivized_review`` -> incentivized;
``is_spam`` true -> not published. Every leaf is kept in ``raw`` under its path.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

import defusedxml
import defusedxml.ElementTree as SafeElementTree

from reviewdesk.integrations.importers.limits import ImportLimits
from reviewdesk.integrations.importers.records import ImportedRow, ImportFileError, RowProblem
from reviewdesk.integrations.importers.rows import RowContext, build_row
from reviewdesk.integrations.importers.textfile import ByteSource

FEED_FIELDS: dict[str, str] = {
    "external_review_id": "review_id",
    "reviewer_name": "reviewer/name",
    "created_at": "review_timestamp",
    "title": "title",
    "body": "content",
    "media_urls": "reviewer_images/reviewer_image/url",
    "rating": "ratings/overall",
    "gtin": "products/product/product_ids/gtins/gtin",
    "mpn": "products/product/product_ids/mpns/mpn",
    "sku": "products/product/product_ids/skus/sku",
    "brand": "products/product/product_ids/brands/brand",
    "product_name": "products/product/product_name",
    "product_url": "products/product/product_url",
    "verified": "is_verified_purchase",
    "incentivized": "is_incentivized_review",
    "published": "is_spam",
}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class GoogleFeed:
    """A review feed file; opening it checks that it is a safe ``<feed>``."""

    delimiter = None
    columns = tuple(FEED_FIELDS.values())

    def __init__(self, source: ByteSource, limits: ImportLimits):
        self._source, self._limits = source, limits
        with source.open() as handle:
            for _event, element in self._events(handle, 0):
                if _local(element.tag) != "feed":
                    raise ImportFileError(
                        "not_a_review_feed",
                        f"the XML root is <{_local(element.tag)}>, not a product review <feed>",
                    )
                break

    def _events(self, handle: Any, row_number: int) -> Iterator[tuple[str, Any]]:
        try:
            yield from SafeElementTree.iterparse(
                handle,
                events=("start", "end"),
                forbid_dtd=True,
                forbid_entities=True,
                forbid_external=True,
            )
        except defusedxml.DefusedXmlException as error:
            raise ImportFileError(
                "unsafe_xml",
                f"the feed declares a DTD or entities, which are refused ({error})",
            ) from None
        except ElementTree.ParseError as error:
            line, column = error.position
            raise ImportFileError(
                "invalid_xml",
                f"the XML is malformed at line {line}, column {column} (after review {row_number})",
                row_number=row_number + 1,
            ) from None

    def rows(self, start_after: int, context: RowContext) -> Iterator[ImportedRow | RowProblem]:
        """Each review of the feed after ``start_after``."""
        with self._source.open() as handle:
            stack: list[Any] = []
            row_number = 0
            events = self._events(handle, 0)
            for event, element in events:
                if event == "start":
                    stack.append(element)
                    continue
                stack.pop()
                if _local(element.tag) != "review":
                    continue
                row_number += 1
                if row_number > start_after:
                    yield self._row(row_number, element, context)
                element.clear()
                if stack:
                    stack[-1].remove(element)

    def _row(self, row_number: int, review: Any, context: RowContext) -> ImportedRow | RowProblem:
        raw: dict[str, str] = {}
        _leaves(review, "", raw, self._limits.max_field_chars, row_number)
        cells = {target: raw[path] for target, path in FEED_FIELDS.items() if path in raw}
        cells["media_urls"] = raw.get(FEED_FIELDS["media_urls"], "").replace("|", " ")
        for target in ("gtin", "mpn", "sku", "brand"):
            if target in cells:
                cells[target] = cells[target].split("|")[0]
        if "published" in cells:
            spam = cells["published"].strip().casefold() in {"true", "1"}
            cells["published"] = "false" if spam else ""
        overall = review.find("ratings/overall")
        scale = None
        if overall is not None:
            try:
                scale = (Decimal(overall.get("min", "1")), Decimal(overall.get("max", "5")))
            except InvalidOperation:
                return RowProblem(
                    row_number,
                    "ratings/overall",
                    "invalid_rating",
                    f"review {row_number}: the rating scale is not numeric",
                )
        return build_row(row_number, cells, raw, context, rating_scale=scale)

    def count(self) -> int | None:
        """Not known without parsing the whole feed."""
        return None


def _leaves(element: Any, prefix: str, into: dict[str, str], limit: int, row: int) -> None:
    for child in element:
        path = f"{prefix}{_local(child.tag)}"
        if len(child):
            _leaves(child, path + "/", into, limit, row)
            continue
        text = (child.text or "").strip()
        if len(text) > limit:
            raise ImportFileError(
                "field_too_large",
                f"review {row}, {path}: longer than {limit} characters",
                row_number=row,
            )
        into[path] = f"{into[path]}|{text}" if path in into else text
        for name, value in child.attrib.items():
            into[f"{path}@{name}"] = value
