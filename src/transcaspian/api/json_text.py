"""The HTTP input boundary for JSON text: a request body with a lone surrogate (``"\\ud800"``,
valid JSON syntax that is not Unicode) or a non-finite number (``NaN``, ``1e400``) is answered
400 before any route sees it, naming the JSON pointer of each such member in the body.

Python's ``json.loads`` accepts both, and the first use that encodes the string (hashing it for
a proof, storing it, writing a response) would fail with a 500. The check
(:func:`transcaspian.vc.ijson.text_problems`) runs only on bodies that may hold either
(:func:`transcaspian.vc.ijson.may_need_text_check`), so ordinary bodies are not parsed twice.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from transcaspian.api.problems import FieldProblem, problem_response
from transcaspian.vc.ijson import may_need_text_check, text_problems

__all__ = ["JsonTextGuard"]

_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


class JsonTextGuard:
    """ASGI middleware: refuses JSON bodies (``application/json``, ``…+json`` or no content
    type, as FastAPI parses them) that are not I-JSON text, with a 400 problem."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _WITH_BODY or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([message], receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        problems = _text_problems(body)
        if problems:
            await _refusal(scope, problems)(scope, receive, send)
            return
        whole = {"type": "http.request", "body": body, "more_body": False}
        await self.app(scope, _replay([whole], receive), send)


def _text_problems(body: bytes) -> list[tuple[str, str]]:
    if not may_need_text_check(body):
        return []
    try:
        return text_problems(json.loads(body))
    except ValueError:  # not JSON: the route's own parsing answers that
        return []


def _refusal(scope: Scope, problems: list[tuple[str, str]]) -> Response:
    (pointer, message), more = problems[0], len(problems) - 1
    return problem_response(
        Request(scope),
        400,
        f"{pointer}: {message}" + (f" (and {more} more)" if more else ""),
        code="bad-request",
        errors=[FieldProblem(pointer=p, detail=m) for p, m in problems],
    )


def _is_json(scope: Scope) -> bool:
    content_type = b""
    for name, value in scope["headers"]:
        if name == b"content-type":
            content_type = value
            break
    media = content_type.split(b";", 1)[0].strip().lower()
    return (
        not media
        or media == b"application/json"
        or (media.startswith(b"application/") and media.endswith(b"+json"))
    )


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
