"""Document pages: sign in with an API token, documents list, issue form, detail with version
and holder history, and verification by QR link or upload (open to anyone).

Signing in with a token starts a server-side web session: the HttpOnly, SameSite=Lax cookie
(Secure over https) holds only the session's random id, never the API token, and signing out
deletes the session. The API accepts the same cookie, so the render links (HTML/PDF) work from
the pages; every form that changes something carries the session's CSRF token.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from transcaspian import __version__
from transcaspian.api.auth import (
    SESSION_COOKIE,
    WebActorDep,
    csrf_token_of,
    require_same_origin,
    secure_cookies,
)
from transcaspian.domain.documents.parties import Actor
from transcaspian.domain.documents.permissions import visible_actor
from transcaspian.domain.errors import DomainError, NotAuthenticatedError
from transcaspian.services import credentials_gateway as vc
from transcaspian.services.documents import IssueRequest
from transcaspian.vc import ijson
from transcaspian.web.assets import BUILD_HINT, STATIC_DIR, TEMPLATES_DIR, missing_vendor_assets
from transcaspian.web.navigation import NAVIGATION

if TYPE_CHECKING:
    from transcaspian.bootstrap import Platform

__all__ = ["create_documents_router"]


def create_documents_router(static_dir: Path = STATIC_DIR) -> APIRouter:
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    missing = missing_vendor_assets(static_dir)
    router = APIRouter(include_in_schema=False)

    def platform_of(request: Request) -> Platform:
        found: Platform = request.app.state.platform
        return found

    def actor_of(request: Request) -> Actor | None:
        """The signed-in actor for showing a page (no CSRF check: pages only read)."""
        secret = request.cookies.get(SESSION_COOKIE)
        if not secret:
            return None
        try:
            return platform_of(request).organisations.session_actor(secret)
        except NotAuthenticatedError:
            return None

    def render(
        request: Request, template: str, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        return templates.TemplateResponse(
            request,
            template,
            {
                "navigation": NAVIGATION,
                "current_path": "/documents",
                "missing_assets": missing,
                "build_hint": BUILD_HINT,
                "version": __version__,
                "actor": actor_of(request),
                "csrf_token": csrf_token_of(request),
                **context,
            },
            status_code=status_code,
        )

    @router.get("/documents", response_class=HTMLResponse)
    def documents_page(request: Request) -> HTMLResponse:
        actor = actor_of(request)
        documents = platform_of(request).documents.list_for(actor) if actor else []
        return render(request, "documents/list.html", page_title="Documents", documents=documents)

    @router.post("/documents/session")
    def sign_in(request: Request, token: Annotated[str, Form()]) -> Response:
        require_same_origin(request)  # no login CSRF: a foreign page cannot sign anyone in
        try:
            started = platform_of(request).organisations.start_session(token.strip())
        except NotAuthenticatedError as error:
            return render(
                request,
                "documents/list.html",
                status_code=422,
                page_title="Documents",
                documents=[],
                token_error=f"This token does not work: {error.message}.",
            )
        response = RedirectResponse("/documents", status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            started.secret,
            httponly=True,
            samesite="lax",
            secure=secure_cookies(request),
            max_age=int((started.session.expires_at - started.session.created_at).total_seconds()),
        )
        return response

    @router.post("/documents/session/end")
    def sign_out(request: Request, actor: WebActorDep) -> Response:
        """End the session server-side (its cookie value stops working), then drop the cookie."""
        secret = request.cookies.get(SESSION_COOKIE)
        if secret and actor is not None:
            platform_of(request).organisations.end_session(secret)
        response = RedirectResponse("/documents", status_code=303)
        response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax")
        return response

    @router.get("/documents/new", response_class=HTMLResponse)
    def issue_form(request: Request, document_type: str = "cim-smgs") -> HTMLResponse:
        return _issue_form(request, document_type, None, {})

    def _issue_form(
        request: Request,
        document_type: str,
        error: str | None,
        values: dict[str, str],
        status_code: int = 200,
    ) -> HTMLResponse:
        from transcaspian.documents.types.samples import sample_subject

        types = vc.document_type_slugs()
        if document_type not in types:
            document_type = types[0]
        subject = values.get("subject") or json.dumps(
            sample_subject(document_type), indent=2, ensure_ascii=False
        )
        return render(
            request,
            "documents/issue.html",
            status_code=status_code,
            page_title="Issue a document",
            types=[(slug, vc.document_title(slug)) for slug in types],
            document_type=document_type,
            subject=subject,
            values=values,
            error=error,
            organisations=platform_of(request).organisations.list(),
        )

    @router.post("/documents/new", response_class=HTMLResponse)
    def issue_submit(
        request: Request,
        actor: WebActorDep,
        document_type: Annotated[str, Form()],
        subject: Annotated[str, Form()],
        holder: Annotated[str, Form()] = "",
        parties: Annotated[str, Form()] = "",
        route_countries: Annotated[str, Form()] = "",
    ) -> Response:
        values = {
            "subject": subject,
            "holder": holder,
            "parties": parties,
            "route_countries": route_countries,
        }
        if actor is None:
            return _issue_form(request, document_type, "Sign in first.", values, 401)
        try:
            parsed = ijson.loads(subject)
        except ValueError as error:  # not JSON, or a lone surrogate / NaN in it
            return _issue_form(request, document_type, f"subject: not JSON ({error})", values, 422)
        try:
            document = platform_of(request).documents.issue(
                actor,
                IssueRequest(
                    document_type,
                    parsed,
                    holder=holder or None,
                    parties=tuple(_split(parties)),
                    route_countries=tuple(_split(route_countries)),
                ),
            )
        except DomainError as error:
            status = 403 if error.code == "permission-denied" else 422
            return _issue_form(request, document_type, str(error), values, status)
        return RedirectResponse(f"/documents/{document.document_id}", status_code=303)

    @router.get("/documents/{document_id}", response_class=HTMLResponse)
    def detail_page(request: Request, document_id: str) -> HTMLResponse:
        actor = actor_of(request)
        if actor is None:
            return render(request, "documents/list.html", 401, page_title="Documents", documents=[])
        platform = platform_of(request)
        try:
            document = platform.documents.get_for(actor, document_id)
        except DomainError as error:
            return render(request, "documents/error.html", 404, page_title="Document", error=error)
        return render(
            request,
            "documents/detail.html",
            page_title=vc.document_title(document.document_type),
            document=document,
            title=vc.document_title(document.document_type),
            history=[
                replace(entry, actor=visible_actor(actor, entry.organisation, entry.actor))
                for entry in platform.audit.entries(document_id)
            ],
            verify_url=platform.documents.verification_url(document.current.credential_id),
            credential_json=json.dumps(
                {"verifiableCredential": document.current.credential}
                | (
                    {"endorsementChain": [e.signed for e in document.endorsements]}
                    if document.negotiable
                    else {}
                ),
                indent=2,
                ensure_ascii=False,
            ),
        )

    @router.get("/verify", response_class=HTMLResponse)
    def verify_page(request: Request, credential: str | None = None) -> HTMLResponse:
        report = None
        error = None
        if credential:
            platform = platform_of(request)
            document = platform.documents.find_by_credential_id(credential)
            if document is None:
                error = f"No credential {credential} is known here; upload the file instead."
            else:
                version = next(v for v in document.versions if v.credential_id == credential)
                report = platform.verifier.verify(version.credential)
        return render(
            request, "documents/verify.html", page_title="Verify", report=report, error=error
        )

    @router.post("/verify", response_class=HTMLResponse)
    async def verify_upload(
        request: Request,
        file: UploadFile | None = None,
        document: Annotated[str, Form()] = "",
    ) -> HTMLResponse:
        text = document
        if file is not None and file.filename:
            text = (await file.read()).decode("utf-8", errors="replace")
        try:
            submitted = ijson.loads(text)
            if not isinstance(submitted, dict):
                raise ValueError("not a JSON object")
        except ValueError as error:
            return render(
                request,
                "documents/verify.html",
                422,
                page_title="Verify",
                report=None,
                error=f"The file is not a JSON credential ({error}).",
            )
        report = platform_of(request).verifier.verify(submitted)
        return render(
            request, "documents/verify.html", page_title="Verify", report=report, error=None
        )

    return router


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
