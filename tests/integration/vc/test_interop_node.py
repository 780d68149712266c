"""A credential we sign verifies in an independent implementation: Digital Bazaar's
@digitalbazaar/vc with the eddsa-rdfc-2022 cryptosuite, in Node, offline.

Our eight document types and the JSON-LD edge cases of tests/interop/cases.py (language-tagged
values, language maps, ``@direction``, ``@vocab`` contexts, nested objects, ``@list``, typed
values, ``@json``), signed by our ``sign_credential``, verify there; each batch in one Node
process. The other direction is tests/integration/vc/test_interop_from_node.py.

Needs ``npm ci --prefix interop`` (the CI script runs it). Without it these tests fail with
that instruction; they never skip.
"""

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tests.interop.cases import NODE_MODULES, VERIFIER, db_verify_batch, edge_cases

from transcaspian.documents.types import DOCUMENT_TYPES
from transcaspian.documents.types.samples import sample_subject
from transcaspian.domain.errors import InvalidValueError
from transcaspian.vc.credentials import build_credential
from transcaspian.vc.data_integrity import sign_credential
from transcaspian.vc.keys import did_key_for, did_key_verification_method, generate_private_key
from transcaspian.vc.status_list import status_entry

__all__ = ["NODE_MODULES", "VERIFIER", "node_verify"]  # tests/api reuse them


CREATED = datetime(2026, 4, 17, 9, 30, tzinfo=UTC)


def node_verify(credential: dict, tmp_path: Path) -> dict:
    node = shutil.which("node")
    assert node, "node is not installed; the interop test needs Node.js 20+"
    assert (NODE_MODULES / "@digitalbazaar" / "vc").is_dir(), (
        f"{NODE_MODULES} is missing: run `npm ci --prefix interop` first"
    )
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(credential))
    completed = subprocess.run(
        [node, str(VERIFIER), str(path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode in (0, 1), completed.stdout + completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def signed(slug: str, key: Ed25519PrivateKey | None = None) -> dict:
    key = key or generate_private_key()
    did = did_key_for(key.public_key())
    credential = build_credential(
        slug,
        sample_subject(slug),
        issuer=did,
        credential_id="urn:uuid:5b0f6c1e-1f1a-4c8e-9a51-6d9b1a3f0417",
        valid_from=datetime(2026, 4, 17, tzinfo=UTC),
        valid_until=datetime(2027, 4, 17, tzinfo=UTC),
        status=[
            status_entry("https://transcaspian.example/status/revocation/1", 417, "revocation"),
            status_entry("https://transcaspian.example/status/suspension/1", 417, "suspension"),
        ],
    )
    return sign_credential(
        credential,
        private_key=key,
        verification_method=did_key_verification_method(key.public_key()),
        created=CREATED,
    )


def test_our_consignment_note_verifies_in_digital_bazaars_verifier(tmp_path):
    result = node_verify(signed("cim-smgs"), tmp_path)
    assert result == {"verified": True, "error": None}


def test_a_consignment_note_changed_in_one_field_fails_there(tmp_path):
    credential = signed("cim-smgs")
    credential["credentialSubject"]["goodsItems"][0]["grossWeightKg"] = "52521.000"
    result = node_verify(credential, tmp_path)
    assert result["verified"] is False
    assert "signature" in result["error"].lower()


@pytest.fixture(scope="module")
def verdicts_on_ours(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Digital Bazaar's verdict on every document type and edge case we sign (or our
    refusal to sign it, as {"refused": message}), one Node process for all."""
    key = generate_private_key()
    method = did_key_verification_method(key.public_key())
    credentials = {slug: signed(slug, key) for slug in DOCUMENT_TYPES}
    refused = {}
    for name, credential in edge_cases(did_key_for(key.public_key())).items():
        try:
            credentials[name] = sign_credential(
                credential, private_key=key, verification_method=method, created=CREATED
            )
        except InvalidValueError as error:
            refused[name] = {"refused": error.message}
    return {**db_verify_batch(credentials, tmp_path_factory.mktemp("interop")), **refused}


@pytest.mark.parametrize("slug", DOCUMENT_TYPES)
def test_every_document_type_verifies_there(slug: str, verdicts_on_ours: dict[str, dict]) -> None:
    # Digital Bazaar verifies in "safe mode": an undefined term would fail here.
    assert verdicts_on_ours[slug] == {"verified": True, "error": None}


@pytest.mark.parametrize("name", edge_cases("did:example:issuer"))
def test_json_ld_edge_cases_we_sign_verify_there(
    name: str, verdicts_on_ours: dict[str, dict]
) -> None:
    assert verdicts_on_ours[name] == {"verified": True, "error": None}
