"""A seeded synthetic corridor network for the routing benchmark: 5,000 terminals in 100
regions on a 10 x 10 grid (1520 mm gauge in the east, 1435 mm in the west), and over 100,000
timetabled connections a week.

Each terminal has rail shuttles to and from its regional hub (10 a week each way), hubs are
joined to their grid neighbours by trunk trains (14 a week each way, three stops along a row or
column), the middle column's hubs by weekly ferries; terminals have trucks (any time) to a
neighbouring terminal. Leg tariffs and distances vary, so time, cost and CO2e pull apart.
"""

from __future__ import annotations

import itertools
import math
import random
from datetime import time, timedelta
from decimal import Decimal

from transcaspian.domain.network import (
    Corridor,
    CorridorNetwork,
    FreightUnit,
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
    Tariff,
    TariffId,
    WeeklyDeparture,
)
from transcaspian.domain.values import DurationEstimate

__all__ = ["connections_per_week", "generate_network"]

SRC = (SourceId("synthetic"),)
COUNTRIES = ["CN", "KZ", "AZ", "GE", "TR", "BG", "RO", "HU", "PL", "DE"]
GRID = 10
PER_REGION = 50


def generate_network(seed: int = 7) -> CorridorNetwork:
    rng = random.Random(seed)
    locations: dict[LocationId, Location] = {}
    legs: dict[LegId, Leg] = {}
    services: dict[ServiceId, Service] = {}
    tariffs: dict[TariffId, Tariff] = {}
    hubs: dict[tuple[int, int], LocationId] = {}
    members: dict[tuple[int, int], list[LocationId]] = {}

    def add_leg(a: LocationId, b: LocationId, mode: Mode, gauge: int | None, usd_km: float) -> Leg:
        pa, pb = locations[a], locations[b]
        km = max(5.0, 111 * math.hypot(pa.lat - pb.lat, (pa.lon - pb.lon) * 0.7) * 1.2)
        speed = {Mode.RAIL: 35, Mode.ROAD: 55, Mode.FERRY: 25}[mode]
        hours = km / speed
        leg = Leg(
            leg_id=LegId(f"{a}-{b}-{mode}"),
            origin=a,
            destination=b,
            mode=mode,
            distance_km=round(km, 1),
            running_time=DurationEstimate.from_hours(hours, hours * 1.4, hours * 0.8),
            corridors=frozenset({Corridor.MIDDLE}),
            distance_sources=SRC,
            time_sources=SRC,
            gauge_mm=gauge,
            bidirectional=True,
        )
        legs[leg.leg_id] = leg
        tariffs[TariffId(f"t-{leg.leg_id}")] = Tariff(
            tariff_id=TariffId(f"t-{leg.leg_id}"),
            scope="leg",
            scope_ref=leg.leg_id,
            unit=FreightUnit.FEU,
            amount=Decimal(round(km * usd_km * rng.uniform(0.8, 1.25))),
            currency="USD",
            sources=SRC,
        )
        return leg

    def add_service(
        service_id: str, stops: list[LocationId], mode: Mode, per_week: int, hours: float
    ) -> None:
        offsets = sorted(rng.sample(range(7 * 24), per_week))
        services[ServiceId(service_id)] = Service(
            service_id=ServiceId(service_id),
            name=service_id,
            operator="synthetic",
            mode=mode,
            kind=ServiceKind.TIMETABLED,
            stops=tuple(stops),
            running_time=DurationEstimate.from_hours(hours, hours * 1.3, hours * 0.9),
            departures=tuple(WeeklyDeparture(h // 24, time(h % 24, 0)) for h in offsets),
            frequency_per_week=None,
            cutoff=timedelta(hours=2),
            capacity_teu=None,
            capacity_railcars=None,
            capacity_trucks=None,
            sources=SRC,
            time_sources=SRC,
        )

    def gauge_of(col: int) -> int:
        return 1520 if col >= GRID // 2 else 1435

    for row in range(GRID):
        for col in range(GRID):
            country = COUNTRIES[col]
            lat0, lon0 = 35 + row * 2.0, 20 + col * 9.0
            region = []
            for k in range(PER_REGION):
                code = LocationId(f"{country}-R{row}{col}T{k:02d}")
                locations[code] = Location(
                    location_id=code,
                    name=code,
                    country=country,
                    kind=LocationKind.HUB if k == 0 else LocationKind.RAIL_TERMINAL,
                    lat=lat0 + (0 if k == 0 else rng.uniform(-0.9, 0.9)),
                    lon=lon0 + (0 if k == 0 else rng.uniform(-4, 4)),
                    un_locode=None,
                    sources=SRC,
                )
                region.append(code)
            hubs[(row, col)] = region[0]
            members[(row, col)] = region
    # regional rail shuttles and trucks
    for (_row, col), region in members.items():
        hub = region[0]
        gauge = gauge_of(col)
        for k, terminal in enumerate(region[1:], start=1):
            leg = add_leg(terminal, hub, Mode.RAIL, gauge, 1.1)
            hours = leg.running_time.p50.total_seconds() / 3600
            add_service(f"sh-{terminal}-out", [terminal, hub], Mode.RAIL, 10, hours)
            add_service(f"sh-{terminal}-in", [hub, terminal], Mode.RAIL, 10, hours)
            neighbour = region[1 + (k % (PER_REGION - 1))]
            if neighbour != terminal:
                add_leg(terminal, neighbour, Mode.ROAD, None, 2.6)
        add_leg(region[1], hub, Mode.ROAD, None, 2.6)
    # trunk trains along rows and columns, three stops, both ways
    for (row, col), hub in hubs.items():
        for d_row, d_col in ((0, 1), (1, 0)):
            nxt = (row + d_row, col + d_col)
            if nxt not in hubs:
                continue
            add_leg(hub, hubs[nxt], Mode.RAIL, gauge_of(col), 0.7)
    for row, col in hubs:
        for d_row, d_col in ((0, 1), (1, 0)):
            path = [(row + i * d_row, col + i * d_col) for i in range(3)]
            if not all(p in hubs for p in path):
                continue
            stops = [hubs[p] for p in path]
            hours = sum(
                legs[LegId(f"{a}-{b}-rail")].running_time.p50.total_seconds() / 3600
                for a, b in itertools.pairwise(stops)
            )
            add_service(f"tr-{stops[0]}-{stops[-1]}", stops, Mode.RAIL, 14, hours)
            add_service(f"tr-{stops[-1]}-{stops[0]}", stops[::-1], Mode.RAIL, 14, hours)
    # weekly ferries between the hubs of the middle column and their row neighbour
    for row in range(GRID):
        a, b = hubs[(row, GRID // 2 - 1)], hubs[(row, GRID // 2)]
        leg = add_leg(a, b, Mode.FERRY, None, 1.8)
        hours = leg.running_time.p50.total_seconds() / 3600
        add_service(f"fe-{a}-{b}", [a, b], Mode.FERRY, 2, hours)
        add_service(f"fe-{b}-{a}", [b, a], Mode.FERRY, 2, hours)
    return CorridorNetwork(
        locations=locations,
        legs=legs,
        services=services,
        tariffs=tariffs,
        capacities=(),
        dwell_times=(),
        sources={SRC[0]: Source(SRC[0], SourceKind.DATASET, "synthetic benchmark network")},
    )


def connections_per_week(network: CorridorNetwork) -> int:
    """Departures x hops of every timetabled service in a week."""
    return sum(
        (len(s.stops) - 1) * len(s.departures)
        for s in network.services.values()
        if s.kind is ServiceKind.TIMETABLED
    )
