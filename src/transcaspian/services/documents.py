"""Use cases of the document flow: issue, amend, suspend, reinstate, revoke, transfer and
surrender documents as W3C Verifiable Credentials, and publish their status lists.

Every step runs in one unit of work: the lifecycle rule (domain), the permission rule (domain),
the new credential or endorsement signed with the acting organisation's key, the status list
bits, and one audit entry — all stored together or not at all. Transfers and surrenders lock the
document row and compare ``row_version``, so of two concurrent transfers one wins and the other
gets ConflictError.

Each issuer publishes three Bitstring Status Lists at ``{base_url}/status-lists/{slug}-{name}``:
``revocation`` and ``suspension`` (those purposes) and ``superseded`` (purpose ``revocation``:
a bit set means a newer version replaced this one, so a standard verifier, which knows nothing
of our versions, still refuses a superseded credential). Every version of a document gets its own
index, the same in all three lists. A surrendered bill of lading also gets its revocation bit:
it no longer has effect.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from transcaspian.domain.documents.canonical import digest_multibase
from transcaspian.domain.documents.lifecycle import (
    DocumentStatus,
    DocumentVersion,
    LifecycleAction,
    TransportDocument,
    next_status,
)
from transcaspian.domain.documents.parties import Actor, Organisation
from transcaspian.domain.documents.permissions import (
    can_read,
    require_can_act,
    require_can_change,
    require_can_issue,
    require_can_read,
)
from transcaspian.domain.documents.title import Endorsement, EndorsementAction, sign_endorsement
from transcaspian.domain.errors import (
    InvalidTransitionError,
    InvalidValueError,
    NotFoundError,
    PermissionDeniedError,
)
from transcaspian.services import credentials_gateway as vc
from transcaspian.services.audit import AuditSigning, record_action
from transcaspian.services.document_ports import StatusList
from transcaspian.services.organisations import signing_key_of
from transcaspian.services.ports import Clock, UnitOfWork

# list name -> statusPurpose
STATUS_LISTS = {"revocation": "revocation", "suspension": "suspension", "superseded": "revocation"}
SUPERSEDED = "superseded"


@dataclass(frozen=True, slots=True)
class IssueRequest:
    """What an issuer gives: the type, the subject (per the type's schema) and the parties."""

    document_type: str
    subject: dict[str, Any]
    holder: str | None = None
    parties: tuple[str, ...] = ()
    route_countries: tuple[str, ...] = ()
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    credential_id: str | None = None  # default: a fresh urn:uuid


@dataclass(frozen=True, slots=True)
class DocumentView:
    """A document as a party sees it, with its audit trail."""

    document: TransportDocument
    history: list[Any] = field(default_factory=list)


class DocumentService:
    """The document flow over a unit of work; adapters pass the authenticated ``Actor``."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        *,
        base_url: str,
        secret_key: str,
    ):
        self._uow_factory = uow_factory
        self._clock = clock
        self._base_url = base_url.rstrip("/")
        self._secret = secret_key
        self._audit_signing = AuditSigning.for_platform(base_url=base_url, secret_key=secret_key)

    # -- reads ---------------------------------------------------------------------------
    def list_for(self, actor: Actor) -> list[TransportDocument]:
        """The documents the actor's organisation is party to, newest issue first."""
        with self._uow_factory() as uow:
            documents = [d for d in uow.documents.list_all() if can_read(actor, d)]
        return sorted(documents, key=lambda d: d.versions[0].issued_at, reverse=True)

    def get_for(self, actor: Actor, document_id: str) -> TransportDocument:
        """The document; NotFoundError, or PermissionDeniedError for a non-party."""
        with self._uow_factory() as uow:
            document = uow.documents.get(document_id)
        require_can_read(actor, document)
        return document

    def find_by_credential_id(self, credential_id: str) -> TransportDocument | None:
        with self._uow_factory() as uow:
            return uow.documents.find_by_credential_id(credential_id)

    def status_list_credential(self, list_id: str) -> dict[str, Any]:
        """The signed BitstringStatusListCredential published under ``list_id``."""
        with self._uow_factory() as uow:
            status_list = uow.status_lists.get(list_id)
        if status_list.credential is None:
            raise NotFoundError(f"status list: {list_id!r} is not published yet", field="/list_id")
        return status_list.credential

    def status_list_url(self, list_id: str) -> str:
        return f"{self._base_url}/status-lists/{list_id}"

    def verification_url(self, credential_id: str) -> str:
        """The page a QR code leads to."""
        from urllib.parse import quote

        return f"{self._base_url}/verify?credential={quote(credential_id, safe='')}"

    # -- issue and amend -----------------------------------------------------------------
    def issue(self, actor: Actor, request: IssueRequest) -> TransportDocument:
        """Issue a new document as a signed credential; returns the stored document."""
        require_can_issue(actor, request.document_type)
        subject = vc.validate_subject(request.document_type, request.subject)
        negotiable = vc.is_negotiable(request.document_type, subject)
        with self._uow_factory() as uow:
            issuer = uow.organisations.get(actor.organisation.slug, for_update=True)
            now = self._clock.now()  # read under the issuer lock: after any key rotation
            parties = self._known_parties(uow, request.parties)
            holder: Organisation | None = None
            if negotiable:
                holder = uow.organisations.get(request.holder) if request.holder else issuer
            document_id = uuid.uuid4().hex
            version = self._sign_version(
                uow,
                issuer,
                document_type=request.document_type,
                subject=subject,
                number=1,
                previous=None,
                valid_from=request.valid_from or now,
                valid_until=request.valid_until,
                now=now,
                credential_id=request.credential_id,
            )
            endorsements: tuple[Endorsement, ...] = ()
            if negotiable and holder is not None:
                endorsements = (
                    self._endorse(
                        issuer,
                        None,
                        action=EndorsementAction.ISSUE,
                        document_id=document_id,
                        version=version,
                        to=holder,
                        now=now,
                    ),
                )
            document = TransportDocument(
                document_id=document_id,
                document_type=request.document_type,
                issuer=issuer.slug,
                status=DocumentStatus.ISSUED,
                negotiable=negotiable,
                versions=(version,),
                parties=frozenset(parties),
                route_countries=frozenset(c.upper() for c in request.route_countries),
                holder=holder.slug if holder else None,
                endorsements=endorsements,
            )
            uow.documents.add(document)
            record_action(
                uow,
                signing=self._audit_signing,
                at=now,
                actor=actor.label,
                organisation=issuer.slug,
                action="document.issue",
                document_id=document_id,
                document_digest=version.digest,
                detail=f"{request.document_type} {version.credential_id}",
            )
            uow.commit()
        return document

    def amend(
        self,
        actor: Actor,
        document_id: str,
        subject: dict[str, Any],
        *,
        valid_until: datetime | None = None,
    ) -> TransportDocument:
        """Issue a new version that supersedes the current one (issuer only)."""
        with self._uow_factory() as uow:
            document = uow.documents.get(document_id, for_update=True)
            require_can_act(actor, document, LifecycleAction.AMEND)
            next_status(document.status, LifecycleAction.AMEND, negotiable=document.negotiable)
            if document.document_type == vc.GENERIC_CREDENTIAL:
                raise InvalidTransitionError(
                    f"document {document_id}: a credential issued through the VC API has no "
                    "document type to amend; issue a new credential instead",
                    field="/document_id",
                )
            subject = vc.validate_subject(document.document_type, subject)
            issuer = uow.organisations.get(document.issuer, for_update=True)
            now = self._clock.now()
            previous = document.current
            version = self._sign_version(
                uow,
                issuer,
                document_type=document.document_type,
                subject=subject,
                number=previous.version + 1,
                previous=previous,
                valid_from=now,
                valid_until=valid_until,
                now=now,
            )
            endorsement = None
            if document.negotiable and document.holder is not None:
                holder = uow.organisations.get(document.holder)
                endorsement = self._endorse(
                    issuer,
                    document.endorsements[-1] if document.endorsements else None,
                    action=EndorsementAction.AMEND,
                    document_id=document_id,
                    version=version,
                    to=holder,
                    now=now,
                    from_org=holder,
                )
            amended = document.amended(version, endorsement)
            uow.documents.save(amended, expected_row_version=document.row_version)
            self._set_bit(uow, issuer, SUPERSEDED, previous.status_index, True, now)
            record_action(
                uow,
                signing=self._audit_signing,
                at=now,
                actor=actor.label,
                organisation=actor.organisation.slug,
                action="document.amend",
                document_id=document_id,
                document_digest=version.digest,
                detail=f"version {version.version} supersedes {previous.credential_id}",
            )
            uow.commit()
        return amended

    # -- the W3C VC API ------------------------------------------------------------------
    def issue_credential(
        self,
        actor: Actor,
        credential: dict[str, Any],
        *,
        reference: str | None = None,
        status_purposes: Iterable[str] = (),
    ) -> TransportDocument:
        """Sign a caller's credential that is none of our document types (W3C VC API issue).

        The actor's organisation is the issuer (``issuer`` is set when absent and must be its
        DID when given); ``validFrom`` defaults to now; for each of ``status_purposes``
        (``revocation``, ``suspension``) a BitstringStatusListEntry at a fresh index of the
        issuer's list is added. The credential is kept under ``reference`` (the VC API's
        ``credentialId``), else its ``id``, so its status can be updated later.

        Raises PermissionDeniedError (a viewer), InvalidValueError (another issuer, a purpose we
        do not publish, a context that is not bundled, a term no context defines),
        DocumentValidationError listing every data model problem, ConflictError (the
        reference is taken).
        """
        require_can_change(actor)
        purposes = list(dict.fromkeys(status_purposes))
        for purpose in purposes:
            if purpose not in ("revocation", "suspension"):
                raise InvalidValueError(
                    f"credentialStatus: statusPurpose {purpose!r} is not published here "
                    "(revocation or suspension)",
                    field="/options/credentialStatus/statusPurpose",
                )
        issuer_id = _issuer_of(credential)
        if "issuer" in credential and issuer_id != actor.organisation.did:
            raise InvalidValueError(
                f"issuer: {issuer_id!r} is not your organisation's DID {actor.organisation.did}",
                field="/issuer",
            )
        with self._uow_factory() as uow:
            issuer = uow.organisations.get(actor.organisation.slug, for_update=True)
            now = self._clock.now()  # read under the issuer lock: after any key rotation
            index = uow.status_lists.allocate_index(issuer.slug)
            entries = [
                vc.status_entry(
                    self.status_list_url(self._ensure_list(uow, issuer, purpose, now)),
                    index,
                    purpose,
                )
                for purpose in purposes
            ]
            completed = vc.complete_credential(
                credential, issuer=issuer.did, valid_from=now, status=entries
            )
            vc.require_well_formed(completed)
            private_key, method = signing_key_of(issuer, self._secret)
            signed = vc.sign_credential(
                completed, private_key=private_key, verification_method=method, created=now
            )
            own_id = signed.get("id")
            key = reference or (own_id if isinstance(own_id, str) else f"urn:uuid:{uuid.uuid4()}")
            version = DocumentVersion(
                credential_id=key,
                version=1,
                credential=signed,
                digest=digest_multibase(signed),
                issued_at=now,
                status_index=index,
                previous_credential_id=None,
            )
            document = TransportDocument(
                document_id=uuid.uuid4().hex,
                document_type=vc.GENERIC_CREDENTIAL,
                issuer=issuer.slug,
                status=DocumentStatus.ISSUED,
                negotiable=False,
                versions=(version,),
                parties=frozenset(),
                route_countries=frozenset(),
                holder=None,
                endorsements=(),
            )
            uow.documents.add(document)
            record_action(
                uow,
                signing=self._audit_signing,
                at=now,
                actor=actor.label,
                organisation=issuer.slug,
                action="credential.issue",
                document_id=document.document_id,
                document_digest=version.digest,
                detail=f"VC API credential {key}",
            )
            uow.commit()
        return document

    def update_credential_status(
        self, actor: Actor, credential_id: str, purpose: str, status: bool
    ) -> TransportDocument:
        """Set (``status`` true) or clear a credential's status bit (W3C VC API status update).

        Revocation set = revoke (permanent); suspension set = suspend, cleared = reinstate. Only
        the issuer may. Raises NotFoundError (no credential with that id), PermissionDeniedError,
        InvalidValueError (a purpose the credential has no entry for, clearing a revocation),
        InvalidTransitionError (already in that state, or a superseded version).
        """
        with self._uow_factory() as uow:
            document = uow.documents.find_by_credential_id(credential_id)
        if document is None or not can_read(actor, document):
            raise NotFoundError(
                f"credentialId: no credential {credential_id!r} was issued here",
                field="/credentialId",
            )
        action = {
            ("revocation", True): LifecycleAction.REVOKE,
            ("suspension", True): LifecycleAction.SUSPEND,
            ("suspension", False): LifecycleAction.REINSTATE,
        }.get((purpose, status))
        require_can_act(actor, document, action or LifecycleAction.REVOKE)
        if action is None:
            raise InvalidValueError(
                "credentialStatus/statusPurpose: revocation is permanent and cannot be cleared"
                if purpose == "revocation"
                else f"credentialStatus/statusPurpose: {purpose!r} is not revocation or suspension",
                field="/credentialStatus/statusPurpose",
            )
        if document.current.credential_id != credential_id:
            raise InvalidTransitionError(
                f"credentialId: {credential_id} was superseded by {document.current.credential_id}",
                field="/credentialId",
            )
        if document.document_type == vc.GENERIC_CREDENTIAL and not self._has_entry(
            document, purpose
        ):
            raise InvalidValueError(
                f"credentialStatus: {credential_id} was issued without a {purpose} status entry",
                field="/credentialStatus/statusPurpose",
            )
        return self._status_step(actor, document.document_id, action)

    def publish_status_list(self, actor: Actor, list_id: str) -> None:
        """Publish a status list now: nothing to do, since every change re-signs and stores
        the list at once; checked all the same (NotFoundError, PermissionDeniedError for
        another organisation's list) so the call means the same everywhere."""
        with self._uow_factory() as uow:
            status_list = uow.status_lists.get(list_id)
        require_can_change(actor)
        if status_list.issuer != actor.organisation.slug:
            raise PermissionDeniedError(
                f"status list {list_id} belongs to {status_list.issuer}, not "
                f"{actor.organisation.slug}",
                field="/list_id",
            )

    def _has_entry(self, document: TransportDocument, purpose: str) -> bool:
        entries = document.current.credential.get("credentialStatus") or []
        entries = entries if isinstance(entries, list) else [entries]
        url = self.status_list_url(f"{document.issuer}-{purpose}")
        return any(
            isinstance(entry, dict)
            and entry.get("statusPurpose") == purpose
            and entry.get("statusListCredential") == url
            for entry in entries
        )

    # -- status steps --------------------------------------------------------------------
    def suspend(self, actor: Actor, document_id: str) -> TransportDocument:
        return self._status_step(actor, document_id, LifecycleAction.SUSPEND)

    def reinstate(self, actor: Actor, document_id: str) -> TransportDocument:
        return self._status_step(actor, document_id, LifecycleAction.REINSTATE)

    def revoke(self, actor: Actor, document_id: str) -> TransportDocument:
        return self._status_step(actor, document_id, LifecycleAction.REVOKE)

    # -- title ---------------------------------------------------------------------------
    def transfer(
        self,
        actor: Actor,
        document_id: str,
        to: str,
        *,
        expected_row_version: int | None = None,
    ) -> TransportDocument:
        """Transfer title to organisation ``to``; only the current holder may.

        Raises InvalidTransitionError (not negotiable, surrendered, revoked ...),
        PermissionDeniedError (not the holder) or ConflictError (someone else changed the
        document first, or ``expected_row_version`` is stale).
        """
        return self._title_step(
            actor, document_id, EndorsementAction.TRANSFER, to, expected_row_version
        )

    def surrender(
        self, actor: Actor, document_id: str, *, expected_row_version: int | None = None
    ) -> TransportDocument:
        """Surrender the bill of lading to its issuer (the carrier); the document is then
        accomplished and nothing more can happen to it."""
        return self._title_step(
            actor, document_id, EndorsementAction.SURRENDER, None, expected_row_version
        )

    # -- helpers -------------------------------------------------------------------------
    def _status_step(
        self, actor: Actor, document_id: str, action: LifecycleAction
    ) -> TransportDocument:
        with self._uow_factory() as uow:
            document = uow.documents.get(document_id, for_update=True)
            require_can_act(actor, document, action)
            changed = document.apply(action)
            issuer = uow.organisations.get(document.issuer, for_update=True)
            now = self._clock.now()
            uow.documents.save(changed, expected_row_version=document.row_version)
            index = document.current.status_index
            if action is LifecycleAction.SUSPEND:
                self._set_bit(uow, issuer, "suspension", index, True, now)
            elif action is LifecycleAction.REINSTATE:
                self._set_bit(uow, issuer, "suspension", index, False, now)
            else:
                self._set_bit(uow, issuer, "revocation", index, True, now)
            record_action(
                uow,
                signing=self._audit_signing,
                at=now,
                actor=actor.label,
                organisation=actor.organisation.slug,
                action=f"document.{action.value}",
                document_id=document_id,
                document_digest=document.current.digest,
            )
            uow.commit()
        return changed

    def _title_step(
        self,
        actor: Actor,
        document_id: str,
        action: EndorsementAction,
        to: str | None,
        expected_row_version: int | None,
    ) -> TransportDocument:
        lifecycle = (
            LifecycleAction.SURRENDER
            if action is EndorsementAction.SURRENDER
            else LifecycleAction.TRANSFER
        )
        with self._uow_factory() as uow:
            document = uow.documents.get(document_id, for_update=True)
            require_can_act(actor, document, lifecycle)  # permission first, then state
            if expected_row_version is not None and expected_row_version != document.row_version:
                from transcaspian.domain.errors import ConflictError

                raise ConflictError(
                    f"document {document_id}: is at version {document.row_version}, "
                    f"not {expected_row_version}; reload it and try again",
                    field="/expected_row_version",
                    code="stale-document",
                )
            next_status(document.status, lifecycle, negotiable=document.negotiable)
            # The holder signs with its key (and a surrender sets the issuer's revocation bit):
            # take those organisations' locks, in a fixed order so two steps cannot deadlock.
            locked = {actor.organisation.slug}
            if action is EndorsementAction.SURRENDER:
                locked.add(document.issuer)
            found = {slug: uow.organisations.get(slug, for_update=True) for slug in sorted(locked)}
            holder = found[actor.organisation.slug]
            now = self._clock.now()
            issuer = found.get(document.issuer) or uow.organisations.get(document.issuer)
            if action is EndorsementAction.SURRENDER:
                target = issuer
            else:
                if to is None:
                    raise InvalidValueError("to: the new holder is missing", field="/to")
                target = uow.organisations.get(to)
                if target.slug == holder.slug:
                    raise InvalidValueError(f"to: {to!r} already holds the document", field="/to")
            endorsement = self._endorse(
                holder,
                document.endorsements[-1] if document.endorsements else None,
                action=action,
                document_id=document_id,
                version=document.current,
                to=target,
                now=now,
                digest=False,
            )
            changed = document.transferred(endorsement)
            uow.documents.save(changed, expected_row_version=document.row_version)
            if action is EndorsementAction.SURRENDER:
                self._set_bit(uow, issuer, "revocation", document.current.status_index, True, now)
            record_action(
                uow,
                signing=self._audit_signing,
                at=now,
                actor=actor.label,
                organisation=holder.slug,
                action=f"document.{lifecycle.value}",
                document_id=document_id,
                document_digest=endorsement.digest,
                detail=f"{holder.slug} -> {target.slug}",
            )
            uow.commit()
        return changed

    def _sign_version(
        self,
        uow: UnitOfWork,
        issuer: Organisation,
        *,
        document_type: str,
        subject: dict[str, Any],
        number: int,
        previous: DocumentVersion | None,
        valid_from: datetime,
        valid_until: datetime | None,
        now: datetime,
        credential_id: str | None = None,
    ) -> DocumentVersion:
        index = uow.status_lists.allocate_index(issuer.slug)
        entries = []
        for name, purpose in STATUS_LISTS.items():
            list_id = self._ensure_list(uow, issuer, name, now)
            entries.append(vc.status_entry(self.status_list_url(list_id), index, purpose))
        credential_id = credential_id or f"urn:uuid:{uuid.uuid4()}"
        credential = vc.build_credential(
            document_type,
            subject,
            issuer=issuer.did,
            credential_id=credential_id,
            valid_from=valid_from,
            valid_until=valid_until,
            status=entries,
        )
        if previous is not None:
            credential["relatedResource"] = [
                {"id": previous.credential_id, "digestMultibase": previous.digest}
            ]
        private_key, method = signing_key_of(issuer, self._secret)
        signed = vc.sign_credential(
            credential, private_key=private_key, verification_method=method, created=now
        )
        return DocumentVersion(
            credential_id=credential_id,
            version=number,
            credential=signed,
            digest=digest_multibase(signed),
            issued_at=now,
            status_index=index,
            previous_credential_id=previous.credential_id if previous else None,
        )

    def _endorse(
        self,
        signer: Organisation,
        previous: Endorsement | None,
        *,
        action: EndorsementAction,
        document_id: str,
        version: DocumentVersion,
        to: Organisation,
        now: datetime,
        from_org: Organisation | None = None,
        digest: bool = True,
    ) -> Endorsement:
        private_key, method = signing_key_of(signer, self._secret)
        source = from_org or signer
        signed = sign_endorsement(
            previous=previous,
            action=action,
            document_id=document_id,
            credential_id=version.credential_id,
            credential_digest=version.digest if digest else None,
            from_did=source.did,
            to_did=to.did,
            at=now,
            private_key=private_key,
            verification_method=method,
        )
        return Endorsement(signed=signed, from_party=source.slug, to_party=to.slug)

    def _ensure_list(self, uow: UnitOfWork, issuer: Organisation, name: str, now: datetime) -> str:
        list_id = f"{issuer.slug}-{name}"
        if uow.status_lists.find(list_id) is None:
            self._publish(uow, issuer, StatusList(list_id, issuer.slug, STATUS_LISTS[name]), now)
        return list_id

    def _set_bit(
        self,
        uow: UnitOfWork,
        issuer: Organisation,
        name: str,
        index: int,
        value: bool,
        now: datetime,
    ) -> None:
        # The caller holds the issuer lock (organisations.get(..., for_update=True)), so the
        # list read here is the latest committed one and no other writer can interleave.
        list_id = self._ensure_list(uow, issuer, name, now)
        current = uow.status_lists.get(list_id)
        indices = set(current.set_indices)
        if value:
            indices.add(index)
        else:
            indices.discard(index)
        self._publish(uow, issuer, replace(current, set_indices=frozenset(indices)), now)

    def _publish(
        self, uow: UnitOfWork, issuer: Organisation, status_list: StatusList, now: datetime
    ) -> None:
        private_key, method = signing_key_of(issuer, self._secret)
        credential = vc.status_list_credential(
            url=self.status_list_url(status_list.list_id),
            issuer=issuer.did,
            purpose=status_list.purpose,
            set_indices=status_list.set_indices,
            valid_from=now,
        )
        signed = vc.sign_credential(
            credential, private_key=private_key, verification_method=method, created=now
        )
        uow.status_lists.save(replace(status_list, credential=signed))

    @staticmethod
    def _known_parties(uow: UnitOfWork, parties: Iterable[str]) -> set[str]:
        found = set()
        for slug in parties:
            found.add(uow.organisations.get(slug).slug)
        return found


def _issuer_of(credential: dict[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None
