"""The JSON-LD contexts every credential may use, bundled with the package.

Nothing is fetched at run time: :func:`document_loader` serves only the files in this folder
(listed, with their npm package and version, in ``README.md`` here) and refuses any other URL
with :class:`UnknownContextError`. Each file is read once, on first use.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from transcaspian.domain.errors import InvalidValueError

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
CREDENTIALS_V1 = "https://www.w3.org/2018/credentials/v1"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"
CREDENTIALS_EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
TRANSCASPIAN_V1 = "https://transcaspian.example/contexts/v1"
"""Our own context: a fixed URL, the same on every installation. It is never dereferenced
(``.example`` is a reserved top-level domain); the platform also serves the file at
``/contexts/transcaspian-v1.jsonld``."""

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


class UnknownContextError(InvalidValueError):
    """A document names a context (or other remote document) that is not bundled."""

    code = "unknown-context"


def bundled_urls() -> frozenset[str]:
    """The URLs :func:`document_loader` answers."""
    return frozenset(_FILES)


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
def _raw(url: str) -> str:
    name = _FILES.get(url)
    if name is None:
        raise UnknownContextError(
            f"@context: {url!r} is not a bundled context; nothing is fetched at run time "
            f"(bundled: {', '.join(sorted(_FILES))})",
            field="/@context",
        )
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


@cache
def _parsed(url: str) -> Mapping[str, Any]:
    return json.loads(_raw(url))  # type: ignore[no-any-return]
