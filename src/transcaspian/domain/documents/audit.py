"""The audit log's hash chain: who did what, when, to which document (and its digest).

Entry n's hash is SHA-256 over the canonical JSON of its fields and entry n-1's hash, so editing an
entry breaks its own hash, removing or inserting one breaks the next link, and the stored head
(sequence and hash of the newest entry) catches removal of the newest entries. Whoever can write
to the database could still recompute every hash; signed checkpoints of the head
(checkpoints.py) catch that.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from transcaspian.domain.documents.canonical import canonical_json, sha256_hex

GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One appended action; ``entry_hash`` covers every other field and ``previous_hash``."""

    sequence: int
    at: datetime
    actor: str
    organisation: str
    action: str
    document_id: str | None
    document_digest: str | None
    detail: str
    previous_hash: str
    entry_hash: str


@dataclass(frozen=True, slots=True)
class AuditHead:
    """The newest entry's sequence and hash, stored apart from the entries."""

    sequence: int
    entry_hash: str


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The result of checking the chain: ``intact`` or the problems found, in order; how many
    stored ``checkpoints`` were checked and the label of a ``held`` one the log was checked
    against."""

    intact: bool
    entries: int
    problems: tuple[str, ...] = field(default=())
    checkpoints: int = 0
    held: str | None = None


def hash_entry(
    *,
    sequence: int,
    at: datetime,
    actor: str,
    organisation: str,
    action: str,
    document_id: str | None,
    document_digest: str | None,
    detail: str,
    previous_hash: str,
) -> str:
    """The SHA-256 hex hash of an entry's fields chained to the previous entry's hash."""
    return sha256_hex(
        canonical_json(
            {
                "sequence": sequence,
                "at": at.isoformat(),
                "actor": actor,
                "organisation": organisation,
                "action": action,
                "document_id": document_id,
                "document_digest": document_digest,
                "detail": detail,
                "previous_hash": previous_hash,
            }
        )
    )


def next_entry(
    head: AuditHead | None,
    *,
    at: datetime,
    actor: str,
    organisation: str,
    action: str,
    document_id: str | None,
    document_digest: str | None,
    detail: str = "",
) -> AuditEntry:
    """The entry that follows ``head`` (None for an empty log)."""
    unhashed = AuditEntry(
        sequence=1 if head is None else head.sequence + 1,
        at=at,
        actor=actor,
        organisation=organisation,
        action=action,
        document_id=document_id,
        document_digest=document_digest,
        detail=detail,
        previous_hash=GENESIS_HASH if head is None else head.entry_hash,
        entry_hash="",
    )
    return replace(unhashed, entry_hash=_content_hash(unhashed))


def verify_audit_chain(entries: list[AuditEntry], head: AuditHead | None) -> AuditReport:
    """Check every hash and link (entries in sequence order) and the stored head."""
    problems: list[str] = []
    previous_hash = GENESIS_HASH
    for expected, entry in enumerate(entries, start=1):
        if entry.sequence != expected:
            problems.append(
                f"entry {entry.sequence}: expected sequence {expected} "
                "(an entry was deleted or inserted)"
            )
        if entry.previous_hash != previous_hash:
            problems.append(
                f"entry {entry.sequence}: does not link to the entry before it "
                "(an entry was deleted, inserted or edited)"
            )
        if _content_hash(entry) != entry.entry_hash:
            problems.append(f"entry {entry.sequence}: its content does not match its hash (edited)")
        previous_hash = entry.entry_hash
    last = entries[-1] if entries else None
    if head is None:
        if last is not None:
            problems.append("the log has entries but no stored head")
    elif last is None or (last.sequence, last.entry_hash) != (head.sequence, head.entry_hash):
        problems.append(
            f"the newest entry is {last.sequence if last else 'none'}, but the stored head is "
            f"entry {head.sequence} (entries were deleted or appended outside the platform)"
        )
    return AuditReport(intact=not problems, entries=len(entries), problems=tuple(problems))


def _content_hash(entry: AuditEntry) -> str:
    """The hash ``entry`` ought to carry: over its fields and ``previous_hash``."""
    return hash_entry(
        sequence=entry.sequence,
        at=entry.at,
        actor=entry.actor,
        organisation=entry.organisation,
        action=entry.action,
        document_id=entry.document_id,
        document_digest=entry.document_digest,
        detail=entry.detail,
        previous_hash=entry.previous_hash,
    )
