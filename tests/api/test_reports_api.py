"""Reports and NRR over HTTP: multipart reports, evidence downloads, problem codes, shapes."""

from __future__ import annotations

from typing import Any

from builders import World, jpeg_with_gps
from reviewdesk.services import reviews

PDF = b"%PDF-1.7\n%%EOF\n"


def _review(world: World, rating: int = 1) -> int:
    return reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=rating,
        text="The stitching came apart after one wash.",
    ).id


def test_report_journey_over_http(world: World, client: Any) -> None:
    review_id = _review(world)
    seller, moderator = world.seller_a.headers, world.moderator.headers
    created = client.post(
        f"/api/v1/reviews/{review_id}/reports",
        headers=seller,
        data={"reason": "false_or_misleading", "note": "Wrong product."},
        files=[
            ("evidence", ("chat.png.jpg", jpeg_with_gps((30, 20)), "image/png")),
            ("evidence", ("invoice.pdf", PDF, "application/pdf")),
        ],
    )
    assert created.status_code == 201, created.text
    report = created.json()
    assert created.headers["Location"] == f"/api/v1/reports/{report['id']}"
    assert [e["mime"] for e in report["evidence"]] == ["image/jpeg", "application/pdf"]

    again = client.post(
        f"/api/v1/reviews/{review_id}/reports", headers=seller, data={"reason": "abusive"}
    )
    assert again.status_code == 409 and again.json()["code"] == "report_already_open"

    download = client.get(report["evidence"][1]["url"], headers=moderator)
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"].startswith("attachment")

    queue = client.get(
        "/api/v1/moderation/reports", headers=moderator, params={"reason": "false_or_misleading"}
    )
    assert [r["id"] for r in queue.json()["items"]] == [report["id"]]
    refused = client.get("/api/v1/moderation/reports", headers=seller)
    assert refused.status_code == 403 and refused.json()["code"] == "moderator_only"

    taken = client.post(
        f"/api/v1/moderation/reports/{report['id']}/take", headers=moderator, json={"hide": True}
    )
    assert taken.status_code == 200 and taken.json()["review_hidden"] is True
    decided = client.post(
        f"/api/v1/moderation/reports/{report['id']}/decision",
        headers=moderator,
        json={"outcome": "upheld", "note": "The order shows the right product."},
    )
    assert decided.status_code == 200 and decided.json()["review"]["status"] == "removed"

    listed = client.get(
        f"/api/v1/shops/{world.shop_a}/reports", headers=seller, params={"status": "upheld"}
    ).json()["items"]
    assert listed[0]["moderator_note"] == "The order shows the right product."
    assert listed[0]["decided_at"] and listed[0]["in_review_at"] and listed[0]["created_at"]
    public = client.get("/api/v1/public/shops/batik-house/products/linen-shirt").json()
    assert public["rating"]["count"] == 0


def test_report_problems_over_http(world: World, client: Any) -> None:
    review_id = _review(world)
    url = f"/api/v1/reviews/{review_id}/reports"
    headers = world.seller_a.headers
    note = client.post(url, headers=headers, data={"reason": "other"})
    assert note.status_code == 422 and note.json()["code"] == "note_required"
    unknown = client.post(url, headers=headers, data={"reason": "boring"})
    assert unknown.status_code == 422
    world.platform.settings = world.platform.settings.model_copy(
        update={"report_evidence_max_bytes": 8}
    )
    big = client.post(
        url,
        headers=headers,
        data={"reason": "abusive"},
        files=[("evidence", ("a.pdf", PDF, "application/pdf"))],
    )
    assert big.status_code == 413 and big.json()["code"] == "evidence_too_large"


def test_nrr_over_http(world: World, client: Any) -> None:
    _review(world, rating=2)
    body = client.get(f"/api/v1/shops/{world.shop_a}/nrr", headers=world.seller_a.headers)
    assert body.status_code == 200, body.text
    report = body.json()
    assert report["product_id"] is None and len(report["daily"]) == 61
    seven = report["windows"][0]
    assert seven["window_days"] == 7
    assert seven["nrr"] == {
        "negative_reviews": 1,
        "delivered_order_lines": 2,
        "percent": 50.0,
    }
    assert seven["seller_attributable_nrr"]["negative_reviews"] == 1
    product = client.get(
        f"/api/v1/shops/{world.shop_a}/products/{world.product_a2}/nrr",
        headers=world.operator.headers,
    ).json()
    assert product["product_id"] == world.product_a2
    assert product["windows"][0]["nrr"]["percent"] is None
