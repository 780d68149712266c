"""How long the network store takes to load and read the corridor network.

Measures, on a SQLite file and on PostgreSQL (TRANSCASPIAN_TEST_POSTGRES_URL, default the local
``test`` database, in a schema of its own that is dropped afterwards):

- first load: ``replace`` into an empty store
- reload unchanged: ``replace`` with the same network (writes only the version row)
- reload, 1 leg changed: ``replace`` where one figure differs
- get: read the whole network back

for the bundled dataset and for the bundled dataset copied ``--scale`` times (more locations,
legs, services ... with new ids). The baseline is ``read_dataset``: parsing and checking the
bundled CSV files, which is what a reader would do without the store. Each line prints the
median and p95 over ``--repeat`` runs and the ratio of the median to the baseline's median.

    uv run python benchmarks/network_store.py [--repeat 7] [--scale 10] [--no-postgres]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import time
import tracemalloc
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from transcaspian.data.loader import read_dataset
from transcaspian.domain.network import (
    CorridorNetwork,
    Leg,
    LegId,
    LocationId,
    ServiceId,
    TariffId,
)
from transcaspian.services.network import network_counts
from transcaspian.services.ports import DatasetVersion
from transcaspian.settings import BUNDLED_DATASET
from transcaspian.store.engine import make_engine
from transcaspian.store.migrations import upgrade_to_head
from transcaspian.store.unit_of_work import SqlAlchemyUnitOfWork

POSTGRES_URL = os.environ.get(
    "TRANSCASPIAN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    bundled = read_dataset(BUNDLED_DATASET)
    baseline = measure(lambda: read_dataset(BUNDLED_DATASET), args.repeat)
    print(f"baseline read_dataset(bundled CSV): {describe(baseline)}")
    print()
    for network, label in ((bundled, "bundled"), (scaled(bundled, args.scale), f"x{args.scale}")):
        counts = network_counts(network)
        rows = ", ".join(f"{v} {k}" for k, v in counts.items())
        print(f"network {label}: {rows}")
        with TemporaryDirectory() as tmp:
            run_backend(
                "sqlite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", network, baseline, args
            )
        if not args.no_postgres:
            with postgres_schema() as url:
                run_backend("postgresql", url, network, baseline, args)
        print()


def run_backend(
    name: str, url: str, network: CorridorNetwork, baseline: list[float], args: argparse.Namespace
) -> None:
    engine = make_engine(url)
    try:
        upgrade_to_head(engine)
        changed = with_one_leg_changed(network)
        version = DatasetVersion("0" * 64, "benchmark", datetime.now(UTC), network_counts(network))

        def replace(target: CorridorNetwork) -> None:
            with SqlAlchemyUnitOfWork(engine) as uow:
                uow.network.replace(target, version)
                uow.commit()

        def empty_then_load() -> float:
            replace(dataclasses.replace(network, **EMPTY))
            started = time.perf_counter()
            replace(network)
            return time.perf_counter() - started

        def get() -> CorridorNetwork | None:
            with SqlAlchemyUnitOfWork(engine) as uow:
                return uow.network.get()

        first = [empty_then_load() for _ in range(args.repeat)]
        report(name, "first load", first, baseline)
        replace(network)
        report(name, "reload unchanged", measure(lambda: replace(network), args.repeat), baseline)
        alternating = iter([changed, network] * args.repeat)
        report(
            name,
            "reload, 1 leg changed",
            measure(lambda: replace(next(alternating)), args.repeat),
            baseline,
        )
        replace(network)
        assert get() == network, "the stored network differs from the one loaded"
        report(name, "get", measure(get, args.repeat), baseline, peak_of=get)
    finally:
        engine.dispose()


EMPTY = {
    "locations": {},
    "legs": {},
    "services": {},
    "tariffs": {},
    "capacities": (),
    "dwell_times": (),
    "extra_tables": {},
}


def measure(action: Callable[[], object], repeat: int) -> list[float]:
    action()  # warm up: imports, statement caches, connection pool
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def report(
    backend: str,
    what: str,
    times: list[float],
    baseline: list[float],
    peak_of: Callable[[], object] | None = None,
) -> None:
    ratio = statistics.median(times) / statistics.median(baseline)
    line = f"  {backend:<10} {what:<22} {describe(times)}  {ratio:5.2f}x baseline"
    if peak_of is not None:
        tracemalloc.start()
        peak_of()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        line += f"  peak {peak / 2**20:.1f} MiB"
    print(line)


def describe(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(times) * 1000:8.1f} ms  p95 {p95 * 1000:8.1f} ms"


def with_one_leg_changed(network: CorridorNetwork) -> CorridorNetwork:
    leg = next(iter(network.legs.values()))
    longer = dataclasses.replace(leg, distance_km=leg.distance_km + 1)
    return dataclasses.replace(network, legs={**network.legs, leg.leg_id: longer})


def scaled(network: CorridorNetwork, copies: int) -> CorridorNetwork:
    """The network plus ``copies - 1`` copies of it under new ids (local codes CC-NNNNNN)."""
    locations = dict(network.locations)
    legs, services, tariffs = dict(network.legs), dict(network.services), dict(network.tariffs)
    capacities, dwell_times = list(network.capacities), list(network.dwell_times)
    for copy in range(1, copies):
        ids = {
            old: LocationId(f"{loc.country}-{copy:02d}{n:04d}")
            for n, (old, loc) in enumerate(network.locations.items())
        }
        for old, loc in network.locations.items():
            locations[ids[old]] = dataclasses.replace(loc, location_id=ids[old], un_locode=None)
        for leg in network.legs.values():
            new_leg: Leg = dataclasses.replace(
                leg,
                leg_id=LegId(f"{leg.leg_id}#{copy}"),
                origin=ids[leg.origin],
                destination=ids[leg.destination],
            )
            legs[new_leg.leg_id] = new_leg
        for service in network.services.values():
            sid = ServiceId(f"{service.service_id}#{copy}")
            services[sid] = dataclasses.replace(
                service, service_id=sid, stops=tuple(ids[s] for s in service.stops)
            )
        for tariff in network.tariffs.values():
            tid = TariffId(f"{tariff.tariff_id}#{copy}")
            tariffs[tid] = dataclasses.replace(tariff, tariff_id=tid)
        capacities += [
            dataclasses.replace(c, capacity_id=f"{c.capacity_id}#{copy}")
            for c in network.capacities
        ]
        dwell_times += [
            dataclasses.replace(d, location_id=ids[d.location_id]) for d in network.dwell_times
        ]
    return dataclasses.replace(
        network,
        locations=locations,
        legs=legs,
        services=services,
        tariffs=tariffs,
        capacities=tuple(capacities),
        dwell_times=tuple(dwell_times),
    )


class postgres_schema:  # noqa: N801 - used as a context manager, reads like one
    """A schema of its own on the PostgreSQL test server; yields a URL whose search_path is it."""

    def __enter__(self) -> str:
        self.admin: Engine = create_engine(POSTGRES_URL)
        self.schema = f"bench_{uuid.uuid4().hex[:12]}"
        with self.admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
        url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={self.schema}"})
        return url.render_as_string(hide_password=False)

    def __exit__(self, *exc: object) -> None:
        with self.admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
        self.admin.dispose()


if __name__ == "__main__":
    main()
