"""The bundled JSON-LD contexts, served byte for byte: ``GET /contexts`` lists them,
``GET /contexts/<file>`` gives one (and each of our own contexts also at the path of its URL,
``/contexts/v1`` for ``https://transcaspian.example/contexts/v1``).

The bytes are those the verifier loads (``transcaspian.vc.contexts``), never fetched from
anywhere and never looked up on disk by the requested name: only the names in the bundle's
table answer, anything else is a 404 problem. Each answer carries its digests (``ETag``,
``Content-Digest`` and ``Repr-Digest`` per RFC 9530) and may be cached for a year: a published
context never changes (a change gets a new URL).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from transcaspian.api.deps import get_platform
from transcaspian.api.problems import problem_responses
from transcaspian.domain.errors import NotFoundError
from transcaspian.vc.contexts import (
    MEDIA_TYPE,
    TRANSCASPIAN_CONTEXTS,
    BundledContext,
    bundled_contexts,
)

__all__ = ["CONTEXTS_PATH", "router", "served_names"]

CONTEXTS_PATH = "/contexts"
IMMUTABLE = "public, max-age=31536000, immutable"
INDEX_CACHE = "public, max-age=3600"

router = APIRouter(tags=["contexts"], responses=problem_responses(404))


@cache
def served_names() -> Mapping[str, BundledContext]:
    """Every name under /contexts/ that answers, with its context: each file's name, and for
    our own contexts also the path of the URL below TRANSCASPIAN_CONTEXTS (``v1``)."""
    names: dict[str, BundledContext] = {c.file: c for c in bundled_contexts()}
    for context in bundled_contexts():
        if context.ours:
            names[context.url.removeprefix(TRANSCASPIAN_CONTEXTS)] = context
    return names


@router.get(
    CONTEXTS_PATH,
    summary="Every JSON-LD context the platform uses: URL, served path, digests",
)
def context_index(request: Request) -> JSONResponse:
    base = get_platform(request).settings.base_url.rstrip("/")
    names = served_names()
    entries: list[dict[str, Any]] = []
    for context in bundled_contexts():
        aliases = [f"{CONTEXTS_PATH}/{n}" for n, c in names.items() if c is context]
        path = f"{CONTEXTS_PATH}/{context.file}"
        entries.append(
            {
                "url": context.url,
                "path": path,
                "servedAt": [base + p for p in aliases],
                "mediaType": MEDIA_TYPE,
                "bytes": len(context.content),
                "sha256": context.sha256_hex,
                "digestSRI": context.digest_sri,
                "digestMultibase": context.digest_multibase,
                "ours": context.ours,
            }
        )
    return JSONResponse(
        {"contexts": entries},
        headers={"Cache-Control": INDEX_CACHE, "Access-Control-Allow-Origin": "*"},
    )


@router.get(
    CONTEXTS_PATH + "/{name}",
    summary="One JSON-LD context, the exact bytes the verifier uses",
    response_class=Response,
    responses={200: {"content": {MEDIA_TYPE: {}}}, 304: {"description": "Not modified"}},
)
@router.head(CONTEXTS_PATH + "/{name}", include_in_schema=False)
def context_document(request: Request, name: str) -> Response:
    context = served_names().get(name)
    if context is None:
        raise NotFoundError(
            f"no context is served as {name!r}; GET {CONTEXTS_PATH} lists them",
            field="/path/name",
        )
    etag = f'"{context.sha256_hex}"'
    digest = "sha-256=:" + base64.b64encode(context.sha256).decode("ascii") + ":"
    headers = {
        "Cache-Control": IMMUTABLE,
        "ETag": etag,
        "Repr-Digest": digest,
        "Access-Control-Allow-Origin": "*",
        "X-Content-Type-Options": "nosniff",
    }
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    if request.method == "HEAD":  # Repr-Digest only: a HEAD response has no content
        headers["Content-Length"] = str(len(context.content))
        return Response(media_type=MEDIA_TYPE, headers=headers)
    headers["Content-Digest"] = digest  # no content coding: the content is the representation
    return Response(context.content, media_type=MEDIA_TYPE, headers=headers)


def _matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison against our (strong) ETag."""
    if if_none_match is None:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags
