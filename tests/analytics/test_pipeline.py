"""The analyze pipeline: batch = one by one, JSON shape, and bad input."""

import json

import pytest

from reviewdesk.analytics import ReviewInput, analyze, analyze_one
from reviewdesk.errors import InvalidInput

KEYS = {
    "id",
    "language",
    "sentiment",
    "categories",
    "aspects",
    "keywords",
    "personal_data",
    "masked_text",
    "flags",
    "deceptive_score",
}


def test_batch_gives_the_same_results_as_one_by_one() -> None:
    texts = [
        "Runs small and the zipper broke.",
        "Barang bagus, pengiriman cepat.",
        "Giao hàng chậm, hộp bị móp.",
        "",
    ]
    batch = analyze([ReviewInput(text=t, id=i) for i, t in enumerate(texts)])
    single = [analyze_one(t, review_id=i) for i, t in enumerate(texts)]
    assert batch == single


def test_json_has_the_fields_of_the_issue() -> None:
    result = analyze_one("Call me at +62 812 3456 7890, it broke.", rating=1, review_id="r1")
    data = json.loads(json.dumps(result.to_json()))
    assert set(data) == KEYS
    assert data["id"] == "r1"
    assert set(data["sentiment"]) == {"label", "score"}
    assert data["personal_data"] == [{"type": "phone", "start": 11, "end": 28}]
    assert data["masked_text"] == "Call me at [phone], it broke."
    assert all(set(c) == {"code", "confidence"} for c in data["categories"])


def test_empty_text_gets_a_clear_result() -> None:
    result = analyze_one("   ")
    assert result.language == "other"
    assert result.sentiment.label == "neutral"
    assert result.flags == ("empty",)


def test_one_megabyte_text_is_analysed_and_masked_in_full() -> None:
    text = ("The fabric is soft but it runs small. " * 27_000) + "Mail me: a.b@example.com"
    assert len(text) > 1_000_000
    result = analyze_one(text)
    assert result.language == "en"
    assert result.masked_text.endswith("Mail me: [email]")


def test_binary_garbage_does_not_crash() -> None:
    garbage = bytes(range(256)).decode("latin-1") * 4 + "\ud800\udfff"
    result = analyze_one(garbage)
    assert result.language in ("other", "en", "id", "vi", "ms", "th")
    assert -1 <= result.sentiment.score <= 1


def test_mixed_scripts_do_not_crash() -> None:
    result = analyze_one("Hàng đẹp 👍 barang bagus สินค้าดี 很好 good!")
    assert result.language in ("vi", "id", "en", "th", "other")


@pytest.mark.parametrize("rating", [0, 6, 2.5, True, "5"])
def test_invalid_rating_is_refused_with_a_code(rating: object) -> None:
    with pytest.raises(InvalidInput) as info:
        analyze([ReviewInput(text="ok", rating=rating)])  # type: ignore[arg-type]
    assert info.value.code == "invalid_rating"


def test_non_string_text_is_refused() -> None:
    with pytest.raises(InvalidInput) as info:
        analyze([ReviewInput(text=None)])  # type: ignore[arg-type]
    assert info.value.code == "invalid_text"


def test_text_full_of_phone_numbers_is_masked_without_stalling() -> None:
    text = "0812 3456 7890, " * 6_000
    result = analyze_one(text)
    assert len(result.personal_data) == 6_000
    assert "3456" not in result.masked_text
