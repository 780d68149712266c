"""CO2e of a transport chain by the GLEC Framework v3.0 / ISO 14083:2023, well-to-wheel (WTW).

A chain is cut into transport chain elements (one per leg) and hub elements (one per
handling where the cargo changes vehicle). A leg emits ``activity x intensity``: activity is
tonne-km of the shipper's cargo (container tare excluded, GLEC v3.0 p.21) or TEU-km for the
Clean Cargo sea lanes (GLEC v3.0 Tables 16-17, whose values already hold the +15 % distance
adjustment). A hub emits kg CO2e per container (maritime container terminal) or per tonne
(transshipment hub), GLEC v3.0 Table 3, p.87.

The factors are data: the service layer reads them from the dataset (emission_factors.csv and
hub_emission_factors.csv, every row with its GLEC table, page and source) and passes them in.
This module does no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from transcaspian.domain.errors import InvalidValueError, NotFoundError
from transcaspian.domain.network import Corridor, Leg, LegId, LocationId, Mode, SourceId

__all__ = [
    "GLEC_VERSION",
    "METHOD",
    "ActivityUnit",
    "Cargo",
    "EmissionFactor",
    "EmissionFactorTable",
    "HubEmission",
    "HubEmissionFactor",
    "HubKind",
    "LegEmission",
    "hub_emission",
    "leg_emission",
]

GLEC_VERSION = "GLEC Framework v3.0 (2023, updated 2024-04-02)"
METHOD = "ISO 14083:2023 / GLEC Framework v3.0, well-to-wheel (WTW), AR6 GWP100"


class ActivityUnit(StrEnum):
    TONNE_KM = "t-km"  # tonnes of the shipper's cargo x km
    TEU_KM = "TEU-km"  # twenty-foot equivalents x km (Clean Cargo sea lanes)


class HubKind(StrEnum):
    CONTAINER_TERMINAL = "container_terminal"  # per container handled
    TRANSSHIPMENT = "transshipment"  # per tonne handled


@dataclass(frozen=True, slots=True)
class Cargo:
    """What is shipped: containers by size and the cargo mass (without container tare)."""

    containers_20ft: int
    containers_40ft: int
    mass_kg: float

    def __post_init__(self) -> None:
        if self.containers_20ft < 0:
            raise InvalidValueError(
                f"containers_20ft: {self.containers_20ft} is negative", field="containers_20ft"
            )
        if self.containers_40ft < 0:
            raise InvalidValueError(
                f"containers_40ft: {self.containers_40ft} is negative", field="containers_40ft"
            )
        if self.containers_20ft + self.containers_40ft == 0:
            raise InvalidValueError(
                "containers: at least one container is needed", field="containers"
            )
        if not math.isfinite(self.mass_kg) or self.mass_kg <= 0:
            raise InvalidValueError(
                f"mass_t: {self.mass_kg / 1000:g} t is not a positive mass", field="mass_t"
            )

    @property
    def mass_t(self) -> float:
        return self.mass_kg / 1000

    @property
    def containers(self) -> int:
        return self.containers_20ft + self.containers_40ft

    @property
    def teu(self) -> int:
        return self.containers_20ft + 2 * self.containers_40ft

    @property
    def railcars(self) -> int:
        """Flat wagons needed: one per 40' box, one per two 20' boxes."""
        return self.containers_40ft + math.ceil(self.containers_20ft / 2)

    @property
    def trucks(self) -> int:
        """Trucks needed: one per container."""
        return self.containers


@dataclass(frozen=True, slots=True)
class EmissionFactor:
    """A WTW intensity for legs of one mode, optionally only for one corridor or one leg."""

    factor_id: str
    mode: Mode
    activity_unit: ActivityUnit
    g_co2e_per_unit: float  # g CO2e WTW per t-km or per TEU-km
    sources: tuple[SourceId, ...]
    glec_version: str
    reference: str  # GLEC table and page, e.g. "Table 4, p.88"
    description: str
    corridor: Corridor | None = None
    leg_id: LegId | None = None

    def __post_init__(self) -> None:
        if not math.isfinite(self.g_co2e_per_unit) or self.g_co2e_per_unit < 0:
            raise InvalidValueError(
                f"g_co2e_per_unit: {self.g_co2e_per_unit} is not a non-negative intensity",
                field="g_co2e_per_unit",
            )
        if not self.sources:
            raise InvalidValueError("source: an emission factor needs a source", field="source")


@dataclass(frozen=True, slots=True)
class HubEmissionFactor:
    """Emissions of one handling at a hub: kg CO2e per container or per tonne."""

    factor_id: str
    hub_kind: HubKind
    kg_co2e_per_unit: float
    sources: tuple[SourceId, ...]
    glec_version: str
    reference: str
    description: str

    def __post_init__(self) -> None:
        if not math.isfinite(self.kg_co2e_per_unit) or self.kg_co2e_per_unit < 0:
            raise InvalidValueError(
                f"kg_co2e_per_unit: {self.kg_co2e_per_unit} is not a non-negative intensity",
                field="kg_co2e_per_unit",
            )
        if not self.sources:
            raise InvalidValueError("source: an emission factor needs a source", field="source")

    @property
    def unit(self) -> str:
        return "container" if self.hub_kind is HubKind.CONTAINER_TERMINAL else "tonne"


@dataclass(frozen=True)
class EmissionFactorTable:
    """The factors in force: the most specific one for a leg wins (leg, then mode + corridor,
    then mode)."""

    factors: tuple[EmissionFactor, ...]
    hub_factors: Mapping[HubKind, HubEmissionFactor]

    @classmethod
    def of(
        cls, factors: Iterable[EmissionFactor], hub_factors: Iterable[HubEmissionFactor]
    ) -> EmissionFactorTable:
        return cls(tuple(factors), {h.hub_kind: h for h in hub_factors})

    def factor_for(self, leg: Leg) -> EmissionFactor:
        """The factor for a leg; raises NotFoundError when no row covers its mode."""
        best: EmissionFactor | None = None
        best_rank = -1
        for factor in self.factors:
            if factor.mode is not leg.mode:
                continue
            if factor.leg_id is not None:
                rank = 3 if factor.leg_id == leg.leg_id else -1
            elif factor.corridor is not None:
                rank = 2 if factor.corridor in leg.corridors else -1
            else:
                rank = 1
            if rank > best_rank:
                best, best_rank = factor, rank
        if best is None:
            raise NotFoundError(
                f"emission factor: no factor for {leg.mode} legs (leg {leg.leg_id})",
                field="emission_factor",
            )
        return best

    def hub_factor(self, kind: HubKind) -> HubEmissionFactor:
        try:
            return self.hub_factors[kind]
        except KeyError:
            raise NotFoundError(
                f"hub emission factor: none for {kind}", field="hub_emission_factor"
            ) from None


@dataclass(frozen=True, slots=True)
class LegEmission:
    """CO2e of one leg: ``co2e_kg == activity * factor.g_co2e_per_unit / 1000``."""

    leg_id: LegId
    distance_km: float
    activity: float  # t-km or TEU-km, per factor.activity_unit
    factor: EmissionFactor
    co2e_kg: float


@dataclass(frozen=True, slots=True)
class HubEmission:
    """CO2e of one handling at a hub."""

    location_id: LocationId
    quantity: float  # containers or tonnes, per factor.unit
    factor: HubEmissionFactor
    co2e_kg: float


def leg_emission(leg: Leg, factor: EmissionFactor, cargo: Cargo) -> LegEmission:
    """WTW CO2e (kg) of carrying the cargo over the leg: activity x intensity."""
    activity = leg.distance_km * (
        cargo.teu if factor.activity_unit is ActivityUnit.TEU_KM else cargo.mass_t
    )
    return LegEmission(
        leg_id=leg.leg_id,
        distance_km=leg.distance_km,
        activity=activity,
        factor=factor,
        co2e_kg=activity * factor.g_co2e_per_unit / 1000,
    )


def hub_emission(location_id: LocationId, factor: HubEmissionFactor, cargo: Cargo) -> HubEmission:
    """WTW CO2e (kg) of one handling of the cargo at a hub."""
    quantity = (
        float(cargo.containers) if factor.hub_kind is HubKind.CONTAINER_TERMINAL else cargo.mass_t
    )
    return HubEmission(
        location_id=location_id,
        quantity=quantity,
        factor=factor,
        co2e_kg=quantity * factor.kg_co2e_per_unit,
    )
