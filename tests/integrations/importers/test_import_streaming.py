"""Big files stream in bounded memory; an interrupted import resumes where it stopped."""

from __future__ import annotations

import itertools
import tracemalloc
from pathlib import Path

import pytest

from reviewdesk.integrations.importers import ImportedRow, ImportLimits, RowProblem, read_import

JUDGEME_HEADER = (
    "title,body,rating,review_date,reviewer_name,reviewer_email,product_id,product_handle,"
    "picture_urls\n"
)


def _judgeme_file(path: Path, rows: int) -> Path:
    """A Judge.me-shaped CSV of ``rows`` reviews (every 1000th without a rating)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(JUDGEME_HEADER)
        block = []
        for n in range(1, rows + 1):
            rating = "" if n % 1000 == 0 else str(n % 5 + 1)
            block.append(
                f'Review {n},"Body of review {n}, with a comma\nand a second line 🎉",{rating},'
                f"2024-03-{n % 28 + 1:02d} 10:00:00 UTC,Buyer {n},b{n}@example.com,{n % 97},"
                f"product-{n % 97},https://cdn.example.com/{n}.jpg\n"
            )
            if len(block) == 10_000:
                handle.write("".join(block))
                block.clear()
        handle.write("".join(block))
    return path


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _judgeme_file(tmp_path_factory.mktemp("big") / "judgeme-200k.csv", 200_000)


def test_200k_rows_stream_in_bounded_memory(big_file: Path) -> None:
    """Every record of the 200k-row file passes through the reader under tracemalloc.

    The last 10,000 rows also go through the full conversion into ``ImportedRow``
    (stateless per row, so more of them would only cost time: tracing makes each
    allocation several times slower, and the suite has a time budget).
    """
    opened = read_import(big_file, "judgeme", limits=ImportLimits(count_rows_up_to_bytes=0))
    assert opened.total_rows is None  # not cheaply known above the counting limit
    assert big_file.stat().st_size > 30 * 1024**2
    tracemalloc.start()
    try:
        reviews = problems = last = 0
        for row in opened.resume_after(190_000):
            last = row.row_number
            if isinstance(row, ImportedRow):
                reviews += 1
            else:
                problems += 1
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (reviews, problems, last) == (9_990, 10, 200_000)
    assert peak < 10 * 1024**2, f"peak {peak / 1024**2:.1f} MiB"


def test_resume_after_an_interruption_gives_every_row_once(tmp_path: Path) -> None:
    path = _judgeme_file(tmp_path / "judgeme.csv", 3_000)
    opened = read_import(path, "judgeme")
    assert opened.total_rows == 3_000
    done = [row.row_number for row in itertools.islice(opened.rows(), 1_234)]  # then killed
    resumed = [row.row_number for row in opened.resume_after(done[-1])]
    assert done + resumed == list(range(1, 3_001))
    again = read_import(path, "judgeme")  # a new process reopens the file
    assert [row.row_number for row in again.resume_after(2_998)] == [2_999, 3_000]
    assert list(again.resume_after(3_000)) == []


def test_resumed_rows_are_identical_to_a_full_read(tmp_path: Path) -> None:
    path = _judgeme_file(tmp_path / "judgeme.csv", 1_500)
    opened = read_import(path, "judgeme")
    full = list(opened.rows())
    assert list(opened.resume_after(1_000)) == full[1_000:]
    problem = full[999]
    assert isinstance(problem, RowProblem) and problem.code == "missing_rating"


def test_resume_in_json_lines_and_google_feed(tmp_path: Path) -> None:
    lines = "".join(
        f'{{"rating": 5, "created_at": "2024-03-05", "sku": "S{n}"}}\n' for n in range(1, 11)
    )
    jsonl = tmp_path / "r.jsonl"
    jsonl.write_text(lines, encoding="utf-8")
    assert [r.row_number for r in read_import(jsonl, "jsonl").resume_after(7)] == [8, 9, 10]
    review = (
        "<review><review_id>{n}</review_id><review_timestamp>2024-03-05T00:00:00Z"
        "</review_timestamp><ratings><overall min='1' max='5'>4</overall></ratings></review>"
    )
    feed = tmp_path / "feed.xml"
    body = "".join(review.format(n=n) for n in range(1, 6))
    feed.write_text(f"<feed><version>2.4</version><reviews>{body}</reviews></feed>")
    resumed = list(read_import(feed, "google").resume_after(3))
    assert [(r.row_number, getattr(r, "external_review_id", None)) for r in resumed] == [
        (4, "4"),
        (5, "5"),
    ]


def test_a_large_google_feed_streams_in_bounded_memory(tmp_path: Path) -> None:
    review = (
        "<review><review_id>{n}</review_id><reviewer><name>Buyer {n}</name></reviewer>"
        "<review_timestamp>2024-03-05T00:00:00Z</review_timestamp><content>Text {n}</content>"
        "<ratings><overall min='1' max='5'>5</overall></ratings><products><product>"
        "<product_ids><skus><sku>S{n}</sku></skus></product_ids></product></products></review>"
    )
    feed = tmp_path / "feed.xml"
    with feed.open("w", encoding="utf-8") as handle:
        handle.write("<feed><version>2.4</version><reviews>")
        for start in range(0, 5_000, 1_000):
            handle.write("".join(review.format(n=n) for n in range(start, start + 1_000)))
        handle.write("</reviews></feed>")
    opened = read_import(feed, "google")
    tracemalloc.start()
    try:
        count = sum(1 for _row in opened.rows())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 5_000
    # each review's tree is ~3 KiB: were they kept, the peak would pass 10 MiB
    assert peak < 2 * 1024**2, f"peak {peak / 1024**2:.1f} MiB"
