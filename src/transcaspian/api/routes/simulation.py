"""Simulation endpoints: list and store scenarios, start a run (a background job), follow it,
read its results. Starting a run or storing a scenario needs ``Authorization: Bearer <token>``
of an admin or clerk of a carrier, forwarder or customs organisation (403 otherwise); runs and
the bundled scenarios are open to read, like the network; stored scenarios to the organisation.

A run names its scenario by id: one the caller's organisation stored (``POST /scenarios`` with
the scenario as YAML or JSON), else a bundled one. A name is never read as a server path."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from transcaspian.api.auth import ActorDep
from transcaspian.api.deps import get_platform
from transcaspian.api.problems import problem_responses
from transcaspian.api.schemas.simulation import (
    ScenarioOut,
    SimulationIn,
    SimulationOut,
    SimulationResultsOut,
    StoredScenarioOut,
    SummaryOut,
)
from transcaspian.domain.errors import InvalidValueError
from transcaspian.sim.scenarios import MAX_SCENARIO_ID, SCENARIO_ID_PATTERN

router = APIRouter(tags=["simulation"], responses=problem_responses(404))
RunId = Annotated[str, Path(max_length=32, description="the run's id")]
ScenarioId = Annotated[
    str,
    Path(max_length=MAX_SCENARIO_ID, pattern=SCENARIO_ID_PATTERN, description="a scenario id"),
]
# the media types a scenario may be sent as (YAML; JSON, which YAML reads too)
SCENARIO_MEDIA_TYPES = (
    "application/yaml",
    "application/x-yaml",
    "text/yaml",
    "text/x-yaml",
    "application/json",
)
_SCENARIO_BODY = {
    "required": True,
    "description": "a scenario, as in src/transcaspian/sim/scenarios/*.yaml",
    "content": {
        media: {"schema": {"type": "string"} if "yaml" in media else {"type": "object"}}
        for media in SCENARIO_MEDIA_TYPES
    },
}


def _may_start(request: Request, actor: ActorDep) -> None:
    # a dependency, so a caller who may not start runs gets 403 before the body is read
    get_platform(request).simulations.check_may_start(actor)


@router.get("/simulation-scenarios", response_model=list[ScenarioOut], summary="Bundled scenarios")
def list_scenarios(request: Request) -> list[ScenarioOut]:
    return [ScenarioOut.from_domain(s) for s in get_platform(request).simulations.scenarios()]


@router.get(
    "/scenarios",
    response_model=list[ScenarioOut],
    summary="The bundled scenarios and those your organisation stored",
    responses=problem_responses(401),
)
def list_all_scenarios(request: Request, actor: ActorDep) -> list[ScenarioOut]:
    service = get_platform(request).simulations
    slug = actor.organisation.slug
    stored = {s.scenario_id for s in service.stored_scenarios_of(slug)}
    return [
        ScenarioOut.from_domain(s, slug if s.scenario_id in stored else None)
        for s in service.scenarios(slug)
    ]


@router.post(
    "/scenarios",
    response_model=ScenarioOut,
    status_code=201,
    summary="Store a scenario (YAML or JSON) for your organisation's runs",
    responses=problem_responses(401, 403, 409, 415, 422),
    dependencies=[Depends(_may_start)],
    openapi_extra={"requestBody": _SCENARIO_BODY},
)
async def store_scenario(request: Request, actor: ActorDep, response: Response) -> ScenarioOut:
    """Checked like a bundled file, and against the corridor network: 422 lists every problem
    (``errors`` with the key of each), 409 when the id is bundled or stored already. Its id
    then names it in ``POST /simulations``; its ``extends`` may name a bundled scenario or one
    your organisation stored."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in SCENARIO_MEDIA_TYPES:
        raise HTTPException(
            415, f"content-type: send the scenario as {', '.join(SCENARIO_MEDIA_TYPES)}"
        )
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidValueError("body: the scenario is not UTF-8 text", field="/body") from None
    platform = get_platform(request)
    scenario = await run_in_threadpool(platform.simulations.store_scenario, actor, text)
    response.headers["Location"] = f"/api/v1/scenarios/{scenario.scenario_id}"
    return ScenarioOut.from_domain(scenario, actor.organisation.slug)


@router.get(
    "/scenarios/{scenario_id}",
    response_model=StoredScenarioOut,
    summary="One scenario: bundled, or stored by your organisation (with its text)",
    responses=problem_responses(401),
)
def get_scenario(request: Request, actor: ActorDep, scenario_id: ScenarioId) -> StoredScenarioOut:
    service = get_platform(request).simulations
    slug = actor.organisation.slug
    scenario = service.scenario(scenario_id, slug)
    stored = service.stored_scenario(scenario_id, slug)
    out = ScenarioOut.from_domain(scenario, slug if stored else None)
    return StoredScenarioOut(
        **out.model_dump(),
        text=stored.text if stored else None,
        created_at=stored.created_at if stored else None,
    )


@router.post(
    "/simulations",
    response_model=SimulationOut,
    status_code=202,
    summary="Start a Monte Carlo run of a scenario in the background",
    responses=problem_responses(401, 403, 422),
    dependencies=[Depends(_may_start)],
)
def start_simulation(request: Request, actor: ActorDep, body: SimulationIn) -> SimulationOut:
    run = get_platform(request).simulations.start(
        body.scenario,
        replications=body.replications,
        years=body.years,
        seed=body.seed,
        organisation=actor.organisation.slug,
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
