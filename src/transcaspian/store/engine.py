"""Build the SQLAlchemy engine for a database URL (SQLite or PostgreSQL via psycopg 3).

SQLite is configured to behave like the PostgreSQL the tests also run on: foreign keys are
enforced, and transactions really begin at ``BEGIN`` (the sqlite3 module would otherwise run
reads outside any transaction and refuse savepoints). A file database runs in WAL mode and every
unit of work begins with ``BEGIN IMMEDIATE``: it takes the write lock at once, so concurrent
writers queue on the busy timeout instead of failing with "database is locked" when a read
lock cannot be upgraded. A unit of work that only reads may ask for a deferred transaction
with the connection execution option ``sqlite_deferred=True`` (see ``READ_ONLY``); in WAL mode
it then reads beside a writer without waiting.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from transcaspian.domain.errors import InvalidValueError

__all__ = ["READ_ONLY", "make_engine"]

SQLITE_BUSY_TIMEOUT_S = 30.0
READ_ONLY = {"sqlite_deferred": True}
"""Execution options of a read-only unit of work (a deferred transaction on SQLite)."""


def make_engine(database_url: str, **options: Any) -> Engine:
    """An engine for ``database_url``; raises InvalidValueError naming the setting if malformed.

    ``postgresql://`` and ``postgres://`` URLs use psycopg 3. ``sqlite://`` (in memory) shares one
    connection, so every unit of work sees the same database.
    """
    try:
        url = make_url(database_url)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        if url.get_backend_name() == "sqlite":
            return _sqlite_engine(url, **options)
        return create_engine(url, pool_pre_ping=True, **options)
    except ImportError as error:  # a known dialect whose driver is not installed
        raise InvalidValueError(
            f"database_url: {_without_password(database_url)!r} needs the driver {error.name!r}, "
            "which is not installed; transcaspian ships psycopg (PostgreSQL) and SQLite",
            field="database_url",
        ) from error
    except (ArgumentError, NoSuchModuleError) as error:
        raise InvalidValueError(
            f"database_url: {_without_password(database_url)!r} is not a usable SQLAlchemy URL "
            f"({error}); set TRANSCASPIAN_DATABASE_URL to e.g. "
            "postgresql+psycopg://user@host/db or sqlite:///transcaspian.sqlite3",
            field="database_url",
        ) from error


def _sqlite_engine(url: Any, **options: Any) -> Engine:
    connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_S}
    in_memory = url.database in (None, "", ":memory:")
    if in_memory:
        options.setdefault("poolclass", StaticPool)
        connect_args["check_same_thread"] = False
    engine = create_engine(url, connect_args=connect_args, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        deferred = connection.get_execution_options().get("sqlite_deferred", False)
        connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")

    return engine


def _without_password(database_url: str) -> str:
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except ArgumentError:
        return database_url
