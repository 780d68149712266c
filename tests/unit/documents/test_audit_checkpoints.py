"""Signed checkpoints of the audit log's head: the signed-note format (checked against the
reference vector of golang.org/x/mod/sumdb/note) and the consistency rules audit verify applies."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from transcaspian.domain.documents.audit import AuditEntry, AuditHead, hash_entry, next_entry
from transcaspian.domain.documents.checkpoints import (
    CheckpointError,
    check_checkpoint,
    check_stored_checkpoints,
    note_key_id,
    note_verifier_key,
    parse_checkpoint,
    parse_signed_note,
    sign_checkpoint,
    sign_note,
)

T0 = datetime(2026, 5, 4, 9, tzinfo=UTC)
ORIGIN = "corridor.example/audit"
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))

# The example of golang.org/x/mod/sumdb/note (BSD-3-Clause, The Go Authors), kept as test data:
# a signer key, its verifier key and the note it signs. Ed25519 is deterministic, so our
# signature must be byte for byte the same.
GO_SIGNER_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT
    + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqf"
    "qdngotpRZb6KE6RyyBwJnAM=\n"
)


def go_private_key() -> Ed25519PrivateKey:
    encoded = GO_SIGNER_KEY.split("+", 4)[4]  # PRIVATE+KEY+<name>+<key ID>+<base64>
    raw = base64.b64decode(encoded)
    assert raw[0] == 1  # the Ed25519 algorithm byte
    return Ed25519PrivateKey.from_private_bytes(raw[1:])


def make_log(n: int = 6) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    head = None
    for i in range(n):
        entry = next_entry(
            head,
            at=T0 + timedelta(minutes=i),
            actor="clerk@ktz.example (ktz)",
            organisation="ktz",
            action="document.issue",
            document_id=f"doc-{i}",
            document_digest=None,
        )
        entries.append(entry)
        head = AuditHead(entry.sequence, entry.entry_hash)
    return entries


def checkpoints_of(entries: list[AuditEntry], key: Ed25519PrivateKey = KEY) -> dict[int, str]:
    return {
        e.sequence: sign_checkpoint(
            origin=ORIGIN, size=e.sequence, head_hash=e.entry_hash, at=e.at, private_key=key
        ).note
        for e in entries
    }


def rewritten(entries: list[AuditEntry], sequence: int) -> list[AuditEntry]:
    """The log with entry ``sequence`` edited and every later hash recomputed."""
    out: list[AuditEntry] = []
    previous = entries[sequence - 2].entry_hash if sequence > 1 else "0" * 64
    for entry in entries:
        if entry.sequence < sequence:
            out.append(entry)
            continue
        changed = replace(
            entry,
            actor="forger" if entry.sequence == sequence else entry.actor,
            previous_hash=previous,
        )
        fields = {k: getattr(changed, k) for k in ("sequence", "at", "actor", "organisation")}
        fields |= {k: getattr(changed, k) for k in ("action", "document_id", "document_digest")}
        changed = replace(
            changed, entry_hash=hash_entry(**fields, detail=changed.detail, previous_hash=previous)
        )
        previous = changed.entry_hash
        out.append(changed)
    return out


def test_signing_reproduces_the_go_reference_note_byte_for_byte() -> None:
    key = go_private_key()

    assert sign_note(GO_TEXT, name="PeterNeumann", private_key=key) == GO_NOTE
    assert note_verifier_key("PeterNeumann", key.public_key()) == GO_VERIFIER_KEY
    assert note_key_id("PeterNeumann", key.public_key()).hex() == "c74f20a3"


def test_the_go_reference_note_verifies_and_an_altered_one_does_not() -> None:
    public = go_private_key().public_key()

    assert parse_signed_note(GO_NOTE).is_signed_by("PeterNeumann", public)
    altered = GO_NOTE.replace("problem is.", "problem is!")
    assert not parse_signed_note(altered).is_signed_by("PeterNeumann", public)
    assert not parse_signed_note(GO_NOTE).is_signed_by("PeterNeumann", KEY.public_key())


def test_a_checkpoint_reads_back_what_was_signed() -> None:
    head_hash = "ab" * 32
    checkpoint = sign_checkpoint(
        origin=ORIGIN, size=42, head_hash=head_hash, at=T0, private_key=KEY
    )

    lines = checkpoint.note.splitlines()
    assert lines[:4] == [
        ORIGIN,
        "42",
        base64.b64encode(bytes.fromhex(head_hash)).decode(),
        "time 2026-05-04T09:00:00Z",
    ]
    assert lines[4] == "" and lines[5].startswith(f"— {ORIGIN} ")
    parsed = parse_checkpoint(checkpoint.note)
    assert (parsed.origin, parsed.size, parsed.head_hash, parsed.signed_at) == (
        ORIGIN,
        42,
        head_hash,
        T0,
    )
    assert parsed.is_signed_by(KEY.public_key())
    assert not parsed.is_signed_by(OTHER_KEY.public_key())


def test_a_checkpoint_with_its_size_changed_no_longer_verifies() -> None:
    note = sign_checkpoint(origin=ORIGIN, size=42, head_hash="ab" * 32, at=T0, private_key=KEY).note

    assert not parse_checkpoint(note.replace("\n42\n", "\n41\n", 1)).is_signed_by(KEY.public_key())


@pytest.mark.parametrize(
    "note",
    [
        "",
        "not a note",
        f"{ORIGIN}\n3\n{'A' * 44}\ntime 2026-05-04T09:00:00Z\n",  # no signatures
        f"{ORIGIN}\n03\n{base64.b64encode(b'x' * 32).decode()}\ntime 2026-05-04T09:00:00Z\n\n"
        f"— {ORIGIN} AAAAAAAA\n",  # leading zero in the size
        f"{ORIGIN}\n3\nnot-base64\ntime 2026-05-04T09:00:00Z\n\n— {ORIGIN} AAAAAAAA\n",
        f"{ORIGIN}\n3\n{base64.b64encode(b'x' * 32).decode()}\n\n— {ORIGIN} AAAAAAAA\n",  # no time
        f"{ORIGIN}\n3\n{base64.b64encode(b'x' * 32).decode()}\ntime 2026-05-04T09:00:00Z\n\n"
        f"- {ORIGIN} AAAAAAAA\n",  # a hyphen, not an em dash
    ],
)
def test_what_is_not_a_checkpoint_is_refused(note: str) -> None:
    with pytest.raises(CheckpointError):
        parse_checkpoint(note)


def test_a_genuine_log_agrees_with_every_checkpoint() -> None:
    entries = make_log()

    assert check_stored_checkpoints(checkpoints_of(entries), entries, [KEY.public_key()]) == []


def test_a_log_rewritten_from_entry_3_contradicts_the_checkpoint_of_entry_3() -> None:
    entries = make_log()
    stored = checkpoints_of(entries)
    forged = rewritten(entries, 3)
    assert forged[-1].entry_hash != entries[-1].entry_hash

    problems = check_stored_checkpoints(stored, forged, [KEY.public_key()])

    assert len(problems) == 1
    assert problems[0].startswith("checkpoint of entry 3 (signed 2026-05-04T09:02:00Z)")
    assert "rewritten" in problems[0] and "3 later checkpoints" in problems[0]


def test_a_truncated_log_contradicts_the_checkpoints_past_its_end() -> None:
    entries = make_log()

    problems = check_stored_checkpoints(checkpoints_of(entries), entries[:4], [KEY.public_key()])

    assert len(problems) == 1
    assert problems[0].startswith("checkpoint of entry 5")
    assert "truncated" in problems[0]


def test_a_checkpoint_signed_by_another_key_is_forged() -> None:
    entries = make_log()
    stored = checkpoints_of(entries)
    stored[6] = checkpoints_of(entries[5:], OTHER_KEY)[6]

    problems = check_stored_checkpoints(stored, entries, [KEY.public_key()])

    assert any(p.startswith("checkpoint of entry 6") and "forged" in p for p in problems)
    assert any("entry 6 of 6: not covered" in p for p in problems)


def test_entries_past_the_newest_checkpoint_are_reported() -> None:
    entries = make_log()
    stored = checkpoints_of(entries[:4])

    problems = check_stored_checkpoints(stored, entries, [KEY.public_key()])

    assert problems == [
        "entries 5-6 of 6: not covered by a signed checkpoint (appended outside the platform, or "
        "checkpoints deleted; a log older than checkpoints needs `transcaspian audit checkpoint` "
        "once)"
    ]


def test_a_held_checkpoint_is_extended_by_the_grown_log_but_not_by_a_rewritten_one() -> None:
    entries = make_log()
    held = parse_checkpoint(checkpoints_of(entries[:3])[3])
    keys = [KEY.public_key()]

    assert check_checkpoint(held, entries, keys) is None
    problem = check_checkpoint(held, rewritten(entries, 2), keys, name="the held checkpoint")
    assert problem is not None and problem.startswith("the held checkpoint: entry 3's hash")
