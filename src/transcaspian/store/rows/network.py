"""Rows of the corridor network: one table per kind of figure, all prefixed ``network_``.

The network is replaced whole by a dataset load (see store/repositories/network.py), so every
table keeps a ``position``: reading the rows back in that order gives the network exactly as it
was loaded, tuples in the same order and mappings iterating in the same order.

Which sources back which figure lives in one table, ``network_source_refs``: a subject (a
location, leg, service, tariff, capacity or dwell time), a role (``figures``, ``distance`` or
``time``) and the source ids in order. Its foreign key to ``network_sources`` keeps every cited
source present.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    Interval,
    String,
    Text,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column

from transcaspian.store.rows.base import Base
from transcaspian.store.rows.types import ExactDecimal, UtcDateTime

ID = 120  # length of ids: source, leg, service, tariff and capacity ids
CODE = 32  # length of enum values and short codes


class NetworkVersionRow(Base):
    """The one stored dataset version (``version_id`` is always 1)."""

    __tablename__ = "network_versions"
    __table_args__ = (CheckConstraint("version_id = 1", name="single_row"),)

    version_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    digest: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)


class SourceRow(Base):
    __tablename__ = "network_sources"

    source_id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(CODE))
    title: Mapped[str] = mapped_column(Text)
    publisher: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    published: Mapped[str] = mapped_column(Text)
    reliability: Mapped[str] = mapped_column(String(CODE))
    reasoning: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)


class LocationRow(Base):
    __tablename__ = "network_locations"

    location_id: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    un_locode: Mapped[str | None] = mapped_column(String(5))
    name: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2), index=True)
    kind: Mapped[str] = mapped_column(String(CODE))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text)


class LegRow(Base):
    __tablename__ = "network_legs"

    leg_id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(ForeignKey(LocationRow.location_id), index=True)
    destination: Mapped[str] = mapped_column(ForeignKey(LocationRow.location_id), index=True)
    mode: Mapped[str] = mapped_column(String(CODE))
    gauge_mm: Mapped[int | None] = mapped_column(Integer)
    distance_km: Mapped[float] = mapped_column(Float)
    time_min: Mapped[timedelta] = mapped_column(Interval)
    time_p50: Mapped[timedelta] = mapped_column(Interval)
    time_p90: Mapped[timedelta] = mapped_column(Interval)
    bidirectional: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text)


class LegCorridorRow(Base):
    __tablename__ = "network_leg_corridors"

    leg_id: Mapped[str] = mapped_column(
        ForeignKey(LegRow.leg_id, ondelete="CASCADE"), primary_key=True
    )
    corridor: Mapped[str] = mapped_column(String(CODE), primary_key=True, index=True)


class ServiceRow(Base):
    __tablename__ = "network_services"

    service_id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    operator: Mapped[str] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(String(CODE))
    kind: Mapped[str] = mapped_column(String(CODE))
    time_min: Mapped[timedelta] = mapped_column(Interval)
    time_p50: Mapped[timedelta] = mapped_column(Interval)
    time_p90: Mapped[timedelta] = mapped_column(Interval)
    frequency_per_week: Mapped[float | None] = mapped_column(Float)
    cutoff: Mapped[timedelta] = mapped_column(Interval)
    capacity_teu: Mapped[int | None] = mapped_column(Integer)
    capacity_railcars: Mapped[int | None] = mapped_column(Integer)
    capacity_trucks: Mapped[int | None] = mapped_column(Integer)
    valid_from: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)


class ServiceStopRow(Base):
    __tablename__ = "network_service_stops"

    service_id: Mapped[str] = mapped_column(
        ForeignKey(ServiceRow.service_id, ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[str] = mapped_column(ForeignKey(LocationRow.location_id), index=True)


class DepartureRow(Base):
    """A weekly departure of a timetabled service: weekday 0 (Mon) .. 6 (Sun), UTC time."""

    __tablename__ = "network_departures"

    service_id: Mapped[str] = mapped_column(
        ForeignKey(ServiceRow.service_id, ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    weekday: Mapped[int] = mapped_column(Integer)
    departs_utc: Mapped[time] = mapped_column(Time)


class TariffRow(Base):
    __tablename__ = "network_tariffs"

    tariff_id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    scope: Mapped[str] = mapped_column(String(CODE))
    scope_ref: Mapped[str] = mapped_column(String(2 * ID + 1), index=True)
    unit: Mapped[str] = mapped_column(String(CODE))
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)
    amount_high: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    currency: Mapped[str] = mapped_column(String(3))
    valid_on: Mapped[str] = mapped_column(Text)
    modes: Mapped[str] = mapped_column(String(CODE), server_default="")  # ';'-joined, sorted
    note: Mapped[str] = mapped_column(Text)


class CapacityRow(Base):
    __tablename__ = "network_capacities"

    capacity_id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(ID), index=True)  # location, leg or service id
    measure: Mapped[str] = mapped_column(Text)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(CODE))
    year: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)


class DwellTimeRow(Base):
    """A dwell time; dwell times have no id of their own, so their position is the key."""

    __tablename__ = "network_dwell_times"

    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    location_id: Mapped[str] = mapped_column(ForeignKey(LocationRow.location_id), index=True)
    activity: Mapped[str] = mapped_column(String(CODE))
    mode: Mapped[str | None] = mapped_column(String(CODE))
    time_min: Mapped[timedelta] = mapped_column(Interval)
    time_p50: Mapped[timedelta] = mapped_column(Interval)
    time_p90: Mapped[timedelta] = mapped_column(Interval)
    note: Mapped[str] = mapped_column(Text)


class SourceRefRow(Base):
    """One source cited by one figure group of a subject, in citing order."""

    __tablename__ = "network_source_refs"

    subject_kind: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    subject_id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    role: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey(SourceRow.source_id), index=True)


class ExtraRowRow(Base):
    """One row of an extra dataset table (emission factors, trade series ...), cells as text."""

    __tablename__ = "network_extra_rows"

    table_name: Mapped[str] = mapped_column(String(ID), primary_key=True)
    row_number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    cells: Mapped[dict[str, str]] = mapped_column(JSON)
