"""The running reviewdesk a service works on: settings, database, media storage, job queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from reviewdesk.config import Settings, get_settings
from reviewdesk.db.engine import Database
from reviewdesk.domain.media import MediaLimits
from reviewdesk.domain.reviewing import ReviewPolicy
from reviewdesk.integrations.storage import LocalDirectoryStorage, MediaStorage


class Jobs(Protocol):
    """Background work services ask for; the worker package provides it (Huey)."""

    def media_uploaded(self, media_id: int) -> None:
        """Make the derived files (thumbnail) of an uploaded photo."""

    def import_created(self, job_id: int) -> None:
        """Run a review import job."""

    def import_published(self, job_id: int) -> None:
        """Fetch the media URLs of a completed import's reviews."""

    def alert_raised(self, event_id: int) -> None:
        """Send the webhooks and e-mails of a new alert event (its row id)."""


class InlineJobs:
    """Runs background work at once in the caller (library use without a worker)."""

    def __init__(self) -> None:
        self.platform: Platform | None = None

    def media_uploaded(self, media_id: int) -> None:
        """Make the thumbnail now."""
        from reviewdesk.services.media import make_thumbnail

        assert self.platform is not None
        make_thumbnail(self.platform, media_id)

    def import_created(self, job_id: int) -> None:
        """Run the import now, to its end."""
        from reviewdesk.services.imports import run_import

        assert self.platform is not None
        run_import(self.platform, job_id)

    def import_published(self, job_id: int) -> None:
        """Fetch the import's media now."""
        from reviewdesk.services.import_media import fetch_job_media

        assert self.platform is not None
        fetch_job_media(self.platform, job_id)

    def alert_raised(self, event_id: int) -> None:
        """Attempt the event's deliveries now, once (retries wait for ``deliver_due``)."""
        from reviewdesk.services.alert_delivery import deliver_event

        assert self.platform is not None
        deliver_event(self.platform, event_id)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Platform:
    """Everything a service function needs besides its arguments."""

    settings: Settings
    db: Database
    storage: MediaStorage
    jobs: Jobs

    def now(self) -> datetime:
        """The current time (aware UTC); one place so tests can move it."""
        return _now()

    @property
    def review_policy(self) -> ReviewPolicy:
        """The review rules from the settings."""
        s = self.settings
        return ReviewPolicy(
            review_window_days=s.review_window_days,
            text_required_ratings=frozenset(s.review_text_required_ratings),
            text_min_chars=s.review_text_min_chars,
            text_max_chars=s.review_text_max_chars,
            title_max_chars=s.review_title_max_chars,
        )

    @property
    def media_limits(self) -> MediaLimits:
        """The upload limits from the settings."""
        s = self.settings
        return MediaLimits(
            max_photos=s.max_photos,
            max_videos=s.max_videos,
            max_photo_bytes=s.max_photo_bytes,
            max_video_bytes=s.max_video_bytes,
        )

    def close(self) -> None:
        """Release the database connections."""
        self.db.dispose()


def open_platform(settings: Settings | None = None, jobs: Jobs | None = None) -> Platform:
    """A platform for ``settings`` (the process settings by default).

    Without ``jobs``, background work runs through Huey's queue (see ``reviewdesk.worker``)
    unless ``jobs_immediate`` is set, in which case it runs inline.
    """
    settings = settings or get_settings()
    if jobs is None:
        if settings.jobs_immediate:
            jobs = InlineJobs()
        else:
            from reviewdesk.worker.queue import HueyJobs

            jobs = HueyJobs(settings)
    platform = Platform(
        settings=settings,
        db=Database(settings.database_url),
        storage=LocalDirectoryStorage(settings.media_dir),
        jobs=jobs,
    )
    if isinstance(jobs, InlineJobs):
        jobs.platform = platform
    return platform
