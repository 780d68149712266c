"""Simulation runs and summaries, and stored scenarios: SQLAlchemy repositories and in-memory
ones (tests).

Each method is its own short transaction: a background run updates its progress while the API
reads it from another thread, so no session is shared across threads.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from transcaspian.domain.errors import ConflictError
from transcaspian.services.simulation import (
    RunStatus,
    SimulationRun,
    StoredScenario,
    SummaryRow,
)
from transcaspian.store.errors import conflicts_as_domain_errors
from transcaspian.store.rows.simulation import (
    SimulationRunRow,
    SimulationSummaryRow,
    StoredScenarioRow,
)

__all__ = [
    "InMemoryScenarioRepository",
    "InMemorySimulationRepository",
    "SqlScenarioRepository",
    "SqlSimulationRepository",
]


class SqlSimulationRepository:
    """Runs and summaries in the ``simulation_runs`` and ``simulation_summaries`` tables."""

    def __init__(self, engine: Engine):
        self._engine = engine

    def add(self, run: SimulationRun) -> None:
        with Session(self._engine) as session, session.begin():
            session.add(_to_row(run))

    def update(self, run: SimulationRun) -> None:
        with Session(self._engine) as session, session.begin():
            session.merge(_to_row(run))

    def get(self, run_id: str) -> SimulationRun | None:
        with Session(self._engine) as session:
            row = session.get(SimulationRunRow, run_id)
            return None if row is None else _from_row(row)

    def list_runs(self) -> list[SimulationRun]:
        with Session(self._engine) as session:
            rows = session.scalars(
                select(SimulationRunRow).order_by(SimulationRunRow.created_at.desc())
            )
            return [_from_row(r) for r in rows]

    def save_summary(self, run: SimulationRun, rows: Sequence[SummaryRow]) -> None:
        with Session(self._engine) as session, session.begin():
            session.execute(
                delete(SimulationSummaryRow).where(SimulationSummaryRow.run_id == run.run_id)
            )
            session.merge(_to_row(run))
            session.flush()
            session.add_all(
                SimulationSummaryRow(
                    run_id=r.run_id,
                    year=r.year,
                    category=r.category,
                    subject=r.subject,
                    metric=r.metric,
                    value=r.value,
                    ci95=r.ci95,
                )
                for r in rows
            )

    def summary(self, run_id: str) -> list[SummaryRow]:
        with Session(self._engine) as session:
            rows = session.scalars(
                select(SimulationSummaryRow)
                .where(SimulationSummaryRow.run_id == run_id)
                .order_by(
                    SimulationSummaryRow.year,
                    SimulationSummaryRow.category,
                    SimulationSummaryRow.subject,
                    SimulationSummaryRow.metric,
                )
            )
            return [
                SummaryRow(r.run_id, r.year, r.category, r.subject, r.metric, r.value, r.ci95)
                for r in rows
            ]


class SqlScenarioRepository:
    """Stored scenarios in the ``simulation_scenarios`` table, by organisation and id."""

    def __init__(self, engine: Engine):
        self._engine = engine

    def add(self, scenario: StoredScenario) -> None:
        subject = f"scenario {scenario.scenario_id!r}"
        key = (scenario.organisation, scenario.scenario_id)
        with (
            conflicts_as_domain_errors(subject, field="id"),
            Session(self._engine) as session,
            session.begin(),
        ):
            if session.get(StoredScenarioRow, key) is not None:
                raise _exists(scenario)
            session.add(
                StoredScenarioRow(
                    organisation=scenario.organisation,
                    scenario_id=scenario.scenario_id,
                    title=scenario.title,
                    text=scenario.text,
                    created_at=scenario.created_at,
                    created_by=scenario.created_by,
                )
            )

    def get(self, organisation: str, scenario_id: str) -> StoredScenario | None:
        with Session(self._engine) as session:
            row = session.get(StoredScenarioRow, (organisation, scenario_id))
            return None if row is None else _scenario(row)

    def list_for(self, organisation: str) -> list[StoredScenario]:
        with Session(self._engine) as session:
            rows = session.scalars(
                select(StoredScenarioRow)
                .where(StoredScenarioRow.organisation == organisation)
                .order_by(StoredScenarioRow.scenario_id)
            )
            return [_scenario(r) for r in rows]


class InMemoryScenarioRepository:
    """The same contract in memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.scenarios: dict[tuple[str, str], StoredScenario] = {}

    def add(self, scenario: StoredScenario) -> None:
        with self._lock:
            key = (scenario.organisation, scenario.scenario_id)
            if key in self.scenarios:
                raise _exists(scenario)
            self.scenarios[key] = scenario

    def get(self, organisation: str, scenario_id: str) -> StoredScenario | None:
        with self._lock:
            return self.scenarios.get((organisation, scenario_id))

    def list_for(self, organisation: str) -> list[StoredScenario]:
        with self._lock:
            return sorted(
                (s for (org, _), s in self.scenarios.items() if org == organisation),
                key=lambda s: s.scenario_id,
            )


def _exists(scenario: StoredScenario) -> ConflictError:
    return ConflictError(
        f"id: {scenario.organisation} has stored a scenario {scenario.scenario_id!r} already",
        field="id",
    )


def _scenario(row: StoredScenarioRow) -> StoredScenario:
    return StoredScenario(
        organisation=row.organisation,
        scenario_id=row.scenario_id,
        title=row.title,
        text=row.text,
        created_at=row.created_at,
        created_by=row.created_by,
    )


class InMemorySimulationRepository:
    """The same contract in memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.runs: dict[str, SimulationRun] = {}
        self.summaries: dict[str, list[SummaryRow]] = {}

    def add(self, run: SimulationRun) -> None:
        with self._lock:
            self.runs[run.run_id] = run

    def update(self, run: SimulationRun) -> None:
        with self._lock:
            self.runs[run.run_id] = run

    def get(self, run_id: str) -> SimulationRun | None:
        with self._lock:
            return self.runs.get(run_id)

    def list_runs(self) -> list[SimulationRun]:
        with self._lock:
            return sorted(self.runs.values(), key=lambda r: r.created_at, reverse=True)

    def save_summary(self, run: SimulationRun, rows: Sequence[SummaryRow]) -> None:
        with self._lock:
            self.runs[run.run_id] = run
            self.summaries[run.run_id] = sorted(
                rows, key=lambda r: (r.year, r.category, r.subject, r.metric)
            )

    def summary(self, run_id: str) -> list[SummaryRow]:
        with self._lock:
            return list(self.summaries.get(run_id, []))


def _to_row(run: SimulationRun) -> SimulationRunRow:
    return SimulationRunRow(
        run_id=run.run_id,
        scenario_id=run.scenario_id,
        title=run.title,
        status=run.status.value,
        replications=run.replications,
        years=list(run.years),
        seed=run.seed,
        scheduler=run.scheduler,
        workers=run.workers,
        events=run.events,
        progress_done=run.progress_done,
        progress_total=run.progress_total,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        error=run.error,
        results_path=run.results_path,
        dataset_digest=run.dataset_digest,
    )


def _from_row(row: SimulationRunRow) -> SimulationRun:
    run = SimulationRun(
        run_id=row.run_id,
        scenario_id=row.scenario_id,
        title=row.title,
        status=RunStatus(row.status),
        replications=row.replications,
        years=tuple(int(y) for y in row.years),
        seed=row.seed,
        scheduler=row.scheduler,
        created_at=row.created_at,
    )
    return replace(
        run,
        progress_done=row.progress_done,
        progress_total=row.progress_total,
        workers=row.workers,
        events=row.events,
        started_at=row.started_at,
        finished_at=row.finished_at,
        error=row.error,
        results_path=row.results_path,
        dataset_digest=row.dataset_digest,
    )
