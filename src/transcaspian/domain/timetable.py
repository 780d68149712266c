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
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from transcaspian.domain.borders import BorderCrossingTime, BorderRules
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
    "EnRoute",
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


@dataclass(frozen=True, slots=True)
class EnRoute:
    """Time spent on a hop between boarding and alighting: a border crossing (``crossing``
    set: entering ``to_territory`` from ``from_territory``) or a gauge change, paid at
    ``dwell.location_id``. ``included``: the service's published running time already holds
    it, so it adds nothing to the hop's duration."""

    dwell: DwellTime
    crossing: BorderCrossingTime | None = None
    from_territory: str = ""
    to_territory: str = ""
    included: bool = False

    @property
    def is_border(self) -> bool:
        return self.crossing is not None

    @property
    def added_h(self) -> float:
        return 0.0 if self.included else self.dwell.duration.p50.total_seconds() / 3600


@dataclass(slots=True, eq=False)
class Hop:
    """One movement on one vehicle from ``origin`` to ``destination`` (see the module doc)."""

    index: int
    origin: LocationId
    destination: LocationId
    mode: Mode
    legs: tuple[Leg, ...]
    stops: tuple[LocationId, ...]  # origin, any stops passed, destination
    duration_h: float  # P50 running time, with the P50 of the en-route times it adds
    service: Service | None = None
    share: float = 1.0  # this ride's fraction of the service's running time
    board_offset_h: float = 0.0  # service departure at its first stop -> departure here
    weekly_h: tuple[float, ...] = ()  # service departures at the first stop, hours into the week
    cutoff_h: float = 0.0
    valid_from_h: float = -math.inf
    en_route: tuple[EnRoute, ...] = ()  # border crossings and gauge changes on the way
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
        borders: BorderRules | None = None,
    ):
        self.network = network
        # customs territories and crossing times; without them no move crosses a border
        self.borders = borders or BorderRules()
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
        # (from territory, to territory, mode) of crossings without a figure in the data
        self.missing_crossings: set[tuple[str, str, Mode]] = set()
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
                en_route = self._borders(origin, destination, leg.mode, included=False, leg=leg)
                self._add(
                    Hop(
                        index=len(self.hops),
                        origin=origin,
                        destination=destination,
                        mode=leg.mode,
                        legs=(leg,),
                        stops=(origin, destination),
                        duration_h=_p50_h(leg) + sum(e.added_h for e in en_route),
                        en_route=en_route,
                    )
                )

    def _borders(
        self,
        origin: LocationId,
        destination: LocationId,
        mode: Mode,
        *,
        included: bool,
        leg: Leg | None = None,
    ) -> tuple[EnRoute, ...]:
        """The border crossings of a move from ``origin`` to ``destination`` (none inside one
        customs territory), through the countries ``leg`` passes without a stop, each paid on
        entering, recorded at ``destination``. A crossing without a figure in the data costs
        nothing and is listed in ``missing_crossings``."""
        rules = self.borders
        passed = rules.transit.get(leg.leg_id, ()) if leg is not None else ()
        if leg is not None and origin != leg.origin:
            passed = passed[::-1]
        countries = (self._country[origin], *passed, self._country[destination])
        found: list[EnRoute] = []
        for a, b in pairwise(countries):
            if not rules.crosses(a, b):
                continue
            crossing = rules.crossing(a, b, mode)
            if crossing is None:
                self.missing_crossings.add((rules.territory(a), rules.territory(b), mode))
                continue
            dwell = DwellTime(
                location_id=destination,
                activity=DwellActivity.BORDER_CROSSING,
                duration=crossing.duration,
                sources=crossing.sources,
                mode=mode,
                note=crossing.note,
            )
            found.append(EnRoute(dwell, crossing, rules.territory(a), rules.territory(b), included))
        return tuple(found)

    def _gauge_change(self, location: LocationId, mode: Mode, *, included: bool) -> EnRoute | None:
        """A change of gauge at ``location`` inside a service (transshipment or bogie
        exchange): the location's figure, else the default transshipment dwell (None when
        the graph has neither)."""
        dwell = self.network.dwell_at(location, DwellActivity.TRANSSHIPMENT, mode)
        if dwell is None:
            default = self.default_dwells.get(DwellActivity.TRANSSHIPMENT)
            if default is None:
                return None
            dwell = replace(default, location_id=location)
        return EnRoute(dwell, included=included)

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
        """The service's rides. Each ride's timeline holds the border crossings and gauge
        changes between its boarding and alighting stops: a train stands at a border (and at a
        gauge change) on its way, so later stops are reached later. Cargo on a ship stays on
        board at intermediate calls: a water ride crosses one border at most, from the
        boarding port's territory into the alighting port's, cleared on discharge."""
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
        stops = service.stops
        included = service.service_id in self.borders.included_services
        water = service.mode in WATER
        on_leg: list[tuple[EnRoute, ...]] = [
            () if water else self._borders(a, b, service.mode, included=included, leg=leg)
            for (a, b), leg in zip(pairwise(stops), legs, strict=False)
        ]
        at_stop: list[EnRoute | None] = [None] * len(stops)
        for k in range(1, len(legs)):
            before, after = legs[k - 1].gauge_mm, legs[k].gauge_mm
            if before is not None and after is not None and before != after:
                at_stop[k] = self._gauge_change(stops[k], service.mode, included=included)
        arrive = [0.0] * len(stops)  # after the first departure, P50
        leave = [0.0] * len(stops)
        for k in range(1, len(stops)):
            arrive[k] = leave[k - 1] + total_h * (cumulative[k] - cumulative[k - 1])
            arrive[k] += sum(e.added_h for e in on_leg[k - 1])
            change = at_stop[k]
            leave[k] = arrive[k] + (change.added_h if change else 0.0)
        # Block trains are loaded at their first stop; ships call at every port of their loop.
        boarding = 1 if service.mode is Mode.RAIL else len(stops) - 1
        for i in range(boarding):
            for j in range(i + 1, len(stops)):
                share = cumulative[j] - cumulative[i]
                en_route: list[EnRoute] = []
                for k in range(i, j):
                    change = at_stop[k] if k > i else None
                    if change is not None:
                        en_route.append(change)
                    en_route.extend(on_leg[k])
                duration = arrive[j] - leave[i]
                if water:
                    borders = self._borders(stops[i], stops[j], service.mode, included=included)
                    en_route.extend(borders)
                    duration += sum(e.added_h for e in borders)
                self._add(
                    Hop(
                        index=len(self.hops),
                        origin=stops[i],
                        destination=stops[j],
                        mode=service.mode,
                        legs=tuple(legs[i:j]),
                        stops=tuple(stops[i : j + 1]),
                        duration_h=duration,
                        service=service,
                        share=share,
                        board_offset_h=leave[i],
                        weekly_h=weekly,
                        cutoff_h=service.cutoff.total_seconds() / 3600,
                        valid_from_h=valid_from,
                        en_route=tuple(en_route),
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

        Staying on one vehicle (two any-time legs of one mode and gauge) costs nothing.
        Changing vehicle is a transfer: port handling when a ferry or ship is involved,
        transshipment at a change of mode or gauge, terminal dwell otherwise. Border crossings
        are not paid at a location but on the hop that crosses (``Hop.en_route``). Where the
        location has no figure for the activity, the graph's default dwell for it applies
        (none when no default is given).
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

        def dwell_at(location: LocationId, activity: DwellActivity, mode: Mode) -> DwellTime | None:
            return self.network.dwell_at(location, activity, mode) or self.default_dwells.get(
                activity
            )

        changes = in_mode is not out_mode or in_gauge != out_gauge
        if not (in_ride or out_ride or changes):
            return _NO_TRANSITION  # staying on one vehicle
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
        dwells = (main,) if main is not None else ()
        return Transition(dwells, _sum_p50(dwells), True, hub, changes)


def _sum_p50(dwells: tuple[DwellTime, ...]) -> float:
    return sum(d.duration.p50.total_seconds() for d in dwells) / 3600
