"""The ports the services need from the outside world, as Protocols (fakes need no inheritance).

The store implements them with SQLAlchemy (store/), tests with memory fakes (store/memory.py).
Each feature adds its repository as an attribute of ``UnitOfWork``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from transcaspian.domain.network import CorridorNetwork
from transcaspian.services.document_ports import (
    AuditRepository,
    DocumentRepository,
    OrganisationRepository,
    StatusListRepository,
)


class Clock(Protocol):
    """Tells the time (UTC, timezone-aware); the core never calls datetime.now()."""

    def now(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class DatasetVersion:
    """What is stored: the dataset's digest, where it came from and when it was loaded."""

    digest: str
    origin: str
    loaded_at: datetime
    counts: dict[str, int]


class NetworkRepository(Protocol):
    """The stored corridor network: replaced whole by a load, read whole by the services."""

    def replace(self, network: CorridorNetwork, version: DatasetVersion) -> None:
        """Replace every stored network row with this network (inside the unit of work)."""

    def get(self) -> CorridorNetwork | None:
        """The stored network, or None when nothing has been loaded."""

    def version(self) -> DatasetVersion | None:
        """The stored dataset version, or None when nothing has been loaded."""


class UnitOfWork(Protocol):
    """A transaction: ``with uow: ...; uow.commit()``; leaving without commit rolls back."""

    # read-only members: an implementation may declare a narrower (concrete) repository type
    @property
    def network(self) -> NetworkRepository: ...

    @property
    def organisations(self) -> OrganisationRepository: ...

    @property
    def documents(self) -> DocumentRepository: ...

    @property
    def status_lists(self) -> StatusListRepository: ...

    @property
    def audit(self) -> AuditRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...
