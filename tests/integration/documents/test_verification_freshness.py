"""The verifier's memos never show an old state (issue 8, HTTP verification rate): a revocation,
a suspension, a reinstatement or a key rotation is visible to the very next verification, with
every memo warm, on SQLite and PostgreSQL, in-process and through the served HTTP API with two
worker processes (a memo per process)."""

from __future__ import annotations

import copy
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import event
from tests.integration.documents.test_document_flow import issue_note

from transcaspian.bootstrap import build_platform
from transcaspian.domain.documents.parties import OrgRole, UserRole
from transcaspian.services import credentials_gateway as vc
from transcaspian.services import verification_cache
from transcaspian.services.verification import OfflineTrustSource
from transcaspian.settings import Settings

WARM = 24  # verifications before the change, spread over fresh connections
AFTER = 24  # verifications after it: every one must see the change
STARTUP_S = 240  # two worker processes on a busy machine import slowly


def test_a_revocation_is_seen_by_the_next_verification_with_memos_warm(doc_platform, corridor):
    document = issue_note(doc_platform, corridor)
    credential = document.current.credential
    for _ in range(3):
        assert doc_platform.verifier.verify_credential(credential).verified
    hits = verification_cache._LIST_PROOFS.hits
    assert doc_platform.verifier.verify_credential(credential).verified
    assert verification_cache._LIST_PROOFS.hits > hits, "the status list proof memo is not used"
    doc_platform.documents.revoke(corridor["ktz"], document.document_id)
    report = doc_platform.verifier.verify_credential(credential)
    assert not report.verified
    assert report.check("status").outcome == "failed"
    assert "revoked" in report.check("status").explanation


def test_a_key_rotation_is_seen_by_the_next_verification_with_memos_warm(
    doc_platform, corridor, clock
):
    credential = issue_note(doc_platform, corridor).current.credential
    for _ in range(3):
        report = doc_platform.verifier.verify_credential(credential)
        assert report.verified and "still current" in report.check("key").explanation
    clock.advance(minutes=5)
    doc_platform.organisations.rotate_key("ktz")
    report = doc_platform.verifier.verify_credential(credential)
    assert report.verified, report.reasons  # signed before the retirement: still valid
    assert "retired at 2026-05-04T09:05:00+00:00" in report.check("key").explanation


def test_a_verification_reads_the_store_through_one_connection(
    doc_platform, corridor, engine, clock
):
    credential = issue_note(doc_platform, corridor).current.credential
    checkouts = []

    def checkout(*_: object) -> None:
        checkouts.append(1)

    event.listen(engine, "checkout", checkout)
    try:
        assert doc_platform.verifier.verify_credential(credential).verified
        assert len(checkouts) == 1, f"{len(checkouts)} connections for one verification"
        offline = OfflineTrustSource({"issuers": []}, {}, clock.at)
        assert not doc_platform.verifier.verify(credential, offline).verified
        assert len(checkouts) == 1, "an offline verification opened a connection"
    finally:
        event.remove(engine, "checkout", checkout)


def test_the_list_proof_memo_answers_only_for_the_same_list_and_keys(
    doc_platform, corridor, monkeypatch
):
    issue_note(doc_platform, corridor)
    listed = doc_platform.documents.status_list_credential("ktz-revocation")
    keys = verification_cache.resolved_keys(doc_platform.organisations.get("ktz"))
    computed = []
    real = vc.verify_proof

    def counting(document, resolve, **options):
        computed.append(document)
        return real(document, resolve, **options)

    monkeypatch.setattr(vc, "verify_proof", counting)
    verification_cache._LIST_PROOFS.clear()
    right = {method: key.public_key for method, key in keys.items()}
    assert verification_cache.verify_status_list_proof(listed, right.__getitem__).verified
    assert verification_cache.verify_status_list_proof(listed, right.__getitem__).verified
    assert len(computed) == 1, "the same list and key were verified twice"

    for change in _changes(listed):
        verification_cache.verify_status_list_proof(change, right.__getitem__)
    assert len(computed) == 1 + 4, "a changed list was answered from the memo"
    flipped = next(_changes(listed))  # the same text as the first change: from the memo
    assert not verification_cache.verify_status_list_proof(flipped, right.__getitem__).verified
    assert len(computed) == 1 + 4

    other = Ed25519PrivateKey.generate().public_key()
    wrong = dict.fromkeys(right, other)
    assert not verification_cache.verify_status_list_proof(listed, wrong.__getitem__).verified
    assert len(computed) == 1 + 4 + 1, "another key was answered from the memo"


def _changes(listed):
    """The list with its bitstring changed, a member added (as 1, then as true, which Python
    holds equal to 1), and its members in another order."""
    flipped = copy.deepcopy(listed)
    subject = flipped["credentialSubject"]
    subject["encodedList"] = subject["encodedList"][:-1] + (
        "A" if subject["encodedList"][-1] != "A" else "B"
    )
    yield flipped
    for value in (1, True):
        added = copy.deepcopy(listed)
        added["credentialSubject"]["extra"] = value
        yield added
    yield dict(reversed(list(copy.deepcopy(listed).items())))


# -- through HTTP, two worker processes -----------------------------------------------------
@dataclass
class Served:
    base_url: str
    token: str
    process: subprocess.Popen[bytes]


@pytest.fixture
def served(engine, tmp_path: Path) -> Iterator[Served]:
    """``transcaspian serve --workers 2`` (the installed console script) on this test's
    database, with a carrier that may issue."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    database_url = engine.url.render_as_string(hide_password=False)
    platform = build_platform(Settings(database_url=database_url, base_url=base_url))
    try:
        platform.organisations.create_organisation(
            "ktz", "Kazakhstan Temir Zholy", {OrgRole.CARRIER}, country="KZ"
        )
        platform.organisations.create_user("ktz", "clerk@ktz.example", UserRole.CLERK)
        token = platform.organisations.create_token("clerk@ktz.example", "tests").secret
    finally:
        platform.engine.dispose()
    script = shutil.which("transcaspian", path=str(Path(sys.executable).parent))
    assert script, "the transcaspian console script is not installed in this environment"
    environment = {
        **os.environ,
        "TRANSCASPIAN_DATABASE_URL": database_url,
        "TRANSCASPIAN_BASE_URL": base_url,
        "TRANSCASPIAN_LOG_LEVEL": "WARNING",
        "TRANSCASPIAN_RATE_LIMIT": "100000/second",  # the test sends bursts from one address
    }
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [script, "serve", "--port", str(port), "--no-load", "--workers", "2"],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(process, base_url, tmp_path / "server.log")
        yield Served(base_url, token, process)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_revoke_then_verify_through_http_with_two_workers_says_revoked(served):
    headers = {"Authorization": f"Bearer {served.token}"}
    with httpx.Client(base_url=served.base_url, timeout=60) as client:
        issued = client.post(
            "/api/v1/documents",
            json={"document_type": "cim-smgs", "subject": _subject()},
            headers=headers,
        )
        assert issued.status_code == 201, issued.text
        bundle = client.get(
            f"/api/v1/documents/{issued.json()['document_id']}/credential", headers=headers
        )
        credential = bundle.json()["verifiableCredential"]
    workers = _workers(served.process)
    assert len(workers) == 2, f"expected two worker processes, found {workers}"

    before = _verify_many(served.base_url, credential, WARM)
    assert before == [(200, True)] * WARM

    for purpose, status, expected in (
        ("suspension", True, "suspended"),
        ("suspension", False, None),  # reinstated: verified again
        ("revocation", True, "revoked"),
    ):
        with httpx.Client(base_url=served.base_url, timeout=60) as client:
            changed = client.post(
                "/credentials/status",
                json={
                    "credentialId": credential["id"],
                    "credentialStatus": {
                        "type": "BitstringStatusListEntry",
                        "statusPurpose": purpose,
                    },
                    "status": status,
                },
                headers=headers,
            )
        assert changed.status_code == 200, changed.text
        answers = _verify_many(served.base_url, credential, AFTER, expect_word=expected)
        wanted = (200, True) if expected is None else (400, False)
        assert answers == [wanted] * AFTER, f"after {purpose}={status}: {answers}"


def _verify_many(
    base_url: str, credential: dict, count: int, expect_word: str | None = None
) -> list[tuple[int, bool]]:
    """``count`` verifications, each on a fresh connection, four at a time (so both workers
    answer some); (status, verified) of each, and the word each failure must name."""

    def verify(_: int) -> tuple[int, bool]:
        with httpx.Client(base_url=base_url, timeout=60) as client:
            response = client.post("/credentials/verify", json={"verifiableCredential": credential})
        if expect_word is not None:
            assert expect_word in response.text, response.text
        return response.status_code, response.json()["verified"]

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(verify, range(count)))


def _subject() -> dict:
    from transcaspian.documents.types.samples import sample_subject

    return sample_subject("cim-smgs")


def _workers(process: subprocess.Popen[bytes]) -> list[int]:
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    listed = [int(pid) for pid in children.read_text().split()]
    # the workers are spawned processes; the supervisor may also run a resource tracker
    return [pid for pid in listed if _is_spawn(pid)]


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _is_spawn(pid: int) -> bool:
    line = _command_line(pid)
    return "multiprocessing.spawn" in line or "spawn_main" in line


def _wait_for(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            answered = httpx.get(base_url + "/openapi.json", timeout=10).status_code == 200
            if answered and len(_workers(process)) == 2 and _all_serving(base_url):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"the server did not answer within {STARTUP_S} s:\n{log.read_text()}")


def _all_serving(base_url: str) -> bool:
    """Both workers have started: several concurrent requests all answer."""

    def get(_: int) -> int:
        return httpx.get(base_url + "/openapi.json", timeout=30).status_code

    with ThreadPoolExecutor(4) as pool:
        return all(code == 200 for code in pool.map(get, range(8)))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
