"""Organisations, their signing keys, users, API tokens and web sessions.

An organisation takes part in the document flow in one or more roles (shipper, forwarder,
carrier, bank, consignee, customs); it signs with Ed25519 keys identified by verification method
URLs under its DID. Keys rotate: a rotated key stays listed with the instant it was retired, so a
document signed before that instant still verifies and one signed after it does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from transcaspian.domain.errors import InvalidValueError

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class OrgRole(StrEnum):
    """The part an organisation plays in trade and transport."""

    SHIPPER = "shipper"
    FORWARDER = "forwarder"
    CARRIER = "carrier"
    BANK = "bank"
    CONSIGNEE = "consignee"
    CUSTOMS = "customs"


class UserRole(StrEnum):
    """What a user may do for the organisation: ADMIN and CLERK change documents, VIEWER reads."""

    ADMIN = "admin"
    CLERK = "clerk"
    VIEWER = "viewer"

    @property
    def can_change_documents(self) -> bool:
        return self is not UserRole.VIEWER


@dataclass(frozen=True, slots=True)
class SigningKey:
    """One Ed25519 key of an organisation; the private half is kept sealed (encrypted).

    ``key_id`` is the fragment of the verification method (``key-1``); ``created_at`` starts its
    validity and ``retired_at`` (set on rotation or revocation) ends it.
    """

    key_id: str
    public_key_multibase: str
    sealed_private_key: bytes
    created_at: datetime
    retired_at: datetime | None = None

    def is_valid_at(self, instant: datetime) -> bool:
        """True when a signature made at ``instant`` falls inside this key's validity window."""
        if instant < self.created_at:
            return False
        return self.retired_at is None or instant < self.retired_at


@dataclass(frozen=True, slots=True)
class Organisation:
    """A party to documents, with its DID, roles, country and signing keys (oldest first)."""

    slug: str
    name: str
    roles: frozenset[OrgRole]
    did: str
    country: str | None = None
    keys: tuple[SigningKey, ...] = field(default=())

    def __post_init__(self) -> None:
        if not _SLUG.match(self.slug):
            raise InvalidValueError(
                f"slug: {self.slug!r} is not a slug (lowercase letters, digits and hyphens)",
                field="/slug",
            )
        if not self.name.strip():
            raise InvalidValueError("name: must not be empty", field="/name")
        if not self.roles:
            raise InvalidValueError(
                "roles: an organisation needs at least one role", field="/roles"
            )
        if self.country is not None and not _COUNTRY.match(self.country):
            raise InvalidValueError(
                f"country: {self.country!r} is not an ISO 3166 alpha-2 code", field="/country"
            )

    def has_role(self, role: OrgRole) -> bool:
        return role in self.roles

    @property
    def current_key(self) -> SigningKey | None:
        """The newest key that is not retired, or None."""
        for key in reversed(self.keys):
            if key.retired_at is None:
                return key
        return None

    def verification_method(self, key: SigningKey) -> str:
        """The verification method URL of one of this organisation's keys."""
        return f"{self.did}#{key.key_id}"

    def with_key(self, key: SigningKey) -> Organisation:
        return replace(self, keys=(*self.keys, key))

    def with_key_retired(self, key_id: str, at: datetime) -> Organisation:
        """This organisation with ``key_id`` retired at ``at`` (retired keys keep their time)."""
        keys = tuple(
            replace(k, retired_at=at) if k.key_id == key_id and k.retired_at is None else k
            for k in self.keys
        )
        return replace(self, keys=keys)

    def next_key_id(self) -> str:
        return f"key-{len(self.keys) + 1}"


@dataclass(frozen=True, slots=True)
class User:
    """A person acting for one organisation."""

    user_id: str
    organisation: str
    email: str
    role: UserRole
    active: bool = True  # a deactivated user's tokens and sessions stop working at once

    def __post_init__(self) -> None:
        if "@" not in self.email:
            raise InvalidValueError(
                f"email: {self.email!r} is not an e-mail address", field="/email"
            )


@dataclass(frozen=True, slots=True)
class ApiToken:
    """An API token as stored: only its SHA-256 hash, never the token itself."""

    token_id: str
    user_id: str
    token_hash: str
    created_at: datetime
    label: str = ""
    revoked_at: datetime | None = None
    expires_at: datetime | None = None  # None only for tokens made before tokens expired
    last_used_at: datetime | None = None

    def refusal(self, now: datetime) -> str | None:
        """Why the token no longer works at ``now`` (revoked, expired), None while it does."""
        if self.revoked_at is not None:
            return "the API token was revoked"
        if self.expires_at is not None and now >= self.expires_at:
            return "the API token has expired"
        return None


@dataclass(frozen=True, slots=True)
class WebSession:
    """A signed-in web session as stored: the SHA-256 of its random id, never the id itself."""

    session_hash: str
    user_id: str
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime

    def is_live(self, now: datetime) -> bool:
        return now < self.expires_at


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: the authenticated user and the organisation they act for."""

    user: User
    organisation: Organisation

    @property
    def label(self) -> str:
        return f"{self.user.email} ({self.organisation.slug})"
