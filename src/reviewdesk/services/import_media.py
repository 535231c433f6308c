"""Media of imported reviews: fetched safely into the media storage, or kept as links."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reviewdesk.db.imports import ImportedReview
from reviewdesk.db.reviews import Review, ReviewMedia
from reviewdesk.services.platform import Platform

log = logging.getLogger("reviewdesk.imports")


def keep_media_links(
    platform: Platform, job_id: int, imported_ids: Iterable[int] | None = None
) -> int:
    """Attach the media URLs of a job's reviews as links (no bytes fetched); the count."""
    query = (
        select(ImportedReview.id, ImportedReview.media_urls, Review.id, Review.shop_id)
        .join(Review, Review.imported_review_id == ImportedReview.id)
        .where(
            ImportedReview.job_id == job_id,
            ImportedReview.media_urls != "[]",
            ImportedReview.media_fetched.is_(False),
        )
    )
    if imported_ids is not None:
        query = query.where(ImportedReview.id.in_(list(imported_ids)))
    added = 0
    with platform.db.write() as session:
        for imported_id, urls, review_id, shop_id in session.execute(query).all():
            added += _attach_links(session, shop_id, review_id, json.loads(urls), platform.now())
            session.execute(
                update(ImportedReview)
                .where(ImportedReview.id == imported_id)
                .values(media_fetched=True)
            )
    return added


_VIDEO_EXTENSIONS = (".mp4", ".mov", ".webm", ".m4v")


def _attach_links(
    session: Session, shop_id: int, review_id: int, urls: list[str], now: datetime
) -> int:
    photos = videos = 0
    for url in urls:
        kind = "video" if url.split("?")[0].casefold().endswith(_VIDEO_EXTENSIONS) else "photo"
        session.add(
            ReviewMedia(
                shop_id=shop_id,
                review_id=review_id,
                kind=kind,
                mime="",
                storage_key="",
                source_url=url,
                size_bytes=0,
                created_at=now,
            )
        )
        photos += kind == "photo"
        videos += kind == "video"
    if photos or videos:
        session.execute(
            update(Review)
            .where(Review.id == review_id)
            .values(
                photo_count=Review.photo_count + photos, video_count=Review.video_count + videos
            )
        )
    return photos + videos


# ---- media of imported reviews -----------------------------------------------------------------


def fetch_job_media(platform: Platform, job_id: int, *, allow_private: bool | None = None) -> int:
    """Fetch the media URLs of a completed job's reviews into our storage; the count stored.

    A URL that cannot be fetched (refused address, timeout, not an image or video, too
    large...) is kept as a link instead: a failed fetch never fails the review.
    """
    from reviewdesk.integrations.fetch import FetchLimits, fetch_media
    from reviewdesk.integrations.images import strip_metadata

    settings = platform.settings
    private = settings.import_media_allow_private if allow_private is None else allow_private
    limits = FetchLimits(max_bytes=max(settings.max_photo_bytes, settings.max_video_bytes))
    stored = 0
    while True:
        with platform.db.read() as session:
            pending = session.execute(
                select(ImportedReview.id, ImportedReview.media_urls, Review.id, Review.shop_id)
                .join(Review, Review.imported_review_id == ImportedReview.id)
                .where(
                    ImportedReview.job_id == job_id,
                    ImportedReview.media_urls != "[]",
                    ImportedReview.media_fetched.is_(False),
                )
                .order_by(ImportedReview.id)
                .limit(50)
            ).all()
        if not pending:
            return stored
        for imported_id, urls, review_id, shop_id in pending:
            fetched: list[tuple[str, bytes, Any]] = []
            links: list[str] = []
            for url in json.loads(urls)[: settings.max_photos + settings.max_videos]:
                try:
                    media = fetch_media(
                        url, limits, media_limits=platform.media_limits, allow_private=private
                    )
                    fetched.append((url, media.content, media.media))
                except Exception as error:  # noqa: BLE001 - whatever the cause, keep the link
                    log.info("import %s: media %s kept as a link: %s", job_id, url, error)
                    links.append(url)
            written: list[str] = []
            photo_ids: list[int] = []
            try:
                with platform.db.write() as session:
                    now = platform.now()
                    photos = videos = 0
                    for _url, content, kind in fetched:
                        data = strip_metadata(content) if kind.kind == "photo" else content
                        key = (
                            f"shop/{shop_id}/review/{review_id}/{uuid.uuid4().hex}.{kind.extension}"
                        )
                        platform.storage.put(key, data, kind.mime_type)
                        written.append(key)
                        row = ReviewMedia(
                            shop_id=shop_id,
                            review_id=review_id,
                            kind=kind.kind,
                            mime=kind.mime_type,
                            storage_key=key,
                            source_url=None,
                            size_bytes=len(data),
                            width=kind.width,
                            height=kind.height,
                            created_at=now,
                        )
                        session.add(row)
                        session.flush()
                        if kind.kind == "photo":
                            photos += 1
                            photo_ids.append(row.id)
                        else:
                            videos += 1
                    if photos or videos:
                        session.execute(
                            update(Review)
                            .where(Review.id == review_id)
                            .values(
                                photo_count=Review.photo_count + photos,
                                video_count=Review.video_count + videos,
                            )
                        )
                    _attach_links(session, shop_id, review_id, links, now)
                    session.execute(
                        update(ImportedReview)
                        .where(ImportedReview.id == imported_id)
                        .values(media_fetched=True)
                    )
            except BaseException:
                for key in written:
                    platform.storage.delete(key)
                raise
            for media_id in photo_ids:  # once committed, so the thumbnail maker sees them
                platform.jobs.media_uploaded(media_id)
            stored += len(fetched)
