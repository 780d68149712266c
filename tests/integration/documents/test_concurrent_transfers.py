"""No double transfer: 20 concurrent transfer requests for one bill of lading against
PostgreSQL; exactly one succeeds and the endorsement chain stays valid."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from tests.integration.documents.corridor import ORGANISATIONS

from transcaspian.documents.types.samples import sample_subject
from transcaspian.domain.documents.parties import OrgRole
from transcaspian.domain.errors import ConflictError, InvalidValueError, PermissionDeniedError
from transcaspian.services.documents import IssueRequest

ATTEMPTS = 20


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_twenty_concurrent_transfers_exactly_one_succeeds(doc_platform, corridor, engine):
    assert engine.dialect.name == "postgresql"
    receivers = []
    for n in range(ATTEMPTS):
        slug = f"bank-{n:02d}"
        doc_platform.organisations.create_organisation(slug, f"Bank {n}", {OrgRole.BANK})
        receivers.append(slug)
    bill = doc_platform.documents.issue(
        corridor["caspian-lines"],
        IssueRequest("bill-of-lading", sample_subject("bill-of-lading"), holder="kaz-exporter"),
    )
    holder = corridor["kaz-exporter"]
    barrier = Barrier(ATTEMPTS)

    def attempt(to):
        barrier.wait()
        try:
            doc_platform.documents.transfer(holder, bill.document_id, to)
            return "ok"
        except (ConflictError, PermissionDeniedError, InvalidValueError) as error:
            return type(error).__name__

    with ThreadPoolExecutor(ATTEMPTS) as pool:
        outcomes = list(pool.map(attempt, receivers))
    assert outcomes.count("ok") == 1, outcomes
    stored = doc_platform.documents.get_for(holder, bill.document_id)
    assert len(stored.endorsements) == 2
    assert stored.holder == receivers[outcomes.index("ok")]
    report = doc_platform.verifier.verify(stored.current.credential)
    assert report.verified, report.reasons
    assert doc_platform.audit.verify().intact
    assert len(ORGANISATIONS) < ATTEMPTS  # the receivers are all new, distinct organisations
