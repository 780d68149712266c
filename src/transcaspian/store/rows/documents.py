"""Rows of the document flow: organisations, keys, users, tokens, web sessions, documents with
their versions and endorsements, status lists, and the hash-chained audit log.

Documents carry ``row_version`` for compare-and-set updates; a title transfer also locks the
row (``SELECT ... FOR UPDATE`` on PostgreSQL), so two transfers of one bill of lading never both
succeed. The audit log is append-only; ``audit_head`` (one row) records its newest entry,
``audit_checkpoints`` the platform's signed notes of its head, ``platform_keys`` the platform's
own (sealed) signing keys that sign them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from transcaspian.store.rows.base import Base
from transcaspian.store.rows.types import UtcDateTime

SLUG = 64
CODE = 32
URL = 400


class OrganisationRow(Base):
    __tablename__ = "organisations"

    slug: Mapped[str] = mapped_column(String(SLUG), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    roles: Mapped[list[str]] = mapped_column(JSON)
    did: Mapped[str] = mapped_column(String(URL), unique=True)
    country: Mapped[str | None] = mapped_column(String(2))


class SigningKeyRow(Base):
    __tablename__ = "organisation_keys"

    organisation: Mapped[str] = mapped_column(ForeignKey("organisations.slug"), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(CODE * 4), primary_key=True)
    public_key_multibase: Mapped[str] = mapped_column(String(CODE * 4))
    sealed_private_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class UserRow(Base):
    __tablename__ = "users"

    user_id: Mapped[str] = mapped_column(String(CODE * 2), primary_key=True)
    organisation: Mapped[str] = mapped_column(ForeignKey("organisations.slug"), index=True)
    email: Mapped[str] = mapped_column(String(URL), unique=True)
    role: Mapped[str] = mapped_column(String(CODE))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"

    token_id: Mapped[str] = mapped_column(String(CODE * 2), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WebSessionRow(Base):
    __tablename__ = "web_sessions"

    session_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DocumentRow(Base):
    __tablename__ = "documents"

    document_id: Mapped[str] = mapped_column(String(CODE * 2), primary_key=True)
    document_type: Mapped[str] = mapped_column(String(CODE * 2))
    issuer: Mapped[str] = mapped_column(ForeignKey("organisations.slug"), index=True)
    status: Mapped[str] = mapped_column(String(CODE))
    negotiable: Mapped[bool] = mapped_column(Boolean)
    holder: Mapped[str | None] = mapped_column(ForeignKey("organisations.slug"))
    parties: Mapped[list[str]] = mapped_column(JSON)
    route_countries: Mapped[list[str]] = mapped_column(JSON)
    row_version: Mapped[int] = mapped_column(Integer)


class DocumentVersionRow(Base):
    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "version"),)

    credential_id: Mapped[str] = mapped_column(String(URL), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.document_id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    credential: Mapped[dict[str, Any]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(CODE * 2))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status_index: Mapped[int] = mapped_column(Integer)
    previous_credential_id: Mapped[str | None] = mapped_column(String(URL))


class EndorsementRow(Base):
    __tablename__ = "document_endorsements"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.document_id"), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    signed: Mapped[dict[str, Any]] = mapped_column(JSON)
    from_party: Mapped[str] = mapped_column(String(SLUG))
    to_party: Mapped[str] = mapped_column(String(SLUG))


class StatusListRow(Base):
    __tablename__ = "status_lists"

    list_id: Mapped[str] = mapped_column(String(CODE * 4), primary_key=True)
    issuer: Mapped[str] = mapped_column(ForeignKey("organisations.slug"), index=True)
    purpose: Mapped[str] = mapped_column(String(CODE))
    set_indices: Mapped[list[int]] = mapped_column(JSON)
    credential: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class StatusCounterRow(Base):
    """The next free status list index of one issuer."""

    __tablename__ = "status_list_counters"

    issuer: Mapped[str] = mapped_column(ForeignKey("organisations.slug"), primary_key=True)
    next_index: Mapped[int] = mapped_column(Integer)


class AuditEntryRow(Base):
    __tablename__ = "audit_log"

    sequence: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(Text)
    organisation: Mapped[str] = mapped_column(String(SLUG))
    action: Mapped[str] = mapped_column(String(CODE * 2))
    document_id: Mapped[str | None] = mapped_column(String(CODE * 2), index=True)
    document_digest: Mapped[str | None] = mapped_column(String(CODE * 2))
    detail: Mapped[str] = mapped_column(Text)
    previous_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The newest audit entry (``head_id`` is always 1)."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("head_id = 1", name="single_row"),)

    head_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sequence: Mapped[int] = mapped_column(Integer)
    entry_hash: Mapped[str] = mapped_column(String(64))


class PlatformKeyRow(Base):
    """An Ed25519 key of the platform itself (it signs audit checkpoints), sealed at rest.

    ``key_id`` is its verification method URL (``did:key:z6Mk...#z6Mk...``), which the sealing
    binds, so a sealed key copied to another row does not open.
    """

    __tablename__ = "platform_keys"

    key_id: Mapped[str] = mapped_column(String(CODE * 4), primary_key=True)
    public_key_multibase: Mapped[str] = mapped_column(String(CODE * 4))
    sealed_private_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AuditCheckpointRow(Base):
    """A signed checkpoint (a C2SP signed note) of the audit log's first ``size`` entries."""

    __tablename__ = "audit_checkpoints"

    size: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key_id: Mapped[str] = mapped_column(ForeignKey("platform_keys.key_id"), index=True)
    note: Mapped[str] = mapped_column(Text)
