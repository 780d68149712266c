"""``did:web`` documents of the organisations: ``did:web:<host>:orgs:<slug>`` resolves to
``GET /orgs/<slug>/did.json``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from transcaspian.api.deps import get_platform
from transcaspian.api.problems import problem_responses

router = APIRouter(tags=["identifiers"], responses=problem_responses(404))


@router.get("/orgs/{slug}/did.json", summary="An organisation's DID document")
def did_document(request: Request, slug: Annotated[str, Path(max_length=64)]) -> JSONResponse:
    document: dict[str, Any] = get_platform(request).organisations.did_document(slug)
    return JSONResponse(document, media_type="application/did+json")
