"""Settings: environment variables (``REVIEWDESK_*``) over an optional TOML file, one place.

Precedence, highest first: keyword arguments, environment variables, the TOML file named
by ``REVIEWDESK_SETTINGS_FILE`` (or ``./reviewdesk.toml`` when it exists), the defaults here.
Every field is documented in the README's configuration table.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def _settings_file() -> Path | None:
    named = os.environ.get("REVIEWDESK_SETTINGS_FILE")
    if named:
        path = Path(named)
        if not path.is_file():
            raise FileNotFoundError(f"REVIEWDESK_SETTINGS_FILE={named} does not exist")
        return path
    default = Path("reviewdesk.toml")
    return default if default.is_file() else None


class Settings(BaseSettings):
    """Every setting reviewdesk reads, with its default."""

    model_config = SettingsConfigDict(env_prefix="REVIEWDESK_", extra="forbid")

    database_url: str = Field(
        "sqlite:///reviewdesk.db",
        description="SQLAlchemy URL: sqlite:///path.db or postgresql+psycopg://user@host/db",
    )
    media_dir: Path = Field(Path("media"), description="Directory of the local media storage")
    redis_url: str | None = Field(
        None, description="Redis URL for background jobs; unset: embedded SQLite job queue"
    )
    jobs_path: Path = Field(
        Path("reviewdesk-jobs.db"), description="SQLite file of the embedded job queue"
    )
    jobs_queue: str = Field(
        "reviewdesk",
        pattern=r"^[A-Za-z0-9_.-]{1,64}$",
        description="Name of the job queue (several installations can share one Redis)",
    )
    jobs_immediate: bool = Field(
        False, description="Run background jobs inline in the calling process (tests, scripts)"
    )
    review_window_days: int = Field(60, ge=1, le=3650)
    review_text_required_ratings: list[int] = Field(
        default_factory=list,
        description="Ratings for which a review must have text, e.g. [1, 2]",
    )
    review_text_min_chars: int = Field(
        0, ge=0, description="Minimum length of review text when text is required"
    )
    review_text_max_chars: int = Field(5000, ge=1)
    review_title_max_chars: int = Field(150, ge=1)
    max_photos: int = Field(6, ge=0)
    max_videos: int = Field(1, ge=0, le=1)
    max_photo_bytes: int = Field(10 * 1024 * 1024, ge=1)
    max_video_bytes: int = Field(100 * 1024 * 1024, ge=1)
    imported_count_in_rating: bool = True
    auto_publish_days: int = Field(
        3, ge=1, le=365, description="A held review no moderator decides is published after"
    )
    import_dir: Path = Field(
        Path("imports"), description="Directory where uploaded import files wait for the worker"
    )
    import_max_bytes: int = Field(2 * 1024**3, ge=1, description="Largest import file accepted")
    import_batch_rows: int = Field(
        500, ge=1, le=100_000, description="Rows per import transaction (the resume checkpoint)"
    )
    import_lease_seconds: int = Field(
        60, ge=1, description="A worker silent this long loses its import to another worker"
    )
    import_fetch_media: bool = Field(
        True, description="Fetch imported reviews' photo URLs (off: keep them as links)"
    )
    import_media_allow_private: bool = Field(
        False,
        description="Let media fetching reach private network addresses (closed networks, tests)",
    )
    report_window_days: int = Field(
        30, ge=1, le=3650, description="Days after a review's publication it can be reported"
    )
    report_max_evidence: int = Field(
        5, ge=0, le=50, description="Evidence files (images, PDF) attached to one report"
    )
    report_evidence_max_bytes: int = Field(
        10 * 1024 * 1024, ge=1, description="Size limit of one evidence file"
    )
    nrr_windows: list[int] = Field(
        default_factory=lambda: [7, 30, 60],
        description="NRR windows in days; the largest also spans the daily series",
    )
    alert_retry_base_seconds: float = Field(
        30,
        gt=0,
        le=3600,
        description="Wait before the first retry of a failed alert delivery; doubles per "
        "attempt, at most an hour",
    )
    alert_retry_hours: float = Field(
        24, ge=1, le=720, description="How long a failing alert delivery is retried"
    )
    alert_timeout_seconds: float = Field(
        10, gt=0, le=120, description="Time limit of one webhook request or SMTP conversation"
    )
    webhook_allow_private: bool = Field(
        False,
        description="Let webhooks reach private and loopback addresses (closed networks, tests)",
    )
    smtp_host: str | None = Field(None, description="SMTP server of alert e-mails; unset: none")
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_from: str = Field(
        "reviewdesk@localhost",
        max_length=320,
        pattern=r"^[^@\s]+@[^@\s]+$",
        description="Sender address of alert e-mails",
    )
    smtp_starttls: bool = Field(True, description="Upgrade the SMTP connection with STARTTLS")
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    page_size: int = Field(20, ge=1, le=100)
    max_page_size: int = Field(100, ge=1, le=1000)
    recompute_check_hour: int = Field(
        3, ge=0, le=23, description="Hour (UTC) of the daily scheduled recompute --check"
    )
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    secure_cookies: bool = Field(
        False, description="Mark session cookies Secure (set when served over HTTPS)"
    )
    public_base_url: str = Field(
        "http://127.0.0.1:8000",
        pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$",
        description="Public address of the pages, for the absolute URLs of feeds and exports",
    )

    @field_validator("review_text_required_ratings")
    @classmethod
    def _ratings_in_range(cls, value: list[int]) -> list[int]:
        bad = [r for r in value if r not in range(1, 6)]
        if bad:
            raise ValueError(f"ratings must be 1-5, got {bad}")
        return sorted(set(value))

    @field_validator("nrr_windows")
    @classmethod
    def _nrr_windows_in_range(cls, value: list[int]) -> list[int]:
        if not value or len(value) > 10:
            raise ValueError("give 1 to 10 NRR windows")
        bad = [w for w in value if not 1 <= w <= 366]
        if bad:
            raise ValueError(f"NRR windows must be 1-366 days, got {bad}")
        return sorted(set(value))

    @property
    def is_sqlite(self) -> bool:
        """True when the database is an SQLite file."""
        return self.database_url.startswith("sqlite")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        toml_file = _settings_file()
        if toml_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
