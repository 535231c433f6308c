"""Routes: sellers report reviews; moderators take and decide the reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status

from reviewdesk.api.auth import PlatformDep, PrincipalDep
from reviewdesk.api.params import RowId
from reviewdesk.db.base import MAX_ID
from reviewdesk.domain.reports import NOTE_MAX_CHARS, ReportReason, ReportStatus
from reviewdesk.errors import TooLarge
from reviewdesk.services import reports
from reviewdesk.services.catalog import Page
from reviewdesk.services.reports import (
    EvidenceUpload,
    ReportDecisionIn,
    ReportIn,
    ReportView,
    TakeIn,
)

router = APIRouter(tags=["reports"])

Limit = Annotated[int, Query(ge=1, le=1000)]


@router.post("/reviews/{review_id}/reports", status_code=status.HTTP_201_CREATED)
def report_review(
    review_id: RowId,
    platform: PlatformDep,
    principal: PrincipalDep,
    response: Response,
    reason: Annotated[ReportReason, Form()],
    note: Annotated[
        str | None, Form(max_length=NOTE_MAX_CHARS, description="required for 'other'")
    ] = None,
    evidence: Annotated[
        list[UploadFile] | None, File(description="images (JPEG, PNG, WebP, GIF) or PDF")
    ] = None,
) -> ReportView:
    """The shop's staff report a review of the shop (within the report window)."""
    limit = platform.settings.report_evidence_max_bytes
    uploads = []
    for upload in evidence or []:
        data = upload.file.read(limit + 1)
        if len(data) > limit:
            raise TooLarge(
                "evidence_too_large",
                f"{upload.filename or 'an evidence file'} is larger than {limit:,} bytes",
                allowed=limit,
            )
        uploads.append(EvidenceUpload(data, upload.filename))
    view = reports.report_review(
        platform, principal, review_id, ReportIn(reason=reason, note=note), uploads
    )
    response.headers["Location"] = f"/api/v1/reports/{view.id}"
    return view


@router.get("/shops/{shop_id}/reports")
def shop_reports(
    shop_id: RowId,
    platform: PlatformDep,
    principal: PrincipalDep,
    report_status: Annotated[ReportStatus | None, Query(alias="status")] = None,
    reason: ReportReason | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[ReportView]:
    """The shop's reports, newest first, with status, moderator note and timestamps."""
    return reports.list_shop_reports(
        platform,
        principal,
        shop_id,
        status=report_status,
        reason=reason,
        cursor=cursor,
        limit=limit,
    )


@router.get("/reports/{report_id}")
def get_report(report_id: RowId, platform: PlatformDep, principal: PrincipalDep) -> ReportView:
    """A report (the shop's staff, moderators)."""
    return reports.get_report(platform, principal, report_id)


@router.get(
    "/reports/{report_id}/evidence/{evidence_id}",
    response_class=Response,
    responses={200: {"content": {"image/*": {}, "application/pdf": {}}}},
)
def evidence_file(
    report_id: RowId, evidence_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """An evidence file of a report, as a download (the shop's staff, moderators)."""
    view, data = reports.evidence_file(platform, principal, report_id, evidence_id)
    return Response(
        data,
        media_type=view.mime,
        headers={
            "Content-Disposition": f'attachment; filename="evidence-{view.id}.'
            f'{view.file_name.rsplit(".", 1)[-1] if "." in view.file_name else "bin"}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/moderation/reports")
def report_queue(
    platform: PlatformDep,
    principal: PrincipalDep,
    report_status: Annotated[
        ReportStatus | None, Query(alias="status", description="default: the open ones")
    ] = None,
    shop_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    reason: ReportReason | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[ReportView]:
    """Reports for moderators, oldest first (moderators, the operator)."""
    return reports.report_queue(
        platform,
        principal,
        status=report_status,
        shop_id=shop_id,
        reason=reason,
        cursor=cursor,
        limit=limit,
    )


@router.post("/moderation/reports/{report_id}/take")
def take_report(
    report_id: RowId,
    platform: PlatformDep,
    principal: PrincipalDep,
    body: TakeIn | None = None,
) -> ReportView:
    """Take a submitted report in review; ``hide`` takes the review off display meanwhile."""
    return reports.take_report(platform, principal, report_id, body)


@router.post("/moderation/reports/{report_id}/decision")
def decide_report(
    report_id: RowId, body: ReportDecisionIn, platform: PlatformDep, principal: PrincipalDep
) -> ReportView:
    """Uphold (the review is removed from display and metrics) or reject a report in review."""
    return reports.decide_report(platform, principal, report_id, body)
