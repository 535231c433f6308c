"""Rendering pages: the Jinja2 environment, the common context, error pages, JSON-LD."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from reviewdesk.web import session as web_session

TEMPLATES = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES)

# Pages load only their own CSS and JS; JSON-LD blocks are data, not script.
_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self'; script-src 'self'; "
        "style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def json_for_script(value: Any) -> Markup:
    """JSON safe inside a <script> element: no ``</script>``, ``<!--`` or ``&`` escapes out."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return Markup(text)


def _date(value: datetime | None) -> str:
    return f"{value:%-d %b %Y}" if value else ""


def _average(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "–"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


templates.env.filters["date"] = _date
templates.env.filters["average"] = _average
templates.env.filters["plural"] = _plural
templates.env.globals["json_for_script"] = json_for_script


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    private: bool = False,
    presession: bool = False,
) -> HTMLResponse:
    """A page with the common context: the buyer session, the CSRF token, the flash message.

    ``presession`` gives an anonymous browser the value its login form is signed with.
    ``private`` marks a page that must never be stored by a cache (account pages).
    """
    platform = web_session.platform_of(request)
    buyer = web_session.buyer_session(request)
    seed = buyer.token if buyer else request.cookies.get(web_session.PRESESSION_COOKIE)
    new_presession = None
    if buyer is None and presession and not request.cookies.get(web_session.PRESESSION_COOKIE):
        seed = new_presession = web_session.presession_value()
    flash = web_session.read_flash(request)
    page: dict[str, Any] = {
        "buyer": buyer,
        "flash": flash,
        "csrf": web_session.csrf_token(seed) if seed else "",
    }
    page.update(context or {})
    response = templates.TemplateResponse(request, name, page, status_code=status)
    if new_presession is not None:
        web_session.set_presession(response, platform, new_presession)
    if flash is not None:
        response.delete_cookie(web_session.FLASH_COOKIE, path="/")
    response.headers.update(_SECURITY_HEADERS)
    if private or buyer is not None:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def not_found(request: Request, detail: str = "") -> HTMLResponse:
    """The friendly 404 page."""
    return render(request, "not_found.html", {"detail": detail}, status=404)


def refused(request: Request, detail: str, status: int = 403) -> HTMLResponse:
    """The page saying a request was refused (bad CSRF token, not allowed)."""
    return render(request, "refused.html", {"detail": detail}, status=status)
