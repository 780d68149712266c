"""Request and response bodies of ``POST /api/v1/routes/search``."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, cast

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, JsonValue

from transcaspian.domain.emissions import EmissionFactor, HubEmissionFactor
from transcaspian.domain.network import CorridorNetwork, Mode
from transcaspian.domain.routing import Handling, Itinerary, ItineraryLeg, RoutePlan
from transcaspian.services.planning import FIRST_PLANNING_DAY, LAST_PLANNING_DAY, CargoSpec

__all__ = ["CargoIn", "RouteSearchIn", "RouteSearchOut"]

EXAMPLE_REQUEST: dict[str, Any] = {
    "origin": "CNXIA",
    "destination": "DEDUI",
    "ready_on": "2027-03-03",
    "cargo": {"containers_20ft": 0, "containers_40ft": 1, "mass_t": 20},
}


_DAYS = f"YYYY-MM-DD within {FIRST_PLANNING_DAY.isoformat()}..{LAST_PLANNING_DAY.isoformat()}"
_DAY_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _day_text(value: object) -> object:
    """Only YYYY-MM-DD: pydantic would also take a number (or a numeric string) as seconds
    since 1970, so ``0`` would be 1970-01-01."""
    if isinstance(value, date) or (isinstance(value, str) and _DAY_TEXT.match(value)):
        return value
    raise ValueError(f"must be a date as YYYY-MM-DD (got {value!r})")


# a calendar day within the days the planner's clock covers
PlanningDay = Annotated[
    date, BeforeValidator(_day_text), Field(ge=FIRST_PLANNING_DAY, le=LAST_PLANNING_DAY)
]


class CargoIn(BaseModel):
    """Containers by size and the cargo mass (without container tare)."""

    model_config = ConfigDict(extra="forbid")

    containers_20ft: int = Field(default=0, ge=0, le=1000)
    containers_40ft: int = Field(default=1, ge=0, le=1000)
    mass_t: float = Field(gt=0, le=100_000, description="cargo mass in tonnes")

    def to_domain(self) -> CargoSpec:
        return CargoSpec(self.containers_20ft, self.containers_40ft, self.mass_t)


class RouteSearchIn(BaseModel):
    """A forwarder's question: from where to where, ready when, what, and constraints."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [cast(JsonValue, EXAMPLE_REQUEST)]},
    )

    origin: str = Field(min_length=2, max_length=12, description="location id, e.g. CNXIA")
    destination: str = Field(min_length=2, max_length=12, description="location id")
    ready_on: PlanningDay = Field(
        description=f"cargo ready at the origin, 00:00 UTC that day; {_DAYS}"
    )
    cargo: CargoIn
    corridors: list[Literal["middle", "northern", "suez"]] | None = Field(
        default=None, description="corridors to plan (default: all three)"
    )
    avoid_countries: list[str] = Field(default_factory=list, description="ISO alpha-2 codes")
    avoid_modes: list[Mode] = Field(default_factory=list)
    latest_arrival_on: PlanningDay | None = Field(
        default=None, description=f"P50 arrival by this day; {_DAYS}"
    )
    max_transfers: int | None = Field(default=None, ge=0, le=50)
    samples: int = Field(default=1000, ge=10, le=20_000, description="Monte Carlo samples")
    seed: int = Field(default=0, ge=0, description="seed of the Monte Carlo samples")
    max_options_per_corridor: int = Field(default=4, ge=1, le=20)


class HandlingOut(BaseModel):
    location_id: str
    activities: list[str]
    dwell_hours: float = Field(description="sum of the P50 dwell times")
    is_transfer: bool
    is_transshipment: bool
    hub_co2e_kg: float | None
    hub_factor_id: str | None
    dwell_sources: list[str]

    @classmethod
    def from_domain(cls, handling: Handling) -> HandlingOut:
        hub = handling.hub_emission
        return cls(
            location_id=handling.location_id,
            activities=[str(a) for a in handling.activities],
            dwell_hours=round(handling.dwell.total_seconds() / 3600, 2),
            is_transfer=handling.is_transfer,
            is_transshipment=handling.is_transshipment,
            hub_co2e_kg=round(hub.co2e_kg, 3) if hub else None,
            hub_factor_id=hub.factor.factor_id if hub else None,
            dwell_sources=list(handling.dwell_sources),
        )


class LegEmissionOut(BaseModel):
    leg_id: str
    distance_km: float
    activity: float = Field(description="t-km or TEU-km, per activity_unit")
    activity_unit: str
    factor_id: str
    g_co2e_per_unit: float
    co2e_kg: float = Field(description="activity x g_co2e_per_unit / 1000")


class ItineraryLegOut(BaseModel):
    origin: str
    origin_name: str
    destination: str
    destination_name: str
    mode: str
    leg_ids: list[str]
    stops: list[str]
    path: list[tuple[float, float]] = Field(description="[lat, lon] of each stop, for a map")
    service_id: str | None
    service_name: str
    operator: str
    departure_basis: str = Field(description="timetable, frequency (spread evenly) or any_time")
    handling: HandlingOut
    ready_at: datetime
    departs_at: datetime
    arrives_at: datetime
    wait_hours: float
    running_hours: float
    distance_km: float
    co2e_kg: float
    emissions: list[LegEmissionOut]
    cost_usd: Decimal | None = Field(description="null: no published tariff")
    price_note: str
    miss_probability: float

    @classmethod
    def from_domain(cls, leg: ItineraryLeg, network: CorridorNetwork) -> ItineraryLegOut:
        places = network.locations
        return cls(
            origin=leg.origin,
            origin_name=places[leg.origin].name,
            destination=leg.destination,
            destination_name=places[leg.destination].name,
            mode=str(leg.mode),
            leg_ids=list(leg.leg_ids),
            stops=list(leg.stops),
            path=[(places[s].lat, places[s].lon) for s in leg.stops],
            service_id=leg.service_id,
            service_name=leg.service_name,
            operator=leg.operator,
            departure_basis=str(leg.departure_basis),
            handling=HandlingOut.from_domain(leg.handling),
            ready_at=leg.ready_at,
            departs_at=leg.departs_at,
            arrives_at=leg.arrives_at,
            wait_hours=round(leg.wait.total_seconds() / 3600, 2),
            running_hours=round(leg.running_time.total_seconds() / 3600, 2),
            distance_km=leg.distance_km,
            co2e_kg=round(leg.co2e_kg, 3),
            emissions=[
                LegEmissionOut(
                    leg_id=e.leg_id,
                    distance_km=e.distance_km,
                    activity=e.activity,
                    activity_unit=str(e.factor.activity_unit),
                    factor_id=e.factor.factor_id,
                    g_co2e_per_unit=e.factor.g_co2e_per_unit,
                    co2e_kg=e.co2e_kg,
                )
                for e in leg.emissions
            ],
            cost_usd=leg.cost_usd,
            price_note=leg.price_note,
            miss_probability=leg.miss_probability,
        )


class ChargeOut(BaseModel):
    scope: str
    scope_ref: str
    tariff_id: str
    unit: str
    units: Decimal
    cost_usd: Decimal
    cost_high_usd: Decimal | None
    valid_on: str
    sources: list[str]


class FactorOut(BaseModel):
    factor_id: str
    applies_to: str
    unit: str
    value: float
    glec_version: str
    reference: str = Field(description="GLEC table and page")
    description: str
    sources: list[str]

    @classmethod
    def from_leg_factor(cls, factor: EmissionFactor) -> FactorOut:
        return cls(
            factor_id=factor.factor_id,
            applies_to=f"{factor.mode} legs",
            unit=f"g CO2e WTW per {factor.activity_unit}",
            value=factor.g_co2e_per_unit,
            glec_version=factor.glec_version,
            reference=factor.reference,
            description=factor.description,
            sources=list(factor.sources),
        )

    @classmethod
    def from_hub_factor(cls, factor: HubEmissionFactor) -> FactorOut:
        return cls(
            factor_id=factor.factor_id,
            applies_to=str(factor.hub_kind),
            unit=f"kg CO2e WTW per {factor.unit}",
            value=factor.kg_co2e_per_unit,
            glec_version=factor.glec_version,
            reference=factor.reference,
            description=factor.description,
            sources=list(factor.sources),
        )


class ItineraryOut(BaseModel):
    itinerary_id: str
    rank: int
    badges: list[str]
    corridor: str | None
    via: list[str]
    ready_at: datetime
    planned_arrival_at: datetime = Field(description="every duration at its P50")
    p50_arrival_at: datetime
    p90_arrival_at: datetime
    p50_transit_days: float
    p90_transit_days: float
    miss_probability: float = Field(description="share of samples missing a booked departure")
    samples: int
    seed: int
    cost_usd: Decimal = Field(description="sum of published tariffs (a lower bound if unpriced)")
    cost_high_usd: Decimal
    cost_complete: bool
    unpriced_leg_ids: list[str]
    charges: list[ChargeOut]
    co2e_kg: float
    emission_factors: list[FactorOut]
    transfers: int
    transshipments: int
    legs: list[ItineraryLegOut]
    arrival_handling: HandlingOut
    sources: list[str]

    @classmethod
    def from_domain(cls, option: Itinerary, network: CorridorNetwork) -> ItineraryOut:
        day = 86400
        return cls(
            itinerary_id=option.itinerary_id,
            rank=option.rank,
            badges=list(option.badges),
            corridor=str(option.corridor) if option.corridor else None,
            via=list(option.via),
            ready_at=option.ready_at,
            planned_arrival_at=option.planned_arrival_at,
            p50_arrival_at=option.p50_arrival_at,
            p90_arrival_at=option.p90_arrival_at,
            p50_transit_days=round(option.p50_transit.total_seconds() / day, 2),
            p90_transit_days=round(option.p90_transit.total_seconds() / day, 2),
            miss_probability=option.miss_probability,
            samples=option.samples,
            seed=option.seed,
            cost_usd=option.cost_usd,
            cost_high_usd=option.cost_high_usd,
            cost_complete=option.is_cost_complete,
            unpriced_leg_ids=list(option.unpriced_leg_ids),
            charges=[
                ChargeOut(
                    scope=c.scope,
                    scope_ref=c.scope_ref,
                    tariff_id=c.tariff_id,
                    unit=c.unit,
                    units=c.units,
                    cost_usd=c.cost_usd,
                    cost_high_usd=c.cost_high_usd,
                    valid_on=c.valid_on,
                    sources=list(c.sources),
                )
                for c in option.charges
            ],
            co2e_kg=round(option.co2e_kg, 3),
            emission_factors=[FactorOut.from_leg_factor(f) for f in option.emission_factors]
            + [FactorOut.from_hub_factor(f) for f in option.hub_emission_factors],
            transfers=option.transfers,
            transshipments=option.transshipments,
            legs=[ItineraryLegOut.from_domain(leg, network) for leg in option.legs],
            arrival_handling=HandlingOut.from_domain(option.arrival_handling),
            sources=list(option.sources),
        )


class SourceOut(BaseModel):
    source_id: str
    kind: str
    title: str
    publisher: str
    url: str
    published: str


class MethodsOut(BaseModel):
    search: str
    uncertainty: str
    emissions: str
    glec_version: str
    currency: str


class RouteSearchOut(BaseModel):
    """Ranked options (P50 arrival, then cost, then CO2e), with methods and sources."""

    origin: str
    destination: str
    ready_at: datetime
    itineraries: list[ItineraryOut]
    corridors_without_route: list[str]
    methods: MethodsOut
    notes: list[str]
    sources: list[SourceOut]

    @classmethod
    def from_domain(cls, plan: RoutePlan, network: CorridorNetwork) -> RouteSearchOut:
        used = dict.fromkeys(s for option in plan.itineraries for s in option.sources)
        return cls(
            origin=plan.request.origin,
            destination=plan.request.destination,
            ready_at=plan.request.ready_at,
            itineraries=[ItineraryOut.from_domain(o, network) for o in plan.itineraries],
            corridors_without_route=[str(c) for c in plan.corridors_without_route],
            methods=MethodsOut(
                search=plan.search_method,
                uncertainty=plan.uncertainty_method,
                emissions=plan.emission_method,
                glec_version=plan.glec_version,
                currency=plan.currency,
            ),
            notes=list(plan.notes),
            sources=[
                SourceOut(
                    source_id=s.source_id,
                    kind=str(s.kind),
                    title=s.title,
                    publisher=s.publisher,
                    url=s.url,
                    published=s.published,
                )
                for source_id in used
                if (s := network.sources.get(source_id)) is not None
            ],
        )
