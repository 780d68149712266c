"""The SimPy processes that run a ``CorridorModel`` for one replication-year.

``run_replication(model, seed_sequence, replication)`` simulates a warm-up followed by the
horizon (hours) and returns a ``ReplicationResult`` of plain numbers. Every queue is
instrumented (``QueueMonitor``): arrivals, departures, time in queue, and the time-average queue
length, so Little's law L = λ·W can be checked on the model's own output.

Entities are *groups*: a train of TEU or railcars, or a truck. A group passes stations (border,
transshipment), travels (rail/road legs) and ferry lines. At a ferry line the group's units wait
in the loading port's yard; a vessel takes units first-in first-out up to its capacity, so a
train may leave on several sailings — each portion then continues as its own group and keeps the
time its train was born, for the end-to-end transit time.

Random numbers: each component (a flow's arrivals, a station, a line) has its own stream spawned
from the replication's ``SeedSequence`` by a stable key, so a scenario that adds a ferry keeps
the same arrivals as its parent (common random numbers: differences between scenarios are
estimated with less noise).
"""

from __future__ import annotations

import math
import zlib
from collections import deque
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy
from simpy.events import NORMAL, EventPriority

from transcaspian.sim.model import (
    HOURS_PER_YEAR,
    CorridorModel,
    Distribution,
    FerryLineSpec,
    FlowSpec,
)

__all__ = [
    "QueueMonitor",
    "ReplicationResult",
    "Stream",
    "run_replication",
    "weighted_quantiles",
]

_BLOCK = 1024
_TRANSIT_SAMPLES = 200

SimGen = Generator[Any, Any, None]


class Stream:
    """A seeded random stream with buffered draws (scalar numpy calls are slow)."""

    __slots__ = ("_exp", "_gen", "_i_exp", "_i_norm", "_norm")

    def __init__(self, seed: np.random.SeedSequence):
        self._gen = np.random.default_rng(seed)
        self._exp: list[float] = []
        self._norm: list[float] = []
        self._i_exp = self._i_norm = 0

    def exponential(self) -> float:
        if self._i_exp >= len(self._exp):
            self._exp = self._gen.standard_exponential(_BLOCK).tolist()
            self._i_exp = 0
        value = self._exp[self._i_exp]
        self._i_exp += 1
        return float(value)

    def normal(self) -> float:
        if self._i_norm >= len(self._norm):
            self._norm = self._gen.standard_normal(_BLOCK).tolist()
            self._i_norm = 0
        value = self._norm[self._i_norm]
        self._i_norm += 1
        return float(value)

    def draw(self, dist: Distribution) -> float:
        """One duration in hours."""
        if dist.kind == "lognormal":
            return dist.shift + math.exp(dist.mu + dist.sigma * self.normal())
        if dist.kind == "exponential":
            return dist.mean * self.exponential()
        return dist.mean


class QueueMonitor:
    """Counts and times one queue: arrivals, departures, waits and the area under its length.

    Quantities are in the queue's ``unit`` (trains, TEU, railcars, trucks, vessels); a batch of
    ``n`` units that waited ``w`` hours adds ``n`` departures and ``n·w`` unit-hours of waiting.
    """

    __slots__ = (
        "_env",
        "area",
        "arrivals",
        "departures",
        "key",
        "kind",
        "last_t",
        "level",
        "level_time",
        "location",
        "start",
        "unit",
        "wait_sum",
        "waits",
        "weights",
    )

    def __init__(self, env: simpy.Environment, key: str, kind: str, location: str, unit: str):
        self._env = env
        self.key, self.kind, self.location, self.unit = key, kind, location, unit
        self.level = 0
        self.last_t = self.start = 0.0
        self.area = 0.0
        self.arrivals = self.departures = 0
        self.wait_sum = 0.0
        self.waits: list[float] = []
        self.weights: list[int] = []
        self.level_time: dict[int, float] = {}

    def _advance(self) -> None:
        now = self._env.now
        dt = now - self.last_t
        if dt > 0:
            self.area += self.level * dt
            self.level_time[self.level] = self.level_time.get(self.level, 0.0) + dt
            self.last_t = now

    def add(self, n: int) -> None:
        self._advance()
        self.level += n
        self.arrivals += n

    def remove(self, n: int, wait_h: float) -> None:
        self._advance()
        self.level -= n
        self.departures += n
        self.wait_sum += n * wait_h
        self.waits.append(wait_h)
        self.weights.append(n)

    def reset(self) -> None:
        """Start counting afresh (end of the warm-up); the queue's content stays."""
        self._advance()
        self.start = self.last_t = self._env.now
        self.area = 0.0
        self.arrivals = self.departures = 0
        self.wait_sum = 0.0
        self.waits, self.weights = [], []
        self.level_time = {}

    def stats(self) -> dict[str, Any]:
        self._advance()
        span = max(self._env.now - self.start, 1e-9)
        mean_wait = self.wait_sum / self.departures if self.departures else 0.0
        p50_wait, p90_wait = weighted_quantiles(self.waits, self.weights, (0.5, 0.9))
        levels = list(self.level_time)
        p50_len, p90_len = weighted_quantiles(
            [float(x) for x in levels], [self.level_time[x] for x in levels], (0.5, 0.9)
        )
        throughput_per_h = self.departures / span
        return {
            "queue": self.key,
            "kind": self.kind,
            "location": self.location,
            "unit": self.unit,
            "arrivals": float(self.arrivals),
            "departures": float(self.departures),
            "mean_length": self.area / span,
            "p50_length": p50_len,
            "p90_length": p90_len,
            "max_length": float(max(levels, default=0)),
            "mean_wait_h": mean_wait,
            "p50_wait_h": p50_wait,
            "p90_wait_h": p90_wait,
            "little_lambda_w": throughput_per_h * mean_wait,
            "end_length": float(self.level),
            "span_h": span,
        }


class _Busy:
    """Time integral of how many servers are busy, for utilisation."""

    __slots__ = ("_env", "area", "last_t", "level", "start")

    def __init__(self, env: simpy.Environment):
        self._env = env
        self.level = 0
        self.area = self.last_t = self.start = 0.0

    def change(self, delta: int) -> None:
        now = self._env.now
        self.area += self.level * (now - self.last_t)
        self.last_t = now
        self.level += delta

    def reset(self) -> None:
        self.change(0)
        self.area = 0.0
        self.start = self._env.now

    def utilisation(self, servers: float) -> float:
        self.change(0)
        span = max(self._env.now - self.start, 1e-9)
        return self.area / (span * servers) if servers else 0.0


@dataclass
class ReplicationResult:
    """The numbers one replication-year produced (plain types, cheap to pickle)."""

    scenario_id: str
    year: int
    replication: int
    events: int
    queues: list[dict[str, Any]]
    resources: list[dict[str, Any]]
    throughput: list[dict[str, Any]]
    transit: list[dict[str, Any]]
    transit_samples: dict[str, list[float]] = field(default_factory=dict)


class _CountingEnvironment(simpy.Environment):
    """A SimPy environment that counts the events it schedules (for the benchmark)."""

    def __init__(self) -> None:
        super().__init__()
        self.events_scheduled = 0

    def schedule(
        self, event: simpy.Event, priority: EventPriority = NORMAL, delay: float = 0
    ) -> None:
        self.events_scheduled += 1
        super().schedule(event, priority, delay)


def run_replication(
    model: CorridorModel, seed: np.random.SeedSequence, replication: int = 0
) -> ReplicationResult:
    """Simulate ``model.warmup_h`` then ``model.horizon_h`` hours; statistics cover the horizon."""
    return _Run(model, seed, replication).run()


def weighted_quantiles(
    values: Iterable[float], weights: Iterable[float], qs: tuple[float, ...]
) -> tuple[float, ...]:
    """Quantiles of ``values`` where each counts ``weight`` times (0.0 for no values)."""
    v = np.asarray(list(values), dtype=float)
    if v.size == 0:
        return tuple(0.0 for _ in qs)
    w = np.asarray(list(weights), dtype=float)
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    cumulative = np.cumsum(w)
    total = cumulative[-1]
    if total <= 0:
        return tuple(0.0 for _ in qs)
    out = []
    for q in qs:
        index = int(np.searchsorted(cumulative, q * total, side="left"))
        out.append(float(v[min(index, v.size - 1)]))
    return tuple(out)


class _Yard:
    """Units waiting for a vessel at the loading port, first in first out."""

    __slots__ = ("batches", "level", "monitor")

    def __init__(self, monitor: QueueMonitor):
        self.monitor = monitor
        self.batches: deque[list[Any]] = deque()  # [arrived_at, units, flow_index, born_at, stage]
        self.level = 0

    def put(self, now: float, units: int, flow_index: int, born_at: float, stage: int) -> None:
        self.batches.append([now, units, flow_index, born_at, stage])
        self.level += units
        self.monitor.add(units)

    def take(self, now: float, capacity: int) -> list[tuple[int, int, float, int]]:
        taken: list[tuple[int, int, float, int]] = []
        while capacity > 0 and self.batches:
            batch = self.batches[0]
            n = min(capacity, batch[1])
            self.monitor.remove(n, now - batch[0])
            taken.append((n, batch[2], batch[3], batch[4]))
            batch[1] -= n
            capacity -= n
            self.level -= n
            if batch[1] == 0:
                self.batches.popleft()
        return taken


class _Line:
    """Runtime state of a ferry line."""

    def __init__(self, run: _Run, spec: FerryLineSpec):
        env = run.env
        self.spec = spec
        self.yards = {
            unit: _Yard(
                QueueMonitor(env, f"yard:{spec.service_id}:{unit}", "yard", spec.origin, unit)
            )
            for unit in spec.capacity
        }
        # a line without a capacity for a unit sails when its hold time is up
        self.thresholds = {
            unit: math.inf
            if cap is None
            else max(1, math.ceil(cap * min(1.0, spec.load_factor.value)))
            for unit, cap in spec.capacity.items()
        }
        self.turn = simpy.Resource(env, capacity=1)
        self.changed: simpy.Event | None = None
        self.slot_waiters: deque[simpy.Event] = deque()
        self.stream = run.stream(spec.key)
        self.sailings = 0
        self.carried: dict[str, int] = dict.fromkeys(spec.capacity, 0)
        self.idle = _Busy(env)  # vessels idle at the loading port
        self.missed_slots = 0

    def notify(self) -> None:
        if self.changed is not None and not self.changed.triggered:
            self.changed.succeed()

    def is_loaded(self) -> bool:
        return any(self.yards[u].level >= t for u, t in self.thresholds.items())

    def waiting_units(self) -> int:
        return sum(y.level for y in self.yards.values())

    def load(self, now: float) -> dict[str, list[tuple[int, int, float, int]]]:
        """Take units from the yards, oldest first, as far as the vessel's capacity allows."""
        room = 1.0
        cargo: dict[str, list[tuple[int, int, float, int]]] = {}
        for unit, yard in self.yards.items():
            capacity = self.spec.capacity[unit]
            if capacity is None:
                limit = yard.level
            elif self.spec.shared_capacity:
                limit = math.floor(room * capacity + 1e-9)
            else:
                limit = capacity
            taken = yard.take(now, max(0, limit))
            cargo[unit] = taken
            if capacity:
                room -= sum(t[0] for t in taken) / capacity
        return cargo


class _Run:
    def __init__(self, model: CorridorModel, seed: np.random.SeedSequence, replication: int):
        self.model = model
        self.seed = seed
        self.replication = replication
        self.env = _CountingEnvironment()
        env = self.env
        self.stations: dict[str, tuple[simpy.Resource | None, QueueMonitor | None, _Busy]] = {}
        self.station_streams: dict[str, Stream] = {}
        for key, spec in model.stations.items():
            if spec.servers is None:
                self.stations[key] = (None, None, _Busy(env))
            else:
                monitor = QueueMonitor(env, key, spec.kind, spec.location_id, "train")
                self.stations[key] = (
                    simpy.Resource(env, capacity=spec.servers),
                    monitor,
                    _Busy(env),
                )
            self.station_streams[key] = self.stream(key)
        self.travel_streams = {key: self.stream(key) for key in model.travels}
        self.berths: dict[str, tuple[simpy.Resource, QueueMonitor, _Busy]] = {}
        for port, parameter in model.berths.items():
            self.berths[port] = (
                simpy.Resource(env, capacity=max(1, round(parameter.value))),
                QueueMonitor(env, f"berth:{port}", "berth", port, "vessel"),
                _Busy(env),
            )
        self.lines = {key: _Line(self, spec) for key, spec in model.ferry_lines.items()}
        self.closed_until: dict[str, float] = dict.fromkeys(model.berths, 0.0)
        self.closed_h: dict[str, float] = dict.fromkeys(model.berths, 0.0)
        self.throughput: dict[tuple[str, str], int] = {}
        self.delivered: dict[int, list[tuple[float, int]]] = {
            i: [] for i in range(len(model.flows))
        }
        self.counting = False

    def stream(self, name: str) -> Stream:
        key = zlib.crc32(name.encode())
        child = np.random.SeedSequence(
            entropy=self.seed.entropy, spawn_key=(*self.seed.spawn_key, key)
        )
        return Stream(child)

    def run(self) -> ReplicationResult:
        env, model = self.env, self.model
        for index, flow in enumerate(model.flows):
            if flow.arrivals_per_year > 0:
                env.process(self._arrivals(index, flow))
        for line in self.lines.values():
            for number in range(max(0, round(line.spec.vessels.value))):
                env.process(self._vessel(line, number))
            if line.spec.policy == "schedule":
                env.process(self._timetable(line))
        for port in model.weather:
            env.process(self._weather(port))
        env.run(until=model.warmup_h)
        self._reset()
        env.run(until=model.warmup_h + model.horizon_h)
        return self._result()

    # --- processes -----------------------------------------------------------------------------

    def _arrivals(self, index: int, flow: FlowSpec) -> SimGen:
        stream = self.stream(f"arrivals:{flow.flow_id}")
        mean_gap = HOURS_PER_YEAR / flow.arrivals_per_year
        env = self.env
        while True:
            yield env.timeout(mean_gap * stream.exponential())
            env.process(self._group(index, flow.units_per_arrival, env.now, 0))

    def _group(self, index: int, units: int, born_at: float, stage: int) -> SimGen:
        env, model = self.env, self.model
        flow = model.flows[index]
        stages = flow.stages
        while stage < len(stages):
            key = stages[stage]
            if key in self.stations:
                resource, monitor, busy = self.stations[key]
                duration = self.station_streams[key].draw(model.stations[key].service)
                if resource is None:
                    yield env.timeout(duration)
                else:
                    assert monitor is not None
                    arrived = env.now
                    monitor.add(1)
                    request = resource.request()
                    yield request
                    monitor.remove(1, env.now - arrived)
                    busy.change(1)
                    yield env.timeout(duration)
                    busy.change(-1)
                    resource.release(request)
            elif key in self.travel_streams:
                yield env.timeout(self.travel_streams[key].draw(model.travels[key].time))
            else:
                line = self.lines[key]
                line.yards[flow.unit].put(env.now, units, index, born_at, stage + 1)
                line.notify()
                return  # the vessel that carries the units continues them
            self._count(key, flow.unit, units)
            stage += 1
        if self.counting:
            self.delivered[index].append((env.now - born_at, units))

    def _count(self, key: str, unit: str, units: int) -> None:
        if self.counting:
            node = (key, unit)
            self.throughput[node] = self.throughput.get(node, 0) + units

    def _timetable(self, line: _Line) -> SimGen:
        env = self.env
        offsets = sorted(line.spec.departures_h) or [0.0]
        week = 0
        while True:
            for offset in offsets:
                at = week * 168.0 + offset
                if at > env.now:
                    yield env.timeout(at - env.now)
                if line.slot_waiters:
                    line.slot_waiters.popleft().succeed()
                elif self.counting:
                    line.missed_slots += 1
            week += 1

    def _weather(self, port: str) -> SimGen:
        env, spec = self.env, self.model.weather[port]
        stream = self.stream(f"weather:{port}")
        mean_gap = 8760.0 / spec.closures_per_year.value
        while True:
            yield env.timeout(mean_gap * stream.exponential())
            until = env.now + stream.draw(spec.duration)
            start = max(env.now, self.closed_until[port])
            if until > start and self.counting:
                self.closed_h[port] += until - start
            self.closed_until[port] = max(self.closed_until[port], until)

    def _wait_weather(self, line: _Line) -> SimGen:
        """A vessel leaves only when both ends of its crossing are open."""
        env, spec = self.env, line.spec
        while True:
            until = max(self.closed_until[spec.origin], self.closed_until[spec.destination])
            if env.now >= until:
                return
            yield env.timeout(until - env.now)

    def _vessel(self, line: _Line, number: int) -> SimGen:
        env, spec = self.env, line.spec
        stream = line.stream
        origin_berth = self.berths[spec.origin]
        destination_berth = self.berths[spec.destination]
        # vessels start spread over one crossing cycle, not all at the loading port at once
        yield env.timeout(number * (2 * spec.crossing.mean) / max(1, spec.vessels.value))
        while True:
            line.idle.change(1)
            turn = line.turn.request()
            yield turn
            if spec.policy == "schedule":
                while True:
                    slot = env.event()
                    line.slot_waiters.append(slot)
                    yield slot
                    if line.waiting_units() > 0:
                        break
            else:
                deadline = env.now + spec.max_hold_h
                while not line.is_loaded():
                    remaining = deadline - env.now
                    if remaining <= 0 and line.waiting_units() > 0:
                        break
                    line.changed = env.event()
                    if remaining > 0:
                        yield line.changed | env.timeout(remaining)
                    else:
                        yield line.changed
                    line.changed = None
            # the cargo is booked on this sailing now; the next vessel waits for the next load
            cargo = line.load(env.now)
            line.turn.release(turn)
            line.idle.change(-1)
            yield from self._wait_weather(line)
            yield from self._berth_call(origin_berth, stream.draw(spec.load))
            yield from self._wait_weather(line)
            yield env.timeout(stream.draw(spec.crossing))
            yield from self._berth_call(destination_berth, stream.draw(spec.unload))
            if self.counting:
                line.sailings += 1
            for unit, portions in cargo.items():
                for units, flow_index, born_at, stage in portions:
                    if self.counting:
                        line.carried[unit] += units
                    self._count(spec.key, unit, units)
                    env.process(self._group(flow_index, units, born_at, stage))
            yield from self._wait_weather(line)
            yield env.timeout(stream.draw(spec.crossing))

    def _berth_call(
        self, berth: tuple[simpy.Resource, QueueMonitor, _Busy], hours: float
    ) -> SimGen:
        """Queue for a berth, then occupy it for ``hours``."""
        resource, monitor, busy = berth
        arrived = self.env.now
        monitor.add(1)
        with resource.request() as request:
            yield request
            monitor.remove(1, self.env.now - arrived)
            busy.change(1)
            yield self.env.timeout(hours)
            busy.change(-1)

    # --- results -------------------------------------------------------------------------------

    def _reset(self) -> None:
        self.counting = True
        for _, monitor, busy in self.stations.values():
            if monitor is not None:
                monitor.reset()
            busy.reset()
        for _, monitor, busy in self.berths.values():
            monitor.reset()
            busy.reset()
        for line in self.lines.values():
            line.idle.reset()
            for yard in line.yards.values():
                yard.monitor.reset()

    def _result(self) -> ReplicationResult:
        model = self.model
        queues: list[dict[str, Any]] = []
        resources: list[dict[str, Any]] = []
        for key, (_, monitor, busy) in self.stations.items():
            spec = model.stations[key]
            if monitor is not None:
                queues.append(monitor.stats())
                resources.append(
                    _resource(key, spec.kind, spec.location_id, busy.utilisation(spec.servers or 1))
                )
        for port, (resource, monitor, busy) in self.berths.items():
            queues.append(monitor.stats())
            resources.append(
                {
                    **_resource(
                        f"berth:{port}", "berth", port, busy.utilisation(resource.capacity)
                    ),
                    "closed_h": self.closed_h[port],
                }
            )
        for key, line in self.lines.items():
            vessels = max(1.0, line.spec.vessels.value)
            for yard in line.yards.values():
                queues.append(yard.monitor.stats())
            resources.append(
                {
                    **_resource(
                        key, "ferry_line", line.spec.origin, 1.0 - line.idle.utilisation(vessels)
                    ),
                    "sailings": float(line.sailings),
                    "missed_slots": float(line.missed_slots),
                    **{f"carried_{u}": float(n) for u, n in line.carried.items()},
                }
            )
        throughput = [
            {"node": node, "unit": unit, "units": float(units)}
            for (node, unit), units in sorted(self.throughput.items())
        ]
        transit: list[dict[str, Any]] = []
        samples: dict[str, list[float]] = {}
        for index, flow in enumerate(model.flows):
            done = self.delivered[index]
            hours = [h for h, _ in done]
            weights = [n for _, n in done]
            p50, p90 = weighted_quantiles(hours, weights, (0.5, 0.9))
            delivered = sum(weights)
            mean = sum(h * n for h, n in done) / delivered if delivered else 0.0
            transit.append(
                {
                    "flow": flow.flow_id,
                    "corridor": flow.corridor,
                    "unit": flow.unit,
                    "delivered_units": float(delivered),
                    "demand_units": flow.volume_per_year * model.horizon_h / 8760.0,
                    "mean_h": mean,
                    "p50_h": p50,
                    "p90_h": p90,
                }
            )
            step = max(1, len(hours) // _TRANSIT_SAMPLES)
            samples[flow.flow_id] = hours[::step][:_TRANSIT_SAMPLES]
        return ReplicationResult(
            scenario_id=model.scenario_id,
            year=model.year,
            replication=self.replication,
            events=self.env.events_scheduled,
            queues=queues,
            resources=resources,
            throughput=throughput,
            transit=transit,
            transit_samples=samples,
        )


def _resource(key: str, kind: str, location: str, utilisation: float) -> dict[str, Any]:
    return {"resource": key, "kind": kind, "location": location, "utilisation": utilisation}
