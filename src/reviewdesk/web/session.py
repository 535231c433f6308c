"""The buyer's web session: the token cookie, CSRF tokens of forms, flash messages.

The session cookie holds the buyer's own token (HttpOnly, SameSite=Lax); every request
authenticates it through ``services.access`` like an API bearer token. A form's CSRF token
is an HMAC of the session token's stored hash, so it needs no server-side state; before
signing in, a random pre-session cookie plays the part of the token (login CSRF).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlencode

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from reviewdesk.domain.principals import Principal, Role
from reviewdesk.errors import NotAuthenticated
from reviewdesk.services import access
from reviewdesk.services.platform import Platform

SESSION_COOKIE = "rd_session"
PRESESSION_COOKIE = "rd_presession"
FLASH_COOKIE = "rd_flash"
CSRF_FIELD = "csrf"
_CSRF_LABEL = b"reviewdesk web form v1"
SESSION_MAX_AGE = 14 * 24 * 3600
_FLASH_MAX_CHARS = 300


@dataclass(frozen=True)
class BuyerSession:
    """A signed-in buyer: the token from the cookie and the principal it stands for."""

    token: str
    principal: Principal


def platform_of(request: Request) -> Platform:
    """The platform the app was built with."""
    platform: Platform = request.app.state.platform
    return platform


def buyer_session(request: Request) -> BuyerSession | None:
    """The buyer signed in by the request's cookie; None without one (or for a stale one)."""
    cached = request.scope.get("reviewdesk.buyer_session", False)
    if cached is not False:
        return cached  # type: ignore[no-any-return]
    token = request.cookies.get(SESSION_COOKIE)
    found: BuyerSession | None = None
    if token:
        try:
            principal = access.authenticate(platform_of(request), token)
        except NotAuthenticated:
            principal = None
        if principal is not None and principal.role is Role.BUYER:
            found = BuyerSession(token, principal)
    request.scope["reviewdesk.buyer_session"] = found
    return found


def csrf_token(seed: str) -> str:
    """The CSRF token of forms in a session whose token (or pre-session value) is ``seed``."""
    key = access.hash_token(seed).encode()
    return hmac.new(key, _CSRF_LABEL, hashlib.sha256).hexdigest()


def csrf_valid(request: Request, submitted: object) -> bool:
    """Whether a posted form carries the CSRF token of the request's session or pre-session.

    Both cookies are HttpOnly, so a page of another site can neither read them nor derive
    the token; a stale session cookie must not block signing in again with a fresh one.
    """
    if not isinstance(submitted, str) or not submitted:
        return False
    seeds = [request.cookies.get(SESSION_COOKIE), request.cookies.get(PRESESSION_COOKIE)]
    return any(hmac.compare_digest(csrf_token(seed), submitted) for seed in seeds if seed)


def set_session(response: Response, platform: Platform, token: str) -> None:
    """Sign a buyer in: the token goes into an HttpOnly cookie."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_MAX_AGE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=platform.settings.secure_cookies,
    )


def clear_session(response: Response, platform: Platform) -> None:
    """Sign the buyer out of this browser."""
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=platform.settings.secure_cookies,
    )


def presession_value() -> str:
    """A fresh random value an anonymous browser signs its login form with."""
    return secrets.token_urlsafe(32)


def set_presession(response: Response, platform: Platform, value: str) -> None:
    """Give an anonymous browser its pre-session value."""
    response.set_cookie(
        PRESESSION_COOKIE,
        value,
        max_age=3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=platform.settings.secure_cookies,
    )


def set_flash(response: Response, platform: Platform, kind: str, message: str) -> None:
    """Leave a one-time message for the next page (kind ``ok`` or ``error``)."""
    response.set_cookie(
        FLASH_COOKIE,
        quote(f"{kind}:{message[:_FLASH_MAX_CHARS]}"),
        max_age=120,
        path="/",
        httponly=True,
        samesite="lax",
        secure=platform.settings.secure_cookies,
    )


def read_flash(request: Request) -> dict[str, str] | None:
    """The pending one-time message, if any (the page that shows it clears it)."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    kind, _, message = unquote(raw).partition(":")
    if not message:
        return None
    return {"kind": "error" if kind == "error" else "ok", "message": message[:_FLASH_MAX_CHARS]}


def local_path(target: object, default: str = "/") -> str:
    """``target`` when it is a path on this site, else ``default`` (no open redirects)."""
    if (
        not isinstance(target, str)
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 for c in target)
    ):
        return default
    return target


def redirect(request: Request, url: str, flash: tuple[str, str] | None = None) -> RedirectResponse:
    """A 303 redirect after a form, optionally with a flash message for the next page."""
    response = RedirectResponse(url, status_code=303)
    if flash is not None:
        set_flash(response, platform_of(request), *flash)
    return response


def login_url(next_path: str) -> str:
    """The sign-in page that returns to ``next_path`` afterwards."""
    return "/login?" + urlencode({"next": next_path})


def query_string(params: list[tuple[str, Any]]) -> str:
    """A query string of the non-empty parameters, ``?`` included (or empty)."""
    kept = [(k, v) for k, v in params if v not in (None, "")]
    return "?" + urlencode(kept) if kept else ""
