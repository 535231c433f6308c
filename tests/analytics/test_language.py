"""Language detection: en, id, vi, ms, th or other."""

import pytest

from reviewdesk.analytics import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Love this dress, it fits perfectly and the fabric is soft.", "en"),
        ("Barangnya bagus banget, pengiriman cepat, seller ramah.", "id"),
        ("mantap gan", "id"),
        ("jelek", "id"),
        ("Điện thoại dùng rất tốt, pin trâu, giao hàng nhanh.", "vi"),
        ("dien thoai dung rat tot, giao hang nhanh", "vi"),
        ("Barang sampai dengan selamat, penghantaran cepat, tq seller", "ms"),
        ("สินค้าดีมาก ส่งเร็ว", "th"),
        ("Der Artikel ist sehr gut und kam schnell an.", "other"),
    ],
)
def test_language_of_review(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "12345 !!!", "🙂🙂🙂", "\x00\x01\x02"])
def test_text_without_language_is_other(text: str) -> None:
    assert detect_language(text) == "other"


def test_mixed_script_text_gets_one_language() -> None:
    assert detect_language("Hàng đẹp lắm, shop giao nhanh. Good seller!") == "vi"


def test_invalid_surrogates_do_not_crash() -> None:
    assert detect_language("bad \ud800 text " * 5) in ("en", "other")
