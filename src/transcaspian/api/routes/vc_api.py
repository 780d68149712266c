"""The W3C VC API (VCALM) issuer and verifier endpoints, so standard tooling can drive us.

- ``POST /credentials/issue`` ``{credential, options}`` -> 201 ``{verifiableCredential}``: the
  credential's type names one of our document types (``CimSmgsConsignmentNoteCredential`` ...)
  and its ``credentialSubject`` is the document; the caller's organisation is the issuer.
- ``POST /credentials/verify`` ``{verifiableCredential, options}`` -> 200 when verified, 400 when
  not, with ``{verified, results, problemDetails}`` (test suites judge by status code).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from transcaspian.api.auth import ActorDep
from transcaspian.api.deps import get_platform
from transcaspian.api.problems import problem_responses
from transcaspian.domain.errors import InvalidValueError
from transcaspian.services.documents import IssueRequest
from transcaspian.vc.credentials import document_type_of

router = APIRouter(tags=["W3C VC API"])


class IssueCredentialRequest(BaseModel):
    credential: dict[str, Any]
    options: dict[str, Any] = Field(default_factory=dict)


class VerifyCredentialRequest(BaseModel):
    verifiableCredential: dict[str, Any]  # noqa: N815 - the VC API's field name
    options: dict[str, Any] = Field(default_factory=dict)


@router.post(
    "/credentials/issue",
    status_code=201,
    responses=problem_responses(401, 403),
    summary="VC API: issue a credential",
)
def issue_credential(
    request: Request, actor: ActorDep, body: IssueCredentialRequest
) -> dict[str, Any]:
    credential = body.credential
    slug = document_type_of(credential)
    if slug is None:
        raise InvalidValueError(
            "credential/type: names none of our document types (e.g. BillOfLadingCredential)",
            field="/credential/type",
        )
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id not in (None, actor.organisation.did):
        raise InvalidValueError(
            f"credential/issuer: {issuer_id} is not your organisation's DID "
            f"{actor.organisation.did}",
            field="/credential/issuer",
        )
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict):
        raise InvalidValueError(
            "credential/credentialSubject: must be one object",
            field="/credential/credentialSubject",
        )
    document = get_platform(request).documents.issue(actor, IssueRequest(slug, subject))
    return {"verifiableCredential": document.current.credential}


@router.post("/credentials/verify", summary="VC API: verify a credential")
def verify_credential(request: Request, body: VerifyCredentialRequest) -> JSONResponse:
    report = get_platform(request).verifier.verify(body.verifiableCredential)
    content = {
        "verified": report.verified,
        "results": [
            {"check": c.name, "outcome": c.outcome.value, "explanation": c.explanation}
            for c in report.checks
        ],
        "problemDetails": [
            {"type": f"/problems/verification-{c.name}", "title": c.name, "detail": c.explanation}
            for c in report.checks
            if c.outcome.value in {"failed", "unknown"}
        ],
    }
    return JSONResponse(content, status_code=200 if report.verified else 400)
