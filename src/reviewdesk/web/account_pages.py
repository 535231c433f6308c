"""The buyer's session and orders: sign in with a token, sign out, the orders to review."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from reviewdesk.domain.principals import Role
from reviewdesk.errors import InvalidInput, NotAuthenticated
from reviewdesk.services import access, orders, public
from reviewdesk.web.forms import Posted, handle_posted, posted_form, text_field
from reviewdesk.web.rendering import render
from reviewdesk.web.session import (
    buyer_session,
    clear_session,
    local_path,
    login_url,
    platform_of,
    redirect,
    set_session,
)

router = APIRouter(include_in_schema=False)
ORDERS_PER_PAGE = 10


def _login_page(request: Request, next_path: str, error: str | None, status: int) -> Response:
    return render(
        request,
        "login.html",
        {"next": next_path, "error": error},
        status=status,
        private=True,
        presession=True,
    )


@router.get("/login")
def login_form(request: Request) -> Response:
    """The form where a buyer pastes the token their shop gave them."""
    next_path = local_path(request.query_params.get("next"), "/account/orders")
    return _login_page(request, next_path, None, 200)


@router.post("/login")
async def login(request: Request) -> Response:
    """Check the token and keep it in the session cookie; only buyer tokens sign in."""
    posted = await posted_form(request, buyer_required=False)
    if not isinstance(posted, Posted):
        return posted
    return await handle_posted(posted, _login, request, posted)


def _login(request: Request, posted: Posted) -> Response:
    platform = platform_of(request)
    next_path = local_path(posted.form.get("next"), "/account/orders")
    token = text_field(posted.form, "token").strip()
    try:
        principal = access.authenticate(platform, token)
    except NotAuthenticated:
        message = "That token is unknown or has been revoked. Check it and try again."
        return _login_page(request, next_path, message, 401)
    if principal.role is not Role.BUYER:
        message = (
            f"This is a {principal.role.value} token. Only buyers sign in here; "
            "sellers and operators use the API or the Seller Center."
        )
        return _login_page(request, next_path, message, 403)
    response = redirect(request, next_path, ("ok", "You are signed in."))
    set_session(response, platform, token)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """Forget the session in this browser."""
    posted = await posted_form(request, buyer_required=False)
    if not isinstance(posted, Posted):
        return posted
    response = redirect(request, "/", ("ok", "You are signed out."))
    clear_session(response, platform_of(request))
    return response


@router.get("/account/orders")
def my_orders(request: Request) -> Response:
    """The buyer's orders, each line with its review window and review links."""
    buyer = buyer_session(request)
    if buyer is None:
        return redirect(request, login_url("/account/orders"))
    platform = platform_of(request)
    cursor = request.query_params.get("cursor") or None
    try:
        page = orders.list_my_orders(
            platform, buyer.principal, cursor=cursor, limit=ORDERS_PER_PAGE
        )
    except InvalidInput:
        cursor = None
        page = orders.list_my_orders(platform, buyer.principal, limit=ORDERS_PER_PAGE)
    refs = public.product_refs(
        platform_of(request), {line.product_id for o in page.items for line in o.lines}
    )
    return render(
        request,
        "orders.html",
        {
            "orders": page.items,
            "refs": refs,
            "now": platform.now(),
            "next_url": f"/account/orders?cursor={page.next_cursor}" if page.next_cursor else None,
            "paged": cursor is not None,
        },
        private=True,
    )
