"""Fixtures for the document flow: a platform on the ``engine`` database (SQLite and
PostgreSQL), a clock the test moves, and a corridor of organisations with users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from tests.integration.documents.corridor import Corridor, build_corridor

from transcaspian.bootstrap import Platform
from transcaspian.services.network import NetworkReader
from transcaspian.settings import Settings
from transcaspian.store.unit_of_work import SqlAlchemyUnitOfWork


@dataclass
class MovableClock:
    at: datetime = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, **kwargs: float) -> None:
        self.at += timedelta(**kwargs)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def doc_platform(engine, clock) -> Platform:
    settings = Settings(database_url=str(engine.url), base_url="http://127.0.0.1:8000")

    def uow_factory():
        return SqlAlchemyUnitOfWork(engine)

    return Platform(
        settings=settings,
        engine=engine,
        uow_factory=uow_factory,
        clock=clock,
        network=NetworkReader(uow_factory),
    )


@pytest.fixture
def corridor(doc_platform) -> Corridor:
    return build_corridor(doc_platform)
