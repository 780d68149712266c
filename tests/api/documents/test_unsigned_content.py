"""Content the signature does not cover is refused at issue and fails at verify, on every
route and in the console script (issue 8, defects 1–3)."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.api.documents.conftest import bearer
from tests.api.documents.test_vc_api_conformance import EXAMPLES, V2, issue, suite_credential
from tests.unit.vc.test_safe_mode import with_comment, with_null_mapped_term
from transcaspian.documents.types.samples import sample_subject

CONSOLE_SCRIPT = Path(sys.executable).with_name("transcaspian")


def proof_option(credential: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(credential)
    changed["proof"]["extra"] = "released without inspection"
    return changed


CHANGES = [
    (with_null_mapped_term, "/credentialSubject/x"),
    (with_comment, "/credentialSubject/@comment"),
    (proof_option, "/proof/extra"),
]


@pytest.fixture
def signed(client, corridor) -> dict[str, Any]:
    body = {
        "document_type": "cmr",
        "subject": sample_subject("cmr"),
    }
    created = client.post("/api/v1/documents", json=body, headers=bearer(corridor.tokens["ktz"]))
    assert created.status_code == 201, created.text
    document_id = created.json()["document_id"]
    bundle = client.get(
        f"/api/v1/documents/{document_id}/credential", headers=bearer(corridor.tokens["ktz"])
    ).json()
    return bundle["verifiableCredential"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(("change", "pointer"), CHANGES[:2])
def test_issue_answers_400_naming_the_member(client, corridor, change, pointer) -> None:
    credential = suite_credential(issuer=corridor["ktz"].organisation.did)
    response = issue(client, corridor.tokens["ktz"], change(credential))
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    pointers = [error["pointer"] for error in response.json()["errors"]]
    assert "/credential" + pointer in pointers, pointers


@pytest.mark.parametrize(("change", "pointer"), CHANGES)
def test_both_verify_routes_refuse_it(client, signed, change, pointer) -> None:
    assert client.post("/api/v1/documents/verify", json=signed).json()["verified"]
    altered = change(signed)
    report = client.post("/api/v1/documents/verify", json=altered).json()
    assert report["verified"] is False
    assert any(pointer in reason for reason in report["reasons"]), report["reasons"]

    vc_api = client.post("/credentials/verify", json={"verifiableCredential": altered})
    assert vc_api.status_code in (200, 400), vc_api.text
    answer = vc_api.json()
    assert answer.get("verified") is not True
    assert pointer in json.dumps(answer), answer


@pytest.mark.parametrize(("change", "pointer"), CHANGES)
def test_the_console_script_exits_1(platform, signed, tmp_path, change, pointer) -> None:
    path = tmp_path / "altered.json"
    path.write_text(json.dumps(change(signed)))
    completed = subprocess.run(
        [str(CONSOLE_SCRIPT), "documents", "verify", str(path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TRANSCASPIAN_DATABASE_URL": platform.settings.database_url},
    )
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "NOT VERIFIED" in completed.stdout
    assert pointer in completed.stdout + completed.stderr


def test_a_language_tagged_credential_with_an_own_vocab_context_is_issued(client, corridor):
    # defect 3: PyLD's path used to hide the examples context's @vocab behind a sentinel
    credential = suite_credential(
        credentialSubject={
            "id": "did:example:1",
            "alumniOf": {"@value": "Kazakh-British Technical University", "@language": "en"},
            "nickname": {"@value": "КБТУ", "@language": "ru"},
        },
        issuer=corridor["ktz"].organisation.did,
    )
    response = issue(client, corridor.tokens["ktz"], credential)
    assert response.status_code == 201, response.text
    credential = response.json()["verifiableCredential"]
    assert credential["@context"][:2] == [V2, EXAMPLES]
    verified = client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert verified.status_code == 200, verified.text
    assert verified.json()["verified"] is True
