"""Opening an import file safely: size limit, binary refusal, encoding, bounded lines.

Encoding rule (decided once per file, before any row is read):

1. A byte-order mark decides: UTF-8, UTF-16 LE or UTF-16 BE. Without one, a head whose
   every other byte is NUL is read as BOM-less UTF-16 of that byte order.
2. Otherwise the file is scanned up to its first non-ASCII byte (a fast pass that reads
   nothing into memory; an all-ASCII file is UTF-8). The 64 KiB from there are decoded as
   UTF-8: when they are valid, or when valid multi-byte characters outnumber invalid bytes
   at least four to one, the file is UTF-8, and a row that still holds an invalid byte is
   reported as a ``RowProblem`` ``invalid_utf8`` naming the byte offset; the rest of the
   file is read. Only when the file is evidently not UTF-8 is it read as Windows-1252 (the
   five bytes Windows-1252 leaves undefined are read as Latin-1), and the
   ``ImportFile.notes`` say so.

Refusals (``ImportFileError``): ``file_too_large`` (checked on the size, before reading;
a non-seekable stream is spooled to a temporary file and refused as soon as it passes
the limit), ``empty_file``, ``not_a_text_file`` (archive, document, image or executable
magic bytes; NUL or control bytes in the head of a file that is not UTF-16),
``field_too_large`` (a physical line beyond the limit: nothing longer is ever held in
memory), ``invalid_encoding`` (an undecodable UTF-16 file).
"""

from __future__ import annotations

import codecs
import io
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from reviewdesk.integrations.importers.records import ImportFileError

HEAD_BYTES = 64 * 1024
_SCAN_CHUNK = 1024 * 1024
_SPOOL_IN_MEMORY = 8 * 1024 * 1024
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"PK\x03\x04", "a ZIP archive (or an .xlsx workbook: save it as CSV)"),
    (0, b"PK\x05\x06", "an empty ZIP archive"),
    (0, b"\x1f\x8b", "a GZIP archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (0, b"\xfd7zXZ\x00", "an XZ archive"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (0, b"\x28\xb5\x2f\xfd", "a Zstandard archive"),
    (0, b"%PDF-", "a PDF document"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an .xls workbook (save it as CSV)"),
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF8", "a GIF image"),
    (0, b"\x7fELF", "an executable"),
    (0, b"SQLite format 3\x00", "an SQLite database"),
    (257, b"ustar", "a TAR archive"),
)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
_ALLOWED_CONTROLS = frozenset(b"\t\n\r\f\x1a")


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("reviewdesk-latin1", _latin1_fallback)


@dataclass(frozen=True)
class TextFormat:
    """How the bytes of a file are to be decoded."""

    encoding: str  # utf-8, cp1252, utf-16-le or utf-16-be
    data_start: int  # first byte after the byte-order mark
    note: str | None = None


class ByteSource:
    """A path or a binary stream, opened (or rewound) afresh for each pass over it."""

    def __init__(self, path_or_stream: str | os.PathLike[str] | BinaryIO, max_bytes: int):
        self._path: Path | None = None
        self._stream: BinaryIO | None = None
        if isinstance(path_or_stream, str | os.PathLike):
            self._path = Path(path_or_stream)
            if not self._path.is_file():
                raise ImportFileError("not_a_file", f"{self._path} is not a readable file")
            self.size = self._path.stat().st_size
        else:
            if isinstance(path_or_stream, io.TextIOBase):
                raise TypeError("read_import needs a binary stream (open the file with 'rb')")
            self._stream = _seekable(path_or_stream, max_bytes)
            self.size = self._stream.seek(0, io.SEEK_END)
        if self.size > max_bytes:
            raise _too_large(max_bytes)
        if self.size == 0:
            raise ImportFileError("empty_file", "the file is empty")

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        """The file positioned at its first byte."""
        if self._path is not None:
            with self._path.open("rb") as handle:
                yield handle
        else:
            assert self._stream is not None
            self._stream.seek(0)
            yield self._stream


def _too_large(max_bytes: int) -> ImportFileError:
    return ImportFileError(
        "file_too_large",
        f"the file is larger than the limit of {max_bytes} bytes",
        limit=max_bytes,
    )


def _seekable(stream: BinaryIO, max_bytes: int) -> BinaryIO:
    try:
        if stream.seekable():
            return stream
    except (AttributeError, ValueError):
        pass
    spool = cast(BinaryIO, tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY))  # noqa: SIM115
    copied = 0
    while chunk := stream.read(_SCAN_CHUNK):
        copied += len(chunk)
        if copied > max_bytes:
            spool.close()
            raise _too_large(max_bytes)
        spool.write(chunk)
    return spool


def sniff_format(handle: BinaryIO, *, scan_encoding: bool = True) -> TextFormat:
    """Refuse binaries and decide the encoding, as the module docstring says.

    ``scan_encoding=False`` only refuses binaries (XML declares its own encoding).
    """
    head = handle.read(HEAD_BYTES)
    for offset, magic, what in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            raise ImportFileError("not_a_text_file", f"the file is {what}, not a text file")
    if _BZIP2.match(head):
        raise ImportFileError("not_a_text_file", "the file is a BZIP2 archive, not a text file")
    if head.startswith(codecs.BOM_UTF8):
        return TextFormat("utf-8", 3)
    if head.startswith(codecs.BOM_UTF16_LE):
        return TextFormat("utf-16-le", 2)
    if head.startswith(codecs.BOM_UTF16_BE):
        return TextFormat("utf-16-be", 2)
    utf16 = _bomless_utf16(head)
    if utf16:
        return TextFormat(utf16, 0, f"no byte-order mark: read as {utf16.upper()}")
    if b"\x00" in head:
        raise ImportFileError(
            "not_a_text_file",
            f"the file holds NUL bytes (first at byte {head.index(0)}): binary data, not text",
            byte_offset=head.index(0),
        )
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _ALLOWED_CONTROLS)
    if controls > max(8, len(head) // 100):
        raise ImportFileError("not_a_text_file", "the file holds binary control bytes")
    if not scan_encoding:
        return TextFormat("utf-8", 0)
    return _utf8_or_cp1252(handle)


def _bomless_utf16(head: bytes) -> str | None:
    half = len(head) // 2
    if half < 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _utf8_or_cp1252(handle: BinaryIO) -> TextFormat:
    handle.seek(0)
    position = 0
    while chunk := handle.read(_SCAN_CHUNK):
        if not chunk.isascii():
            match = _NON_ASCII.search(chunk)
            assert match is not None
            position += match.start()
            break
        position += len(chunk)
    else:
        return TextFormat("utf-8", 0)
    handle.seek(position)
    window = handle.read(HEAD_BYTES)
    final = len(window) < HEAD_BYTES
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    text = decoder.decode(window, final=final)
    invalid = text.count("\ufffd")
    valid = sum(1 for char in text if char > "\x7f") - invalid
    if invalid == 0 or valid >= 4 * invalid:
        return TextFormat("utf-8", 0)
    return TextFormat(
        "cp1252",
        0,
        f"the file is not UTF-8 (byte {position} onwards does not decode): read as Windows-1252",
    )


class LineReader:
    """Decoded physical lines, none longer than ``max_line_bytes``, with byte offsets.

    ``take_invalid()`` gives the offset of the first invalid UTF-8 byte met since the last
    call and ``take_nul()`` whether a NUL was, so the caller can pin them on the row those
    lines belong to.
    """

    def __init__(self, handle: BinaryIO, text_format: TextFormat, max_line_bytes: int):
        self._handle = handle
        self._format = text_format
        self._max = max_line_bytes
        self.offset = text_format.data_start
        self._invalid: int | None = None
        self.saw_nul = False

    def take_invalid(self) -> int | None:
        """Offset of the first invalid byte since the last call (then forgotten)."""
        invalid, self._invalid = self._invalid, None
        return invalid

    def take_nul(self) -> bool:
        """Whether a NUL character was met since the last call."""
        nul, self.saw_nul = self.saw_nul, False
        return nul

    def __iter__(self) -> Iterator[str]:
        self._handle.seek(self._format.data_start)
        if self._format.encoding.startswith("utf-16"):
            yield from self._utf16_lines()
            return
        while line := self._handle.readline(self._max + 1):
            if len(line) > self._max:
                raise _line_too_long(self._max, self.offset)
            text = self._decode(line)
            if "\x00" in text:
                self.saw_nul = True
            yield text
            self.offset += len(line)

    def _decode(self, line: bytes) -> str:
        if self._format.encoding == "cp1252":
            return line.decode("cp1252", errors="reviewdesk-latin1")
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError as error:
            if self._invalid is None:
                self._invalid = self.offset + error.start
            return line.decode("utf-8", errors="replace")

    def _utf16_lines(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(self._format.encoding)(errors="strict")
        max_chars = self._max // 2
        pending = ""
        while True:
            chunk = self._handle.read(HEAD_BYTES)
            try:
                pending += decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                raise ImportFileError(
                    "invalid_encoding", f"the file is not valid {self._format.encoding}: {error}"
                ) from None
            start = 0
            while (end := pending.find("\n", start)) >= 0:
                if end + 1 - start > max_chars:
                    raise _line_too_long(self._max, None)
                line = pending[start : end + 1]
                if "\x00" in line:
                    self.saw_nul = True
                yield line
                start = end + 1
            pending = pending[start:]
            if len(pending) > max_chars:
                raise _line_too_long(self._max, None)
            if not chunk:
                if pending:
                    self.saw_nul = self.saw_nul or "\x00" in pending
                    yield pending
                return


def _line_too_long(limit: int, offset: int | None) -> ImportFileError:
    where = f" at byte {offset}" if offset is not None else ""
    return ImportFileError(
        "field_too_large",
        f"a line{where} is longer than {limit} bytes: a field or a row is too large",
        byte_offset=offset,
        limit=limit,
    )
