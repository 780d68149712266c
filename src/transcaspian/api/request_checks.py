"""Checks every request passes before any route sees it: no NUL character in any string of its
path, query, cookies, JSON body or form, and no ``NaN`` or ``Infinity`` in a JSON body.

PostgreSQL refuses NUL in text, so without this an id such as ``ktz%00`` would reach the
database and answer 500; JSON (RFC 8259) has no NaN or Infinity, though Python's parser accepts
them. ``check_request`` is an application-wide dependency: it runs after the route is matched
(so a path parameter is named by its name) and before the route's own dependencies and body
validation, and raises ``RequestValidationError``. That is answered like any validation error:
a 422 problem (400 on the W3C VC API routes) with one ``errors`` entry per offending string,
whose JSON pointer names it (``/path/slug``, ``/query/q``, ``/body/parties/1``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

__all__ = ["check_request"]

NUL = "\x00"
_NOT_JSON_NUMBERS = ("NaN", "Infinity", "-Infinity")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class _NotJsonNumber:
    """Where the body said NaN, Infinity or -Infinity (found by the walk below)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


async def check_request(request: Request) -> None:
    """Raise RequestValidationError naming every NUL and every NaN/Infinity in the request."""
    errors = [
        _error(loc, message, value)
        for loc, message, value in [
            *_nul_in_pairs("path", request.path_params.items()),
            *_nul_in_pairs("query", request.query_params.multi_items()),
            *_nul_in_pairs("cookie", request.cookies.items()),
            *await _body_problems(request),
        ]
    ]
    if errors:
        raise RequestValidationError(errors)


async def _body_problems(request: Request) -> list[tuple[tuple[str | int, ...], str, Any]]:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type.startswith(_FORM_TYPES):
        form = await request.form()  # cached on the request: the route reads the same form
        return list(
            _nul_in_pairs("body", ((k, v) for k, v in form.multi_items() if isinstance(v, str)))
        )
    if media_type == "application/json" or media_type.endswith("+json"):
        body = await request.body()  # cached on the request too
        try:
            parsed = json.loads(body, parse_constant=_NotJsonNumber)
        except ValueError:  # not JSON (or not UTF-8): the route's body parsing says so
            return []
        return list(_walk(parsed, ("body",)))
    return []


def _nul_in_pairs(where: str, pairs: Any) -> Iterator[tuple[tuple[str | int, ...], str, Any]]:
    for name, value in pairs:
        if NUL in name:
            yield (where, name), "a name must not contain a NUL character", name
        elif isinstance(value, str) and NUL in value:
            yield (where, name), "must not contain a NUL character (\\u0000)", value


def _walk(
    value: Any, loc: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str, Any]]:
    if isinstance(value, str):
        if NUL in value:
            yield loc, "must not contain a NUL character (\\u0000)", value
    elif isinstance(value, _NotJsonNumber):
        yield loc, f"{value.text} is not a JSON number (RFC 8259); send a finite number", value.text
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                yield (*loc, key), "a key must not contain a NUL character (\\u0000)", key
            else:
                yield from _walk(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*loc, index))


def _error(loc: tuple[str | int, ...], message: str, value: Any) -> dict[str, Any]:
    return {"type": "value_error", "loc": loc, "msg": message, "input": value}
