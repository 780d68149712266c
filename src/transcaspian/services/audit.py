"""Use cases of the audit log: append an action (inside the caller's unit of work), sign
checkpoints of its head, check the whole chain and its checkpoints, publish the latest one.

Every append signs a checkpoint of the new head in the same transaction (see
domain/documents/checkpoints.py), so rewriting any entry, even with every later hash recomputed,
contradicts a signature nobody without the platform secret can make again. The signing key is
the platform's own Ed25519 key (a ``did:key``, so anyone can check a checkpoint offline), made
on first use and sealed at rest under ``secret_key`` like the organisations' keys. A key is the
platform's only if it unseals with the secret into the stored public key: a key row written by
whoever has database access does not count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from transcaspian.domain.documents.audit import (
    AuditEntry,
    AuditHead,
    AuditReport,
    next_entry,
    verify_audit_chain,
)
from transcaspian.domain.documents.checkpoints import (
    Checkpoint,
    CheckpointError,
    check_checkpoint,
    check_stored_checkpoints,
    note_verifier_key,
    parse_checkpoint,
    sign_checkpoint,
)
from transcaspian.domain.documents.parties import SigningKey
from transcaspian.domain.documents.sealing import seal_private_key, unseal_private_key
from transcaspian.domain.errors import ConflictError, InvalidValueError, NotFoundError
from transcaspian.services.document_ports import StoredCheckpoint
from transcaspian.services.ports import Clock, UnitOfWork
from transcaspian.vc.keys import (
    did_key_verification_method,
    public_key_from_multibase,
    public_key_to_multibase,
)


@dataclass(frozen=True, slots=True)
class AuditSigning:
    """What signs the log's checkpoints: the secret that unseals the platform's key and the
    log's ``origin`` (its name in every checkpoint, e.g. ``corridor.example/audit``)."""

    secret_key: str
    origin: str

    @classmethod
    def for_platform(cls, *, base_url: str, secret_key: str) -> AuditSigning:
        """The signing of the platform served at ``base_url``: origin ``<host><path>/audit``."""
        parts = urlsplit(base_url)
        return cls(secret_key=secret_key, origin=f"{parts.netloc}{parts.path.rstrip('/')}/audit")


@dataclass(frozen=True, slots=True)
class PublishedCheckpoint:
    """A checkpoint with the public half of the key that signed it, as a third party needs it."""

    checkpoint: Checkpoint
    key: SigningKey

    @property
    def verification_method(self) -> str:
        return self.key.key_id

    @property
    def did(self) -> str:
        return self.key.key_id.partition("#")[0]

    @property
    def verifier_key(self) -> str:
        """The signed-note verifier key ``<origin>+<key ID>+<base64 key>``."""
        return note_verifier_key(
            self.checkpoint.origin, public_key_from_multibase(self.key.public_key_multibase)
        )


def record_action(
    uow: UnitOfWork,
    *,
    signing: AuditSigning,
    at: datetime,
    actor: str,
    organisation: str,
    action: str,
    document_id: str | None = None,
    document_digest: str | None = None,
    detail: str = "",
) -> AuditEntry:
    """Append one entry after the current head (locked until the unit of work ends) and sign a
    checkpoint of the new head."""
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
    _sign_head(uow, signing, entry, at)
    return entry


class AuditService:
    """Reads, checks and checkpoints the audit log."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], clock: Clock, signing: AuditSigning):
        self._uow_factory = uow_factory
        self._clock = clock
        self._signing = signing

    def verify(self, held: str | None = None) -> AuditReport:
        """Check every entry's hash and link, the stored head, every stored checkpoint (signed
        by the platform's key and consistent with the log) and, if given, a ``held`` checkpoint
        note: the log must extend it. Raises CheckpointError if ``held`` cannot be read."""
        held_checkpoint = None if held is None else parse_checkpoint(held)
        with self._uow_factory() as uow:
            head = uow.audit.head(for_update=True)  # no append lands between the reads below
            entries = uow.audit.entries()
            keys, key_problems = _platform_public_keys(
                uow.audit.platform_keys(), self._signing.secret_key
            )
            stored = uow.audit.checkpoints()
        report = verify_audit_chain(entries, head)
        problems = [
            *report.problems,
            *key_problems,
            *check_stored_checkpoints({c.size: c.note for c in stored}, entries, keys.values()),
        ]
        if held_checkpoint is not None:
            problem = check_checkpoint(
                held_checkpoint,
                entries,
                keys.values(),
                name=f"the held {held_checkpoint.label}",
            )
            if problem is not None:
                problems.append(problem)
        return replace(
            report,
            intact=not problems,
            problems=tuple(problems),
            checkpoints=len(stored),
            held=None if held_checkpoint is None else held_checkpoint.label,
        )

    def checkpoint(self) -> PublishedCheckpoint:
        """A checkpoint of the current head: the stored one if it covers the head, else a new
        one, signed now (a log older than checkpoints gets its first this way)."""
        with self._uow_factory() as uow:
            head = uow.audit.head(for_update=True)
            if head is None:
                raise NotFoundError("audit log: no entries yet, nothing to checkpoint")
            latest = uow.audit.latest_checkpoint()
            if latest is not None and latest.size >= head.sequence:
                published = self._published(uow, latest)
                if published.checkpoint.size > head.sequence or (
                    published.checkpoint.head_hash != head.entry_hash
                ):
                    raise _no_longer_extends(published.checkpoint, head.sequence)
                return published
            _sign_head(uow, self._signing, head, self._clock.now())
            published = self._published(uow, uow.audit.latest_checkpoint())
            uow.commit()
        return published

    def latest_checkpoint(self) -> PublishedCheckpoint:
        """The newest stored checkpoint with its key, after checking it is the platform's.

        NotFoundError when none is stored; ConflictError when the newest does not verify (it
        is never published then: run ``transcaspian audit verify``).
        """
        with self._uow_factory() as uow:
            return self._published(uow, uow.audit.latest_checkpoint())

    def entries(self, document_id: str | None = None) -> list[AuditEntry]:
        with self._uow_factory() as uow:
            if document_id is None:
                return uow.audit.entries()
            return uow.audit.for_document(document_id)

    def _published(self, uow: UnitOfWork, stored: StoredCheckpoint | None) -> PublishedCheckpoint:
        if stored is None:
            raise NotFoundError("audit log: no checkpoint has been signed yet")
        keys = {key.key_id: key for key in uow.audit.platform_keys()}
        genuine, _ = _platform_public_keys(keys.values(), self._signing.secret_key)
        checkpoint = _parse_stored(stored)
        public_key = genuine.get(stored.key_id)
        if public_key is None or not checkpoint.is_signed_by(public_key):
            raise ConflictError(
                f"audit log: the newest {checkpoint.label} does not verify with the platform's "
                "key; run `transcaspian audit verify`"
            )
        return PublishedCheckpoint(checkpoint=checkpoint, key=keys[stored.key_id])


def _sign_head(
    uow: UnitOfWork, signing: AuditSigning, head: AuditEntry | AuditHead, at: datetime
) -> None:
    """Sign and store the checkpoint of the log up to ``head``.

    Never one the log does not extend from the newest stored checkpoint (a log must not sign
    two inconsistent heads): if that checkpoint covers ``head`` already, or is of the entry
    just before an appended ``head`` but not of its ``previous_hash``, the log was truncated
    or rewritten, and ConflictError refuses the action.
    """
    size = head.sequence
    if (stored := uow.audit.latest_checkpoint()) is not None:
        latest = _parse_stored(stored)
        rewritten = (
            isinstance(head, AuditEntry)
            and latest.size == size - 1
            and latest.head_hash != head.previous_hash
        )
        if latest.size >= size or rewritten:
            raise _no_longer_extends(latest, size)
    private_key, key_id = _platform_signing_key(uow, signing, at)
    checkpoint = sign_checkpoint(
        origin=signing.origin, size=size, head_hash=head.entry_hash, at=at, private_key=private_key
    )
    uow.audit.add_checkpoint(StoredCheckpoint(size=size, key_id=key_id, note=checkpoint.note))


def _no_longer_extends(latest: Checkpoint, size: int) -> ConflictError:
    return ConflictError(
        f"audit log: the log up to entry {size} does not extend the {latest.label} (it was "
        "rewritten or truncated), so nothing more is signed; run `transcaspian audit verify`"
    )


def _parse_stored(stored: StoredCheckpoint) -> Checkpoint:
    try:
        return parse_checkpoint(stored.note)
    except CheckpointError as error:
        raise ConflictError(
            f"audit log: the newest stored checkpoint cannot be read ({error.message}); "
            "run `transcaspian audit verify`"
        ) from error


def _platform_signing_key(
    uow: UnitOfWork, signing: AuditSigning, now: datetime
) -> tuple[Ed25519PrivateKey, str]:
    """The platform's current key (made and stored on first use) and its key id."""
    current = [key for key in uow.audit.platform_keys() if key.retired_at is None]
    if current:
        key = current[-1]
        return (
            unseal_private_key(
                key.sealed_private_key, secret=signing.secret_key, bound_to=key.key_id
            ),
            key.key_id,
        )
    private_key = Ed25519PrivateKey.generate()
    key_id = did_key_verification_method(private_key.public_key())
    uow.audit.add_platform_key(
        SigningKey(
            key_id=key_id,
            public_key_multibase=public_key_to_multibase(private_key.public_key()),
            sealed_private_key=seal_private_key(
                private_key, secret=signing.secret_key, bound_to=key_id
            ),
            created_at=now,
        )
    )
    return private_key, key_id


def _platform_public_keys(
    keys: Iterable[SigningKey], secret: str
) -> tuple[dict[str, Ed25519PublicKey], list[str]]:
    """The public keys that are the platform's (they unseal with ``secret`` into the stored
    public key), by key id, and a problem for each stored key that is not."""
    genuine: dict[str, Ed25519PublicKey] = {}
    problems: list[str] = []
    for key in keys:
        try:
            private_key = unseal_private_key(
                key.sealed_private_key, secret=secret, bound_to=key.key_id
            )
            stored = public_key_from_multibase(key.public_key_multibase)
        except InvalidValueError:
            problems.append(
                f"platform key {key.key_id}: does not open with this secret_key "
                "(not made by this platform, or the secret was changed)"
            )
            continue
        if public_key_to_multibase(private_key.public_key()) != key.public_key_multibase:
            problems.append(
                f"platform key {key.key_id}: its stored public key is not the sealed key's "
                "(replaced)"
            )
            continue
        genuine[key.key_id] = stored
    return genuine, problems
