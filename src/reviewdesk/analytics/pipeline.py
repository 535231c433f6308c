"""The ``analyze`` pipeline: every signal of the engine for a batch of reviews."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reviewdesk.analytics.aspects import find_aspects, match_custom_keywords
from reviewdesk.analytics.categories import classify_complaint
from reviewdesk.analytics.language import detect_language
from reviewdesk.analytics.moderation import deceptive_score, moderation_flags
from reviewdesk.analytics.personal_data import find_personal_data, mask_personal_data
from reviewdesk.analytics.results import CategoryScore, ReviewAnalysis, ReviewInput, Sentiment, Span
from reviewdesk.analytics.sentiment import combine, text_sentiments
from reviewdesk.errors import InvalidInput

MAX_TEXT_CHARS = 20_000
_CONTACT_TYPES = frozenset({"email", "phone"})


def _clean(text: str) -> str:
    """Drop control characters and unpaired surrogates that no model should see."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    if text.replace("\n", "").replace("\t", "").isprintable():
        return text
    return "".join(c if c.isprintable() or c in "\n\t" else " " for c in text)


def _validate(review: ReviewInput) -> None:
    if not isinstance(review.text, str):
        raise InvalidInput("invalid_text", "text must be a string")
    if review.rating is not None and (
        isinstance(review.rating, bool)
        or not isinstance(review.rating, int)
        or not 1 <= review.rating <= 5
    ):
        raise InvalidInput(
            "invalid_rating", f"rating must be an integer 1-5, got {review.rating!r}"
        )


def analyze(reviews: Sequence[ReviewInput | str]) -> list[ReviewAnalysis]:
    """Analyse a batch of reviews (the sentiment models run once per language)."""
    items = [r if isinstance(r, ReviewInput) else ReviewInput(text=r) for r in reviews]
    for item in items:
        _validate(item)
    # Long texts are analysed on their first MAX_TEXT_CHARS characters (a review is never
    # that long; a pasted document should not stall the batch), but masked in full.
    texts = [_clean(item.text) for item in items]
    heads = [t[:MAX_TEXT_CHARS] for t in texts]
    languages = [detect_language(h) if h.strip() else "other" for h in heads]
    evidence = text_sentiments(heads, languages)
    out = []
    for item, text, head, lang, ev in zip(items, texts, heads, languages, evidence, strict=True):
        has_text = bool(head.strip())
        sentiment = combine(ev, item.rating, has_text)
        spans = find_personal_data(text, item.known_names) if has_text else []
        out.append(_assemble(item, text, head, lang, sentiment, spans, has_text))
    return out


def _assemble(
    item: ReviewInput,
    text: str,
    head: str,
    lang: str,
    sentiment: Sentiment,
    spans: list[Span],
    has_text: bool,
) -> ReviewAnalysis:
    categories: tuple[CategoryScore, ...] = ()
    aspects: list[str] = []
    keywords: list[str] = []
    flags: list[str] = []
    deceptive = 0.5
    if has_text:
        # A complaint is possible in any review that is not clearly positive: a 3-star
        # review whose text sounds cheerful still names what went wrong.
        if sentiment.label != "positive" or (item.rating is not None and item.rating <= 3):
            categories = tuple(classify_complaint(head, lang))
        aspects, terms = find_aspects(head)
        keywords = match_custom_keywords(head, item.custom_keywords) + [
            t for t in terms if t not in item.custom_keywords
        ]
        contact = any(s.type in _CONTACT_TYPES for s in spans)
        flags = moderation_flags(head, contact, bool(aspects) or bool(categories))
        if any(s.type not in _CONTACT_TYPES for s in spans):
            flags.append("personal_data")
        deceptive = deceptive_score(head) if lang == "en" else 0.5
    else:
        flags = ["empty"]
    return ReviewAnalysis(
        id=item.id,
        language=lang,
        sentiment=sentiment,
        categories=categories,
        aspects=tuple(aspects),
        keywords=tuple(keywords),
        personal_data=tuple(spans),
        masked_text=mask_personal_data(text, spans=spans),
        flags=tuple(flags),
        deceptive_score=deceptive,
    )


def analyze_one(
    text: str,
    rating: int | None = None,
    known_names: Iterable[str] = (),
    custom_keywords: Iterable[str] = (),
    review_id: object = None,
) -> ReviewAnalysis:
    """Analyse one review."""
    review = ReviewInput(
        text=text,
        id=review_id,
        rating=rating,
        known_names=tuple(known_names),
        custom_keywords=tuple(custom_keywords),
    )
    return analyze([review])[0]
