"""Canonical bytes and digests of JSON documents (credentials, endorsements, audit entries).

The canonical form is JSON with sorted keys, no insignificant whitespace and UTF-8 text, which
equals RFC 8785 (JCS) for the strings, integers, booleans and nulls our documents carry. Digests are
SHA-256 multihashes in multibase base58btc (``z...``), the form VC 2.0 ``digestMultibase`` takes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import base58

_SHA256_MULTIHASH_PREFIX = bytes([0x12, 0x20])


def canonical_json(document: Any) -> bytes:
    """The canonical UTF-8 bytes of a JSON value (sorted keys, compact separators)."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """SHA-256 of ``data`` as 64 lowercase hex characters."""
    return hashlib.sha256(data).hexdigest()


def digest_multibase(document: Any) -> str:
    """The SHA-256 multihash of the document's canonical form, multibase base58btc (``z...``)."""
    digest = hashlib.sha256(canonical_json(document)).digest()
    return "z" + base58.b58encode(_SHA256_MULTIHASH_PREFIX + digest).decode("ascii")
