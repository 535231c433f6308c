"""Routes: a shop's alert configuration (webhook endpoints, rules) and its delivery log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from reviewdesk.api.auth import PlatformDep, PrincipalDep
from reviewdesk.api.params import RowId
from reviewdesk.db.base import MAX_ID
from reviewdesk.domain.alerts import Channel, DeliveryStatus
from reviewdesk.services import alert_delivery, alerts
from reviewdesk.services.alert_delivery import DeliveryDetail, DeliveryView
from reviewdesk.services.alerts import (
    AlertRuleIn,
    AlertRulePatch,
    AlertRules,
    AlertRuleView,
    WebhookEndpointIn,
    WebhookEndpointView,
    WebhookEndpointWithSecret,
)
from reviewdesk.services.catalog import Page

router = APIRouter(tags=["alerts"])


@router.post("/shops/{shop_id}/webhook-endpoints", status_code=status.HTTP_201_CREATED)
def create_webhook_endpoint(
    shop_id: RowId, body: WebhookEndpointIn, platform: PlatformDep, principal: PrincipalDep
) -> WebhookEndpointWithSecret:
    """Add a webhook endpoint; its signing secret is in this response only."""
    return alerts.create_webhook_endpoint(platform, principal, shop_id, body)


@router.get("/shops/{shop_id}/webhook-endpoints")
def list_webhook_endpoints(
    shop_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> list[WebhookEndpointView]:
    """The shop's webhook endpoints (secrets are never shown again)."""
    return alerts.list_webhook_endpoints(platform, principal, shop_id)


@router.post("/shops/{shop_id}/webhook-endpoints/{endpoint_id}/rotate-secret")
def rotate_webhook_secret(
    shop_id: RowId, endpoint_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> WebhookEndpointWithSecret:
    """Replace the endpoint's signing secret; the new one is in this response only."""
    return alerts.rotate_webhook_secret(platform, principal, shop_id, endpoint_id)


@router.post("/shops/{shop_id}/webhook-endpoints/{endpoint_id}/deactivate")
def deactivate_webhook_endpoint(
    shop_id: RowId, endpoint_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> WebhookEndpointView:
    """Stop sending to the endpoint; its pending deliveries fail."""
    return alerts.deactivate_webhook_endpoint(platform, principal, shop_id, endpoint_id)


@router.post("/shops/{shop_id}/alert-rules", status_code=status.HTTP_201_CREATED)
def create_alert_rule(
    shop_id: RowId, body: AlertRuleIn, platform: PlatformDep, principal: PrincipalDep
) -> AlertRuleView:
    """Send event types to the inbox, an e-mail address or a webhook endpoint."""
    return alerts.create_alert_rule(platform, principal, shop_id, body)


@router.get("/shops/{shop_id}/alert-rules")
def list_alert_rules(shop_id: RowId, platform: PlatformDep, principal: PrincipalDep) -> AlertRules:
    """The shop's rules; without any, negative reviews go to the inbox."""
    return alerts.list_alert_rules(platform, principal, shop_id)


@router.patch("/shops/{shop_id}/alert-rules/{rule_id}")
def update_alert_rule(
    shop_id: RowId,
    rule_id: RowId,
    body: AlertRulePatch,
    platform: PlatformDep,
    principal: PrincipalDep,
) -> AlertRuleView:
    """Change a rule's events, or switch it off and on."""
    return alerts.update_alert_rule(platform, principal, shop_id, rule_id, body)


@router.delete("/shops/{shop_id}/alert-rules/{rule_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_alert_rule(
    shop_id: RowId, rule_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Remove a rule."""
    alerts.delete_alert_rule(platform, principal, shop_id, rule_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/shops/{shop_id}/alert-deliveries")
def list_deliveries(
    shop_id: RowId,
    platform: PlatformDep,
    principal: PrincipalDep,
    status: DeliveryStatus | None = None,
    channel: Channel | None = None,
    endpoint_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> Page[DeliveryView]:
    """The delivery log: every webhook and e-mail delivery of the shop, newest first."""
    return alert_delivery.list_deliveries(
        platform,
        principal,
        shop_id,
        status=status,
        channel=channel,
        endpoint_id=endpoint_id,
        cursor=cursor,
        limit=limit,
    )


@router.get("/shops/{shop_id}/alert-deliveries/{delivery_id}")
def get_delivery(
    shop_id: RowId, delivery_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> DeliveryDetail:
    """One delivery: its payload and every attempt (time, status code, error, duration)."""
    return alert_delivery.get_delivery(platform, principal, shop_id, delivery_id)


@router.post("/shops/{shop_id}/alert-deliveries/{delivery_id}/redeliver")
def redeliver(
    shop_id: RowId, delivery_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> DeliveryDetail:
    """Attempt the delivery again now (logged as manual); the outcome is in the log."""
    return alert_delivery.redeliver(platform, principal, shop_id, delivery_id)
