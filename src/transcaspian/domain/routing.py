"""Route planning over the corridor network: ``plan_routes`` answers "which ways, how long, how
much, how much CO2" with itineraries on actual departures (docs/routing.md).

For each corridor (middle, northern, suez) the multi-criteria search (``domain.search``) finds
the Pareto set over P50 arrival, cost and CO2e using only that corridor's legs and the access
legs every corridor shares. Each itinerary is then sampled (``domain.uncertainty``) for its P50
and P90 arrival; an option the sampled P50 shows to be dominated within its corridor is
dropped. Options are ranked by P50 arrival, then cost, then CO2e. Pure functions, no I/O.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from transcaspian.domain import emissions as glec
from transcaspian.domain.emissions import (
    Cargo,
    EmissionFactor,
    EmissionFactorTable,
    HubEmission,
    HubEmissionFactor,
    LegEmission,
    hub_emission,
    leg_emission,
)
from transcaspian.domain.errors import InvalidValueError
from transcaspian.domain.network import (
    Corridor,
    DwellActivity,
    LegId,
    LocationId,
    Mode,
    ServiceId,
    ServiceKind,
    SourceId,
)
from transcaspian.domain.pricing import PRICING_CURRENCY, TariffPrice, cheapest_price
from transcaspian.domain.search import Label, QueryCosts, SearchQuery, pareto_labels, query_costs
from transcaspian.domain.timetable import (
    CORRIDORS,
    EnRoute,
    Hop,
    RoutingGraph,
    Transition,
    hours_since_epoch,
    instant_at,
)
from transcaspian.domain.uncertainty import (
    METHOD as UNCERTAINTY_METHOD,
)
from transcaspian.domain.uncertainty import (
    PlannedStep,
    forecast_arrival,
)

__all__ = [
    "SEARCH_METHOD",
    "Charge",
    "DepartureBasis",
    "Handling",
    "Itinerary",
    "ItineraryLeg",
    "RoutePlan",
    "RouteRequest",
    "is_dominated",
    "plan_routes",
]

SEARCH_METHOD = (
    "multi-criteria label setting (A*-ordered, exact Pareto set) on the time-dependent graph "
    "of weekly-repeating departures, per corridor"
)


class DepartureBasis(StrEnum):
    TIMETABLE = "timetable"  # a published weekly departure
    FREQUENCY = "frequency"  # n departures a week, spread evenly (times not published)
    ANY_TIME = "any_time"  # a leg without a service: leaves when the cargo is ready


@dataclass(frozen=True, slots=True)
class RouteRequest:
    """What the forwarder asks. Raises InvalidValueError naming the field of a broken rule."""

    origin: LocationId
    destination: LocationId
    ready_at: datetime
    cargo: Cargo
    corridors: tuple[Corridor, ...] = CORRIDORS
    avoid_countries: frozenset[str] = frozenset()
    avoid_modes: frozenset[Mode] = frozenset()
    latest_arrival_at: datetime | None = None
    max_transfers: int | None = None
    samples: int = 1000
    seed: int = 0
    max_options_per_corridor: int = 4

    def __post_init__(self) -> None:
        # any iterable will do for the sets; keep them hashable
        object.__setattr__(self, "avoid_countries", frozenset(self.avoid_countries))
        object.__setattr__(self, "avoid_modes", frozenset(self.avoid_modes))
        if self.origin == self.destination:
            raise InvalidValueError(
                f"destination: {self.destination!r} is the origin; nothing to plan",
                field="/destination",
            )
        if self.ready_at.tzinfo is None:
            raise InvalidValueError("ready_at: needs a time zone", field="/ready_at")
        if self.latest_arrival_at is not None and self.latest_arrival_at <= self.ready_at:
            raise InvalidValueError(
                "latest_arrival_at: is not after ready_at", field="/latest_arrival_at"
            )
        if self.max_transfers is not None and self.max_transfers < 0:
            raise InvalidValueError(
                f"max_transfers: {self.max_transfers} is negative", field="/max_transfers"
            )
        if not 1 <= self.samples <= 100_000:
            raise InvalidValueError(
                f"samples: {self.samples} is outside 1..100000", field="/samples"
            )
        if not 1 <= self.max_options_per_corridor <= 50:
            raise InvalidValueError(
                f"max_options_per_corridor: {self.max_options_per_corridor} is outside 1..50",
                field="/max_options_per_corridor",
            )
        for corridor in self.corridors:
            if corridor not in CORRIDORS:
                raise InvalidValueError(
                    f"corridors: {corridor!r} is not middle, northern or suez",
                    field="/corridors",
                )


@dataclass(frozen=True, slots=True)
class Handling:
    """What happens to the cargo at a location: dwell activities, transfer, hub emissions."""

    location_id: LocationId
    activities: tuple[DwellActivity, ...]
    dwell: timedelta  # sum of the P50 dwell times
    dwell_sources: tuple[SourceId, ...]
    is_transfer: bool
    is_transshipment: bool
    hub_emission: HubEmission | None


@dataclass(frozen=True, slots=True)
class Charge:
    """A published tariff applied to the cargo."""

    scope: str  # leg | service | segment
    scope_ref: str
    tariff_id: str
    unit: str
    units: Decimal
    cost_usd: Decimal
    cost_high_usd: Decimal | None
    covers: tuple[LegId, ...]
    sources: tuple[SourceId, ...]
    valid_on: str


@dataclass(frozen=True, slots=True)
class ItineraryLeg:
    """One movement on one vehicle: a service ride (on a named departure) or an any-time leg."""

    origin: LocationId
    destination: LocationId
    mode: Mode
    leg_ids: tuple[LegId, ...]
    stops: tuple[LocationId, ...]
    service_id: ServiceId | None
    service_name: str
    operator: str
    departure_basis: DepartureBasis
    handling: Handling  # at the origin, before leaving
    ready_at: datetime  # cargo ready at the origin after handling
    departs_at: datetime
    arrives_at: datetime
    distance_km: float
    emissions: tuple[LegEmission, ...]
    co2e_kg: float  # the legs' emissions (hub emissions are in ``handling``)
    cost_usd: Decimal | None  # None: no published tariff and no through tariff covers it
    price_note: str
    corridors: frozenset[Corridor]
    miss_probability: float = 0.0  # share of samples that miss this departure
    # border crossings and gauge changes between boarding and alighting, in order; their
    # P50 is in ``arrives_at`` (unless ``included`` in a service's published running time)
    en_route: tuple[EnRoute, ...] = ()

    @property
    def border_crossings(self) -> tuple[EnRoute, ...]:
        return tuple(e for e in self.en_route if e.is_border)

    @property
    def wait(self) -> timedelta:
        """Waiting for the departure, after handling (and cut-off)."""
        return self.departs_at - self.ready_at

    @property
    def running_time(self) -> timedelta:
        return self.arrives_at - self.departs_at


@dataclass(frozen=True, slots=True)
class Itinerary:
    """One option: ordered legs on actual departures, with time, cost, CO2e and P50/P90."""

    itinerary_id: str
    corridor: Corridor | None
    origin: LocationId
    destination: LocationId
    ready_at: datetime
    legs: tuple[ItineraryLeg, ...]
    arrival_handling: Handling
    planned_arrival_at: datetime  # every duration at its P50
    p50_arrival_at: datetime  # sampled
    p90_arrival_at: datetime
    miss_probability: float
    samples: int
    seed: int
    charges: tuple[Charge, ...]
    cost_usd: Decimal  # sum of the charges; a lower bound when legs are unpriced
    cost_high_usd: Decimal
    unpriced_leg_ids: tuple[LegId, ...]
    co2e_kg: float
    hub_emissions: tuple[HubEmission, ...]
    emission_factors: tuple[EmissionFactor, ...]
    hub_emission_factors: tuple[HubEmissionFactor, ...]
    transfers: int
    transshipments: int
    rank: int = 0
    badges: tuple[str, ...] = ()

    @property
    def is_cost_complete(self) -> bool:
        return not self.unpriced_leg_ids

    @property
    def p50_transit(self) -> timedelta:
        return self.p50_arrival_at - self.ready_at

    @property
    def p90_transit(self) -> timedelta:
        return self.p90_arrival_at - self.ready_at

    @property
    def border_crossings(self) -> tuple[EnRoute, ...]:
        """Every customs border the itinerary crosses, each once, in order."""
        return tuple(e for leg in self.legs for e in leg.border_crossings)

    @property
    def via(self) -> tuple[LocationId, ...]:
        """The locations where the cargo changes vehicle, in order."""
        return tuple(leg.origin for leg in self.legs[1:] if leg.handling.is_transfer)

    @property
    def sources(self) -> tuple[SourceId, ...]:
        """Sources of the emission factors, tariffs and dwell times used."""
        found: dict[SourceId, None] = {}
        for factor in self.emission_factors:
            found.update(dict.fromkeys(factor.sources))
        for hub in self.hub_emission_factors:
            found.update(dict.fromkeys(hub.sources))
        for charge in self.charges:
            found.update(dict.fromkeys(charge.sources))
        for leg in self.legs:
            found.update(dict.fromkeys(leg.handling.dwell_sources))
            for stop in leg.en_route:
                found.update(dict.fromkeys(stop.dwell.sources))
        found.update(dict.fromkeys(self.arrival_handling.dwell_sources))
        return tuple(found)


@dataclass(frozen=True, slots=True)
class RoutePlan:
    """The answer: ranked options, the corridors with no connection, and how it was computed."""

    request: RouteRequest
    itineraries: tuple[Itinerary, ...]
    corridors_without_route: tuple[Corridor, ...]
    search_method: str = SEARCH_METHOD
    uncertainty_method: str = UNCERTAINTY_METHOD
    emission_method: str = glec.METHOD
    glec_version: str = glec.GLEC_VERSION
    currency: str = PRICING_CURRENCY
    notes: tuple[str, ...] = field(default=())


def plan_routes(
    graph: RoutingGraph, request: RouteRequest, factors: EmissionFactorTable
) -> RoutePlan:
    """Plan a request on a compiled network; raises InvalidValueError for an unknown location
    (field ``/origin`` or ``/destination``) or an avoided country at either end."""
    network = graph.network
    for name in ("origin", "destination"):
        location_id = getattr(request, name)
        if location_id not in network.locations:
            raise InvalidValueError(
                f"{name}: {location_id!r} is not a location in the corridor network",
                field=f"/{name}",
            )
        country = network.locations[location_id].country
        if country in request.avoid_countries:
            raise InvalidValueError(
                f"avoid_countries: the {name} {location_id} is in {country}",
                field="/avoid_countries",
            )
    costs = query_costs(graph, request.cargo, factors)
    ready_h = hours_since_epoch(request.ready_at)
    latest_h = (
        hours_since_epoch(request.latest_arrival_at) if request.latest_arrival_at else math.inf
    )
    found: list[Itinerary] = []
    seen: set[str] = set()
    empty: list[Corridor] = []
    for corridor in request.corridors:
        query = SearchQuery(
            origin=request.origin,
            destination=request.destination,
            ready_h=ready_h,
            cargo=request.cargo,
            corridor=corridor,
            avoid_countries=request.avoid_countries,
            avoid_modes=request.avoid_modes,
            latest_arrival_h=latest_h,
            max_transfers=request.max_transfers,
        )
        options = [
            _itinerary(label, corridor, request, costs)
            for label in pareto_labels(graph, query, costs)
        ]
        options = [o for o in options if o.itinerary_id not in seen]
        options = [o for o in options if not any(is_dominated(o, other) for other in options)]
        options = _choose(options, request.max_options_per_corridor)
        seen.update(o.itinerary_id for o in options)
        if not options:
            empty.append(corridor)
        found.extend(options)
    return RoutePlan(
        request=request,
        itineraries=_rank(found),
        corridors_without_route=tuple(empty),
        notes=_notes(found),
    )


def is_dominated(option: Itinerary, other: Itinerary) -> bool:
    """True when ``other`` is no worse on P50 arrival, cost and CO2e, and better on one."""
    no_worse = (
        other.p50_arrival_at <= option.p50_arrival_at
        and other.cost_usd <= option.cost_usd
        and other.co2e_kg <= option.co2e_kg
    )
    better = (
        other.p50_arrival_at < option.p50_arrival_at
        or other.cost_usd < option.cost_usd
        or other.co2e_kg < option.co2e_kg
    )
    return no_worse and better


# --- building an itinerary from a label --------------------------------------------------------


def _itinerary(
    done: Label, corridor: Corridor | None, request: RouteRequest, costs: QueryCosts
) -> Itinerary:
    labels = done.chain()
    moves = [label for label in labels if label.hop is not None]
    steps = [
        PlannedStep(label.hop, label.transition or _never(), label.dep_h)
        for label in moves
        if label.hop is not None
    ]
    arrival = done.transition or _never()
    signature = "|".join(f"{s.hop.index}@{s.planned_departure_h:.4f}" for s in steps)
    itinerary_id = hashlib.sha256(signature.encode()).hexdigest()[:12]
    forecast = forecast_arrival(
        hours_since_epoch(request.ready_at),
        steps,
        arrival,
        samples=request.samples,
        seed=request.seed,
        plan_key=signature,
    )
    charges, leg_prices = _charges([s.hop for s in steps], done.applied, costs)
    graph = costs.graph
    factor_for = graph.factor_lookup(costs.factors)
    legs: list[ItineraryLeg] = []
    hubs: list[HubEmission] = []
    used: dict[str, EmissionFactor] = {}
    hub_used: dict[str, HubEmissionFactor] = {}
    for k, (label, step) in enumerate(zip(moves, steps, strict=True)):
        hop = step.hop
        handling = _handling(hop.origin, step.transition, costs)
        if handling.hub_emission is not None:
            hubs.append(handling.hub_emission)
            hub_used[handling.hub_emission.factor.factor_id] = handling.hub_emission.factor
        leg_emissions = tuple(leg_emission(leg, factor_for(leg), request.cargo) for leg in hop.legs)
        for emission in leg_emissions:
            used[emission.factor.factor_id] = emission.factor
        cost, note = leg_prices[k]
        legs.append(
            ItineraryLeg(
                origin=hop.origin,
                destination=hop.destination,
                mode=hop.mode,
                leg_ids=tuple(leg.leg_id for leg in hop.legs),
                stops=hop.stops,
                service_id=hop.service.service_id if hop.service else None,
                service_name=hop.service.name if hop.service else "",
                operator=hop.service.operator if hop.service else "",
                departure_basis=_basis(hop),
                handling=handling,
                ready_at=instant_at(label.ready_h),
                departs_at=instant_at(label.dep_h),
                arrives_at=instant_at(label.dep_h + hop.duration_h),
                distance_km=hop.distance_km,
                emissions=leg_emissions,
                co2e_kg=sum(e.co2e_kg for e in leg_emissions),
                cost_usd=cost,
                price_note=note,
                corridors=hop.corridors,
                miss_probability=forecast.leg_miss_probabilities[k],
                en_route=hop.en_route,
            )
        )
    total = sum((c.cost_usd for c in charges), Decimal(0))
    high = sum(
        (c.cost_high_usd if c.cost_high_usd is not None else c.cost_usd for c in charges),
        Decimal(0),
    )
    unpriced = tuple(leg_id for leg in legs if leg.cost_usd is None for leg_id in leg.leg_ids)
    co2e = sum(leg.co2e_kg for leg in legs) + sum(h.co2e_kg for h in hubs)
    return Itinerary(
        itinerary_id=itinerary_id,
        corridor=corridor,
        origin=request.origin,
        destination=request.destination,
        ready_at=request.ready_at,
        legs=tuple(legs),
        arrival_handling=_handling(done.location, arrival, costs),
        planned_arrival_at=instant_at(done.time_h),
        p50_arrival_at=instant_at(forecast.p50_h),
        p90_arrival_at=instant_at(forecast.p90_h),
        miss_probability=forecast.miss_probability,
        samples=forecast.samples,
        seed=forecast.seed,
        charges=charges,
        cost_usd=total,
        cost_high_usd=high,
        unpriced_leg_ids=unpriced,
        co2e_kg=co2e,
        hub_emissions=tuple(hubs),
        emission_factors=tuple(used.values()),
        hub_emission_factors=tuple(hub_used.values()),
        transfers=done.transfers,
        transshipments=sum(1 for s in steps if s.transition.is_transshipment),
    )


def _never() -> Transition:
    raise AssertionError("a label after a hop always records its transition")


def _basis(hop: Hop) -> DepartureBasis:
    if hop.service is None:
        return DepartureBasis.ANY_TIME
    if hop.service.kind is ServiceKind.TIMETABLED:
        return DepartureBasis.TIMETABLE
    return DepartureBasis.FREQUENCY


def _handling(location: LocationId, transition: Transition, costs: QueryCosts) -> Handling:
    hub = None
    if transition.hub is not None and transition.hub in costs.factors.hub_factors:
        hub = hub_emission(location, costs.factors.hub_factors[transition.hub], costs.cargo)
    sources: dict[SourceId, None] = {}
    for dwell in transition.dwells:
        sources.update(dict.fromkeys(dwell.sources))
    return Handling(
        location_id=location,
        activities=tuple(d.activity for d in transition.dwells),
        dwell=timedelta(hours=transition.dwell_h),
        dwell_sources=tuple(sources),
        is_transfer=transition.is_transfer,
        is_transshipment=transition.is_transshipment,
        hub_emission=hub,
    )


def _charges(
    hops: Sequence[Hop], applied: tuple[int, ...], costs: QueryCosts
) -> tuple[tuple[Charge, ...], list[tuple[Decimal | None, str]]]:
    """Replay the pricing the search did: through tariffs cover what lies between their ends,
    a service tariff covers its ride, otherwise each leg's own tariff; a leg with none of
    these has no published tariff."""
    graph = costs.graph
    cargo = costs.cargo
    pending = list(applied)
    open_seg: int | None = None
    charges: list[Charge] = []
    prices: list[tuple[Decimal | None, str]] = []

    def at(location: LocationId) -> None:
        nonlocal open_seg
        if open_seg is not None and costs.segments[open_seg][1] == location:
            open_seg = None
        if open_seg is None and pending:
            tariff = costs.segments[pending[0]][0]
            segment = tariff.segment
            if segment is not None and segment[0] == location:
                open_seg = pending.pop(0)
                price = cheapest_price([tariff], cargo)
                assert price is not None
                charges.append(_charge(tariff.scope, tariff.scope_ref, price, ()))

    if hops:
        at(hops[0].origin)
    for hop in hops:
        if open_seg is not None:
            tariff = costs.segments[open_seg][0]
            covered_by = tariff.tariff_id
        else:
            covered_by = None
        service = hop.service
        ride = (
            cheapest_price(graph.service_tariffs.get(service.service_id, ()), cargo)
            if service is not None and covered_by is None
            else None
        )
        leg_ids = tuple(leg.leg_id for leg in hop.legs)
        if ride is not None and service is not None:
            charges.append(_charge("service", service.service_id, ride, leg_ids))
            prices.append((ride.cost, f"service tariff {ride.tariff.tariff_id}"))
            for stop in hop.stops[1:]:
                at(stop)
            continue
        total: Decimal | None = Decimal(0)
        notes: list[str] = []
        for leg, stop in zip(hop.legs, hop.stops[1:], strict=True):
            if open_seg is not None:
                notes.append(f"through tariff {costs.segments[open_seg][0].tariff_id}")
            else:
                price = cheapest_price(graph.leg_tariffs.get(leg.leg_id, ()), cargo)
                if price is None:
                    total = None
                    notes.append(f"no published tariff for {leg.leg_id}")
                else:
                    charges.append(_charge("leg", leg.leg_id, price, (leg.leg_id,)))
                    if total is not None:
                        total += price.cost
                    notes.append(f"leg tariff {price.tariff.tariff_id}")
            at(stop)
        if total is not None and notes and all(n.startswith("through") for n in notes):
            total = Decimal(0)
        prices.append((total, "; ".join(dict.fromkeys(notes))))
    return tuple(charges), prices


def _charge(scope: str, ref: str, price: TariffPrice, covers: tuple[LegId, ...]) -> Charge:
    return Charge(
        scope=scope,
        scope_ref=ref,
        tariff_id=price.tariff.tariff_id,
        unit=str(price.tariff.unit),
        units=price.units,
        cost_usd=price.cost,
        cost_high_usd=price.cost_high,
        covers=covers,
        sources=price.tariff.sources,
        valid_on=price.tariff.valid_on,
    )


# --- choosing and ranking ----------------------------------------------------------------------


def _choose(options: list[Itinerary], limit: int) -> list[Itinerary]:
    """At most ``limit`` options: the fastest, the cheapest and the lowest-CO2e first."""
    if len(options) <= limit:
        return options
    picks: dict[str, Itinerary] = {}
    for key in (
        lambda o: (o.p50_arrival_at, o.cost_usd, o.co2e_kg),
        lambda o: (o.cost_usd, o.p50_arrival_at, o.co2e_kg),
        lambda o: (o.co2e_kg, o.p50_arrival_at, o.cost_usd),
    ):
        best = min(options, key=key)
        picks.setdefault(best.itinerary_id, best)
    for option in sorted(options, key=lambda o: (o.p50_arrival_at, o.cost_usd, o.co2e_kg)):
        if len(picks) >= limit:
            break
        picks.setdefault(option.itinerary_id, option)
    return list(picks.values())[:limit]


def _rank(options: list[Itinerary]) -> tuple[Itinerary, ...]:
    """Rank by P50 arrival, then cost, then CO2e; badge the fastest, cheapest and greenest."""
    ordered = sorted(options, key=lambda o: (o.p50_arrival_at, o.cost_usd, o.co2e_kg))
    if not ordered:
        return ()
    fastest = ordered[0].itinerary_id
    priced = [o for o in ordered if o.is_cost_complete]  # a partial price is no "cheapest"
    cheapest = (
        min(priced, key=lambda o: (o.cost_usd, o.p50_arrival_at)).itinerary_id if priced else ""
    )
    greenest = min(ordered, key=lambda o: (o.co2e_kg, o.p50_arrival_at)).itinerary_id
    ranked = []
    for rank, option in enumerate(ordered, start=1):
        badges = tuple(
            name
            for name, winner in (
                ("fastest", fastest),
                ("cheapest", cheapest),
                ("lowest_co2e", greenest),
            )
            if winner == option.itinerary_id
        )
        ranked.append(replace(option, rank=rank, badges=badges))
    return tuple(ranked)


def _notes(options: list[Itinerary]) -> tuple[str, ...]:
    notes = []
    if any(not o.is_cost_complete for o in options):
        notes.append(
            "Some legs have no published tariff: their options' cost is the sum of the "
            "published tariffs only, a lower bound."
        )
    if any(leg.departure_basis is DepartureBasis.FREQUENCY for o in options for leg in o.legs):
        notes.append(
            "Frequency services have no published times: their departures are spread evenly "
            "over the week."
        )
    return tuple(notes)
