"""How reviewers appear in public: masked names, never personal data."""

from __future__ import annotations

import unicodedata


def mask_display_name(name: str | None) -> str:
    """A public reviewer name: first and last letter of the first name, e.g. ``j***n``.

    Names of one or two letters show only their first letter; no name gives ``a***s``
    (anonymous). The mask length is fixed so it does not reveal the name's length.
    """
    first = (name or "").strip().split()[0] if (name or "").strip() else ""
    letters = [c for c in unicodedata.normalize("NFC", first) if c.isalnum()]
    if not letters:
        return "a***s"
    if len(letters) <= 2:
        return f"{letters[0].lower()}***"
    return f"{letters[0].lower()}***{letters[-1].lower()}"


SOURCE_NAMES = {
    "judgeme": "Judge.me",
    "yotpo": "Yotpo",
    "okendo": "Okendo",
    "junip": "Junip",
    "reviewsio": "REVIEWS.io",
    "loox": "Loox",
    "stamped": "Stamped",
    "shopify": "Shopify Product Reviews",
    "trustpilot": "Trustpilot",
    "google": "Google",
}


def source_name(source: str) -> str:
    """The name a review source is shown under."""
    return SOURCE_NAMES.get(source, source)


def review_labels(*, verified: bool, incentivized: bool, source: str) -> list[str]:
    """The public labels of a review, in display order."""
    labels = []
    if verified:
        labels.append("Verified purchase")
    if incentivized:
        labels.append("Incentivized review")
    if source != "native":
        labels.append(f"Review from {source_name(source)}")
    return labels
