"""The document-flow repositories over SQLAlchemy: organisations (with keys, users, tokens),
documents (with versions and endorsements), status lists and the audit log.

``SqlAlchemyDocumentRepository.save`` is a compare-and-set on ``row_version``; ``get(...,
for_update=True)`` locks the document row on PostgreSQL (SQLite serialises writers anyway).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session

from transcaspian.domain.documents.audit import AuditEntry, AuditHead
from transcaspian.domain.documents.lifecycle import TransportDocument
from transcaspian.domain.documents.parties import (
    ApiToken,
    Organisation,
    SigningKey,
    User,
    WebSession,
)
from transcaspian.domain.documents.permissions import document_not_found
from transcaspian.domain.errors import ConflictError, NotFoundError
from transcaspian.services.document_ports import StatusList, StoredCheckpoint
from transcaspian.store.errors import conflicts_as_domain_errors
from transcaspian.store.mapping.documents import (
    audit_from_row,
    audit_to_row,
    checkpoint_from_row,
    checkpoint_to_row,
    document_from_rows,
    document_to_row,
    endorsement_to_row,
    key_to_row,
    organisation_from_rows,
    organisation_to_row,
    platform_key_from_row,
    platform_key_to_row,
    session_from_row,
    session_to_row,
    token_from_row,
    token_to_row,
    user_from_row,
    user_to_row,
    version_to_row,
)
from transcaspian.store.rows.base import Base
from transcaspian.store.rows.documents import (
    ApiTokenRow,
    AuditCheckpointRow,
    AuditEntryRow,
    AuditHeadRow,
    DocumentRow,
    DocumentVersionRow,
    EndorsementRow,
    OrganisationRow,
    PlatformKeyRow,
    SigningKeyRow,
    StatusCounterRow,
    StatusListRow,
    UserRow,
    WebSessionRow,
)

__all__ = [
    "SqlAlchemyAuditRepository",
    "SqlAlchemyDocumentRepository",
    "SqlAlchemyOrganisationRepository",
    "SqlAlchemyStatusListRepository",
]

C = TypeVar("C")


class SqlAlchemyOrganisationRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, organisation: Organisation) -> None:
        with conflicts_as_domain_errors(f"organisation {organisation.slug!r}", "/slug"):
            self._session.add(organisation_to_row(organisation))
            self._session.flush()
            for key in organisation.keys:
                self._session.add(key_to_row(organisation.slug, key))
            self._session.flush()

    def get(self, slug: str, *, for_update: bool = False) -> Organisation:
        if for_update:
            row = self._session.scalars(
                select(OrganisationRow)
                .where(OrganisationRow.slug == slug)
                .with_for_update()
                .execution_options(populate_existing=True)
            ).first()
        else:
            row = self._session.get(OrganisationRow, slug)
        if row is None:
            raise NotFoundError(f"organisation: {slug!r} is not registered", field="/organisation")
        return self._with_keys(row, fresh=for_update)

    def find_by_did(self, did: str) -> Organisation | None:
        row = self._session.scalars(
            select(OrganisationRow).where(OrganisationRow.did == did)
        ).first()
        return None if row is None else self._with_keys(row)

    def list_all(self) -> list[Organisation]:
        rows = self._session.scalars(select(OrganisationRow).order_by(OrganisationRow.slug))
        return [self._with_keys(row) for row in rows]

    def add_key(self, slug: str, key: SigningKey) -> None:
        with conflicts_as_domain_errors(f"key {key.key_id!r} of {slug!r}"):
            self._session.add(key_to_row(slug, key))
            self._session.flush()

    def retire_key(self, slug: str, key_id: str, at: datetime) -> None:
        row = self._session.get(SigningKeyRow, (slug, key_id))
        if row is None:
            raise NotFoundError(f"key: {key_id!r} of {slug!r} does not exist", field="/key_id")
        row.retired_at = at
        self._session.flush()

    def add_user(self, user: User) -> None:
        with conflicts_as_domain_errors(f"user {user.email!r}", "/email"):
            self._session.add(user_to_row(user))
            self._session.flush()

    def get_user(self, user_id: str) -> User:
        row = self._session.get(UserRow, user_id)
        if row is None:
            raise NotFoundError(f"user: {user_id!r} does not exist", field="/user_id")
        return user_from_row(row)

    def find_user_by_email(self, email: str) -> User | None:
        row = self._session.scalars(select(UserRow).where(UserRow.email == email)).first()
        return None if row is None else user_from_row(row)

    def add_token(self, token: ApiToken) -> None:
        with conflicts_as_domain_errors("token"):
            self._session.add(token_to_row(token))
            self._session.flush()

    def find_token(self, token_hash: str) -> ApiToken | None:
        row = self._session.scalars(
            select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash)
        ).first()
        return None if row is None else token_from_row(row)

    def get_token(self, token_id: str) -> ApiToken:
        row = self._session.get(ApiTokenRow, token_id)
        if row is None:
            raise NotFoundError(f"token: {token_id!r} does not exist", field="/token_id")
        return token_from_row(row)

    def list_tokens(
        self, *, user_id: str | None = None, organisation: str | None = None
    ) -> list[ApiToken]:
        query = select(ApiTokenRow).order_by(ApiTokenRow.created_at, ApiTokenRow.token_id)
        if user_id is not None:
            query = query.where(ApiTokenRow.user_id == user_id)
        if organisation is not None:
            query = query.join(UserRow, UserRow.user_id == ApiTokenRow.user_id).where(
                UserRow.organisation == organisation
            )
        return [token_from_row(row) for row in self._session.scalars(query)]

    def save_token(self, token: ApiToken) -> None:
        row = self._session.get(ApiTokenRow, token.token_id)
        if row is None:
            raise NotFoundError(f"token: {token.token_id!r} does not exist", field="/token_id")
        row.revoked_at = token.revoked_at
        row.expires_at = token.expires_at
        row.last_used_at = token.last_used_at
        row.label = token.label
        self._session.flush()

    def set_user_active(self, user_id: str, active: bool) -> None:
        row = self._session.get(UserRow, user_id)
        if row is None:
            raise NotFoundError(f"user: {user_id!r} does not exist", field="/user_id")
        row.active = active
        self._session.flush()

    def list_users(self, organisation: str | None = None) -> list[User]:
        query = select(UserRow).order_by(UserRow.organisation, UserRow.email)
        if organisation is not None:
            query = query.where(UserRow.organisation == organisation)
        return [user_from_row(row) for row in self._session.scalars(query)]

    def add_session(self, session: WebSession) -> None:
        with conflicts_as_domain_errors("session"):
            self._session.add(session_to_row(session))
            self._session.flush()

    def find_session(self, session_hash: str) -> WebSession | None:
        row = self._session.get(WebSessionRow, session_hash)
        return None if row is None else session_from_row(row)

    def touch_session(self, session_hash: str, at: datetime) -> None:
        self._session.execute(
            update(WebSessionRow)
            .where(WebSessionRow.session_hash == session_hash)
            .values(last_seen_at=at)
        )

    def delete_session(self, session_hash: str) -> None:
        self._session.execute(
            delete(WebSessionRow).where(WebSessionRow.session_hash == session_hash)
        )

    def delete_sessions_of(self, user_id: str) -> int:
        result = self._session.execute(
            delete(WebSessionRow).where(WebSessionRow.user_id == user_id)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def _with_keys(self, row: OrganisationRow, *, fresh: bool = False) -> Organisation:
        query = select(SigningKeyRow).where(SigningKeyRow.organisation == row.slug)
        if fresh:
            query = query.execution_options(populate_existing=True)
        keys = list(self._session.scalars(query))
        return organisation_from_rows(row, keys)


class SqlAlchemyDocumentRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, document: TransportDocument) -> None:
        with conflicts_as_domain_errors(f"document {document.document_id!r}"):
            self._session.add(document_to_row(document))
            self._session.flush()
            for version in document.versions:
                self._session.add(version_to_row(document.document_id, version))
            for endorsement in document.endorsements:
                self._session.add(endorsement_to_row(document.document_id, endorsement))
            self._session.flush()

    def get(self, document_id: str, *, for_update: bool = False) -> TransportDocument:
        query = select(DocumentRow).where(DocumentRow.document_id == document_id)
        if for_update:
            query = query.with_for_update()
        with conflicts_as_domain_errors(f"document {document_id!r}"):
            row = self._session.scalars(query.execution_options(populate_existing=True)).first()
        if row is None:
            raise document_not_found(document_id)
        return self._assemble(row)

    def find_by_credential_id(self, credential_id: str) -> TransportDocument | None:
        version = self._session.get(DocumentVersionRow, credential_id)
        if version is None:
            return None
        return self.get(version.document_id)

    def list_all(self) -> list[TransportDocument]:
        rows = list(self._session.scalars(select(DocumentRow).order_by(DocumentRow.document_id)))
        return [self._assemble(row) for row in rows]

    def save(self, document: TransportDocument, *, expected_row_version: int) -> None:
        with conflicts_as_domain_errors(f"document {document.document_id!r}"):
            result = self._session.execute(
                update(DocumentRow)
                .where(
                    DocumentRow.document_id == document.document_id,
                    DocumentRow.row_version == expected_row_version,
                )
                .values(
                    status=document.status.value,
                    holder=document.holder,
                    parties=sorted(document.parties),
                    route_countries=sorted(document.route_countries),
                    row_version=document.row_version,
                )
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) != 1:
                raise ConflictError(
                    f"document {document.document_id!r}: changed by someone else since version "
                    f"{expected_row_version}; reload it and try again",
                    field="/row_version",
                    code="stale-document",
                )
            document_id = document.document_id
            self._add_unstored(
                select(DocumentVersionRow.version).where(
                    DocumentVersionRow.document_id == document_id
                ),
                ((v.version, v) for v in document.versions),
                lambda v: version_to_row(document_id, v),
            )
            self._add_unstored(
                select(EndorsementRow.sequence).where(EndorsementRow.document_id == document_id),
                ((e.sequence, e) for e in document.endorsements),
                lambda e: endorsement_to_row(document_id, e),
            )
            self._session.flush()

    def _add_unstored(
        self, stored: Select[int], children: Iterable[tuple[int, C]], to_row: Callable[[C], Base]
    ) -> None:
        """Add a row for each child whose number is not stored yet (children are only appended)."""
        numbers = set(self._session.scalars(stored))
        for number, child in children:
            if number not in numbers:
                self._session.add(to_row(child))

    def _assemble(self, row: DocumentRow) -> TransportDocument:
        versions = list(
            self._session.scalars(
                select(DocumentVersionRow).where(DocumentVersionRow.document_id == row.document_id)
            )
        )
        endorsements = list(
            self._session.scalars(
                select(EndorsementRow).where(EndorsementRow.document_id == row.document_id)
            )
        )
        return document_from_rows(row, versions, endorsements)


class SqlAlchemyStatusListRepository:
    def __init__(self, session: Session):
        self._session = session

    def allocate_index(self, issuer: str) -> int:
        with conflicts_as_domain_errors(f"status list index of {issuer!r}"):
            row = self._session.scalars(
                select(StatusCounterRow).where(StatusCounterRow.issuer == issuer).with_for_update()
            ).first()
            if row is None:
                row = StatusCounterRow(issuer=issuer, next_index=0)
                self._session.add(row)
            index = row.next_index
            row.next_index = index + 1
            self._session.flush()
        return index

    def get(self, list_id: str) -> StatusList:
        found = self.find(list_id)
        if found is None:
            raise NotFoundError(f"status list: {list_id!r} does not exist", field="/list_id")
        return found

    def find(self, list_id: str) -> StatusList | None:
        row = self._session.get(StatusListRow, list_id, populate_existing=True)
        if row is None:
            return None
        return StatusList(
            list_id=row.list_id,
            issuer=row.issuer,
            purpose=row.purpose,
            set_indices=frozenset(row.set_indices),
            credential=row.credential,
        )

    def save(self, status_list: StatusList) -> None:
        row = self._session.get(StatusListRow, status_list.list_id)
        if row is None:
            row = StatusListRow(list_id=status_list.list_id)
            self._session.add(row)
        row.issuer = status_list.issuer
        row.purpose = status_list.purpose
        row.set_indices = sorted(status_list.set_indices)
        row.credential = status_list.credential
        with conflicts_as_domain_errors(f"status list {status_list.list_id!r}"):
            self._session.flush()


class SqlAlchemyAuditRepository:
    def __init__(self, session: Session):
        self._session = session

    def head(self, *, for_update: bool = False) -> AuditHead | None:
        query = select(AuditHeadRow).where(AuditHeadRow.head_id == 1)
        if for_update:
            query = query.with_for_update()
        with conflicts_as_domain_errors("audit log"):
            row = self._session.scalars(query.execution_options(populate_existing=True)).first()
        return None if row is None else AuditHead(sequence=row.sequence, entry_hash=row.entry_hash)

    def append(self, entry: AuditEntry) -> None:
        with conflicts_as_domain_errors("audit log"):
            self._session.add(audit_to_row(entry))
            row = self._session.get(AuditHeadRow, 1)
            if row is None:
                self._session.add(
                    AuditHeadRow(head_id=1, sequence=entry.sequence, entry_hash=entry.entry_hash)
                )
            else:
                row.sequence = entry.sequence
                row.entry_hash = entry.entry_hash
            self._session.flush()

    def entries(self) -> list[AuditEntry]:
        rows = self._session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.sequence))
        return [audit_from_row(row) for row in rows]

    def for_document(self, document_id: str) -> list[AuditEntry]:
        rows = self._session.scalars(
            select(AuditEntryRow)
            .where(AuditEntryRow.document_id == document_id)
            .order_by(AuditEntryRow.sequence)
        )
        return [audit_from_row(row) for row in rows]

    def platform_keys(self) -> list[SigningKey]:
        rows = self._session.scalars(
            select(PlatformKeyRow).order_by(PlatformKeyRow.created_at, PlatformKeyRow.key_id)
        )
        return [platform_key_from_row(row) for row in rows]

    def add_platform_key(self, key: SigningKey) -> None:
        with conflicts_as_domain_errors(f"platform key {key.key_id!r}"):
            self._session.add(platform_key_to_row(key))
            self._session.flush()

    def checkpoints(self) -> list[StoredCheckpoint]:
        rows = self._session.scalars(select(AuditCheckpointRow).order_by(AuditCheckpointRow.size))
        return [checkpoint_from_row(row) for row in rows]

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        row = self._session.scalars(
            select(AuditCheckpointRow).order_by(AuditCheckpointRow.size.desc()).limit(1)
        ).first()
        return None if row is None else checkpoint_from_row(row)

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        with conflicts_as_domain_errors(f"audit checkpoint of entry {checkpoint.size}"):
            self._session.add(checkpoint_to_row(checkpoint))
            self._session.flush()
