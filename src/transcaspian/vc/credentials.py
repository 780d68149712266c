"""W3C VC Data Model 2.0 credentials for our document types (unsigned; sign with
:func:`transcaspian.vc.data_integrity.sign_credential`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from transcaspian.documents.types import document_type, validate_subject
from transcaspian.domain.errors import InvalidValueError
from transcaspian.vc.contexts import CREDENTIALS_V2, DATA_INTEGRITY_V2, TRANSCASPIAN_V1
from transcaspian.vc.data_integrity import format_datetime
from transcaspian.vc.data_model import is_v1

__all__ = ["CREDENTIAL_CONTEXT", "build_credential", "complete_credential", "document_type_of"]

CREDENTIAL_CONTEXT = [CREDENTIALS_V2, TRANSCASPIAN_V1]


def build_credential(
    document_type_slug: str,
    subject: dict[str, Any],
    *,
    issuer: str,
    credential_id: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
    status: list[dict[str, Any]] | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    """An unsigned VC 2.0 credential carrying ``subject`` as a document of the given type.

    ``subject`` is validated and normalised by the type's model (DocumentValidationError
    names the field); ``issuer`` is the issuing organisation's DID, ``credential_id`` a URL
    (``urn:uuid:…``), ``status`` BitstringStatusListEntry objects (see
    :func:`transcaspian.vc.status_list.status_entry`). Raises InvalidValueError for an
    unknown type, an issuer or id that is not a URI, naive datetimes or validUntil before
    validFrom.
    """
    entry = document_type(document_type_slug)
    for field, value in (("issuer", issuer), ("id", credential_id)):
        if not isinstance(value, str) or ":" not in value or " " in value:
            raise InvalidValueError(f"{field}: {value!r} is not a URI", field=f"/{field}")
    if valid_until is not None and valid_until <= valid_from:
        raise InvalidValueError(
            f"validUntil: {valid_until.isoformat()} is not after validFrom "
            f"{valid_from.isoformat()}",
            field="/validUntil",
        )
    credential: dict[str, Any] = {
        "@context": list(CREDENTIAL_CONTEXT),
        "id": credential_id,
        "type": ["VerifiableCredential", entry.credential_type],
        "name": name or entry.title,
        "issuer": issuer,
        "validFrom": format_datetime(valid_from, field="/validFrom"),
    }
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until, field="/validUntil")
    credential["credentialSubject"] = validate_subject(document_type_slug, subject)
    if status:
        credential["credentialStatus"] = list(status) if len(status) > 1 else dict(status[0])
    return credential


def document_type_of(credential: dict[str, Any]) -> str | None:
    """The slug of the document type a credential carries, or None if it is none of ours."""
    from transcaspian.documents.types import DOCUMENT_TYPES

    types = credential.get("type", [])
    types = types if isinstance(types, list) else [types]
    for slug, entry in DOCUMENT_TYPES.items():
        if entry.credential_type in types:
            return slug
    return None


def complete_credential(
    credential: dict[str, Any],
    *,
    issuer: str,
    valid_from: datetime,
    status: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A copy of a caller's credential ready to sign (the VC API's issue step).

    Sets ``issuer`` when absent, ``validFrom`` (``issuanceDate`` in VC 1.1) to ``valid_from``
    when absent, appends ``status`` entries to ``credentialStatus``, and for a VC 1.1
    credential adds the Data Integrity context (v1 does not define DataIntegrityProof).
    Everything else is left as given, ``id`` included (none is invented).
    """
    completed = dict(credential)
    if "issuer" not in completed:
        completed["issuer"] = issuer
    date_name = "issuanceDate" if is_v1(completed) else "validFrom"
    if date_name not in completed:
        completed[date_name] = format_datetime(valid_from, field=f"/{date_name}")
    context = completed.get("@context")
    if is_v1(completed) and isinstance(context, list) and DATA_INTEGRITY_V2 not in context:
        completed["@context"] = [*completed["@context"], DATA_INTEGRITY_V2]
    if status:
        existing = completed.get("credentialStatus")
        entries = [] if existing is None else existing if isinstance(existing, list) else [existing]
        entries = [*entries, *status]
        completed["credentialStatus"] = entries if len(entries) > 1 else entries[0]
    return completed
