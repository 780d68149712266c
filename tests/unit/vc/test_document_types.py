"""Document type schemas: samples validate, errors name the field, JSON Schemas publish, and
our JSON-LD context defines every term a credential of any type uses."""

import json

import pytest
from pyld import jsonld
from tests.unit.vc.credential_samples import unsigned_credential

from transcaspian.documents.types import (
    DOCUMENT_TYPES,
    DocumentValidationError,
    json_schema,
    validate_subject,
)
from transcaspian.documents.types.context import build_context, context_json
from transcaspian.documents.types.samples import sample_subject
from transcaspian.vc.contexts import (
    CREDENTIALS_V2,
    TRANSCASPIAN_V1,
    cached_document,
    pyld_document_loader,
)
from transcaspian.vc.credentials import build_credential, document_type_of
from transcaspian.vc.rdf import to_quads

ISSUER = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"


def test_the_registry_has_the_eight_types_and_one_title_document():
    assert sorted(DOCUMENT_TYPES) == [
        "bill-of-lading",
        "certificate-of-origin",
        "cim-smgs",
        "cmr",
        "commercial-invoice",
        "packing-list",
        "sea-waybill",
        "transit-declaration",
    ]
    assert [slug for slug, entry in DOCUMENT_TYPES.items() if entry.is_title_document] == [
        "bill-of-lading"
    ]
    assert DOCUMENT_TYPES["cim-smgs"].credential_type == "CimSmgsConsignmentNoteCredential"


@pytest.mark.parametrize("slug", sorted(DOCUMENT_TYPES))
def test_every_sample_validates_and_round_trips(slug):
    subject = validate_subject(slug, sample_subject(slug))
    assert subject["type"] == DOCUMENT_TYPES[slug].subject_type
    assert validate_subject(slug, subject) == subject


@pytest.mark.parametrize(
    ("slug", "path", "value", "pointer", "words"),
    [
        (
            "bill-of-lading",
            ("portOfLoading", "unLocode"),
            "KZ1",
            "/portOfLoading/unLocode",
            "UN/LOCODE",
        ),
        (
            "cim-smgs",
            ("utilizedTransportEquipments", 0, "equipmentReference"),
            "TCLU1234567",
            "/utilizedTransportEquipments/0/equipmentReference",
            "ISO 6346",
        ),
        ("cim-smgs", ("goodsItems", 0, "hsCodes", 0), "11", "/goodsItems/0/hsCodes/0", "HS code"),
        ("commercial-invoice", ("totalAmount",), "1.00", "/totalAmount", "sum of lines"),
        ("packing-list", ("totalNumberOfPackages",), 1, "/totalNumberOfPackages", "sum"),
        ("cmr", ("consignee", "taxReference"), "123", "/consignee/taxReference", "TR tax id"),
        (
            "transit-declaration",
            ("tirHolder", "holderId"),
            "KZ-1",
            "/tirHolder/holderId",
            "pattern",
        ),
    ],
)
def test_a_validation_error_names_the_field(slug, path, value, pointer, words):
    subject = sample_subject(slug)
    holder = subject
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value
    with pytest.raises(DocumentValidationError) as raised:
        validate_subject(slug, subject)
    problems = dict(raised.value.problems)
    assert pointer in problems, problems
    assert words in problems[pointer]
    assert raised.value.field == pointer


def test_unknown_fields_are_refused_by_name():
    subject = sample_subject("cmr")
    subject["cargoSecret"] = "x"
    with pytest.raises(DocumentValidationError) as raised:
        validate_subject("cmr", subject)
    assert raised.value.field == "/cargoSecret"


def test_a_sea_waybill_is_never_to_order():
    subject = sample_subject("sea-waybill")
    subject["isToOrder"] = True
    with pytest.raises(DocumentValidationError):
        validate_subject("sea-waybill", subject)


@pytest.mark.parametrize("slug", sorted(DOCUMENT_TYPES))
def test_every_type_publishes_a_json_schema_its_sample_meets(slug):
    from jsonschema import Draft202012Validator

    schema = json_schema(slug)
    Draft202012Validator.check_schema(schema)
    errors = list(
        Draft202012Validator(schema).iter_errors(validate_subject(slug, sample_subject(slug)))
    )
    assert errors == []
    assert schema["title"] == DOCUMENT_TYPES[slug].title


def test_the_bundled_context_is_the_generated_one():
    assert json.loads(context_json()) == dict(cached_document(TRANSCASPIAN_V1))


def test_our_context_redefines_no_vc_term():
    def terms(context: dict) -> set[str]:
        found = set()
        for key, value in context.items():
            if not key.startswith("@"):
                found.add(key)
            if isinstance(value, dict) and isinstance(value.get("@context"), dict):
                found |= terms(value["@context"])
        return found

    ours = set(build_context()["@context"]) - {"@version", "@protected"}
    assert ours & terms(cached_document(CREDENTIALS_V2)["@context"]) == set()


@pytest.mark.parametrize("slug", sorted(DOCUMENT_TYPES))
def test_no_term_of_any_type_is_dropped_by_json_ld_expansion(slug):
    credential = unsigned_credential(slug, ISSUER)
    assert to_quads(credential).dropped == []
    # Independently of our fast path: PyLD's expansion keeps every key we wrote.
    expanded = jsonld.expand(credential, {"documentLoader": pyld_document_loader})
    written = _keys(credential) - {"@context", "id", "type"}
    kept = {iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for iri in _keys(expanded)}
    assert written - kept == set()


def test_build_credential_is_vc_2_0_shaped():
    credential = unsigned_credential("bill-of-lading", ISSUER)
    assert credential["@context"] == [CREDENTIALS_V2, TRANSCASPIAN_V1]
    assert credential["type"] == ["VerifiableCredential", "BillOfLadingCredential"]
    assert credential["credentialSubject"]["type"] == "BillOfLading"
    assert credential["validFrom"] == "2026-04-17T08:00:00Z"
    assert len(credential["credentialStatus"]) == 2
    assert document_type_of(credential) == "bill-of-lading"


def test_build_credential_refuses_an_issuer_that_is_not_a_uri():
    from datetime import UTC, datetime

    from transcaspian.domain.errors import InvalidValueError

    with pytest.raises(InvalidValueError) as raised:
        build_credential(
            "cmr",
            sample_subject("cmr"),
            issuer="Kartli Trans",
            credential_id="urn:uuid:1",
            valid_from=datetime(2026, 1, 1, tzinfo=UTC),
            valid_until=None,
            status=[],
        )
    assert raised.value.field == "/issuer"


def _keys(value) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            found |= _keys(item)
    elif isinstance(value, list):
        for item in value:
            found |= _keys(item)
    return found


def test_the_published_schemas_in_docs_are_current():
    from pathlib import Path

    from transcaspian.documents.types import schema_files

    folder = Path(__file__).resolve().parents[3] / "docs" / "schemas"
    for name, text in schema_files().items():
        assert (folder / name).read_text(encoding="utf-8") == text, (
            f"docs/schemas/{name} is stale: regenerate with transcaspian.documents.types."
            "schema_files()"
        )
