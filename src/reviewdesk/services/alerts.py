"""Alerts (product.md §1 "Alerts"): what a shop is told about negative reviews, and how.

Configuration, by the shop's staff or the operator: webhook endpoints (a URL and a
secret generated here, shown when the endpoint is created or its secret rotated) and
alert rules, each sending a list of event types to one channel: the shop's inbox, an
e-mail address, or a webhook endpoint. A shop without any rule gets negative reviews in
its inbox; once it has rules, only its active rules apply.

Raising, in the review's own writing transaction (``raise_for_review``, called by
``submit_review`` and ``edit_review`` after moderation and the summaries): the event
(``domain.alerts.event_for_change`` decides which, if any), its inbox item, and one
pending delivery per e-mail address or webhook endpoint its rules name. After the commit
the job queue is asked to deliver it at once (``Jobs.alert_raised``); a worker task
every minute picks up anything due that was missed. Delivery itself lives in
``services.alert_delivery``.

Held reviews alert like published ones: they are real reviews of the shop's products,
and a seller who learns of one early can act (the payload says ``status: held``).
Hidden, rejected and deleted reviews raise nothing, and neither do imported reviews
(they are history, not news). The payload carries only what the shop's staff may see:
the review's ids, rating, public (masked) title and text, masked reviewer name, status,
sentiment and product; never the buyer's name, e-mail, phone, address or order.
"""

from __future__ import annotations

import json
import logging
import secrets
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import event as orm_event
from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewdesk.db.alerts import AlertEvent, AlertRule, Delivery, InboxItem, WebhookEndpoint
from reviewdesk.db.catalog import Product, Shop
from reviewdesk.db.moderation import ReviewAnalysis
from reviewdesk.db.reviews import Review
from reviewdesk.domain.alerts import (
    DEFAULT_INBOX_EVENTS,
    EVENT_TYPES,
    REVIEW_NEGATIVE,
    Channel,
    DeliveryStatus,
    EventType,
    event_for_change,
    negative_reasons,
)
from reviewdesk.domain.principals import Principal
from reviewdesk.domain.ratings import PUBLISHED
from reviewdesk.errors import Conflict, InvalidInput, NotFound
from reviewdesk.integrations.webhooks import check_webhook_url
from reviewdesk.services.access import audit, shop_for_staff
from reviewdesk.services.catalog import RecordId
from reviewdesk.services.moderation import HELD
from reviewdesk.services.platform import Platform

log = logging.getLogger("reviewdesk.alerts")

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
SECRET_PREFIX = "whsec_"
# Statuses of a review that alert: shown, or waiting for a moderator.
_ALERTING = frozenset({PUBLISHED, HELD})


# ---- webhook endpoints ----------------------------------------------------------------------


class WebhookEndpointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=1, max_length=2000, description="http(s) URL receiving POSTs")


class WebhookEndpointView(BaseModel):
    id: int
    shop_id: int
    url: str
    active: bool
    secret_hint: str = Field(description="The first characters of the secret, to tell it apart")
    created_at: datetime


class WebhookEndpointWithSecret(WebhookEndpointView):
    secret: str = Field(
        description="The signing secret: shown only now (on create and rotate); keep it to "
        "verify X-Reviewdesk-Signature"
    )


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _endpoint_view(row: WebhookEndpoint) -> WebhookEndpointView:
    return WebhookEndpointView(
        id=row.id,
        shop_id=row.shop_id,
        url=row.url,
        active=row.active,
        secret_hint=row.secret[: len(SECRET_PREFIX) + 4] + "...",
        created_at=row.created_at,
    )


def _with_secret(row: WebhookEndpoint) -> WebhookEndpointWithSecret:
    return WebhookEndpointWithSecret(**_endpoint_view(row).model_dump(), secret=row.secret)


def _endpoint(session: Session, shop_id: int, endpoint_id: int) -> WebhookEndpoint:
    row = session.get(WebhookEndpoint, endpoint_id)
    if row is None or row.shop_id != shop_id:
        raise NotFound(
            "webhook_endpoint_not_found", f"webhook endpoint {endpoint_id} is not in this shop"
        )
    return row


def create_webhook_endpoint(
    platform: Platform, actor: Principal, shop_id: int, endpoint: WebhookEndpointIn
) -> WebhookEndpointWithSecret:
    """Add a webhook endpoint with a new signing secret (returned this once)."""
    url = check_webhook_url(endpoint.url)
    with platform.db.write() as session:
        shop_for_staff(session, actor, shop_id)
        row = WebhookEndpoint(
            shop_id=shop_id, url=url, secret=_new_secret(), active=True, created_at=platform.now()
        )
        session.add(row)
        session.flush()
        audit(session, actor, "webhook.create", "webhook_endpoint", row.id, shop_id, {"url": url})
        return _with_secret(row)


def list_webhook_endpoints(
    platform: Platform, actor: Principal, shop_id: int
) -> list[WebhookEndpointView]:
    """The shop's webhook endpoints (without their secrets)."""
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
        rows = session.scalars(
            select(WebhookEndpoint)
            .where(WebhookEndpoint.shop_id == shop_id)
            .order_by(WebhookEndpoint.id)
        )
        return [_endpoint_view(row) for row in rows]


def rotate_webhook_secret(
    platform: Platform, actor: Principal, shop_id: int, endpoint_id: int
) -> WebhookEndpointWithSecret:
    """Replace an endpoint's secret; every request from now on is signed with the new one."""
    with platform.db.write() as session:
        shop_for_staff(session, actor, shop_id)
        row = _endpoint(session, shop_id, endpoint_id)
        row.secret = _new_secret()
        audit(session, actor, "webhook.rotate_secret", "webhook_endpoint", row.id, shop_id, {})
        return _with_secret(row)


def deactivate_webhook_endpoint(
    platform: Platform, actor: Principal, shop_id: int, endpoint_id: int
) -> WebhookEndpointView:
    """Stop sending to an endpoint: its rules stop and its pending deliveries fail."""
    with platform.db.write() as session:
        shop_for_staff(session, actor, shop_id)
        row = _endpoint(session, shop_id, endpoint_id)
        if row.active:
            row.active = False
            audit(session, actor, "webhook.deactivate", "webhook_endpoint", row.id, shop_id, {})
        return _endpoint_view(row)


# ---- alert rules ----------------------------------------------------------------------------


class AlertRuleIn(BaseModel):
    """Send ``events`` to the inbox, an e-mail address or a webhook endpoint of the shop."""

    model_config = ConfigDict(extra="forbid")
    channel: Channel
    email: str | None = Field(
        None, max_length=320, pattern=EMAIL_PATTERN, description="the address (channel email)"
    )
    endpoint_id: RecordId | None = Field(None, description="the endpoint (channel webhook)")
    events: list[EventType] = Field(
        default_factory=lambda: list(DEFAULT_INBOX_EVENTS),
        min_length=1,
        max_length=len(EVENT_TYPES),
    )
    active: bool = True


class AlertRulePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    events: list[EventType] | None = Field(None, min_length=1, max_length=len(EVENT_TYPES))
    active: bool | None = None


class AlertRuleView(BaseModel):
    id: int
    shop_id: int
    channel: Channel
    email: str | None
    endpoint_id: int | None
    events: list[EventType]
    active: bool
    created_at: datetime


class AlertRules(BaseModel):
    items: list[AlertRuleView]
    default_applies: bool = Field(
        description="True while the shop has no rule: negative reviews go to its inbox"
    )


def _events(raw: str) -> list[EventType]:
    return [e for e in EVENT_TYPES if e in json.loads(raw)]


def _rule_view(row: AlertRule) -> AlertRuleView:
    channel = Channel(row.channel)
    return AlertRuleView(
        id=row.id,
        shop_id=row.shop_id,
        channel=channel,
        email=row.target if channel is Channel.EMAIL else None,
        endpoint_id=int(row.target) if channel is Channel.WEBHOOK and row.target else None,
        events=_events(row.events),
        active=row.active,
        created_at=row.created_at,
    )


def _rule_target(platform: Platform, session: Session, shop_id: int, rule: AlertRuleIn) -> str:
    if rule.channel is Channel.INBOX:
        if rule.email or rule.endpoint_id:
            raise InvalidInput("invalid_alert_rule", "an inbox rule names no e-mail or endpoint")
        return ""
    if rule.channel is Channel.EMAIL:
        if not rule.email or rule.endpoint_id:
            raise InvalidInput(
                "invalid_alert_rule", "an e-mail rule needs email (only)", field="email"
            )
        if not platform.settings.smtp_host:
            raise Conflict(
                "smtp_not_configured",
                "This installation sends no e-mail: the operator has not set "
                "REVIEWDESK_SMTP_HOST. Use the inbox or a webhook.",
            )
        return rule.email.strip().lower()
    if not rule.endpoint_id or rule.email:
        raise InvalidInput(
            "invalid_alert_rule", "a webhook rule needs endpoint_id (only)", field="endpoint_id"
        )
    endpoint = _endpoint(session, shop_id, rule.endpoint_id)
    if not endpoint.active:
        raise Conflict("webhook_endpoint_inactive", f"endpoint {endpoint.id} is deactivated")
    return str(endpoint.id)


def create_alert_rule(
    platform: Platform, actor: Principal, shop_id: int, rule: AlertRuleIn
) -> AlertRuleView:
    """Add a rule (one per channel and target: change a rule's events instead of adding)."""
    with platform.db.write() as session:
        shop_for_staff(session, actor, shop_id)
        target = _rule_target(platform, session, shop_id, rule)
        same = session.scalar(
            select(AlertRule.id).where(
                AlertRule.shop_id == shop_id,
                AlertRule.channel == rule.channel.value,
                AlertRule.target == target,
            )
        )
        if same is not None:
            raise Conflict(
                "alert_rule_exists",
                f"rule {same} already sends to this {rule.channel.value}: change its events",
                rule_id=same,
            )
        row = AlertRule(
            shop_id=shop_id,
            channel=rule.channel.value,
            target=target,
            events=json.dumps(sorted(set(rule.events))),
            active=rule.active,
            created_at=platform.now(),
        )
        session.add(row)
        session.flush()
        view = _rule_view(row)
        audit(session, actor, "alert_rule.create", "alert_rule", row.id, shop_id, view.model_dump())
        return view


def list_alert_rules(platform: Platform, actor: Principal, shop_id: int) -> AlertRules:
    """The shop's rules, and whether the default (negatives to the inbox) applies."""
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
        rows = session.scalars(
            select(AlertRule).where(AlertRule.shop_id == shop_id).order_by(AlertRule.id)
        ).all()
        return AlertRules(items=[_rule_view(r) for r in rows], default_applies=not rows)


def _rule(session: Session, shop_id: int, rule_id: int) -> AlertRule:
    row = session.get(AlertRule, rule_id)
    if row is None or row.shop_id != shop_id:
        raise NotFound("alert_rule_not_found", f"alert rule {rule_id} is not in this shop")
    return row


def update_alert_rule(
    platform: Platform, actor: Principal, shop_id: int, rule_id: int, patch: AlertRulePatch
) -> AlertRuleView:
    """Change which events a rule sends, or switch it off and on."""
    with platform.db.write() as session:
        shop_for_staff(session, actor, shop_id)
        row = _rule(session, shop_id, rule_id)
        if patch.events is not None:
            row.events = json.dumps(sorted(set(patch.events)))
        if patch.active is not None:
            row.active = patch.active
        view = _rule_view(row)
        audit(session, actor, "alert_rule.update", "alert_rule", row.id, shop_id, view.model_dump())
        return view


def delete_alert_rule(platform: Platform, actor: Principal, shop_id: int, rule_id: int) -> None:
    """Remove a rule (a shop left without rules gets the default again)."""
    with platform.db.write() as session:
        shop_for_staff(session, actor, shop_id)
        row = _rule(session, shop_id, rule_id)
        view = _rule_view(row)
        session.delete(row)
        audit(
            session, actor, "alert_rule.delete", "alert_rule", rule_id, shop_id, view.model_dump()
        )


# ---- raising events -------------------------------------------------------------------------


def _targets(session: Session, shop_id: int, kind: str) -> list[tuple[Channel, str]]:
    """Where an event of ``kind`` goes: (channel, target) pairs, each once."""
    rules = session.scalars(select(AlertRule).where(AlertRule.shop_id == shop_id)).all()
    if not rules:
        return [(Channel.INBOX, "")] if kind in DEFAULT_INBOX_EVENTS else []
    found: list[tuple[Channel, str]] = []
    endpoints = {
        str(e.id): e.active
        for e in session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.shop_id == shop_id))
    }
    for rule in rules:
        channel = Channel(rule.channel)
        target = rule.target or ""
        if not rule.active or kind not in json.loads(rule.events):
            continue
        if channel is Channel.WEBHOOK and not endpoints.get(target, False):
            continue
        if (channel, target) not in found:
            found.append((channel, target))
    return found


def _payload(
    platform: Platform,
    event_id: str,
    kind: str,
    now: datetime,
    shop: Shop,
    product: Product,
    review: Review,
    analysis: ReviewAnalysis | None,
    reasons: list[str],
) -> dict[str, Any]:
    base = platform.settings.public_base_url.rstrip("/")
    return {
        "id": event_id,
        "type": kind,
        "created_at": now.isoformat(),
        "shop": {"id": shop.id, "slug": shop.slug, "name": shop.name},
        "review": {
            "id": review.id,
            "version": review.version,
            "status": review.status,
            "rating": review.rating,
            "title": review.public_title,
            "text": review.public_body,
            "reviewer": review.reviewer_display,
            "language": review.language,
            "verified": review.is_verified,
            "sentiment": analysis.sentiment if analysis else None,
            "top_category": analysis.top_category if analysis else None,
            "negative_because": reasons,
            "created_at": review.created_at.isoformat(),
            "edited_at": review.edited_at.isoformat() if review.edited_at else None,
            "product": {"id": product.id, "handle": product.handle, "title": product.title},
            "variant_id": review.variant_id,
            "url": f"{base}/shops/{quote(shop.slug)}/products/{quote(product.handle)}",
        },
    }


def _inbox_title(kind: str, review: Review, product: Product) -> str:
    if kind == REVIEW_NEGATIVE:
        held = " (held for moderation)" if review.status == HELD else ""
        head = f"{review.rating}-star review of {product.title}{held}"
    else:
        head = f"Review of {product.title} is no longer negative ({review.rating} stars)"
    quote_text = review.public_title or review.public_body
    title = f"{head}: {quote_text}" if quote_text else head
    return title if len(title) <= 300 else title[:299] + "…"


def raise_for_review(platform: Platform, session: Session, review: Review) -> None:
    """Raise the alert a new or edited review calls for, in its writing transaction.

    Call it last in the transaction, after ``screen`` (it reads the stored analysis and
    the status moderation decided). The webhooks and e-mails are queued after the commit.
    """
    if review.status not in _ALERTING or review.source != "native":
        return
    analysis = session.get(ReviewAnalysis, review.id)
    reasons = negative_reasons(review.rating, analysis.sentiment if analysis else None)
    last = None
    if review.version > 1:  # a new review has raised nothing yet: no query on that hot path
        last = session.scalar(
            select(AlertEvent.type)
            .where(
                AlertEvent.shop_id == review.shop_id,
                AlertEvent.review_id == review.id,
                AlertEvent.type.in_(EVENT_TYPES),
            )
            .order_by(AlertEvent.id.desc())
            .limit(1)
        )
    kind = event_for_change(bool(reasons), last)
    if kind is None:
        return
    shop = session.get(Shop, review.shop_id)
    product = session.get(Product, review.product_id)
    assert shop is not None and product is not None
    now = platform.now()
    event_id = f"evt_{uuid.uuid4().hex}"
    payload = _payload(platform, event_id, kind, now, shop, product, review, analysis, reasons)
    row = AlertEvent(
        shop_id=shop.id,
        event_id=event_id,
        type=kind,
        review_id=review.id,
        payload=json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        created_at=now,
    )
    session.add(row)
    session.flush()
    deliveries = 0
    for channel, target in _targets(session, shop.id, kind):
        if channel is Channel.INBOX:
            session.add(
                InboxItem(
                    shop_id=shop.id,
                    event_id=row.id,
                    review_id=review.id,
                    kind=kind,
                    title=_inbox_title(kind, review, product),
                    created_at=now,
                )
            )
            continue
        deliveries += 1
        session.add(
            Delivery(
                shop_id=shop.id,
                event_id=row.id,
                channel=channel.value,
                endpoint_id=int(target) if channel is Channel.WEBHOOK else None,
                recipient=target if channel is Channel.EMAIL else None,
                status=DeliveryStatus.PENDING.value,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
    if not deliveries:
        row.dispatched_at = now  # nothing leaves reviewdesk
        return
    _deliver_after_commit(platform, session, row.id)


def _deliver_after_commit(platform: Platform, session: Session, event_pk: int) -> None:
    def dispatch(_session: Session) -> None:
        # The review is committed whatever happens here; a queue that cannot be reached
        # now leaves the deliveries due, and the every-minute task sends them.
        try:
            platform.jobs.alert_raised(event_pk)
        except Exception:
            log.exception("alert event %s not queued; the periodic task will send it", event_pk)

    orm_event.listen(session, "after_commit", dispatch, once=True)
