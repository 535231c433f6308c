"""Cell values as the apps write them: dates, ratings, booleans, states, media lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from reviewdesk.integrations.importers.values import (
    RatingError,
    numeric_date_evidence,
    parse_bool,
    parse_datetime,
    parse_media_urls,
    parse_published,
    parse_rating,
    parse_source_kind,
)

MARCH_5 = datetime(2024, 3, 5, tzinfo=UTC)
MARCH_5_1422 = datetime(2024, 3, 5, 14, 22, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05T14:22:01Z", MARCH_5_1422),
        ("2024-03-05T14:22:01+00:00", MARCH_5_1422),
        ("2024-03-05T21:22:01+07:00", MARCH_5_1422),
        ("2024-03-05 14:22:01", MARCH_5_1422),
        ("2024-03-05 14:22:01 UTC", MARCH_5_1422),
        ("2024-03-05 14:22:01 GMT", MARCH_5_1422),
        ("2024-03-05 09:22:01 -0500", MARCH_5_1422),
        ("2024-03-05", MARCH_5),
        ("2024/03/05", MARCH_5),
        ("2024/3/5", MARCH_5),
        ("03/05/2024", MARCH_5),
        ("3/5/24", MARCH_5),
        ("05.03.2024", MARCH_5),
        ("20240305", MARCH_5),
        ("1709648521", MARCH_5_1422),
        ("1709648521000", MARCH_5_1422),
        ("March 5, 2024", MARCH_5),
        ("Mar 5 2024", MARCH_5),
        ("March 5th, 2024", MARCH_5),
        ("5 March 2024", MARCH_5),
        ("5 Mar, 2024", MARCH_5),
        ("March 5, 2024 2:22:01 PM", MARCH_5_1422),
        ("03/05/2024 14:22:01", MARCH_5_1422),
        ("  2024-03-05  ", MARCH_5),
    ],
)
def test_dates_in_the_apps_formats(text: str, expected: datetime) -> None:
    assert parse_datetime(text, order="mdy") == expected


def test_ambiguous_numeric_dates_follow_the_file_order() -> None:
    assert parse_datetime("03/05/2024", order="mdy") == MARCH_5
    assert parse_datetime("05/03/2024", order="dmy") == MARCH_5
    # unambiguous ones are read the only way they can be, whatever the order
    assert parse_datetime("13/03/2024", order="mdy") == datetime(2024, 3, 13, tzinfo=UTC)
    assert parse_datetime("03/13/2024", order="dmy") == datetime(2024, 3, 13, tzinfo=UTC)
    # dotted dates are always day.month
    assert parse_datetime("05.03.2024", order="mdy") == MARCH_5


def test_dates_without_zone_take_the_file_zone() -> None:
    jakarta = timezone(timedelta(hours=7))
    assert parse_datetime("2024-03-05 21:22:01", order="mdy", zone=jakarta) == MARCH_5_1422
    assert parse_datetime("2024-03-05 14:22:01 UTC", order="mdy", zone=jakarta) == MARCH_5_1422


@pytest.mark.parametrize(
    "text", ["", "yesterday", "31/31/2024", "2024-02-30", "1800-01-01", "Smarch 5, 2024", "12"]
)
def test_unreadable_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_datetime(text, order="mdy")


def test_date_order_evidence() -> None:
    assert numeric_date_evidence("13/03/2024") == "dmy"
    assert numeric_date_evidence("03/13/2024") == "mdy"
    assert numeric_date_evidence("03/05/2024") == "ambiguous"
    assert numeric_date_evidence("05.03.2024") is None
    assert numeric_date_evidence("2024-03-05") is None


@pytest.mark.parametrize(("text", "stars"), [("4", 4), (" 5 ", 5), ("1.0", 1), ("3/5", 3)])
def test_ratings(text: str, stars: int) -> None:
    assert parse_rating(text) == stars


@pytest.mark.parametrize("text", ["0", "6", "4.5", "five", "NaN", "-1", "inf"])
def test_bad_ratings(text: str) -> None:
    with pytest.raises(RatingError):
        parse_rating(text)


def test_ratings_on_another_scale_are_rescaled() -> None:
    assert parse_rating("10", best=Decimal(10)) == 5
    assert parse_rating("1", best=Decimal(10)) == 1
    assert parse_rating("8", best=Decimal(10)) == 4
    assert parse_rating("50", best=Decimal(100), worst=Decimal(0)) == 3


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("TRUE", True),
        ("yes", True),
        ("Y", True),
        ("1", True),
        ("buyer", True),
        ("Verified Buyer", True),
        ("false", False),
        ("No", False),
        ("0", False),
        ("n", False),
        ("nothing", False),
        ("maybe", None),
        ("", None),
    ],
)
def test_booleans(text: str, value: bool | None) -> None:
    assert parse_bool(text) is value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("published", True),
        ("OK", True),
        ("Active", True),
        ("spam", False),
        ("not-yet", False),
        ("unpublished", False),
        ("true", True),
        ("0", False),
        ("whatever", None),
    ],
)
def test_published_states(text: str, value: bool | None) -> None:
    assert parse_published(text) is value


def test_review_kinds() -> None:
    assert parse_source_kind("service") == "store"
    assert parse_source_kind("Shop review") == "store"
    assert parse_source_kind("site") == "site"
    assert parse_source_kind("product") == "product"
    assert parse_source_kind("???") is None


@pytest.mark.parametrize(
    "text",
    [
        "https://a.example/1.jpg,https://a.example/2.jpg",
        "https://a.example/1.jpg https://a.example/2.jpg",
        "https://a.example/1.jpg | https://a.example/2.jpg",
        "https://a.example/1.jpg\nhttps://a.example/2.jpg",
        "https://a.example/1.jpg\r\n https://a.example/2.jpg,",
        "https://a.example/1.jpg, javascript:alert(1) https://a.example/2.jpg 1.jpg",
        "https://a.example/1.jpg,https://a.example/2.jpg,https://a.example/1.jpg",
    ],
)
def test_media_url_lists(text: str) -> None:
    assert parse_media_urls(text) == ("https://a.example/1.jpg", "https://a.example/2.jpg")
