"""Simulation endpoints: list scenarios, start a run (a background job), follow it, read its
results. Starting a run needs ``Authorization: Bearer <token>`` of an admin or clerk of a
carrier, forwarder or customs organisation (403 otherwise); reading is open, like the network."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from transcaspian.api.auth import ActorDep
from transcaspian.api.deps import get_platform
from transcaspian.api.problems import problem_responses
from transcaspian.api.schemas.simulation import (
    ScenarioOut,
    SimulationIn,
    SimulationOut,
    SimulationResultsOut,
    SummaryOut,
)

router = APIRouter(tags=["simulation"], responses=problem_responses(404))
RunId = Annotated[str, Path(max_length=32, description="the run's id")]


def _may_start(request: Request, actor: ActorDep) -> None:
    # a dependency, so a caller who may not start runs gets 403 before the body is read
    get_platform(request).simulations.check_may_start(actor)


@router.get("/simulation-scenarios", response_model=list[ScenarioOut], summary="Bundled scenarios")
def list_scenarios(request: Request) -> list[ScenarioOut]:
    return [
        ScenarioOut(
            scenario_id=s.scenario_id,
            title=s.title,
            description=s.description,
            extends=s.extends,
            years=list(s.years),
            flows=[f.flow_id for f in s.flows],
            interventions=[i.intervention_id for i in s.interventions],
        )
        for s in get_platform(request).simulations.scenarios()
    ]


@router.post(
    "/simulations",
    response_model=SimulationOut,
    status_code=202,
    summary="Start a Monte Carlo run of a scenario in the background",
    responses=problem_responses(401, 403, 422),
    dependencies=[Depends(_may_start)],
)
def start_simulation(request: Request, body: SimulationIn) -> SimulationOut:
    run = get_platform(request).simulations.start(
        body.scenario, replications=body.replications, years=body.years, seed=body.seed
    )
    return SimulationOut.from_domain(run)


@router.get("/simulations", response_model=list[SimulationOut], summary="Runs, newest first")
def list_simulations(request: Request) -> list[SimulationOut]:
    return [SimulationOut.from_domain(r) for r in get_platform(request).simulations.find_runs()]


@router.get(
    "/simulations/{run_id}", response_model=SimulationOut, summary="A run's status and progress"
)
def get_simulation(request: Request, run_id: RunId) -> SimulationOut:
    return SimulationOut.from_domain(get_platform(request).simulations.get_run(run_id))


@router.get(
    "/simulations/{run_id}/results",
    response_model=SimulationResultsOut,
    summary="A finished run's summary and bottlenecks",
    responses=problem_responses(422),
)
def get_simulation_results(request: Request, run_id: RunId) -> SimulationResultsOut:
    service = get_platform(request).simulations
    run = service.get_run(run_id)
    results = service.results(run_id)
    ranked = results["bottlenecks"][
        ["year", "rank", "resource", "kind", "location", "utilisation", "mean_wait_h"]
    ]
    return SimulationResultsOut(
        run=SimulationOut.from_domain(run),
        summary=[SummaryOut.from_domain(r) for r in service.summary(run_id)],
        bottlenecks=ranked.to_dict("records"),
    )
