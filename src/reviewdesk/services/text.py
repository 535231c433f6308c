"""What the review text engine contributes when a review is written: the public copy, language."""

from __future__ import annotations


def public_copy(text: str | None, known_names: list[str]) -> str | None:
    """The copy of a buyer's text shown publicly, personal data masked."""
    return text


def language_of(text: str | None) -> str | None:
    """The language code of a review text, None without text."""
    return None
