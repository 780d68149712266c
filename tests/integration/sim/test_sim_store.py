"""The SQL simulation repository on SQLite and PostgreSQL, against the in-memory one."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from transcaspian.services.simulation import RunStatus, SimulationRun, SummaryRow
from transcaspian.store.simulation_repositories import (
    InMemorySimulationRepository,
    SqlSimulationRepository,
)


@pytest.fixture
def sql_repository(engine):
    return SqlSimulationRepository(engine)


@pytest.fixture
def memory_repository():
    return InMemorySimulationRepository()


def test_sql_runs_round_trip_and_update(sql_repository):
    check_runs_round_trip_and_update(sql_repository)


def test_memory_runs_round_trip_and_update(memory_repository):
    check_runs_round_trip_and_update(memory_repository)


def test_sql_summaries_are_stored_with_the_finished_run(sql_repository):
    check_summaries_are_stored_with_the_finished_run(sql_repository)


def test_memory_summaries_are_stored_with_the_finished_run(memory_repository):
    check_summaries_are_stored_with_the_finished_run(memory_repository)


def _run(run_id="abc123", minute=0):
    return SimulationRun(
        run_id=run_id,
        scenario_id="baseline",
        title="Baseline",
        status=RunStatus.QUEUED,
        replications=4,
        years=(2024, 2030),
        seed=7,
        scheduler="synchronous",
        created_at=datetime(2026, 1, 1, 12, minute, tzinfo=UTC),
        progress_total=8,
    )


def check_runs_round_trip_and_update(repository):
    run = _run()
    repository.add(run)
    assert repository.get("abc123") == run
    running = replace(run, status=RunStatus.RUNNING, progress_done=3)
    repository.update(running)
    assert repository.get("abc123") == running
    assert repository.get("other") is None


def check_summaries_are_stored_with_the_finished_run(repository):
    repository.add(_run("old", 0))
    repository.add(_run("new", 5))
    done = replace(_run("new", 5), status=RunStatus.DONE, progress_done=8, results_path="/x")
    rows = [
        SummaryRow("new", 2030, "queue", "yard:feeder:TEU", "mean_wait_h", 12.5, 1.25),
        SummaryRow("new", 2024, "resource", "berth:KZKUR", "utilisation", 0.4, 0.01),
    ]
    repository.save_summary(done, rows)
    assert repository.get("new") == done
    assert repository.summary("new") == sorted(rows, key=lambda r: (r.year, r.category))
    assert [r.run_id for r in repository.list_runs()] == ["new", "old"]
    repository.save_summary(done, rows[:1])
    assert repository.summary("new") == rows[:1]
