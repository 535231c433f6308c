"""Walk every public API response and public page, to scan them for what must not show."""

from __future__ import annotations

import re
from collections import deque
from typing import Any
from urllib.parse import urljoin, urlsplit

API = "/api/v1/public"


def walk_public_api(client: Any) -> list[str]:
    """The bodies of every public API response over every shop, product and review page."""
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


def crawl_public_pages(client: Any, limit: int = 400) -> dict[str, str]:
    """The public pages reachable from the home page (signed out), by URL."""
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
