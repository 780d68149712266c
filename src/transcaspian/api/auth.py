"""Who is calling: an API token or the web UI's session, resolved to an Actor (user + org).

- ``Authorization: Bearer <token>``: an API token (see ``transcaspian tokens create``). No CSRF
  check: a browser never adds that header by itself.
- else the ``transcaspian_session`` cookie: a server-side web session made by signing in on the
  web UI (the cookie holds a random session id, never the API token). A state-changing request
  (POST, PUT, PATCH, DELETE) authenticated by the cookie must carry the session's CSRF token
  (``X-CSRF-Token`` header, or the ``csrf_token`` form field) and an ``Origin`` (or, lacking
  it, ``Referer``) of the platform itself; otherwise 403 ``/problems/csrf-failed``.

A token or session that is unknown, expired, revoked, signed out or whose user is deactivated
answers 401 (problem+json, ``WWW-Authenticate: Bearer``) whose detail says which. Failed
authentications count towards the per-address throttle (429). What an authenticated actor may do
is decided by the services (PermissionDeniedError -> 403).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from transcaspian.api.deps import get_platform
from transcaspian.api.limits import AuthThrottle, TooManyRequestsError
from transcaspian.domain.documents.parties import Actor
from transcaspian.domain.errors import NotAuthenticatedError, PermissionDeniedError

if TYPE_CHECKING:
    from transcaspian.services.organisations import OrganisationService

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "ActorDep",
    "OptionalActorDep",
    "WebActorDep",
    "allowed_origins",
    "csrf_token_of",
    "get_actor",
    "get_optional_actor",
    "get_web_actor",
    "require_csrf",
    "require_same_origin",
    "secure_cookies",
]

_bearer = HTTPBearer(auto_error=False, description="an API token: `transcaspian tokens create`")
SESSION_COOKIE = "transcaspian_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def get_optional_actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor | None:
    """The actor of the bearer token, else of the web session cookie; None when neither is given.

    Raises a 401 HTTPException for a token or session given but not valid, 403 for a
    cookie-authenticated state change without its CSRF token or from a foreign origin.
    """
    if credentials is not None:
        return await _authenticate(request, credentials.credentials, session=False)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    actor = await _authenticate(request, cookie, session=True)
    await require_csrf(request, cookie)
    return actor


async def get_web_actor(request: Request) -> Actor | None:
    """The web UI's actor from the session cookie; None when signed out or the session ended.

    A state-changing request with a live session must pass the CSRF check (403 otherwise).
    """
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    organisations = get_platform(request).organisations
    try:
        actor = await run_in_threadpool(organisations.session_actor, cookie)
    except NotAuthenticatedError:
        return None
    await require_csrf(request, cookie)
    return actor


async def require_csrf(request: Request, session_secret: str) -> None:
    """Refuse (403) a state-changing request without the session's CSRF token or same origin."""
    if request.method.upper() not in STATE_CHANGING:
        return
    require_same_origin(request)
    token = request.headers.get(CSRF_HEADER)
    if not token and request.headers.get("content-type", "").startswith(_FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        token = value if isinstance(value, str) else None
    organisations = get_platform(request).organisations
    if not token or not organisations.csrf_token_matches(session_secret, token):
        raise PermissionDeniedError(
            f"cross-site request refused: the {CSRF_HEADER} header (or {CSRF_FIELD} form "
            "field) is missing or not this session's",
            field=f"/headers/{CSRF_HEADER.lower()}",
            code="csrf-failed",
        )


def require_same_origin(request: Request) -> None:
    """Refuse (403) a request whose Origin (or Referer) is not the platform's own."""
    origin = request.headers.get("origin") or _origin_of(request.headers.get("referer", ""))
    if not origin or origin.lower() not in allowed_origins(request):
        raise PermissionDeniedError(
            f"cross-site request refused: Origin {origin or '(none)'} is not this platform's "
            "(a request authenticated by the web session cookie must come from its own pages)",
            field="/headers/origin",
            code="csrf-failed",
        )


def csrf_token_of(request: Request) -> str | None:
    """The CSRF token of the request's web session cookie (for forms), None without one."""
    cookie = request.cookies.get(SESSION_COOKIE)
    return get_platform(request).organisations.csrf_token(cookie) if cookie else None


def allowed_origins(request: Request) -> frozenset[str]:
    """The origins a cookie-authenticated state change may come from: the platform's base URL
    and the origin the request itself was sent to (a browser sets both Host and Origin)."""
    own = _origin_of(str(request.base_url))
    base = _origin_of(get_platform(request).settings.base_url)
    return frozenset(o.lower() for o in (own, base) if o)


def secure_cookies(request: Request) -> bool:
    """Whether cookies get ``Secure``: when the platform or this request is served over https."""
    base = get_platform(request).settings.base_url
    return request.url.scheme == "https" or base.lower().startswith("https:")


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


async def _authenticate(request: Request, secret: str, *, session: bool) -> Actor:
    throttle = _throttle(request)
    if throttle is not None:
        try:
            throttle.check(request)
        except TooManyRequestsError as error:
            raise HTTPException(
                429, error.detail, headers={"Retry-After": str(error.retry_after)}
            ) from None
    organisations: OrganisationService = get_platform(request).organisations
    check = organisations.session_actor if session else organisations.authenticate_token
    try:
        return await run_in_threadpool(check, secret)
    except NotAuthenticatedError as error:
        if throttle is not None:
            throttle.failed(request)
        raise HTTPException(
            401,
            error.message + ("" if session else ": create a new one (transcaspian tokens create)"),
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        ) from None


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
WebActorDep = Annotated[Actor | None, Depends(get_web_actor)]
