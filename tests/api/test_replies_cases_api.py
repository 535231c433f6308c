"""Replies and private cases over HTTP: problem documents, shapes, and what is public."""

from __future__ import annotations

from typing import Any

from builders import World
from public_scan import crawl_public_pages, walk_public_api
from reviewdesk.services import reviews
from reviewdesk.services.reviews import ReviewView

API = "/api/v1"
PRODUCT_PAGE = "/shops/batik-house/products/linen-shirt"


def review_by(world: World, buyer: str = "x", rating: int = 2) -> ReviewView:
    actor = world.buyer_x if buyer == "x" else world.buyer_y
    return reviews.submit_review(
        world.platform,
        actor.principal,
        order_line_id=world.lines[f"seed-{buyer}"],
        rating=rating,
        text="The shirt arrived torn at the seam." if rating <= 3 else "Lovely shirt.",
    )


def is_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code and body["type"] == f"urn:reviewdesk:problem:{code}"
    return body


def test_blocked_reply_is_a_problem_listing_each_finding(world: World, client: Any) -> None:
    review = review_by(world)
    text = "Shop sẽ tặng mã giảm giá nếu bạn sửa đánh giá thành 5 sao nhé."
    response = client.post(
        f"{API}/reviews/{review.id}/reply", json={"text": text}, headers=world.seller_a.headers
    )
    body = is_problem(response, 422, "reply_not_compliant")
    (finding,) = [f for f in body["findings"] if f["severity"] == "block"]
    assert finding["rule"] == "incentive" and finding["message"] and finding["suggestion"]
    assert 0 <= finding["start"] < finding["end"] <= len(text)
    assert client.get(f"{API}/reviews/{review.id}/reply", headers=world.seller_a.headers).json()[
        "code"
    ] == ("reply_not_found")


def test_reply_lifecycle(world: World, client: Any) -> None:
    review = review_by(world)
    url, seller = f"{API}/reviews/{review.id}/reply", world.seller_a.headers
    warned = client.post(url, json={"text": "Thanks for your feedback!"}, headers=seller)
    assert warned.status_code == 201, warned.text
    assert [w["rule"] for w in warned.json()["warnings"]] == ["no_acknowledgement"]
    is_problem(client.post(url, json={"text": "Sorry!"}, headers=seller), 409, "reply_exists")
    is_problem(client.put(url, json={"text": "x" * 501}, headers=seller), 422, "reply_too_long")
    edited = client.put(url, json={"text": "Sorry, a new shirt ships today."}, headers=seller)
    assert edited.status_code == 200 and edited.json()["version"] == 2
    assert edited.json()["warnings"] == []
    listed = client.get(f"{API}/public/shops/batik-house/products/linen-shirt/reviews").json()
    reply = listed["items"][0]["reply"]
    assert reply["text"] == "Sorry, a new shirt ships today."
    assert reply["shop_name"] == "Batik House" and reply["edited_at"]
    assert set(reply) == {"shop_name", "text", "replied_at", "edited_at"}
    assert client.delete(url, headers=seller).status_code == 204
    listed = client.get(f"{API}/public/shops/batik-house/reviews").json()
    assert listed["items"][0]["reply"] is None
    is_problem(client.delete(url, headers=seller), 404, "reply_not_found")


def test_reply_shows_under_its_review_on_the_pages(world: World, client: Any) -> None:
    review = review_by(world)
    client.post(
        f"{API}/reviews/{review.id}/reply",
        json={"text": "Sorry, a new shirt ships today."},
        headers=world.seller_a.headers,
    )
    for url in (PRODUCT_PAGE, "/shops/batik-house"):
        page = client.get(url).text
        card = page[page.index(f'id="review-{review.id}"') :]
        card = card[: card.index("</article>")]
        assert "Response from Batik House" in card
        assert "Sorry, a new shirt ships today." in card


def test_case_conversation(world: World, client: Any) -> None:
    review = review_by(world)
    seller, buyer = world.seller_a.headers, world.buyer_x.headers
    opened = client.post(
        f"{API}/reviews/{review.id}/case", json={"message": "Sorry! A photo?"}, headers=seller
    )
    assert opened.status_code == 201, opened.text
    case = opened.json()
    assert opened.headers["location"] == f"/api/v1/cases/{case['id']}"
    assert case["status"] == "waiting_for_buyer"
    is_problem(
        client.post(f"{API}/reviews/{review.id}/case", json={"message": "Hi"}, headers=seller),
        409,
        "case_exists",
    )
    mine = client.get(f"{API}/me/cases", headers=buyer).json()
    assert [c["id"] for c in mine["items"]] == [case["id"]]
    answered = client.post(
        f"{API}/cases/{case['id']}/messages", json={"text": "Photo sent."}, headers=buyer
    )
    assert answered.status_code == 201 and answered.json()["status"] == "open"
    assert [m["author"] for m in answered.json()["messages"]] == ["seller", "buyer"]
    waiting = client.get(
        f"{API}/shops/{world.shop_a}/cases", params={"status": "open"}, headers=seller
    ).json()
    assert [c["id"] for c in waiting["items"]] == [case["id"]]
    bad = client.post(
        f"{API}/cases/{case['id']}/resolve", json={"resolution": "voucher"}, headers=seller
    )
    is_problem(bad, 422, "validation_error")
    is_problem(
        client.post(
            f"{API}/cases/{case['id']}/resolve", json={"resolution": "refund"}, headers=buyer
        ),
        403,
        "seller_only",
    )
    resolved = client.post(
        f"{API}/cases/{case['id']}/resolve", json={"resolution": "refund"}, headers=seller
    )
    assert resolved.json()["status"] == "resolved" and resolved.json()["resolution"] == "refund"
    moderator = client.get(f"{API}/cases/{case['id']}", headers=world.moderator.headers)
    assert moderator.status_code == 200 and len(moderator.json()["messages"]) == 2
    positive = review_by(world, buyer="y", rating=5)
    is_problem(
        client.post(f"{API}/reviews/{positive.id}/case", json={"message": "Hi"}, headers=seller),
        409,
        "review_not_negative",
    )
    pressure = client.post(
        f"{API}/cases/{case['id']}/messages",
        json={"text": "We will refund you if you delete your review."},
        headers=seller,
    )
    assert is_problem(pressure, 422, "message_not_compliant")["findings"][0]["rule"] == "incentive"


def test_nothing_of_a_case_is_public(world: World, client: Any) -> None:
    seller_mark, buyer_mark = "Kestrelwhisk-7731", "Quokkaplume-5512"
    reply_mark = "Marmosetgleam-4420"
    review = review_by(world)
    seller = world.seller_a.headers
    client.post(
        f"{API}/reviews/{review.id}/reply",
        json={"text": f"Sorry about the seam, a new shirt ships today ({reply_mark})."},
        headers=seller,
    )
    case = client.post(
        f"{API}/reviews/{review.id}/case",
        json={"message": f"Sorry! Ref {seller_mark}: please send a photo."},
        headers=seller,
    ).json()
    answered = client.post(
        f"{API}/cases/{case['id']}/messages",
        json={"text": f"Here it is, {buyer_mark}."},
        headers=world.buyer_x.headers,
    )
    assert answered.status_code == 201, answered.text
    resolve = f"{API}/cases/{case['id']}/resolve"
    assert client.post(resolve, json={"resolution": "refund"}, headers=seller).status_code == 200
    bodies = walk_public_api(client)
    pages = crawl_public_pages(client, limit=150)
    assert any(PRODUCT_PAGE in url for url in pages)
    feeds = []
    for fmt in ("google", "meta", "csv", "jsonl"):
        feed = client.get(f"{API}/shops/{world.shop_a}/exports/{fmt}", headers=seller)
        assert feed.status_code == 200, feed.text
        feeds.append(feed.text)
    outputs = [*bodies, *pages.values(), *feeds]
    # The scan sees what is public: the reply, shown with the same review.
    assert any(reply_mark in text for text in bodies)
    assert any(reply_mark in html for html in pages.values())
    for mark in (seller_mark, buyer_mark):
        assert [text[:200] for text in outputs if mark in text] == []
    assert [text[:200] for text in bodies if "resolution" in text or "waiting_for" in text] == []
