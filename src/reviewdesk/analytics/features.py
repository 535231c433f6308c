"""Text normalisation and the hashed n-gram features shared by training and inference.

Features are hashed with CRC-32 (``zlib``, in the standard library) into a fixed space, so
a trained model is an idf vector and a weight matrix in ``.npz``: no vocabulary, no pickle.
Inference needs only numpy (scikit-learn and scipy are for training; importing them would
cost more than the whole cold-start budget).
"""

# ruff: noqa: SIM905 (word lists read best as one string)

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from zlib import crc32

import numpy as np
from numpy.typing import NDArray

N_FEATURES = 2**19
_MASK = N_FEATURES - 1

_TOKEN_RE = re.compile(r"\w+|[!?]+|[^\w\s]", re.UNICODE)
_WORD_RE = re.compile(r"\w+", re.UNICODE)
_NEGATORS = frozenset(
    """not no never nothing nor don't doesn't didn't isn't wasn't aren't weren't won't
    wouldn't can't cannot couldn't shouldn't hardly barely dont doesnt didnt isnt wasnt
    wont cant couldnt tidak tak gak ga nggak enggak ngga bukan belum jangan tdk blm không
    chẳng chưa chả đừng ko k hok hông kg kh""".split()
)
_CLAUSE_END = frozenset(".,;:!?()")


def normalise(text: str) -> str:
    """NFC-normalise, lowercase and squeeze repeated letters ("sooo" -> "soo")."""
    text = unicodedata.normalize("NFC", text).lower()
    return re.sub(r"(\w)\1{2,}", r"\1\1", text)


def tokens(text: str, normalised: bool = False) -> list[str]:
    """Word tokens of normalised text, with NEG_ marking inside a negated clause."""
    out: list[str] = []
    negated = 0
    for tok in _TOKEN_RE.findall(text if normalised else normalise(text)):
        if tok in _CLAUSE_END or tok.startswith(("!", "?")):
            negated = 0
            out.append(tok)
            continue
        if tok in _NEGATORS:
            negated = 3
            out.append(tok)
            continue
        if negated:
            out.append("NEG_" + tok)
            negated -= 1
        else:
            out.append(tok)
    return out


@lru_cache(maxsize=200_000)
def _id(feature: str) -> int:
    return crc32(feature.encode("utf-8", "surrogatepass")) & _MASK


@lru_cache(maxsize=200_000)
def _char_ids(word: str) -> tuple[int, ...]:
    padded = f" {word} "
    n = len(padded)
    return tuple(_id(padded[i : i + size]) for size in (3, 4, 5) for i in range(n - size + 1))


def feature_ids(text: str) -> list[int]:
    """Hashed ids of ``feature_strings(text)``, computed with per-word caches."""
    text = normalise(text)
    toks = tokens(text, normalised=True)
    ids = [_id("w " + t) for t in toks]
    # Bigrams are mostly unique: hashed directly, a cache would only churn.
    ids.extend(
        crc32(f"b {a} {b}".encode("utf-8", "surrogatepass")) & _MASK
        for a, b in zip(toks, toks[1:], strict=False)
        if a not in _CLAUSE_END and b not in _CLAUSE_END
    )
    for word in _WORD_RE.findall(text):
        ids.extend(_char_ids(word))
    return ids


def feature_strings(text: str) -> list[str]:
    """Word unigrams and bigrams plus character 3-5-grams inside words."""
    toks = tokens(text)
    feats = ["w " + t for t in toks]
    feats.extend(
        "b " + a + " " + b
        for a, b in zip(toks, toks[1:], strict=False)
        if a not in _CLAUSE_END and b not in _CLAUSE_END
    )
    for word in _WORD_RE.findall(normalise(text)):
        padded = f" {word} "
        n = len(padded)
        for size in (3, 4, 5):
            feats.extend(padded[i : i + size] for i in range(n - size + 1))
    return feats


@dataclass(frozen=True)
class SparseRows:
    """A CSR-like batch: row ``i`` is ``indices/data[indptr[i]:indptr[i+1]]``."""

    indptr: NDArray[np.int64]
    indices: NDArray[np.int64]
    data: NDArray[np.float32]

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return len(self.indptr) - 1

    def scores(self, weights_t: NDArray[np.float32]) -> NDArray[np.float64]:
        """``rows @ weights_t`` for a dense (features x classes) weight matrix.

        Features-major weights make the gather read one contiguous row per feature."""
        out = np.zeros((self.n_rows, weights_t.shape[1]), dtype=np.float64)
        if len(self.indices) == 0:
            return out
        products = weights_t[self.indices] * self.data[:, None]  # nnz x classes
        lengths = np.diff(self.indptr)
        nonempty = lengths > 0
        out[nonempty] = np.add.reduceat(products, self.indptr[:-1][nonempty], axis=0)
        return out


def hash_rows(feature_lists: Iterable[Iterable[str]]) -> tuple[list[int], list[int], list[int]]:
    """Hashed counts of each row's features: (indptr, indices, counts)."""
    return count_rows([_id(f) for f in feats] for feats in feature_lists)


def count_rows(id_lists: Iterable[list[int]]) -> tuple[list[int], list[int], list[int]]:
    """Counts of each row's feature ids: (indptr, indices, counts)."""
    indptr = [0]
    indices: list[int] = []
    counts: list[int] = []
    for ids in id_lists:
        counter = Counter(ids)
        indices.extend(counter.keys())
        counts.extend(counter.values())
        indptr.append(len(indices))
    return indptr, indices, counts


class HashedTfidf:
    """Hashed word 1-2-grams and char 3-5-grams, sublinear tf-idf, L2-normalised rows."""

    def __init__(self, idf: NDArray[np.float32] | None = None) -> None:
        self.idf = idf

    def fit_idf(self, texts: list[str]) -> None:
        """Learn the idf vector from training texts."""
        _indptr, indices, _counts = count_rows(feature_ids(t) for t in texts)
        df = np.bincount(np.asarray(indices, dtype=np.int64), minlength=N_FEATURES)
        n = len(texts)
        self.idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)

    def transform(self, texts: list[str]) -> SparseRows:
        """Tf-idf rows of ``texts``."""
        if self.idf is None:
            raise RuntimeError("idf not fitted")
        indptr, indices, counts = count_rows(feature_ids(t) for t in texts)
        ptr = np.asarray(indptr, dtype=np.int64)
        idx = np.asarray(indices, dtype=np.int64)
        data = (np.log1p(np.asarray(counts, dtype=np.float32)) * self.idf[idx]).astype(np.float32)
        lengths = np.diff(ptr)
        nonempty = lengths > 0
        if len(data):
            sq = np.add.reduceat(data.astype(np.float64) ** 2, ptr[:-1][nonempty])
            norms = np.ones(len(lengths))
            norms[nonempty] = np.sqrt(sq)
            data = (data / np.repeat(norms, lengths)).astype(np.float32)
        return SparseRows(ptr, idx, data)


def to_scipy(rows: SparseRows) -> object:
    """The rows as a scipy CSR matrix (training only)."""
    from scipy.sparse import csr_matrix

    return csr_matrix((rows.data, rows.indices, rows.indptr), shape=(rows.n_rows, N_FEATURES))
