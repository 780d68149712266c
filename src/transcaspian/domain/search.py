"""Multi-criteria label search on the time-dependent corridor graph (see docs/routing.md).

A label is a partial itinerary ending at a location: its P50 arrival time, cost (USD from
published tariffs), CO2e (kg WTW) and number of transfers. Labels are extended hop by hop
(``extend``); a label is dropped when another label at the same location, arriving in the same
way (mode, gauge, ride or not) and in the same through-tariff state, is no worse in every
criterion. The search is A*-like: labels come off the heap in order of arrival time plus a
lower bound of the time still needed, and a label is pruned as soon as an itinerary already
found is no worse than the label plus lower bounds of the time, cost and CO2e still to come.
The lower bounds come from three backward Dijkstra runs on the static graph (running time, cost
and CO2e of each hop; waits, dwell and hub emissions only add). Every step keeps the exact
Pareto set: ``pareto_labels`` returns the same criteria vectors as enumerating every path.

Through tariffs (scope ``segment`` FROM>TO) replace the prices of everything between FROM and
TO when the itinerary passes FROM and then TO. A label that passes FROM carries the segment as
open: its cost so far stays as ``base`` and the prices of the legs after FROM accrue on top;
reaching TO replaces them by the through rate. One segment is open at a time. The label that
does not open a segment starting at FROM records it as declined and is dropped if it reaches
TO: a through rate is not optional once the itinerary passes both ends.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

from transcaspian.domain.bounds import BackEdge, Bounds, SplitEdges, split_edges
from transcaspian.domain.emissions import (
    Cargo,
    EmissionFactorTable,
    HubKind,
    hub_emission,
    leg_emission,
)
from transcaspian.domain.network import Corridor, LocationId, Mode, Tariff
from transcaspian.domain.pricing import cheapest_price
from transcaspian.domain.timetable import Hop, RoutingGraph, Transition

_State = tuple[float, float, int, tuple[int, ...], tuple[int, ...]]

EPSILON = 1e-7  # criteria closer than this are equal: float sums along different paths

__all__ = [
    "EPSILON",
    "Label",
    "QueryCosts",
    "SearchQuery",
    "extend",
    "finish",
    "pareto_labels",
    "query_costs",
    "start",
]


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """One search: where, when (hours since EPOCH), what, and the constraints."""

    origin: LocationId
    destination: LocationId
    ready_h: float
    cargo: Cargo
    corridor: Corridor | None = None  # only hops usable by this corridor; None: every hop
    avoid_countries: frozenset[str] = frozenset()
    avoid_modes: frozenset[Mode] = frozenset()
    latest_arrival_h: float = math.inf
    max_transfers: int | None = None

    def allows(self, hop: Hop) -> bool:
        return (
            (self.corridor is None or self.corridor in hop.corridors)
            and hop.mode not in self.avoid_modes
            and not (hop.countries & self.avoid_countries)
        )


class Label:
    """A partial itinerary: the last hop and a link to the label it extends."""

    __slots__ = (
        "applied",
        "base",
        "co2",
        "cost",
        "dead",
        "declined",
        "dep_h",
        "hop",
        "location",
        "parent",
        "ready_h",
        "seg",
        "time_h",
        "transfers",
        "transition",
    )

    def __init__(
        self,
        location: LocationId,
        time_h: float,
        cost: float,
        base: float,
        co2: float,
        transfers: int,
        seg: int,
        applied: tuple[int, ...],
        declined: tuple[int, ...] = (),
        hop: Hop | None = None,
        parent: Label | None = None,
        ready_h: float = 0.0,
        dep_h: float = 0.0,
        transition: Transition | None = None,
    ):
        self.location = location
        self.time_h = time_h  # P50 arrival at location (after destination dwell, for a finish)
        self.cost = cost  # USD so far, with an open segment's legs priced one by one
        self.base = base  # USD when the open segment was opened (== cost when none is open)
        self.co2 = co2  # kg CO2e WTW so far
        self.transfers = transfers
        self.seg = seg  # index of the open through tariff in QueryCosts.segments, or -1
        self.applied = applied  # through tariffs applied, in order
        self.declined = declined  # through tariffs passed at FROM but not opened
        self.hop = hop
        self.parent = parent
        self.ready_h = ready_h  # cargo ready at the hop's origin (after dwell)
        self.dep_h = dep_h  # departure of the hop
        self.transition = transition  # what happened at the hop's origin (or at the destination)
        self.dead = False

    def chain(self) -> list[Label]:
        """The labels from the start to this one, in order (the start label included)."""
        labels: list[Label] = []
        label: Label | None = self
        while label is not None:
            labels.append(label)
            label = label.parent
        labels.reverse()
        return labels


@dataclass
class QueryCosts:
    """Cost and CO2e of hops for one cargo and one factor table, computed once and kept."""

    graph: RoutingGraph
    cargo: Cargo
    factors: EmissionFactorTable
    segments: list[tuple[Tariff, LocationId, float]] = field(default_factory=list)
    segment_modes: list[frozenset[Mode] | None] = field(default_factory=list)
    segments_from: dict[LocationId, list[int]] = field(default_factory=dict)
    _price: dict[int, tuple[float, tuple[float, ...]]] = field(default_factory=dict)
    _co2: dict[int, float] = field(default_factory=dict)
    _total: dict[int, float] = field(default_factory=dict)
    _touches: dict[int, bool] = field(default_factory=dict)
    hub_kg: dict[HubKind, float] = field(default_factory=dict)
    backward: dict[object, SplitEdges] = field(default_factory=dict)
    behaviours: dict[bool, _Behaviours] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for origin, tariffs in self.graph.segments_from.items():
            # one candidate per FROM>TO pair: the cheapest rate published for it
            by_end: dict[LocationId, list[Tariff]] = {}
            for tariff in tariffs:
                segment = tariff.segment
                if segment is not None:
                    by_end.setdefault(segment[1], []).append(tariff)
            for end, group in sorted(by_end.items()):
                price = cheapest_price(group, self.cargo)
                if price is None:
                    continue
                self.segments_from.setdefault(origin, []).append(len(self.segments))
                self.segments.append((price.tariff, end, float(price.cost)))
                self.segment_modes.append(self.graph.segment_modes.get(price.tariff.tariff_id))
        for kind, factor in self.factors.hub_factors.items():
            self.hub_kg[kind] = hub_emission(LocationId(""), factor, self.cargo).co2e_kg

    def price(self, hop: Hop) -> tuple[float, tuple[float, ...]]:
        """(lump for the ride, price per leg): a service tariff is a lump charged at boarding;
        otherwise each leg's own tariff; 0 where none is published."""
        found = self._price.get(hop.index)
        if found is None:
            graph = self.graph
            lump = 0.0
            per_leg: tuple[float, ...]
            service = hop.service
            ride = (
                cheapest_price(graph.service_tariffs.get(service.service_id, ()), self.cargo)
                if service is not None
                else None
            )
            if ride is not None:
                lump = float(ride.cost)
                per_leg = (0.0,) * len(hop.legs)
            else:
                prices = [
                    cheapest_price(graph.leg_tariffs.get(leg.leg_id, ()), self.cargo)
                    for leg in hop.legs
                ]
                per_leg = tuple(float(p.cost) if p else 0.0 for p in prices)
            found = self._price[hop.index] = (lump, per_leg)
        return found

    def total_price(self, hop: Hop) -> float:
        """Lump plus per-leg prices of the hop."""
        found = self._total.get(hop.index)
        if found is None:
            lump, per_leg = self.price(hop)
            found = self._total[hop.index] = lump + sum(per_leg)
        return found

    def touches_segment(self, hop: Hop) -> bool:
        """Whether a through tariff starts at a stop the hop reaches."""
        found = self._touches.get(hop.index)
        if found is None:
            starts = self.segments_from
            found = self._touches[hop.index] = any(s in starts for s in hop.stops[1:])
        return found

    def co2(self, hop: Hop) -> float:
        """kg CO2e WTW of the hop's legs (hubs excluded)."""
        found = self._co2.get(hop.index)
        if found is None:
            factor_for = self.graph.factor_lookup(self.factors)
            found = self._co2[hop.index] = sum(
                leg_emission(leg, factor_for(leg), self.cargo).co2e_kg for leg in hop.legs
            )
        return found


def query_costs(graph: RoutingGraph, cargo: Cargo, factors: EmissionFactorTable) -> QueryCosts:
    """The QueryCosts of this cargo and factor table, kept on the graph for later queries."""
    key = (cargo, id(factors))
    found = graph.cost_cache.get(key)
    if not isinstance(found, QueryCosts) or found.factors is not factors:
        if len(graph.cost_cache) >= 32:
            graph.cost_cache.clear()
        found = graph.cost_cache[key] = QueryCosts(graph, cargo, factors)
    return found


def start(query: SearchQuery, costs: QueryCosts) -> list[Label]:
    """The labels at the origin (one per through tariff that starts there, or one)."""
    return [
        Label(query.origin, query.ready_h, cost, base, 0.0, 0, seg, applied, declined)
        for cost, base, seg, applied, declined in _advance(
            costs, query.origin, [(0.0, 0.0, -1, (), ())]
        )
    ]


def extend(label: Label, hop: Hop, query: SearchQuery, costs: QueryCosts) -> list[Label]:
    """The labels after taking ``hop`` from ``label``'s location (empty if not allowed)."""
    if label.hop is not None and hop.service is not None and label.hop.service is hop.service:
        return []  # re-boarding the service just left is never better than staying on
    graph = costs.graph
    transition = graph.transition(label.location, label.hop, hop)
    ready = label.time_h + transition.dwell_h
    dep = hop.next_departure_h(ready)
    arrival = dep + hop.duration_h
    if arrival > query.latest_arrival_h:
        return []
    transfers = label.transfers + (1 if transition.is_transfer else 0)
    if query.max_transfers is not None and transfers > query.max_transfers:
        return []
    co2 = label.co2 + costs.co2(hop)
    if transition.hub is not None:
        co2 += costs.hub_kg.get(transition.hub, 0.0)
    if label.seg < 0 and not label.declined and not costs.touches_segment(hop):
        # no through tariff involved: one label, priced hop by hop (the common case)
        cost = label.cost + costs.total_price(hop)
        return [
            Label(
                hop.destination,
                arrival,
                cost,
                cost,
                co2,
                transfers,
                -1,
                label.applied,
                (),
                hop,
                label,
                ready,
                dep,
                transition,
            )
        ]
    lump, per_leg = costs.price(hop)
    seg, declined = label.seg, label.declined
    if seg >= 0 or declined:
        fitted = _fit_modes(costs, hop.mode, seg, declined)
        if fitted is None:
            return []
        seg, declined = fitted
    base = label.base if seg >= 0 else label.cost
    states = [(label.cost + lump, base + lump if seg < 0 else base, seg,
               label.applied, declined)]  # fmt: skip
    for k, leg_price in enumerate(per_leg):
        if leg_price:
            states = [
                (cost + leg_price, base + leg_price if seg < 0 else base, seg, app, dec)
                for cost, base, seg, app, dec in states
            ]
        states = _advance(costs, hop.stops[k + 1], states)

    def make(state: _State) -> Label:
        cost, base, seg, applied, declined = state
        return Label(
            hop.destination, arrival, cost, base, co2, transfers, seg, applied, declined,
            hop, label, ready, dep, transition,
        )  # fmt: skip

    return [make(state) for state in states]


def finish(label: Label, costs: QueryCosts) -> Label | None:
    """The label at the destination once the cargo is available (port handling after a ship)."""
    assert label.hop is not None
    if label.seg >= 0 and any(d < 0 for d in label.declined):
        return None  # a through rate owed to the open one that never closed
    arrival = costs.graph.arrival(label.location, label.hop)
    done = Label(
        label.location, label.time_h + arrival.dwell_h, label.cost, label.cost, label.co2,
        label.transfers, -1, label.applied, (), None, label, label.time_h, label.time_h, arrival,
    )  # fmt: skip
    return done


def pareto_labels(graph: RoutingGraph, query: SearchQuery, costs: QueryCosts) -> list[Label]:
    """The finished labels whose (arrival, cost, CO2e) no other itinerary beats in all three
    (with transfers as a fourth criterion when ``max_transfers`` is set). Sorted by arrival.
    Criteria closer than ``EPSILON`` count as equal (sums of floats along different paths)."""
    if query.origin == query.destination:
        return []
    structure = graph.separators
    index = graph.location_index
    target = index[query.destination]
    bounds = Bounds(structure, _static_bounds(graph, query, costs), target)
    lb_time, lb_cost, lb_co2, fill = bounds.time, bounds.cost, bounds.co2, bounds.fill
    with_transfers = query.max_transfers is not None
    behaviour = _behaviours(costs, with_transfers)
    targets: list[Label] = []
    bags: dict[tuple[object, ...], list[Label]] = {}
    heap: list[tuple[float, int, Label]] = []
    counter = 0
    here_index = index[query.origin]
    origin_bound = lb_time[here_index]
    if origin_bound is None:
        origin_bound = fill(here_index)
    if origin_bound < math.inf:
        for label in start(query, costs):
            heap.append((label.time_h + origin_bound, counter, label))
            counter += 1
    eps = EPSILON

    def dominated_by_target(label: Label, t_lb: float, c_lb: float, e_lb: float) -> bool:
        for done in targets:
            if (
                done.time_h <= t_lb + eps
                and done.cost <= c_lb + eps
                and done.co2 <= e_lb + eps
                and (not with_transfers or done.transfers <= label.transfers)
            ):
                return True
        return False

    def cost_bound(label: Label, ahead: float) -> float:
        if label.seg >= 0:
            return min(label.cost + ahead, label.base + costs.segments[label.seg][2])
        return label.cost + ahead

    destination = query.destination
    allows = query.allows
    hops_from = graph.hops_from
    sides = structure.sides
    target_disc = structure.disc[target]
    while heap:
        _, _, label = heapq.heappop(heap)
        if label.dead:
            continue
        here = label.location
        here_index = index[here]
        if targets and dominated_by_target(
            label,
            label.time_h + lb_time[here_index],  # type: ignore[operator]
            cost_bound(label, lb_cost[here_index]),  # type: ignore[arg-type]
            label.co2 + lb_co2[here_index],  # type: ignore[operator]
        ):
            continue
        plain = label.seg < 0 and not label.declined
        arrived = label.hop.context if label.hop is not None else None
        for hop in hops_from.get(here, ()):
            there_index = hop.destination_index
            t_ahead = lb_time[there_index]
            if t_ahead is None:
                t_ahead = fill(there_index)
            if t_ahead == math.inf or not allows(hop):
                continue
            side = sides[hop.index]
            if plain and side is not None:
                inside, spans, back = side
                held = False
                for lo, hi in spans:
                    if lo <= target_disc < hi:
                        held = True
                if held is not inside and behaviour.covers(here, arrived, back):
                    continue  # an excursion: it can only come back here, later and dearer
            c_ahead: float = lb_cost[there_index]  # type: ignore[assignment]
            e_ahead: float = lb_co2[there_index]  # type: ignore[assignment]
            if (
                targets
                and plain
                and dominated_by_target(
                    label,
                    label.time_h + hop.duration_h + hop.cutoff_h + t_ahead,
                    label.cost + costs.total_price(hop) + c_ahead,
                    label.co2 + costs.co2(hop) + e_ahead,
                )
            ):
                continue  # even without waiting an itinerary found already is no worse
            there = hop.destination
            for new in extend(label, hop, query, costs):
                if there == destination:
                    done = finish(new, costs)
                    if done is not None:
                        _add_target(targets, done, with_transfers)
                    continue
                t_lb = new.time_h + t_ahead
                if targets and dominated_by_target(
                    new, t_lb, cost_bound(new, c_ahead), new.co2 + e_ahead
                ):
                    continue
                key = (there, behaviour.of(there, hop.context), new.seg, new.declined)
                bag = bags.get(key)
                if bag is None:
                    bags[key] = [new]
                elif not _insert(bag, new, with_transfers):
                    continue
                heapq.heappush(heap, (t_lb, counter, new))
                counter += 1
    targets.sort(key=lambda x: (x.time_h, x.cost, x.co2))
    return targets


# --- helpers ---------------------------------------------------------------------------------


def _advance(costs: QueryCosts, location: LocationId, states: list[_State]) -> list[_State]:
    """At a location: drop states that declined a through tariff ending here, close the open
    one ending here, and branch on those starting here (each opened, or all declined)."""
    starting = costs.segments_from.get(location)
    if not starting and not any(s[2] >= 0 or s[4] for s in states):
        return states
    segments = costs.segments
    out: list[_State] = []
    for state in states:
        cost, base, seg, applied, declined = state
        if declined and any(d >= 0 and segments[d][1] == location for d in declined):
            if seg < 0:
                continue  # passed FROM and TO of a through rate without applying it
            # the open through rate may cover this stretch: the declined one is owed (~d)
            # until it closes; if it never does, the label is dropped
            declined = tuple(~d if d >= 0 and segments[d][1] == location else d for d in declined)
        if seg >= 0 and segments[seg][1] == location:
            cost = base = base + segments[seg][2]
            applied, seg = (*applied, seg), -1
            declined = tuple(d for d in declined if d >= 0)
        if seg < 0 and starting:
            # opening one through rate declines the others starting here
            for index in starting:
                others = tuple(sorted({*declined, *starting} - {index}))
                out.append((cost, base, index, applied, others))
            out.append((cost, base, -1, applied, tuple(sorted({*declined, *starting}))))
        else:
            out.append((cost, base, seg, applied, declined))
    return out


def _fit_modes(
    costs: QueryCosts, mode: Mode, seg: int, declined: tuple[int, ...]
) -> tuple[int, tuple[int, ...]] | None:
    """A through rate priced for some modes stops applying (open) or binding (declined) once
    the itinerary takes a hop of another mode: a sea rate does not price a rail journey.
    None when the open rate stops applying while a declined one is owed to it."""
    modes = costs.segment_modes
    if seg >= 0:
        allowed = modes[seg]
        if allowed is not None and mode not in allowed:
            if any(d < 0 for d in declined):
                return None
            seg = -1
    if declined:
        kept = []
        for d in declined:
            allowed = modes[d] if d >= 0 else None
            if allowed is None or mode in allowed:
                kept.append(d)
        declined = tuple(kept)
    return seg, declined


def _dominates(a: Label, b: Label, with_transfers: bool) -> bool:
    return (
        a.time_h <= b.time_h + EPSILON
        and a.cost <= b.cost + EPSILON
        and a.base <= b.base + EPSILON
        and a.co2 <= b.co2 + EPSILON
        and (not with_transfers or a.transfers <= b.transfers)
    )


def _insert(bag: list[Label], new: Label, with_transfers: bool) -> bool:
    """Add ``new`` unless a label in the bag is no worse; drop the labels it beats."""
    for old in bag:
        if _dominates(old, new, with_transfers):
            return False
    keep = []
    for old in bag:
        if _dominates(new, old, with_transfers):
            old.dead = True
        else:
            keep.append(old)
    keep.append(new)
    bag[:] = keep
    return True


def _add_target(targets: list[Label], new: Label, with_transfers: bool) -> None:
    for old in targets:
        if (
            old.time_h <= new.time_h + EPSILON
            and old.cost <= new.cost + EPSILON
            and old.co2 <= new.co2 + EPSILON
            and (not with_transfers or old.transfers <= new.transfers)
        ):
            return
    targets[:] = [
        old
        for old in targets
        if not (
            new.time_h <= old.time_h + EPSILON
            and new.cost <= old.cost + EPSILON
            and new.co2 <= old.co2 + EPSILON
            and (not with_transfers or new.transfers <= old.transfers)
        )
    ]
    targets.append(new)


def _static_bounds(graph: RoutingGraph, query: SearchQuery, costs: QueryCosts) -> SplitEdges:
    """The backward graph of the hops the query allows (running time plus cut-off, cost and
    CO2e of each hop; waits, dwell and hub emissions only add) and the bounds inside each
    pendant to its gate; kept per corridor and avoided countries and modes."""
    key = (query.corridor, query.avoid_countries, query.avoid_modes)
    found = costs.backward.get(key)
    if found is None:
        found = costs.backward[key] = split_edges(
            graph.separators, _backward_edges(graph, query, costs)
        )
    return found


def _backward_edges(
    graph: RoutingGraph, query: SearchQuery, costs: QueryCosts
) -> list[list[BackEdge]]:
    index = graph.location_index
    edges: list[list[BackEdge]] = [[] for _ in index]
    for hop in graph.hops:
        if query.allows(hop):
            # a ride leaves no earlier than the cut-off after the cargo is ready
            edges[hop.destination_index].append(
                (
                    index[hop.origin],
                    hop.duration_h + hop.cutoff_h,
                    costs.total_price(hop),
                    costs.co2(hop),
                )
            )
    for tariff, to, price in costs.segments:
        segment = tariff.segment
        assert segment is not None
        if to in index and segment[0] in index:
            # A through rate may stand for everything between its ends (cost bound only).
            edges[index[to]].append((index[segment[0]], math.inf, price, math.inf))
    return edges


class _Behaviours:
    """How a location treats cargo by the way it arrived (mode, gauge, ride): the dwell, hub
    CO2e and (when counted) transfer of leaving on each kind of hop from there. Arrivals that
    behave alike share a bag; ``covers`` says one arrival is no worse than others for leaving."""

    def __init__(self, costs: QueryCosts, with_transfers: bool):
        self._costs = costs
        self._with_transfers = with_transfers
        self._of: dict[tuple[LocationId, object], tuple[tuple[float, float, int], ...]] = {}
        self._covers: dict[tuple[LocationId, object, object], bool] = {}

    def of(
        self, location: LocationId, arrived: tuple[Mode, int | None, bool] | None
    ) -> tuple[tuple[float, float, int], ...]:
        key = (location, arrived)
        found = self._of.get(key)
        if found is None:
            graph = self._costs.graph
            hub_kg = self._costs.hub_kg
            entries = sorted({hop.entry for hop in graph.hops_from.get(location, ())}, key=repr)
            vector = []
            for entry in entries:
                if arrived is None:
                    vector.append((0.0, 0.0, 0))
                    continue
                rule = graph.transition_rule(location, arrived, entry)
                vector.append(
                    (
                        rule.dwell_h,
                        hub_kg.get(rule.hub, 0.0) if rule.hub is not None else 0.0,
                        int(rule.is_transfer) if self._with_transfers else 0,
                    )
                )
            found = self._of[key] = tuple(vector)
        return found

    def covers(
        self,
        location: LocationId,
        arrived: tuple[Mode, int | None, bool] | None,
        others: frozenset[tuple[object, ...]],
    ) -> bool:
        key = (location, arrived, others)
        found = self._covers.get(key)
        if found is None:
            mine = self.of(location, arrived)
            found = all(
                all(
                    a <= b
                    for x, y in zip(mine, self.of(location, other), strict=True)  # type: ignore[arg-type]
                    for a, b in zip(x, y, strict=True)
                )
                for other in others
            )
            self._covers[key] = found
        return found


def _behaviours(costs: QueryCosts, with_transfers: bool) -> _Behaviours:
    found = costs.behaviours.get(with_transfers)
    if found is None:
        found = costs.behaviours[with_transfers] = _Behaviours(costs, with_transfers)
    return found
