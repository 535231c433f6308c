"""Eligibility windows and review content rules (property tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewdesk.domain.reviewing import (
    OrderLineFacts,
    ReviewPolicy,
    check_content,
    check_may_review,
    window_closes_at,
)
from reviewdesk.errors import ReviewdeskError

moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)
windows = st.integers(min_value=1, max_value=365)
offsets = st.timedeltas(min_value=timedelta(days=-400), max_value=timedelta(days=400))


def outcome(
    line: OrderLineFacts, buyer: int, now: datetime, policy: ReviewPolicy, reviewed: bool
) -> str:
    try:
        check_may_review(line, buyer_id=buyer, now=now, policy=policy, already_reviewed=reviewed)
    except ReviewdeskError as error:
        return error.code
    return "ok"


@given(moments, windows, offsets)
def test_window_is_exactly_review_window_days_after_delivery(
    delivered: datetime, days: int, offset: timedelta
) -> None:
    policy = ReviewPolicy(review_window_days=days)
    now = delivered + offset
    result = outcome(OrderLineFacts(1, delivered), 1, now, policy, False)
    expected = "ok" if now <= delivered + timedelta(days=days) else "review_window_closed"
    assert result == expected


@given(moments, windows)
def test_last_moment_of_window_is_open_and_next_is_closed(delivered: datetime, days: int) -> None:
    policy = ReviewPolicy(review_window_days=days)
    closes = window_closes_at(delivered, days)
    assert outcome(OrderLineFacts(1, delivered), 1, closes, policy, False) == "ok"
    later = closes + timedelta(microseconds=1)
    assert outcome(OrderLineFacts(1, delivered), 1, later, policy, False) == "review_window_closed"


@given(moments, st.integers(1, 5), st.integers(1, 5), st.booleans(), st.booleans())
def test_refusal_order_owner_then_delivery_then_window_then_duplicate(
    now: datetime, owner: int, buyer: int, delivered: bool, reviewed: bool
) -> None:
    line = OrderLineFacts(owner, now - timedelta(days=1) if delivered else None)
    result = outcome(line, buyer, now, ReviewPolicy(), reviewed)
    if owner != buyer:
        assert result == "not_your_order"
    elif not delivered:
        assert result == "not_delivered"
    elif reviewed:
        assert result == "already_reviewed"
    else:
        assert result == "ok"


@given(st.one_of(st.integers(-10, 10), st.floats(), st.text(max_size=3), st.none(), st.booleans()))
def test_only_whole_ratings_one_to_five_pass(rating: object) -> None:
    try:
        content = check_content(rating, None, None, ReviewPolicy())
    except ReviewdeskError as error:
        assert error.code == "invalid_rating"
        assert not (type(rating) is int and 1 <= rating <= 5)
    else:
        assert type(rating) is int and content.rating == rating


def test_blank_text_is_no_text_and_limits_apply() -> None:
    policy = ReviewPolicy(text_max_chars=10, title_max_chars=5)
    assert check_content(5, "  ", " \n ", policy).text is None
    with pytest.raises(ReviewdeskError, match="at most 10"):
        check_content(5, None, "x" * 11, policy)
    with pytest.raises(ReviewdeskError, match="at most 5"):
        check_content(5, "x" * 6, None, policy)
