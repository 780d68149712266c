"""Corridor network <-> rows, both ways, nothing else.

``network_to_rows`` turns a ``CorridorNetwork`` into new (transient) rows; ``network_from_rows``
builds the network back from rows read in any order. ``network_from_rows(network_to_rows(n))``
equals ``n``: tuples keep their order and mappings iterate in the order they were given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Protocol, TypeVar

from transcaspian.domain.network import (
    Capacity,
    Corridor,
    CorridorNetwork,
    DwellActivity,
    DwellTime,
    FreightUnit,
    Leg,
    LegId,
    Location,
    LocationId,
    LocationKind,
    Mode,
    Service,
    ServiceId,
    ServiceKind,
    Source,
    SourceId,
    SourceKind,
    Tariff,
    TariffId,
    WeeklyDeparture,
)
from transcaspian.domain.values import DurationEstimate, UnLocode
from transcaspian.services.ports import DatasetVersion
from transcaspian.store.rows.base import Base
from transcaspian.store.rows.network import (
    CapacityRow,
    DepartureRow,
    DwellTimeRow,
    ExtraRowRow,
    LegCorridorRow,
    LegRow,
    LocationRow,
    NetworkVersionRow,
    ServiceRow,
    ServiceStopRow,
    SourceRefRow,
    SourceRow,
    TariffRow,
)

__all__ = [
    "NetworkRows",
    "network_from_rows",
    "network_to_rows",
    "version_from_row",
    "version_to_row",
]


class _Positioned(Protocol):
    @property
    def position(self) -> int: ...


P = TypeVar("P", bound=_Positioned)
B = TypeVar("B", bound=Base)
K = TypeVar("K")
T = TypeVar("T")

# subject kinds and roles of network_source_refs
LOCATION, LEG, SERVICE, TARIFF, CAPACITY, DWELL_TIME = (
    "location",
    "leg",
    "service",
    "tariff",
    "capacity",
    "dwell_time",
)
FIGURES, DISTANCE, TIME = "figures", "distance", "time"


@dataclass
class NetworkRows:
    """Every row of one network, one list per table, parents before children."""

    sources: list[SourceRow]
    locations: list[LocationRow]
    legs: list[LegRow]
    leg_corridors: list[LegCorridorRow]
    services: list[ServiceRow]
    service_stops: list[ServiceStopRow]
    departures: list[DepartureRow]
    tariffs: list[TariffRow]
    capacities: list[CapacityRow]
    dwell_times: list[DwellTimeRow]
    source_refs: list[SourceRefRow]
    extra_rows: list[ExtraRowRow]

    @classmethod
    def fetch(cls, read: RowReader) -> NetworkRows:
        """Every row, each table read with ``read`` (rows in any order)."""
        return cls(
            sources=read(SourceRow),
            locations=read(LocationRow),
            legs=read(LegRow),
            leg_corridors=read(LegCorridorRow),
            services=read(ServiceRow),
            service_stops=read(ServiceStopRow),
            departures=read(DepartureRow),
            tariffs=read(TariffRow),
            capacities=read(CapacityRow),
            dwell_times=read(DwellTimeRow),
            source_refs=read(SourceRefRow),
            extra_rows=read(ExtraRowRow),
        )

    def tables(self) -> list[tuple[type[Base], Sequence[Base]]]:
        """Each row class with its rows, every table after the tables it refers to."""
        return [(_ROW_CLASSES[f.name], getattr(self, f.name)) for f in fields(self)]


class RowReader(Protocol):
    """Reads every row of one table."""

    def __call__(self, row_class: type[B], /) -> list[B]: ...


_ROW_CLASSES: dict[str, type[Base]] = {
    "sources": SourceRow,
    "locations": LocationRow,
    "legs": LegRow,
    "leg_corridors": LegCorridorRow,
    "services": ServiceRow,
    "service_stops": ServiceStopRow,
    "departures": DepartureRow,
    "tariffs": TariffRow,
    "capacities": CapacityRow,
    "dwell_times": DwellTimeRow,
    "source_refs": SourceRefRow,
    "extra_rows": ExtraRowRow,
}


def network_to_rows(network: CorridorNetwork) -> NetworkRows:
    """New rows holding every figure of ``network`` (and which sources back it)."""
    refs: list[SourceRefRow] = []

    def cite(kind: str, subject_id: str, role: str, sources: Sequence[str]) -> None:
        refs.extend(
            SourceRefRow(
                subject_kind=kind, subject_id=subject_id, role=role, position=i, source_id=s
            )
            for i, s in enumerate(sources)
        )

    locations = []
    for i, location in enumerate(network.locations.values()):
        locations.append(_location_row(i, location))
        cite(LOCATION, location.location_id, FIGURES, location.sources)
    legs: list[LegRow] = []
    corridors: list[LegCorridorRow] = []
    for i, leg in enumerate(network.legs.values()):
        legs.append(_leg_row(i, leg))
        corridors.extend(
            LegCorridorRow(leg_id=leg.leg_id, corridor=c.value) for c in sorted(leg.corridors)
        )
        cite(LEG, leg.leg_id, DISTANCE, leg.distance_sources)
        cite(LEG, leg.leg_id, TIME, leg.time_sources)
    services: list[ServiceRow] = []
    stops: list[ServiceStopRow] = []
    departures: list[DepartureRow] = []
    for i, service in enumerate(network.services.values()):
        services.append(_service_row(i, service))
        stops.extend(
            ServiceStopRow(service_id=service.service_id, position=n, location_id=stop)
            for n, stop in enumerate(service.stops)
        )
        departures.extend(
            DepartureRow(
                service_id=service.service_id,
                position=n,
                weekday=d.weekday,
                departs_utc=d.departs_utc,
            )
            for n, d in enumerate(service.departures)
        )
        cite(SERVICE, service.service_id, FIGURES, service.sources)
        cite(SERVICE, service.service_id, TIME, service.time_sources)
    tariffs = []
    for i, tariff in enumerate(network.tariffs.values()):
        tariffs.append(_tariff_row(i, tariff))
        cite(TARIFF, tariff.tariff_id, FIGURES, tariff.sources)
    capacities = []
    for i, capacity in enumerate(network.capacities):
        capacities.append(_capacity_row(i, capacity))
        cite(CAPACITY, capacity.capacity_id, FIGURES, capacity.sources)
    dwell_times = []
    for i, dwell in enumerate(network.dwell_times):
        dwell_times.append(_dwell_row(i, dwell))
        cite(DWELL_TIME, str(i), FIGURES, dwell.sources)
    extra_rows = [
        ExtraRowRow(table_name=name, row_number=n, cells=dict(cells))
        for name, rows in network.extra_tables.items()
        for n, cells in enumerate(rows, start=1)
    ]
    return NetworkRows(
        sources=[_source_row(i, s) for i, s in enumerate(network.sources.values())],
        locations=locations,
        legs=legs,
        leg_corridors=corridors,
        services=services,
        service_stops=stops,
        departures=departures,
        tariffs=tariffs,
        capacities=capacities,
        dwell_times=dwell_times,
        source_refs=refs,
        extra_rows=extra_rows,
    )


def network_from_rows(rows: NetworkRows) -> CorridorNetwork:
    """The network the rows hold; raises InvalidValueError when a row breaks a domain rule."""
    cited = _citations(rows.source_refs)
    corridors: dict[str, set[Corridor]] = defaultdict(set)
    for c in rows.leg_corridors:
        corridors[c.leg_id].add(Corridor(c.corridor))
    stops = _grouped(rows.service_stops, lambda r: r.service_id, lambda r: r.position)
    departures = _grouped(rows.departures, lambda r: r.service_id, lambda r: r.position)
    extra = _grouped(rows.extra_rows, lambda r: r.table_name, lambda r: r.row_number)

    sources = (_source(r) for r in _ordered(rows.sources))
    locations = (_location(r, cited) for r in _ordered(rows.locations))
    legs = (_leg(r, corridors[r.leg_id], cited) for r in _ordered(rows.legs))
    services = (
        _service(r, stops.get(r.service_id, []), departures.get(r.service_id, []), cited)
        for r in _ordered(rows.services)
    )
    tariffs = (_tariff(r, cited) for r in _ordered(rows.tariffs))
    return CorridorNetwork(
        locations={x.location_id: x for x in locations},
        legs={x.leg_id: x for x in legs},
        services={x.service_id: x for x in services},
        tariffs={x.tariff_id: x for x in tariffs},
        capacities=tuple(_capacity(r, cited) for r in _ordered(rows.capacities)),
        dwell_times=tuple(_dwell(r, cited) for r in _ordered(rows.dwell_times)),
        sources={x.source_id: x for x in sources},
        extra_tables={
            name: tuple(dict(r.cells) for r in table_rows) for name, table_rows in extra.items()
        },
    )


def version_to_row(version: DatasetVersion) -> NetworkVersionRow:
    return NetworkVersionRow(
        version_id=1,
        digest=version.digest,
        origin=version.origin,
        loaded_at=version.loaded_at,
        counts=dict(version.counts),
    )


def version_from_row(row: NetworkVersionRow) -> DatasetVersion:
    return DatasetVersion(
        digest=row.digest,
        origin=row.origin,
        loaded_at=row.loaded_at,
        counts={str(k): int(v) for k, v in row.counts.items()},
    )


# --- domain -> rows ---------------------------------------------------------------------------


def _source_row(position: int, source: Source) -> SourceRow:
    return SourceRow(
        source_id=source.source_id,
        position=position,
        kind=source.kind.value,
        title=source.title,
        publisher=source.publisher,
        url=source.url,
        published=source.published,
        reliability=source.reliability,
        reasoning=source.reasoning,
        note=source.note,
    )


def _location_row(position: int, location: Location) -> LocationRow:
    return LocationRow(
        location_id=location.location_id,
        position=position,
        un_locode=location.un_locode.code if location.un_locode else None,
        name=location.name,
        country=location.country,
        kind=location.kind.value,
        lat=location.lat,
        lon=location.lon,
        note=location.note,
    )


def _leg_row(position: int, leg: Leg) -> LegRow:
    return LegRow(
        leg_id=leg.leg_id,
        position=position,
        origin=leg.origin,
        destination=leg.destination,
        mode=leg.mode.value,
        gauge_mm=leg.gauge_mm,
        distance_km=leg.distance_km,
        time_min=leg.running_time.minimum,
        time_p50=leg.running_time.p50,
        time_p90=leg.running_time.p90,
        bidirectional=leg.bidirectional,
        note=leg.note,
    )


def _service_row(position: int, service: Service) -> ServiceRow:
    return ServiceRow(
        service_id=service.service_id,
        position=position,
        name=service.name,
        operator=service.operator,
        mode=service.mode.value,
        kind=service.kind.value,
        time_min=service.running_time.minimum,
        time_p50=service.running_time.p50,
        time_p90=service.running_time.p90,
        frequency_per_week=service.frequency_per_week,
        cutoff=service.cutoff,
        capacity_teu=service.capacity_teu,
        capacity_railcars=service.capacity_railcars,
        capacity_trucks=service.capacity_trucks,
        valid_from=service.valid_from,
        note=service.note,
    )


def _tariff_row(position: int, tariff: Tariff) -> TariffRow:
    return TariffRow(
        tariff_id=tariff.tariff_id,
        position=position,
        scope=tariff.scope,
        scope_ref=tariff.scope_ref,
        unit=tariff.unit.value,
        amount=tariff.amount,
        amount_high=tariff.amount_high,
        currency=tariff.currency,
        valid_on=tariff.valid_on,
        modes=";".join(sorted(m.value for m in tariff.modes)),
        note=tariff.note,
    )


def _capacity_row(position: int, capacity: Capacity) -> CapacityRow:
    return CapacityRow(
        capacity_id=capacity.capacity_id,
        position=position,
        subject=capacity.subject,
        measure=capacity.measure,
        value=capacity.value,
        unit=capacity.unit,
        status=capacity.status,
        year=capacity.year,
        note=capacity.note,
    )


def _dwell_row(position: int, dwell: DwellTime) -> DwellTimeRow:
    return DwellTimeRow(
        position=position,
        location_id=dwell.location_id,
        activity=dwell.activity.value,
        mode=dwell.mode.value if dwell.mode else None,
        time_min=dwell.duration.minimum,
        time_p50=dwell.duration.p50,
        time_p90=dwell.duration.p90,
        note=dwell.note,
    )


# --- rows -> domain ---------------------------------------------------------------------------

Citations = Mapping[tuple[str, str, str], tuple[SourceId, ...]]


def _citations(refs: Iterable[SourceRefRow]) -> Citations:
    grouped = _grouped(refs, lambda r: (r.subject_kind, r.subject_id, r.role), lambda r: r.position)
    return {key: tuple(SourceId(r.source_id) for r in rows) for key, rows in grouped.items()}


def _ordered(rows: Iterable[P]) -> list[P]:
    return sorted(rows, key=lambda r: r.position)


def _grouped(
    rows: Iterable[T], key: Callable[[T], K], order: Callable[[T], int]
) -> dict[K, list[T]]:
    """Rows grouped by ``key``, each group sorted by ``order``; groups in first-seen order."""
    groups: dict[K, list[T]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return {k: sorted(v, key=order) for k, v in groups.items()}


def _duration(row: LegRow | ServiceRow | DwellTimeRow) -> DurationEstimate:
    return DurationEstimate(p50=row.time_p50, p90=row.time_p90, minimum=row.time_min)


def _source(row: SourceRow) -> Source:
    return Source(
        source_id=SourceId(row.source_id),
        kind=SourceKind(row.kind),
        title=row.title,
        publisher=row.publisher,
        url=row.url,
        published=row.published,
        reliability=row.reliability,
        reasoning=row.reasoning,
        note=row.note,
    )


def _location(row: LocationRow, cited: Citations) -> Location:
    return Location(
        location_id=LocationId(row.location_id),
        name=row.name,
        country=row.country,
        kind=LocationKind(row.kind),
        lat=row.lat,
        lon=row.lon,
        un_locode=UnLocode(row.un_locode) if row.un_locode else None,
        sources=cited.get((LOCATION, row.location_id, FIGURES), ()),
        note=row.note,
    )


def _leg(row: LegRow, corridors: set[Corridor], cited: Citations) -> Leg:
    return Leg(
        leg_id=LegId(row.leg_id),
        origin=LocationId(row.origin),
        destination=LocationId(row.destination),
        mode=Mode(row.mode),
        distance_km=row.distance_km,
        running_time=_duration(row),
        corridors=frozenset(corridors),
        distance_sources=cited.get((LEG, row.leg_id, DISTANCE), ()),
        time_sources=cited.get((LEG, row.leg_id, TIME), ()),
        gauge_mm=row.gauge_mm,
        bidirectional=row.bidirectional,
        note=row.note,
    )


def _service(
    row: ServiceRow,
    stops: list[ServiceStopRow],
    departures: list[DepartureRow],
    cited: Citations,
) -> Service:
    return Service(
        service_id=ServiceId(row.service_id),
        name=row.name,
        operator=row.operator,
        mode=Mode(row.mode),
        kind=ServiceKind(row.kind),
        stops=tuple(LocationId(s.location_id) for s in stops),
        running_time=_duration(row),
        departures=tuple(WeeklyDeparture(d.weekday, d.departs_utc) for d in departures),
        frequency_per_week=row.frequency_per_week,
        cutoff=row.cutoff,
        capacity_teu=row.capacity_teu,
        capacity_railcars=row.capacity_railcars,
        capacity_trucks=row.capacity_trucks,
        sources=cited.get((SERVICE, row.service_id, FIGURES), ()),
        time_sources=cited.get((SERVICE, row.service_id, TIME), ()),
        valid_from=row.valid_from,
        note=row.note,
    )


def _tariff(row: TariffRow, cited: Citations) -> Tariff:
    return Tariff(
        tariff_id=TariffId(row.tariff_id),
        scope=row.scope,
        scope_ref=row.scope_ref,
        unit=FreightUnit(row.unit),
        amount=row.amount,
        currency=row.currency,
        sources=cited.get((TARIFF, row.tariff_id, FIGURES), ()),
        amount_high=row.amount_high,
        valid_on=row.valid_on,
        modes=frozenset(Mode(m) for m in row.modes.split(";") if m),
        note=row.note,
    )


def _capacity(row: CapacityRow, cited: Citations) -> Capacity:
    return Capacity(
        capacity_id=row.capacity_id,
        subject=row.subject,
        measure=row.measure,
        value=row.value,
        unit=row.unit,
        status=row.status,
        year=row.year,
        sources=cited.get((CAPACITY, row.capacity_id, FIGURES), ()),
        note=row.note,
    )


def _dwell(row: DwellTimeRow, cited: Citations) -> DwellTime:
    return DwellTime(
        location_id=LocationId(row.location_id),
        activity=DwellActivity(row.activity),
        duration=_duration(row),
        sources=cited.get((DWELL_TIME, str(row.position), FIGURES), ()),
        mode=Mode(row.mode) if row.mode else None,
        note=row.note,
    )
