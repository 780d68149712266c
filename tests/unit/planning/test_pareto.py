"""The search returns exactly the Pareto set that enumerating every walk gives."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from transcaspian.domain.emissions import Cargo
from transcaspian.domain.network import DwellActivity, FreightUnit, LocationId, Mode
from transcaspian.domain.search import (
    Label,
    SearchQuery,
    extend,
    finish,
    pareto_labels,
    query_costs,
    start,
)
from transcaspian.domain.timetable import RoutingGraph

from .builders import dwell, factors, leg, network, service, tariff

CODES = ["KZ-AAA", "KZ-BBB", "AZ-CCC", "GE-DDD", "TR-EEE"]


@st.composite
def small_networks(draw):
    """Random networks of up to five locations: legs of three modes, some served by weekly
    or frequency services, some priced, dwell at some locations, maybe a through tariff."""
    n = draw(st.integers(3, 5))
    codes = CODES[:n]
    pairs = [(a, b) for a, b in itertools.permutations(codes, 2)]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=2, max_size=8, unique=True))
    legs = []
    for k, (a, b) in enumerate(chosen):
        mode = draw(st.sampled_from([Mode.RAIL, Mode.ROAD, Mode.FERRY]))
        gauge = draw(st.sampled_from([1520, 1435])) if mode is Mode.RAIL else None
        legs.append(
            leg(
                a,
                b,
                mode,
                hours=draw(st.integers(2, 120)),
                km=draw(st.integers(50, 3000)),
                gauge=gauge,
                leg_id=f"L{k}",
            )
        )
    services = []
    for k, x in enumerate(legs):
        if draw(st.booleans()):
            weekly = tuple(
                draw(
                    st.lists(
                        st.tuples(st.integers(0, 6), st.integers(0, 23)),
                        min_size=1,
                        max_size=3,
                        unique=True,
                    )
                )
            )
            frequency = draw(st.sampled_from([None, None, 2.0, 7.0]))
            services.append(
                service(
                    f"S{k}",
                    (x.origin, x.destination),
                    x.mode,
                    hours=draw(st.integers(2, 100)),
                    weekly=weekly,
                    frequency=frequency,
                    cutoff_h=draw(st.sampled_from([0, 6, 12])),
                )
            )
    # a two-stop service over two chained legs of one mode, when there is one
    for x, y in itertools.permutations(legs, 2):
        if x.destination == y.origin and x.mode is y.mode and x.origin != y.destination:
            if x.gauge_mm == y.gauge_mm and draw(st.booleans()):
                services.append(
                    service("THRU", (x.origin, x.destination, y.destination), x.mode, hours=30)
                )
            break
    tariffs = []
    for k, x in enumerate(legs):
        if draw(st.booleans()):
            unit = draw(st.sampled_from([FreightUnit.FEU, FreightUnit.TEU, FreightUnit.TONNE]))
            tariffs.append(tariff(f"T{k}", "leg", x.leg_id, draw(st.integers(0, 3000)), unit))
    for s in services:
        if draw(st.integers(0, 3)) == 0:
            tariffs.append(tariff(f"TS-{s.service_id}", "service", s.service_id, 500))
    if draw(st.booleans()):
        a, b = draw(st.sampled_from(pairs))
        tariffs.append(tariff("SEG", "segment", f"{a}>{b}", draw(st.integers(100, 5000))))
    dwells = []
    for code in codes:
        for activity in DwellActivity:
            if draw(st.integers(0, 3)) == 0:
                dwells.append(dwell(code, activity, draw(st.integers(1, 48))))
    return network(legs, services, tariffs, dwells)


def brute_force(graph: RoutingGraph, query: SearchQuery, costs) -> list[Label]:
    """Every walk of up to (locations + 2) hops (a walk may pass a location twice: a block
    train boards only at its first stop), each hop on its earliest feasible departure, then
    the Pareto set."""
    found: list[Label] = []
    depth = len(graph.network.locations) + 2

    def walk(label: Label, hops: int) -> None:
        if hops == depth:
            return
        for hop in graph.hops_from.get(label.location, ()):
            if not query.allows(hop):
                continue
            for new in extend(label, hop, query, costs):
                if new.location == query.destination:
                    done = finish(new, costs)
                    if done is not None:
                        found.append(done)
                else:
                    walk(new, hops + 1)

    for label in start(query, costs):
        walk(label, 0)
    return [x for x in found if not any(_beats(y, x, query) for y in found)]


def _beats(a: Label, b: Label, query: SearchQuery) -> bool:
    va, vb = _vector(a, query), _vector(b, query)
    return all(x <= y for x, y in zip(va, vb, strict=True)) and va != vb


def _vector(label: Label, query: SearchQuery) -> tuple[float, ...]:
    vector = (round(label.time_h, 6), round(label.cost, 6), round(label.co2, 6))
    if query.max_transfers is not None:
        vector = (*vector, label.transfers)
    return vector


@given(
    net=small_networks(),
    ready_h=st.floats(0, 24 * 14),
    max_transfers=st.sampled_from([None, None, 0, 1, 2]),
    avoid_road=st.booleans(),
)
def test_the_search_finds_exactly_the_pareto_set_of_all_paths(
    net, ready_h, max_transfers, avoid_road
):
    graph = RoutingGraph(net)
    codes = sorted(net.locations)
    query = SearchQuery(
        origin=LocationId(codes[0]),
        destination=LocationId(codes[-1]),
        ready_h=ready_h + 24 * 7 * 1500,
        cargo=Cargo(0, 1, 20_000),
        max_transfers=max_transfers,
        avoid_modes=frozenset({Mode.ROAD}) if avoid_road else frozenset(),
    )
    costs = query_costs(graph, query.cargo, factors())
    searched = {_vector(x, query) for x in pareto_labels(graph, query, costs)}
    expected = {_vector(x, query) for x in brute_force(graph, query, costs)}
    assert searched == expected


@given(net=small_networks(), ready_h=st.floats(0, 24 * 14))
def test_no_label_returned_is_dominated_by_another(net, ready_h):
    graph = RoutingGraph(net)
    codes = sorted(net.locations)
    query = SearchQuery(LocationId(codes[0]), LocationId(codes[-1]), ready_h, Cargo(1, 0, 8_000))
    labels = pareto_labels(graph, query, query_costs(graph, query.cargo, factors()))
    for a in labels:
        assert not any(_beats(b, a, query) for b in labels)
        assert a.time_h >= ready_h
        assert a.co2 >= 0
