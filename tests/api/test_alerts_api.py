"""Alerts and the inbox over HTTP: shapes, problem documents, the secret shown once."""

from __future__ import annotations

from typing import Any

from builders import World
from reviewdesk.services import reviews

API = "/api/v1"


def negative(world: World) -> int:
    return reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=1,
        text="The seam tore on the first day.",
    ).id


def is_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    return body


def test_the_signing_secret_is_shown_on_create_and_rotate_only(world: World, client: Any) -> None:
    url = f"{API}/shops/{world.shop_a}/webhook-endpoints"
    seller = world.seller_a.headers
    created = client.post(url, json={"url": "https://hooks.example.com/rd"}, headers=seller)
    assert created.status_code == 201, created.text
    secret = created.json()["secret"]
    assert secret.startswith("whsec_") and len(secret) > 40
    (listed,) = client.get(url, headers=seller).json()
    assert "secret" not in listed and secret not in str(listed)
    rotated = client.post(f"{url}/{listed['id']}/rotate-secret", headers=seller).json()
    assert rotated["secret"] != secret
    is_problem(
        client.post(url, json={"url": "https://user:pw@hooks.example.com/"}, headers=seller),
        422,
        "invalid_webhook_url",
    )


def test_rule_problems_are_problem_documents(world: World, client: Any) -> None:
    url = f"{API}/shops/{world.shop_a}/alert-rules"
    seller = world.seller_a.headers
    is_problem(
        client.post(url, json={"channel": "email", "email": "a@b.example"}, headers=seller),
        409,
        "smtp_not_configured",
    )
    is_problem(
        client.post(url, json={"channel": "inbox", "events": ["review.deleted"]}, headers=seller),
        422,
        "validation_error",
    )
    created = client.post(url, json={"channel": "inbox"}, headers=seller)
    assert created.status_code == 201 and created.json()["events"] == ["review.negative"]
    listed = client.get(url, headers=seller).json()
    assert listed["default_applies"] is False and len(listed["items"]) == 1


def test_the_inbox_over_http(world: World, client: Any) -> None:
    review_id = negative(world)
    seller = world.seller_a.headers
    page = client.get(f"{API}/inbox", headers=seller).json()
    (item,) = page["items"]
    assert item["review_id"] == review_id and item["shop_name"] == "Batik House"
    assert page["counts"]["unhandled"] == 1
    assert {c["shop_id"]: c["unhandled"] for c in page["counts"]["shops"]} == {world.shop_a: 1}
    is_problem(
        client.post(
            f"{API}/inbox/batch",
            json={"action": "mark_handled", "ids": [item["id"]], "filter": {}},
            headers=seller,
        ),
        422,
        "validation_error",
    )
    done = client.post(
        f"{API}/inbox/batch",
        json={"action": "mark_handled", "filter": {"up_to_id": item["id"]}},
        headers=seller,
    )
    assert done.json() == {"action": "mark_handled", "updated": 1}
    assert client.get(f"{API}/inbox", headers=seller).json()["counts"]["unhandled"] == 0
    handled = client.get(f"{API}/inbox", params={"state": "handled"}, headers=seller).json()
    assert [i["id"] for i in handled["items"]] == [item["id"]]
    reopened = client.patch(f"{API}/inbox/{item['id']}", json={"handled": False}, headers=seller)
    assert reopened.json()["handled_at"] is None
    is_problem(client.get(f"{API}/inbox", headers=world.operator.headers), 422, "seller_required")
    is_problem(client.get(f"{API}/inbox", headers=world.buyer_x.headers), 403, "sellers_only")
