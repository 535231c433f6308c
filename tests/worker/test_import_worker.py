"""An import run by a real ``reviewdesk worker`` survives the worker being killed mid-way."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from builders import build_world
from reviewdesk.cli.main import worker_environment
from reviewdesk.config import Settings
from reviewdesk.db.imports import ImportedReview
from reviewdesk.db.reviews import Review
from reviewdesk.domain.principals import OPERATOR
from reviewdesk.services import imports
from reviewdesk.services.platform import open_platform
from reviewdesk.services.ratings import check_summaries
from reviewdesk.worker.queue import HueyJobs

ROWS = 5_000


def _csv() -> bytes:
    lines = ["id,title,body,rating,review_date,reviewer_name,product_id,verified"]
    lines += [
        f"w-{i},Title {i},Review number {i} of the linen shirt,{1 + i % 5},"
        f"2024-03-05 10:00:00 UTC,Name {i},7001,buyer"
        for i in range(ROWS)
    ]
    return ("\n".join(lines) + "\n").encode()


def _start(settings: Settings, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = worker_environment(settings)
    env["REVIEWDESK_IMPORT_BATCH_ROWS"] = "100"
    env["REVIEWDESK_IMPORT_LEASE_SECONDS"] = str(settings.import_lease_seconds)
    return subprocess.Popen(
        [sys.executable, "-m", "reviewdesk", "worker", "--workers", "1"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_a_killed_worker_leaves_an_import_that_the_next_one_finishes(
    settings: Settings, tmp_path: Path
) -> None:
    queued = settings.model_copy(update={"jobs_immediate": False, "import_lease_seconds": 3})
    platform = open_platform(queued, jobs=HueyJobs(queued))
    try:
        world = build_world(platform)
        job = imports.create_import(
            platform,
            world.seller_a.principal,
            world.shop_a,
            io.BytesIO(_csv()),
            "big.csv",
            imports.ImportOptions(source="judgeme", fetch_media=False),
        )
        assert job.status == "queued"

        def state() -> imports.ImportJobView:
            return imports.get_import(platform, OPERATOR, world.shop_a, job.id)

        first = _start(queued, tmp_path)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and state().rows_done < 500:
                time.sleep(0.02)
        finally:
            first.send_signal(signal.SIGKILL)  # no chance to clean up
            output = first.communicate(timeout=20)[0].decode(errors="replace")
        cut = state()
        assert cut.status == "running", output[-2000:]
        assert 500 <= cut.rows_done < ROWS, (cut.rows_done, output[-2000:])
        with platform.db.read() as session:
            assert session.scalar(select(func.count()).select_from(Review)) == 0

        second = _start(queued, tmp_path)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and state().status == "running":
                time.sleep(0.2)
        finally:
            second.terminate()
            output = second.communicate(timeout=20)[0].decode(errors="replace")
        done = state()
        assert done.status == "completed", output[-3000:]
        assert (done.rows_done, done.counts.imported, done.counts.duplicates) == (ROWS, ROWS, 0)
        with platform.db.read() as session:
            assert session.scalar(select(func.count()).select_from(ImportedReview)) == ROWS
            assert (
                session.scalar(
                    select(func.count(func.distinct(Review.imported_review_id))).where(
                        Review.status == "published"
                    )
                )
                == ROWS
            )
            assert session.scalar(select(func.count()).select_from(Review)) == ROWS
        assert check_summaries(platform, OPERATOR) == []
    finally:
        platform.close()
