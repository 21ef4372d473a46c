"""Database engines and sessions: one write path (serialised on SQLite), one read path, and the unit of work.

A unit of work (`Database.transaction()`) hands every case event and task row it writes to the handlers the
composition root gave it (`engine/events.py`), in the same transaction.

Whose session a function uses shows in its signature: a function that takes a `session` works in the caller's
transaction and never commits (named `*_in` beside a twin that opens its own: `lodge`/`lodge_in`,
`start_process`/`start_in`, the lookups `case_in`, `newest_version_in`); a function that takes only `app` opens its
own unit of work (`transaction()`) or `reading()` session and owns its commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from .events import Handlers, collect_new_events


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _sqlite_engine(url: str, begin: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front, so two writers never read the same
        # snapshot and then race: the second waits and sees the first one's result.
        conn.exec_driver_sql(begin)

    return engine


def insert_new(session: Session, model: Any, *index_elements: str) -> Any:
    """An INSERT of `model` rows that skips rows already there (another writer's), on SQLite and PostgreSQL alike."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model).on_conflict_do_nothing(index_elements=list(index_elements) or None)


class Database:
    """Owns the engines and hands out transactional sessions.

    The engines hide bound parameters in their errors: a logged database error (`log.exception` in the worker, the
    USSD callback) names the statement, never the citizen's name, number, words or access code it was writing.
    """

    def __init__(self, url: str, handlers: Handlers | None = None) -> None:
        self.url = url
        self.handlers = handlers or Handlers()
        if _is_sqlite(url):
            self.write_engine = _sqlite_engine(url, "BEGIN IMMEDIATE")
            self.read_engine = _sqlite_engine(url, "BEGIN")
        else:
            self.write_engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                                              hide_parameters=True)
            self.read_engine = self.write_engine
        self._write = sessionmaker(self.write_engine, expire_on_commit=False)
        self._read = sessionmaker(self.read_engine, expire_on_commit=False)
        # Each flush of a unit of work hands what it writes to the handlers (see the module's docstring).
        event.listen(self._write, "before_flush", self._hand_over)
        event.listen(self._write, "before_commit", self._settle)
        event.listen(self._write, "do_orm_execute", self._before_statement)

    def _hand_over(self, session: Session, _context: Any, _instances: Any) -> None:
        if self.handlers:  # nothing to collect for a Database nobody listens to (migrations, fixtures)
            self.handlers.dispatch(session, collect_new_events(session))

    def _before_statement(self, state: Any) -> None:
        if self.handlers and (state.is_update or state.is_delete):
            self.handlers.before_statement(state.session, state.statement)

    def _settle(self, session: Session) -> None:
        if self.handlers:
            self.handlers.settle(session)

    @property
    def is_sqlite(self) -> bool:
        return _is_sqlite(self.url)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: commits when the block ends normally, rolls back otherwise."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session; closing it rolls back anything written and detaches what was read."""
        with self._read() as session:
            yield session

    def dispose(self) -> None:
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()
