"""The job queue: Huey on an SQLite file by default, on Redis when ``redis_url`` is set.

Tasks are thin: each opens (once per worker process) a platform and calls a service.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey, crontab

from reviewdesk.config import Settings
from reviewdesk.domain.principals import OPERATOR

log = logging.getLogger("reviewdesk.worker")


@dataclass
class Tasks:
    """The Huey instance and the task functions registered on it."""

    huey: Huey
    make_thumbnail: Any
    recompute_check: Any
    requeue_thumbnails: Any
    run_import: Any
    fetch_import_media: Any
    resume_imports: Any
    deliver_alert: Any = None
    retry_alert_delivery: Any = None
    deliver_due_alerts: Any = None


def make_huey(settings: Settings) -> Huey:
    """The queue for ``settings``: Redis when configured, else the embedded SQLite file."""
    if settings.redis_url:
        return RedisHuey(
            settings.jobs_queue, url=settings.redis_url, immediate=settings.jobs_immediate
        )
    settings.jobs_path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(
        settings.jobs_queue, filename=str(settings.jobs_path), immediate=settings.jobs_immediate
    )


def register_tasks(huey: Huey, settings: Settings) -> Tasks:
    """Define reviewdesk's tasks on ``huey``."""
    platform_cache: dict[str, Any] = {}

    def platform() -> Any:
        if "p" not in platform_cache:
            from reviewdesk.services.platform import InlineJobs, open_platform

            # Work a task starts runs inline in the same worker.
            platform_cache["p"] = open_platform(settings, jobs=InlineJobs())
        return platform_cache["p"]

    @huey.task(retries=5, retry_delay=30)  # type: ignore[untyped-decorator]
    def make_thumbnail(media_id: int) -> bool:
        from reviewdesk.services.media import make_thumbnail as make

        return make(platform(), media_id)

    @huey.periodic_task(crontab(minute="0", hour=str(settings.recompute_check_hour)))  # type: ignore[untyped-decorator]
    def recompute_check() -> int:
        from reviewdesk.services.ratings import check_summaries

        drifts = check_summaries(platform(), OPERATOR)
        for drift in drifts:
            log.warning("rating summary drift: %s", drift)
        log.info("scheduled recompute --check: %d drift(s)", len(drifts))
        return len(drifts)

    @huey.periodic_task(crontab(minute="*/10"))  # type: ignore[untyped-decorator]
    def requeue_thumbnails() -> int:
        from reviewdesk.services.media import pending_thumbnails

        pending = pending_thumbnails(platform())
        for media_id in pending:
            make_thumbnail(media_id)
        return len(pending)

    @huey.periodic_task(crontab(minute="7"))  # type: ignore[untyped-decorator]
    def publish_overdue() -> int:
        from reviewdesk.services.moderation import publish_overdue as publish

        published = publish(platform())
        if published:
            log.info("published %d held review(s) no moderator decided", published)
        return published

    @huey.task(retries=3, retry_delay=60)  # type: ignore[untyped-decorator]
    def run_import(job_id: int) -> str:
        from reviewdesk.services.imports import LeaseLost
        from reviewdesk.services.imports import run_import as run

        try:
            result = run(platform(), job_id)
        except LeaseLost as error:
            log.warning("%s", error)
            return "taken over"
        if isinstance(result, float):
            # Another worker holds the job; look again when its lease would have ended.
            run_import.schedule((job_id,), delay=max(1.0, result + 0.5))
            return "held elsewhere"
        return result.status if result is not None else "finished already"

    @huey.task(retries=3, retry_delay=60)  # type: ignore[untyped-decorator]
    def fetch_import_media(job_id: int) -> int:
        from reviewdesk.services.import_media import fetch_job_media

        return fetch_job_media(platform(), job_id)

    @huey.periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
    def resume_imports() -> int:
        from reviewdesk.services.imports import stalled_imports

        stalled = stalled_imports(platform())
        for job_id in stalled:
            run_import(job_id)
        return len(stalled)

    @huey.task()  # type: ignore[untyped-decorator]
    def deliver_alert(event_id: int) -> int:
        from reviewdesk.services.alert_delivery import deliver_event

        outcomes = deliver_event(platform(), event_id)
        for delivery_id, retry_in in outcomes:
            if retry_in is not None:
                # A little late rather than early: a retry that finds it not yet due does nothing.
                retry_alert_delivery.schedule((delivery_id,), delay=retry_in + 0.1)
        return len(outcomes)

    @huey.task()  # type: ignore[untyped-decorator]
    def retry_alert_delivery(delivery_id: int) -> bool:
        from reviewdesk.services.alert_delivery import attempt_delivery

        retry_in = attempt_delivery(platform(), delivery_id)
        if retry_in is not None:
            retry_alert_delivery.schedule((delivery_id,), delay=retry_in + 0.1)
        return retry_in is None

    @huey.periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
    def deliver_due_alerts() -> int:
        # The safety net: deliveries whose queued task was lost (queue down at commit,
        # worker killed mid-attempt) are due here within a minute.
        from reviewdesk.services.alert_delivery import due_deliveries

        due = due_deliveries(platform())
        for delivery_id in due:
            retry_alert_delivery(delivery_id)
        return len(due)

    @huey.on_startup()  # type: ignore[untyped-decorator]
    def take_on_unfinished_imports() -> None:
        # A worker killed mid-import left its job running: pick it up (the lease decides
        # when, so a job another live worker runs is not run twice).
        from reviewdesk.services.imports import unfinished_imports

        for job_id in unfinished_imports(platform()):
            run_import(job_id)

    return Tasks(
        huey,
        make_thumbnail,
        recompute_check,
        requeue_thumbnails,
        run_import,
        fetch_import_media,
        resume_imports,
        deliver_alert=deliver_alert,
        retry_alert_delivery=retry_alert_delivery,
        deliver_due_alerts=deliver_due_alerts,
    )


class HueyJobs:
    """The ``Jobs`` services ask for, enqueued on Huey."""

    def __init__(self, settings: Settings) -> None:
        self.tasks = register_tasks(make_huey(settings), settings)

    def media_uploaded(self, media_id: int) -> None:
        """Queue the photo's thumbnail."""
        self.tasks.make_thumbnail(media_id)

    def import_created(self, job_id: int) -> None:
        """Queue the import."""
        self.tasks.run_import(job_id)

    def import_published(self, job_id: int) -> None:
        """Queue the fetching of the import's media."""
        self.tasks.fetch_import_media(job_id)

    def alert_raised(self, event_id: int) -> None:
        """Queue the event's deliveries (a running worker sends them within seconds)."""
        self.tasks.deliver_alert(event_id)


def run_worker(settings: Settings, workers: int = 2) -> None:
    """Run the consumer until interrupted (``reviewdesk worker``)."""
    tasks = register_tasks(make_huey(settings), settings)
    # An idle worker polls the embedded SQLite queue at least every second (Huey's default
    # backs off to 10 s), so an alert queued at commit goes out within seconds.
    consumer = tasks.huey.create_consumer(
        workers=workers, worker_type="thread", periodic=True, max_delay=1.0
    )
    consumer.run()
