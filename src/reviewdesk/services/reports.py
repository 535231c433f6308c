"""Reports (disputes): a seller reports a review, a moderator takes and decides it.

Rules (product.md §1, domain/reports.py): the shop's staff report a published review of
their shop within ``report_window_days`` of its publication, with a reason, a note (required
for ``other``) and evidence files (images or PDF, ``report_max_evidence`` of at most
``report_evidence_max_bytes`` each); one open report per review (``report_already_open``).

What a report does to its review, always in the same transaction as the step, with the
rating summaries adjusted there (``apply_delta``) and the step logged as a moderation
decision of the review and in the audit log:

- taken in review with ``hide``: a published review becomes ``hidden`` (off display and out
  of star ratings; NRR still counts it, see domain/nrr.py). Without ``hide`` it stays shown.
- upheld: the review becomes ``removed``: off display and out of every metric, for good
  (decisions are final: there is no appeal route, so nothing restores a removed review; its
  order line stays taken, so the buyer cannot post it again).
- rejected: a review this report hid is published again, unless something else happened to
  it since (the buyer deleted it, or a moderator decided on it through moderation: the
  latest moderation decision of the review must still be this report's hide).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reviewdesk.db.catalog import Product
from reviewdesk.db.moderation import ModerationDecision, ReportEvidence, ReviewReport
from reviewdesk.db.reviews import Review
from reviewdesk.domain.pagination import decode_cursor, encode_cursor
from reviewdesk.domain.principals import Principal
from reviewdesk.domain.ratings import PUBLISHED, contribution, counts_in_rating
from reviewdesk.domain.reports import (
    NOTE_MAX_CHARS,
    OPEN_STATUSES,
    EvidenceKind,
    ReportReason,
    ReportStatus,
    check_decide,
    check_note,
    check_reportable_at,
    check_take,
    evidence_file_name,
    sniff_evidence,
)
from reviewdesk.errors import Conflict, InvalidInput, NotAllowed, NotFound
from reviewdesk.integrations.images import strip_metadata
from reviewdesk.services.access import audit, require_moderator, shop_for_staff
from reviewdesk.services.catalog import Page
from reviewdesk.services.moderation import HELD, HIDDEN
from reviewdesk.services.platform import Platform
from reviewdesk.services.ratings import apply_delta
from reviewdesk.services.reviews import DELETED

REMOVED = "removed"
# Moderation decisions a report writes on its review (``moderation_decisions.action``).
HIDE_ACTION, REMOVE_ACTION, RESTORE_ACTION = "report_hide", "report_remove", "report_restore"


@dataclass(frozen=True)
class EvidenceUpload:
    """A file the seller attaches to a report: its bytes and the name it came with."""

    data: bytes
    filename: str | None = None


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: ReportReason
    note: str | None = Field(None, max_length=NOTE_MAX_CHARS)


class TakeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    hide: bool = Field(False, description="Take the review off display while in review")


class ReportDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: Literal["upheld", "rejected"]
    note: str = Field(
        min_length=1, max_length=NOTE_MAX_CHARS, description="Why: shown to the seller"
    )


class EvidenceView(BaseModel):
    id: int
    file_name: str
    mime: str
    size_bytes: int
    url: str
    created_at: datetime


class ReportedReview(BaseModel):
    """The reported review as the shop's staff and moderators see it (original text)."""

    id: int
    product_id: int
    status: str
    rating: int
    title: str | None
    text: str | None
    source: str
    published_at: datetime | None


class ReportView(BaseModel):
    id: int
    shop_id: int
    review_id: int
    reason: ReportReason
    note: str | None
    status: ReportStatus
    reporter: str
    moderator_note: str | None
    decided_by: str | None
    created_at: datetime
    in_review_at: datetime | None
    decided_at: datetime | None
    review_hidden: bool = Field(description="The review is off display while in review")
    review: ReportedReview
    evidence: list[EvidenceView]


# ---- the seller's side ------------------------------------------------------------------------


def report_review(
    platform: Platform,
    actor: Principal,
    review_id: int,
    report: ReportIn,
    evidence: Sequence[EvidenceUpload] = (),
) -> ReportView:
    """The shop's staff report one of its reviews (within the report window)."""
    settings = platform.settings
    note = check_note(report.reason, report.note)
    if len(evidence) > settings.report_max_evidence:
        raise InvalidInput(
            "too_many_evidence_files",
            f"at most {settings.report_max_evidence} evidence files per report",
            allowed=settings.report_max_evidence,
        )
    kinds = [
        sniff_evidence(e.data, e.filename, settings.report_evidence_max_bytes) for e in evidence
    ]
    written: list[str] = []
    try:
        with platform.db.write() as session:
            review = _locked_review(session, review_id)
            shop_for_staff(session, actor, review.shop_id)
            now = platform.now()
            if _open_report_id(session, review.id) is not None:
                raise Conflict("report_already_open", "This review already has an open report.")
            if review.status != PUBLISHED:
                raise Conflict(
                    "review_not_reportable",
                    f"Only a published review can be reported; this one is {review.status}.",
                    status=review.status,
                )
            check_reportable_at(review.published_at, now, settings.report_window_days)
            row = ReviewReport(
                shop_id=review.shop_id,
                review_id=review.id,
                reason=report.reason.value,
                note=note,
                status=ReportStatus.SUBMITTED.value,
                reporter=actor.key,
                created_at=now,
            )
            session.add(row)
            try:
                session.flush()
            except IntegrityError:
                raise Conflict(
                    "report_already_open", "This review already has an open report."
                ) from None
            _store_evidence(platform, session, row, evidence, kinds, written)
            audit(
                session,
                actor,
                "report.create",
                "report",
                row.id,
                row.shop_id,
                {"review_id": review.id, "reason": row.reason, "evidence": len(evidence)},
            )
            view = _views(session, [row])[0]
    except BaseException:
        for key in written:
            platform.storage.delete(key)
        raise
    return view


def _store_evidence(
    platform: Platform,
    session: Session,
    report: ReviewReport,
    uploads: Sequence[EvidenceUpload],
    kinds: list[EvidenceKind],
    written: list[str],
) -> None:
    for upload, kind in zip(uploads, kinds, strict=True):
        # Images are re-encoded without metadata, as review photos are: no location stored.
        data = upload.data if kind.mime_type == "application/pdf" else strip_metadata(upload.data)
        key = f"shop/{report.shop_id}/report/{report.id}/{uuid.uuid4().hex}.{kind.extension}"
        platform.storage.put(key, data, kind.mime_type)
        written.append(key)
        session.add(
            ReportEvidence(
                shop_id=report.shop_id,
                report_id=report.id,
                file_name=evidence_file_name(upload.filename, kind.extension),
                mime=kind.mime_type,
                storage_key=key,
                size_bytes=len(data),
                created_at=report.created_at,
            )
        )
    session.flush()


def list_shop_reports(
    platform: Platform,
    actor: Principal,
    shop_id: int,
    *,
    status: ReportStatus | None = None,
    reason: ReportReason | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[ReportView]:
    """The shop's reports, newest first, with their status and decisions (the shop's staff)."""
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
        return _page(
            platform, session, "shop-reports", [shop_id], status, reason, cursor, limit, True
        )


def get_report(platform: Platform, actor: Principal, report_id: int) -> ReportView:
    """One report (the shop's staff, moderators)."""
    with platform.db.read() as session:
        return _views(session, [_readable_report(session, actor, report_id)])[0]


def evidence_file(
    platform: Platform, actor: Principal, report_id: int, evidence_id: int
) -> tuple[EvidenceView, bytes]:
    """An evidence file of a report and its bytes (the shop's staff, moderators)."""
    with platform.db.read() as session:
        report = _readable_report(session, actor, report_id)
        row = session.get(ReportEvidence, evidence_id)
        if row is None or row.report_id != report.id:
            raise NotFound(
                "evidence_not_found", f"evidence {evidence_id} is not on report {report_id}"
            )
        view = _evidence_view(row)
        key = row.storage_key
    return view, platform.storage.get(key)


# ---- the moderators' side ---------------------------------------------------------------------


def report_queue(
    platform: Platform,
    actor: Principal,
    *,
    status: ReportStatus | None = None,
    shop_id: int | None = None,
    reason: ReportReason | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[ReportView]:
    """Reports for moderators, oldest first; without ``status`` the open ones."""
    require_moderator(actor)
    with platform.db.read() as session:
        shops = [shop_id] if shop_id is not None else None
        return _page(platform, session, "report-queue", shops, status, reason, cursor, limit, False)


def take_report(
    platform: Platform, actor: Principal, report_id: int, take: TakeIn | None = None
) -> ReportView:
    """A moderator takes a submitted report in review, and may hide the review meanwhile."""
    require_moderator(actor)
    hide = take.hide if take is not None else False
    with platform.db.write() as session:
        report, review = _locked_report(session, report_id)
        check_take(ReportStatus(report.status))
        now = platform.now()
        report.status = ReportStatus.IN_REVIEW.value
        report.in_review_at = now
        hidden = False
        if hide and review.status == PUBLISHED:
            _set_review_status(
                platform, session, review, HIDDEN, HIDE_ACTION, actor, report, None, now
            )
            hidden = True
        audit(
            session,
            actor,
            "report.take",
            "report",
            report.id,
            report.shop_id,
            {"review_id": review.id, "hide": hide, "review_hidden": hidden},
        )
        session.flush()
        return _views(session, [report])[0]


def decide_report(
    platform: Platform, actor: Principal, report_id: int, decision: ReportDecisionIn
) -> ReportView:
    """A moderator upholds (the review is removed) or rejects (it stays) a report in review."""
    require_moderator(actor)
    note = decision.note.strip()
    if not note:
        raise InvalidInput("moderator_note_required", "Say why: the seller sees this note.")
    with platform.db.write() as session:
        report, review = _locked_report(session, report_id)
        check_decide(ReportStatus(report.status))
        now = platform.now()
        report.status = decision.outcome
        report.moderator_note = note
        report.decided_by = actor.key
        report.decided_at = now
        before = review.status
        if decision.outcome == "upheld" and review.status in (PUBLISHED, HIDDEN, HELD):
            _set_review_status(
                platform, session, review, REMOVED, REMOVE_ACTION, actor, report, note, now
            )
        elif decision.outcome == "rejected" and _hidden_by(session, review, report):
            _set_review_status(
                platform, session, review, PUBLISHED, RESTORE_ACTION, actor, report, note, now
            )
        audit(
            session,
            actor,
            f"report.{decision.outcome}",
            "report",
            report.id,
            report.shop_id,
            {
                "review_id": review.id,
                "note": note,
                "review_status_before": before,
                "review_status": review.status,
            },
        )
        session.flush()
        return _views(session, [report])[0]


# ---- shared ---------------------------------------------------------------------------------


def _locked_review(session: Session, review_id: int) -> Review:
    review = session.scalars(
        select(Review)
        .where(Review.id == review_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if review is None or review.status == DELETED:
        raise NotFound("review_not_found", f"review {review_id} does not exist")
    return review


def _locked_report(session: Session, report_id: int) -> tuple[ReviewReport, Review]:
    """The report and its review, locked (review first, as ``report_review`` does)."""
    review_id = session.scalar(select(ReviewReport.review_id).where(ReviewReport.id == report_id))
    if review_id is None:
        raise NotFound("report_not_found", f"report {report_id} does not exist")
    review = session.scalars(
        select(Review)
        .where(Review.id == review_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    report = session.scalars(
        select(ReviewReport)
        .where(ReviewReport.id == report_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return report, review


def _open_report_id(session: Session, review_id: int) -> int | None:
    return session.scalar(
        select(ReviewReport.id).where(
            ReviewReport.review_id == review_id,
            ReviewReport.status.in_([s.value for s in OPEN_STATUSES]),
        )
    )


def _readable_report(session: Session, actor: Principal, report_id: int) -> ReviewReport:
    report = session.get(ReviewReport, report_id)
    if report is None:
        raise NotFound("report_not_found", f"report {report_id} does not exist")
    if not actor.is_moderator:
        try:
            shop_for_staff(session, actor, report.shop_id)
        except (NotAllowed, NotFound):
            raise NotAllowed("not_your_report", "This report is another shop's.") from None
    return report


def _counted(platform: Platform, session: Session, review: Review) -> bool:
    product = session.get(Product, review.product_id)
    return counts_in_rating(
        status=review.status,
        source=review.source,
        product_listed=product is not None and product.removed_at is None,
        imported_count_in_rating=platform.settings.imported_count_in_rating,
    )


def _set_review_status(
    platform: Platform,
    session: Session,
    review: Review,
    status: str,
    action: str,
    actor: Principal,
    report: ReviewReport,
    note: str | None,
    now: datetime,
) -> None:
    """Change the review's status, its rating summaries with it, and log the decision."""
    before = contribution(review.rating, _counted(platform, session, review))
    review.status = status
    after = contribution(review.rating, _counted(platform, session, review))
    apply_delta(session, review.shop_id, review.product_id, after - before)
    session.add(
        ModerationDecision(
            shop_id=review.shop_id,
            review_id=review.id,
            action=action,
            actor=actor.key,
            reasons=json.dumps([f"report:{report.id}", report.reason]),
            note=note,
            created_at=now,
        )
    )


def _hidden_by(session: Session, review: Review, report: ReviewReport) -> bool:
    """Whether the review is hidden and this report's hide is still its latest decision."""
    if review.status != HIDDEN:
        return False
    latest = session.scalars(
        select(ModerationDecision)
        .where(ModerationDecision.review_id == review.id)
        .order_by(ModerationDecision.id.desc())
        .limit(1)
    ).first()
    return (
        latest is not None
        and latest.action == HIDE_ACTION
        and f"report:{report.id}" in json.loads(latest.reasons)
    )


def _page(
    platform: Platform,
    session: Session,
    sort: str,
    shop_ids: list[int] | None,
    status: ReportStatus | None,
    reason: ReportReason | None,
    cursor: str | None,
    limit: int,
    newest_first: bool,
) -> Page[ReportView]:
    limit = max(1, min(limit, platform.settings.max_page_size))
    query = select(ReviewReport)
    if shop_ids is not None:
        query = query.where(ReviewReport.shop_id.in_(shop_ids))
    if status is not None:
        query = query.where(ReviewReport.status == ReportStatus(status).value)
    elif not newest_first:
        query = query.where(ReviewReport.status.in_([s.value for s in OPEN_STATUSES]))
    if reason is not None:
        query = query.where(ReviewReport.reason == ReportReason(reason).value)
    if cursor:
        (after,) = decode_cursor(cursor, sort, 1)
        query = query.where(
            ReviewReport.id < int(after) if newest_first else ReviewReport.id > int(after)
        )
    order = ReviewReport.id.desc() if newest_first else ReviewReport.id
    rows = session.scalars(query.order_by(order).limit(limit + 1)).all()
    return Page[ReportView](
        items=_views(session, rows[:limit]),
        next_cursor=encode_cursor(sort, [rows[limit - 1].id]) if len(rows) > limit else None,
    )


def _evidence_view(row: ReportEvidence) -> EvidenceView:
    return EvidenceView(
        id=row.id,
        file_name=row.file_name,
        mime=row.mime,
        size_bytes=row.size_bytes,
        url=f"/api/v1/reports/{row.report_id}/evidence/{row.id}",
        created_at=row.created_at,
    )


def _views(session: Session, reports: Sequence[ReviewReport]) -> list[ReportView]:
    """Views of ``reports``, their reviews and evidence read in one query each."""
    if not reports:
        return []
    reviews = {
        r.id: r
        for r in session.scalars(
            select(Review).where(Review.id.in_({x.review_id for x in reports}))
        )
    }
    evidence: dict[int, list[EvidenceView]] = {r.id: [] for r in reports}
    for row in session.scalars(
        select(ReportEvidence)
        .where(ReportEvidence.report_id.in_(evidence))
        .order_by(ReportEvidence.id)
    ):
        evidence[row.report_id].append(_evidence_view(row))
    views = []
    for report in reports:
        review = reviews[report.review_id]
        views.append(
            ReportView(
                id=report.id,
                shop_id=report.shop_id,
                review_id=report.review_id,
                reason=ReportReason(report.reason),
                note=report.note,
                status=ReportStatus(report.status),
                reporter=report.reporter,
                moderator_note=report.moderator_note,
                decided_by=report.decided_by,
                created_at=report.created_at,
                in_review_at=report.in_review_at,
                decided_at=report.decided_at,
                review_hidden=report.status == ReportStatus.IN_REVIEW and review.status == HIDDEN,
                review=ReportedReview(
                    id=review.id,
                    product_id=review.product_id,
                    status=review.status,
                    rating=review.rating,
                    title=review.title,
                    text=review.body,
                    source=review.source,
                    published_at=review.published_at,
                ),
                evidence=evidence[report.id],
            )
        )
    return views
