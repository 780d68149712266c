"""Scenario files: growth arithmetic, one line per problem naming the key, network checks."""

import pytest
from tests.unit.sim.sim_network import SCENARIO_YAML

from transcaspian.domain.errors import DatasetError
from transcaspian.sim.scenarios import check_against_network, parse_scenario

BROKEN = """
id: broken
title: Broken
extends: ""
base_year: 2024
sources:
  - {id: note, kind: assumption, title: Note}
flows:
  - id: teu
    unit: TEU
    path: [KZ-ALT, KZAAU]
    units_per_arrival: {value: 0, source: note}
    volumes:
      - {year: 2024, value: -5, source: note}
interventions:
  - {id: ferry, kind: extra_vessels, service: kuryk-alat-ferry, extra_vessels: 2,
     from_year: 2026, source: note}
  - {id: less, kind: extra_vessels, service: kuryk-alat-ferry, extra_vessels: -1,
     from_year: 2026, source: note}
  - {id: docs, kind: faster_clearance, reduction: 1.5, from_year: 2026, source: note}
  - {id: odd, kind: teleport, from_year: 2026, source: note}
colour: blue
"""


def test_a_scenario_with_errors_names_each_key_on_its_own_line():
    with pytest.raises(DatasetError) as caught:
        parse_scenario(BROKEN, "broken.yaml")
    lines = sorted(str(p) for p in caught.value.problems)
    assert "broken.yaml: interventions[1].extra_vessels: must be ≥ 0 (got -1)" in lines
    assert "broken.yaml: interventions[2].reduction: must be < 1 (got 1.5)" in lines
    assert "broken.yaml: flows[0].units_per_arrival.value: must be > 0 (got 0)" in lines
    assert "broken.yaml: flows[0].volumes[0].value: must be ≥ 0 (got -5)" in lines
    assert "broken.yaml: sources[0]: an assumption needs its reasoning" in lines
    assert "broken.yaml: colour: is not a known key" in lines
    assert any(
        line.startswith("broken.yaml: interventions[3]: kind must be one of") for line in lines
    )
    assert len(lines) == 7
    assert all("\n" not in line for line in lines)


def test_unknown_locations_services_and_sources_are_named(sim_network):
    text = SCENARIO_YAML.replace("[KZ-ALT, KZKUR,", "[KZ-ALT, KZXXX,").replace(
        "{value: 50, source: test-volumes}", "{value: 50, source: nowhere}"
    )
    scenario = parse_scenario(text, "t.yaml")
    with pytest.raises(DatasetError) as caught:
        check_against_network(scenario, sim_network)
    lines = [str(p) for p in caught.value.problems]
    assert any(
        "flows[1].path[1]: location 'KZXXX' is not in the corridor network" in x for x in lines
    )
    assert any("flows[1].units_per_arrival: unknown source 'nowhere'" in x for x in lines)


def test_growth_targets_scale_volumes_geometrically(sim_scenario):
    flow = sim_scenario.flows[0]
    assert sim_scenario.volume(flow, 2024) == pytest.approx(30000)
    assert sim_scenario.volume(flow, 2030) == pytest.approx(60000)
    assert sim_scenario.volume(flow, 2027) == pytest.approx(30000 * 2**0.5)
    assert sim_scenario.volume(flow, 2035) == pytest.approx(60000)
