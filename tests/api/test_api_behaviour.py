"""The REST API: problem documents, idempotency keys, the order feed, public lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from builders import World, order_in
from reviewdesk.services import reviews
from reviewdesk.services.orders import BuyerIn, OrderLineIn

API = "/api/v1"


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code and body["status"] == status
    assert body["type"] == f"urn:reviewdesk:problem:{code}"
    assert body["title"] and body["detail"]
    return body


def test_invalid_gtin_is_a_422_problem_naming_the_field(world: World, client: Any) -> None:
    response = client.post(
        f"{API}/shops/{world.shop_a}/products",
        headers=world.seller_a.headers,
        json={
            "handle": "mug",
            "title": "Mug",
            "variants": [{"sku": "MUG-1", "codes": [{"value": "4006381333932"}]}],
        },
    )
    body = assert_problem(response, 422, "invalid_product_code")
    assert body["field"] == "variants[0].codes[0].value"
    assert "check digit" in body["detail"]


def test_validation_errors_are_problems_with_fields(world: World, client: Any) -> None:
    response = client.post(f"{API}/reviews", headers=world.buyer_x.headers, json={"rating": "five"})
    body = assert_problem(response, 422, "validation_error")
    fields = {e["field"] for e in body["errors"]}
    assert {"order_line_id", "rating"} <= fields


def test_unknown_route_and_method_are_problems(client: Any) -> None:
    assert_problem(client.get(f"{API}/nowhere"), 404, "not_found")
    assert_problem(client.put(f"{API}/public/shops"), 405, "method_not_allowed")


def test_malformed_json_is_a_problem(world: World, client: Any) -> None:
    response = client.post(
        f"{API}/reviews",
        headers={**world.buyer_x.headers, "content-type": "application/json"},
        content=b"{not json",
    )
    assert_problem(response, 422, "validation_error")


def test_review_refusal_codes_over_http(world: World, client: Any) -> None:
    line = world.deliver("late", "x", world.product_a, placed_days_ago=90, delivered_days_ago=70)
    response = client.post(
        f"{API}/reviews", headers=world.buyer_x.headers, json={"order_line_id": line, "rating": 5}
    )
    assert_problem(response, 409, "review_window_closed")
    response = client.post(
        f"{API}/reviews",
        headers=world.buyer_y.headers,
        json={"order_line_id": world.lines["seed-x"], "rating": 5},
    )
    assert_problem(response, 403, "not_your_order")


def test_idempotency_key_replays_same_request(world: World, client: Any) -> None:
    headers = {**world.buyer_x.headers, "Idempotency-Key": "review-1"}
    body = {"order_line_id": world.lines["seed-x"], "rating": 5, "text": "Great"}
    first = client.post(f"{API}/reviews", headers=headers, json=body)
    assert first.status_code == 201
    again = client.post(f"{API}/reviews", headers=headers, json=body)
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    other = client.post(f"{API}/reviews", headers=headers, json={**body, "rating": 1})
    assert_problem(other, 422, "idempotency_key_reused")
    # Without the key the same body is a new attempt, refused by the rules themselves.
    plain = client.post(f"{API}/reviews", headers=world.buyer_x.headers, json=body)
    assert_problem(plain, 409, "already_reviewed")


def test_idempotency_keys_are_per_caller(world: World, client: Any) -> None:
    world.deliver("other", "y", world.product_a)
    x = client.post(
        f"{API}/reviews",
        headers={**world.buyer_x.headers, "Idempotency-Key": "k"},
        json={"order_line_id": world.lines["seed-x"], "rating": 5},
    )
    y = client.post(
        f"{API}/reviews",
        headers={**world.buyer_y.headers, "Idempotency-Key": "k"},
        json={"order_line_id": world.lines["other"], "rating": 4},
    )
    assert x.status_code == y.status_code == 201 and x.json()["id"] != y.json()["id"]


def _order(external_id: str, **kwargs: Any) -> dict[str, Any]:
    return order_in(
        external_id,
        BuyerIn(external_id="feed-buyer", email="f@example.org"),
        [OrderLineIn(external_id="l1", sku="LS-M", quantity=2)],
        **kwargs,
    ).model_dump(mode="json")


def test_order_feed_is_idempotent(world: World, client: Any) -> None:
    url = f"{API}/shops/{world.shop_a}/orders"
    first = client.post(url, headers=world.seller_a.headers, json=_order("ORD-1"))
    assert first.status_code == 200 and first.json()["outcome"] == "created"
    order = first.json()["order"]
    assert order["status"] == "delivered" and order["lines"][0]["variant_id"] is not None
    again = client.post(url, headers=world.seller_a.headers, json=_order("ORD-1"))
    assert again.json()["outcome"] == "unchanged" and again.json()["order"] == order
    event = {"status": "refunded", "occurred_at": datetime.now(UTC).isoformat()}
    events_url = f"{url}/{order['id']}/events"
    assert (
        client.post(events_url, headers=world.seller_a.headers, json=event).json()["outcome"]
        == "updated"
    )
    assert (
        client.post(events_url, headers=world.seller_a.headers, json=event).json()["outcome"]
        == "unchanged"
    )


def test_order_feed_refuses_impossible_timelines(world: World, client: Any) -> None:
    url = f"{API}/shops/{world.shop_a}/orders"
    created = client.post(
        url, headers=world.seller_a.headers, json=_order("ORD-2", delivered_days_ago=None)
    ).json()["order"]
    events = f"{url}/{created['id']}/events"
    now = datetime.now(UTC)
    assert_problem(
        client.post(
            events,
            headers=world.seller_a.headers,
            json={"status": "delivered", "occurred_at": (now + timedelta(days=2)).isoformat()},
        ),
        422,
        "event_in_future",
    )
    client.post(
        events,
        headers=world.seller_a.headers,
        json={"status": "cancelled", "occurred_at": now.isoformat()},
    )
    assert_problem(
        client.post(
            events,
            headers=world.seller_a.headers,
            json={"status": "delivered", "occurred_at": now.isoformat()},
        ),
        409,
        "invalid_order_transition",
    )
    changed = _order("ORD-2")
    changed["lines"][0]["quantity"] = 5
    assert_problem(
        client.post(url, headers=world.seller_a.headers, json=changed), 409, "order_line_changed"
    )


def test_bulk_feed_reports_each_row(world: World, client: Any) -> None:
    bad = _order("ORD-BAD")
    bad["lines"][0] = {"external_id": "l1", "gtin": "4006381333932"}
    missing = _order("ORD-MISSING")
    missing["lines"][0] = {"external_id": "l1", "sku": "NOPE"}
    body = {"orders": [_order("ORD-A"), bad, _order("ORD-A"), missing, _order("ORD-B")]}
    response = client.post(
        f"{API}/shops/{world.shop_a}/orders/bulk", headers=world.seller_a.headers, json=body
    )
    assert response.status_code == 200
    result = response.json()
    outcomes = [
        (r["index"], r["outcome"], (r["error"] or {}).get("code")) for r in result["results"]
    ]
    assert outcomes == [
        (0, "created", None),
        (1, "error", "invalid_product_code"),
        (2, "unchanged", None),
        (3, "error", "variant_not_found"),
        (4, "created", None),
    ]
    assert result["counts"] == {"created": 2, "error": 2, "unchanged": 1}
    again = client.post(
        f"{API}/shops/{world.shop_a}/orders/bulk", headers=world.seller_a.headers, json=body
    ).json()
    assert again["counts"] == {"unchanged": 3, "error": 2}


def _seed_reviews(world: World, count: int) -> list[int]:
    ids = []
    for i in range(count):
        line = world.deliver(f"pg-{i}", "x" if i % 2 else "y", world.product_a)
        actor = world.buyer_x if i % 2 else world.buyer_y
        review = reviews.submit_review(
            world.platform,
            actor.principal,
            order_line_id=line,
            rating=i % 5 + 1,
            text=f"review number {i}" if i % 3 else None,
        )
        ids.append(review.id)
    return ids


def test_keyset_pagination_walks_every_review_once(world: World, client: Any) -> None:
    ids = _seed_reviews(world, 23)
    for i in range(6):  # even-numbered reviews are buyer y's: buyer x votes on them
        reviews.vote_helpful(world.platform, world.buyer_x.principal, ids[i * 2])
    url = f"{API}/public/shops/batik-house/products/linen-shirt/reviews"
    for sort in ("newest", "most_helpful", "highest", "lowest"):
        seen: list[dict[str, Any]] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"sort": sort, "limit": 5}
            if cursor:
                params["cursor"] = cursor
            page = client.get(url, params=params).json()
            seen.extend(page["items"])
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert sorted(r["id"] for r in seen) == sorted(ids), sort
        keys = {
            "newest": lambda r: (r["published_at"], r["id"]),
            "most_helpful": lambda r: (r["helpful_count"], r["id"]),
            "highest": lambda r: (r["rating"], r["id"]),
            "lowest": lambda r: (-r["rating"], r["id"]),
        }[sort]
        assert [keys(r) for r in seen] == sorted((keys(r) for r in seen), reverse=True), sort


def test_filters_narrow_the_list(world: World, client: Any) -> None:
    _seed_reviews(world, 15)
    url = f"{API}/public/shops/batik-house/products/linen-shirt/reviews"
    ones_and_twos = client.get(url, params={"stars": [1, 2], "limit": 100}).json()["items"]
    assert ones_and_twos and {r["rating"] for r in ones_and_twos} <= {1, 2}
    with_text = client.get(url, params={"with_text": "true", "limit": 100}).json()["items"]
    without = client.get(url, params={"with_text": "false", "limit": 100}).json()["items"]
    assert all(r["text"] for r in with_text) and not any(r["text"] for r in without)
    assert len(with_text) + len(without) == 15
    assert client.get(url, params={"imported": "true"}).json()["items"] == []
    assert client.get(url, params={"verified": "true", "limit": 100}).json()["items"]
    assert_problem(client.get(url, params={"stars": 7}), 422, "invalid_filter")
    assert_problem(client.get(url, params={"cursor": "garbage!"}), 422, "invalid_cursor")
    newest = client.get(url, params={"limit": 2}).json()["next_cursor"]
    assert_problem(
        client.get(url, params={"cursor": newest, "sort": "highest"}), 422, "invalid_cursor"
    )


def test_public_summary_matches_reviews(world: World, client: Any) -> None:
    _seed_reviews(world, 10)
    summary = client.get(f"{API}/public/shops/batik-house/products/linen-shirt").json()
    ratings = [i % 5 + 1 for i in range(10)]
    assert summary["rating"]["count"] == 10
    assert summary["rating"]["average"] == round(sum(ratings) / 10, 1)
    assert summary["rating"]["histogram"] == {str(s): ratings.count(s) for s in range(1, 6)}
    assert summary["gtins"] == ["04006381333931"]
    shop = client.get(f"{API}/public/shops/batik-house").json()
    assert shop["rating"]["count"] == 10
    assert_problem(client.get(f"{API}/public/shops/nope"), 404, "shop_not_found")


def test_openapi_document_is_served(client: Any) -> None:
    spec = client.get(f"{API}/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert f"{API}/public/shops/{{slug}}/products/{{handle}}/reviews" in spec["paths"]
