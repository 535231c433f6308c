"""Routes: the shop's public reply to a review."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from reviewdesk.api.auth import PlatformDep, PrincipalDep
from reviewdesk.api.params import RowId
from reviewdesk.services import replies
from reviewdesk.services.replies import ReplyIn, ReplyView

router = APIRouter(tags=["replies"])


@router.get("/reviews/{review_id}/reply")
def get_reply(review_id: RowId, platform: PlatformDep, principal: PrincipalDep) -> ReplyView:
    """The reply with the warnings it was saved with (the shop's staff, moderators)."""
    return replies.get_reply(platform, principal, review_id)


@router.post("/reviews/{review_id}/reply", status_code=status.HTTP_201_CREATED)
def create_reply(
    review_id: RowId, body: ReplyIn, platform: PlatformDep, principal: PrincipalDep
) -> ReplyView:
    """Publish the shop's one reply to a review; a non-compliant text is refused
    (``reply_not_compliant``, with each finding), warnings come back with the reply."""
    return replies.create_reply(platform, principal, review_id, body.text)


@router.put("/reviews/{review_id}/reply")
def edit_reply(
    review_id: RowId, body: ReplyIn, platform: PlatformDep, principal: PrincipalDep
) -> ReplyView:
    """Replace the reply's text (checked again)."""
    return replies.edit_reply(platform, principal, review_id, body.text)


@router.delete("/reviews/{review_id}/reply", status_code=204)
def delete_reply(review_id: RowId, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """Take the reply down."""
    replies.delete_reply(platform, principal, review_id)
    return Response(status_code=204)
