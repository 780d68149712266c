"""The NetworkRepository contract, run against the memory store and SQLAlchemy on SQLite and
PostgreSQL alike, so the fake the unit tests use cannot drift from the real store."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.network_examples import small_network, without_location
from tests.plugins.database import isolated_database

from transcaspian.domain.errors import ConflictError
from transcaspian.domain.network import Capacity
from transcaspian.services.ports import DatasetVersion, UnitOfWork
from transcaspian.store.engine import make_engine
from transcaspian.store.memory import MemoryDatabase, MemoryUnitOfWork
from transcaspian.store.migrations import upgrade_to_head
from transcaspian.store.unit_of_work import SqlAlchemyUnitOfWork

UowFactory = Callable[[], UnitOfWork]


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def uow_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UowFactory]:
    if request.param == "memory":
        database = MemoryDatabase()
        yield lambda: MemoryUnitOfWork(database)  # type: ignore[return-value]
        return
    with isolated_database(request.param, request, tmp_path) as url:
        engine = make_engine(url)
        upgrade_to_head(engine)
        yield lambda: SqlAlchemyUnitOfWork(engine)  # type: ignore[return-value]
        engine.dispose()


def version(digest: str = "a" * 64, hour: int = 0) -> DatasetVersion:
    return DatasetVersion(
        digest=digest,
        origin="/data/corridor",
        loaded_at=datetime(2025, 6, 1, tzinfo=UTC) + timedelta(hours=hour),
        counts={"locations": 4, "legs": 2},
    )


def stored(uow_factory: UowFactory) -> tuple[object, object]:
    with uow_factory() as uow:
        return uow.network.get(), uow.network.version()


def test_an_empty_store_has_no_network_and_no_version(uow_factory):
    assert stored(uow_factory) == (None, None)


def test_a_committed_network_is_what_later_units_of_work_read(uow_factory):
    network = small_network()
    with uow_factory() as uow:
        uow.network.replace(network, version())
        uow.commit()

    assert stored(uow_factory) == (network, version())


def test_a_unit_of_work_reads_its_own_uncommitted_network(uow_factory):
    network = small_network()
    with uow_factory() as uow:
        uow.network.replace(network, version())

        assert uow.network.get() == network
        assert uow.network.version() == version()


def test_leaving_without_commit_stores_nothing(uow_factory):
    with uow_factory() as uow:
        uow.network.replace(small_network(), version())

    assert stored(uow_factory) == (None, None)


def test_an_error_inside_the_unit_of_work_rolls_the_replacement_back(uow_factory):
    first = small_network()
    with uow_factory() as uow:
        uow.network.replace(first, version())
        uow.commit()

    with pytest.raises(RuntimeError, match="boom"), uow_factory() as uow:
        uow.network.replace(without_location(first, "GEPTI"), version("b" * 64))
        raise RuntimeError("boom")

    assert stored(uow_factory) == (first, version())


def test_rollback_drops_the_replacement(uow_factory):
    with uow_factory() as uow:
        uow.network.replace(small_network(), version())
        uow.rollback()
        uow.commit()

    assert stored(uow_factory) == (None, None)


def test_a_second_load_replaces_the_first_whole(uow_factory):
    first = small_network()
    second = without_location(first, "GEPTI")
    for network, v in ((first, version()), (second, version("b" * 64, hour=1))):
        with uow_factory() as uow:
            uow.network.replace(network, v)
            uow.commit()

    network, v = stored(uow_factory)
    assert network == second
    assert "GEPTI" not in network.locations
    assert v == version("b" * 64, hour=1)


def test_loading_the_same_network_twice_stores_it_once(uow_factory):
    network = small_network()
    for hour in (0, 1):
        with uow_factory() as uow:
            uow.network.replace(network, version(hour=hour))
            uow.commit()

    assert stored(uow_factory) == (network, version(hour=1))


def test_two_capacities_with_one_id_are_a_conflict_and_store_nothing(uow_factory):
    network = small_network()
    twice = (*network.capacities, dataclasses.replace(network.capacities[0], value=1.0))
    broken = dataclasses.replace(network, capacities=twice)

    with uow_factory() as uow, pytest.raises(ConflictError, match="capacit"):
        uow.network.replace(broken, version())
        uow.commit()

    assert stored(uow_factory) == (None, None)
    assert isinstance(twice[0], Capacity)
