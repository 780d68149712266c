"""The Planner page: a form, the options side by side by corridor, the chosen itinerary on the
corridor map and a timeline of its legs. The page's script (static/js/planner.js) asks
``POST /api/v1/routes/search``; the map uses the vendored Leaflet and Natural Earth assets the
map page uses."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from transcaspian import __version__
from transcaspian.domain.errors import NotFoundError
from transcaspian.services.planning import PlanningService
from transcaspian.web.assets import BUILD_HINT, STATIC_DIR, TEMPLATES_DIR, missing_vendor_assets
from transcaspian.web.navigation import NAVIGATION

__all__ = ["create_planner_router"]


def create_planner_router(static_dir: Path = STATIC_DIR) -> APIRouter:
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    missing = missing_vendor_assets(static_dir)
    router = APIRouter(include_in_schema=False)

    @router.get("/planner", response_class=HTMLResponse)
    def planner_page(request: Request) -> HTMLResponse:
        planning: PlanningService = request.app.state.platform.planning
        try:
            network, _, _ = planning.compiled()
            locations = sorted(network.locations.values(), key=lambda x: (x.country, x.name))
        except NotFoundError:
            locations = []
        return templates.TemplateResponse(
            request,
            "planner.html",
            {
                "navigation": NAVIGATION,
                "current_path": request.url.path,
                "missing_assets": missing,
                "build_hint": BUILD_HINT,
                "version": __version__,
                "page_title": "Planner",
                "locations": locations,
            },
        )

    return router
