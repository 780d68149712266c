"""The data fixes of the issue-10 audit stay fixed (docs/data-sources.md, "Audit fixes").

Each test pins one fix against the bundled dataset; the geometry test covers every leg."""

import math

import pytest

from transcaspian.data.loader import CORRIDOR_SUBJECTS
from transcaspian.domain.network import CorridorNetwork, LegId, Location, LocationId, Mode

EARTH_RADIUS_KM = 6371.0088


def great_circle_km(a: Location, b: Location) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def p50_hours(network: CorridorNetwork, leg_id: str) -> float:
    return network.legs[LegId(leg_id)].running_time.p50.total_seconds() / 3600


def test_no_leg_is_shorter_than_the_straight_line_between_its_ends(bundled_network):
    locations = bundled_network.locations
    too_short = []
    for leg in bundled_network.legs.values():
        straight = great_circle_km(locations[leg.origin], locations[leg.destination])
        if leg.distance_km < straight:
            too_short.append((leg.leg_id, leg.distance_km, round(straight)))
    assert too_short == []


def test_the_great_circle_helper_measures_a_known_distance(bundled_network):
    # Tbilisi-Poti: about 273 km as the crow flies, so the 310 km line is 1.13 x (not 1.3 x)
    tbilisi, poti = (bundled_network.locations[LocationId(x)] for x in ("GETBS", "GEPTI"))
    assert 265 < great_circle_km(tbilisi, poti) < 280


def test_kuryk_is_the_shorter_caspian_crossing(bundled_network):
    kuryk, aktau = (
        p50_hours(bundled_network, "KZKUR-AZALA-ferry"),
        p50_hours(bundled_network, "KZAAU-AZALA-ferry"),
    )
    assert kuryk < aktau
    assert aktau == pytest.approx(22)  # Sea-News 2017: Aktau-Baku 22 h, Kuryk-Baku 18 h
    kuryk_leg = bundled_network.legs[LegId("KZKUR-AZALA-ferry")]
    assert kuryk_leg.running_time.minimum.total_seconds() == 18 * 3600
    services = bundled_network.services
    for kuryk_id, aktau_id in (
        ("asco-kuryk-alat-ferry", "asco-aktau-alat-ferry"),
        ("asco-alat-kuryk-ferry", "asco-alat-aktau-ferry"),
    ):
        assert services[kuryk_id].running_time.p50 < services[aktau_id].running_time.p50


def test_halkali_kapikule_freight_takes_the_ministrys_8_5_hours(bundled_network):
    leg = bundled_network.legs[LegId("TRHAL-TRKPU-rail")]
    assert p50_hours(bundled_network, "TRHAL-TRKPU-rail") == pytest.approx(8.5)
    assert "trthaber-2026-01-halkali-kapikule" in leg.time_sources
    assert bundled_network.sources["trthaber-2026-01-halkali-kapikule"].url.startswith("https://")


def test_burgas_batumi_takes_the_reported_two_and_a_half_days_both_ways(bundled_network):
    assert 54 <= p50_hours(bundled_network, "GEBUS-BGBOJ-ferry") <= 60
    ferries = [s for s in bundled_network.services.values() if s.mode is Mode.FERRY]
    sailed = {(a, b) for s in ferries for a, b in zip(s.stops, s.stops[1:], strict=False)}
    assert (LocationId("BGBOJ"), LocationId("GEBUS")) in sailed
    assert (LocationId("GEBUS"), LocationId("BGBOJ")) in sailed  # the return sailing
    back = bundled_network.services["batumi-burgas-ferry"]
    assert (
        back.departures
        and back.running_time.p50
        == bundled_network.services["burgas-batumi-ferry"].running_time.p50
    )


def test_alat_boyuk_kasik_is_split_so_both_legs_exceed_their_straight_lines(bundled_network):
    first = bundled_network.legs[LegId("AZALA-AZGAN-rail")]
    second = bundled_network.legs[LegId("AZGAN-AZ-BKS-rail")]
    assert first.distance_km + second.distance_km == 434  # 504 km (AZ part of BTK) - 70 km
    assert second.distance_km > 133


def test_the_detour_factor_is_justified_by_the_ratios_that_hold(bundled_network):
    reasoning = bundled_network.sources["assumption-rail-detour-other"].reasoning
    assert "1.13" in reasoning
    assert "310 km is 1.3" not in reasoning


def test_the_caspian_ferry_capacity_cites_the_pemp_train_ferry_page(bundled_network):
    capacity = next(
        c for c in bundled_network.capacities if c.capacity_id == "caspian-ferry-system-wagons"
    )
    assert capacity.value == 95000
    (source,) = capacity.sources
    assert bundled_network.sources[source].url.endswith(
        "train-ferries-on-the-caspian-sea-as-part-of-the-middle-corridor"
    )


def test_route_wide_capacities_are_on_their_corridor_not_on_one_leg(bundled_network):
    for capacity_id in ("titr-cap-2023", "caspian-ferry-system-wagons"):
        capacity = next(c for c in bundled_network.capacities if c.capacity_id == capacity_id)
        assert capacity.subject in CORRIDOR_SUBJECTS
    # a figure for a whole route, line or system is never put on one of its legs or services
    on_one_part = [
        c.capacity_id
        for c in bundled_network.capacities
        if "whole" in c.note.lower()
        and (c.subject in bundled_network.legs or c.subject in bundled_network.services)
    ]
    assert on_one_part == []


def test_dostyk_has_a_local_code_not_an_unconfirmed_un_locode(bundled_network):
    assert LocationId("KZDOS") not in bundled_network.locations
    dostyk = bundled_network.locations[LocationId("KZ-DOS")]
    assert dostyk.un_locode is None


def test_figures_of_one_kind_at_one_place_say_what_each_measures(bundled_network):
    # two figures of one place, measure, unit, status and year must be told apart by their note
    seen: dict[tuple[str, str, str, str, str], list[str]] = {}
    for c in bundled_network.capacities:
        seen.setdefault((c.subject, c.measure, c.unit, c.status, c.year), []).append(c.note)
    ambiguous = {
        key: notes
        for key, notes in seen.items()
        if len(notes) > 1 and (len(set(notes)) < len(notes) or not all(notes))
    }
    assert ambiguous == {}
    aktau = {c.value: c.note for c in bundled_network.capacities if c.subject == "KZAAU"}
    assert "whole port" in aktau[11]
    assert "grain" in aktau[0.8]
    assert "oil" in aktau[7.5]
