"""Use cases of the audit log: append an action (inside the caller's unit of work) and check
the whole chain.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from transcaspian.domain.documents.audit import (
    AuditEntry,
    AuditReport,
    next_entry,
    verify_audit_chain,
)
from transcaspian.services.ports import UnitOfWork


def record_action(
    uow: UnitOfWork,
    *,
    at: datetime,
    actor: str,
    organisation: str,
    action: str,
    document_id: str | None = None,
    document_digest: str | None = None,
    detail: str = "",
) -> AuditEntry:
    """Append one entry after the current head (locked until the unit of work ends)."""
    head = uow.audit.head(for_update=True)
    entry = next_entry(
        head,
        at=at,
        actor=actor,
        organisation=organisation,
        action=action,
        document_id=document_id,
        document_digest=document_digest,
        detail=detail,
    )
    uow.audit.append(entry)
    return entry


class AuditService:
    """Reads and checks the audit log."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork]):
        self._uow_factory = uow_factory

    def verify(self) -> AuditReport:
        """Check every entry's hash and link and the stored head."""
        with self._uow_factory() as uow:
            return verify_audit_chain(uow.audit.entries(), uow.audit.head())

    def entries(self, document_id: str | None = None) -> list[AuditEntry]:
        with self._uow_factory() as uow:
            if document_id is None:
                return uow.audit.entries()
            return uow.audit.for_document(document_id)
