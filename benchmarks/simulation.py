"""Benchmark of the capacity simulation: events per second per core, and 200 replications of
one simulated year at 2030 demand on a LocalCluster of 1 and of 2 process workers.

    uv run python benchmarks/simulation.py [--replications 200] [--scenario world-bank-11mt-2030]

Prints the input size, the wall times, the speed-up and the peak memory of this process. Both
cluster runs use the same seed; the script checks that they give identical results.
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import time

from transcaspian.data.loader import read_dataset
from transcaspian.settings import BUNDLED_DATASET
from transcaspian.sim.model import build_model
from transcaspian.sim.montecarlo import run_monte_carlo
from transcaspian.sim.scenarios import check_against_network, load_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--scenario", default="world-bank-11mt-2030")
    parser.add_argument("--year", type=int, default=2030)
    parser.add_argument("--seed", type=int, default=2030)
    parser.add_argument("--serial", type=int, default=10, help="replications for events/s")
    args = parser.parse_args()

    network = read_dataset(BUNDLED_DATASET)
    scenario = load_scenario(args.scenario)
    check_against_network(scenario, network)
    models = {args.year: build_model(network, scenario, args.year)}
    model = models[args.year]
    print(f"python {platform.python_version()} on {platform.machine()}, {_cpus()} CPUs")
    print(
        f"model: scenario {args.scenario}, year {args.year}: {len(model.flows)} flows, "
        f"{len(model.stations)} stations, {len(model.ferry_lines)} ferry lines, "
        f"{len(model.travels)} rail/road sections; {model.warmup_h / 24:.0f} d warm-up + "
        f"{model.horizon_h / 24:.0f} d counted"
    )

    # 1. events per second per core: replications one after another in this process
    times, events = [], []
    for i in range(args.serial):
        start = time.perf_counter()
        run = run_monte_carlo(models, 1, seed=args.seed + i, scheduler="synchronous")
        times.append(time.perf_counter() - start)
        events.append(run.results[0].events)
    per_rep = statistics.median(times)
    print(
        f"one replication-year: median {per_rep:.2f} s, p95 {_p95(times):.2f} s, "
        f"{statistics.mean(events):,.0f} events -> "
        f"{sum(events) / sum(times):,.0f} events/s per core"
    )

    # 2. the same N replications on 1 and on 2 process workers
    walls = {}
    results = {}
    for workers in (1, 2):
        start = time.perf_counter()
        outcome = run_monte_carlo(
            models, args.replications, seed=args.seed, scheduler=None, workers=workers
        )
        walls[workers] = time.perf_counter() - start
        results[workers] = outcome.results
        print(
            f"{args.replications} replications on {workers} worker(s): {walls[workers]:.1f} s "
            f"(cluster start included)"
        )
    print(f"speed-up 1 -> 2 workers: {walls[1] / walls[2]:.2f}x")
    print(f"results identical on 1 and 2 workers: {results[1] == results[2]}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak_mb:.0f} MB")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    main()
