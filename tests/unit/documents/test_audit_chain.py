from dataclasses import replace
from datetime import UTC, datetime, timedelta

from transcaspian.domain.documents.audit import AuditHead, next_entry, verify_audit_chain

T0 = datetime(2026, 5, 1, 8, tzinfo=UTC)


def make_log(n=4):
    entries, head = [], None
    for i in range(n):
        entry = next_entry(
            head,
            at=T0 + timedelta(minutes=i),
            actor="clerk@kaz.example (kaz)",
            organisation="kaz",
            action="document.issue",
            document_id=f"doc-{i}",
            document_digest=f"zDigest{i}",
        )
        entries.append(entry)
        head = AuditHead(entry.sequence, entry.entry_hash)
    return entries, head


def test_an_untouched_log_is_intact():
    entries, head = make_log()
    report = verify_audit_chain(entries, head)
    assert report.intact and report.entries == 4


def test_an_edited_entry_is_detected():
    entries, head = make_log()
    entries[1] = replace(entries[1], actor="someone else")
    report = verify_audit_chain(entries, head)
    assert not report.intact
    assert any("entry 2" in p and "edited" in p for p in report.problems)


def test_a_deleted_entry_is_detected():
    entries, head = make_log()
    del entries[2]
    assert not verify_audit_chain(entries, head).intact


def test_deleting_the_newest_entry_is_caught_by_the_head():
    entries, head = make_log()
    report = verify_audit_chain(entries[:-1], head)
    assert not report.intact
    assert any("head" in p for p in report.problems)


def test_an_inserted_entry_is_detected():
    entries, head = make_log()
    forged = next_entry(
        AuditHead(entries[0].sequence, entries[0].entry_hash),
        at=T0,
        actor="forger",
        organisation="kaz",
        action="document.revoke",
        document_id="doc-0",
        document_digest=None,
    )
    report = verify_audit_chain([entries[0], forged, *entries[1:]], head)
    assert not report.intact
