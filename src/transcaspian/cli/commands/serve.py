"""``transcaspian serve``: run the web UI and the HTTP API.

Without ``TRANSCASPIAN_BASE_URL`` the public URL (in every DID, status list, QR code and Verify
link) follows ``--host`` and ``--port``. At start, organisations whose DIDs name another base URL
(issued under an earlier one) are reported on stderr: their DID documents would not resolve here.

The server is uvicorn with its fast parts (uvloop, httptools). ``--workers`` (or
``TRANSCASPIAN_WORKERS``) processes share the port, each building its own platform from the
same settings; the schema is upgraded and the dataset loaded once, before they start. The
default is one per usable core when the rate limits are counted in shared storage (redis), and
one process while they are counted in memory (``memory://``, per process). An in-memory SQLite
database cannot be shared, so it is always served by one process.
"""

from __future__ import annotations

import gc
import os
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from transcaspian.settings import Settings, get_settings, usable_cores

if TYPE_CHECKING:
    from fastapi import FastAPI


APP_FACTORY = f"{__name__}:served_app"
WORKER_HEALTHCHECK_S = 60

stderr = Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)


def serve(
    host: str | None = typer.Option(None, help="address to bind (default 127.0.0.1)"),
    port: int | None = typer.Option(None, help="port (default 8000)"),
    load: bool = typer.Option(
        True, help="upgrade the schema and load the bundled dataset if none is stored"
    ),
    workers: int | None = typer.Option(
        None, min=1, max=64, help="worker processes (default TRANSCASPIAN_WORKERS, or per core)"
    ),
) -> None:
    """Serve the platform: map and pages at /, the API at /api/v1, OpenAPI docs at /docs."""
    import uvicorn

    from transcaspian.bootstrap import prepare_database

    settings = get_settings().serving_at(host, port)
    if load:
        prepare_database(settings)
    _warn_of_other_base_urls(settings)
    stderr.print(f"serving at {settings.base_url}", markup=False)
    # worker processes build their settings from the environment: hand them the derived URL
    os.environ["TRANSCASPIAN_BASE_URL"] = settings.base_url
    count = worker_count(settings, workers)
    if count > 1 and per_process_limits(settings):
        typer.echo(
            f"warning: {count} workers count rate limits each in its own memory, so a client "
            f"may send {count} times TRANSCASPIAN_RATE_LIMIT; set TRANSCASPIAN_RATE_LIMIT_STORAGE "
            "to redis://... to share the counts",
            err=True,
        )
    options = {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level.lower(),
        "access_log": settings.access_log,
    }
    if count == 1:
        uvicorn.run(served_app(settings), **options)  # type: ignore[arg-type]
    else:  # each worker imports the factory and builds its platform from the same settings
        uvicorn.run(
            APP_FACTORY,
            factory=True,
            workers=count,
            # a worker that has not answered the supervisor's ping in time is killed and
            # replaced; uvicorn's 5 s kills workers still starting on a busy machine
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
            **options,  # type: ignore[arg-type]
        )


def worker_count(settings: Settings, requested: int | None = None) -> int:
    """How many processes serve: as requested, else the setting, else one per usable core;
    always 1 for an in-memory SQLite database (each process would have its own)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(settings.database_url)
    except ArgumentError:  # building the platform says what is wrong with it
        return 1
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return 1
    chosen = requested or settings.workers
    if chosen is not None:
        return chosen
    # rate counts in memory:// are per process: N workers would let a client N times the limit
    return 1 if per_process_limits(settings) else usable_cores()


def per_process_limits(settings: Settings) -> bool:
    """Whether the rate limits are counted in each process's memory (not shared storage)."""
    return settings.rate_limit_storage.startswith("memory://")


def served_app(settings: Settings | None = None) -> FastAPI:
    """The application as served (also the factory each worker process calls)."""
    from transcaspian.api.app import create_app
    from transcaspian.bootstrap import build_platform

    app = create_app(build_platform(settings or get_settings()))
    # what is built at start-up lives as long as the process: keep it out of the collector's
    # scans, which otherwise walk the whole application at every full collection
    gc.collect()
    gc.freeze()
    return app


def _warn_of_other_base_urls(settings: Settings) -> None:
    """Say which organisations' did:web DIDs name another base URL than the one served."""
    from sqlalchemy.exc import SQLAlchemyError

    from transcaspian.bootstrap import build_platform
    from transcaspian.services.organisations import did_web_for

    platform = build_platform(settings)
    try:
        organisations = platform.organisations.list()
    except SQLAlchemyError:  # no schema yet (--no-load): nothing issued to compare with
        return
    finally:
        platform.engine.dispose()
    base_url = settings.base_url
    other = [
        o
        for o in organisations
        if o.did.startswith("did:web:") and o.did != did_web_for(base_url, o.slug)
    ]
    if other:
        named = ", ".join(f"{o.slug} ({o.did})" for o in other[:3])
        more = f" and {len(other) - 3} more" if len(other) > 3 else ""
        stderr.print(
            f"warning: {len(other)} organisation(s) have DIDs issued under another base URL "
            f"than {base_url}: {named}{more}. Their DID documents, status lists and Verify "
            "links will not resolve here: set TRANSCASPIAN_BASE_URL to the URL they were "
            "issued under.",
            markup=False,
        )
