"""The seller's own export: CSV (formula injection neutralised) and JSON lines."""

from __future__ import annotations

import csv
import io
import itertools
import json
import tracemalloc
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import BinaryIO, cast

import pytest
from feed_samples import DiscardingSink, a_product, a_review, many_reviews

from reviewdesk.integrations.feeds import (
    SELLER_COLUMNS,
    ExportedReview,
    neutralise_formula,
    write_reviews_csv,
    write_reviews_jsonl,
)

TRIGGERS = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"]
TEXT_COLUMNS = ["title", "body", "reply", "reviewer_display", "product_name", "labels"]


def csv_rows(*reviews: ExportedReview, bom: bool = False) -> list[dict[str, str]]:
    out = io.BytesIO()
    write_reviews_csv(reviews, out, bom=bom)
    text = out.getvalue().decode("utf-8-sig" if bom else "utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def jsonl_objects(*reviews: ExportedReview) -> list[dict[str, object]]:
    out = io.BytesIO()
    write_reviews_jsonl(reviews, out)
    return [json.loads(line) for line in out.getvalue().decode("utf-8").split("\n") if line]


def a_full_review() -> ExportedReview:
    return a_review(
        incentivized=True,
        media_urls=("https://cdn.kopi.example/m/1.jpg", "https://cdn.kopi.example/m/2.mp4"),
        categories=("quality", "late_delivery"),
        product=a_product(gtins=("08991234567890", "00012345678905"), skus=("KG-250", "KG-1")),
    )


def test_csv_round_trip_gives_back_every_field() -> None:
    (row,) = csv_rows(a_full_review())
    assert tuple(row) == SELLER_COLUMNS
    assert row == {
        "review_id": "1001",
        "product_id": "42",
        "product_name": "Kopi Gayo 250 g",
        "product_url": "https://kopi.example/products/kopi-gayo",
        "product_handle": "kopi-gayo",
        "product_brand": "Gayo Highlands",
        "product_mpn": "GH-250",
        "product_gtins": "08991234567890\n00012345678905",
        "product_skus": "KG-250\nKG-1",
        "rating": "4",
        "title": "Harum sekali",
        "body": "Aromanya kuat, pengiriman cepat. Would buy again!",
        "created_at": "2024-05-01T08:30:00Z",
        "updated_at": "2024-05-02T09:00:00Z",
        "reviewer_display": "b***i",
        "is_anonymous": "false",
        "verified": "true",
        "incentivized": "true",
        "source": "native",
        "language": "id",
        "helpful_count": "3",
        "media_urls": "https://cdn.kopi.example/m/1.jpg\nhttps://cdn.kopi.example/m/2.mp4",
        "reply": "Terima kasih, Budi!",
        "reply_at": "2024-05-03T10:00:00Z",
        "labels": "Verified purchase\nIncentivized review",
        "categories": "quality\nlate_delivery",
        "review_url": "https://kopi.example/products/kopi-gayo#review-1001",
    }


def test_csv_absent_values_are_empty_cells() -> None:
    review = a_review(
        title=None, reply=None, reply_at=None, language=None, media_urls=(), categories=()
    )
    (row,) = csv_rows(review)
    for column in ("title", "reply", "reply_at", "language", "media_urls", "categories"):
        assert row[column] == "", column


@pytest.mark.parametrize("trigger", TRIGGERS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("column", TEXT_COLUMNS)
def test_csv_cells_that_a_spreadsheet_would_run_are_prefixed(trigger: str, column: str) -> None:
    payload = f'{trigger}HYPERLINK("https://evil.example","click")'
    field = {"body": "body", "product_name": "product", "labels": "labels"}.get(column, column)
    if column == "product_name":
        value: object = a_product(name=payload)
    elif column == "labels":
        value = (payload, "Verified purchase")
    else:
        value = payload
    (row,) = csv_rows(a_review(**{field: value}))
    expected = "'" + payload + ("\nVerified purchase" if column == "labels" else "")
    assert row[column] == expected


@pytest.mark.parametrize("trigger", TRIGGERS, ids=lambda c: f"U+{ord(c):04X}")
def test_neutralise_formula_prefixes_each_trigger_and_nothing_else(trigger: str) -> None:
    assert neutralise_formula(f"{trigger}1+1") == f"'{trigger}1+1"
    assert neutralise_formula(f"a{trigger}1") == f"a{trigger}1"


@pytest.mark.parametrize("harmless", ["", "Enak", "5 stars", " =1", "'=1", "#1", "(1)"])
def test_harmless_cells_are_left_alone(harmless: str) -> None:
    assert neutralise_formula(harmless) == harmless


def test_numbers_in_numeric_columns_stay_numbers_but_text_that_looks_like_one_does_not() -> None:
    (row,) = csv_rows(a_review(helpful_count=-3, title="-3", rating=1))
    assert (row["helpful_count"], row["rating"]) == ("-3", "1")
    assert row["title"] == "'-3"


def test_csv_with_bom_for_excel() -> None:
    plain, excel = io.BytesIO(), io.BytesIO()
    write_reviews_csv([a_review()], plain)
    write_reviews_csv([a_review()], excel, bom=True)
    assert excel.getvalue() == b"\xef\xbb\xbf" + plain.getvalue()
    assert not plain.getvalue().startswith(b"\xef\xbb\xbf")
    assert csv_rows(a_review(), bom=True)[0]["review_id"] == "1001"


def test_csv_keeps_unicode_quotes_and_newlines_and_drops_control_characters() -> None:
    body = 'Cà phê "ngon", giao nhanh ☕🇻🇳\r\nDòng hai\x00\x07'
    (row,) = csv_rows(a_review(body=body, reply="Cảm ơn\ud800!"))
    assert row["body"] == 'Cà phê "ngon", giao nhanh ☕🇻🇳\r\nDòng hai'
    assert row["reply"] == "Cảm ơn!"


@pytest.mark.parametrize("writer", [write_reviews_csv, write_reviews_jsonl])
def test_empty_iterables_write_nothing_but_a_header(
    writer: Callable[[Iterable[ExportedReview], BinaryIO], int],
) -> None:
    out = io.BytesIO()
    assert writer(iter(()), out) == 0
    expected = (",".join(SELLER_COLUMNS) + "\r\n").encode() if writer is write_reviews_csv else b""
    assert out.getvalue() == expected


def test_jsonl_round_trip_gives_back_every_field() -> None:
    review = a_full_review()
    (obj,) = jsonl_objects(review)
    assert obj == {
        "review_id": 1001,
        "product": {
            "id": 42,
            "name": "Kopi Gayo 250 g",
            "url": "https://kopi.example/products/kopi-gayo",
            "handle": "kopi-gayo",
            "brand": "Gayo Highlands",
            "mpn": "GH-250",
            "gtins": ["08991234567890", "00012345678905"],
            "skus": ["KG-250", "KG-1"],
        },
        "rating": 4,
        "title": "Harum sekali",
        "body": "Aromanya kuat, pengiriman cepat. Would buy again!",
        "created_at": "2024-05-01T08:30:00Z",
        "updated_at": "2024-05-02T09:00:00Z",
        "reviewer_display": "b***i",
        "is_anonymous": False,
        "verified": True,
        "incentivized": True,
        "source": "native",
        "language": "id",
        "helpful_count": 3,
        "media_urls": list(review.media_urls),
        "reply": "Terima kasih, Budi!",
        "reply_at": "2024-05-03T10:00:00Z",
        "labels": ["Verified purchase", "Incentivized review"],
        "categories": ["quality", "late_delivery"],
        "review_url": "https://kopi.example/products/kopi-gayo#review-1001",
    }


def test_jsonl_keeps_text_exactly_without_formula_prefixes() -> None:
    (obj,) = jsonl_objects(a_review(title="=1+1", body="-3 stars", reply=None, reply_at=None))
    assert (obj["title"], obj["body"], obj["reply"], obj["reply_at"]) == (
        "=1+1",
        "-3 stars",
        None,
        None,
    )


def test_jsonl_is_one_review_a_line_even_with_unicode_line_separators() -> None:
    body = "satu\u2028dua\u2029tiga\nempat ☕"
    out = io.BytesIO()
    assert write_reviews_jsonl([a_review(body=body), a_review(review_id=2)], out) == 2
    text = out.getvalue().decode("utf-8")
    assert len(text.splitlines()) == 2
    assert "☕" in text
    assert json.loads(text.splitlines()[0])["body"] == body


def test_naive_times_never_reach_an_export() -> None:
    with pytest.raises(Exception, match="time zone"):
        a_review(reply_at=datetime(2024, 1, 1))
    assert a_review(reply_at=datetime(2024, 1, 1, tzinfo=UTC)).reply_at is not None


@pytest.mark.parametrize("writer", [write_reviews_csv, write_reviews_jsonl])
def test_seller_exports_stream_in_bounded_memory(
    writer: Callable[[Iterable[ExportedReview], BinaryIO], int],
) -> None:
    pool = list(many_reviews(500))
    sink = DiscardingSink()
    tracemalloc.start()
    try:
        written = writer(itertools.islice(itertools.cycle(pool), 5_000), cast(BinaryIO, sink))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert written == 5_000
    # Holding the output, or the records, would cost more than the whole output.
    assert peak * 5 < sink.size
