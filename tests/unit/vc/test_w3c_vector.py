"""The W3C eddsa-rdfc-2022 test vector (w3c/vc-di-eddsa TestVectors) verifies in ours."""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

from transcaspian.vc.data_integrity import (
    canonical_document,
    canonical_proof_configuration,
    sign_credential,
    verify_proof,
)
from transcaspian.vc.keys import (
    private_key_from_multibase,
    public_key_from_multibase,
    resolve_did_key,
)
from transcaspian.vc.rdf import pyld_quads, to_quads
from transcaspian.vc.rdfc import canonical_nquads

VECTORS = Path(__file__).parent / "vectors"  # copied from shared/vc-test-data/vectors


def _vector_dir() -> Path:
    return VECTORS


def signed_vector() -> dict:
    return json.loads((_vector_dir() / "eddsa-rdfc-2022-signedDataInt.json").read_text())


def expected(name: str) -> str:
    return (_vector_dir() / name).read_text()


def test_the_document_canonicalizes_to_the_vectors_nquads():
    assert canonical_document(signed_vector()) == expected("eddsa-rdfc-2022-canonDocDataInt.txt")


def test_the_proof_configuration_canonicalizes_to_the_vectors_nquads():
    document = signed_vector()
    assert canonical_proof_configuration(document["proof"], document["@context"]) == expected(
        "eddsa-rdfc-2022-proofCanonDataInt.txt"
    )


def test_the_fast_path_handles_the_vector_and_agrees_with_pyld():
    document = signed_vector()
    del document["proof"]
    dataset = to_quads(document)
    assert dataset.fast
    assert dataset.dropped == []
    assert canonical_nquads(dataset.quads) == canonical_nquads(pyld_quads(document))


def test_the_vector_verifies():
    result = verify_proof(signed_vector(), resolve_key=resolve_did_key)
    assert result.verified, result.problem
    assert result.problem is None
    assert result.verification_method == signed_vector()["proof"]["verificationMethod"]
    assert result.created == datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC)


def test_signing_the_vector_again_gives_the_same_proof_value():
    # Ed25519 is deterministic: same key, same data, same signature, byte for byte.
    vector = signed_vector()
    key_pair = json.loads((_vector_dir() / "keyPair.json").read_text())
    unsigned = copy.deepcopy(vector)
    proof = unsigned.pop("proof")
    signed = sign_credential(
        unsigned,
        private_key=private_key_from_multibase(key_pair["privateKeyMultibase"]),
        verification_method=proof["verificationMethod"],
        created=datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC),
    )
    assert signed["proof"] == vector["proof"]


def test_the_key_pair_round_trips_through_multikey():
    key_pair = json.loads((_vector_dir() / "keyPair.json").read_text())
    public = public_key_from_multibase(key_pair["publicKeyMultibase"])
    private = private_key_from_multibase(key_pair["privateKeyMultibase"])
    from transcaspian.vc.keys import private_key_to_multibase, public_key_to_multibase

    assert public_key_to_multibase(private.public_key()) == key_pair["publicKeyMultibase"]
    assert private_key_to_multibase(private) == key_pair["privateKeyMultibase"]
    assert public_key_to_multibase(public) == key_pair["publicKeyMultibase"]


def test_a_changed_vector_fails_with_the_reason_named():
    document = signed_vector()
    document["credentialSubject"]["alumniOf"] = "Another School"
    result = verify_proof(document, resolve_key=resolve_did_key)
    assert not result.verified
    assert "changed after signing" in result.problem
