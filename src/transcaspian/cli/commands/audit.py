"""``transcaspian audit verify|list``: check the hash-chained audit log, show it."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from transcaspian.settings import get_settings

app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)
console = Console(highlight=False, emoji=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)


@app.command("verify")
def verify() -> None:
    """Recompute every entry's hash and link; exit 1 naming each problem (edited, inserted or
    deleted entries)."""
    from transcaspian.bootstrap import build_platform

    report = build_platform(get_settings()).audit.verify()
    if report.intact:
        console.print(f"audit log intact: {report.entries} entries, every link holds", markup=False)
        return
    for problem in report.problems:
        stderr.print(f"error: audit log: {problem}", markup=False)
    raise typer.Exit(1)


@app.command("list")
def list_entries(document: str | None = typer.Option(None, "--document")) -> None:
    """The entries, oldest first (optionally of one document)."""
    from transcaspian.bootstrap import build_platform

    table = Table("#", "at", "actor", "action", "document", "hash")
    for e in build_platform(get_settings()).audit.entries(document):
        table.add_row(
            str(e.sequence),
            e.at.isoformat(),
            e.actor,
            e.action,
            e.document_id or "",
            e.entry_hash[:12],
        )
    console.print(table)
