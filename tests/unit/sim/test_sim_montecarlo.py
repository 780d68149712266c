"""Monte Carlo on Dask's synchronous scheduler: seeds make runs reproducible and independent."""

import pytest

from transcaspian.sim.model import build_model
from transcaspian.sim.montecarlo import replication_seeds, run_monte_carlo, year_seed


def _short_models(network, scenario):
    return {
        year: build_model(network, scenario, year, warmup_days=10, horizon_days=60)
        for year in (2024, 2030)
    }


def test_the_same_seed_gives_identical_results_whatever_the_batching(sim_network, sim_scenario):
    models = _short_models(sim_network, sim_scenario)
    one = run_monte_carlo(models, 3, seed=42, scheduler="synchronous", batch_size=1)
    two = run_monte_carlo(models, 3, seed=42, scheduler="synchronous", batch_size=4)
    assert one.results == two.results
    assert [(r.year, r.replication) for r in one.results] == [
        (y, r) for y in (2024, 2030) for r in range(3)
    ]


def test_replications_and_seeds_differ(sim_network, sim_scenario):
    models = _short_models(sim_network, sim_scenario)
    run = run_monte_carlo(models, 2, seed=1, scheduler="synchronous")
    other = run_monte_carlo(models, 2, seed=2, scheduler="synchronous")
    assert run.results[0].transit != run.results[1].transit
    assert run.results[0].transit != other.results[0].transit


def test_replication_seeds_are_the_spawned_children():
    children = replication_seeds(5, 3)
    assert [c.spawn_key for c in children] == [(0,), (1,), (2,)]
    assert year_seed(children[1], 2030).spawn_key == (1, 2030)


def test_progress_is_reported_and_zero_replications_refused(sim_network, sim_scenario):
    models = _short_models(sim_network, sim_scenario)
    seen = []
    run_monte_carlo(models, 2, seed=3, batch_size=1, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (4, 4)
    with pytest.raises(ValueError, match="replications"):
        run_monte_carlo(models, 0, seed=3)
