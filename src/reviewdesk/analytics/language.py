"""Language of a review: en, id, vi, ms, th or other.

CLD2 (``pycld2``, model inside its wheel) gives the first guess. Review text is short and
informal, so we correct it where CLD2 is known to stumble: scripts (Thai; Vietnamese
letters), and the Indonesian / Malay / English confusions of marketplace slang, settled by
counting marker words of each language.
"""

# ruff: noqa: SIM905 (word lists read best as one string)

from __future__ import annotations

import re
import unicodedata

from reviewdesk.analytics.results import Language

_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
_THAI_RE = re.compile(r"[\u0e00-\u0e7f]+")
# Letters that only Vietnamese uses among the Latin-script languages we care about.
_VI_LETTERS = frozenset("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
_VI_LETTER_RE = re.compile("[" + "".join(sorted(_VI_LETTERS)) + "]+")
_VI_WORDS = frozenset(
    """khong ko dc đc duoc hang sp shop giao nhanh tot dep mua ban rat qua minh cua nhung
    nhe nha vay the nay roi chua lam""".split()
)

# Marker words: frequent in one language's reviews and rare in the others'.
_EN = frozenset(
    """the and is it this was very i my for with but not so to of in on that are have love
    great good nice fast thanks thank product item quality recommended would will just
    really too size fit fits color arrived received seller shipping well bad poor broken
    does did you they be all as can like""".split()
)
_ID = frozenset(
    """yang tidak gak ga nggak enggak ngga gk tdk banget bgt udah sudah aja saja sih dong
    deh kok kak kakak barangnya pengiriman dikirim kirim sesuai pesanan mantap mantul
    bagus cepat cepet aman rapi dan dengan ini itu ya juga tapi tp sampai sampe terima
    kasih makasih uang kurang jelek rusak penjual respon ramah beli lagi semoga berfungsi
    baik harga murah agak bisa nya yg dgn sdh blm belum karena krn buat untuk utk pas
    kalo kalau mau udh jg dah jelek buruk lambat kecewa produk mengecewakan barang payah
    respon sesuai hati enak rasa isi sedikit packing original palsu asli salah patah
    robek penyok cacat gagal kualitas lumayan""".split()
)
_MS = frozenset(
    """tak nak dah ni je jer la lah sangat2 kedai penghantaran bungkusan kerosakan kemas
    cantik betul boleh tapi tq awak korang ok puas hati wang selamat sampai pun dgn
    barang ada tiada lagi lepas guna kualiti murah sahaja tu sebab harap""".split()
)
# Words that tell Malay from Indonesian when both are possible.
_MS_ONLY = frozenset(
    """tak nak je jer kedai penghantaran bungkusan kerosakan kemas betul tq awak korang wang
    tiada kualiti sahaja lepas puas hati sebab harap rosak selesa""".split()
)
_ID_ONLY = frozenset(
    """tidak gak nggak enggak ngga gk banget bgt udah aja sih dong deh kok kak kakak
    pengiriman uang mantap mantul cepet sampe makasih udh rusak jelek kalo gue gua lu
    dapet bener gaes kayak kaya banget nyesel""".split()
)
_ID_OR_MS = _ID | _MS
_INDO_FAMILY = frozenset({"id", "ms", "jw", "su", "tl", "jv"})
_CLD_TO_OURS: dict[str, Language] = {"en": "en", "id": "id", "vi": "vi", "ms": "ms", "th": "th"}


def detect_language(text: str) -> Language:
    """Language code of ``text`` (``other`` when unknown, empty or not a language)."""
    text = unicodedata.normalize("NFC", text)
    letters = _count(_WORD_RE, text)
    if letters < 2:
        return "other"
    thai = _count(_THAI_RE, text)
    if thai * 2 >= letters:
        return "th"
    lowered = text.lower()
    vi_letters = _count(_VI_LETTER_RE, lowered)
    if vi_letters >= 2 and vi_letters * 12 >= letters:
        return "vi"
    words = _WORD_RE.findall(lowered)
    guess = _cld2(text)
    if guess not in _INDO_FAMILY and guess not in _CLD_TO_OURS:
        # CLD2 guesses wildly on two-word texts; our marker words decide those.
        guess = "other" if len(words) <= 4 else guess
    en = sum(map(_EN.__contains__, words))
    indo = sum(map(_ID_OR_MS.__contains__, words))
    if guess in _INDO_FAMILY or (guess in ("en", "other") and indo > en):
        if en > indo and en >= 2:
            return "en"
        if indo == 0 and guess not in ("id", "ms"):
            return "other" if guess == "other" else "id"
        return _malay_or_indonesian(words, guess)
    if guess == "en" or (guess == "other" and en >= 1):
        return "en"
    if guess == "vi" or sum(map(_VI_WORDS.__contains__, words)) >= 2:
        return "vi"
    return _CLD_TO_OURS.get(guess, "other")


def _malay_or_indonesian(words: list[str], guess: str) -> Language:
    ms = sum(map(_MS_ONLY.__contains__, words))
    idn = sum(map(_ID_ONLY.__contains__, words))
    # Indonesian is far more common in marketplace reviews and CLD2 often calls it Malay,
    # so Malay needs words only Malay uses.
    if ms > idn:
        return "ms"
    return "id"


def _count(runs: re.Pattern[str], text: str) -> int:
    """Characters of ``text`` in the runs that ``runs`` (a ``[...]+`` pattern) finds."""
    return sum(map(len, runs.findall(text)))


def _cld2(text: str) -> str:
    """CLD2's best guess as a code, ``other`` when it has none."""
    import pycld2

    clean = text.encode("utf-8", "ignore").decode("utf-8", "ignore")
    if not clean.replace("\n", "").replace("\t", "").isprintable():
        clean = "".join(c for c in clean if c.isprintable() or c in "\n\t")
    try:
        _reliable, _bytes, details = pycld2.detect(clean, bestEffort=True)
    except pycld2.error:
        return "other"
    code = str(details[0][1])
    if code in ("un", "xx"):
        return "other"
    return code


def cld2_language(text: str) -> Language:
    """The packaged detector as is, mapped to our codes (the bench's baseline)."""
    guess = _cld2(text)
    if guess in ("jw", "su", "jv"):
        return "other"
    return _CLD_TO_OURS.get(guess, "other")
