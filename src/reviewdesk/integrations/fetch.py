"""Fetching the media URLs of imported reviews without letting a row reach our own network.

A URL in an imported file is written by whoever made the file, so fetching it is a
server-side request forgery risk: ``http://169.254.169.254/`` (cloud metadata),
``http://localhost:6379/``, or a public name whose DNS answer is ``10.0.0.5``. The rules:

- only ``http``/``https``, no credentials in the URL, only GET, no cookies, no proxies
  from the environment, a plain ``User-Agent``;
- the host is resolved HERE, every address it resolves to must be allowed (by default:
  globally routable unicast, see ``is_public_address``), and the connection goes to that
  validated address, never to a second lookup (DNS rebinding): the request is sent to
  the IP with ``Host:`` set to the name and, for https, httpcore's ``sni_hostname``
  extension so TLS certificate verification still checks the name;
- redirects are followed by hand, each hop checked the same way, at most
  ``max_redirects``;
- ``Content-Length`` above the limit is refused before the body is read, and a body
  without one is read only up to the limit;
- connect, read and total timeouts; the total is checked between reads, so a fetch ends
  at the latest ``read_timeout`` after ``total_timeout``. DNS resolution uses the system
  resolver and its own timeouts;
- what was fetched is accepted by its bytes only (``reviewdesk.domain.media.sniff_media``),
  never by the ``Content-Type`` header.

Every refusal is a ``FetchRefused`` with a stable ``code``; the import job keeps the URL
as a link when a fetch is refused, so a failed fetch never fails the review.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import httpx

from reviewdesk.domain.media import (
    DEFAULT_MEDIA_LIMITS,
    MIB,
    MediaLimits,
    SniffedMedia,
    sniff_media,
)
from reviewdesk.errors import ReviewdeskError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressPolicy = Callable[[IPAddress], bool]
Resolver = Callable[[str, int], Iterable[str | IPAddress]]

USER_AGENT = "reviewdesk-media-fetcher/1"
MAX_URL_LENGTH = 8192

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}
# The well-known NAT64 prefix: 64:ff9b::a.b.c.d is a.b.c.d behind a NAT64 gateway.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_BROADCAST = ipaddress.IPv4Address("255.255.255.255")
_THIS_NETWORK = ipaddress.IPv4Network("0.0.0.0/8")  # "this host on this network"
# IETF protocol assignments: not globally reachable, but only newer Pythons' ``is_global``
# say so for all of it (3.11.7 misses 192.0.0.8 and others).
_IETF_PROTOCOL_ASSIGNMENTS = ipaddress.IPv4Network("192.0.0.0/24")


class FetchRefused(ReviewdeskError):
    """A media URL that was not fetched, with a stable ``code`` saying why.

    Codes: ``invalid_url``, ``scheme_not_allowed``, ``private_address``, ``dns_failed``,
    ``connection_failed``, ``timeout``, ``http_error``, ``too_many_redirects``,
    ``too_large``, ``unsupported_encoding``, and the codes of ``sniff_media`` for the
    content itself (``unsupported_media_type``, ``corrupt_media``, ``media_too_large``,
    ``image_too_large``).
    """

    status = 422
    title = "Media not fetched"


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Size, time and redirect limits of one media fetch (seconds, bytes)."""

    max_bytes: int = 10 * MIB
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 30.0
    max_redirects: int = 3
    allowed_schemes: tuple[str, ...] = ("https", "http")


DEFAULT_FETCH_LIMITS = FetchLimits()


@dataclass(frozen=True, slots=True)
class FetchedMedia:
    """A fetched photo or video, its type decided from its bytes."""

    url: str  # as asked for
    final_url: str  # after redirects, with the host name (not the address connected to)
    content: bytes = field(repr=False)
    content_type_header: str | None  # what the server claimed; informative only
    size: int
    media: SniffedMedia


# --- addresses ----------------------------------------------------------------------------


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def _unwrap(address: IPAddress) -> IPAddress:
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return embedded
    return address


def _never_fetchable(address: IPAddress) -> bool:
    # "This host", multicast, broadcast and link-local (where cloud metadata services
    # live, 169.254.169.254 and fe80::) are never a media server, not even on a closed
    # network.
    return (
        address.is_unspecified
        or address.is_multicast
        or address.is_link_local
        or address == _BROADCAST
        or (isinstance(address, ipaddress.IPv4Address) and address in _THIS_NETWORK)
    )


def is_public_address(address: IPAddress) -> bool:
    """Whether ``address`` is globally routable unicast, so fetching from it is allowed.

    IPv6 addresses that carry an IPv4 address (``::ffff:127.0.0.1``, NAT64, 6to4) are
    judged by that IPv4 address.
    """
    address = _unwrap(address)
    if _never_fetchable(address):
        return False
    # ``is_global`` alone is not enough: it is True for multicast, for the deprecated
    # site-local fec0::/10 and for parts of ::/8 (IPv4-compatible ::7f00:1).
    return (
        address.is_global
        and not address.is_private
        and not address.is_reserved
        and not address.is_loopback
        and not (isinstance(address, ipaddress.IPv6Address) and address.is_site_local)
        and not (
            isinstance(address, ipaddress.IPv4Address) and address in _IETF_PROTOCOL_ASSIGNMENTS
        )
    )


def is_closed_network_address(address: IPAddress) -> bool:
    """The ``allow_private`` policy: public, private and loopback addresses are allowed.

    Still refused: unspecified, multicast, broadcast and link-local (cloud metadata).
    """
    return not _never_fetchable(_unwrap(address))


def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Every address the system resolver gives for ``host`` (A and AAAA)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    # A scope id ("fe80::1%eth0") is dropped: the address alone decides.
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


# --- fetching -----------------------------------------------------------------------------


def fetch_media(
    url: str,
    limits: FetchLimits = DEFAULT_FETCH_LIMITS,
    *,
    media_limits: MediaLimits = DEFAULT_MEDIA_LIMITS,
    allow_private: bool = False,
    address_allowed: AddressPolicy | None = None,
    resolver: Resolver = resolve_host,
    transport: httpx.BaseTransport | None = None,
) -> FetchedMedia:
    """Fetch the photo or video at ``url`` under ``limits``, or raise ``FetchRefused``.

    ``allow_private`` lets operators of closed networks (and tests) fetch from private and
    loopback addresses. ``address_allowed`` replaces the address policy altogether.
    ``transport`` is for tests (a TLS context, a guard); by default a fresh
    ``httpx.HTTPTransport`` is used and closed.
    """
    deadline = time.monotonic() + limits.total_timeout
    if address_allowed is None:
        address_allowed = is_closed_network_address if allow_private else is_public_address
    own_transport = transport is None
    if transport is None:
        transport = httpx.HTTPTransport(verify=_ssl_context(), retries=0)
    try:
        return _fetch(url, limits, media_limits, address_allowed, resolver, transport, deadline)
    except httpx.TimeoutException as error:
        raise _refused("timeout", url, f"the server did not answer in time ({error}).") from error
    except httpx.HTTPError as error:
        raise _refused(
            "connection_failed",
            url,
            f"the server could not be reached ({str(error) or type(error).__name__}).",
        ) from error
    finally:
        if own_transport:
            transport.close()


def _fetch(
    url: str,
    limits: FetchLimits,
    media_limits: MediaLimits,
    address_allowed: AddressPolicy,
    resolver: Resolver,
    transport: httpx.BaseTransport,
    deadline: float,
) -> FetchedMedia:
    current = _parse_url(url, limits, url)
    redirects = 0
    while True:
        address = _checked_address(current, url, address_allowed, resolver)
        response = _send(transport, current, address, limits, deadline, url)
        try:
            if response.status_code in _REDIRECT_STATUSES:
                if redirects >= limits.max_redirects:
                    raise _refused(
                        "too_many_redirects",
                        url,
                        f"more than {limits.max_redirects} redirects.",
                        allowed=limits.max_redirects,
                    )
                redirects += 1
                current = _redirect_target(current, response, limits, url)
                continue
            if not 200 <= response.status_code < 300:
                raise _refused(
                    "http_error",
                    url,
                    f"the server answered HTTP {response.status_code} for {current}.",
                    status=response.status_code,
                )
            content = _read_body(response, limits, deadline, url)
            content_type = response.headers.get("content-type")
        finally:
            response.close()
        return _accept(url, current, content, content_type, media_limits)


def _parse_url(raw: str, limits: FetchLimits, original: str) -> httpx.URL:
    text = raw.strip()
    if not text or len(text) > MAX_URL_LENGTH:
        raise _refused("invalid_url", original, "the URL is empty or too long.")
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError) as error:
        raise _refused("invalid_url", original, f"the URL cannot be read ({error}).") from error
    if url.scheme not in limits.allowed_schemes:
        shown = url.scheme or "(none)"
        raise _refused(
            "scheme_not_allowed",
            original,
            f"the scheme {shown!r} is not fetched; allowed: {', '.join(limits.allowed_schemes)}.",
            found=url.scheme,
        )
    if not url.host:
        raise _refused("invalid_url", original, "the URL has no host.")
    if url.userinfo:
        # Credentials in an imported URL are never sent anywhere.
        raise _refused("invalid_url", original, "the URL carries a user name or password.")
    return url


def _checked_address(
    url: httpx.URL, original: str, address_allowed: AddressPolicy, resolver: Resolver
) -> IPAddress:
    """Resolve the URL's host once and return an address to connect to, all checked."""
    host = url.raw_host.decode("ascii")
    port = url.port or _DEFAULT_PORTS[url.scheme]
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            addresses = [ipaddress.ip_address(str(found)) for found in resolver(host, port)]
        except (OSError, UnicodeError, ValueError) as error:
            raise _refused(
                "dns_failed", original, f"the host {host!r} cannot be resolved ({error})."
            ) from error
    if not addresses:
        raise _refused("dns_failed", original, f"the host {host!r} has no address.")
    refused = [address for address in addresses if not address_allowed(address)]
    if refused:
        # Any refused address refuses the host: a name answering both a public and a
        # private address is how DNS rebinding attacks start.
        raise _refused(
            "private_address",
            original,
            f"the host {host!r} resolves to {refused[0]}, a non-public address.",
            address=str(refused[0]),
        )
    return addresses[0]


def _send(
    transport: httpx.BaseTransport,
    url: httpx.URL,
    address: IPAddress,
    limits: FetchLimits,
    deadline: float,
    original: str,
) -> httpx.Response:
    remaining = _remaining(deadline, original)
    host = url.raw_host.decode("ascii")
    host_header = f"[{host}]" if ":" in host else host
    if url.port is not None:  # httpx leaves the port out when it is the scheme's default
        host_header = f"{host_header}:{url.port}"
    extensions: dict[str, Any] = {
        "timeout": {
            "connect": min(limits.connect_timeout, remaining),
            "read": min(limits.read_timeout, remaining),
            "write": min(limits.read_timeout, remaining),
            "pool": min(limits.connect_timeout, remaining),
        }
    }
    if url.scheme == "https":
        extensions["sni_hostname"] = host
    request = httpx.Request(
        "GET",
        url.copy_with(host=str(address)),
        headers={
            "Host": host_header,
            "User-Agent": USER_AGENT,
            "Accept": "image/*, video/*;q=0.9",
            "Accept-Encoding": "identity",
            # No connection is reused: a pooled TLS connection verified for one name must
            # not serve a redirect to another name on the same address.
            "Connection": "close",
        },
        extensions=extensions,
    )
    return transport.handle_request(request)


def _redirect_target(
    current: httpx.URL, response: httpx.Response, limits: FetchLimits, original: str
) -> httpx.URL:
    location = response.headers.get("location")
    if not location:
        raise _refused(
            "http_error",
            original,
            f"HTTP {response.status_code} redirect without a Location.",
            status=response.status_code,
        )
    try:
        target = current.join(location)
    except (httpx.InvalidURL, TypeError, ValueError) as error:
        raise _refused(
            "invalid_url", original, f"the redirect target cannot be read ({error})."
        ) from error
    return _parse_url(str(target), limits, original)


def _read_body(
    response: httpx.Response, limits: FetchLimits, deadline: float, original: str
) -> bytes:
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        # We asked for identity; decoding a compressed body would let a small download
        # expand past the size limit before we could count it.
        raise _refused(
            "unsupported_encoding",
            original,
            f"the server sent a {encoding!r} encoded body.",
            found=encoding,
        )
    declared = response.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limits.max_bytes:
        raise _too_large(original, limits, int(declared))
    body = bytearray()
    for chunk in response.iter_raw():
        if len(body) + len(chunk) > limits.max_bytes:
            raise _too_large(original, limits, None)
        body += chunk
        _remaining(deadline, original)
    return bytes(body)


def _accept(
    original: str,
    final_url: httpx.URL,
    content: bytes,
    content_type: str | None,
    media_limits: MediaLimits,
) -> FetchedMedia:
    name = final_url.path.rsplit("/", 1)[-1] or None
    try:
        media = sniff_media(content, name, limits=media_limits)
    except ReviewdeskError as error:
        raise _refused(error.code, original, error.detail, **error.extra) from error
    return FetchedMedia(original, str(final_url), content, content_type, len(content), media)


# --- shared -------------------------------------------------------------------------------


def _remaining(deadline: float, original: str) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _refused("timeout", original, "the fetch took longer than its total time limit.")
    return remaining


def _too_large(original: str, limits: FetchLimits, declared: int | None) -> FetchRefused:
    said = f"declares {declared:,} bytes" if declared is not None else "is longer"
    return _refused(
        "too_large",
        original,
        f"the body {said}; at most {limits.max_bytes:,} bytes are fetched.",
        allowed=limits.max_bytes,
    )


def _refused(code: str, url: str, detail: str, **extra: Any) -> FetchRefused:
    return FetchRefused(code, f"{_shown(url)}: {detail}", url=url, **extra)


def _shown(url: str) -> str:
    return repr(url if len(url) <= 200 else url[:200] + "...")


@cache
def _ssl_context() -> ssl.SSLContext:
    # Built once (loading the CA bundle is slow); an SSLContext is safe to share.
    return httpx.create_ssl_context()
