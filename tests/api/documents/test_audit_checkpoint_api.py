"""GET /api/v1/audit/checkpoint publishes the newest signed checkpoint of the audit log with the
key that signed it, without authentication, so a third party can hold it and check it offline
(issue 8, defect 10). The check below uses no code of ours: base58, hashlib and cryptography."""

from __future__ import annotations

import base64
import hashlib

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

API = "/api/v1"


def test_the_published_checkpoint_verifies_with_the_published_key(client, corridor, platform):
    response = client.get(f"{API}/audit/checkpoint")

    assert response.status_code == 200, response.text
    body = response.json()
    entries = platform.audit.entries()
    assert body["size"] == entries[-1].sequence
    assert body["head_hash"] == entries[-1].entry_hash
    key = body["key"]
    multicodec = base58.b58decode(key["public_key_multibase"].removeprefix("z"))
    assert multicodec[:2] == b"\xed\x01"  # an Ed25519 Multikey
    raw = multicodec[2:]
    assert key["did"] == "did:key:" + key["public_key_multibase"]
    assert key["verification_method"] == f"{key['did']}#{key['public_key_multibase']}"

    note = body["note"]
    text, _, signatures = note.rpartition("\n\n")
    origin, size, root, time = text.split("\n")
    assert (origin, int(size)) == (body["origin"], body["size"])
    assert base64.b64decode(root).hex() == body["head_hash"]
    assert time.startswith("time ")
    dash, name, encoded = signatures.rstrip("\n").split(" ")
    assert (dash, name) == ("\u2014", origin)
    blob = base64.b64decode(encoded)
    key_id = hashlib.sha256(origin.encode() + b"\n\x01" + raw).digest()[:4]
    assert blob[:4] == key_id
    Ed25519PublicKey.from_public_bytes(raw).verify(blob[4:], (text + "\n").encode())  # raises
    typed_key = base64.b64encode(b"\x01" + raw).decode()
    assert key["note_verifier_key"] == f"{origin}+{key_id.hex()}+{typed_key}"


def test_the_bare_note_is_served_as_text_and_the_log_extends_it(client, corridor, platform):
    note = client.get(f"{API}/audit/checkpoint.txt")

    assert note.status_code == 200
    assert note.headers["content-type"].startswith("text/plain")
    assert note.text == client.get(f"{API}/audit/checkpoint").json()["note"]
    platform.organisations.rotate_key("ktz")
    report = platform.audit.verify(note.text)
    assert report.intact, report.problems
    assert client.get(f"{API}/audit/checkpoint").json()["size"] > int(note.text.split("\n")[1])


def test_before_any_checkpoint_the_endpoint_answers_a_404_problem(client):
    response = client.get(f"{API}/audit/checkpoint")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "no checkpoint" in response.json()["detail"]
