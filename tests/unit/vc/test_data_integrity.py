"""eddsa-rdfc-2022 proofs: our credentials verify; tampered, re-keyed or broken ones fail
with the reason named."""

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.unit.vc.credential_samples import ISSUER_SECRET, SIGNED_AT, unsigned_credential

from transcaspian.documents.types import DOCUMENT_TYPES
from transcaspian.domain.errors import InvalidValueError
from transcaspian.vc.data_integrity import sign_credential, verify_proof
from transcaspian.vc.keys import (
    KeyResolutionError,
    did_key_verification_method,
    generate_private_key,
    private_key_from_multibase,
    resolve_did_key,
)


@pytest.mark.parametrize("slug", sorted(DOCUMENT_TYPES))
def test_a_signed_credential_of_every_type_verifies(slug, issuer_did, sign):
    signed = sign(unsigned_credential(slug, issuer_did))
    result = verify_proof(signed, resolve_key=resolve_did_key)
    assert result.verified, result.problem
    assert result.created == SIGNED_AT
    assert result.verification_method == signed["proof"]["verificationMethod"]
    assert signed["proof"]["proofValue"].startswith("z")
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_signing_leaves_the_input_untouched(issuer_did, sign):
    credential = unsigned_credential("cmr", issuer_did)
    before = copy.deepcopy(credential)
    sign(credential)
    assert credential == before


def test_a_tampered_document_fails_and_says_it_was_changed(issuer_did, sign):
    signed = sign(unsigned_credential("cim-smgs", issuer_did))
    signed["credentialSubject"]["consignee"]["name"] = "Somebody Else LLC"
    result = verify_proof(signed, resolve_key=resolve_did_key)
    assert not result.verified
    assert "changed after signing" in result.problem


def test_a_tampered_proof_fails(issuer_did, sign):
    signed = sign(unsigned_credential("cim-smgs", issuer_did))
    signed["proof"]["created"] = "2026-04-18T09:30:00Z"
    assert not verify_proof(signed, resolve_key=resolve_did_key).verified


def test_a_signature_by_another_key_fails(issuer_did, sign):
    signed = sign(unsigned_credential("bill-of-lading", issuer_did))
    other = generate_private_key()
    result = verify_proof(signed, resolve_key=lambda _: other.public_key())
    assert not result.verified
    assert "was not signed with the key" in result.problem


def test_a_proof_claiming_another_keys_method_fails(issuer_did, issuer_key):
    other = generate_private_key()
    signed = sign_credential(
        unsigned_credential("cmr", issuer_did),
        private_key=other,
        verification_method=did_key_verification_method(issuer_key.public_key()),
        created=SIGNED_AT,
    )
    assert not verify_proof(signed, resolve_key=resolve_did_key).verified


def test_an_unresolvable_key_is_named(issuer_did, sign):
    signed = sign(unsigned_credential("cmr", issuer_did))

    def unknown(method: str):
        raise KeyResolutionError(f"{method} is not known")

    result = verify_proof(signed, resolve_key=unknown)
    assert not result.verified
    assert result.problem.startswith("the proof's key could not be resolved")


def test_a_document_without_proof_fails():
    result = verify_proof({"@context": []}, resolve_key=resolve_did_key)
    assert (result.verified, result.problem) == (False, "the document has no proof")


def test_a_wrong_proof_purpose_fails(issuer_did, issuer_key):
    signed = sign_credential(
        unsigned_credential("cmr", issuer_did),
        private_key=issuer_key,
        verification_method=did_key_verification_method(issuer_key.public_key()),
        created=SIGNED_AT,
        proof_purpose="authentication",
    )
    result = verify_proof(signed, resolve_key=resolve_did_key)
    assert not result.verified
    assert "purpose" in result.problem
    assert verify_proof(
        signed, resolve_key=resolve_did_key, proof_purpose="authentication"
    ).verified


def test_a_malformed_proof_value_fails(issuer_did, sign):
    signed = sign(unsigned_credential("cmr", issuer_did))
    signed["proof"]["proofValue"] = "z0OIl"
    result = verify_proof(signed, resolve_key=resolve_did_key)
    assert not result.verified
    assert "64-byte" in result.problem


def test_an_undefined_term_is_refused_when_signing_and_fails_verification(issuer_did, sign):
    credential = unsigned_credential("cmr", issuer_did)
    credential["credentialSubject"]["secretRebate"] = "5%"
    with pytest.raises(InvalidValueError) as raised:
        sign(credential)
    assert raised.value.field == "/credentialSubject/secretRebate"
    signed = sign(unsigned_credential("cmr", issuer_did))
    signed["credentialSubject"]["secretRebate"] = "5%"
    result = verify_proof(signed, resolve_key=resolve_did_key)
    assert not result.verified
    assert "/credentialSubject/secretRebate" in result.problem


def test_an_unbundled_context_fails_verification_without_fetching(issuer_did, sign):
    signed = sign(unsigned_credential("cmr", issuer_did))
    signed["@context"].append("https://evil.example/context.jsonld")
    result = verify_proof(signed, resolve_key=resolve_did_key)
    assert not result.verified
    assert "not bundled" in result.problem


def test_signing_needs_an_aware_time(issuer_did, issuer_key):
    from datetime import datetime

    with pytest.raises(InvalidValueError, match="time zone"):
        sign_credential(
            unsigned_credential("cmr", issuer_did),
            private_key=issuer_key,
            verification_method=did_key_verification_method(issuer_key.public_key()),
            created=datetime(2026, 4, 17, 9, 30),
        )


def _leaf_paths(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in ("@context", "proof"):
                yield from _leaf_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaf_paths(item, (*path, index))
    else:
        yield path


def _changed(value, suffix: str):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    return value + suffix


SIGNED = {}


def _signed(slug: str) -> dict:
    if slug not in SIGNED:
        key = private_key_from_multibase(ISSUER_SECRET)
        from transcaspian.vc.keys import did_key_for

        SIGNED[slug] = sign_credential(
            unsigned_credential(slug, did_key_for(key.public_key())),
            private_key=key,
            verification_method=did_key_verification_method(key.public_key()),
            created=SIGNED_AT,
        )
    return copy.deepcopy(SIGNED[slug])


@given(
    slug=st.sampled_from(sorted(DOCUMENT_TYPES)),
    choice=st.integers(min_value=0),
    suffix=st.text(min_size=1, max_size=3).filter(lambda text: text.strip() == text),
)
def test_any_single_field_change_fails_verification(slug, choice, suffix):
    document = _signed(slug)
    paths = list(_leaf_paths(document))
    path = paths[choice % len(paths)]
    holder = document
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = _changed(holder[path[-1]], suffix)
    result = verify_proof(document, resolve_key=resolve_did_key)
    assert not result.verified, path
