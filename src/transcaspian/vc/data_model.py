"""The shape rules of the VC Data Model (2.0, and 1.1 for credentials that still use it) that
JSON-LD processing alone does not enforce.

:func:`credential_problems` and :func:`presentation_problems` return every problem as
``(JSON pointer, message)``; an empty list means well formed. They check structure only: that
every term is defined and every context bundled is the signer's job
(:func:`transcaspian.vc.data_integrity.sign_credential` refuses both), and whether a proof holds
is the verifier's.

Every member is first checked to be I-JSON (:mod:`transcaspian.vc.ijson`: no lone surrogates,
no non-finite numbers, no number beyond ±(2^53 − 1) or non-zero below 10^-6), so that a
JavaScript verifier reads the same values as we sign.

Rules checked (VC 2.0 §4, VC 1.1 §4): ``@context`` is a list whose first entry is the base
context of the version; ``type`` includes ``VerifiableCredential``; ``id``, ``issuer`` (or its
``id``) and ``credentialSubject.id`` are single URLs; ``credentialSubject`` is one or more
objects; dates are XML Schema dateTimeStamps with a time zone (``validFrom``/``validUntil`` in
2.0, ``issuanceDate`` required and ``expirationDate`` in 1.1), real instants (no hour 24, no
leap second 60: verifiers disagree on them) and the period is not inverted;
``credentialStatus``, ``credentialSchema``, ``evidence``, ``termsOfUse`` and ``refreshService``
entries carry a ``type`` (a schema also an ``id``); ``name``/``description`` are strings or
language value objects.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from transcaspian.vc.contexts import CREDENTIALS_V1, CREDENTIALS_V2
from transcaspian.vc.ijson import ijson_problems

__all__ = ["credential_problems", "is_v1", "presentation_problems"]

Problem = tuple[str, str]

# scheme ":" then something, no whitespace (RFC 3986 absolute URI, loosely)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
# XML Schema dateTimeStamp: the time zone is mandatory
_DATE_TIME_STAMP = re.compile(
    r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
)
_TYPED = ("credentialStatus", "evidence", "termsOfUse", "refreshService", "credentialSchema")


def is_v1(document: Mapping[str, Any]) -> bool:
    """Whether the document is a VC 1.1 one (its first context is credentials/v1)."""
    context = document.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    return first == CREDENTIALS_V1


def credential_problems(credential: object, *, pointer: str = "") -> list[Problem]:
    """Every way ``credential`` breaks the data model, as ``(JSON pointer, message)``; members
    that are not I-JSON first."""
    return ijson_problems(credential, pointer) + _credential_shape_problems(credential, pointer)


def presentation_problems(presentation: object) -> list[Problem]:
    """Every way a presentation breaks the data model; embedded credentials are checked too
    (pointers ``/verifiableCredential/<i>/...``), enveloped ones only for their ``id``."""
    problems = ijson_problems(presentation)
    if not isinstance(presentation, Mapping):
        return [*problems, ("/", "a presentation must be a JSON object")]
    problems += _context_problems(presentation, "")
    problems += _type_problems(presentation, "VerifiablePresentation", "")
    if "id" in presentation:
        problems += _url_problems(presentation["id"], "/id", "id")
    if "holder" in presentation:
        holder = presentation["holder"]
        holder_id = holder.get("id") if isinstance(holder, Mapping) else holder
        problems += _url_problems(holder_id, "/holder", "holder")
    for index, credential in enumerate(_as_list(presentation.get("verifiableCredential"))):
        where = f"/verifiableCredential/{index}"
        if isinstance(credential, Mapping) and "EnvelopedVerifiableCredential" in _as_list(
            credential.get("type")
        ):
            problems += _url_problems(credential.get("id"), f"{where}/id", "id")
        else:
            problems += _credential_shape_problems(credential, where)
    return problems


# -- the rules ------------------------------------------------------------------------------
def _credential_shape_problems(credential: object, pointer: str) -> list[Problem]:
    if not isinstance(credential, Mapping):
        return [(pointer or "/", "a credential must be a JSON object")]
    problems = _context_problems(credential, pointer)
    problems += _type_problems(credential, "VerifiableCredential", pointer)
    if "id" in credential:
        problems += _url_problems(credential["id"], f"{pointer}/id", "id")
    problems += _issuer_problems(credential, pointer)
    problems += _subject_problems(credential, pointer)
    problems += _date_problems(credential, pointer)
    for name in _TYPED:
        if name in credential:
            problems += _typed_problems(credential[name], f"{pointer}/{name}", name)
    for name in ("name", "description"):
        if name in credential:
            problems += _language_problems(credential[name], f"{pointer}/{name}", name)
    return problems


def _context_problems(document: Mapping[str, Any], pointer: str) -> list[Problem]:
    context = document.get("@context")
    where = f"{pointer}/@context"
    if not isinstance(context, list) or not context:
        return [(where, "@context must be a non-empty list")]
    if context[0] not in (CREDENTIALS_V2, CREDENTIALS_V1):
        return [(f"{where}/0", f"the first @context must be {CREDENTIALS_V2}, not {context[0]!r}")]
    problems = []
    for index, entry in enumerate(context):
        if not isinstance(entry, str | dict):
            problems.append((f"{where}/{index}", "a context is a URL or an object"))
        elif isinstance(entry, str) and not _URL.match(entry):
            problems.append((f"{where}/{index}", f"{entry!r} is not a URL"))
    return problems


def _type_problems(document: Mapping[str, Any], required: str, pointer: str) -> list[Problem]:
    types = document.get("type")
    where = f"{pointer}/type"
    if types is None:
        return [(where, f"type is required and must include {required}")]
    values = _as_list(types)
    if not all(isinstance(value, str) and value for value in values):
        return [(where, "type must be a string or a list of strings")]
    if required not in values:
        return [(where, f"type must include {required}")]
    return []


def _issuer_problems(credential: Mapping[str, Any], pointer: str) -> list[Problem]:
    where = f"{pointer}/issuer"
    if "issuer" not in credential:
        return [(where, "issuer is required")]
    issuer = credential["issuer"]
    if isinstance(issuer, Mapping):
        return _url_problems(issuer.get("id"), f"{where}/id", "issuer id")
    return _url_problems(issuer, where, "issuer")


def _subject_problems(credential: Mapping[str, Any], pointer: str) -> list[Problem]:
    where = f"{pointer}/credentialSubject"
    if "credentialSubject" not in credential:
        return [(where, "credentialSubject is required")]
    subjects = _as_list(credential["credentialSubject"])
    if not subjects:
        return [(where, "credentialSubject must hold at least one subject")]
    problems = []
    for index, subject in enumerate(subjects):
        at = f"{where}/{index}" if isinstance(credential["credentialSubject"], list) else where
        if not isinstance(subject, Mapping):
            problems.append((at, "a credential subject must be an object"))
        elif not subject:
            problems.append((at, "a credential subject must make at least one claim"))
        elif "id" in subject:
            problems += _url_problems(subject["id"], f"{at}/id", "credentialSubject id")
    return problems


def _date_problems(credential: Mapping[str, Any], pointer: str) -> list[Problem]:
    names = ("issuanceDate", "expirationDate") if is_v1(credential) else ("validFrom", "validUntil")
    problems = []
    if is_v1(credential) and "issuanceDate" not in credential:
        problems.append((f"{pointer}/issuanceDate", "issuanceDate is required in VC 1.1"))
    moments: list[datetime | None] = []
    for name in names:
        if name not in credential:
            moments.append(None)
            continue
        value = credential[name]
        if not isinstance(value, str) or not _DATE_TIME_STAMP.match(value):
            problems.append(
                (f"{pointer}/{name}", f"{value!r} is not a dateTimeStamp (time zone required)")
            )
            moments.append(None)
            continue
        try:
            moments.append(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError as error:  # 24:00:00, a leap second, 2026-02-30 ...
            problems.append((f"{pointer}/{name}", f"{value!r} is not a real instant ({error})"))
            moments.append(None)
    start, end = moments
    if start is not None and end is not None and end < start:
        problems.append((f"{pointer}/{names[1]}", f"{names[1]} is before {names[0]}"))
    return problems


def _typed_problems(value: object, where: str, name: str) -> list[Problem]:
    problems = []
    entries = _as_list(value)
    for index, entry in enumerate(entries):
        at = f"{where}/{index}" if isinstance(value, list) else where
        if not isinstance(entry, Mapping):
            problems.append((at, f"each {name} entry must be an object"))
            continue
        if not entry.get("type"):
            problems.append((f"{at}/type", f"each {name} entry needs a type"))
        if "id" in entry or name == "credentialSchema":
            problems += _url_problems(entry.get("id"), f"{at}/id", f"{name} id")
    return problems


def _language_problems(value: object, where: str, name: str) -> list[Problem]:
    for entry in _as_list(value):
        if isinstance(entry, str):
            continue
        if isinstance(entry, Mapping) and isinstance(entry.get("@value"), str):
            continue
        return [(where, f"{name} must be a string or language value objects (@value)")]
    return []


def _url_problems(value: object, where: str, name: str) -> list[Problem]:
    if not isinstance(value, str):
        return [(where, f"{name} must be a single URL")]
    if not _URL.match(value):
        return [(where, f"{name}: {value!r} is not a URL")]
    return []


def _as_list(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
