"""Route search days: a far-future, far-past or numeric ``ready_on`` (or ``latest_arrival_on``)
is a 422 problem naming the field, never a 500 (9999-12-31 overflowed the planner's clock)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REQUEST = {
    "origin": "CNXIA",
    "destination": "DEDUI",
    "ready_on": "2027-03-03",
    "cargo": {"containers_40ft": 1, "mass_t": 20},
    "samples": 10,
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ready_on", "9999-12-31"),
        ("ready_on", "2100-01-01"),
        ("ready_on", "0001-01-01"),
        ("ready_on", 0),
        ("ready_on", 1_800_000_000),
        ("ready_on", "2027-03-03T00:00:00"),
        ("latest_arrival_on", "9999-12-31"),
        ("latest_arrival_on", 0),
    ],
)
def test_a_day_outside_the_planning_calendar_is_a_problem(client, field, value):
    response = client.post("/api/v1/routes/search", json={**REQUEST, field: value})

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert [e["pointer"] for e in problem["errors"]] == [f"/body/{field}"]
    assert problem["detail"].startswith(f"{field}: ")


def test_the_last_planning_day_is_planned(client):
    response = client.post(
        "/api/v1/routes/search",
        json={**REQUEST, "ready_on": "2099-12-31"},
    )

    assert response.status_code == 200, response.text
    assert response.json()["ready_at"] == "2099-12-31T00:00:00Z"


def test_the_cli_refuses_a_far_future_day_in_one_line(platform_database, tmp_path):
    database = tmp_path / "cli.sqlite3"
    shutil.copyfile(platform_database, database)
    env = {**os.environ, "TRANSCASPIAN_DATABASE_URL": f"sqlite:///{database}"}
    script = Path(sys.executable).with_name("transcaspian")  # the installed console script
    done = subprocess.run(
        [script, "routes", "plan", "CNXIA", "DEDUI", "--ready-on", "9999-12-31"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == "error: ready_on: 9999-12-31 is not within 2001-01-01..2099-12-31"
