"""The audit log's newest signed checkpoint, published without authentication so that anyone
(a bank, a customs office, an auditor) can hold it and later check the log still extends it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from transcaspian.api.deps import get_platform
from transcaspian.api.problems import problem_responses
from transcaspian.api.schemas.audit import CheckpointOut

router = APIRouter(tags=["audit"], responses=problem_responses(404, 409))


@router.get(
    "/audit/checkpoint",
    response_model=CheckpointOut,
    summary="The newest signed checkpoint of the audit log, with the key that signed it",
)
def latest_checkpoint(request: Request) -> CheckpointOut:
    return CheckpointOut.from_domain(get_platform(request).audit.latest_checkpoint())


@router.get(
    "/audit/checkpoint.txt",
    summary="The newest signed checkpoint as the bare signed note (text/plain)",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "the signed note"}},
)
def latest_checkpoint_note(request: Request) -> PlainTextResponse:
    note = get_platform(request).audit.latest_checkpoint().checkpoint.note
    return PlainTextResponse(note, media_type="text/plain; charset=utf-8")
