"""SQLite through make_engine behaves like the PostgreSQL we deploy on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from tests.network_examples import small_network

from transcaspian.services.ports import DatasetVersion
from transcaspian.store.engine import make_engine
from transcaspian.store.migrations import upgrade_to_head
from transcaspian.store.unit_of_work import SqlAlchemyUnitOfWork


def test_an_in_memory_database_is_one_database_for_every_unit_of_work():
    engine = make_engine("sqlite://")
    upgrade_to_head(engine)
    network = small_network()
    version = DatasetVersion("c" * 64, "memory", datetime(2025, 1, 1, tzinfo=UTC), {})
    with SqlAlchemyUnitOfWork(engine) as uow:
        uow.network.replace(network, version)
        uow.commit()

    with SqlAlchemyUnitOfWork(engine) as uow:
        assert (uow.network.get(), uow.network.version()) == (network, version)
    engine.dispose()


def test_sqlite_enforces_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fk.sqlite3'}")
    upgrade_to_head(engine)

    with pytest.raises(IntegrityError, match="FOREIGN KEY"), engine.begin() as connection:
        connection.execute(
            text("INSERT INTO network_service_stops VALUES ('no-service', 0, 'NOWHERE')")
        )
    engine.dispose()


def test_a_rolled_back_sqlite_transaction_leaves_no_trace_even_of_reads_and_ddl(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'tx.sqlite3'}")
    with engine.connect() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.rollback()
    with engine.connect() as connection:
        tables = connection.execute(text("SELECT name FROM sqlite_master")).scalars().all()
    assert "t" not in tables
    engine.dispose()
