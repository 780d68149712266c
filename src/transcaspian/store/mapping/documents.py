"""Document-flow rows <-> domain objects, both ways and nothing else."""

from __future__ import annotations

from transcaspian.domain.documents.audit import AuditEntry
from transcaspian.domain.documents.lifecycle import (
    DocumentStatus,
    DocumentVersion,
    TransportDocument,
)
from transcaspian.domain.documents.parties import (
    ApiToken,
    Organisation,
    OrgRole,
    SigningKey,
    User,
    UserRole,
    WebSession,
)
from transcaspian.domain.documents.title import Endorsement
from transcaspian.services.document_ports import StoredCheckpoint
from transcaspian.store.rows.documents import (
    ApiTokenRow,
    AuditCheckpointRow,
    AuditEntryRow,
    DocumentRow,
    DocumentVersionRow,
    EndorsementRow,
    OrganisationRow,
    PlatformKeyRow,
    SigningKeyRow,
    UserRow,
    WebSessionRow,
)


def organisation_from_rows(row: OrganisationRow, keys: list[SigningKeyRow]) -> Organisation:
    return Organisation(
        slug=row.slug,
        name=row.name,
        roles=frozenset(OrgRole(r) for r in row.roles),
        did=row.did,
        country=row.country,
        keys=tuple(key_from_row(k) for k in sorted(keys, key=lambda k: (k.created_at, k.key_id))),
    )


def organisation_to_row(organisation: Organisation) -> OrganisationRow:
    return OrganisationRow(
        slug=organisation.slug,
        name=organisation.name,
        roles=sorted(r.value for r in organisation.roles),
        did=organisation.did,
        country=organisation.country,
    )


def key_from_row(row: SigningKeyRow) -> SigningKey:
    return SigningKey(
        key_id=row.key_id,
        public_key_multibase=row.public_key_multibase,
        sealed_private_key=bytes(row.sealed_private_key),
        created_at=row.created_at,
        retired_at=row.retired_at,
    )


def key_to_row(organisation: str, key: SigningKey) -> SigningKeyRow:
    return SigningKeyRow(
        organisation=organisation,
        key_id=key.key_id,
        public_key_multibase=key.public_key_multibase,
        sealed_private_key=key.sealed_private_key,
        created_at=key.created_at,
        retired_at=key.retired_at,
    )


def user_from_row(row: UserRow) -> User:
    return User(
        user_id=row.user_id,
        organisation=row.organisation,
        email=row.email,
        role=UserRole(row.role),
        active=row.active,
    )


def user_to_row(user: User) -> UserRow:
    return UserRow(
        user_id=user.user_id,
        organisation=user.organisation,
        email=user.email,
        role=user.role.value,
        active=user.active,
    )


def token_from_row(row: ApiTokenRow) -> ApiToken:
    return ApiToken(
        token_id=row.token_id,
        user_id=row.user_id,
        token_hash=row.token_hash,
        created_at=row.created_at,
        label=row.label,
        revoked_at=row.revoked_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
    )


def token_to_row(token: ApiToken) -> ApiTokenRow:
    return ApiTokenRow(
        token_id=token.token_id,
        user_id=token.user_id,
        token_hash=token.token_hash,
        label=token.label,
        created_at=token.created_at,
        revoked_at=token.revoked_at,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
    )


def session_from_row(row: WebSessionRow) -> WebSession:
    return WebSession(
        session_hash=row.session_hash,
        user_id=row.user_id,
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_seen_at=row.last_seen_at,
    )


def session_to_row(session: WebSession) -> WebSessionRow:
    return WebSessionRow(
        session_hash=session.session_hash,
        user_id=session.user_id,
        created_at=session.created_at,
        expires_at=session.expires_at,
        last_seen_at=session.last_seen_at,
    )


def document_from_rows(
    row: DocumentRow, versions: list[DocumentVersionRow], endorsements: list[EndorsementRow]
) -> TransportDocument:
    return TransportDocument(
        document_id=row.document_id,
        document_type=row.document_type,
        issuer=row.issuer,
        status=DocumentStatus(row.status),
        negotiable=row.negotiable,
        versions=tuple(version_from_row(v) for v in sorted(versions, key=lambda v: v.version)),
        parties=frozenset(row.parties),
        route_countries=frozenset(row.route_countries),
        holder=row.holder,
        endorsements=tuple(
            Endorsement(signed=e.signed, from_party=e.from_party, to_party=e.to_party)
            for e in sorted(endorsements, key=lambda e: e.sequence)
        ),
        row_version=row.row_version,
    )


def document_to_row(document: TransportDocument) -> DocumentRow:
    return DocumentRow(
        document_id=document.document_id,
        document_type=document.document_type,
        issuer=document.issuer,
        status=document.status.value,
        negotiable=document.negotiable,
        holder=document.holder,
        parties=sorted(document.parties),
        route_countries=sorted(document.route_countries),
        row_version=document.row_version,
    )


def version_from_row(row: DocumentVersionRow) -> DocumentVersion:
    return DocumentVersion(
        credential_id=row.credential_id,
        version=row.version,
        credential=row.credential,
        digest=row.digest,
        issued_at=row.issued_at,
        status_index=row.status_index,
        previous_credential_id=row.previous_credential_id,
    )


def version_to_row(document_id: str, version: DocumentVersion) -> DocumentVersionRow:
    return DocumentVersionRow(
        credential_id=version.credential_id,
        document_id=document_id,
        version=version.version,
        credential=version.credential,
        digest=version.digest,
        issued_at=version.issued_at,
        status_index=version.status_index,
        previous_credential_id=version.previous_credential_id,
    )


def endorsement_to_row(document_id: str, endorsement: Endorsement) -> EndorsementRow:
    return EndorsementRow(
        document_id=document_id,
        sequence=endorsement.sequence,
        signed=endorsement.signed,
        from_party=endorsement.from_party,
        to_party=endorsement.to_party,
    )


def audit_from_row(row: AuditEntryRow) -> AuditEntry:
    return AuditEntry(
        sequence=row.sequence,
        at=row.at,
        actor=row.actor,
        organisation=row.organisation,
        action=row.action,
        document_id=row.document_id,
        document_digest=row.document_digest,
        detail=row.detail,
        previous_hash=row.previous_hash,
        entry_hash=row.entry_hash,
    )


def audit_to_row(entry: AuditEntry) -> AuditEntryRow:
    return AuditEntryRow(
        sequence=entry.sequence,
        at=entry.at,
        actor=entry.actor,
        organisation=entry.organisation,
        action=entry.action,
        document_id=entry.document_id,
        document_digest=entry.document_digest,
        detail=entry.detail,
        previous_hash=entry.previous_hash,
        entry_hash=entry.entry_hash,
    )


def platform_key_from_row(row: PlatformKeyRow) -> SigningKey:
    return SigningKey(
        key_id=row.key_id,
        public_key_multibase=row.public_key_multibase,
        sealed_private_key=row.sealed_private_key,
        created_at=row.created_at,
        retired_at=row.retired_at,
    )


def platform_key_to_row(key: SigningKey) -> PlatformKeyRow:
    return PlatformKeyRow(
        key_id=key.key_id,
        public_key_multibase=key.public_key_multibase,
        sealed_private_key=key.sealed_private_key,
        created_at=key.created_at,
        retired_at=key.retired_at,
    )


def checkpoint_from_row(row: AuditCheckpointRow) -> StoredCheckpoint:
    return StoredCheckpoint(size=row.size, key_id=row.key_id, note=row.note)


def checkpoint_to_row(checkpoint: StoredCheckpoint) -> AuditCheckpointRow:
    return AuditCheckpointRow(size=checkpoint.size, key_id=checkpoint.key_id, note=checkpoint.note)
