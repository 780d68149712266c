"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C vc-di-eddsa 1.0).

Signing (§3.2 of the cryptosuite spec):

1. the proof configuration is the proof without ``proofValue``, with the document's
   ``@context``;
2. both the document (without ``proof``) and the proof configuration are canonicalized with
   RDFC-1.0 into N-Quads;
3. the data signed is SHA-256(proof configuration) ‖ SHA-256(document), 64 bytes;
4. Ed25519 signs it; ``proofValue`` is multibase base58btc (``z…``) of the 64-byte signature.

Verification repeats steps 1–3 and checks the signature. It is an *outcome*:
:func:`verify_proof` returns a :class:`ProofResult` whose ``problem`` says in plain words what
is wrong, and never raises for a bad document.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from transcaspian.domain.errors import DomainError, InvalidValueError
from transcaspian.vc.contexts import UnknownContextError
from transcaspian.vc.keys import decode_multibase_base58, encode_multibase_base58
from transcaspian.vc.rdf import to_quads
from transcaspian.vc.rdfc import CanonicalizationLimitError, canonical_nquads

__all__ = [
    "CRYPTOSUITE",
    "PROOF_TYPE",
    "ProofResult",
    "canonical_document",
    "canonical_proof_configuration",
    "format_datetime",
    "hash_data",
    "sign_credential",
    "verify_proof",
]

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
_SIGNATURE_BYTES = 64


@dataclass(frozen=True, slots=True)
class ProofResult:
    """What checking one embedded proof found.

    ``verified`` is True only when the signature matches the canonical document under the
    key ``resolve_key`` returned for ``verification_method``; ``problem`` is a plain-words
    reason when it is False. Whether the key belongs to the issuer, the document is current
    or revoked are separate checks (the platform's verifier does them).
    """

    verified: bool
    verification_method: str | None
    created: datetime | None
    problem: str | None = None


def sign_credential(
    credential: Mapping[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """A copy of ``credential`` with an embedded ``eddsa-rdfc-2022`` DataIntegrityProof.

    ``created`` must be timezone-aware (written in UTC with ``Z``). Raises InvalidValueError
    if the credential already has a proof, has no ``@context``, names a context that is not
    bundled, or uses a term no context defines (it would be left out of the signature).
    """
    if "proof" in credential:
        raise InvalidValueError("proof: the credential is already signed", field="/proof")
    if "@context" not in credential:
        raise InvalidValueError("@context: the credential has no @context", field="/@context")
    if not verification_method:
        raise InvalidValueError(
            "verificationMethod: a verification method URL is required",
            field="/proof/verificationMethod",
        )
    document = copy.deepcopy(dict(credential))
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": format_datetime(created, field="/proof/created"),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    document_nquads = canonical_document(document, strict=True)
    config_nquads = canonical_proof_configuration(proof, document["@context"], strict=True)
    signature = private_key.sign(hash_data(config_nquads, document_nquads))
    proof["proofValue"] = encode_multibase_base58(signature)
    document["proof"] = proof
    return document


def verify_proof(
    document: Mapping[str, Any],
    *,
    resolve_key: Callable[[str], Ed25519PublicKey],
    proof_purpose: str = "assertionMethod",
) -> ProofResult:
    """Check the embedded ``eddsa-rdfc-2022`` proof of a secured document.

    ``resolve_key`` maps the proof's ``verificationMethod`` URL to its public key and raises
    (any DomainError, ValueError or LookupError) when it cannot. A proof set (a list of
    proofs) verifies only if every proof does; the first failure is reported.
    """
    proofs = document.get("proof") if isinstance(document, Mapping) else None
    if proofs is None:
        return ProofResult(False, None, None, "the document has no proof")
    if isinstance(proofs, list):
        if not proofs:
            return ProofResult(False, None, None, "the document has an empty proof set")
        results = [
            _verify_one(document, proof, resolve_key, proof_purpose, f"/proof/{index}")
            for index, proof in enumerate(proofs)
        ]
        failed = [result for result in results if not result.verified]
        return failed[0] if failed else results[0]
    return _verify_one(document, proofs, resolve_key, proof_purpose, "/proof")


def canonical_document(document: Mapping[str, Any], *, strict: bool = False) -> str:
    """Canonical N-Quads (RDFC-1.0) of a document without its ``proof``.

    With ``strict``, raises InvalidValueError naming every member that JSON-LD would drop
    (:mod:`transcaspian.vc.safe_mode`: an undefined or null-mapped term, a keyword-like key,
    a relative IRI), since the signature would not cover it. Raises UnknownContextError for a
    context that is not bundled.
    """
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    dataset = to_quads(unsecured)
    if strict and dataset.dropped:
        raise _unsigned_error(dataset.dropped)
    return canonical_nquads(dataset.quads)


def canonical_proof_configuration(
    proof: Mapping[str, Any], context: Any, *, strict: bool = False, pointer: str = "/proof"
) -> str:
    """Canonical N-Quads of a proof's configuration: without ``proofValue``, with ``context``.

    With ``strict``, raises InvalidValueError naming (under ``pointer``) every proof option
    JSON-LD would drop.
    """
    config = {key: value for key, value in proof.items() if key not in ("proofValue", "@context")}
    config = {"@context": context, **config}
    dataset = to_quads(config)
    if strict and dataset.dropped:
        raise _unsigned_error([pointer + dropped for dropped in dataset.dropped])
    return canonical_nquads(dataset.quads)


def unsigned_members_message(pointers: list[str]) -> str:
    """Plain words for members a signature cannot cover."""
    return (
        f"{pointers[0]}: JSON-LD drops this member (no context defines the term, a context maps "
        "it to null, it is not a keyword, or it is not an absolute IRI), so a signature cannot "
        f"cover it; not covered: {', '.join(pointers)}"
    )


def _unsigned_error(pointers: list[str]) -> InvalidValueError:
    return InvalidValueError(unsigned_members_message(pointers), field=pointers[0])


def hash_data(proof_config_nquads: str, document_nquads: str) -> bytes:
    """SHA-256 of the proof configuration followed by SHA-256 of the document (64 bytes)."""
    return (
        hashlib.sha256(proof_config_nquads.encode("utf-8")).digest()
        + hashlib.sha256(document_nquads.encode("utf-8")).digest()
    )


def format_datetime(moment: datetime, *, field: str = "created") -> str:
    """An XML Schema dateTimeStamp in UTC with ``Z``: ``2026-05-01T08:30:00Z``.

    Raises InvalidValueError for a naive datetime (the time zone is mandatory).
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidValueError(
            f"{field}: {moment.isoformat()} has no time zone; dateTimeStamp needs one",
            field=field,
        )
    text = moment.astimezone(UTC).replace(tzinfo=None).isoformat()
    return text + "Z"


def parse_datetime(text: object) -> datetime | None:
    """A dateTimeStamp as an aware datetime, or None if it is not one."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment


def _verify_one(
    document: Mapping[str, Any],
    proof: object,
    resolve_key: Callable[[str], Ed25519PublicKey],
    proof_purpose: str,
    where: str,
) -> ProofResult:
    if not isinstance(proof, Mapping):
        return ProofResult(False, None, None, "the proof is not an object")
    method = proof.get("verificationMethod")
    method = method if isinstance(method, str) and method else None
    created = parse_datetime(proof.get("created"))

    def failed(problem: str) -> ProofResult:
        return ProofResult(False, method, created, problem)

    if proof.get("type") != PROOF_TYPE:
        return failed(f"the proof type {proof.get('type')!r} is not {PROOF_TYPE}")
    if proof.get("cryptosuite") != CRYPTOSUITE:
        return failed(f"the cryptosuite {proof.get('cryptosuite')!r} is not {CRYPTOSUITE}")
    if method is None:
        return failed("the proof names no verification method")
    if proof.get("proofPurpose") != proof_purpose:
        return failed(
            f"the proof's purpose is {proof.get('proofPurpose')!r}, not {proof_purpose!r}"
        )
    if "created" in proof and created is None:
        return failed(f"the proof's created time {proof.get('created')!r} is not a dateTime")
    try:
        signature = decode_multibase_base58(proof.get("proofValue", ""), field="proofValue")
    except DomainError:
        signature = b""
    if len(signature) != _SIGNATURE_BYTES:
        return failed("the proof value is not a base58btc-encoded 64-byte Ed25519 signature")
    context = document.get("@context")
    if "@context" in proof and not _starts_with(context, proof["@context"]):
        return failed("the proof's @context does not match the document's")
    try:
        public_key = resolve_key(method)
    except (DomainError, ValueError, LookupError) as error:
        return failed(f"the proof's key could not be resolved: {error}")
    try:
        document_nquads = canonical_document(document, strict=True)
        config_nquads = canonical_proof_configuration(proof, context, strict=True, pointer=where)
    except UnknownContextError as error:
        return failed(f"the document uses a context that is not bundled: {error.message}")
    except (CanonicalizationLimitError, InvalidValueError) as error:
        return failed(error.message)
    except Exception as error:  # PyLD raises JsonLdError and plain errors alike
        return failed(f"the document is not valid JSON-LD: {type(error).__name__}")
    try:
        public_key.verify(signature, hash_data(config_nquads, document_nquads))
    except InvalidSignature:
        return failed(
            "the signature does not match: the document was changed after signing, "
            f"or it was not signed with the key {method}"
        )
    return ProofResult(True, method, created, None)


def _starts_with(context: object, prefix: object) -> bool:
    full = context if isinstance(context, list) else [context]
    head = prefix if isinstance(prefix, list) else [prefix]
    return full[: len(head)] == head
