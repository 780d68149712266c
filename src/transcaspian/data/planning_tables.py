"""The planner's tables of a dataset read into domain values: the emission factors
(emission_factors.csv, hub_emission_factors.csv -> ``EmissionFactorTable``) and the default
transfer dwell times (transfer_dwell_defaults.csv -> ``DwellTime`` per activity) and the
border rules (customs_territories.csv, border_crossings.csv, service_border_times.csv,
leg_transit_countries.csv -> ``BorderRules``).

The loader keeps these files as extra tables (and applies the source rule to them); this
module checks their columns and turns each row into a factor. Problems are raised together as
one ``DatasetError`` naming file, row and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from pydantic import Field, ValidationError

from transcaspian.data.file_schemas import RowSchema
from transcaspian.domain.borders import ANY, BorderCrossingTime, BorderRules, CustomsTerritory
from transcaspian.domain.emissions import (
    ActivityUnit,
    EmissionFactor,
    EmissionFactorTable,
    HubEmissionFactor,
    HubKind,
)
from transcaspian.domain.errors import DatasetError, DatasetProblem, InvalidValueError
from transcaspian.domain.network import (
    Corridor,
    CorridorNetwork,
    DwellActivity,
    DwellTime,
    LegId,
    LocationId,
    Mode,
    ServiceId,
    SourceId,
)
from transcaspian.domain.values import DurationEstimate

__all__ = [
    "BORDER_CROSSINGS_FILE",
    "DWELL_DEFAULTS_FILE",
    "FACTOR_FILE",
    "HUB_FACTOR_FILE",
    "read_border_rules",
    "read_emission_factors",
    "read_tariff_modes",
    "read_transfer_dwell_defaults",
]

R = TypeVar("R", bound=RowSchema)

FACTOR_FILE = "emission_factors.csv"
HUB_FACTOR_FILE = "hub_emission_factors.csv"
DWELL_DEFAULTS_FILE = "transfer_dwell_defaults.csv"
TERRITORIES_FILE = "customs_territories.csv"
BORDER_CROSSINGS_FILE = "border_crossings.csv"
SERVICE_BORDERS_FILE = "service_border_times.csv"
LEG_TRANSIT_FILE = "leg_transit_countries.csv"


class _FactorRow(RowSchema):
    factor_id: str
    mode: Mode
    corridor: Corridor | None = None
    leg_id: str | None = None
    activity_unit: ActivityUnit
    g_co2e_per_unit: float = Field(ge=0)
    glec_version: str
    table: str
    page: str
    description: str
    source: str


class _HubRow(RowSchema):
    factor_id: str
    hub_kind: HubKind
    kg_co2e_per_unit: float = Field(ge=0)
    glec_version: str
    table: str
    page: str
    description: str
    source: str


class _DwellDefaultRow(RowSchema):
    activity: DwellActivity
    min_h: float | None = Field(default=None, ge=0)
    p50_h: float = Field(gt=0)
    p90_h: float | None = Field(default=None, gt=0)
    source: str


class _TerritoryRow(RowSchema):
    territory_id: str = Field(min_length=1)
    countries: str = Field(min_length=2)
    source: str
    note: str = ""


class _CrossingRow(RowSchema):
    crossing_id: str = Field(min_length=1)
    from_territory: str = Field(min_length=1)
    to_territory: str = Field(min_length=1)
    mode: Mode | None = None
    min_h: float | None = Field(default=None, ge=0)
    p50_h: float = Field(ge=0)
    p90_h: float | None = Field(default=None, ge=0)
    source: str
    note: str = ""


class _ServiceBorderRow(RowSchema):
    service_id: str = Field(min_length=1)
    includes_border_time: bool
    source: str
    note: str = ""


class _LegTransitRow(RowSchema):
    leg_id: str = Field(min_length=1)
    countries: str = Field(min_length=2)
    source: str
    note: str = ""


def read_border_rules(network: CorridorNetwork) -> BorderRules:
    """The dataset's customs territories, border-crossing times and the services whose
    published time holds their crossings (empty rules if the files are absent); raises
    DatasetError for a broken row (a country in two territories, an unknown service or
    source, a P90 below the P50 ...)."""
    problems: list[DatasetProblem] = []
    tables = network.extra_tables
    territories: list[CustomsTerritory] = []
    member: dict[str, str] = {}
    for number, raw in enumerate(tables.get(TERRITORIES_FILE, ()), start=1):
        row = _parse(_TerritoryRow, TERRITORIES_FILE, number, raw, problems)
        if row is None:
            continue
        countries = frozenset(c.strip() for c in row.countries.split(";") if c.strip())
        for country in sorted(countries):
            if country in member:
                problems.append(
                    DatasetProblem(
                        TERRITORIES_FILE,
                        number,
                        "countries",
                        f"{country} is already in territory {member[country]}",
                    )
                )
            member[country] = row.territory_id
        territories.append(
            CustomsTerritory(
                territory_id=row.territory_id,
                countries=countries,
                sources=_sources(TERRITORIES_FILE, number, row.source, network, problems),
                note=row.note,
            )
        )
    crossings: list[BorderCrossingTime] = []
    for number, raw in enumerate(tables.get(BORDER_CROSSINGS_FILE, ()), start=1):
        crossing = _parse(_CrossingRow, BORDER_CROSSINGS_FILE, number, raw, problems)
        if crossing is None:
            continue
        if crossing.from_territory == crossing.to_territory != ANY:
            problems.append(
                DatasetProblem(
                    BORDER_CROSSINGS_FILE, number, "to_territory", "is the from_territory"
                )
            )
            continue
        try:
            duration = DurationEstimate.from_hours(crossing.p50_h, crossing.p90_h, crossing.min_h)
        except InvalidValueError as error:
            problems.append(
                DatasetProblem(BORDER_CROSSINGS_FILE, number, error.field, error.message)
            )
            continue
        crossings.append(
            BorderCrossingTime(
                crossing_id=crossing.crossing_id,
                from_territory=crossing.from_territory,
                to_territory=crossing.to_territory,
                mode=crossing.mode,
                duration=duration,
                sources=_sources(BORDER_CROSSINGS_FILE, number, crossing.source, network, problems),
                note=crossing.note,
            )
        )
    included: list[ServiceId] = []
    for number, raw in enumerate(tables.get(SERVICE_BORDERS_FILE, ()), start=1):
        service = _parse(_ServiceBorderRow, SERVICE_BORDERS_FILE, number, raw, problems)
        if service is None:
            continue
        if service.service_id not in network.services:
            problems.append(
                DatasetProblem(
                    SERVICE_BORDERS_FILE,
                    number,
                    "service_id",
                    f"unknown service {service.service_id!r}",
                )
            )
            continue
        _sources(SERVICE_BORDERS_FILE, number, service.source, network, problems)
        if service.includes_border_time:
            included.append(ServiceId(service.service_id))
    transit: dict[LegId, tuple[str, ...]] = {}
    for number, raw in enumerate(tables.get(LEG_TRANSIT_FILE, ()), start=1):
        passed = _parse(_LegTransitRow, LEG_TRANSIT_FILE, number, raw, problems)
        if passed is None:
            continue
        if passed.leg_id not in network.legs:
            problems.append(
                DatasetProblem(LEG_TRANSIT_FILE, number, "leg_id", f"unknown leg {passed.leg_id!r}")
            )
            continue
        _sources(LEG_TRANSIT_FILE, number, passed.source, network, problems)
        transit[LegId(passed.leg_id)] = tuple(
            c.strip() for c in passed.countries.split(";") if c.strip()
        )
    if problems:
        raise DatasetError(problems)
    return BorderRules.of(territories, crossings, included, transit)


def read_tariff_modes(network: CorridorNetwork) -> dict[str, frozenset[Mode]]:
    """The modes each through tariff prices (the ``modes`` column of tariffs.csv); a tariff
    that names none prices any mode and is left out of the mapping."""
    return {t.tariff_id: t.modes for t in network.tariffs.values() if t.modes}


def read_transfer_dwell_defaults(network: CorridorNetwork) -> dict[DwellActivity, DwellTime]:
    """The dwell used where a location has no figure for an activity (none if the file is
    absent); raises DatasetError for a broken row."""
    problems: list[DatasetProblem] = []
    defaults: dict[DwellActivity, DwellTime] = {}
    for number, raw in enumerate(network.extra_tables.get(DWELL_DEFAULTS_FILE, ()), start=1):
        row = _parse(_DwellDefaultRow, DWELL_DEFAULTS_FILE, number, raw, problems)
        if row is None:
            continue
        try:
            duration = DurationEstimate.from_hours(row.p50_h, row.p90_h, row.min_h)
        except InvalidValueError as error:
            problems.append(DatasetProblem(DWELL_DEFAULTS_FILE, number, error.field, error.message))
            continue
        defaults[row.activity] = DwellTime(
            location_id=LocationId(""),
            activity=row.activity,
            duration=duration,
            sources=_sources(DWELL_DEFAULTS_FILE, number, row.source, network, problems),
            note="default: no figure for this location",
        )
    if problems:
        raise DatasetError(problems)
    return defaults


def read_emission_factors(network: CorridorNetwork) -> EmissionFactorTable:
    """The dataset's emission factors; raises DatasetError if a file is missing or a row is
    broken (unknown mode, leg or source, negative factor ...)."""
    problems: list[DatasetProblem] = []
    factors: list[EmissionFactor] = []
    hubs: list[HubEmissionFactor] = []
    tables = network.extra_tables
    for name in (FACTOR_FILE, HUB_FACTOR_FILE):
        if name not in tables:
            problems.append(DatasetProblem(name, None, None, "file is missing"))
    for number, raw in enumerate(tables.get(FACTOR_FILE, ()), start=1):
        factor_row = _parse(_FactorRow, FACTOR_FILE, number, raw, problems)
        if factor_row is None:
            continue
        if factor_row.leg_id and factor_row.leg_id not in network.legs:
            problems.append(
                DatasetProblem(FACTOR_FILE, number, "leg_id", f"unknown leg {factor_row.leg_id!r}")
            )
            continue
        factors.append(
            EmissionFactor(
                factor_id=factor_row.factor_id,
                mode=factor_row.mode,
                activity_unit=factor_row.activity_unit,
                g_co2e_per_unit=factor_row.g_co2e_per_unit,
                sources=_sources(FACTOR_FILE, number, factor_row.source, network, problems),
                glec_version=factor_row.glec_version,
                reference=f"{factor_row.table}, p.{factor_row.page}",
                description=factor_row.description,
                corridor=factor_row.corridor,
                leg_id=LegId(factor_row.leg_id) if factor_row.leg_id else None,
            )
        )
    for number, raw in enumerate(tables.get(HUB_FACTOR_FILE, ()), start=1):
        hub_row = _parse(_HubRow, HUB_FACTOR_FILE, number, raw, problems)
        if hub_row is None:
            continue
        hubs.append(
            HubEmissionFactor(
                factor_id=hub_row.factor_id,
                hub_kind=hub_row.hub_kind,
                kg_co2e_per_unit=hub_row.kg_co2e_per_unit,
                sources=_sources(HUB_FACTOR_FILE, number, hub_row.source, network, problems),
                glec_version=hub_row.glec_version,
                reference=f"{hub_row.table}, p.{hub_row.page}",
                description=hub_row.description,
            )
        )
    if problems:
        raise DatasetError(problems)
    return EmissionFactorTable.of(factors, hubs)


def _parse(
    schema: type[R], file: str, number: int, raw: Mapping[str, str], problems: list[DatasetProblem]
) -> R | None:
    try:
        return schema.model_validate(dict(raw))
    except ValidationError as error:
        for item in error.errors():
            column = ".".join(str(part) for part in item["loc"])
            problems.append(
                DatasetProblem(
                    file, number, column or None, f"{item['msg']} (got {raw.get(column)!r})"
                )
            )
        return None


def _sources(
    file: str, number: int, cell: str, network: CorridorNetwork, problems: list[DatasetProblem]
) -> tuple[SourceId, ...]:
    ids = tuple(SourceId(part.strip()) for part in cell.split(";") if part.strip())
    for source_id in ids:
        if source_id not in network.sources:
            problems.append(DatasetProblem(file, number, "source", f"unknown source {source_id!r}"))
    return ids
