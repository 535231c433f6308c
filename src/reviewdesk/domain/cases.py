"""Rules of private cases (product.md §1 "Private follow-up"): who may open one, and how
its status follows the conversation.

A case is opened by the shop's staff with a first message, so it starts waiting for the
buyer. Every seller message sets ``waiting_for_buyer``, every buyer message ``open`` (the
seller's turn). Resolving records a resolution. A new message on a resolved case, by
either party, reopens it: the status follows the author as above and the resolution is
cleared (the one that was recorded stays in the audit log), because a buyer whose
replacement broke again must not have to start over, and a seller may follow up on a
resolution they gave.
"""

from __future__ import annotations

from enum import StrEnum

from reviewdesk.errors import Conflict, InvalidInput

MAX_MESSAGE_CHARS = 2000
"""Length limit of one case message."""
CASE_RATINGS = (1, 2, 3)
"""Ratings of the negative and neutral reviews a case may be opened for."""
CASE_SENTIMENTS = ("negative", "neutral")
"""Stored sentiments of the reviews a case may be opened for, whatever their rating."""


class CaseStatus(StrEnum):
    """Where a case stands."""

    OPEN = "open"
    WAITING_FOR_BUYER = "waiting_for_buyer"
    RESOLVED = "resolved"


class Resolution(StrEnum):
    """How a case was resolved."""

    REFUND = "refund"
    REPLACEMENT = "replacement"
    RETURN = "return"
    EXPLANATION = "explanation"
    NONE = "none"


class CaseParty(StrEnum):
    """The two sides of a case; messages come from one of them."""

    SELLER = "seller"
    BUYER = "buyer"


def check_may_open(rating: int, sentiment: str | None) -> None:
    """A case is for a negative or neutral review: 1-3 stars, or such a stored sentiment."""
    if rating in CASE_RATINGS or sentiment in CASE_SENTIMENTS:
        return
    raise Conflict(
        "review_not_negative",
        "A private case is for a negative or neutral review (1-3 stars, or text read as "
        "negative or neutral).",
    )


def status_after_message(author: CaseParty) -> CaseStatus:
    """The status a new message gives the case (also when it was resolved: it reopens)."""
    return CaseStatus.WAITING_FOR_BUYER if author is CaseParty.SELLER else CaseStatus.OPEN


def check_may_resolve(status: CaseStatus) -> None:
    """A resolved case is not resolved again (a new message reopens it first)."""
    if status is CaseStatus.RESOLVED:
        raise Conflict("case_resolved", "This case is already resolved.")


def message_text(text: str) -> str:
    """The text of a case message, trimmed; empty or too long is refused."""
    body = text.strip()
    if not body:
        raise InvalidInput("message_empty", "A case message needs a text.", field="text")
    if len(body) > MAX_MESSAGE_CHARS:
        raise InvalidInput(
            "message_too_long",
            f"A case message has at most {MAX_MESSAGE_CHARS} characters, got {len(body)}.",
            field="text",
            limit=MAX_MESSAGE_CHARS,
            length=len(body),
        )
    return body
