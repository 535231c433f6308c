"""Cell values as the review apps write them: dates, ratings, booleans, states, media lists.

Dates accepted: ISO 8601 with or without zone (``2024-03-05T14:22:01Z``,
``2024-03-05 14:22:01``), a trailing ``UTC``/``GMT``/``Z`` (``2024-03-05 14:22:01 UTC``),
``2024/03/05``, numeric ``03/05/2024`` or ``03-05-2024`` (day/month order decided per file,
see ``DateOrder``), dotted ``05.03.2024`` (always day.month: that is the convention of
every locale that writes it), ``20240305``, epoch seconds (9-10 digits, or with a
fraction) and milliseconds (12-13 digits), and English month names (``March 5, 2024``,
``Mar 5 2024``, ``5 March 2024``), each optionally followed by a time (24 h, or 12 h with
AM/PM). A date without a zone is taken in the file's zone (UTC unless the caller says
otherwise); every result is an aware datetime in UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Literal

from reviewdesk.integrations.importers.records import SourceKind

DateOrder = Literal["mdy", "dmy"]

_ZONE_SUFFIX = re.compile(r"\s*(?:UTC|GMT|Z)$", re.IGNORECASE)
_SPACED_OFFSET = re.compile(r"\s+([+-]\d{2}:?\d{2})$")
_OFFSET_AT_END = re.compile(r"[+-]\d{2}:?\d{2}$")
_EPOCH_SECONDS = re.compile(r"\d{9,10}(\.\d+)?")
_EPOCH_MILLISECONDS = re.compile(r"\d{12,13}")
_COMPACT_DATE = re.compile(r"\d{8}")
_TIME = r"(?:[ T,]+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?)?"
_NUMERIC = re.compile(r"^(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})" + _TIME + "$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_FIRST = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _TIME + "$")
_DAY_FIRST = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})" + _TIME + "$")
_EARLIEST_YEAR, _LATEST_YEAR = 1990, 2100


def _time_parts(match: re.Match[str], first: int) -> tuple[int, int, int]:
    hour_text, minute_text, second_text, meridiem = match.group(
        first, first + 1, first + 2, first + 3
    )
    if hour_text is None:
        return 0, 0, 0
    hour, minute, second = int(hour_text), int(minute_text), int(second_text or 0)
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError("a 12-hour time has hours 1-12")
        hour = hour % 12 + (12 if meridiem.lower() == "pm" else 0)
    return hour, minute, second


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        return 2000 + year
    if len(text) != 4:
        raise ValueError("the year must have 2 or 4 digits")
    return year


def _finish(moment: datetime, zone: tzinfo) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    moment = moment.astimezone(UTC)
    if not _EARLIEST_YEAR <= moment.year <= _LATEST_YEAR:
        raise ValueError(f"the year {moment.year} is out of range")
    return moment


def numeric_date_evidence(text: str) -> DateOrder | Literal["ambiguous"] | None:
    """The day/month order a numeric date proves (``13/03/2024``: dmy), ``ambiguous``
    when it could be either (``03/05/2024``), None when it is no such date."""
    match = _NUMERIC.match(text.strip())
    if match is None or match.group(2) == "." or len(match.group(1)) == 4:
        return None
    first, second = int(match.group(1)), int(match.group(3))
    if first > 12 >= second:
        return "dmy"
    if second > 12 >= first:
        return "mdy"
    return "ambiguous"


def parse_datetime(text: str, *, order: DateOrder, zone: tzinfo = UTC) -> datetime:
    """An aware UTC datetime from one of the formats in the module docstring; ValueError."""
    value = text.strip()
    if len(value) >= 10 and value[4] == "-" and value[:4].isdigit():
        try:  # the common case first: ISO 8601 as most exports write it
            return _finish(datetime.fromisoformat(value), zone)
        except ValueError:
            pass
    value = _SPACED_OFFSET.sub(r"\1", value)
    if not value:
        raise ValueError("the date is empty")
    if _ZONE_SUFFIX.search(value) and not _OFFSET_AT_END.search(value):
        value, zone = _ZONE_SUFFIX.sub("", value), UTC
    if _EPOCH_SECONDS.fullmatch(value):
        return _finish(datetime.fromtimestamp(float(value), UTC), zone)
    if _EPOCH_MILLISECONDS.fullmatch(value):
        return _finish(datetime.fromtimestamp(int(value) / 1000, UTC), zone)
    if _COMPACT_DATE.fullmatch(value):
        return _finish(datetime.strptime(value, "%Y%m%d"), zone)
    try:
        return _finish(datetime.fromisoformat(value.replace("/", "-", 2)), zone)
    except ValueError:
        pass
    match = _NUMERIC.match(value)
    if match:
        return _finish(_numeric(match, order), zone)
    match = _MONTH_FIRST.match(value)
    if match and match.group(1).lower() in _MONTHS:
        day, year = int(match.group(2)), int(match.group(3))
        moment = datetime(year, _MONTHS[match.group(1).lower()], day, *_time_parts(match, 4))
        return _finish(moment, zone)
    match = _DAY_FIRST.match(value)
    if match and match.group(2).lower() in _MONTHS:
        day, year = int(match.group(1)), int(match.group(3))
        moment = datetime(year, _MONTHS[match.group(2).lower()], day, *_time_parts(match, 4))
        return _finish(moment, zone)
    raise ValueError(f"{text!r} is not a date in a known format")


def _numeric(match: re.Match[str], order: DateOrder) -> datetime:
    first, separator, second, third = match.group(1, 2, 3, 4)
    time = _time_parts(match, 5)
    if len(first) == 4:  # 2024/3/5 or 2024-3-5 (fromisoformat wants two digits)
        return datetime(int(first), int(second), int(third), *time)
    year = _full_year(third)
    a, b = int(first), int(second)
    if separator == "." or a > 12 >= b:
        day, month = a, b
    elif b > 12 >= a:
        day, month = b, a
    elif order == "dmy":
        day, month = a, b
    else:
        day, month = b, a
    return datetime(year, month, day, *time)


class RatingError(ValueError):
    """A rating cell that is present but not a whole number of stars from 1 to 5."""


_FIVE, _ONE = Decimal(5), Decimal(1)
_WHOLE_STARS = {str(n): n for n in range(1, 6)}


def parse_rating(text: str, *, best: Decimal = _FIVE, worst: Decimal = _ONE) -> int:
    """Whole stars 1-5 from ``4``, ``4.0``, ``4/5``; a scale other than 1-5 is rescaled."""
    stars = _WHOLE_STARS.get(text)
    if stars is not None and best == _FIVE and worst == _ONE:
        return stars  # the common case: a bare digit on the usual scale
    value = text.strip()
    if "/" in value:
        value, _, scale = value.partition("/")
        try:
            best = Decimal(scale.strip())
        except InvalidOperation:
            raise RatingError(f"{text!r} is not a rating") from None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise RatingError(f"{text!r} is not a number") from None
    if not number.is_finite() or not worst <= number <= best or best <= worst:
        raise RatingError(f"{text!r} is outside {worst}-{best}")
    if (best, worst) == (Decimal(5), Decimal(1)):
        if number != number.to_integral_value():
            raise RatingError(f"{text!r} is not a whole number of stars")
        return int(number)
    scaled = (number - worst) / (best - worst) * 4 + 1
    return int(scaled.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


_TRUE = {"true", "t", "yes", "y", "1", "on", "x"}
_FALSE = {"false", "f", "no", "n", "0", "off"}
_VERIFIED_WORDS = {
    "verified",
    "verified buyer",
    "verified_buyer",
    "verified purchase",
    "verified_purchase",
    "buyer",
}
_UNVERIFIED_WORDS = {"unverified", "not verified", "none", "nothing", "anonymous"}


def parse_bool(text: str) -> bool | None:
    """``true/false/yes/no/1/0/y/n`` (any case) and the apps' verified words; else None."""
    value = text.strip().casefold()
    if value in _TRUE or value in _VERIFIED_WORDS:
        return True
    if value in _FALSE or value in _UNVERIFIED_WORDS:
        return False
    return None


_PUBLISHED_STATES = {"published", "approved", "ok", "active", "visible", "live", "public"}
_HIDDEN_STATES = {
    "unpublished",
    "pending",
    "hidden",
    "rejected",
    "spam",
    "not-yet",
    "not yet",
    "archived",
    "deleted",
    "unapproved",
    "private",
    "draft",
    "flagged",
}


def parse_published(text: str) -> bool | None:
    """Published state from a boolean or a status word (``published``, ``spam``...)."""
    value = text.strip().casefold()
    if value in _PUBLISHED_STATES:
        return True
    if value in _HIDDEN_STATES:
        return False
    return parse_bool(value)


_STORE_KINDS = {"store", "shop", "service", "company", "business", "merchant", "seller"}
_SITE_KINDS = {"site", "website", "web site", "domain"}


def parse_source_kind(text: str) -> SourceKind | None:
    """``store`` / ``site`` / ``product`` from a review-type cell; None when unknown."""
    value = text.strip().casefold().replace("_review", "").replace(" review", "")
    if value in _STORE_KINDS:
        return "store"
    if value in _SITE_KINDS:
        return "site"
    if value in {"product", "item", "products"}:
        return "product"
    return None


_MEDIA_SEPARATORS = re.compile(r"[\s,|]+")


def parse_media_urls(text: str) -> tuple[str, ...]:
    """The http(s) URLs of a list separated by commas, spaces, pipes or newlines.

    Anything that is not an http(s) URL (``javascript:``, a file name) is dropped; fetching
    and its safety rules are the worker's job.
    """
    urls = []
    for token in _MEDIA_SEPARATORS.split(text):
        if token.lower().startswith(("http://", "https://")) and token not in urls:
            urls.append(token)
    return tuple(urls)
