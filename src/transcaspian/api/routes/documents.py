"""Document endpoints: list, issue, read, amend, suspend, reinstate, revoke, transfer, surrender,
render and verify.

Every mutating route needs ``Authorization: Bearer <token>`` (401 without) and is allowed only to
the right organisation and role (403 otherwise); reads show an organisation only the documents it
is party to. ``POST /documents/verify`` is open to anyone.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from transcaspian.api.auth import ActorDep
from transcaspian.api.deps import get_platform
from transcaspian.api.problems import problem_responses
from transcaspian.api.schemas.documents import (
    AmendIn,
    DocumentOut,
    DocumentPage,
    IssueIn,
    SurrenderIn,
    TransferIn,
    VerificationOut,
)
from transcaspian.domain.documents.permissions import visible_actor
from transcaspian.domain.errors import NotFoundError

router = APIRouter(tags=["documents"], responses=problem_responses(401, 403, 404))
DocumentId = Annotated[str, Path(max_length=64, description="the document's id")]


@router.get("/documents", response_model=DocumentPage, summary="Documents you are party to")
def list_documents(request: Request, actor: ActorDep) -> DocumentPage:
    documents = get_platform(request).documents.list_for(actor)
    return DocumentPage(items=[DocumentOut.from_domain(d) for d in documents], total=len(documents))


@router.post(
    "/documents",
    response_model=DocumentOut,
    status_code=201,
    summary="Issue a document as a signed credential",
    responses=problem_responses(409),
)
def issue_document(request: Request, actor: ActorDep, body: IssueIn) -> DocumentOut:
    return DocumentOut.from_domain(get_platform(request).documents.issue(actor, body.to_domain()))


@router.post(
    "/documents/verify",
    response_model=VerificationOut,
    summary="Verify a credential or a bundle {verifiableCredential, endorsementChain}",
)
def verify_document(
    request: Request, document: Annotated[dict[str, Any], Body()]
) -> VerificationOut:
    return VerificationOut.from_domain(get_platform(request).verifier.verify(document))


@router.get("/documents/{document_id}", response_model=DocumentOut, summary="One document")
def get_document(request: Request, actor: ActorDep, document_id: DocumentId) -> DocumentOut:
    return DocumentOut.from_domain(get_platform(request).documents.get_for(actor, document_id))


@router.get(
    "/documents/{document_id}/credential",
    summary="The signed credential (a version, default the current) with its endorsement chain",
)
def get_credential(
    request: Request,
    actor: ActorDep,
    document_id: DocumentId,
    version: Annotated[int | None, Query(ge=1)] = None,
) -> dict[str, Any]:
    document = get_platform(request).documents.get_for(actor, document_id)
    chosen = document.current
    if version is not None:
        matching = [v for v in document.versions if v.version == version]
        if not matching:
            raise NotFoundError(
                f"version: {version} of {document_id} does not exist", field="/version"
            )
        chosen = matching[0]
    bundle: dict[str, Any] = {"verifiableCredential": chosen.credential}
    if document.negotiable:
        bundle["endorsementChain"] = [e.signed for e in document.endorsements]
    return bundle


@router.get("/documents/{document_id}/render", summary="The document as HTML or PDF with a QR")
def render_document(
    request: Request,
    actor: ActorDep,
    document_id: DocumentId,
    format: Annotated[Literal["html", "pdf"], Query()] = "html",
    lang: Annotated[Literal["en", "ru"], Query()] = "en",
) -> Response:
    from transcaspian.web.document_rendering import render_html, render_pdf

    platform = get_platform(request)
    document = platform.documents.get_for(actor, document_id)
    url = platform.documents.verification_url(document.current.credential_id)
    if format == "pdf":
        return Response(
            render_pdf(document, lang, url),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{document_id}.pdf"'},
        )
    return HTMLResponse(render_html(document, lang, url))


@router.get("/documents/{document_id}/audit", summary="The document's audit trail")
def document_audit(
    request: Request, actor: ActorDep, document_id: DocumentId
) -> list[dict[str, Any]]:
    platform = get_platform(request)
    platform.documents.get_for(actor, document_id)
    return [
        {
            "sequence": e.sequence,
            "at": e.at.isoformat(),
            "actor": visible_actor(actor, e.organisation, e.actor),
            "organisation": e.organisation,
            "action": e.action,
            "document_digest": e.document_digest,
            "detail": e.detail,
            "entry_hash": e.entry_hash,
        }
        for e in platform.audit.entries(document_id)
    ]


_MUTATION = problem_responses(401, 403, 404, 409)


@router.post(
    "/documents/{document_id}/amendments",
    response_model=DocumentOut,
    responses=_MUTATION,
    summary="Amend: a new version supersedes the current one (issuer only)",
)
def amend_document(
    request: Request, actor: ActorDep, document_id: DocumentId, body: AmendIn
) -> DocumentOut:
    platform = get_platform(request)
    return DocumentOut.from_domain(
        platform.documents.amend(actor, document_id, body.subject, valid_until=body.valid_until)
    )


@router.post(
    "/documents/{document_id}/suspension",
    response_model=DocumentOut,
    responses=_MUTATION,
    summary="Suspend (issuer only)",
)
def suspend_document(request: Request, actor: ActorDep, document_id: DocumentId) -> DocumentOut:
    return DocumentOut.from_domain(get_platform(request).documents.suspend(actor, document_id))


@router.post(
    "/documents/{document_id}/reinstatement",
    response_model=DocumentOut,
    responses=_MUTATION,
    summary="Reinstate a suspended document (issuer only)",
)
def reinstate_document(request: Request, actor: ActorDep, document_id: DocumentId) -> DocumentOut:
    return DocumentOut.from_domain(get_platform(request).documents.reinstate(actor, document_id))


@router.post(
    "/documents/{document_id}/revocation",
    response_model=DocumentOut,
    responses=_MUTATION,
    summary="Revoke for good (issuer only)",
)
def revoke_document(request: Request, actor: ActorDep, document_id: DocumentId) -> DocumentOut:
    return DocumentOut.from_domain(get_platform(request).documents.revoke(actor, document_id))


@router.post(
    "/documents/{document_id}/transfers",
    response_model=DocumentOut,
    responses=_MUTATION,
    summary="Transfer title of a bill of lading (current holder only)",
)
def transfer_document(
    request: Request, actor: ActorDep, document_id: DocumentId, body: TransferIn
) -> DocumentOut:
    platform = get_platform(request)
    return DocumentOut.from_domain(
        platform.documents.transfer(
            actor, document_id, body.to, expected_row_version=body.expected_row_version
        )
    )


@router.post(
    "/documents/{document_id}/surrender",
    response_model=DocumentOut,
    responses=_MUTATION,
    summary="Surrender a bill of lading to the carrier (current holder only)",
)
def surrender_document(
    request: Request,
    actor: ActorDep,
    document_id: DocumentId,
    body: Annotated[SurrenderIn | None, Body()] = None,
) -> DocumentOut:
    platform = get_platform(request)
    return DocumentOut.from_domain(
        platform.documents.surrender(
            actor, document_id, expected_row_version=body.expected_row_version if body else None
        )
    )
