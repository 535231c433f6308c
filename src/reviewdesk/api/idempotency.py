"""``Idempotency-Key`` on creating POSTs: the same key and body replay the stored response.

A pure ASGI middleware: it hashes the request (method, path, query, body), claims the key
in the database before the request runs (so two concurrent requests with one key cannot
both create), and stores the response once it is complete. Server errors are not stored, so
a request that failed on our side can be retried with the same key.
"""

from __future__ import annotations

import hashlib
import json

from anyio import to_thread
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reviewdesk.db.access import IdempotencyRecord
from reviewdesk.services.platform import Platform

HEADER = b"idempotency-key"
MAX_KEY = 255
MAX_BODY = 200 * 1024 * 1024


def _problem(status: int, code: str, title: str, detail: str) -> tuple[int, bytes]:
    body = {
        "type": f"urn:reviewdesk:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    return status, json.dumps(body).encode()


class IdempotencyMiddleware:
    """Honour ``Idempotency-Key`` on POST requests under ``prefix``."""

    def __init__(self, app: ASGIApp, platform: Platform, prefix: str = "/api/v1") -> None:
        self.app = app
        self.platform = platform
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or not scope["path"].startswith(self.prefix)
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        raw_key = headers.get(HEADER)
        if raw_key is None:
            await self.app(scope, receive, send)
            return
        key = raw_key.decode("latin-1").strip()
        if not key or len(key) > MAX_KEY:
            await self._send_problem(
                send,
                *_problem(
                    422,
                    "invalid_idempotency_key",
                    "Invalid Idempotency-Key",
                    f"Idempotency-Key must be 1-{MAX_KEY} characters",
                ),
            )
            return
        body = await self._read_body(receive)
        if body is None:
            await self._send_problem(
                send,
                *_problem(
                    413, "payload_too_large", "Payload too large", "The request body is too large."
                ),
            )
            return
        principal = hashlib.sha256(headers.get(b"authorization", b"")).hexdigest()
        digest = hashlib.sha256()
        for part in (
            scope["method"].encode(),
            scope["path"].encode(),
            scope["query_string"],
            headers.get(b"content-type", b""),
            body,
        ):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        request_hash = digest.hexdigest()
        outcome = await to_thread.run_sync(self._claim, principal, key, request_hash)
        if outcome is not None:
            status, content_type, stored = outcome
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [
                        (b"content-type", content_type.encode()),
                        (b"content-length", str(len(stored)).encode()),
                        (b"idempotent-replayed", b"true"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": stored})
            return
        await self._forward(scope, body, send, principal, key)

    async def _read_body(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _forward(
        self, scope: Scope, body: bytes, send: Send, principal: str, key: str
    ) -> None:
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        status = 500
        content_type = "application/json"
        parts: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, content_type
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    if name.lower() == b"content-type":
                        content_type = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay, capture)
        finally:
            await to_thread.run_sync(
                self._finish, principal, key, status, content_type, b"".join(parts)
            )

    def _claim(self, principal: str, key: str, request_hash: str) -> tuple[int, str, bytes] | None:
        """Claim the key; or return what to answer instead (a replay or a problem)."""
        record = None
        for _ in range(3):  # a failed request may release the key between two looks
            try:
                with self.platform.db.write() as session:
                    session.add(
                        IdempotencyRecord(
                            principal_key=principal,
                            key=key,
                            request_hash=request_hash,
                            state="in_progress",
                        )
                    )
                return None
            except IntegrityError:
                pass
            with self.platform.db.read() as session:
                record = session.scalars(
                    select(IdempotencyRecord).where(
                        IdempotencyRecord.principal_key == principal,
                        IdempotencyRecord.key == key,
                    )
                ).first()
            if record is not None:
                break
        ptype = "application/problem+json"
        if record is not None and record.request_hash != request_hash:
            status, body = _problem(
                422,
                "idempotency_key_reused",
                "Idempotency-Key reused",
                "This Idempotency-Key was used with a different request; use a new key.",
            )
            return status, ptype, body
        if record is None or record.state != "done":
            status, body = _problem(
                409,
                "idempotency_key_in_use",
                "Request in progress",
                "A request with this Idempotency-Key is still being processed; retry later.",
            )
            return status, ptype, body
        return (
            record.response_status or 200,
            record.response_type or "application/json",
            record.response_body or b"",
        )

    def _finish(
        self, principal: str, key: str, status: int, content_type: str, body: bytes
    ) -> None:
        with self.platform.db.write() as session:
            where = (IdempotencyRecord.principal_key == principal, IdempotencyRecord.key == key)
            if status >= 500:
                session.execute(delete(IdempotencyRecord).where(*where))
                return
            record = session.scalars(select(IdempotencyRecord).where(*where)).one()
            record.state = "done"
            record.response_status = status
            record.response_type = content_type
            record.response_body = body

    async def _send_problem(self, send: Send, status: int, body: bytes) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
