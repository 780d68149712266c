"""Signed checkpoints catch what the hash chain alone cannot: someone with database access who
rewrites an entry and recomputes every later hash, or cuts the log short (issue 8, defect 10).
Through the service, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text
from tests.integration.documents.audit_forgery import forge_signature, rewrite_entry, truncate

from transcaspian.domain.documents.checkpoints import sign_checkpoint
from transcaspian.domain.documents.sealing import seal_private_key
from transcaspian.domain.errors import ConflictError
from transcaspian.vc.keys import did_key_verification_method, public_key_to_multibase


@pytest.fixture
def log(doc_platform, corridor, clock):
    clock.advance(minutes=5)
    doc_platform.organisations.rotate_key("ktz")
    report = doc_platform.audit.verify()
    assert report.intact, report.problems
    assert report.entries >= 20
    return doc_platform


def test_every_append_signs_a_checkpoint_of_the_new_head(log):
    entries = log.audit.entries()
    report = log.audit.verify()

    assert report.checkpoints == report.entries == len(entries)
    published = log.audit.latest_checkpoint()
    assert published.checkpoint.size == entries[-1].sequence
    assert published.checkpoint.head_hash == entries[-1].entry_hash
    assert published.checkpoint.origin == "127.0.0.1:8000/audit"
    assert published.did.startswith("did:key:z6Mk")


def test_a_rewritten_and_rehashed_log_contradicts_the_checkpoint_it_rewrote(log, engine):
    entries = log.audit.entries()
    rewrite_entry(engine, entries, 5, actor="nobody")
    # the chain alone no longer shows it: every hash and the head were recomputed
    assert log.audit.entries()[-1].entry_hash != entries[-1].entry_hash

    report = log.audit.verify()

    assert not report.intact
    assert len(report.problems) == 1
    assert report.problems[0].startswith("checkpoint of entry 5 (signed ")
    assert "the log was rewritten" in report.problems[0]


def test_a_truncated_log_contradicts_the_checkpoints_past_its_end(log, engine):
    entries = log.audit.entries()
    truncate(engine, entries, keep=10)

    report = log.audit.verify()

    assert not report.intact
    assert report.problems[0].startswith("checkpoint of entry 11 ")
    assert "truncated" in report.problems[0]


def test_a_checkpoint_with_a_forged_signature_is_reported(log, engine):
    newest = log.audit.entries()[-1].sequence
    forge_signature(engine, newest)

    report = log.audit.verify()

    assert not report.intact
    assert any(
        p.startswith(f"checkpoint of entry {newest} ") and "forged" in p for p in report.problems
    )
    with pytest.raises(ConflictError, match="does not verify"):
        log.audit.latest_checkpoint()


def test_deleting_every_checkpoint_leaves_the_log_uncovered(log, engine):
    entries = log.audit.entries()
    rewrite_entry(engine, entries, 5, actor="nobody")
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_checkpoints"))

    report = log.audit.verify()

    assert not report.intact
    assert report.problems == (
        f"entries 1-{len(entries)} of {len(entries)}: not covered by a signed checkpoint "
        "(appended outside the platform, or checkpoints deleted; a log older than checkpoints "
        "needs `transcaspian audit checkpoint` once)",
    )


def test_a_key_and_checkpoints_made_without_the_platform_secret_do_not_count(log, engine, clock):
    """The forger also writes a key of their own and re-signs every checkpoint with it."""
    entries = log.audit.entries()
    rewrite_entry(engine, entries, 5, actor="nobody")
    forged_entries = log.audit.entries()
    forger = Ed25519PrivateKey.generate()
    key_id = did_key_verification_method(forger.public_key())
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_checkpoints"))
        connection.execute(text("DELETE FROM platform_keys"))
        connection.execute(
            text(
                "INSERT INTO platform_keys (key_id, public_key_multibase, sealed_private_key, "
                "created_at) VALUES (:key_id, :public, :sealed, :at)"
            ),
            {
                "key_id": key_id,
                "public": public_key_to_multibase(forger.public_key()),
                "sealed": seal_private_key(forger, secret="a guess at the secret", bound_to=key_id),
                "at": clock.at.isoformat() if engine.dialect.name == "sqlite" else clock.at,
            },
        )
        for entry in forged_entries:
            note = sign_checkpoint(
                origin="127.0.0.1:8000/audit",
                size=entry.sequence,
                head_hash=entry.entry_hash,
                at=entry.at,
                private_key=forger,
            ).note
            connection.execute(
                text("INSERT INTO audit_checkpoints (size, key_id, note) VALUES (:s, :k, :n)"),
                {"s": entry.sequence, "k": key_id, "n": note},
            )

    report = log.audit.verify()

    assert not report.intact
    assert report.problems[0] == (
        f"platform key {key_id}: does not open with this secret_key (not made by this "
        "platform, or the secret was changed)"
    )
    assert any("forged" in p for p in report.problems)


def test_a_held_checkpoint_is_extended_by_the_grown_log_and_contradicted_by_a_rewrite(
    log, engine, clock
):
    held = log.audit.checkpoint().checkpoint.note
    clock.advance(minutes=1)
    log.organisations.rotate_key("ktz")

    grown = log.audit.verify(held)
    assert grown.intact, grown.problems
    assert grown.held is not None and grown.held.startswith("checkpoint of entry ")

    entries = log.audit.entries()
    rewrite_entry(engine, entries, 3, actor="nobody")
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_checkpoints"))
    report = log.audit.verify(held)
    assert any(p.startswith("the held checkpoint of entry ") for p in report.problems)


def test_checkpoint_on_demand_covers_a_log_older_than_checkpoints(log, engine):
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_checkpoints"))  # as after the upgrade
    assert not log.audit.verify().intact

    published = log.audit.checkpoint()

    assert published.checkpoint.size == log.audit.entries()[-1].sequence
    assert log.audit.verify().intact
    assert log.audit.checkpoint().checkpoint.note == published.checkpoint.note  # no new one


@pytest.mark.parametrize("tamper", ["rewrite", "truncate"])
def test_the_platform_signs_nothing_the_log_does_not_extend(log, engine, clock, tamper):
    entries = log.audit.entries()
    if tamper == "rewrite":
        rewrite_entry(engine, entries, len(entries), actor="nobody")  # the newest entry
    else:
        truncate(engine, entries, keep=len(entries) - 1)
    clock.advance(minutes=1)

    with pytest.raises(ConflictError, match="does not extend the checkpoint of entry"):
        log.organisations.rotate_key("ktz")
    with pytest.raises(ConflictError, match="does not extend the checkpoint of entry"):
        log.audit.checkpoint()
    assert log.audit.entries()[-1].sequence == len(entries) - (tamper == "truncate")
