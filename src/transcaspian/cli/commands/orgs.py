"""``transcaspian orgs create|list|rotate-key``, ``users create|list|deactivate|activate`` and
``tokens create|list|revoke``: the platform admin's path to register an organisation, give it
users, hand them API tokens (which expire) and take them back."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from transcaspian.domain.documents.parties import OrgRole, UserRole
from transcaspian.settings import get_settings

if TYPE_CHECKING:
    from transcaspian.bootstrap import Platform

app = typer.Typer(help="Organisations taking part in the document flow.", no_args_is_help=True)
users_app = typer.Typer(help="Users acting for an organisation.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens (shown once, stored hashed).", no_args_is_help=True)
console = Console(highlight=False, emoji=False, soft_wrap=True)


def platform() -> Platform:
    from transcaspian.bootstrap import build_platform

    return build_platform(get_settings())


@app.command("create")
def create(
    slug: str = typer.Argument(..., help="short id, e.g. kaz-exporter"),
    name: str = typer.Option(..., "--name", help="legal name"),
    role: list[OrgRole] = typer.Option(..., "--role", help="repeat for several roles"),
    country: str | None = typer.Option(None, "--country", help="ISO 3166 alpha-2, e.g. KZ"),
) -> None:
    """Register an organisation with a did:web DID and a new Ed25519 signing key."""
    organisation = platform().organisations.create_organisation(slug, name, role, country=country)
    console.print(f"created {organisation.slug}: {organisation.did}", markup=False)
    console.print(f"DID document: {get_settings().base_url}/orgs/{slug}/did.json", markup=False)


@app.command("list")
def list_organisations() -> None:
    """Every organisation with its roles, DID and keys."""
    table = Table("slug", "name", "roles", "country", "DID", "keys")
    for o in platform().organisations.list():
        keys = ", ".join(k.key_id + (" (retired)" if k.retired_at else "") for k in o.keys)
        table.add_row(
            o.slug,
            o.name,
            ", ".join(sorted(r.value for r in o.roles)),
            o.country or "",
            o.did,
            keys,
        )
    console.print(table)


@app.command("rotate-key")
def rotate_key(slug: str = typer.Argument(...)) -> None:
    """Retire the current signing key now (documents signed before still verify) and add one."""
    key = platform().organisations.rotate_key(slug)
    console.print(f"{slug}: new key {key.key_id} ({key.public_key_multibase})", markup=False)


@users_app.command("create")
def create_user(
    organisation: str = typer.Argument(..., help="organisation slug"),
    email: str = typer.Argument(...),
    role: UserRole = typer.Option(UserRole.CLERK, "--role"),
) -> None:
    """Add a user to an organisation."""
    user = platform().organisations.create_user(organisation, email, role)
    console.print(f"created {user.email} ({user.role.value}) for {organisation}", markup=False)


@users_app.command("list")
def list_users(
    organisation: str | None = typer.Argument(None, help="organisation slug (default: all)"),
) -> None:
    """Users with their organisation, role and whether they are active (tab-separated)."""
    console.print("e-mail\torganisation\trole\tactive", markup=False)
    for user in platform().organisations.list_users(organisation):
        active = "yes" if user.active else "no"
        console.print(
            f"{user.email}\t{user.organisation}\t{user.role.value}\t{active}", markup=False
        )


@users_app.command("deactivate")
def deactivate_user(email: str = typer.Argument(...)) -> None:
    """Deactivate a user: their API tokens and web sessions stop working at once."""
    user = platform().organisations.set_user_active(email, False)
    console.print(f"deactivated {user.email} ({user.organisation})", markup=False)


@users_app.command("activate")
def activate_user(email: str = typer.Argument(...)) -> None:
    """Reactivate a deactivated user (tokens not expired or revoked work again)."""
    user = platform().organisations.set_user_active(email, True)
    console.print(f"activated {user.email} ({user.organisation})", markup=False)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([dhm]?)\s*$")
_UNITS = {"d": "days", "": "days", "h": "hours", "m": "minutes"}


def parse_duration(text: str) -> timedelta:
    """``90``, ``90d``, ``12h`` or ``30m`` as a duration; typer.BadParameter otherwise."""
    match = _DURATION.match(text)
    if match is None or float(match.group(1)) <= 0:
        raise typer.BadParameter(
            f"{text!r} is not a positive duration such as 90d, 12h or 30m",
            param_hint="--expires-in",
        )
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


@tokens_app.command("create")
def create_token(
    email: str = typer.Argument(..., help="the user's e-mail"),
    label: str = typer.Option("", "--label"),
    expires_in: str | None = typer.Option(
        None,
        "--expires-in",
        help="lifetime: 90d, 12h or 30m (default: TRANSCASPIAN_TOKEN_LIFETIME_DAYS, 90 days)",
    ),
) -> None:
    """Create an API token; it is printed once and only its hash is stored."""
    lifetime = None if expires_in is None else parse_duration(expires_in)
    issued = platform().organisations.create_token(email, label, expires_in=lifetime)
    console.print(issued.secret, markup=False)


@tokens_app.command("list")
def list_tokens(
    email: str | None = typer.Argument(None, help="only this user's tokens"),
) -> None:
    """Tokens (never their secrets) with their user, label, expiry, last use and state.

    One tab-separated line per token, after a header line, so scripts can read it.
    """
    now = datetime.now(UTC)
    console.print("id\tuser\tlabel\tcreated\texpires\tlast used\tstate", markup=False)
    for listing in platform().organisations.list_all_tokens(email):
        token = listing.token
        fields = (
            token.token_id,
            listing.user.email,
            token.label,
            _when(token.created_at),
            _when(token.expires_at),
            _when(token.last_used_at),
            listing.state(now),
        )
        console.print("\t".join(fields), markup=False)


@tokens_app.command("revoke")
def revoke_token(token_id: str = typer.Argument(..., help="the id shown by tokens list")) -> None:
    """Revoke a token now: requests with it are refused from this moment."""
    listing = platform().organisations.revoke_token(token_id)
    console.print(
        f"revoked {listing.token.token_id} of {listing.user.email} "
        f"at {_when(listing.token.revoked_at)}",
        markup=False,
    )


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC") if at else "-"
