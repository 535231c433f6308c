"""A person's journey through the pages in a real Chromium (Playwright), with screenshots.

The app runs in a real uvicorn server on a free port over an SQLite platform. Screenshots
are kept under ``build/screenshots/`` as CI artefacts.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from web_flow import seed_reviews

from builders import World, build_world, jpeg_with_gps
from reviewdesk.api.app import create_app
from reviewdesk.config import Settings
from reviewdesk.services.platform import open_platform

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served_world(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[World, str]]:
    """A world on SQLite behind a real uvicorn server; yields it and the base URL."""
    database = tmp_path / "browser.db"
    shutil.copyfile(sqlite_template, database)
    settings = Settings(
        database_url=f"sqlite:///{database}",
        media_dir=tmp_path / "media",
        jobs_path=tmp_path / "jobs.db",
        jobs_immediate=True,
        page_size=3,
    )
    platform = open_platform(settings)
    world = build_world(platform)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(platform), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield world, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        platform.close()


@pytest.fixture
def page() -> Iterator[object]:
    """A Chromium page (Debian's Chromium, never a downloaded one)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        try:
            yield tab
        finally:
            context.close()
            browser.close()


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_shopper_browses_filters_then_buyer_writes_edits_votes_and_deletes(
    served_world: tuple[World, str], page, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    world, base = served_world
    seed_reviews(world, [5, 4, 4, 2, 4, 4, 1], buyer="y")

    # A shopper finds the product from the shop list.
    page.goto(base + "/")
    expect(page.get_by_role("heading", name="Shops")).to_be_visible()
    shot(page, "home")
    page.get_by_role("link", name="Batik House").click()
    expect(page.get_by_role("heading", name="Recent reviews")).to_be_visible()
    shot(page, "shop")
    page.get_by_role("link", name="Shops").click()
    page.get_by_role("link", name="Linen shirt").click()
    expect(page.get_by_role("heading", name="Linen shirt", level=1)).to_be_visible()
    expect(page.locator(".summary-average .big")).to_have_text("3.4")
    shot(page, "product")

    # Clicking the 4-star bar filters; sorting and paging keep the filter.
    page.locator("a.hist-row").filter(has_text="4 ★").click()
    expect(page).to_have_url(re.compile(r"stars=4"))
    expect(page.locator("article.review")).to_have_count(3)
    page.get_by_label("Sort by").select_option("lowest")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"sort=lowest"))
    expect(page.get_by_label("Sort by")).to_have_value("lowest")
    shot(page, "product-filtered")
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"cursor=.*|.*cursor="))
    expect(page).to_have_url(re.compile(r"stars=4"))
    expect(page.locator("article.review")).to_have_count(1)
    shot(page, "product-next-page")

    # The buyer signs in with the token from the shop.
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Your token").fill(world.buyer_x.token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My orders")).to_be_visible()
    expect(page.get_by_text("You are signed in.")).to_be_visible()
    shot(page, "orders")

    # ... writes a review with a photo.
    page.get_by_role("link", name="Write a review").click()
    page.get_by_label("5 stars – Excellent").check()
    page.get_by_label("Title").fill("Perfect for the tropics")
    page.get_by_label("Your review").fill("Breathes well in the heat and kept its colour.")
    photo = tmp_path / "shirt.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.get_by_label("Photos or a video").set_input_files(str(photo))
    expect(page.locator(".upload-preview img")).to_have_count(1)
    shot(page, "review-form")
    page.get_by_role("button", name="Publish review").click()
    expect(page.get_by_text("Thank you! Your review is published.")).to_be_visible()
    mine = page.locator("article.review").filter(has_text="Perfect for the tropics")
    expect(mine.locator("img")).to_have_count(1)
    expect(page.locator(".summary-average .big")).to_have_text("3.6")
    shot(page, "product-with-new-review")

    # ... edits it.
    page.get_by_role("link", name="My orders").click()
    page.get_by_role("link", name="Edit your review").click()
    page.get_by_label("4 stars – Good").check()
    page.get_by_label("Your review").fill("Breathes well; faded a little after ten washes.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Your review is updated.")).to_be_visible()
    mine = page.locator("article.review").filter(has_text="faded a little")
    expect(mine.get_by_text("Edited")).to_be_visible()

    # ... marks someone else's review helpful, once.
    other = page.locator("article.review").filter(has_text="Review 6")
    other.get_by_role("button", name=re.compile("Helpful")).click()
    expect(page.get_by_text("Thanks, your vote is counted.")).to_be_visible()
    other = page.locator("article.review").filter(has_text="Review 6")
    expect(other.get_by_text("1 person found this helpful")).to_be_visible()
    shot(page, "product-after-vote")

    # ... and deletes the review after confirming.
    page.get_by_role("link", name="My orders").click()
    page.get_by_role("link", name="Edit your review").click()
    page.get_by_role("link", name="Delete this review").click()
    page.get_by_label("Yes, delete my review").check()
    shot(page, "review-delete")
    page.get_by_role("button", name="Delete review").click()
    expect(page.get_by_text("Your review is deleted.")).to_be_visible()
    expect(page.get_by_role("link", name="Write a review")).to_be_visible()
    page.goto(base + "/shops/batik-house/products/linen-shirt")
    expect(page.locator("article.review").filter(has_text="faded a little")).to_have_count(0)
    expect(page.locator(".summary-average .big")).to_have_text("3.4")
    missing = page.goto(base + "/shops/batik-house/products/no-such-thing")
    assert missing is not None and missing.status == 404
    expect(page.get_by_role("heading", name="We could not find that page")).to_be_visible()
    shot(page, "not-found")
