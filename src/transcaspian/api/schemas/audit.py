"""Response models of the audit log's published checkpoint."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from transcaspian.services.audit import PublishedCheckpoint

__all__ = ["CheckpointKeyOut", "CheckpointOut"]


class CheckpointKeyOut(BaseModel):
    """The platform's key that signed the checkpoint: a did:key, resolvable offline."""

    verification_method: str = Field(description="did:key:z6Mk...#z6Mk...")
    did: str
    public_key_multibase: str = Field(description="Multikey form of the Ed25519 public key")
    note_verifier_key: str = Field(
        description="signed-note verifier key <origin>+<key ID hex>+<base64(0x01 || key)>"
    )


class CheckpointOut(BaseModel):
    """The newest signed checkpoint of the audit log's head (a C2SP signed note)."""

    origin: str = Field(description="the log's name, first line of the note")
    size: int = Field(description="how many entries it covers")
    head_hash: str = Field(description="entry `size`'s entry_hash (hex)")
    signed_at: datetime
    note: str = Field(description="the signed note; save it verbatim to check the log later")
    key: CheckpointKeyOut

    @classmethod
    def from_domain(cls, published: PublishedCheckpoint) -> CheckpointOut:
        checkpoint = published.checkpoint
        return cls(
            origin=checkpoint.origin,
            size=checkpoint.size,
            head_hash=checkpoint.head_hash,
            signed_at=checkpoint.signed_at,
            note=checkpoint.note,
            key=CheckpointKeyOut(
                verification_method=published.verification_method,
                did=published.did,
                public_key_multibase=published.key.public_key_multibase,
                note_verifier_key=published.verifier_key,
            ),
        )
