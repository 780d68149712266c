"""What a verifier learns about a verification method from its controller's DID document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


@dataclass(frozen=True, slots=True)
class ResolvedKey:
    """A public key with its controller and validity window (``revoked`` ends it, if set)."""

    verification_method: str
    controller: str
    public_key: Ed25519PublicKey
    assertion: bool
    created: datetime | None = None
    revoked: datetime | None = None

    def problem_at(self, instant: datetime) -> str | None:
        """Why a signature made at ``instant`` cannot be accepted with this key, or None."""
        if self.created is not None and instant < self.created:
            return (
                f"the key {self.verification_method} was created at {self.created.isoformat()}, "
                f"after the signature time {instant.isoformat()}"
            )
        if self.revoked is not None and instant >= self.revoked:
            return (
                f"the key {self.verification_method} was retired at {self.revoked.isoformat()}; "
                f"the signature is dated {instant.isoformat()}, after that"
            )
        return None


# Looks a verification method URL up; None when the DID or the key is unknown or untrusted.
KeyLookup = Callable[[str], ResolvedKey | None]
