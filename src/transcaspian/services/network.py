"""Use cases over the corridor network: load a dataset into the store, read it back, query it.

The network is small (hundreds of rows), so reads take the whole network from the store once per
stored version and filter in memory; the planner and the simulator read the same object.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import Generic, TypeVar

from transcaspian.data.loader import dataset_digest, read_dataset
from transcaspian.domain.errors import InvalidValueError, NotFoundError
from transcaspian.domain.network import (
    Corridor,
    CorridorNetwork,
    Leg,
    Location,
    LocationKind,
    Mode,
    Service,
    Source,
    Tariff,
)
from transcaspian.services.ports import Clock, DatasetVersion, UnitOfWork

T = TypeVar("T")
MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a filtered list."""

    items: Sequence[T]
    total: int
    offset: int
    limit: int


def paginate(items: Sequence[T], offset: int, limit: int) -> Page[T]:
    """Slice a list; raises InvalidValueError for a negative offset or a limit out of 1..500."""
    if offset < 0:
        raise InvalidValueError(f"offset: {offset} is negative", field="offset")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidValueError(f"limit: {limit} is not within 1..{MAX_PAGE}", field="limit")
    return Page(items=items[offset : offset + limit], total=len(items), offset=offset, limit=limit)


def load_dataset(uow: UnitOfWork, path: Path, clock: Clock) -> DatasetVersion:
    """Validate the dataset at ``path`` and replace the stored network with it, atomically.

    Raises DatasetError (nothing stored changes) when the dataset has problems. Loading the same
    dataset twice leaves the same rows.
    """
    network = read_dataset(path)
    version = DatasetVersion(
        digest=dataset_digest(path),
        origin=str(path),
        loaded_at=clock.now(),
        counts=network_counts(network),
    )
    with uow:
        uow.network.replace(network, version)
        uow.commit()
    return version


def network_counts(network: CorridorNetwork) -> dict[str, int]:
    return {
        "locations": len(network.locations),
        "legs": len(network.legs),
        "services": len(network.services),
        "tariffs": len(network.tariffs),
        "capacities": len(network.capacities),
        "dwell_times": len(network.dwell_times),
        "sources": len(network.sources),
    }


class NetworkReader:
    """Reads the stored network, keeping it in memory until the stored version changes."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork]):
        self._uow_factory = uow_factory
        self._lock = Lock()
        self._cached: tuple[str, CorridorNetwork] | None = None

    def get_network(self) -> CorridorNetwork:
        """The stored network; raises NotFoundError when no dataset has been loaded."""
        with self._uow_factory() as uow:
            version = uow.network.version()
            if version is None:
                raise NotFoundError(
                    "no corridor dataset is loaded; run `transcaspian data load`",
                    field=None,
                    code="no-dataset",
                )
            with self._lock:
                if self._cached is not None and self._cached[0] == version.digest:
                    return self._cached[1]
            network = uow.network.get()
        if network is None:
            raise NotFoundError("no corridor dataset is loaded", code="no-dataset")
        with self._lock:
            self._cached = (version.digest, network)
        return network

    def get_version(self) -> DatasetVersion | None:
        with self._uow_factory() as uow:
            return uow.network.version()


def find_locations(
    network: CorridorNetwork,
    *,
    country: str | None = None,
    kind: LocationKind | None = None,
    query: str | None = None,
) -> list[Location]:
    """Locations filtered by country (ISO alpha-2), kind and a name/code substring, by id."""
    found = []
    for location in network.locations.values():
        if country and location.country != country.upper():
            continue
        if kind and location.kind is not kind:
            continue
        if query and query.lower() not in (location.name + " " + location.location_id).lower():
            continue
        found.append(location)
    return sorted(found, key=lambda x: x.location_id)


def find_legs(
    network: CorridorNetwork,
    *,
    mode: Mode | None = None,
    corridor: Corridor | None = None,
    location_id: str | None = None,
    country: str | None = None,
) -> list[Leg]:
    """Legs filtered by mode, corridor, an end location, or an end location's country."""
    if location_id is not None:
        network.get_location(location_id)
    found = []
    for leg in network.legs.values():
        if mode and leg.mode is not mode:
            continue
        if corridor and corridor not in leg.corridors:
            continue
        if location_id and location_id not in (leg.origin, leg.destination):
            continue
        if country and country.upper() not in {
            network.locations[leg.origin].country,
            network.locations[leg.destination].country,
        }:
            continue
        found.append(leg)
    return sorted(found, key=lambda x: x.leg_id)


def find_services(
    network: CorridorNetwork, *, mode: Mode | None = None, location_id: str | None = None
) -> list[Service]:
    """Services filtered by mode and by a location they call at."""
    if location_id is not None:
        network.get_location(location_id)
    return sorted(
        (
            s
            for s in network.services.values()
            if (mode is None or s.mode is mode) and (location_id is None or location_id in s.stops)
        ),
        key=lambda x: x.service_id,
    )


def find_tariffs(network: CorridorNetwork, *, scope: str | None = None) -> list[Tariff]:
    return sorted(
        (t for t in network.tariffs.values() if scope is None or t.scope == scope),
        key=lambda x: x.tariff_id,
    )


def find_sources(network: CorridorNetwork) -> list[Source]:
    return sorted(network.sources.values(), key=lambda x: x.source_id)
