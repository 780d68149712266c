"""An in-memory unit of work for unit tests and dry runs: same contract, no database.

``MemoryDatabase`` plays the database: what is committed lives there and every unit of work made
from it sees it. Changes made inside a unit of work are staged in its repositories and applied on
``commit()``; leaving the ``with`` block without a commit drops them. The contract suite in
tests/integration runs against this and the SQLAlchemy store alike, so the two cannot drift.

Each feature adds its committed state to ``MemoryDatabase`` and its repository to
``MemoryUnitOfWork.__enter__`` and ``_repositories``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self

from transcaspian.domain.errors import ConflictError
from transcaspian.domain.network import CorridorNetwork
from transcaspian.services.ports import DatasetVersion

__all__ = ["MemoryDatabase", "MemoryNetworkRepository", "MemoryUnitOfWork"]


@dataclass
class MemoryDatabase:
    """The committed state every MemoryUnitOfWork made from it shares."""

    network: CorridorNetwork | None = None
    network_version: DatasetVersion | None = None
    commits: int = 0  # how many units of work committed (tests assert on it)


class _Staged(Protocol):
    def apply(self) -> None: ...

    def discard(self) -> None: ...


class MemoryNetworkRepository:
    """The network, staged until the unit of work commits."""

    def __init__(self, database: MemoryDatabase):
        self._database = database
        self._staged: tuple[CorridorNetwork, DatasetVersion] | None = None

    def replace(self, network: CorridorNetwork, version: DatasetVersion) -> None:
        """Stage ``network``; a duplicate capacity id is a ConflictError, as in the store."""
        duplicated = [
            key for key, n in Counter(c.capacity_id for c in network.capacities).items() if n > 1
        ]
        if duplicated:
            raise ConflictError(
                f"network: conflicts with what is stored (duplicate capacity id {duplicated[0]!r})"
            )
        self._staged = (network, version)

    def get(self) -> CorridorNetwork | None:
        return self._staged[0] if self._staged else self._database.network

    def version(self) -> DatasetVersion | None:
        return self._staged[1] if self._staged else self._database.network_version

    def apply(self) -> None:
        if self._staged is not None:
            self._database.network, self._database.network_version = self._staged
        self._staged = None

    def discard(self) -> None:
        self._staged = None


class MemoryUnitOfWork:
    """A unit of work over a MemoryDatabase (a fresh, empty one when none is given)."""

    network: MemoryNetworkRepository

    def __init__(self, database: MemoryDatabase | None = None):
        self.database = database if database is not None else MemoryDatabase()

    def __enter__(self) -> Self:
        self.network = MemoryNetworkRepository(self.database)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        for repository in self._repositories():
            repository.apply()
        self.database.commits += 1

    def rollback(self) -> None:
        for repository in self._repositories():
            repository.discard()

    def _repositories(self) -> list[_Staged]:
        return [self.network]
