"""API tokens and users: list and revoke tokens (own; an organisation admin: those of the
organisation's users), create one for oneself, and deactivate or reactivate users (admin)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from transcaspian.api.auth import ActorDep
from transcaspian.api.deps import get_platform
from transcaspian.api.problems import problem_responses
from transcaspian.domain.documents.parties import User
from transcaspian.services.organisations import TokenListing

router = APIRouter(tags=["tokens"], responses=problem_responses(401))
TokenId = Annotated[str, Path(max_length=64, pattern=r"^[0-9a-f]{1,64}$", description="token id")]
Email = Annotated[str, Path(max_length=400, description="the user's e-mail address")]


class TokenOut(BaseModel):
    """A token as listed: never its secret nor its hash."""

    token_id: str
    user: str = Field(description="the e-mail of the user it acts for")
    label: str
    created_at: datetime
    expires_at: datetime | None = Field(description="null only for tokens made before expiry")
    revoked_at: datetime | None
    last_used_at: datetime | None = Field(description="to the minute")
    state: str = Field(description="active, expired or revoked")

    @classmethod
    def from_listing(cls, listing: TokenListing, now: datetime) -> TokenOut:
        token = listing.token
        return cls(
            token_id=token.token_id,
            user=listing.user.email,
            label=token.label,
            created_at=token.created_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
            last_used_at=token.last_used_at,
            state=listing.state(now),
        )


class TokenCreate(BaseModel):
    label: str = Field(default="", max_length=200)
    expires_in_days: float | None = Field(
        default=None, gt=0, le=3650, description="default: the platform's token lifetime"
    )


class IssuedTokenOut(TokenOut):
    secret: str = Field(description="the token itself: shown once, only its hash is stored")


class UserOut(BaseModel):
    email: str
    organisation: str
    role: str
    active: bool

    @classmethod
    def from_domain(cls, user: User) -> UserOut:
        return cls(
            email=user.email,
            organisation=user.organisation,
            role=user.role.value,
            active=user.active,
        )


@router.get("/tokens", response_model=list[TokenOut], summary="Your tokens (an admin: the org's)")
def list_tokens(request: Request, actor: ActorDep) -> list[TokenOut]:
    platform = get_platform(request)
    now = platform.clock.now()
    return [TokenOut.from_listing(t, now) for t in platform.organisations.list_tokens(actor)]


@router.post(
    "/tokens",
    status_code=201,
    response_model=IssuedTokenOut,
    summary="Create a token for yourself (its secret is shown once)",
)
def create_token(request: Request, actor: ActorDep, body: TokenCreate) -> IssuedTokenOut:
    platform = get_platform(request)
    expires_in = None if body.expires_in_days is None else timedelta(days=body.expires_in_days)
    issued = platform.organisations.create_token(
        actor.user.email, body.label, expires_in=expires_in
    )
    listed = TokenOut.from_listing(
        TokenListing(token=issued.token, user=actor.user), platform.clock.now()
    )
    return IssuedTokenOut(**listed.model_dump(), secret=issued.secret)


@router.delete(
    "/tokens/{token_id}",
    response_model=TokenOut,
    responses=problem_responses(401, 404),
    summary="Revoke a token now (yours; an admin: any of the org's users')",
)
def revoke_token(request: Request, actor: ActorDep, token_id: TokenId) -> TokenOut:
    platform = get_platform(request)
    listing = platform.organisations.revoke_token(token_id, actor)
    return TokenOut.from_listing(listing, platform.clock.now())


@router.get(
    "/users",
    response_model=list[UserOut],
    summary="The users of your organisation",
)
def list_users(request: Request, actor: ActorDep) -> list[UserOut]:
    users = get_platform(request).organisations.list_users(actor.user.organisation)
    return [UserOut.from_domain(u) for u in users]


@router.post(
    "/users/{email}/deactivation",
    response_model=UserOut,
    responses=problem_responses(401, 403, 404),
    summary="Deactivate a user: their tokens and web sessions stop working at once (admin)",
)
def deactivate_user(request: Request, actor: ActorDep, email: Email) -> UserOut:
    user = get_platform(request).organisations.set_user_active(email, False, actor)
    return UserOut.from_domain(user)


@router.delete(
    "/users/{email}/deactivation",
    response_model=UserOut,
    responses=problem_responses(401, 403, 404),
    summary="Reactivate a user (admin)",
)
def reactivate_user(request: Request, actor: ActorDep, email: Email) -> UserOut:
    user = get_platform(request).organisations.set_user_active(email, True, actor)
    return UserOut.from_domain(user)
