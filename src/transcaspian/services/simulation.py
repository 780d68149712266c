"""Use cases of the capacity simulation: list scenarios, store one, run one (now or in the
background), follow its progress, read its results, compare two runs, calibrate the baseline.

A scenario is named by id: a bundled one, or one an organisation stored through the API (its
YAML or JSON text, checked like a bundled file, kept in a ``ScenarioRepository``). A request's
name is never read as a path; only the CLI passes a ``Path`` (a file on the operator's machine).

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
from transcaspian.domain.errors import (
    ConflictError,
    InvalidValueError,
    NotFoundError,
    PermissionDeniedError,
)
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
    bundled_scenario_dir,
    check_against_network,
    list_scenarios,
    load_scenario,
    load_scenario_file,
    parse_scenario,
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
    "MAX_SCENARIO_TEXT",
    "RunStatus",
    "ScenarioRepository",
    "SimulationRepository",
    "SimulationRun",
    "SimulationService",
    "StoredScenario",
    "SummaryRow",
]

logger = logging.getLogger(__name__)
MAX_REPLICATIONS = 10_000
MAX_SCENARIO_TEXT = 256 * 1024  # characters of a stored scenario's YAML or JSON
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


@dataclass(frozen=True, slots=True)
class StoredScenario:
    """A scenario an organisation stored through the API: its text as sent, checked."""

    organisation: str
    scenario_id: str
    title: str
    text: str
    created_at: datetime
    created_by: str  # the user's id


class ScenarioRepository(Protocol):
    """Scenarios stored per organisation; every method is its own transaction."""

    def add(self, scenario: StoredScenario) -> None:
        """Store it; ConflictError when the organisation has a scenario of that id already."""

    def get(self, organisation: str, scenario_id: str) -> StoredScenario | None: ...

    def list_for(self, organisation: str) -> list[StoredScenario]: ...


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
    stored_scenarios: ScenarioRepository | None = None
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

    def scenarios(self, organisation: str | None = None) -> list[Scenario]:
        """The scenarios shipped with the package (or in ``scenario_dir``), by id, then those
        ``organisation`` stored."""
        bundled = list_scenarios(self.scenario_dir)
        if organisation is None or self.stored_scenarios is None:
            return bundled
        stored = self.stored_scenarios.list_for(organisation)
        return bundled + [self.scenario(s.scenario_id, organisation) for s in stored]

    def scenario(self, scenario_id: str, organisation: str | None = None) -> Scenario:
        """A scenario by id: one ``organisation`` stored, else a bundled one. Raises
        InvalidValueError for a name that is not an id (never read as a path), NotFoundError."""
        return load_scenario(scenario_id, self.scenario_dir, self._stored_lookup(organisation))

    def stored_scenarios_of(self, organisation: str) -> list[StoredScenario]:
        """The scenarios ``organisation`` stored, by id."""
        if self.stored_scenarios is None:
            return []
        return self.stored_scenarios.list_for(organisation)

    def stored_scenario(self, scenario_id: str, organisation: str) -> StoredScenario | None:
        """The stored text of one of ``organisation``'s scenarios (None for a bundled one)."""
        self.scenario(scenario_id, organisation)  # an id, and one that exists
        if self.stored_scenarios is None:
            return None
        return self.stored_scenarios.get(organisation, scenario_id)

    def store_scenario(self, actor: Actor, text: str) -> Scenario:
        """Check a scenario's YAML or JSON text like a bundled file (and against the network)
        and store it for the actor's organisation. Raises PermissionDeniedError (the actor may
        not start runs), DatasetError (one problem per line), ConflictError (the id is bundled
        or stored already), InvalidValueError (too long)."""
        self.check_may_start(actor)
        if self.stored_scenarios is None:
            raise InvalidValueError("scenarios cannot be stored here", field="scenario")
        if len(text) > MAX_SCENARIO_TEXT:
            raise InvalidValueError(
                f"scenario: at most {MAX_SCENARIO_TEXT} characters (got {len(text)})",
                field="scenario",
            )
        organisation = actor.organisation.slug
        scenario = parse_scenario(
            text, "scenario", self.scenario_dir, self._stored_lookup(organisation)
        )
        directory = self.scenario_dir or bundled_scenario_dir()
        if (directory / f"{scenario.scenario_id}.yaml").is_file():
            raise ConflictError(
                f"id: {scenario.scenario_id!r} is a bundled scenario; choose another id",
                field="id",
            )
        check_against_network(scenario, self.network())
        self.stored_scenarios.add(
            StoredScenario(
                organisation=organisation,
                scenario_id=scenario.scenario_id,
                title=scenario.title,
                text=text,
                created_at=self.clock.now(),
                created_by=actor.user.user_id,
            )
        )
        return scenario

    def _stored_lookup(self, organisation: str | None) -> Callable[[str], tuple[str, str] | None]:
        repository = self.stored_scenarios

        def find(scenario_id: str) -> tuple[str, str] | None:
            if organisation is None or repository is None:
                return None
            stored = repository.get(organisation, scenario_id)
            return None if stored is None else (stored.text, f"scenario {scenario_id}")

        return find

    def prepare(
        self,
        scenario: str | Path | Scenario,
        *,
        replications: int,
        years: Sequence[int] | None = None,
        seed: int = 2024,
        scheduler: str = "synchronous",
        organisation: str | None = None,
    ) -> SimulationRun:
        """Check everything and store a queued run; raises DatasetError, InvalidValueError or
        NotFoundError (and then stores nothing). ``scenario``: an id (``organisation``'s stored
        scenarios, then the bundled ones), a loaded Scenario, or a Path (the CLI's own file)."""
        run, _ = self._prepare(
            scenario,
            replications=replications,
            years=years,
            seed=seed,
            scheduler=scheduler,
            organisation=organisation,
        )
        return run

    def _prepare(
        self,
        scenario: str | Path | Scenario,
        *,
        replications: int,
        years: Sequence[int] | None,
        seed: int,
        scheduler: str,
        organisation: str | None,
    ) -> tuple[SimulationRun, Scenario]:
        if not 1 <= replications <= MAX_REPLICATIONS:
            raise InvalidValueError(
                f"replications: must be within 1..{MAX_REPLICATIONS} (got {replications})",
                field="replications",
            )
        loaded = self._resolve(scenario, organisation)
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
        return run, loaded

    def _resolve(self, scenario: str | Path | Scenario, organisation: str | None) -> Scenario:
        if isinstance(scenario, Scenario):
            return scenario
        if isinstance(scenario, Path):
            return load_scenario_file(scenario, self.scenario_dir)
        return self.scenario(scenario, organisation)

    def execute(
        self,
        run_id: str,
        *,
        scenario: str | Path | Scenario | None = None,
        workers: int = 2,
        progress: Callable[[int, int], None] | None = None,
    ) -> SimulationRun:
        """Run a prepared run to the end; a failure is stored as FAILED with its message.
        ``scenario`` is the run's (default: the bundled scenario of the run's id)."""
        run = self.get_run(run_id)
        started = replace(run, status=RunStatus.RUNNING, started_at=self.clock.now())
        self.repository.update(started)
        try:
            loaded = self._resolve(scenario or run.scenario_id, None)
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
        scenario: str | Path | Scenario,
        *,
        replications: int,
        years: Sequence[int] | None = None,
        seed: int = 2024,
        scheduler: str = "synchronous",
        workers: int = 2,
        progress: Callable[[int, int], None] | None = None,
    ) -> SimulationRun:
        """Prepare and execute a run in this thread (the CLI): a bundled id or a Path."""
        run, loaded = self._prepare(
            scenario,
            replications=replications,
            years=years,
            seed=seed,
            scheduler=scheduler,
            organisation=None,
        )
        return self.execute(run.run_id, scenario=loaded, workers=workers, progress=progress)

    def start(
        self,
        scenario_id: str,
        *,
        replications: int,
        years: Sequence[int] | None = None,
        seed: int = 2024,
        scheduler: str = "synchronous",
        organisation: str | None = None,
    ) -> SimulationRun:
        """Prepare a run of a scenario named by id (``organisation``'s stored scenarios, then
        the bundled ones; never a path) and execute it in a background thread (the API);
        returns at once."""
        if not isinstance(scenario_id, str):
            raise InvalidValueError("scenario: must be a scenario id", field="scenario")
        run, loaded = self._prepare(
            scenario_id,
            replications=replications,
            years=years,
            seed=seed,
            scheduler=scheduler,
            organisation=organisation,
        )

        def work() -> None:
            try:
                self.execute(run.run_id, scenario=loaded)
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
        scenario = self.scenario(CALIBRATION_SCENARIO)
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
