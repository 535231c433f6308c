"""Engine and transactions: the unit of work every service runs in.

SQLite runs in WAL mode and write transactions start with ``BEGIN IMMEDIATE`` so that two
writers never both read a summary and then both update it: the second one waits for the
first (``busy_timeout``) instead of failing at commit. On PostgreSQL, writers lock the rows
they change (``SELECT ... FOR UPDATE``) and update counters with in-place increments.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

# Every table must be known to the ORM before the first flush, whatever a caller imported.
from reviewdesk.db import models as _models  # noqa: F401

_WRITE = "reviewdesk_write"
_AUTOCOMMIT = "reviewdesk_autocommit"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` with reviewdesk's connection settings."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            # As many pooled connections as the server has threads: no connection churn.
            kwargs.setdefault("pool_size", 20)
            kwargs.setdefault("max_overflow", 30)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 60}, **kwargs
        )
        _prepare_sqlite(engine)
        return engine
    kwargs.setdefault("pool_size", 20)
    kwargs.setdefault("max_overflow", 30)
    # No ping per checkout (a round trip on every request); connections are recycled instead,
    # and a connection the server dropped fails one request, not the process.
    kwargs.setdefault("pool_recycle", 600)
    return create_engine(url, **kwargs)


def _prepare_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy's events below (pysqlite's own is lazy).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        # Reads of a large review table stay in memory instead of going back to the file.
        cursor.execute("PRAGMA cache_size=-32768")
        cursor.execute("PRAGMA mmap_size=268435456")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get(_AUTOCOMMIT, False):
            return  # each statement is its own transaction (WAL: a consistent snapshot)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get(_WRITE, False) else "BEGIN")


class Database:
    """One database: its engine and the two kinds of transactions services run in."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.dialect = self.engine.dialect.name
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._autocommit = (
            self.engine.execution_options(**{_AUTOCOMMIT: True})
            if self.dialect == "sqlite"
            else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self._writer = sessionmaker(
            self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False
        )

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back on any error."""
        with self._writer() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction (one consistent snapshot on PostgreSQL and SQLite WAL)."""
        with self._reader() as session:
            try:
                yield session
            except BaseException:
                session.rollback()
                raise
            # Ending it by commit keeps loaded objects readable (a rollback would expire them).
            session.commit()

    @contextmanager
    def autocommit(self) -> Iterator[Connection]:
        """A connection outside any transaction, for single-statement reads on hot paths.

        Each statement sees a consistent snapshot of its own, and no BEGIN/COMMIT round trips
        are paid; use ``read()`` when several statements must agree.
        """
        with self._autocommit.connect() as connection:
            yield connection

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
