"""Fixtures shared by the whole suite: a fresh database per test, on SQLite and PostgreSQL.

Every database test runs twice, once per backend, on an empty migrated database: a copy of
a migrated template file on SQLite; on PostgreSQL a database per test process (so tests
run in parallel under ``pytest -n``), emptied before each test. PostgreSQL is never skipped:
when it cannot be reached the tests fail, naming ``REVIEWDESK_TEST_DATABASE_URL``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from reviewdesk.config import Settings
from reviewdesk.db.engine import Database
from reviewdesk.db.migrate import upgrade
from reviewdesk.db.models import Base
from reviewdesk.services.platform import Platform, open_platform

PG_URL = os.environ.get(
    "REVIEWDESK_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", "postgresql"]


def _pg_admin() -> psycopg.Connection:
    url = make_url(PG_URL)
    try:
        return psycopg.connect(
            host=url.host or "127.0.0.1",
            port=url.port or 5432,
            user=url.username or "postgres",
            password=url.password,
            dbname=url.database or "postgres",
            autocommit=True,
        )
    except psycopg.OperationalError as error:
        pytest.fail(
            f"PostgreSQL at REVIEWDESK_TEST_DATABASE_URL={PG_URL} is unreachable: {error}",
            pytrace=False,
        )


def _pg_url(name: str) -> str:
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    database.dispose()
    return path


@pytest.fixture(scope="session")
def pg_database(worker_id: str) -> Iterator[str]:
    """This test process's PostgreSQL database, migrated once."""
    name = f"rd_test_{worker_id}_{os.getpid()}"
    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    database = Database(_pg_url(name))
    upgrade(database)
    database.dispose()
    yield _pg_url(name)
    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _empty_pg(url: str) -> None:
    # Emptying every table is much faster than creating a database per test.
    tables = ", ".join(f'"{t}"' for t in Base.metadata.tables)
    database = Database(url)
    with database.engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    database.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database for one test."""
    if request.param == "sqlite":
        path = tmp_path / "reviewdesk.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_database")
    _empty_pg(url)
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings of a test platform: its own database and media directory; jobs inline."""
    return Settings(
        database_url=database_url,
        media_dir=tmp_path / "media",
        jobs_path=tmp_path / "jobs.db",
        import_dir=tmp_path / "imports",
        jobs_immediate=True,
    )


@pytest.fixture
def platform(settings: Settings) -> Iterator[Platform]:
    """A platform over a fresh database."""
    platform = open_platform(settings)
    yield platform
    platform.close()


@pytest.fixture
def world(platform: Platform):  # type: ignore[no-untyped-def]
    """Two sellers with a shop each, products, two buyers with delivered orders."""
    from builders import build_world

    return build_world(platform)


@pytest.fixture
def client(platform: Platform):  # type: ignore[no-untyped-def]
    """An HTTP client of the whole app over the test platform."""
    from fastapi.testclient import TestClient

    from reviewdesk.api.app import create_app

    with TestClient(create_app(platform), raise_server_exceptions=False) as test_client:
        yield test_client
