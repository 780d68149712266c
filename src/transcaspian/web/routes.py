"""Server-rendered pages (Jinja2): the platform shell and its map page.

The map page draws everything in the browser from the vendored Leaflet, the Natural Earth
countries (world-atlas) and ``/api/v1/network.geojson``; no tile server and no CDN.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from transcaspian import __version__
from transcaspian.web.assets import BUILD_HINT, STATIC_DIR, TEMPLATES_DIR, missing_vendor_assets
from transcaspian.web.navigation import NAVIGATION, NavItem

__all__ = ["TEMPLATES_DIR", "create_web_router"]

logger = logging.getLogger(__name__)


def create_web_router(static_dir: Path = STATIC_DIR) -> APIRouter:
    """The HTML pages; each shows a notice instead of a broken map if vendor assets are missing."""
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    missing = missing_vendor_assets(static_dir)
    if missing:
        logger.warning("front-end assets missing (%s): %s", ", ".join(missing), BUILD_HINT)
    router = APIRouter(include_in_schema=False)

    def render(request: Request, template: str, **context: object) -> HTMLResponse:
        return templates.TemplateResponse(
            request,
            template,
            {
                "navigation": NAVIGATION,
                "current_path": request.url.path,
                "missing_assets": missing,
                "build_hint": BUILD_HINT,
                "version": __version__,
                **context,
            },
        )

    @router.get("/", response_class=HTMLResponse)
    def map_page(request: Request) -> HTMLResponse:
        return render(request, "map.html", page_title="Map")

    for item in NAVIGATION:
        if not item.built:
            router.add_api_route(
                item.path, _placeholder(render, item), response_class=HTMLResponse, methods=["GET"]
            )
    return router


def _placeholder(render: Callable[..., HTMLResponse], item: NavItem) -> Callable[..., HTMLResponse]:
    def page(request: Request) -> HTMLResponse:
        return render(request, "placeholder.html", page_title=item.label, item=item)

    page.__name__ = f"{item.label.lower()}_placeholder"
    return page
