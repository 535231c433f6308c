"""Keyset pagination cursors: opaque to callers, the sort key of the last row inside."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from reviewdesk.errors import InvalidInput


def encode_cursor(sort: str, values: list[Any]) -> str:
    """An opaque cursor continuing after a row whose sort key is ``values``."""
    raw = json.dumps([sort, values], separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str, arity: int) -> list[Any]:
    """The sort key inside ``cursor``; a cursor of another sort or a forged one is refused."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode()))
        cursor_sort, values = decoded
        if cursor_sort != sort or not isinstance(values, list) or len(values) != arity:
            raise ValueError
        if any(isinstance(v, int) and not -(2**63) <= v < 2**63 for v in values):
            raise ValueError
        return values
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput(
            "invalid_cursor",
            "cursor is not one this list returned (or it belongs to another sort order)",
            field="cursor",
        ) from None
