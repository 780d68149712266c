"""Corridor networks for store tests: one small hand-made network and a hypothesis strategy.

``small_network()`` is a slice of the Middle Corridor (Aktau - Alat - Poti) with one figure of
every kind; its UN/LOCODEs are real codes (UN/LOCODE list), the figures are test values.
``networks()`` draws consistent networks: every reference points at an existing location or
source, ids are unique, text holds no NUL (PostgreSQL text cannot).
"""

from __future__ import annotations

import dataclasses
import string
from datetime import date, time, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from transcaspian.domain.network import (
    Capacity,
    Corridor,
    CorridorNetwork,
    DwellActivity,
    DwellTime,
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
from transcaspian.domain.values import DurationEstimate, UnLocode

WEB = SourceId("test-web-source")
ASSUMED = SourceId("assumption-test")


def small_network() -> CorridorNetwork:
    """Aktau (KZ AAU) - Alat (AZ ALA) by ferry, Alat - Poti (GE PTI) by rail, one of each figure."""
    sources = {
        WEB: Source(WEB, SourceKind.WEB, "A test page", "Tester", "https://example.org/a", "2025"),
        ASSUMED: Source(ASSUMED, SourceKind.ASSUMPTION, "A test assumption", reasoning="tests"),
    }
    locations = {
        LocationId(code): Location(
            LocationId(code), name, code[:2], kind, lat, lon, UnLocode(code), (WEB,)
        )
        for code, name, kind, lat, lon in (
            ("KZAAU", "Aktau", LocationKind.SEAPORT, 43.635, 51.168),
            ("AZALA", "Alat", LocationKind.SEAPORT, 39.976, 49.441),
            ("GEPTI", "Poti", LocationKind.SEAPORT, 42.142, 41.675),
        )
    }
    border = Location(
        LocationId("GE-RDB"),
        "Red Bridge",
        "GE",
        LocationKind.BORDER_CROSSING,
        41.33,
        45.12,
        None,
        (WEB, ASSUMED),
        note="local code",
    )
    locations[border.location_id] = border
    ferry = Leg(
        LegId("KZAAU-AZALA-ferry"),
        LocationId("KZAAU"),
        LocationId("AZALA"),
        Mode.FERRY,
        470.0,
        DurationEstimate.from_hours(20, 40, 18),
        frozenset({Corridor.MIDDLE}),
        (WEB,),
        (ASSUMED,),
    )
    rail = Leg(
        LegId("AZALA-GEPTI-rail"),
        LocationId("AZALA"),
        LocationId("GEPTI"),
        Mode.RAIL,
        880.5,
        DurationEstimate.from_hours(48),
        frozenset({Corridor.MIDDLE, Corridor.ACCESS}),
        (WEB, ASSUMED),
        (WEB,),
        gauge_mm=1520,
        bidirectional=False,
        note="via Tbilisi",
    )
    feeder = Service(
        ServiceId("aktau-alat-feeder"),
        "Aktau-Alat container feeder",
        "Test Shipping",
        Mode.FERRY,
        ServiceKind.TIMETABLED,
        (LocationId("KZAAU"), LocationId("AZALA")),
        DurationEstimate.from_hours(22, 36, 20),
        (WeeklyDeparture(4, time(18, 30)), WeeklyDeparture(0, time(6, 0))),
        None,
        timedelta(hours=12),
        150,
        None,
        50,
        (WEB,),
        (ASSUMED, WEB),
        valid_from=date(2025, 1, 1),
    )
    block_train = Service(
        ServiceId("alat-poti-block"),
        "Alat-Poti block train",
        "",
        Mode.RAIL,
        ServiceKind.FREQUENCY,
        (LocationId("AZALA"), LocationId("GEPTI")),
        DurationEstimate.from_hours(50),
        (),
        3.5,
        timedelta(0),
        None,
        57,
        None,
        (ASSUMED,),
        (ASSUMED,),
    )
    tariffs = (
        Tariff(
            TariffId("t-ferry-teu"),
            "leg",
            ferry.leg_id,
            FreightUnit.TEU,
            Decimal("1150.25"),
            "USD",
            (WEB,),
            Decimal("1400.10"),
            "2025",
        ),
        Tariff(
            TariffId("t-segment"),
            "segment",
            "KZAAU>GEPTI",
            FreightUnit.FEU,
            Decimal("0.000000000000000000001"),
            "EUR",
            (ASSUMED,),
        ),
    )
    return CorridorNetwork(
        locations=locations,
        legs={ferry.leg_id: ferry, rail.leg_id: rail},
        services={feeder.service_id: feeder, block_train.service_id: block_train},
        tariffs={t.tariff_id: t for t in tariffs},
        capacities=(
            Capacity(
                "cap-aktau", "KZAAU", "containers", 240000.0, "TEU/yr", "actual", "2024", (WEB,)
            ),
            Capacity(
                "cap-feeder",
                "aktau-alat-feeder",
                "containers",
                150,
                "TEU",
                "planned",
                "2025-H1",
                (ASSUMED, WEB),
                note="per sailing",
            ),
        ),
        dwell_times=(
            DwellTime(
                LocationId("AZALA"),
                DwellActivity.PORT_HANDLING,
                DurationEstimate.from_hours(12, 30, 6),
                (WEB,),
                Mode.FERRY,
            ),
            DwellTime(
                LocationId("GE-RDB"),
                DwellActivity.BORDER_CROSSING,
                DurationEstimate.from_hours(4, 10),
                (ASSUMED,),
            ),
            DwellTime(
                LocationId("AZALA"),
                DwellActivity.PORT_HANDLING,
                DurationEstimate.from_hours(10),
                (WEB,),
            ),
        ),
        sources=sources,
        extra_tables={
            "trade.csv": (
                {"year": "2024", "value_usd": "10.5", "source": "test-web-source"},
                {"year": "2025", "value_usd": "", "source": ""},
            )
        },
    )


def without_location(network: CorridorNetwork, location_id: str) -> CorridorNetwork:
    """The network less one location and everything that refers to it."""
    legs = {k: v for k, v in network.legs.items() if location_id not in (v.origin, v.destination)}
    services = {k: v for k, v in network.services.items() if location_id not in v.stops}
    return dataclasses.replace(
        network,
        locations={k: v for k, v in network.locations.items() if k != location_id},
        legs=legs,
        services=services,
        dwell_times=tuple(d for d in network.dwell_times if d.location_id != location_id),
    )


# --- hypothesis -------------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=20)
SLUG = st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=30)
HOURS = st.floats(min_value=0, max_value=2000, allow_nan=False)


@st.composite
def durations(draw: st.DrawFn) -> DurationEstimate:
    low, mid, high = sorted(draw(st.lists(HOURS, min_size=3, max_size=3)))
    return DurationEstimate(timedelta(hours=mid), timedelta(hours=high), timedelta(hours=low))


@st.composite
def networks(draw: st.DrawFn) -> CorridorNetwork:
    """A consistent CorridorNetwork of up to a few dozen rows."""
    source_ids = draw(st.lists(SLUG, min_size=1, max_size=5, unique=True))
    sources = {}
    for sid in source_ids:
        kind = draw(st.sampled_from(SourceKind))
        sources[SourceId(sid)] = Source(
            SourceId(sid),
            kind,
            draw(TEXT) or "t",
            draw(TEXT),
            draw(TEXT),
            draw(TEXT),
            draw(st.sampled_from(["", "high", "low"])),
            draw(TEXT) + "why",
            draw(TEXT),
        )
    cite = st.lists(st.sampled_from(sorted(sources)), min_size=1, max_size=3).map(tuple)

    codes = draw(
        st.lists(
            st.one_of(
                st.from_regex(r"\A[A-Z]{2}[A-Z2-9]{3}\Z"),
                st.from_regex(r"\A[A-Z]{2}-[A-Z0-9]{2,6}\Z"),
            ),
            min_size=2,
            max_size=6,
            unique=True,
        )
    )
    locations = {
        LocationId(code): Location(
            LocationId(code),
            draw(TEXT),
            code[:2],
            draw(st.sampled_from(LocationKind)),
            draw(st.floats(-90, 90)),
            draw(st.floats(-180, 180)),
            None if "-" in code else UnLocode(code),
            draw(cite),
            draw(TEXT),
        )
        for code in codes
    }
    place = st.sampled_from(sorted(locations))

    legs = {}
    for leg_id in draw(st.lists(SLUG, max_size=5, unique=True)):
        origin, destination = draw(st.lists(place, min_size=2, max_size=2, unique=True))
        mode = draw(st.sampled_from(Mode))
        legs[LegId(leg_id)] = Leg(
            LegId(leg_id),
            origin,
            destination,
            mode,
            draw(st.floats(min_value=0.001, max_value=20000)),
            draw(durations()),
            frozenset(draw(st.sets(st.sampled_from(Corridor), min_size=1))),
            draw(cite),
            draw(cite),
            draw(st.sampled_from([1520, 1435])) if mode is Mode.RAIL else None,
            draw(st.booleans()),
            draw(TEXT),
        )

    services = {}
    for service_id in draw(st.lists(SLUG, max_size=3, unique=True)):
        kind = draw(st.sampled_from(ServiceKind))
        departures = draw(
            st.lists(
                st.builds(WeeklyDeparture, st.integers(0, 6), st.times()),
                min_size=1 if kind is ServiceKind.TIMETABLED else 0,
                max_size=4,
            )
        )
        capacity = st.none() | st.integers(1, 10**6)
        services[ServiceId(service_id)] = Service(
            ServiceId(service_id),
            draw(TEXT),
            draw(TEXT),
            draw(st.sampled_from(Mode)),
            kind,
            tuple(draw(st.lists(place, min_size=2, max_size=4, unique=True))),
            draw(durations()),
            tuple(departures),
            draw(st.floats(min_value=0.1, max_value=100))
            if kind is ServiceKind.FREQUENCY
            else draw(st.none() | st.floats(min_value=0.1, max_value=100)),
            timedelta(hours=draw(HOURS)),
            draw(capacity),
            draw(capacity),
            draw(capacity),
            draw(cite),
            draw(cite),
            draw(st.none() | st.dates()),
            draw(TEXT),
        )

    amount = st.decimals(min_value=0, max_value=10**12, places=6)  # sums stay exact
    tariffs = {}
    for tariff_id in draw(st.lists(SLUG, max_size=3, unique=True)):
        low = draw(amount)
        high = draw(st.none() | amount.map(lambda a, low=low: low + a))
        tariffs[TariffId(tariff_id)] = Tariff(
            TariffId(tariff_id),
            draw(st.sampled_from(["leg", "service", "segment"])),
            draw(SLUG),
            draw(st.sampled_from(FreightUnit)),
            low,
            draw(st.sampled_from(["USD", "EUR", "KZT"])),
            draw(cite),
            high,
            valid_on=draw(TEXT),
            modes=draw(st.frozensets(st.sampled_from(Mode))),
            note=draw(TEXT),
        )

    capacities = tuple(
        Capacity(
            capacity_id,
            draw(place),
            draw(TEXT),
            draw(st.floats(0, 1e9)),
            draw(TEXT),
            draw(st.sampled_from(["actual", "planned", "observed"])),
            draw(TEXT),
            draw(cite),
            draw(TEXT),
        )
        for capacity_id in draw(st.lists(SLUG, max_size=3, unique=True))
    )
    dwell_times = tuple(
        DwellTime(
            draw(place),
            draw(st.sampled_from(DwellActivity)),
            draw(durations()),
            draw(cite),
            draw(st.none() | st.sampled_from(Mode)),
            draw(TEXT),
        )
        for _ in range(draw(st.integers(0, 3)))
    )
    columns = draw(st.lists(SLUG, min_size=1, max_size=3, unique=True))
    extra_tables = {
        name: tuple(
            {column: draw(TEXT) for column in columns} for _ in range(draw(st.integers(1, 3)))
        )
        for name in draw(st.lists(SLUG.map(lambda s: s + ".csv"), max_size=2, unique=True))
    }
    return CorridorNetwork(
        locations=locations,
        legs=legs,
        services=services,
        tariffs=tariffs,
        capacities=capacities,
        dwell_times=dwell_times,
        sources=sources,
        extra_tables=extra_tables,
    )
