"""GET /shops/{shop_id}/exports/{format}: the feeds and exports over HTTP, streamed."""

from __future__ import annotations

import csv
import io
import json
import threading
from typing import Any, BinaryIO

import pytest
from lxml import etree

from builders import World
from reviewdesk.api.exports import _streamed
from reviewdesk.services import reviews

API = "/api/v1"


def review(world: World) -> int:
    return reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=4,
        text="Soft and cool",
    ).id


def test_each_format_comes_with_its_media_type_and_a_file_name(world: World, client: Any) -> None:
    review_id = review(world)
    url = f"{API}/shops/{world.shop_a}/exports"

    google = client.get(f"{url}/google", headers=world.seller_a.headers)
    assert google.status_code == 200, google.text
    assert google.headers["content-type"] == "application/xml"
    assert google.headers["content-disposition"] == (
        'attachment; filename="batik-house-google-product-reviews.xml"'
    )
    root = etree.fromstring(google.content, etree.XMLParser(resolve_entities=False))
    assert [int(i) for i in root.xpath("reviews/review/review_id/text()")] == [review_id]

    meta = client.get(f"{url}/meta", headers=world.operator.headers)
    assert meta.headers["content-type"] == "text/csv; charset=utf-8"
    assert "batik-house-meta-product-reviews.csv" in meta.headers["content-disposition"]
    (row,) = csv.DictReader(io.StringIO(meta.text))
    assert row["reviewID"] == str(review_id) and row["content"] == "Soft and cool"

    seller_csv = client.get(f"{url}/csv", headers=world.seller_a.headers)
    assert seller_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert "batik-house-reviews.csv" in seller_csv.headers["content-disposition"]
    (row,) = csv.DictReader(io.StringIO(seller_csv.text))
    assert row["review_id"] == str(review_id)

    lines = client.get(f"{url}/jsonl", headers=world.seller_a.headers)
    assert lines.headers["content-type"] == "application/x-ndjson"
    assert "batik-house-reviews.jsonl" in lines.headers["content-disposition"]
    assert [json.loads(line)["review_id"] for line in lines.text.splitlines()] == [review_id]


def test_outsiders_unknown_shops_and_formats_get_problems(world: World, client: Any) -> None:
    review(world)
    url = f"{API}/shops/{world.shop_a}/exports/csv"
    for actor in (world.seller_b, world.buyer_x):
        response = client.get(url, headers=actor.headers)
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "not_your_shop"
    missing = client.get(f"{API}/shops/999999/exports/csv", headers=world.operator.headers)
    assert missing.status_code == 404 and missing.json()["code"] == "shop_not_found"
    pdf = client.get(f"{API}/shops/{world.shop_a}/exports/pdf", headers=world.operator.headers)
    assert pdf.status_code == 422
    assert pdf.headers["content-type"].startswith("application/problem+json")


def test_stream_stops_the_writer_when_the_client_goes_away() -> None:
    chunks_written: list[int] = []
    finished = threading.Event()

    def write(out: BinaryIO) -> None:
        try:
            for number in range(1000):
                out.write(b"x" * 65536)
                chunks_written.append(number)
        finally:
            finished.set()

    stream = _streamed(write)
    assert len(next(stream)) == 65536
    stream.close()  # what the server does when the client disconnects
    assert finished.wait(10)
    # The writer ran at most a few chunks ahead of the reader (the queue is bounded).
    assert len(chunks_written) < 10


def test_a_failure_while_writing_ends_the_stream_with_it() -> None:
    def write(out: BinaryIO) -> None:
        out.write(b"<feed>" + b" " * 70000)
        raise RuntimeError("database went away")

    stream = _streamed(write)
    assert next(stream).startswith(b"<feed>")
    with pytest.raises(RuntimeError, match="database went away"):
        next(stream)
