"""No public response or page of the demo data carries a buyer's personal data."""

from __future__ import annotations

import re
from collections import deque
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from reviewdesk.config import Settings
from reviewdesk.db.orders import Buyer
from reviewdesk.demo.loader import DemoScale, load_demo
from reviewdesk.services.platform import Platform

API = "/api/v1/public"
SCALE = DemoScale(products=24, orders=900, reviews=400, photos=3)


@pytest.fixture
def demo(settings: Settings, platform: Platform) -> list[list[str]]:
    """The demo loaded at a small scale; returns each buyer's personal data strings."""
    load_demo(settings, SCALE, seed=7)
    with platform.db.read() as session:
        buyers = session.scalars(select(Buyer)).all()
        secrets = []
        for b in buyers:
            # The loader writes "<street>, <postcode> <city>, <region>, <country>".
            street = (b.address or "").rsplit(", ", 3)[0]
            secrets.append(
                [
                    s
                    for s in (b.email, b.phone, b.full_name, street, (b.phone or "").lstrip("+"))
                    if s
                ]
            )
    return secrets


def _leaks(text: str, secrets: list[list[str]]) -> list[str]:
    lowered = text.lower()
    return [s for person in secrets for s in person if s.lower() in lowered]


def _walk_api(client: Any) -> list[str]:
    bodies: list[str] = []

    def get_all(url: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        items, cursor = [], None
        while True:
            response = client.get(url, params={**params, **({"cursor": cursor} if cursor else {})})
            assert response.status_code == 200, response.text
            bodies.append(response.text)
            page = response.json()
            items.extend(page["items"])
            cursor = page["next_cursor"]
            if not cursor:
                return items

    shops = client.get(f"{API}/shops")
    bodies.append(shops.text)
    for shop in shops.json():
        slug = shop["slug"]
        bodies.append(client.get(f"{API}/shops/{slug}").text)
        get_all(f"{API}/shops/{slug}/reviews", {"limit": 100})
        for product in get_all(f"{API}/shops/{slug}/products", {"limit": 100}):
            handle = product["handle"]
            bodies.append(client.get(f"{API}/shops/{slug}/products/{handle}").text)
            for sort in ("newest", "lowest"):
                get_all(
                    f"{API}/shops/{slug}/products/{handle}/reviews", {"limit": 100, "sort": sort}
                )
    return bodies


def _crawl_pages(client: Any, limit: int = 400) -> dict[str, str]:
    pages: dict[str, str] = {}
    queue = deque(["/"])
    while queue and len(pages) < limit:
        url = queue.popleft()
        if url in pages:
            continue
        response = client.get(url)
        pages[url] = response.text
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        for href in re.findall(r'href="([^"#]+)"', response.text):
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith(("/shops", "/")):
                continue
            if parts.path.startswith(("/static", "/media", "/api", "/login", "/account")):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path not in pages:
                queue.append(path)
    return pages


def test_public_api_never_shows_buyer_personal_data(demo: list[list[str]], client: Any) -> None:
    bodies = _walk_api(client)
    assert len(bodies) > 50
    reviews_seen = sum(body.count('"reviewer"') for body in bodies)
    assert reviews_seen >= SCALE.reviews
    leaks = [leak for body in bodies for leak in _leaks(body, demo)]
    assert leaks == []


def test_public_pages_never_show_buyer_personal_data(demo: list[list[str]], client: Any) -> None:
    pages = _crawl_pages(client)
    product_pages = [u for u in pages if re.match(r"^/shops/[^/]+/products/[^/?]+", u)]
    assert len(product_pages) >= SCALE.products
    leaks = {url: _leaks(html, demo) for url, html in pages.items()}
    assert {url: found for url, found in leaks.items() if found} == {}


def test_the_scan_would_see_a_leak(demo: list[list[str]]) -> None:
    # The check itself works: a body carrying a seeded e-mail is caught.
    assert _leaks(f'{{"reviewer": "{demo[0][0]}"}}', demo) == [demo[0][0]]
