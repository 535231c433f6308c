"""Tests for the demo vocabulary and deterministic generators."""

from __future__ import annotations

import re
import time
from collections import Counter
from random import Random

import pytest
from stdnum import ean

from reviewdesk.demo import corpus
from reviewdesk.demo.corpus import (
    CATEGORIES,
    DemoBuyer,
    DemoProduct,
    buyers,
    catalog,
    fragment_templates,
    language,
    rating,
    review,
    review_text,
    sellers,
    shops,
    title_templates,
)

N_REVIEWS = 10_000


@pytest.fixture(scope="module")
def products() -> list[DemoProduct]:
    return catalog(Random(2024), 200)


@pytest.fixture(scope="module")
def buyer_set() -> list[DemoBuyer]:
    return buyers(Random(99), 3000)


def _pattern(template: str) -> re.Pattern[str]:
    """A case-insensitive regex matching any rendering of a template."""
    parts = re.split(r"\{\w+\}", template)
    body = ".+?".join(re.escape(p) for p in parts)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def _texts(
    products: list[DemoProduct], stars: int, lang: str, n: int, seed: int
) -> list[tuple[DemoProduct, str | None, str | None]]:
    rng = Random(seed)
    out = []
    for i in range(n):
        product = products[i % len(products)]
        title, text = review_text(rng, product, stars, lang)
        out.append((product, title, text))
    return out


# ----------------------------------------------------------------------------- catalogue


def test_catalog_is_deterministic() -> None:
    assert catalog(Random(5), 200) == catalog(Random(5), 200)
    assert catalog(Random(5), 200) != catalog(Random(6), 200)


def test_catalog_shape(products: list[DemoProduct]) -> None:
    assert len(products) == 200
    assert {p.category for p in products} == set(CATEGORIES)
    assert len({p.slug for p in products}) == 200
    assert len({p.name for p in products}) == 200
    skus = [v.sku for p in products for v in p.variants]
    assert len(skus) == len(set(skus))
    shop_categories = {s.slug: s.categories for s in shops()}
    for p in products:
        assert p.variants, p
        assert p.category in shop_categories[p.shop_slug]
        assert p.price_cents > 0 and all(v.price_cents >= p.price_cents for v in p.variants)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", p.slug)
        if p.category in ("apparel", "shoes"):
            assert len(p.sizes) >= 4 and p.colours
        if p.category == "electronics":
            assert p.colours


def test_catalog_small_and_empty() -> None:
    assert catalog(Random(1), 0) == []
    assert len(catalog(Random(1), 3)) == 3


def test_gtins_are_valid_unique_and_cover_about_60_percent(products: list[DemoProduct]) -> None:
    many = products + catalog(Random(7), 1000)
    share = sum(p.gtin is not None for p in many) / len(many)
    assert 0.55 <= share <= 0.65
    for batch in (products, catalog(Random(7), 1000)):
        gtins = [v.gtin for p in batch for v in p.variants if v.gtin]
        assert len(gtins) == len(set(gtins))
    for p in many:
        assert p.gtin == p.variants[0].gtin
        assert all((v.gtin is None) == (p.gtin is None) for v in p.variants)
        for v in p.variants:
            if v.gtin is not None:
                assert len(v.gtin) == 13 and ean.is_valid(v.gtin), v.gtin
                if p.category == "books":
                    assert v.gtin.startswith("978")


# ------------------------------------------------------------------------ shops, sellers


def test_shops_and_sellers() -> None:
    all_shops = shops()
    assert len(all_shops) >= 3
    slugs = [s.slug for s in all_shops]
    assert len(slugs) == len(set(slugs))
    assert {"batik-house", "kopi-corner", "northwind-apparel"} <= set(slugs)
    assert {s.seller.slug for s in all_shops} == {s.slug for s in sellers()}
    assert len(sellers()) == 2
    assert {s.name for s in sellers()} == {"Nusantara Goods", "Northwind Outfitters"}
    by_slug = {s.slug: s for s in all_shops}
    assert by_slug["batik-house"].seller.name == "Nusantara Goods"
    assert by_slug["kopi-corner"].seller.name == "Nusantara Goods"
    assert by_slug["northwind-apparel"].seller.name == "Northwind Outfitters"
    assert set(CATEGORIES) <= {c for s in all_shops for c in s.categories}
    emails = [m.email for seller in sellers() for m in seller.members]
    assert len(emails) == len(set(emails))
    for shop in all_shops:
        assert shop.members and all(m in shop.seller.members for m in shop.members)
        assert all(re.fullmatch(r"[a-z.]+@[a-z-]+\.example\.com", m.email) for m in shop.members)


# -------------------------------------------------------------------------------- buyers


def test_buyers_are_deterministic() -> None:
    assert buyers(Random(3), 300) == buyers(Random(3), 300)
    assert buyers(Random(3), 300) != buyers(Random(4), 300)


def test_buyers_are_unique(buyer_set: list[DemoBuyer]) -> None:
    assert len(buyer_set) == 3000
    for attr in ("full_name", "email", "phone"):
        values = [getattr(b, attr).casefold() for b in buyer_set]
        assert len(values) == len(set(values)), attr


def test_buyer_values_do_not_contain_each_other(buyer_set: list[DemoBuyer]) -> None:
    names = "\n".join(b.full_name.casefold() for b in buyer_set)
    for b in buyer_set:
        assert names.count(b.full_name.casefold()) == 1, b.full_name
    emails = {b.email for b in buyer_set}
    phones = {b.phone for b in buyer_set}
    for b in buyer_set:
        local, domain = b.email.split("@")
        assert not any(f"{local[i:]}@{domain}" in emails for i in range(1, len(local)))
        assert not any(b.phone[:i] in phones for i in range(2, len(b.phone)))


def test_buyer_fields_look_real(buyer_set: list[DemoBuyer]) -> None:
    countries = Counter(b.country for b in buyer_set)
    assert len(countries) >= 6 and countries["ID"] > countries["GB"]
    for b in buyer_set:
        assert len(b.full_name.split()) >= 2
        assert b.given_name and b.family_name and b.family_name in b.full_name
        assert re.fullmatch(r"[a-z][a-z0-9._]{5,}@example\.(com|net|org)", b.email), b.email
        assert re.fullmatch(r"\+[1-9]\d{8,13}", b.phone), b.phone
        assert b.street and b.city and b.postal_code
    vietnamese = [b for b in buyer_set if b.country == "VN"]
    assert sum(not b.full_name.isascii() for b in vietnamese) > 0.8 * len(vietnamese)


def test_buyer_phones_are_valid_mobiles_for_their_country(buyer_set: list[DemoBuyer]) -> None:
    phonenumbers = pytest.importorskip("phonenumbers")
    kinds = phonenumbers.PhoneNumberType
    mobile = {kinds.MOBILE, kinds.FIXED_LINE_OR_MOBILE}
    for b in buyer_set:
        number = phonenumbers.parse(b.phone, None)
        assert phonenumbers.is_valid_number(number), b.phone
        assert phonenumbers.region_code_for_number(number) == b.country, b.phone
        assert phonenumbers.number_type(number) in mobile, b.phone


def test_buyer_data_is_distinctive(buyer_set: list[DemoBuyer], products: list[DemoProduct]) -> None:
    public = [p.name for p in products] + [p.description for p in products]
    public += [p.brand for p in products] + [s.name for s in shops()]
    for lang in corpus.LANGUAGES:
        for tone in corpus.TONES:
            public += fragment_templates(lang, tone) | title_templates(lang, tone)
    blob = "\n".join(public).casefold()
    for b in buyer_set:
        assert b.full_name.casefold() not in blob
        assert b.email not in blob and b.phone not in blob


# ------------------------------------------------------------------- ratings, languages


def test_rating_distribution() -> None:
    rng = Random(11)
    counts = Counter(rating(rng) for _ in range(N_REVIEWS))
    expected = {5: 0.55, 4: 0.20, 3: 0.09, 2: 0.06, 1: 0.10}
    assert set(counts) == set(expected)
    for stars, share in expected.items():
        assert abs(counts[stars] / N_REVIEWS - share) < 0.02, (stars, counts)


def test_language_share() -> None:
    rng = Random(12)
    counts = Counter(language(rng) for _ in range(N_REVIEWS))
    for lang, share in {"en": 0.80, "id": 0.12, "vi": 0.08}.items():
        assert abs(counts[lang] / N_REVIEWS - share) < 0.02, (lang, counts)
    reviews = [review(Random(13), p) for p in catalog(Random(1), 50) for _ in range(1)]
    assert all(r.language in corpus.LANGUAGES for r in reviews)


# ------------------------------------------------------------------------------ reviews


def test_reviews_are_deterministic(products: list[DemoProduct]) -> None:
    def run(seed: int) -> list[object]:
        rng = Random(seed)
        return [review(rng, products[rng.randrange(len(products))]) for _ in range(2000)]

    assert run(21) == run(21)
    assert run(21) != run(22)


def test_review_variety(products: list[DemoProduct]) -> None:
    rng = Random(31)
    reviews = [review(rng, products[rng.randrange(len(products))]) for _ in range(N_REVIEWS)]
    texts = [r.text for r in reviews if r.text is not None]
    assert len(set(texts)) >= 5000
    silent = sum(r.text is None for r in reviews) / N_REVIEWS
    assert 0.05 <= silent <= 0.11
    assert all((r.title is None) for r in reviews if r.text is None)
    assert sum("\n\n" in t for t in texts) > 100  # some long, multi-paragraph reviews
    lengths = Counter(len(re.findall(r"[.!?](?:\s|$)", t)) for t in texts)
    assert min(lengths) >= 1 and max(lengths) >= 6
    assert len({r.title for r in reviews if r.title}) >= 40


def test_review_text_speed(products: list[DemoProduct]) -> None:
    rng = Random(41)
    jobs = [(products[i % len(products)], rating(rng), language(rng)) for i in range(N_REVIEWS)]
    start = time.perf_counter()
    for product, stars, lang in jobs:
        review_text(rng, product, stars, lang)
    assert time.perf_counter() - start < 3.0


@pytest.mark.parametrize("lang", corpus.LANGUAGES)
def test_negative_reviews_never_read_like_praise(products: list[DemoProduct], lang: str) -> None:
    praise_titles = title_templates(lang, "praise")
    praise = [_pattern(t) for t in fragment_templates(lang, "praise") | praise_titles]
    complaints = [_pattern(t) for t in fragment_templates(lang, "complaint")]
    for stars in (1, 2):
        for _product, title, text in _texts(products, stars, lang, 2500, seed=stars):
            assert title not in praise_titles
            if text is None:
                continue
            hits = [p.pattern for p in praise if p.search(text)]
            assert not hits, (stars, text, hits)
            if stars == 1:
                assert any(p.search(text) for p in complaints), text


@pytest.mark.parametrize("lang", corpus.LANGUAGES)
def test_five_star_reviews_never_complain(products: list[DemoProduct], lang: str) -> None:
    bad_titles = title_templates(lang, "complaint")
    bad = [_pattern(t) for t in fragment_templates(lang, "complaint") | bad_titles]
    bad += [_pattern(t) for t in fragment_templates(lang, "mixed")]
    for _product, title, text in _texts(products, 5, lang, 2500, seed=5):
        assert title not in bad_titles
        if text is not None:
            assert not [p.pattern for p in bad if p.search(text)], text


def test_tone_pools_do_not_overlap() -> None:
    for lang in corpus.LANGUAGES:
        praise = fragment_templates(lang, "praise") | title_templates(lang, "praise")
        for tone in ("complaint", "mixed", "neutral", "minor"):
            assert not praise & (fragment_templates(lang, tone) | title_templates(lang, tone))


def test_mixed_reviews_exist(products: list[DemoProduct]) -> None:
    mixed = [_pattern(t) for t in fragment_templates("en", "mixed")]
    texts = [t for _p, _title, t in _texts(products, 3, "en", 1000, seed=3) if t]
    assert sum(any(p.search(t) for p in mixed) for t in texts) > 100


def test_reviews_fit_the_category(products: list[DemoProduct]) -> None:
    rng = Random(51)
    by_category: dict[str, list[str]] = {}
    for i in range(6000):
        product = products[i % len(products)]
        _title, text = review_text(rng, product, (1, 2, 3, 4, 5)[i % 5], "en")
        if text:
            by_category.setdefault(product.category, []).append(text.lower())
    for category, texts in by_category.items():
        joined = "\n".join(texts)
        if category != "electronics":
            assert "battery drains" not in joined and "pairing" not in joined
        if category not in ("apparel", "shoes"):
            assert "size chart" not in joined and "i ordered eu" not in joined
        if category != "food":
            assert "tasted stale" not in joined and "crunchy" not in joined
    assert "size" in "\n".join(by_category["apparel"])
    assert "charg" in "\n".join(by_category["electronics"])
    assert "flavour" in "\n".join(by_category["food"]) or "coffee" in "\n".join(by_category["food"])


def test_review_texts_have_no_contact_data_or_placeholders(products: list[DemoProduct]) -> None:
    rng = Random(61)
    forbidden = re.compile(r"@|https?:|www\.|\.(com|net|org)\b|\d{5,}|[{}\[\]]", re.IGNORECASE)
    for _ in range(5000):
        r = review(rng, products[rng.randrange(len(products))])
        for value in (r.title, r.text):
            assert value is None or not forbidden.search(value), value


def test_vietnamese_reviews_use_diacritics(products: list[DemoProduct]) -> None:
    texts = [t for _p, _title, t in _texts(products, 5, "vi", 300, seed=7) if t]
    assert texts and all(not t.isascii() for t in texts)
    assert any(ch in "".join(texts) for ch in "ăâđêôơư")


def test_review_text_rejects_bad_input(products: list[DemoProduct]) -> None:
    with pytest.raises(ValueError):
        review_text(Random(1), products[0], 5, "fr")
    with pytest.raises(ValueError):
        review_text(Random(1), products[0], 6, "en")
