"""Verify a document (a credential, or a bundle with its endorsement chain) and explain why.

Checks, in order, each with a plain-words explanation:

1. ``proof``: the eddsa-rdfc-2022 signature matches the content (nothing changed since signing);
2. ``issuer``: the issuer's DID is known (registered here, or on the offline trust list) and the
   signing key belongs to it;
3. ``key``: the key was valid when the proof was made (not retired or revoked before);
4. ``validity``: now is within validFrom .. validUntil;
5. ``status``: the revocation and suspension bits in the issuer's signed status lists;
6. ``supersession``: whether a newer version replaced this one;
7. ``title``: for a negotiable bill of lading, the endorsement chain and who holds title.

The overall verdict is positive only when every check passed (or did not apply). Where the facts
come from is a ``TrustSource``: the platform's store (online) or a trust list file and a status
list cache (offline; the cache's age is shown).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import unquote

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from transcaspian.domain.documents.key_lookup import ResolvedKey
from transcaspian.domain.documents.title import verify_endorsement_chain
from transcaspian.domain.errors import InvalidValueError
from transcaspian.services import credentials_gateway as vc
from transcaspian.services.organisations import resolved_keys_of
from transcaspian.services.ports import Clock, UnitOfWork
from transcaspian.vc.keys import public_key_from_multibase

SUPERSEDED_SUFFIX = "-superseded"


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    UNKNOWN = "unknown"  # could not be determined (e.g. offline without the data)
    NOT_APPLICABLE = "not-applicable"


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    outcome: Outcome
    explanation: str


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """All checks and the verdict; ``reasons`` lists the failed checks' explanations."""

    verified: bool
    mode: str
    checks: tuple[Check, ...]
    credential_id: str | None = None
    issuer: str | None = None
    issuer_name: str | None = None
    holder: str | None = None
    checked_at: datetime | None = None

    @property
    def reasons(self) -> list[str]:
        return [
            f"{c.name}: {c.explanation}"
            for c in self.checks
            if c.outcome in {Outcome.FAILED, Outcome.UNKNOWN}
        ]

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)


@dataclass(frozen=True, slots=True)
class TrustedIssuer:
    did: str
    name: str
    keys: dict[str, ResolvedKey]


@dataclass(frozen=True, slots=True)
class StatusSnapshot:
    """A status list credential and how old our copy is (None: read live)."""

    credential: dict[str, Any]
    age: timedelta | None = None
    origin: str = "published by the platform"


@dataclass(frozen=True, slots=True)
class Successor:
    credential_id: str
    version: int


class TrustSource(Protocol):
    mode: str

    def issuer(self, did: str) -> TrustedIssuer | None: ...

    def status_list(self, url: str) -> StatusSnapshot | None: ...

    def endorsement_chain(self, credential_id: str) -> list[dict[str, Any]] | None: ...

    def successor(self, credential_id: str) -> Successor | None: ...

    def holder_name(self, did: str) -> str | None: ...


def verify_document(
    submitted: dict[str, Any], source: TrustSource, now: datetime
) -> VerificationReport:
    """Run every check on a credential or ``{"verifiableCredential": ..., "endorsementChain":
    [...]}``; never raises for a bad document (the report says what is wrong)."""
    credential, chain = _unwrap(submitted)
    checks: list[Check] = []
    issuer_did = _issuer_of(credential)
    trusted = source.issuer(issuer_did) if issuer_did else None
    used: list[ResolvedKey] = []

    def resolve(method: str) -> Ed25519PublicKey:
        controller = method.split("#", maxsplit=1)[0]
        owner = trusted if trusted and trusted.did == controller else source.issuer(controller)
        if owner is None:
            raise InvalidValueError(f"the DID {controller} is not a known or trusted issuer")
        key = owner.keys.get(method)
        if key is None:
            raise InvalidValueError(f"{method} is not a key in the DID document of {controller}")
        used.append(key)
        return key.public_key

    proof = vc.verify_proof(credential, resolve)
    checks.append(_proof_check(proof))
    checks.append(_issuer_check(issuer_did, trusted, proof.verification_method, source.mode))
    checks.append(_key_check(used[-1] if used else None, proof.created))
    checks.append(_validity_check(credential, now))
    status_checks, superseded = _status_checks(credential, trusted, source, used)
    checks.extend(status_checks)
    checks.append(_supersession_check(credential, superseded, source))
    title_check, holder = _title_check(credential, chain, source)
    checks.append(title_check)
    verified = all(c.outcome in {Outcome.PASSED, Outcome.NOT_APPLICABLE} for c in checks)
    return VerificationReport(
        verified=verified,
        mode=source.mode,
        checks=tuple(checks),
        credential_id=credential.get("id") if isinstance(credential.get("id"), str) else None,
        issuer=issuer_did,
        issuer_name=trusted.name if trusted else None,
        holder=holder,
        checked_at=now,
    )


# -- the checks -----------------------------------------------------------------------------
def _proof_check(proof: vc.ProofResult) -> Check:
    if proof.verified:
        return Check(
            "proof",
            Outcome.PASSED,
            f"the signature by {proof.verification_method} matches the content: nothing was "
            "changed after signing",
        )
    return Check(
        "proof",
        Outcome.FAILED,
        f"the signature does not hold: {proof.problem or 'unknown problem'} "
        "(the document was altered, or it was not signed by this key)",
    )


def _issuer_check(
    issuer: str | None, trusted: TrustedIssuer | None, method: str | None, mode: str
) -> Check:
    if issuer is None:
        return Check("issuer", Outcome.FAILED, "the credential names no issuer")
    if trusted is None:
        where = "on the offline trust list" if mode == "offline" else "registered on this platform"
        return Check("issuer", Outcome.FAILED, f"the issuer {issuer} is not {where}")
    if method is not None and method.split("#")[0] != issuer:
        return Check(
            "issuer",
            Outcome.FAILED,
            f"the proof was made with {method}, a key that does not belong to the issuer {issuer}",
        )
    return Check("issuer", Outcome.PASSED, f"issued by {trusted.name} ({issuer}), a known issuer")


def _key_check(key: ResolvedKey | None, created: datetime | None) -> Check:
    if key is None:
        return Check("key", Outcome.FAILED, "the signing key could not be found")
    if created is None:
        return Check("key", Outcome.FAILED, "the proof carries no creation time")
    if not key.assertion:
        return Check("key", Outcome.FAILED, f"{key.verification_method} may not sign credentials")
    problem = key.problem_at(created)
    if problem:
        return Check("key", Outcome.FAILED, problem + " — a signature made after retirement")
    when = f"retired at {key.revoked.isoformat()}" if key.revoked else "still current"
    return Check(
        "key",
        Outcome.PASSED,
        f"the key was valid when the proof was made ({created.isoformat()}; key {when})",
    )


def _validity_check(credential: dict[str, Any], now: datetime) -> Check:
    valid_from = _parse(credential.get("validFrom"))
    valid_until = _parse(credential.get("validUntil"))
    if valid_from is not None and now < valid_from:
        return Check("validity", Outcome.FAILED, f"not valid before {valid_from.isoformat()}")
    if valid_until is not None and now > valid_until:
        return Check("validity", Outcome.FAILED, f"expired at {valid_until.isoformat()}")
    span = f"from {valid_from.isoformat() if valid_from else 'issue'}"
    span += f" until {valid_until.isoformat()}" if valid_until else " with no end date"
    return Check("validity", Outcome.PASSED, f"within its validity period ({span})")


def _status_checks(
    credential: dict[str, Any],
    trusted: TrustedIssuer | None,
    source: TrustSource,
    used: list[ResolvedKey],
) -> tuple[list[Check], bool | None]:
    entries = credential.get("credentialStatus") or []
    if isinstance(entries, dict):
        entries = [entries]
    entries = [e for e in entries if isinstance(e, dict)]
    if not entries:
        return [Check("status", Outcome.NOT_APPLICABLE, "the credential has no status entry")], None
    findings: list[str] = []
    unknown: list[str] = []
    ages: list[str] = []
    failed = False
    superseded: bool | None = None
    for entry in entries:
        purpose = str(entry.get("statusPurpose"))
        is_supersession = str(entry.get("statusListCredential", "")).endswith(SUPERSEDED_SUFFIX)
        name = "supersession" if is_supersession else purpose
        outcome = _read_bit(entry, trusted, source)
        if isinstance(outcome, str):
            if is_supersession:
                superseded = None
            else:
                unknown.append(f"{name}: {outcome}")
            continue
        bit, snapshot = outcome
        if snapshot.age is not None:
            ages.append(f"{name} list {snapshot.origin}, {_age_words(snapshot.age)} old")
        if is_supersession:
            superseded = bit
        elif bit:
            failed = True
            findings.append(
                "revoked by the issuer"
                if purpose == "revocation"
                else "suspended by the issuer (it may be reinstated)"
            )
    age_note = f" [{'; '.join(ages)}]" if ages else ""
    if failed:
        return [Check("status", Outcome.FAILED, "; ".join(findings) + age_note)], superseded
    if unknown:
        return [Check("status", Outcome.UNKNOWN, "; ".join(unknown) + age_note)], superseded
    return [Check("status", Outcome.PASSED, "neither revoked nor suspended" + age_note)], superseded


def _read_bit(
    entry: dict[str, Any], trusted: TrustedIssuer | None, source: TrustSource
) -> tuple[bool, StatusSnapshot] | str:
    url = str(entry.get("statusListCredential", ""))
    snapshot = source.status_list(url)
    if snapshot is None:
        return f"the status list {url} is not available" + (
            " in the offline cache" if source.mode == "offline" else ""
        )
    listed = snapshot.credential
    if trusted is None or _issuer_of(listed) != trusted.did:
        return "the status list is not published by the credential's issuer"

    def resolve(method: str) -> Ed25519PublicKey:
        key = trusted.keys.get(method)
        if key is None:
            raise InvalidValueError(f"{method} is not a key of {trusted.did}")
        return key.public_key

    proof = vc.verify_proof(listed, resolve)
    if not proof.verified:
        return f"the status list's signature does not hold ({proof.problem})"
    try:
        return vc.is_set(listed, int(entry.get("statusListIndex", "-1"))), snapshot
    except (ValueError, LookupError, InvalidValueError) as error:
        return f"the status list cannot be read ({error})"


def _supersession_check(
    credential: dict[str, Any], superseded: bool | None, source: TrustSource
) -> Check:
    credential_id = str(credential.get("id", ""))
    successor = source.successor(credential_id) if credential_id else None
    if superseded or successor is not None:
        newer = f" by version {successor.version} ({successor.credential_id})" if successor else ""
        return Check(
            "supersession",
            Outcome.FAILED,
            f"superseded{newer}: an amended version replaced this one",
        )
    if superseded is None:
        return Check(
            "supersession",
            Outcome.UNKNOWN if source.mode == "offline" else Outcome.PASSED,
            "no newer version is known"
            if source.mode != "offline"
            else "no supersession list in the cache",
        )
    previous = credential.get("relatedResource") or []
    note = ""
    if previous:
        note = f"; it amends {previous[0].get('id')} (digest {previous[0].get('digestMultibase')})"
    return Check("supersession", Outcome.PASSED, "this is the current version" + note)


def _title_check(
    credential: dict[str, Any], chain: list[dict[str, Any]] | None, source: TrustSource
) -> tuple[Check, str | None]:
    credential_id = str(credential.get("id", ""))
    if chain is None and credential_id:
        chain = source.endorsement_chain(credential_id)
    subject = credential.get("credentialSubject")
    claims_title = isinstance(subject, dict) and subject.get("isToOrder") is True
    if chain is None:
        if claims_title:
            return Check(
                "title",
                Outcome.UNKNOWN,
                "a negotiable bill of lading, but its endorsement chain was not supplied, so "
                "who holds title is unknown",
            ), None
        return Check("title", Outcome.NOT_APPLICABLE, "not a title document"), None

    def lookup(method: str) -> ResolvedKey | None:
        owner = source.issuer(method.split("#", maxsplit=1)[0])
        return None if owner is None else owner.keys.get(method)

    report = verify_endorsement_chain(chain, credential=credential, lookup=lookup)
    holder = report.holder
    name = source.holder_name(holder) if holder else None
    shown = f"{name} ({holder})" if name else str(holder)
    if not report.valid:
        return Check("title", Outcome.FAILED, "; ".join(report.problems)), holder
    if report.surrendered:
        return Check(
            "title",
            Outcome.FAILED,
            f"surrendered to the carrier {shown}: the bill of lading is accomplished and no "
            f"longer transfers title ({len(chain)} signed steps)",
        ), holder
    return Check(
        "title",
        Outcome.PASSED,
        f"held by {shown}; {len(chain)} signed, linked endorsement(s), each by the holder of the "
        "time",
    ), holder


# -- trust sources --------------------------------------------------------------------------
class StoreTrustSource:
    """Online: issuers, status lists and chains as stored on this platform."""

    mode = "online"

    def __init__(self, uow_factory: Callable[[], UnitOfWork], base_url: str):
        self._uow_factory = uow_factory
        self._prefix = base_url.rstrip("/") + "/status-lists/"

    def issuer(self, did: str) -> TrustedIssuer | None:
        with self._uow_factory() as uow:
            organisation = uow.organisations.find_by_did(did)
        if organisation is None:
            return None
        return TrustedIssuer(did, organisation.name, resolved_keys_of(organisation))

    def status_list(self, url: str) -> StatusSnapshot | None:
        if not url.startswith(self._prefix):
            return None
        with self._uow_factory() as uow:
            found = uow.status_lists.find(url[len(self._prefix) :])
        if found is None or found.credential is None:
            return None
        return StatusSnapshot(found.credential)

    def endorsement_chain(self, credential_id: str) -> list[dict[str, Any]] | None:
        with self._uow_factory() as uow:
            document = uow.documents.find_by_credential_id(credential_id)
        if document is None or not document.negotiable:
            return None
        return [e.signed for e in document.endorsements]

    def successor(self, credential_id: str) -> Successor | None:
        with self._uow_factory() as uow:
            document = uow.documents.find_by_credential_id(credential_id)
        if document is None:
            return None
        for version in document.versions:
            if version.previous_credential_id == credential_id:
                return Successor(version.credential_id, version.version)
        return None

    def holder_name(self, did: str) -> str | None:
        with self._uow_factory() as uow:
            organisation = uow.organisations.find_by_did(did)
        return organisation.name if organisation else None


class OfflineTrustSource:
    """Offline: a trust list of issuers (with their DID documents) and cached status lists.

    Trust list: ``{"issuers": [{"did", "name", "didDocument"}]}``. ``status_cache`` maps a
    status list URL to (credential, when it was fetched); ``now`` dates the cache.
    """

    mode = "offline"

    def __init__(
        self,
        trust_list: dict[str, Any],
        status_cache: dict[str, tuple[dict[str, Any], datetime]],
        now: datetime,
    ):
        self._issuers: dict[str, TrustedIssuer] = {}
        for item in trust_list.get("issuers", []):
            did = str(item.get("did"))
            document = item.get("didDocument") or {}
            self._issuers[did] = TrustedIssuer(did, str(item.get("name", did)), _keys_of(document))
        self._cache = status_cache
        self._now = now

    def issuer(self, did: str) -> TrustedIssuer | None:
        return self._issuers.get(did)

    def status_list(self, url: str) -> StatusSnapshot | None:
        cached = self._cache.get(url)
        if cached is None:
            return None
        credential, fetched_at = cached
        return StatusSnapshot(
            credential, age=self._now - fetched_at, origin=f"cached at {fetched_at.isoformat()}"
        )

    def endorsement_chain(self, credential_id: str) -> list[dict[str, Any]] | None:
        return None

    def successor(self, credential_id: str) -> Successor | None:
        return None

    def holder_name(self, did: str) -> str | None:
        issuer = self._issuers.get(did)
        return issuer.name if issuer else None


def _keys_of(document: dict[str, Any]) -> dict[str, ResolvedKey]:
    assertion = {
        m if isinstance(m, str) else m.get("id") for m in document.get("assertionMethod", [])
    }
    keys = {}
    for method in document.get("verificationMethod", []):
        try:
            public = public_key_from_multibase(method.get("publicKeyMultibase", ""))
        except InvalidValueError:
            continue
        keys[method["id"]] = ResolvedKey(
            verification_method=method["id"],
            controller=str(method.get("controller", document.get("id"))),
            public_key=public,
            assertion=method["id"] in assertion,
            revoked=_parse(method.get("revoked")),
        )
    return keys


def did_web_path(did: str) -> str | None:
    """The local path (``orgs/<slug>``) of one of our did:web DIDs, or None."""
    if not did.startswith("did:web:"):
        return None
    parts = [unquote(p) for p in did[len("did:web:") :].split(":")[1:]]
    return "/".join(parts) if parts else None


def _unwrap(submitted: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    if "verifiableCredential" in submitted and isinstance(submitted["verifiableCredential"], dict):
        chain = submitted.get("endorsementChain")
        return submitted["verifiableCredential"], chain if isinstance(chain, list) else None
    return submitted, None


def _issuer_of(credential: dict[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def _parse(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _age_words(age: timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    return f"{hours // 24} days"


class DocumentVerifier:
    """Verifies against this platform's store, or offline against a given trust source."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], clock: Clock, *, base_url: str):
        self._online = StoreTrustSource(uow_factory, base_url)
        self._clock = clock

    def verify(
        self, submitted: dict[str, Any], source: TrustSource | None = None
    ) -> VerificationReport:
        return verify_document(submitted, source or self._online, self._clock.now())
