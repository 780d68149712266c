"""VC 2.0 §5.3 "Integrity of related resources" for contexts: a credential's ``relatedResource``
entry whose ``id`` is one of its ``@context`` URLs pins that context's bytes with ``digestSRI``
(Subresource Integrity hash expressions) and/or ``digestMultibase`` (multibase multihashes).
:func:`related_resource_problems` compares such pins with the bundled bytes, offline.

Entries naming anything else (an earlier credential, an image) are not contexts and are left
to whoever knows those resources; a context that is not bundled fails context loading anyway.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

import base58

from transcaspian.vc.contexts import BundledContext, bundled_context, bundled_urls

__all__ = ["related_resource_problems"]

_SRI_ALGORITHMS = ("sha256", "sha384", "sha512")  # weakest to strongest, as SRI orders them
_MULTIHASH = {0x12: "sha256", 0x20: "sha384", 0x13: "sha512"}  # multicodec sha2-256/384/512


def related_resource_problems(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(JSON pointer, problem)`` for each pin of one of ``document``'s bundled contexts that
    does not match the bundled bytes (or cannot be checked); empty when all match or none."""
    contexts = document.get("@context")
    named = {contexts} if isinstance(contexts, str) else set()
    if isinstance(contexts, list):
        named = {item for item in contexts if isinstance(item, str)}
    named &= bundled_urls()
    related = document.get("relatedResource")
    entries = related if isinstance(related, list) else [related]
    problems: list[tuple[str, str]] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping) or entry.get("id") not in named:
            continue
        pointer = f"/relatedResource/{index}" if isinstance(related, list) else "/relatedResource"
        problems.extend(_entry_problems(entry, bundled_context(entry["id"]), pointer))
    return problems


def _entry_problems(
    entry: Mapping[str, Any], context: BundledContext, pointer: str
) -> Iterator[tuple[str, str]]:
    sri, multibase = entry.get("digestSRI"), entry.get("digestMultibase")
    if sri is None and multibase is None:
        yield pointer, f"the entry for {context.url} has neither digestSRI nor digestMultibase"
    if sri is not None:
        problem = _sri_problem(sri, context)
        if problem:
            yield pointer + "/digestSRI", problem
    if multibase is not None:
        values = multibase if isinstance(multibase, list) else [multibase]
        for position, value in enumerate(values):
            problem = _multibase_problem(value, context)
            if problem:
                where = f"/{position}" if isinstance(multibase, list) else ""
                yield pointer + "/digestMultibase" + where, problem


def _sri_problem(value: Any, context: BundledContext) -> str | None:
    """SRI matching: of the expressions with a known algorithm, the strongest ones count, and
    one of them must match."""
    texts = value if isinstance(value, list) else [value]
    if not all(isinstance(text, str) for text in texts):
        return "digestSRI must be a string of hash expressions"
    expressions: list[tuple[str, str]] = []
    for token in " ".join(texts).split():
        algorithm, _, rest = token.partition("-")
        if algorithm in _SRI_ALGORITHMS and rest:
            expressions.append((algorithm, rest.split("?", 1)[0]))
    if not expressions:
        return f"digestSRI {value!r} has no sha256, sha384 or sha512 expression to check"
    strongest = max(_SRI_ALGORITHMS.index(algorithm) for algorithm, _ in expressions)
    algorithm = _SRI_ALGORITHMS[strongest]
    expected = base64.b64encode(hashlib.new(algorithm, context.content).digest()).decode()
    if any(a == algorithm and digest == expected for a, digest in expressions):
        return None
    return (
        f"digestSRI does not match the bundled bytes of {context.url} "
        f"({algorithm}-{expected}); the credential was issued against another context"
    )


def _multibase_problem(value: Any, context: BundledContext) -> str | None:
    if not isinstance(value, str) or len(value) < 2:
        return "digestMultibase must be a multibase string"
    try:
        if value[0] == "z":
            raw = base58.b58decode(value[1:])
        elif value[0] == "u":
            raw = base64.urlsafe_b64decode(value[1:] + "=" * (-len(value[1:]) % 4))
        else:
            return f"digestMultibase {value!r}: only base58btc (z) and base64url (u) are read"
    except (ValueError, binascii.Error):
        return f"digestMultibase {value!r} is not valid multibase"
    algorithm = _MULTIHASH.get(raw[0]) if len(raw) > 2 else None
    if algorithm is None:
        return f"digestMultibase {value!r} is not a sha2-256/384/512 multihash"
    digest = hashlib.new(algorithm, context.content).digest()
    if raw[1] != len(digest) or raw[2:] != digest:
        return f"digestMultibase does not match the bundled bytes of {context.url}"
    return None
