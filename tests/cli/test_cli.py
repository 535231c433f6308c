"""The ``reviewdesk`` command line: migrate, token create, recompute --check / --fix."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from builders import World
from reviewdesk.cli import app
from reviewdesk.config import Settings, get_settings
from reviewdesk.db.migrate import current_revision, head_revision
from reviewdesk.db.reviews import ProductRatingSummary
from reviewdesk.services import access, reviews

runner = CliRunner()


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The command line pointed at the test platform's database."""
    monkeypatch.setenv("REVIEWDESK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("REVIEWDESK_MEDIA_DIR", str(settings.media_dir))
    monkeypatch.setenv("REVIEWDESK_JOBS_PATH", str(settings.jobs_path))
    monkeypatch.setenv("REVIEWDESK_IMPORT_DIR", str(settings.import_dir))
    monkeypatch.setenv("REVIEWDESK_JOBS_IMMEDIATE", "true")
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


def test_migrate_brings_a_new_database_to_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewdesk.db.engine import Database

    url = f"sqlite:///{tmp_path / 'new.db'}"
    monkeypatch.setenv("REVIEWDESK_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["migrate"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert current_revision(Database(url)) == head_revision()


def test_token_create_prints_a_working_token(world: World, cli_env: Settings) -> None:
    result = runner.invoke(app, ["token", "create", "--role", "buyer", "--buyer", "buyer-x"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    principal = access.authenticate(world.platform, token)
    assert principal.buyer_id == world.buyer_x.principal.buyer_id


def test_token_create_refuses_a_seller_token_without_seller(
    world: World, cli_env: Settings
) -> None:
    result = runner.invoke(app, ["token", "create", "--role", "seller"])
    assert result.exit_code == 2
    assert "invalid_token_owner" in result.output


def test_recompute_reports_and_repairs_drift(world: World, cli_env: Settings) -> None:
    reviews.submit_review(
        world.platform, world.buyer_x.principal, order_line_id=world.lines["seed-x"], rating=5
    )
    clean = runner.invoke(app, ["recompute", "--check"])
    assert clean.exit_code == 0 and "no drift" in clean.output
    with world.platform.db.write() as session:  # a summary gone stale, as in peer systems
        session.execute(update(ProductRatingSummary).values(review_count=7, rating_sum=9))
    found = runner.invoke(app, ["recompute", "--check"])
    assert found.exit_code == 1 and "drift found" in found.output
    fixed = runner.invoke(app, ["recompute", "--fix"])
    assert fixed.exit_code == 0 and "fixed drift" in fixed.output
    assert runner.invoke(app, ["recompute", "--check"]).exit_code == 0
