"""Title to a negotiable document: a hash-linked, signed endorsement chain.

Each entry records one step (ISSUE, TRANSFER, AMEND, SURRENDER) of the lineage ``documentId``. It
names the party handing over (``from``) and the one receiving (``to``) by DID, links to the previous
entry by its digest and is signed with Ed25519 over its canonical JSON by the party allowed to take
the step: the issuer (carrier) for ISSUE and AMEND, the current holder for TRANSFER and SURRENDER.
Anyone holding the chain and the parties' DID documents can check it; this module does so without
I/O, given a key lookup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from transcaspian.domain.documents.canonical import canonical_json, digest_multibase
from transcaspian.domain.documents.key_lookup import KeyLookup
from transcaspian.domain.errors import InvalidValueError

ENTRY_TYPE = "TitleEndorsement"


class EndorsementAction(StrEnum):
    ISSUE = "ISSUE"
    TRANSFER = "TRANSFER"
    AMEND = "AMEND"
    SURRENDER = "SURRENDER"


@dataclass(frozen=True, slots=True)
class Endorsement:
    """One signed entry of the chain; ``from_party``/``to_party`` are platform slugs (unsigned)."""

    signed: dict[str, Any]
    from_party: str
    to_party: str

    @property
    def sequence(self) -> int:
        return int(self.signed["sequence"])

    @property
    def action(self) -> EndorsementAction:
        return EndorsementAction(self.signed["action"])

    @property
    def at(self) -> datetime:
        return datetime.fromisoformat(self.signed["at"])

    @property
    def digest(self) -> str:
        return digest_multibase(self.signed)


def sign_endorsement(
    *,
    previous: Endorsement | None,
    action: EndorsementAction,
    document_id: str,
    credential_id: str,
    credential_digest: str | None,
    from_did: str,
    to_did: str,
    at: datetime,
    private_key: Ed25519PrivateKey,
    verification_method: str,
) -> dict[str, Any]:
    """A new signed entry following ``previous`` (None for the first, ISSUE, entry)."""
    payload: dict[str, Any] = {
        "type": ENTRY_TYPE,
        "sequence": 1 if previous is None else previous.sequence + 1,
        "action": action.value,
        "documentId": document_id,
        "credentialId": credential_id,
        "from": from_did,
        "to": to_did,
        "at": at.isoformat(),
    }
    if credential_digest is not None:
        payload["credentialDigest"] = credential_digest
    if previous is not None:
        payload["previousDigest"] = previous.digest
    signature = private_key.sign(canonical_json(payload))
    payload["proof"] = {
        "type": "Ed25519Signature2020Jcs",
        "verificationMethod": verification_method,
        "signatureValue": "z" + base58.b58encode(signature).decode("ascii"),
    }
    return payload


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The outcome of checking an endorsement chain against a credential."""

    valid: bool
    problems: tuple[str, ...] = field(default=())
    holder: str | None = None
    surrendered: bool = False
    steps: tuple[str, ...] = field(default=())


def verify_endorsement_chain(
    chain: list[dict[str, Any]], *, credential: dict[str, Any], lookup: KeyLookup
) -> ChainReport:
    """Check every rule of the chain for ``credential``; problems are plain sentences."""
    problems: list[str] = []
    steps: list[str] = []
    issuer = _issuer_of(credential)
    if not chain:
        return ChainReport(False, ("the endorsement chain is empty",))
    previous: dict[str, Any] | None = None
    holder: str | None = None
    surrendered = False
    latest_version: dict[str, Any] | None = None
    for position, entry in enumerate(chain, start=1):
        where = f"entry {position}"
        try:
            action = EndorsementAction(str(entry.get("action")))
        except ValueError:
            problems.append(f"{where}: unknown action {entry.get('action')!r}")
            break
        if entry.get("type") != ENTRY_TYPE or entry.get("sequence") != position:
            problems.append(f"{where}: has sequence {entry.get('sequence')!r}, expected {position}")
        if surrendered:
            problems.append(f"{where}: follows the surrender, after which nothing may happen")
        if previous is None:
            if action is not EndorsementAction.ISSUE:
                problems.append(f"{where}: the chain must start with ISSUE, not {action.value}")
            if "previousDigest" in entry:
                problems.append(f"{where}: the first entry must not link to a previous one")
        else:
            if entry.get("documentId") != previous.get("documentId"):
                problems.append(f"{where}: belongs to another document")
            if entry.get("previousDigest") != digest_multibase(previous):
                problems.append(
                    f"{where}: does not link to entry {position - 1} "
                    "(an entry was changed, inserted or removed)"
                )
            if action is EndorsementAction.ISSUE:
                problems.append(f"{where}: ISSUE may only be the first entry")
            if entry.get("from") != holder:
                problems.append(
                    f"{where}: is made from {entry.get('from')}, but the holder then was {holder}"
                )
            if _instant(entry) < _instant(previous):
                problems.append(f"{where}: is dated before entry {position - 1}")
        signer_expected = (
            issuer
            if action in {EndorsementAction.ISSUE, EndorsementAction.AMEND}
            else entry.get("from")
        )
        problems.extend(_signature_problems(entry, signer_expected, lookup, where))
        if action is EndorsementAction.ISSUE and entry.get("from") != issuer:
            problems.append(f"{where}: issued by {entry.get('from')}, not the issuer {issuer}")
        if action is EndorsementAction.SURRENDER:
            if entry.get("to") != issuer:
                problems.append(
                    f"{where}: surrendered to {entry.get('to')}, not the carrier {issuer}"
                )
            surrendered = True
        if action is EndorsementAction.AMEND and entry.get("to") != entry.get("from"):
            problems.append(f"{where}: an amendment must not change the holder")
        if action in {EndorsementAction.ISSUE, EndorsementAction.AMEND}:
            latest_version = entry
        holder = entry.get("to")
        steps.append(
            f"{action.value} {entry.get('from')} -> {entry.get('to')} at {entry.get('at')}"
        )
        previous = entry
    if latest_version is not None:
        if latest_version.get("credentialId") != credential.get("id"):
            problems.append(
                f"the chain's current version is {latest_version.get('credentialId')}, "
                f"not this credential {credential.get('id')}"
            )
        elif latest_version.get("credentialDigest") != digest_multibase(credential):
            problems.append("the credential differs from the one the chain was issued for")
    return ChainReport(
        valid=not problems,
        problems=tuple(problems),
        holder=holder,
        surrendered=surrendered,
        steps=tuple(steps),
    )


def _signature_problems(
    entry: dict[str, Any], signer_expected: Any, lookup: KeyLookup, where: str
) -> list[str]:
    proof = entry.get("proof")
    if not isinstance(proof, dict):
        return [f"{where}: is not signed"]
    method = str(proof.get("verificationMethod", ""))
    if method.split("#", maxsplit=1)[0] != signer_expected:
        return [f"{where}: is signed by {method}, but must be signed by {signer_expected}"]
    resolved = lookup(method)
    if resolved is None:
        return [f"{where}: the signing key {method} is unknown or not trusted"]
    payload = {k: v for k, v in entry.items() if k != "proof"}
    try:
        signature = base58.b58decode(str(proof.get("signatureValue", ""))[1:])
        resolved.public_key.verify(signature, canonical_json(payload))
    except (InvalidSignature, ValueError):
        return [f"{where}: the signature does not match its content (it was altered)"]
    time_problem = resolved.problem_at(_instant(entry))
    return [f"{where}: {time_problem}"] if time_problem else []


def _instant(entry: dict[str, Any]) -> datetime:
    try:
        return datetime.fromisoformat(str(entry.get("at")))
    except ValueError as error:
        raise InvalidValueError(
            f"at: {entry.get('at')!r} is not a timestamp", field="/at"
        ) from error


def _issuer_of(credential: dict[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None
