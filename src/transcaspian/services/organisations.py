"""Use cases for organisations, their keys, users and API tokens.

Organisations get a ``did:web`` DID under the platform's base URL
(``did:web:127.0.0.1%3A8000:orgs:kaz-exporter``, served at ``/orgs/kaz-exporter/did.json``) and
an Ed25519 key sealed with the platform secret. Rotating a key retires the current one at that
instant (it stays in the DID document, marked ``revoked`` at that instant, so documents signed
before still verify) and adds a new one.

API tokens are random; only their SHA-256 is stored. Each expires (``expires_at``, by default
``token_lifetime`` after creation), can be revoked, and records when it was last used. A web
session is a random id kept in the browser's cookie; only its SHA-256 is stored, with the user
and its expiry, and signing out deletes it. A deactivated user's tokens and sessions stop working
at once. The CSRF token of a session is an HMAC of its id under the platform secret, so it is
bound to the session and needs no storage.
"""

from __future__ import annotations

import builtins
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
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
    WebSession,
)
from transcaspian.domain.documents.sealing import seal_private_key, unseal_private_key
from transcaspian.domain.errors import (
    InvalidValueError,
    NotAuthenticatedError,
    NotFoundError,
    PermissionDeniedError,
)
from transcaspian.services.audit import AuditSigning, record_action
from transcaspian.services.ports import Clock, UnitOfWork
from transcaspian.vc.keys import (
    VerificationMethod,
    did_web_document,
    public_key_from_multibase,
    public_key_to_multibase,
)

TOKEN_PREFIX = "tcp_"
SESSION_PREFIX = "tcs_"
DEFAULT_TOKEN_LIFETIME = timedelta(days=90)
DEFAULT_SESSION_LIFETIME = timedelta(hours=8)
LAST_USED_RESOLUTION = timedelta(minutes=1)
"""``last_used_at`` / ``last_seen_at`` are written at most this often, not on every request."""


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new API token: ``secret`` is shown once and never stored."""

    token: ApiToken
    secret: str


@dataclass(frozen=True, slots=True)
class TokenListing:
    """A token as listed (never its secret nor its hash), with the user it belongs to."""

    token: ApiToken
    user: User

    def state(self, now: datetime) -> str:
        """``active``, ``expired`` or ``revoked``."""
        if self.token.revoked_at is not None:
            return "revoked"
        return "expired" if self.token.refusal(now) else "active"


@dataclass(frozen=True, slots=True)
class StartedSession:
    """A new web session: ``secret`` goes into the cookie and is never stored."""

    session: WebSession
    secret: str
    actor: Actor


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
        token_lifetime: timedelta = DEFAULT_TOKEN_LIFETIME,
        session_lifetime: timedelta = DEFAULT_SESSION_LIFETIME,
    ):
        self._uow_factory = uow_factory
        self._clock = clock
        self._base_url = base_url.rstrip("/")
        self._secret = secret_key
        self._token_lifetime = token_lifetime
        self._session_lifetime = session_lifetime
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

    def create_token(
        self, email: str, label: str = "", *, expires_in: timedelta | None = None
    ) -> IssuedToken:
        """A new API token for the user with ``email``; the secret is returned once.

        It expires after ``expires_in`` (default: the platform's token lifetime).
        """
        lifetime = self._token_lifetime if expires_in is None else expires_in
        if lifetime <= timedelta(0):
            raise InvalidValueError(
                f"expires_in: {lifetime} is not a positive duration", field="/expires_in"
            )
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._uow_factory() as uow:
            user = uow.organisations.find_user_by_email(email.lower())
            if user is None:
                raise NotFoundError(f"user: {email!r} does not exist", field="/email")
            if not user.active:
                raise InvalidValueError(
                    f"user: {user.email!r} is deactivated; no token can be made for them",
                    field="/email",
                )
            now = self._clock.now()
            token = ApiToken(
                token_id=uuid.uuid4().hex,
                user_id=user.user_id,
                token_hash=hash_token(secret),
                created_at=now,
                label=label,
                expires_at=now + lifetime,
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

    def list_tokens(self, actor: Actor) -> builtins.list[TokenListing]:
        """The actor's own tokens; for an organisation admin, those of every user of theirs."""
        with self._uow_factory() as uow:
            if actor.user.role is UserRole.ADMIN:
                organisation = actor.user.organisation
                users = {u.user_id: u for u in uow.organisations.list_users(organisation)}
                tokens = uow.organisations.list_tokens(organisation=organisation)
            else:
                users = {actor.user.user_id: actor.user}
                tokens = uow.organisations.list_tokens(user_id=actor.user.user_id)
            return [TokenListing(token=t, user=users[t.user_id]) for t in tokens]

    def list_all_tokens(self, email: str | None = None) -> builtins.list[TokenListing]:
        """Every token (the platform admin's view), or those of the user with ``email``."""
        with self._uow_factory() as uow:
            users = {u.user_id: u for u in uow.organisations.list_users()}
            if email is None:
                tokens = uow.organisations.list_tokens()
            else:
                user = self._user_by_email(uow, email)
                tokens = uow.organisations.list_tokens(user_id=user.user_id)
            return [TokenListing(token=t, user=users[t.user_id]) for t in tokens]

    def revoke_token(self, token_id: str, actor: Actor | None = None) -> TokenListing:
        """Revoke a token now (``actor`` None: the platform admin).

        A user may revoke their own tokens, an organisation admin those of their organisation's
        users; any other token is NotFoundError, as if it did not exist. Revoking a revoked token
        keeps its first revocation time.
        """
        with self._uow_factory() as uow:
            try:
                token = uow.organisations.get_token(token_id)
            except NotFoundError:
                raise NotFoundError(
                    f"token: {token_id!r} does not exist", field="/token_id"
                ) from None
            user = uow.organisations.get_user(token.user_id)
            if actor is not None and not _may_manage(actor, user):
                raise NotFoundError(f"token: {token_id!r} does not exist", field="/token_id")
            if token.revoked_at is None:
                token = replace(token, revoked_at=self._clock.now())
                uow.organisations.save_token(token)
                record_action(
                    uow,
                    signing=self._audit_signing,
                    at=token.revoked_at or self._clock.now(),
                    actor=actor.label if actor else "platform admin",
                    organisation=user.organisation,
                    action="token.revoke",
                    detail=f"{token_id} of {user.email}",
                )
                uow.commit()
            return TokenListing(token=token, user=user)

    def set_user_active(self, email: str, active: bool, actor: Actor | None = None) -> User:
        """Deactivate (or reactivate) a user; deactivation ends their web sessions at once and
        their tokens stop working. ``actor`` None: the platform admin; else an admin of the
        user's organisation (anyone else: PermissionDeniedError)."""
        with self._uow_factory() as uow:
            user = self._user_by_email(uow, email)
            if actor is not None and (
                actor.user.role is not UserRole.ADMIN
                or actor.user.organisation != user.organisation
            ):
                raise PermissionDeniedError(
                    f"only an admin of {user.organisation} may change its users", field="/email"
                )
            if actor is not None and actor.user.user_id == user.user_id and not active:
                raise InvalidValueError("an admin cannot deactivate themselves", field="/email")
            if user.active != active:
                uow.organisations.set_user_active(user.user_id, active)
                if not active:
                    uow.organisations.delete_sessions_of(user.user_id)
                record_action(
                    uow,
                    signing=self._audit_signing,
                    at=self._clock.now(),
                    actor=actor.label if actor else "platform admin",
                    organisation=user.organisation,
                    action="user.activate" if active else "user.deactivate",
                    detail=user.email,
                )
                uow.commit()
            return replace(user, active=active)

    def list_users(self, organisation: str | None = None) -> builtins.list[User]:
        with self._uow_factory() as uow:
            return uow.organisations.list_users(organisation)

    def authenticate_token(self, secret: str) -> Actor:
        """The actor behind an API token; NotAuthenticatedError saying why it does not work."""
        with self._uow_factory() as uow:
            token = uow.organisations.find_token(hash_token(secret))
            if token is None:
                raise NotAuthenticatedError("the API token is unknown")
            now = self._clock.now()
            if (refusal := token.refusal(now)) is not None:
                raise NotAuthenticatedError(refusal)
            actor = self._actor_of(uow, token.user_id)
            if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
                uow.organisations.save_token(replace(token, last_used_at=now))
                uow.commit()
            return actor

    def authenticate(self, secret: str) -> Actor | None:
        """The actor behind an API token, or None for one that is unknown, expired or revoked."""
        try:
            return self.authenticate_token(secret)
        except NotAuthenticatedError:
            return None

    # -- web sessions --------------------------------------------------------------------
    def start_session(self, token_secret: str) -> StartedSession:
        """Sign in with an API token: a new server-side session (NotAuthenticatedError)."""
        actor = self.authenticate_token(token_secret)
        secret = SESSION_PREFIX + secrets.token_urlsafe(32)
        now = self._clock.now()
        session = WebSession(
            session_hash=hash_token(secret),
            user_id=actor.user.user_id,
            created_at=now,
            expires_at=now + self._session_lifetime,
            last_seen_at=now,
        )
        with self._uow_factory() as uow:
            uow.organisations.add_session(session)
            uow.commit()
        return StartedSession(session=session, secret=secret, actor=actor)

    def session_actor(self, secret: str) -> Actor:
        """The actor of a live web session; NotAuthenticatedError when it ended or expired."""
        with self._uow_factory() as uow:
            session = uow.organisations.find_session(hash_token(secret))
            if session is None:
                raise NotAuthenticatedError("the web session is unknown or was signed out")
            now = self._clock.now()
            if not session.is_live(now):
                raise NotAuthenticatedError("the web session has expired: sign in again")
            actor = self._actor_of(uow, session.user_id)
            if now - session.last_seen_at >= LAST_USED_RESOLUTION:
                uow.organisations.touch_session(session.session_hash, now)
                uow.commit()
            return actor

    def end_session(self, secret: str) -> None:
        """Sign out: the session's row is deleted, so its cookie value no longer works."""
        with self._uow_factory() as uow:
            uow.organisations.delete_session(hash_token(secret))
            uow.commit()

    def csrf_token(self, session_secret: str) -> str:
        """The synchronizer token of a web session (an HMAC of its id)."""
        return hmac.new(
            self._secret.encode("utf-8"),
            b"csrf:" + session_secret.encode("utf-8"),
            hashlib.sha256,
        ).hexdigest()

    def csrf_token_matches(self, session_secret: str, token: str) -> bool:
        return hmac.compare_digest(self.csrf_token(session_secret), token)

    def _actor_of(self, uow: UnitOfWork, user_id: str) -> Actor:
        user = uow.organisations.get_user(user_id)
        if not user.active:
            raise NotAuthenticatedError(f"the user {user.email} is deactivated")
        return Actor(user=user, organisation=uow.organisations.get(user.organisation))

    @staticmethod
    def _user_by_email(uow: UnitOfWork, email: str) -> User:
        user = uow.organisations.find_user_by_email(email.lower())
        if user is None:
            raise NotFoundError(f"user: {email!r} does not exist", field="/email")
        return user

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


def _may_manage(actor: Actor, user: User) -> bool:
    """Whether ``actor`` may manage ``user``'s tokens: themselves, or an admin of their org."""
    return actor.user.user_id == user.user_id or (
        actor.user.role is UserRole.ADMIN and actor.user.organisation == user.organisation
    )


def hash_token(secret: str) -> str:
    """SHA-256 hex of a token; tokens are 256-bit random, so no slow hash is needed."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
