"""Who is acting: the principal every service function receives and checks."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """The roles of product.md §2."""

    OPERATOR = "operator"
    MODERATOR = "moderator"
    SELLER = "seller"
    BUYER = "buyer"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: a role, and the seller account or buyer it acts for."""

    role: Role
    seller_id: int | None = None
    buyer_id: int | None = None
    token_id: int | None = None

    @property
    def key(self) -> str:
        """A stable string naming the actor (audit log, vote and idempotency keys)."""
        if self.role is Role.SELLER:
            return f"seller:{self.seller_id}"
        if self.role is Role.BUYER:
            return f"buyer:{self.buyer_id}"
        if self.role is Role.MODERATOR:
            return f"moderator:{self.token_id or 0}"
        return f"operator:{self.token_id or 0}"

    @property
    def is_operator(self) -> bool:
        """True for the platform's operator."""
        return self.role is Role.OPERATOR

    @property
    def is_moderator(self) -> bool:
        """True for a moderator, and for the operator (who may do everything)."""
        return self.role in (Role.MODERATOR, Role.OPERATOR)


OPERATOR = Principal(Role.OPERATOR)
"""The operator acting from the command line or from library code with full rights."""


def may_manage_seller(principal: Principal, seller_id: int) -> bool:
    """The operator, or a member of that seller account."""
    return principal.is_operator or (
        principal.role is Role.SELLER and principal.seller_id == seller_id
    )
