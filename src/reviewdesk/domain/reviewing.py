"""Who may review, and what a review must contain (product.md §1 "Who may review")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from reviewdesk.errors import Conflict, InvalidInput, NotAllowed


@dataclass(frozen=True)
class ReviewPolicy:
    """The platform's configurable review rules."""

    review_window_days: int = 60
    text_required_ratings: frozenset[int] = frozenset()
    text_min_chars: int = 0
    text_max_chars: int = 5000
    title_max_chars: int = 150


@dataclass(frozen=True)
class OrderLineFacts:
    """What eligibility needs to know of an order line."""

    buyer_id: int
    delivered_at: datetime | None


def window_closes_at(delivered_at: datetime, window_days: int) -> datetime:
    """The moment after which a delivered line can no longer be reviewed."""
    return delivered_at + timedelta(days=window_days)


def check_may_review(
    line: OrderLineFacts,
    *,
    buyer_id: int,
    now: datetime,
    policy: ReviewPolicy,
    already_reviewed: bool,
) -> None:
    """Refuse, with a stable code, a buyer who may not review this order line now."""
    if line.buyer_id != buyer_id:
        raise NotAllowed("not_your_order", "This order line belongs to another buyer.")
    if line.delivered_at is None:
        raise Conflict(
            "not_delivered", "This order line has not been delivered yet; review it after delivery."
        )
    if now > window_closes_at(line.delivered_at, policy.review_window_days):
        raise Conflict(
            "review_window_closed",
            f"Reviews are accepted for {policy.review_window_days} days after delivery; "
            f"this line was delivered on {line.delivered_at.date().isoformat()}.",
        )
    if already_reviewed:
        raise Conflict("already_reviewed", "This order line already has a review.")


@dataclass(frozen=True)
class ReviewContent:
    """A checked rating, title and text (blank strings turned into None)."""

    rating: int
    title: str | None
    text: str | None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.replace("\r\n", "\n").replace("\x00", "").strip()
    return value or None


def check_content(
    rating: object, title: str | None, text: str | None, policy: ReviewPolicy
) -> ReviewContent:
    """Refuse a review whose rating, title or text break the policy; return the clean content."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput(
            "invalid_rating",
            f"rating must be a whole number from 1 to 5, got {rating!r}",
            field="rating",
        )
    clean_title, clean_text = _clean(title), _clean(text)
    if clean_title is not None and len(clean_title) > policy.title_max_chars:
        raise InvalidInput(
            "title_too_long",
            f"title has {len(clean_title)} characters; at most {policy.title_max_chars}",
            field="title",
        )
    if clean_text is not None and len(clean_text) > policy.text_max_chars:
        raise InvalidInput(
            "text_too_long",
            f"text has {len(clean_text)} characters; at most {policy.text_max_chars}",
            field="text",
        )
    if rating in policy.text_required_ratings:
        if clean_text is None:
            raise InvalidInput(
                "text_required", f"a {rating}-star review needs a text", field="text"
            )
        if len(clean_text) < policy.text_min_chars:
            raise InvalidInput(
                "text_too_short",
                f"a {rating}-star review needs at least {policy.text_min_chars} characters "
                f"of text, got {len(clean_text)}",
                field="text",
            )
    return ReviewContent(rating=rating, title=clean_title, text=clean_text)
