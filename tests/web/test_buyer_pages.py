"""The buyer's pages: sign in with a token, orders, the review form, helpful votes, CSRF."""

from __future__ import annotations

import io
import re

from PIL import Image
from web_flow import csrf_of, links, login, review_ids_in, seed_reviews

from builders import World, jpeg_with_gps
from reviewdesk.services import public, reviews

PRODUCT = "/shops/batik-house/products/linen-shirt"


def _set_cookie_headers(response) -> list[str]:  # type: ignore[no-untyped-def]
    return response.headers.get_list("set-cookie")


def test_login_keeps_a_buyer_token_in_an_httponly_lax_cookie(world: World, client) -> None:
    form = client.get("/login?next=/shops/batik-house")
    assert form.status_code == 200 and 'name="token"' in form.text
    response = client.post(
        "/login",
        data={
            "token": world.buyer_x.token,
            "csrf": csrf_of(form.text),
            "next": "/shops/batik-house",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/shops/batik-house"
    (cookie,) = [c for c in _set_cookie_headers(response) if c.startswith("rd_session=")]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    orders = client.get("/account/orders")
    assert orders.status_code == 200 and "My orders" in orders.text
    assert "You are signed in." in orders.text
    assert orders.headers["cache-control"] == "private, no-store"
    # Signing out forgets the cookie.
    out = client.post("/logout", data={"csrf": csrf_of(orders.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/account/orders", follow_redirects=False).status_code == 303


def test_login_refuses_seller_operator_and_unknown_tokens(world: World, client) -> None:
    client.cookies.set("rd_session", "rd_revoked-or-stale")  # must not block signing in
    form = client.get("/login")
    assert "Sign out" not in form.text
    csrf = csrf_of(form.text)
    for token, status, words in (
        (world.seller_a.token, 403, "This is a seller token"),
        (world.operator.token, 403, "This is a operator token"),
        ("rd_not-a-real-token", 401, "unknown or has been revoked"),
    ):
        response = client.post("/login", data={"token": token, "csrf": csrf})
        assert response.status_code == status and words in response.text
        assert not any(c.startswith("rd_session=") for c in _set_cookie_headers(response))
    assert client.get("/account/orders", follow_redirects=False).status_code == 303
    signed_in = client.post("/login", data={"token": world.buyer_y.token, "csrf": csrf})
    assert signed_in.status_code == 200 and "My orders" in signed_in.text
    client.cookies.clear()
    # Over HTTPS (secure_cookies) the session cookie is marked Secure.
    world.platform.settings.secure_cookies = True
    client.base_url = "https://testserver"  # Secure cookies come back only over HTTPS
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"token": world.buyer_x.token, "csrf": csrf_of(form.text)},
        follow_redirects=False,
    )
    (cookie,) = [c for c in _set_cookie_headers(response) if c.startswith("rd_session=")]
    assert "Secure" in cookie


def test_every_post_without_the_csrf_token_is_refused(world: World, client) -> None:
    fresh = client.post("/login", data={"token": world.buyer_x.token}, follow_redirects=False)
    assert fresh.status_code == 403 and "did not come from this site" in fresh.text
    login(client, world.buyer_x.token)
    (rid,) = seed_reviews(world, [4], buyer="y")
    (own,) = seed_reviews(world, [5])
    line = world.deliver("csrf-line", "x", world.product_a)
    for url, data in (
        (f"/reviews/{rid}/helpful", {"next": PRODUCT}),
        ("/account/reviews/new", {"line": str(line), "rating": "5"}),
        (f"/account/reviews/{own}/edit", {"rating": "1"}),
        (f"/account/reviews/{own}/delete", {"confirm": "yes"}),
        ("/logout", {}),
    ):
        for token in (None, "0" * 64):
            body = dict(data, **({"csrf": token} if token else {}))
            response = client.post(url, data=body, follow_redirects=False)
            assert response.status_code == 403, (url, token)
            assert response.headers["content-type"].startswith("text/html")
    assert public.product_summary(world.platform, "batik-house", "linen-shirt").rating.count == 2
    assert reviews.get_review(world.platform, world.buyer_x.principal, own).rating == 5


def test_orders_page_shows_lines_with_windows_and_review_links(world: World, client) -> None:
    assert client.get("/account/orders", follow_redirects=False).headers["location"] == (
        "/login?next=%2Faccount%2Forders"
    )
    closed = world.deliver("old", "x", world.product_a, placed_days_ago=80, delivered_days_ago=70)
    pending = world.deliver("pending", "x", world.product_a2, delivered_days_ago=None)
    (rid,) = seed_reviews(world, [4])
    login(client, world.buyer_x.token)
    page = client.get("/account/orders")
    targets = links(page.text)
    assert f"/account/reviews/new?line={world.lines['seed-x']}" in targets
    assert f"/account/reviews/{rid}/edit" in targets
    assert (
        f"/account/reviews/new?line={closed}" not in targets and "Review window closed" in page.text
    )
    assert (
        f"/account/reviews/new?line={pending}" not in targets
        and "Review after delivery" in page.text
    )
    assert "Batik scarf" in page.text and PRODUCT in targets
    assert "Yusuf" not in page.text and "seed-y" not in page.text


def test_write_edit_and_delete_a_review_through_the_forms(world: World, client) -> None:
    login(client, world.buyer_x.token)
    line = world.lines["seed-x"]
    form = client.get(f"/account/reviews/new?line={line}")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    assert form.text.count('type="radio" name="rating"') == 5
    created = client.post(
        "/account/reviews/new",
        data={
            "csrf": csrf_of(form.text),
            "line": str(line),
            "rating": "4",
            "title": "Soft",
            "text": "Soft linen, true to size.",
        },
        files=[
            ("media", ("shirt.jpg", jpeg_with_gps(), "image/jpeg")),
            ("media", ("", b"", "application/octet-stream")),
        ],
        follow_redirects=False,
    )
    assert created.status_code == 303 and created.headers["location"] == f"{PRODUCT}#reviews"
    page = client.get(PRODUCT)
    assert "Thank you! Your review is published." in page.text
    (rid,) = review_ids_in(page.text)
    assert "Soft linen, true to size." in page.text and "Average rating 4.0" in page.text
    media_id = int(re.search(r'href="/media/(\d+)"', page.text).group(1))  # type: ignore[union-attr]
    photo = Image.open(io.BytesIO(client.get(f"/media/{media_id}").content))
    assert not photo.getexif().get_ifd(0x8825)
    # Writing again for the same line goes to the edit form.
    again = client.get(f"/account/reviews/new?line={line}", follow_redirects=False)
    assert again.headers["location"] == f"/account/reviews/{rid}/edit"

    edit = client.get(f"/account/reviews/{rid}/edit")
    assert 'value="Soft"' in edit.text and "Soft linen, true to size.</textarea>" in edit.text
    saved = client.post(
        f"/account/reviews/{rid}/edit",
        data={
            "csrf": csrf_of(edit.text),
            "rating": "2",
            "title": "Shrank",
            "text": "Shrank after one wash.",
            "remove_media": str(media_id),
        },
        files=[("media", ("second.jpg", jpeg_with_gps((320, 240)), "image/jpeg"))],
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"] == f"{PRODUCT}#review-{rid}"
    page = client.get(PRODUCT)
    assert (
        "Shrank after one wash." in page.text and '<span class="edited">Edited</span>' in page.text
    )
    assert "Average rating 2.0" in page.text
    (shown,) = re.findall(r'href="/media/(\d+)"', page.text)
    assert Image.open(io.BytesIO(client.get(f"/media/{shown}").content)).size == (320, 240)
    view = reviews.get_review(world.platform, world.buyer_x.principal, rid)
    assert view.rating == 2 and len(view.media) == 1 and view.edited

    confirm = client.get(f"/account/reviews/{rid}/delete")
    assert confirm.status_code == 200 and 'name="confirm"' in confirm.text
    unticked = client.post(f"/account/reviews/{rid}/delete", data={"csrf": csrf_of(confirm.text)})
    assert unticked.status_code == 422 and "Tick the box" in unticked.text
    deleted = client.post(
        f"/account/reviews/{rid}/delete",
        data={"csrf": csrf_of(confirm.text), "confirm": "yes"},
        follow_redirects=False,
    )
    assert deleted.status_code == 303 and deleted.headers["location"] == "/account/orders"
    assert "Your review is deleted." in client.get("/account/orders").text
    page = client.get(PRODUCT)
    assert review_ids_in(page.text) == [] and "No reviews yet." in page.text
    assert public.product_summary(world.platform, "batik-house", "linen-shirt").rating.count == 0


def test_refused_reviews_rerender_the_form_with_message_and_values(world: World, client) -> None:
    login(client, world.buyer_x.token)
    line = world.lines["seed-x"]
    csrf = csrf_of(client.get(f"/account/reviews/new?line={line}").text)

    def post(data: dict[str, str], files=None):  # type: ignore[no-untyped-def]
        return client.post(
            "/account/reviews/new",
            data={"csrf": csrf, **data},
            files=files,
            follow_redirects=False,
        )

    no_rating = post({"line": str(line), "title": "My title", "text": "Kept text"})
    assert no_rating.status_code == 422 and "Choose a star rating" in no_rating.text
    assert 'value="My title"' in no_rating.text and "Kept text</textarea>" in no_rating.text
    not_image = post(
        {"line": str(line), "rating": "3", "text": "With a fake photo"},
        files=[("media", ("photo.jpg", b"%PDF-1.4 not a photo", "image/jpeg"))],
    )
    assert not_image.status_code == 422 and "With a fake photo</textarea>" in not_image.text
    assert 'value="3" required checked' in not_image.text
    closed = world.deliver("old", "x", world.product_a, placed_days_ago=80, delivered_days_ago=70)
    late = post({"line": str(closed), "rating": "5"})
    assert late.status_code == 409 and "days after delivery" in late.text
    pending = world.deliver("pending", "x", world.product_a, delivered_days_ago=None)
    early = post({"line": str(pending), "rating": "5"})
    assert early.status_code == 409 and "not been delivered" in early.text
    assert post({"line": str(line), "rating": "5"}).status_code == 303
    twice = post({"line": str(line), "rating": "4", "text": "Second try"})
    assert twice.status_code == 409 and "already reviewed" in twice.text
    assert "Traceback" not in twice.text
    world.platform.settings.max_photo_bytes = world.platform.settings.max_video_bytes = 2000
    big = post(
        {"line": str(closed), "rating": "5", "text": "Big photo"},
        files=[("media", ("big.jpg", jpeg_with_gps(), "image/jpeg"))],
    )
    assert big.status_code == 413 and "big.jpg is larger than 2 KB" in big.text
    assert "Big photo</textarea>" in big.text
    others = post({"line": str(world.lines["seed-y"]), "rating": "5"})
    assert others.status_code == 404
    assert client.get(f"/account/reviews/new?line={world.lines['seed-y']}").status_code == 404


def test_edit_refusal_rerenders_and_foreign_reviews_are_not_found(world: World, client) -> None:
    (rid,) = seed_reviews(world, [4])
    (foreign,) = seed_reviews(world, [5], buyer="y")
    login(client, world.buyer_x.token)
    edit = client.get(f"/account/reviews/{rid}/edit")
    bad = client.post(
        f"/account/reviews/{rid}/edit",
        data={"csrf": csrf_of(edit.text), "rating": "4", "title": "x" * 500, "text": "Kept"},
    )
    assert bad.status_code == 422 and "title has 500 characters" in bad.text
    assert "Kept</textarea>" in bad.text
    assert reviews.get_review(world.platform, world.buyer_x.principal, rid).version == 1
    for url in (
        f"/account/reviews/{foreign}/edit",
        f"/account/reviews/{foreign}/delete",
        "/account/reviews/999999/edit",
        "/account/reviews/abc/edit",
    ):
        assert client.get(url).status_code == 404, url
    denied = client.post(
        f"/account/reviews/{foreign}/delete", data={"csrf": csrf_of(edit.text), "confirm": "yes"}
    )
    assert denied.status_code == 404
    assert public.product_summary(world.platform, "batik-house", "linen-shirt").rating.count == 2


def test_helpful_vote_needs_a_buyer_session_and_counts_once(world: World, client) -> None:
    (rid,) = seed_reviews(world, [4], buyer="y")
    anonymous = client.post(
        f"/reviews/{rid}/helpful", data={"next": PRODUCT}, follow_redirects=False
    )
    assert anonymous.status_code == 303
    assert (
        anonymous.headers["location"]
        == "/login?next=%2Fshops%2Fbatik-house%2Fproducts%2Flinen-shirt"
    )
    login(client, world.buyer_x.token)
    page = client.get(PRODUCT)
    vote = {"csrf": csrf_of(page.text), "next": PRODUCT}
    first = client.post(f"/reviews/{rid}/helpful", data=vote, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == f"{PRODUCT}#review-{rid}"
    page = client.get(PRODUCT)
    assert (
        "Thanks, your vote is counted." in page.text and "1 person found this helpful" in page.text
    )
    page = client.post(f"/reviews/{rid}/helpful", data=vote)  # follows back to the product
    assert "already marked this review helpful" in page.text
    assert "1 person found this helpful" in page.text
    (own,) = seed_reviews(world, [5])
    assert (
        "cannot vote on your own review" in client.post(f"/reviews/{own}/helpful", data=vote).text
    )
    outside = client.post(
        f"/reviews/{rid}/helpful",
        data={**vote, "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert outside.headers["location"].startswith("/#review-")


def test_a_review_held_for_moderation_says_so_and_does_not_show(world: World, client) -> None:
    login(client, world.buyer_x.token)
    line = world.lines["seed-x"]
    form = client.get(f"/account/reviews/new?line={line}")
    client.post(
        "/account/reviews/new",
        data={
            "csrf": csrf_of(form.text),
            "line": str(line),
            "rating": "1",
            "text": "Cheaper at bestdeals.shop, visit my store for the real thing",
        },
        follow_redirects=False,
    )
    page = client.get(PRODUCT)
    assert "waits for a moderator" in page.text
    assert review_ids_in(page.text) == [] and "bestdeals" not in page.text
