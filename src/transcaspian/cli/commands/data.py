"""``transcaspian data validate|load``: check and store a corridor dataset."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from transcaspian.data.loader import read_dataset
from transcaspian.domain.errors import DatasetError
from transcaspian.services.network import network_counts
from transcaspian.settings import get_settings

app = typer.Typer(help="Check and load the corridor dataset.", no_args_is_help=True)
console = Console(highlight=False, emoji=False)


@app.command("validate")
def validate(
    path: Path | None = typer.Argument(None, help="dataset directory (default: bundled data)"),
) -> None:
    """Check a dataset; print one line per problem (file:row: field: problem) and exit 1."""
    target = path or get_settings().dataset_path
    network = read_dataset(target)
    counts = ", ".join(f"{v} {k}" for k, v in network_counts(network).items())
    console.print(f"ok: {target}: {counts}", markup=False)


@app.command("load")
def load(
    path: Path | None = typer.Argument(None, help="dataset directory (default: bundled data)"),
) -> None:
    """Validate a dataset and replace the stored network with it (atomically)."""
    from transcaspian.bootstrap import build_platform
    from transcaspian.services.network import load_dataset

    settings = get_settings()
    platform = build_platform(settings)
    target = path or settings.dataset_path
    try:
        version = load_dataset(platform.uow_factory(), target, platform.clock)
    except DatasetError:
        raise
    counts = ", ".join(f"{v} {k}" for k, v in version.counts.items())
    console.print(f"loaded {target} ({version.digest[:12]}): {counts}", markup=False)
