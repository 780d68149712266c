"""Ed25519 keys as Multikey, ``did:key`` and ``did:web`` identifiers.

Multikey (W3C Controlled Identifiers 1.0) writes a key as multibase base58btc (``z``) of a
multicodec prefix and the raw key bytes: 0xed 0x01 + 32 public bytes (``z6Mk…``) and
0x80 0x26 + 32 secret-seed bytes (``z3u2…``).

A ``did:key`` DID *is* the public key; its DID document is derived locally, so resolving it
needs no network. ``did:web`` documents are served by the platform; :func:`did_web_document`
builds one and :func:`did_web_url` tells where it lives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from transcaspian.domain.errors import InvalidValueError
from transcaspian.vc.contexts import DID_V1, MULTIKEY_V1

__all__ = [
    "KeyResolutionError",
    "VerificationMethod",
    "decode_multibase_base58",
    "did_key_document",
    "did_key_for",
    "did_key_verification_method",
    "did_web_document",
    "did_web_url",
    "encode_multibase_base58",
    "generate_private_key",
    "private_key_from_multibase",
    "private_key_to_multibase",
    "public_key_from_multibase",
    "public_key_in_document",
    "public_key_to_multibase",
    "resolve_did_key",
    "verification_methods_of",
]

_BASE58_INDEX = {
    character: index
    for index, character in enumerate("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
}
ED25519_PUBLIC_PREFIX = b"\xed\x01"
ED25519_PRIVATE_PREFIX = b"\x80\x26"
_KEY_BYTES = 32


class KeyResolutionError(InvalidValueError):
    """A verification method or key that cannot be read or resolved."""

    code = "key-not-resolvable"


@dataclass(frozen=True, slots=True)
class VerificationMethod:
    """One Multikey verification method of a DID document.

    ``id`` is the full URL (``did:web:example.com#key-1``); ``controller`` the DID.
    """

    id: str
    controller: str
    public_key: Ed25519PublicKey

    def to_json(self) -> dict[str, str]:
        return {
            "id": self.id,
            "type": "Multikey",
            "controller": self.controller,
            "publicKeyMultibase": public_key_to_multibase(self.public_key),
        }


def generate_private_key() -> Ed25519PrivateKey:
    """A new random Ed25519 key."""
    return Ed25519PrivateKey.generate()


def encode_multibase_base58(data: bytes) -> str:
    """Multibase base58btc: ``z`` + base58 (Bitcoin alphabet)."""
    return "z" + base58.b58encode(data).decode("ascii")


def decode_multibase_base58(text: str, *, field: str = "multibase") -> bytes:
    """Bytes of a multibase base58btc string; raises KeyResolutionError naming ``field``."""
    if not isinstance(text, str) or not text.startswith("z") or len(text) < 2:
        raise KeyResolutionError(
            f"{field}: {text!r} is not multibase base58btc (must start with 'z')", field=field
        )
    number = 0
    try:
        for character in text[1:]:
            number = number * 58 + _BASE58_INDEX[character]
    except KeyError as error:
        raise KeyResolutionError(
            f"{field}: {text!r} is not valid base58btc ({error} is not in the alphabet)",
            field=field,
        ) from error
    body = text[1:]
    zeros = len(body) - len(body.lstrip("1"))
    return b"\0" * zeros + (
        number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    )


def public_key_to_multibase(public_key: Ed25519PublicKey) -> str:
    """``z6Mk…``: the Multikey ``publicKeyMultibase`` of an Ed25519 public key."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return encode_multibase_base58(ED25519_PUBLIC_PREFIX + raw)


def public_key_from_multibase(text: str) -> Ed25519PublicKey:
    """The Ed25519 public key of a ``z6Mk…`` Multikey; raises KeyResolutionError."""
    data = decode_multibase_base58(text, field="publicKeyMultibase")
    if len(data) != len(ED25519_PUBLIC_PREFIX) + _KEY_BYTES or not data.startswith(
        ED25519_PUBLIC_PREFIX
    ):
        raise KeyResolutionError(
            f"publicKeyMultibase: {text!r} is not an Ed25519 Multikey "
            "(multicodec 0xed01 followed by 32 bytes)",
            field="publicKeyMultibase",
        )
    return Ed25519PublicKey.from_public_bytes(data[len(ED25519_PUBLIC_PREFIX) :])


def private_key_to_multibase(private_key: Ed25519PrivateKey) -> str:
    """``z3u2…``: the Multikey ``secretKeyMultibase`` (the 32-byte seed) of a private key."""
    raw = private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return encode_multibase_base58(ED25519_PRIVATE_PREFIX + raw)


def private_key_from_multibase(text: str) -> Ed25519PrivateKey:
    """The Ed25519 private key of a ``z3u2…`` secretKeyMultibase; raises KeyResolutionError."""
    data = decode_multibase_base58(text, field="secretKeyMultibase")
    if len(data) != len(ED25519_PRIVATE_PREFIX) + _KEY_BYTES or not data.startswith(
        ED25519_PRIVATE_PREFIX
    ):
        raise KeyResolutionError(
            "secretKeyMultibase: not an Ed25519 secret Multikey "
            "(multicodec 0x8026 followed by 32 bytes)",
            field="secretKeyMultibase",
        )
    return Ed25519PrivateKey.from_private_bytes(data[len(ED25519_PRIVATE_PREFIX) :])


def did_key_for(public_key: Ed25519PublicKey) -> str:
    """The ``did:key:z6Mk…`` DID of an Ed25519 public key."""
    return "did:key:" + public_key_to_multibase(public_key)


def did_key_verification_method(public_key: Ed25519PublicKey) -> str:
    """The verification method URL of a did:key: ``did:key:z6Mk…#z6Mk…``."""
    multikey = public_key_to_multibase(public_key)
    return f"did:key:{multikey}#{multikey}"


def resolve_did_key(did_or_vm: str) -> Ed25519PublicKey:
    """The public key named by a ``did:key`` DID or verification method URL, with no network.

    Raises KeyResolutionError for anything else (a did:web URL needs the DID document: look
    the key up there) or when the fragment does not match the DID. Answers are cached (a
    did:key always names the same key).
    """
    if not isinstance(did_or_vm, str):
        raise KeyResolutionError(
            f"verificationMethod: {did_or_vm!r} is not a did:key", field="verificationMethod"
        )
    return _resolve_did_key(did_or_vm)


@lru_cache(maxsize=4096)
def _resolve_did_key(did_or_vm: str) -> Ed25519PublicKey:
    if not isinstance(did_or_vm, str) or not did_or_vm.startswith("did:key:"):
        raise KeyResolutionError(
            f"verificationMethod: {did_or_vm!r} is not a did:key", field="verificationMethod"
        )
    did, _, fragment = did_or_vm.partition("#")
    multikey = did[len("did:key:") :]
    if fragment and fragment != multikey:
        raise KeyResolutionError(
            f"verificationMethod: fragment {fragment!r} does not name the key of {did}",
            field="verificationMethod",
        )
    return public_key_from_multibase(multikey)


def did_key_document(did: str) -> dict[str, Any]:
    """The DID document of a did:key (Multikey form), derived locally."""
    public_key = resolve_did_key(did)
    did = did.partition("#")[0]
    method = VerificationMethod(
        id=did_key_verification_method(public_key), controller=did, public_key=public_key
    )
    return _did_document(did, [method], relationships=_ALL_RELATIONSHIPS)


def did_web_url(did: str) -> str:
    """Where a ``did:web`` document lives: ``did:web:example.com`` →
    ``https://example.com/.well-known/did.json``; ``did:web:example.com:org:kaz`` →
    ``https://example.com/org/kaz/did.json``; ``%3A`` in the host is a port."""
    if not did.startswith("did:web:") or len(did) <= len("did:web:"):
        raise KeyResolutionError(f"issuer: {did!r} is not a did:web DID", field="issuer")
    parts = did[len("did:web:") :].split(":")
    host = unquote(parts[0])
    path = "/".join(unquote(part) for part in parts[1:])
    if path:
        return f"https://{host}/{path}/did.json"
    return f"https://{host}/.well-known/did.json"


def did_web_document(
    did: str,
    verification_methods: Iterable[VerificationMethod],
    *,
    assertion_methods: Iterable[str] | None = None,
    authentication: Iterable[str] | None = None,
    also_known_as: Iterable[str] = (),
) -> dict[str, Any]:
    """A DID document for ``did`` listing Multikey verification methods.

    ``assertion_methods`` (ids of the methods that may sign credentials) defaults to all of
    them; a rotated-out key stays in ``verificationMethod`` but leaves ``assertionMethod``
    only if the caller wants old signatures to stop verifying. ``authentication`` defaults to
    the same list. Raises InvalidValueError if a method's controller is not ``did`` or an id
    in a relationship is not one of the methods.
    """
    if not did.startswith("did:"):
        raise InvalidValueError(f"id: {did!r} is not a DID", field="id")
    methods = list(verification_methods)
    ids = [method.id for method in methods]
    for method in methods:
        if method.controller != did:
            raise InvalidValueError(
                f"verificationMethod: {method.id} is controlled by {method.controller}, not {did}",
                field="verificationMethod",
            )
    assertion = list(ids if assertion_methods is None else assertion_methods)
    auth = list(assertion if authentication is None else authentication)
    for method_id in (*assertion, *auth):
        if method_id not in ids:
            raise InvalidValueError(
                f"assertionMethod: {method_id} is not one of the verification methods",
                field="assertionMethod",
            )
    document = _did_document(
        did, methods, relationships={"assertionMethod": assertion, "authentication": auth}
    )
    if aka := list(also_known_as):
        document["alsoKnownAs"] = aka
    return document


def verification_methods_of(document: Mapping[str, Any], relationship: str) -> list[str]:
    """Ids of the methods a DID document lists under ``relationship`` (e.g. assertionMethod)."""
    listed = document.get(relationship, [])
    return [entry if isinstance(entry, str) else entry.get("id", "") for entry in listed]


def public_key_in_document(document: Mapping[str, Any], method_id: str) -> Ed25519PublicKey:
    """The Multikey public key with id ``method_id`` in a DID document."""
    for method in document.get("verificationMethod", []):
        if method.get("id") == method_id:
            return public_key_from_multibase(method.get("publicKeyMultibase", ""))
    raise KeyResolutionError(
        f"verificationMethod: {method_id} is not in the DID document of {document.get('id')}",
        field="verificationMethod",
    )


_ALL_RELATIONSHIPS = (
    "assertionMethod",
    "authentication",
    "capabilityInvocation",
    "capabilityDelegation",
)


def _did_document(
    did: str,
    methods: list[VerificationMethod],
    *,
    relationships: Iterable[str] | Mapping[str, list[str]],
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": [method.to_json() for method in methods],
    }
    if isinstance(relationships, Mapping):
        for name, ids in relationships.items():
            document[name] = list(ids)
    else:
        for name in relationships:
            document[name] = [method.id for method in methods]
    return document
