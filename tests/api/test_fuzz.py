"""Schemathesis against /api/v1/openapi.json: no server error, every error a problem document.

Runs on SQLite only: it exercises the HTTP layer's handling of arbitrary input, which does
not differ between databases (the rules themselves are tested on both).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings

from builders import build_world
from reviewdesk.api.app import create_app
from reviewdesk.config import Settings
from reviewdesk.db.engine import Database
from reviewdesk.db.migrate import upgrade
from reviewdesk.services.platform import open_platform


def _fuzzed_app() -> tuple[Any, dict[str, str]]:
    # Built at import: schemathesis parametrizes the test from the app's OpenAPI document.
    root = Path(tempfile.mkdtemp(prefix="reviewdesk-fuzz-"))
    url = f"sqlite:///{root / 'fuzz.db'}"
    upgrade(Database(url))
    platform = open_platform(
        Settings(database_url=url, media_dir=root / "media", jobs_immediate=True)
    )
    world = build_world(platform)
    return create_app(platform), world.operator.headers


APP, HEADERS = _fuzzed_app()
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_and_errors_are_problems(case: Any) -> None:
    response = case.call(headers=HEADERS)
    assert response.status_code < 500, (case.as_curl_command(), response.text)
    if response.status_code >= 400:
        content_type = response.headers.get("content-type") or [""]
        assert content_type[0].startswith("application/problem+json"), response.text
        body = response.json()
        assert {"type", "title", "status", "detail", "code"} <= body.keys()
        assert body["status"] == response.status_code
