"""Each source's hand-written fixture, read field by field."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from reviewdesk.integrations.importers import ImportedRow, RowProblem, read_import

FIXTURES = Path(__file__).parent / "fixtures"


def _read(name: str, source: str, mapping: dict[str, str] | None = None) -> list[object]:
    return list(read_import(FIXTURES / name, source, mapping).rows())


def _at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def test_judgeme_export_with_renamed_headers_bom_and_crlf() -> None:
    opened = read_import(FIXTURES / "judgeme.csv", "Judge.me")
    assert opened.encoding == "utf-8"
    assert opened.delimiter == ","
    assert opened.columns[0] == "Review Title"  # BOM stripped from the first header
    assert opened.column_map["title"] == "Review Title"
    assert opened.column_map["reviewer_name"] == "Reviewer Name"
    assert opened.unknown_columns == ()  # ip_address and source are known, not read
    assert opened.total_rows == 6
    assert opened.date_order == "dmy"  # 15/03/2024 proves it
    rows = list(opened.rows())
    first, second, store, incentivized, no_rating, formula = rows
    assert isinstance(first, ImportedRow)
    assert first.row_number == 1
    assert first.source == "judgeme"
    assert first.title == "Love it 😍"
    assert first.body == "Fits perfectly, colour is exactly as shown 👌"
    assert first.rating == 5
    assert first.created_at == _at(2024, 3, 5, 14, 22, 1)
    assert first.reviewer_name == "Siti Rahma"
    assert first.reviewer_email == "siti@example.com"
    assert first.platform_product_id == "7981234567"
    assert first.handle == "linen-shirt"
    assert first.reply == "Thank you Siti!"
    assert first.reply_at == _at(2024, 3, 6, 9)
    assert first.media_urls == (
        "https://cdn.example.com/r/1a.jpg",
        "https://cdn.example.com/r/1b.jpg",
    )
    assert first.verified is True
    assert first.incentivized is None
    assert first.published is True
    assert first.source_kind == "product"
    assert first.external_review_id is None
    assert len(first.content_hash) == 64
    assert first.raw["ip_address"] == "203.0.113.5"

    assert isinstance(second, ImportedRow)
    assert second.row_number == 2
    assert second.body == "Ordered my usual size.\nHad to send it back for a larger one."
    assert second.created_at == _at(2024, 3, 15)
    assert second.published is False  # curated: not-yet
    assert second.incentivized is False

    assert isinstance(store, ImportedRow)
    assert store.row_number == 3  # the quoted newline above does not shift the numbering
    assert store.source_kind == "store"
    assert store.platform_product_id is None
    assert store.created_at == _at(2024, 3, 7, 1, 30)  # +07:00 converted to UTC

    assert isinstance(incentivized, ImportedRow)
    assert incentivized.incentivized is True
    assert incentivized.created_at == _at(2024, 3, 5)  # "March 5 2024"

    assert no_rating == RowProblem(
        5, "rating", "missing_rating", "row 5, rating: there is no rating"
    )

    assert isinstance(formula, ImportedRow)
    assert formula.created_at == _at(2024, 3, 4)  # 04/03/2024 read day-first, as the file says
    assert formula.verified is None


def test_formula_cells_are_kept_as_plain_text() -> None:
    formula = _read("judgeme.csv", "judgeme")[5]
    assert isinstance(formula, ImportedRow)
    assert formula.title == '=HYPERLINK("http://evil.example/","click")'
    assert formula.body == "=1+1"
    assert formula.raw["body"] == "=1+1"


def test_yotpo_semicolon_export_with_epoch_dates_and_bad_score() -> None:
    opened = read_import(FIXTURES / "yotpo.csv", "yotpo")
    assert opened.delimiter == ";"
    assert opened.column_map["external_review_id"] == "Review ID"
    first, hidden, third, bad = opened.rows()
    assert isinstance(first, ImportedRow)
    assert first.external_review_id == "900001"
    assert first.platform_product_id == "SKU-RED-42"
    assert first.product_name == "Red Sneaker"
    assert first.product_url == "https://shop.example.com/products/red-sneaker"
    assert first.reviewer_name == "Maria G."
    assert first.body == "Very comfy; true to size"
    assert first.reply == "Glad you like them!"
    assert first.reply_at == _at(2024, 3, 5, 18)
    assert first.published is True
    assert isinstance(hidden, ImportedRow)
    assert hidden.created_at == _at(2024, 3, 5, 14, 22, 1)  # epoch seconds 1709648521
    assert hidden.published is False
    assert isinstance(third, ImportedRow)
    assert third.rating == 4  # "4.0"
    assert third.title is None
    assert third.created_at == _at(2024, 3, 5, 10)  # no zone: UTC
    assert isinstance(bad, RowProblem)
    assert (bad.row_number, bad.column, bad.code) == (4, "Review Score", "invalid_rating")


def test_okendo_template_with_dotted_dates_and_pipe_separated_images() -> None:
    opened = read_import(FIXTURES / "okendo.csv", "okendo")
    assert opened.date_order == "dmy"
    assert any("default for Okendo" in note for note in opened.notes)
    olivia, jack, mia = opened.rows()
    assert isinstance(olivia, ImportedRow)
    assert olivia.created_at == _at(2024, 3, 5)
    assert olivia.platform_product_id == "632910392"
    assert olivia.platform_variant_id == "44012345678"
    assert olivia.sku == "SCARF-01"
    assert olivia.media_urls == ("https://img.example.com/a.jpg", "https://img.example.com/b.jpg")
    assert olivia.raw["countryCode"] == "au"
    assert isinstance(jack, ImportedRow)
    assert jack.title is None
    assert jack.media_urls == ()
    assert isinstance(mia, ImportedRow)
    assert mia.created_at == _at(2024, 3, 7)  # 07/03/2024, day-first for Okendo
    assert (mia.handle, mia.sku, mia.reviewer_email) == (None, "SCARF-02", None)


def test_junip_tab_separated_with_offsets() -> None:
    opened = read_import(FIXTURES / "junip.tsv", "junip")
    assert opened.delimiter == "\t"
    budi, kate = opened.rows()
    assert isinstance(budi, ImportedRow) and isinstance(kate, ImportedRow)
    assert budi.external_review_id == "j-1"
    assert budi.created_at == _at(2024, 3, 5, 14, 22, 1)
    assert budi.verified is True
    assert budi.media_urls == ("https://junip.example/p1.png", "https://junip.example/p2.png")
    assert kate.created_at == _at(2024, 3, 4, 15)
    assert kate.verified is False
    assert kate.rating == 1


def test_reviewsio_windows_1252_file_with_day_first_dates() -> None:
    opened = read_import(FIXTURES / "reviewsio.csv", "reviews.io")
    assert opened.encoding == "cp1252"
    assert any("Windows-1252" in note for note in opened.notes)
    zoe, oliver = opened.rows()
    assert isinstance(zoe, ImportedRow) and isinstance(oliver, ImportedRow)
    assert zoe.title == "Café favourite"
    assert zoe.body == "Perfect for my morning café au lait – 10/10 €"
    assert zoe.reviewer_name == "Zoë"
    assert zoe.created_at == _at(2024, 3, 13, 9, 15)
    assert oliver.created_at == _at(2024, 3, 5)
    assert oliver.title == "Naïve design"
    assert opened.unknown_columns == ()  # order_id is known


def test_loox_multiline_media_and_emoji() -> None:
    ayu, rob = _read("loox.csv", "loox")
    assert isinstance(ayu, ImportedRow) and isinstance(rob, ImportedRow)
    assert ayu.reviewer_name == "Ayu 🌸"
    assert ayu.body == "Super cute 💕\nExactly like the photos"
    assert ayu.media_urls == (
        "https://loox.example/1.jpg",
        "https://loox.example/2.jpg",
        "https://loox.example/3.jpg",
    )
    assert ayu.created_at == datetime(2024, 3, 5, 14, 22, 1, 123000, tzinfo=UTC)
    assert ayu.published is True  # status Active
    assert rob.published is False  # status Hidden
    assert rob.reply == "Sorry Rob - we have emailed you."
    assert rob.verified is False


def test_stamped_month_name_dates_and_incentivized_row() -> None:
    lena, sam = _read("stamped.csv", "stamped")
    assert isinstance(lena, ImportedRow) and isinstance(sam, ImportedRow)
    assert lena.created_at == _at(2024, 3, 5)
    assert lena.reply_at == _at(2024, 3, 6)
    assert lena.verified is True  # reviewVerifiedType: buyer
    assert lena.incentivized is False
    assert lena.sku == "MAT-PRO"
    assert lena.product_name == "Yoga Mat"
    assert sam.created_at == _at(2024, 3, 7, 15, 5)  # "Mar 7, 2024 3:05 PM"
    assert sam.verified is False
    assert sam.incentivized is True


def test_shopify_product_reviews_states_and_offsets() -> None:
    emma, spam, lee = _read("shopify.csv", "shopify")
    assert isinstance(emma, ImportedRow)
    assert emma.created_at == _at(2024, 3, 5, 19, 22, 1)  # -0500
    assert emma.reply_at == _at(2024, 3, 6, 15)
    assert emma.published is True
    assert emma.raw["location"] == "Portland, OR"
    assert isinstance(spam, ImportedRow) and spam.published is False
    assert isinstance(lee, ImportedRow)
    assert lee.published is False
    assert lee.created_at == _at(2024, 3, 5)  # 03/05/2024 month-first by default


def test_trustpilot_product_export_with_gtins_and_a_service_review() -> None:
    opened = read_import(FIXTURES / "trustpilot.csv", "trustpilot")
    assert opened.column_map["created_at"] == "Review Created (UTC)"
    assert opened.unknown_columns == ()
    pen, cereal, service, bad_code = opened.rows()
    assert isinstance(pen, ImportedRow)
    assert pen.gtin == "04006381333931"
    assert (pen.sku, pen.brand, pen.product_name) == ("PEN-BOSS", "Stabilo", "Highlighter Yellow")
    assert isinstance(cereal, ImportedRow)
    assert cereal.gtin == "00036000291452"  # UPC-A as GTIN-14
    assert cereal.reply_at == _at(2024, 3, 6, 8)
    assert isinstance(service, ImportedRow)
    assert service.source_kind == "store"
    assert isinstance(bad_code, ImportedRow)
    assert bad_code.gtin is None  # wrong check digit never matches
    assert bad_code.raw["GTIN"] == "4006381333932"


def test_google_feed_reviews() -> None:
    opened = read_import(FIXTURES / "google_feed.xml", "google")
    assert opened.total_rows is None
    chen, anonymous, spam = opened.rows()
    assert isinstance(chen, ImportedRow)
    assert chen.external_review_id == "g-100"
    assert chen.reviewer_name == "Chen Wei"
    assert chen.created_at == _at(2024, 3, 5, 6, 22, 1)
    assert chen.title == "Bright & smooth"
    assert chen.body == "Best highlighter I have owned ✨"
    assert chen.rating == 5
    assert chen.gtin == "04006381333931"
    assert (chen.mpn, chen.sku, chen.brand) == ("STB-70-24", "PEN-BOSS", "Stabilo")
    assert chen.product_url == "https://shop.example.com/products/highlighter"
    assert chen.media_urls == (
        "https://shop.example.com/img/100-1.jpg",
        "https://shop.example.com/img/100-2.jpg",
    )
    assert (chen.verified, chen.incentivized, chen.published) == (True, False, None)
    assert chen.raw["collection_method"] == "post_fulfillment"
    assert isinstance(anonymous, ImportedRow)
    assert anonymous.rating == 4  # 8 on a 1-10 scale
    assert anonymous.incentivized is True
    assert anonymous.raw["reviewer/name@is_anonymous"] == "true"
    assert isinstance(spam, RowProblem) and spam.code == "missing_rating"


def test_generic_csv_through_a_column_mapping() -> None:
    mapping = {
        "rating": "Stars",
        "body": "Comment",
        "created_at": "posted",  # mapping headers are matched tolerantly too
        "sku": "Item SKU",
        "reviewer_name": "Customer",
        "media_urls": "Photos",
        "external_review_id": "Ref",
    }
    ravi, five = _read("generic.csv", "csv", mapping)
    assert isinstance(ravi, ImportedRow)
    assert (ravi.rating, ravi.body, ravi.sku, ravi.external_review_id) == (
        4,
        "Solid, does the job",
        "KB-01",
        "r-1",
    )
    assert ravi.media_urls == ("https://m.example/1.jpg", "https://m.example/2.jpg")
    assert five == RowProblem(2, "Stars", "invalid_rating", "row 2, Stars: 'five' is not a number")


def test_generic_json_lines_with_nested_keys_and_bad_lines() -> None:
    mapping = {"sku": "product.sku", "gtin": "product.gtin", "media_urls": "media"}
    first, not_object, broken, last = _read("generic.jsonl", "jsonl", mapping)
    assert isinstance(first, ImportedRow)
    assert first.row_number == 1
    assert (first.external_review_id, first.rating, first.sku) == ("g-1", 5, "KB-01")
    assert first.gtin == "05901234123457"
    assert first.body == "Great 👍"
    assert first.media_urls == ("https://m.example/a.jpg", "https://m.example/b.jpg")
    assert first.verified is True
    assert isinstance(not_object, RowProblem)
    assert (not_object.row_number, not_object.code) == (3, "not_an_object")
    assert "[1, 2, 3]" in not_object.message
    assert isinstance(broken, RowProblem)
    assert (broken.row_number, broken.code) == (4, "invalid_json")
    assert isinstance(last, ImportedRow)
    assert last.created_at == _at(2024, 3, 5, 14, 22, 1)
    assert last.verified is False


@pytest.mark.parametrize(
    ("name", "source"),
    [("judgeme.csv", "judgeme"), ("trustpilot.csv", "trustpilot"), ("loox.csv", "loox")],
)
def test_reading_twice_gives_the_same_rows_and_hashes(name: str, source: str) -> None:
    opened = read_import(FIXTURES / name, source)
    assert list(opened.rows()) == list(opened.rows())
    hashes = [row.content_hash for row in opened.rows() if isinstance(row, ImportedRow)]
    assert len(set(hashes)) == len(hashes)
