"""The SQLAlchemy unit of work: one session, one transaction, the repositories over it.

``with uow: ...; uow.commit()`` — leaving the block without commit rolls everything back.
Each feature adds its repository in ``__enter__`` (and its attribute on ``UnitOfWork`` in
services/ports.py).
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from transcaspian.store.errors import conflicts_as_domain_errors
from transcaspian.store.repositories.documents import (
    SqlAlchemyAuditRepository,
    SqlAlchemyDocumentRepository,
    SqlAlchemyOrganisationRepository,
    SqlAlchemyStatusListRepository,
)
from transcaspian.store.repositories.network import SqlAlchemyNetworkRepository

__all__ = ["SqlAlchemyUnitOfWork"]


class SqlAlchemyUnitOfWork:
    """A transaction over the database; commit() or it rolls back on leaving."""

    network: SqlAlchemyNetworkRepository
    organisations: SqlAlchemyOrganisationRepository
    documents: SqlAlchemyDocumentRepository
    status_lists: SqlAlchemyStatusListRepository
    audit: SqlAlchemyAuditRepository

    def __init__(self, engine: Engine | sessionmaker[Session]):
        self._sessions = (
            engine
            if isinstance(engine, sessionmaker)
            else sessionmaker(engine, expire_on_commit=False)
        )
        self._session: Session | None = None

    def __enter__(self) -> Self:
        self._session = self._sessions()
        self.network = SqlAlchemyNetworkRepository(self._session)
        self.organisations = SqlAlchemyOrganisationRepository(self._session)
        self.documents = SqlAlchemyDocumentRepository(self._session)
        self.status_lists = SqlAlchemyStatusListRepository(self._session)
        self.audit = SqlAlchemyAuditRepository(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self._require_session()
        try:
            session.rollback()
        finally:
            session.close()
            self._session = None

    def commit(self) -> None:
        """Make the changes permanent; raises ConflictError if the database refuses them."""
        with conflicts_as_domain_errors("commit"):
            self._require_session().commit()

    def rollback(self) -> None:
        self._require_session().rollback()

    @property
    def session(self) -> Session:
        """The session of the open unit of work (for repositories of other features)."""
        return self._require_session()

    def _require_session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its `with` block")
        return self._session
