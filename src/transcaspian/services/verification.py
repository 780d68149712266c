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

The W3C VC API verifier (:func:`verify_credential`, :func:`verify_presentation`) runs the same
checks on any credential, not only our document types, after a ``dataModel`` check; a ``did:key``
issuer, which is not registered here, is resolved from the DID itself (self-certifying: the
signature proves who holds the key, not who that is), which is said in a warning. Our document
types still need a registered issuer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
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
from transcaspian.services.verification_cache import verify_status_list_proof
from transcaspian.vc.keys import (
    did_key_verification_method,
    public_key_from_multibase,
    resolve_did_key,
)

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
    warnings: tuple[str, ...] = ()
    counted: frozenset[str] | None = None  # the checks the verdict rests on; None: all

    @property
    def reasons(self) -> list[str]:
        return [
            f"{c.name}: {c.explanation}"
            for c in self.checks
            if c.outcome in {Outcome.FAILED, Outcome.UNKNOWN} and self.counts(c.name)
        ]

    def counts(self, name: str) -> bool:
        """Whether the verdict rests on the check ``name`` (all do, unless a caller chose)."""
        return self.counted is None or name in self.counted

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)


@dataclass(frozen=True, slots=True)
class TrustedIssuer:
    did: str
    name: str
    keys: dict[str, ResolvedKey]
    registered: bool = True  # False: a did:key resolved from itself, vouched for by nobody


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
    checks.append(_chain_check(credential) or _proof_check(proof))
    checks.append(
        _issuer_check(
            issuer_did,
            trusted,
            proof.verification_method,
            source.mode,
            document_type=vc.document_type_of(credential),
        )
    )
    checks.append(_key_check(used[-1] if used else None, proof.created))
    related = _related_resource_check(credential)
    if related is not None:
        checks.append(related)
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


def _related_resource_check(credential: dict[str, Any]) -> Check | None:
    """VC 2.0 ``relatedResource`` pins of the credential's own contexts, checked against the
    bundled bytes (None when the credential pins none)."""
    if "relatedResource" not in credential:
        return None
    problems = vc.related_resource_problems(credential)
    if problems:
        pointer, problem = problems[0]
        return Check(
            "related-resources",
            Outcome.FAILED,
            f"{pointer}: {problem}"
            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
        )
    return Check(
        "related-resources",
        Outcome.PASSED,
        "every context the credential pins in relatedResource matches its digest",
    )


def _chain_check(credential: dict[str, Any]) -> Check | None:
    """A proof chain (``previousProof``) is not verified here: refuse it rather than let each
    proof verify alone, which would accept a chain whose earlier proof is missing."""
    proofs = credential.get("proof")
    chained = [
        p
        for p in (proofs if isinstance(proofs, list) else [proofs])
        if isinstance(p, dict) and "previousProof" in p
    ]
    if not chained:
        return None
    return Check(
        "proof",
        Outcome.FAILED,
        f"a proof names previousProof {chained[0]['previousProof']!r}: proof chains are not "
        "supported here, so the chain is not verified",
    )


def _issuer_check(
    issuer: str | None,
    trusted: TrustedIssuer | None,
    method: str | None,
    mode: str,
    *,
    document_type: str | None = None,
) -> Check:
    if issuer is None:
        return Check("issuer", Outcome.FAILED, "the credential names no issuer")
    if method is not None and method.split("#")[0] != issuer:
        return Check(
            "issuer",
            Outcome.FAILED,
            f"the proof was made with {method}, a key that does not belong to the issuer "
            f"{issuer} (its controller is {method.split('#')[0]})",
        )
    if trusted is None:
        where = "on the offline trust list" if mode == "offline" else "registered on this platform"
        return Check("issuer", Outcome.FAILED, f"the issuer {issuer} is not {where}")
    if not trusted.registered:
        if document_type is not None:
            return Check(
                "issuer",
                Outcome.FAILED,
                f"a {document_type} document must be issued by an organisation registered "
                f"here; {issuer} is a did:key that nobody vouches for",
            )
        return Check(
            "issuer",
            Outcome.PASSED,
            f"issued by {issuer}, a did:key: the key is the issuer's own (self-certifying), but "
            "it is not registered here, so who holds it is not vouched for",
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
    # VC 1.1 names the period issuanceDate .. expirationDate
    for name in ("validFrom", "validUntil", "issuanceDate", "expirationDate"):
        value, moment = credential.get(name), _parse(credential.get(name))
        if value is not None and (moment is None or moment.tzinfo is None):
            explanation = f"/{name}: {value!r} is not a date and time with a time zone"
            return Check("validity", Outcome.FAILED, explanation)
    valid_from = _parse(credential.get("validFrom", credential.get("issuanceDate")))
    valid_until = _parse(credential.get("validUntil", credential.get("expirationDate")))
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
        if entry.get("type") != "BitstringStatusListEntry":
            failed = True
            findings.append(
                f"the status entry's type {entry.get('type')!r} is not BitstringStatusListEntry, "
                "so the status cannot be checked"
            )
            continue
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

    proof = verify_status_list_proof(listed, resolve)  # remembered per exact list and key
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

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        *,
        base_url: str,
        online: TrustSource | None = None,  # default: the store through units of work
    ):
        self._online = online or StoreTrustSource(uow_factory, base_url)
        self._clock = clock

    def verify(
        self, submitted: dict[str, Any], source: TrustSource | None = None
    ) -> VerificationReport:
        return verify_document(submitted, source or self._online, self._clock.now())

    def verify_credential(
        self, credential: dict[str, Any], *, checks: Iterable[str] | None = None
    ) -> VerificationReport:
        """The W3C VC API verifier: any credential; see :func:`verify_credential`."""
        return verify_credential(credential, self._online, self._clock.now(), checks=checks)

    def verify_presentation(
        self,
        presentation: dict[str, Any],
        *,
        challenge: str | None = None,
        domain: str | None = None,
        proof_purpose: str = "authentication",
        checks: Iterable[str] | None = None,
    ) -> PresentationReport:
        """The W3C VC API presentation verifier; see :func:`verify_presentation`."""
        return verify_presentation(
            presentation,
            self._online,
            self._clock.now(),
            challenge=challenge,
            domain=domain,
            proof_purpose=proof_purpose,
            checks=checks,
        )


# -- the W3C VC API verifier -----------------------------------------------------------------
# what callers may name in options.checks, mapped to our checks ("proof" includes the key's
# validity at signing time: a retired key's signature is not a valid proof)
CHECK_ALIASES: dict[str, tuple[str, ...]] = {
    "proof": ("proof", "key"),
    "issuer": ("issuer",),
    "credentialStatus": ("status", "supersession"),
    "status": ("status", "supersession"),
    "validity": ("validity",),
    "validFrom": ("validity",),
    "validUntil": ("validity",),
    "expiration": ("validity",),
    "title": ("title",),
}


@dataclass(frozen=True, slots=True)
class PresentationReport:
    """A presentation's own checks (data model, proof, challenge, domain, holder) and one
    report per credential in it; verified only when all are."""

    verified: bool
    checks: tuple[Check, ...]
    credentials: tuple[VerificationReport, ...]

    @property
    def reasons(self) -> list[str]:
        own = [
            f"{c.name}: {c.explanation}"
            for c in self.checks
            if c.outcome in {Outcome.FAILED, Outcome.UNKNOWN}
        ]
        return own + [
            f"verifiableCredential/{index}: {reason}"
            for index, report in enumerate(self.credentials)
            for reason in report.reasons
        ]


class SelfCertifyingTrustSource:
    """A trust source that also resolves ``did:key`` DIDs from the DID itself (marked not
    registered); everything else comes from ``inner``."""

    def __init__(self, inner: TrustSource):
        self._inner = inner
        self.mode = inner.mode

    def issuer(self, did: str) -> TrustedIssuer | None:
        found = self._inner.issuer(did)
        if found is not None or not did.startswith("did:key:"):
            return found
        try:
            public_key = resolve_did_key(did)
        except InvalidValueError:
            return None
        method = did_key_verification_method(public_key)
        key = ResolvedKey(
            verification_method=method, controller=did, public_key=public_key, assertion=True
        )
        return TrustedIssuer(did, did, {method: key}, registered=False)

    def status_list(self, url: str) -> StatusSnapshot | None:
        return self._inner.status_list(url)

    def endorsement_chain(self, credential_id: str) -> list[dict[str, Any]] | None:
        return self._inner.endorsement_chain(credential_id)

    def successor(self, credential_id: str) -> Successor | None:
        return self._inner.successor(credential_id)

    def holder_name(self, did: str) -> str | None:
        return self._inner.holder_name(did)


def verify_credential(
    credential: dict[str, Any],
    source: TrustSource,
    now: datetime,
    *,
    checks: Iterable[str] | None = None,
) -> VerificationReport:
    """Verify any credential as the W3C VC API does: ``dataModel`` first, then every check of
    :func:`verify_document`, with did:key issuers resolved from the DID.

    ``checks`` (the VC API's ``options.checks``: ``proof``, ``issuer``, ``credentialStatus``,
    ``validity`` ...) limits what the verdict rests on; every check is still reported. The data
    model check always counts. Raises InvalidValueError for a check name it does not know.
    """
    counted = _counted(checks)
    problems = vc.credential_problems(credential)
    if problems:
        shape = Check("dataModel", Outcome.FAILED, "; ".join(f"{p}: {m}" for p, m in problems))
    else:
        shape = Check("dataModel", Outcome.PASSED, "a well-formed verifiable credential")
    report = verify_document(credential, SelfCertifyingTrustSource(source), now)
    all_checks = (shape, *report.checks)
    warnings = []
    issuer = report.check("issuer")
    if issuer.outcome is Outcome.PASSED and "did:key" in issuer.explanation:
        warnings.append(f"issuer: {issuer.explanation}")
    if counted is not None:
        ignored = [c.name for c in report.checks if c.name not in counted]
        warnings.append(f"not requested, so not part of the verdict: {', '.join(ignored)}")
    verified = all(
        c.outcome in {Outcome.PASSED, Outcome.NOT_APPLICABLE}
        for c in all_checks
        if counted is None or c.name in counted
    )
    return replace(
        report, verified=verified, checks=all_checks, warnings=tuple(warnings), counted=counted
    )


def verify_presentation(
    presentation: dict[str, Any],
    source: TrustSource,
    now: datetime,
    *,
    challenge: str | None = None,
    domain: str | None = None,
    proof_purpose: str = "authentication",
    checks: Iterable[str] | None = None,
) -> PresentationReport:
    """Verify a presentation and every credential in it (W3C VC API).

    The presentation's proof is optional; when present it must hold under the holder's key
    with ``proof_purpose`` and, if given, the expected ``challenge`` and ``domain``. Enveloped
    (JOSE/COSE) credentials are not supported and fail.
    """
    own: list[Check] = []
    problems = vc.presentation_problems(presentation)
    own.append(
        Check("dataModel", Outcome.FAILED, "; ".join(f"{p}: {m}" for p, m in problems))
        if problems
        else Check("dataModel", Outcome.PASSED, "a well-formed verifiable presentation")
    )
    own.extend(_presentation_proof_checks(presentation, source, challenge, domain, proof_purpose))
    reports = []
    for item in _as_list(presentation.get("verifiableCredential")):
        if not isinstance(item, dict) or "EnvelopedVerifiableCredential" in _as_list(
            item.get("type")
        ):
            enveloped = Check(
                "proof",
                Outcome.FAILED,
                "enveloped (JOSE/COSE) credentials are not supported here; only embedded "
                "eddsa-rdfc-2022 proofs",
            )
            reports.append(VerificationReport(False, source.mode, (enveloped,), checked_at=now))
            continue
        reports.append(verify_credential(item, source, now, checks=checks))
    verified = all(c.outcome in {Outcome.PASSED, Outcome.NOT_APPLICABLE} for c in own) and all(
        r.verified for r in reports
    )
    return PresentationReport(verified, tuple(own), tuple(reports))


def _presentation_proof_checks(
    presentation: dict[str, Any],
    source: TrustSource,
    challenge: str | None,
    domain: str | None,
    proof_purpose: str,
) -> list[Check]:
    proof = presentation.get("proof")
    if proof is None:
        if challenge is not None or domain is not None:
            return [
                Check(
                    "proof",
                    Outcome.FAILED,
                    "a challenge or domain was expected, but the presentation is not signed",
                )
            ]
        return [
            Check(
                "proof",
                Outcome.NOT_APPLICABLE,
                "the presentation is not signed (allowed); its credentials were verified",
            )
        ]
    resolver = SelfCertifyingTrustSource(source)

    def resolve(method: str) -> Ed25519PublicKey:
        controller = method.split("#", maxsplit=1)[0]
        owner = resolver.issuer(controller)
        key = owner.keys.get(method) if owner else None
        if key is None:
            raise InvalidValueError(f"{method} is not a key of a known DID")
        return key.public_key

    result = vc.verify_proof(presentation, resolve, proof_purpose=proof_purpose)
    found: list[Check] = [_proof_check(result)]
    proofs = proof if isinstance(proof, list) else [proof]
    for name, expected in (("challenge", challenge), ("domain", domain)):
        if expected is None:
            continue
        given = [p.get(name) for p in proofs if isinstance(p, dict)]
        if expected in given:
            found.append(Check(name, Outcome.PASSED, f"the proof carries the expected {name}"))
        else:
            found.append(
                Check(name, Outcome.FAILED, f"the proof's {name} {given} is not {expected!r}")
            )
    holder = presentation.get("holder")
    holder_id = holder.get("id") if isinstance(holder, dict) else holder
    if isinstance(holder_id, str) and result.verification_method:
        controller = result.verification_method.split("#", maxsplit=1)[0]
        found.append(
            Check("holder", Outcome.PASSED, f"signed by the holder {holder_id}")
            if controller == holder_id
            else Check(
                "holder",
                Outcome.FAILED,
                f"signed with a key of {controller}, not of the holder {holder_id}",
            )
        )
    return found


def _counted(checks: Iterable[str] | None) -> frozenset[str] | None:
    if checks is None:
        return None
    counted = {"dataModel"}
    for name in checks:
        if name not in CHECK_ALIASES:
            raise InvalidValueError(
                f"options.checks: {name!r} is not one of {', '.join(sorted(CHECK_ALIASES))}",
                field="/options/checks",
            )
        counted.update(CHECK_ALIASES[name])
    return frozenset(counted)


def _as_list(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
