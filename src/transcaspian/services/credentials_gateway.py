"""The document flow's one doorway into the credential core (transcaspian.vc and the document
types): building, signing and checking credentials and status lists, validating subjects.

Keeping every call here means the use cases read in domain words and a change in the core's
signatures is absorbed in one module. It is also where nothing that is not I-JSON
(:mod:`transcaspian.vc.ijson`) gets through: a subject, a credential to sign, a document to
verify.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from transcaspian.documents import types
from transcaspian.documents.types import DOCUMENT_TYPES
from transcaspian.vc import data_integrity, data_model, ijson, status_list
from transcaspian.vc.contexts.integrity import related_resource_problems
from transcaspian.vc.credentials import document_type_of
from transcaspian.vc.data_integrity import ProofResult

__all__ = [
    "GENERIC_CREDENTIAL",
    "ProofResult",
    "build_credential",
    "complete_credential",
    "credential_problems",
    "document_type_of",
    "document_type_slugs",
    "is_negotiable",
    "is_set",
    "presentation_problems",
    "related_resource_problems",
    "require_well_formed",
    "sign_credential",
    "status_entry",
    "status_list_credential",
    "validate_subject",
    "verify_proof",
]


GENERIC_CREDENTIAL = "credential"
"""The document type under which a credential issued through the W3C VC API that is none of our
document types is kept (so its status can be updated and its issue is audited)."""


def sign_credential(
    credential: dict[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
) -> dict[str, Any]:
    """The credential with its proof; DocumentValidationError if it is not I-JSON (a JavaScript
    verifier would check other values than we sign)."""
    problems = ijson.ijson_problems(credential)
    if problems:
        raise types.DocumentValidationError(GENERIC_CREDENTIAL, problems)
    return data_integrity.sign_credential(
        credential,
        private_key=private_key,
        verification_method=verification_method,
        created=created,
    )


def verify_proof(
    document: dict[str, Any],
    resolve_key: Callable[[str], Ed25519PublicKey],
    *,
    proof_purpose: str = "assertionMethod",
) -> ProofResult:
    """Whether the document's proof holds; a document that is not I-JSON is not checked (its
    values are not what a JavaScript verifier reads, a lone surrogate cannot even be hashed)."""
    problems = ijson.ijson_problems(document)
    if problems:
        where = "; ".join(f"{pointer}: {message}" for pointer, message in problems)
        return ProofResult(False, None, None, f"not I-JSON, so not checked: {where}")
    return data_integrity.verify_proof(
        document, resolve_key=resolve_key, proof_purpose=proof_purpose
    )


def credential_problems(credential: object) -> list[tuple[str, str]]:
    """How a credential breaks the VC data model (and its Bitstring Status List entries the
    status list data model), as (JSON pointer, message); [] if it does not."""
    return data_model.credential_problems(credential) + status_list.entry_problems(credential)


def require_well_formed(credential: dict[str, Any]) -> None:
    """Raise DocumentValidationError listing every data model problem of ``credential``."""
    problems = credential_problems(credential)
    if problems:
        raise types.DocumentValidationError(GENERIC_CREDENTIAL, problems)


def presentation_problems(presentation: object) -> list[tuple[str, str]]:
    """How a presentation (and the credentials in it) breaks the VC data model."""
    return data_model.presentation_problems(presentation)


def complete_credential(
    credential: dict[str, Any],
    *,
    issuer: str,
    valid_from: datetime,
    status: list[dict[str, Any]],
) -> dict[str, Any]:
    """A caller's credential with issuer, validFrom and status entries filled in, to sign."""
    from transcaspian.vc.credentials import complete_credential as complete

    return complete(credential, issuer=issuer, valid_from=valid_from, status=status)


def document_type_slugs() -> list[str]:
    return sorted(DOCUMENT_TYPES)


def document_title(document_type: str) -> str:
    if document_type == GENERIC_CREDENTIAL:
        return "Verifiable credential (VC API)"
    entry = DOCUMENT_TYPES.get(document_type)
    return entry.title if entry else document_type


def validate_subject(document_type: str, subject: dict[str, Any]) -> dict[str, Any]:
    """The subject checked against the type's schema and to be I-JSON; InvalidValueError
    names the field."""
    validated = types.validate_subject(document_type, subject)
    problems = ijson.ijson_problems(validated)
    if problems:
        raise types.DocumentValidationError(document_type, problems)
    return validated


def is_negotiable(document_type: str, subject: dict[str, Any]) -> bool:
    """A title document (bill of lading) is negotiable unless it says ``isToOrder: false``."""
    entry = types.document_type(document_type)
    return entry.is_title_document and subject.get("isToOrder", True) is not False


def build_credential(
    document_type: str,
    subject: dict[str, Any],
    *,
    issuer: str,
    credential_id: str,
    valid_from: datetime,
    valid_until: datetime | None,
    status: list[dict[str, Any]],
) -> dict[str, Any]:
    from transcaspian.vc.credentials import build_credential as build

    return build(
        document_type,
        subject,
        issuer=issuer,
        credential_id=credential_id,
        valid_from=valid_from,
        valid_until=valid_until,
        status=status,
    )


def status_entry(list_url: str, index: int, purpose: str) -> dict[str, Any]:
    return status_list.status_entry(list_url, index, purpose)


def status_list_credential(
    *,
    url: str,
    issuer: str,
    purpose: str,
    set_indices: Iterable[int],
    valid_from: datetime,
) -> dict[str, Any]:
    """An unsigned BitstringStatusListCredential with the given indices set."""
    return status_list.status_list_credential(
        url, issuer=issuer, purpose=purpose, set_indices=set_indices, valid_from=valid_from
    )


def is_set(status_list_credential: dict[str, Any], index: int) -> bool:
    """Whether bit ``index`` is set in a status list credential's encoded list."""
    encoded = status_list_credential["credentialSubject"]["encodedList"]
    return status_list.is_set(str(encoded), index)
