"""Alerts delivered by a real ``reviewdesk worker`` process over Huey's queue."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from alert_receiver import WebhookReceiver
from builders import World, build_world
from reviewdesk.cli.main import worker_environment
from reviewdesk.config import Settings
from reviewdesk.services import alert_delivery, alerts, reviews
from reviewdesk.services.alerts import AlertRuleIn, WebhookEndpointIn
from reviewdesk.services.platform import open_platform
from reviewdesk.worker.queue import HueyJobs

RETRY_BASE = 0.3


def _worker(settings: Settings, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = worker_environment(settings)
    env["REVIEWDESK_WEBHOOK_ALLOW_PRIVATE"] = "true"
    env["REVIEWDESK_ALERT_RETRY_BASE_SECONDS"] = str(RETRY_BASE)
    return subprocess.Popen(
        [sys.executable, "-m", "reviewdesk", "worker"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _negative(world: World, buyer: str) -> int:
    actor = world.buyer_x if buyer == "x" else world.buyer_y
    return reviews.submit_review(
        world.platform,
        actor.principal,
        order_line_id=world.lines[f"seed-{buyer}"],
        rating=1,
        text="The seam tore on the first day.",
    ).id


def _delivered(world: World, review_id: int, within: float) -> alert_delivery.DeliveryDetail | None:
    seller = world.seller_a.principal
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for item in alert_delivery.list_deliveries(world.platform, seller, world.shop_a).items:
            if item.review_id == review_id and item.status == "delivered":
                return alert_delivery.get_delivery(world.platform, seller, world.shop_a, item.id)
        time.sleep(0.05)
    return None


def test_the_worker_retries_a_failing_receiver_and_delivers_within_seconds(
    settings: Settings, tmp_path: Path
) -> None:
    queued = settings.model_copy(update={"jobs_immediate": False, "webhook_allow_private": True})
    platform = open_platform(queued, jobs=HueyJobs(queued))
    try:
        world = build_world(platform)
        with WebhookReceiver(fail_first=2) as receiver:
            endpoint = alerts.create_webhook_endpoint(
                platform,
                world.seller_a.principal,
                world.shop_a,
                WebhookEndpointIn(url=receiver.url),
            )
            receiver.secret = endpoint.secret
            alerts.create_alert_rule(
                platform,
                world.seller_a.principal,
                world.shop_a,
                AlertRuleIn(channel="webhook", endpoint_id=endpoint.id),
            )
            worker = _worker(queued, tmp_path)
            try:
                # The first alert meets a receiver failing twice: the worker retries it.
                first = _delivered(world, _negative(world, "y"), within=60)
                # The next one, with the worker running, arrives within 5 seconds of the submit.
                submitted = time.monotonic()
                second = _delivered(world, _negative(world, "x"), within=5)
                elapsed = time.monotonic() - submitted
            finally:
                worker.terminate()
                output = worker.communicate(timeout=20)[0].decode(errors="replace")
            assert first is not None, output[-3000:]
            assert [a.status_code for a in first.log] == [500, 500, 200]
            gaps = [
                (b.attempted_at - a.attempted_at).total_seconds()
                for a, b in zip(first.log, first.log[1:], strict=False)
            ]
            assert gaps[0] >= RETRY_BASE and gaps[1] >= 2 * RETRY_BASE
            assert second is not None, output[-3000:]
            assert elapsed < 5 and [a.status_code for a in second.log] == [200]
            assert all(r.signature_ok for r in receiver.received)
            assert sorted(receiver.processed) == sorted([first.event_id, second.event_id])
    finally:
        platform.close()
