"""I-JSON (RFC 7493): the JSON every verifier reads the same way, JavaScript's included.

A credential is signed over the canonical N-Quads of its JSON-LD, so a signer and a verifier
must read every number and string in it to the same value and write it out the same way. JSON
itself does not promise that; I-JSON restricts it to what all of them agree on. We refuse:

- **lone surrogates** (``"\\ud800"`` without its pair) in any string, key or value: the text
  is not Unicode, so it cannot be encoded to UTF-8 to be hashed, stored or shown (RFC 7493
  §2.1);
- **non-finite numbers** (``NaN``, ``Infinity``, or a literal such as ``1e400`` that overflows
  a double): not JSON at all (RFC 8259 §6);
- **numbers beyond ±(2^53 − 1)**: JavaScript reads ``9007199254740993`` as
  ``9007199254740992``, so a JavaScript verifier checks another value than we signed
  (RFC 7493 §2.2);
- **non-zero numbers of magnitude below 10^-6**: JavaScript writes them in exponent form
  (``1e-7``), and implementations disagree on their canonical form.

:func:`text_problems` finds the first two kinds (what makes a JSON text unusable at all: the
input boundaries refuse it, see :func:`loads`); :func:`ijson_problems` all four (what the data
model check refuses at issue and at verify). Each problem is ``(JSON pointer, message)``; the
pointer is escaped as RFC 6901 says (``~`` as ``~0``, ``/`` as ``~1``) and a lone surrogate in
a key appears in it as the six characters ``\\udXXX``, so that pointers and messages are always
valid Unicode. Pure functions, no I/O.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

__all__ = [
    "MAX_SAFE_INTEGER",
    "MIN_PLAIN_MAGNITUDE",
    "NotIJsonError",
    "ijson_problems",
    "loads",
    "may_need_text_check",
    "pointer_token",
    "text_problems",
]

Problem = tuple[str, str]

MAX_SAFE_INTEGER = 2**53 - 1
"""The largest integer JavaScript (an IEEE 754 double) represents exactly: 9007199254740991."""

MIN_PLAIN_MAGNITUDE = 1e-6
"""The smallest non-zero magnitude JavaScript writes without an exponent (0.000001)."""

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# What can make json.loads produce a lone surrogate or a non-finite number: a \uD800-\uDFFF
# escape, raw UTF-8-encoded surrogates (json.loads decodes bytes with "surrogatepass"), the
# NaN/Infinity constants, an exponent of three digits or more, or a run of 100 digits (with at
# most 99 digits before the point and a two-digit exponent a literal stays below 1e199). Each
# is looked for with a literal prefix or in a copy whose digits are all 0: fast byte searches.
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
_RAW_SURROGATE = re.compile(rb"\xed[\xa0-\xbf]")
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789E", b"000000000e")
_NOT_UTF8 = (b"\xff\xfe", b"\xfe\xff")


class NotIJsonError(ValueError):
    """A JSON text :func:`loads` refuses; ``problems`` lists every ``(pointer, message)``."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        pointer, message = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{pointer or '/'}: {message}{more}")


def ijson_problems(value: object, pointer: str = "") -> list[Problem]:
    """Every member of ``value`` (parsed JSON) that is not I-JSON, lone surrogates, non-finite
    numbers, numbers beyond ±(2^53 − 1) and non-zero ones below 10^-6 alike."""
    return _walk(value, pointer, numbers=True)


def text_problems(value: object, pointer: str = "") -> list[Problem]:
    """The strings and keys of ``value`` that are not Unicode (lone surrogates) and the numbers
    that are not finite: what no JSON processing can carry on with."""
    return _walk(value, pointer, numbers=False)


def loads(text: str | bytes) -> Any:
    """``json.loads``, refusing a text with lone surrogates or non-finite numbers.

    Raises ``json.JSONDecodeError`` (a ``ValueError``) for text that is not JSON and
    :class:`NotIJsonError` (also a ``ValueError``) naming the pointer of each such member.
    """
    value = json.loads(text)
    problems = text_problems(value)
    if problems:
        raise NotIJsonError(problems)
    return value


def may_need_text_check(body: bytes) -> bool:
    """Whether the JSON text ``body`` may hold what :func:`text_problems` finds; False means
    it certainly does not, so a caller can skip parsing it twice."""
    if body[:2] in _NOT_UTF8 or b"\x00" in body[:4]:
        return True  # UTF-16 or UTF-32: the byte patterns below do not apply
    if _ESCAPED_SURROGATE.search(body) or _RAW_SURROGATE.search(body):
        return True
    if b"NaN" in body or b"Infinity" in body:
        return True
    shape = body.translate(_DIGITS_AS_ZERO)
    return b"e000" in shape or b"e+000" in shape or b"0" * 100 in shape


def pointer_token(key: str) -> str:
    """One reference token of a JSON pointer (RFC 6901), lone surrogates written ``\\udXXX``."""
    token = key.replace("~", "~0").replace("/", "~1")
    return _LONE_SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", token)


# -- the walk -------------------------------------------------------------------------------
def _walk(value: object, pointer: str, *, numbers: bool) -> list[Problem]:
    if not _has_problem(value, numbers):
        return []  # the common case, found ten times faster than building every pointer
    problems: list[Problem] = []
    stack: list[tuple[object, str]] = [(value, pointer)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if _LONE_SURROGATE.search(item):
                problems.append((where or "/", _surrogate_message(item)))
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int | float):
            message = _number_message(item, numbers=numbers)
            if message:
                problems.append((where or "/", message))
        elif isinstance(item, Mapping):
            children = []
            for key, child in item.items():
                at = f"{where}/{pointer_token(str(key))}"
                if isinstance(key, str) and _LONE_SURROGATE.search(key):
                    problems.append((at, f"the key {_surrogate_message(key)}"))
                children.append((child, at))
            stack.extend(reversed(children))
        elif isinstance(item, list | tuple):
            indexed = [(child, f"{where}/{index}") for index, child in enumerate(item)]
            stack.extend(reversed(indexed))
    return problems


def _has_problem(value: object, numbers: bool) -> bool:
    """Whether :func:`_walk` would find anything (True also for what is not parsed JSON)."""
    if isinstance(value, str):
        return not value.isascii() and _LONE_SURROGATE.search(value) is not None
    if isinstance(value, dict):
        for key, child in value.items():
            if _has_problem(child, numbers) or _has_problem(key, numbers):
                return True
        return False
    if isinstance(value, list):
        return any(_has_problem(child, numbers) for child in value)
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, int):
        return numbers and not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER
    if isinstance(value, float):
        return _number_message(value, numbers=numbers) is not None
    return True


def _surrogate_message(text: str) -> str:
    found = _LONE_SURROGATE.search(text)
    code = ord(found.group()) if found else 0
    return (
        f"holds a lone surrogate (\\u{code:04x}, at character {found.start() if found else 0}):"
        " not valid Unicode, so it cannot be signed or checked (I-JSON, RFC 7493)"
    )


def _number_message(number: int | float, *, numbers: bool) -> str | None:
    if isinstance(number, float) and not math.isfinite(number):
        return "is not a finite number (NaN and Infinity are not JSON, RFC 8259)"
    if not numbers:
        return None
    if abs(number) > MAX_SAFE_INTEGER:
        return (
            f"{_shown(number)} is beyond ±(2^53 − 1) = ±{MAX_SAFE_INTEGER}: JavaScript "
            "verifiers cannot represent it exactly (I-JSON, RFC 7493); send it as a string"
        )
    if number and abs(number) < MIN_PLAIN_MAGNITUDE:
        return (
            f"{_shown(number)} is smaller in magnitude than 1e-6: JavaScript verifiers write it "
            "in exponent form and canonical forms differ (I-JSON, RFC 7493); send it as a string"
        )
    return None


def _shown(number: int | float) -> str:
    if isinstance(number, int) and number.bit_length() > 128:  # repr fails beyond 4300 digits
        return f"an integer of about {int(number.bit_length() * math.log10(2)) + 1} digits"
    return repr(number)
