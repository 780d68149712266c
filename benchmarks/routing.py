"""Route planner benchmark: ``uv run python benchmarks/routing.py [--queries N]``.

Prints, for the bundled corridor network and for a seeded synthetic network of 5,000
terminals and over 100,000 timetabled connections a week (benchmarks/corridor_generator.py):

- the multi-criteria search (exact Pareto set on P50 arrival, cost, CO2e; lower bounds
  included): p50 / p95 latency and queries per second, in process, one core; the structure
  built once per network (pendants, backward graph, bounds inside pendants) is timed apart;
- on the bundled network also the whole plan (three corridors, Monte Carlo 1,000 samples);
- on the synthetic network the same queries on a baseline: the time-expanded graph of the
  same departures (three weeks) solved with networkx's Dijkstra for the earliest arrival
  only, its latency, and the ratio of the two p50s. The earliest arrival of both is
  compared (the synthetic network has no dwell figures, so they should agree).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import resource
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

import networkx as nx

sys.path.insert(0, str(Path(__file__).parent))

from corridor_generator import connections_per_week, generate_network
from transcaspian.data.loader import read_dataset
from transcaspian.data.planning_tables import read_emission_factors
from transcaspian.domain.emissions import (
    ActivityUnit,
    Cargo,
    EmissionFactor,
    EmissionFactorTable,
)
from transcaspian.domain.network import CorridorNetwork, Mode, SourceId
from transcaspian.domain.search import SearchQuery, pareto_labels, query_costs
from transcaspian.domain.timetable import WEEK_H, RoutingGraph, hours_since_epoch
from transcaspian.services.planning import (
    CargoSpec,
    compile_network,
    plan_itineraries,
)
from transcaspian.settings import BUNDLED_DATASET

CARGO = Cargo(0, 1, 20_000)
HORIZON_WEEKS = 3
T = TypeVar("T")
R = TypeVar("R")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200, help="queries per network")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, one process, {args.queries} queries per network\n")
    bundled(args.queries, args.seed)
    synthetic(args.queries, args.seed)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS): {peak_mb:,.0f} MB")


# --- bundled network ---------------------------------------------------------------------------


def bundled(count: int, seed: int) -> None:
    network = read_dataset(BUNDLED_DATASET)
    graph = compile_network(network)
    factors = read_emission_factors(network)
    rng = random.Random(seed)
    pairs = [("CNXIA", "DEDUI"), ("CNHRS", "ROCND"), ("KZAAU", "GEPTI"), ("CNSHA", "NLRTM")]
    ready = [date(2027, 1, 4).toordinal() + rng.randrange(0, 120) for _ in range(count)]
    queries = [(pairs[i % len(pairs)], date.fromordinal(ready[i])) for i in range(count)]
    print(
        f"bundled network: {len(network.locations)} locations, {len(network.legs)} legs, "
        f"{len(network.services)} services, {len(graph.hops)} hops"
    )
    costs = query_costs(graph, CARGO, factors)

    def search(item: tuple[tuple[str, str], date]) -> object:
        (origin, destination), day = item
        ready_h = hours_since_epoch_day(day)
        return [
            pareto_labels(
                graph,
                SearchQuery(origin, destination, ready_h, CARGO, corridor=corridor),
                costs,
            )
            for corridor in ("middle", "northern", "suez")
        ]

    def plan(item: tuple[tuple[str, str], date]) -> object:
        (origin, destination), day = item
        return plan_itineraries(
            network,
            origin=origin,
            destination=destination,
            ready_on=day,
            cargo=CargoSpec(0, 1, 20),
            graph=graph,
            factors=factors,
        )

    report("  multi-criteria search, 3 corridors", _time(search, queries))
    report("  whole plan (search + 1,000-sample Monte Carlo)", _time(plan, queries[: count // 4]))


def hours_since_epoch_day(day: date) -> float:
    from datetime import UTC, datetime, time

    return hours_since_epoch(datetime.combine(day, time(0), UTC))


# --- synthetic network -------------------------------------------------------------------------


def synthetic(count: int, seed: int) -> None:
    started = time.perf_counter()
    network = generate_network()
    graph = RoutingGraph(network)
    built = time.perf_counter() - started
    print(
        f"\nsynthetic network: {len(network.locations)} terminals, "
        f"{connections_per_week(network):,} timetabled connections a week, "
        f"{len(graph.hops):,} hops (generated and compiled in {built:.1f} s)"
    )
    factors = _synthetic_factors()
    costs = query_costs(graph, CARGO, factors)
    rng = random.Random(seed)
    codes = sorted(network.locations)
    base_h = 1400 * WEEK_H  # a Monday in 2027
    queries = [
        SearchQuery(*rng.sample(codes, 2), base_h + rng.uniform(0, 48), CARGO)  # type: ignore[misc]
        for _ in range(count)
    ]
    started = time.perf_counter()
    pareto_labels(graph, queries[0], costs)  # builds the per-network structure, kept on the graph
    print(
        f"  once per network: pendants, backward graph, bounds inside pendants "
        f"(with the first query): {time.perf_counter() - started:.2f} s"
    )
    ours = _time(lambda q: pareto_labels(graph, q, costs), queries)
    report("  multi-criteria search (ours)", ours)
    sizes = [len(r) for r in ours[1]]
    print(f"    Pareto options per query: median {statistics.median(sizes)}, max {max(sizes)}")

    started = time.perf_counter()
    baseline = TimeExpandedBaseline(network, graph, base_h, HORIZON_WEEKS)
    print(
        f"  baseline graph: {baseline.graph.number_of_nodes():,} nodes, "
        f"{baseline.graph.number_of_edges():,} edges over {HORIZON_WEEKS} weeks "
        f"(built in {time.perf_counter() - started:.1f} s)"
    )
    theirs = _time(baseline.earliest_arrival, queries)
    report("  networkx Dijkstra on the time-expanded graph (earliest arrival only)", theirs)
    print(
        f"  ratio of p50 latencies (baseline / ours): "
        f"{statistics.median(theirs[0]) / statistics.median(ours[0]):.1f}x"
    )
    agree = found = 0
    for labels, arrival in zip(ours[1], theirs[1], strict=True):
        if arrival is None or not labels:
            continue
        found += 1
        fastest = min(label.time_h for label in labels)
        agree += abs(fastest - arrival) < 1e-6 or arrival > fastest  # type: ignore[operator]
    print(
        f"  earliest arrival: ours no later than the baseline's in {agree} of {found} queries "
        "both answered (the baseline waits for the next event after each truck leg)"
    )


class TimeExpandedBaseline:
    """The weekly departures of every ride hop over a horizon as a time-expanded graph: one
    node per departure and arrival event at each location, waiting edges between a location's
    events, ride edges, truck (any-time) edges to the next event at the far end, and a sink per
    location that every event there (and every truck arriving there) reaches."""

    def __init__(
        self, network: CorridorNetwork, graph: RoutingGraph, base_h: float, weeks: int
    ) -> None:
        self.graph = nx.DiGraph()
        events: dict[str, set[float]] = defaultdict(set)
        rides: list[tuple[str, float, str, float]] = []
        end_h = base_h + weeks * WEEK_H
        anytime = [h for h in graph.hops if h.service is None]
        for hop in graph.hops:
            if hop.service is None:
                continue
            t = hop.next_departure_h(base_h - hop.cutoff_h)
            while t < end_h:
                board = t - hop.cutoff_h
                arrive = t + hop.duration_h
                events[hop.origin].add(board)
                events[hop.destination].add(arrive)
                rides.append((hop.origin, board, hop.destination, arrive))
                t = hop.next_departure_h(t - hop.cutoff_h + 1e-6)
        self.times: dict[str, list[float]] = {k: sorted(v) for k, v in events.items()}
        g = self.graph
        for location, times in self.times.items():
            for a, b in itertools.pairwise(times):
                g.add_edge((location, a), (location, b), weight=b - a)
            for t in times:
                g.add_edge((location, t), ("sink", location), weight=0.0)
        for origin, board, destination, arrive in rides:
            g.add_edge((origin, board), (destination, arrive), weight=arrive - board)
        for hop in anytime:
            far = self.times.get(hop.destination, [])
            for t in self.times.get(hop.origin, []):
                g.add_edge((hop.origin, t), ("sink", hop.destination), weight=hop.duration_h)
                index = bisect.bisect_left(far, t + hop.duration_h)
                if index < len(far):
                    g.add_edge(
                        (hop.origin, t), (hop.destination, far[index]), weight=far[index] - t
                    )
        self.anytime = defaultdict(list)
        for hop in anytime:
            self.anytime[hop.origin].append(hop)

    def earliest_arrival(self, query: SearchQuery) -> float | None:
        """Hours since EPOCH, or None when the destination is not reached within the horizon."""
        g = self.graph
        source = ("source", query.origin)
        times = self.times.get(query.origin, [])
        index = bisect.bisect_left(times, query.ready_h)
        added = [source]
        if index < len(times):
            g.add_edge(source, (query.origin, times[index]), weight=times[index] - query.ready_h)
        for hop in self.anytime.get(query.origin, ()):
            g.add_edge(source, ("sink", hop.destination), weight=hop.duration_h)
            far = self.times.get(hop.destination, [])
            at = bisect.bisect_left(far, query.ready_h + hop.duration_h)
            if at < len(far):
                g.add_edge(source, (hop.destination, far[at]), weight=far[at] - query.ready_h)
        try:
            length = nx.dijkstra_path_length(g, source, ("sink", query.destination))
            return query.ready_h + length
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return None
        finally:
            g.remove_nodes_from(added)


def _synthetic_factors() -> EmissionFactorTable:
    src = (SourceId("synthetic"),)

    def factor(mode: Mode, value: float) -> EmissionFactor:
        return EmissionFactor(
            str(mode), mode, ActivityUnit.TONNE_KM, value, src, "3.0", "synthetic", str(mode)
        )

    return EmissionFactorTable.of(
        [factor(Mode.RAIL, 27.6), factor(Mode.ROAD, 95.0), factor(Mode.FERRY, 268.8)], []
    )


# --- timing ------------------------------------------------------------------------------------


def _time(run: Callable[[T], R], items: list[T]) -> tuple[list[float], list[R]]:
    run(items[0])  # warm the caches (lower-bound edges, prices) as a running server has them
    seconds: list[float] = []
    results: list[R] = []
    for item in items:
        started = time.perf_counter()
        results.append(run(item))
        seconds.append(time.perf_counter() - started)
    return seconds, results


def report(title: str, timed: tuple[list[float], list[object]]) -> None:
    seconds = sorted(timed[0])
    p50 = statistics.median(seconds) * 1000
    p95 = seconds[min(len(seconds) - 1, int(0.95 * len(seconds)))] * 1000
    qps = len(seconds) / sum(seconds)
    print(f"{title}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, {qps:.1f} queries/s (n={len(seconds)})")


if __name__ == "__main__":
    main()
