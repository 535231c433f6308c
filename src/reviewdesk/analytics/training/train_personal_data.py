"""Train the person-name / street-address token tagger on presidio_synth_pii (train split).

Run: ``python -m reviewdesk.analytics.training.train_personal_data``. Writes
``models/name_tagger.npz`` and prints token-level figures on the held-out templates.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reviewdesk.analytics.features import to_scipy
from reviewdesk.analytics.name_tagger import (
    BUILTIN_NAMES,
    COMMON_WORDS,
    LABELS,
    NameTagger,
    token_features,
    tokenize,
)
from reviewdesk.analytics.training.shared_data import (
    SEED,
    prdect_id,
    presidio,
    presidio_split,
    split_indices,
    womens_clothing,
)
from reviewdesk.analytics.vietnamese import NEGATIVE, POSITIVE

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "name_tagger.npz"
_TYPES = {"PERSON": "person", "STREET_ADDRESS": "address"}


def _census_names(last_names: int = 15_000) -> frozenset[str]:
    """US census first names and the most frequent surnames (the ``names`` package's
    public-domain lists): given names the synthetic training data never shows."""
    import names as names_package

    folder = Path(names_package.__file__).parent
    out: set[str] = set()
    for file, limit in (
        ("dist.male.first", None),
        ("dist.female.first", None),
        ("dist.all.last", last_names),
    ):
        with open(folder / file, encoding="ascii") as fh:
            for i, line in enumerate(fh):
                if limit is not None and i >= limit:
                    break
                word = line.split(" ", 1)[0].strip().lower()
                if len(word) >= 2:
                    out.add(word)
    return frozenset(out)


def _gazetteer(indices: list[int]) -> frozenset[str]:
    """Name tokens of the training split that are names more often than not."""
    rows = presidio()
    as_name: dict[str, int] = {}
    as_other: dict[str, int] = {}
    for i in indices:
        text = rows[i]["full_text"]
        persons = [
            (s["start_position"], s["end_position"])
            for s in rows[i]["spans"]
            if s["entity_type"] == "PERSON"
        ]
        for tok in tokenize(text):
            word = tok.text.lower()
            if not word.isalpha() or len(word) < 2:
                continue
            inside = any(tok.start < e and tok.end > s for s, e in persons)
            table = as_name if inside else as_other
            table[word] = table.get(word, 0) + 1
    learned = {w for w, n in as_name.items() if n > as_other.get(w, 0)}
    return frozenset(learned | BUILTIN_NAMES | _census_names())


def _examples(indices: list[int], names: frozenset[str]) -> tuple[list[list[str]], list[int]]:
    rows = presidio()
    feats: list[list[str]] = []
    labels: list[int] = []
    for i in indices:
        text = rows[i]["full_text"]
        spans = [
            (_TYPES[s["entity_type"]], s["start_position"], s["end_position"])
            for s in rows[i]["spans"]
            if s["entity_type"] in _TYPES
        ]
        tokens = tokenize(text)
        feats.extend(token_features(tokens, text, names))
        for tok in tokens:
            label = "O"
            for name, start, end in spans:
                if tok.start < end and tok.end > start:
                    label = name
            labels.append(LABELS.index(label))
    return feats, labels


def _common_words(names: frozenset[str]) -> frozenset[str]:
    """Words written in lower case at least 5 times in the training reviews (EN, ID):
    capitalised at a sentence start they are still words, not names."""
    import re

    counts: dict[str, int] = {}
    for texts, labels in (womens_clothing()[:2], prdect_id()[:2]):
        train, _test = split_indices(len(texts), labels)
        for i in train:
            for word in re.findall(r"\b[a-z]{2,}\b", texts[i]):
                counts[word] = counts.get(word, 0) + 1
    common = {w for w, n in counts.items() if n >= 5}
    for phrase in list(POSITIVE) + list(NEGATIVE):
        common.update(phrase.split())
    return frozenset(common - names)


def main() -> None:
    """Train, report, save."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import classification_report

    train, test = presidio_split()
    common = _common_words(BUILTIN_NAMES) | COMMON_WORDS
    # Surnames that are also everyday words ("Price", "Love", "Small") are left out.
    names = frozenset(_gazetteer(train) - common)
    tagger = NameTagger(np.zeros((3, 1), np.float32), np.zeros(3, np.float32), names)
    # Cross-fitted gazetteer: each half of the training data sees only the names learned
    # from the other half, as unseen text will.
    half_a, half_b = train[::2], train[1::2]
    f_a, y_a = _examples(half_a, _gazetteer(half_b) - common)
    f_b, y_b = _examples(half_b, _gazetteer(half_a) - common)
    f_train, y_train = f_a + f_b, y_a + y_b
    f_test, y_test = _examples(test, names)
    model = LogisticRegression(
        C=2.0, max_iter=2000, random_state=SEED, class_weight={0: 1.0, 1: 3.0, 2: 2.0}
    )
    model.fit(to_scipy(tagger.hash(f_train)), y_train)
    pred = model.predict(to_scipy(tagger.hash(f_test)))
    print(classification_report(y_test, pred, target_names=list(LABELS), digits=3))
    coef = model.coef_.astype(np.float32)
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        MODEL_PATH,
        coef=coef,
        intercept=model.intercept_.astype(np.float32),
        names=np.array(sorted(names)),
        common=np.array(sorted(common - names)),
    )
    print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
