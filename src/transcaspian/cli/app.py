"""The CLI's root and its one error boundary.

Every command runs inside ``main``: a DomainError prints ``error: <field>: <message>`` on stderr
and exits 1 (a DatasetError prints one line per problem); anything else prints one line and a hint
that ``--debug`` shows the traceback. Exit 2 is left to Typer's usage errors.
"""

from __future__ import annotations

import logging
import sys

import typer
from rich.console import Console

from transcaspian.cli.commands import (
    audit,
    data,
    db,
    documents,
    network,
    orgs,
    routes,
    serve,
    sim,
    trade,
)
from transcaspian.domain.errors import DatasetError, DomainError

app = typer.Typer(
    name="transcaspian",
    help="Open platform for the Trans-Caspian International Transport Route (Middle Corridor).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(data.app, name="data")
app.add_typer(db.app, name="db")
app.add_typer(network.app, name="network")
app.add_typer(routes.app, name="routes")
app.add_typer(trade.app, name="trade")
app.add_typer(sim.app, name="sim")
app.add_typer(orgs.app, name="orgs")
app.add_typer(orgs.users_app, name="users")
app.add_typer(orgs.tokens_app, name="tokens")
app.add_typer(documents.app, name="documents")
app.add_typer(audit.app, name="audit")
app.command("serve")(serve.serve)

stderr = Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug", help="show tracebacks")) -> None:
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING)


def report_error(error: BaseException) -> int:
    """Print an error as the CLI's one-line form; returns the exit code."""
    if isinstance(error, DatasetError):
        for problem in error.problems:
            stderr.print(f"error: {problem}", markup=False)
        return 1
    if isinstance(error, DomainError):
        where = (
            f"{error.field.strip('/')}: "
            if error.field and not error.message.startswith(error.field.strip("/") + ":")
            else ""
        )
        stderr.print(f"error: {where}{error.message}", markup=False)
        return 1
    stderr.print(
        f"error: {type(error).__name__}: {error} (run with --debug for the traceback)", markup=False
    )
    return 1


def main() -> None:
    """Entry point of the ``transcaspian`` command."""
    debug = "--debug" in sys.argv
    try:
        # standalone_mode=False makes click *return* the code of a typer.Exit (a failed
        # verification raises Exit(1)) instead of exiting with it: pass it on.
        outcome = app(standalone_mode=False)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        stderr.print("aborted")
        sys.exit(130)
    except Exception as error:
        # a usage error (Typer may raise its own copy of click's classes): Typer's exit 2
        show, code = getattr(error, "show", None), getattr(error, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            sys.exit(code)
        if debug:
            raise
        sys.exit(report_error(error))
    sys.exit(outcome if isinstance(outcome, int) else 0)
