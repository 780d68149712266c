"""The corridor network: locations, legs between them, the services that run on the legs,
and the figures attached to them (tariffs, capacities, dwell times), each with its sources.

This is the one model of the corridor that the planner, the simulator, the API and the UI read.
Every figure points to one or more ``Source`` ids; a source of kind ``ASSUMPTION`` carries the
reasoning behind a figure that no publication gives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import NewType

from transcaspian.domain.errors import InvalidValueError, NotFoundError
from transcaspian.domain.values import DurationEstimate, UnLocode

LocationId = NewType("LocationId", str)
LegId = NewType("LegId", str)
ServiceId = NewType("ServiceId", str)
SourceId = NewType("SourceId", str)
TariffId = NewType("TariffId", str)


class Mode(StrEnum):
    RAIL = "rail"
    ROAD = "road"
    FERRY = "ferry"
    SEA = "sea"


class LocationKind(StrEnum):
    SEAPORT = "seaport"
    RAIL_TERMINAL = "rail_terminal"
    BORDER_CROSSING = "border_crossing"
    DRY_PORT = "dry_port"
    HUB = "hub"
    WAYPOINT = "waypoint"  # a point a route passes without handling, e.g. the Suez Canal


class Corridor(StrEnum):
    MIDDLE = "middle"  # Trans-Caspian: Kazakhstan - Caspian Sea - Azerbaijan - Georgia/Türkiye
    NORTHERN = "northern"  # China - Kazakhstan/Mongolia - Russia - Belarus - Poland
    SUEZ = "suez"  # sea route from Chinese ports through the Suez Canal
    ACCESS = "access"  # feeder legs in China or Europe that every corridor may use


class SourceKind(StrEnum):
    WEB = "web"
    DOCUMENT = "document"
    DATASET = "dataset"
    ASSUMPTION = "assumption"


class ServiceKind(StrEnum):
    TIMETABLED = "timetabled"  # fixed weekly departures
    FREQUENCY = "frequency"  # n departures a week, times not published


class DwellActivity(StrEnum):
    PORT_HANDLING = "port_handling"  # vessel or ferry loading/unloading at a port
    BORDER_CROSSING = "border_crossing"  # customs and border procedures
    TRANSSHIPMENT = "transshipment"  # gauge change or mode change (container transfer)
    TERMINAL = "terminal"  # ordinary terminal dwell (train formation, yard)


class FreightUnit(StrEnum):
    TEU = "TEU"
    FEU = "FEU"
    TONNE = "tonne"
    RAILCAR = "railcar"
    TRUCK = "truck"


def _require(condition: bool, field_name: str, problem: str) -> None:
    if not condition:
        raise InvalidValueError(f"{field_name}: {problem}", field=field_name)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a figure comes from: a publication with its URL and year, or an assumption."""

    source_id: SourceId
    kind: SourceKind
    title: str
    publisher: str = ""
    url: str = ""
    published: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD
    reliability: str = ""  # high | medium | low
    reasoning: str = ""  # required for assumptions
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind is SourceKind.ASSUMPTION:
            _require(bool(self.reasoning.strip()), "reasoning", "an assumption needs its reasoning")
        else:
            _require(bool(self.url or self.title), "url", "a source needs a URL or a title")


@dataclass(frozen=True, slots=True)
class Location:
    """A terminal, port, border crossing, dry port, hub or route waypoint.

    ``location_id`` is the UN/LOCODE without its space where one exists; otherwise a local code
    ``CC-XXX`` whose hyphen can never be mistaken for a UN/LOCODE.
    """

    location_id: LocationId
    name: str
    country: str
    kind: LocationKind
    lat: float
    lon: float
    un_locode: UnLocode | None
    sources: tuple[SourceId, ...]
    note: str = ""

    def __post_init__(self) -> None:
        _require(-90 <= self.lat <= 90, "lat", f"{self.lat} is outside -90..90")
        _require(-180 <= self.lon <= 180, "lon", f"{self.lon} is outside -180..180")
        _require(
            len(self.country) == 2 and self.country.isupper(),
            "country",
            f"{self.country!r} is not an ISO 3166-1 alpha-2 code",
        )
        if self.un_locode is not None:
            _require(
                self.location_id == self.un_locode.code,
                "location_id",
                f"{self.location_id!r} differs from its UN/LOCODE {self.un_locode.code!r}",
            )
        else:
            _require(
                is_local_code(self.location_id),
                "location_id",
                f"{self.location_id!r} has no UN/LOCODE, so it must be a local code CC-XXX",
            )
        _require(bool(self.sources), "source", "a location needs a source for its figures")

    @property
    def is_local_code(self) -> bool:
        return self.un_locode is None


def is_local_code(text: str) -> bool:
    """A local location code: country, hyphen, 2-6 letters or digits (``KZ-ALT``)."""
    head, sep, tail = text.partition("-")
    return (
        sep == "-"
        and len(head) == 2
        and head.isalpha()
        and head.isupper()
        and 2 <= len(tail) <= 6
        and tail.isalnum()
        and tail.upper() == tail
    )


@dataclass(frozen=True, slots=True)
class Leg:
    """One hop between two locations by one mode; ``gauge_mm`` for rail (1520 or 1435)."""

    leg_id: LegId
    origin: LocationId
    destination: LocationId
    mode: Mode
    distance_km: float
    running_time: DurationEstimate
    corridors: frozenset[Corridor]
    distance_sources: tuple[SourceId, ...]
    time_sources: tuple[SourceId, ...]
    gauge_mm: int | None = None
    bidirectional: bool = True
    note: str = ""

    def __post_init__(self) -> None:
        _require(self.origin != self.destination, "destination", "a leg cannot end where it starts")
        _require(self.distance_km > 0, "distance_km", f"{self.distance_km} is not positive")
        if self.mode is Mode.RAIL:
            _require(
                self.gauge_mm in (1520, 1435),
                "gauge_mm",
                f"{self.gauge_mm} is not a rail gauge here (1520 or 1435)",
            )
        else:
            _require(self.gauge_mm is None, "gauge_mm", f"a {self.mode} leg has no gauge")
        _require(bool(self.distance_sources), "distance_source", "distance_km needs a source")
        _require(bool(self.time_sources), "time_source", "running time needs a source")

    def connects(self, a: LocationId, b: LocationId) -> bool:
        return (self.origin, self.destination) == (a, b) or (
            self.bidirectional and (self.destination, self.origin) == (a, b)
        )

    def other_end(self, location_id: LocationId) -> LocationId:
        return self.destination if location_id == self.origin else self.origin


@dataclass(frozen=True, slots=True)
class WeeklyDeparture:
    """A departure on a weekday (0 = Monday) at a UTC time of day."""

    weekday: int
    departs_utc: time

    def __post_init__(self) -> None:
        _require(0 <= self.weekday <= 6, "weekday", f"{self.weekday} is not 0 (Mon) .. 6 (Sun)")

    @property
    def offset_in_week(self) -> timedelta:
        return timedelta(
            days=self.weekday, hours=self.departs_utc.hour, minutes=self.departs_utc.minute
        )


@dataclass(frozen=True, slots=True)
class Service:
    """A ferry, ship or block-train service calling at ``stops`` in order.

    Consecutive stops must be joined by a leg of the service's mode. A TIMETABLED service has
    weekly departures from its first stop; a FREQUENCY service runs ``frequency_per_week`` times
    a week at times not published (the planner spreads them evenly over the week).
    """

    service_id: ServiceId
    name: str
    operator: str
    mode: Mode
    kind: ServiceKind
    stops: tuple[LocationId, ...]
    running_time: DurationEstimate  # first stop to last stop, including intermediate calls
    departures: tuple[WeeklyDeparture, ...]
    frequency_per_week: float | None
    cutoff: timedelta  # cargo must be at the first stop this long before departure
    capacity_teu: int | None
    capacity_railcars: int | None
    capacity_trucks: int | None
    sources: tuple[SourceId, ...]
    time_sources: tuple[SourceId, ...]
    valid_from: date | None = None
    note: str = ""

    def __post_init__(self) -> None:
        _require(len(self.stops) >= 2, "stops", "a service needs at least two stops")
        _require(len(set(self.stops)) == len(self.stops), "stops", "a stop appears twice")
        if self.kind is ServiceKind.TIMETABLED:
            _require(bool(self.departures), "departures", "a timetabled service needs departures")
        else:
            _require(
                self.frequency_per_week is not None and self.frequency_per_week > 0,
                "frequency_per_week",
                "a frequency service needs departures per week > 0",
            )
        for name in ("capacity_teu", "capacity_railcars", "capacity_trucks"):
            value = getattr(self, name)
            _require(value is None or value > 0, name, f"{value} is not positive")
        _require(self.cutoff >= timedelta(0), "cutoff_h", "a cut-off cannot be negative")
        _require(bool(self.sources), "source", "a service needs a source")
        _require(bool(self.time_sources), "time_source", "running time needs a source")

    @property
    def origin(self) -> LocationId:
        return self.stops[0]

    @property
    def destination(self) -> LocationId:
        return self.stops[-1]

    def weekly_departures(self) -> tuple[timedelta, ...]:
        """Offsets from Monday 00:00 UTC of each departure in a week, sorted."""
        if self.kind is ServiceKind.TIMETABLED:
            return tuple(sorted(d.offset_in_week for d in self.departures))
        assert self.frequency_per_week is not None
        count = max(1, round(self.frequency_per_week))
        step = timedelta(days=7) / count
        return tuple(step * i for i in range(count))


@dataclass(frozen=True, slots=True)
class Tariff:
    """A published price per freight unit for a leg, a service or a through segment FROM>TO."""

    tariff_id: TariffId
    scope: str  # "leg" | "service" | "segment"
    scope_ref: str  # a leg id, a service id, or "FROM>TO" location ids
    unit: FreightUnit
    amount: Decimal
    currency: str
    sources: tuple[SourceId, ...]
    amount_high: Decimal | None = None  # upper end when the source gives a range
    valid_on: str = ""  # the date or year the price refers to
    modes: frozenset[Mode] = frozenset()  # the modes a through rate covers; empty = any
    note: str = ""

    def __post_init__(self) -> None:
        _require(
            self.scope in ("leg", "service", "segment"),
            "scope",
            f"{self.scope!r} is not leg, service or segment",
        )
        _require(self.amount >= 0, "amount", f"{self.amount} is negative")
        _require(
            self.amount_high is None or self.amount_high >= self.amount,
            "amount_high",
            "the upper end is below the amount",
        )
        _require(
            len(self.currency) == 3 and self.currency.isupper(),
            "currency",
            f"{self.currency!r} is not an ISO 4217 code",
        )
        _require(bool(self.sources), "source", "a tariff needs a source")

    @property
    def segment(self) -> tuple[LocationId, LocationId] | None:
        if self.scope != "segment":
            return None
        origin, _, destination = self.scope_ref.partition(">")
        return LocationId(origin), LocationId(destination)


@dataclass(frozen=True, slots=True)
class Capacity:
    """A capacity (or observed throughput) figure of a location, leg or service."""

    capacity_id: str
    subject: str  # a location, leg or service id
    measure: str  # e.g. throughput, containers, trains, berths, railcars
    value: float
    unit: str  # e.g. Mt/yr, TEU/yr, trains/day
    status: str  # actual | planned | observed
    year: str
    sources: tuple[SourceId, ...]
    note: str = ""

    def __post_init__(self) -> None:
        _require(self.value >= 0, "value", f"{self.value} is negative")
        _require(
            self.status in ("actual", "planned", "observed"),
            "status",
            f"{self.status!r} is not actual, planned or observed",
        )
        _require(bool(self.sources), "source", "a capacity needs a source")


@dataclass(frozen=True, slots=True)
class DwellTime:
    """Time spent at a location for one activity, for one mode of arrival (None = any)."""

    location_id: LocationId
    activity: DwellActivity
    duration: DurationEstimate
    sources: tuple[SourceId, ...]
    mode: Mode | None = None
    note: str = ""

    def __post_init__(self) -> None:
        _require(bool(self.sources), "source", "a dwell time needs a source")


@dataclass(frozen=True)
class CorridorNetwork:
    """The whole corridor as one immutable value, with lookups the planner and simulator use."""

    locations: Mapping[LocationId, Location]
    legs: Mapping[LegId, Leg]
    services: Mapping[ServiceId, Service]
    tariffs: Mapping[TariffId, Tariff]
    capacities: tuple[Capacity, ...]
    dwell_times: tuple[DwellTime, ...]
    sources: Mapping[SourceId, Source]
    extra_tables: Mapping[str, tuple[Mapping[str, str], ...]] = field(default_factory=dict)

    def get_location(self, location_id: str) -> Location:
        try:
            return self.locations[LocationId(location_id)]
        except KeyError:
            raise NotFoundError(
                f"location {location_id!r} is not in the network", field="location_id"
            ) from None

    def get_leg(self, leg_id: str) -> Leg:
        try:
            return self.legs[LegId(leg_id)]
        except KeyError:
            raise NotFoundError(f"leg {leg_id!r} is not in the network", field="leg_id") from None

    def get_service(self, service_id: str) -> Service:
        try:
            return self.services[ServiceId(service_id)]
        except KeyError:
            raise NotFoundError(
                f"service {service_id!r} is not in the network", field="service_id"
            ) from None

    def get_source(self, source_id: str) -> Source:
        try:
            return self.sources[SourceId(source_id)]
        except KeyError:
            raise NotFoundError(
                f"source {source_id!r} is not in the network", field="source_id"
            ) from None

    @cached_property
    def _legs_at(self) -> Mapping[LocationId, tuple[Leg, ...]]:
        at: dict[LocationId, list[Leg]] = defaultdict(list)
        for leg in self.legs.values():
            at[leg.origin].append(leg)
            if leg.bidirectional:
                at[leg.destination].append(leg)
        return {k: tuple(v) for k, v in at.items()}

    def legs_from(self, location_id: LocationId) -> tuple[Leg, ...]:
        """Legs that can be travelled starting at the location (both ways if bidirectional)."""
        return self._legs_at.get(location_id, ())

    def legs_between(self, a: LocationId, b: LocationId, mode: Mode | None = None) -> list[Leg]:
        return [
            leg
            for leg in self.legs_from(a)
            if leg.connects(a, b) and (mode is None or leg.mode is mode)
        ]

    def dwell_at(
        self, location_id: LocationId, activity: DwellActivity, mode: Mode | None = None
    ) -> DwellTime | None:
        """The dwell time for an activity at a location, preferring the mode-specific figure."""
        best: DwellTime | None = None
        for dwell in self.dwell_times:
            if dwell.location_id != location_id or dwell.activity is not activity:
                continue
            if dwell.mode is mode:
                return dwell
            if dwell.mode is None:
                best = dwell
        return best

    def capacities_of(self, subject: str) -> list[Capacity]:
        return [c for c in self.capacities if c.subject == subject]

    def tariffs_for(self, scope: str, scope_ref: str) -> list[Tariff]:
        return [t for t in self.tariffs.values() if t.scope == scope and t.scope_ref == scope_ref]

    def reachable(self, start: LocationId, corridors: Iterable[Corridor]) -> set[LocationId]:
        """Locations reachable from ``start`` over legs tagged with any of ``corridors``."""
        allowed = set(corridors)
        seen = {start}
        stack = [start]
        while stack:
            here = stack.pop()
            for leg in self.legs_from(here):
                if not (leg.corridors & allowed):
                    continue
                there = leg.other_end(here) if leg.bidirectional else leg.destination
                if there not in seen:
                    seen.add(there)
                    stack.append(there)
        return seen
