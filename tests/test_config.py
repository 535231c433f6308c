"""Settings: defaults, TOML file, environment over file, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from reviewdesk.config import Settings


def test_defaults_are_the_embedded_setup(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("REVIEWDESK_DATABASE_URL", "REVIEWDESK_SETTINGS_FILE", "REVIEWDESK_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.database_url == "sqlite:///reviewdesk.db" and settings.is_sqlite
    assert settings.redis_url is None and settings.review_window_days == 60


def test_toml_file_and_environment_override(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        'review_window_days = 30\nreview_text_required_ratings = [2, 1]\nmedia_dir = "/srv/media"\n'
    )
    monkeypatch.setenv("REVIEWDESK_SETTINGS_FILE", str(path))
    monkeypatch.setenv("REVIEWDESK_MEDIA_DIR", "/data/media")
    settings = Settings()
    assert settings.review_window_days == 30
    assert settings.review_text_required_ratings == [1, 2]
    assert settings.media_dir == Path("/data/media")


def test_bad_values_are_refused_with_their_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVIEWDESK_REVIEW_WINDOW_DAYS", "0")
    with pytest.raises(ValidationError, match="review_window_days"):
        Settings()


def test_unknown_setting_in_file_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("review_windows_days = 30\n")
    monkeypatch.setenv("REVIEWDESK_SETTINGS_FILE", str(path))
    with pytest.raises(ValidationError, match="review_windows_days"):
        Settings()


def test_missing_settings_file_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVIEWDESK_SETTINGS_FILE", "/nonexistent/reviewdesk.toml")
    with pytest.raises(FileNotFoundError):
        Settings()
