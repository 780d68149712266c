"""Read endpoints of the corridor network: locations, legs, services, tariffs, capacities,
dwell times, sources, the stored dataset version and the whole network as GeoJSON.

Lists take ``offset`` and ``limit`` (1..500) and answer ``{items, total, offset, limit}``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from transcaspian.api.deps import NetworkDep, get_platform
from transcaspian.api.problems import problem_responses
from transcaspian.api.schemas.geojson import GEOJSON_MEDIA_TYPE, feature_collection
from transcaspian.api.schemas.network import (
    CapacityOut,
    CapacityPage,
    DatasetOut,
    DwellTimeOut,
    DwellTimePage,
    LegOut,
    LegPage,
    LocationOut,
    LocationPage,
    ServiceOut,
    ServicePage,
    SourceOut,
    SourcePage,
    TariffOut,
    TariffPage,
)
from transcaspian.domain.errors import NotFoundError
from transcaspian.domain.network import (
    Corridor,
    DwellActivity,
    LocationKind,
    Mode,
)
from transcaspian.services.network import (
    MAX_PAGE,
    find_legs,
    find_locations,
    find_services,
    find_sources,
    find_tariffs,
    paginate,
)

router = APIRouter(tags=["network"], responses=problem_responses(404))

Offset = Annotated[int, Query(ge=0, description="number of items to skip")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, 1..{MAX_PAGE}")]
Country = Annotated[
    str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2, e.g. KZ")
]
LocationFilter = Annotated[
    str | None, Query(description="a location id; unknown ids answer 404", max_length=20)
]


@router.get("/locations", response_model=LocationPage, summary="List locations")
def list_locations(
    network: NetworkDep,
    country: Country = None,
    kind: Annotated[LocationKind | None, Query()] = None,
    q: Annotated[
        str | None, Query(max_length=100, description="substring of the name or id")
    ] = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> LocationPage:
    found = find_locations(network, country=country, kind=kind, query=q)
    return LocationPage.from_page(paginate(found, offset, limit), LocationOut.from_domain)


@router.get("/locations/{location_id}", response_model=LocationOut, summary="One location")
def get_location(
    network: NetworkDep, location_id: Annotated[str, Path(max_length=20)]
) -> LocationOut:
    return LocationOut.from_domain(network.get_location(location_id))


@router.get("/legs", response_model=LegPage, summary="List legs")
def list_legs(
    network: NetworkDep,
    mode: Annotated[Mode | None, Query()] = None,
    corridor: Annotated[Corridor | None, Query()] = None,
    location_id: LocationFilter = None,
    country: Country = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> LegPage:
    found = find_legs(
        network, mode=mode, corridor=corridor, location_id=location_id, country=country
    )
    return LegPage.from_page(paginate(found, offset, limit), LegOut.from_domain)


@router.get("/legs/{leg_id}", response_model=LegOut, summary="One leg")
def get_leg(network: NetworkDep, leg_id: Annotated[str, Path(max_length=60)]) -> LegOut:
    return LegOut.from_domain(network.get_leg(leg_id))


@router.get("/services", response_model=ServicePage, summary="List services")
def list_services(
    network: NetworkDep,
    mode: Annotated[Mode | None, Query()] = None,
    location_id: LocationFilter = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> ServicePage:
    found = find_services(network, mode=mode, location_id=location_id)
    return ServicePage.from_page(paginate(found, offset, limit), ServiceOut.from_domain)


@router.get("/services/{service_id}", response_model=ServiceOut, summary="One service")
def get_service(network: NetworkDep, service_id: Annotated[str, Path(max_length=80)]) -> ServiceOut:
    return ServiceOut.from_domain(network.get_service(service_id))


@router.get("/tariffs", response_model=TariffPage, summary="List tariffs")
def list_tariffs(
    network: NetworkDep,
    scope: Annotated[
        str | None, Query(pattern=r"^(leg|service|segment)$", description="leg, service, segment")
    ] = None,
    scope_ref: Annotated[
        str | None, Query(max_length=80, description="a leg id, service id or FROM>TO")
    ] = None,
    location_id: Annotated[
        str | None,
        Query(max_length=20, description="through rates (segments) starting or ending here"),
    ] = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> TariffPage:
    if location_id is not None:
        network.get_location(location_id)
    found = [
        t
        for t in find_tariffs(network, scope=scope)
        if (scope_ref is None or t.scope_ref == scope_ref)
        and (location_id is None or (t.segment is not None and location_id in t.segment))
    ]
    return TariffPage.from_page(paginate(found, offset, limit), TariffOut.from_domain)


@router.get("/capacities", response_model=CapacityPage, summary="List capacities")
def list_capacities(
    network: NetworkDep,
    subject: Annotated[
        str | None, Query(max_length=80, description="a location, leg or service id")
    ] = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> CapacityPage:
    found = sorted(
        (c for c in network.capacities if subject is None or c.subject == subject),
        key=lambda c: c.capacity_id,
    )
    return CapacityPage.from_page(paginate(found, offset, limit), CapacityOut.from_domain)


@router.get("/dwell-times", response_model=DwellTimePage, summary="List dwell and border times")
def list_dwell_times(
    network: NetworkDep,
    location_id: LocationFilter = None,
    activity: Annotated[DwellActivity | None, Query()] = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> DwellTimePage:
    if location_id is not None:
        network.get_location(location_id)
    found = sorted(
        (
            d
            for d in network.dwell_times
            if (location_id is None or d.location_id == location_id)
            and (activity is None or d.activity is activity)
        ),
        key=lambda d: (d.location_id, d.activity.value, d.mode.value if d.mode else ""),
    )
    return DwellTimePage.from_page(paginate(found, offset, limit), DwellTimeOut.from_domain)


@router.get("/sources", response_model=SourcePage, summary="List sources")
def list_sources(network: NetworkDep, offset: Offset = 0, limit: Limit = 100) -> SourcePage:
    return SourcePage.from_page(
        paginate(find_sources(network), offset, limit), SourceOut.from_domain
    )


@router.get("/sources/{source_id}", response_model=SourceOut, summary="One source")
def get_source(network: NetworkDep, source_id: Annotated[str, Path(max_length=120)]) -> SourceOut:
    return SourceOut.from_domain(network.get_source(source_id))


@router.get("/dataset", response_model=DatasetOut, summary="The stored dataset version")
def get_dataset(request: Request) -> DatasetOut:
    version = get_platform(request).network.get_version()
    if version is None:
        raise NotFoundError(
            "no corridor dataset is loaded; run `transcaspian data load`", code="no-dataset"
        )
    return DatasetOut.from_domain(version)


@router.get(
    "/network.geojson",
    response_class=JSONResponse,
    summary="The network as GeoJSON",
    responses={
        200: {
            "description": "an RFC 7946 FeatureCollection: Point per location, LineString per leg",
            "content": {GEOJSON_MEDIA_TYPE: {"schema": {"type": "object"}}},
        }
    },
)
def get_network_geojson(
    network: NetworkDep,
    corridor: Annotated[
        Corridor | None,
        Query(description="legs of this corridor plus the access legs every corridor uses"),
    ] = None,
    mode: Annotated[Mode | None, Query()] = None,
) -> JSONResponse:
    """Locations as Points and legs as LineStrings, positions ``[lon, lat]`` (WGS84).

    With a filter, only the matching legs and the locations they touch are included.
    """
    legs = find_legs(network, mode=mode, corridor=corridor)
    if corridor is not None and corridor is not Corridor.ACCESS:
        legs = sorted(
            {*legs, *find_legs(network, mode=mode, corridor=Corridor.ACCESS)},
            key=lambda x: x.leg_id,
        )
    locations = find_locations(network)
    if corridor is not None or mode is not None:
        touched = {x.origin for x in legs} | {x.destination for x in legs}
        locations = [x for x in locations if x.location_id in touched]
    body: dict[str, Any] = feature_collection(locations, legs, network.locations)
    return JSONResponse(body, media_type=GEOJSON_MEDIA_TYPE)
