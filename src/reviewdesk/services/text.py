"""What the review text engine contributes when a review is written: the public copy, language."""

from __future__ import annotations

from reviewdesk.analytics import detect_language, mask_personal_data


def public_copy(text: str | None, known_names: list[str]) -> str | None:
    """The copy of a buyer's text shown publicly: personal data masked ("call me at [phone]").

    ``known_names`` are names that must never show, found even where no model would
    recognise them as names (the buyer's own, for a start).
    """
    if text is None:
        return None
    return mask_personal_data(text, known_names)


def language_of(text: str | None) -> str | None:
    """The language code of a review text (en, id, vi, ms, th, other); None without text."""
    if not text:
        return None
    return detect_language(text)
