"""Malicious or broken files end in a clear error (or a row problem), never a crash."""

from __future__ import annotations

import codecs
import gzip
import io
import zipfile
from pathlib import Path

import pytest

from reviewdesk.integrations.importers import (
    ImportedRow,
    ImportFileError,
    ImportLimits,
    RowProblem,
    read_import,
)

HEADER = "rating,date,sku,body\n"
GOOD_ROW = "5,2024-03-05,SKU-1,Fine 👍\n"


def _write(tmp_path: Path, data: bytes, name: str = "reviews.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refusal(path_or_stream: object, source: str = "csv", **options: object) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        opened = read_import(path_or_stream, source, **options)
        list(opened.rows())
    return caught.value


def test_a_file_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:  # sparse: 2 GiB + 1 byte on disk costs nothing
        handle.truncate(2 * 1024**3 + 1)
    error = _refusal(path)
    assert error.code == "file_too_large"
    assert error.status == 413


def test_the_size_limit_is_a_parameter_and_applies_to_streams(tmp_path: Path) -> None:
    data = (HEADER + GOOD_ROW * 100).encode()
    limits = ImportLimits(max_file_bytes=1000)
    assert _refusal(_write(tmp_path, data), limits=limits).code == "file_too_large"
    assert _refusal(io.BytesIO(data), limits=limits).code == "file_too_large"

    class Endless(io.RawIOBase):
        """A non-seekable stream that never ends: spooling must stop at the limit."""

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            buffer[:] = b"x" * len(buffer)
            return len(buffer)

    endless = io.BufferedReader(Endless())
    assert _refusal(endless, limits=ImportLimits(max_file_bytes=3_000_000)).code == (
        "file_too_large"
    )


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("reviews.csv", b"0" * 20_000_000)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (_zip_bomb(), "ZIP"),
        (gzip.compress(b"rating\n" + b"5\n" * 1_000_000), "GZIP"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(range(256)) * 10, "7z"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, ".xls"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "executable"),
        (b"BZh91AY&SY" + b"\x01" * 100, "BZIP2"),
    ],
)
def test_archives_and_binaries_disguised_as_csv(tmp_path: Path, data: bytes, what: str) -> None:
    error = _refusal(_write(tmp_path, data))
    assert error.code == "not_a_text_file"
    assert what in error.detail


def test_random_binary_with_nul_bytes_is_not_text(tmp_path: Path) -> None:
    data = bytes((i * 37 + 11) % 256 for i in range(5000))
    assert _refusal(_write(tmp_path, data)).code == "not_a_text_file"


def test_control_bytes_without_nul_are_not_text(tmp_path: Path) -> None:
    data = b"rating,date\n" + bytes([1, 2, 3, 4, 5, 6, 7]) * 200
    assert _refusal(_write(tmp_path, data)).code == "not_a_text_file"


def test_empty_file(tmp_path: Path) -> None:
    assert _refusal(_write(tmp_path, b"")).code == "empty_file"


def test_ten_thousand_columns(tmp_path: Path) -> None:
    header = ",".join(f"c{i}" for i in range(10_000)) + "\n"
    error = _refusal(_write(tmp_path, header.encode()))
    assert error.code == "too_many_columns"
    assert "10000 columns" in error.detail


def test_a_row_with_ten_thousand_cells(tmp_path: Path) -> None:
    data = HEADER + GOOD_ROW + "5,2024-03-05," + ",".join("x" * 10_000) + "\n"
    error = _refusal(_write(tmp_path, data.encode()))
    assert (error.code, error.row_number) == ("too_many_columns", 2)


def test_the_column_limit_is_a_parameter(tmp_path: Path) -> None:
    path = _write(tmp_path, (HEADER + GOOD_ROW).encode())
    assert _refusal(path, limits=ImportLimits(max_columns=3)).code == "too_many_columns"


def test_a_field_over_the_limit(tmp_path: Path) -> None:
    data = HEADER + GOOD_ROW + '4,2024-03-05,SKU-1,"' + "a" * 300_000 + '"\n'
    error = _refusal(_write(tmp_path, data.encode()))
    assert error.code == "field_too_large"
    assert error.row_number == 2


def test_a_quoted_field_running_over_many_lines_is_bounded(tmp_path: Path) -> None:
    data = HEADER + '4,2024-03-05,SKU-1,"' + "line\n" * 100_000
    error = _refusal(_write(tmp_path, data.encode()))
    assert error.code == "field_too_large"


def test_the_field_limit_is_a_parameter(tmp_path: Path) -> None:
    data = HEADER + GOOD_ROW + "4,2024-03-05,SKU-1," + "b" * 200 + "\n"
    error = _refusal(_write(tmp_path, data.encode()), limits=ImportLimits(max_field_chars=100))
    assert (error.code, error.row_number, error.extra["column"]) == ("field_too_large", 2, "body")


def test_a_huge_line_without_newline_never_gets_into_memory(tmp_path: Path) -> None:
    data = HEADER.encode() + b"x" * 5_000_000
    error = _refusal(_write(tmp_path, data))
    assert error.code == "field_too_large"
    assert error.byte_offset == len(HEADER)


def test_invalid_utf8_in_a_utf8_file_is_a_row_problem_with_its_offset(tmp_path: Path) -> None:
    # mostly UTF-8 (valid multi-byte characters outnumber bad bytes): one bad row
    before = (HEADER + GOOD_ROW * 20).encode()
    bad = b"4,2024-03-05,SKU-1,broken \xff\xfe byte\n"
    data = before + bad + GOOD_ROW.encode()
    opened = read_import(_write(tmp_path, data), "csv")
    assert opened.encoding == "utf-8"
    rows = list(opened.rows())
    assert [type(row) for row in rows] == [ImportedRow] * 20 + [RowProblem, ImportedRow]
    problem = rows[20]
    assert isinstance(problem, RowProblem)
    assert (problem.row_number, problem.code) == (21, "invalid_utf8")
    offset = len(before) + bad.index(b"\xff")
    assert f"offset {offset}" in problem.message
    last = rows[21]
    assert isinstance(last, ImportedRow) and last.body == "Fine 👍"


def test_a_file_that_is_not_utf8_as_a_whole_is_read_as_windows_1252(tmp_path: Path) -> None:
    text = HEADER + "5,2024-03-05,SKU-1,Très “bien” – 5 €\n" * 50
    opened = read_import(_write(tmp_path, text.encode("cp1252")), "csv")
    assert opened.encoding == "cp1252"
    assert any("Windows-1252" in note for note in opened.notes)
    first = next(iter(opened.rows()))
    assert isinstance(first, ImportedRow) and first.body == "Très “bien” – 5 €"


def test_windows_1252_decision_looks_past_a_long_ascii_start(tmp_path: Path) -> None:
    text = HEADER + "5,2024-03-05,SKU-1,plain\n" * 5_000 + "4,2024-03-05,SKU-2,café\n"
    assert len(text) > 64 * 1024  # the first non-ASCII byte is past the 64 KiB head
    opened = read_import(_write(tmp_path, text.encode("cp1252")), "csv")
    assert opened.encoding == "cp1252"
    last = list(opened.resume_after(5_000))[-1]
    assert isinstance(last, ImportedRow) and last.body == "café"


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, None])
def test_utf16_files(tmp_path: Path, bom: bytes | None) -> None:
    text = 'Rating\tDate\tSKU\tBody\r\n5\t05/03/2024\tSKU-1\t"Hai 👋\r\nbaris dua"\r\n'
    encoding = "utf-16-be" if bom == codecs.BOM_UTF16_BE else "utf-16-le"
    data = (bom or b"") + text.encode(encoding)
    opened = read_import(_write(tmp_path, data), "csv")
    assert opened.encoding == encoding
    assert opened.delimiter == "\t"
    (row,) = opened.rows()
    assert isinstance(row, ImportedRow)
    assert row.body == "Hai 👋\nbaris dua"


def test_nul_bytes_at_the_start_refuse_the_file(tmp_path: Path) -> None:
    data = (HEADER + "5,2024-03-05,SKU\x00-1,x\n").encode()
    assert _refusal(_write(tmp_path, data)).code == "not_a_text_file"


def test_a_nul_byte_far_into_the_file_is_a_row_problem(tmp_path: Path) -> None:
    data = HEADER + GOOD_ROW * 3_000 + "5,2024-03-05,SKU\x00-1,x\n" + GOOD_ROW
    assert len(data.encode()) > 64 * 1024
    problem, last = read_import(_write(tmp_path, data.encode()), "csv").resume_after(3_000)
    assert isinstance(problem, RowProblem)
    assert (problem.row_number, problem.column, problem.code) == (3_001, "sku", "nul_byte")
    assert isinstance(last, ImportedRow)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<feed><version>2.4</version><reviews><review><review_id>1</review_id>
<content>&lol9;</content></review></reviews></feed>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<feed><reviews><review><content>&secret;</content></review></reviews></feed>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_xml_entity_expansion_and_external_entities_are_unsafe(tmp_path: Path, data: bytes) -> None:
    error = _refusal(_write(tmp_path, data, "feed.xml"), "google")
    assert error.code == "unsafe_xml"


def test_malformed_xml_midway_is_a_clear_error_after_the_good_reviews(tmp_path: Path) -> None:
    review = (
        "<review><review_id>{n}</review_id><review_timestamp>2024-03-05T00:00:00Z"
        "</review_timestamp><ratings><overall min='1' max='5'>5</overall></ratings></review>"
    )
    data = "<feed><reviews>" + review.format(n=1) + review.format(n=2) + "<review><oops></feed>"
    opened = read_import(_write(tmp_path, data.encode(), "feed.xml"), "google")
    rows = opened.rows()
    assert [next(rows).row_number, next(rows).row_number] == [1, 2]
    with pytest.raises(ImportFileError) as caught:
        next(rows)
    assert caught.value.code == "invalid_xml"


def test_xml_that_is_not_a_review_feed(tmp_path: Path) -> None:
    data = b"<rss><channel/></rss>"
    assert _refusal(_write(tmp_path, data, "feed.xml"), "google").code == "not_a_review_feed"


def test_json_lines_hostile_lines_are_row_problems(tmp_path: Path) -> None:
    good = '{"rating": 5, "created_at": "2024-03-05", "sku": "A"}\n'
    lines = [
        good,
        '"just a string"\n',
        "[" * 100_000 + "\n",
        '{"a":' * 50 + "1" + "}" * 50 + "\n",
        "{" + ",".join(f'"k{i}": 1' for i in range(600)) + "}\n",
        good,
    ]
    rows = list(read_import(_write(tmp_path, "".join(lines).encode(), "r.jsonl"), "jsonl").rows())
    codes = [row.code if isinstance(row, RowProblem) else "ok" for row in rows]
    assert codes == [
        "ok",
        "not_an_object",
        "invalid_json",
        "invalid_json",
        "too_many_columns",
        "ok",
    ]
    assert [row.row_number for row in rows] == [1, 2, 3, 4, 5, 6]
    assert isinstance(rows[1], RowProblem) and '"just a string"' in rows[1].message


def test_a_json_array_file_is_refused_with_advice(tmp_path: Path) -> None:
    data = b'[{"rating": 5}]'
    assert _refusal(_write(tmp_path, data, "r.json"), "generic").code == "unsupported_json"


def test_generic_source_detects_json_lines(tmp_path: Path) -> None:
    data = b'{"rating": 4, "date": "2024-03-05", "sku": "A"}\n'
    (row,) = read_import(_write(tmp_path, data, "r.txt"), "generic").rows()
    assert isinstance(row, ImportedRow) and row.rating == 4
