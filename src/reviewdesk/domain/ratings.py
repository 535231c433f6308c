"""Star rating summaries: what counts, and how count, mean and histogram are derived."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PUBLISHED = "published"


@dataclass(frozen=True)
class RatingSummary:
    """Count, sum and 1-5 histogram of the reviews counted in a rating."""

    count: int = 0
    total: int = 0
    histogram: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)

    @property
    def average(self) -> Decimal | None:
        """The mean to one decimal, rounded half up (4.25 -> 4.3); None without reviews."""
        if self.count == 0:
            return None
        return (Decimal(self.total) / Decimal(self.count)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def __add__(self, other: RatingSummary) -> RatingSummary:
        h = tuple(a + b for a, b in zip(self.histogram, other.histogram, strict=True))
        return RatingSummary(self.count + other.count, self.total + other.total, h)  # type: ignore[arg-type]

    def __neg__(self) -> RatingSummary:
        h = tuple(-v for v in self.histogram)
        return RatingSummary(-self.count, -self.total, h)  # type: ignore[arg-type]

    def __sub__(self, other: RatingSummary) -> RatingSummary:
        return self + (-other)

    @property
    def is_zero(self) -> bool:
        """True when adding this changes nothing."""
        return self.count == 0 and self.total == 0 and not any(self.histogram)


def of_rating(rating: int) -> RatingSummary:
    """The summary of one counted review with ``rating`` stars."""
    histogram = [0, 0, 0, 0, 0]
    histogram[rating - 1] = 1
    return RatingSummary(1, rating, tuple(histogram))  # type: ignore[arg-type]


def counts_in_rating(
    *, status: str, source: str, product_listed: bool, imported_count_in_rating: bool
) -> bool:
    """Whether a review counts toward its product's and shop's star rating."""
    if status != PUBLISHED or not product_listed:
        return False
    return source == "native" or imported_count_in_rating


def contribution(rating: int, counted: bool) -> RatingSummary:
    """What one review adds to its summaries."""
    return of_rating(rating) if counted else RatingSummary()
