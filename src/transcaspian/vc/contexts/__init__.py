"""The JSON-LD contexts every credential may use, bundled with the package.

Nothing is fetched at run time: :func:`document_loader` serves only the files in this folder
(listed, with their npm package and version, in ``README.md`` here) and refuses any other URL
with :class:`UnknownContextError`. Each file is read once, on first use.

:func:`bundled_contexts` gives each file's exact bytes and digests (SHA-256, a Subresource
Integrity string, a multibase multihash), which the platform publishes so that a third party
can pin the bytes a credential's contexts stand for (docs/credentials.md).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import base58

from transcaspian.domain.errors import InvalidValueError

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
CREDENTIALS_V1 = "https://www.w3.org/2018/credentials/v1"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"
CREDENTIALS_EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
TRANSCASPIAN_CONTEXTS = "https://transcaspian.example/contexts/"
"""Where our own contexts' URLs live. ``.example`` is a reserved top-level domain (RFC 2606):
the URLs are names, the same on every installation and in every credential ever issued, that
no one can ever serve other bytes under. Every installation serves the bytes at
``{TRANSCASPIAN_BASE_URL}/contexts/<file>`` and at the URL's own path below its origin."""

TRANSCASPIAN_V1 = TRANSCASPIAN_CONTEXTS + "v1"
"""Our own context (see :data:`TRANSCASPIAN_CONTEXTS`): ``https://transcaspian.example/contexts/v1``."""

TRANSCASPIAN_VOCAB = "https://transcaspian.example/vocab#"
"""Namespace of the IRIs our context gives to document terms."""

_FILES: dict[str, str] = {
    CREDENTIALS_V2: "credentials-v2.jsonld",
    CREDENTIALS_V1: "credentials-v1.jsonld",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
    DID_V1: "did-v1.jsonld",
    CREDENTIALS_EXAMPLES_V2: "credentials-examples-v2.jsonld",
    TRANSCASPIAN_V1: "transcaspian-v1.jsonld",
}

TRANSCASPIAN_CONTEXT_FILE = _FILES[TRANSCASPIAN_V1]

MEDIA_TYPE = "application/ld+json"
_SHA256_MULTIHASH = bytes([0x12, 0x20])  # multihash: sha2-256, 32 bytes


@dataclass(frozen=True, slots=True)
class BundledContext:
    """One bundled context: the URL documents name it by, its file, exact bytes and digests."""

    url: str
    file: str
    content: bytes

    @property
    def sha256(self) -> bytes:
        return hashlib.sha256(self.content).digest()

    @property
    def sha256_hex(self) -> str:
        return self.sha256.hex()

    @property
    def digest_sri(self) -> str:
        """Subresource Integrity hash expression (sha384, as the VC 2.0 examples use)."""
        digest = hashlib.sha384(self.content).digest()
        return "sha384-" + base64.b64encode(digest).decode("ascii")

    @property
    def digest_multibase(self) -> str:
        """Multibase (base58btc, ``z``) of the sha2-256 multihash, as Data Integrity defines."""
        return "z" + base58.b58encode(_SHA256_MULTIHASH + self.sha256).decode("ascii")

    @property
    def ours(self) -> bool:
        """Whether this is one of our own contexts (its URL under TRANSCASPIAN_CONTEXTS)."""
        return self.url.startswith(TRANSCASPIAN_CONTEXTS)

    def related_resource(self) -> dict[str, str]:
        """The VC 2.0 ``relatedResource`` entry that pins these bytes."""
        return {
            "id": self.url,
            "mediaType": MEDIA_TYPE,
            "digestSRI": self.digest_sri,
            "digestMultibase": self.digest_multibase,
        }


class UnknownContextError(InvalidValueError):
    """A document names a context (or other remote document) that is not bundled."""

    code = "unknown-context"


def bundled_urls() -> frozenset[str]:
    """The URLs :func:`document_loader` answers."""
    return frozenset(_FILES)


@cache
def bundled_contexts() -> tuple[BundledContext, ...]:
    """Every bundled context with its exact bytes, in a fixed order."""
    return tuple(BundledContext(url, name, _bytes(url)) for url, name in _FILES.items())


def bundled_context(url: str) -> BundledContext:
    """The bundled context for ``url``; raises UnknownContextError if it is not bundled."""
    _bytes(url)  # raises for a URL that is not bundled
    return next(context for context in bundled_contexts() if context.url == url)


def document_loader(url: str) -> dict[str, Any]:
    """The bundled JSON document for ``url`` (a fresh copy the caller may change).

    Raises UnknownContextError for any URL that is not bundled; never touches the network.
    """
    return json.loads(_raw(url))  # type: ignore[no-any-return]


def cached_document(url: str) -> Mapping[str, Any]:
    """Like :func:`document_loader`, but one shared, parsed copy: callers must not change it."""
    return _parsed(url)


def pyld_document_loader(url: str, options: object = None) -> dict[str, Any]:
    """A PyLD document loader (``jsonld.set_document_loader`` / ``documentLoader`` option).

    Answers in PyLD's RemoteDocument shape; raises PyLD's ``JsonLdError`` with a plain
    message for a URL that is not bundled, so PyLD reports it as a loading failure.
    """
    from pyld.jsonld import JsonLdError

    try:
        document = document_loader(url)
    except UnknownContextError as error:
        raise JsonLdError(
            error.message, "jsonld.LoadDocumentError", {"url": url}, code="loading document failed"
        ) from error
    return {"contextUrl": None, "documentUrl": url, "document": document}


@cache
def _bytes(url: str) -> bytes:
    name = _FILES.get(url)
    if name is None:
        raise UnknownContextError(
            f"@context: {url!r} is not a bundled context; nothing is fetched at run time "
            f"(bundled: {', '.join(sorted(_FILES))})",
            field="/@context",
        )
    return resources.files(__name__).joinpath(name).read_bytes()


@cache
def _raw(url: str) -> str:
    return _bytes(url).decode("utf-8")


@cache
def _parsed(url: str) -> Mapping[str, Any]:
    return json.loads(_raw(url))  # type: ignore[no-any-return]
