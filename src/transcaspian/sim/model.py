"""The simulation model of the corridor, built from the one CorridorNetwork and a scenario.

``build_model(network, scenario, year)`` turns the network's figures into a ``CorridorModel``,
a plain description the SimPy processes (``processes.py``) run:

- **stations**: queues with ``servers`` in parallel — a border crossing (its clearance time is
  the location's ``border_crossing`` dwell) or a gauge-change transshipment (its
  ``transshipment`` dwell); the number of lanes or tracks comes from ``sim_parameters.csv``
  (or the scenario). A station without a lane count is a pure delay and is listed in
  ``assumptions``.
- **travels**: rail and road legs, a delay drawn from the leg's running time.
- **ferry lines**: a ferry or sea service between two of its stops, with its capacity per unit
  (TEU, railcars, trucks) from services.csv, its fleet (``vessels``), crossing time (the
  service's running time), berth time at each end (the ports' ``port_handling`` dwell) and weather
  closures; a yard queue per unit at the loading port.
- **berths**: the ferry berths of a port, shared by every line calling there.
- **flows**: trains (or trucks) arriving as a Poisson process at the scenario's volume for the
  year, each passing its stages in order.

Every figure keeps the source ids it came from (``Parameter.sources``), so a report can cite it.
Durations are in hours.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from transcaspian.domain.errors import DatasetError, DatasetProblem
from transcaspian.domain.network import (
    CorridorNetwork,
    DwellActivity,
    Leg,
    LocationId,
    Mode,
    Service,
    ServiceKind,
)
from transcaspian.domain.values import DurationEstimate
from transcaspian.sim.scenarios import Figure, Flow, Scenario

__all__ = [
    "HOURS_PER_YEAR",
    "SIM_PARAMETERS_TABLE",
    "CorridorModel",
    "Distribution",
    "FerryLineSpec",
    "FlowSpec",
    "Parameter",
    "StationSpec",
    "TravelSpec",
    "WeatherSpec",
    "build_model",
    "sim_parameters",
]

HOURS_PER_YEAR = 8760.0
SIM_PARAMETERS_TABLE = "sim_parameters.csv"
_Z90 = 1.2815515655446004
_UNIT_CAPACITY = {"TEU": "capacity_teu", "railcar": "capacity_railcars", "truck": "capacity_trucks"}


@dataclass(frozen=True, slots=True)
class Parameter:
    """A value the model uses and the source ids it comes from."""

    value: float
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Distribution:
    """A duration distribution in hours: fixed, exponential, or lognormal shifted by a minimum.

    ``lognormal``: ``shift + exp(mu + sigma * Z)``; ``exponential``: mean ``mean``; ``fixed``:
    always ``mean``. ``sources`` are the ids of the figures it was built from.
    """

    kind: str
    mean: float
    shift: float = 0.0
    mu: float = 0.0
    sigma: float = 0.0
    sources: tuple[str, ...] = ()

    @classmethod
    def fixed(cls, hours: float, sources: tuple[str, ...] = ()) -> Distribution:
        return cls("fixed", hours, sources=sources)

    @classmethod
    def exponential(cls, mean_h: float, sources: tuple[str, ...] = ()) -> Distribution:
        return cls("exponential", mean_h, sources=sources)

    @classmethod
    def from_estimate(
        cls, estimate: DurationEstimate, sources: tuple[str, ...] = ()
    ) -> Distribution:
        """The dataset's (min, P50, P90) as a shifted lognormal, as DurationEstimate samples it."""
        base = estimate.minimum.total_seconds() / 3600
        median = estimate.p50.total_seconds() / 3600 - base
        upper = estimate.p90.total_seconds() / 3600 - base
        if estimate.is_fixed or median <= 0 or upper <= median:
            return cls.fixed(estimate.p50.total_seconds() / 3600, sources)
        mu, sigma = math.log(median), math.log(upper / median) / _Z90
        return cls("lognormal", base + math.exp(mu + sigma**2 / 2), base, mu, sigma, sources)

    def scaled(self, factor: float) -> Distribution:
        """Every draw multiplied by ``factor`` (e.g. 0.7 for a clearance 30 % faster)."""
        if self.kind == "lognormal":
            return replace(
                self,
                mean=self.mean * factor,
                shift=self.shift * factor,
                mu=self.mu + math.log(factor),
            )
        return replace(self, mean=self.mean * factor)

    def quantile(self, q: float) -> float:
        from statistics import NormalDist

        if self.kind == "lognormal":
            return self.shift + math.exp(self.mu + self.sigma * NormalDist().inv_cdf(q))
        if self.kind == "exponential":
            return -self.mean * math.log(1 - q)
        return self.mean


@dataclass(frozen=True, slots=True)
class StationSpec:
    """A queue with ``servers`` in parallel (None = unlimited: a pure delay)."""

    key: str
    kind: str  # border | transshipment | custom
    location_id: str
    servers: int | None
    service: Distribution
    servers_sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TravelSpec:
    """A rail or road section: a delay drawn from the leg's running time."""

    key: str
    leg_id: str
    time: Distribution


@dataclass(frozen=True, slots=True)
class FerryLineSpec:
    """Vessels of one ferry or sea service carrying units from ``origin`` to ``destination``."""

    key: str
    service_id: str
    origin: str
    destination: str
    capacity: Mapping[str, int | None]  # unit -> units per sailing (None: not limited)
    vessels: Parameter
    crossing: Distribution
    load: Distribution  # berth time at the origin per call
    unload: Distribution  # berth time at the destination per call
    policy: str  # schedule | when_loaded
    departures_h: tuple[float, ...]  # offsets in the week (hours) for ``schedule``
    max_hold_h: float  # when_loaded: sail after this long at berth even if not full
    load_factor: Parameter  # when_loaded: share of capacity that triggers sailing
    # the capacities are alternatives (a deck takes railcars *or* trucks): a sailing's loads
    # add up as shares of each unit's capacity, at most 1
    shared_capacity: bool = True


@dataclass(frozen=True, slots=True)
class WeatherSpec:
    """Weather closures of a port: Poisson episodes, each closing it for a drawn duration."""

    location_id: str
    closures_per_year: Parameter
    duration: Distribution


@dataclass(frozen=True, slots=True)
class FlowSpec:
    """Arrivals of one flow: ``arrivals_per_year`` trains (or trucks) of ``units_per_arrival``."""

    flow_id: str
    unit: str
    corridor: str
    stages: tuple[str, ...]  # station, travel or ferry-line keys in order
    arrivals_per_year: float
    units_per_arrival: int
    volume_per_year: float
    sources: tuple[str, ...]


@dataclass(frozen=True)
class CorridorModel:
    """Everything one replication-year needs; plain data, cheap to send to a Dask worker."""

    scenario_id: str
    year: int
    stations: Mapping[str, StationSpec]
    travels: Mapping[str, TravelSpec]
    ferry_lines: Mapping[str, FerryLineSpec]
    berths: Mapping[str, Parameter]  # location id -> ferry berths
    flows: tuple[FlowSpec, ...]
    weather: Mapping[str, WeatherSpec] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()
    warmup_h: float = 30 * 24.0
    horizon_h: float = HOURS_PER_YEAR

    def stage_kind(self, key: str) -> str:
        if key in self.stations:
            return "station"
        if key in self.travels:
            return "travel"
        return "ferry"


@dataclass
class _Builder:
    network: CorridorNetwork
    scenario: Scenario
    year: int
    params: Mapping[tuple[str, str], Parameter]
    problems: list[DatasetProblem] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    stations: dict[str, StationSpec] = field(default_factory=dict)
    travels: dict[str, TravelSpec] = field(default_factory=dict)
    lines: dict[str, FerryLineSpec] = field(default_factory=dict)
    berths: dict[str, Parameter] = field(default_factory=dict)
    weather: dict[str, WeatherSpec] = field(default_factory=dict)

    def problem(self, where: str, text: str) -> None:
        item = DatasetProblem(f"model {self.scenario.scenario_id} {self.year}", None, where, text)
        if item not in self.problems:
            self.problems.append(item)

    def param(self, subject: str, name: str) -> Parameter | None:
        return self.params.get((subject, name))

    def required(self, subject: str, name: str, hint: str) -> Parameter:
        found = self.param(subject, name)
        if found is None:
            self.problem(
                f"{SIM_PARAMETERS_TABLE}: {subject}.{name}",
                f"missing ({hint}); add a sourced row to {SIM_PARAMETERS_TABLE} or the scenario",
            )
            return Parameter(1.0, ())
        return found


def sim_parameters(
    network: CorridorNetwork, scenario: Scenario | None = None
) -> dict[tuple[str, str], Parameter]:
    """The dataset's ``sim_parameters.csv`` rows, overridden by the scenario's ``parameters``."""
    out: dict[tuple[str, str], Parameter] = {}
    for row in network.extra_tables.get(SIM_PARAMETERS_TABLE, ()):
        try:
            value = float(row.get("value", ""))
        except ValueError:
            continue
        sources = tuple(s.strip() for s in row.get("source", "").split(";") if s.strip())
        out[(row.get("subject", ""), row.get("parameter", ""))] = Parameter(value, sources)
    if scenario is not None:
        for key, figure in scenario.parameters.items():
            out[key] = Parameter(figure.value, figure.sources)
    return out


def build_model(
    network: CorridorNetwork,
    scenario: Scenario,
    year: int,
    *,
    warmup_days: float = 30.0,
    horizon_days: float = 365.0,
) -> CorridorModel:
    """The model for one year of a scenario, with the interventions active in that year.

    Raises DatasetError listing every figure the model needs but the dataset and scenario lack.
    """
    builder = _Builder(network, scenario, year, sim_parameters(network, scenario))
    flows = tuple(_flow(builder, flow, year) for flow in scenario.flows)
    _apply_interventions(builder, scenario, year)
    if builder.problems:
        raise DatasetError(builder.problems)
    return CorridorModel(
        scenario_id=scenario.scenario_id,
        year=year,
        stations=builder.stations,
        travels=builder.travels,
        ferry_lines=builder.lines,
        berths=builder.berths,
        flows=flows,
        weather=builder.weather,
        assumptions=tuple(dict.fromkeys(builder.assumptions)),
        warmup_h=warmup_days * 24,
        horizon_h=horizon_days * 24,
    )


def _flow(b: _Builder, flow: Flow, year: int) -> FlowSpec:
    mode = Mode.ROAD if flow.unit == "truck" else Mode.RAIL
    stages: list[str] = []
    path = _expand_path(b, flow)
    for i, here in enumerate(path[:-1]):
        there = path[i + 1]
        for activity, kind in (
            (DwellActivity.BORDER_CROSSING, "border"),
            (DwellActivity.TRANSSHIPMENT, "transshipment"),
        ):
            station = _station(b, here, activity, kind, mode, flow.units_per_arrival.value)
            if station is not None:
                stages.append(station)
        line = _ferry_line(b, here, there, flow)
        if line is not None:
            stages.append(line)
            continue
        leg = _leg(b, here, there, mode)
        if leg is None:
            b.problem(f"flow {flow.flow_id}", f"no leg or ferry service from {here} to {there}")
            continue
        key = f"{leg.mode.value}:{leg.leg_id}"
        if key not in b.travels:
            b.travels[key] = TravelSpec(
                key, leg.leg_id, Distribution.from_estimate(leg.running_time, leg.time_sources)
            )
        stages.append(key)
    volume = b.scenario.volume(flow, year)
    size = max(1, round(flow.units_per_arrival.value))
    sources = tuple(
        dict.fromkeys(
            flow.units_per_arrival.sources
            + tuple(s for v in flow.volumes.values() for s in v.sources)
            + tuple(
                s for g in b.scenario.growth if flow.flow_id in g.flows for s in g.factor.sources
            )
        )
    )
    return FlowSpec(
        flow_id=flow.flow_id,
        unit=flow.unit,
        corridor=flow.corridor,
        stages=tuple(stages),
        arrivals_per_year=volume / size,
        units_per_arrival=size,
        volume_per_year=volume,
        sources=sources,
    )


def _expand_path(b: _Builder, flow: Flow) -> list[LocationId]:
    """The flow's path with the intermediate stops of the rail or road service joining two
    consecutive points that no single leg or ferry joins (so a scenario names key points only)."""
    out: list[LocationId] = [flow.path[0]]
    for here, there in zip(flow.path, flow.path[1:], strict=False):
        direct = b.network.legs_between(here, there)
        if direct or _ferry_services(b, here, there, flow):
            out.append(there)
            continue
        via = [
            s
            for s in sorted(b.network.services.values(), key=lambda s: s.service_id)
            if s.mode in (Mode.RAIL, Mode.ROAD)
            and here in s.stops
            and there in s.stops
            and s.stops.index(here) < s.stops.index(there)
        ]
        if not via:
            out.append(there)  # reported as a missing leg by _flow
            continue
        stops = via[0].stops
        out.extend(stops[stops.index(here) + 1 : stops.index(there) + 1])
    return out


def _station(
    b: _Builder,
    location: LocationId,
    activity: DwellActivity,
    kind: str,
    mode: Mode,
    units_per_arrival: float,
) -> str | None:
    dwell = b.network.dwell_at(location, activity, mode)
    if dwell is None:
        return None
    key = f"{kind}:{location}:{mode.value}"
    if key in b.stations:
        return key
    service = Distribution.from_estimate(dwell.duration, dwell.sources)
    name = "border" if kind == "border" else "transshipment"
    servers = b.param(location, "border_lanes" if kind == "border" else "transshipment_tracks")
    per_day = b.param(location, f"{name}_capacity_trains_per_day")
    count: int | None = None
    sources: tuple[str, ...] = ()
    if servers is not None:
        count, sources = max(1, round(servers.value)), servers.sources
    elif per_day is not None:
        # Little's law on the capacity: trains in service = trains/day x days in service
        count = max(1, math.ceil(per_day.value * service.mean / 24))
        sources = per_day.sources + dwell.sources
    else:
        b.assumptions.append(
            f"{key}: no {name} capacity figure, so it is modelled as a delay without a queue"
        )
    b.stations[key] = StationSpec(
        key=key,
        kind=kind,
        location_id=location,
        servers=count,
        service=service,
        servers_sources=sources,
    )
    return key


def _leg(b: _Builder, here: LocationId, there: LocationId, mode: Mode) -> Leg | None:
    legs = b.network.legs_between(here, there)
    land = [leg for leg in legs if leg.mode in (Mode.RAIL, Mode.ROAD)]
    preferred = [leg for leg in land if leg.mode is mode]
    chosen = preferred or land
    return min(chosen, key=lambda leg: leg.leg_id) if chosen else None


def _ferry_services(b: _Builder, here: LocationId, there: LocationId, flow: Flow) -> list[Service]:
    """Ferry or sea services from ``here`` to ``there``: the flow's named ones, else those with
    a capacity for the flow's unit."""
    found = []
    for service in b.network.services.values():
        if service.mode not in (Mode.FERRY, Mode.SEA):
            continue
        stops = service.stops
        if here in stops and there in stops and stops.index(here) < stops.index(there):
            found.append(service)
    named = [s for s in found if s.service_id in flow.services]
    if named:
        return sorted(named, key=lambda s: s.service_id)
    capable = [s for s in found if getattr(s, _UNIT_CAPACITY[flow.unit]) is not None]
    return sorted(capable, key=lambda s: (s.kind is not ServiceKind.FREQUENCY, s.service_id))


def _ferry_line(b: _Builder, here: LocationId, there: LocationId, flow: Flow) -> str | None:
    candidates = _ferry_services(b, here, there, flow)
    if not candidates:
        return None
    service = candidates[0]
    key = f"ferry:{service.service_id}"
    if key in b.lines:
        return key
    capacity: dict[str, int | None] = {
        u: (int(getattr(service, attr)) if getattr(service, attr) is not None else None)
        for u, attr in _UNIT_CAPACITY.items()
    }
    if capacity[flow.unit] is None:
        b.assumptions.append(
            f"{key}: no {flow.unit} capacity published, so sailings carry every waiting unit"
        )
    capacity = {u: c for u, c in capacity.items() if c is not None or u == flow.unit}
    origin, destination = service.origin, service.destination
    for port in (origin, destination):
        if port not in b.berths:
            b.berths[port] = b.required(port, "ferry_berths", "ferry berths at the port")
        _weather(b, port)
    load = _berth_time(b, origin, service)
    unload = _berth_time(b, destination, service)
    crossing = Distribution.from_estimate(service.running_time, service.time_sources)
    per_week = service.weekly_departures()
    vessels = b.param(service.service_id, "vessels")
    if vessels is None:
        # as many vessels as the published frequency needs for one round trip each
        cycle_h = load.mean + unload.mean + 2 * crossing.mean
        frequency = (
            len(per_week) if service.frequency_per_week is None else (service.frequency_per_week)
        )
        vessels = Parameter(float(max(1, math.ceil(frequency * cycle_h / 168))), service.sources)
        b.assumptions.append(
            f"{key}: {vessels.value:.0f} vessels, the number its {frequency:g} sailings a week "
            f"need for a {cycle_h:.0f} h round trip (no fleet figure)"
        )
    policy = b.scenario.dispatch.get(
        service.service_id,
        "schedule" if service.kind is ServiceKind.TIMETABLED else "when_loaded",
    )
    b.lines[key] = FerryLineSpec(
        key=key,
        service_id=service.service_id,
        origin=origin,
        destination=destination,
        capacity=capacity,
        vessels=vessels,
        crossing=crossing,
        load=load,
        unload=unload,
        policy=policy,
        departures_h=tuple(d.total_seconds() / 3600 for d in per_week),
        max_hold_h=7 * 24 / max(1, len(per_week)),
        load_factor=b.param(service.service_id, "dispatch_load_factor") or Parameter(1.0, ()),
        shared_capacity=(b.param(service.service_id, "capacity_shared") or Parameter(1, ())).value
        > 0,
    )
    return key


def _weather(b: _Builder, port: str) -> None:
    if port in b.weather:
        return
    closures = b.param(port, "weather_closures_per_year")
    if closures is None or closures.value <= 0:
        b.assumptions.append(f"weather:{port}: no weather closures (no figure)")
        return
    p50 = b.required(port, "weather_closure_p50_h", "median closure length")
    p90 = b.required(port, "weather_closure_p90_h", "90th percentile closure length")
    duration = Distribution.from_estimate(
        DurationEstimate.from_hours(p50.value, max(p50.value, p90.value), 0.0),
        p50.sources + p90.sources,
    )
    b.weather[port] = WeatherSpec(port, closures, duration)


def _berth_time(b: _Builder, port: LocationId, service: Service) -> Distribution:
    dwell = b.network.dwell_at(port, DwellActivity.PORT_HANDLING, service.mode)
    if dwell is None:
        b.problem(
            f"dwell_times.csv: {port}.port_handling",
            f"missing: the berth time of a {service.mode.value} call at {port}",
        )
        return Distribution.fixed(0.0)
    return Distribution.from_estimate(dwell.duration, dwell.sources)


def _apply_interventions(b: _Builder, scenario: Scenario, year: int) -> None:
    for item in scenario.interventions_in(year):
        amount = item.amount
        if item.kind == "extra_vessels":
            key = f"ferry:{item.service}"
            if key in b.lines:
                line = b.lines[key]
                b.lines[key] = replace(line, vessels=_plus(line.vessels, amount))
        elif item.kind == "extra_berths":
            if item.location in b.berths:
                b.berths[item.location] = _plus(b.berths[item.location], amount)
        elif item.kind == "terminal_capacity":
            for key, station in list(b.stations.items()):
                if station.location_id == item.location and station.kind == "transshipment":
                    servers = (station.servers or 0) + round(amount.value)
                    b.stations[key] = replace(
                        station,
                        servers=servers,
                        servers_sources=station.servers_sources + amount.sources,
                    )
        elif item.kind == "faster_clearance":
            for key, station in list(b.stations.items()):
                if station.kind == "border" and (
                    not item.locations or station.location_id in item.locations
                ):
                    b.stations[key] = replace(
                        station, service=station.service.scaled(1 - amount.value)
                    )


def _plus(parameter: Parameter, amount: Figure) -> Parameter:
    return Parameter(parameter.value + amount.value, parameter.sources + amount.sources)
