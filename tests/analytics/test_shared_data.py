"""Checks on the real shared data sets (skipped, with the reason, when they are absent)."""

import pytest

from reviewdesk.analytics import detect_language, find_personal_data
from reviewdesk.analytics.training.shared_data import (
    data_root,
    prdect_id,
    presidio,
    presidio_split,
    read_csv,
    womens_clothing,
)

pytestmark = pytest.mark.skipif(
    not (data_root() / "womens_clothing").is_dir(),
    reason=f"shared data sets not found at {data_root()} (set REVIEWDESK_SHARED_DATA)",
)


def test_language_recall_on_real_reviews() -> None:
    samples = {
        "en": womens_clothing()[0][:300],
        "id": prdect_id()[0][:300],
        "vi": [r["comment"] for r in read_csv("uit_visfd/Test.csv")][:300],
    }
    for lang, texts in samples.items():
        recall = sum(detect_language(t) == lang for t in texts) / len(texts)
        assert recall >= 0.95, (lang, recall)


def test_contact_data_recall_on_held_out_synthetic_sentences() -> None:
    rows = presidio()
    _train, test = presidio_split()
    wanted = {"EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD"}
    found = total = 0
    for i in test:
        text = rows[i]["full_text"]
        spans = find_personal_data(text)
        for gold in rows[i]["spans"]:
            if gold["entity_type"] not in wanted:
                continue
            total += 1
            start, end = gold["start_position"], gold["end_position"]
            found += any(s.start < end and s.end > start for s in spans)
    assert total > 20
    assert found / total >= 0.98
