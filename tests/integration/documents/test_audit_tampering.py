"""Editing, inserting or deleting an audit row directly in the database is detected
(SQLite and PostgreSQL), by the service and by ``transcaspian audit verify``."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from transcaspian.domain.documents.audit import hash_entry


@pytest.fixture
def busy_log(doc_platform, corridor, clock):
    # the corridor fixture already wrote entries (organisations, users, tokens)
    for _ in range(2):
        clock.advance(minutes=5)
        doc_platform.organisations.rotate_key("ktz")
    report = doc_platform.audit.verify()
    assert report.intact, report.problems
    assert report.entries >= 10
    return doc_platform


def test_an_edited_row_is_detected(busy_log, engine):
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'nobody' WHERE sequence = 3"))
    report = busy_log.audit.verify()
    assert not report.intact
    assert any("entry 3" in p and "edited" in p for p in report.problems)


def test_a_deleted_row_is_detected(busy_log, engine):
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE sequence = 4"))
    report = busy_log.audit.verify()
    assert not report.intact
    assert any("deleted" in p for p in report.problems)


def test_deleting_the_newest_row_is_detected(busy_log, engine):
    with engine.begin() as connection:
        last = connection.execute(text("SELECT max(sequence) FROM audit_log")).scalar_one()
        connection.execute(text("DELETE FROM audit_log WHERE sequence = :s"), {"s": last})
    assert not busy_log.audit.verify().intact


def test_an_inserted_row_with_a_well_formed_hash_is_detected(busy_log, engine):
    entries = busy_log.audit.entries()
    last = entries[-1]
    forged = {
        "sequence": last.sequence + 1,
        "at": last.at + timedelta(minutes=1),
        "actor": "forger",
        "organisation": "ktz",
        "action": "document.revoke",
        "document_id": None,
        "document_digest": None,
        "detail": "",
        "previous_hash": last.entry_hash,
    }
    forged["entry_hash"] = hash_entry(**forged)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_log (sequence, at, actor, organisation, action, document_id, "
                "document_digest, detail, previous_hash, entry_hash) VALUES (:sequence, :at, "
                ":actor, :organisation, :action, :document_id, :document_digest, :detail, "
                ":previous_hash, :entry_hash)"
            ),
            {**forged, "at": forged["at"].replace(tzinfo=None)}
            if engine.dialect.name == "sqlite"
            else forged,
        )
    report = busy_log.audit.verify()
    assert not report.intact
    assert any("head" in p for p in report.problems)


def test_an_inserted_row_in_the_middle_is_detected(busy_log, engine):
    with engine.begin() as connection:
        rows = connection.execute(text("SELECT sequence FROM audit_log ORDER BY sequence DESC"))
        for (sequence,) in rows.all():
            if sequence >= 5:
                connection.execute(
                    text("UPDATE audit_log SET sequence = sequence + 1 WHERE sequence = :s"),
                    {"s": sequence},
                )
        connection.execute(
            text(
                "INSERT INTO audit_log (sequence, at, actor, organisation, action, detail, "
                "previous_hash, entry_hash) SELECT 5, at, 'forger', organisation, action, detail, "
                "entry_hash, entry_hash FROM audit_log WHERE sequence = 4"
            )
        )
    report = busy_log.audit.verify()
    assert not report.intact
