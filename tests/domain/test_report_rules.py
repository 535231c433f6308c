"""Report rules: the window, the note, the transitions, evidence by content."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from builders import jpeg_with_gps, refused
from reviewdesk.domain.reports import (
    ReportReason,
    ReportStatus,
    check_decide,
    check_note,
    check_reportable_at,
    check_take,
    evidence_file_name,
    sniff_evidence,
)

PUBLISHED = datetime(2026, 3, 1, 12, tzinfo=UTC)


def test_window_counts_from_publication() -> None:
    check_reportable_at(PUBLISHED, PUBLISHED + timedelta(days=30), 30)
    refused(
        "report_window_closed",
        check_reportable_at,
        PUBLISHED,
        PUBLISHED + timedelta(days=30, seconds=1),
        30,
    )
    refused("review_not_published", check_reportable_at, None, PUBLISHED, 30)


def test_note_rules() -> None:
    assert check_note(ReportReason.ABUSIVE, None) is None
    assert check_note(ReportReason.ABUSIVE, "  rude  ") == "rude"
    refused("note_required", check_note, ReportReason.OTHER, " ")
    refused("note_too_long", check_note, ReportReason.OTHER, "x" * 2001)


@pytest.mark.parametrize(
    ("status", "take", "decide"),
    [
        (ReportStatus.SUBMITTED, None, "report_not_in_review"),
        (ReportStatus.IN_REVIEW, "report_already_in_review", None),
        (ReportStatus.UPHELD, "report_already_decided", "report_already_decided"),
        (ReportStatus.REJECTED, "report_already_decided", "report_already_decided"),
    ],
)
def test_transitions(status: ReportStatus, take: str | None, decide: str | None) -> None:
    for check, code in ((check_take, take), (check_decide, decide)):
        if code is None:
            check(status)
        else:
            refused(code, check, status)


def test_evidence_by_content() -> None:
    assert sniff_evidence(b"%PDF-1.4 ...", "x.jpg", 100).mime_type == "application/pdf"
    assert sniff_evidence(jpeg_with_gps((20, 20)), "x.pdf", 10**6).mime_type == "image/jpeg"
    refused("unsupported_evidence_type", sniff_evidence, b"<html>", "a.png", 100)
    refused("unsupported_evidence_type", sniff_evidence, b"", "a.png", 100)
    refused("evidence_too_large", sniff_evidence, b"%PDF-" + b"0" * 100, "a.pdf", 100)


def test_evidence_names_are_base_names() -> None:
    assert evidence_file_name("C:\\Users\\me\\chat.png", "png") == "chat.png"
    assert evidence_file_name("../../etc/passwd", "pdf") == "passwd"
    assert evidence_file_name(None, "pdf") == "evidence.pdf"
    assert evidence_file_name("\x00\x07", "jpg") == "evidence.jpg"
