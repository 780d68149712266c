"""Static structure the planner's search uses to stay near the answer: the parts of the network
that hang off a single location (*pendants*), and lower bounds of time, cost and CO2e to a
destination (see docs/routing.md, "Pruning").

A pendant is a part of the network joined to the rest only through one location, its *gate*:
the terminals of a region around their hub, a port behind one rail junction. Gates are the
articulation points of the network seen as an undirected graph (a through tariff's two ends
count as linked, so no tariff jumps over a gate). Two exact facts follow:

- Every way from inside a pendant to a destination outside it passes the gate. So a pendant
  that does not hold the destination needs no per-query work: its lower bounds are the bounds
  inside it to the gate (computed once per network, cargo and filter) plus the gate's bound,
  and the per-query backward Dijkstra runs on the rest only.
- A hop from a gate into a part of the network that does not hold the destination is an
  *excursion*: the cargo can only come back to the gate, later, having paid and emitted more.
  When the way the cargo stands at the gate is no worse for leaving it than any way of coming
  back from that part (dwell, hub emissions, transfers), the excursion is never on a Pareto
  option and the search does not take it (``Separators.excursion``).

Pure functions and plain lists indexed like ``RoutingGraph.location_index``.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "BackEdge",
    "Bounds",
    "Separators",
    "SplitEdges",
    "pendant_distances",
    "separators",
    "split_edges",
]

# (mode, gauge, is a ride) of the hops by which the cargo can come back to a gate
Contexts = frozenset[tuple[object, ...]]
# one hop of the backward graph: (origin index, time h, cost USD, CO2e kg)
BackEdge = tuple[int, float, float, float]


@dataclass(frozen=True, slots=True)
class Separators:
    """Pendants and excursions of one network, by location index (DFS preorder ``disc``).

    ``top[v]`` is the outermost pendant holding v as (first disc, end disc, gate), or None;
    pendants larger than half the network are not used, so the big middle is never one.
    ``sides[hop_index]`` says which part of the network a hop from a gate leads into:
    ``(True, ((lo, hi),), contexts)`` the pendant with discs lo..hi-1, ``(False, spans,
    contexts)`` everything but the gate and the pendants ``spans``; None when the hop leaves
    no gate (or the part holds a through tariff's end). ``contexts`` are the ways back.
    """

    disc: list[int]
    top: list[tuple[int, int, int] | None]
    sides: list[tuple[bool, tuple[tuple[int, int], ...], Contexts] | None]

    def excursion(self, hop_index: int, destination: int) -> Contexts | None:
        """The ways back to the gate when the hop leads where ``destination`` is not, else
        None."""
        side = self.sides[hop_index]
        if side is None:
            return None
        inside, spans, contexts = side
        d = self.disc[destination]
        held = any(lo <= d < hi for lo, hi in spans)
        return contexts if held is not inside else None


def separators(
    size: int,
    links: Iterable[tuple[int, int]],
    hops: Sequence[tuple[int, int, tuple[object, ...]]],
    tied: Iterable[int] = (),
) -> Separators:
    """The pendants of a network of ``size`` locations joined by undirected ``links``;
    ``hops`` are (origin, destination, context) by hop index; a part holding a ``tied``
    location (a through tariff's end) is never an excursion."""
    adjacent: list[set[int]] = [set() for _ in range(size)]
    for a, b in links:
        if a != b:
            adjacent[a].add(b)
            adjacent[b].add(a)
    disc = [-1] * size
    low = [0] * size
    parent = [-1] * size
    count = [1] * size
    separated: list[list[tuple[int, int]]] = [[] for _ in range(size)]
    clock = 0
    # roots of high degree first, so the middle of the network is not cut into pendants
    for root in sorted(range(size), key=lambda v: -len(adjacent[v])):
        if disc[root] >= 0:
            continue
        disc[root] = low[root] = clock
        clock += 1
        stack = [(root, iter(sorted(adjacent[root])))]
        while stack:
            v, pending = stack[-1]
            for w in pending:
                if disc[w] < 0:
                    parent[w] = v
                    disc[w] = low[w] = clock
                    clock += 1
                    stack.append((w, iter(sorted(adjacent[w]))))
                    break
                if w != parent[v]:
                    low[v] = min(low[v], disc[w])
            else:
                stack.pop()
                if stack:
                    p = stack[-1][0]
                    low[p] = min(low[p], low[v])
                    count[p] += count[v]
                    if low[v] >= disc[p]:
                        separated[p].append((disc[v], disc[v] + count[v]))
    by_disc = [0] * size
    for v in range(size):
        by_disc[disc[v]] = v
    top: list[tuple[int, int, int] | None] = [None] * size
    pendants = sorted(
        (lo, -(hi - lo), gate)
        for gate in range(size)
        for lo, hi in separated[gate]
        if hi - lo <= size // 2
    )
    end = -1
    for lo, negative, gate in pendants:
        if lo < end:
            continue  # inside a pendant already taken
        end = lo - negative
        for d in range(lo, end):
            top[by_disc[d]] = (lo, end, gate)
    tied_discs = [disc[v] for v in tied]
    into: dict[int, list[tuple[int, tuple[object, ...]]]] = {}
    for origin, destination, context in hops:
        into.setdefault(destination, []).append((disc[origin], context))
    sides: list[tuple[bool, tuple[tuple[int, int], ...], Contexts] | None] = []
    for origin, destination, _ in hops:
        spans = separated[origin]
        if not spans:
            sides.append(None)
            continue
        d = disc[destination]
        mine = [(lo, hi) for lo, hi in spans if lo <= d < hi]
        inside = bool(mine)
        chosen = tuple(mine) if inside else tuple(spans)

        if any(_within(x, chosen, inside) for x in tied_discs):
            sides.append(None)
            continue
        back = frozenset(c for x, c in into.get(origin, ()) if _within(x, chosen, inside))
        sides.append((inside, chosen, back))
    return Separators(disc, top, sides)


def _within(x: int, spans: tuple[tuple[int, int], ...], inside: bool) -> bool:
    """Whether disc ``x`` is in the part: inside one of ``spans``, or outside all of them."""
    return any(lo <= x < hi for lo, hi in spans) is inside


def pendant_distances(
    structure: Separators, edges: Sequence[Sequence[BackEdge]], weight: int
) -> list[float]:
    """Least ``weight`` (1 time, 2 cost, 3 CO2e) from each location in a pendant to its gate,
    inside the pendant; inf outside pendants or where the gate cannot be reached."""
    size = len(edges)
    dist = [math.inf] * size
    gates: dict[tuple[int, int, int], None] = {}
    for pendant in structure.top:
        if pendant is not None:
            gates[pendant] = None
    disc = structure.disc
    for lo, hi, gate in gates:
        found = _dijkstra_within(edges, gate, weight, lo, hi, disc)
        for v, d in found.items():
            if v != gate:
                dist[v] = d
    return dist


@dataclass(frozen=True, slots=True)
class SplitEdges:
    """The backward graph of one query filter split for ``Bounds``: ``core[v]`` the edges into
    v from locations outside pendants, ``by_pendant[p][v]`` those from locations in pendant p,
    and ``inside`` each pendant location's least time, cost and CO2e to its gate."""

    core: list[list[BackEdge]]
    by_pendant: dict[tuple[int, int, int], dict[int, list[BackEdge]]]
    inside: tuple[list[float], list[float], list[float]]


def split_edges(structure: Separators, edges: Sequence[Sequence[BackEdge]]) -> SplitEdges:
    """``edges`` (by destination index) split by where they come from; see ``SplitEdges``."""
    top = structure.top
    core: list[list[BackEdge]] = [[] for _ in edges]
    by_pendant: dict[tuple[int, int, int], dict[int, list[BackEdge]]] = {}
    for v, into in enumerate(edges):
        for edge in into:
            pendant = top[edge[0]]
            if pendant is None:
                core[v].append(edge)
            else:
                by_pendant.setdefault(pendant, {}).setdefault(v, []).append(edge)
    inside = (
        pendant_distances(structure, edges, 1),
        pendant_distances(structure, edges, 2),
        pendant_distances(structure, edges, 3),
    )
    return SplitEdges(core, by_pendant, inside)


class Bounds:
    """Lower bounds of time (h), cost (USD) and CO2e (kg) from each location to one
    destination, by location index: ``time[v]`` etc., None until ``fill(v)`` is called (the
    search calls it on the first look at v), inf where the destination cannot be reached."""

    __slots__ = ("_d", "_inside", "_top", "co2", "cost", "time")

    def __init__(self, structure: Separators, split: SplitEdges, destination: int):
        """A backward Dijkstra per criterion over the edges between locations outside
        pendants and those of the destination's pendant (``split_edges``); the other pendants'
        locations are filled on demand from their bound inside the pendant to the gate plus
        the gate's bound."""
        self._d = structure.disc[destination]
        self._top = top = structure.top
        self._inside = split.inside
        mine = top[destination]
        extra = split.by_pendant.get(mine, {}) if mine is not None else {}
        found: list[list[float | None]] = []
        for weight in (1, 2, 3):
            bound: list[float | None] = [None] * len(top)
            for v, dist in _dijkstra(split.core, extra, destination, weight).items():
                bound[v] = dist
            found.append(bound)
        self.time, self.cost, self.co2 = found

    def fill(self, v: int) -> float:
        """Work out v's three bounds (v not reached by the Dijkstra); returns the time bound."""
        pendant = self._top[v]
        inf = math.inf
        for k, bound in enumerate((self.time, self.cost, self.co2)):
            if pendant is not None and not pendant[0] <= self._d < pendant[1]:
                gate = bound[pendant[2]]
                bound[v] = inf if gate is None else self._inside[k][v] + gate
            else:
                bound[v] = inf
        value = self.time[v]
        assert value is not None
        return value


def _dijkstra(
    core: Sequence[Sequence[BackEdge]],
    extra: Mapping[int, Sequence[BackEdge]],
    source: int,
    weight: int,
) -> dict[int, float]:
    """Backward Dijkstra from ``source`` over the ``core`` edges and the ``extra`` ones."""
    dist: dict[int, float] = {source: 0.0}
    done: dict[int, float] = {}
    heap: list[tuple[float, int]] = [(0.0, source)]
    pop, push = heapq.heappop, heapq.heappush
    inf = math.inf
    nothing: tuple[BackEdge, ...] = ()
    while heap:
        here, node = pop(heap)
        if node in done:
            continue
        done[node] = here
        for into in (core[node], extra.get(node, nothing)):
            for edge in into:
                other = edge[0]
                nd = here + edge[weight]
                if nd < dist.get(other, inf):
                    dist[other] = nd
                    push(heap, (nd, other))
    return done


def _dijkstra_within(
    edges: Sequence[Sequence[BackEdge]], source: int, weight: int, lo: int, hi: int, disc: list[int]
) -> dict[int, float]:
    """Backward Dijkstra from ``source`` over the locations with discs lo..hi-1."""
    dist: dict[int, float] = {source: 0.0}
    done: dict[int, float] = {}
    heap: list[tuple[float, int]] = [(0.0, source)]
    inf = math.inf
    while heap:
        here, node = heapq.heappop(heap)
        if node in done:
            continue
        done[node] = here
        for edge in edges[node]:
            other = edge[0]
            nd = here + edge[weight]
            if nd < dist.get(other, inf) and lo <= disc[other] < hi:
                dist[other] = nd
                heapq.heappush(heap, (nd, other))
    return done
