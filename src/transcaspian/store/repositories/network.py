"""The stored corridor network (``NetworkRepository``) over SQLAlchemy.

``replace`` changes only what differs: rows whose figures are unchanged are left alone, new rows
are inserted, rows the new network lacks are deleted (children before parents), so loading the
same dataset twice writes nothing but the version. Other features' tables may refer to network
rows (a shipment to a location): deleting a location still referred to is refused by the
database and surfaces as ConflictError.

Concurrency: writers take a lock first (a PostgreSQL advisory lock; on SQLite the write lock),
so two loads run one after the other, and a reader on PostgreSQL takes the same lock shared so
that it never sees half of one load and half of another.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import inspect, select, text, update
from sqlalchemy.orm import Mapper, Session

from transcaspian.domain.network import CorridorNetwork
from transcaspian.services.ports import DatasetVersion
from transcaspian.store.errors import conflicts_as_domain_errors
from transcaspian.store.mapping.network import (
    NetworkRows,
    network_from_rows,
    network_to_rows,
    version_from_row,
    version_to_row,
)
from transcaspian.store.rows.base import Base
from transcaspian.store.rows.network import NetworkVersionRow

__all__ = ["SqlAlchemyNetworkRepository"]

B = TypeVar("B", bound=Base)

# PostgreSQL advisory lock (class, object) guarding the network tables: a constant int4 class
# and the schema's hash, so databases sharing one server in different schemas do not block.
NETWORK_LOCK_CLASS = 0x7CA5_0001


class SqlAlchemyNetworkRepository:
    """Reads and replaces the network inside the session's transaction."""

    def __init__(self, session: Session):
        self._session = session

    def replace(self, network: CorridorNetwork, version: DatasetVersion) -> None:
        """Make the stored network equal to ``network``; raises ConflictError if refused."""
        with conflicts_as_domain_errors("network"):
            self._lock(shared=False)
            desired = network_to_rows(network)
            tables = desired.tables()
            mappers = {cls: inspect(cls) for cls, _ in tables}
            stored = {
                cls: {_key(mappers[cls], row): row for row in self._session.scalars(select(cls))}
                for cls, _ in tables
            }
            # Parents first when inserting and updating, children first when deleting, and
            # deletions last: a kept row may be re-pointed from a parent about to go.
            for cls, rows in tables:
                for row in rows:
                    existing = stored[cls].pop(_key(mappers[cls], row), None)
                    if existing is None:
                        self._session.add(row)
                    else:
                        _copy_changed_columns(mappers[cls], row, existing)
                self._session.flush()
            for cls, _ in reversed(tables):
                for stale in stored[cls].values():
                    self._session.delete(stale)
                self._session.flush()
            self._session.merge(version_to_row(version))
            self._session.flush()

    def get(self) -> CorridorNetwork | None:
        """The stored network, or None when nothing has been loaded."""
        self._lock(shared=True)
        if self._session.get(NetworkVersionRow, 1) is None:
            return None
        return network_from_rows(NetworkRows.fetch(self._read_all))

    def version(self) -> DatasetVersion | None:
        """The stored dataset version, or None when nothing has been loaded."""
        self._lock(shared=True)  # a get() later in this transaction reads the same load
        row = self._session.get(NetworkVersionRow, 1)
        return None if row is None else version_from_row(row)

    def _read_all(self, row_class: type[B], /) -> list[B]:
        return list(self._session.scalars(select(row_class)))

    def _lock(self, *, shared: bool) -> None:
        dialect = self._session.get_bind().dialect.name
        if dialect == "postgresql":
            function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
            self._session.execute(
                text(f"SELECT {function}(:lock_class, hashtext(current_schema()))"),
                {"lock_class": NETWORK_LOCK_CLASS},
            )
        elif not shared:
            # Take SQLite's write lock now, before reading: a transaction that reads first and
            # writes later cannot wait for another writer and fails at once.
            self._session.execute(
                update(NetworkVersionRow)
                .where(NetworkVersionRow.version_id < 0)
                .values(version_id=NetworkVersionRow.version_id)
            )


def _key(mapper: Mapper[Any], row: Base) -> tuple[Any, ...]:
    return tuple(mapper.primary_key_from_instance(row))


def _copy_changed_columns(mapper: Mapper[Any], source: Base, target: Base) -> None:
    """Set each column of ``target`` whose value differs in ``source`` (the UPDATE's columns)."""
    for attribute in mapper.column_attrs:
        value = getattr(source, attribute.key)
        if getattr(target, attribute.key) != value:
            setattr(target, attribute.key, value)
