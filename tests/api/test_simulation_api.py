"""Simulation API: start a run as a background job (authenticated), follow it, read results;
the Simulation page renders the run's charts with plotly.js served by the app."""

import pytest

from transcaspian.domain.documents.parties import OrgRole, UserRole


@pytest.fixture
def token(platform, tmp_path):
    platform.simulations.runs_path = tmp_path / "runs"
    platform.organisations.create_organisation(
        "corridor-analysts", "Corridor Analysts", {OrgRole.CARRIER}, country="KZ"
    )
    platform.organisations.create_user("corridor-analysts", "analyst@example.org", UserRole.CLERK)
    return platform.organisations.create_token("analyst@example.org", "tests").secret


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_starting_a_run_needs_a_token(client):
    response = client.post("/api/v1/simulations", json={"scenario": "baseline", "replications": 1})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_run_is_started_followed_and_its_results_read(client, platform, token):
    response = client.post(
        "/api/v1/simulations",
        json={"scenario": "baseline", "replications": 2, "years": [2024], "seed": 3},
        headers=_auth(token),
    )
    assert response.status_code == 202, response.text
    started = response.json()
    assert started["status"] in ("queued", "running", "done")
    assert started["progress_total"] == 2
    platform.simulations.wait(started["run_id"], timeout_s=120)

    status = client.get(f"/api/v1/simulations/{started['run_id']}").json()
    assert status["status"] == "done" and status["progress"] == 1.0
    results = client.get(status["results_url"])
    assert results.status_code == 200
    body = results.json()
    assert body["bottlenecks"][0]["rank"] == 1
    metrics = {(r["category"], r["metric"]) for r in body["summary"]}
    assert ("transit", "p90_h") in metrics and ("queue", "mean_wait_h") in metrics

    page = client.get(f"/simulation?run={started['run_id']}")
    assert page.status_code == 200
    assert 'src="/static/plotly/plotly.min.js"' in page.text
    assert 'id="sim-transit"' in page.text and 'id="bottlenecks"' in page.text
    assert "cdn.plot.ly" not in page.text


def test_bad_requests_are_problems_and_store_nothing(client, platform, token):
    bad = client.post(
        "/api/v1/simulations",
        json={"scenario": "baseline", "replications": 0},
        headers=_auth(token),
    )
    assert bad.status_code == 422
    unknown = client.post(
        "/api/v1/simulations",
        json={"scenario": "no-such-scenario", "replications": 1},
        headers=_auth(token),
    )
    assert unknown.status_code == 404
    assert client.get("/api/v1/simulations/nope").status_code == 404
    assert client.get("/api/v1/simulations").json() == []


def test_scenarios_are_listed(client):
    ids = {s["scenario_id"] for s in client.get("/api/v1/simulation-scenarios").json()}
    assert {"baseline", "kz-transit-5x-2029", "world-bank-11mt-2030"} <= ids


def test_only_corridor_operators_may_start_runs(client, platform):
    platform.organisations.create_organisation("a-bank", "A Bank", {OrgRole.BANK}, country="KZ")
    platform.organisations.create_user("a-bank", "clerk@a-bank.example", UserRole.CLERK)
    secret = platform.organisations.create_token("clerk@a-bank.example", "tests").secret
    refused = client.post(
        "/api/v1/simulations",
        json={"scenario": "baseline", "replications": 1},
        headers=_auth(secret),
    )
    assert refused.status_code == 403
    assert client.get("/api/v1/simulations").json() == []
