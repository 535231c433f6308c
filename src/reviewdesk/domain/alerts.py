"""Alert rules without I/O: what is negative, which event a review change raises, retries.

A review is negative when it has 1-2 stars or the text engine reads its text as negative
(product.md §1 "Alerts"). A review raises ``review.negative`` when it becomes negative:
written negative, or edited from not negative into negative. An edit that keeps it negative
raises nothing new (the seller was told; the review shows as edited), and an edit that
takes an alerted review out of negative raises ``review.no_longer_negative``, which also
ends the episode: a later edit back into negative alerts again.

Failed deliveries are retried with exponential backoff (``base``, ``2 * base``, ... at most
an hour apart) until ``window`` has passed since the delivery was created; the first
attempt failing after that marks the delivery failed, so every delivery is retried for at
least the whole window.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final, Literal


class Channel(StrEnum):
    """Where an alert goes."""

    INBOX = "inbox"
    EMAIL = "email"
    WEBHOOK = "webhook"


class DeliveryStatus(StrEnum):
    """The state of one event's delivery to one endpoint or address."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


REVIEW_NEGATIVE: Final = "review.negative"
REVIEW_NO_LONGER_NEGATIVE: Final = "review.no_longer_negative"
EventType = Literal["review.negative", "review.no_longer_negative"]
EVENT_TYPES: tuple[EventType, ...] = (REVIEW_NEGATIVE, REVIEW_NO_LONGER_NEGATIVE)
# What a shop without any alert rule gets: negative reviews in its inbox.
DEFAULT_INBOX_EVENTS: tuple[EventType, ...] = (REVIEW_NEGATIVE,)

RETRY_CAP_SECONDS = 3600.0


def negative_reasons(rating: int, sentiment: str | None) -> list[str]:
    """Why a review counts as negative (``rating``, ``sentiment``); empty when it does not."""
    reasons = []
    if rating <= 2:
        reasons.append("rating")
    if sentiment == "negative":
        reasons.append("sentiment")
    return reasons


def event_for_change(negative: bool, last_event: str | None) -> EventType | None:
    """The event a review's new version raises, given the last one it raised (if any)."""
    alerted = last_event == REVIEW_NEGATIVE
    if negative and not alerted:
        return REVIEW_NEGATIVE
    if not negative and alerted:
        return REVIEW_NO_LONGER_NEGATIVE
    return None


def retry_delay(attempts: int, base_seconds: float) -> float:
    """Seconds to wait after the ``attempts``-th failed attempt (1, 2, ...)."""
    exponent = min(max(attempts - 1, 0), 32)  # 2**32 * base is past the cap anyway
    return float(min(base_seconds * 2**exponent, RETRY_CAP_SECONDS))


def next_attempt_at(
    created_at: datetime,
    failed_at: datetime,
    attempts: int,
    *,
    base_seconds: float,
    window: timedelta,
) -> datetime | None:
    """When to try a delivery again after a failed attempt; None: give up (failed)."""
    if failed_at >= created_at + window:
        return None
    return failed_at + timedelta(seconds=retry_delay(attempts, base_seconds))
