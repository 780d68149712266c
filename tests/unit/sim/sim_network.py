"""A small corridor network for the simulation tests (domain objects, no files).

Altynkol (border + gauge change) → Aktau / Kuryk → Caspian → Alat → Böyük Kəsik (border) →
Tbilisi → Poti → Black Sea → Constanța, with a feeder, a rail ferry and a Black Sea line.
"""

from datetime import timedelta

from transcaspian.domain.network import (
    Corridor,
    CorridorNetwork,
    DwellActivity,
    DwellTime,
    Leg,
    LegId,
    Location,
    LocationId,
    LocationKind,
    Mode,
    Service,
    ServiceId,
    ServiceKind,
    Source,
    SourceId,
    SourceKind,
    WeeklyDeparture,
)
from transcaspian.domain.values import DurationEstimate, UnLocode

SRC = (SourceId("test-src"),)
H = DurationEstimate.from_hours


def _loc(code, kind, lat=42.0, lon=50.0):
    locode = None if "-" in code else UnLocode(code)
    return Location(LocationId(code), code, code[:2], kind, lat, lon, locode, SRC)


def _leg(a, b, p50, p90, gauge=1520, mode=Mode.RAIL):
    return Leg(
        LegId(f"{a}-{b}-{mode.value}"),
        LocationId(a),
        LocationId(b),
        mode,
        500.0,
        H(p50, p90, p50 * 0.8),
        frozenset({Corridor.MIDDLE}),
        SRC,
        SRC,
        gauge_mm=gauge if mode is Mode.RAIL else None,
    )


def _service(sid, a, b, p50, p90, teu=None, railcars=None, trucks=None, mode=Mode.FERRY):
    return Service(
        ServiceId(sid),
        sid,
        "Test",
        mode,
        ServiceKind.TIMETABLED,
        (LocationId(a), LocationId(b)),
        H(p50, p90, p50 * 0.9),
        tuple(WeeklyDeparture(d, __import__("datetime").time(12, 0)) for d in (0, 2, 4)),
        None,
        timedelta(hours=6),
        teu,
        railcars,
        trucks,
        SRC,
        SRC,
    )


def _dwell(loc, activity, p50, p90, mode=None):
    return DwellTime(LocationId(loc), activity, H(p50, p90, p50 * 0.5), SRC, mode)


SIM_PARAMETERS = (
    ("KZAAU", "ferry_berths", 1),
    ("KZKUR", "ferry_berths", 2),
    ("AZALA", "ferry_berths", 3),
    ("GEPTI", "ferry_berths", 2),
    ("ROCND", "ferry_berths", 2),
    ("KZ-ALT", "border_lanes", 3),
    ("KZ-ALT", "transshipment_tracks", 4),
    ("AZ-BKS", "border_lanes", 2),
    ("aktau-alat-feeder", "vessels", 5),
    ("kuryk-alat-ferry", "vessels", 4),
    ("poti-constanta", "vessels", 2),
    ("aktau-alat-feeder", "dispatch_load_factor", 0.8),
    ("kuryk-alat-ferry", "dispatch_load_factor", 0.8),
    ("KZAAU", "weather_closures_per_year", 6),
    ("KZAAU", "weather_closure_p50_h", 36),
    ("KZAAU", "weather_closure_p90_h", 96),
)


def build_network() -> CorridorNetwork:
    locations = [
        _loc("KZ-ALT", LocationKind.BORDER_CROSSING),
        _loc("KZAAU", LocationKind.SEAPORT),
        _loc("KZKUR", LocationKind.SEAPORT),
        _loc("AZALA", LocationKind.SEAPORT),
        _loc("AZ-BKS", LocationKind.BORDER_CROSSING),
        _loc("GETBS", LocationKind.RAIL_TERMINAL),
        _loc("GEPTI", LocationKind.SEAPORT),
        _loc("ROCND", LocationKind.SEAPORT),
    ]
    legs = [
        _leg("KZ-ALT", "KZAAU", 96, 130),
        _leg("KZ-ALT", "KZKUR", 100, 140),
        _leg("AZALA", "AZ-BKS", 12, 18),
        _leg("AZ-BKS", "GETBS", 4, 6),
        _leg("GETBS", "GEPTI", 8, 12),
        _leg("KZAAU", "AZALA", 20, 28, mode=Mode.FERRY),
        _leg("KZKUR", "AZALA", 21, 30, mode=Mode.FERRY),
        _leg("GEPTI", "ROCND", 100, 130, mode=Mode.SEA),
    ]
    services = [
        _service("aktau-alat-feeder", "KZAAU", "AZALA", 20, 28, teu=225),
        _service("kuryk-alat-ferry", "KZKUR", "AZALA", 21, 30, railcars=54, trucks=50),
        _service("poti-constanta", "GEPTI", "ROCND", 100, 130, teu=700, mode=Mode.SEA),
    ]
    dwell = [
        _dwell("KZ-ALT", DwellActivity.BORDER_CROSSING, 8, 20, Mode.RAIL),
        _dwell("KZ-ALT", DwellActivity.TRANSSHIPMENT, 6, 12),
        _dwell("AZ-BKS", DwellActivity.BORDER_CROSSING, 5, 12),
        _dwell("KZAAU", DwellActivity.PORT_HANDLING, 8, 12, Mode.FERRY),
        _dwell("KZKUR", DwellActivity.PORT_HANDLING, 7, 11, Mode.FERRY),
        _dwell("AZALA", DwellActivity.PORT_HANDLING, 10, 20, Mode.FERRY),
        _dwell("GEPTI", DwellActivity.PORT_HANDLING, 12, 24, Mode.SEA),
        _dwell("ROCND", DwellActivity.PORT_HANDLING, 12, 24, Mode.SEA),
    ]
    return CorridorNetwork(
        locations={x.location_id: x for x in locations},
        legs={x.leg_id: x for x in legs},
        services={x.service_id: x for x in services},
        tariffs={},
        capacities=(),
        dwell_times=tuple(dwell),
        sources={
            SourceId("test-src"): Source(
                SourceId("test-src"), SourceKind.ASSUMPTION, "Test", reasoning="tests only"
            )
        },
        extra_tables={
            "sim_parameters.csv": tuple(
                {"subject": s, "parameter": p, "value": str(v), "unit": "", "source": "test-src"}
                for s, p, v in SIM_PARAMETERS
            )
        },
    )


SCENARIO_YAML = """
id: test-baseline
title: Test baseline
base_year: 2024
years: [2024, 2030]
sources:
  - id: test-volumes
    kind: assumption
    title: Test volumes
    reasoning: round numbers for tests
flows:
  - id: containers-aktau
    unit: TEU
    path: [KZ-ALT, KZAAU, AZALA, AZ-BKS, GETBS, GEPTI, ROCND]
    corridor: Altynkol→Constanța
    units_per_arrival: {value: 84, source: test-volumes}
    volumes:
      - {year: 2024, value: 30000, source: test-volumes}
  - id: railcars-kuryk
    unit: railcar
    path: [KZ-ALT, KZKUR, AZALA, AZ-BKS, GETBS]
    units_per_arrival: {value: 50, source: test-volumes}
    volumes:
      - {year: 2024, value: 15000, source: test-volumes}
dispatch:
  aktau-alat-feeder: when_loaded
  kuryk-alat-ferry: when_loaded
growth:
  - id: double-by-2030
    year: 2030
    from_year: 2024
    factor: {value: 2, source: test-volumes}
    flows: [containers-aktau, railcars-kuryk]
"""
