"""Aspects, custom keywords, moderation flags and the deceptive score."""

from reviewdesk.analytics import analyze_one
from reviewdesk.analytics.aspects import find_aspects, match_custom_keywords
from reviewdesk.analytics.moderation import deceptive_score


def test_aspects_in_three_languages() -> None:
    assert find_aspects("Shipped fast, the fabric is thin and it runs small.")[0] == [
        "quality",
        "shipping",
        "sizing",
    ]
    assert find_aspects("pengiriman cepat, harga murah, penjual ramah")[0] == [
        "shipping",
        "price",
        "customer_service",
    ]
    assert find_aspects("giao hàng nhanh, đóng gói cẩn thận")[0] == ["shipping", "packaging"]


def test_custom_keyword_matches_inflections() -> None:
    assert match_custom_keywords("the zippers broke twice", ["zipper"]) == ["zipper"]
    assert match_custom_keywords("the collar is fine", ["zipper"]) == []


def test_custom_keyword_naming_a_concept_matches_other_languages() -> None:
    assert match_custom_keywords("pengirimannya lama sekali", ["shipping"]) == ["shipping"]
    assert match_custom_keywords("giao hàng chậm", ["shipping"]) == ["shipping"]


def test_custom_keywords_appear_in_analysis() -> None:
    result = analyze_one("The zippers broke.", custom_keywords=["zipper"])
    assert "zipper" in result.keywords


def test_abusive_review_is_flagged() -> None:
    assert "abusive" in analyze_one("The seller is a fucking idiot").flags
    assert "abusive" in analyze_one("Penjualnya goblok banget").flags
    assert "abusive" in analyze_one("Shop óc chó, lừa đảo").flags
    assert "abusive" not in analyze_one("Lovely dress, great fit.").flags


def test_spam_signals() -> None:
    assert "spam_link" in analyze_one("Cheaper here: www.best-deals.shop/promo").flags
    assert "spam_contact" in analyze_one("WA 0812 3456 7890 for order").flags
    assert "spam_repeated" in analyze_one("good good good good good good good good").flags
    assert "spam_advertising" in analyze_one("Visit my shop for cheaper bags!").flags
    assert analyze_one("Fits well, nice fabric, fast delivery.").flags == ()


def test_off_topic_text_is_flagged() -> None:
    flags = analyze_one("Join the best crypto trading group and win bitcoin every day now").flags
    assert "off_topic" in flags


def test_deceptive_score_prefers_concrete_detail() -> None:
    invented = (
        "My husband and I stayed here for our anniversary and it was the best experience "
        "ever! I would definitely recommend it to my family and friends, absolutely "
        "amazing and luxurious, I loved every minute of my perfect vacation!"
    )
    concrete = (
        "The room on the 12th floor was small, about 250 square feet, with a view of the "
        "street. The bathroom sink leaked and the elevator took 5 minutes. Parking was $45 "
        "a night and the lobby bar closed at 11."
    )
    assert 0 <= deceptive_score(concrete) < deceptive_score(invented) <= 1
    assert deceptive_score("too short") == 0.5
