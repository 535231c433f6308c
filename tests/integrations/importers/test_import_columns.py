"""Header matching: aliases, tolerance, mappings, unknown and missing columns, date order."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reviewdesk.integrations.importers import (
    SOURCES,
    ImportedRow,
    ImportFileError,
    read_import,
)


def _csv(tmp_path: Path, text: str, name: str = "reviews.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_headers_match_whatever_the_case_spacing_and_punctuation(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        " REVIEW_TITLE ,Body,  Rating,Review-Date,PRODUCT HANDLE,Mystery,extra col\n"
        "Nice,Good,5,2024-03-05,shirt,?,x\n",
    )
    opened = read_import(path, "judgeme")
    assert opened.column_map == {
        "title": "REVIEW_TITLE",
        "body": "Body",
        "rating": "Rating",
        "created_at": "Review-Date",
        "handle": "PRODUCT HANDLE",
    }
    assert opened.unknown_columns == ("Mystery", "extra col")
    (row,) = opened.rows()
    assert isinstance(row, ImportedRow)
    assert (row.title, row.handle) == ("Nice", "shirt")
    assert row.raw["Mystery"] == "?"


def test_first_alias_present_wins(tmp_path: Path) -> None:
    path = _csv(
        tmp_path, "review_title,title,body,rating,review_date,product_id\nA,B,c,4,2024-03-05,1\n"
    )
    opened = read_import(path, "judgeme")
    assert opened.column_map["title"] == "title"
    assert opened.unknown_columns == ("review_title",)


def test_missing_required_columns_are_named_before_any_row(tmp_path: Path) -> None:
    path = _csv(tmp_path, "title,body,review_date\nA,b,2024-03-05\n")
    with pytest.raises(ImportFileError) as caught:
        read_import(path, "judgeme")
    error = caught.value
    assert error.code == "missing_columns"
    assert "rating (a column named one of: rating, review_rating, stars)" in error.detail
    assert "a product key" in error.detail and "product_handle" in error.detail
    assert error.extra["missing"][0] == ["rating"]


def test_an_explicit_mapping_overrides_aliases(tmp_path: Path) -> None:
    path = _csv(tmp_path, "rating,Real Stars,date,sku\n1,5,2024-03-05,S1\n")
    opened = read_import(path, "csv", {"rating": "Real Stars"})
    assert opened.column_map["rating"] == "Real Stars"
    assert opened.unknown_columns == ("rating",)
    (row,) = opened.rows()
    assert isinstance(row, ImportedRow) and row.rating == 5


def test_mapping_errors_are_clear(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Stars,Posted,SKU\n5,2024-03-05,S1\n")
    with pytest.raises(ImportFileError) as caught:
        read_import(path, "csv", {"stars": "Stars"})
    assert caught.value.code == "unknown_mapping_target"
    with pytest.raises(ImportFileError) as caught:
        read_import(path, "csv", {"rating": "Score"})
    assert caught.value.code == "mapped_column_missing"
    assert "Stars, Posted, SKU" in caught.value.detail


def test_unknown_source_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError) as caught:
        read_import(_csv(tmp_path, "a\n1\n"), "amazon")
    assert caught.value.code == "unknown_source"


@pytest.mark.parametrize(
    "name",
    [
        "judgeme",
        "Judge.me",
        "yotpo",
        "okendo",
        "junip",
        "REVIEWS.io",
        "loox",
        "Stamped.io",
        "shopify",
        "trustpilot",
        "csv",
        "generic",
    ],
)
def test_every_tabular_source_reads_its_own_minimal_file(tmp_path: Path, name: str) -> None:
    from reviewdesk.integrations.importers import source_spec

    spec = source_spec(name)
    headers = [
        spec.aliases[target][0]
        for target in ("rating", "created_at", "sku", "body")
        if target in spec.aliases
    ]
    if "sku" not in spec.aliases:
        headers.append(spec.aliases["handle"][0])
    path = _csv(tmp_path, ",".join(headers) + "\n5,2024-03-05,P-1,Fine\n")
    (row,) = read_import(path, name).rows()
    assert isinstance(row, ImportedRow)
    assert row.rating == 5 and row.source == spec.key
    assert row.created_at == datetime(2024, 3, 5, tzinfo=UTC)
    assert spec.key in SOURCES


def test_date_order_is_decided_from_the_file(tmp_path: Path) -> None:
    us = _csv(tmp_path, "rating,date,sku\n5,03/05/2024,A\n4,03/25/2024,A\n", "us.csv")
    opened = read_import(us, "reviews.io")  # day-first by habit, but the file proves m/d
    assert opened.date_order == "mdy"
    first = next(iter(opened.rows()))
    assert isinstance(first, ImportedRow)
    assert first.created_at == datetime(2024, 3, 5, tzinfo=UTC)

    unknown = _csv(tmp_path, "rating,date,sku\n5,03/05/2024,A\n", "unknown.csv")
    assert read_import(unknown, "csv").date_order == "mdy"
    assert read_import(unknown, "reviews.io").date_order == "dmy"
    assert read_import(unknown, "csv", day_first=True).date_order == "dmy"
    assert any(
        "no date in the file tells the order" in n for n in read_import(unknown, "csv").notes
    )

    mixed = _csv(tmp_path, "rating,date,sku\n5,13/05/2024,A\n4,05/13/2024,A\n", "mixed.csv")
    opened = read_import(mixed, "csv")
    assert opened.date_order == "mdy"
    assert any("both orders" in note for note in opened.notes)


def test_unparseable_date_names_row_and_column(tmp_path: Path) -> None:
    path = _csv(tmp_path, "rating,Posted,sku\n5,soon,A\n5,,A\n")
    bad, empty = read_import(path, "csv", {"created_at": "Posted"}).rows()
    assert not isinstance(bad, ImportedRow) and not isinstance(empty, ImportedRow)
    assert (bad.row_number, bad.column, bad.code) == (1, "Posted", "invalid_date")
    assert "row 1, Posted" in bad.message
    assert (empty.code, empty.column) == ("missing_date", "Posted")


def test_duplicate_headers_are_noted_and_kept_apart(tmp_path: Path) -> None:
    path = _csv(tmp_path, "rating,date,sku,note,note\n5,2024-03-05,A,x,y\n")
    opened = read_import(path, "csv")
    assert any("appears twice" in note for note in opened.notes)
    (row,) = opened.rows()
    assert isinstance(row, ImportedRow)
    assert row.raw == {
        "rating": "5",
        "date": "2024-03-05",
        "sku": "A",
        "note": "x",
        "note (2)": "y",
    }


def test_short_rows_are_padded_and_stray_cells_reported(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "rating,date,sku,body\n5,2024-03-05,A\n4,2024-03-05,A,ok,,\n3,2024-03-05,A,b,stray\n",
    )
    short, trailing, stray = read_import(path, "csv").rows()
    assert isinstance(short, ImportedRow) and short.body is None
    assert isinstance(trailing, ImportedRow) and trailing.body == "ok"
    assert not isinstance(stray, ImportedRow) and stray.code == "extra_cells"


def test_binary_stream_and_non_seekable_stream_are_read(tmp_path: Path) -> None:
    data = b"rating,date,sku\n5,2024-03-05,A\n"
    opened = read_import(io.BytesIO(data), "csv")
    assert len(list(opened.rows())) == 1
    assert len(list(opened.rows())) == 1  # rewound for a second pass

    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            chunk = self._data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    opened = read_import(io.BufferedReader(Pipe()), "csv")
    assert [r.row_number for r in opened.rows()] == [1]


def test_text_streams_are_refused() -> None:
    with pytest.raises(TypeError):
        read_import(io.StringIO("rating\n5\n"), "csv")
