"""Every error of the HTTP API as RFC 9457 problem details (``application/problem+json``).

One body shape for all of them::

    {"type": "/problems/not-found", "title": "Not found", "status": 404,
     "detail": "location 'XXAAA' is not in the network", "instance": "/api/v1/locations/XXAAA",
     "errors": [{"pointer": "/location_id", "detail": "..."}]}

- ``DomainError``: status by class in ``STATUS_BY_ERROR``, type from the error's ``code``.
- FastAPI's ``RequestValidationError``: 422, one ``errors`` entry per pydantic error with a
  JSON pointer built from its ``loc`` (``/query/limit``, ``/path/leg_id``, ``/body/legs/0``).
- Starlette's ``HTTPException`` (unknown route, wrong method): the same shape.
- Anything else: 500 with a generic detail and a ``request_id``; the traceback goes to the log
  under the same id. Each type is listed in docs/problems.md.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from transcaspian.domain.errors import (
    ConflictError,
    DatasetError,
    DomainError,
    InvalidTransitionError,
    InvalidValueError,
    NotAuthenticatedError,
    NotFoundError,
    PermissionDeniedError,
)

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "STATUS_BY_ERROR",
    "FieldProblem",
    "Problem",
    "ProblemMiddleware",
    "install_problem_handlers",
    "problem_responses",
]

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"

STATUS_BY_ERROR: dict[type[DomainError], int] = {
    InvalidValueError: 422,
    NotFoundError: 404,
    ConflictError: 409,
    InvalidTransitionError: 409,
    NotAuthenticatedError: 401,
    PermissionDeniedError: 403,
    DatasetError: 422,
}
_CODE_BY_STATUS = {
    400: "bad-request",
    401: "unauthorized",
    404: "not-found",
    405: "method-not-allowed",
    413: "content-too-large",
    429: "too-many-requests",
    422: "invalid-request",
    500: "internal-error",
}
_TITLES = {
    "bad-request": "Bad request",
    "invalid-request": "Invalid request",
    "not-found": "Not found",
    "method-not-allowed": "Method not allowed",
    "content-too-large": "Content too large",
    "too-many-requests": "Too many requests",
    "internal-error": "Internal error",
    "invalid-value": "Invalid value",
    "no-dataset": "No dataset loaded",
    "conflict": "Conflict",
    "invalid-transition": "Step not allowed",
    "permission-denied": "Permission denied",
    "csrf-failed": "Cross-site request refused",
    "invalid-dataset": "Invalid dataset",
}


class FieldProblem(BaseModel):
    """One problem with one part of the request, located by a JSON pointer."""

    pointer: str = Field(description="JSON pointer into the request, e.g. /query/limit")
    detail: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(description="/problems/<code>; each code is listed in docs/problems.md")
    title: str
    status: int
    detail: str
    instance: str = Field(description="the request path")
    errors: list[FieldProblem] | None = None
    request_id: str | None = Field(
        default=None, description="for 500 only: the id under which the traceback was logged"
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` declaring a problem body for each status (422 always included)."""
    return {
        status: {"model": Problem, "description": HTTPStatus(status).phrase}
        for status in sorted({*statuses, 422})
    }


def install_problem_handlers(app: FastAPI) -> None:
    """Register the handlers and the 500 middleware, and show problem bodies in OpenAPI."""
    app.add_exception_handler(DomainError, _domain_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_middleware(ProblemMiddleware)
    _serve_problems_in_openapi(app)


def status_for(error: DomainError) -> int:
    """The HTTP status of a domain error: its nearest class in ``STATUS_BY_ERROR``, else 400."""
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


def json_pointer(parts: Sequence[str | int]) -> str:
    """A JSON pointer (RFC 6901) from path parts: ``("query", "limit")`` -> ``/query/limit``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    code: str | None = None,
    title: str | None = None,
    errors: list[FieldProblem] | None = None,
    request_id: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    code = code or _CODE_BY_STATUS.get(status, f"http-{status}")
    problem = Problem(
        type=f"/problems/{code}",
        title=title or _TITLES.get(code, HTTPStatus(status).phrase),
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors,
        request_id=request_id,
    )
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


async def _domain_error(request: Request, error: DomainError) -> JSONResponse:
    errors: list[FieldProblem] | None = None
    if isinstance(error, DatasetError):
        errors = [
            FieldProblem(
                pointer=json_pointer(
                    [p for p in (problem.file, problem.row, problem.field) if p is not None]
                ),
                detail=problem.problem,
            )
            for problem in error.problems
        ]
    elif error.field:
        pointer = error.field if error.field.startswith("/") else "/" + error.field
        errors = [FieldProblem(pointer=pointer, detail=error.message)]
    return problem_response(
        request,
        status_for(error),
        error.message,
        code=error.code,
        errors=errors,
    )


async def _validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    errors = [
        FieldProblem(pointer=json_pointer(item.get("loc", ())), detail=item.get("msg", "invalid"))
        for item in error.errors()
    ]
    names = ", ".join(dict.fromkeys(e.pointer.rsplit("/", 1)[-1] for e in errors))
    detail = f"invalid request parameter(s): {names}" if names else "invalid request"
    if len(errors) == 1:
        detail = f"{names}: {errors[0].detail}"
    return problem_response(request, 422, detail, code="invalid-request", errors=errors)


async def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    status = error.status_code
    detail = error.detail if isinstance(error.detail, str) else HTTPStatus(status).description
    if status == 404 and detail == "Not Found":
        detail = f"nothing at {request.url.path}"
    if status == 405 and detail == "Method Not Allowed":
        detail = f"{request.method} is not allowed on {request.url.path}"
    return problem_response(request, status, detail, headers=error.headers)


class ProblemMiddleware:
    """Turns any exception no handler took into a 500 problem; logs it under a request id.

    A plain ASGI middleware rather than an ``Exception`` handler: Starlette re-raises after
    running such a handler, which would log each traceback twice.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            request_id = uuid.uuid4().hex
            request = Request(scope)
            logger.exception(
                "unhandled error on %s %s (request id %s)",
                request.method,
                request.url.path,
                request_id,
            )
            if started:
                raise
            response = problem_response(
                request,
                500,
                f"an unexpected error occurred; quote request id {request_id} when reporting it",
                request_id=request_id,
                headers={"X-Request-ID": request_id},
            )
            await response(scope, receive, send)


def _serve_problems_in_openapi(app: FastAPI) -> None:
    """Show error responses as ``application/problem+json`` in the OpenAPI document."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if status[:1] in "45" and "application/json" in content:
                        content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
