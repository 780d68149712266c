"""The columns of each core dataset file as pydantic row schemas (docs/data-format.md).

A cell left empty is None; enum columns take the domain's enums, so an unknown value is named.
Source columns of rows that carry figures are optional here: the source rule reports them once.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from transcaspian.domain.network import (
    DwellActivity,
    FreightUnit,
    LocationKind,
    Mode,
    ServiceKind,
    SourceKind,
)

__all__ = [
    "ID_COLUMNS",
    "CapacityRow",
    "DepartureRow",
    "DwellRow",
    "LegRow",
    "LocationRow",
    "RowSchema",
    "ServiceRow",
    "SourceRow",
    "TariffRow",
]


class RowSchema(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value == "" else value


class SourceRow(RowSchema):
    source_id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    kind: SourceKind
    title: str
    publisher: str | None = None
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    published: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    reliability: str | None = Field(default=None, pattern=r"^(high|medium|low)$")
    reasoning: str | None = None
    note: str | None = None


class LocationRow(RowSchema):
    location_id: str
    un_locode: str | None = None
    name: str
    country: str = Field(pattern=r"^[A-Z]{2}$")
    kind: LocationKind
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    source: str | None = None
    note: str | None = None


class LegRow(RowSchema):
    leg_id: str
    origin: str
    destination: str
    mode: Mode
    gauge_mm: int | None = None
    distance_km: float = Field(gt=0)
    distance_km_source: str | None = None
    time_min_h: float | None = Field(default=None, ge=0)
    time_p50_h: float = Field(gt=0)
    time_p90_h: float | None = Field(default=None, gt=0)
    time_source: str | None = None
    corridors: str
    bidirectional: bool
    note: str | None = None


class ServiceRow(RowSchema):
    service_id: str
    name: str
    operator: str | None = None
    mode: Mode
    kind: ServiceKind
    stops: str
    frequency_per_week: float | None = Field(default=None, gt=0)
    time_min_h: float | None = Field(default=None, ge=0)
    time_p50_h: float = Field(gt=0)
    time_p90_h: float | None = Field(default=None, gt=0)
    time_source: str | None = None
    cutoff_h: float | None = Field(default=None, ge=0)
    capacity_teu: int | None = Field(default=None, gt=0)
    capacity_railcars: int | None = Field(default=None, gt=0)
    capacity_trucks: int | None = Field(default=None, gt=0)
    source: str | None = None
    valid_from: date | None = None
    note: str | None = None


class DepartureRow(RowSchema):
    service_id: str
    weekday: str = Field(pattern=r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)$")
    departs_utc: time
    source: str


class TariffRow(RowSchema):
    tariff_id: str
    scope: str = Field(pattern=r"^(leg|service|segment)$")
    scope_ref: str
    unit: FreightUnit
    amount: Decimal = Field(ge=0)
    amount_high: Decimal | None = Field(default=None, ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    valid_on: str | None = None
    modes: str | None = None
    source: str | None = None
    note: str | None = None


class CapacityRow(RowSchema):
    capacity_id: str
    subject: str
    measure: str
    value: float = Field(ge=0)
    unit: str
    status: str = Field(pattern=r"^(actual|planned|observed)$")
    year: str
    source: str | None = None
    note: str | None = None


class DwellRow(RowSchema):
    location_id: str
    activity: DwellActivity
    mode: Mode | None = None
    min_h: float | None = Field(default=None, ge=0)
    p50_h: float = Field(gt=0)
    p90_h: float | None = Field(default=None, gt=0)
    source: str | None = None
    note: str | None = None


ID_COLUMNS = {
    "sources.csv": "source_id",
    "locations.csv": "location_id",
    "legs.csv": "leg_id",
    "services.csv": "service_id",
    "tariffs.csv": "tariff_id",
    "capacities.csv": "capacity_id",
}
