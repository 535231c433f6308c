"""Background jobs run by a real ``reviewdesk worker`` process over Huey's queue."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from sqlalchemy import select

from builders import build_world, jpeg_with_gps
from reviewdesk.cli.main import worker_environment
from reviewdesk.config import Settings
from reviewdesk.db.reviews import ReviewMedia
from reviewdesk.services import reviews
from reviewdesk.services.platform import open_platform
from reviewdesk.services.reviews import MediaUpload
from reviewdesk.worker.queue import HueyJobs, make_huey

REDIS_URL = os.environ.get("REVIEWDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _thumbnail_made_by_worker(settings: Settings, tmp_path: Path) -> None:
    platform = open_platform(settings, jobs=HueyJobs(settings))
    try:
        world = build_world(platform)
        review = reviews.submit_review(
            platform,
            world.buyer_x.principal,
            order_line_id=world.lines["seed-x"],
            rating=5,
            media=[MediaUpload(jpeg_with_gps(), "p.jpg")],
        )
        media_id = review.media[0].id
        assert review.media[0].thumbnail_url is None  # queued, not made inline
        env = worker_environment(settings)
        worker = subprocess.Popen(
            [sys.executable, "-m", "reviewdesk", "worker"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            thumb = None
            while time.monotonic() < deadline and thumb is None:
                with platform.db.read() as session:
                    thumb = session.scalar(
                        select(ReviewMedia.thumb_key).where(ReviewMedia.id == media_id)
                    )
                time.sleep(0.2)
        finally:
            worker.terminate()
            output = worker.communicate(timeout=20)[0].decode(errors="replace")
        assert thumb is not None, output[-2000:]
        assert platform.storage.exists(thumb)
    finally:
        platform.close()


def test_worker_makes_thumbnails_from_the_embedded_sqlite_queue(
    settings: Settings, tmp_path: Path
) -> None:
    queued = settings.model_copy(update={"jobs_immediate": False})
    _thumbnail_made_by_worker(queued, tmp_path)


def test_worker_makes_thumbnails_from_redis(settings: Settings, tmp_path: Path) -> None:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis at {REDIS_URL} does not answer: {error}")
    # A queue of its own, so that parallel tests never take each other's jobs.
    queued = settings.model_copy(
        update={
            "jobs_immediate": False,
            "redis_url": REDIS_URL,
            "jobs_queue": f"test-{uuid.uuid4().hex}",
        }
    )
    assert type(make_huey(queued)).__name__ == "RedisHuey"
    _thumbnail_made_by_worker(queued, tmp_path)
