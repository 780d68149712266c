"""Monte Carlo: N replications per year of a scenario on Dask, reproducibly.

Seeds: ``SeedSequence(seed).spawn(replications)`` gives each replication an independent stream;
the stream of year ``y`` of replication ``r`` is that child's sub-sequence with spawn key
``(r, y)`` (the same tree ``spawn`` builds). A result depends only on (seed, replication, year,
model) — never on which worker ran it or in which order — so a run on a 2-worker cluster equals
the same run in one process, and scenarios share their random numbers (common random numbers).

Replications are batched per task (about ten tasks per worker): Dask's overhead is about a
millisecond per task, and one replication-year of the corridor takes a fraction of a second.

Schedulers: ``"synchronous"`` runs the tasks in this process through Dask's synchronous
scheduler (tests, small runs); ``None`` starts a ``LocalCluster`` of process workers (threads give
nothing: SimPy holds the GIL); ``"tcp://host:8786"`` uses that cluster unchanged.
"""

from __future__ import annotations

import importlib
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from transcaspian.sim.model import CorridorModel
from transcaspian.sim.processes import ReplicationResult, run_replication

__all__ = [
    "MonteCarloRun",
    "replication_seeds",
    "run_batch",
    "run_monte_carlo",
    "year_seed",
]

logger = logging.getLogger(__name__)
Progress = Callable[[int, int], None]  # (replication-years done, total)
# replication-years vary (P95 about 3x the median), so several tasks per worker keep both busy
# to the end; at 0.2-1 s per replication-year the ~1 ms per task overhead stays negligible
_TASKS_PER_WORKER = 10


@dataclass(frozen=True)
class MonteCarloRun:
    """What ran and what came out, results sorted by (year, replication)."""

    seed: int
    replications: int
    years: tuple[int, ...]
    workers: int
    results: tuple[ReplicationResult, ...]


def replication_seeds(seed: int, replications: int) -> list[np.random.SeedSequence]:
    """One independent SeedSequence per replication (``SeedSequence(seed).spawn``)."""
    return np.random.SeedSequence(seed).spawn(replications)


def year_seed(child: np.random.SeedSequence, year: int) -> np.random.SeedSequence:
    """The sub-sequence of a replication's sequence for one simulated year."""
    return np.random.SeedSequence(entropy=child.entropy, spawn_key=(*child.spawn_key, year))


def run_batch(
    models: Mapping[int, CorridorModel], seed: int, jobs: Sequence[tuple[int, int]]
) -> list[ReplicationResult]:
    """Run the (replication, year) jobs of one task, in order."""
    root = np.random.SeedSequence(seed)
    out = []
    for replication, year in jobs:
        child = np.random.SeedSequence(entropy=root.entropy, spawn_key=(replication,))
        out.append(run_replication(models[year], year_seed(child, year), replication))
    return out


def run_monte_carlo(
    models: Mapping[int, CorridorModel],
    replications: int,
    seed: int,
    *,
    scheduler: str | None = "synchronous",
    workers: int = 2,
    batch_size: int | None = None,
    progress: Progress | None = None,
) -> MonteCarloRun:
    """Run ``replications`` of each year's model; see the module docstring for ``scheduler``.

    Raises ValueError for fewer than one replication.
    """
    if replications < 1:
        raise ValueError(f"replications: must be ≥ 1 (got {replications})")
    jobs = [(r, year) for year in sorted(models) for r in range(replications)]
    if scheduler == "synchronous":
        results = _run_synchronous(models, seed, jobs, batch_size or len(jobs), progress)
        used = 1
    else:
        results, used = _run_distributed(
            models, seed, jobs, scheduler, workers, batch_size, progress
        )
    results.sort(key=lambda r: (r.year, r.replication))
    return MonteCarloRun(seed, replications, tuple(sorted(models)), used, tuple(results))


def _batches(jobs: list[tuple[int, int]], size: int) -> list[list[tuple[int, int]]]:
    return [jobs[i : i + size] for i in range(0, len(jobs), max(1, size))]


def _run_synchronous(
    models: Mapping[int, CorridorModel],
    seed: int,
    jobs: list[tuple[int, int]],
    batch_size: int,
    progress: Progress | None,
) -> list[ReplicationResult]:
    dask: Any = importlib.import_module("dask")
    results: list[ReplicationResult] = []
    for batch in _batches(jobs, batch_size):
        task = dask.delayed(run_batch, pure=False)(dict(models), seed, batch)
        (done,) = dask.compute(task, scheduler="synchronous")
        results.extend(done)
        if progress:
            progress(len(results), len(jobs))
    return results


def _run_distributed(
    models: Mapping[int, CorridorModel],
    seed: int,
    jobs: list[tuple[int, int]],
    address: str | None,
    workers: int,
    batch_size: int | None,
    progress: Progress | None,
) -> tuple[list[ReplicationResult], int]:
    distributed: Any = importlib.import_module("distributed")
    cluster: Any = None
    if address is None:
        cluster = distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        )
        client = distributed.Client(cluster)
    else:
        client = distributed.Client(address)
    try:
        used = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        size = batch_size or max(1, math.ceil(len(jobs) / (_TASKS_PER_WORKER * used)))
        batches = _batches(jobs, size)
        shared = client.scatter(dict(models), broadcast=True)
        futures = [client.submit(run_batch, shared, seed, b, pure=False) for b in batches]
        results: list[ReplicationResult] = []
        for future in distributed.as_completed(futures):
            results.extend(future.result())
            if progress:
                progress(len(results), len(jobs))
        return results, used
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
