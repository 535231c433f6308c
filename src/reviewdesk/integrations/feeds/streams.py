"""CSV on a caller's binary stream, without closing it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO


@contextmanager
def csv_writer(out: BinaryIO, *, bom: bool = False) -> Iterator[Any]:
    """A ``csv.writer`` (RFC 4180: CRLF rows, minimal quoting) writing UTF-8 to ``out``.

    With ``bom`` the stream starts with a UTF-8 byte order mark, which Excel needs to
    read the file as UTF-8 rather than the system code page.
    """
    text = io.TextIOWrapper(
        out, encoding="utf-8-sig" if bom else "utf-8", newline="", write_through=False
    )
    try:
        yield csv.writer(text, lineterminator="\r\n")
    finally:
        text.flush()
        # Detach rather than close: the stream belongs to the caller (an HTTP response,
        # a temporary file the service renames once the export is complete).
        text.detach()
