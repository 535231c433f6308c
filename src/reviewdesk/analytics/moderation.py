"""Moderation signals of a review: abuse, spam, off-topic, and a deceptive-review score.

The abuse cues are shared with the reply check. The deceptive score is not trained on any
labelled fake reviews: it combines the cues the deception literature reports (Ott et al.
2011; Newman et al. 2003): invented reviews talk about the writer ("I", "my husband")
and in superlatives, real ones about concrete, countable, spatial detail.
"""

# ruff: noqa: SIM905 (word lists read best as one string)

from __future__ import annotations

import math
import re
from functools import cache

# Insults, profanity and threats (EN / ID+MS / VI). Matched at word starts, lowercased.
ABUSE_PATTERNS: tuple[str, ...] = (
    # English
    r"idiot(s|ic)?|stupid|moron(s|ic)?|dumb(ass)?|dummy|retard(ed)?|imbecile|fuck\w*|"
    r"shit\w*|bitch\w*|bastard|ass-?hole|dickhead|\bcunt|go to hell|shut up|screw you|"
    r"damn you|loser|pathetic (customer|buyer)|brain-?dead|clown",
    r"(you('re| are)|you|u r) (a |an )?(liar|scammer|fraud|thief|cheat(er)?|lying)",
    r"(we|i) know where you live|or else\b|(we('ll| will)|i('ll| will)) (sue|find|hurt|kill|"
    r"destroy|report) you|make you (regret|pay|sorry)|you('ll| will) (regret|be sorry|pay for)"
    r"|watch your back|kill you|beat you",
    # Indonesian / Malay
    r"bodoh|goblo[kg]|tolol|bego|dungu|idiot|anjing|anjir|bangsat|babi|kampret|brengsek|"
    r"keparat|bajingan|kontol|memek|\basu\b|jancok|jancuk|sialan|setan|lonte|"
    r"pukimak|bodo amat|gak tau diri|tak tahu diri|otak udang|celaka",
    r"diam (kamu|lu|lo|kau)|(kamu|lu|lo|kau|anda) (itu )?(pembohong|penipu|maling|pencuri)"
    r"|dasar (pembeli|customer|kamu|lu|lo)",
    r"tahu alamat (rumah)?(mu|kamu|lu)|awas (kamu|lu|lo|ya)|(kami|saya|gue|gua) (laporkan|"
    r"tuntut|polisikan|cari) (kamu|lu|lo|anda|ke polisi)|(biar|supaya) (kamu|lu|lo) "
    r"(menyesal|kapok)|hapus (ulasan|review)(nya)? (ini )?atau awas",
    # Vietnamese
    r"đồ ngu|ngu (thế|vậy|như|quá)|\bngu\b|óc chó|ngốc|đần|câm miệng|câm mồm|\bcút\b|"
    r"mất dạy|vô học|địt|\bđm\b|\bdm\b|đéo|\bvl\b|vãi|khốn nạn|chó má|thằng ngu|con ngu|"
    r"đồ (nói dối|lừa đảo|khốn|điên)",
    r"liệu hồn|biết nhà (bạn|mày|em|chị|anh)|(sẽ )?kiện (bạn|mày)|cho (bạn|mày) (hối hận|"
    r"biết tay)|coi chừng|đánh (mày|bạn)",
)
LINK_RE = re.compile(
    # A bare domain after "@" is an e-mail address: personal data (masked), not a link.
    r"(?i)\b(?:https?://|www\.)\S+|(?<![@\w.-])[\w-]+\.(?:com|net|org|id|vn|my|ly|io"
    r"|shop|store|xyz)(?:/\S*)?\b"
)
_AD_RE = re.compile(
    r"(?i)\b(?:visit (my|our) (shop|store|page|channel)|visit (?:www\.|https?://)|"
    r"check (out )?my (shop|store|channel|"
    r"page)|follow (me|us|my)|subscribe|promo code|discount code|use code|click (here|link)|"
    r"dm (me|for)|whatsapp me|buy (now|here|from)|cheap(est)? price at|order now|kunjungi toko"
    r"|mampir ke toko|cek toko|follow (ig|instagram)|jual (murah|akun|followers)|open order|"
    r"hubungi wa|ghé shop|inbox (để|mình)|kết bạn zalo|mua ngay tại)"
)
_OFF_TOPIC_RE = re.compile(
    r"(?i)\b(?:bitcoin|crypto|forex|lottery|togel|judi|slot (online|gacor)|casino|"
    r"election|president|presiden|pemilu|jokowi|prabowo|politics|politik|chính trị|"
    r"first comment|pertamax|giveaway|loan|pinjol|pinjaman online|vay tiền)\b"
)
_FIRST_PERSON = frozenset(["i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"])
_SUPERLATIVE = frozenset(
    """best worst amazing perfect perfectly luxurious luxury wonderful terrible horrible
    awful fantastic excellent incredible outstanding beautiful lovely disappointing
    definitely highly truly absolutely never ever recommend recommended superb
    exceptional magnificent great""".split()
)
_PERSONAL_CONTEXT = frozenset(
    """husband wife family kids children boyfriend girlfriend fiance anniversary honeymoon
    vacation trip business conference weekend experience friends mother father""".split()
)
_CONCRETE = frozenset(
    """floor room bathroom bed shower door window street block walk minutes location lobby
    elevator view size small large price dollars night nights parking bar restaurant
    breakfast desk pillow towel tv wifi internet coffee noise noisy carpet ceiling sink
    tub screen battery button cable strap pocket zipper inch inches cm kg""".split()
)
_TOKEN_RE = re.compile(r"[a-z']+|\d+|[$€£]|!")


@cache
def _abuse_res() -> re.Pattern[str]:
    joined = "|".join(f"(?:{p})" for p in ABUSE_PATTERNS)
    marked = re.compile(r"(?<!\w)(?:" + joined + ")", re.IGNORECASE)
    return marked


def find_abuse(text: str) -> list[tuple[int, int]]:
    """Character spans of insults, profanity and threats."""
    return [(m.start(), m.end()) for m in _abuse_res().finditer(text) if m.end() > m.start()]


def find_links(text: str) -> list[tuple[int, int]]:
    """Character spans of links and bare domains."""
    return [(m.start(), m.end()) for m in LINK_RE.finditer(text)]


def is_repetitive(text: str) -> bool:
    """Copy-paste filler: one word or sentence repeated, or a long run of one character."""
    if re.search(r"(.)\1{9,}", text):
        return True
    words = re.findall(r"\w+", text.lower())
    if len(words) >= 6 and len(set(words)) <= max(2, len(words) // 5):
        return True
    sentences = [s.strip() for s in re.split(r"[.!?\n]+", text.lower()) if len(s.strip()) > 8]
    return len(sentences) >= 3 and len(set(sentences)) <= len(sentences) // 2


def moderation_flags(
    text: str, has_contact_details: bool, has_review_vocabulary: bool
) -> list[str]:
    """Flags for the moderator: abusive, spam_link, spam_contact, spam_repeated,
    spam_advertising, off_topic."""
    flags = []
    if find_abuse(text):
        flags.append("abusive")
    if find_links(text):
        flags.append("spam_link")
    if has_contact_details:
        flags.append("spam_contact")
    if is_repetitive(text):
        flags.append("spam_repeated")
    if _AD_RE.search(text):
        flags.append("spam_advertising")
    words = len(re.findall(r"\w+", text))
    if (
        _OFF_TOPIC_RE.search(text)
        and not has_review_vocabulary
        or words >= 25
        and not has_review_vocabulary
        and not _mentions_product(text)
    ):
        flags.append("off_topic")
    return flags


_PRODUCT_WORDS_RE = re.compile(
    r"(?i)\b(?:product|item|order|buy|bought|purchase|use|used|wear|works?|barang|produk|"
    r"beli|pesan|pakai|sản phẩm|hàng|mua|dùng|máy|đặt)\b"
)


def _mentions_product(text: str) -> bool:
    return _PRODUCT_WORDS_RE.search(text) is not None


def deceptive_score(text: str) -> float:
    """Likelihood-like score in [0, 1] that a review is invented (0.5 = no evidence)."""
    tokens = _TOKEN_RE.findall(text.lower())
    words = [t for t in tokens if t[0].isalpha()]
    n = len(words)
    if n < 20:
        return 0.5
    first = sum(1 for w in words if w in _FIRST_PERSON) / n
    superl = sum(1 for w in words if w in _SUPERLATIVE) / n
    personal = sum(1 for w in words if w in _PERSONAL_CONTEXT) / n
    concrete = sum(1 for w in words if w in _CONCRETE) / n
    numbers = sum(1 for t in tokens if t[0].isdigit() or t in "$€£") / n
    exclaim = tokens.count("!") / n
    z = (
        25.0 * (first - 0.05)
        + 20.0 * (superl - 0.02)
        + 40.0 * personal
        + 10.0 * exclaim
        - 25.0 * (concrete - 0.02)
        - 30.0 * numbers
    )
    return round(1.0 / (1.0 + math.exp(-z)), 4)
