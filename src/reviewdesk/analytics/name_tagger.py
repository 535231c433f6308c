"""Token tagger for person names and street addresses (the part no regex can do).

A multinomial logistic regression over hashed token-context features, trained by
``training/train_personal_data.py`` on the synthetic PII sentences of the shared data.
Features are plain strings hashed into a fixed space (``features.hash_rows``), so the
model is a weight matrix in ``models/name_tagger.npz`` and needs no vocabulary file.
"""

# ruff: noqa: SIM905 (word lists read best as one string)

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from reviewdesk.analytics.features import SparseRows, hash_rows

LABELS: tuple[str, ...] = ("O", "person", "address")
_DIGIT_RE = re.compile(r"\d")
TOKEN_RE = re.compile(r"\w+(?:[.'’-]\w+)*\.?|[^\w\s]", re.UNICODE)

# Words that sit inside or right before addresses, in EN / ID / MS / VI.
STREET_WORDS = frozenset(
    """street st st. road rd rd. avenue ave ave. lane ln boulevard blvd drive dr court ct
    place pl square way highway hwy suite apt apt. apartment unit floor fl box po psc
    jalan jl jl. jln gang gg komplek blok rt rw kel kec kelurahan kecamatan kabupaten kab
    perumahan lorong taman no no. nomor đường phố phường quận huyện ngõ ngách hẻm số tầng
    tòa thôn xã tỉnh soi moo""".split()
)
# Common given and family names of the markets we serve; the trained gazetteer adds more.
BUILTIN_NAMES = frozenset(
    """nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý văn thị minh
    anh hương lan linh hùng dũng tuấn hải nam hà thảo trang ngọc mai hoa quang budi siti
    dewi agus putri sri wahyu rizky andi dian eko ahmad muhammad nur fitri indah ayu adi
    bambang joko yusuf rina ratna yanti hendra irfan fajar bayu dimas nurul aisyah farah
    aminah hafiz azman lim wong lee chong juan maria jose john james mary david
    michael sarah emma lisa anna peter paul smith johnson brown""".split()
)
NAME_CUES = frozenset(
    """mr mrs ms miss dr sir madam mister pak bu ibu bapak kak mas mbak om tante anh chị em
    cô chú bác ông bà name named nama tên called""".split()
)


@dataclass(frozen=True)
class Token:
    """A token of the text with its character offsets."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Tokens with offsets; words keep inner dots, hyphens and apostrophes."""
    return [Token(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


@lru_cache(maxsize=50_000)
def _shape(word: str) -> str:
    out = []
    for c in word[:6]:
        if c.isupper():
            out.append("X")
        elif c.islower():
            out.append("x")
        elif c.isdigit():
            out.append("d")
        else:
            out.append(c)
    shape = "".join(out)
    return re.sub(r"(.)\1+", r"\1\1", shape)


def candidate_tokens(
    tokens: list[Token], names: frozenset[str], common: frozenset[str] = frozenset()
) -> list[int]:
    """Indices of tokens that could be part of a name or address: capitalised (and not a
    common word), with digits, a known name or a street word. The tagger looks only at
    these."""
    out = []
    for i, tok in enumerate(tokens):
        word = tok.text
        lowered = word.lower()
        if (
            lowered in names
            or lowered in STREET_WORDS
            or _DIGIT_RE.search(word)
            or word[0].isupper()
            and lowered.rstrip(".") not in common
        ):
            out.append(i)
    return out


def token_features(
    tokens: list[Token],
    text: str,
    names: frozenset[str] = BUILTIN_NAMES,
    only: list[int] | None = None,
) -> list[list[str]]:
    """One list of feature strings per token, or per token of ``only``
    (``names``: the name gazetteer)."""
    words = [t.text for t in tokens]
    lowers = [w.lower() for w in words]
    shapes = [_shape(w) for w in words]
    n = len(tokens)
    feats: list[list[str]] = []
    for i in range(n) if only is None else only:
        w, lw, sh = words[i], lowers[i], shapes[i]
        prev_lw = lowers[i - 1] if i > 0 else "<s>"
        next_lw = lowers[i + 1] if i + 1 < n else "</s>"
        prev_sh = shapes[i - 1] if i > 0 else "<s>"
        next_sh = shapes[i + 1] if i + 1 < n else "</s>"
        newline_before = i > 0 and "\n" in text[tokens[i - 1].end : tokens[i].start]
        f = [
            "b",
            "w=" + lw,
            "sh=" + sh,
            "p3=" + lw[:3],
            "s3=" + lw[-3:],
            "s2=" + lw[-2:],
            "pw=" + prev_lw,
            "nw=" + next_lw,
            "psh=" + prev_sh,
            "nsh=" + next_sh,
            "psh|sh=" + prev_sh + "|" + sh,
            "sh|nsh=" + sh + "|" + next_sh,
            "p2w=" + (lowers[i - 2] if i > 1 else "<s>"),
            "n2w=" + (lowers[i + 2] if i + 2 < n else "</s>"),
            "len=" + str(min(len(w), 8)),
        ]
        if lw in STREET_WORDS:
            f.append("street")
        if prev_lw in STREET_WORDS:
            f.append("p_street")
        if next_lw in STREET_WORDS:
            f.append("n_street")
        if lw in names:
            f.append("gaz")
            f.append("gaz|sh=" + sh)
        if prev_lw in names:
            f.append("p_gaz")
        if next_lw in names:
            f.append("n_gaz")
        if prev_lw in NAME_CUES:
            f.append("p_namecue")
        if i == 0 or prev_lw in (".", "!", "?", ":", '"'):
            f.append("sent_start")
        if newline_before:
            f.append("nl_before")
        feats.append(f)
    return feats


class NameTagger:
    """Loaded tagger: label probabilities per token, then spans."""

    def __init__(
        self,
        coef: NDArray[np.float32],
        intercept: NDArray[np.float32],
        names: frozenset[str] = BUILTIN_NAMES,
        common: frozenset[str] = frozenset(),
    ) -> None:
        self.common = common | COMMON_WORDS
        # A word that is common in reviews is never taken for a name by the gazetteer.
        self.names = names - self.common
        self._weights_t = np.ascontiguousarray(coef.T)
        self._intercept = intercept

    def _likely_name(self, word: str, p_person: float) -> bool:
        """A capitalised gazetteer name the model gives some chance: the model has seen
        few contexts, the gazetteer many names."""
        return (
            p_person >= GAZETTEER_MIN_PROBABILITY
            and word[:1].isupper()
            and word.lower() in self.names
            and word.lower().rstrip(".") not in self.common
        )

    def _common_word(self, word: str) -> bool:
        return word.lower().rstrip(".") in self.common

    def hash(self, feats: list[list[str]]) -> SparseRows:
        """Hashed feature rows of the token feature lists."""
        indptr, indices, counts = hash_rows(feats)
        return SparseRows(
            np.asarray(indptr, dtype=np.int64),
            np.asarray(indices, dtype=np.int64),
            np.asarray(counts, dtype=np.float32),
        )

    def tag(self, text: str) -> list[tuple[str, int, int]]:
        """(label, start, end) spans of persons and addresses found in ``text``."""
        all_tokens = tokenize(text)
        only = candidate_tokens(all_tokens, self.names, self.common)
        if not only:
            return []
        x = self.hash(token_features(all_tokens, text, self.names, only))
        tokens = [all_tokens[i] for i in only]
        scores = x.scores(self._weights_t) + self._intercept
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        probs = scores / scores.sum(axis=1, keepdims=True)
        labels = probs.argmax(axis=1)
        spans: list[tuple[str, int, int]] = []
        for tok, lab, row in zip(tokens, labels, probs, strict=True):
            name = LABELS[int(lab)]
            if name == "O" and self._likely_name(tok.text, float(row[1])):
                name = "person"
            elif name == "O" or row[lab] < MIN_PROBABILITY[name]:
                continue
            if name == "person" and self._common_word(tok.text):
                continue
            if spans and spans[-1][0] == name and _joinable(text[spans[-1][2] : tok.start]):
                # Adjacent tokens of one label form one span (only candidates were tagged,
                # so a lowercase word in between ends the span).
                spans[-1] = (name, spans[-1][1], tok.end)
            else:
                spans.append((name, tok.start, tok.end))
        return [s for s in spans if _plausible(s, text)]


MIN_PROBABILITY = {"person": 0.45, "address": 0.45}
GAZETTEER_MIN_PROBABILITY = 0.1
# Capitalised at a sentence start, these are words, not names (the trained list adds the
# frequent words of the review corpora).
COMMON_WORDS = frozenset(
    """thank thanks thankyou sorry please hi hello dear enjoy check follow we our you your
    the this that it is was and but for with kindly hope glad happy great love sure
    terima kasih makasih mohon maaf silakan silahkan semoga kami kak kakak halo hai
    selamat salam sudah sebagai masih bulan produk barang ongkir saldo cek follow jangan
    senang ini itu jika kalau tolong harap ganti kirim selisih tim cảm ơn xin lỗi chào
    chúc rất shop điều cửa hàng theo dõi xem đừng vui bạn mình sản phẩm hàng giao đơn
    tiền nhé ạ i a an mong hy vọng cảm nếu khi vì do lần sau trước dạ vâng chị em cô
    chú bác ông bà quý khách hôm nay tuần tháng năm mới cũ đã đang sẽ được có không
    chưa nhưng và hoặc còn thì là của cho với tại rồi nên cũng vẫn đều luôn hãy vui
    lòng liên hệ nhắn gọi đổi trả hoàn tặng""".split()
)


def _joinable(gap: str) -> bool:
    return len(gap) <= 3 and all(c in " ,\n-" for c in gap)


def _plausible(span: tuple[str, int, int], text: str) -> bool:
    label, start, end = span
    value = text[start:end]
    if label == "person":
        return any(c.isalpha() for c in value) and len(value) >= 2
    # An address has a number or a street word, and more than one token.
    has_number = any(c.isdigit() for c in value)
    has_street = any(w.lower().strip(".,") in STREET_WORDS for w in value.split())
    return (has_number or has_street) and len(value.split()) >= 2
