"""The W3C VC API (VCALM) issuer and verifier endpoints, so standard tooling and the W3C test
suites can drive us.

- ``POST /credentials/issue`` ``{credential, options}`` -> 201 ``{verifiableCredential}``. A
  credential typed as one of our document types (``BillOfLadingCredential`` ...) is validated by
  that type's schema and issued as a document; any other well-formed credential whose contexts
  are all bundled is signed as it is (``validFrom`` set to now when absent), with a status entry
  per ``options.credentialStatus``. ``issuer`` is required and must be the caller's
  organisation: the route has no configured issuer to fill in. A term no context defines is
  refused, naming its JSON pointer (JSON-LD would silently leave it unsigned).
- ``POST /credentials/verify`` ``{verifiableCredential, options}`` -> 200 verified, 400 not
  (what the W3C suites expect), with VCALM's VerificationResult (api/schemas/vc_api.py).
- ``POST /presentations/verify`` -> 200 whenever verification ran, verified or not (VCALM);
  400 only for a request it could not verify at all.
- ``POST /credentials/status`` ``{credentialId, credentialStatus: {type, statusPurpose},
  status}`` (all required) -> 200: revoke, suspend or reinstate; the issuer only.
- ``POST /status-lists/{list_id}/publish`` -> 204: our lists are re-signed at every change, so
  there is nothing to do; the W3C status list suite calls it.

A request the VC API calls malformed answers 400 (RFC 9457 problem, ``errors`` with JSON
pointers), where the rest of our API says 422; its ``type`` is an absolute URL: VCALM's
``UNKNOWN_OPTION_PROVIDED`` for a member we do not understand, the VC Data Model's
``PARSING_ERROR`` for a body that is not JSON, ``MALFORMED_VALUE_ERROR`` otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from transcaspian.api.auth import ActorDep
from transcaspian.api.deps import get_platform
from transcaspian.api.problems import (
    PROBLEM_MEDIA_TYPE,
    FieldProblem,
    Problem,
    json_pointer,
    problem_responses,
)
from transcaspian.api.schemas.vc_api import (
    MALFORMED_VALUE_ERROR,
    PARSING_ERROR,
    UNKNOWN_OPTION_PROVIDED,
    IssueCredentialRequest,
    PresentationVerificationResult,
    UpdateCredentialStatusRequest,
    VerificationResult,
    VerifyCredentialRequest,
    VerifyPresentationRequest,
)
from transcaspian.domain.documents.permissions import require_can_change, require_can_issue
from transcaspian.domain.errors import InvalidValueError
from transcaspian.services import credentials_gateway as vc
from transcaspian.services.documents import IssueRequest

# top-level credential properties a document type's credential may carry: the rest of it is
# built from the subject, so anything else would be silently lost
_DOCUMENT_CREDENTIAL_KEYS = frozenset(
    {"@context", "type", "id", "issuer", "credentialSubject", "validFrom", "validUntil"}
)


class VcApiRequestError(Exception):
    """A request the VC API answers with 400; ``problems`` are (JSON pointer, message)."""

    def __init__(
        self, problems: list[tuple[str, str]], *, problem_type: str = MALFORMED_VALUE_ERROR
    ):
        super().__init__(problems[0][1])
        self.problems = problems
        self.problem_type = problem_type


class VcApiRoute(APIRoute):
    """Answers 400 for malformed requests and invalid values (the VC API's status)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            problem_type = MALFORMED_VALUE_ERROR
            try:
                return await handler(request)
            except RequestValidationError as error:
                items = list(error.errors())
                problems = [(_pointer(item), _message(item)) for item in items]
                kinds = {item.get("type") for item in items}
                if "extra_forbidden" in kinds:
                    problem_type = UNKNOWN_OPTION_PROVIDED
                elif "json_invalid" in kinds:
                    problem_type = PARSING_ERROR
            except InvalidValueError as error:
                listed = getattr(error, "problems", None)
                problems = listed or [(error.field or "/", error.message)]
            except VcApiRequestError as error:
                problems, problem_type = error.problems, error.problem_type
            return _bad_request(request, problems, problem_type)

        return route


router = APIRouter(tags=["W3C VC API"], route_class=VcApiRoute)


@router.post(
    "/credentials/issue",
    status_code=201,
    responses=problem_responses(400, 401, 403, 409),
    summary="VC API: issue a credential",
)
def issue_credential(
    request: Request, actor: ActorDep, body: IssueCredentialRequest
) -> dict[str, Any]:
    credential, options = body.credential, body.options
    slug = vc.document_type_of(credential)
    # who may issue comes first: a stranger hears 403, not what is missing from the request
    if slug is None:
        require_can_change(actor)
    else:
        require_can_issue(actor, slug)
    if "issuer" not in credential:
        raise VcApiRequestError(
            [
                (
                    "/credential/issuer",
                    "issuer is required: this route has no configured issuer to fill in; give "
                    f"your organisation's DID {actor.organisation.did}",
                )
            ]
        )
    unsupported = options.unsupported_status_type()
    if unsupported:
        raise VcApiRequestError(
            [("/options/credentialStatus/type", f"{unsupported!r} is not BitstringStatusListEntry")]
        )
    documents = get_platform(request).documents
    try:
        if slug is None:
            issued = documents.issue_credential(
                actor,
                credential,
                reference=options.credentialId,
                status_purposes=options.status_purposes(),
            )
        else:
            issued = documents.issue(
                actor,
                _document_request(slug, credential, actor.organisation.did, options.credentialId),
            )
    except InvalidValueError as error:
        inside = "/credential" if slug is None else "/credential/credentialSubject"
        listed = getattr(error, "problems", None) or [(error.field or "", error.message)]
        raise VcApiRequestError([(_under(inside, p), m) for p, m in listed]) from error
    return {"verifiableCredential": issued.current.credential}


@router.post(
    "/credentials/verify",
    response_model=VerificationResult,
    responses={400: {"model": VerificationResult, "description": "not verified"}},
    summary="VC API: verify a credential (200 verified, 400 not)",
)
def verify_credential(request: Request, body: VerifyCredentialRequest) -> JSONResponse:
    platform = get_platform(request)
    report = platform.verifier.verify_credential(
        body.verifiableCredential, checks=body.options.checks
    )
    result = VerificationResult.from_domain(
        report,
        body.verifiableCredential,
        base_url=platform.settings.base_url,
        return_credential=body.options.returnCredential,
    )
    return JSONResponse(
        result.model_dump(mode="json", exclude_none=True),
        status_code=200 if result.verified else 400,
    )


@router.post(
    "/presentations/verify",
    response_model=PresentationVerificationResult,
    responses=problem_responses(400),
    summary="VC API: verify a presentation and its credentials (200 whenever verification ran)",
)
def verify_presentation(request: Request, body: VerifyPresentationRequest) -> JSONResponse:
    presentation = body.verifiablePresentation or body.presentation
    if presentation is None:
        raise VcApiRequestError([("/verifiablePresentation", "a presentation is required")])
    options = body.options
    platform = get_platform(request)
    report = platform.verifier.verify_presentation(
        presentation,
        challenge=options.challenge,
        domain=options.domain,
        proof_purpose=options.expectedProofPurpose or "authentication",
        checks=options.checks,
    )
    result = PresentationVerificationResult.from_domain(
        report,
        presentation,
        base_url=platform.settings.base_url,
        return_presentation=options.returnPresentation,
    )
    # VCALM: "A 200 status indicates the verification process itself succeeded, regardless of
    # whether the presentation and/or credentials were determined to be valid or invalid."
    return JSONResponse(result.model_dump(mode="json", exclude_none=True), status_code=200)


@router.post(
    "/credentials/status",
    responses=problem_responses(400, 401, 403, 404, 409),
    summary="VC API: revoke, suspend or reinstate a credential you issued",
)
def update_credential_status(
    request: Request, actor: ActorDep, body: UpdateCredentialStatusRequest
) -> dict[str, Any]:
    selector = body.credentialStatus
    if selector.type not in ("BitstringStatusListEntry", "BitstringStatusList"):
        raise VcApiRequestError(
            [("/credentialStatus/type", f"{selector.type!r} is not BitstringStatusListEntry")]
        )
    document = get_platform(request).documents.update_credential_status(
        actor, body.credentialId, selector.statusPurpose, body.status
    )
    return {
        "credentialId": body.credentialId,
        "credentialStatus": {"type": selector.type, "statusPurpose": selector.statusPurpose},
        "status": body.status,
        "documentStatus": document.status.value,
    }


@router.post(
    "/status-lists/{list_id}/publish",
    status_code=204,
    responses=problem_responses(401, 403, 404),
    summary="Publish a status list now (a no-op: lists are re-signed at every change)",
)
def publish_status_list(
    request: Request,
    actor: ActorDep,
    list_id: Annotated[str, Path(max_length=120, description="e.g. ktz-revocation")],
) -> Response:
    get_platform(request).documents.publish_status_list(actor, list_id)
    return Response(status_code=204)


def _document_request(
    slug: str, credential: dict[str, Any], did: str, reference: str | None
) -> IssueRequest:
    extra = sorted(set(credential) - _DOCUMENT_CREDENTIAL_KEYS)
    if extra:
        raise VcApiRequestError(
            [
                (
                    f"/credential/{name}",
                    f"{name}: a {slug} credential is built from its subject; this property "
                    "would not be signed",
                )
                for name in extra
            ]
        )
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id not in (None, did):
        raise VcApiRequestError(
            [("/credential/issuer", f"{issuer_id!r} is not your organisation's DID {did}")]
        )
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict):
        raise VcApiRequestError([("/credential/credentialSubject", "must be one object")])
    own_id = credential.get("id")
    return IssueRequest(
        slug,
        subject,
        credential_id=reference or (own_id if isinstance(own_id, str) else None),
        valid_from=_instant(credential, "validFrom"),
        valid_until=_instant(credential, "validUntil"),
    )


def _instant(credential: dict[str, Any], name: str) -> datetime | None:
    value = credential.get(name)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise VcApiRequestError([(f"/credential/{name}", f"{value!r} is not a dateTimeStamp")])
    return moment


def _under(prefix: str, pointer: str) -> str:
    if pointer == prefix or pointer.startswith(prefix + "/"):
        return pointer
    pointer = pointer if pointer.startswith("/") or not pointer else "/" + pointer
    return prefix + pointer


def _pointer(item: Any) -> str:
    """The JSON pointer of a pydantic error, without pydantic's union-branch names."""
    loc = [p for p in item.get("loc", ()) if not (isinstance(p, str) and p.startswith(_BRANCH))]
    return json_pointer(loc[1:] if loc[:1] == ["body"] else loc)


_BRANCH = ("function-", "list[", "dict[", "StatusSelector", "RequiredStatusSelector")


def _message(item: Any) -> str:
    if item.get("type") == "extra_forbidden":
        name = str(item.get("loc", ("?",))[-1])
        return f"{name}: not an option or member this endpoint understands"
    return str(item.get("msg", "invalid"))


def _bad_request(
    request: Request, problems: list[tuple[str, str]], problem_type: str
) -> JSONResponse:
    detail = (
        problems[0][1] if len(problems) == 1 else f"{problems[0][1]} (and {len(problems) - 1} more)"
    )
    problem = Problem(
        type=problem_type,
        title=problem_type.rsplit("#", 1)[-1],
        status=400,
        detail=detail,
        instance=request.url.path,
        errors=[FieldProblem(pointer=p or "/", detail=m) for p, m in problems],
    )
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=400,
        media_type=PROBLEM_MEDIA_TYPE,
    )
