"""Scenarios by name, never by server path (issue 9, defect 2): ``POST /api/v1/simulations``
takes a scenario id, bundled or stored by the caller's organisation through
``POST /api/v1/scenarios`` (YAML or JSON, checked like a bundled file); hostile names are a 422
problem naming ``scenario`` that shows nothing of any file. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from transcaspian.api.app import create_app
from transcaspian.bootstrap import Platform, SystemClock
from transcaspian.domain.documents.parties import OrgRole, UserRole
from transcaspian.domain.errors import InvalidValueError
from transcaspian.services.network import NetworkReader, load_dataset
from transcaspian.settings import BUNDLED_DATASET, Settings
from transcaspian.store.unit_of_work import SqlAlchemyUnitOfWork

EXTRA_FERRY = """\
id: more-kuryk-ferries
title: Baseline + two more ferries on Kuryk–Alat from 2025
extends: baseline
sources:
  - {id: our-plan, kind: assumption, title: Our fleet plan, reasoning: two ferries chartered}
interventions:
  - {id: two-ferries, kind: extra_vessels, service: asco-kuryk-alat-ferry, extra_vessels: 2,
     from_year: 2025, source: our-plan}
"""
HOSTILE_NAMES = [
    "../../etc/ssl/openssl.cnf",
    "../x",
    "/etc/passwd",
    "/etc/ssl/openssl.cnf",
    "x.yaml",
    "baseline.yaml",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2fetc%2fpasswd",
    "a/b",
    "a\\b",
    "~/x",
    "Baseline",
    " baseline",
    "",
    "b" * 121,
    "b" * 100_000,
]


@dataclass
class Served:
    client: TestClient
    platform: Platform
    tokens: dict[str, str]

    def auth(self, org: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[org]}"}


def _organisations(platform: Platform) -> dict[str, str]:
    """A carrier, a forwarder and a bank with one clerk each; their tokens by slug."""
    tokens = {}
    for slug, role in (
        ("caspian-lines", OrgRole.CARRIER),
        ("silk-forwarding", OrgRole.FORWARDER),
        ("a-bank", OrgRole.BANK),
    ):
        platform.organisations.create_organisation(slug, slug.title(), {role}, country="KZ")
        platform.organisations.create_user(slug, f"clerk@{slug}.example", UserRole.CLERK)
        tokens[slug] = platform.organisations.create_token(f"clerk@{slug}.example").secret
    return tokens


@pytest.fixture
def served(engine, tmp_path) -> Iterator[Served]:
    """The app on this test's database (SQLite and PostgreSQL), the bundled dataset loaded."""

    def uow_factory() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(engine)

    platform = Platform(
        settings=Settings(database_url=str(engine.url), runs_path=tmp_path / "runs"),
        engine=engine,
        uow_factory=uow_factory,
        clock=SystemClock(),
        network=NetworkReader(uow_factory),
    )
    load_dataset(uow_factory(), BUNDLED_DATASET, platform.clock)
    tokens = _organisations(platform)
    with TestClient(create_app(platform), raise_server_exceptions=False) as client:
        yield Served(client, platform, tokens)


@pytest.fixture
def on_sqlite(platform, tmp_path) -> Iterator[Served]:
    """The same on the shared SQLite platform (faster: for checks made before any storage)."""
    platform.simulations.runs_path = tmp_path / "runs"
    tokens = _organisations(platform)
    with TestClient(create_app(platform), raise_server_exceptions=False) as client:
        yield Served(client, platform, tokens)


def _file_lines(path: str) -> list[str]:
    """Distinctive lines of a server file that must never appear in an answer."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [line.strip() for line in text.splitlines() if len(line.strip()) > 12][:40]


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=lambda n: repr(n[:30]))
def test_a_hostile_scenario_name_is_a_problem_naming_scenario(on_sqlite, name):
    served = on_sqlite
    response = served.client.post(
        "/api/v1/simulations",
        json={"scenario": name, "replications": 1},
        headers=served.auth("caspian-lines"),
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert [e["pointer"] for e in problem["errors"]] == ["/body/scenario"]
    assert problem["detail"].startswith("scenario: ")
    for line in _file_lines("/etc/ssl/openssl.cnf") + _file_lines("/etc/passwd"):
        assert line not in response.text
    assert served.client.get("/api/v1/simulations").json() == []


def test_a_nul_in_a_scenario_name_is_a_problem_naming_scenario(on_sqlite):
    served = on_sqlite
    response = served.client.post(
        "/api/v1/simulations",
        json={"scenario": "baseline\x00", "replications": 1},
        headers=served.auth("caspian-lines"),
    )

    assert response.status_code == 422
    assert [e["pointer"] for e in response.json()["errors"]] == ["/body/scenario"]


@pytest.mark.parametrize("name", ["../../etc/ssl/openssl.cnf", "/etc/passwd", "baseline.yaml"])
def test_the_service_never_reads_a_name_as_a_path(on_sqlite, name):
    served = on_sqlite
    service = served.platform.simulations
    with pytest.raises(InvalidValueError) as caught:
        service.start(name, replications=1, organisation="caspian-lines")
    assert caught.value.field == "scenario"
    with pytest.raises(InvalidValueError):
        service.scenario(name, "caspian-lines")
    assert service.find_runs() == []


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("..%2Fx", 404),
        ("..%2F..%2Fetc%2Fpasswd", 404),
        ("a.yaml", 422),
        ("a%00b", 422),
        ("..", 404),
    ],
)
def test_a_hostile_name_in_the_path_is_a_4xx_problem(on_sqlite, name, status):
    served = on_sqlite
    response = served.client.get(f"/api/v1/scenarios/{name}", headers=served.auth("caspian-lines"))

    assert response.status_code == status, response.text  # 404: the slash matches no route
    assert response.headers["content-type"].startswith("application/problem+json")
    if status == 422:
        assert response.json()["errors"][0]["pointer"] == "/path/scenario_id"


def test_a_stored_scenario_is_listed_read_and_run(served):
    carrier = served.auth("caspian-lines")
    stored = served.client.post(
        "/api/v1/scenarios",
        content=EXTRA_FERRY,
        headers={**carrier, "Content-Type": "application/yaml"},
    )
    assert stored.status_code == 201, stored.text
    assert stored.headers["location"] == "/api/v1/scenarios/more-kuryk-ferries"
    assert stored.json()["stored_by"] == "caspian-lines"
    assert stored.json()["interventions"] == ["two-ferries"]
    assert stored.json()["flows"]  # inherited from the bundled baseline

    listed = served.client.get("/api/v1/scenarios", headers=carrier).json()
    by_id = {s["scenario_id"]: s for s in listed}
    assert by_id["more-kuryk-ferries"]["stored_by"] == "caspian-lines"
    assert by_id["baseline"]["stored_by"] is None
    one = served.client.get("/api/v1/scenarios/more-kuryk-ferries", headers=carrier).json()
    assert one["text"] == EXTRA_FERRY

    started = served.client.post(
        "/api/v1/simulations",
        json={"scenario": "more-kuryk-ferries", "replications": 1, "years": [2025]},
        headers=carrier,
    )
    assert started.status_code == 202, started.text
    run = served.platform.simulations.wait(started.json()["run_id"], timeout_s=300)
    assert run.status.value == "done", run.error
    assert run.scenario_id == "more-kuryk-ferries"


def test_a_stored_scenario_is_its_organisations_own(served):
    served.client.post(
        "/api/v1/scenarios",
        content=EXTRA_FERRY,
        headers={**served.auth("caspian-lines"), "Content-Type": "application/yaml"},
    )
    other = served.auth("silk-forwarding")

    assert (
        served.client.get("/api/v1/scenarios/more-kuryk-ferries", headers=other).status_code == 404
    )
    ids = {s["scenario_id"] for s in served.client.get("/api/v1/scenarios", headers=other).json()}
    assert "more-kuryk-ferries" not in ids and "baseline" in ids
    refused = served.client.post(
        "/api/v1/simulations",
        json={"scenario": "more-kuryk-ferries", "replications": 1},
        headers=other,
    )
    assert refused.status_code == 404
    assert refused.json()["errors"][0]["pointer"] == "/scenario"
    # the same id is free for another organisation
    again = served.client.post(
        "/api/v1/scenarios",
        content=EXTRA_FERRY,
        headers={**other, "Content-Type": "application/yaml"},
    )
    assert again.status_code == 201, again.text


def test_a_scenario_may_be_sent_as_json(on_sqlite):
    served = on_sqlite
    body = {
        "id": "json-ferries",
        "title": "JSON: two more ferries",
        "extends": "baseline",
        "sources": [{"id": "our-plan", "kind": "assumption", "title": "Plan", "reasoning": "x"}],
        "interventions": [
            {
                "id": "two-ferries",
                "kind": "extra_vessels",
                "service": "asco-kuryk-alat-ferry",
                "extra_vessels": 2,
                "from_year": 2025,
                "source": "our-plan",
            }
        ],
    }
    response = served.client.post(
        "/api/v1/scenarios", json=body, headers=served.auth("caspian-lines")
    )

    assert response.status_code == 201, response.text
    assert response.json()["scenario_id"] == "json-ferries"


@pytest.mark.parametrize(
    ("text", "status", "pointer"),
    [
        (
            EXTRA_FERRY.replace("extra_vessels: 2", "extra_vessels: -1"),
            422,
            "/scenario/interventions[0].extra_vessels",
        ),
        (
            EXTRA_FERRY.replace("asco-kuryk-alat-ferry", "no-such-ferry"),
            422,
            "/scenario more-kuryk-ferries/interventions[0].service",
        ),
        (
            EXTRA_FERRY.replace("id: more-kuryk-ferries", "id: ../../etc/passwd"),
            422,
            "/scenario/id",
        ),
        (
            EXTRA_FERRY.replace("extends: baseline", "extends: ../../etc/ssl/openssl"),
            422,
            "/scenario/extends",
        ),
        (EXTRA_FERRY.replace("id: more-kuryk-ferries", "id: kz-transit-5x-2029"), 409, "/id"),
        ("a: &x [1, 2]\nb: *x\n", 422, "/scenario"),
        ("- just\n- a list\n", 422, "/scenario"),
        ("id: [unclosed\n", 422, "/scenario"),
        ("id: x\x00\n", 422, "/scenario"),
    ],
    ids=[
        "negative",
        "unknown-service",
        "path-id",
        "path-extends",
        "bundled-id",
        "alias",
        "list",
        "broken-yaml",
        "raw-nul",
    ],
)
def test_a_bad_scenario_is_a_problem_and_stores_nothing(on_sqlite, text, status, pointer):
    served = on_sqlite
    carrier = served.auth("caspian-lines")
    response = served.client.post(
        "/api/v1/scenarios", content=text, headers={**carrier, "Content-Type": "text/yaml"}
    )

    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert pointer in [e["pointer"] for e in response.json()["errors"]]
    for line in _file_lines("/etc/ssl/openssl.cnf") + _file_lines("/etc/passwd"):
        assert line not in response.text
    listed = served.client.get("/api/v1/scenarios", headers=carrier).json()
    assert all(s["stored_by"] is None for s in listed)


def test_a_nul_escaped_in_yaml_is_a_problem_on_either_database(served):
    response = served.client.post(
        "/api/v1/scenarios",
        content=EXTRA_FERRY.replace(
            "title: Baseline + two more ferries on Kuryk–Alat from 2025", 'title: "Base\\0line"'
        ),
        headers={**served.auth("caspian-lines"), "Content-Type": "application/yaml"},
    )

    assert response.status_code == 422, response.text
    assert [e["pointer"] for e in response.json()["errors"]] == ["/scenario/title"]


def test_storing_twice_is_a_conflict(served):
    headers = {**served.auth("caspian-lines"), "Content-Type": "application/yaml"}
    first = served.client.post("/api/v1/scenarios", content=EXTRA_FERRY, headers=headers)
    second = served.client.post("/api/v1/scenarios", content=EXTRA_FERRY, headers=headers)

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["errors"][0]["pointer"] == "/id"


def test_storing_needs_a_token_a_simulation_role_and_a_scenario_media_type(on_sqlite):
    served = on_sqlite
    yaml_type = {"Content-Type": "application/yaml"}
    anonymous = served.client.post("/api/v1/scenarios", content=EXTRA_FERRY, headers=yaml_type)
    bank = served.client.post(
        "/api/v1/scenarios", content=EXTRA_FERRY, headers={**served.auth("a-bank"), **yaml_type}
    )
    form = served.client.post(
        "/api/v1/scenarios",
        content=EXTRA_FERRY,
        headers={**served.auth("caspian-lines"), "Content-Type": "text/plain"},
    )

    assert anonymous.status_code == 401
    assert bank.status_code == 403
    assert form.status_code == 415
    assert form.headers["content-type"].startswith("application/problem+json")
    assert served.client.get("/api/v1/scenarios").status_code == 401


def test_the_openapi_documents_the_scenario_body(on_sqlite):
    served = on_sqlite
    schema = served.client.get("/openapi.json").json()
    body = schema["paths"]["/api/v1/scenarios"]["post"]["requestBody"]["content"]
    assert {"application/yaml", "application/json"} <= set(body)
    run = schema["components"]["schemas"]["SimulationIn"]["properties"]["scenario"]
    assert run["pattern"] == "^[a-z0-9][a-z0-9-]*$"
    assert json.dumps(run)  # serialisable


def test_the_scenario_store_keeps_them_per_organisation(engine):
    from datetime import UTC, datetime

    from transcaspian.domain.errors import ConflictError
    from transcaspian.services.organisations import OrganisationService
    from transcaspian.services.simulation import StoredScenario
    from transcaspian.store.simulation_repositories import SqlScenarioRepository

    organisations = OrganisationService(
        lambda: SqlAlchemyUnitOfWork(engine),
        SystemClock(),
        base_url="http://x",
        secret_key="k" * 16,
    )
    for slug in ("ktz", "ady"):
        organisations.create_organisation(slug, slug, {OrgRole.CARRIER}, country="KZ")
    store = SqlScenarioRepository(engine)
    at = datetime(2026, 12, 8, tzinfo=UTC)
    first = StoredScenario("ktz", "plan-a", "Plan A", "id: plan-a\n", at, "u1")
    store.add(first)
    store.add(StoredScenario("ady", "plan-a", "Plan A of ADY", "id: plan-a\n#ady\n", at, "u2"))

    assert store.get("ktz", "plan-a") == first
    assert store.get("ktz", "plan-b") is None
    assert [s.title for s in store.list_for("ady")] == ["Plan A of ADY"]
    with pytest.raises(ConflictError):
        store.add(first)
    assert store.list_for("ktz") == [first]
