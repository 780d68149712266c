"""Bitstring Status List 1.0 and Ed25519 Multikey / did:key / did:web."""

import base64
import gzip
from datetime import UTC, datetime

import pytest

from transcaspian.domain.errors import InvalidValueError
from transcaspian.vc.contexts import UnknownContextError, bundled_urls, document_loader
from transcaspian.vc.data_integrity import verify_proof
from transcaspian.vc.keys import (
    KeyResolutionError,
    VerificationMethod,
    did_key_document,
    did_key_for,
    did_web_document,
    did_web_url,
    generate_private_key,
    public_key_from_multibase,
    public_key_in_document,
    public_key_to_multibase,
    resolve_did_key,
)
from transcaspian.vc.rdf import to_quads
from transcaspian.vc.status_list import (
    MIN_ENTRIES,
    StatusList,
    decode_status_list,
    encode_status_list,
    is_set,
    status_entry,
    status_list_credential,
)


def test_an_encoded_list_round_trips_and_keeps_its_bits():
    encoded = encode_status_list([0, 7, 417, MIN_ENTRIES - 1])
    assert encoded.startswith("u")
    assert "=" not in encoded
    assert [is_set(encoded, index) for index in (0, 1, 7, 8, 417, MIN_ENTRIES - 1)] == [
        True,
        False,
        True,
        False,
        True,
        True,
    ]
    assert decode_status_list(encoded).size == MIN_ENTRIES


def test_bit_zero_is_the_most_significant_bit_of_the_first_byte():
    encoded = encode_status_list([0])
    body = encoded[1:]
    raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert raw[0] == 0x80
    assert len(raw) == MIN_ENTRIES // 8


def test_a_sparse_list_compresses_small():
    assert len(encode_status_list([417])) < 120


def test_a_list_shorter_than_the_minimum_is_refused():
    with pytest.raises(InvalidValueError, match="131072"):
        StatusList(1024)
    short = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(16))).decode().rstrip("=")
    with pytest.raises(InvalidValueError) as raised:
        decode_status_list(short)
    assert raised.value.field == "encodedList"


def test_garbage_is_not_a_status_list():
    with pytest.raises(InvalidValueError):
        decode_status_list("uAAAA")
    with pytest.raises(InvalidValueError):
        decode_status_list("zAAAA")


def test_clearing_a_bit_reinstates():
    status = StatusList()
    status.set(5)
    status.set(5, False)
    assert not status.is_set(5)
    with pytest.raises(InvalidValueError):
        status.is_set(MIN_ENTRIES)


def test_an_entry_points_at_one_bit_of_one_list():
    entry = status_entry("https://t.example/status/revocation/1", 417, "suspension")
    assert entry == {
        "id": "https://t.example/status/revocation/1#417",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "suspension",
        "statusListIndex": "417",
        "statusListCredential": "https://t.example/status/revocation/1",
    }
    with pytest.raises(InvalidValueError):
        status_entry("https://t.example/s", 1, "expiry")


def test_a_status_list_credential_signs_and_verifies(sign):
    key_did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    credential = status_list_credential(
        "https://t.example/status/revocation/1",
        issuer=key_did,
        purpose="revocation",
        set_indices=[417],
        valid_from=datetime(2026, 4, 17, tzinfo=UTC),
        ttl_ms=300_000,
    )
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert is_set(credential["credentialSubject"]["encodedList"], 417)
    assert to_quads(credential).dropped == []
    assert verify_proof(sign(credential), resolve_key=resolve_did_key).verified


def test_multikey_round_trips_and_did_key_resolves_offline():
    key = generate_private_key().public_key()
    multikey = public_key_to_multibase(key)
    assert multikey.startswith("z6Mk")
    assert public_key_to_multibase(public_key_from_multibase(multikey)) == multikey
    did = did_key_for(key)
    assert public_key_to_multibase(resolve_did_key(f"{did}#{multikey}")) == multikey
    document = did_key_document(did)
    assert document["assertionMethod"] == [f"{did}#{multikey}"]
    assert public_key_to_multibase(public_key_in_document(document, f"{did}#{multikey}")) == (
        multikey
    )


@pytest.mark.parametrize(
    "bad",
    ["did:web:example.com#k", "did:key:zNotBase58OIl", "did:key:z6Mk#z6Mj", "did:key:z3u2"],
)
def test_what_is_not_a_did_key_is_named(bad):
    with pytest.raises(KeyResolutionError):
        resolve_did_key(bad)


def test_did_web_urls_follow_the_method_spec():
    assert did_web_url("did:web:example.com") == "https://example.com/.well-known/did.json"
    assert did_web_url("did:web:example.com:org:kaz") == "https://example.com/org/kaz/did.json"
    assert did_web_url("did:web:localhost%3A8000") == "https://localhost:8000/.well-known/did.json"


def test_a_did_web_document_lists_current_and_rotated_keys():
    did = "did:web:transcaspian.example:org:ktz"
    old = VerificationMethod(f"{did}#key-1", did, generate_private_key().public_key())
    new = VerificationMethod(f"{did}#key-2", did, generate_private_key().public_key())
    document = did_web_document(did, [old, new], assertion_methods=[new.id, old.id])
    assert document["id"] == did
    assert [method["type"] for method in document["verificationMethod"]] == ["Multikey"] * 2
    assert document["assertionMethod"] == [new.id, old.id]
    with pytest.raises(InvalidValueError):
        did_web_document("did:web:other.example", [old])


def test_the_loader_serves_bundled_contexts_and_refuses_the_rest():
    assert "https://www.w3.org/ns/credentials/v2" in bundled_urls()
    assert "@context" in document_loader("https://w3id.org/security/multikey/v1")
    with pytest.raises(UnknownContextError) as raised:
        document_loader("https://example.org/unknown")
    assert "not a bundled context" in raised.value.message
