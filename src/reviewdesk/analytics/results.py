"""Inputs and results of the review text engine (frozen dataclasses, JSON-shaped)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Language = Literal["en", "id", "vi", "ms", "th", "other"]
SentimentLabel = Literal["negative", "neutral", "positive"]
Verdict = Literal["ok", "warn", "block"]
Severity = Literal["block", "warn"]

LANGUAGES: tuple[str, ...] = ("en", "id", "vi", "ms", "th", "other")


@dataclass(frozen=True)
class Span:
    """A piece of personal data found in a text: ``text[start:end]`` is of ``type``."""

    type: str
    start: int
    end: int


@dataclass(frozen=True)
class ReviewInput:
    """One review to analyse; ``rating`` (1-5) and ``known_names`` are optional."""

    text: str
    id: Any = None
    rating: int | None = None
    known_names: tuple[str, ...] = ()
    custom_keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sentiment:
    """Sentiment label with a score in [-1, 1] (negative to positive)."""

    label: SentimentLabel
    score: float


@dataclass(frozen=True)
class CategoryScore:
    """One complaint category code of the taxonomy with its confidence in [0, 1]."""

    code: str
    confidence: float

    @property
    def group(self) -> str:
        """Top-level group: product, logistics or service."""
        return self.code.split(".", 1)[0]


@dataclass(frozen=True)
class ReviewAnalysis:
    """Everything the engine says about one review."""

    id: Any
    language: str
    sentiment: Sentiment
    categories: tuple[CategoryScore, ...]
    aspects: tuple[str, ...]
    keywords: tuple[str, ...]
    personal_data: tuple[Span, ...]
    masked_text: str
    flags: tuple[str, ...]
    deceptive_score: float

    @property
    def complaint_group(self) -> str | None:
        """Group of the top category (product / logistics / service), if any."""
        return self.categories[0].group if self.categories else None

    def to_json(self) -> dict[str, Any]:
        """The JSON object of the ``analyze`` command."""
        out = asdict(self)
        for key in ("categories", "aspects", "keywords", "personal_data", "flags"):
            out[key] = list(out[key])
        return out


@dataclass(frozen=True)
class ReplyInput:
    """A seller's reply to check, with the review it answers when known."""

    reply: str
    id: Any = None
    review_text: str | None = None
    review_rating: int | None = None
    known_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """One rule a reply breaks, where, and what to write instead."""

    rule: str
    severity: Severity
    start: int
    end: int
    message: str
    suggestion: str


@dataclass(frozen=True)
class ReplyCheck:
    """Verdict of the reply compliance check with its findings."""

    id: Any
    verdict: Verdict
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def blocked(self) -> bool:
        """True when the reply may not be published."""
        return self.verdict == "block"

    def to_json(self) -> dict[str, Any]:
        """The JSON object of the ``check-reply`` command."""
        return {
            "id": self.id,
            "verdict": self.verdict,
            "findings": [asdict(f) for f in self.findings],
        }
