"""Alerts: what raises one, where it goes, how webhooks and e-mails are delivered and retried.

Delivery runs inline here (``InlineJobs`` attempts each delivery once at commit); retries
are driven by ``deliver_due``, as the worker's tasks drive them (tests/worker).
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from alert_receiver import SmtpReceiver, WebhookReceiver, free_port
from builders import World, refused
from reviewdesk.config import Settings
from reviewdesk.db.alerts import AlertEvent, Delivery
from reviewdesk.domain.alerts import next_attempt_at, retry_delay
from reviewdesk.domain.principals import OPERATOR
from reviewdesk.services import alert_delivery, alerts, catalog, inbox, moderation, reviews
from reviewdesk.services.alerts import AlertRuleIn, AlertRulePatch, WebhookEndpointIn
from reviewdesk.services.catalog import ProductIn
from reviewdesk.services.inbox import InboxBatchIn, InboxFilter, InboxItemPatch
from reviewdesk.services.reviews import ReviewView

TORN = "The shirt arrived torn at the seam."
ANGRY = (
    "Terrible quality. The seam ripped after one wash and the colour faded. "
    "Very disappointed, waste of money."
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Webhook receivers of these tests listen on 127.0.0.1; retries come fast.
    return settings.model_copy(
        update={"webhook_allow_private": True, "alert_retry_base_seconds": 0.05}
    )


def review(world: World, buyer: str = "x", rating: int = 2, text: str = TORN) -> ReviewView:
    actor = world.buyer_x if buyer == "x" else world.buyer_y
    return reviews.submit_review(
        world.platform,
        actor.principal,
        order_line_id=world.lines[f"seed-{buyer}"],
        rating=rating,
        text=text,
    )


def events(world: World) -> list[AlertEvent]:
    with world.platform.db.read() as session:
        return list(session.scalars(select(AlertEvent).order_by(AlertEvent.id)))


def hook(
    world: World, url: str, events: list[str] | None = None
) -> alerts.WebhookEndpointWithSecret:
    endpoint = alerts.create_webhook_endpoint(
        world.platform, world.seller_a.principal, world.shop_a, WebhookEndpointIn(url=url)
    )
    alerts.create_alert_rule(
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        AlertRuleIn(
            channel="webhook", endpoint_id=endpoint.id, events=events or ["review.negative"]
        ),
    )
    return endpoint


def only_delivery(world: World) -> alert_delivery.DeliveryDetail:
    page = alert_delivery.list_deliveries(world.platform, world.seller_a.principal, world.shop_a)
    (delivery,) = page.items
    return alert_delivery.get_delivery(
        world.platform, world.seller_a.principal, world.shop_a, delivery.id
    )


def settle(world: World, seconds: float = 10) -> alert_delivery.DeliveryDetail:
    """Drive retries as the worker would until the delivery is no longer pending."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alert_delivery.deliver_due(world.platform)
        detail = only_delivery(world)
        if detail.status != "pending":
            return detail
        time.sleep(0.02)
    return only_delivery(world)


# ---- what raises an alert -------------------------------------------------------------------


def test_a_negative_review_lands_in_the_shops_inbox_by_default(world: World) -> None:
    written = review(world, rating=2)
    (event,) = events(world)
    assert event.type == "review.negative" and event.review_id == written.id
    page = inbox.list_inbox(world.platform, world.seller_a.principal)
    (item,) = page.items
    assert item.shop_id == world.shop_a and item.kind == "review.negative"
    assert item.rating == 2 and item.product_title == "Linen shirt" and item.reviewer == "x***a"
    assert item.title.startswith("2-star review of Linen shirt")
    assert page.counts.unhandled == 1 and page.counts.unread == 1
    assert alerts.list_alert_rules(
        world.platform, world.seller_a.principal, world.shop_a
    ).default_applies


def test_positive_and_neutral_reviews_raise_nothing(world: World) -> None:
    review(world, "x", rating=5, text="Lovely shirt, fits well.")
    review(world, "y", rating=3, text="Decent quality for the price, delivery was quick.")
    assert events(world) == []
    assert inbox.list_inbox(world.platform, world.seller_a.principal).items == []


def test_negative_sentiment_alerts_even_with_three_stars(world: World) -> None:
    review(world, rating=3, text=ANGRY)
    (event,) = events(world)
    assert json.loads(event.payload)["review"]["negative_because"] == ["sentiment"]


def test_an_edit_alerts_when_the_review_becomes_negative_and_not_again_while_it_stays(
    world: World,
) -> None:
    written = review(world, rating=5, text="Lovely shirt, fits well.")
    buyer = world.buyer_x.principal
    reviews.edit_review(world.platform, buyer, written.id, rating=1, text=TORN)
    reviews.edit_review(world.platform, buyer, written.id, rating=2)  # still negative
    assert [e.type for e in events(world)] == ["review.negative"]
    reviews.edit_review(world.platform, buyer, written.id, rating=5, text="Replaced, lovely.")
    reviews.edit_review(world.platform, buyer, written.id, rating=1, text=TORN)
    assert [e.type for e in events(world)] == [
        "review.negative",
        "review.no_longer_negative",
        "review.negative",
    ]
    # The default sends only negatives to the inbox.
    assert len(inbox.list_inbox(world.platform, world.seller_a.principal).items) == 2


def test_a_held_review_still_alerts_the_seller(world: World) -> None:
    written = review(
        world, rating=1, text="Bad shirt, buy a better one at http://cheap.example.com"
    )
    assert written.status == moderation.HELD
    (event,) = events(world)
    assert json.loads(event.payload)["review"]["status"] == "held"
    (item,) = inbox.list_inbox(world.platform, world.seller_a.principal).items
    assert "(held for moderation)" in item.title


def test_the_payload_carries_nothing_personal_of_the_buyer(world: World) -> None:
    written = review(world, rating=1, text="Xandra here, call +6281234567890: the shirt tore.")
    (event,) = events(world)
    payload = json.loads(event.payload)
    text = event.payload
    for personal in (
        "xandra.quill@example.org",
        "Xandra",
        "Quillfeather",
        "6281234567890",
        "Jalan Melati",
        "buyer-x",
    ):
        assert personal not in text, personal
    assert payload["review"]["reviewer"] == "x***a"
    assert payload["review"]["id"] == written.id
    assert payload["review"]["product"] == {
        "id": world.product_a,
        "handle": "linen-shirt",
        "title": "Linen shirt",
    }
    assert payload["review"]["url"].endswith("/shops/batik-house/products/linen-shirt")


# ---- rules ----------------------------------------------------------------------------------


def test_rules_choose_what_goes_where_and_replace_the_default(world: World) -> None:
    seller = world.seller_a.principal
    with WebhookReceiver() as receiver:
        endpoint = hook(world, receiver.url, events=["review.no_longer_negative"])
        receiver.secret = endpoint.secret
        written = review(world, rating=1)
        # The shop has a rule now, and none sends negatives anywhere: no inbox item either.
        assert inbox.list_inbox(world.platform, seller).items == []
        assert receiver.received == []
        reviews.edit_review(world.platform, world.buyer_x.principal, written.id, rating=5)
        (got,) = receiver.received
        assert got.headers["x-reviewdesk-event"] == "review.no_longer_negative"
    rules = alerts.list_alert_rules(world.platform, seller, world.shop_a)
    assert not rules.default_applies and rules.items[0].endpoint_id == endpoint.id
    inbox_rule = alerts.create_alert_rule(
        world.platform, seller, world.shop_a, AlertRuleIn(channel="inbox")
    )
    assert inbox_rule.events == ["review.negative"]
    refused(
        "alert_rule_exists",
        alerts.create_alert_rule,
        world.platform,
        seller,
        world.shop_a,
        AlertRuleIn(channel="inbox"),
    )
    alerts.update_alert_rule(
        world.platform, seller, world.shop_a, inbox_rule.id, AlertRulePatch(active=False)
    )
    alerts.delete_alert_rule(world.platform, seller, world.shop_a, rules.items[0].id)
    alerts.delete_alert_rule(world.platform, seller, world.shop_a, inbox_rule.id)
    assert alerts.list_alert_rules(world.platform, seller, world.shop_a).default_applies


def test_an_email_rule_is_refused_while_no_smtp_server_is_configured(world: World) -> None:
    error = refused(
        "smtp_not_configured",
        alerts.create_alert_rule,
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        AlertRuleIn(channel="email", email="owner@batik.example"),
    )
    assert "REVIEWDESK_SMTP_HOST" in error.detail


def test_rules_need_the_target_of_their_channel(world: World) -> None:
    seller = world.seller_a.principal
    for rule in (
        AlertRuleIn(channel="webhook"),
        AlertRuleIn(channel="inbox", email="a@b.example"),
    ):
        refused(
            "invalid_alert_rule",
            alerts.create_alert_rule,
            world.platform,
            seller,
            world.shop_a,
            rule,
        )
    refused(
        "invalid_webhook_url",
        alerts.create_webhook_endpoint,
        world.platform,
        seller,
        world.shop_a,
        WebhookEndpointIn(url="ftp://hooks.example.com/x"),
    )


def test_a_foreign_seller_is_refused_everywhere(world: World) -> None:
    review(world, rating=1)
    other = world.seller_b.principal
    for call, args in (
        (alerts.list_alert_rules, ()),
        (alerts.list_webhook_endpoints, ()),
        (alerts.create_webhook_endpoint, (WebhookEndpointIn(url="https://x.example/h"),)),
        (alerts.create_alert_rule, (AlertRuleIn(channel="inbox"),)),
        (alert_delivery.list_deliveries, ()),
    ):
        refused("not_your_shop", call, world.platform, other, world.shop_a, *args)
    theirs = inbox.list_inbox(world.platform, other)
    assert theirs.items == [] and [c.shop_id for c in theirs.counts.shops] == [world.shop_b]
    (item,) = inbox.list_inbox(world.platform, world.seller_a.principal).items
    refused(
        "not_your_shop",
        inbox.update_item,
        world.platform,
        other,
        item.id,
        InboxItemPatch(handled=True),
    )
    refused(
        "not_your_shop",
        inbox.mark_items,
        world.platform,
        other,
        InboxBatchIn(action="mark_handled", ids=[item.id]),
    )
    refused(
        "not_your_shop",
        inbox.list_inbox,
        world.platform,
        other,
        InboxFilter(shop_id=world.shop_a),
    )
    refused("sellers_only", inbox.list_inbox, world.platform, world.buyer_x.principal)


# ---- webhooks -------------------------------------------------------------------------------


def test_a_failing_receiver_gets_the_event_on_the_third_attempt_exactly_once(
    world: World,
) -> None:
    with WebhookReceiver(fail_first=2) as receiver:
        endpoint = hook(world, receiver.url)
        receiver.secret = endpoint.secret
        written = review(world, rating=1)
        detail = settle(world)
        assert detail.status == "delivered" and detail.attempts == 3
        assert [a.status_code for a in detail.log] == [500, 500, 200]
        assert detail.log[0].error == "the receiver answered HTTP 500"
        # Every attempt was signed with the endpoint's secret and carried the same id.
        assert all(r.signature_ok for r in receiver.received)
        ids = {r.headers["x-reviewdesk-delivery"] for r in receiver.received}
        assert ids == {detail.event_id}
        assert receiver.received[0].headers["x-reviewdesk-event"] == "review.negative"
        # A manual redelivery arrives again and the receiver, deduplicating, ignores it.
        again = alert_delivery.redeliver(
            world.platform, world.seller_a.principal, world.shop_a, detail.id
        )
        assert [a.manual for a in again.log] == [False, False, False, True]
        assert len(receiver.received) == 4 and len(receiver.processed) == 1
        processed = receiver.processed[detail.event_id]
        assert processed["review"]["id"] == written.id and processed["type"] == "review.negative"


def test_a_receiver_that_is_down_loses_nothing(world: World) -> None:
    receiver = WebhookReceiver(port=free_port())
    endpoint = hook(world, receiver.url)
    receiver.secret = endpoint.secret
    review(world, rating=1)
    time.sleep(0.3)
    alert_delivery.deliver_due(world.platform)
    down = only_delivery(world)
    assert down.status == "pending" and down.attempts >= 2
    assert all(a.status_code is None and "connection_failed" in (a.error or "") for a in down.log)
    with receiver:
        detail = settle(world)
    assert detail.status == "delivered" and detail.log[-1].status_code == 200
    assert list(receiver.processed) == [detail.event_id]


def test_a_delivery_is_failed_after_the_retry_window(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook(world, f"http://127.0.0.1:{free_port()}/nobody")
    review(world, rating=1)
    later = world.platform.now() + timedelta(hours=24, minutes=1)
    monkeypatch.setattr(world.platform, "now", lambda: later)
    assert alert_delivery.deliver_due(world.platform) == 1
    detail = only_delivery(world)
    assert detail.status == "failed" and detail.next_attempt_at is None and detail.attempts == 2
    assert alert_delivery.deliver_due(world.platform) == 0


def test_backoff_doubles_up_to_an_hour_and_lasts_the_window() -> None:
    assert [retry_delay(n, 30) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(9, 30) == 3600 and retry_delay(200, 30) == 3600
    created = moment = datetime(2024, 1, 1)
    attempts = 0
    window = timedelta(hours=24)
    while retry := next_attempt_at(created, moment, attempts + 1, base_seconds=30, window=window):
        attempts += 1
        moment = retry
    assert moment - created >= timedelta(hours=24) and 25 < attempts < 40


def test_webhooks_never_reach_private_addresses_unless_allowed(world: World) -> None:
    world.platform.settings = world.platform.settings.model_copy(
        update={"webhook_allow_private": False}
    )
    with WebhookReceiver() as receiver:
        hook(world, receiver.url)
        review(world, rating=1)
        detail = only_delivery(world)
        assert receiver.received == []
    assert detail.status == "pending" and "private_address" in (detail.last_error or "")


def test_a_deactivated_endpoint_fails_its_pending_deliveries(world: World) -> None:
    endpoint = hook(world, f"http://127.0.0.1:{free_port()}/gone")
    review(world, rating=1)
    seller = world.seller_a.principal
    view = alerts.deactivate_webhook_endpoint(world.platform, seller, world.shop_a, endpoint.id)
    assert not view.active
    time.sleep(0.1)
    alert_delivery.deliver_due(world.platform)
    detail = only_delivery(world)
    assert detail.status == "failed" and "webhook_endpoint_inactive" in (detail.last_error or "")
    refused(
        "webhook_endpoint_inactive",
        alert_delivery.redeliver,
        world.platform,
        seller,
        world.shop_a,
        detail.id,
    )


def test_a_rotated_secret_signs_the_next_requests(world: World) -> None:
    with WebhookReceiver() as receiver:
        endpoint = hook(world, receiver.url)
        seller = world.seller_a.principal
        rotated = alerts.rotate_webhook_secret(world.platform, seller, world.shop_a, endpoint.id)
        assert rotated.secret != endpoint.secret and rotated.secret.startswith("whsec_")
        receiver.secret = rotated.secret
        review(world, rating=1)
        (got,) = receiver.received
        assert got.signature_ok and got.status == 200
    (listed,) = alerts.list_webhook_endpoints(world.platform, seller, world.shop_a)
    assert "secret" not in listed.model_dump() and rotated.secret.startswith(
        listed.secret_hint.removesuffix("...")
    )


# ---- e-mail ---------------------------------------------------------------------------------


def test_an_email_alert_goes_through_a_real_smtp_server(world: World) -> None:
    with SmtpReceiver() as smtp:
        world.platform.settings = world.platform.settings.model_copy(
            update={
                "smtp_host": "127.0.0.1",
                "smtp_port": smtp.port,
                "smtp_starttls": False,
                "smtp_from": "alerts@reviewdesk.example",
            }
        )
        alerts.create_alert_rule(
            world.platform,
            world.seller_a.principal,
            world.shop_a,
            AlertRuleIn(channel="email", email="Owner@Batik.example"),
        )
        written = review(world, rating=1, text="Xandra here: the seam tore on day one.")
        detail = only_delivery(world)
        assert detail.status == "delivered" and detail.log[0].status_code == 250
        ((recipients, message, raw),) = smtp.messages
    assert recipients == ["owner@batik.example"] and detail.recipient == "owner@batik.example"
    assert message["Subject"] == "[Batik House] New 1-star review of Linen shirt"
    assert message["From"] == "alerts@reviewdesk.example"
    assert message["X-Reviewdesk-Delivery"] == detail.event_id
    body = message.get_payload(decode=True).decode()
    assert "x***a" in body and "the seam tore on day one." in body
    assert f"Review {written.id} of product Linen shirt" in body
    for personal in (b"xandra.quill@example.org", b"Xandra", b"Quillfeather", b"6281234567890"):
        assert personal not in raw, personal


def test_an_unreachable_smtp_server_is_retried_like_a_webhook(world: World) -> None:
    world.platform.settings = world.platform.settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": free_port(), "smtp_starttls": False}
    )
    alerts.create_alert_rule(
        world.platform,
        world.seller_a.principal,
        world.shop_a,
        AlertRuleIn(channel="email", email="owner@batik.example"),
    )
    review(world, rating=1)
    detail = only_delivery(world)
    assert detail.status == "pending" and detail.next_attempt_at is not None
    assert "connection_failed" in (detail.log[0].error or "")


# ---- the inbox ------------------------------------------------------------------------------


def test_the_inbox_counts_each_shop_and_all_together_and_handles_in_batches(
    world: World,
) -> None:
    seller_a_id = catalog.get_shop(world.platform, OPERATOR, world.shop_a).seller_id
    outlet = catalog.create_shop(
        world.platform, OPERATOR, seller_id=seller_a_id, slug="batik-outlet", name="Batik Outlet"
    )
    sarong = catalog.create_product(
        world.platform, OPERATOR, outlet.id, ProductIn(handle="sarong", title="Sarong")
    )
    world.deliver("outlet-x", "x", sarong.id, outlet.id)
    review(world, "x", rating=1)
    review(world, "y", rating=2)
    reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["outlet-x"],
        rating=1,
        text="Faded in the first wash.",
    )
    seller = world.seller_a.principal
    page = inbox.list_inbox(world.platform, seller)
    assert len(page.items) == 3 and {i.shop_name for i in page.items} == {
        "Batik House",
        "Batik Outlet",
    }
    counts = {c.shop_name: (c.unhandled, c.unread) for c in page.counts.shops}
    assert counts == {"Batik House": (2, 2), "Batik Outlet": (1, 1)}
    assert (page.counts.unhandled, page.counts.unread) == (3, 3)
    only_outlet = inbox.list_inbox(world.platform, seller, InboxFilter(shop_id=outlet.id))
    assert [i.shop_id for i in only_outlet.items] == [outlet.id]
    assert only_outlet.counts == page.counts

    newest, middle, oldest = page.items
    read = inbox.update_item(world.platform, seller, oldest.id, InboxItemPatch(read=True))
    assert read.read_at is not None and read.handled_at is None
    done = inbox.mark_items(
        world.platform, seller, InboxBatchIn(action="mark_handled", ids=[newest.id])
    )
    assert done.updated == 1
    # Everything of Batik House up to the item the seller saw, by filter.
    swept = inbox.mark_items(
        world.platform,
        seller,
        InboxBatchIn(
            action="mark_handled", filter=InboxFilter(shop_id=world.shop_a, up_to_id=middle.id)
        ),
    )
    assert swept.updated == (2 if newest.shop_id == outlet.id else 1)
    after = inbox.list_inbox(world.platform, seller)
    assert after.counts.unhandled == 0 and after.items == []
    handled = inbox.list_inbox(world.platform, seller, InboxFilter(state="handled"))
    assert len(handled.items) == 3 and all(i.read_at is not None for i in handled.items)
    # The operator sees the same inbox by naming the seller.
    operator = inbox.list_inbox(world.platform, OPERATOR, seller_id=seller_a_id)
    assert operator.counts == after.counts
    refused("seller_required", inbox.list_inbox, world.platform, OPERATOR)


def test_a_batch_with_a_foreign_or_unknown_item_changes_nothing(world: World) -> None:
    review(world, rating=1)
    seller = world.seller_a.principal
    (item,) = inbox.list_inbox(world.platform, seller).items
    refused(
        "inbox_item_not_found",
        inbox.mark_items,
        world.platform,
        seller,
        InboxBatchIn(action="mark_handled", ids=[item.id, item.id + 1000]),
    )
    assert inbox.list_inbox(world.platform, seller).counts.unhandled == 1


def test_no_delivery_rows_without_outbound_rules(world: World) -> None:
    review(world, rating=1)
    with world.platform.db.read() as session:
        assert session.scalar(select(func.count(Delivery.id))) == 0
    (event,) = events(world)
    assert event.dispatched_at is not None
