"""The one LocalCluster test: a 2-worker cluster gives the results of one process."""

from tests.unit.sim.sim_network import SCENARIO_YAML, build_network

from transcaspian.sim.model import build_model
from transcaspian.sim.montecarlo import run_monte_carlo
from transcaspian.sim.scenarios import parse_scenario


def test_a_two_worker_cluster_reproduces_the_in_process_run():
    network = build_network()
    scenario = parse_scenario(SCENARIO_YAML)
    models = {
        year: build_model(network, scenario, year, warmup_days=10, horizon_days=90)
        for year in (2024, 2030)
    }
    local = run_monte_carlo(models, 4, seed=2024, scheduler="synchronous")
    cluster = run_monte_carlo(models, 4, seed=2024, scheduler=None, workers=2, batch_size=2)
    assert cluster.workers == 2
    assert cluster.results == local.results
