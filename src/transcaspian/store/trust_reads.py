"""The verifier's reads (``services.trust_reads.TrustReads``) as single SQL queries.

Each call is one or two Core queries in a read-only transaction (a deferred one on SQLite, so
it reads beside a writer without taking the write lock): no ORM session and no aggregate
assembled, because verifying a credential needs a few columns of a few rows. Inside
``snapshot()`` every call of the thread shares one transaction, opened at the first read (one
connection for a whole verification, and on SQLite one consistent view); outside it, each call
has its own. The rows are read as they are now; nothing is kept between transactions. The
statements are built once (with bound parameters), so a call costs the query, not building it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, Row, Select, bindparam, select
from sqlalchemy.orm import aliased

from transcaspian.domain.documents.parties import Organisation, OrgRole, SigningKey
from transcaspian.services.verification import Successor
from transcaspian.store.engine import READ_ONLY
from transcaspian.store.rows.documents import (
    DocumentRow,
    DocumentVersionRow,
    EndorsementRow,
    OrganisationRow,
    SigningKeyRow,
    StatusListRow,
)

__all__ = ["SqlTrustReads"]

_organisation = OrganisationRow.__table__.c
_key = SigningKeyRow.__table__.c
_list = StatusListRow.__table__.c
_document = DocumentRow.__table__.c
_version = DocumentVersionRow.__table__.c
_endorsement = EndorsementRow.__table__.c
_of = aliased(DocumentVersionRow)

ORGANISATION_WITH_KEYS = (
    select(
        _organisation.slug,
        _organisation.name,
        _organisation.roles,
        _organisation.country,
        _key.key_id,
        _key.public_key_multibase,
        _key.sealed_private_key,
        _key.created_at,
        _key.retired_at,
    )
    .select_from(OrganisationRow.__table__)
    .outerjoin(SigningKeyRow.__table__, _key.organisation == _organisation.slug)
    .where(_organisation.did == bindparam("did"))
)
ORGANISATION_NAME = select(_organisation.name).where(_organisation.did == bindparam("did"))
STATUS_LIST = select(_list.credential).where(_list.list_id == bindparam("list_id"))
SUCCESSOR = (
    select(_version.credential_id, _version.version)
    .where(
        _version.previous_credential_id == bindparam("credential_id"),
        _version.document_id
        == select(_of.document_id)
        .where(_of.credential_id == bindparam("credential_id"))
        .scalar_subquery(),
    )
    .order_by(_version.version)
    .limit(1)
)
DOCUMENT_OF_VERSION = (
    select(_document.document_id, _document.negotiable)
    .join(DocumentVersionRow.__table__, _version.document_id == _document.document_id)
    .where(_version.credential_id == bindparam("credential_id"))
)
ENDORSEMENTS = (
    select(_endorsement.signed)
    .where(_endorsement.document_id == bindparam("document_id"))
    .order_by(_endorsement.sequence)
)


class SqlTrustReads:
    """TrustReads on an engine (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine):
        self._engine = engine.execution_options(**READ_ONLY)
        self._local = threading.local()  # this thread's snapshot: an ExitStack, or None

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Let this thread's reads inside share one transaction (nested: the outer one's)."""
        if getattr(self._local, "snapshot", None) is not None:
            yield
            return
        with ExitStack() as stack:
            self._local.snapshot = stack
            self._local.connection = None
            try:
                yield
            finally:
                self._local.snapshot = self._local.connection = None

    def organisation_by_did(self, did: str) -> Organisation | None:
        rows = self._read(ORGANISATION_WITH_KEYS, did=did)
        if not rows:
            return None
        keys = [
            SigningKey(
                key_id=row.key_id,
                public_key_multibase=row.public_key_multibase,
                sealed_private_key=bytes(row.sealed_private_key),
                created_at=row.created_at,
                retired_at=row.retired_at,
            )
            for row in rows
            if row.key_id is not None
        ]
        first = rows[0]
        return Organisation(
            slug=first.slug,
            name=first.name,
            roles=frozenset(OrgRole(r) for r in first.roles),
            did=did,
            country=first.country,
            keys=tuple(sorted(keys, key=lambda k: (k.created_at, k.key_id))),
        )

    def status_list_credential(self, list_id: str) -> dict[str, Any] | None:
        rows = self._read(STATUS_LIST, list_id=list_id)
        return rows[0].credential if rows else None

    def successor(self, credential_id: str) -> Successor | None:
        rows = self._read(SUCCESSOR, credential_id=credential_id)
        return Successor(rows[0].credential_id, rows[0].version) if rows else None

    def endorsement_chain(self, credential_id: str) -> list[dict[str, Any]] | None:
        with self._connection() as connection:
            document = connection.execute(
                DOCUMENT_OF_VERSION, {"credential_id": credential_id}
            ).first()
            if document is None or not document.negotiable:
                return None
            signed = connection.execute(ENDORSEMENTS, {"document_id": document.document_id})
            return [row.signed for row in signed]

    def organisation_name(self, did: str) -> str | None:
        rows = self._read(ORGANISATION_NAME, did=did)
        return rows[0].name if rows else None

    def _read(self, statement: Select[Any], **parameters: str) -> Sequence[Row[Any]]:
        with self._connection() as connection:
            return connection.execute(statement, parameters).all()

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        stack: ExitStack | None = getattr(self._local, "snapshot", None)
        if stack is None:
            with self._engine.connect() as connection, connection.begin():
                yield connection
            return
        if self._local.connection is None:  # the snapshot's first read opens its transaction
            connection = stack.enter_context(self._engine.connect())
            stack.enter_context(connection.begin())
            self._local.connection = connection
        yield self._local.connection
