"""Review sentiment: negative / neutral / positive with a score in [-1, 1].

English and Indonesian (Malay borrows the Indonesian model) use the trained hashed tf-idf
models; Vietnamese uses the lexicon of ``vietnamese.py``. When the buyer's star rating is
known it dominates: a 1-star review that says "great, broke in a day" stays negative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from reviewdesk.analytics.features import HashedTfidf
from reviewdesk.analytics.model_store import load_npz
from reviewdesk.analytics.results import Sentiment, SentimentLabel
from reviewdesk.analytics.vietnamese import vietnamese_score

_MODEL_FOR = {"en": "en", "id": "id", "ms": "id", "th": "en", "other": "en"}


@dataclass(frozen=True)
class TextSentiment:
    """Text-only evidence: class probabilities and a score."""

    negative: float
    neutral: float
    positive: float
    score: float


class _Model:
    def __init__(self, lang: str) -> None:
        arrays = load_npz(f"sentiment_{lang}")
        self.vectoriser = HashedTfidf(arrays["idf"].astype(np.float32))
        # Column 0: polarity head; columns 1-5: one-vs-rest star heads.
        coef = np.vstack([arrays["polarity_coef"], arrays["stars_coef"]]).astype(np.float32)
        self.weights_t = np.ascontiguousarray(coef.T)
        self.bias = np.concatenate(
            [arrays["polarity_intercept"], arrays["stars_intercept"]]
        ).astype(np.float64)

    def predict(self, texts: list[str]) -> list[TextSentiment]:
        z = self.vectoriser.transform(texts).scores(self.weights_t) + self.bias
        pol = _sigmoid(z[:, 0])
        stars = _sigmoid(z[:, 1:])
        stars = stars / stars.sum(axis=1, keepdims=True)
        out = []
        expected = stars @ np.arange(1, 6, dtype=np.float64)
        for p_pos, row, exp in zip(pol, stars, expected, strict=True):
            neg5, neu5, pos5 = row[0] + row[1], row[2], row[3] + row[4]
            score = 0.5 * (2 * p_pos - 1) + 0.5 * (exp - 3) / 2
            out.append(TextSentiment(float(neg5), float(neu5), float(pos5), float(score)))
        return out


def _sigmoid(z: NDArray[Any]) -> NDArray[np.float64]:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))), dtype=np.float64)


@cache
def _model(lang: str) -> _Model:
    return _Model(lang)


def text_sentiments(texts: Sequence[str], languages: Sequence[str]) -> list[TextSentiment]:
    """Text-only sentiment evidence for a batch, one model call per language."""
    out: list[TextSentiment | None] = [None] * len(texts)
    groups: dict[str, list[int]] = {}
    for i, lang in enumerate(languages):
        if lang == "vi":
            score = vietnamese_score(texts[i])
            neutral = 1.0 - min(1.0, abs(score) * 2)
            rest = 1.0 - neutral
            out[i] = TextSentiment(
                rest if score < 0 else 0.0, neutral, rest if score > 0 else 0.0, score
            )
        else:
            groups.setdefault(_MODEL_FOR.get(lang, "en"), []).append(i)
    for lang, idx in groups.items():
        for i, result in zip(idx, _model(lang).predict([texts[i] for i in idx]), strict=True):
            out[i] = result
    return [r if r is not None else TextSentiment(0.0, 1.0, 0.0, 0.0) for r in out]


def combine(evidence: TextSentiment, rating: int | None, has_text: bool) -> Sentiment:
    """Final label and score from text evidence and, when given, the star rating."""
    if rating is not None:
        rating_score = (rating - 3) / 2
        text_score = evidence.score if has_text else rating_score
        score = 0.7 * rating_score + 0.3 * text_score
        label: SentimentLabel
        if rating <= 2:
            label = "negative"
        elif rating >= 4:
            label = "neutral" if has_text and evidence.score < -0.6 else "positive"
        else:
            label = _text_label(evidence) if has_text else "neutral"
        return Sentiment(label, round(max(-1.0, min(1.0, score)), 4))
    if not has_text:
        return Sentiment("neutral", 0.0)
    return Sentiment(_text_label(evidence), round(max(-1.0, min(1.0, evidence.score)), 4))


def _text_label(evidence: TextSentiment) -> SentimentLabel:
    if evidence.neutral >= max(evidence.negative, evidence.positive) or abs(evidence.score) < 0.15:
        return "neutral"
    return "positive" if evidence.score > 0 else "negative"
