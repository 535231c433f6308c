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
    # A multipart form: (files, fields).
    form: Callable[[World, Fixture], tuple[dict[str, Any], dict[str, str]]] | None = None


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


IMPORT_CSV = (
    "id,title,body,rating,review_date,reviewer_name,product_handle,verified\n"
    "m-1,Mug,Chipped,2,2024-03-07,An,mystery-mug,buyer\n"
    "m-2,Shirt,Fine,5,2024-03-07,Bo,linen-shirt,buyer\n"
)


def _imported(w: World, f: Fixture) -> None:
    import io

    from reviewdesk.services import imported, imports

    f["job"] = imports.create_import(
        w.platform,
        w.seller_a.principal,
        w.shop_a,
        io.BytesIO(IMPORT_CSV.encode()),
        "judgeme.csv",
        imports.ImportOptions(source="judgeme", fetch_media=False),
    )
    f["unmatched"] = imported.list_imported_reviews(
        w.platform, w.seller_a.principal, w.shop_a, state="unmatched"
    ).items[0]


def _linked(w: World, f: Fixture) -> None:
    from reviewdesk.services import imported

    _imported(w, f)
    f["link"] = imported.link_product(
        w.platform,
        w.seller_a.principal,
        w.shop_a,
        imported.LinkIn(
            source="judgeme", product_key="handle:mystery-mug", product_id=w.product_a2
        ),
    )


def _job(w: World, f: Fixture) -> dict[str, Any]:
    return {"shop_id": w.shop_a, "job_id": f["job"].id}


def _vote_first(w: World, f: Fixture) -> None:
    reviews.vote_helpful(w.platform, w.buyer_y.principal, f["review"].id)


def _replied(w: World, f: Fixture) -> None:
    from reviewdesk.services import replies

    replies.create_reply(w.platform, w.seller_a.principal, f["review"].id, "Thank you!")


def _negative(w: World, f: Fixture) -> None:
    reviews.edit_review(w.platform, w.buyer_x.principal, f["review"].id, rating=2)


def _case(w: World, f: Fixture) -> None:
    from reviewdesk.services import cases

    _negative(w, f)
    f["case"] = cases.open_case(
        w.platform, w.seller_a.principal, f["review"].id, "Sorry to hear that; how can we help?"
    )


def _case_id(w: World, f: Fixture) -> dict[str, Any]:
    return {"case_id": f["case"].id}


EVIDENCE_PDF = b"%PDF-1.4\n%%EOF\n"


def _reported(w: World, f: Fixture) -> None:
    from reviewdesk.services import reports

    f["report"] = reports.report_review(
        w.platform,
        w.seller_a.principal,
        f["review"].id,
        reports.ReportIn(reason="abusive"),
        [reports.EvidenceUpload(EVIDENCE_PDF, "proof.pdf")],
    )


def _taken(w: World, f: Fixture) -> None:
    from reviewdesk.services import reports

    _reported(w, f)
    reports.take_report(w.platform, w.moderator.principal, f["report"].id)


def _report(w: World, f: Fixture) -> dict[str, Any]:
    return {"report_id": f["report"].id}


def _inbox_item(w: World, f: Fixture) -> None:
    from reviewdesk.services import inbox

    _negative(w, f)
    f["item"] = inbox.list_inbox(w.platform, w.seller_a.principal).items[0]


def _webhook_endpoint(w: World, f: Fixture) -> None:
    from reviewdesk.services import alerts

    # A loopback URL: refused by the address rules, so no request leaves the test.
    f["endpoint"] = alerts.create_webhook_endpoint(
        w.platform,
        w.seller_a.principal,
        w.shop_a,
        alerts.WebhookEndpointIn(url="http://127.0.0.1:9/matrix"),
    )


def _alerting(w: World, f: Fixture) -> None:
    from reviewdesk.services import alert_delivery, alerts

    _webhook_endpoint(w, f)
    f["rule"] = alerts.create_alert_rule(
        w.platform,
        w.seller_a.principal,
        w.shop_a,
        alerts.AlertRuleIn(channel="webhook", endpoint_id=f["endpoint"].id),
    )
    _negative(w, f)
    f["delivery"] = alert_delivery.list_deliveries(
        w.platform, w.seller_a.principal, w.shop_a
    ).items[0]


def _endpoint_id(w: World, f: Fixture) -> dict[str, Any]:
    return {"shop_id": w.shop_a, "endpoint_id": f["endpoint"].id}


def _rule_id(w: World, f: Fixture) -> dict[str, Any]:
    return {"shop_id": w.shop_a, "rule_id": f["rule"].id}


def _delivery_id(w: World, f: Fixture) -> dict[str, Any]:
    return {"shop_id": w.shop_a, "delivery_id": f["delivery"].id}


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
    "GET /reviews/{review_id}/reply": Case(params=_review, setup=_replied),
    "POST /reviews/{review_id}/reply": Case(params=_review, body=lambda w, f: {"text": "Thanks!"}),
    "PUT /reviews/{review_id}/reply": Case(
        params=_review, setup=_replied, body=lambda w, f: {"text": "Thank you so much!"}
    ),
    "DELETE /reviews/{review_id}/reply": Case(params=_review, setup=_replied),
    "POST /reviews/{review_id}/case": Case(
        params=_review, setup=_negative, body=lambda w, f: {"message": "How can we help?"}
    ),
    "GET /shops/{shop_id}/cases": Case(params=_shop, setup=_case),
    "GET /me/cases": Case(
        owner="buyer_x", setup=_case, filtered={"buyer_y": lambda w, f, body: body["items"] == []}
    ),
    "GET /cases/{case_id}": Case(params=_case_id, setup=_case),
    "POST /cases/{case_id}/messages": Case(
        params=_case_id, setup=_case, body=lambda w, f: {"text": "Any news?"}, owner="buyer_x"
    ),
    "POST /cases/{case_id}/resolve": Case(
        params=_case_id, setup=_case, body=lambda w, f: {"resolution": "explanation"}
    ),
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
    "GET /shops/{shop_id}/exports/{format}": Case(
        params=lambda w, f: {"shop_id": w.shop_a, "format": "google"}
    ),
    "POST /shops/{shop_id}/imports": Case(
        params=_shop,
        form=lambda w, f: (
            {"file": ("reviews.csv", IMPORT_CSV.encode(), "text/csv")},
            {"source": "judgeme", "fetch_media": "false"},
        ),
    ),
    "GET /shops/{shop_id}/imports": Case(params=_shop, setup=_imported),
    "GET /shops/{shop_id}/imports/{job_id}": Case(params=_job, setup=_imported),
    "GET /shops/{shop_id}/imports/{job_id}/problems": Case(params=_job, setup=_imported),
    "GET /shops/{shop_id}/imports/{job_id}/report.csv": Case(params=_job, setup=_imported),
    "GET /shops/{shop_id}/imported-reviews": Case(params=_shop, setup=_imported),
    "DELETE /shops/{shop_id}/imported-reviews/{imported_review_id}": Case(
        params=lambda w, f: {"shop_id": w.shop_a, "imported_review_id": f["unmatched"].id},
        setup=_imported,
    ),
    "GET /shops/{shop_id}/imported-products": Case(params=_shop, setup=_imported),
    "POST /shops/{shop_id}/imported-products/delete": Case(
        params=_shop,
        setup=_imported,
        body=lambda w, f: {"source": "judgeme", "product_key": "handle:mystery-mug"},
    ),
    "GET /shops/{shop_id}/import-links": Case(params=_shop, setup=_linked),
    "POST /shops/{shop_id}/import-links": Case(
        params=_shop,
        setup=_imported,
        body=lambda w, f: {
            "source": "judgeme",
            "product_key": "handle:mystery-mug",
            "product_id": w.product_a2,
        },
    ),
    "DELETE /shops/{shop_id}/import-links/{link_id}": Case(
        params=lambda w, f: {"shop_id": w.shop_a, "link_id": f["link"].id}, setup=_linked
    ),
    "GET /moderation/queue": Case(owner="moderator"),
    "POST /moderation/reviews/{review_id}/decisions": Case(
        params=_review,
        owner="moderator",
        body=lambda w, f: {"action": "hide", "reason": "matrix"},
    ),
    "GET /moderation/reviews/{review_id}/decisions": Case(params=_review, owner="moderator"),
    "POST /reviews/{review_id}/reports": Case(
        params=_review,
        form=lambda w, f: (
            {"evidence": ("proof.pdf", EVIDENCE_PDF, "application/pdf")},
            {"reason": "abusive"},
        ),
    ),
    "GET /shops/{shop_id}/reports": Case(params=_shop, setup=_reported),
    "GET /reports/{report_id}": Case(params=_report, setup=_reported),
    "GET /reports/{report_id}/evidence/{evidence_id}": Case(
        params=lambda w, f: {
            "report_id": f["report"].id,
            "evidence_id": f["report"].evidence[0].id,
        },
        setup=_reported,
    ),
    "GET /moderation/reports": Case(owner="moderator", setup=_reported),
    "POST /moderation/reports/{report_id}/take": Case(
        params=_report, owner="moderator", setup=_reported, body=lambda w, f: {"hide": True}
    ),
    "POST /moderation/reports/{report_id}/decision": Case(
        params=_report,
        owner="moderator",
        setup=_taken,
        body=lambda w, f: {"outcome": "upheld", "note": "Abusive."},
    ),
    "GET /shops/{shop_id}/nrr": Case(params=_shop),
    "GET /shops/{shop_id}/products/{product_id}/nrr": Case(params=_product),
    "POST /shops/{shop_id}/webhook-endpoints": Case(
        params=_shop, body=lambda w, f: {"url": "https://hooks.example.com/reviewdesk"}
    ),
    "GET /shops/{shop_id}/webhook-endpoints": Case(params=_shop, setup=_webhook_endpoint),
    "POST /shops/{shop_id}/webhook-endpoints/{endpoint_id}/rotate-secret": Case(
        params=_endpoint_id, setup=_webhook_endpoint
    ),
    "POST /shops/{shop_id}/webhook-endpoints/{endpoint_id}/deactivate": Case(
        params=_endpoint_id, setup=_webhook_endpoint
    ),
    "POST /shops/{shop_id}/alert-rules": Case(params=_shop, body=lambda w, f: {"channel": "inbox"}),
    "GET /shops/{shop_id}/alert-rules": Case(params=_shop),
    "PATCH /shops/{shop_id}/alert-rules/{rule_id}": Case(
        params=_rule_id, setup=_alerting, body=lambda w, f: {"active": False}
    ),
    "DELETE /shops/{shop_id}/alert-rules/{rule_id}": Case(params=_rule_id, setup=_alerting),
    "GET /shops/{shop_id}/alert-deliveries": Case(params=_shop, setup=_alerting),
    "GET /shops/{shop_id}/alert-deliveries/{delivery_id}": Case(
        params=_delivery_id, setup=_alerting
    ),
    "POST /shops/{shop_id}/alert-deliveries/{delivery_id}/redeliver": Case(
        params=_delivery_id, setup=_alerting
    ),
    "GET /inbox": Case(
        setup=_inbox_item,
        filtered={
            "seller_b": lambda w, f, body: (
                body["items"] == []
                and all(c["shop_id"] != w.shop_a for c in body["counts"]["shops"])
            )
        },
    ),
    "PATCH /inbox/{item_id}": Case(
        params=lambda w, f: {"item_id": f["item"].id},
        setup=_inbox_item,
        body=lambda w, f: {"handled": True},
    ),
    "POST /inbox/batch": Case(
        setup=_inbox_item, body=lambda w, f: {"action": "mark_handled", "ids": [f["item"].id]}
    ),
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
    if case.form is not None:
        kwargs["files"], kwargs["data"] = case.form(world, fx)
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
    if case.owner == "moderator":
        # Moderator-only: the shop's own seller and every buyer are outsiders too.
        outsiders = {**outsiders, "seller_a": world.seller_a, "buyer_x": world.buyer_x}
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
