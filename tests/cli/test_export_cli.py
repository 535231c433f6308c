"""``reviewdesk export``: a shop's reviews to stdout or to a file, never a half file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert
from typer.testing import CliRunner

from builders import World
from reviewdesk.cli import app
from reviewdesk.config import Settings, get_settings
from reviewdesk.db.reviews import Review
from reviewdesk.services import reviews

runner = CliRunner()


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The command line pointed at the test platform's database."""
    monkeypatch.setenv("REVIEWDESK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("REVIEWDESK_MEDIA_DIR", str(settings.media_dir))
    monkeypatch.setenv("REVIEWDESK_JOBS_PATH", str(settings.jobs_path))
    monkeypatch.setenv("REVIEWDESK_JOBS_IMMEDIATE", "true")
    monkeypatch.setenv("REVIEWDESK_PUBLIC_BASE_URL", "https://reviews.example")
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


def review(world: World) -> int:
    return reviews.submit_review(
        world.platform,
        world.buyer_x.principal,
        order_line_id=world.lines["seed-x"],
        rating=5,
        text="Soft linen",
    ).id


def test_export_by_slug_writes_to_stdout(world: World, cli_env: Settings) -> None:
    review_id = review(world)
    result = runner.invoke(app, ["export", "--shop", "batik-house", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    (line,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert line["review_id"] == review_id
    assert line["review_url"] == (
        f"https://reviews.example/shops/batik-house/products/linen-shirt#review-{review_id}"
    )
    assert "1 review(s) exported" in result.stderr


def test_export_by_id_writes_the_file(world: World, cli_env: Settings, tmp_path: Path) -> None:
    review_id = review(world)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "feed.csv"
    result = runner.invoke(
        app, ["export", "--shop", str(world.shop_a), "--format", "csv", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(target.read_text(encoding="utf-8")))
    assert row["review_id"] == str(review_id)
    assert list(target.parent.iterdir()) == [target]


def test_a_failed_export_leaves_no_half_file(
    world: World, cli_env: Settings, tmp_path: Path
) -> None:
    review(world)
    # A row no service writes (a display name that is an e-mail address, as a faulty
    # importer might store): the export refuses it after the first review is written.
    now = datetime.now(UTC)
    with world.platform.db.write() as session:
        session.execute(
            insert(Review).values(
                shop_id=world.shop_a,
                product_id=world.product_a,
                source="judgeme",
                status="published",
                rating=3,
                public_body="ok",
                reviewer_display="someone@example.org",
                is_verified=False,
                has_text=True,
                created_at=now,
                published_at=now,
            )
        )
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "feed.xml"
    target.write_bytes(b"yesterday's feed")
    result = runner.invoke(
        app, ["export", "--shop", "batik-house", "--format", "google", "-o", str(target)]
    )
    assert result.exit_code == 2
    assert "export_reviewer_email" in result.output
    assert target.read_bytes() == b"yesterday's feed"
    assert list(target.parent.iterdir()) == [target]


def test_export_of_an_unknown_shop_fails_clearly(world: World, cli_env: Settings) -> None:
    result = runner.invoke(app, ["export", "--shop", "no-such-shop", "--format", "google"])
    assert result.exit_code == 2
    assert "shop_not_found" in result.output
