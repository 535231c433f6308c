"""The Meta (Facebook/Instagram Shops) product review feed, CSV."""

from __future__ import annotations

import csv
import io
import itertools
import json
import tracemalloc
from typing import BinaryIO, cast

from feed_samples import FEED_INFO, DiscardingSink, a_product, a_review, many_reviews

from reviewdesk.integrations.feeds import (
    META_COLUMNS,
    ExportedReview,
    FeedInfo,
    write_meta_feed,
)


def rows_of(*reviews: ExportedReview, info: FeedInfo = FEED_INFO) -> list[dict[str, str]]:
    out = io.BytesIO()
    write_meta_feed(reviews, info, out)
    return list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"), newline="")))


def test_header_has_the_columns_meta_documents_in_order() -> None:
    out = io.BytesIO()
    write_meta_feed([], FEED_INFO, out)
    header = out.getvalue().decode("utf-8").splitlines()[0].split(",")
    assert header[:16] == [
        "aggregator",
        "store.name",
        "store.id",
        "store.storeUrls",
        "reviewID",
        "rating",
        "title",
        "content",
        "created_at",
        "updated_at",
        "review_image_urls",
        "incentivized",
        "has_verified_purchase",
        "reviewer.name",
        "reviewer.reviewerID",
        "reviewer.isAnonymous",
    ]
    assert tuple(header) == META_COLUMNS


def test_empty_iterable_writes_only_the_header() -> None:
    out = io.BytesIO()
    assert write_meta_feed(iter(()), FEED_INFO, out) == 0
    assert out.getvalue() == (",".join(META_COLUMNS) + "\r\n").encode()


def test_round_trip_gives_back_every_column() -> None:
    review = a_review(
        media_urls=("https://cdn.kopi.example/m/1.jpg", "https://cdn.kopi.example/m/2.jpg"),
        incentivized=True,
    )
    (row,) = rows_of(review)
    assert row == {
        "aggregator": "reviewdesk",
        "store.name": "Toko Kopi Nusantara",
        "store.id": "shop-17",
        "store.storeUrls": '["https://kopi.example","https://www.kopi.example"]',
        "reviewID": "1001",
        "rating": "4",
        "title": "Harum sekali",
        "content": "Aromanya kuat, pengiriman cepat. Would buy again!",
        "created_at": "2024-05-01T08:30:00Z",
        "updated_at": "2024-05-02T09:00:00Z",
        "review_image_urls": (
            '["https://cdn.kopi.example/m/1.jpg","https://cdn.kopi.example/m/2.jpg"]'
        ),
        "incentivized": "true",
        "has_verified_purchase": "true",
        "reviewer.name": "b***i",
        "reviewer.reviewerID": "",
        "reviewer.isAnonymous": "false",
        "product.name": "Kopi Gayo 250 g",
        "product.url": "https://kopi.example/products/kopi-gayo",
        "product.brand": "Gayo Highlands",
        "product.productIdentifiers.gtins": '["08991234567890"]',
        "product.productIdentifiers.mpns": '["GH-250"]',
        "product.productIdentifiers.skus": '["KG-250"]',
    }
    assert json.loads(row["store.storeUrls"]) == list(FEED_INFO.store_urls)


def test_absent_values_are_empty_cells() -> None:
    info = FeedInfo(publisher_name="S", store_name="S", aggregator_name=None)
    product = a_product(brand=None, mpn=None, gtins=(), skus=())
    (row,) = rows_of(a_review(title=None, media_urls=(), product=product), info=info)
    for column in (
        "aggregator",
        "store.id",
        "store.storeUrls",
        "title",
        "review_image_urls",
        "product.brand",
        "product.productIdentifiers.gtins",
        "product.productIdentifiers.mpns",
        "product.productIdentifiers.skus",
    ):
        assert row[column] == "", column


def test_content_is_never_empty() -> None:
    rows = rows_of(
        a_review(review_id=1, body=None, title="Mantap"),
        a_review(review_id=2, body=" ", title=None),
        a_review(review_id=3),
    )
    assert [(row["reviewID"], row["title"], row["content"]) for row in rows] == [
        ("1", "", "Mantap"),
        ("3", "Harum sekali", "Aromanya kuat, pengiriman cepat. Would buy again!"),
    ]


def test_quotes_commas_newlines_and_emoji_survive_and_controls_do_not() -> None:
    body = 'Enak, "mantap"\r\nbaris dua ☕🇮🇩\x00\x1b'
    (row,) = rows_of(a_review(body=body))
    assert row["content"] == 'Enak, "mantap"\r\nbaris dua ☕🇮🇩'


def test_feed_text_is_sent_as_written_without_formula_prefix() -> None:
    (row,) = rows_of(a_review(title="=HYPERLINK(1)", body="-5 stars? no, +5"))
    assert (row["title"], row["content"]) == ("=HYPERLINK(1)", "-5 stars? no, +5")


def test_bom_is_written_only_when_asked() -> None:
    plain, excel = io.BytesIO(), io.BytesIO()
    write_meta_feed([a_review()], FEED_INFO, plain)
    write_meta_feed([a_review()], FEED_INFO, excel, bom=True)
    assert not plain.getvalue().startswith(b"\xef\xbb\xbf")
    assert excel.getvalue() == b"\xef\xbb\xbf" + plain.getvalue()


def test_meta_feed_streams_in_bounded_memory() -> None:
    pool = list(many_reviews(500))
    sink = DiscardingSink()
    tracemalloc.start()
    try:
        written = write_meta_feed(
            itertools.islice(itertools.cycle(pool), 5_000), FEED_INFO, cast(BinaryIO, sink)
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert written == 5_000
    # Holding the output, or the records, would cost more than the whole output.
    assert peak * 5 < sink.size
