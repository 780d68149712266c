"""Fixtures for the simulation tests: a small corridor network and a scenario over it."""

import pytest
from tests.unit.sim.sim_network import SCENARIO_YAML, build_network

from transcaspian.sim.scenarios import parse_scenario


@pytest.fixture(scope="session")
def sim_network():
    return build_network()


@pytest.fixture(scope="session")
def sim_scenario():
    return parse_scenario(SCENARIO_YAML, "test-baseline.yaml")
