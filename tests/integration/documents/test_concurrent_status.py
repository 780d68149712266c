"""No lost status changes and no key-rotation race (issue 9 defect 1, issue 8 defect 9), on
PostgreSQL and SQLite: every status-list read-modify-write runs under the issuer's lock, and
signing reads the key under the same lock key rotation takes."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from tests.integration.documents.test_document_flow import issue_note

from transcaspian.services import credentials_gateway as vc

REVOCATIONS = 50
ISSUES = 24
ROTATIONS = 4
WORKERS = 10


class TickingClock:
    """A clock that moves on 1 ms at every reading, as a real one does between calls."""

    def __init__(self) -> None:
        self.at = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            self.at += timedelta(milliseconds=1)
            return self.at


@pytest.fixture
def clock() -> TickingClock:
    return TickingClock()


def test_fifty_concurrent_revocations_all_land_in_the_signed_list(doc_platform, corridor):
    documents = [issue_note(doc_platform, corridor) for _ in range(REVOCATIONS)]
    ktz = corridor["ktz"]

    def revoke(document_id):
        return doc_platform.documents.revoke(ktz, document_id).status.value

    with ThreadPoolExecutor(WORKERS) as pool:
        outcomes = list(pool.map(revoke, [d.document_id for d in documents]))
    assert outcomes == ["revoked"] * REVOCATIONS
    published = doc_platform.documents.status_list_credential("ktz-revocation")
    lost = [
        d.current.status_index
        for d in documents
        if not vc.is_set(published, d.current.status_index)
    ]
    assert lost == [], f"{len(lost)} of {REVOCATIONS} revocations lost from the published list"
    list_report = doc_platform.verifier.verify(published)
    assert list_report.check("proof").outcome == "passed", list_report.reasons
    for document in documents[:: REVOCATIONS // 5]:
        report = doc_platform.verifier.verify(document.current.credential)
        assert not report.verified and "revoked" in report.check("status").explanation


def test_concurrent_suspensions_and_revocations_keep_every_bit(doc_platform, corridor):
    documents = [issue_note(doc_platform, corridor) for _ in range(20)]
    ktz = corridor["ktz"]

    def step(pair):
        n, document = pair
        if n % 2:
            return doc_platform.documents.suspend(ktz, document.document_id).status.value
        return doc_platform.documents.revoke(ktz, document.document_id).status.value

    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(step, enumerate(documents)))
    revocation = doc_platform.documents.status_list_credential("ktz-revocation")
    suspension = doc_platform.documents.status_list_credential("ktz-suspension")
    for n, document in enumerate(documents):
        published = suspension if n % 2 else revocation
        assert vc.is_set(published, document.current.status_index), n


def test_documents_issued_during_key_rotations_all_verify(doc_platform, corridor):
    def work(n):
        if n % (ISSUES // ROTATIONS + 1) == 0:
            return doc_platform.organisations.rotate_key("ktz").key_id
        return issue_note(doc_platform, corridor)

    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(work, range(ISSUES + ROTATIONS)))
    rotated = [r for r in results if isinstance(r, str)]
    issued = [r for r in results if not isinstance(r, str)]
    assert len(rotated) == ROTATIONS and len(set(rotated)) == ROTATIONS
    keys = doc_platform.organisations.get("ktz").keys
    assert len(keys) == ROTATIONS + 1
    unverifiable = []
    for document in issued:
        report = doc_platform.verifier.verify(document.current.credential)
        if not report.verified:
            unverifiable.append(report.reasons)
    assert unverifiable == [], unverifiable
    assert doc_platform.audit.verify().intact
