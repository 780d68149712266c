"""Use cases for organisations, their keys, users and API tokens.

Organisations get a ``did:web`` DID under the platform's base URL
(``did:web:127.0.0.1%3A8000:orgs:kaz-exporter``, served at ``/orgs/kaz-exporter/did.json``) and
an Ed25519 key sealed with the platform secret. Rotating a key retires the current one at that
instant (it stays in the DID document, marked ``revoked`` at that instant, so documents signed
before still verify) and adds a new one. API tokens are random; only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from transcaspian.domain.documents.key_lookup import ResolvedKey
from transcaspian.domain.documents.parties import (
    Actor,
    ApiToken,
    Organisation,
    OrgRole,
    SigningKey,
    User,
    UserRole,
)
from transcaspian.domain.documents.sealing import seal_private_key, unseal_private_key
from transcaspian.domain.errors import InvalidValueError, NotFoundError
from transcaspian.services.audit import AuditSigning, record_action
from transcaspian.services.ports import Clock, UnitOfWork
from transcaspian.vc.keys import (
    VerificationMethod,
    did_web_document,
    public_key_from_multibase,
    public_key_to_multibase,
)

TOKEN_PREFIX = "tcp_"


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new API token: ``secret`` is shown once and never stored."""

    token: ApiToken
    secret: str


def did_web_for(base_url: str, slug: str) -> str:
    """The did:web DID of organisation ``slug`` served under ``base_url``."""
    parts = urlsplit(base_url)
    host = quote(parts.netloc, safe="")
    path = [quote(p, safe="") for p in parts.path.strip("/").split("/") if p]
    return ":".join(["did:web", host, *path, "orgs", slug])


class OrganisationService:
    """Organisations, keys, users and tokens over a unit of work."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        *,
        base_url: str,
        secret_key: str,
    ):
        self._uow_factory = uow_factory
        self._clock = clock
        self._base_url = base_url.rstrip("/")
        self._secret = secret_key
        self._audit_signing = AuditSigning.for_platform(base_url=base_url, secret_key=secret_key)

    # -- organisations -------------------------------------------------------------------
    def create_organisation(
        self,
        slug: str,
        name: str,
        roles: Iterable[OrgRole],
        *,
        country: str | None = None,
        did: str | None = None,
        private_key: Ed25519PrivateKey | None = None,
    ) -> Organisation:
        """Register an organisation with its first key; ConflictError if the slug is taken.

        ``did`` defaults to a did:web under the base URL; a ``did:key`` is allowed (tests), in
        which case the key cannot be rotated.
        """
        now = self._clock.now()
        key_material = private_key or Ed25519PrivateKey.generate()
        public = public_key_to_multibase(key_material.public_key())
        if did is None:
            did = did_web_for(self._base_url, slug)
        elif did == "key":
            did = "did:key:" + public
        key_id = public if did.startswith("did:key:") else "key-1"
        key = self._new_key(key_material, did, key_id, now)
        organisation = Organisation(
            slug=slug,
            name=name,
            roles=frozenset(roles),
            did=did,
            country=country.upper() if country else None,
            keys=(key,),
        )
        with self._uow_factory() as uow:
            uow.organisations.add(organisation)
            record_action(
                uow,
                signing=self._audit_signing,
                at=now,
                actor="platform admin",
                organisation=slug,
                action="organisation.create",
                detail=f"{name}; roles {', '.join(sorted(r.value for r in organisation.roles))}",
            )
            uow.commit()
        return organisation

    def get(self, slug: str) -> Organisation:
        with self._uow_factory() as uow:
            return uow.organisations.get(slug)

    def list(self) -> list[Organisation]:
        with self._uow_factory() as uow:
            return uow.organisations.list_all()

    def rotate_key(self, slug: str, actor: Actor | None = None) -> SigningKey:
        """Retire the current key now and add a new one; returns the new key."""
        with self._uow_factory() as uow:
            # The issuer lock: signing takes it too, so no document is signed with a key
            # after its retirement time and no two rotations pick the same next key id.
            organisation = uow.organisations.get(slug, for_update=True)
            now = self._clock.now()  # under the lock: no signature made before it is later
            if organisation.did.startswith("did:key:"):
                raise InvalidValueError(
                    f"organisation {slug!r}: a did:key cannot rotate its key (the DID is the key)",
                    field="/did",
                )
            current = organisation.current_key
            key_id = organisation.next_key_id()
            key = self._new_key(Ed25519PrivateKey.generate(), organisation.did, key_id, now)
            if current is not None:
                uow.organisations.retire_key(slug, current.key_id, now)
            uow.organisations.add_key(slug, key)
            record_action(
                uow,
                signing=self._audit_signing,
                at=now,
                actor=actor.label if actor else "platform admin",
                organisation=slug,
                action="key.rotate",
                detail=f"retired {current.key_id if current else '-'}; new {key_id}",
            )
            uow.commit()
        return key

    def did_document(self, slug: str) -> dict[str, Any]:
        """The organisation's DID document: every key, retired ones marked ``revoked``."""
        return did_document_of(self.get(slug))

    # -- users and tokens ----------------------------------------------------------------
    def create_user(self, organisation: str, email: str, role: UserRole) -> User:
        user = User(
            user_id=uuid.uuid4().hex, organisation=organisation, email=email.lower(), role=role
        )
        with self._uow_factory() as uow:
            uow.organisations.get(organisation)
            uow.organisations.add_user(user)
            record_action(
                uow,
                signing=self._audit_signing,
                at=self._clock.now(),
                actor="platform admin",
                organisation=organisation,
                action="user.create",
                detail=f"{user.email} as {role.value}",
            )
            uow.commit()
        return user

    def create_token(self, email: str, label: str = "") -> IssuedToken:
        """A new API token for the user with ``email``; the secret is returned once."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._uow_factory() as uow:
            user = uow.organisations.find_user_by_email(email.lower())
            if user is None:
                raise NotFoundError(f"user: {email!r} does not exist", field="/email")
            token = ApiToken(
                token_id=uuid.uuid4().hex,
                user_id=user.user_id,
                token_hash=hash_token(secret),
                created_at=self._clock.now(),
                label=label,
            )
            uow.organisations.add_token(token)
            record_action(
                uow,
                signing=self._audit_signing,
                at=token.created_at,
                actor=user.email,
                organisation=user.organisation,
                action="token.create",
                detail=label,
            )
            uow.commit()
        return IssuedToken(token=token, secret=secret)

    def authenticate(self, secret: str) -> Actor | None:
        """The actor behind an API token, or None for an unknown or revoked token."""
        with self._uow_factory() as uow:
            token = uow.organisations.find_token(hash_token(secret))
            if token is None or token.revoked_at is not None:
                return None
            user = uow.organisations.get_user(token.user_id)
            return Actor(user=user, organisation=uow.organisations.get(user.organisation))

    # -- keys for signing and verifying --------------------------------------------------
    def signing_key(self, organisation: Organisation) -> tuple[Ed25519PrivateKey, str]:
        """The organisation's current private key and its verification method URL."""
        return signing_key_of(organisation, self._secret)

    def _new_key(
        self, private: Ed25519PrivateKey, did: str, key_id: str, now: datetime
    ) -> SigningKey:
        """Key ``key_id`` of ``did``, its private half sealed with the platform's secret."""
        return SigningKey(
            key_id=key_id,
            public_key_multibase=public_key_to_multibase(private.public_key()),
            sealed_private_key=seal_private_key(
                private, secret=self._secret, bound_to=f"{did}#{key_id}"
            ),
            created_at=now,
        )


def signing_key_of(organisation: Organisation, secret: str) -> tuple[Ed25519PrivateKey, str]:
    """Unseal the current key; InvalidValueError if the organisation has no current key."""
    key = organisation.current_key
    if key is None:
        raise InvalidValueError(
            f"organisation {organisation.slug!r} has no current signing key", field="/keys"
        )
    method = organisation.verification_method(key)
    return unseal_private_key(key.sealed_private_key, secret=secret, bound_to=method), method


def did_document_of(organisation: Organisation) -> dict[str, Any]:
    """A DID document listing every key of the organisation (retired keys marked ``revoked``)."""
    methods = [
        VerificationMethod(
            id=organisation.verification_method(key),
            controller=organisation.did,
            public_key=public_key_from_multibase(key.public_key_multibase),
        )
        for key in organisation.keys
    ]
    document = did_web_document(organisation.did, methods)
    retired = {
        organisation.verification_method(key): key.retired_at
        for key in organisation.keys
        if key.retired_at is not None
    }
    for method in document["verificationMethod"]:
        if (at := retired.get(method["id"])) is not None:
            method["revoked"] = at.isoformat().replace("+00:00", "Z")
    return document


def resolved_keys_of(organisation: Organisation) -> dict[str, ResolvedKey]:
    """Every key of the organisation as the verifier sees it, by verification method URL."""
    return {
        organisation.verification_method(key): ResolvedKey(
            verification_method=organisation.verification_method(key),
            controller=organisation.did,
            public_key=public_key_from_multibase(key.public_key_multibase),
            assertion=True,
            created=key.created_at,
            revoked=key.retired_at,
        )
        for key in organisation.keys
    }


def hash_token(secret: str) -> str:
    """SHA-256 hex of a token; tokens are 256-bit random, so no slow hash is needed."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
