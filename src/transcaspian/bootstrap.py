"""Composition root: Settings -> engine, unit of work, services.

The only module that imports the store together with the adapters' needs. Entrypoints call
``build_platform(get_settings())`` and hand the Platform to ``api.app.create_app``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from transcaspian.services.audit import AuditService, AuditSigning
from transcaspian.services.documents import DocumentService
from transcaspian.services.network import NetworkReader, load_dataset
from transcaspian.services.organisations import OrganisationService
from transcaspian.services.planning import PlanningService
from transcaspian.services.ports import Clock, UnitOfWork
from transcaspian.services.simulation import SimulationService
from transcaspian.services.trust_reads import SnapshotDocumentVerifier
from transcaspian.services.verification import DocumentVerifier
from transcaspian.settings import Settings
from transcaspian.store.engine import make_engine
from transcaspian.store.migrations import upgrade_to_head
from transcaspian.store.simulation_repositories import (
    SqlScenarioRepository,
    SqlSimulationRepository,
)
from transcaspian.store.trust_reads import SqlTrustReads
from transcaspian.store.unit_of_work import SqlAlchemyUnitOfWork


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class Platform:
    """Everything the adapters need, built once per process."""

    settings: Settings
    engine: Engine
    uow_factory: Callable[[], UnitOfWork]
    clock: Clock
    network: NetworkReader
    organisations: OrganisationService = field(init=False)
    documents: DocumentService = field(init=False)
    audit: AuditService = field(init=False)
    verifier: DocumentVerifier = field(init=False)
    simulations: SimulationService = field(init=False)
    planning: PlanningService = field(init=False)

    def __post_init__(self) -> None:
        # the document flow's services need only what is above, so any way of building a
        # Platform (tests included) gets them
        base_url, secret = self.settings.base_url, self.settings.secret_key
        self.organisations = OrganisationService(
            self.uow_factory,
            self.clock,
            base_url=base_url,
            secret_key=secret,
            token_lifetime=timedelta(days=self.settings.token_lifetime_days),
            session_lifetime=timedelta(hours=self.settings.session_lifetime_hours),
        )
        self.documents = DocumentService(
            self.uow_factory, self.clock, base_url=base_url, secret_key=secret
        )
        self.audit = AuditService(
            self.uow_factory,
            self.clock,
            AuditSigning.for_platform(base_url=base_url, secret_key=secret),
        )
        self.verifier = SnapshotDocumentVerifier(
            SqlTrustReads(self.engine), self.uow_factory, self.clock, base_url=base_url
        )
        self.planning = PlanningService(self.network.get_network)
        self.simulations = SimulationService(
            SqlSimulationRepository(self.engine),
            self.network.get_network,
            self.settings.runs_path,
            self.clock,
            dataset_digest=self._dataset_digest,
            stored_scenarios=SqlScenarioRepository(self.engine),
        )

    def _dataset_digest(self) -> str:
        version = self.network.get_version()
        return version.digest if version else ""


def build_platform(settings: Settings, clock: Clock | None = None) -> Platform:
    """Wire the store and the services for these settings (no I/O beyond creating the engine)."""
    engine = make_engine(settings.database_url)
    # one sessionmaker: making one per unit of work builds a Session class each time
    sessions = sessionmaker(engine, expire_on_commit=False)

    def uow_factory() -> UnitOfWork:
        return SqlAlchemyUnitOfWork(sessions)

    return Platform(
        settings=settings,
        engine=engine,
        uow_factory=uow_factory,
        clock=clock or SystemClock(),
        network=NetworkReader(uow_factory),
    )


def upgrade_database(settings: Settings) -> None:
    """Apply every migration to the configured database."""
    engine = make_engine(settings.database_url)
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()  # close its connections now, not whenever it is collected


def prepare_database(settings: Settings) -> None:
    """Upgrade the schema and load the configured dataset when none is stored yet."""
    upgrade_database(settings)
    platform = build_platform(settings)
    try:
        with platform.uow_factory() as uow:
            stored = uow.network.version()
        if stored is None:
            load_dataset(platform.uow_factory(), settings.dataset_path, platform.clock)
    finally:
        platform.engine.dispose()
