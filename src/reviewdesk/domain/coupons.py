"""Review coupons (product.md §1 "Review coupons"): promotion status, qualification, edits.

The reward never depends on the rating or on what the review says: ``qualifies`` takes no
rating and no sentiment, only the moment, the product, the length and the media.

Words are counted as runs of letters or digits separated by anything else (spaces,
punctuation, emoji), which counts English and Indonesian words, and Vietnamese syllables,
which Vietnamese writes apart ("rất đẹp" is two). Scripts written without spaces (Thai,
Chinese) count one word per unbroken run, so such reviews rarely reach the threshold;
reviewdesk's markets for coupons are EN, ID and VI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from reviewdesk.errors import Conflict, InvalidInput

MIN_WORDS = 11
DEFAULT_COUPON_DAYS = 60
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


class PromotionStatus(StrEnum):
    """Where a promotion stands, derived from its times and whether it was deactivated."""

    UPCOMING = "upcoming"
    ONGOING = "ongoing"
    ENDED = "ended"
    DEACTIVATED = "deactivated"


class DiscountKind(StrEnum):
    """A coupon takes a fixed amount or a percentage off."""

    FIXED = "fixed"
    PERCENT = "percent"


def count_words(text: str | None) -> int:
    """Words of a review text (see the module docstring for the rule)."""
    return len(_WORD.findall(text or ""))


def promotion_status(
    start_at: datetime, end_at: datetime, deactivated_at: datetime | None, now: datetime
) -> PromotionStatus:
    """The status of a promotion at ``now``."""
    if deactivated_at is not None:
        return PromotionStatus.DEACTIVATED
    if now < start_at:
        return PromotionStatus.UPCOMING
    if now < end_at:
        return PromotionStatus.ONGOING
    return PromotionStatus.ENDED


@dataclass(frozen=True)
class Discount:
    """The discount a promotion's coupons carry."""

    kind: DiscountKind
    value: Decimal

    def check(self) -> None:
        """Refuse a discount that is not positive, or a percentage above 100."""
        if self.value <= 0:
            raise InvalidInput(
                "invalid_discount", "the discount must be above zero", field="discount_value"
            )
        if self.kind is DiscountKind.PERCENT and self.value > 100:
            raise InvalidInput(
                "invalid_discount", "a percentage discount is at most 100", field="discount_value"
            )


def check_window(start_at: datetime, end_at: datetime) -> None:
    """Refuse a promotion that ends before it starts."""
    if end_at <= start_at:
        raise InvalidInput(
            "invalid_promotion_window", "end_at must be after start_at", field="end_at"
        )


def windows_overlap(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Whether two half-open windows [start, end) share a moment."""
    return a_start < b_end and b_start < a_end


@dataclass(frozen=True)
class ReviewFacts:
    """What qualification looks at: never the rating, never the sentiment."""

    written_at: datetime
    product_id: int
    text: str | None
    title: str | None
    photo_count: int
    video_count: int


@dataclass(frozen=True)
class PromotionFacts:
    start_at: datetime
    end_at: datetime
    deactivated_at: datetime | None
    covers_all: bool
    product_ids: frozenset[int]


def qualifies(review: ReviewFacts, promotion: PromotionFacts) -> bool:
    """Whether a review earns a coupon of the promotion (product.md §1)."""
    if promotion.deactivated_at is not None and promotion.deactivated_at <= review.written_at:
        return False
    if not promotion.start_at <= review.written_at < promotion.end_at:
        return False
    if not promotion.covers_all and review.product_id not in promotion.product_ids:
        return False
    if review.photo_count + review.video_count < 1:
        return False
    return count_words(review.text) >= MIN_WORDS


@dataclass(frozen=True)
class PromotionChange:
    """What an edit asks to change (None: unchanged)."""

    name: str | None = None
    discount: Discount | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None
    budget: int | None = None
    clear_budget: bool = False
    products_changed: bool = False


def check_edit(
    status: PromotionStatus,
    change: PromotionChange,
    *,
    end_at: datetime,
    issued: int,
    now: datetime,
) -> None:
    """Refuse an edit the promotion's status does not allow.

    Upcoming: anything. Ongoing: the name, a later end, a larger budget (or none) — what
    buyers were promised when they wrote (discount, products, start) stays. Ended and
    deactivated promotions are history and do not change.
    """
    if status in (PromotionStatus.ENDED, PromotionStatus.DEACTIVATED):
        raise Conflict("promotion_closed", f"a {status.value} promotion cannot be changed")
    if change.budget is not None and change.budget < issued:
        raise Conflict(
            "budget_below_issued",
            f"{issued} coupons were issued already; the budget cannot be lower",
            field="budget",
        )
    if status is PromotionStatus.UPCOMING:
        return
    frozen = [
        name
        for name, changed in (
            ("discount", change.discount is not None),
            ("start_at", change.start_at is not None),
            ("products", change.products_changed),
        )
        if changed
    ]
    if frozen:
        raise Conflict(
            "promotion_ongoing",
            f"an ongoing promotion keeps its {', '.join(frozen)}; "
            "only its name, a later end and a larger budget may change",
        )
    if change.end_at is not None and change.end_at < max(end_at, now):
        raise Conflict(
            "promotion_ongoing", "an ongoing promotion may only be extended", field="end_at"
        )


def coupon_expiry(issued_at: datetime, days: int = DEFAULT_COUPON_DAYS) -> datetime:
    """When a coupon issued at ``issued_at`` stops being redeemable."""
    return issued_at + timedelta(days=days)
