"""Routes: private cases between a shop and the buyer of a review."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from reviewdesk.api.auth import PlatformDep, PrincipalDep
from reviewdesk.api.params import RowId
from reviewdesk.domain.cases import CaseStatus
from reviewdesk.services import cases
from reviewdesk.services.cases import (
    CaseMessageIn,
    CaseOpenIn,
    CaseResolveIn,
    CaseSummary,
    CaseView,
)
from reviewdesk.services.catalog import Page

router = APIRouter(tags=["cases"])


@router.post("/reviews/{review_id}/case", status_code=status.HTTP_201_CREATED)
def open_case(
    review_id: RowId,
    body: CaseOpenIn,
    platform: PlatformDep,
    principal: PrincipalDep,
    response: Response,
) -> CaseView:
    """The shop's staff open a private case about a 1-3 star (or negative or neutral)
    review, with a first message to its buyer."""
    view = cases.open_case(platform, principal, review_id, body.message)
    response.headers["Location"] = f"/api/v1/cases/{view.id}"
    return view


@router.get("/shops/{shop_id}/cases")
def shop_cases(
    shop_id: RowId,
    platform: PlatformDep,
    principal: PrincipalDep,
    status: CaseStatus | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[CaseSummary]:
    """The shop's cases, newest first (the shop's staff, moderators)."""
    return cases.list_shop_cases(
        platform, principal, shop_id, status=status, cursor=cursor, limit=limit
    )


@router.get("/me/cases")
def my_cases(
    platform: PlatformDep,
    principal: PrincipalDep,
    status: CaseStatus | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[CaseSummary]:
    """The buyer's own cases, newest first."""
    return cases.list_my_cases(platform, principal, status=status, cursor=cursor, limit=limit)


@router.get("/cases/{case_id}")
def get_case(case_id: RowId, platform: PlatformDep, principal: PrincipalDep) -> CaseView:
    """A case with its messages (its seller, its buyer, moderators)."""
    return cases.get_case(platform, principal, case_id)


@router.post("/cases/{case_id}/messages", status_code=status.HTTP_201_CREATED)
def add_message(
    case_id: RowId, body: CaseMessageIn, platform: PlatformDep, principal: PrincipalDep
) -> CaseView:
    """A message from the seller (status waiting_for_buyer) or the buyer (status open);
    a message on a resolved case reopens it."""
    return cases.add_message(platform, principal, case_id, body.text)


@router.post("/cases/{case_id}/resolve")
def resolve_case(
    case_id: RowId, body: CaseResolveIn, platform: PlatformDep, principal: PrincipalDep
) -> CaseView:
    """The shop's staff resolve the case with a resolution."""
    return cases.resolve_case(platform, principal, case_id, body.resolution)
