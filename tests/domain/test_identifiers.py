"""Product codes: validated by check digit, normalised to GTIN-14 (property tests)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean, isbn

from reviewdesk.domain.identifiers import CodeKind, expand_upc_e, normalise_code, try_normalise
from reviewdesk.errors import InvalidInput

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def with_check(body: str) -> str:
    return body + ean.calc_check_digit(body)


@given(st.integers(min_value=0, max_value=10**11 - 1))
def test_upc_a_ean13_and_gtin14_of_one_article_normalise_alike(number: int) -> None:
    upc = with_check(f"{number:011d}")
    as_ean13 = "0" + upc
    as_gtin14 = "00" + upc
    forms = {normalise_code(code).gtin for code in (upc, as_ean13, as_gtin14)}
    assert forms == {as_gtin14}
    assert normalise_code(upc).kind is CodeKind.UPC_A


@given(st.integers(min_value=0, max_value=10**12 - 1), st.integers(min_value=1, max_value=9))
def test_any_wrong_check_digit_is_refused(number: int, shift: int) -> None:
    good = with_check(f"{number:012d}")
    bad = good[:-1] + str((int(good[-1]) + shift) % 10)
    with pytest.raises(InvalidInput) as caught:
        normalise_code(bad, field="codes[0].value")
    assert caught.value.code == "invalid_product_code"
    assert caught.value.extra["field"] == "codes[0].value"
    assert "check digit" in caught.value.detail


@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_isbn10_becomes_the_gtin14_of_its_isbn13(number: int) -> None:
    isbn13 = with_check(f"978{number:09d}")
    isbn10 = isbn.to_isbn10(isbn13)
    value = normalise_code(isbn10)
    assert value.kind is CodeKind.ISBN_10
    assert value.gtin == "0" + isbn13
    assert normalise_code(isbn13).gtin == value.gtin
    assert normalise_code(isbn13).kind is CodeKind.ISBN_13


@given(st.text(max_size=20))
def test_arbitrary_text_never_crashes(text: str) -> None:
    try:
        value = normalise_code(text)
    except InvalidInput as error:
        assert error.code == "invalid_product_code"
    else:
        assert len(value.gtin) == 14 and value.gtin.isdigit() and ean.is_valid(value.gtin)


@pytest.mark.parametrize(
    ("upc_e", "upc_a"),
    [
        ("04252614", "042100005264"),  # last digit 4
        ("01234505", "012000003455"),  # last digit 0
        ("01234531", "012300000451"),  # last digit 3... manufacturer 01230
        ("06543217", "065100004327"),  # last digit 1
        ("01234558", "012345000058"),  # last digit 5
    ],
)
def test_upc_e_expands_by_gs1_zero_suppression(upc_e: str, upc_a: str) -> None:
    assert expand_upc_e(upc_e) == upc_a
    assert normalise_code(upc_e, "upc_e").gtin == "00" + upc_a


def test_eight_digits_default_to_gtin8() -> None:
    assert normalise_code("73513537").kind is CodeKind.GTIN_8
    assert normalise_code("7351-3537").gtin == "00000073513537"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "empty"),
        ("12345", "expected 8, 12, 13 or 14 digits"),
        ("40063813339X1", "expected 8, 12, 13 or 14 digits"),
        ("4006381333932", "check digit"),
    ],
)
def test_refusals_say_why(value: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        normalise_code(value)
    assert reason in caught.value.detail


def test_kind_must_match_length() -> None:
    with pytest.raises(InvalidInput, match="upc_a code has 12"):
        normalise_code("4006381333931", "upc_a")
    with pytest.raises(InvalidInput, match="unknown kind"):
        normalise_code("4006381333931", "qr")


def test_try_normalise_for_lookups() -> None:
    assert try_normalise("4006381333931") == "04006381333931"
    assert try_normalise("nonsense") is None
