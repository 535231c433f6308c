"""Routes: tokens and the caller's identity."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from reviewdesk.api.auth import PlatformDep, PrincipalDep
from reviewdesk.api.params import RowId
from reviewdesk.domain.principals import Role
from reviewdesk.services import access
from reviewdesk.services.catalog import RecordId

router = APIRouter(tags=["access"])


class TokenIn(BaseModel):
    role: Role
    seller_id: RecordId | None = None
    buyer_id: RecordId | None = None
    name: str = Field("", max_length=200)


class TokenOut(BaseModel):
    id: int
    token: str = Field(description="Shown once; only its hash is stored")
    role: Role
    seller_id: int | None
    buyer_id: int | None


class MeOut(BaseModel):
    role: Role
    seller_id: int | None
    buyer_id: int | None


@router.post("/tokens", status_code=status.HTTP_201_CREATED)
def create_token(body: TokenIn, platform: PlatformDep, principal: PrincipalDep) -> TokenOut:
    """Issue a bearer token (operator)."""
    plain, row = access.create_token(
        platform,
        principal,
        role=body.role,
        seller_id=body.seller_id,
        buyer_id=body.buyer_id,
        name=body.name,
    )
    return TokenOut(
        id=row.id, token=plain, role=Role(row.role), seller_id=row.seller_id, buyer_id=row.buyer_id
    )


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: RowId, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """Revoke a token (operator)."""
    access.revoke_token(platform, principal, token_id)
    return Response(status_code=204)


@router.get("/me")
def me(principal: PrincipalDep) -> MeOut:
    """Who the bearer token belongs to."""
    return MeOut(role=principal.role, seller_id=principal.seller_id, buyer_id=principal.buyer_id)
