"""Routes: the moderation queue, decisions and a review's moderation history (moderators)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from reviewdesk.api.auth import PlatformDep, PrincipalDep
from reviewdesk.api.params import RowId
from reviewdesk.services import moderation
from reviewdesk.services.catalog import Page
from reviewdesk.services.moderation import DecisionIn, DecisionView, QueuedReview

router = APIRouter(prefix="/moderation", tags=["moderation"])


@router.get("/queue")
def moderation_queue(
    platform: PlatformDep,
    principal: PrincipalDep,
    review_status: Annotated[Literal["held", "hidden"], Query(alias="status")] = "held",
    shop_id: RowId | None = None,
    reason: Annotated[str | None, Query(max_length=40)] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> Page[QueuedReview]:
    """Reviews held for a moderator (or hidden), oldest first, with the reasons."""
    return moderation.moderation_queue(
        platform,
        principal,
        status=review_status,
        shop_id=shop_id,
        reason=reason,
        cursor=cursor,
        limit=limit,
    )


@router.post("/reviews/{review_id}/decisions", status_code=status.HTTP_201_CREATED)
def decide(
    review_id: RowId, body: DecisionIn, platform: PlatformDep, principal: PrincipalDep
) -> DecisionView:
    """Publish, hide or reject a review (a reason is required to hide or reject)."""
    return moderation.decide(platform, principal, review_id, body)


@router.get("/reviews/{review_id}/decisions")
def history(review_id: RowId, platform: PlatformDep, principal: PrincipalDep) -> list[DecisionView]:
    """Every moderation decision on a review, automatic or not, oldest first."""
    return moderation.review_history(platform, principal, review_id)
