"""Routes: a shop's review feeds and exports, streamed as they are written."""

from __future__ import annotations

import contextlib
import io
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from reviewdesk.api.auth import PlatformDep, PrincipalDep
from reviewdesk.api.params import RowId
from reviewdesk.integrations.feeds.formats import ExportFormat
from reviewdesk.services import exports

router = APIRouter(tags=["exports"])

_CHUNK = 1 << 16
_QUEUED_CHUNKS = 4  # what the writer may run ahead of a slow client: 256 KiB


@router.get(
    "/shops/{shop_id}/exports/{format}",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The export, streamed (Content-Disposition names a file)",
            "content": {
                "application/xml": {},
                "text/csv": {},
                "application/x-ndjson": {},
            },
        }
    },
)
def export_reviews(
    shop_id: RowId, format: ExportFormat, platform: PlatformDep, principal: PrincipalDep
) -> StreamingResponse:
    """The shop's published reviews as a Google (2.4 XML) or Meta (CSV) product review feed,
    or as the seller's CSV or JSON lines export (staff of the shop, or the operator)."""
    # Checked before the response starts, so that a refusal is still a problem document.
    target = exports.export_target(platform, principal, shop_id, format)
    chunks = _streamed(
        lambda out: exports.export_reviews(platform, principal, shop_id, target.format, out)
    )
    return StreamingResponse(
        chunks,
        media_type=target.media_type,
        headers={"Content-Disposition": f'attachment; filename="{target.filename}"'},
    )


class _Stopped(Exception):
    """The client went away: the writer stops."""


class _Finished:
    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


class _ChunkQueue(io.RawIOBase):
    """A binary stream handing what is written to a bounded queue, in chunks of ~64 KiB."""

    def __init__(self, chunks: queue.Queue[bytes | _Finished], stopped: threading.Event) -> None:
        super().__init__()
        self._chunks = chunks
        self._stopped = stopped
        self._pending = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        size = len(data)
        self._pending += data
        if len(self._pending) >= _CHUNK:
            self.push()
        return size

    def push(self) -> None:
        """Hand what is pending to the reader (waits while the queue is full)."""
        if self._pending:
            self.put(bytes(self._pending))
            self._pending.clear()

    def put(self, item: bytes | _Finished) -> None:
        while True:
            if self._stopped.is_set():
                raise _Stopped
            try:
                self._chunks.put(item, timeout=1.0)
                return
            except queue.Full:
                continue


def _streamed(write: Callable[[BinaryIO], object]) -> Iterator[bytes]:
    """The bytes ``write`` writes to a stream, as an iterator, in bounded memory.

    The writers push to a stream while the response pulls from an iterator: ``write``
    runs in a thread of its own and hands chunks over a small queue, so it waits for a
    slow client instead of buffering. When the client goes away the iterator is closed,
    and the writer stops at its next chunk (its transaction ends with it). A failure
    while writing ends the response early: the client sees a truncated body, never a
    complete-looking file.
    """
    chunks: queue.Queue[bytes | _Finished] = queue.Queue(maxsize=_QUEUED_CHUNKS)
    stopped = threading.Event()
    stream = _ChunkQueue(chunks, stopped)

    def produce() -> None:
        try:
            write(stream)  # type: ignore[arg-type]
            stream.push()
            stream.put(_Finished())
        except _Stopped:
            pass
        except BaseException as error:  # noqa: BLE001 - handed to the reader, raised there
            with contextlib.suppress(_Stopped):
                stream.put(_Finished(error))

    threading.Thread(target=produce, name="reviewdesk-export", daemon=True).start()
    try:
        while True:
            item = chunks.get()
            if isinstance(item, _Finished):
                if item.error is not None:
                    raise item.error
                return
            yield item
    finally:
        stopped.set()
