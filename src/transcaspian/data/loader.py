"""Read a corridor dataset directory (CSV files, see docs/data-format.md) into a CorridorNetwork.

Reading checks everything: each row against its file schema (pydantic), the source rule for
every number, references between files, and the domain's own invariants. All problems are
collected and raised together as one ``DatasetError`` whose ``problems`` name file, row and
field, so one run of ``transcaspian data validate`` shows every broken row at once.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from transcaspian.data.file_schemas import (
    ID_COLUMNS,
    CapacityRow,
    DepartureRow,
    DwellRow,
    LegRow,
    LocationRow,
    RowSchema,
    ServiceRow,
    SourceRow,
    TariffRow,
)
from transcaspian.data.source_rule import figure_census, figures_without_source, iter_figures
from transcaspian.data.tables import Table, read_table, split_refs
from transcaspian.domain.errors import DatasetError, DatasetProblem, InvalidValueError
from transcaspian.domain.network import (
    Capacity,
    Corridor,
    CorridorNetwork,
    DwellActivity,
    DwellTime,
    Leg,
    LegId,
    Location,
    LocationId,
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

__all__ = [
    "CORE_FILES",
    "UnservedWaterLeg",
    "dataset_digest",
    "dataset_warnings",
    "figure_census",
    "figures_without_source",
    "iter_figures",
    "read_dataset",
    "read_table",
    "unserved_water_legs",
    "validate_dataset",
]  # the source rule and read_table are re-exported: callers read a dataset from one place

CORE_FILES = (
    "sources.csv",
    "locations.csv",
    "legs.csv",
    "services.csv",
    "departures.csv",
    "tariffs.csv",
    "capacities.csv",
    "dwell_times.csv",
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# A capacity of a whole corridor (a route-wide figure) names the corridor, never one of its legs.
CORRIDOR_SUBJECTS = frozenset(c.value for c in Corridor if c is not Corridor.ACCESS)
WATER_MODES = frozenset({Mode.FERRY, Mode.SEA})


def read_dataset(path: Path) -> CorridorNetwork:
    """Read and check a dataset directory; raises DatasetError listing every problem."""
    network, problems = _read(path)
    if problems or network is None:
        raise DatasetError(problems or [DatasetProblem(str(path), None, None, "no data")])
    return network


def validate_dataset(path: Path) -> list[DatasetProblem]:
    """Every problem in a dataset directory (an empty list means it is valid)."""
    return _read(path)[1]


@dataclass(frozen=True, slots=True)
class UnservedWaterLeg:
    """One direction of a ferry or sea leg that no service sails: it is never crossed."""

    leg: Leg
    origin: LocationId
    destination: LocationId


def unserved_water_legs(network: CorridorNetwork) -> list[UnservedWaterLeg]:
    """Each direction of a water leg with no service of its mode sailing it (docs/routing.md).

    Water is crossed only on a service with a timetable or a frequency; a ferry or sea leg whose
    direction no service of the same mode calls along (one stop after the other) is unserved.
    """
    sailed = {
        (service.mode, a, b)
        for service in network.services.values()
        for a, b in itertools.pairwise(service.stops)
    }
    unserved: list[UnservedWaterLeg] = []
    for leg in network.legs.values():
        if leg.mode not in WATER_MODES:
            continue
        directions = [(leg.origin, leg.destination)]
        if leg.bidirectional:
            directions.append((leg.destination, leg.origin))
        unserved += [
            UnservedWaterLeg(leg, a, b) for a, b in directions if (leg.mode, a, b) not in sailed
        ]
    return unserved


def dataset_warnings(path: Path, network: CorridorNetwork) -> list[DatasetProblem]:
    """What a valid dataset may contain but a reader should know: today, unserved water legs.

    One warning per leg direction, ``legs.csv:ROW: leg_id: ...``, naming the leg.
    """
    rows = {
        row.get("leg_id", ""): number
        for number, row in enumerate(read_table(path / "legs.csv").rows, start=1)
    }
    return [
        DatasetProblem(
            "legs.csv",
            rows.get(item.leg.leg_id),
            "leg_id",
            f"{item.leg.mode} leg {item.leg.leg_id} is unserved {item.origin}->{item.destination}:"
            f" no {item.leg.mode} service sails it, so it is never crossed",
        )
        for item in unserved_water_legs(network)
    ]


def dataset_digest(path: Path) -> str:
    """SHA-256 over the dataset's CSV files (names and bytes), to tell one version from another."""
    digest = hashlib.sha256()
    for file in sorted(path.glob("*.csv")):
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


S = TypeVar("S", bound=RowSchema)
T = TypeVar("T")


# --- reading ----------------------------------------------------------------------------------


class _Reader:
    """Collects problems while turning tables into domain objects."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[DatasetProblem] = []
        self._rows_with_problems: set[tuple[str, int | None]] = set()

    def problem(self, file: str, row: int | None, field: str | None, text: str) -> None:
        self.problems.append(DatasetProblem(file, row, field, text))
        self._rows_with_problems.add((file, row))

    def add(self, problems: Iterable[DatasetProblem]) -> None:
        for item in problems:
            self.problem(item.file, item.row, item.field, item.problem)

    def parse(self, table: Table, schema: type[S]) -> list[tuple[int, S]]:
        """Rows that fit the schema, each with its row number; the others become problems."""
        required = [name for name, info in schema.model_fields.items() if info.is_required()]
        missing = [c for c in required if c not in table.columns]
        for name in missing:
            self.problem(table.name, None, name, "required column is missing")
        if missing:
            return []
        parsed: list[tuple[int, S]] = []
        id_column = ID_COLUMNS.get(table.name)
        seen: dict[str, int] = {}
        for number, row in enumerate(table.rows, start=1):
            if id_column:
                key = row.get(id_column, "")
                if key in seen:
                    self.problem(
                        table.name,
                        number,
                        id_column,
                        f"duplicate id {key!r} (first on row {seen[key]})",
                    )
                    continue
                seen[key] = number
            try:
                parsed.append((number, schema.model_validate(row)))
            except ValidationError as error:
                for item in error.errors():
                    column = ".".join(str(part) for part in item["loc"])
                    value = row.get(column, "")
                    message = item["msg"]
                    if item["type"] == "missing" or (item["type"].endswith("_type") and not value):
                        message = "a value is required"
                    self.problem(table.name, number, column or None, f"{message} (got {value!r})")
        return parsed

    def build(self, file: str, row: int, make: Callable[..., T], **fields: Any) -> T | None:
        """Run a domain constructor; its InvalidValueError becomes a problem on this row.

        A row that already has a problem is not built, so one broken cell gives one line.
        """
        if (file, row) in self._rows_with_problems:
            return None
        try:
            return make(**fields)
        except InvalidValueError as error:
            self.problem(file, row, error.field, error.message.split(": ", 1)[-1])
            return None

    def refs(
        self,
        file: str,
        row: int,
        column: str,
        cell: str | None,
        known: Collection[str],
    ) -> tuple[str, ...]:
        ids = tuple(split_refs(cell or ""))
        for ref in ids:
            if ref not in known:
                self.problem(file, row, column, f"unknown {_reference_kind(column)} {ref!r}")
        return ids


def _reference_kind(column: str) -> str:
    if column.endswith("source"):
        return "source"
    if column in ("origin", "destination", "location_id", "stops"):
        return "location"
    return column.replace("_id", "")


def _read(path: Path) -> tuple[CorridorNetwork | None, list[DatasetProblem]]:
    reader = _Reader(path)
    if not path.is_dir():
        reader.problem(str(path), None, None, "is not a dataset directory")
        return None, reader.problems
    tables: dict[str, Table] = {}
    for name in CORE_FILES:
        file = path / name
        if not file.is_file():
            reader.problem(name, None, None, "file is missing")
            continue
        tables[name] = read_table(file)
    extra = {
        file.name: read_table(file)
        for file in sorted(path.glob("*.csv"))
        if file.name not in CORE_FILES and not file.name.startswith("sources")
    }
    source_tables = [read_table(f) for f in sorted(path.glob("sources*.csv"))]
    if reader.problems:
        return None, reader.problems

    sources = _read_sources(reader, source_tables)
    declared_sources = {r.get("source_id", "") for t in source_tables for r in t.rows}
    for table in [*tables.values(), *extra.values(), *source_tables]:
        reader.add(figures_without_source(table, declared_sources))
    # References are checked against the ids each file declares, not against the objects that
    # built, so a broken row is reported once and does not break the rows that point to it.
    declared_locations = _declared(tables["locations.csv"], "location_id")
    declared_legs = _declared(tables["legs.csv"], "leg_id")
    declared_services = _declared(tables["services.csv"], "service_id")
    locations = _read_locations(reader, tables["locations.csv"], declared_sources)
    legs = _read_legs(reader, tables["legs.csv"], declared_locations, declared_sources)
    services = _read_services(
        reader,
        tables["services.csv"],
        tables["departures.csv"],
        declared_locations,
        tables["legs.csv"],
        declared_sources,
    )
    tariffs = _read_tariffs(
        reader,
        tables["tariffs.csv"],
        declared_locations,
        declared_legs,
        declared_services,
        declared_sources,
    )
    capacities = _read_capacities(
        reader,
        tables["capacities.csv"],
        declared_locations,
        declared_legs,
        declared_services,
        declared_sources,
    )
    dwell_times = _read_dwell_times(
        reader, tables["dwell_times.csv"], declared_locations, declared_sources
    )
    if reader.problems:
        return None, _unique(reader.problems)
    network = CorridorNetwork(
        locations=locations,
        legs=legs,
        services=services,
        tariffs=tariffs,
        capacities=tuple(capacities),
        dwell_times=tuple(dwell_times),
        sources=sources,
        extra_tables={name: table.rows for name, table in extra.items()},
    )
    return network, []


def _declared(table: Table, id_column: str) -> set[str]:
    return {row.get(id_column, "") for row in table.rows}


def _unique(problems: list[DatasetProblem]) -> list[DatasetProblem]:
    return list(dict.fromkeys(problems))


def _read_sources(reader: _Reader, tables: list[Table]) -> dict[SourceId, Source]:
    sources: dict[SourceId, Source] = {}
    if not tables:
        reader.problem("sources.csv", None, None, "file is missing")
    for table in tables:
        for number, row in reader.parse(table, SourceRow):
            if row.source_id in sources:
                reader.problem(
                    table.name,
                    number,
                    "source_id",
                    f"duplicate id {row.source_id!r} (defined in another sources file)",
                )
                continue
            if row.kind is SourceKind.WEB and not row.url:
                reader.problem(table.name, number, "url", "a web source needs its URL")
            source = reader.build(
                table.name,
                number,
                Source,
                source_id=SourceId(row.source_id),
                kind=row.kind,
                title=row.title,
                publisher=row.publisher or "",
                url=row.url or "",
                published=row.published or "",
                reliability=row.reliability or "",
                reasoning=row.reasoning or "",
                note=row.note or "",
            )
            if source is not None:
                sources[source.source_id] = source
    return sources


def _read_locations(
    reader: _Reader, table: Table, sources: Collection[str]
) -> dict[LocationId, Location]:
    locations: dict[LocationId, Location] = {}
    for number, row in reader.parse(table, LocationRow):
        refs = reader.refs(table.name, number, "source", row.source, sources)
        un_locode: UnLocode | None = None
        if row.un_locode:
            un_locode = reader.build(table.name, number, UnLocode, code=row.un_locode or "")
            if un_locode is None:
                continue
            if un_locode.country != row.country:
                reader.problem(
                    table.name,
                    number,
                    "un_locode",
                    f"{row.un_locode!r} is in country {un_locode.country}, not {row.country}",
                )
        location = reader.build(
            table.name,
            number,
            Location,
            location_id=LocationId(row.location_id),
            name=row.name,
            country=row.country,
            kind=row.kind,
            lat=row.lat,
            lon=row.lon,
            un_locode=un_locode,
            sources=tuple(SourceId(s) for s in refs),
            note=row.note or "",
        )
        if location is not None:
            locations[location.location_id] = location
    return locations


def _duration(
    file: str,
    row: int,
    reader: _Reader,
    prefix: str,
    min_h: float | None,
    p50_h: float,
    p90_h: float | None,
) -> DurationEstimate | None:
    if min_h is not None and min_h > p50_h:
        reader.problem(
            file,
            row,
            f"{prefix}p50_h",
            f"{p50_h} is below the minimum {min_h} (an arrival before the departure)",
        )
        return None
    if p90_h is not None and p90_h < p50_h:
        reader.problem(file, row, f"{prefix}p90_h", f"{p90_h} is below the p50 {p50_h}")
        return None
    return DurationEstimate.from_hours(p50_h, p90_h, min_h)


def _read_legs(
    reader: _Reader,
    table: Table,
    locations: Collection[str],
    sources: Collection[str],
) -> dict[LegId, Leg]:
    legs: dict[LegId, Leg] = {}
    for number, row in reader.parse(table, LegRow):
        reader.refs(table.name, number, "origin", row.origin, locations)
        reader.refs(table.name, number, "destination", row.destination, locations)
        distance_refs = reader.refs(
            table.name, number, "distance_km_source", row.distance_km_source, sources
        )
        time_refs = reader.refs(table.name, number, "time_source", row.time_source, sources)
        corridors: set[Corridor] = set()
        for name in split_refs(row.corridors):
            try:
                corridors.add(Corridor(name))
            except ValueError:
                reader.problem(
                    table.name,
                    number,
                    "corridors",
                    f"{name!r} is not one of {', '.join(c.value for c in Corridor)}",
                )
        if not corridors:
            reader.problem(table.name, number, "corridors", "a leg needs at least one corridor")
        running = _duration(
            table.name, number, reader, "time_", row.time_min_h, row.time_p50_h, row.time_p90_h
        )
        if running is None:
            continue
        leg = reader.build(
            table.name,
            number,
            Leg,
            leg_id=LegId(row.leg_id),
            origin=LocationId(row.origin),
            destination=LocationId(row.destination),
            mode=row.mode,
            distance_km=row.distance_km,
            running_time=running,
            corridors=frozenset(corridors),
            distance_sources=tuple(SourceId(s) for s in distance_refs),
            time_sources=tuple(SourceId(s) for s in time_refs),
            gauge_mm=row.gauge_mm,
            bidirectional=row.bidirectional,
            note=row.note or "",
        )
        if leg is not None:
            legs[leg.leg_id] = leg
    return legs


def _read_services(
    reader: _Reader,
    table: Table,
    departures_table: Table,
    locations: Collection[str],
    legs_table: Table,
    sources: Collection[str],
) -> dict[ServiceId, Service]:
    departures: dict[str, list[WeeklyDeparture]] = {}
    service_ids = {row.get("service_id", "") for row in table.rows}
    with_departure_rows = {row.get("service_id", "") for row in departures_table.rows}
    for number, dep in reader.parse(departures_table, DepartureRow):
        reader.refs(departures_table.name, number, "source", dep.source, sources)
        if dep.service_id not in service_ids:
            reader.problem(
                departures_table.name, number, "service_id", f"unknown service {dep.service_id!r}"
            )
            continue
        departures.setdefault(dep.service_id, []).append(
            WeeklyDeparture(WEEKDAYS.index(dep.weekday), dep.departs_utc)
        )
    by_pair: set[tuple[str, str, str]] = set()
    for raw in legs_table.rows:
        origin, destination, mode = raw.get("origin"), raw.get("destination"), raw.get("mode")
        by_pair.add((origin or "", destination or "", mode or ""))
        if raw.get("bidirectional", "").lower() in ("yes", "true", "1"):
            by_pair.add((destination or "", origin or "", mode or ""))

    services: dict[ServiceId, Service] = {}
    for number, row in reader.parse(table, ServiceRow):
        stops = reader.refs(table.name, number, "stops", row.stops, locations)
        refs = reader.refs(table.name, number, "source", row.source, sources)
        time_refs = reader.refs(table.name, number, "time_source", row.time_source, sources)
        for a, b in itertools.pairwise(stops):
            if a in locations and b in locations and (a, b, row.mode.value) not in by_pair:
                reader.problem(table.name, number, "stops", f"no {row.mode} leg joins {a} and {b}")
        if row.kind is ServiceKind.TIMETABLED and row.service_id not in with_departure_rows:
            reader.problem(
                table.name,
                number,
                "kind",
                "a timetabled service needs departures in departures.csv",
            )
            continue
        if row.kind is ServiceKind.FREQUENCY and row.service_id in with_departure_rows:
            reader.problem(
                table.name,
                number,
                "kind",
                "a frequency service has rows in departures.csv; make it timetabled",
            )
            continue
        if row.kind is ServiceKind.TIMETABLED and row.service_id not in departures:
            continue  # its departure rows are broken and already reported
        running = _duration(
            table.name, number, reader, "time_", row.time_min_h, row.time_p50_h, row.time_p90_h
        )
        if running is None:
            continue
        service = reader.build(
            table.name,
            number,
            Service,
            service_id=ServiceId(row.service_id),
            name=row.name,
            operator=row.operator or "",
            mode=row.mode,
            kind=row.kind,
            stops=tuple(LocationId(x) for x in stops),
            running_time=running,
            departures=tuple(departures.get(row.service_id, ())),
            frequency_per_week=row.frequency_per_week,
            cutoff=timedelta(hours=row.cutoff_h or 0),
            capacity_teu=row.capacity_teu,
            capacity_railcars=row.capacity_railcars,
            capacity_trucks=row.capacity_trucks,
            sources=tuple(SourceId(x) for x in refs),
            time_sources=tuple(SourceId(x) for x in time_refs),
            valid_from=row.valid_from,
            note=row.note or "",
        )
        if service is not None:
            services[service.service_id] = service
    return services


def _read_tariffs(
    reader: _Reader,
    table: Table,
    locations: Collection[str],
    legs: Collection[str],
    services: Collection[str],
    sources: Collection[str],
) -> dict[TariffId, Tariff]:
    tariffs: dict[TariffId, Tariff] = {}
    for number, row in reader.parse(table, TariffRow):
        refs = reader.refs(table.name, number, "source", row.source, sources)
        if row.scope == "leg" and row.scope_ref not in legs:
            reader.problem(table.name, number, "scope_ref", f"unknown leg {row.scope_ref!r}")
        elif row.scope == "service" and row.scope_ref not in services:
            reader.problem(table.name, number, "scope_ref", f"unknown service {row.scope_ref!r}")
        elif row.scope == "segment":
            origin, sep, destination = row.scope_ref.partition(">")
            if not sep:
                reader.problem(table.name, number, "scope_ref", f"{row.scope_ref!r} is not FROM>TO")
            for end in (origin, destination) if sep else ():
                if end not in locations:
                    reader.problem(table.name, number, "scope_ref", f"unknown location {end!r}")
        modes: set[Mode] = set()
        for name in split_refs(row.modes or ""):
            try:
                modes.add(Mode(name))
            except ValueError:
                reader.problem(
                    table.name,
                    number,
                    "modes",
                    f"{name!r} is not one of {', '.join(m.value for m in Mode)}",
                )
        tariff = reader.build(
            table.name,
            number,
            Tariff,
            tariff_id=TariffId(row.tariff_id),
            scope=row.scope,
            scope_ref=row.scope_ref,
            unit=row.unit,
            amount=row.amount,
            currency=row.currency,
            sources=tuple(SourceId(s) for s in refs),
            amount_high=row.amount_high,
            valid_on=row.valid_on or "",
            modes=frozenset(modes),
            note=row.note or "",
        )
        if tariff is not None:
            tariffs[tariff.tariff_id] = tariff
    return tariffs


def _read_capacities(
    reader: _Reader,
    table: Table,
    locations: Collection[str],
    legs: Collection[str],
    services: Collection[str],
    sources: Collection[str],
) -> list[Capacity]:
    capacities: list[Capacity] = []
    for number, row in reader.parse(table, CapacityRow):
        refs = reader.refs(table.name, number, "source", row.source, sources)
        if (
            row.subject not in locations
            and row.subject not in legs
            and row.subject not in services
            and row.subject not in CORRIDOR_SUBJECTS
        ):
            reader.problem(
                table.name,
                number,
                "subject",
                f"unknown location, leg, service or corridor {row.subject!r}",
            )
        capacity = reader.build(
            table.name,
            number,
            Capacity,
            capacity_id=row.capacity_id,
            subject=row.subject,
            measure=row.measure,
            value=row.value,
            unit=row.unit,
            status=row.status,
            year=row.year,
            sources=tuple(SourceId(s) for s in refs),
            note=row.note or "",
        )
        if capacity is not None:
            capacities.append(capacity)
    return capacities


def _read_dwell_times(
    reader: _Reader,
    table: Table,
    locations: Collection[str],
    sources: Collection[str],
) -> list[DwellTime]:
    dwell_times: list[DwellTime] = []
    seen: dict[tuple[str, DwellActivity, Mode | None], int] = {}
    for number, row in reader.parse(table, DwellRow):
        reader.refs(table.name, number, "location_id", row.location_id, locations)
        refs = reader.refs(table.name, number, "source", row.source, sources)
        key = (row.location_id, row.activity, row.mode)
        if key in seen:
            reader.problem(
                table.name,
                number,
                "activity",
                f"duplicate dwell time for {row.location_id} {row.activity} "
                f"(first on row {seen[key]})",
            )
            continue
        seen[key] = number
        duration = _duration(table.name, number, reader, "", row.min_h, row.p50_h, row.p90_h)
        if duration is None:
            continue
        dwell = reader.build(
            table.name,
            number,
            DwellTime,
            location_id=LocationId(row.location_id),
            activity=row.activity,
            duration=duration,
            sources=tuple(SourceId(s) for s in refs),
            mode=row.mode,
            note=row.note or "",
        )
        if dwell is not None:
            dwell_times.append(dwell)
    return dwell_times
