"""Review feeds and exports: pure writers from plain records to a binary stream.

- ``write_google_feed``: Google product review feed, schema 2.4 (XML)
- ``write_meta_feed``: Meta (Facebook/Instagram Shops) product review feed (CSV)
- ``write_reviews_csv`` / ``write_reviews_jsonl``: the seller's own export

Each takes an iterable of ``ExportedReview`` (typically fed from a database cursor by the
export service), writes as it goes, and returns the number of reviews written.
"""

from reviewdesk.integrations.feeds.google import (
    collection_method,
    product_identifiers,
    write_google_feed,
)
from reviewdesk.integrations.feeds.meta import META_COLUMNS, write_meta_feed
from reviewdesk.integrations.feeds.records import ExportedProduct, ExportedReview, FeedInfo
from reviewdesk.integrations.feeds.seller import (
    SELLER_COLUMNS,
    neutralise_formula,
    write_reviews_csv,
    write_reviews_jsonl,
)

__all__ = [
    "META_COLUMNS",
    "SELLER_COLUMNS",
    "ExportedProduct",
    "ExportedReview",
    "FeedInfo",
    "collection_method",
    "neutralise_formula",
    "product_identifiers",
    "write_google_feed",
    "write_meta_feed",
    "write_reviews_csv",
    "write_reviews_jsonl",
]
