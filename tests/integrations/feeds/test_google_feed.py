"""The Google product review feed (schema 2.4): structure, round trip, rules, memory."""

from __future__ import annotations

import io
import itertools
import time
import tracemalloc
from datetime import datetime, timedelta, timezone

import pytest
from feed_samples import FEED_INFO, a_product, a_review, many_reviews
from google_feed_reader import assert_valid, parse_feed, read_reviews
from lxml import etree

from reviewdesk.errors import InvalidInput
from reviewdesk.integrations.feeds import (
    ExportedReview,
    FeedInfo,
    collection_method,
    product_identifiers,
    write_google_feed,
)
from reviewdesk.integrations.feeds.google import REVIEW_ELEMENT_ORDER, SCHEMA_URL

XML_FORBIDDEN = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + [
    "\ud800",
    "\udfff",
    "\ufffe",
    "\uffff",
]


def feed_of(*reviews: ExportedReview, info: FeedInfo = FEED_INFO) -> bytes:
    out = io.BytesIO()
    write_google_feed(reviews, info, out)
    return out.getvalue()


def only_review(data: bytes) -> dict[str, object]:
    (review,) = read_reviews(assert_valid(data))
    return review


def test_feed_header_names_schema_version_aggregator_and_publisher() -> None:
    root = assert_valid(feed_of(a_review()))
    xsi = "{http://www.w3.org/2001/XMLSchema-instance}noNamespaceSchemaLocation"
    assert root.get(xsi) == SCHEMA_URL
    assert [child.tag for child in root] == ["version", "aggregator", "publisher", "reviews"]
    assert root.findtext("version") == "2.4"
    assert root.findtext("aggregator/name") == "reviewdesk"
    assert root.findtext("publisher/name") == "Toko Kopi Nusantara"
    assert root.findtext("publisher/favicon") == "https://kopi.example/favicon.png"


def test_feed_without_aggregator_or_favicon_leaves_them_out() -> None:
    info = FeedInfo(publisher_name="Shop", store_name="Shop", aggregator_name=None)
    root = assert_valid(feed_of(a_review(), info=info))
    assert [child.tag for child in root] == ["version", "publisher", "reviews"]
    assert [child.tag for child in root.findall("publisher/*")] == ["name"]


def test_every_kind_of_review_validates_against_the_structure_schema() -> None:
    data = feed_of(
        a_review(review_id=1),
        a_review(review_id=2, title=None, media_urls=(), language=None, reply=None),
        a_review(review_id=3, is_anonymous=True, reviewer_display="a***s"),
        a_review(review_id=4, incentivized=True, verified=False),
        a_review(review_id=5, source="judgeme", product=a_product(gtins=())),
        a_review(review_id=6, product=a_product(gtins=(), brand=None, skus=())),
        a_review(review_id=7, body=None),
        a_review(
            review_id=8, media_urls=("https://cdn.example/v.mp4", "https://cdn.example/a.png")
        ),
    )
    assert len(read_reviews(assert_valid(data))) == 8


def test_review_children_follow_the_schema_sequence() -> None:
    for review in read_reviews(assert_valid(feed_of(a_review()))):
        order = review["order"]
        assert isinstance(order, list)
        positions = [REVIEW_ELEMENT_ORDER.index(tag) for tag in order]
        assert positions == sorted(positions)
        assert order == [
            "review_id",
            "reviewer",
            "is_verified_purchase",
            "is_incentivized_review",
            "review_timestamp",
            "title",
            "content",
            "review_language",
            "review_url",
            "reviewer_images",
            "ratings",
            "products",
            "is_spam",
            "collection_method",
        ]


def test_round_trip_gives_back_every_field() -> None:
    review = a_review(
        media_urls=("https://cdn.kopi.example/m/1.jpg", "https://cdn.kopi.example/m/2.webp")
    )
    written = only_review(feed_of(review))
    del written["order"]
    assert written == {
        "review_id": "1001",
        "reviewer_name": "b***i",
        "is_anonymous": "false",
        "is_verified_purchase": "true",
        "is_incentivized_review": "false",
        # 15:30 in Jakarta (UTC+7) is 08:30 UTC.
        "review_timestamp": "2024-05-01T08:30:00Z",
        "title": "Harum sekali",
        "content": "Aromanya kuat, pengiriman cepat. Would buy again!",
        "review_language": "id",
        "review_url": "https://kopi.example/products/kopi-gayo#review-1001",
        "review_url_type": "singleton",
        "images": ["https://cdn.kopi.example/m/1.jpg", "https://cdn.kopi.example/m/2.webp"],
        "rating": "4",
        "rating_range": ("1", "5"),
        "gtins": ["08991234567890"],
        "mpns": [],
        "skus": [],
        "brands": [],
        "has_product_ids": True,
        "product_name": "Kopi Gayo 250 g",
        "product_url": "https://kopi.example/products/kopi-gayo",
        "is_spam": "false",
        "collection_method": "post_fulfillment",
    }


def test_many_reviews_round_trip_in_order_with_their_ratings() -> None:
    reviews = list(many_reviews(300))
    out = io.BytesIO()
    assert write_google_feed(iter(reviews), FEED_INFO, out) == 300
    read = read_reviews(assert_valid(out.getvalue()))
    assert [r["review_id"] for r in read] == [str(r.review_id) for r in reviews]
    assert [r["rating"] for r in read] == [str(r.rating) for r in reviews]
    assert [r["content"] for r in read] == [(r.body or "").strip() for r in reviews]
    assert [r["is_anonymous"] == "true" for r in read] == [r.is_anonymous for r in reviews]


@pytest.mark.parametrize(
    "text",
    [
        "Fish & chips <b>bold</b> \"quoted\" 'single' ]]> &amp; &#x41;",
        "Emoji ☕🇮🇩👍🏽 and zero-width joiner 👩‍👩‍👧",
        "Tiếng Việt: cà phê rất ngon, giao hàng nhanh",
        "עברית وعربية mixed with English",
        "中文 日本語 한국어",
        "line one\r\nline two\nline three\ttabbed",
        "<!DOCTYPE x [<!ENTITY e 'boom'>]>&e;",
        "\u2028line separator\u2029paragraph separator\u0085next line\x7f",
    ],
)
def test_any_unicode_text_is_escaped_and_read_back_unchanged(text: str) -> None:
    review = only_review(feed_of(a_review(title=text, body=text, reviewer_display=text)))
    assert review["title"] == text.strip()
    assert review["content"] == text.strip()
    assert review["reviewer_name"] == text.strip()


def test_markup_in_product_and_publisher_names_cannot_break_the_document() -> None:
    info = FeedInfo(publisher_name="A & B <Shop>", store_name="x", aggregator_name="<agg>")
    product = a_product(name='Kopi <"Gayo"> & Co', url="https://kopi.example/p?a=1&b=2")
    root = assert_valid(feed_of(a_review(product=product), info=info))
    assert root.findtext("publisher/name") == "A & B <Shop>"
    assert root.findtext("aggregator/name") == "<agg>"
    assert root.findtext("reviews/review/products/product/product_name") == 'Kopi <"Gayo"> & Co'
    assert root.findtext("reviews/review/products/product/product_url") == (
        "https://kopi.example/p?a=1&b=2"
    )


@pytest.mark.parametrize("char", XML_FORBIDDEN, ids=lambda c: f"U+{ord(c):04X}")
def test_characters_xml_forbids_are_removed(char: str) -> None:
    data = feed_of(a_review(title=f"ti{char}tle", body=f"go{char}od", reviewer_display=f"b{char}i"))
    review = only_review(data)
    assert (review["title"], review["content"], review["reviewer_name"]) == ("title", "good", "bi")


def test_tab_line_feed_and_carriage_return_are_kept() -> None:
    review = only_review(feed_of(a_review(body="a\tb\nc\rd")))
    assert review["content"] == "a\tb\nc\rd"


def test_entities_in_a_feed_are_not_expanded_when_read_back() -> None:
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x "expanded">]>'
        b"<feed><version>&x;</version></feed>"
    )
    root = parse_feed(hostile)
    assert root.findtext("version") in (None, "")
    assert b"expanded</version>" not in etree.tostring(root)


def test_empty_iterable_writes_a_valid_feed_without_reviews() -> None:
    out = io.BytesIO()
    assert write_google_feed([], FEED_INFO, out) == 0
    root = assert_valid(out.getvalue())
    assert root.find("reviews") is None
    assert [child.tag for child in root] == ["version", "aggregator", "publisher"]


def test_review_without_body_uses_its_title_as_content() -> None:
    review = only_review(feed_of(a_review(body="   ", title="Mantap")))
    assert (review["title"], review["content"]) == (None, "Mantap")


def test_bare_star_rating_is_left_out_and_not_counted() -> None:
    out = io.BytesIO()
    reviews = [a_review(review_id=1, title=None, body=None), a_review(review_id=2)]
    assert write_google_feed(reviews, FEED_INFO, out) == 1
    assert [r["review_id"] for r in read_reviews(assert_valid(out.getvalue()))] == ["2"]


def test_empty_display_name_is_written_as_the_anonymous_mask() -> None:
    review = only_review(feed_of(a_review(reviewer_display="", is_anonymous=True)))
    assert (review["reviewer_name"], review["is_anonymous"]) == ("a***s", "true")


def test_video_media_are_not_reviewer_images() -> None:
    urls = ("https://cdn.example/clip.MP4", "https://cdn.example/clip.webm?x=1")
    review = only_review(feed_of(a_review(media_urls=(*urls, "https://cdn.example/p.jpg"))))
    assert review["images"] == ["https://cdn.example/p.jpg"]
    order = only_review(feed_of(a_review(media_urls=urls)))["order"]
    assert isinstance(order, list) and "reviewer_images" not in order


@pytest.mark.parametrize(
    ("language", "written"),
    [("id", "id"), ("VI", "vi"), ("fil", "fil"), ("en-US", None), ("", None), (None, None)],
)
def test_review_language_is_a_plain_iso_639_code(language: str | None, written: str) -> None:
    assert only_review(feed_of(a_review(language=language)))["review_language"] == written


# The identifier rule: GTIN, else brand + MPN, else SKU, else none; never two kinds.
@pytest.mark.parametrize(
    ("product", "expected"),
    [
        (a_product(), {"gtins": ["08991234567890"], "mpns": [], "skus": [], "brands": []}),
        (
            a_product(gtins=("08991234567890", "00012345678905")),
            {"gtins": ["08991234567890", "00012345678905"], "mpns": [], "skus": [], "brands": []},
        ),
        (
            a_product(gtins=()),
            {"gtins": [], "mpns": ["GH-250"], "skus": [], "brands": ["Gayo Highlands"]},
        ),
        (
            a_product(gtins=(" ",), brand=None),
            {"gtins": [], "mpns": [], "skus": ["KG-250"], "brands": []},
        ),
        (
            a_product(gtins=(), mpn=None, skus=("KG-250", "KG-250-B")),
            {"gtins": [], "mpns": [], "skus": ["KG-250", "KG-250-B"], "brands": []},
        ),
    ],
    ids=["gtin", "several-gtins", "brand-mpn", "mpn-without-brand-falls-to-sku", "skus"],
)
def test_products_are_identified_by_gtin_else_brand_mpn_else_sku(
    product: object, expected: dict[str, list[str]]
) -> None:
    review = only_review(feed_of(a_review(product=product)))
    assert {key: review[key] for key in expected} == expected


def test_product_with_no_identifier_is_matched_by_url_alone() -> None:
    product = a_product(gtins=(), mpn="GH-250", brand=None, skus=())
    review = only_review(feed_of(a_review(product=product)))
    assert review["has_product_ids"] is False
    assert review["product_url"] == "https://kopi.example/products/kopi-gayo"
    assert not product_identifiers(product)


@pytest.mark.parametrize(
    ("verified", "incentivized", "source", "method"),
    [
        (True, False, "native", "post_fulfillment"),
        (True, True, "native", "post_fulfillment"),
        (False, False, "native", "unsolicited"),
        (False, True, "native", "unsolicited"),
        (True, False, "judgeme", "unsolicited"),
        (True, True, "yotpo", "unsolicited"),
    ],
)
def test_collection_method_and_flags_follow_verified_incentivized_and_source(
    verified: bool, incentivized: bool, source: str, method: str
) -> None:
    review = a_review(verified=verified, incentivized=incentivized, source=source)
    assert collection_method(review) == method
    written = only_review(feed_of(review))
    assert written["collection_method"] == method
    assert written["is_verified_purchase"] == str(verified).lower()
    assert written["is_incentivized_review"] == str(incentivized).lower()


def test_timestamps_are_written_in_utc_with_a_zone() -> None:
    moment = datetime(2024, 12, 31, 23, 59, 59, 999_999, tzinfo=timezone(timedelta(hours=-5)))
    assert only_review(feed_of(a_review(created_at=moment)))["review_timestamp"] == (
        "2025-01-01T04:59:59Z"
    )


def test_a_naive_datetime_is_refused_when_the_record_is_made() -> None:
    with pytest.raises(InvalidInput) as refused:
        a_review(created_at=datetime(2024, 1, 1))
    assert refused.value.code == "export_naive_datetime"


def test_a_reviewer_e_mail_can_never_reach_a_feed() -> None:
    with pytest.raises(InvalidInput) as refused:
        a_review(reviewer_display="budi@example.com")
    assert refused.value.code == "export_reviewer_email"


@pytest.mark.parametrize("rating", [0, 6])
def test_a_rating_outside_one_to_five_is_refused(rating: int) -> None:
    with pytest.raises(InvalidInput) as refused:
        a_review(rating=rating)
    assert refused.value.code == "export_rating_out_of_range"


def test_two_hundred_thousand_reviews_stream_in_bounded_memory(tmp_path: object) -> None:
    # A pool of distinct records, cycled: the records are the cursor's business, and
    # building 200,000 of them would only measure the test. The pool exists before
    # tracing starts, so the peak is the writer's own.
    pool = list(many_reviews(1000))
    count = 200_000
    path = f"{tmp_path}/feed.xml"

    with open(path, "wb") as out:
        started = time.perf_counter()
        assert write_google_feed(itertools.islice(itertools.cycle(pool), count), FEED_INFO, out)
        elapsed = time.perf_counter() - started

    with open(path, "wb") as out:
        tracemalloc.start()
        try:
            written = write_google_feed(
                itertools.islice(itertools.cycle(pool), count), FEED_INFO, out
            )
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        size = out.tell()

    print(
        f"\nGoogle feed: {written:,} reviews, {size / 1e6:.0f} MB in {elapsed:.1f} s "
        f"({written / elapsed:,.0f} reviews/s); tracemalloc peak {peak / 1e6:.2f} MB"
    )
    assert written == count
    assert peak < 5_000_000 < size
    # The end of a huge feed is as well-formed as the start.
    with open(path, "rb") as feed:
        feed.seek(-2000, 2)
        assert feed.read().endswith(b"</review>\n</reviews>\n</feed>\n")


@pytest.mark.parametrize("where", ["review", "product"])
def test_a_review_without_its_urls_is_refused(where: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        if where == "review":
            a_review(review_url=" ")
        else:
            a_review(product=a_product(url=""))
    assert refused.value.code == "export_missing_url"


def test_a_feed_needs_the_store_name() -> None:
    with pytest.raises(InvalidInput) as refused:
        FeedInfo(publisher_name="x", store_name=" ")
    assert refused.value.code == "export_missing_store_name"
