"""Nothing the signature does not cover is signed or verified (issue 8, defects 1–4).

A Data Integrity proof signs the canonical RDF, not the JSON: every JSON member that JSON-LD
expansion drops would be shown to a reader without being signed. The signer refuses such a
credential naming the member's JSON pointer, and the verifier says "not verified" for a signed
credential into which such a member was put afterwards.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.unit.vc.credential_samples import ISSUER_SECRET, SIGNED_AT, unsigned_credential

from transcaspian.domain.errors import InvalidValueError
from transcaspian.vc.data_integrity import canonical_document, sign_credential, verify_proof
from transcaspian.vc.keys import (
    did_key_for,
    did_key_verification_method,
    private_key_from_multibase,
)
from transcaspian.vc.rdf import to_quads

V2 = "https://www.w3.org/ns/credentials/v2"
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
KEY = private_key_from_multibase(ISSUER_SECRET)
DID = did_key_for(KEY.public_key())


def sign(credential: dict[str, Any]) -> dict[str, Any]:
    return sign_credential(
        credential,
        private_key=KEY,
        verification_method=did_key_verification_method(KEY.public_key()),
        created=SIGNED_AT,
    )


def verify(credential: dict[str, Any]):  # type: ignore[no-untyped-def]
    return verify_proof(credential, resolve_key=lambda _method: KEY.public_key())


def with_null_mapped_term(credential: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(credential)
    changed["@context"] = [*changed["@context"], {"@version": 1.1, "x": None}]
    changed["credentialSubject"]["x"] = "goods released without inspection"
    return changed


def with_comment(credential: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(credential)
    changed["credentialSubject"]["@comment"] = "goods released without inspection"
    return changed


def with_nested_comment(credential: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(credential)
    changed["credentialSubject"]["sender"]["@comment"] = "not the real sender"
    return changed


def with_node_keyword(credential: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(credential)
    changed["credentialSubject"]["@version"] = 1.1
    return changed


def with_index(credential: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(credential)
    changed["credentialSubject"]["sender"]["@index"] = "the real one"
    return changed


UNSIGNED = [
    (with_null_mapped_term, "/credentialSubject/x"),
    (with_comment, "/credentialSubject/@comment"),
    (with_nested_comment, "/credentialSubject/sender/@comment"),
    (with_node_keyword, "/credentialSubject/@version"),
    (with_index, "/credentialSubject/sender/@index"),
]


@pytest.fixture(scope="module")
def cmr() -> dict[str, Any]:
    return unsigned_credential("cmr", DID)


@pytest.mark.parametrize(("change", "pointer"), UNSIGNED)
def test_the_signer_refuses_a_member_json_ld_drops(cmr, change, pointer) -> None:
    with pytest.raises(InvalidValueError) as refused:
        sign(change(cmr))
    assert refused.value.field == pointer
    assert pointer in refused.value.message


@pytest.mark.parametrize(("change", "pointer"), UNSIGNED)
def test_the_verifier_refuses_a_member_put_in_after_signing(cmr, change, pointer) -> None:
    signed = sign(cmr)
    assert verify(signed).verified
    altered = change(signed)
    result = verify(altered)
    assert not result.verified
    assert result.problem is not None and pointer in result.problem


@pytest.mark.parametrize(
    ("member", "value"),
    [("extra", "anything"), ("@comment", "x"), ("nonce", "abc"), ("domain", "evil.example")],
)
def test_an_undefined_proof_option_fails_verification(cmr, member, value) -> None:
    signed = sign(cmr)
    signed["proof"][member] = value
    result = verify(signed)
    if member in ("nonce", "domain"):  # defined by the data integrity context: signed
        assert not result.verified and "signature does not match" in (result.problem or "")
    else:
        assert not result.verified
        assert f"/proof/{member}" in (result.problem or "")


def test_a_proof_set_names_the_proof_that_carries_the_member(cmr) -> None:
    signed = sign(cmr)
    proof = signed.pop("proof")
    signed["proof"] = [proof, {**proof, "extra": 1}]
    result = verify(signed)
    assert not result.verified
    assert "/proof/1/extra" in (result.problem or "")


def examples_credential(subject: dict[str, Any], *contexts: Any) -> dict[str, Any]:
    return {
        "@context": [V2, EXAMPLES, *contexts],
        "type": ["VerifiableCredential", "ExampleDegreeCredential"],
        "issuer": DID,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21", **subject},
    }


LANGUAGE_MAP = {
    "@version": 1.1,
    "names": {"@id": "https://schema.org/name", "@container": "@language"},
}
LIST = {"@version": 1.1, "stops": {"@id": "https://schema.org/itinerary", "@container": "@list"}}
TYPED = {"@version": 1.1, "xsd": "http://www.w3.org/2001/XMLSchema#"}
JSON_TERM = {"@version": 1.1, "payload": {"@id": "https://schema.org/text", "@type": "@json"}}

VALID_EDGE_CASES = [
    ({"degree": {"type": "ExampleBachelorDegree", "name": "Bachelor of Logistics"}}, ()),
    ({"name": {"@value": "Ақтау порты", "@language": "kk"}}, ()),
    ({"name": [{"@value": "Baku", "@language": "en"}, {"@value": "Bakı", "@language": "az"}]}, ()),
    (
        {"names": {"en": "Port of Baku", "ru": "Бакинский порт", "az": "Bakı limanı"}},
        (LANGUAGE_MAP,),
    ),
    ({"stops": ["Aktau", "Alat", "Poti"]}, (LIST,)),
    ({"weight": {"@value": "21500", "@type": "xsd:decimal"}}, (TYPED,)),
    ({"payload": {"containers": [1, 2], "sealed": True}}, (JSON_TERM,)),
    ({"anyTermAtAll": "the examples context's @vocab defines it"}, ()),
]


@pytest.mark.parametrize(("subject", "contexts"), VALID_EDGE_CASES)
def test_valid_json_ld_is_signed_and_verified(subject, contexts) -> None:
    credential = examples_credential(subject, *contexts)
    signed = sign(credential)
    assert verify(signed).verified


def test_an_own_vocab_context_defines_every_term_also_on_pyld_s_path() -> None:
    # the language-tagged value sends the document down PyLD's path; the examples context's
    # own @vocab must still define "nickname" (a sentinel @vocab used to hide it)
    credential = examples_credential(
        {"name": {"@value": "Alat", "@language": "az"}, "nickname": "the new port"}
    )
    dataset = to_quads(credential)
    assert not dataset.fast
    assert dataset.dropped == []


def test_direction_is_signed() -> None:
    credential = examples_credential(
        {"name": {"@value": "ميناء باكو", "@language": "ar", "@direction": "rtl"}}
    )
    nquads = canonical_document(credential)
    assert "<https://www.w3.org/ns/i18n#ar_rtl>" in nquads
    signed = sign(credential)
    assert verify(signed).verified
    flipped = copy.deepcopy(signed)
    flipped["credentialSubject"]["name"]["@direction"] = "ltr"
    assert not verify(flipped).verified


def test_the_fast_path_and_pyld_s_path_drop_the_same_members(cmr) -> None:
    undefined = copy.deepcopy(cmr)
    undefined["credentialSubject"]["colour"] = "red"
    undefined["credentialSubject"]["sender"]["nickname"] = "X"
    fast = to_quads(undefined)
    assert fast.fast
    # an embedded context that changes nothing sends the same document down PyLD's path
    slow_document = copy.deepcopy(undefined)
    slow_document["@context"] = [*slow_document["@context"], {"@version": 1.1}]
    slow = to_quads(slow_document)
    assert not slow.fast
    assert (
        sorted(fast.dropped)
        == sorted(slow.dropped)
        == [
            "/credentialSubject/colour",
            "/credentialSubject/sender/nickname",
        ]
    )


# -- any member added anywhere is signed or refused ------------------------------------------

KEYS = st.one_of(
    st.text(min_size=1, max_size=12),
    st.sampled_from(
        [
            "@comment",
            "@version",
            "@index",
            "@vocab",
            "@base",
            "@foo",
            "x",
            "name",
            "id",
            "type",
            "description",
            "consignor",
            "http://example.org/p",
            "schema:name",
        ]
    ),
)
VALUES = st.recursive(
    st.one_of(
        st.text(min_size=1, max_size=10),
        st.integers(min_value=-(2**31), max_value=2**31),
        st.booleans(),
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6).filter(
            lambda value: value == 0 or abs(value) >= 1e-6
        ),
    ),
    lambda children: (
        st.dictionaries(KEYS, children, min_size=1, max_size=3)
        | st.lists(children, min_size=1, max_size=3)
    ),
    max_leaves=6,
)


def objects_of(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every JSON object in ``value`` (the places a member can be added)."""
    found: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        found.append(path)
        for key, child in value.items():
            if key != "@context":
                found.extend(objects_of(child, (*path, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(objects_of(child, (*path, index)))
    return found


SIGNED_CMR = sign(unsigned_credential("cmr", DID))
PLACES = objects_of(SIGNED_CMR)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(place=st.sampled_from(PLACES), key=KEYS, value=VALUES)
def test_any_member_added_anywhere_is_either_signed_or_refused(place, key, value) -> None:
    credential = copy.deepcopy(SIGNED_CMR)
    target: Any = credential
    for step in place:
        target = target[step]
    if key in target or key == "@context":
        return  # not an added member
    target[key] = value
    result = verify(credential)
    if place and place[0] == "proof":
        # a proof option is signed through the proof configuration, or refused
        assert not result.verified
        return
    try:
        changed = canonical_document(credential, strict=True) != canonical_document(SIGNED_CMR)
    except InvalidValueError:
        assert not result.verified  # refused: named as not covered, or not valid JSON-LD
        return
    except Exception:
        assert not result.verified
        return
    assert changed, f"{place}/{key}={value!r} left the canonical N-Quads unchanged"
    assert not result.verified
