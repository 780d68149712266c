"""The online verifier's trust source over small, live reads of the store.

:class:`StoreTrustReadsSource` answers the same questions as
:class:`~transcaspian.services.verification.StoreTrustSource` (who an issuer is and which keys it
has, a status list, an endorsement chain, a successor), each from the rows as they are now, but
through :class:`TrustReads`: one short read-only query each instead of assembling whole
aggregates. What is derived from the rows (decoded keys, a status list's verified proof) is
remembered under the rows themselves (see :mod:`transcaspian.services.verification_cache`), so
nothing read is ever older than the request.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol

from transcaspian.domain.documents.parties import Organisation
from transcaspian.services.ports import Clock, UnitOfWork
from transcaspian.services.verification import (
    DocumentVerifier,
    PresentationReport,
    StatusSnapshot,
    Successor,
    TrustedIssuer,
    VerificationReport,
)
from transcaspian.services.verification_cache import resolved_keys

__all__ = ["SnapshotDocumentVerifier", "StoreTrustReadsSource", "TrustReads"]


class TrustReads(Protocol):
    """What the online verifier reads from the store; each call reads the current rows."""

    def snapshot(self) -> AbstractContextManager[None]:
        """Within it, this thread's reads share one read transaction (opened at the first)."""

    def organisation_by_did(self, did: str) -> Organisation | None:
        """The organisation whose DID is ``did``, with every key (oldest first), or None."""

    def status_list_credential(self, list_id: str) -> dict[str, Any] | None:
        """The signed status list credential published as ``list_id``, or None."""

    def successor(self, credential_id: str) -> Successor | None:
        """The version of the same document that amends ``credential_id``, or None."""

    def endorsement_chain(self, credential_id: str) -> list[dict[str, Any]] | None:
        """The signed endorsements (in order) of the negotiable document that has a version
        ``credential_id``; None when there is no such document or it is not negotiable."""

    def organisation_name(self, did: str) -> str | None:
        """The name of the organisation whose DID is ``did``, or None."""


class StoreTrustReadsSource:
    """Online: issuers, status lists and chains as stored on this platform, read live."""

    mode = "online"

    def __init__(self, reads: TrustReads, base_url: str):
        self._reads = reads
        self._prefix = base_url.rstrip("/") + "/status-lists/"

    def issuer(self, did: str) -> TrustedIssuer | None:
        organisation = self._reads.organisation_by_did(did)
        if organisation is None:
            return None
        return TrustedIssuer(did, organisation.name, resolved_keys(organisation))

    def status_list(self, url: str) -> StatusSnapshot | None:
        if not url.startswith(self._prefix):
            return None
        credential = self._reads.status_list_credential(url[len(self._prefix) :])
        return None if credential is None else StatusSnapshot(credential)

    def endorsement_chain(self, credential_id: str) -> list[dict[str, Any]] | None:
        return self._reads.endorsement_chain(credential_id)

    def successor(self, credential_id: str) -> Successor | None:
        return self._reads.successor(credential_id)

    def holder_name(self, did: str) -> str | None:
        return self._reads.organisation_name(did)


class SnapshotDocumentVerifier(DocumentVerifier):
    """The platform's verifier online through :class:`StoreTrustReadsSource`, each
    verification reading the store in one read transaction (one connection for all its reads,
    and on SQLite one consistent view); opened only if the verification reads the store."""

    def __init__(
        self,
        reads: TrustReads,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        *,
        base_url: str,
    ):
        online = StoreTrustReadsSource(reads, base_url)
        super().__init__(uow_factory, clock, base_url=base_url, online=online)
        self._reads = reads

    def verify(self, *args: Any, **kwargs: Any) -> VerificationReport:
        with self._reads.snapshot():
            return super().verify(*args, **kwargs)

    def verify_credential(self, *args: Any, **kwargs: Any) -> VerificationReport:
        with self._reads.snapshot():
            return super().verify_credential(*args, **kwargs)

    def verify_presentation(self, *args: Any, **kwargs: Any) -> PresentationReport:
        with self._reads.snapshot():
            return super().verify_presentation(*args, **kwargs)
