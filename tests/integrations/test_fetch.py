"""Media URLs of imported reviews are fetched safely, against real local HTTP(S) servers.

Two servers run on loopback: ``public`` on 127.0.0.2 plays a public media host (the tests
that need one pass an address policy counting 127.0.0.2 as public, everything else judged
by the real rule), ``internal`` on 127.0.0.1 plays a service of our own network that must
never be reached. Every fetch goes through ``LoopbackOnly``, which fails the test if the
fetcher ever tries to connect anywhere but loopback, or to a name instead of an address.
"""

from __future__ import annotations

import gzip
import io
import ipaddress
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from PIL import Image

from reviewdesk.integrations.fetch import (
    USER_AGENT,
    FetchLimits,
    FetchRefused,
    IPAddress,
    fetch_media,
    is_closed_network_address,
    is_public_address,
    resolve_host,
)

PUBLIC_STANDIN = ipaddress.ip_address("127.0.0.2")
STREAM_TOTAL = 32 * 1024 * 1024
CHUNK = 64 * 1024


def public_or_standin(address: IPAddress) -> bool:
    """The real policy, except that 127.0.0.2 (the ``public`` test server) counts as public."""
    return address == PUBLIC_STANDIN or is_public_address(address)


def make_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


JPEG = make_jpeg()
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


# --- servers ------------------------------------------------------------------------------


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class MediaServer:
    """A real HTTP server in a thread that records every request it receives."""

    host: str
    tls: ssl.SSLContext | None = None
    requests: list[Seen] = field(default_factory=list)
    tls_names: list[str | None] = field(default_factory=list)
    tls_failures: list[str] = field(default_factory=list)
    stream_outcome: list[str] = field(default_factory=list)
    stream_done: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def start(self) -> MediaServer:
        self.httpd = _Server((self.host, 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.media = self  # type: ignore[attr-defined]
        if self.tls is not None:
            self.tls.sni_callback = self._record_sni
            self.httpd.socket = self.tls.wrap_socket(
                self.httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset(self) -> None:
        self.requests.clear()
        self.tls_names.clear()
        self.tls_failures.clear()
        self.stream_outcome.clear()
        self.stream_done.clear()

    def url(self, path: str, host: str | None = None) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host or self.host}:{self.port}{path}"

    def _record_sni(self, _socket: ssl.SSLObject, name: str | None, _ctx: ssl.SSLContext) -> None:
        self.tls_names.append(name)


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ssl.SSLError):  # a client that refused our certificate
            self.media.tls_failures.append(error.reason or str(error))  # type: ignore[attr-defined]
        elif not isinstance(error, OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    @property
    def media(self) -> MediaServer:
        return self.server.media  # type: ignore[attr-defined,no-any-return]

    def do_GET(self) -> None:
        self.media.requests.append(Seen(self.command, self.path, dict(self.headers.items())))
        path, _, query = self.path.partition("?")
        if path.startswith("/redirect/"):
            left = int(path.rsplit("/", 1)[1])
            self._redirect(f"/redirect/{left - 1}" if left > 1 else "/photo.jpg")
        elif path == "/to":
            self._redirect(unquote(query))
        elif path == "/set-cookie":
            self._redirect("/photo.jpg", ("Set-Cookie", "session=s3cret; Path=/"))
        else:
            getattr(self, "route_" + path.strip("/").replace(".", "_").replace("-", "_"))()

    def route_photo_jpg(self) -> None:
        self._send(200, JPEG, "image/jpeg")

    def route_page_jpg(self) -> None:
        self._send(200, HTML, "image/jpeg")

    def route_notes_txt(self) -> None:
        self._send(200, b"just some notes, not a photo\n" * 10, "text/plain")

    def route_compressed_jpg(self) -> None:
        self._send(200, gzip.compress(JPEG), "image/jpeg", ("Content-Encoding", "gzip"))

    def route_missing(self) -> None:
        self._send(404, b"not here", "text/plain")

    def route_declared_too_large(self) -> None:
        # Headers announce 10 MB, then the body is held back: a client that waits for it
        # instead of refusing on the header would time out.
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", "10000000")
        self.end_headers()
        self.wfile.flush()
        self.media.release.wait(10)

    def route_endless(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = JPEG[:CHUNK].ljust(CHUNK, b"\0")
        try:
            for _ in range(STREAM_TOTAL // CHUNK):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
            self.media.stream_outcome.append("finished")
        except OSError:
            self.media.stream_outcome.append("aborted")
        finally:
            self.media.stream_done.set()

    def route_slow_headers(self) -> None:
        self.media.release.wait(3)
        self._send(200, JPEG, "image/jpeg")

    def route_drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(JPEG)))
        self.end_headers()
        try:
            for byte in JPEG:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                if self.media.release.wait(0.05):
                    return
        except OSError:
            return

    def _redirect(self, location: str, *extra: tuple[str, str]) -> None:
        self._send(302, b"", "text/plain", ("Location", location), *extra)

    def _send(self, status: int, body: bytes, content_type: str, *extra: tuple[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class LoopbackOnly(httpx.BaseTransport):
    """A real transport that refuses (failing the test) anything but a loopback address."""

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self.inner = inner or httpx.HTTPTransport(retries=0)
        self.sent: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        # ValueError here means the fetcher let the transport resolve a name itself.
        address = ipaddress.ip_address(request.url.host)
        assert address.is_loopback, f"the fetcher tried to connect to {address}"
        self.sent.append(request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def resolver_for(
    table: dict[str, list[str]], calls: list[str] | None = None
) -> Callable[[str, int], Iterable[str]]:
    def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    return resolve


NAMES = resolver_for(
    {
        "media.example": ["127.0.0.2"],
        "internal.example": ["127.0.0.1"],
        "metadata.example": ["169.254.169.254"],
        "mixed.example": ["127.0.0.2", "10.0.0.1"],
    }
)


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[MediaServer, MediaServer]]:
    public = MediaServer("127.0.0.2").start()
    internal = MediaServer("127.0.0.1").start()
    yield public, internal
    public.stop()
    internal.stop()


@pytest.fixture
def public(servers: tuple[MediaServer, MediaServer]) -> MediaServer:
    servers[0].reset()
    return servers[0]


@pytest.fixture
def internal(servers: tuple[MediaServer, MediaServer]) -> MediaServer:
    servers[1].reset()
    return servers[1]


@pytest.fixture
def guard() -> Iterator[LoopbackOnly]:
    transport = LoopbackOnly()
    yield transport
    transport.close()


def eventually(check: Callable[[], bool], seconds: float = 5) -> bool:
    """Whether ``check`` comes true within ``seconds`` (server threads report after us)."""
    until = time.monotonic() + seconds
    while not check():
        if time.monotonic() > until:
            return False
        time.sleep(0.01)
    return True


def refusal(call: Callable[[], object]) -> FetchRefused:
    with pytest.raises(FetchRefused) as caught:
        call()
    return caught.value


# --- fetching good media ------------------------------------------------------------------


def test_jpeg_is_fetched_from_local_server_when_private_allowed(
    internal: MediaServer, guard: LoopbackOnly
) -> None:
    url = internal.url("/photo.jpg")
    fetched = fetch_media(url, allow_private=True, transport=guard)
    assert fetched.content == JPEG
    assert fetched.size == len(JPEG)
    assert fetched.url == fetched.final_url == url
    assert fetched.content_type_header == "image/jpeg"
    assert (fetched.media.kind, fetched.media.mime_type) == ("photo", "image/jpeg")
    assert (fetched.media.width, fetched.media.height) == (32, 24)
    [seen] = internal.requests
    assert seen.method == "GET"
    assert seen.headers["User-Agent"] == USER_AGENT
    assert seen.headers["Accept-Encoding"] == "identity"
    assert "Cookie" not in seen.headers and "Authorization" not in seen.headers


def test_named_host_is_connected_by_its_checked_address_with_its_name_as_host(
    public: MediaServer, guard: LoopbackOnly
) -> None:
    fetched = fetch_media(
        public.url("/photo.jpg", host="media.example"),
        address_allowed=public_or_standin,
        resolver=NAMES,
        transport=guard,
    )
    assert fetched.content == JPEG
    assert fetched.final_url == public.url("/photo.jpg", host="media.example")
    assert [request.url.host for request in guard.sent] == ["127.0.0.2"]
    assert [seen.headers["Host"] for seen in public.requests] == [f"media.example:{public.port}"]


def test_default_transport_fetches_over_a_real_connection(internal: MediaServer) -> None:
    fetched = fetch_media(internal.url("/photo.jpg"), allow_private=True)
    assert fetched.content == JPEG
    assert len(internal.requests) == 1


def test_international_host_name_is_resolved_and_sent_in_its_ascii_form(
    public: MediaServer, guard: LoopbackOnly
) -> None:
    calls: list[str] = []
    resolver = resolver_for({"xn--bcher-kva.example": ["127.0.0.2"]}, calls)
    url = public.url("/photo.jpg", host="bücher.example")
    fetch_media(url, address_allowed=public_or_standin, resolver=resolver, transport=guard)
    assert calls == ["xn--bcher-kva.example"]
    assert public.requests[0].headers["Host"] == f"xn--bcher-kva.example:{public.port}"


def test_second_dns_answer_is_never_used_so_rebinding_cannot_redirect_the_connection(
    public: MediaServer, internal: MediaServer, guard: LoopbackOnly
) -> None:
    calls: list[str] = []
    answers = iter([["127.0.0.2"]])

    def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers, ["127.0.0.1"])  # later lookups point inside

    fetched = fetch_media(
        public.url("/photo.jpg", host="media.example"),
        address_allowed=public_or_standin,
        resolver=rebinding,
        transport=guard,
    )
    assert fetched.content == JPEG
    assert calls == ["media.example"]
    assert len(public.requests) == 1
    assert internal.requests == []


def test_redirect_chain_is_followed_within_the_limit(
    internal: MediaServer, guard: LoopbackOnly
) -> None:
    fetched = fetch_media(
        internal.url("/redirect/3"),
        FetchLimits(max_redirects=3),
        allow_private=True,
        transport=guard,
    )
    assert fetched.content == JPEG
    assert fetched.final_url == internal.url("/photo.jpg")
    assert [seen.path for seen in internal.requests] == [
        "/redirect/3",
        "/redirect/2",
        "/redirect/1",
        "/photo.jpg",
    ]


def test_cookies_set_by_a_redirect_are_not_sent_on(
    internal: MediaServer, guard: LoopbackOnly
) -> None:
    fetch_media(internal.url("/set-cookie"), allow_private=True, transport=guard)
    assert [seen.path for seen in internal.requests] == ["/set-cookie", "/photo.jpg"]
    assert "Cookie" not in internal.requests[1].headers


# --- private addresses --------------------------------------------------------------------


def test_loopback_url_is_refused_before_any_request(
    internal: MediaServer, guard: LoopbackOnly
) -> None:
    error = refusal(lambda: fetch_media(internal.url("/photo.jpg"), transport=guard))
    assert error.code == "private_address"
    assert internal.requests == [] and guard.sent == []


def test_name_resolving_to_a_private_address_is_refused_before_any_request(
    internal: MediaServer, guard: LoopbackOnly
) -> None:
    url = internal.url("/photo.jpg", host="internal.example")
    error = refusal(lambda: fetch_media(url, resolver=NAMES, transport=guard))
    assert error.code == "private_address"
    assert error.extra["address"] == "127.0.0.1"
    assert internal.requests == [] and guard.sent == []


def test_name_with_one_private_address_among_public_ones_is_refused(
    public: MediaServer, guard: LoopbackOnly
) -> None:
    url = public.url("/photo.jpg", host="mixed.example")
    error = refusal(
        lambda: fetch_media(url, address_allowed=public_or_standin, resolver=NAMES, transport=guard)
    )
    assert error.code == "private_address"
    assert error.extra["address"] == "10.0.0.1"
    assert public.requests == [] and guard.sent == []


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{internal_port}/photo.jpg",
        "http://internal.example:{internal_port}/photo.jpg",
        "http://[::ffff:127.0.0.1]:{internal_port}/photo.jpg",
        "http://169.254.169.254/latest/meta-data/",
        "http://metadata.example/latest/meta-data/",
        "http://0.0.0.0:{internal_port}/photo.jpg",
    ],
)
def test_redirect_from_a_public_host_into_a_private_address_is_refused(
    public: MediaServer, internal: MediaServer, guard: LoopbackOnly, target: str
) -> None:
    location = target.format(internal_port=internal.port)
    url = public.url(f"/to?{location}", host="media.example")
    error = refusal(
        lambda: fetch_media(url, address_allowed=public_or_standin, resolver=NAMES, transport=guard)
    )
    assert error.code == "private_address"
    assert [seen.path for seen in public.requests] == [f"/to?{location}"]
    assert internal.requests == []


def test_metadata_address_is_refused_even_when_private_addresses_are_allowed(
    internal: MediaServer, guard: LoopbackOnly
) -> None:
    url = internal.url("/to?http://169.254.169.254/latest/meta-data/")
    error = refusal(lambda: fetch_media(url, allow_private=True, transport=guard))
    assert error.code == "private_address"
    assert len(guard.sent) == 1


# --- limits -------------------------------------------------------------------------------


def test_too_many_redirects_are_refused(internal: MediaServer, guard: LoopbackOnly) -> None:
    error = refusal(
        lambda: fetch_media(
            internal.url("/redirect/3"),
            FetchLimits(max_redirects=2),
            allow_private=True,
            transport=guard,
        )
    )
    assert error.code == "too_many_redirects"
    assert [seen.path for seen in internal.requests] == [
        "/redirect/3",
        "/redirect/2",
        "/redirect/1",
    ]


def test_body_declared_too_large_is_refused_without_waiting_for_it(
    internal: MediaServer, guard: LoopbackOnly
) -> None:
    limits = FetchLimits(max_bytes=1_000_000, read_timeout=3, total_timeout=5)
    started = time.monotonic()
    error = refusal(
        lambda: fetch_media(
            internal.url("/declared-too-large"), limits, allow_private=True, transport=guard
        )
    )
    assert error.code == "too_large"
    assert time.monotonic() - started < 2


def test_chunked_body_past_the_limit_is_refused_and_reading_stops(
    internal: MediaServer, guard: LoopbackOnly
) -> None:
    limits = FetchLimits(max_bytes=200_000)
    error = refusal(
        lambda: fetch_media(internal.url("/endless"), limits, allow_private=True, transport=guard)
    )
    assert error.code == "too_large"
    assert internal.stream_done.wait(10)
    # The fetcher hung up long before the server could send its 32 MiB.
    assert internal.stream_outcome == ["aborted"]


def test_slow_server_times_out(internal: MediaServer, guard: LoopbackOnly) -> None:
    limits = FetchLimits(read_timeout=0.3, total_timeout=5)
    started = time.monotonic()
    error = refusal(
        lambda: fetch_media(
            internal.url("/slow-headers"), limits, allow_private=True, transport=guard
        )
    )
    assert error.code == "timeout"
    assert time.monotonic() - started < 2


def test_body_dripping_under_the_read_timeout_still_hits_the_total_timeout(
    internal: MediaServer, guard: LoopbackOnly
) -> None:
    limits = FetchLimits(read_timeout=2, total_timeout=0.5)
    started = time.monotonic()
    error = refusal(
        lambda: fetch_media(internal.url("/drip"), limits, allow_private=True, transport=guard)
    )
    assert error.code == "timeout"
    assert time.monotonic() - started < 2


# --- content ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/page.jpg", "unsupported_media_type"),  # HTML served as image/jpeg
        ("/notes.txt", "unsupported_media_type"),
        ("/compressed.jpg", "unsupported_encoding"),
        ("/missing", "http_error"),
    ],
)
def test_content_that_is_not_accepted_media_is_refused(
    internal: MediaServer, guard: LoopbackOnly, path: str, code: str
) -> None:
    error = refusal(lambda: fetch_media(internal.url(path), allow_private=True, transport=guard))
    assert error.code == code


def test_http_error_names_the_status(internal: MediaServer, guard: LoopbackOnly) -> None:
    error = refusal(
        lambda: fetch_media(internal.url("/missing"), allow_private=True, transport=guard)
    )
    assert error.extra["status"] == 404


# --- URLs and names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://media.example/photo.jpg",
        "javascript:alert(1)",
        "data:image/jpeg;base64,/9j/4AAQ",
        "gopher://media.example/",
        "media.example/photo.jpg",
    ],
)
def test_other_schemes_are_refused(url: str, guard: LoopbackOnly) -> None:
    error = refusal(lambda: fetch_media(url, resolver=NAMES, transport=guard))
    assert error.code == "scheme_not_allowed"
    assert guard.sent == []


@pytest.mark.parametrize(
    "url", ["", "   ", "http://", "https:///photo.jpg", "http://user:pw@media.example/a.jpg"]
)
def test_unreadable_urls_are_refused(url: str, guard: LoopbackOnly) -> None:
    error = refusal(lambda: fetch_media(url, resolver=NAMES, transport=guard))
    assert error.code == "invalid_url"
    assert guard.sent == []


def test_redirect_to_a_file_url_is_refused(internal: MediaServer, guard: LoopbackOnly) -> None:
    error = refusal(
        lambda: fetch_media(
            internal.url("/to?file:///etc/passwd"), allow_private=True, transport=guard
        )
    )
    assert error.code == "scheme_not_allowed"


def test_unknown_host_is_a_dns_failure(guard: LoopbackOnly) -> None:
    error = refusal(
        lambda: fetch_media("https://nowhere.example/a.jpg", resolver=NAMES, transport=guard)
    )
    assert error.code == "dns_failed"


def test_closed_port_is_a_connection_failure(guard: LoopbackOnly) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = refusal(
        lambda: fetch_media(f"http://127.0.0.1:{port}/a.jpg", allow_private=True, transport=guard)
    )
    assert error.code == "connection_failed"


def test_system_resolver_returns_addresses() -> None:
    addresses = resolve_host("localhost", 80)
    assert addresses and all(address.is_loopback for address in addresses)


# --- https: connecting to the address, verifying the name ---------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for media.example, made with the openssl command."""
    openssl = shutil.which("openssl")
    assert openssl, "the openssl command is needed to make a test certificate"
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2"]
        + ["-subj", "/CN=media.example", "-addext", "subjectAltName=DNS:media.example"],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[MediaServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    server = MediaServer("127.0.0.2", tls=context).start()
    yield server
    server.stop()


@pytest.fixture
def trusting_guard(certificate: tuple[Path, Path]) -> Iterator[LoopbackOnly]:
    verify = ssl.create_default_context(cafile=str(certificate[0]))
    transport = LoopbackOnly(httpx.HTTPTransport(verify=verify, retries=0))
    yield transport
    transport.close()


def test_https_to_the_checked_address_verifies_the_certificate_for_the_name(
    tls_server: MediaServer, trusting_guard: LoopbackOnly
) -> None:
    fetched = fetch_media(
        tls_server.url("/photo.jpg", host="media.example"),
        address_allowed=public_or_standin,
        resolver=resolver_for({"media.example": ["127.0.0.2"]}),
        transport=trusting_guard,
    )
    assert fetched.content == JPEG
    assert [request.url.host for request in trusting_guard.sent] == ["127.0.0.2"]
    assert tls_server.tls_names == ["media.example"]
    assert tls_server.requests[0].headers["Host"] == f"media.example:{tls_server.port}"


def test_https_certificate_for_another_name_is_refused(
    tls_server: MediaServer, trusting_guard: LoopbackOnly
) -> None:
    error = refusal(
        lambda: fetch_media(
            tls_server.url("/photo.jpg", host="other.example"),
            address_allowed=public_or_standin,
            resolver=resolver_for({"other.example": ["127.0.0.2"]}),
            transport=trusting_guard,
        )
    )
    assert error.code == "connection_failed"
    assert "CERTIFICATE_VERIFY_FAILED" in error.detail
    assert tls_server.tls_names == ["other.example"]
    assert eventually(lambda: tls_server.tls_failures == ["SSLV3_ALERT_BAD_CERTIFICATE"])
    assert tls_server.requests == []


# --- the address rule ---------------------------------------------------------------------

NEVER_FETCHED = [
    "0.0.0.0",
    "0.1.2.3",
    "169.254.169.254",  # cloud metadata
    "169.254.0.1",
    "224.0.0.1",
    "239.255.255.250",
    "255.255.255.255",
    "::",
    "fe80::1",
    "ff02::1",
    "::ffff:169.254.169.254",
    "::ffff:0.0.0.0",
]
PRIVATE = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.5",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "100.64.0.1",  # carrier-grade NAT
    "100.127.255.254",
    "192.0.0.8",
    "192.0.2.1",  # documentation
    "198.18.0.1",  # benchmarking
    "240.0.0.1",  # reserved
    "::1",
    "fc00::1",
    "fd12:3456::1",
    "fec0::1",  # deprecated site-local, which ``is_global`` calls global
    "2001:db8::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2002:a00:1::",  # 6to4 of 10.0.0.1
    "::7f00:1",  # IPv4-compatible 127.0.0.1
]
PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.215.14",
    "100.128.0.1",  # just past carrier-grade NAT
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
]


@pytest.mark.parametrize("text", NEVER_FETCHED + PRIVATE)
def test_non_public_addresses_are_not_public(text: str) -> None:
    assert not is_public_address(ipaddress.ip_address(text))


@pytest.mark.parametrize("text", PUBLIC)
def test_public_addresses_are_public(text: str) -> None:
    assert is_public_address(ipaddress.ip_address(text))


@pytest.mark.parametrize("text", PRIVATE + PUBLIC)
def test_closed_network_policy_allows_private_and_public_addresses(text: str) -> None:
    assert is_closed_network_address(ipaddress.ip_address(text))


@pytest.mark.parametrize("text", NEVER_FETCHED)
def test_closed_network_policy_still_refuses_metadata_multicast_and_unspecified(
    text: str,
) -> None:
    assert not is_closed_network_address(ipaddress.ip_address(text))
