"""Aspects (quality, shipping, sizing, packaging, price, customer service) and keywords.

Terms are matched on stems (Snowball English and Indonesian stemmers), so "shipped",
"shipping" and "ships" are one term; Vietnamese has no inflection and is matched as
phrases. A seller's custom keyword matches its inflections, and when it names one of the
concepts below it matches that concept's words in the other languages too ("shipping"
finds "pengiriman" and "giao hàng").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

ASPECTS: dict[str, tuple[str, ...]] = {
    "quality": (
        "quality",
        "material",
        "fabric",
        "durable",
        "sturdy",
        "flimsy",
        "cheap",
        "defect",
        "stitching",
        "build",
        "kualitas",
        "kualiti",
        "bahan",
        "awet",
        "kokoh",
        "jahitan",
        "material",
        "chất lượng",
        "chất liệu",
        "vải",
        "bền",
        "chắc chắn",
        "đường may",
    ),
    "shipping": (
        "shipping",
        "ship",
        "delivery",
        "deliver",
        "arrive",
        "courier",
        "tracking",
        "shipment",
        "pengiriman",
        "kirim",
        "dikirim",
        "kurir",
        "ekspedisi",
        "sampai",
        "penghantaran",
        "hantar",
        "delivery",
        "giao hàng",
        "giao",
        "vận chuyển",
        "shipper",
        "ship hàng",
        "nhận hàng",
    ),
    "sizing": (
        "size",
        "sizing",
        "fit",
        "small",
        "large",
        "tight",
        "loose",
        "length",
        "ukuran",
        "size",
        "kekecilan",
        "kebesaran",
        "sempit",
        "longgar",
        "muat",
        "kích thước",
        "chật",
        "rộng",
        "vừa",
        "form",
        "kích cỡ",
    ),
    "packaging": (
        "packaging",
        "package",
        "packed",
        "box",
        "wrap",
        "bubble",
        "kemasan",
        "dikemas",
        "packing",
        "bungkus",
        "bungkusan",
        "kardus",
        "dus",
        "kotak",
        "đóng gói",
        "hộp",
        "bao bì",
        "gói hàng",
    ),
    "price": (
        "price",
        "cost",
        "expensive",
        "cheap",
        "value",
        "worth",
        "money",
        "affordable",
        "harga",
        "mahal",
        "murah",
        "worth it",
        "giá",
        "đắt",
        "rẻ",
        "đáng tiền",
        "tiền",
    ),
    "customer_service": (
        "seller",
        "service",
        "support",
        "customer service",
        "respond",
        "response",
        "reply",
        "staff",
        "communication",
        "penjual",
        "seller",
        "pelayanan",
        "layanan",
        "respon",
        "admin",
        "cs",
        "ramah",
        "balas",
        "shop",
        "chăm sóc khách hàng",
        "tư vấn",
        "phục vụ",
        "nhân viên",
        "trả lời",
        "phản hồi",
        "thái độ",
    ),
}
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


@cache
def _stemmers() -> tuple[object, object]:
    import snowballstemmer

    return snowballstemmer.stemmer("english"), snowballstemmer.stemmer("indonesian")


@lru_cache(maxsize=100_000)
def stems(word: str) -> frozenset[str]:
    """The word and its English and Indonesian stems, lowercased."""
    word = word.lower()
    english, indonesian = _stemmers()
    out = {word}
    out.add(str(english.stemWord(word)))  # type: ignore[attr-defined]
    out.add(str(indonesian.stemWord(word)))  # type: ignore[attr-defined]
    return frozenset(s for s in out if len(s) >= 2)


@cache
def _term_index() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """stem -> aspects for one-word terms, phrase -> aspects for multi-word terms."""
    by_stem: dict[str, set[str]] = {}
    by_phrase: dict[str, set[str]] = {}
    for aspect, terms in ASPECTS.items():
        for term in terms:
            if " " in term:
                by_phrase.setdefault(term, set()).add(aspect)
            else:
                for stem in stems(term):
                    by_stem.setdefault(stem, set()).add(aspect)
    return by_stem, by_phrase


@lru_cache(maxsize=100_000)
def _word_aspects(word: str) -> frozenset[str]:
    by_stem = _term_index()[0]
    return frozenset().union(*(by_stem.get(s, set()) for s in stems(word)))


@cache
def _phrase_re() -> re.Pattern[str]:
    phrases = sorted(_term_index()[1], key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)")


def find_aspects(text: str) -> tuple[list[str], list[str]]:
    """(aspects in the order of ASPECTS, matched terms as written) of a text."""
    lowered = text.lower()
    by_phrase = _term_index()[1]
    found: set[str] = set()
    terms: list[str] = []
    for m in _phrase_re().finditer(lowered):
        phrase = m.group()
        found |= by_phrase[phrase]
        if phrase not in terms:
            terms.append(phrase)
    for m in _WORD_RE.finditer(lowered):
        word = m.group()
        hit = _word_aspects(word)
        if hit:
            found |= hit
            if word not in terms:
                terms.append(word)
    ordered = [a for a in ASPECTS if a in found]
    return ordered, terms


def match_custom_keywords(text: str, keywords: Iterable[str]) -> list[str]:
    """The seller's keywords that occur in ``text`` (inflections and translations count)."""
    keywords = [k for k in keywords if k.strip()]
    if not keywords:
        return []
    lowered = text.lower()
    text_stems: set[str] = set()
    for m in _WORD_RE.finditer(lowered):
        text_stems |= stems(m.group())
    out = []
    for keyword in keywords:
        kw = keyword.strip().lower()
        if not kw:
            continue
        if _keyword_in(kw, lowered, text_stems):
            out.append(keyword.strip())
            continue
        # A keyword naming a built-in concept also matches the concept's other words.
        for terms in _concepts_of(kw):
            if any(_keyword_in(t, lowered, text_stems) for t in terms):
                out.append(keyword.strip())
                break
    return out


def _keyword_in(kw: str, lowered: str, text_stems: set[str]) -> bool:
    if " " in kw:
        return re.search(r"(?<!\w)" + re.escape(kw) + r"(?!\w)", lowered) is not None
    return bool(stems(kw) & text_stems)


def _concepts_of(kw: str) -> list[tuple[str, ...]]:
    kw_stems = stems(kw) if " " not in kw else frozenset({kw})
    out = []
    for terms in ASPECTS.values():
        for term in terms:
            term_stems = stems(term) if " " not in term else frozenset({term})
            if kw_stems & term_stems:
                out.append(terms)
                break
    return out
