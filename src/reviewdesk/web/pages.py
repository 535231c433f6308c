"""Server-rendered pages (Jinja2), working without JavaScript.

Public pages (shops, product pages with the review widget, media) live in ``shop_pages``;
the buyer's session and orders in ``account_pages``; the review form and helpful votes in
``review_pages``. Every page calls the same service functions as the API.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from reviewdesk.web import account_pages, review_pages, shop_pages

STATIC = Path(__file__).parent / "static"
router = APIRouter(include_in_schema=False)
for _pages in (shop_pages, account_pages, review_pages):
    router.include_router(_pages.router)


def mount_static(app: FastAPI) -> None:
    """Serve the pages' own CSS and JS."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
