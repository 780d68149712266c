"""Bitstring Status List 1.0 (W3C Recommendation): revocation and suspension bits.

A status list is a bitstring of at least 131,072 entries (16 KiB, for herd privacy), GZIP
compressed and written as multibase base64url without padding (``u…``) in the
``encodedList`` of a ``BitstringStatusListCredential``. Bit 0 is the most significant bit of
the first byte. A credential points at one bit with a ``BitstringStatusListEntry``.
"""

from __future__ import annotations

import base64
import gzip
import zlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any, NoReturn

from transcaspian.domain.errors import InvalidValueError
from transcaspian.vc.contexts import CREDENTIALS_V2
from transcaspian.vc.data_integrity import format_datetime

__all__ = [
    "MIN_ENTRIES",
    "STATUS_PURPOSES",
    "StatusList",
    "decode_status_list",
    "encode_status_list",
    "entry_problems",
    "is_set",
    "status_entry",
    "status_list_credential",
]

MIN_ENTRIES = 131_072
"""Smallest list the spec allows: 131,072 bits = 16 KiB."""

STATUS_PURPOSES = ("revocation", "suspension")
_MAX_DECODED_BYTES = 16 * 1024 * 1024  # a 128 Mbit list; refuse gzip bombs beyond it


class StatusList:
    """A mutable bitstring of ``size`` entries (a multiple of 8, at least MIN_ENTRIES)."""

    __slots__ = ("_bits",)

    def __init__(self, size: int = MIN_ENTRIES, *, data: bytes | None = None) -> None:
        if data is None:
            if size < MIN_ENTRIES or size % 8:
                raise InvalidValueError(
                    f"size: {size} entries; a status list needs at least {MIN_ENTRIES} "
                    "and a multiple of 8",
                    field="size",
                )
            data = bytes(size // 8)
        self._bits = bytearray(data)

    @property
    def size(self) -> int:
        return len(self._bits) * 8

    def is_set(self, index: int) -> bool:
        self._check(index)
        return bool(self._bits[index // 8] & (0x80 >> (index % 8)))

    def set(self, index: int, value: bool = True) -> None:
        self._check(index)
        if value:
            self._bits[index // 8] |= 0x80 >> (index % 8)
        else:
            self._bits[index // 8] &= ~(0x80 >> (index % 8)) & 0xFF

    def encode(self) -> str:
        """``u`` + base64url (no padding) of the GZIP-compressed bitstring."""
        compressed = gzip.compress(bytes(self._bits), mtime=0)
        return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")

    def to_bytes(self) -> bytes:
        return bytes(self._bits)

    def _check(self, index: int) -> None:
        if not 0 <= index < self.size:
            raise InvalidValueError(
                f"statusListIndex: {index} is outside the list (0..{self.size - 1})",
                field="statusListIndex",
            )


def encode_status_list(bits: StatusList | Iterable[int] | bytes, size: int = MIN_ENTRIES) -> str:
    """The ``encodedList`` of a status list.

    ``bits`` is a StatusList, the raw bitstring bytes, or the indexes of the set bits (in a
    list of ``size`` entries).
    """
    if isinstance(bits, StatusList):
        return bits.encode()
    if isinstance(bits, bytes | bytearray):
        if len(bits) * 8 < MIN_ENTRIES:
            _too_short(len(bits) * 8)
        return StatusList(data=bytes(bits)).encode()
    status = StatusList(size)
    for index in bits:
        status.set(index)
    return status.encode()


def decode_status_list(encoded: str) -> StatusList:
    """The status list of an ``encodedList``; raises InvalidValueError naming encodedList."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise InvalidValueError(
            "encodedList: not multibase base64url (must start with 'u')", field="encodedList"
        )
    body = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        data = inflater.decompress(compressed, _MAX_DECODED_BYTES)
        if inflater.unconsumed_tail:
            raise InvalidValueError(
                "encodedList: the list is larger than 16 MiB", field="encodedList"
            )
    except (ValueError, zlib.error) as error:
        if isinstance(error, InvalidValueError):
            raise
        raise InvalidValueError(
            f"encodedList: not a GZIP-compressed bitstring ({error})", field="encodedList"
        ) from error
    if len(data) * 8 < MIN_ENTRIES:
        _too_short(len(data) * 8)
    return StatusList(data=data)


def is_set(encoded: str | StatusList, index: int) -> bool:
    """Whether bit ``index`` of an ``encodedList`` (or a decoded list) is set."""
    if isinstance(encoded, StatusList):
        return encoded.is_set(index)
    return decode_status_list(encoded).is_set(index)


def status_entry(list_url: str, index: int, purpose: str) -> dict[str, Any]:
    """A ``BitstringStatusListEntry`` for ``credentialStatus``: bit ``index`` of the list
    credential at ``list_url``; its ``id`` is ``{list_url}#{index}``."""
    _check_purpose(purpose)
    if index < 0:
        raise InvalidValueError(f"statusListIndex: {index} is negative", field="statusListIndex")
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list_credential(
    list_url: str,
    *,
    issuer: str,
    purpose: str,
    valid_from: datetime,
    encoded_list: str | None = None,
    set_indices: Iterable[int] | None = None,
    size: int = MIN_ENTRIES,
    valid_until: datetime | None = None,
    ttl_ms: int | None = None,
) -> dict[str, Any]:
    """An unsigned ``BitstringStatusListCredential`` for ``purpose`` (revocation or
    suspension) published at ``list_url``; sign it with
    :func:`transcaspian.vc.data_integrity.sign_credential`.

    The list is ``encoded_list`` as given, or built from ``set_indices`` (the set bits of a
    ``size``-entry list); neither means an empty list.
    """
    if encoded_list is None:
        encoded_list = encode_status_list(set_indices or (), size)
    _check_purpose(purpose)
    subject: dict[str, Any] = {
        "id": f"{list_url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose,
        "encodedList": encoded_list,
    }
    if ttl_ms is not None:
        subject["ttl"] = ttl_ms
    credential: dict[str, Any] = {
        "@context": [CREDENTIALS_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": format_datetime(valid_from, field="validFrom"),
    }
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until, field="validUntil")
    credential["credentialSubject"] = subject
    return credential


def _check_purpose(purpose: str) -> None:
    if purpose not in STATUS_PURPOSES:
        raise InvalidValueError(
            f"statusPurpose: {purpose!r} is not one of {', '.join(STATUS_PURPOSES)}",
            field="statusPurpose",
        )


def _too_short(size: int) -> NoReturn:
    raise InvalidValueError(
        f"encodedList: {size} entries; a status list needs at least {MIN_ENTRIES}",
        field="encodedList",
    )


def entry_problems(credential: object, *, pointer: str = "") -> list[tuple[str, str]]:
    """How the credential's ``BitstringStatusListEntry`` entries break Bitstring Status List
    §2.1 (MALFORMED_VALUE_ERROR), as (JSON pointer, message); other entry types are left to
    their own specifications."""
    if not isinstance(credential, dict) or "credentialStatus" not in credential:
        return []
    entries = credential["credentialStatus"]
    many = isinstance(entries, list)
    problems: list[tuple[str, str]] = []
    for number, entry in enumerate(entries if many else [entries]):
        where = f"{pointer}/credentialStatus" + (f"/{number}" if many else "")
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            continue
        purpose = entry.get("statusPurpose")
        if not isinstance(purpose, str) or not purpose:
            problems.append((f"{where}/statusPurpose", "statusPurpose must be a string"))
        index = entry.get("statusListIndex")
        if not (isinstance(index, str) and index.isascii() and index.isdigit()):
            problems.append(
                (
                    f"{where}/statusListIndex",
                    f"statusListIndex {index!r} must be an integer >= 0 written as a base-10 "
                    "string",
                )
            )
        url = entry.get("statusListCredential")
        if not isinstance(url, str) or ":" not in url:
            problems.append((f"{where}/statusListCredential", "statusListCredential must be a URL"))
        size = entry.get("statusSize", 1)
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            problems.append((f"{where}/statusSize", "statusSize must be an integer > 0"))
        elif size > 1 and not isinstance(entry.get("statusMessage"), list):
            problems.append(
                (f"{where}/statusMessage", "statusMessage is required when statusSize > 1")
            )
    return problems
