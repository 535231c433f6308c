"""Reports (disputes) of reviews by sellers (product.md §1): reasons, window, transitions.

A report moves ``submitted -> in_review -> upheld | rejected``; decisions are final. Only a
``submitted`` report can be taken in review and only an ``in_review`` one decided, so two
moderators can never both decide the same report. A review has at most one open
(submitted or in review) report; after a rejection the seller may report it again while
the report window is open (with new evidence, say).

Evidence files are decided by their bytes, never by their name: images (JPEG, PNG, WebP,
GIF, read in full by ``sniff_media``) and PDF documents (the ``%PDF-`` header).

Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from reviewdesk.domain.media import MediaLimits, sniff_media
from reviewdesk.errors import Conflict, InvalidInput, TooLarge


class ReportReason(StrEnum):
    ABUSIVE = "abusive"
    PERSONAL_INFORMATION = "personal_information"
    FALSE_OR_MISLEADING = "false_or_misleading"
    SPAM_OR_IRRELEVANT = "spam_or_irrelevant"
    COMPETITOR_OR_MALICIOUS = "competitor_or_malicious"
    COERCED_OR_INCENTIVIZED = "coerced_or_incentivized"
    OTHER = "other"


class ReportStatus(StrEnum):
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    UPHELD = "upheld"
    REJECTED = "rejected"


OPEN_STATUSES = frozenset({ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW})
DECIDED_STATUSES = frozenset({ReportStatus.UPHELD, ReportStatus.REJECTED})
NOTE_MAX_CHARS = 2000


def check_reportable_at(published_at: datetime | None, now: datetime, window_days: int) -> None:
    """Refuse a report of a review not published, or published more than the window ago."""
    if published_at is None:
        raise Conflict("review_not_published", "Only a published review can be reported.")
    closes = published_at + timedelta(days=window_days)
    if now > closes:
        raise Conflict(
            "report_window_closed",
            f"A review can be reported within {window_days} days of its publication; "
            f"this one's window closed at {closes.isoformat()}.",
            closed_at=closes.isoformat(),
        )


def check_note(reason: ReportReason, note: str | None) -> str | None:
    """The report's note, trimmed; required when the reason is ``other``."""
    cleaned = note.strip() if note else None
    if reason is ReportReason.OTHER and not cleaned:
        raise InvalidInput("note_required", "Say what is wrong when the reason is 'other'.")
    if cleaned and len(cleaned) > NOTE_MAX_CHARS:
        raise InvalidInput("note_too_long", f"A note has at most {NOTE_MAX_CHARS} characters.")
    return cleaned or None


def check_take(status: ReportStatus) -> None:
    """Refuse to take in review a report that is not waiting (submitted)."""
    if status is ReportStatus.IN_REVIEW:
        raise Conflict("report_already_in_review", "A moderator is already reviewing this report.")
    if status in DECIDED_STATUSES:
        raise Conflict("report_already_decided", f"This report was already {status.value}.")


def check_decide(status: ReportStatus) -> None:
    """Refuse to decide a report that is not in review."""
    if status is ReportStatus.SUBMITTED:
        raise Conflict("report_not_in_review", "Take the report in review before deciding it.")
    if status in DECIDED_STATUSES:
        raise Conflict("report_already_decided", f"This report was already {status.value}.")


@dataclass(frozen=True)
class EvidenceKind:
    """What an evidence file is, decided from its bytes."""

    mime_type: str
    extension: str


PDF = EvidenceKind("application/pdf", "pdf")


def sniff_evidence(data: bytes, claimed_name: str | None, max_bytes: int) -> EvidenceKind:
    """The type of an evidence file (an image or a PDF); anything else is refused."""
    label = repr(claimed_name) if claimed_name else "an evidence file"
    if len(data) > max_bytes:
        raise TooLarge(
            "evidence_too_large",
            f"{label} is {len(data):,} bytes; at most {max_bytes:,} allowed.",
            allowed=max_bytes,
        )
    if data.startswith(b"%PDF-"):
        return PDF
    photos_only = MediaLimits(
        max_photos=1, max_videos=0, max_photo_bytes=max_bytes, allowed_video_formats=frozenset()
    )
    try:
        sniffed = sniff_media(data, claimed_name, limits=photos_only)
    except InvalidInput as error:
        raise InvalidInput(
            "unsupported_evidence_type",
            f"{label} is not an image (JPEG, PNG, WebP, GIF) or a PDF document.",
            cause=error.code,
        ) from None
    if sniffed.kind != "photo":  # a video container is refused above; kept for the types
        raise InvalidInput("unsupported_evidence_type", f"{label} is not an image or a PDF.")
    return EvidenceKind(sniffed.mime_type, sniffed.extension)


def evidence_file_name(claimed_name: str | None, extension: str) -> str:
    """A display name for an evidence file: the base name it came with, or a neutral one."""
    base = (claimed_name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    cleaned = "".join(ch for ch in base if ch.isprintable())[:200]
    return cleaned or f"evidence.{extension}"
