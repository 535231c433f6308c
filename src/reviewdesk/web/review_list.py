"""The review widget's query: filters and sort read leniently from the query string.

A page never answers a hand-edited query string with an error document: unknown values
are ignored and the page shows what it understood.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import QueryParams

from reviewdesk.services.public import ReviewFilters, ReviewSort

SORT_LABELS = {
    ReviewSort.NEWEST: "Newest",
    ReviewSort.MOST_HELPFUL: "Most helpful",
    ReviewSort.HIGHEST: "Highest rating",
    ReviewSort.LOWEST: "Lowest rating",
}
LANGUAGES = {
    "en": "English",
    "id": "Indonesian",
    "ms": "Malay",
    "vi": "Vietnamese",
    "th": "Thai",
    "tl": "Filipino",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "pt": "Portuguese",
    "zh": "Chinese",
    "ja": "Japanese",
}
_TRUE = {"true", "1", "on", "yes", "only"}
_FALSE = {"false", "0", "off", "no", "exclude"}
_BOOLEAN_FILTERS = ("with_media", "with_text", "verified", "incentivized", "imported")


def _flag(value: str | None) -> bool | None:
    if value is None:
        return None
    lowered = value.strip().lower()
    return True if lowered in _TRUE else False if lowered in _FALSE else None


@dataclass
class ReviewQuery:
    """What the visitor asked the review list for."""

    filters: ReviewFilters
    sort: ReviewSort = ReviewSort.NEWEST
    cursor: str | None = None

    @classmethod
    def parse(cls, params: QueryParams, cursor_name: str = "cursor") -> ReviewQuery:
        """The query of a request, ignoring what it cannot understand."""
        stars = sorted({int(s) for s in params.getlist("stars") if s in {"1", "2", "3", "4", "5"}})
        flags = {name: _flag(params.get(name)) for name in _BOOLEAN_FILTERS}
        language = (params.get("language") or "").strip().lower()
        if not (language.isascii() and language.replace("-", "").isalpha() and len(language) <= 8):
            language = ""
        try:
            sort = ReviewSort(params.get("sort") or ReviewSort.NEWEST)
        except ValueError:
            sort = ReviewSort.NEWEST
        cursor = params.get(cursor_name) or None
        filters = ReviewFilters(stars=stars, language=language or None, **flags)
        return cls(filters=filters, sort=sort, cursor=cursor)

    @property
    def filtered(self) -> bool:
        """True when any filter narrows the list."""
        f = self.filters
        return bool(f.stars or f.language) or any(
            getattr(f, name) is not None for name in _BOOLEAN_FILTERS
        )

    def params(
        self, *, stars: list[int] | None = None, cursor: str | None = None
    ) -> list[tuple[str, Any]]:
        """The query-string parameters of this query (``stars`` replaced when given)."""
        f = self.filters
        out: list[tuple[str, Any]] = [("stars", s) for s in (f.stars if stars is None else stars)]
        for name in _BOOLEAN_FILTERS:
            value = getattr(f, name)
            if value is not None:
                out.append((name, "true" if value else "false"))
        if f.language:
            out.append(("language", f.language))
        if self.sort is not ReviewSort.NEWEST:
            out.append(("sort", self.sort.value))
        if cursor:
            out.append(("cursor", cursor))
        return out
