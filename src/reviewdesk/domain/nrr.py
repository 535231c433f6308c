"""Negative Review Rate (product.md §1): which reviews count, the windows, the rate.

NRR over a window of W days = native negative (1-2 star) reviews on the order lines
delivered in the last W days / the order lines delivered in the last W days. A window is
the rolling interval ``now - W days <= delivered_at <= now``; the daily series splits the
largest window by UTC day of delivery, so its first and last days are partial and the
series adds up to the largest window exactly.

Which reviews count (whatever their age, only their order line's delivery matters):

- native ones only: imported reviews never count;
- ``published`` and ``held`` (a real review waiting for a moderator: the buyer's verdict
  stands until someone decides otherwise) and ``hidden`` (taken off display, by a
  moderator or while a seller's report is examined: only an upheld report takes a review
  out of metrics, so a report cannot lower NRR before it is decided);
- not ``deleted`` (by the buyer), ``removed`` (by an upheld report) or ``rejected`` (refused
  by moderation). Any status not listed here does not count.

The seller-attributable variant leaves out the negatives the text engine put in the
``logistics`` complaint group (late, lost, damaged in transit...); a review without an
analysis is not logistics. Both variants share the denominator.

Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

NEGATIVE_MAX_RATING = 2
NATIVE = "native"
COUNTED_STATUSES: tuple[str, ...] = ("published", "held", "hidden")
LOGISTICS = "logistics"


def counts_in_nrr(*, source: str, status: str, rating: int) -> bool:
    """Whether a review on a delivered order line is one of NRR's negative reviews."""
    return source == NATIVE and status in COUNTED_STATUSES and rating <= NEGATIVE_MAX_RATING


def seller_attributable(complaint_group: str | None) -> bool:
    """Whether a negative review counts in the seller-attributable variant."""
    return complaint_group != LOGISTICS


def rate_percent(negatives: int, delivered: int) -> float | None:
    """The rate as a percentage to 2 decimals (half up); None when nothing was delivered."""
    if delivered == 0:
        return None
    exact = Decimal(100 * negatives) / Decimal(delivered)
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Segment:
    """A stretch of delivery time inside one UTC day and wholly inside or outside each window.

    ``start <= delivered_at < end``, or ``<= end`` for the last one (which ends now).
    """

    start: datetime
    end: datetime
    closed: bool
    windows: tuple[int, ...]

    @property
    def day(self) -> date:
        """The UTC day the segment lies in."""
        return self.start.date()


@dataclass(frozen=True)
class NrrWindows:
    """The windows of one NRR computation, all ending at ``now``."""

    now: datetime
    days: tuple[int, ...]

    def __post_init__(self) -> None:
        if not self.days or any(d < 1 for d in self.days):
            raise ValueError(f"NRR windows must be positive day counts, got {self.days}")
        if self.now.tzinfo is None:
            raise ValueError("NRR needs an aware time")
        # Days of the series are UTC days.
        object.__setattr__(self, "now", self.now.astimezone(UTC))
        object.__setattr__(self, "days", tuple(sorted(set(self.days))))

    @property
    def largest(self) -> int:
        """The largest window, which the daily series spans."""
        return self.days[-1]

    def start(self, days: int) -> datetime:
        """The earliest delivery time inside the ``days`` window."""
        return self.now - timedelta(days=days)

    @property
    def series_days(self) -> list[date]:
        """Every UTC day the largest window touches, oldest first."""
        first = self.start(self.largest).date()
        return [first + timedelta(days=i) for i in range((self.now.date() - first).days + 1)]

    @property
    def segments(self) -> list[Segment]:
        """The largest window cut at every UTC midnight and every window's start, in order:
        each day and each window is a sum of whole segments."""
        first = self.start(self.largest)
        cuts = {self.start(d) for d in self.days}
        midnight = datetime.combine(first.date() + timedelta(days=1), time(), UTC)
        while midnight <= self.now:
            cuts.add(midnight)
            midnight += timedelta(days=1)
        starts = sorted(cuts)
        ends = [*starts[1:], self.now]
        return [
            Segment(
                start=start,
                end=end,
                closed=i == len(starts) - 1,
                windows=tuple(d for d in self.days if start >= self.start(d)),
            )
            for i, (start, end) in enumerate(zip(starts, ends, strict=True))
        ]
