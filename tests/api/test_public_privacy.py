"""No public response or page of the demo data carries a buyer's personal data."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from public_scan import crawl_public_pages, walk_public_api
from reviewdesk.config import Settings
from reviewdesk.db.orders import Buyer
from reviewdesk.demo.loader import DemoScale, load_demo
from reviewdesk.services.platform import Platform

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


def test_public_api_never_shows_buyer_personal_data(demo: list[list[str]], client: Any) -> None:
    bodies = walk_public_api(client)
    assert len(bodies) > 50
    reviews_seen = sum(body.count('"reviewer"') for body in bodies)
    assert reviews_seen >= SCALE.reviews
    leaks = [leak for body in bodies for leak in _leaks(body, demo)]
    assert leaks == []


def test_public_pages_never_show_buyer_personal_data(demo: list[list[str]], client: Any) -> None:
    pages = crawl_public_pages(client)
    product_pages = [u for u in pages if re.match(r"^/shops/[^/]+/products/[^/?]+", u)]
    assert len(product_pages) >= SCALE.products
    leaks = {url: _leaks(html, demo) for url, html in pages.items()}
    assert {url: found for url, found in leaks.items() if found} == {}


def test_the_scan_would_see_a_leak(demo: list[list[str]]) -> None:
    # The check itself works: a body carrying a seeded e-mail is caught.
    assert _leaks(f'{{"reviewer": "{demo[0][0]}"}}', demo) == [demo[0][0]]
