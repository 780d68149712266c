"""``transcaspian serve``: run the web UI and the HTTP API.

Without ``TRANSCASPIAN_BASE_URL`` the public URL (in every DID, status list, QR code and Verify
link) follows ``--host`` and ``--port``. At start, organisations whose DIDs name another base URL
(issued under an earlier one) are reported on stderr: their DID documents would not resolve here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.console import Console

from transcaspian.settings import get_settings

if TYPE_CHECKING:
    from transcaspian.bootstrap import Platform

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def serve(
    host: str | None = typer.Option(None, help="address to bind (default 127.0.0.1)"),
    port: int | None = typer.Option(None, help="port (default 8000)"),
    load: bool = typer.Option(
        True, help="upgrade the schema and load the bundled dataset if none is stored"
    ),
) -> None:
    """Serve the platform: map and pages at /, the API at /api/v1, OpenAPI docs at /docs."""
    import uvicorn

    from transcaspian.api.app import create_app
    from transcaspian.bootstrap import build_platform, prepare_database

    settings = get_settings().serving_at(host, port)
    if load:
        prepare_database(settings)
    platform = build_platform(settings)
    _warn_of_other_base_urls(platform)
    stderr.print(f"serving at {settings.base_url}", markup=False)
    uvicorn.run(
        create_app(platform),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
    )


def _warn_of_other_base_urls(platform: Platform) -> None:
    """Say which organisations' did:web DIDs name another base URL than the one served."""
    from sqlalchemy.exc import SQLAlchemyError

    from transcaspian.services.organisations import did_web_for

    try:
        organisations = platform.organisations.list()
    except SQLAlchemyError:  # no schema yet (--no-load): nothing issued to compare with
        return
    base_url = platform.settings.base_url
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
