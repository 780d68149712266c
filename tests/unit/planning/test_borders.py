"""Border crossings on small networks built in code: paid on the hop that crosses, once,
inside a ride too; none inside a customs union; gauge changes inside a ride."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from transcaspian.data.planning_tables import read_border_rules
from transcaspian.domain.borders import ANY, BorderCrossingTime, BorderRules, CustomsTerritory
from transcaspian.domain.emissions import Cargo
from transcaspian.domain.errors import DatasetError
from transcaspian.domain.network import DwellActivity, LocationId, Mode, SourceId
from transcaspian.domain.routing import RouteRequest, plan_routes
from transcaspian.domain.timetable import RoutingGraph
from transcaspian.domain.values import DurationEstimate

from .builders import dwell, factors, leg, network, service

SRC = (SourceId("test"),)
MONDAY = datetime(2027, 3, 1, tzinfo=UTC)


def _crossing(cid: str, a: str, b: str, hours: float, mode: Mode | None = None):
    return BorderCrossingTime(cid, a, b, mode, DurationEstimate.from_hours(hours), SRC)


RULES = BorderRules.of(
    [
        CustomsTerritory("EAEU", frozenset({"KZ", "RU", "BY"}), SRC),
        CustomsTerritory("EU", frozenset({"PL", "DE"}), SRC),
    ],
    [
        _crossing("eaeu-eu", "EAEU", "EU", 60, Mode.RAIL),
        _crossing("cn-eaeu", "CN", "EAEU", 78, Mode.RAIL),
        _crossing("any-rail", ANY, ANY, 40, Mode.RAIL),
        _crossing("any", ANY, ANY, 24),
    ],
)


def _transit(net, origin, destination, rules=RULES):
    graph = RoutingGraph(net, borders=rules)
    request = RouteRequest(LocationId(origin), LocationId(destination), MONDAY, Cargo(0, 1, 20_000))
    (option,) = plan_routes(graph, request, factors()).itineraries[:1]
    return option, option.planned_arrival_at - option.ready_at


def test_the_most_specific_crossing_row_wins():
    assert RULES.crossing("KZ", "RU", Mode.RAIL) is None  # one customs union
    assert RULES.crossing("BY", "PL", Mode.RAIL).crossing_id == "eaeu-eu"  # type: ignore[union-attr]
    assert RULES.crossing("PL", "BY", Mode.RAIL).crossing_id == "any-rail"  # type: ignore[union-attr]
    assert RULES.crossing("BY", "PL", Mode.ROAD).crossing_id == "any"  # type: ignore[union-attr]
    assert RULES.territory("GE") == "GE"


def test_rail_transit_through_the_eaeu_pays_only_the_eu_entry():
    net = network(
        [
            leg("KZ-PET", "RU-KUR", hours=10),
            leg("RU-KUR", "BY-BRE", hours=10),
            leg("BY-BRE", "PL-MAL", hours=1),
        ]
    )
    option, transit = _transit(net, "KZ-PET", "PL-MAL")
    assert [c.crossing.crossing_id for c in option.border_crossings] == ["eaeu-eu"]  # type: ignore[union-attr]
    assert transit == timedelta(hours=10 + 10 + 1 + 60)
    assert option.border_crossings[0].dwell.location_id == "PL-MAL"


def test_a_crossing_inside_a_ride_is_paid_once_and_delays_later_stops():
    net = network(
        [leg("CN-AAA", "KZ-BBB", hours=5), leg("KZ-BBB", "KZ-CCC", hours=5)],
        [service("train", ("CN-AAA", "KZ-BBB", "KZ-CCC"), Mode.RAIL, weekly=((0, 0),), hours=10)],
    )
    graph = RoutingGraph(net, borders=RULES)
    (ride,) = [h for h in graph.hops if h.service and h.stops == ("CN-AAA", "KZ-BBB", "KZ-CCC")]
    assert [e.crossing.crossing_id for e in ride.en_route] == ["cn-eaeu"]  # type: ignore[union-attr]
    assert ride.duration_h == pytest.approx(10 + 78)
    option, transit = _transit(net, "CN-AAA", "KZ-CCC")
    assert len(option.border_crossings) == 1
    assert transit == timedelta(hours=88)


def test_a_gauge_change_inside_a_ride_is_paid_at_its_station():
    net = network(
        [
            leg("GE-AAA", "GE-AKH", hours=5, gauge=1520),
            leg("GE-AKH", "GE-KAR", hours=5, gauge=1435),
        ],
        [service("btk", ("GE-AAA", "GE-AKH", "GE-KAR"), Mode.RAIL, weekly=((0, 0),), hours=10)],
        dwells=[dwell("GE-AKH", DwellActivity.TRANSSHIPMENT, 6)],
    )
    option, transit = _transit(net, "GE-AAA", "GE-KAR")
    (change,) = option.legs[0].en_route
    assert change.dwell.location_id == "GE-AKH" and not change.is_border
    assert transit == timedelta(hours=16)


def test_a_ship_clears_customs_once_at_the_port_of_discharge():
    net = network(
        [
            leg("CN-SHA", "SG-SIN", Mode.SEA, hours=100),
            leg("SG-SIN", "NL-RTM", Mode.SEA, hours=500),
        ],
        [service("loop", ("CN-SHA", "SG-SIN", "NL-RTM"), Mode.SEA, weekly=((0, 0),), hours=600)],
        countries={"NL-RTM": "DE"},
    )
    option, _ = _transit(net, "CN-SHA", "NL-RTM")
    assert [(c.from_territory, c.to_territory) for c in option.border_crossings] == [("CN", "EU")]


def test_a_broken_border_table_names_file_row_and_field():
    net = replace(
        network([leg("KZ-AAA", "RU-BBB")]),
        extra_tables={
            "customs_territories.csv": [
                {"territory_id": "EAEU", "countries": "KZ;RU", "source": "test"},
                {"territory_id": "XX", "countries": "RU", "source": "test"},
            ],
            "border_crossings.csv": [
                {
                    "crossing_id": "a",
                    "from_territory": "EAEU",
                    "to_territory": "EU",
                    "mode": "rail",
                    "p50_h": "60",
                    "p90_h": "30",
                    "source": "test",
                },
            ],
            "service_border_times.csv": [
                {"service_id": "nope", "includes_border_time": "yes", "source": "test"},
            ],
        },
    )
    with pytest.raises(DatasetError) as raised:
        read_border_rules(net)
    found = {(p.file, p.row, p.field) for p in raised.value.problems}
    assert ("customs_territories.csv", 2, "countries") in found
    assert ("service_border_times.csv", 1, "service_id") in found
    assert any(p.file == "border_crossings.csv" and p.row == 1 for p in raised.value.problems)
