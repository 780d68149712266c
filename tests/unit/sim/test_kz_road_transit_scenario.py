"""The kz-transit-5x-2029 scenario models what its source says: Kazakhstan's transport ministry
(quoted in the seed article) forecasts transit freight through Kazakhstan five-fold by 2029, to
about 1 Mt, driven by road transport. The growth goes to a road (truck) stream, reaches about
0.8 Mt more by 2029, and no rail container or wagon flow is scaled."""

import numpy as np
import pytest

from transcaspian.data.loader import read_dataset
from transcaspian.settings import BUNDLED_DATASET
from transcaspian.sim.model import build_model
from transcaspian.sim.processes import run_replication
from transcaspian.sim.scenarios import check_against_network, load_scenario

SEED = "trade-seed-2025-10-dayaz-mambetali"
STREAM = "trucks-road-transit-growth-kuryk-alat"
TONNES_PER_TRUCK = 566_000 / 23_652  # road cargo through Kuryk, Jan–Oct 2023 (menafn-2023-11-kuryk)


@pytest.fixture(scope="module")
def scenarios():
    return load_scenario("kz-transit-5x-2029"), load_scenario("baseline")


def test_the_scenario_checks_against_the_bundled_network_and_cites_the_article(scenarios):
    scenario, _ = scenarios
    network = read_dataset(BUNDLED_DATASET)
    check_against_network(scenario, network)  # raises on an unknown place, service or source
    assert SEED in network.sources
    stream = next(f for f in scenario.flows if f.flow_id == STREAM)
    assert stream.unit == "truck"
    assert all(SEED in figure.sources for figure in stream.volumes.values())
    assert "assumption-kz-road-transit-growth" in scenario.sources


def test_the_growth_is_road_transit_to_about_one_megatonne_by_2029(scenarios):
    scenario, _ = scenarios
    stream = next(f for f in scenario.flows if f.flow_id == STREAM)
    base_t = 1_000_000 / 5  # "five-fold ... to about 1 Mt": 0.2 Mt in the base year 2024
    for year in range(2024, 2031):
        share = min(1.0, (year - 2024) / 5)
        growth_t = base_t * (5**share - 1)
        assert scenario.volume(stream, year) * TONNES_PER_TRUCK == pytest.approx(
            growth_t, rel=1e-3, abs=30
        )
    assert base_t + scenario.volume(stream, 2029) * TONNES_PER_TRUCK == pytest.approx(1e6, rel=1e-3)


def test_no_rail_container_or_wagon_flow_is_scaled(scenarios):
    scenario, baseline = scenarios
    assert scenario.growth == ()
    base = {f.flow_id: f for f in baseline.flows}
    for flow in scenario.flows:
        if flow.flow_id in base:
            for year in (2024, 2029, 2030):
                assert scenario.volume(flow, year) == baseline.volume(base[flow.flow_id], year)
    added = {f.flow_id for f in scenario.flows} - set(base)
    assert added == {STREAM}


def test_the_300k_teu_container_target_is_its_own_scenario():
    titr = load_scenario("titr-containers-300k-2029")
    assert {f for g in titr.growth for f in g.flows} == {
        "containers-altynkol-alat",
        "containers-altynkol-poti",
        "containers-altynkol-constanta",
        "containers-altynkol-kars",
    }
    check_against_network(titr, read_dataset(BUNDLED_DATASET))


def _trucks_on_the_ferry(result):
    return sum(
        t["units"]
        for t in result.throughput
        if t["unit"] == "truck" and t["node"] == "ferry:asco-kuryk-alat-ferry"
    )


def test_the_road_stream_rides_the_kuryk_truck_ferry_in_the_simulator(scenarios):
    scenario, baseline = scenarios
    network = read_dataset(BUNDLED_DATASET)
    model = build_model(network, scenario, 2029, warmup_days=5, horizon_days=30)
    flow = next(f for f in model.flows if f.flow_id == STREAM)
    assert flow.unit == "truck"
    assert flow.volume_per_year == pytest.approx(33_430)
    assert any(stage in model.ferry_lines for stage in flow.stages)
    result = run_replication(model, np.random.SeedSequence(7))
    base_model = build_model(network, baseline, 2029, warmup_days=5, horizon_days=30)
    base = run_replication(base_model, np.random.SeedSequence(7))
    assert _trucks_on_the_ferry(result) > _trucks_on_the_ferry(base)
    corridors = {t["corridor"] for t in result.transit}
    assert "Kuryk → Alat (growth of Kazakh road transit)" in corridors
