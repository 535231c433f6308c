"""Complaint categories (14 codes) and their groups, in EN / ID / VI."""

import csv
from pathlib import Path

import pytest

from reviewdesk.analytics import CATEGORY_CODES, analyze_one, classify_complaint, complaint_group

GOLD = Path(__file__).parents[2] / "src/reviewdesk/analytics/gold/complaints.tsv"


@pytest.mark.parametrize(
    ("text", "lang", "code"),
    [
        ("Took three weeks to arrive, way too slow.", "en", "logistics.late_delivery"),
        ("Pengiriman lama banget, hampir sebulan baru sampai.", "id", "logistics.late_delivery"),
        ("Giao hàng quá chậm, hai tuần mới nhận được.", "vi", "logistics.late_delivery"),
        ("Runs small, I had to size up.", "en", "product.size_fit"),
        ("Ukurannya kekecilan, sempit banget.", "id", "product.size_fit"),
        ("Áo bị chật, mặc không vừa.", "vi", "product.size_fit"),
        ("Seller never replied to my messages.", "en", "service.unresponsive"),
        ("Chat gak dibalas sama penjual.", "id", "service.unresponsive"),
        ("Nhắn tin shop không ai trả lời.", "vi", "service.unresponsive"),
        ("They sent the wrong color.", "en", "logistics.wrong_item"),
        ("Box arrived crushed and the glass was shattered.", "en", "logistics.damaged"),
        ("The charger got so hot it started smoking, dangerous.", "en", "product.safety"),
    ],
)
def test_complaint_category_in_each_language(text: str, lang: str, code: str) -> None:
    categories = classify_complaint(text, lang)
    assert categories and categories[0].code == code
    assert 0 < categories[0].confidence <= 1


def test_categories_are_ranked_and_from_the_taxonomy() -> None:
    categories = classify_complaint("Arrived two weeks late and the box was crushed.")
    codes = [c.code for c in categories]
    assert {"logistics.late_delivery", "logistics.damaged"} <= set(codes)
    assert all(c in CATEGORY_CODES for c in codes)
    confidences = [c.confidence for c in categories]
    assert confidences == sorted(confidences, reverse=True)


def test_group_defaults_to_product_without_cues() -> None:
    assert complaint_group("meh") == "product"
    assert complaint_group("Package never arrived.") == "logistics"
    assert complaint_group("The seller was rude to me.") == "service"


def test_unmarked_vietnamese_is_matched_only_when_vietnamese() -> None:
    assert classify_complaint("giao hang cham qua", "vi")[0].code == "logistics.late_delivery"
    assert classify_complaint("chat seller please", "en") == []


def test_positive_review_gets_no_complaint_category() -> None:
    assert analyze_one("Love it, fast shipping, perfect fit!", rating=5).categories == ()


def test_gold_set_covers_every_code_in_three_languages() -> None:
    with open(GOLD, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) >= 300
    seen = {(r["categories"].split(";")[0], r["lang"]) for r in rows}
    for code in CATEGORY_CODES:
        for lang in ("en", "id", "vi"):
            assert (code, lang) in seen


def test_three_star_review_gets_categories_even_when_the_text_sounds_fine() -> None:
    result = analyze_one("Paket datang telat 5 hari, kardus penyok tapi barang aman.", rating=3)
    codes = {c.code for c in result.categories}
    assert {"logistics.late_delivery", "logistics.damaged"} <= codes


def test_breaking_in_use_is_quality_and_breaking_on_arrival_is_damage() -> None:
    in_use = classify_complaint("The zipper broke the second time I wore it.", "en")
    assert in_use[0].code == "product.quality"
    on_arrival = classify_complaint("It arrived broken, the box was crushed.", "en")
    assert on_arrival[0].code == "logistics.damaged"
