"""``transcaspian serve``: run the web UI and the HTTP API."""

from __future__ import annotations

import typer

from transcaspian.settings import get_settings


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

    settings = get_settings()
    if load:
        prepare_database(settings)
    platform = build_platform(settings)
    uvicorn.run(
        create_app(platform),
        host=host or settings.host,
        port=port or settings.port,
        log_level=settings.log_level.lower(),
    )
