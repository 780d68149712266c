"""The document lifecycle as an explicit state machine.

::

    (none) --issue--> ISSUED --suspend--> SUSPENDED --reinstate--> ISSUED
    ISSUED | SUSPENDED --revoke--> REVOKED                         (terminal)
    ISSUED --amend--> ISSUED (a new version; the old one is SUPERSEDED, terminal)
    ISSUED --transfer--> ISSUED       negotiable title documents only; holder changes
    ISSUED --surrender--> SURRENDERED negotiable title documents only; terminal (accomplished)

A document is a lineage of versions; the newest version carries the document's status and every
older version is SUPERSEDED. ``TransportDocument`` is a frozen value: each step returns a new one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from transcaspian.domain.documents.title import Endorsement, EndorsementAction
from transcaspian.domain.errors import InvalidTransitionError


class DocumentStatus(StrEnum):
    ISSUED = "issued"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    SURRENDERED = "surrendered"

    @property
    def is_terminal(self) -> bool:
        return self in {
            DocumentStatus.REVOKED,
            DocumentStatus.SUPERSEDED,
            DocumentStatus.SURRENDERED,
        }


class LifecycleAction(StrEnum):
    ISSUE = "issue"
    AMEND = "amend"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REVOKE = "revoke"
    TRANSFER = "transfer"
    SURRENDER = "surrender"


# (from status, action) -> to status; title-only actions are checked separately.
TRANSITIONS: dict[tuple[DocumentStatus, LifecycleAction], DocumentStatus] = {
    (DocumentStatus.ISSUED, LifecycleAction.AMEND): DocumentStatus.ISSUED,
    (DocumentStatus.ISSUED, LifecycleAction.SUSPEND): DocumentStatus.SUSPENDED,
    (DocumentStatus.SUSPENDED, LifecycleAction.REINSTATE): DocumentStatus.ISSUED,
    (DocumentStatus.ISSUED, LifecycleAction.REVOKE): DocumentStatus.REVOKED,
    (DocumentStatus.SUSPENDED, LifecycleAction.REVOKE): DocumentStatus.REVOKED,
    (DocumentStatus.ISSUED, LifecycleAction.TRANSFER): DocumentStatus.ISSUED,
    (DocumentStatus.ISSUED, LifecycleAction.SURRENDER): DocumentStatus.SURRENDERED,
}
TITLE_ONLY = frozenset({LifecycleAction.TRANSFER, LifecycleAction.SURRENDER})


def next_status(
    status: DocumentStatus, action: LifecycleAction, *, negotiable: bool
) -> DocumentStatus:
    """The status after ``action``; raises InvalidTransitionError when the step is not allowed."""
    if action in TITLE_ONLY and not negotiable:
        raise InvalidTransitionError(
            f"{action.value}: only a negotiable title document (bill of lading) can be "
            f"{'transferred' if action is LifecycleAction.TRANSFER else 'surrendered'}",
            field="/action",
        )
    target = TRANSITIONS.get((status, action))
    if target is None:
        raise InvalidTransitionError(
            f"{action.value}: not allowed for a {status.value} document", field="/status"
        )
    return target


@dataclass(frozen=True, slots=True)
class DocumentVersion:
    """One signed credential in a document's lineage."""

    credential_id: str
    version: int
    credential: dict[str, Any]
    digest: str
    issued_at: datetime
    status_index: int
    previous_credential_id: str | None = None


@dataclass(frozen=True, slots=True)
class TransportDocument:
    """A document lineage: its type, parties, status, versions and, for title, its holders.

    ``issuer``, ``holder`` and ``parties`` are organisation slugs; ``row_version`` increases with
    every stored change (optimistic concurrency).
    """

    document_id: str
    document_type: str
    issuer: str
    status: DocumentStatus
    negotiable: bool
    versions: tuple[DocumentVersion, ...]
    parties: frozenset[str] = field(default=frozenset())
    route_countries: frozenset[str] = field(default=frozenset())
    holder: str | None = None
    endorsements: tuple[Endorsement, ...] = field(default=())
    row_version: int = 1

    @property
    def current(self) -> DocumentVersion:
        return self.versions[-1]

    def version_status(self, version: DocumentVersion) -> DocumentStatus:
        """The status of one version: the document's for the newest, SUPERSEDED for older ones."""
        return self.status if version.version == self.current.version else DocumentStatus.SUPERSEDED

    def is_party(self, organisation: str, country: str | None = None, *, customs: bool) -> bool:
        """Whether the organisation may read this document.

        Parties are the issuer, every holder past or present, the named parties and, for customs
        organisations, any customs in a country on the document's route.
        """
        if organisation in (self.issuer, self.holder):
            return True
        if organisation in self.parties:
            return True
        if any(organisation in (e.from_party, e.to_party) for e in self.endorsements):
            return True
        return customs and country is not None and country in self.route_countries

    def apply(self, action: LifecycleAction) -> TransportDocument:
        """This document after a status-only step (suspend, reinstate, revoke)."""
        return replace(
            self,
            status=next_status(self.status, action, negotiable=self.negotiable),
            row_version=self.row_version + 1,
        )

    def amended(
        self, version: DocumentVersion, endorsement: Endorsement | None
    ) -> TransportDocument:
        """This document with ``version`` appended as the new current version."""
        next_status(self.status, LifecycleAction.AMEND, negotiable=self.negotiable)
        endorsements = (
            self.endorsements if endorsement is None else (*self.endorsements, endorsement)
        )
        return replace(
            self,
            versions=(*self.versions, version),
            endorsements=endorsements,
            row_version=self.row_version + 1,
        )

    def transferred(self, endorsement: Endorsement) -> TransportDocument:
        """This document after a title transfer or surrender recorded by ``endorsement``."""
        action = (
            LifecycleAction.SURRENDER
            if endorsement.action is EndorsementAction.SURRENDER
            else LifecycleAction.TRANSFER
        )
        status = next_status(self.status, action, negotiable=self.negotiable)
        return replace(
            self,
            status=status,
            holder=endorsement.to_party,
            endorsements=(*self.endorsements, endorsement),
            row_version=self.row_version + 1,
        )
