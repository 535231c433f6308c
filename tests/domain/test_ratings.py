"""Star summaries: averages to one decimal, deltas that add up (property tests)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reviewdesk.domain.display import mask_display_name, review_labels
from reviewdesk.domain.ratings import RatingSummary, of_rating

ratings = st.lists(st.integers(1, 5), max_size=200)


@given(ratings)
def test_summary_of_reviews_is_sum_of_their_contributions(values: list[int]) -> None:
    total = RatingSummary()
    for value in values:
        total = total + of_rating(value)
    assert total.count == len(values) and total.total == sum(values)
    assert total.histogram == tuple(values.count(s) for s in range(1, 6))
    if values:
        exact = Decimal(sum(values)) / Decimal(len(values))
        assert abs(total.average - exact) <= Decimal("0.05")  # type: ignore[operator]


@given(ratings, ratings)
def test_removing_what_was_added_restores_the_summary(first: list[int], second: list[int]) -> None:
    base = sum((of_rating(v) for v in first), RatingSummary())
    extra = sum((of_rating(v) for v in second), RatingSummary())
    assert (base + extra) - extra == base


def test_average_rounds_half_up() -> None:
    summary = of_rating(4) + of_rating(4) + of_rating(4) + of_rating(5)  # 4.25
    assert summary.average == Decimal("4.3")
    assert RatingSummary().average is None


def test_masked_names_hide_all_but_the_ends() -> None:
    assert mask_display_name("Jonathan Smith") == "j***n"
    assert mask_display_name("Ng") == "n***"
    assert mask_display_name("  ") == "a***s"
    assert mask_display_name(None) == "a***s"
    assert mask_display_name("Đặng Thị") == "đ***g"


def test_labels() -> None:
    assert review_labels(verified=True, incentivized=True, source="native") == [
        "Verified purchase",
        "Incentivized review",
    ]
    assert review_labels(verified=True, incentivized=False, source="judgeme") == [
        "Verified purchase",
        "Review from Judge.me",
    ]
