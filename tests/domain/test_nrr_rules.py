"""NRR's pure rules: which reviews count, the rate's rounding, the windows and series days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewdesk.domain.nrr import NrrWindows, counts_in_nrr, rate_percent, seller_attributable


def test_only_native_negative_live_reviews_count() -> None:
    assert counts_in_nrr(source="native", status="published", rating=1)
    assert counts_in_nrr(source="native", status="held", rating=2)
    assert counts_in_nrr(source="native", status="hidden", rating=2)
    assert not counts_in_nrr(source="native", status="published", rating=3)
    assert not counts_in_nrr(source="judgeme", status="published", rating=1)
    for status in ("deleted", "removed", "rejected", "anything-new"):
        assert not counts_in_nrr(source="native", status=status, rating=1)


def test_logistics_negatives_are_not_the_sellers() -> None:
    assert not seller_attributable("logistics")
    assert seller_attributable("product") and seller_attributable(None)


@pytest.mark.parametrize(
    ("negatives", "delivered", "percent"),
    [(1, 3, 33.33), (2, 3, 66.67), (1, 8, 12.5), (1, 800, 0.13), (0, 5, 0.0), (4, 4, 100.0)],
)
def test_rate_is_a_percentage_to_two_decimals_half_up(
    negatives: int, delivered: int, percent: float
) -> None:
    assert rate_percent(negatives, delivered) == percent


def test_no_deliveries_no_rate() -> None:
    assert rate_percent(0, 0) is None


def test_windows_end_now_and_the_series_covers_the_largest() -> None:
    now = datetime(2026, 3, 15, 0, 30, tzinfo=timezone(timedelta(hours=7)))  # 14 Mar 17:30 UTC
    windows = NrrWindows(now, (30, 7, 7))
    assert windows.days == (7, 30) and windows.largest == 30
    assert windows.now.tzinfo is UTC and windows.start(7) == now - timedelta(days=7)
    days = windows.series_days
    assert days[0] == date(2026, 2, 12) and days[-1] == date(2026, 3, 14) and len(days) == 31


def test_windows_refuse_nonsense() -> None:
    with pytest.raises(ValueError):
        NrrWindows(datetime(2026, 1, 1, tzinfo=UTC), ())
    with pytest.raises(ValueError):
        NrrWindows(datetime(2026, 1, 1, tzinfo=UTC), (0, 7))
    with pytest.raises(ValueError):
        NrrWindows(datetime(2026, 1, 1), (7,))


@given(
    now=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
    ),
    days=st.lists(st.integers(1, 366), min_size=1, max_size=5),
)
def test_segments_tile_the_largest_window_by_day_and_window(now: datetime, days: list[int]) -> None:
    windows = NrrWindows(now, tuple(days))
    segments = windows.segments
    assert segments[0].start == windows.start(windows.largest)
    assert segments[-1].end == now and segments[-1].closed
    assert not any(s.closed for s in segments[:-1])
    for before, after in zip(segments, segments[1:], strict=False):
        assert before.end == after.start and before.start < before.end
    for segment in segments:
        # Inside one UTC day, and wholly inside or outside each window.
        assert segment.end.date() == segment.day or (
            segment.end.time() == time() and segment.end.date() == segment.day + timedelta(1)
        )
        assert segment.windows == tuple(
            d for d in windows.days if segment.start >= windows.start(d)
        )
    assert sorted({s.day for s in segments}) == windows.series_days


def test_nrr_windows_setting_is_checked() -> None:
    from pydantic import ValidationError

    from reviewdesk.config import Settings

    for bad in ([], [0], [7, 400], list(range(1, 12))):
        with pytest.raises(ValidationError):
            Settings(nrr_windows=bad)
    assert Settings(nrr_windows=[30, 7, 30]).nrr_windows == [7, 30]
    assert Settings().nrr_windows == [7, 30, 60] and Settings().report_window_days == 30
