"""Derived media files, made in the background: thumbnails of review photos."""

from __future__ import annotations

from sqlalchemy import select

from reviewdesk.db.reviews import ReviewMedia
from reviewdesk.integrations.images import make_thumbnail as render_thumbnail
from reviewdesk.services.platform import Platform


def make_thumbnail(platform: Platform, media_id: int) -> bool:
    """Make and store the thumbnail of one photo; False when there is nothing to do."""
    with platform.db.read() as session:
        media = session.get(ReviewMedia, media_id)
        if (
            media is None
            or media.kind != "photo"
            or media.thumb_key is not None
            or media.source_url is not None
        ):
            return False
        source_key = media.storage_key
    thumb = render_thumbnail(platform.storage.get(source_key))
    thumb_key = source_key.rsplit(".", 1)[0] + ".thumb.jpg"
    platform.storage.put(thumb_key, thumb, "image/jpeg")
    with platform.db.write() as session:
        media = session.scalars(
            select(ReviewMedia).where(ReviewMedia.id == media_id).with_for_update()
        ).first()
        if media is None:
            # The photo was removed meanwhile: drop the orphan thumbnail.
            platform.storage.delete(thumb_key)
            return False
        media.thumb_key = thumb_key
    return True


def pending_thumbnails(platform: Platform) -> list[int]:
    """Photos still waiting for their thumbnail (to re-enqueue after an outage)."""
    with platform.db.read() as session:
        return list(
            session.scalars(
                select(ReviewMedia.id).where(
                    ReviewMedia.kind == "photo",
                    ReviewMedia.thumb_key.is_(None),
                    ReviewMedia.source_url.is_(None),  # a link has no bytes to make one from
                )
            )
        )
