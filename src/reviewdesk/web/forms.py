"""Reading posted forms: size cap, CSRF check, the buyer session, uploads with a size cap."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from reviewdesk.services.platform import Platform
from reviewdesk.services.reviews import MediaUpload
from reviewdesk.web.rendering import refused
from reviewdesk.web.session import (
    CSRF_FIELD,
    BuyerSession,
    buyer_session,
    csrf_valid,
    local_path,
    login_url,
    platform_of,
    redirect,
)

_FORM_SLACK_BYTES = 1024 * 1024
MEDIA_FIELD = "media"


@dataclass
class Posted:
    """A posted form that passed the CSRF check, with the buyer who sent it (if any)."""

    form: FormData
    buyer: BuyerSession | None


def _body_cap(platform: Platform) -> int:
    s = platform.settings
    return s.max_photos * s.max_photo_bytes + s.max_videos * s.max_video_bytes + _FORM_SLACK_BYTES


async def posted_form(
    request: Request, *, buyer_required: bool = True, login_next: str = "/account/orders"
) -> Posted | Response:
    """The form of a POST, or the response refusing it.

    Without a buyer session (when one is required) the answer is a redirect to the sign-in
    page; a missing or wrong CSRF token is a 403 page; a body beyond the upload limits 413.
    """
    platform = platform_of(request)
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > _body_cap(platform):
        return await run_in_threadpool(
            refused, request, "The upload is larger than the limits allow.", 413
        )
    try:
        form = await request.form(max_files=platform.settings.max_photos + 8, max_fields=200)
    except (MultiPartException, HTTPException):
        return await run_in_threadpool(
            refused, request, "The form could not be read (too many files or fields).", 400
        )
    buyer = await run_in_threadpool(buyer_session, request)
    if buyer_required and buyer is None:
        await form.close()
        return redirect(request, login_url(local_path(form.get("next"), login_next)))
    if not csrf_valid(request, form.get(CSRF_FIELD)):
        await form.close()
        return await run_in_threadpool(
            refused,
            request,
            "This form has expired or did not come from this site. "
            "Go back, reload the page and try again.",
        )
    return Posted(form, buyer)


async def handle_posted(posted: Posted, work: Callable[..., Response], *args: Any) -> Response:
    """Run the blocking work of a posted form in the thread pool, then drop its temp files."""
    try:
        return await run_in_threadpool(work, *args)
    finally:
        await posted.form.close()


def text_field(form: FormData, name: str) -> str:
    """A text field of the form ('' when missing or a file)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.0f} MB"
    return f"{max(1, round(count / 1024))} KB"


def read_uploads(platform: Platform, form: FormData) -> tuple[list[MediaUpload], str | None]:
    """The files chosen in the form (empty file inputs skipped), or why they were refused."""
    s = platform.settings
    cap = max(s.max_photo_bytes, s.max_video_bytes if s.max_videos else 0)
    uploads = []
    for item in form.getlist(MEDIA_FIELD):
        if not isinstance(item, UploadFile):
            continue
        if not item.filename and not item.size:
            continue
        item.file.seek(0)
        data = item.file.read(cap + 1)
        if len(data) > cap:
            return [], f"{item.filename or 'A file'} is larger than {_size(cap)}."
        uploads.append(MediaUpload(data, item.filename or None))
    return uploads, None
