"""What someone with write access to the database (and without the platform secret) can do to
the audit log: rewrite an entry and recompute every later hash and the head, or cut the log
short. Plain SQL, as such a person would run it."""

from __future__ import annotations

import base64
from dataclasses import replace

from sqlalchemy import Engine, text

from transcaspian.domain.documents.audit import GENESIS_HASH, AuditEntry, hash_entry


def rewrite_entry(engine: Engine, entries: list[AuditEntry], sequence: int, actor: str) -> None:
    """Give entry ``sequence`` another actor and recompute every hash from it on, and the head,
    so that the hash chain alone is intact again."""
    previous = entries[sequence - 2].entry_hash if sequence > 1 else GENESIS_HASH
    with engine.begin() as connection:
        for entry in entries[sequence - 1 :]:
            changed = replace(entry, actor=actor if entry.sequence == sequence else entry.actor)
            entry_hash = hash_entry(
                sequence=changed.sequence,
                at=changed.at,
                actor=changed.actor,
                organisation=changed.organisation,
                action=changed.action,
                document_id=changed.document_id,
                document_digest=changed.document_digest,
                detail=changed.detail,
                previous_hash=previous,
            )
            connection.execute(
                text(
                    "UPDATE audit_log SET actor = :actor, previous_hash = :previous, "
                    "entry_hash = :hash WHERE sequence = :sequence"
                ),
                {
                    "actor": changed.actor,
                    "previous": previous,
                    "hash": entry_hash,
                    "sequence": entry.sequence,
                },
            )
            previous = entry_hash
        connection.execute(
            text("UPDATE audit_head SET entry_hash = :hash WHERE head_id = 1"), {"hash": previous}
        )


def truncate(engine: Engine, entries: list[AuditEntry], keep: int) -> None:
    """Delete every entry after ``keep`` and move the head back to it."""
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE sequence > :keep"), {"keep": keep})
        connection.execute(
            text("UPDATE audit_head SET sequence = :keep, entry_hash = :hash WHERE head_id = 1"),
            {"keep": keep, "hash": entries[keep - 1].entry_hash},
        )


def forge_signature(engine: Engine, size: int) -> None:
    """Replace the signature of the checkpoint of entry ``size`` by a well-formed wrong one."""
    with engine.begin() as connection:
        note = connection.execute(
            text("SELECT note FROM audit_checkpoints WHERE size = :size"), {"size": size}
        ).scalar_one()
        connection.execute(
            text("UPDATE audit_checkpoints SET note = :note WHERE size = :size"),
            {"note": flip_signature(note), "size": size},
        )


def flip_signature(note: str) -> str:
    """The note with one bit of its Ed25519 signature flipped (still base64, same length)."""
    text_part, _, signature_line = note.rstrip("\n").rpartition("\n")
    dash, name, encoded = signature_line.split(" ")
    blob = bytearray(base64.b64decode(encoded))
    blob[-1] ^= 1
    return f"{text_part}\n{dash} {name} {base64.b64encode(bytes(blob)).decode()}\n"
