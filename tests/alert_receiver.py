"""Real receivers of alerts for tests: a webhook HTTP server and an SMTP server (aiosmtpd).

The webhook receiver does what the README tells integrators to do: it verifies the
signature with the endpoint's secret and processes each ``X-Reviewdesk-Delivery`` id
once, however often it arrives. It can be told to fail its first requests.
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from reviewdesk.integrations.webhooks import verify_signature


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    status: int
    headers: dict[str, str]
    body: bytes
    signature_ok: bool


@dataclass
class WebhookReceiver:
    """An HTTP server on 127.0.0.1 answering 500 to its first ``fail_first`` requests."""

    secret: str = ""
    fail_first: int = 0
    port: int = field(default_factory=free_port)
    received: list[Received] = field(default_factory=list)
    processed: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/reviewdesk"

    def _handle(self, headers: dict[str, str], body: bytes) -> int:
        with self._lock:
            ok = verify_signature(
                self.secret,
                headers.get("x-reviewdesk-timestamp", ""),
                body,
                headers.get("x-reviewdesk-signature", ""),
            )
            status = 500 if len(self.received) < self.fail_first else (200 if ok else 401)
            self.received.append(Received(status, headers, body, ok))
            delivery = headers.get("x-reviewdesk-delivery", "")
            if status == 200 and delivery not in self.processed:
                self.processed[delivery] = json.loads(body)  # exactly once per delivery id
            return status

    def start(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = receiver._handle(headers, body)
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message, bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = envelope.content if isinstance(envelope.content, bytes) else envelope.content.encode()
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(raw), raw))
        return "250 Message accepted for delivery"


class SmtpReceiver:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 keeping what it receives."""

    def __init__(self) -> None:
        self.port = free_port()
        self._inbox = _Inbox()
        self._controller = Controller(self._inbox, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[tuple[list[str], Message, bytes]]:
        return self._inbox.messages

    def __enter__(self) -> SmtpReceiver:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()
