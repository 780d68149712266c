"""Private keys sealed at rest: AES-256-GCM under a key derived from the platform secret.

The sealing key comes from HKDF-SHA256 over the secret with a random 16-byte salt per sealed key;
the verification method URL is bound as associated data so that a sealed key copied to another
record does not open.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from transcaspian.domain.errors import InvalidValueError

_VERSION = b"\x01"
_INFO = b"transcaspian private key sealing v1"


def seal_private_key(private_key: Ed25519PrivateKey, *, secret: str, bound_to: str) -> bytes:
    """Encrypt the 32-byte Ed25519 seed; ``bound_to`` (the key's URL) must be given to unseal."""
    salt = os.urandom(16)
    nonce = os.urandom(12)
    seed = private_key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    ciphertext = AESGCM(_derive(secret, salt)).encrypt(nonce, seed, bound_to.encode())
    return _VERSION + salt + nonce + ciphertext


def unseal_private_key(sealed: bytes, *, secret: str, bound_to: str) -> Ed25519PrivateKey:
    """Decrypt a sealed key; raises InvalidValueError when the secret or binding is wrong."""
    if not sealed.startswith(_VERSION) or len(sealed) < 1 + 16 + 12 + 32 + 16:
        raise InvalidValueError("sealed key: unknown format", field="/sealed_private_key")
    salt, nonce, ciphertext = sealed[1:17], sealed[17:29], sealed[29:]
    try:
        seed = AESGCM(_derive(secret, salt)).decrypt(nonce, ciphertext, bound_to.encode())
    except InvalidTag as error:
        raise InvalidValueError(
            "sealed key: cannot be opened with this secret_key (was the secret changed?)",
            field="/sealed_private_key",
            code="key-unsealing-failed",
        ) from error
    return Ed25519PrivateKey.from_private_bytes(seed)


def _derive(secret: str, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_INFO).derive(
        secret.encode("utf-8")
    )
