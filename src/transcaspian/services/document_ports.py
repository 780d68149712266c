"""Ports of the document flow: organisations and their keys, documents, status lists, audit log.

The store implements them with SQLAlchemy (store/repositories/documents.py); ``UnitOfWork``
carries one of each (``organisations``, ``documents``, ``status_lists``, ``audit``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from transcaspian.domain.documents.audit import AuditEntry, AuditHead
from transcaspian.domain.documents.lifecycle import TransportDocument
from transcaspian.domain.documents.parties import (
    ApiToken,
    Organisation,
    SigningKey,
    User,
    WebSession,
)


@dataclass(frozen=True, slots=True)
class StatusList:
    """One published status list: whose it is, its purpose and which indices are set."""

    list_id: str
    issuer: str
    purpose: str
    set_indices: frozenset[int] = field(default=frozenset())
    credential: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class StoredCheckpoint:
    """A signed checkpoint of the audit log as stored: the signed note (see
    domain/documents/checkpoints.py), the entry count it is filed under and the key that signed
    it."""

    size: int
    key_id: str
    note: str


class OrganisationRepository(Protocol):
    def add(self, organisation: Organisation) -> None:
        """Store a new organisation; ConflictError if the slug or DID is taken."""

    def get(self, slug: str, *, for_update: bool = False) -> Organisation:
        """The organisation with ``slug``; NotFoundError otherwise.

        ``for_update=True`` takes the issuer lock: the organisation's row is locked until the
        unit of work ends (PostgreSQL ``SELECT ... FOR UPDATE``; SQLite write units hold the
        database's write lock from ``BEGIN IMMEDIATE``), and its keys are read afresh after the
        lock is held. Every status-list change, every signing with the organisation's key and
        every key rotation takes it, so none of them sees a stale list or key.
        """

    def find_by_did(self, did: str) -> Organisation | None: ...

    def list_all(self) -> list[Organisation]: ...

    def add_key(self, slug: str, key: SigningKey) -> None: ...

    def retire_key(self, slug: str, key_id: str, at: datetime) -> None: ...

    def add_user(self, user: User) -> None: ...

    def get_user(self, user_id: str) -> User: ...

    def find_user_by_email(self, email: str) -> User | None: ...

    def add_token(self, token: ApiToken) -> None: ...

    def find_token(self, token_hash: str) -> ApiToken | None: ...

    def get_token(self, token_id: str) -> ApiToken:
        """The token with ``token_id``; NotFoundError otherwise."""

    def list_tokens(
        self, *, user_id: str | None = None, organisation: str | None = None
    ) -> list[ApiToken]:
        """Tokens (oldest first) of one user, or of every user of one organisation, or all."""

    def save_token(self, token: ApiToken) -> None:
        """Write a token's revocation, expiry, last use and label."""

    def set_user_active(self, user_id: str, active: bool) -> None: ...

    def list_users(self, organisation: str | None = None) -> list[User]: ...

    def add_session(self, session: WebSession) -> None: ...

    def find_session(self, session_hash: str) -> WebSession | None: ...

    def touch_session(self, session_hash: str, at: datetime) -> None: ...

    def delete_session(self, session_hash: str) -> None: ...

    def delete_sessions_of(self, user_id: str) -> int:
        """End every web session of a user; how many there were."""


class DocumentRepository(Protocol):
    def add(self, document: TransportDocument) -> None:
        """Store a new document lineage with its versions and endorsements."""

    def get(self, document_id: str, *, for_update: bool = False) -> TransportDocument:
        """The document; ``for_update`` locks its row until the unit of work ends.

        Raises NotFoundError.
        """

    def find_by_credential_id(self, credential_id: str) -> TransportDocument | None: ...

    def list_all(self) -> list[TransportDocument]: ...

    def save(self, document: TransportDocument, *, expected_row_version: int) -> None:
        """Write the document's new state; ConflictError if the stored row_version changed."""


class StatusListRepository(Protocol):
    def allocate_index(self, issuer: str) -> int:
        """The next free index in the issuer's lists (same index in every purpose)."""

    def get(self, list_id: str) -> StatusList:
        """The list; NotFoundError otherwise."""

    def find(self, list_id: str) -> StatusList | None: ...

    def save(self, status_list: StatusList) -> None:
        """Insert or replace the list (its set indices and signed credential)."""


class AuditRepository(Protocol):
    def head(self, *, for_update: bool = False) -> AuditHead | None: ...

    def append(self, entry: AuditEntry) -> None:
        """Append ``entry`` and move the head to it."""

    def entries(self) -> list[AuditEntry]:
        """Every entry, by sequence."""

    def for_document(self, document_id: str) -> list[AuditEntry]: ...

    def platform_keys(self) -> list[SigningKey]:
        """The platform's own signing keys (``key_id`` is the verification method URL), oldest
        first."""

    def add_platform_key(self, key: SigningKey) -> None: ...

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Every stored checkpoint, by size."""

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        """The checkpoint of the most entries, or None."""

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        """Store a checkpoint; ConflictError if one of that size is stored already."""
