"""P50/P90 arrival and the chance of missing a booked departure, by Monte Carlo.

A plan books a departure for every timetabled hop. Each sample draws every dwell and running
time from its distribution in the data (``DurationEstimate``: lognormal above the minimum,
median at P50, 90th percentile at P90), and the border crossings and gauge changes on each
hop (``Hop.en_route``) from theirs, and replays the plan: cargo ready before a booked
departure's cut-off waits for it; cargo ready later misses it and takes the next departure
of the same service (a week later for a weekly ferry). Any-time legs leave when the cargo is
ready. The generator is ``random.Random`` seeded from the caller's seed and the plan, so the
same request and seed give the same P50 and P90; both are order statistics of the same
sample, so P90 >= P50.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from transcaspian.domain.errors import InvalidValueError
from transcaspian.domain.timetable import Hop, Transition
from transcaspian.domain.values import DurationEstimate

__all__ = ["METHOD", "ArrivalForecast", "PlannedStep", "forecast_arrival"]

METHOD = (
    "Monte Carlo over dwell and running-time distributions (shifted lognormal through min, "
    "P50, P90), booked departures kept when reached before cut-off, else the next departure"
)
_EPS_H = 1e-9


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """A hop of a plan: what happens before it, and the departure booked for it."""

    hop: Hop
    transition: Transition
    planned_departure_h: float


@dataclass(frozen=True, slots=True)
class ArrivalForecast:
    """Sampled arrival (hours since EPOCH) and how often a booked departure is missed."""

    p50_h: float
    p90_h: float
    miss_probability: float  # share of samples missing at least one booked departure
    leg_miss_probabilities: tuple[float, ...]  # per step (0 for any-time hops)
    samples: int
    seed: int


def forecast_arrival(
    ready_h: float,
    steps: Sequence[PlannedStep],
    arrival: Transition,
    *,
    samples: int,
    seed: int,
    plan_key: str,
) -> ArrivalForecast:
    """Sample the plan ``samples`` times with ``random.Random(f"{seed}/{plan_key}")``.

    Raises InvalidValueError when ``samples`` is below 1.
    """
    if samples < 1:
        raise InvalidValueError(f"samples: {samples} is below 1", field="/samples")
    rng = random.Random(f"{seed}/{plan_key}")
    gauss = rng.gauss
    exp = math.exp

    def draw(shape: tuple[float, float, float]) -> float:
        base, mu, sigma = shape
        return base if sigma < 0 else base + exp(mu + sigma * gauss())

    plan = [
        (
            step.hop,
            [_shape(d.duration) for d in step.transition.dwells],
            step.planned_departure_h,
            _shape(
                step.hop.service.running_time if step.hop.service else step.hop.legs[0].running_time
            ),
            step.hop.share if step.hop.service else 1.0,
            [_shape(e.dwell.duration) for e in step.hop.en_route if not e.included],
        )
        for step in steps
    ]
    final = [_shape(d.duration) for d in arrival.dwells]
    misses = [0] * len(plan)
    any_miss = 0
    arrivals: list[float] = []
    for _ in range(samples):
        t = ready_h
        missed = False
        for k, (hop, dwells, booked, running, share, en_route) in enumerate(plan):
            for dwell in dwells:
                t += draw(dwell)
            if hop.service is not None:
                if t + hop.cutoff_h <= booked + _EPS_H:
                    departure = booked
                else:
                    departure = hop.next_departure_h(t)
                    misses[k] += 1
                    missed = True
            else:
                departure = t
            t = departure + draw(running) * share
            for stop in en_route:  # border crossings and gauge changes on the way
                t += draw(stop)
        for dwell in final:
            t += draw(dwell)
        arrivals.append(t)
        any_miss += missed
    arrivals.sort()
    return ArrivalForecast(
        p50_h=_quantile(arrivals, 0.5),
        p90_h=_quantile(arrivals, 0.9),
        miss_probability=any_miss / samples,
        leg_miss_probabilities=tuple(m / samples for m in misses),
        samples=samples,
        seed=seed,
    )


def _shape(estimate: DurationEstimate) -> tuple[float, float, float]:
    """(minimum, mu, sigma) in hours of the estimate's shifted lognormal, the same distribution
    ``DurationEstimate.sample_hours`` draws from; sigma < 0 marks a fixed duration (P50)."""
    params = estimate._lognormal()
    if params is None:
        return estimate.p50.total_seconds() / 3600, 0.0, -1.0
    return estimate.minimum.total_seconds() / 3600, params[0], params[1]


def _quantile(ordered: list[float], q: float) -> float:
    """Nearest-rank quantile of a sorted sample."""
    index = max(0, math.ceil(q * len(ordered)) - 1)
    return ordered[index]
