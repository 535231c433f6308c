"""Routes: the seller's inbox over all their shops."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from reviewdesk.api.auth import PlatformDep, PrincipalDep
from reviewdesk.api.params import RowId
from reviewdesk.db.base import MAX_ID
from reviewdesk.services import inbox
from reviewdesk.services.inbox import (
    InboxBatchIn,
    InboxBatchResult,
    InboxFilter,
    InboxItemPatch,
    InboxItemView,
    InboxPage,
    State,
)

router = APIRouter(tags=["inbox"])
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


@router.get("/inbox")
def list_inbox(
    platform: PlatformDep,
    principal: PrincipalDep,
    shop_id: OptionalId = None,
    kind: Annotated[str | None, Query(max_length=48)] = None,
    state: State = "unhandled",
    unread: bool | None = None,
    seller_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="the operator: whose inbox")
    ] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
) -> InboxPage:
    """Alerts of every shop of the seller, newest first, with per-shop and combined counts."""
    chosen = InboxFilter(shop_id=shop_id, kind=kind, state=state, unread=unread)
    return inbox.list_inbox(
        platform, principal, chosen, seller_id=seller_id, cursor=cursor, limit=limit
    )


@router.patch("/inbox/{item_id}")
def update_inbox_item(
    item_id: RowId, body: InboxItemPatch, platform: PlatformDep, principal: PrincipalDep
) -> InboxItemView:
    """Mark one item read or unread, handled or not (handling also marks it read)."""
    return inbox.update_item(platform, principal, item_id, body)


@router.post("/inbox/batch")
def batch_inbox(
    body: InboxBatchIn, platform: PlatformDep, principal: PrincipalDep
) -> InboxBatchResult:
    """Mark a selection (``ids``) or everything a filter matches, all or nothing."""
    return inbox.mark_items(platform, principal, body)
