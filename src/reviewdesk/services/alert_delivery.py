"""Delivering alert events: signed webhooks and e-mails, retried with backoff, logged.

One ``Delivery`` is one event to one webhook endpoint or e-mail address. An attempt
claims the delivery first (a single UPDATE moving ``next_attempt_at`` past the attempt's
time limit), so the task queued at commit, a scheduled retry and the every-minute sweep
never send it twice at once, and a worker killed mid-attempt leaves it due again once
the claim runs out. The request is made outside any transaction; its outcome is then
logged (``DeliveryAttempt``) and decides the delivery: 2xx (or an accepted e-mail) is
delivered; anything else is retried per ``domain.alerts.next_attempt_at`` until the
retry window has passed, then failed. A receiver that is down therefore loses nothing
within the window, and a manual redelivery (``redeliver``) can follow at any time.

Every attempt of an event carries the same ``X-Reviewdesk-Delivery`` id (the event id),
so a receiver that keeps the ids it has processed processes each event once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reviewdesk.config import Settings
from reviewdesk.db.alerts import AlertEvent, Delivery, DeliveryAttempt, WebhookEndpoint
from reviewdesk.domain.alerts import (
    REVIEW_NEGATIVE,
    Channel,
    DeliveryStatus,
    next_attempt_at,
)
from reviewdesk.domain.pagination import decode_cursor, encode_cursor
from reviewdesk.domain.principals import Principal
from reviewdesk.errors import Conflict, NotFound
from reviewdesk.integrations.mail import SmtpServer, send_mail
from reviewdesk.integrations.webhooks import post_webhook, signature
from reviewdesk.services.access import audit, shop_for_staff
from reviewdesk.services.catalog import Page
from reviewdesk.services.platform import Platform

PENDING = DeliveryStatus.PENDING.value
DELIVERED = DeliveryStatus.DELIVERED.value
FAILED = DeliveryStatus.FAILED.value


class DeliveryAttemptView(BaseModel):
    id: int
    attempted_at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int
    manual: bool


class DeliveryView(BaseModel):
    id: int
    shop_id: int
    event_id: str
    event_type: str
    review_id: int | None
    channel: Channel
    endpoint_id: int | None
    recipient: str | None
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


class DeliveryDetail(DeliveryView):
    payload: dict[str, Any]
    log: list[DeliveryAttemptView]


@dataclass(frozen=True)
class _Send:
    """Everything one attempt needs, read in the claiming transaction."""

    delivery_id: int
    shop_id: int
    channel: Channel
    event_id: str
    event_type: str
    payload: str
    url: str | None = None
    secret: str | None = None
    recipient: str | None = None


@dataclass(frozen=True)
class _Outcome:
    attempted_at: datetime
    delivered: bool
    status_code: int | None
    error: str | None
    duration_ms: int


class _Undeliverable(Exception):
    pass


def _claim_seconds(settings: Settings) -> float:
    # Longer than any attempt can take (connect, write and read each have the timeout).
    return 3 * settings.alert_timeout_seconds + 30


def _prepare(session: Session, delivery: Delivery) -> _Send:
    event = session.get(AlertEvent, delivery.event_id)
    assert event is not None
    channel = Channel(delivery.channel)
    common: dict[str, Any] = {
        "delivery_id": delivery.id,
        "shop_id": delivery.shop_id,
        "channel": channel,
        "event_id": event.event_id,
        "event_type": event.type,
        "payload": event.payload,
    }
    if channel is Channel.WEBHOOK:
        endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
        if endpoint is None or not endpoint.active:
            raise _Undeliverable(
                f"webhook_endpoint_inactive: endpoint {delivery.endpoint_id} is deactivated"
            )
        return _Send(**common, url=endpoint.url, secret=endpoint.secret)
    return _Send(**common, recipient=delivery.recipient)


def _claim(platform: Platform, delivery_id: int) -> _Send | None:
    now = platform.now()
    with platform.db.write() as session:
        claimed = session.execute(
            update(Delivery)
            .where(
                Delivery.id == delivery_id,
                Delivery.status == PENDING,
                Delivery.next_attempt_at <= now,
            )
            .values(next_attempt_at=now + timedelta(seconds=_claim_seconds(platform.settings)))
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return None  # not due, done, or another worker has it
        delivery = session.get(Delivery, delivery_id)
        assert delivery is not None
        try:
            return _prepare(session, delivery)
        except _Undeliverable as reason:
            delivery.status = FAILED
            delivery.next_attempt_at = None
            delivery.last_error = str(reason)
            return None


def _email(settings: Settings, send: _Send, now: datetime) -> EmailMessage:
    payload = json.loads(send.payload)
    review, shop = payload["review"], payload["shop"]
    product = review["product"]

    def line(text: Any) -> str:
        return " ".join(str(text).split())  # no line breaks in headers

    if send.event_type == REVIEW_NEGATIVE:
        subject = f"New {review['rating']}-star review of {line(product['title'])}"
        opening = f"A negative review of {product['title']} arrived in {shop['name']}."
    else:
        subject = f"Review of {line(product['title'])} is no longer negative"
        opening = (
            f"A review of {product['title']} in {shop['name']} was edited and is no longer "
            "negative."
        )
    message = EmailMessage()
    message["Subject"] = f"[{line(shop['name'])}] {subject}"
    message["From"] = settings.smtp_from
    message["To"] = send.recipient
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(send.event_id, settings.smtp_from.rsplit("@", 1)[-1])
    message["X-Reviewdesk-Event"] = send.event_type
    message["X-Reviewdesk-Delivery"] = send.event_id
    stars = "★" * review["rating"] + "☆" * (5 - review["rating"])
    status = "held for moderation" if review["status"] == "held" else review["status"]
    body = [
        opening,
        "",
        f"Rating:   {stars} ({review['rating']}/5)",
        f"Reviewer: {review['reviewer']}",
        f"Status:   {status}",
    ]
    if review.get("sentiment"):
        body.append(f"Sentiment: {review['sentiment']}")
    if review.get("title"):
        body += ["", review["title"]]
    if review.get("text"):
        body += ["", review["text"]]
    body += [
        "",
        f"Review {review['id']} of product {product['title']} ({product['handle']}):",
        review["url"],
        "",
        f"You receive this because an alert rule of {shop['name']} sends "
        f"{send.event_type} to this address.",
    ]
    message.set_content("\n".join(body) + "\n")
    return message


def _send(platform: Platform, send: _Send) -> _Outcome:
    settings = platform.settings
    now = platform.now()
    if send.channel is Channel.WEBHOOK:
        assert send.url is not None and send.secret is not None
        timestamp = str(int(now.timestamp()))
        body = send.payload.encode()
        webhook = post_webhook(
            send.url,
            body,
            {
                "X-Reviewdesk-Event": send.event_type,
                "X-Reviewdesk-Delivery": send.event_id,
                "X-Reviewdesk-Timestamp": timestamp,
                "X-Reviewdesk-Signature": signature(send.secret, timestamp, body),
            },
            timeout=settings.alert_timeout_seconds,
            allow_private=settings.webhook_allow_private,
        )
        return _Outcome(
            now, webhook.delivered, webhook.status_code, webhook.error, webhook.duration_ms
        )
    server = SmtpServer.from_settings(settings)
    if server is None:
        return _Outcome(now, False, None, "smtp_not_configured: REVIEWDESK_SMTP_HOST is unset", 0)
    mail = send_mail(server, _email(settings, send, now))
    return _Outcome(now, mail.delivered, mail.status_code, mail.error, mail.duration_ms)


def _record(
    platform: Platform, send: _Send, outcome: _Outcome, actor: Principal | None = None
) -> float | None:
    """Log the attempt and settle the delivery; seconds until its next attempt, if any."""
    with platform.db.write() as session:
        delivery = session.scalars(
            select(Delivery).where(Delivery.id == send.delivery_id).with_for_update()
        ).one()
        session.add(
            DeliveryAttempt(
                shop_id=delivery.shop_id,
                delivery_id=delivery.id,
                attempted_at=outcome.attempted_at,
                status_code=outcome.status_code,
                error=outcome.error,
                duration_ms=outcome.duration_ms,
                manual=actor is not None,
            )
        )
        delivery.attempts += 1
        delivery.last_status_code = outcome.status_code
        delivery.last_error = outcome.error
        if actor is not None:
            audit(
                session,
                actor,
                "alert_delivery.redeliver",
                "alert_delivery",
                delivery.id,
                delivery.shop_id,
                {"status_code": outcome.status_code, "error": outcome.error},
            )
        if outcome.delivered:
            if delivery.status != DELIVERED:
                delivery.status = DELIVERED
                delivery.delivered_at = platform.now()
            delivery.next_attempt_at = None
            return None
        if delivery.status != PENDING or actor is not None:
            # Delivered or failed meanwhile, or a manual attempt: the schedule stays.
            return None
        settings = platform.settings
        retry_at = next_attempt_at(
            delivery.created_at,
            outcome.attempted_at,
            delivery.attempts,
            base_seconds=settings.alert_retry_base_seconds,
            window=timedelta(hours=settings.alert_retry_hours),
        )
        if retry_at is None:
            delivery.status = FAILED
            delivery.next_attempt_at = None
            return None
        delivery.next_attempt_at = retry_at
        return max(0.0, (retry_at - platform.now()).total_seconds())


def attempt_delivery(platform: Platform, delivery_id: int) -> float | None:
    """Attempt a due delivery once; seconds until it is due again (None: settled or not due)."""
    send = _claim(platform, delivery_id)
    if send is None:
        return None
    return _record(platform, send, _send(platform, send))


def deliver_event(platform: Platform, event_pk: int) -> list[tuple[int, float | None]]:
    """Attempt every pending delivery of an event now: (delivery id, seconds to retry)."""
    with platform.db.write() as session:
        event = session.get(AlertEvent, event_pk)
        if event is None:
            return []
        if event.dispatched_at is None:  # when a worker first took the event up
            event.dispatched_at = platform.now()
        ids = list(
            session.scalars(
                select(Delivery.id)
                .where(Delivery.event_id == event_pk, Delivery.status == PENDING)
                .order_by(Delivery.id)
            )
        )
    return [(delivery_id, attempt_delivery(platform, delivery_id)) for delivery_id in ids]


def due_deliveries(platform: Platform, limit: int = 1000) -> list[int]:
    """Pending deliveries whose next attempt is due, most overdue first."""
    with platform.db.read() as session:
        return list(
            session.scalars(
                select(Delivery.id)
                .where(Delivery.status == PENDING, Delivery.next_attempt_at <= platform.now())
                .order_by(Delivery.next_attempt_at, Delivery.id)
                .limit(limit)
            )
        )


def deliver_due(platform: Platform) -> int:
    """Attempt every due delivery now, in this process; the number attempted."""
    return sum(1 for delivery_id in due_deliveries(platform) if _attempted(platform, delivery_id))


def _attempted(platform: Platform, delivery_id: int) -> bool:
    send = _claim(platform, delivery_id)
    if send is None:
        return False
    _record(platform, send, _send(platform, send))
    return True


# ---- the shop's staff: the delivery log and manual redelivery -------------------------------


def _view(delivery: Delivery, event: AlertEvent) -> DeliveryView:
    return DeliveryView(
        id=delivery.id,
        shop_id=delivery.shop_id,
        event_id=event.event_id,
        event_type=event.type,
        review_id=event.review_id,
        channel=Channel(delivery.channel),
        endpoint_id=delivery.endpoint_id,
        recipient=delivery.recipient,
        status=DeliveryStatus(delivery.status),
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at,
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error,
        created_at=delivery.created_at,
        delivered_at=delivery.delivered_at,
    )


def list_deliveries(
    platform: Platform,
    actor: Principal,
    shop_id: int,
    *,
    status: DeliveryStatus | None = None,
    channel: Channel | None = None,
    endpoint_id: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[DeliveryView]:
    """The shop's deliveries, newest first, optionally of one status, channel or endpoint."""
    limit = max(1, min(limit, platform.settings.max_page_size))
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
        query = (
            select(Delivery, AlertEvent)
            .join(AlertEvent, AlertEvent.id == Delivery.event_id)
            .where(Delivery.shop_id == shop_id)
        )
        if status is not None:
            query = query.where(Delivery.status == status.value)
        if channel is not None:
            query = query.where(Delivery.channel == channel.value)
        if endpoint_id is not None:
            query = query.where(Delivery.endpoint_id == endpoint_id)
        if cursor:
            (after,) = decode_cursor(cursor, "deliveries", 1)
            query = query.where(Delivery.id < int(after))
        rows = session.execute(query.order_by(Delivery.id.desc()).limit(limit + 1)).all()
        items = [_view(delivery, event) for delivery, event in rows[:limit]]
        more = len(rows) > limit
        return Page[DeliveryView](
            items=items,
            next_cursor=encode_cursor("deliveries", [items[-1].id]) if more else None,
        )


def _delivery(session: Session, shop_id: int, delivery_id: int) -> Delivery:
    delivery = session.get(Delivery, delivery_id)
    if delivery is None or delivery.shop_id != shop_id:
        raise NotFound("delivery_not_found", f"delivery {delivery_id} is not in this shop")
    return delivery


def _detail(session: Session, delivery: Delivery) -> DeliveryDetail:
    event = session.get(AlertEvent, delivery.event_id)
    assert event is not None
    attempts = session.scalars(
        select(DeliveryAttempt)
        .where(DeliveryAttempt.delivery_id == delivery.id)
        .order_by(DeliveryAttempt.id)
    )
    return DeliveryDetail(
        **_view(delivery, event).model_dump(),
        payload=json.loads(event.payload),
        log=[
            DeliveryAttemptView(
                id=a.id,
                attempted_at=a.attempted_at,
                status_code=a.status_code,
                error=a.error,
                duration_ms=a.duration_ms,
                manual=a.manual,
            )
            for a in attempts
        ],
    )


def get_delivery(
    platform: Platform, actor: Principal, shop_id: int, delivery_id: int
) -> DeliveryDetail:
    """A delivery with its payload and the log of every attempt."""
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
        return _detail(session, _delivery(session, shop_id, delivery_id))


def redeliver(
    platform: Platform, actor: Principal, shop_id: int, delivery_id: int
) -> DeliveryDetail:
    """Attempt a delivery again now, whatever its status; the attempt is logged as manual.

    Success makes it delivered; a failure changes neither its status nor its schedule.
    """
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
        try:
            send = _prepare(session, _delivery(session, shop_id, delivery_id))
        except _Undeliverable as reason:
            raise Conflict("webhook_endpoint_inactive", str(reason)) from None
    _record(platform, send, _send(platform, send), actor)
    with platform.db.read() as session:
        return _detail(session, _delivery(session, shop_id, delivery_id))
