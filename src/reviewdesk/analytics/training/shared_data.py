"""Readers of the shared data sets (``../shared/data``) used by training and the bench."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

SEED = 20240601


def data_root() -> Path:
    """Folder of the shared data sets: ``$REVIEWDESK_SHARED_DATA`` or ``../shared/data``."""
    env = os.environ.get("REVIEWDESK_SHARED_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return Path("/work/shared/data")


def read_csv(relative: str) -> list[dict[str, str]]:
    """Rows of a CSV file under the data root."""
    with open(data_root() / relative, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def split_indices(n: int, labels: list[Any], test_size: float = 0.2) -> tuple[Any, Any]:
    """The fixed, stratified 80/20 split every script and the bench use."""
    from sklearn.model_selection import train_test_split

    idx = np.arange(n)
    train, test = train_test_split(idx, test_size=test_size, random_state=SEED, stratify=labels)
    return np.sort(train), np.sort(test)


def womens_clothing() -> tuple[list[str], list[int], list[str]]:
    """(texts, ratings, row ids) of the English clothing reviews that have text."""
    texts, ratings, ids = [], [], []
    for row in read_csv("womens_clothing/reviews.csv"):
        body = row["Review Text"].strip()
        if not body:
            continue
        title = row["Title"].strip()
        texts.append(f"{title}. {body}" if title else body)
        ratings.append(int(row["Rating"]))
        ids.append(row[""])
    return texts, ratings, ids


def prdect_id() -> tuple[list[str], list[int], list[str]]:
    """(texts, ratings, sentiment labels) of the Indonesian Tokopedia reviews."""
    texts, ratings, labels = [], [], []
    for row in read_csv("prdect_id/reviews.csv"):
        texts.append(row["Customer Review"])
        ratings.append(int(row["Customer Rating"]))
        labels.append(row["Sentiment"].lower())
    return texts, ratings, labels


def presidio() -> list[dict[str, Any]]:
    """The synthetic PII sentences with their spans."""
    with open(data_root() / "presidio_synth_pii/synth_dataset_v2.json", encoding="utf-8") as fh:
        rows: list[dict[str, Any]] = json.load(fh)
    return rows


def presidio_split() -> tuple[list[int], list[int]]:
    """Fixed 80/20 split of the PII sentences (by template, so test templates are unseen)."""
    rows = presidio()
    rng = np.random.default_rng(SEED)
    templates = sorted({int(r.get("template_id") or 0) for r in rows})
    rng.shuffle(templates)
    held = set(templates[: max(1, len(templates) // 5)])
    train = [i for i, r in enumerate(rows) if int(r.get("template_id") or 0) not in held]
    test = [i for i, r in enumerate(rows) if int(r.get("template_id") or 0) in held]
    return train, test
