"""Vietnamese sentiment lexicon (no Vietnamese training data may ship, so words decide).

Weights are in [-3, 3]. Phrases are matched on the lowercased text with and without
diacritics (buyers often type without them). Negators flip the next sentiment word,
intensifiers scale it.
"""

from __future__ import annotations

import re
import unicodedata

POSITIVE: dict[str, float] = {
    "tốt": 2,
    "rất tốt": 2.5,
    "tuyệt vời": 3,
    "tuyệt": 2.5,
    "xuất sắc": 3,
    "hoàn hảo": 3,
    "đẹp": 2,
    "ổn": 1.2,
    "ổn định": 1.5,
    "ok": 1,
    "oke": 1,
    "okela": 1.5,
    "ngon": 1.5,
    "mượt": 2,
    "nhanh": 1.2,
    "chất lượng": 1,
    "hài lòng": 2.5,
    "thích": 2,
    "rất thích": 2.5,
    "ưng": 2,
    "ưng ý": 2.5,
    "yêu": 2,
    "đáng tiền": 2.5,
    "đáng mua": 2.5,
    "rẻ": 1,
    "nhiệt tình": 2,
    "chu đáo": 2,
    "tận tình": 2,
    "thân thiện": 2,
    "chuyên nghiệp": 2,
    "trâu": 2,
    "pin trâu": 2.5,
    "bền": 2,
    "chắc chắn": 1.5,
    "sắc nét": 2,
    "nét": 1.5,
    "rõ": 1,
    "mạnh": 1.2,
    "khỏe": 1.5,
    "êm": 1.5,
    "nhẹ": 1,
    "sang": 1.5,
    "xịn": 2,
    "tiện": 1.2,
    "tiện lợi": 1.5,
    "nhạy": 1.5,
    "chính hãng": 1.5,
    "cảm ơn": 1,
    "recommend": 1.5,
    "ủng hộ": 1.5,
    "yên tâm": 2,
    "hợp lý": 1.2,
    "tạm ổn": 0.5,
    "khá": 0.8,
    "khá tốt": 1.5,
    "ổn áp": 1.5,
    "mê": 2,
    "đỉnh": 2.5,
    "vừa ý": 2,
    "giao nhanh": 1.5,
    "đóng gói cẩn thận": 1.5,
    "cẩn thận": 1,
    "good": 1.5,
    "nice": 1.5,
    "great": 2,
    "ngon bổ rẻ": 2.5,
    "đúng mô tả": 1.5,
    "như hình": 1,
    "5 sao": 2,
    "năm sao": 2,
    "không lỗi": 1.5,
    "mượt mà": 2,
    "hài lòng lắm": 3,
    "thoải mái": 1.5,
}
NEGATIVE: dict[str, float] = {
    "tệ": -3,
    "quá tệ": -3,
    "kém": -2.5,
    "dở": -2,
    "xấu": -2,
    "lỗi": -2,
    "hỏng": -2.5,
    "hư": -2,
    "chán": -2.5,
    "thất vọng": -3,
    "không hài lòng": -3,
    "lag": -2,
    "giật": -1.5,
    "đơ": -2,
    "treo": -1.5,
    "nóng": -1.5,
    "nóng máy": -2,
    "hao pin": -2,
    "tụt pin": -2,
    "sập nguồn": -2.5,
    "chậm": -1.5,
    "lâu": -1,
    "đắt": -1,
    "mắc": -1,
    "phí tiền": -3,
    "lừa đảo": -3,
    "lừa": -2.5,
    "giả": -2,
    "hàng giả": -3,
    "không nên mua": -3,
    "đừng mua": -3,
    "tồi": -3,
    "tồi tệ": -3,
    "bực": -2,
    "bực mình": -2.5,
    "khó chịu": -2,
    "rè": -1.5,
    "mờ": -1.5,
    "yếu": -1.5,
    "vỡ": -2,
    "trầy": -1.5,
    "móp": -1.5,
    "sai": -1.5,
    "thiếu": -1.5,
    "không được": -1.5,
    "không nhận": -1.5,
    "đổi trả": -1,
    "bảo hành": -0.5,
    "tiếc": -1.5,
    "hối hận": -3,
    "cùi": -2,
    "chê": -1.5,
    "tạm": -0.3,
    "bình thường": -0.3,
    "không như": -1.5,
    "không giống": -1.5,
    "không đúng": -2,
    "phập phù": -2,
    "hay bị": -1.5,
    "bị lỗi": -2.5,
    "liệt": -2,
    "chập chờn": -2,
    "loạn": -1.5,
    "thái độ": -1,
    "lồi lõm": -1.5,
    "quá lâu": -2,
    "văng": -1.5,
    "không nhạy": -2,
    "bad": -2,
    "1 sao": -2.5,
    "một sao": -2.5,
    "nhanh hết pin": -2,
    "cảm ứng kém": -2.5,
    "không ổn": -2,
    "không mượt": -2,
    "không tốt": -2.5,
    "đáng thất vọng": -3,
    "không nên": -2,
    "chả ra gì": -3,
    "như hạch": -3,
    "vứt": -2,
    "tốn tiền": -2,
}
NEGATORS = ("không", "chẳng", "chả", "chưa", "đâu có", "ko", "k", "hok", "hông", "kg", "kh")
INTENSIFIERS = {
    "rất": 1.3,
    "quá": 1.3,
    "lắm": 1.2,
    "cực": 1.4,
    "cực kỳ": 1.5,
    "siêu": 1.4,
    "hơi": 0.6,
    "khá": 0.8,
}
CONTRAST = ("nhưng", "tuy nhiên", "mà", "có điều")


def strip_marks(text: str) -> str:
    """Vietnamese text without tone marks and with đ -> d."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return bare.replace("đ", "d").replace("Đ", "D")


def _compile() -> list[tuple[re.Pattern[str], float, bool]]:
    entries: dict[str, tuple[float, bool]] = {}
    for table in (POSITIVE, NEGATIVE):
        for phrase, weight in table.items():
            entries[phrase] = (weight, True)
            bare = strip_marks(phrase)
            # Unmarked forms are ambiguous for one-syllable words; keep only longer ones.
            if bare != phrase and (" " in bare or len(bare) > 4):
                entries.setdefault(bare, (weight, False))
    out = []
    for phrase in sorted(entries, key=len, reverse=True):
        weight, _marked = entries[phrase]
        pattern = re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")
        out.append((pattern, weight, _marked))
    return out


_PATTERNS: list[tuple[re.Pattern[str], float, bool]] | None = None
_NEG_RE = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in NEGATORS) + r")\s+(\w+\s+)?$")
_INT_RE = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in INTENSIFIERS) + r")\s+$")


def vietnamese_score(text: str) -> float:
    """Sentiment of a Vietnamese text in [-1, 1] from the lexicon (0 when nothing matched)."""
    global _PATTERNS
    if _PATTERNS is None:
        _PATTERNS = _compile()
    lowered = unicodedata.normalize("NFC", text.lower())
    taken = [False] * len(lowered)
    total = 0.0
    # A clause after "but" weighs more: it usually carries the buyer's verdict.
    contrast_at = min(
        (m.start() for c in CONTRAST for m in re.finditer(r"(?<!\w)" + c + r"(?!\w)", lowered)),
        default=len(lowered),
    )
    for pattern, weight, _marked in _PATTERNS:
        for m in pattern.finditer(lowered):
            if any(taken[m.start() : m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            w = weight
            before = lowered[max(0, m.start() - 16) : m.start()]
            if _NEG_RE.search(before) and not pattern.pattern.startswith("(?<!\\w)không"):
                w = -w * 0.8
            intens = _INT_RE.search(before)
            if intens:
                w *= INTENSIFIERS[intens.group(1)]
            if m.start() > contrast_at:
                w *= 1.5
            total += w
    if total == 0:
        return 0.0
    return max(-1.0, min(1.0, total / (abs(total) + 3.0)))
