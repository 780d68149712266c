"""The FastAPI application: the API under /api/v1, the web pages at /, static files at /static,
OpenAPI at /docs and /openapi.json; every error answered as RFC 9457 problem details."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from transcaspian import __version__
from transcaspian.api.json_text import JsonTextGuard
from transcaspian.api.limits import AuthThrottle, BodySizeLimit, RateLimit, Throttle, open_storage
from transcaspian.api.problems import install_problem_handlers
from transcaspian.api.request_checks import check_request
from transcaspian.api.routes import (
    audit,
    contexts,
    dids,
    documents,
    network,
    organisations,
    planning,
    simulation,
    status_lists,
    tokens,
    trade,
    vc_api,
)
from transcaspian.web import charts
from transcaspian.web.assets import STATIC_DIR
from transcaspian.web.documents import create_documents_router
from transcaspian.web.planner import create_planner_router
from transcaspian.web.routes import create_web_router
from transcaspian.web.simulation import create_simulation_router
from transcaspian.web.trade import create_trade_router

if TYPE_CHECKING:  # only the type: importing bootstrap at run time would pull in the store
    from transcaspian.bootstrap import Platform

__all__ = ["API_PREFIX", "create_app"]

API_PREFIX = "/api/v1"

DESCRIPTION = """\
Read API of the **transcaspian** platform for the Trans-Caspian International Transport Route
(Middle Corridor): the corridor network's locations, legs, services, tariffs, capacities and
dwell times, every figure with the ids of its sources (see `/api/v1/sources`).

Lists take `offset` and `limit` (1..500) and answer `{items, total, offset, limit}`.
`/api/v1/network.geojson` gives the whole network as a GeoJSON FeatureCollection.
Errors are RFC 9457 problem details (`application/problem+json`); their types are listed in
docs/problems.md.
"""


def create_app(platform: Platform, *, static_dir: Path = STATIC_DIR) -> FastAPI:
    """The ASGI application serving ``platform``; ``static_dir`` is for tests of missing assets."""
    app = FastAPI(
        title="transcaspian",
        description=DESCRIPTION,
        version=__version__,
        docs_url=None,  # served below with the vendored Swagger UI instead of its CDN
        redoc_url=None,
        openapi_url="/openapi.json",
        openapi_tags=[{"name": "network", "description": "The corridor network and its sources"}],
        # no NUL in any string of a request, no NaN in a JSON body: 422 naming the field
        dependencies=[Depends(check_request)],
    )
    app.state.platform = platform
    install_problem_handlers(app)
    # inside the body size limit: it buffers only a body the limit let through
    app.add_middleware(JsonTextGuard)  # lone surrogates, NaN: 400 before any route
    settings = platform.settings
    storage = open_storage(settings.rate_limit_storage)
    app.state.auth_throttle = AuthThrottle(
        Throttle.from_text("auth-failures", settings.auth_failure_limit, storage)
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        RateLimit, throttle=Throttle.from_text("requests", settings.rate_limit, storage)
    )
    app.include_router(network.router, prefix=API_PREFIX)
    app.include_router(trade.router, prefix=API_PREFIX)
    app.include_router(create_trade_router(static_dir))
    app.include_router(simulation.router, prefix=API_PREFIX)
    app.include_router(planning.router, prefix=API_PREFIX)
    app.include_router(create_simulation_router(static_dir))
    app.include_router(documents.router, prefix=API_PREFIX)
    app.include_router(organisations.router, prefix=API_PREFIX)
    app.include_router(tokens.router, prefix=API_PREFIX)
    app.include_router(audit.router, prefix=API_PREFIX)
    app.include_router(vc_api.router)
    app.include_router(dids.router)
    app.include_router(status_lists.router)
    app.include_router(contexts.router)
    app.include_router(create_documents_router(static_dir))
    app.include_router(create_planner_router(static_dir))
    app.include_router(create_web_router(static_dir))
    app.include_router(charts.router)  # before the /static mount, which would shadow it
    app.mount("/static", StaticFiles(directory=static_dir), name="static")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="transcaspian API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
            # no badge from validator.swagger.io: the page makes no request to other hosts
            swagger_ui_parameters={"validatorUrl": None},
        )

    return app
