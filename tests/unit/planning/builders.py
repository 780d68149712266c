"""Small corridor networks built in code for the planner's tests (no I/O)."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from transcaspian.domain.emissions import (
    ActivityUnit,
    EmissionFactor,
    EmissionFactorTable,
    HubEmissionFactor,
    HubKind,
)
from transcaspian.domain.network import (
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
from transcaspian.domain.values import DurationEstimate

SRC = (SourceId("test"),)


def location(code: str, country: str | None = None) -> Location:
    """A location with a local code ``CC-XXX``."""
    country = country or code[:2]
    return Location(
        location_id=LocationId(code),
        name=code,
        country=country,
        kind=LocationKind.RAIL_TERMINAL,
        lat=40.0,
        lon=50.0,
        un_locode=None,
        sources=SRC,
    )


def leg(
    origin: str,
    destination: str,
    mode: Mode = Mode.RAIL,
    *,
    hours: float = 10.0,
    p90: float | None = None,
    km: float = 100.0,
    corridors: tuple[Corridor, ...] = (Corridor.MIDDLE,),
    gauge: int | None = None,
    bidirectional: bool = False,
    leg_id: str | None = None,
) -> Leg:
    if mode is Mode.RAIL and gauge is None:
        gauge = 1520
    return Leg(
        leg_id=LegId(leg_id or f"{origin}-{destination}-{mode}"),
        origin=LocationId(origin),
        destination=LocationId(destination),
        mode=mode,
        distance_km=km,
        running_time=DurationEstimate.from_hours(
            hours, p90 if p90 is not None else hours * 1.5, hours * 0.8
        ),
        corridors=frozenset(corridors),
        distance_sources=SRC,
        time_sources=SRC,
        gauge_mm=gauge,
        bidirectional=bidirectional,
    )


def service(
    service_id: str,
    stops: tuple[str, ...],
    mode: Mode = Mode.FERRY,
    *,
    hours: float = 24.0,
    p90: float | None = None,
    weekly: tuple[tuple[int, int], ...] = ((0, 18),),
    frequency: float | None = None,
    cutoff_h: float = 0.0,
) -> Service:
    return Service(
        service_id=ServiceId(service_id),
        name=service_id,
        operator="Test Line",
        mode=mode,
        kind=ServiceKind.FREQUENCY if frequency else ServiceKind.TIMETABLED,
        stops=tuple(LocationId(s) for s in stops),
        running_time=DurationEstimate.from_hours(
            hours, p90 if p90 is not None else hours * 1.5, hours * 0.8
        ),
        departures=()
        if frequency
        else tuple(WeeklyDeparture(day, time(hour, 0)) for day, hour in weekly),
        frequency_per_week=frequency,
        cutoff=timedelta(hours=cutoff_h),
        capacity_teu=None,
        capacity_railcars=None,
        capacity_trucks=None,
        sources=SRC,
        time_sources=SRC,
    )


def tariff(
    tariff_id: str, scope: str, ref: str, amount: float, unit: FreightUnit = FreightUnit.FEU
) -> Tariff:
    return Tariff(
        tariff_id=TariffId(tariff_id),
        scope=scope,
        scope_ref=ref,
        unit=unit,
        amount=Decimal(str(amount)),
        currency="USD",
        sources=SRC,
    )


def dwell(code: str, activity: DwellActivity, hours: float, mode: Mode | None = None) -> DwellTime:
    return DwellTime(
        location_id=LocationId(code),
        activity=activity,
        duration=DurationEstimate.from_hours(hours, hours * 2, hours / 2),
        sources=SRC,
        mode=mode,
    )


def network(
    legs: list[Leg],
    services: list[Service] = (),  # type: ignore[assignment]
    tariffs: list[Tariff] = (),  # type: ignore[assignment]
    dwells: list[DwellTime] = (),  # type: ignore[assignment]
    countries: dict[str, str] | None = None,
) -> CorridorNetwork:
    codes = sorted({x.origin for x in legs} | {x.destination for x in legs})
    countries = countries or {}
    return CorridorNetwork(
        locations={LocationId(c): location(c, countries.get(c)) for c in codes},
        legs={x.leg_id: x for x in legs},
        services={s.service_id: s for s in services},
        tariffs={t.tariff_id: t for t in tariffs},
        capacities=(),
        dwell_times=tuple(dwells),
        sources={SRC[0]: Source(SRC[0], SourceKind.WEB, "test", url="https://example.org")},
    )


def factors(
    rail: float = 27.6, road: float = 95.0, ferry: float = 268.8, sea_teu: float = 49.9
) -> EmissionFactorTable:
    def f(fid: str, mode: Mode, value: float, unit: ActivityUnit = ActivityUnit.TONNE_KM):
        return EmissionFactor(fid, mode, unit, value, SRC, "v3.0", "Table X, p.1", fid)

    return EmissionFactorTable.of(
        [
            f("rail", Mode.RAIL, rail),
            f("road", Mode.ROAD, road),
            f("ferry", Mode.FERRY, ferry),
            f("sea", Mode.SEA, sea_teu, ActivityUnit.TEU_KM),
        ],
        [
            HubEmissionFactor(
                "terminal",
                HubKind.CONTAINER_TERMINAL,
                10.7,
                SRC,
                "v3.0",
                "p.87",
                "maritime container terminal",
            ),
            HubEmissionFactor(
                "hub", HubKind.TRANSSHIPMENT, 0.6, SRC, "v3.0", "p.87", "transshipment hub"
            ),
        ],
    )
