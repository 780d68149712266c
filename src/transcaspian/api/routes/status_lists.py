"""Published Bitstring Status Lists: ``GET /status-lists/{list_id}`` gives the signed
BitstringStatusListCredential (``<issuer>-revocation``, ``-suspension``, ``-superseded``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from transcaspian.api.deps import get_platform
from transcaspian.api.problems import problem_responses

router = APIRouter(tags=["status lists"], responses=problem_responses(404))


@router.get("/status-lists/{list_id}", summary="A signed BitstringStatusListCredential")
def status_list(request: Request, list_id: Annotated[str, Path(max_length=128)]) -> JSONResponse:
    credential = get_platform(request).documents.status_list_credential(list_id)
    return JSONResponse(
        credential, media_type="application/vc+ld+json", headers={"Cache-Control": "max-age=60"}
    )
