"""The corridor network compiled for the planner: hops with their departures, and what happens
at a location between two hops (dwell, transshipment, change of vehicle).

A *hop* is one movement on one vehicle:

- a **ride** on a service from one of its stops to a later one (it may pass intermediate
  stops). Its departures repeat every week, so the timetable is in effect expanded over as
  many weeks as a trip needs: the next departure after any instant is found by arithmetic on
  the weekly offsets (timetabled services: departures.csv; frequency services: evenly spread,
  ``Service.weekly_departures``). The cargo must be at the boarding stop ``cutoff`` before the
  departure there.
- an **any-time** traversal of a leg no service of its mode covers (road, rail without a block
  train): it leaves as soon as the cargo is ready and takes the leg's running time.

Times inside the planner are float hours since ``EPOCH`` (a Monday, 00:00 UTC) so that the
weekly arithmetic is cheap; ``hours_since_epoch`` and ``instant_at`` convert at the edges.
Durations are the P50 figures of the data; the uncertainty module samples the distributions.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from transcaspian.domain.bounds import Separators, separators
from transcaspian.domain.emissions import EmissionFactor, EmissionFactorTable, HubKind
from transcaspian.domain.errors import InvalidValueError
from transcaspian.domain.network import (
    Corridor,
    CorridorNetwork,
    DwellActivity,
    DwellTime,
    Leg,
    LegId,
    LocationId,
    Mode,
    Service,
    ServiceId,
    Tariff,
)

__all__ = [
    "CORRIDORS",
    "EPOCH",
    "WEEK_H",
    "Hop",
    "RoutingGraph",
    "Transition",
    "hours_since_epoch",
    "instant_at",
]

EPOCH = datetime(2001, 1, 1, tzinfo=UTC)  # a Monday
WEEK_H = 168.0
WATER = frozenset({Mode.FERRY, Mode.SEA})
CORRIDORS = (Corridor.MIDDLE, Corridor.NORTHERN, Corridor.SUEZ)


def hours_since_epoch(at: datetime) -> float:
    """A timezone-aware instant as hours since EPOCH; raises InvalidValueError if naive."""
    if at.tzinfo is None:
        raise InvalidValueError(f"ready_at: {at.isoformat()} has no time zone", field="ready_at")
    return (at - EPOCH).total_seconds() / 3600


def instant_at(hours: float) -> datetime:
    """The UTC instant ``hours`` after EPOCH, to the second."""
    return EPOCH + timedelta(seconds=round(hours * 3600))


def _p50_h(leg: Leg) -> float:
    return leg.running_time.p50.total_seconds() / 3600


@dataclass(slots=True, eq=False)
class Hop:
    """One movement on one vehicle from ``origin`` to ``destination`` (see the module doc)."""

    index: int
    origin: LocationId
    destination: LocationId
    mode: Mode
    legs: tuple[Leg, ...]
    stops: tuple[LocationId, ...]  # origin, any stops passed, destination
    duration_h: float  # P50 running time
    service: Service | None = None
    share: float = 1.0  # this ride's fraction of the service's running time
    board_offset_h: float = 0.0  # service departure at its first stop -> departure here
    weekly_h: tuple[float, ...] = ()  # service departures at the first stop, hours into the week
    cutoff_h: float = 0.0
    valid_from_h: float = -math.inf
    countries: frozenset[str] = frozenset()
    corridors: frozenset[Corridor] = frozenset()  # corridors whose itineraries may use it
    destination_index: int = -1  # RoutingGraph.location_index of the destination
    distance_km: float = field(init=False)
    entry: tuple[Mode, int | None, bool] = field(init=False)  # mode, gauge, is a ride
    context: tuple[Mode, int | None, bool] = field(init=False)

    def __post_init__(self) -> None:
        self.distance_km = sum(leg.distance_km for leg in self.legs)
        ride = self.service is not None
        self.entry = (self.mode, self.legs[0].gauge_mm, ride)
        self.context = (self.mode, self.legs[-1].gauge_mm, ride)

    @property
    def is_ride(self) -> bool:
        return self.service is not None

    def next_departure_h(self, ready_h: float) -> float:
        """The first departure from ``origin`` the cargo, ready there at ``ready_h``, can take."""
        if self.service is None:
            return ready_h
        earliest = ready_h + self.cutoff_h - self.board_offset_h
        earliest = max(earliest, self.valid_from_h)
        week = math.floor(earliest / WEEK_H)
        index = bisect_left(self.weekly_h, earliest - week * WEEK_H)
        if index == len(self.weekly_h):
            week += 1
            index = 0
        return week * WEEK_H + self.weekly_h[index] + self.board_offset_h


@dataclass(frozen=True, slots=True)
class Transition:
    """What happens at a location between arriving on one hop and leaving on the next."""

    dwells: tuple[DwellTime, ...]
    dwell_h: float  # sum of the P50 dwell times
    is_transfer: bool  # the cargo changes vehicle
    hub: HubKind | None  # the hub emissions to count, if any
    is_transshipment: bool  # a change of mode or gauge

    @property
    def activities(self) -> tuple[str, ...]:
        return tuple(str(d.activity) for d in self.dwells)


_NO_TRANSITION = Transition((), 0.0, False, None, False)


class RoutingGraph:
    """The hops of a network, indexed by origin, with tariffs and transition rules cached.

    Build it once per network (``RoutingGraph(network)``); queries do not change it.
    """

    def __init__(
        self,
        network: CorridorNetwork,
        default_dwells: Mapping[DwellActivity, DwellTime] | None = None,
        segment_modes: Mapping[str, frozenset[Mode]] | None = None,
    ):
        self.network = network
        # the modes a through tariff prices (tariff id -> modes); absent: any mode
        self.segment_modes = dict(segment_modes or {})
        # used where a location has no figure for an activity (a transfer is never free)
        self.default_dwells = dict(default_dwells or {})
        self.hops: list[Hop] = []
        self.hops_from: dict[LocationId, list[Hop]] = defaultdict(list)
        self.hops_into: dict[LocationId, list[Hop]] = defaultdict(list)
        self.leg_tariffs: dict[LegId, list[Tariff]] = defaultdict(list)
        self.service_tariffs: dict[ServiceId, list[Tariff]] = defaultdict(list)
        self.segments_from: dict[LocationId, list[Tariff]] = defaultdict(list)
        self._transitions: dict[object, Transition] = {}
        self._arrivals: dict[object, Transition] = {}
        self._factor_lookups: dict[
            int, tuple[EmissionFactorTable, Callable[[Leg], EmissionFactor]]
        ] = {}
        self.cost_cache: dict[object, object] = {}  # search.QueryCosts per cargo and factors
        self._separators: Separators | None = None
        self._country = {k: v.country for k, v in network.locations.items()}
        for tariff in sorted(network.tariffs.values(), key=lambda t: t.tariff_id):
            segment = tariff.segment
            if segment is not None:
                self.segments_from[segment[0]].append(tariff)
            elif tariff.scope == "service":
                self.service_tariffs[ServiceId(tariff.scope_ref)].append(tariff)
            else:
                self.leg_tariffs[LegId(tariff.scope_ref)].append(tariff)
        self.location_index = {k: i for i, k in enumerate(sorted(network.locations))}
        covered = self._add_rides(network.services)
        served = {leg_id for leg_id, _ in covered}
        sailed = {(h.origin, h.destination) for h in self.hops if h.mode in WATER}
        for leg in sorted(network.legs.values(), key=lambda x: x.leg_id):
            ends = [(leg.origin, leg.destination)]
            if leg.bidirectional:
                ends.append((leg.destination, leg.origin))
            for origin, destination in ends:
                if (leg.leg_id, origin) in covered:
                    continue
                if leg.mode in WATER and (leg.leg_id in served or (origin, destination) in sailed):
                    # Ships sail on their timetable: where a service sails this leg, or sails
                    # between its ends, there is no crossing outside it.
                    continue
                self._add(
                    Hop(
                        index=len(self.hops),
                        origin=origin,
                        destination=destination,
                        mode=leg.mode,
                        legs=(leg,),
                        stops=(origin, destination),
                        duration_h=_p50_h(leg),
                    )
                )

    def _add_rides(self, services: Mapping[ServiceId, Service]) -> set[tuple[LegId, str]]:
        """Add every service's rides; returns the (leg, from-end) pairs services cover."""
        covered: set[tuple[LegId, str]] = set()
        for service in sorted(services.values(), key=lambda s: s.service_id):
            legs: list[Leg] = []
            for a, b in zip(service.stops, service.stops[1:], strict=False):
                between = sorted(
                    self.network.legs_between(a, b, service.mode), key=lambda x: x.leg_id
                )
                if not between:
                    break  # the validator rejects this; a hand-built network may not
                legs.append(between[0])
            else:
                self._add_service(service, legs)
                covered.update((leg.leg_id, a) for leg, a in zip(legs, service.stops, strict=False))
        return covered

    def _add_service(self, service: Service, legs: list[Leg]) -> None:
        total_h = service.running_time.p50.total_seconds() / 3600
        weights = [_p50_h(leg) for leg in legs]
        whole = sum(weights) or 1.0
        cumulative = [0.0]
        for weight in weights:
            cumulative.append(cumulative[-1] + weight / whole)
        weekly = tuple(d.total_seconds() / 3600 for d in service.weekly_departures())
        valid_from = (
            hours_since_epoch(datetime.combine(service.valid_from, datetime.min.time(), UTC))
            if service.valid_from
            else -math.inf
        )
        # Block trains are loaded at their first stop; ships call at every port of their loop.
        boarding = 1 if service.mode is Mode.RAIL else len(service.stops) - 1
        for i in range(boarding):
            for j in range(i + 1, len(service.stops)):
                share = cumulative[j] - cumulative[i]
                self._add(
                    Hop(
                        index=len(self.hops),
                        origin=service.stops[i],
                        destination=service.stops[j],
                        mode=service.mode,
                        legs=tuple(legs[i:j]),
                        stops=tuple(service.stops[i : j + 1]),
                        duration_h=total_h * share,
                        service=service,
                        share=share,
                        board_offset_h=total_h * cumulative[i],
                        weekly_h=weekly,
                        cutoff_h=service.cutoff.total_seconds() / 3600,
                        valid_from_h=valid_from,
                    )
                )

    @property
    def separators(self) -> Separators:
        """The network's pendants and excursions (``domain.bounds``), computed on first use."""
        if self._separators is None:
            index = self.location_index
            ends = [
                (index[tariff.segment[0]], index[tariff.segment[1]])
                for tariffs in self.segments_from.values()
                for tariff in tariffs
                if tariff.segment is not None
                and tariff.segment[0] in index
                and tariff.segment[1] in index
            ]
            hops = [(index[h.origin], h.destination_index, h.context) for h in self.hops]
            self._separators = separators(
                len(index),
                [(a, b) for a, b, _ in hops] + ends,
                hops,
                [v for pair in ends for v in pair],
            )
        return self._separators

    def _add(self, hop: Hop) -> None:
        hop.destination_index = self.location_index[hop.destination]
        hop.countries = frozenset(self._country[s] for s in hop.stops)
        hop.corridors = frozenset(
            c
            for c in CORRIDORS
            if all(c in leg.corridors or Corridor.ACCESS in leg.corridors for leg in hop.legs)
        )
        self.hops.append(hop)
        self.hops_from[hop.origin].append(hop)
        self.hops_into[hop.destination].append(hop)

    def factor_lookup(self, factors: EmissionFactorTable) -> Callable[[Leg], EmissionFactor]:
        """``factors.factor_for``, remembered per leg."""
        found = self._factor_lookups.get(id(factors))
        if found is not None and found[0] is factors:
            return found[1]
        chosen: dict[LegId, EmissionFactor] = {}

        def lookup(leg: Leg) -> EmissionFactor:
            factor = chosen.get(leg.leg_id)
            if factor is None:
                factor = chosen[leg.leg_id] = factors.factor_for(leg)
            return factor

        self._factor_lookups[id(factors)] = (factors, lookup)
        return lookup

    # --- what happens at a location -----------------------------------------------------

    def transition(self, location: LocationId, arrived: Hop | None, leaving: Hop) -> Transition:
        """Dwell and handling at ``location`` between ``arrived`` (None at the origin) and
        ``leaving``.

        Staying on one vehicle (two any-time legs of one mode and gauge) costs only a border
        crossing, if the location has one. Changing vehicle is a transfer: port handling when a
        ferry or ship is involved, transshipment at a change of mode or gauge, terminal dwell
        otherwise, plus any border crossing. Where the location has no figure for the activity,
        the graph's default dwell for it applies (none when no default is given).
        """
        if arrived is None:
            return _NO_TRANSITION
        return self.transition_rule(location, arrived.context, leaving.entry)

    def transition_rule(
        self,
        location: LocationId,
        arrived: tuple[Mode, int | None, bool],
        leaving: tuple[Mode, int | None, bool],
    ) -> Transition:
        """``transition`` by the arriving hop's ``context`` and the leaving hop's ``entry``."""
        key = (location, arrived, leaving)
        found = self._transitions.get(key)
        if found is None:
            found = self._transitions[key] = self._rule(location, arrived, leaving)
        return found

    def arrival(self, location: LocationId, arrived: Hop) -> Transition:
        """Dwell at the destination before the cargo is available: port handling after a
        ferry or ship."""
        key = (location, arrived.mode)
        found = self._arrivals.get(key)
        if found is None:
            dwell = (
                self.network.dwell_at(location, DwellActivity.PORT_HANDLING, arrived.mode)
                or self.default_dwells.get(DwellActivity.PORT_HANDLING)
                if arrived.mode in WATER
                else None
            )
            dwells = (dwell,) if dwell else ()
            found = self._arrivals[key] = Transition(dwells, _sum_p50(dwells), False, None, False)
        return found

    def _rule(
        self,
        location: LocationId,
        arrived: tuple[Mode, int | None, bool],
        leaving: tuple[Mode, int | None, bool],
    ) -> Transition:
        in_mode, in_gauge, in_ride = arrived
        out_mode, out_gauge, out_ride = leaving
        border = self.network.dwell_at(location, DwellActivity.BORDER_CROSSING, in_mode)

        def dwell_at(location: LocationId, activity: DwellActivity, mode: Mode) -> DwellTime | None:
            return self.network.dwell_at(location, activity, mode) or self.default_dwells.get(
                activity
            )

        changes = in_mode is not out_mode or in_gauge != out_gauge
        if not (in_ride or out_ride or changes):
            kept: tuple[DwellTime, ...] = (border,) if border else ()
            return Transition(kept, _sum_p50(kept), False, None, False)
        hub: HubKind | None
        if in_mode in WATER or out_mode in WATER:
            main = dwell_at(location, DwellActivity.PORT_HANDLING, in_mode)
            hub = HubKind.CONTAINER_TERMINAL
        elif changes:
            main = dwell_at(location, DwellActivity.TRANSSHIPMENT, in_mode)
            hub = HubKind.TRANSSHIPMENT
        else:
            main = dwell_at(location, DwellActivity.TERMINAL, in_mode)
            hub = None
        dwells = tuple(d for d in (main, border) if d is not None)
        return Transition(dwells, _sum_p50(dwells), True, hub, changes)


def _sum_p50(dwells: tuple[DwellTime, ...]) -> float:
    return sum(d.duration.p50.total_seconds() for d in dwells) / 3600
