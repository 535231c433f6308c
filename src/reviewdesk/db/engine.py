"""Engine and transactions: the unit of work every service runs in.

SQLite runs in WAL mode and write transactions start with ``BEGIN IMMEDIATE`` so that two
writers never both read a summary and then both update it: the second one waits for the
first (``busy_timeout``) instead of failing at commit. On PostgreSQL, writers lock the rows
they change (``SELECT ... FOR UPDATE``) and update counters with in-place increments.
"""

from __future__ import annotations

import queue
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Select, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

# Every table must be known to the ORM before the first flush, whatever a caller imported.
from reviewdesk.db import models as _models  # noqa: F401

_WRITE = "reviewdesk_write"
_AUTOCOMMIT = "reviewdesk_autocommit"
_MAX_PREPARED = 1024


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
        cursor.execute("PRAGMA mmap_size=2147418112")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get(_AUTOCOMMIT, False):
            return  # each statement is its own transaction (WAL: a consistent snapshot)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get(_WRITE, False) else "BEGIN")


@dataclass(frozen=True)
class PreparedRead:
    """A read compiled once for this database and run straight on the driver."""

    sql: str
    order: tuple[str, ...] | None
    defaults: dict[str, Any]
    processors: dict[str, Callable[[Any], Any]]


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
        self._prepared: dict[Hashable, PreparedRead] = {}
        self._hot: queue.LifoQueue[Any] = queue.LifoQueue()
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

    def fetch_prepared(
        self, key: Hashable, build: Callable[[], Select[*tuple[Any, ...]]], params: dict[str, Any]
    ) -> list[Any]:
        """Rows of the statement ``build()`` makes (compiled once per ``key``), as tuples.

        The public read path's hottest statements skip the ORM and Core execution layers:
        those cost several times what the database does for a one-row lookup. Bound values go
        through the columns' own bind processors; results come back as the driver gives them.
        """
        prepared = self._prepared.get(key)
        if prepared is None:
            compiled = build().compile(dialect=self.engine.dialect)
            prepared = PreparedRead(
                sql=str(compiled),
                order=tuple(compiled.positiontup or ()) if compiled.positional else None,
                defaults=dict(compiled.params),
                # Tuple-typed binds (a sequence of processors) are not used in these reads.
                processors=dict(compiled._bind_processors),  # type: ignore[arg-type]
            )
            if len(self._prepared) >= _MAX_PREPARED:
                # Shapes come partly from callers' filters: keep the memory they take bounded.
                self._prepared.pop(next(iter(self._prepared), None), None)
            self._prepared[key] = prepared
        values = {**prepared.defaults, **params}
        for name, process in prepared.processors.items():
            if values.get(name) is not None:
                values[name] = process(values[name])
        args: Any = (
            [values[name] for name in prepared.order] if prepared.order is not None else values
        )
        try:
            proxy, connection = self._hot.get_nowait()
        except queue.Empty:
            proxy, connection = self._open_hot()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(prepared.sql, args)
                rows = list(cursor.fetchall())
            finally:
                cursor.close()
        except BaseException:
            # A connection that failed (server restarted, dropped) is not reused.
            proxy.close()
            raise
        self._hot.put((proxy, connection))
        return rows

    def _open_hot(self) -> tuple[Any, Any]:
        """A driver connection of the read pool: outside SQLAlchemy's pool, in autocommit.

        Kept apart so that a read pays neither the pool's checkout and reset nor a
        BEGIN/ROLLBACK round trip; there are as many as reads ever ran at once.
        """
        raw = self.engine.raw_connection()
        driver: Any = raw.driver_connection
        raw.detach()
        if self.dialect == "postgresql":
            driver.autocommit = True
        # The proxy is kept beside the driver connection: it owns it (closing it closes both).
        return raw, driver

    def dispose(self) -> None:
        """Close every pooled connection."""
        while True:
            try:
                self._hot.get_nowait()[0].close()
            except queue.Empty:
                break
        self.engine.dispose()
