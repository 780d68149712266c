"""Planning on small networks built in code: waiting for sailings, emissions, uncertainty,
constraints, through tariffs."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcaspian.domain.emissions import Cargo
from transcaspian.domain.errors import InvalidValueError
from transcaspian.domain.network import DwellActivity, LocationId, Mode
from transcaspian.domain.routing import DepartureBasis, RouteRequest, is_dominated, plan_routes
from transcaspian.domain.timetable import RoutingGraph

from .builders import dwell, factors, leg, network, service, tariff

AKTAU, ALAT, POTI, ALMATY = (LocationId(c) for c in ("KZ-AKT", "AZ-ALT", "GE-POT", "KZ-ALA"))
FEU_20T = Cargo(0, 1, 20_000)
MONDAY = datetime(2027, 3, 1, tzinfo=UTC)  # a Monday


def caspian():
    return network(
        [
            leg("KZ-ALA", "KZ-AKT", hours=72, km=2900),
            leg("KZ-AKT", "AZ-ALT", Mode.FERRY, hours=24, km=470),
            leg("AZ-ALT", "GE-POT", hours=30, km=800),
            leg("KZ-ALA", "GE-POT", Mode.ROAD, hours=200, km=4000),
        ],
        [service("ferry", ("KZ-AKT", "AZ-ALT"), weekly=((0, 18),), cutoff_h=12)],
        [
            tariff("ferry-feu", "leg", "KZ-AKT-AZ-ALT-ferry", 2000),
            tariff("rail-feu", "leg", "AZ-ALT-GE-POT-rail", 900),
        ],
        [dwell("KZ-AKT", DwellActivity.PORT_HANDLING, 24)],
    )


def plan(net, origin, destination, ready_at, **options):
    request = RouteRequest(origin, destination, ready_at, FEU_20T, **options)
    return plan_routes(RoutingGraph(net), request, factors())


def test_ready_the_day_after_the_weekly_ferry_sails_waits_about_six_days():
    result = plan(network(
        [leg("KZ-AKT", "AZ-ALT", Mode.FERRY, hours=24, km=470)],
        [service("ferry", ("KZ-AKT", "AZ-ALT"), weekly=((0, 18),))],
    ), AKTAU, ALAT, MONDAY + timedelta(days=1, hours=18))  # fmt: skip
    (option,) = result.itineraries
    (crossing,) = option.legs
    assert crossing.service_id == "ferry"
    assert crossing.departure_basis is DepartureBasis.TIMETABLE
    assert crossing.departs_at == MONDAY + timedelta(days=7, hours=18)  # the next Monday
    assert crossing.wait == timedelta(days=6)


def test_a_trip_longer_than_a_week_takes_the_ferry_of_a_later_week():
    result = plan(caspian(), ALMATY, POTI, MONDAY + timedelta(days=14), avoid_modes={Mode.ROAD})
    (option,) = result.itineraries
    ferry = option.legs[1]
    # 72 h by rail, 24 h port handling, 12 h cut-off: misses Monday 2027-03-15, sails a week on
    assert ferry.departs_at == datetime(2027, 3, 22, 18, tzinfo=UTC)
    assert ferry.handling.activities == (DwellActivity.PORT_HANDLING,)


def test_each_legs_co2e_is_its_tonne_km_times_the_cited_factor():
    result = plan(caspian(), ALMATY, POTI, MONDAY)
    table = factors()
    for option in result.itineraries:
        assert option.emission_factors
        for itinerary_leg in option.legs:
            for emission in itinerary_leg.emissions:
                factor = emission.factor
                assert emission.activity == pytest.approx(emission.distance_km * 20)
                assert emission.co2e_kg == pytest.approx(
                    emission.activity * factor.g_co2e_per_unit / 1000
                )
                assert factor.sources
                assert factor in table.factors
        hubs = sum(h.co2e_kg for h in option.hub_emissions)
        legs = sum(x.co2e_kg for x in option.legs)
        assert option.co2e_kg == pytest.approx(legs + hubs)


def test_a_leg_without_a_tariff_says_so_and_prices_are_never_invented():
    result = plan(caspian(), ALMATY, POTI, MONDAY, avoid_modes={Mode.ROAD})
    (option,) = result.itineraries
    first, ferry, rail = option.legs
    assert first.cost_usd is None and "no published tariff" in first.price_note
    assert ferry.cost_usd == Decimal(2000)
    assert rail.cost_usd == Decimal(900)
    assert option.cost_usd == Decimal(2900)
    assert option.unpriced_leg_ids == ("KZ-ALA-KZ-AKT-rail",)
    assert not option.is_cost_complete


def test_a_through_tariff_replaces_the_legs_between_its_ends():
    net = caspian()
    through = tariff("through", "segment", "KZ-ALA>GE-POT", 4100)
    net = network(list(net.legs.values()), list(net.services.values()),
                  [*net.tariffs.values(), through], list(net.dwell_times))  # fmt: skip
    result = plan(net, ALMATY, POTI, MONDAY, avoid_modes={Mode.ROAD})
    (option,) = result.itineraries
    assert option.cost_usd == Decimal(4100)
    assert [c.tariff_id for c in option.charges] == ["through"]
    assert option.is_cost_complete


@given(seed=st.integers(0, 10_000), day=st.integers(0, 30))
def test_the_same_request_and_seed_give_the_same_p50_and_p90_and_p90_is_not_earlier(seed, day):
    ready = MONDAY + timedelta(days=day)
    first = plan(caspian(), ALMATY, POTI, ready, seed=seed, samples=200)
    again = plan(caspian(), ALMATY, POTI, ready, seed=seed, samples=200)
    assert [(o.p50_arrival_at, o.p90_arrival_at) for o in first.itineraries] == [
        (o.p50_arrival_at, o.p90_arrival_at) for o in again.itineraries
    ]
    for option in first.itineraries:
        assert option.p90_arrival_at >= option.p50_arrival_at >= option.ready_at
        assert 0 <= option.miss_probability <= 1
        assert not any(is_dominated(option, other) for other in first.itineraries)


def test_uncertain_port_handling_sometimes_misses_the_booked_sailing():
    net = network(
        [leg("KZ-ALA", "KZ-AKT", hours=72, p90=140, km=2900),
         leg("KZ-AKT", "AZ-ALT", Mode.FERRY, hours=24, km=470)],
        [service("ferry", ("KZ-AKT", "AZ-ALT"), weekly=((0, 18),))],
    )  # fmt: skip
    # planned arrival at Aktau Thursday 00:00: a long way from the Monday sailing's cut-off
    early = plan(net, ALMATY, ALAT, MONDAY)
    # planned arrival Monday 12:00: six hours to spare, the P90 rail time misses it
    tight = plan(net, ALMATY, ALAT, MONDAY + timedelta(days=4, hours=12))
    assert early.itineraries[0].miss_probability < tight.itineraries[0].miss_probability
    assert tight.itineraries[0].p90_arrival_at - tight.itineraries[0].p50_arrival_at >= timedelta(
        days=6
    )


def test_constraints_avoid_a_country_a_mode_and_keep_to_a_latest_arrival():
    net = caspian()
    by_road = plan(net, ALMATY, POTI, MONDAY, avoid_modes={Mode.FERRY})
    assert {x.mode for o in by_road.itineraries for x in o.legs} == {Mode.ROAD}
    no_azerbaijan = plan(net, ALMATY, POTI, MONDAY, avoid_countries=frozenset({"AZ"}))
    assert all(ALAT not in x.stops for o in no_azerbaijan.itineraries for x in o.legs)
    too_soon = plan(net, ALMATY, POTI, MONDAY, latest_arrival_at=MONDAY + timedelta(days=2))
    assert too_soon.itineraries == ()
    direct = plan(net, ALMATY, POTI, MONDAY, max_transfers=0)
    assert all(o.transfers == 0 for o in direct.itineraries)


def test_a_request_from_a_place_to_itself_is_refused_naming_the_field():
    with pytest.raises(InvalidValueError) as raised:
        RouteRequest(ALMATY, ALMATY, MONDAY, FEU_20T)
    assert raised.value.field == "/destination"


def test_an_unknown_origin_is_refused_naming_the_field():
    with pytest.raises(InvalidValueError) as raised:
        plan(caspian(), LocationId("XX-NOPE"), POTI, MONDAY)
    assert raised.value.field == "/origin"
