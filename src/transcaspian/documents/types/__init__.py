"""The document types: one pydantic model per type, a registry, JSON Schemas and validation.

``DOCUMENT_TYPES`` maps a slug (``cim-smgs``, ``cmr``, ``bill-of-lading``, ``sea-waybill``,
``commercial-invoice``, ``packing-list``, ``certificate-of-origin``, ``transit-declaration``)
to a :class:`DocumentType`: its model, the credential type (``…Credential``) and subject type
our JSON-LD context defines, its title and whether it is a title document (only the
negotiable bill of lading).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from transcaspian.documents.types.rail import CimSmgsConsignmentNote
from transcaspian.documents.types.road import CmrConsignmentNote
from transcaspian.documents.types.sea import BillOfLading, SeaWaybill
from transcaspian.documents.types.trade import CertificateOfOrigin, CommercialInvoice, PackingList
from transcaspian.documents.types.transit import TransitDeclaration
from transcaspian.domain.errors import InvalidValueError

__all__ = [
    "DOCUMENT_TYPES",
    "DocumentType",
    "DocumentValidationError",
    "document_type",
    "json_schema",
    "schema_files",
    "validate_subject",
]


@dataclass(frozen=True, slots=True)
class DocumentType:
    slug: str
    model: type[BaseModel]
    subject_type: str  # the credentialSubject's type, e.g. CimSmgsConsignmentNote
    title: str
    is_title_document: bool = False

    @property
    def credential_type(self) -> str:
        """The credential's own type after VerifiableCredential, e.g. BillOfLadingCredential."""
        return f"{self.subject_type}Credential"


DOCUMENT_TYPES: dict[str, DocumentType] = {
    entry.slug: entry
    for entry in (
        DocumentType(
            "cim-smgs",
            CimSmgsConsignmentNote,
            "CimSmgsConsignmentNote",
            "CIM/SMGS rail consignment note",
        ),
        DocumentType("cmr", CmrConsignmentNote, "CmrConsignmentNote", "CMR road consignment note"),
        DocumentType(
            "bill-of-lading",
            BillOfLading,
            "BillOfLading",
            "Negotiable bill of lading",
            is_title_document=True,
        ),
        DocumentType("sea-waybill", SeaWaybill, "SeaWaybill", "Sea waybill"),
        DocumentType(
            "commercial-invoice", CommercialInvoice, "CommercialInvoice", "Commercial invoice"
        ),
        DocumentType("packing-list", PackingList, "PackingList", "Packing list"),
        DocumentType(
            "certificate-of-origin",
            CertificateOfOrigin,
            "CertificateOfOrigin",
            "Certificate of origin",
        ),
        DocumentType(
            "transit-declaration",
            TransitDeclaration,
            "TransitDeclaration",
            "Transit declaration (TIR / eTIR)",
        ),
    )
}


class DocumentValidationError(InvalidValueError):
    """A subject that breaks its document type's schema; ``problems`` lists every one as
    ``(JSON pointer, message)``, ``field`` is the first pointer."""

    code = "invalid-document"

    def __init__(self, slug: str, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        pointer, message = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{pointer or '/'}: {message}{more}", field=pointer or None)
        self.slug = slug


def document_type(slug: str) -> DocumentType:
    """The registry entry for ``slug``; InvalidValueError naming the known slugs otherwise."""
    found = DOCUMENT_TYPES.get(slug)
    if found is None:
        raise InvalidValueError(
            f"document_type: {slug!r} is not one of {', '.join(sorted(DOCUMENT_TYPES))}",
            field="document_type",
        )
    return found


def validate_subject(slug: str, subject: dict[str, Any]) -> dict[str, Any]:
    """The subject checked and normalised by the type's model, as credential JSON.

    A ``type`` entry (the subject type) is accepted and put back; ``id`` (a DID or URI of the
    subject) likewise. Raises DocumentValidationError naming every field that is wrong
    (JSON pointers such as ``/goodsItems/0/hsCodes/0``).
    """
    entry = document_type(slug)
    data = dict(subject)
    subject_type = data.pop("type", entry.subject_type)
    subject_id = data.pop("id", None)
    if subject_type != entry.subject_type:
        raise DocumentValidationError(
            slug, [("/type", f"{subject_type!r} is not {entry.subject_type!r}")]
        )
    try:
        model = entry.model.model_validate(data)
    except ValidationError as error:
        raise DocumentValidationError(slug, _problems(error)) from error
    normalised = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    head: dict[str, Any] = {}
    if subject_id is not None:
        head["id"] = subject_id
    head["type"] = entry.subject_type
    return {**head, **normalised}


def json_schema(slug: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a type's credential subject, by its JSON names."""
    entry = document_type(slug)
    schema = entry.model.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://transcaspian.example/schemas/{slug}.json"
    schema["title"] = entry.title
    properties = schema.setdefault("properties", {})
    properties["type"] = {"const": entry.subject_type}
    properties["id"] = {"type": "string", "format": "uri"}
    return schema


_NAMED_FIELD = re.compile(r"^([a-z][A-Za-z0-9]*): ")


def schema_files() -> dict[str, str]:
    """``{file name: JSON text}`` of every type's JSON Schema, as docs/schemas/ holds them."""
    import json

    return {
        f"{slug}.json": json.dumps(json_schema(slug), indent=2, ensure_ascii=False) + "\n"
        for slug in sorted(DOCUMENT_TYPES)
    }


def _problems(error: ValidationError) -> list[tuple[str, str]]:
    problems = []
    for item in error.errors():
        pointer = "".join(f"/{part}" for part in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        # A model-level rule names its field at the start of its message ("totalAmount: …").
        named = _NAMED_FIELD.match(message)
        if named and item["type"] == "value_error":
            pointer = f"{pointer}/{named.group(1)}"
        problems.append((pointer, message))
    return problems
