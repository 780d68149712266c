"""The simulation use cases on an in-memory repository: run, results, compare, bad input."""

from datetime import UTC, datetime

import pytest
from tests.unit.sim.sim_network import SCENARIO_YAML

from transcaspian.domain.errors import DatasetError, InvalidValueError, NotFoundError
from transcaspian.services.simulation import RunStatus, SimulationService
from transcaspian.store.simulation_repositories import InMemorySimulationRepository


class FixedClock:
    def now(self):
        return datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def service(sim_network, tmp_path):
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "test-baseline.yaml").write_text(SCENARIO_YAML, encoding="utf-8")
    (scenarios / "test-more-ferries.yaml").write_text(
        "id: test-more-ferries\ntitle: More ferries\nextends: test-baseline\n"
        "interventions:\n  - {id: ferries, kind: extra_vessels, service: kuryk-alat-ferry,"
        " extra_vessels: 2, from_year: 2025, source: test-volumes}\n",
        encoding="utf-8",
    )
    return SimulationService(
        repository=InMemorySimulationRepository(),
        network=lambda: sim_network,
        runs_path=tmp_path / "runs",
        clock=FixedClock(),
        scenario_dir=scenarios,
    )


def test_a_run_stores_parquet_tables_and_a_summary(service):
    run = service.run("test-baseline", replications=2, years=[2030], seed=5)
    assert run.status is RunStatus.DONE
    assert run.progress == 1.0 and run.events > 0
    assert {p.name for p in (service.runs_path / run.run_id).iterdir()} >= {
        "queues.parquet",
        "transit.parquet",
        "samples.parquet",
    }
    rows = service.summary(run.run_id)
    assert {r.category for r in rows} == {"queue", "resource", "throughput", "transit"}
    results = service.results(run.run_id)
    assert results["bottlenecks"].iloc[0]["rank"] == 1
    assert service.find_runs() == [run]


def test_an_intervention_is_compared_with_paired_intervals(service):
    base = service.run("test-baseline", replications=3, years=[2030], seed=9)
    more = service.run("test-more-ferries", replications=3, years=[2030], seed=9)
    effect = service.compare(base.run_id, more.run_id)["transit"]
    kuryk = effect[effect["flow"] == "railcars-kuryk"].iloc[0]
    assert kuryk["mean_h_diff"] < 0  # two more ferries shorten the wagons' transit
    assert kuryk["mean_h_diff_ci95"] >= 0


def test_a_scenario_with_errors_stores_nothing(service, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        SCENARIO_YAML.replace("id: test-baseline", "id: bad").replace(
            "{value: 84, source: test-volumes}", "{value: -84, source: test-volumes}"
        ),
        encoding="utf-8",
    )
    with pytest.raises(DatasetError) as caught:
        service.run(bad, replications=2)
    assert [str(p) for p in caught.value.problems] == [
        "bad.yaml: flows[0].units_per_arrival.value: must be > 0 (got -84)"
    ]
    assert service.find_runs() == []
    assert not service.runs_path.exists()


def test_unknown_runs_and_bad_replication_counts_are_refused(service):
    with pytest.raises(NotFoundError):
        service.get_run("nope")
    with pytest.raises(InvalidValueError, match="replications"):
        service.run("test-baseline", replications=0)
    with pytest.raises(NotFoundError, match="scenario"):
        service.run("no-such-scenario", replications=1)
