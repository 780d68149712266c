"""Limits that keep one client from taking the server: request body size and request rates.

- :class:`BodySizeLimit` answers 413 to a body larger than ``max_body_bytes``, whether it says
  so in ``Content-Length`` (refused before a byte is read) or streams it chunked (refused as
  soon as the count passes the limit), so no route ever holds an oversized body in memory.
- :class:`RateLimit` counts requests per client in a moving window (the ``limits`` library):
  per API token when one is sent (header or the web UI's cookie, keyed by its SHA-256, never
  the token itself), per client address otherwise. Over the limit: 429 with ``Retry-After``.
- :class:`AuthThrottle` counts failed authentications per client address, much more strictly,
  so that guessing tokens is slow; once over, even a right token waits (429).

Counts live in the storage the settings name: ``memory://`` (one process) or
``redis://host:6379`` (several API workers share one count). Static assets are not counted.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from transcaspian.api.problems import problem_response

__all__ = ["AuthThrottle", "BodySizeLimit", "RateLimit", "Throttle", "TooManyRequestsError"]

_UNCOUNTED_PREFIXES = ("/static/",)
_TOKEN_COOKIE = "transcaspian_session"  # api.auth.SESSION_COOKIE (the web session)


class TooManyRequestsError(Exception):
    """A client is over a rate limit; ``retry_after`` is in whole seconds."""

    def __init__(self, detail: str, retry_after: int):
        super().__init__(detail)
        self.detail = detail
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Throttle:
    """A set of moving-window limits (``"20/second;600/minute"``) on one kind of event."""

    name: str
    items: tuple[RateLimitItem, ...]
    limiter: MovingWindowRateLimiter

    @classmethod
    def from_text(cls, name: str, limits: str, storage: Storage) -> Throttle:
        return cls(name, tuple(parse_many(limits)), MovingWindowRateLimiter(storage))

    def hit(self, key: str) -> None:
        """Count one event for ``key``; raise TooManyRequestsError when a limit is passed."""
        for item in self.items:
            if not self.limiter.hit(item, self.name, key):
                raise TooManyRequestsError(
                    f"more than {item.amount} requests per {_window(item)} from this client; "
                    "slow down",
                    self.retry_after(item, key),
                )

    def check(self, key: str) -> None:
        """Raise TooManyRequestsError if ``key`` is over a limit already (counts nothing)."""
        for item in self.items:
            if not self.limiter.test(item, self.name, key):
                raise TooManyRequestsError(
                    f"too many failed authentications from this client (more than "
                    f"{item.amount} per {_window(item)})",
                    self.retry_after(item, key),
                )

    def retry_after(self, item: RateLimitItem, key: str) -> int:
        reset = self.limiter.get_window_stats(item, self.name, key).reset_time
        return max(1, math.ceil(reset - time.time()))


def _window(item: RateLimitItem) -> str:
    unit = item.GRANULARITY.name
    return unit if item.multiples == 1 else f"{item.multiples} {unit}s"


def open_storage(uri: str) -> Storage:
    """The counters' storage named by ``uri`` (``memory://``, ``redis://...``)."""
    storage = storage_from_string(uri)
    if not isinstance(storage, Storage):
        raise ValueError(f"rate_limit_storage: {uri} names an asynchronous storage")
    return storage


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


def _client_key(scope: Scope) -> str:
    headers = dict(scope.get("headers") or [])
    authorization = headers.get(b"authorization", b"")
    secret = b""
    if authorization[:7].lower() == b"bearer ":
        secret = authorization[7:].strip()
    elif b"cookie" in headers:
        for part in headers[b"cookie"].split(b";"):
            name, _, value = part.strip().partition(b"=")
            if name == _TOKEN_COOKIE.encode():
                secret = value
    if secret:
        return "token:" + hashlib.sha256(secret).hexdigest()
    return "address:" + client_address(scope)


def too_many_requests(scope: Scope, error: TooManyRequestsError) -> object:
    return problem_response(
        Request(scope),
        429,
        error.detail,
        code="too-many-requests",
        title="Too many requests",
        headers={"Retry-After": str(error.retry_after)},
    )


class RateLimit:
    """ASGI middleware: at most ``throttle``'s requests per client; 429 beyond."""

    def __init__(self, app: ASGIApp, throttle: Throttle):
        self.app = app
        self.throttle = throttle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_UNCOUNTED_PREFIXES):
            await self.app(scope, receive, send)
            return
        try:
            self.throttle.hit(_client_key(scope))
        except TooManyRequestsError as error:
            response = too_many_requests(scope, error)
            await response(scope, receive, send)  # type: ignore[operator]
            return
        await self.app(scope, receive, send)


class AuthThrottle:
    """Failed authentications per client address (see :func:`transcaspian.api.auth`)."""

    def __init__(self, throttle: Throttle):
        self.throttle = throttle

    def check(self, request: Request) -> None:
        self.throttle.check(client_address(request.scope))

    def failed(self, request: Request) -> None:
        # this failure is answered 401 all the same; the next attempt gets the 429
        with contextlib.suppress(TooManyRequestsError):
            self.throttle.hit(client_address(request.scope))


class _BodyTooLargeError(HTTPException):
    """Raised while a route reads the body; FastAPI passes an HTTPException through as it is,
    and the problem handlers answer it as a 413 problem."""

    def __init__(self, max_bytes: int):
        super().__init__(413, _too_large(max_bytes), headers={"Connection": "close"})


def _too_large(max_bytes: int) -> str:
    return f"the request body is larger than {max_bytes} bytes, the most this server accepts"


class BodySizeLimit:
    """ASGI middleware: 413 for a request body over ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLargeError(self.max_bytes)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except _BodyTooLargeError:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            Request(scope),
            413,
            _too_large(self.max_bytes),
            code="content-too-large",
            title="Content too large",
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)
