"""``transcaspian orgs create|list|rotate-key``, ``users create`` and ``tokens create``: the
admin path to register an organisation, give it users and hand them API tokens."""

from __future__ import annotations

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


@tokens_app.command("create")
def create_token(
    email: str = typer.Argument(..., help="the user's e-mail"),
    label: str = typer.Option("", "--label"),
) -> None:
    """Create an API token; it is printed once and only its hash is stored."""
    issued = platform().organisations.create_token(email, label)
    console.print(issued.secret, markup=False)
