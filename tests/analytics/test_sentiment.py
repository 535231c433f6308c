"""Sentiment of reviews: label and score, with the star rating dominating when given."""

import pytest

from reviewdesk.analytics import analyze_one


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Absolutely love it, great quality and fits perfectly!", "positive"),
        ("Terrible quality, it fell apart after one wash. Very disappointed.", "negative"),
        ("Barang bagus, pengiriman cepat, recommended seller!", "positive"),
        ("Barang rusak, kecewa banget, tidak sesuai deskripsi.", "negative"),
        ("Điện thoại rất tốt, pin trâu, mình rất hài lòng.", "positive"),
        ("Máy lag quá, hao pin, thất vọng.", "negative"),
    ],
)
def test_text_sentiment_label(text: str, expected: str) -> None:
    result = analyze_one(text)
    assert result.sentiment.label == expected
    assert -1.0 <= result.sentiment.score <= 1.0
    assert (result.sentiment.score > 0) == (expected == "positive")


def test_one_star_sarcasm_is_not_positive() -> None:
    result = analyze_one("Great, just great. Broke on the first day.", rating=1)
    assert result.sentiment.label == "negative"
    assert result.sentiment.score < 0


def test_five_stars_without_text_is_positive() -> None:
    result = analyze_one("", rating=5)
    assert result.sentiment.label == "positive"
    assert result.sentiment.score == 1.0


def test_three_stars_follow_the_text() -> None:
    negative = analyze_one("Cheap fabric, ripped at the seam, returning it.", rating=3)
    assert negative.sentiment.label == "negative"


def test_rating_raises_the_score_of_the_same_text() -> None:
    text = "It is okay I guess."
    assert analyze_one(text, rating=5).sentiment.score > analyze_one(text, rating=1).sentiment.score
