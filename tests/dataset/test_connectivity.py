"""The network connects the Chinese border to the EU border by each of the three corridors."""

from dataclasses import replace

import pytest

from transcaspian.domain.network import Corridor, CorridorNetwork, LocationId, Mode

CHINESE_BORDER = {
    Corridor.MIDDLE: ["CNHRS", "CNAKL"],  # Khorgos/Altynkol and Alashankou/Dostyk
    Corridor.NORTHERN: ["CNAKL"],  # Alashankou/Dostyk
    Corridor.SUEZ: ["CNSHA", "CNLYG"],  # the Chinese seaports
}
EU_BORDER = {
    Corridor.MIDDLE: ["ROCND", "BGBOJ"],  # Constanța and Burgas across the Black Sea
    Corridor.NORTHERN: ["PLMAA"],  # Małaszewicze
    Corridor.SUEZ: ["GRPIR", "NLRTM"],  # Piraeus and Rotterdam
}


@pytest.mark.parametrize("corridor", list(Corridor.__members__.values())[:3], ids=str)
def test_each_corridor_connects_the_chinese_border_to_the_eu_border(bundled_network, corridor):
    for start in CHINESE_BORDER[corridor]:
        reached = bundled_network.reachable(LocationId(start), {corridor, Corridor.ACCESS})
        for end in EU_BORDER[corridor]:
            assert end in reached, f"{corridor}: {end} is not reachable from {start}"


def without_modes(network: CorridorNetwork, *modes: Mode) -> CorridorNetwork:
    legs = {k: leg for k, leg in network.legs.items() if leg.mode not in modes}
    return replace(network, legs=legs)


def test_the_middle_corridor_crosses_the_caspian_by_water(bundled_network):
    cut = without_modes(bundled_network, Mode.FERRY, Mode.SEA)
    for start in CHINESE_BORDER[Corridor.MIDDLE]:
        reached = cut.reachable(LocationId(start), {Corridor.MIDDLE, Corridor.ACCESS})
        assert "AZALA" not in reached
        assert not set(EU_BORDER[Corridor.MIDDLE]) & reached


def test_the_northern_route_avoids_the_caspian(bundled_network):
    reached = bundled_network.reachable(LocationId("CNAKL"), {Corridor.NORTHERN, Corridor.ACCESS})
    assert "KZAAU" not in reached and "AZALA" not in reached
    countries = {bundled_network.locations[x].country for x in reached}
    assert {"RU", "BY"} <= countries


def test_the_suez_route_is_by_sea(bundled_network):
    legs = [leg for leg in bundled_network.legs.values() if Corridor.SUEZ in leg.corridors]
    assert legs and all(leg.mode is Mode.SEA for leg in legs)


def test_inland_origins_reach_the_corridors(bundled_network):
    for origin in ("CNXIA", "CNCQI"):
        reached = bundled_network.reachable(LocationId(origin), set(Corridor))
        assert {"DEDUI", "KZAAU", "AZALA"} <= reached, origin


def test_gauge_changes_happen_where_both_gauges_meet(bundled_network):
    for location_id in ("KZ-DOS", "GEZAI", "PLMAA"):
        gauges = {
            leg.gauge_mm
            for leg in bundled_network.legs_from(LocationId(location_id))
            if leg.mode is Mode.RAIL
        }
        brest_side = {
            leg.gauge_mm
            for leg in bundled_network.legs_from(LocationId("BYBQT"))
            if leg.mode is Mode.RAIL
        }
        assert gauges == {1435, 1520} or (
            location_id == "PLMAA" and gauges | brest_side == {1435, 1520}
        ), location_id
