"""Signed checkpoints of the audit log's head, so the chain cannot be rewritten unseen.

The hash chain (audit.py) catches an edited, inserted or deleted entry only as long as nobody
recomputes every hash after it, which anyone with write access to the database can do. A
checkpoint is the platform's Ed25519 signature over the head at some moment: who holds one can
later tell whether the log still extends it, because entry ``size``'s hash commits to every entry
up to it.

A checkpoint is a C2SP signed note (c2sp.org/signed-note) with a tlog-checkpoint body
(c2sp.org/tlog-checkpoint)::

    127.0.0.1:8000/audit                            origin: the log's name
    42                                              size: how many entries it covers
    q1a2...base64 of the 32-byte head hash...=      root hash: entry 42's entry_hash
    time 2026-05-04T09:00:00Z                       extension line: when it was signed

    — 127.0.0.1:8000/audit <base64(key ID || Ed25519 signature)>

The "root hash" is the hash chain's head, not an RFC 6962 Merkle root: note tooling (e.g.
golang.org/x/mod/sumdb/note) can check the signature, but there are no Merkle proofs. The key
name is the origin; the key ID is SHA-256(name || 0x0A || 0x01 || public key)[:4].
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from transcaspian.domain.documents.audit import AuditEntry
from transcaspian.domain.errors import InvalidValueError

__all__ = [
    "ED25519_SIGNATURE_TYPE",
    "Checkpoint",
    "CheckpointError",
    "SignedNote",
    "check_checkpoint",
    "check_stored_checkpoints",
    "note_key_id",
    "note_verifier_key",
    "parse_checkpoint",
    "parse_signed_note",
    "sign_checkpoint",
    "sign_note",
]

ED25519_SIGNATURE_TYPE = b"\x01"
_EM_DASH = "\u2014"
_TIME_PREFIX = "time "
_MAX_NOTE_CHARS = 16_384


class CheckpointError(InvalidValueError):
    """A checkpoint that cannot be read (not a signed note, or not a checkpoint body)."""

    code = "invalid-checkpoint"


@dataclass(frozen=True, slots=True)
class SignedNote:
    """A C2SP signed note: the signed ``text`` (with its final newline) and its signature
    lines as ``(key name, key ID || signature)``."""

    text: str
    signatures: tuple[tuple[str, bytes], ...]

    def is_signed_by(self, name: str, public_key: Ed25519PublicKey) -> bool:
        """True when a signature line of key ``name`` with this key's ID verifies.

        Lines of other keys are ignored, as the note format requires; a line of this key that
        does not verify makes the answer False.
        """
        wanted = note_key_id(name, public_key)
        verified = False
        for signer, blob in self.signatures:
            if signer != name or blob[:4] != wanted:
                continue
            try:
                public_key.verify(blob[4:], self.text.encode("utf-8"))
            except InvalidSignature:
                return False
            verified = True
        return verified


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A parsed checkpoint: what it claims (``origin``, ``size``, ``head_hash`` in hex,
    ``signed_at``), the whole ``note`` as signed and stored, and the note's parts."""

    origin: str
    size: int
    head_hash: str
    signed_at: datetime
    note: str
    signed: SignedNote

    @property
    def label(self) -> str:
        """How problems name it: ``checkpoint of entry 42 (signed 2026-05-04T09:00:00Z)``."""
        return f"checkpoint of entry {self.size} (signed {_timestamp(self.signed_at)})"

    def is_signed_by(self, public_key: Ed25519PublicKey) -> bool:
        """True when the log's key (named by the origin) signed it with ``public_key``."""
        return self.signed.is_signed_by(self.origin, public_key)


def sign_note(text: str, *, name: str, private_key: Ed25519PrivateKey) -> str:
    """``text`` (ending in a newline) signed by key ``name``: the whole note."""
    if not text.endswith("\n"):
        raise InvalidValueError("note: the text must end in a newline", field="text")
    _check_key_name(name)
    key_id = note_key_id(name, private_key.public_key())
    signature = private_key.sign(text.encode("utf-8"))
    return f"{text}\n{_EM_DASH} {name} {base64.b64encode(key_id + signature).decode('ascii')}\n"


def parse_signed_note(note: str) -> SignedNote:
    """Split a signed note into its text and signature lines; raises CheckpointError."""
    if len(note) > _MAX_NOTE_CHARS:
        raise CheckpointError(f"checkpoint: longer than {_MAX_NOTE_CHARS} characters")
    if any(ord(c) < 0x20 and c != "\n" for c in note) or not note.endswith("\n"):
        raise CheckpointError(
            "checkpoint: not a signed note (control characters, or no final newline)"
        )
    text, separator, signature_block = note.rpartition("\n\n")
    if not separator or not text:
        raise CheckpointError("checkpoint: no blank line between the text and the signatures")
    signatures = tuple(_signature(line) for line in signature_block.splitlines())
    if not signatures:
        raise CheckpointError("checkpoint: no signature line")
    return SignedNote(text=text + "\n", signatures=signatures)


def sign_checkpoint(
    *, origin: str, size: int, head_hash: str, at: datetime, private_key: Ed25519PrivateKey
) -> Checkpoint:
    """Sign the head ``(size, head_hash)`` of the log named ``origin`` at instant ``at``."""
    _check_key_name(origin)
    if size < 0:
        raise InvalidValueError(f"size: {size} is negative", field="size")
    text = f"{origin}\n{size}\n{_hash_to_base64(head_hash)}\n{_TIME_PREFIX}{_timestamp(at)}\n"
    return parse_checkpoint(sign_note(text, name=origin, private_key=private_key))


def parse_checkpoint(note: str) -> Checkpoint:
    """Read a signed checkpoint note; raises CheckpointError naming what is wrong.

    Parsing checks the form only: whether a signature verifies is ``is_signed_by``.
    """
    signed = parse_signed_note(note)
    lines = signed.text.splitlines()
    if len(lines) < 4 or not lines[3].startswith(_TIME_PREFIX):
        raise CheckpointError(
            "checkpoint: the text must be four lines (origin, size, head hash, time ...)"
        )
    origin, size_line, hash_line, time_line = lines[:4]
    _check_key_name(origin)
    if not size_line.isascii() or not size_line.isdigit() or size_line != str(int(size_line)):
        raise CheckpointError(f"checkpoint: size {size_line!r} is not a decimal count")
    return Checkpoint(
        origin=origin,
        size=int(size_line),
        head_hash=_hash_from_base64(hash_line),
        signed_at=_parse_time(time_line[len(_TIME_PREFIX) :]),
        note=note,
        signed=signed,
    )


def check_checkpoint(
    checkpoint: Checkpoint,
    entries: Sequence[AuditEntry],
    keys: Iterable[Ed25519PublicKey],
    *,
    name: str | None = None,
) -> str | None:
    """Why the log ``entries`` does not extend ``checkpoint`` (None when it does).

    The checkpoint must be signed by one of the platform's ``keys``, cover no more entries than
    the log has, and name the hash entry ``size`` has now. With the chain itself intact, that
    hash commits to every entry up to ``size``, so the log then extends the checkpoint.
    """
    label = name or checkpoint.label
    if not any(checkpoint.is_signed_by(key) for key in keys):
        return _forged(label)
    return _contradiction(label, checkpoint, entries)


def check_stored_checkpoints(
    stored: Mapping[int, str],
    entries: Sequence[AuditEntry],
    keys: Iterable[Ed25519PublicKey],
) -> list[str]:
    """Problems of the stored checkpoints (note text by the size it is stored under).

    Every checkpoint must read, be stored under its own size and be consistent with the log
    (``check_checkpoint``); the newest entry must be covered by one. Contradicted checkpoints are
    reported once, by the oldest, with the count of later ones.
    """
    keys = list(keys)
    problems: list[str] = []
    contradicted: list[str] = []
    covered = 0
    for size in sorted(stored):
        try:
            checkpoint = parse_checkpoint(stored[size])
        except CheckpointError as error:
            problems.append(f"stored checkpoint of entry {size}: {error.message}")
            continue
        if checkpoint.size != size:
            problems.append(f"{checkpoint.label}: stored as the checkpoint of entry {size} (moved)")
            continue
        if not any(checkpoint.is_signed_by(key) for key in keys):
            problems.append(_forged(checkpoint.label))
        elif problem := _contradiction(checkpoint.label, checkpoint, entries):
            contradicted.append(problem)
        else:
            covered = max(covered, checkpoint.size)
    if contradicted:
        later = len(contradicted) - 1
        also = f"; {later} later checkpoint{'s' if later != 1 else ''} contradict it too"
        problems.append(contradicted[0] + (also if later else ""))
    newest = entries[-1].sequence if entries else 0
    if covered < newest and not contradicted:
        first = covered + 1
        span = f"entry {first}" if first == newest else f"entries {first}-{newest}"
        problems.append(
            f"{span} of {newest}: not covered by a signed checkpoint (appended outside the "
            "platform, or checkpoints deleted; a log older than checkpoints needs "
            "`transcaspian audit checkpoint` once)"
        )
    return problems


def note_key_id(name: str, public_key: Ed25519PublicKey) -> bytes:
    """The signed note key ID: SHA-256(name || 0x0A || 0x01 || public key)[:4]."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(name.encode("utf-8") + b"\n" + ED25519_SIGNATURE_TYPE + raw).digest()[:4]


def note_verifier_key(name: str, public_key: Ed25519PublicKey) -> str:
    """The key as note verifiers take it: ``<name>+<key ID hex>+<base64(0x01 || key)>``."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    encoded = base64.b64encode(ED25519_SIGNATURE_TYPE + raw).decode("ascii")
    return f"{name}+{note_key_id(name, public_key).hex()}+{encoded}"


def _forged(label: str) -> str:
    return f"{label}: its signature does not verify with the platform's key (forged)"


def _contradiction(label: str, checkpoint: Checkpoint, entries: Sequence[AuditEntry]) -> str | None:
    """Why the log does not extend the (genuine) checkpoint, or None."""
    newest = entries[-1].sequence if entries else 0
    if checkpoint.size > newest:
        return (
            f"{label}: it covers {checkpoint.size} entries but the log has {newest} "
            "(entries were removed: the log was truncated)"
        )
    if checkpoint.size == 0:
        return None
    entry = _entry(entries, checkpoint.size)
    if entry is None:
        return f"{label}: entry {checkpoint.size} is missing (deleted)"
    if entry.entry_hash != checkpoint.head_hash:
        return (
            f"{label}: entry {checkpoint.size}'s hash is {entry.entry_hash[:16]}... but the "
            f"checkpoint signed {checkpoint.head_hash[:16]}... (the log was rewritten)"
        )
    return None


def _entry(entries: Sequence[AuditEntry], sequence: int) -> AuditEntry | None:
    """The entry with ``sequence`` (found at once when no entry is missing)."""
    if 0 < sequence <= len(entries) and entries[sequence - 1].sequence == sequence:
        return entries[sequence - 1]
    return next((e for e in entries if e.sequence == sequence), None)


def _signature(line: str) -> tuple[str, bytes]:
    prefix = _EM_DASH + " "
    name, _, encoded = line.removeprefix(prefix).rpartition(" ")
    if not line.startswith(prefix) or not name or " " in name or "+" in name:
        raise CheckpointError(f"checkpoint: {line[:60]!r} is not a signature line")
    try:
        blob = base64.b64decode(encoded, validate=True)
    except binascii.Error as error:
        raise CheckpointError(f"checkpoint: signature of {name!r} is not base64") from error
    if len(blob) <= 4:
        raise CheckpointError(f"checkpoint: signature of {name!r} is too short")
    return name, blob


def _check_key_name(name: str) -> None:
    if not name or any(c.isspace() for c in name) or "+" in name:
        raise CheckpointError(
            f"checkpoint: origin {name!r} must be non-empty, without spaces or '+'"
        )


def _hash_to_base64(head_hash: str) -> str:
    try:
        raw = bytes.fromhex(head_hash)
    except ValueError as error:
        raise InvalidValueError(
            f"head_hash: {head_hash!r} is not hex", field="head_hash"
        ) from error
    if len(raw) != 32:
        raise InvalidValueError(f"head_hash: {head_hash!r} is not 32 bytes", field="head_hash")
    return base64.b64encode(raw).decode("ascii")


def _hash_from_base64(line: str) -> str:
    try:
        raw = base64.b64decode(line, validate=True)
    except binascii.Error as error:
        raise CheckpointError(f"checkpoint: head hash {line!r} is not base64") from error
    if len(raw) != 32:
        raise CheckpointError(f"checkpoint: head hash {line!r} is not 32 bytes")
    return raw.hex()


def _timestamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse_time(text: str) -> datetime:
    try:
        at = datetime.fromisoformat(text)
    except ValueError as error:
        raise CheckpointError(f"checkpoint: time {text!r} is not an RFC 3339 instant") from error
    if at.tzinfo is None:
        raise CheckpointError(f"checkpoint: time {text!r} has no UTC offset")
    return at.astimezone(UTC)
