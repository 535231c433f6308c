"""Personal data: found, typed, and masked so nothing detected stays readable."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewdesk.analytics import find_personal_data, mask_personal_data


def _types(text: str, names: tuple[str, ...] = ()) -> list[str]:
    return [s.type for s in find_personal_data(text, names)]


@pytest.mark.parametrize(
    "phone",
    [
        "+62 812-3456-7890",  # ID
        "0812 3456 7890",  # ID, local
        "0912 345 678",  # VN
        "+84 903 111 222",  # VN
        "+60 12-345 6789",  # MY
        "+65 9123 4567",  # SG
        "+63 917 123 4567",  # PH
        "+66 81 234 5678",  # TH
        "(415) 555-2671",  # US
        "+44 20 7946 0958",  # GB
    ],
)
def test_phone_numbers_of_each_region_are_found(phone: str) -> None:
    text = f"please call me at {phone} tomorrow"
    spans = find_personal_data(text)
    assert [s.type for s in spans] == ["phone"]
    assert "call me at [phone] tomorrow" in mask_personal_data(text)


def test_email_is_found_and_masked() -> None:
    text = "write to budi.santoso+shop@gmail.com today"
    assert _types(text) == ["email"]
    assert mask_personal_data(text) == "write to [email] today"


def test_card_number_needs_a_valid_luhn_check() -> None:
    assert _types("card 4111 1111 1111 1111 please") == ["card"]
    assert "card" not in _types("order 4111 1111 1111 1112 please")


def test_national_id_numbers_are_validated() -> None:
    assert "national_id" in _types("NIK saya 3171012501900003")
    assert "national_id" in _types("my SSN is 536-90-4399")
    assert "national_id" not in _types("SSN 000-12-3456")


def test_prices_and_dates_are_not_phone_numbers() -> None:
    assert _types("harga Rp 150.000, dikirim 12/05/2024, rating 5") == []


def test_known_names_are_always_found() -> None:
    text = "Thanks siti, we sent it. Siti Rahmawati will be happy."
    spans = find_personal_data(text, ["Siti Rahmawati"])
    assert [s.type for s in spans] == ["person", "person"]
    assert "siti" not in mask_personal_data(text, ["Siti Rahmawati"]).lower()


def test_person_names_are_found_without_being_known() -> None:
    assert "person" in _types("My sister Maria Gonzalez loved it.")


def test_street_addresses_in_three_languages() -> None:
    assert "address" in _types("send it to 24 Clarke Avenue please")
    assert "address" in _types("kirim ke Jl. Merdeka No. 15 ya")
    assert "address" in _types("giao tới số 25 đường Nguyễn Huệ, quận 1")


def test_plain_review_has_no_personal_data() -> None:
    assert _types("The dress fits well and the color is lovely.") == []
    assert _types("Barang bagus, pengiriman cepat.") == []


_VALUES = st.sampled_from(
    [
        ("anna.lee@example.com", "[email]"),
        ("+62 812 3456 7890", "[phone]"),
        ("4111 1111 1111 1111", "[card]"),
        ("(415) 555-2671", "[phone]"),
    ]
)
_FILLER = st.text(
    alphabet=st.sampled_from(list("abcdefghij klmnop,.!ăâđ")), min_size=0, max_size=40
)


@settings(max_examples=60, deadline=None)
@given(before=_FILLER, value=_VALUES, after=_FILLER)
def test_masking_never_leaves_a_detected_value_readable(
    before: str, value: tuple[str, str], after: str
) -> None:
    raw, tag = value
    text = f"{before} {raw} {after}"
    masked = mask_personal_data(text)
    assert raw not in masked
    assert tag in masked
    spans = find_personal_data(text)
    bounds = [0] + [x for s in spans for x in (s.start, s.end)] + [len(text)]
    outside = "\0".join(text[bounds[i] : bounds[i + 1]] for i in range(0, len(bounds), 2))
    for span in spans:
        value = text[span.start : span.end]
        # The detected value may only survive where the same letters occur outside it.
        assert value not in masked or value in outside
