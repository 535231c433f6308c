"""Bearer tokens and tenant checks: who may see and change what, in one place."""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewdesk.db.access import ApiToken, AuditEntry
from reviewdesk.db.catalog import SellerAccount, Shop
from reviewdesk.db.orders import Buyer
from reviewdesk.domain.principals import Principal, Role, may_manage_seller
from reviewdesk.errors import InvalidInput, NotAllowed, NotAuthenticated, NotFound
from reviewdesk.services.platform import Platform

TOKEN_PREFIX = "rd_"


def hash_token(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored (tokens are 256-bit random)."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    platform: Platform,
    actor: Principal,
    *,
    role: Role | str,
    seller_id: int | None = None,
    buyer_id: int | None = None,
    name: str = "",
) -> tuple[str, ApiToken]:
    """Issue a bearer token; the plain token is returned once and never stored."""
    if not actor.is_operator:
        raise NotAllowed("operator_only", "Only the operator issues tokens.")
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput(
            "invalid_role",
            f"role must be operator, moderator, seller or buyer, got {role!r}",
            field="role",
        ) from None
    if role is Role.SELLER and (seller_id is None or buyer_id is not None):
        raise InvalidInput("invalid_token_owner", "a seller token needs seller_id (only)")
    if role is Role.BUYER and (buyer_id is None or seller_id is not None):
        raise InvalidInput("invalid_token_owner", "a buyer token needs buyer_id (only)")
    if role in (Role.OPERATOR, Role.MODERATOR) and (seller_id is not None or buyer_id is not None):
        raise InvalidInput("invalid_token_owner", f"a {role.value} token has no seller or buyer")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with platform.db.write() as session:
        if seller_id is not None and session.get(SellerAccount, seller_id) is None:
            raise NotFound("seller_not_found", f"seller {seller_id} does not exist")
        if buyer_id is not None and session.get(Buyer, buyer_id) is None:
            raise NotFound("buyer_not_found", f"buyer {buyer_id} does not exist")
        token = ApiToken(
            token_hash=hash_token(plain),
            prefix=plain[:10],
            role=role.value,
            seller_id=seller_id,
            buyer_id=buyer_id,
            name=name,
        )
        session.add(token)
        session.flush()
        audit(session, actor, "token.create", "api_token", token.id, None, {"role": role.value})
    return plain, token


def authenticate(platform: Platform, token: str | None) -> Principal:
    """The principal of a bearer token; a missing, unknown or revoked token is refused."""
    if not token:
        raise NotAuthenticated("not_authenticated", "A bearer token is required.")
    with platform.db.read() as session:
        row = session.scalars(
            select(ApiToken).where(ApiToken.token_hash == hash_token(token))
        ).one_or_none()
    if row is None or row.revoked_at is not None:
        raise NotAuthenticated("invalid_token", "The bearer token is unknown or revoked.")
    return Principal(Role(row.role), row.seller_id, row.buyer_id, row.id)


def revoke_token(platform: Platform, actor: Principal, token_id: int) -> None:
    """Revoke a token so that it authenticates nothing any more."""
    if not actor.is_operator:
        raise NotAllowed("operator_only", "Only the operator revokes tokens.")
    with platform.db.write() as session:
        row = session.get(ApiToken, token_id)
        if row is None:
            raise NotFound("token_not_found", f"token {token_id} does not exist")
        row.revoked_at = platform.now()
        audit(session, actor, "token.revoke", "api_token", token_id, None, {})


def resolve_buyer(platform: Platform, reference: str) -> int:
    """The id of a buyer given by id or by external id."""
    with platform.db.read() as session:
        if reference.isdigit() and session.get(Buyer, int(reference)) is not None:
            return int(reference)
        found = session.scalar(select(Buyer.id).where(Buyer.external_id == reference))
    if found is None:
        raise NotFound("buyer_not_found", f"no buyer with id or external id {reference!r}")
    return int(found)


def resolve_shop(platform: Platform, reference: str) -> int:
    """The id of a shop given by id or by slug."""
    with platform.db.read() as session:
        if reference.isdigit() and session.get(Shop, int(reference)) is not None:
            return int(reference)
        found = session.scalar(select(Shop.id).where(Shop.slug == reference))
    if found is None:
        raise NotFound("shop_not_found", f"no shop with id or slug {reference!r}")
    return int(found)


def shop_for_staff(session: Session, principal: Principal, shop_id: int) -> Shop:
    """The shop, when the principal is the operator or a member of its seller account."""
    shop = session.get(Shop, shop_id)
    if shop is None:
        raise NotFound("shop_not_found", f"shop {shop_id} does not exist")
    if not may_manage_seller(principal, shop.seller_id):
        raise NotAllowed("not_your_shop", "This shop belongs to another seller account.")
    return shop


def require_operator(principal: Principal) -> None:
    """Refuse anyone but the operator."""
    if not principal.is_operator:
        raise NotAllowed("operator_only", "Only the operator may do this.")


def require_moderator(principal: Principal) -> None:
    """Refuse anyone but a moderator or the operator."""
    if not principal.is_moderator:
        raise NotAllowed("moderator_only", "Only a moderator may do this.")


def require_buyer(principal: Principal) -> int:
    """The buyer id of a buyer principal; anyone else is refused."""
    if principal.role is not Role.BUYER or principal.buyer_id is None:
        raise NotAllowed("buyer_only", "Only a buyer may do this.")
    return principal.buyer_id


def audit(
    session: Session,
    actor: Principal,
    action: str,
    subject_type: str,
    subject_id: int | None,
    shop_id: int | None,
    detail: dict[str, Any],
) -> None:
    """Record an action in the audit log, in the same transaction as the action."""
    session.add(
        AuditEntry(
            shop_id=shop_id,
            actor=actor.key,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            detail=json.dumps(detail, default=str, ensure_ascii=False),
        )
    )
