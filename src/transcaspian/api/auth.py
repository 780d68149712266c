"""Who is calling: ``Authorization: Bearer <token>`` resolved to an Actor (user + organisation).

No token, or a token that is unknown or revoked, answers 401 (problem+json, with a
``WWW-Authenticate: Bearer`` header); what an authenticated actor may do is decided by the
services (PermissionDeniedError -> 403).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from transcaspian.api.deps import get_platform
from transcaspian.api.limits import AuthThrottle, TooManyRequestsError
from transcaspian.domain.documents.parties import Actor

__all__ = ["ActorDep", "OptionalActorDep", "get_actor", "get_optional_actor"]

_bearer = HTTPBearer(auto_error=False, description="an API token: `transcaspian tokens create`")
TOKEN_COOKIE = "transcaspian_token"


def get_optional_actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor | None:
    """The actor of the bearer token (or the web UI's token cookie), None when none was given.

    Raises a 401 HTTPException for a token that is given but not valid.
    """
    secret = credentials.credentials if credentials else request.cookies.get(TOKEN_COOKIE)
    if not secret:
        return None
    throttle = _throttle(request)
    if throttle is not None:
        try:
            throttle.check(request)
        except TooManyRequestsError as error:
            raise HTTPException(
                429, error.detail, headers={"Retry-After": str(error.retry_after)}
            ) from None
    actor = get_platform(request).organisations.authenticate(secret)
    if actor is None:
        if throttle is not None:
            throttle.failed(request)
        raise HTTPException(
            401,
            "the API token is unknown or revoked",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return actor


def _throttle(request: Request) -> AuthThrottle | None:
    throttle = getattr(request.app.state, "auth_throttle", None)
    return throttle if isinstance(throttle, AuthThrottle) else None


def get_actor(actor: Annotated[Actor | None, Depends(get_optional_actor)]) -> Actor:
    """The authenticated actor; 401 when no token was given."""
    if actor is None:
        raise HTTPException(
            401,
            "authentication required: send Authorization: Bearer <API token>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]
OptionalActorDep = Annotated[Actor | None, Depends(get_optional_actor)]
