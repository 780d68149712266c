"""A credential we sign verifies in an independent implementation: Digital Bazaar's
@digitalbazaar/vc with the eddsa-rdfc-2022 cryptosuite, in Node, offline.

Needs ``npm ci --prefix interop`` (the CI script runs it). Without it these tests fail with
that instruction; they never skip.
"""

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from transcaspian.documents.types import DOCUMENT_TYPES
from transcaspian.documents.types.samples import sample_subject
from transcaspian.vc.credentials import build_credential
from transcaspian.vc.data_integrity import sign_credential
from transcaspian.vc.keys import did_key_for, did_key_verification_method, generate_private_key
from transcaspian.vc.status_list import status_entry

ROOT = Path(__file__).resolve().parents[3]
VERIFIER = ROOT / "tests" / "interop" / "verify.mjs"
NODE_MODULES = ROOT / "interop" / "node_modules"


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


def signed(slug: str) -> dict:
    key = generate_private_key()
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
        created=datetime(2026, 4, 17, 9, 30, tzinfo=UTC),
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


@pytest.mark.parametrize("slug", sorted(set(DOCUMENT_TYPES) - {"cim-smgs"}))
def test_every_other_document_type_verifies_there_too(slug, tmp_path):
    # Digital Bazaar signs and verifies in "safe mode": an undefined term would fail here.
    assert node_verify(signed(slug), tmp_path)["verified"] is True
