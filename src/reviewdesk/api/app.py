"""The ASGI application: REST API under /api/v1, public and buyer pages, media."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from reviewdesk import __version__
from reviewdesk.api import (
    alerts,
    cases,
    catalog,
    coupons,
    exports,
    imports,
    inbox,
    moderation,
    nrr,
    orders,
    problems,
    public,
    replies,
    reports,
    reviews,
    tokens,
)
from reviewdesk.api.idempotency import IdempotencyMiddleware
from reviewdesk.api.problems import Problem
from reviewdesk.services.platform import Platform, open_platform

API_PREFIX = "/api/v1"
_ERRORS = {
    code: {"model": Problem, "content": {"application/problem+json": {}}}
    for code in (401, 403, 404, 409, 422)
}


def create_app(platform: Platform | None = None) -> FastAPI:
    """The application over ``platform`` (opened from the settings when not given)."""
    platform = platform or open_platform()
    app = FastAPI(
        title="reviewdesk",
        version=__version__,
        description="Product ratings and reviews platform. Errors are RFC 9457 problem "
        "documents with a stable `code`.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.platform = platform
    # Public reads first and not nested: routes are matched in order, these are the hot ones.
    app.include_router(public.router, prefix=API_PREFIX, responses=_ERRORS)  # type: ignore[arg-type]
    api = APIRouter(prefix=API_PREFIX, responses=_ERRORS)  # type: ignore[arg-type]
    for module in (
        catalog,
        orders,
        reviews,
        moderation,
        replies,
        cases,
        coupons,
        imports,
        exports,
        reports,
        nrr,
        alerts,
        inbox,
        tokens,
    ):
        api.include_router(module.router)
    app.include_router(api)
    from reviewdesk.web import pages

    app.include_router(pages.router)
    pages.mount_static(app)
    problems.install(app)
    app.add_middleware(IdempotencyMiddleware, platform=platform, prefix=API_PREFIX)
    return app
