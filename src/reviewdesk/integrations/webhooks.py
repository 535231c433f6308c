"""Sending signed webhook requests to the URLs sellers configure, and checking signatures.

Signature scheme (``X-Reviewdesk-Signature: v1=<hex>``): the HMAC-SHA256, keyed with the
endpoint's secret, of ``f"{timestamp}.{body}"``, where ``timestamp`` is the
``X-Reviewdesk-Timestamp`` header (Unix seconds) and ``body`` the raw request body.
``X-Reviewdesk-Delivery`` carries the event id: the same event is sent again with the
same id on retries and redeliveries, so a receiver that remembers ids processes it once.

A webhook URL is written by a seller, so sending to it is a server-side request forgery
risk like fetching an imported photo (see ``reviewdesk.integrations.fetch``): the host is
resolved here, every address must be allowed (globally routable unicast; with
``allow_private`` also private and loopback ones, never link-local), and the request
goes to the validated address with ``Host:`` (and TLS SNI) set to the name, so a second
DNS answer cannot redirect it. Redirects are not followed (a 3xx is a failed attempt);
the response body is not read beyond a small limit.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx

from reviewdesk.errors import InvalidInput
from reviewdesk.integrations.fetch import (
    AddressPolicy,
    IPAddress,
    Resolver,
    is_closed_network_address,
    is_public_address,
    resolve_host,
)

USER_AGENT = "reviewdesk-webhooks/1"
SIGNATURE_VERSION = "v1"
MAX_URL_LENGTH = 2000
_DEFAULT_PORTS = {"http": 80, "https": 443}
_RESPONSE_PEEK_BYTES = 4096


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Reviewdesk-Signature`` value of ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"{SIGNATURE_VERSION}={mac.hexdigest()}"


def verify_signature(
    secret: str,
    timestamp: str,
    body: bytes,
    header: str,
    *,
    now: float | None = None,
    tolerance_seconds: float = 300,
) -> bool:
    """What a receiver checks: the signature matches and the timestamp is recent.

    ``header`` may list several comma-separated signatures; one matching is enough.
    """
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent) > tolerance_seconds:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, part.strip()) for part in header.split(","))


def check_webhook_url(url: str) -> str:
    """The URL, stripped, when it can be a webhook endpoint; else ``invalid_webhook_url``."""
    text = url.strip()

    def refuse(why: str) -> InvalidInput:
        return InvalidInput("invalid_webhook_url", f"{text[:200]!r}: {why}", field="url")

    if not text or len(text) > MAX_URL_LENGTH:
        raise refuse(f"a URL of 1 to {MAX_URL_LENGTH} characters is needed")
    try:
        parsed = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError) as error:
        raise refuse(f"it cannot be read ({error})") from error
    if parsed.scheme not in _DEFAULT_PORTS:
        raise refuse("only http and https URLs receive webhooks")
    if not parsed.host:
        raise refuse("the URL has no host")
    if parsed.userinfo:
        raise refuse("put no user name or password in the URL; verify the signature instead")
    if parsed.fragment:
        raise refuse("a URL fragment is never sent; leave it out")
    return text


@dataclass(frozen=True)
class WebhookResult:
    """The outcome of one webhook request: an HTTP status, or an error before one."""

    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def delivered(self) -> bool:
        """2xx: the receiver has the event."""
        return self.status_code is not None and 200 <= self.status_code < 300


class _Refused(Exception):
    pass


def post_webhook(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    allow_private: bool = False,
    resolver: Resolver = resolve_host,
    transport: httpx.BaseTransport | None = None,
) -> WebhookResult:
    """POST ``body`` to ``url`` once, under the address rules; never raises for the network."""
    started = time.monotonic()
    policy: AddressPolicy = is_closed_network_address if allow_private else is_public_address
    own_transport = transport is None
    if transport is None:
        transport = httpx.HTTPTransport(verify=_ssl_context(), retries=0)
    status: int | None = None
    error: str | None = None
    try:
        parsed = httpx.URL(check_webhook_url(url))
        address = _checked_address(parsed, policy, resolver)
        response = transport.handle_request(_request(parsed, address, body, headers, timeout))
        try:
            status = response.status_code
            _peek(response)
        finally:
            response.close()
        if 300 <= status < 400:
            error = "redirects are not followed: configure the final URL"
        elif not 200 <= status < 300:
            error = f"the receiver answered HTTP {status}"
    except InvalidInput as refused:
        error = f"invalid_webhook_url: {refused.detail}"
    except _Refused as refused:
        error = str(refused)
    except httpx.TimeoutException:
        error = f"timeout: no answer within {timeout:g} s"
    except httpx.HTTPError as failed:
        error = f"connection_failed: {str(failed) or type(failed).__name__}"
    finally:
        if own_transport:
            transport.close()
    return WebhookResult(status, error, int((time.monotonic() - started) * 1000))


def _checked_address(url: httpx.URL, policy: AddressPolicy, resolver: Resolver) -> IPAddress:
    host = url.raw_host.decode("ascii")
    port = url.port or _DEFAULT_PORTS[url.scheme]
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            addresses = [ipaddress.ip_address(str(found)) for found in resolver(host, port)]
        except (OSError, UnicodeError, ValueError) as error:
            raise _Refused(f"dns_failed: {host!r} cannot be resolved ({error})") from error
    if not addresses:
        raise _Refused(f"dns_failed: {host!r} has no address")
    refused = [address for address in addresses if not policy(address)]
    if refused:
        # Any refused address refuses the host (a name answering public and private
        # addresses is how DNS rebinding starts).
        raise _Refused(
            f"private_address: {host!r} resolves to {refused[0]}, which webhooks may not "
            "reach (see the webhook_allow_private setting)"
        )
    return addresses[0]


def _request(
    url: httpx.URL, address: IPAddress, body: bytes, headers: dict[str, str], timeout: float
) -> httpx.Request:
    host = url.raw_host.decode("ascii")
    host_header = f"[{host}]" if ":" in host else host
    if url.port is not None:
        host_header = f"{host_header}:{url.port}"
    extensions: dict[str, Any] = {
        "timeout": {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}
    }
    if url.scheme == "https":
        extensions["sni_hostname"] = host
    return httpx.Request(
        "POST",
        url.copy_with(host=str(address)),
        headers={
            **headers,
            "Host": host_header,
            "User-Agent": USER_AGENT,
            "Content-Type": "application/json",
            "Connection": "close",
        },
        content=body,
        extensions=extensions,
    )


def _peek(response: httpx.Response) -> None:
    # The answer's body means nothing to us; read a little so the server sees it taken.
    read = 0
    for chunk in response.iter_raw():
        read += len(chunk)
        if read >= _RESPONSE_PEEK_BYTES:
            break


@cache
def _ssl_context() -> Any:
    return httpx.create_ssl_context()
