"""Routes: writing, editing and deleting reviews, their media, helpful votes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile, status
from pydantic import BaseModel, ConfigDict, Field

from reviewdesk.api.auth import PlatformDep, PrincipalDep
from reviewdesk.api.params import RowId
from reviewdesk.db.base import MAX_ID
from reviewdesk.errors import TooLarge
from reviewdesk.services import reviews
from reviewdesk.services.catalog import Page, RecordId
from reviewdesk.services.reviews import MediaUpload, ReviewView, RevisionView, VoteView

router = APIRouter(tags=["reviews"])


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    order_line_id: RecordId
    rating: int
    title: str | None = Field(None, max_length=1000)
    text: str | None = Field(None, max_length=100_000)


class ReviewPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rating: int | None = None
    title: str | None = Field(None, max_length=1000)
    text: str | None = Field(None, max_length=100_000)


@router.post("/reviews", status_code=status.HTTP_201_CREATED)
def submit_review(
    body: ReviewIn, platform: PlatformDep, principal: PrincipalDep, response: Response
) -> ReviewView:
    """The buyer reviews a delivered order line of theirs."""
    view = reviews.submit_review(
        platform,
        principal,
        order_line_id=body.order_line_id,
        rating=body.rating,
        title=body.title,
        text=body.text,
    )
    response.headers["Location"] = f"/api/v1/reviews/{view.id}"
    return view


@router.get("/shops/{shop_id}/reviews")
def shop_reviews(
    shop_id: RowId,
    platform: PlatformDep,
    principal: PrincipalDep,
    product_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    stars: Annotated[list[int] | None, Query()] = None,
    edited: bool | None = None,
    incentivized: bool | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[ReviewView]:
    """Every live review of the shop, newest first, as its staff sees them."""
    return reviews.list_reviews_for_staff(
        platform,
        principal,
        shop_id,
        product_id=product_id,
        stars=stars,
        edited=edited,
        incentivized=incentivized,
        cursor=cursor,
        limit=limit,
    )


@router.get("/reviews/{review_id}")
def get_review(review_id: RowId, platform: PlatformDep, principal: PrincipalDep) -> ReviewView:
    """A review with its status and edit state (its author, the shop's staff)."""
    return reviews.get_review(platform, principal, review_id)


@router.patch("/reviews/{review_id}")
def edit_review(
    review_id: RowId, body: ReviewPatch, platform: PlatformDep, principal: PrincipalDep
) -> ReviewView:
    """The author edits the review; the previous version is kept."""
    changes = body.model_dump(exclude_unset=True)
    return reviews.edit_review(platform, principal, review_id, **changes)


@router.delete("/reviews/{review_id}", status_code=204)
def delete_review(review_id: RowId, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """The author deletes the review."""
    reviews.delete_review(platform, principal, review_id)
    return Response(status_code=204)


@router.get("/reviews/{review_id}/history")
def review_history(
    review_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> list[RevisionView]:
    """Every version of the review (its author, the shop's staff)."""
    return reviews.review_history(platform, principal, review_id)


@router.post("/reviews/{review_id}/media", status_code=status.HTTP_201_CREATED)
def add_media(
    review_id: RowId,
    files: Annotated[list[UploadFile], File()],
    platform: PlatformDep,
    principal: PrincipalDep,
) -> ReviewView:
    """The author attaches photos or a video (type checked by content)."""
    limit = max(platform.settings.max_photo_bytes, platform.settings.max_video_bytes)
    uploads = []
    for upload in files:
        data = upload.file.read(limit + 1)
        if len(data) > limit:
            raise TooLarge(
                "media_too_large",
                f"{upload.filename or 'a file'} is larger than {limit // (1024 * 1024)} MiB",
            )
        uploads.append(MediaUpload(data, upload.filename))
    return reviews.add_media(platform, principal, review_id, uploads)


@router.delete("/reviews/{review_id}/media/{media_id}")
def remove_media(
    review_id: RowId, media_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> ReviewView:
    """The author removes a photo or video."""
    return reviews.remove_media(platform, principal, review_id, media_id)


@router.post("/reviews/{review_id}/helpful")
def vote_helpful(review_id: RowId, platform: PlatformDep, principal: PrincipalDep) -> VoteView:
    """A buyer marks a review helpful (once)."""
    return reviews.vote_helpful(platform, principal, review_id)


@router.delete("/reviews/{review_id}/helpful")
def withdraw_vote(review_id: RowId, platform: PlatformDep, principal: PrincipalDep) -> VoteView:
    """A buyer takes back their helpful vote."""
    return reviews.withdraw_vote(platform, principal, review_id)
