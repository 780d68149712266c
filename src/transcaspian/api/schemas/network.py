"""Response models of the network endpoints, each built from a domain object by ``from_domain``.

Units are in the names (``distance_km``, ``p50_h``); every figure comes with the ids of its
sources (``*_source_ids``), each resolvable at ``/api/v1/sources/{source_id}``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import PurePath
from typing import Generic, Self, TypeVar

from pydantic import BaseModel, Field

from transcaspian.domain.network import (
    Capacity,
    Corridor,
    DwellActivity,
    DwellTime,
    FreightUnit,
    Leg,
    Location,
    LocationKind,
    Mode,
    Service,
    ServiceKind,
    Source,
    SourceKind,
    Tariff,
)
from transcaspian.domain.values import DurationEstimate
from transcaspian.services.network import Page
from transcaspian.services.ports import DatasetVersion
from transcaspian.settings import BUNDLED_DATASET

__all__ = [
    "CapacityOut",
    "CapacityPage",
    "DatasetOut",
    "DepartureOut",
    "DurationOut",
    "DwellTimeOut",
    "DwellTimePage",
    "LegOut",
    "LegPage",
    "LocationOut",
    "LocationPage",
    "PageOut",
    "ServiceOut",
    "ServicePage",
    "SourceOut",
    "SourcePage",
    "TariffOut",
    "TariffPage",
]

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
Item = TypeVar("Item", bound=BaseModel)
Entity = TypeVar("Entity")


def _hours(value: float) -> float:
    return round(value, 3)


class DurationOut(BaseModel):
    """An uncertain duration in hours: minimum, median (P50) and 90th percentile (P90)."""

    min_h: float
    p50_h: float
    p90_h: float

    @classmethod
    def from_domain(cls, duration: DurationEstimate) -> DurationOut:
        return cls(
            min_h=_hours(duration.minimum.total_seconds() / 3600),
            p50_h=_hours(duration.p50.total_seconds() / 3600),
            p90_h=_hours(duration.p90.total_seconds() / 3600),
        )


class LocationOut(BaseModel):
    """A terminal, port, border crossing, dry port, hub or waypoint."""

    location_id: str = Field(description="UN/LOCODE without the space, or a local code CC-XXX")
    un_locode: str | None = Field(description="the UN/LOCODE shown with its space, e.g. KZ AAU")
    name: str
    country: str = Field(description="ISO 3166-1 alpha-2")
    kind: LocationKind
    lat: float = Field(description="WGS84 latitude, degrees")
    lon: float = Field(description="WGS84 longitude, degrees")
    source_ids: list[str] = Field(description="sources of the code and the coordinates")
    note: str

    @classmethod
    def from_domain(cls, location: Location) -> LocationOut:
        return cls(
            location_id=location.location_id,
            un_locode=str(location.un_locode) if location.un_locode else None,
            name=location.name,
            country=location.country,
            kind=location.kind,
            lat=location.lat,
            lon=location.lon,
            source_ids=list(location.sources),
            note=location.note,
        )


class LegOut(BaseModel):
    """One hop between two locations by one mode."""

    leg_id: str
    origin: str
    destination: str
    mode: Mode
    gauge_mm: int | None = Field(description="1520 or 1435 for rail, null otherwise")
    distance_km: float
    distance_source_ids: list[str]
    running_time: DurationOut
    time_source_ids: list[str]
    corridors: list[Corridor]
    bidirectional: bool
    note: str

    @classmethod
    def from_domain(cls, leg: Leg) -> LegOut:
        return cls(
            leg_id=leg.leg_id,
            origin=leg.origin,
            destination=leg.destination,
            mode=leg.mode,
            gauge_mm=leg.gauge_mm,
            distance_km=leg.distance_km,
            distance_source_ids=list(leg.distance_sources),
            running_time=DurationOut.from_domain(leg.running_time),
            time_source_ids=list(leg.time_sources),
            corridors=sorted(leg.corridors),
            bidirectional=leg.bidirectional,
            note=leg.note,
        )


class DepartureOut(BaseModel):
    """A weekly departure from the first stop."""

    weekday: str = Field(description="Mon .. Sun")
    departs_utc: str = Field(description="HH:MM, UTC")


class ServiceOut(BaseModel):
    """A ferry, ship or block-train service; frequency, cut-off and capacities per departure."""

    service_id: str
    name: str
    operator: str
    mode: Mode
    kind: ServiceKind
    stops: list[str]
    departures: list[DepartureOut]
    frequency_per_week: float | None
    running_time: DurationOut
    time_source_ids: list[str]
    cutoff_h: float
    capacity_teu: int | None
    capacity_railcars: int | None
    capacity_trucks: int | None
    source_ids: list[str] = Field(description="sources of frequency, cut-off and capacities")
    valid_from: str | None = Field(description="YYYY-MM-DD")
    note: str

    @classmethod
    def from_domain(cls, service: Service) -> ServiceOut:
        return cls(
            service_id=service.service_id,
            name=service.name,
            operator=service.operator,
            mode=service.mode,
            kind=service.kind,
            stops=list(service.stops),
            departures=[
                DepartureOut(
                    weekday=WEEKDAYS[d.weekday], departs_utc=d.departs_utc.strftime("%H:%M")
                )
                for d in service.departures
            ],
            frequency_per_week=service.frequency_per_week,
            running_time=DurationOut.from_domain(service.running_time),
            time_source_ids=list(service.time_sources),
            cutoff_h=_hours(service.cutoff.total_seconds() / 3600),
            capacity_teu=service.capacity_teu,
            capacity_railcars=service.capacity_railcars,
            capacity_trucks=service.capacity_trucks,
            source_ids=list(service.sources),
            valid_from=service.valid_from.isoformat() if service.valid_from else None,
            note=service.note,
        )


class TariffOut(BaseModel):
    """A published price per freight unit; amounts are decimal strings in ``currency``."""

    tariff_id: str
    scope: str = Field(description="leg, service or segment")
    scope_ref: str = Field(description="a leg id, a service id, or FROM>TO location ids")
    unit: FreightUnit
    amount: Decimal
    amount_high: Decimal | None = Field(description="upper end when a range is published")
    currency: str = Field(description="ISO 4217")
    valid_on: str
    modes: list[Mode] = Field(description="modes a through rate covers; empty for any mode")
    source_ids: list[str]
    note: str

    @classmethod
    def from_domain(cls, tariff: Tariff) -> TariffOut:
        return cls(
            tariff_id=tariff.tariff_id,
            scope=tariff.scope,
            scope_ref=tariff.scope_ref,
            unit=tariff.unit,
            amount=tariff.amount,
            amount_high=tariff.amount_high,
            currency=tariff.currency,
            valid_on=tariff.valid_on,
            modes=sorted(tariff.modes),
            source_ids=list(tariff.sources),
            note=tariff.note,
        )


class CapacityOut(BaseModel):
    """A capacity, or an observed throughput, of a location, leg or service."""

    capacity_id: str
    subject: str = Field(description="a location, leg or service id")
    measure: str
    value: float
    unit: str = Field(description="e.g. Mt/yr, TEU/yr, trains/day")
    status: str = Field(description="actual, planned or observed")
    year: str
    source_ids: list[str]
    note: str

    @classmethod
    def from_domain(cls, capacity: Capacity) -> CapacityOut:
        return cls(
            capacity_id=capacity.capacity_id,
            subject=capacity.subject,
            measure=capacity.measure,
            value=capacity.value,
            unit=capacity.unit,
            status=capacity.status,
            year=capacity.year,
            source_ids=list(capacity.sources),
            note=capacity.note,
        )


class DwellTimeOut(BaseModel):
    """Time spent at a location for one activity; ``mode`` of arrival, null for any."""

    location_id: str
    activity: DwellActivity
    mode: Mode | None
    duration: DurationOut
    source_ids: list[str]
    note: str

    @classmethod
    def from_domain(cls, dwell: DwellTime) -> DwellTimeOut:
        return cls(
            location_id=dwell.location_id,
            activity=dwell.activity,
            mode=dwell.mode,
            duration=DurationOut.from_domain(dwell.duration),
            source_ids=list(dwell.sources),
            note=dwell.note,
        )


class SourceOut(BaseModel):
    """A publication with its URL and date, or an assumption with its reasoning."""

    source_id: str
    kind: SourceKind
    title: str
    publisher: str
    url: str
    published: str = Field(description="YYYY, YYYY-MM or YYYY-MM-DD")
    reliability: str
    reasoning: str = Field(description="for assumptions: why the figure is reasonable")
    note: str

    @classmethod
    def from_domain(cls, source: Source) -> SourceOut:
        return cls(
            source_id=source.source_id,
            kind=source.kind,
            title=source.title,
            publisher=source.publisher,
            url=source.url,
            published=source.published,
            reliability=source.reliability,
            reasoning=source.reasoning,
            note=source.note,
        )


def public_origin(origin: str) -> str:
    """Where a dataset came from, without the server's filesystem layout: ``bundled`` for the
    dataset shipped with the package, otherwise the name of the directory or file it was
    loaded from."""
    path = PurePath(origin)
    if path == PurePath(BUNDLED_DATASET):
        return "bundled"
    return path.name or origin


class DatasetOut(BaseModel):
    """The stored dataset: its digest, where it came from, when it was loaded, row counts."""

    digest: str = Field(description="SHA-256 over the dataset's CSV files")
    origin: str = Field(description="`bundled`, or the name of the directory it was loaded from")
    loaded_at: datetime
    counts: dict[str, int]

    @classmethod
    def from_domain(cls, version: DatasetVersion) -> DatasetOut:
        return cls(
            digest=version.digest,
            origin=public_origin(version.origin),
            loaded_at=version.loaded_at,
            counts=dict(version.counts),
        )


class PageOut(BaseModel, Generic[Item]):
    """One page of a filtered list: ``items[offset:offset+limit]`` of ``total``."""

    items: list[Item]
    total: int
    offset: int
    limit: int

    @classmethod
    def from_page(cls, page: Page[Entity], item_from_domain: Callable[[Entity], Item]) -> Self:
        """The page with each domain object turned into its response model."""
        return cls(
            items=[item_from_domain(x) for x in page.items],
            total=page.total,
            offset=page.offset,
            limit=page.limit,
        )


# One named subclass per list, so the OpenAPI document names each page's schema.


class LocationPage(PageOut[LocationOut]):
    pass


class LegPage(PageOut[LegOut]):
    pass


class ServicePage(PageOut[ServiceOut]):
    pass


class TariffPage(PageOut[TariffOut]):
    pass


class CapacityPage(PageOut[CapacityOut]):
    pass


class DwellTimePage(PageOut[DwellTimeOut]):
    pass


class SourcePage(PageOut[SourceOut]):
    pass
