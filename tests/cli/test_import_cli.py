"""``reviewdesk import``: a file into a shop with a progress bar, a summary and a report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import World
from reviewdesk.cli import app
from reviewdesk.config import Settings, get_settings
from reviewdesk.services import public

runner = CliRunner()

CSV = (
    "Review Title,body,rating,review_date,Reviewer Name,product_handle,verified\n"
    "Soft,Lovely linen,5,2024-03-05,Siti,linen-shirt,buyer\n"
    "Odd,Never bought it,1,2024-03-05,Troll,linen-shirt,nothing\n"
)


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("REVIEWDESK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("REVIEWDESK_MEDIA_DIR", str(settings.media_dir))
    monkeypatch.setenv("REVIEWDESK_JOBS_PATH", str(settings.jobs_path))
    monkeypatch.setenv("REVIEWDESK_IMPORT_DIR", str(settings.import_dir))
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


def test_import_runs_the_file_and_writes_the_report(
    world: World, cli_env: Settings, tmp_path: Path
) -> None:
    source = tmp_path / "judgeme.csv"
    source.write_text(CSV)
    report = tmp_path / "report.csv"
    result = runner.invoke(
        app,
        [
            "import",
            str(source),
            "--shop",
            "batik-house",
            "--source",
            "judgeme",
            "--keep-media-links",
            "--report",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "imported" in result.stdout and "completed" in result.stdout
    assert "2,skipped,not_verified" in report.read_text(encoding="utf-8-sig")
    summary = public.product_summary(world.platform, "batik-house", "linen-shirt")
    assert summary.rating.count == 1
    # The same file again creates nothing.
    again = runner.invoke(
        app, ["import", str(source), "--shop", "batik-house", "--source", "judgeme"]
    )
    assert again.exit_code == 0, again.output
    assert public.product_summary(world.platform, "batik-house", "linen-shirt").rating.count == 1


def test_import_refuses_a_bad_file_with_its_code(
    world: World, cli_env: Settings, tmp_path: Path
) -> None:
    source = tmp_path / "photo.csv"
    source.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    result = runner.invoke(
        app, ["import", str(source), "--shop", "batik-house", "--source", "judgeme"]
    )
    assert result.exit_code == 2
    assert "not_a_text_file" in result.output


def test_import_maps_generic_columns(world: World, cli_env: Settings, tmp_path: Path) -> None:
    source = tmp_path / "mine.csv"
    source.write_text("Stars,Words,When,Item,Buyer ok\n4,Nice scarf,2024-03-06,batik-scarf,yes\n")
    result = runner.invoke(
        app,
        [
            "import",
            str(source),
            "--shop",
            "batik-house",
            "--source",
            "csv",
            "--map",
            "rating=Stars",
            "--map",
            "body=Words",
            "--map",
            "created_at=When",
            "--map",
            "handle=Item",
            "--map",
            "verified=Buyer ok",
        ],
    )
    assert result.exit_code == 0, result.output
    assert public.product_summary(world.platform, "batik-house", "batik-scarf").rating.count == 1
