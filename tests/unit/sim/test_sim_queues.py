"""The model's own output obeys Little's law, and an M/M/1 station matches queueing theory."""

import numpy as np
import pytest

from transcaspian.sim.model import (
    HOURS_PER_YEAR,
    CorridorModel,
    Distribution,
    FlowSpec,
    StationSpec,
    build_model,
)
from transcaspian.sim.processes import run_replication


def test_littles_law_holds_at_every_queue_of_the_corridor(sim_network, sim_scenario):
    model = build_model(sim_network, sim_scenario, 2024)
    result = run_replication(model, np.random.SeedSequence(7), 0)
    checked = 0
    for queue in result.queues:
        if queue["departures"] == 0:
            assert queue["mean_length"] == pytest.approx(0.0, abs=1e-9), queue["queue"]
            continue
        checked += 1
        # L = λW: time-average length against throughput × mean time in queue, 5 % (the
        # difference is the units in the queue at the ends of the counted year)
        assert queue["mean_length"] == pytest.approx(
            queue["little_lambda_w"], rel=0.05, abs=0.01
        ), queue["queue"]
    assert checked >= 6


def _mm1(arrival_rate_per_h: float, service_mean_h: float, horizon_h: float) -> CorridorModel:
    station = StationSpec(
        key="mm1",
        kind="custom",
        location_id="TEST",
        servers=1,
        service=Distribution.exponential(service_mean_h),
    )
    flow = FlowSpec(
        flow_id="customers",
        unit="train",
        corridor="test",
        stages=("mm1",),
        arrivals_per_year=arrival_rate_per_h * HOURS_PER_YEAR,
        units_per_arrival=1,
        volume_per_year=arrival_rate_per_h * HOURS_PER_YEAR,
        sources=(),
    )
    return CorridorModel(
        scenario_id="mm1",
        year=2024,
        stations={"mm1": station},
        travels={},
        ferry_lines={},
        berths={},
        flows=(flow,),
        warmup_h=2_000.0,
        horizon_h=horizon_h,
    )


def test_an_mm1_station_waits_as_queueing_theory_says():
    lam, mean_service = 0.5, 1.0  # utilisation 0.5
    result = run_replication(_mm1(lam, mean_service, 200_000.0), np.random.SeedSequence(11), 0)
    (queue,) = result.queues
    mu = 1 / mean_service
    analytic_wait_h = lam / (mu * (mu - lam))  # Wq = ρ / (μ − λ)
    assert queue["mean_wait_h"] == pytest.approx(analytic_wait_h, rel=0.05)
    assert queue["mean_length"] == pytest.approx(lam * analytic_wait_h, rel=0.05)
    (resource,) = result.resources
    assert resource["utilisation"] == pytest.approx(lam * mean_service, rel=0.02)
