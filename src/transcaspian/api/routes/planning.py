"""Route search: ``POST /api/v1/routes/search`` plans a consignment over the corridor network."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request
from fastapi.openapi.models import Example

from transcaspian.api.deps import get_platform
from transcaspian.api.problems import problem_responses
from transcaspian.api.schemas.planning import EXAMPLE_REQUEST, RouteSearchIn, RouteSearchOut

__all__ = ["router"]

router = APIRouter(tags=["routes"])

OPENAPI_EXAMPLES: dict[str, Example] = {
    "xian-duisburg": {
        "summary": "Xi'an to Duisburg, one 40' container of 20 t, ready 3 March 2027",
        "value": EXAMPLE_REQUEST,
    },
    "aktau-poti-rail-only": {
        "summary": "Aktau to Poti avoiding road, at most 3 transfers",
        "value": {
            "origin": "KZAAU",
            "destination": "GEPTI",
            "ready_on": "2027-03-03",
            "cargo": {"containers_20ft": 2, "containers_40ft": 0, "mass_t": 30},
            "avoid_modes": ["road"],
            "max_transfers": 3,
        },
    },
}


@router.post(
    "/routes/search",
    response_model=RouteSearchOut,
    summary="Plan a consignment: options by corridor with time, cost, CO2e, P50/P90 arrival",
    responses=problem_responses(404, 422),
)
def search_routes(
    request: Request,
    body: Annotated[RouteSearchIn, Body(openapi_examples=OPENAPI_EXAMPLES)],
) -> RouteSearchOut:
    """The Pareto options (no option beats another within its corridor on P50 arrival, cost
    and CO2e), ranked by P50 arrival, then cost, then CO2e. 422 names the field of a bad
    request (unknown location, origin = destination, negative mass, malformed date); 404 when
    no dataset is loaded."""
    platform = get_platform(request)
    network, _, _ = platform.planning.compiled()
    plan = platform.planning.plan_itineraries(
        origin=body.origin,
        destination=body.destination,
        ready_on=body.ready_on,
        cargo=body.cargo.to_domain(),
        corridors=body.corridors,
        avoid_countries=body.avoid_countries,
        avoid_modes=[str(m) for m in body.avoid_modes],
        latest_arrival_on=body.latest_arrival_on,
        max_transfers=body.max_transfers,
        samples=body.samples,
        seed=body.seed,
        max_options_per_corridor=body.max_options_per_corridor,
    )
    return RouteSearchOut.from_domain(plan, network)
