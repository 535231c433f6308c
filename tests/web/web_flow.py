"""Helpers of the web page tests: read forms and JSON-LD out of pages, sign in as a buyer."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from builders import World
from reviewdesk.services import reviews

CSRF = re.compile(r'name="csrf" value="([0-9a-f]*)"')
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def csrf_of(page: str) -> str:
    """The CSRF token of the first form on a page."""
    found = CSRF.search(page)
    assert found and found.group(1), "page has no CSRF token"
    return found.group(1)


def jsonld_of(page: str) -> dict[str, Any]:
    """The JSON-LD object of a page."""
    found = JSONLD.findall(page)
    assert len(found) == 1, found
    return json.loads(found[0])  # type: ignore[no-any-return]


def login(client: Any, token: str) -> None:
    """Sign the test client in through the login form."""
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"token": token, "csrf": csrf_of(form.text), "next": "/account/orders"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/account/orders"


def review_ids_in(page: str) -> list[int]:
    """The ids of the reviews listed on a page, in order."""
    return [int(x) for x in re.findall(r'<article class="review" id="review-(\d+)"', page)]


def links(page: str) -> list[str]:
    """Every link target on a page (entities decoded)."""
    return [html.unescape(x) for x in re.findall(r'href="([^"]*)"', page)]


def seed_reviews(world: World, ratings: list[int], buyer: str = "x") -> list[int]:
    """A review per rating on the linen shirt, each on its own delivered order line."""
    actor = world.buyer_x if buyer == "x" else world.buyer_y
    ids = []
    for n, rating in enumerate(ratings):
        line = world.deliver(f"web-{buyer}-{n}", buyer, world.product_a)
        ids.append(
            reviews.submit_review(
                world.platform,
                actor.principal,
                order_line_id=line,
                rating=rating,
                title=f"Review {n}",
                text=f"Text of review {n} with {rating} stars." if n % 2 == 0 else None,
            ).id
        )
    return ids
