"""Use cases of the capacity simulation: list scenarios, run one (now or in the background),
follow its progress, read its results, compare two runs, calibrate the baseline.

A run is checked completely before anything is stored: the scenario file (one problem per
line), its references into the corridor network, and every figure the model needs. A run
writes its per-replication tables as Parquet under ``runs_path/<run_id>/`` and a summary (means
with 95 % intervals) to the database through a ``SimulationRepository``, so runs of different
scenarios can be compared.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol

import pandas as pd

from transcaspian.domain.documents.parties import Actor, OrgRole, UserRole
from transcaspian.domain.errors import InvalidValueError, NotFoundError, PermissionDeniedError
from transcaspian.domain.network import CorridorNetwork
from transcaspian.services.ports import Clock
from transcaspian.sim.calibration import (
    CALIBRATION_SCENARIO,
    CALIBRATION_YEAR,
    CalibrationRow,
    calibrate,
    calibration_markdown,
)
from transcaspian.sim.model import CorridorModel, build_model
from transcaspian.sim.montecarlo import run_monte_carlo
from transcaspian.sim.scenarios import (
    Scenario,
    check_against_network,
    list_scenarios,
    load_scenario,
)
from transcaspian.sim.summary import (
    bottlenecks,
    compare_runs,
    model_table,
    summarise,
    tables_from_results,
)

__all__ = [
    "MAX_REPLICATIONS",
    "RunStatus",
    "SimulationRepository",
    "SimulationRun",
    "SimulationService",
    "SummaryRow",
]

logger = logging.getLogger(__name__)
MAX_REPLICATIONS = 10_000
_TABLES = ("queues", "resources", "throughput", "transit", "samples", "model")
# who may start a run through the API: people who plan or operate the corridor (a run takes
# minutes of CPU, so not every account may start one)
SIMULATION_ROLES = frozenset({OrgRole.CARRIER, OrgRole.FORWARDER, OrgRole.CUSTOMS})


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class SimulationRun:
    """One Monte Carlo run of a scenario and where its results are."""

    run_id: str
    scenario_id: str
    title: str
    status: RunStatus
    replications: int
    years: tuple[int, ...]
    seed: int
    scheduler: str  # "synchronous", "local" or a scheduler address
    created_at: datetime
    progress_done: int = 0
    progress_total: int = 0
    workers: int = 0
    events: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str = ""
    results_path: str = ""
    dataset_digest: str = ""

    @property
    def progress(self) -> float:
        return self.progress_done / self.progress_total if self.progress_total else 0.0


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One summarised number of a run: e.g. (2030, queue, yard:…, mean_wait_h, 14.1, 0.8)."""

    run_id: str
    year: int
    category: str  # queue | resource | throughput | transit
    subject: str
    metric: str
    value: float
    ci95: float


class SimulationRepository(Protocol):
    """Stored runs and their summaries; every method is its own transaction."""

    def add(self, run: SimulationRun) -> None: ...

    def update(self, run: SimulationRun) -> None: ...

    def get(self, run_id: str) -> SimulationRun | None: ...

    def list_runs(self) -> list[SimulationRun]: ...

    def save_summary(self, run: SimulationRun, rows: Sequence[SummaryRow]) -> None:
        """Store the summary rows and the finished run together (one transaction)."""

    def summary(self, run_id: str) -> list[SummaryRow]: ...


@dataclass
class SimulationService:
    """The simulation use cases over a repository, the corridor network and a runs directory."""

    repository: SimulationRepository
    network: Callable[[], CorridorNetwork]
    runs_path: Path
    clock: Clock
    dataset_digest: Callable[[], str] = lambda: ""
    scenario_dir: Path | None = None
    _threads: dict[str, threading.Thread] = field(default_factory=dict, repr=False)

    def check_may_start(self, actor: Actor) -> None:
        """Raise PermissionDeniedError unless the actor may start runs: a non-viewer user of a
        carrier, forwarder or customs organisation."""
        if actor.user.role is UserRole.VIEWER or not (actor.organisation.roles & SIMULATION_ROLES):
            raise PermissionDeniedError(
                f"{actor.label} may not start simulations: only admins and clerks of carriers, "
                "forwarders and customs organisations may",
                code="permission-denied",
            )

    def scenarios(self) -> list[Scenario]:
        """The scenarios shipped with the package (or in ``scenario_dir``), by id."""
        return list_scenarios(self.scenario_dir)

    def prepare(
        self,
        scenario: str | Path,
        *,
        replications: int,
        years: Sequence[int] | None = None,
        seed: int = 2024,
        scheduler: str = "synchronous",
    ) -> SimulationRun:
        """Check everything and store a queued run; raises DatasetError, InvalidValueError or
        NotFoundError (and then stores nothing)."""
        if not 1 <= replications <= MAX_REPLICATIONS:
            raise InvalidValueError(
                f"replications: must be within 1..{MAX_REPLICATIONS} (got {replications})",
                field="replications",
            )
        loaded = load_scenario(scenario, self.scenario_dir)
        network = self.network()
        check_against_network(loaded, network)
        chosen = tuple(sorted(set(years))) if years else loaded.years
        self._models(loaded, network, chosen)  # every figure the model needs is there
        run = SimulationRun(
            run_id=uuid.uuid4().hex[:12],
            scenario_id=loaded.scenario_id,
            title=loaded.title,
            status=RunStatus.QUEUED,
            replications=replications,
            years=chosen,
            seed=seed,
            scheduler=scheduler,
            created_at=self.clock.now(),
            progress_total=replications * len(chosen),
            dataset_digest=self.dataset_digest(),
        )
        self.repository.add(run)
        return run

    def execute(
        self,
        run_id: str,
        *,
        scenario: str | Path | None = None,
        workers: int = 2,
        progress: Callable[[int, int], None] | None = None,
    ) -> SimulationRun:
        """Run a prepared run to the end; a failure is stored as FAILED with its message."""
        run = self.get_run(run_id)
        started = replace(run, status=RunStatus.RUNNING, started_at=self.clock.now())
        self.repository.update(started)
        try:
            loaded = load_scenario(scenario or run.scenario_id, self.scenario_dir)
            models = self._models(loaded, self.network(), run.years)

            def report(done: int, total: int) -> None:
                self.repository.update(replace(started, progress_done=done))
                if progress:
                    progress(done, total)

            address = None if run.scheduler == "local" else run.scheduler
            outcome = run_monte_carlo(
                models,
                run.replications,
                run.seed,
                scheduler=address,
                workers=workers,
                progress=report,
            )
            tables = tables_from_results(outcome.results)
            tables["model"] = model_table(models)
            directory = self.runs_path / run.run_id
            _write_tables(directory, tables)
            summary = summarise(tables)
            finished = replace(
                started,
                status=RunStatus.DONE,
                progress_done=run.progress_total,
                workers=outcome.workers,
                events=sum(r.events for r in outcome.results),
                finished_at=self.clock.now(),
                results_path=str(directory),
            )
            self.repository.save_summary(finished, _summary_rows(run.run_id, summary))
            return finished
        except Exception as error:
            logger.exception("simulation run %s failed", run_id)
            failed = replace(
                started,
                status=RunStatus.FAILED,
                finished_at=self.clock.now(),
                error=f"{type(error).__name__}: {error}",
            )
            self.repository.update(failed)
            raise

    def run(
        self,
        scenario: str | Path,
        *,
        replications: int,
        years: Sequence[int] | None = None,
        seed: int = 2024,
        scheduler: str = "synchronous",
        workers: int = 2,
        progress: Callable[[int, int], None] | None = None,
    ) -> SimulationRun:
        """Prepare and execute a run in this thread (the CLI)."""
        run = self.prepare(
            scenario, replications=replications, years=years, seed=seed, scheduler=scheduler
        )
        return self.execute(run.run_id, scenario=scenario, workers=workers, progress=progress)

    def start(
        self,
        scenario: str,
        *,
        replications: int,
        years: Sequence[int] | None = None,
        seed: int = 2024,
        scheduler: str = "synchronous",
    ) -> SimulationRun:
        """Prepare a run and execute it in a background thread (the API); returns at once."""
        run = self.prepare(
            scenario, replications=replications, years=years, seed=seed, scheduler=scheduler
        )

        def work() -> None:
            try:
                self.execute(run.run_id)
            except Exception:  # stored as FAILED by execute
                return

        thread = threading.Thread(target=work, name=f"simulation-{run.run_id}", daemon=True)
        self._threads[run.run_id] = thread
        thread.start()
        return run

    def wait(self, run_id: str, timeout_s: float | None = None) -> SimulationRun:
        """Wait for a background run to end (tests)."""
        thread = self._threads.get(run_id)
        if thread is not None:
            thread.join(timeout_s)
        return self.get_run(run_id)

    def get_run(self, run_id: str) -> SimulationRun:
        run = self.repository.get(run_id)
        if run is None:
            raise NotFoundError(f"simulation run {run_id!r} not found", field="run_id")
        return run

    def find_runs(self) -> list[SimulationRun]:
        return self.repository.list_runs()

    def summary(self, run_id: str) -> list[SummaryRow]:
        self.get_run(run_id)
        return self.repository.summary(run_id)

    def tables(self, run_id: str) -> dict[str, pd.DataFrame]:
        """The per-replication Parquet tables of a finished run."""
        run = self.get_run(run_id)
        if run.status is not RunStatus.DONE:
            raise InvalidValueError(
                f"run_id: run {run_id} is {run.status.value}, not done", field="run_id"
            )
        return _read_tables(Path(run.results_path))

    def results(self, run_id: str) -> dict[str, pd.DataFrame]:
        """Summaries (means and 95 % intervals), the bottlenecks ranked per year, and the
        transit-time samples (``samples``) for distributions."""
        tables = self.tables(run_id)
        summary = summarise(tables)
        summary["samples"] = tables["samples"]
        summary["bottlenecks"] = pd.concat(
            [bottlenecks(summary, int(y)) for y in sorted(summary["resources"]["year"].unique())],
            ignore_index=True,
        )
        return summary

    def compare(self, base_run_id: str, other_run_id: str) -> dict[str, pd.DataFrame]:
        """``other`` minus ``base``, paired by replication, with 95 % intervals."""
        return compare_runs(self.tables(base_run_id), self.tables(other_run_id))

    def latest_run(self, scenario_id: str) -> SimulationRun | None:
        runs = [
            r
            for r in self.repository.list_runs()
            if r.scenario_id == scenario_id and r.status is RunStatus.DONE
        ]
        return max(runs, key=lambda r: r.created_at) if runs else None

    def calibrate(
        self, *, replications: int = 20, seed: int = 2024, scheduler: str = "synchronous"
    ) -> tuple[list[CalibrationRow], str]:
        """Run the baseline for the calibration year; the rows and the Markdown report."""
        run = self.run(
            CALIBRATION_SCENARIO,
            replications=replications,
            years=[CALIBRATION_YEAR],
            seed=seed,
            scheduler=scheduler,
        )
        summary = summarise(self.tables(run.run_id))
        rows = calibrate(summary)
        network = self.network()
        scenario = load_scenario(CALIBRATION_SCENARIO, self.scenario_dir)
        urls: dict[str, str] = {str(k): v.url for k, v in network.sources.items()}
        urls.update({k: v.url for k, v in scenario.sources.items()})
        text = calibration_markdown(
            rows,
            replications=replications,
            seed=seed,
            source_urls=urls,
            dataset_digest=run.dataset_digest,
        )
        return rows, text

    def _models(
        self, scenario: Scenario, network: CorridorNetwork, years: Sequence[int]
    ) -> dict[int, CorridorModel]:
        return {year: build_model(network, scenario, year) for year in years}


def _write_tables(directory: Path, tables: dict[str, pd.DataFrame]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_parquet(directory / f"{name}.parquet", index=False)


def _read_tables(directory: Path) -> dict[str, pd.DataFrame]:
    tables = {}
    for name in _TABLES:
        path = directory / f"{name}.parquet"
        if not path.is_file():
            raise NotFoundError(f"results file {path} is missing", field="results_path")
        tables[name] = pd.read_parquet(path)
    return tables


_SUMMARY_COLUMNS = {
    "queues": (
        "queue",
        "queue",
        ("mean_wait_h", "p50_wait_h", "p90_wait_h", "mean_length", "p90_length"),
    ),
    "resources": ("resource", "resource", ("utilisation",)),
    "throughput": ("throughput", "node", ("units",)),
    "transit": ("transit", "flow", ("mean_h", "p50_h", "p90_h", "delivered_units")),
}


def _summary_rows(run_id: str, summary: dict[str, pd.DataFrame]) -> list[SummaryRow]:
    rows: list[SummaryRow] = []
    for table, (category, subject, metrics) in _SUMMARY_COLUMNS.items():
        frame = summary[table]
        for record in frame.to_dict("records"):
            name = str(record[subject])
            if table == "throughput":
                name = f"{name}:{record['unit']}"
            for metric in metrics:
                rows.append(
                    SummaryRow(
                        run_id=run_id,
                        year=int(record["year"]),
                        category=category,
                        subject=name,
                        metric=metric,
                        value=float(record[metric]),
                        ci95=float(record.get(f"{metric}_ci95", 0.0)),
                    )
                )
    return rows
