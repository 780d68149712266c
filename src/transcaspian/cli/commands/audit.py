"""``transcaspian audit verify|checkpoint|list``: check the hash-chained audit log and its signed
checkpoints, sign and print a checkpoint of its head, show it."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from transcaspian.domain.errors import InvalidValueError
from transcaspian.settings import get_settings

app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)
console = Console(highlight=False, emoji=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)


@app.command("verify")
def verify(
    checkpoint: Path | None = typer.Option(
        None,
        "--checkpoint",
        help="a checkpoint note held elsewhere (e.g. saved from GET /api/v1/audit/checkpoint): "
        "the log must extend it",
    ),
) -> None:
    """Recompute every entry's hash and link and check every signed checkpoint (signature by
    the platform's key, consistent with the log); exit 1 naming each problem (edited, inserted,
    deleted, rewritten or truncated entries, forged checkpoints)."""
    from transcaspian.bootstrap import build_platform

    held = None if checkpoint is None else _read(checkpoint)
    report = build_platform(get_settings()).audit.verify(held)
    if report.intact:
        extends = f"; it extends the held {report.held}" if report.held else ""
        console.print(
            f"audit log intact: {report.entries} entries, every link holds, "
            f"{report.checkpoints} signed checkpoints agree{extends}",
            markup=False,
        )
        return
    for problem in report.problems:
        stderr.print(f"error: audit log: {problem}", markup=False)
    raise typer.Exit(1)


@app.command("checkpoint")
def checkpoint() -> None:
    """Print a signed checkpoint of the log's head (signing one now if the newest does not
    cover the head); save it to check the log later with ``audit verify --checkpoint``."""
    from transcaspian.bootstrap import build_platform

    published = build_platform(get_settings()).audit.checkpoint()
    typer.echo(published.checkpoint.note, nl=False)
    stderr.print(f"signed by {published.verification_method}", markup=False)


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


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidValueError(
            f"--checkpoint: cannot read {str(path)!r} ({error})", field="--checkpoint"
        ) from error
