"""Every API route refuses a foreign seller, a foreign buyer and an anonymous caller.

The cases are generated from the app's route table: a route added without an entry here
fails ``test_every_route_has_a_matrix_entry``. Each case also checks that the rightful
caller succeeds, so a refusal cannot come from a broken request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from builders import World, jpeg_with_gps, order_in
from reviewdesk.api.app import API_PREFIX, create_app
from reviewdesk.services import coupons, reviews
from reviewdesk.services.coupons import PromotionIn
from reviewdesk.services.orders import BuyerIn, OrderLineIn
from reviewdesk.services.reviews import MediaUpload

Fixture = dict[str, Any]


@dataclass
class Case:
    params: Callable[[World, Fixture], dict[str, Any]] = lambda w, f: {}
    body: Callable[[World, Fixture], Any] | None = None
    files: bool = False
    owner: str | None = "seller_a"
    # Outsiders whose request succeeds but must not see the owner's data: name -> check.
    filtered: dict[str, Callable[[World, Fixture, Any], bool]] = field(default_factory=dict)
    public: bool = False
    setup: Callable[[World, Fixture], None] | None = None


def _shop(w: World, f: Fixture) -> dict[str, Any]:
    return {"shop_id": w.shop_a}


def _product(w: World, f: Fixture) -> dict[str, Any]:
    return {"shop_id": w.shop_a, "product_id": w.product_a}


def _review(w: World, f: Fixture) -> dict[str, Any]:
    return {"review_id": f["review"].id}


def _promotion(w: World, f: Fixture) -> dict[str, Any]:
    return {"shop_id": w.shop_a, "promotion_id": f["promotion"].id}


def _order_body(w: World, f: Fixture) -> Any:
    return order_in(
        "matrix-order",
        BuyerIn(external_id="buyer-m"),
        [OrderLineIn(external_id="m-1", product_id=w.product_a)],
    ).model_dump(mode="json")


def _vote_first(w: World, f: Fixture) -> None:
    reviews.vote_helpful(w.platform, w.buyer_y.principal, f["review"].id)


CASES: dict[str, Case] = {
    "POST /sellers": Case(body=lambda w, f: {"name": "New seller"}, owner="operator"),
    "GET /sellers/{seller_id}": Case(params=lambda w, f: {"seller_id": f["seller_a_id"]}),
    "POST /sellers/{seller_id}/members": Case(
        params=lambda w, f: {"seller_id": f["seller_a_id"]},
        body=lambda w, f: {"email": "staff@batik.example", "name": "Staff"},
    ),
    "POST /shops": Case(
        body=lambda w, f: {"seller_id": f["seller_a_id"], "slug": "new-shop", "name": "New"}
    ),
    "GET /shops": Case(
        filtered={"seller_b": lambda w, f, body: all(s["id"] != w.shop_a for s in body)}
    ),
    "GET /shops/{shop_id}": Case(params=_shop),
    "POST /shops/{shop_id}/products": Case(
        params=_shop, body=lambda w, f: {"handle": "new-thing", "title": "New thing"}
    ),
    "GET /shops/{shop_id}/products": Case(params=_shop),
    "GET /shops/{shop_id}/products/{product_id}": Case(params=_product),
    "PATCH /shops/{shop_id}/products/{product_id}": Case(
        params=_product, body=lambda w, f: {"title": "Renamed"}
    ),
    "DELETE /shops/{shop_id}/products/{product_id}": Case(params=_product),
    "POST /shops/{shop_id}/products/{product_id}/variants": Case(
        params=_product, body=lambda w, f: {"sku": "LS-XL", "title": "XL"}
    ),
    "POST /shops/{shop_id}/orders": Case(params=_shop, body=_order_body),
    "POST /shops/{shop_id}/orders/bulk": Case(
        params=_shop, body=lambda w, f: {"orders": [_order_body(w, f)]}
    ),
    "GET /shops/{shop_id}/orders/{order_id}": Case(
        params=lambda w, f: {"shop_id": w.shop_a, "order_id": w.orders["seed-x"]}, owner="buyer_x"
    ),
    "POST /shops/{shop_id}/orders/{order_id}/events": Case(
        params=lambda w, f: {"shop_id": w.shop_a, "order_id": w.orders["seed-x"]},
        body=lambda w, f: {"status": "refunded", "occurred_at": f["now"]},
    ),
    "GET /me/orders": Case(
        owner="buyer_x",
        filtered={
            "buyer_y": lambda w, f, body: all(o["id"] != w.orders["seed-x"] for o in body["items"])
        },
    ),
    "POST /reviews": Case(
        body=lambda w, f: {"order_line_id": f["free_line"], "rating": 5}, owner="buyer_x"
    ),
    "GET /shops/{shop_id}/reviews": Case(params=_shop),
    "GET /reviews/{review_id}": Case(params=_review, owner="buyer_x"),
    "PATCH /reviews/{review_id}": Case(
        params=_review, body=lambda w, f: {"rating": 3}, owner="buyer_x"
    ),
    "DELETE /reviews/{review_id}": Case(params=_review, owner="buyer_x"),
    "GET /reviews/{review_id}/history": Case(params=_review, owner="buyer_x"),
    "POST /reviews/{review_id}/media": Case(params=_review, files=True, owner="buyer_x"),
    "DELETE /reviews/{review_id}/media/{media_id}": Case(
        params=lambda w, f: {"review_id": f["review"].id, "media_id": f["review"].media[0].id},
        owner="buyer_x",
    ),
    # Any buyer but the author may vote: the foreign buyer here is the author.
    "POST /reviews/{review_id}/helpful": Case(params=_review, owner="buyer_y"),
    "DELETE /reviews/{review_id}/helpful": Case(params=_review, owner="buyer_y", setup=_vote_first),
    "POST /shops/{shop_id}/promotions": Case(
        params=_shop,
        body=lambda w, f: {
            "name": "P2",
            "discount_kind": "percent",
            "discount_value": "10",
            "product_ids": [w.product_a2],
            "start_at": f["now"],
            "end_at": f["later"],
        },
    ),
    "GET /shops/{shop_id}/promotions/overview": Case(params=_shop),
    "GET /shops/{shop_id}/promotions/{promotion_id}": Case(params=_promotion),
    "PATCH /shops/{shop_id}/promotions/{promotion_id}": Case(
        params=_promotion, body=lambda w, f: {"name": "Renamed"}
    ),
    "POST /shops/{shop_id}/promotions/{promotion_id}/deactivate": Case(params=_promotion),
    "GET /shops/{shop_id}/promotions/{promotion_id}/coupons": Case(params=_promotion),
    "GET /me/coupons": Case(owner="buyer_x", filtered={"buyer_y": lambda w, f, body: body == []}),
    "POST /tokens": Case(body=lambda w, f: {"role": "operator"}, owner="operator"),
    "DELETE /tokens/{token_id}": Case(
        params=lambda w, f: {"token_id": w.seller_b.principal.token_id}, owner="operator"
    ),
    "GET /me": Case(
        owner="buyer_x",
        filtered={
            "seller_b": lambda w, f, body: body["seller_id"] != f["seller_a_id"],
            "buyer_y": lambda w, f, body: body["buyer_id"] != w.buyer_x.principal.buyer_id,
        },
    ),
    "GET /public/shops": Case(public=True),
    "GET /public/shops/{slug}": Case(public=True),
    "GET /public/shops/{slug}/reviews": Case(public=True),
    "GET /public/shops/{slug}/products": Case(public=True),
    "GET /public/shops/{slug}/products/{handle}": Case(public=True),
    "GET /public/shops/{slug}/products/{handle}/reviews": Case(public=True),
}


def api_routes() -> list[str]:
    from reviewdesk.config import Settings
    from reviewdesk.services.platform import InlineJobs, open_platform

    platform = open_platform(Settings(database_url="sqlite://"), jobs=InlineJobs())
    routes = [
        f"{method} {route.path.removeprefix(API_PREFIX)}"
        for route in iter_route_contexts(create_app(platform).routes)
        if isinstance(route.original_route, APIRoute) and route.path.startswith(API_PREFIX)
        for method in sorted(route.methods or ())
    ]
    platform.close()
    return routes


ROUTES = api_routes()


def test_every_route_has_a_matrix_entry() -> None:
    missing = sorted(set(ROUTES) - set(CASES))
    assert not missing, f"routes without an authorization-matrix entry: {missing}"
    stale = sorted(set(CASES) - set(ROUTES))
    assert not stale, f"matrix entries for routes that no longer exist: {stale}"


def _fixture(world: World) -> Fixture:

    from reviewdesk.services import catalog

    promotion = coupons.create_promotion(
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        PromotionIn(
            name="Photo reviews",
            discount_kind="fixed",
            discount_value=Decimal("5"),
            product_ids=[world.product_a],
            start_at=datetime.now(UTC) - timedelta(days=1),
            end_at=datetime.now(UTC) + timedelta(days=5),
        ),
    )
    review = reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=4,
        text="Nice",
        media=[MediaUpload(jpeg_with_gps((80, 60)), "a.jpg")],
    )
    free_line = world.deliver("free", "x", world.product_a)
    seller_a_id = catalog.get_shop(world.platform, world.operator.principal, world.shop_a).seller_id
    return {
        "review": review,
        "free_line": free_line,
        "seller_a_id": seller_a_id,
        "now": datetime.now(UTC).isoformat(),
        "later": (datetime.now(UTC) + timedelta(days=3)).isoformat(),
        "promotion": promotion,
    }


def _call(
    client: Any,
    method: str,
    path: str,
    case: Case,
    world: World,
    fx: Fixture,
    headers: dict[str, str],
) -> Any:
    params = {"slug": "batik-house", "handle": "linen-shirt", **case.params(world, fx)}
    url = API_PREFIX + path.format(**params)
    kwargs: dict[str, Any] = {"headers": headers}
    if case.body is not None:
        kwargs["json"] = case.body(world, fx)
    if case.files:
        kwargs["files"] = [("files", ("b.jpg", jpeg_with_gps((40, 40)), "image/jpeg"))]
    return client.request(method, url, **kwargs)


def _is_problem(response: Any) -> bool:
    body = response.json()
    return response.headers["content-type"].startswith("application/problem+json") and all(
        key in body for key in ("type", "title", "status", "detail", "code")
    )


@pytest.mark.parametrize("route", ROUTES)
def test_route_refuses_outsiders(route: str, world: World, client: Any) -> None:
    case = CASES[route]
    method, path = route.split(" ", 1)
    fx = _fixture(world)
    if case.setup:
        case.setup(world, fx)
    if case.public:
        response = _call(client, method, path, case, world, fx, {})
        assert response.status_code == 200, response.text
        return
    anonymous = _call(client, method, path, case, world, fx, {})
    assert anonymous.status_code == 401 and _is_problem(anonymous), anonymous.text
    bogus = _call(client, method, path, case, world, fx, {"Authorization": "Bearer rd_nope"})
    assert bogus.status_code == 401 and _is_problem(bogus), bogus.text
    outsiders = {"seller_b": world.seller_b, "buyer_y": world.buyer_y}
    if case.owner == "buyer_y":
        outsiders = {"seller_b": world.seller_b, "buyer_x": world.buyer_x}
    for name, actor in outsiders.items():
        response = _call(client, method, path, case, world, fx, actor.headers)
        if name in case.filtered:
            assert response.status_code == 200, (name, response.text)
            assert case.filtered[name](world, fx, response.json()), (name, response.text)
            continue
        assert response.status_code in (403, 404), (name, response.status_code, response.text)
        assert _is_problem(response), response.text
    owner = getattr(world, case.owner) if case.owner else None
    if owner is not None:
        response = _call(client, method, path, case, world, fx, owner.headers)
        assert response.status_code < 300, (case.owner, response.status_code, response.text)
