"""Request and response bodies of the simulation endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from transcaspian.services.simulation import MAX_REPLICATIONS, SimulationRun, SummaryRow
from transcaspian.sim.scenarios import MAX_SCENARIO_ID, SCENARIO_ID_PATTERN, Scenario


class SimulationIn(BaseModel):
    """Start a Monte Carlo run of a scenario: bundled, or stored by your organisation."""

    model_config = ConfigDict(extra="forbid")

    scenario: str = Field(
        min_length=1,
        max_length=MAX_SCENARIO_ID,
        pattern=SCENARIO_ID_PATTERN,
        description="a scenario id (never a path): see GET /api/v1/scenarios",
        examples=["world-bank-11mt-2030"],
    )
    replications: int = Field(ge=1, le=MAX_REPLICATIONS, examples=[20])
    years: list[int] | None = Field(default=None, examples=[[2024, 2030]])
    seed: int = Field(default=2024, ge=0, le=2**32 - 1)


class SimulationOut(BaseModel):
    """A run: its status and progress (replication-years done of the total)."""

    run_id: str
    scenario_id: str
    title: str
    status: str
    progress: float
    progress_done: int
    progress_total: int
    replications: int
    years: list[int]
    seed: int
    workers: int
    events: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str
    results_url: str

    @classmethod
    def from_domain(cls, run: SimulationRun) -> SimulationOut:
        return cls(
            run_id=run.run_id,
            scenario_id=run.scenario_id,
            title=run.title,
            status=run.status.value,
            progress=run.progress,
            progress_done=run.progress_done,
            progress_total=run.progress_total,
            replications=run.replications,
            years=list(run.years),
            seed=run.seed,
            workers=run.workers,
            events=run.events,
            created_at=run.created_at,
            started_at=run.started_at,
            finished_at=run.finished_at,
            error=run.error,
            results_url=f"/api/v1/simulations/{run.run_id}/results",
        )


class SummaryOut(BaseModel):
    year: int
    category: str
    subject: str
    metric: str
    value: float
    ci95: float

    @classmethod
    def from_domain(cls, row: SummaryRow) -> SummaryOut:
        return cls(
            year=row.year,
            category=row.category,
            subject=row.subject,
            metric=row.metric,
            value=row.value,
            ci95=row.ci95,
        )


class SimulationResultsOut(BaseModel):
    """The summary of a finished run: means over replications with 95 % intervals, and the
    bottlenecks ranked by utilisation per year."""

    run: SimulationOut
    summary: list[SummaryOut]
    bottlenecks: list[dict[str, Any]]


class ScenarioOut(BaseModel):
    scenario_id: str
    title: str
    description: str
    extends: str
    years: list[int]
    flows: list[str]
    interventions: list[str]
    stored_by: str | None = Field(
        default=None, description="the organisation that stored it; null for a bundled one"
    )

    @classmethod
    def from_domain(cls, scenario: Scenario, stored_by: str | None = None) -> ScenarioOut:
        return cls(
            scenario_id=scenario.scenario_id,
            title=scenario.title,
            description=scenario.description,
            extends=scenario.extends,
            years=list(scenario.years),
            flows=[f.flow_id for f in scenario.flows],
            interventions=[i.intervention_id for i in scenario.interventions],
            stored_by=stored_by,
        )


class StoredScenarioOut(ScenarioOut):
    """A scenario and, for a stored one, its text (the YAML or JSON as sent)."""

    text: str | None = Field(default=None, description="null for a bundled scenario")
    created_at: datetime | None = None
