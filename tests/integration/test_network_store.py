"""The SQLAlchemy network store on SQLite and PostgreSQL: what it writes, what it refuses, and
how it behaves when two loads run at once. The shared contract is in
test_network_repository_contract.py."""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import StatementError
from tests.network_examples import networks, small_network, without_location

from transcaspian.data.loader import read_dataset
from transcaspian.domain.errors import ConflictError
from transcaspian.domain.network import Location, LocationId, SourceId
from transcaspian.services.network import load_dataset
from transcaspian.services.ports import DatasetVersion
from transcaspian.settings import BUNDLED_DATASET
from transcaspian.store.unit_of_work import SqlAlchemyUnitOfWork

WRITE = re.compile(r"^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+(\w+)", re.IGNORECASE)


class FixedClock:
    def __init__(self, at: datetime):
        self.at = at

    def now(self) -> datetime:
        return self.at


def version(digest: str = "a" * 64, hour: int = 0) -> DatasetVersion:
    return DatasetVersion(
        digest, "/data", datetime(2025, 6, 1, tzinfo=UTC) + timedelta(hours=hour), {"legs": 2}
    )


def store(engine: Engine, network, v: DatasetVersion | None = None) -> None:
    with SqlAlchemyUnitOfWork(engine) as uow:
        uow.network.replace(network, v or version())
        uow.commit()


def read(engine: Engine):
    with SqlAlchemyUnitOfWork(engine) as uow:
        return uow.network.get(), uow.network.version()


@contextmanager
def tables_written(engine: Engine) -> Iterator[list[str]]:
    """Collects the table of every INSERT, UPDATE and DELETE the engine runs in the block."""
    written: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        match = WRITE.match(statement)
        if match and "version_id < " not in statement:  # the write lock's no-op update
            written.append(match.group(2))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield written
    finally:
        event.remove(engine, "before_cursor_execute", record)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(network=networks())
def test_any_network_comes_back_from_the_database_unchanged(engine, network):
    # Each example replaces the whole stored network, so sharing the engine is sound.
    store(engine, network)

    got, _ = read(engine)

    assert got == network
    assert list(got.locations) == list(network.locations)
    assert list(got.legs) == list(network.legs)


def test_the_bundled_dataset_comes_back_from_the_store_as_it_was_read(engine):
    loaded_at = datetime(2025, 6, 1, 12, tzinfo=UTC)

    stored_version = load_dataset(
        SqlAlchemyUnitOfWork(engine), BUNDLED_DATASET, FixedClock(loaded_at)
    )

    network, v = read(engine)
    assert network == read_dataset(BUNDLED_DATASET)
    assert v == stored_version
    assert v.counts["legs"] == len(network.legs) > 0


def test_reloading_the_same_network_writes_only_the_version(engine):
    store(engine, small_network())

    with tables_written(engine) as written:
        store(engine, small_network(), version(hour=1))

    assert written == ["network_versions"]


def test_a_changed_figure_rewrites_only_its_own_row(engine):
    network = small_network()
    store(engine, network)
    leg = network.legs["KZAAU-AZALA-ferry"]
    changed = dataclasses.replace(
        network, legs={**network.legs, leg.leg_id: dataclasses.replace(leg, distance_km=471.5)}
    )

    with tables_written(engine) as written:
        store(engine, changed, version(hour=1))

    assert sorted(written) == ["network_legs", "network_versions"]
    assert read(engine)[0].legs[leg.leg_id].distance_km == 471.5


def test_removing_a_location_removes_the_rows_that_hang_on_it(engine):
    network = small_network()
    store(engine, network)

    store(engine, without_location(network, "GEPTI"), version(hour=1))

    with engine.connect() as connection:
        left = connection.execute(
            text(
                "SELECT count(*) FROM network_source_refs WHERE subject_id IN "
                "('GEPTI', 'AZALA-GEPTI-rail', 'alat-poti-block')"
            )
        ).scalar_one()
        corridors = connection.execute(
            text("SELECT count(*) FROM network_leg_corridors WHERE leg_id = 'AZALA-GEPTI-rail'")
        ).scalar_one()
    assert (left, corridors) == (0, 0)
    assert set(read(engine)[0].locations) == {"KZAAU", "AZALA", "GE-RDB"}


def test_a_location_another_table_refers_to_is_not_removed(engine):
    network = small_network()
    store(engine, network)
    with engine.begin() as connection:  # stands for another feature's table, e.g. shipments
        connection.execute(
            text(
                "CREATE TABLE test_shipments (location_id VARCHAR(32) NOT NULL "
                "REFERENCES network_locations (location_id))"
            )
        )
        connection.execute(text("INSERT INTO test_shipments VALUES ('GEPTI')"))

    with pytest.raises(ConflictError, match="network: conflicts with what is stored") as caught:
        store(engine, without_location(network, "GEPTI"), version(hour=1))

    assert caught.value.__cause__ is not None  # chained from the database's IntegrityError
    assert read(engine) == (network, version())


def test_a_figure_citing_a_source_the_network_lacks_is_a_conflict(engine):
    network = small_network()
    aktau = network.locations[LocationId("KZAAU")]
    orphan = dataclasses.replace(aktau, sources=(SourceId("no-such-source"),))
    broken = dataclasses.replace(
        network, locations={**network.locations, aktau.location_id: orphan}
    )

    with pytest.raises(ConflictError):
        store(engine, broken)

    assert read(engine) == (None, None)
    assert isinstance(orphan, Location)


def test_loaded_at_comes_back_as_the_same_instant_in_utc(engine):
    baku_time = datetime(2025, 6, 1, 16, 30, tzinfo=timezone(timedelta(hours=4)))

    store(engine, small_network(), dataclasses.replace(version(), loaded_at=baku_time))

    loaded_at = read(engine)[1].loaded_at
    assert loaded_at == baku_time
    assert loaded_at.utcoffset() == timedelta(0)
    assert loaded_at.hour == 12


def test_a_naive_loaded_at_is_refused_rather_than_guessed(engine):
    naive = dataclasses.replace(version(), loaded_at=datetime(2025, 6, 1, 12))

    with pytest.raises(StatementError, match="naive datetime"):
        store(engine, small_network(), naive)

    assert read(engine) == (None, None)


def test_two_loads_at_once_run_one_after_the_other(engine):
    first, second = small_network(), without_location(small_network(), "GEPTI")
    loads = [(first, version("a" * 64)), (second, version("b" * 64, hour=1))]
    start = threading.Barrier(len(loads))
    errors: list[BaseException] = []

    def load(network, v):
        try:
            with SqlAlchemyUnitOfWork(engine) as uow:
                start.wait(timeout=10)
                uow.network.replace(network, v)
                uow.commit()
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=load, args=pair) for pair in loads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert read(engine) in loads  # one whole load, never a mix of both


@pytest.mark.parametrize(
    "pause_after",
    ["FROM network_versions", "FROM network_sources"],
    ids=["between-version-and-network", "between-tables"],
)
def test_a_reader_never_sees_half_of_one_load_and_half_of_another(engine, pause_after):
    old, new = small_network(), without_location(small_network(), "GEPTI")
    store(engine, old)
    reader_midway, writer_done = threading.Event(), threading.Event()
    reader = threading.current_thread()

    def pause(conn, cursor, statement, parameters, context, executemany):
        # Midway through the reader's statements, give a writer the chance to commit before
        # the reader goes on. Without isolation its later reads would see the new rows.
        if threading.current_thread() is reader and pause_after in statement:
            reader_midway.set()
            writer_done.wait(timeout=1.5)

    def write():
        reader_midway.wait(timeout=10)
        store(engine, new, version("b" * 64, hour=1))
        writer_done.set()

    writer = threading.Thread(target=write)
    writer.start()
    event.listen(engine, "after_cursor_execute", pause)
    try:
        with SqlAlchemyUnitOfWork(engine) as uow:  # the order NetworkReader reads in
            got_version = uow.network.version()
            got = uow.network.get()
    finally:
        event.remove(engine, "after_cursor_execute", pause)
    writer.join(timeout=60)

    assert (got, got_version) == (old, version())
    assert read(engine) == (new, version("b" * 64, hour=1))
