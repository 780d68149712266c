"""The planner on the bundled corridor dataset: every connected corridor answers, every
timetabled leg sits on a published departure."""

from datetime import UTC, datetime, timedelta

import pytest

from transcaspian.data.loader import read_dataset
from transcaspian.data.planning_tables import read_emission_factors
from transcaspian.domain.network import Corridor
from transcaspian.domain.routing import DepartureBasis, is_dominated
from transcaspian.services.planning import CargoSpec, compile_network, plan_itineraries
from transcaspian.settings import BUNDLED_DATASET


@pytest.fixture(scope="module")
def bundled():
    network = read_dataset(BUNDLED_DATASET)
    return network, compile_network(network), read_emission_factors(network)


@pytest.mark.parametrize(
    ("origin", "destination", "corridors"),
    [
        ("CNXIA", "DEDUI", {"middle", "northern", "suez"}),
        ("CNHRS", "ROCND", {"middle", "northern", "suez"}),
        ("KZAAU", "GEPTI", {"middle"}),
        ("CNSHA", "NLRTM", {"middle", "northern", "suez"}),
    ],
)
def test_each_pair_has_options_by_every_corridor_the_data_connects(
    bundled, origin, destination, corridors
):
    network, graph, factors = bundled
    for corridor in Corridor:
        if corridor is not Corridor.ACCESS:
            connected = destination in network.reachable(origin, {corridor, Corridor.ACCESS})
            assert connected == (corridor in corridors)
    result = plan_itineraries(
        network, origin=origin, destination=destination, ready_on="2027-03-03",
        cargo=CargoSpec(0, 1, 20), samples=200, graph=graph, factors=factors,
    )  # fmt: skip
    assert {str(o.corridor) for o in result.itineraries} == corridors
    for option in result.itineraries:
        same = [o for o in result.itineraries if o.corridor == option.corridor]
        assert not any(is_dominated(option, other) for other in same)
        for leg in option.legs:
            if leg.departure_basis is DepartureBasis.TIMETABLE:
                assert leg.service_id is not None
                service = network.services[leg.service_id]
                first_stop = leg.departs_at - _offset_to(graph, leg)
                into_week = first_stop - first_stop.replace(
                    hour=0, minute=0, second=0
                ) + timedelta(days=first_stop.weekday())  # fmt: skip
                assert any(
                    abs(into_week - d) < timedelta(seconds=2) for d in service.weekly_departures()
                ), (leg.service_id, leg.departs_at)


def _offset_to(graph, leg):
    hop = next(
        h for h in graph.hops_from[leg.origin]
        if h.service is not None and h.service.service_id == leg.service_id
        and h.destination == leg.destination
    )  # fmt: skip
    return timedelta(hours=hop.board_offset_h)


def test_ready_the_day_after_the_poti_constanta_ferry_sails_waits_about_six_days(bundled):
    network, graph, factors = bundled
    saturday = datetime(2027, 3, 6, tzinfo=UTC)  # the E60 ferry leaves Poti on Fridays 16:00
    result = plan_itineraries(
        network, origin="GEPTI", destination="ROCND", ready_on=saturday,
        cargo=CargoSpec(0, 1, 20), samples=200, graph=graph, factors=factors,
        avoid_modes=["rail", "sea"],
    )  # fmt: skip
    ferry = next(
        leg for o in result.itineraries for leg in o.legs if leg.service_id == "e60-poti-constanta"
    )
    assert ferry.departs_at == datetime(2027, 3, 12, 16, tzinfo=UTC)
    assert timedelta(days=5, hours=12) <= ferry.departs_at - saturday <= timedelta(days=7)
