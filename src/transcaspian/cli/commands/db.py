"""``transcaspian db upgrade``: bring the database schema to the newest migration."""

from __future__ import annotations

import typer
from rich.console import Console

from transcaspian.settings import get_settings

app = typer.Typer(help="Database schema.", no_args_is_help=True)
console = Console(highlight=False, emoji=False)


@app.command("upgrade")
def upgrade() -> None:
    """Apply every Alembic migration (all heads) to TRANSCASPIAN_DATABASE_URL."""
    from transcaspian.bootstrap import upgrade_database

    settings = get_settings()
    upgrade_database(settings)
    console.print(f"database at {settings.database_url.split('@')[-1]} is up to date", markup=False)
