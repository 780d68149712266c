"""Demand scenarios to 2030 and interventions, read from YAML files and checked before any run.

A scenario names its flows (a unit — TEU, railcar or truck — and a path of location ids in the
corridor network), the published volume of each flow in one or more years, growth targets that
scale flows in later years, parameter overrides and interventions. Every number carries a source
id, defined either in the scenario's own ``sources`` list or in the corridor dataset. A scenario
may ``extends`` another (by id): it inherits the parent's sources, units, flows and parameters
and adds its own targets and interventions.

Reading checks everything at once and raises one ``DatasetError`` whose problems are one line
each, naming the key, e.g. ``interventions[1].extra_vessels: must be ≥ 0 (got -1)``.

The scenarios shipped with the package live in ``transcaspian/sim/scenarios/*.yaml`` and are
found by id only (``load_scenario``): an id is never read as a path, so a name from a request
cannot reach a file. ``load_scenario_file`` reads a file the operator names on their own machine
(the CLI); ``parse_scenario`` reads text (scenarios stored through the API), its ``extends``
resolved among the given stored scenarios first, then the bundled ones. YAML anchors and
aliases are refused (an alias bomb would expand without bound).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from transcaspian.domain.errors import (
    DatasetError,
    DatasetProblem,
    InvalidValueError,
    NotFoundError,
)
from transcaspian.domain.network import CorridorNetwork, LocationId, Mode

__all__ = [
    "MAX_SCENARIO_ID",
    "SCENARIO_ID_PATTERN",
    "UNITS",
    "Figure",
    "Flow",
    "GrowthTarget",
    "Intervention",
    "Scenario",
    "ScenarioSource",
    "bundled_scenario_dir",
    "check_against_network",
    "check_scenario_id",
    "list_scenarios",
    "load_scenario",
    "load_scenario_file",
    "parse_scenario",
]

UNITS = ("TEU", "railcar", "truck")
SCENARIO_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
MAX_SCENARIO_ID = 120
_SCENARIO_ID = re.compile(SCENARIO_ID_PATTERN)
# a scenario's text by id: (text, label for messages), None when there is no such scenario
ScenarioLookup = Callable[[str], tuple[str, str] | None]
FIRST_YEAR, LAST_YEAR = 2019, 2035
InterventionKind = Literal["extra_vessels", "extra_berths", "terminal_capacity", "faster_clearance"]


@dataclass(frozen=True, slots=True)
class Figure:
    """A number and the source ids it comes from."""

    value: float
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScenarioSource:
    """A source defined by the scenario file itself (same fields as the dataset's sources)."""

    source_id: str
    kind: str
    title: str
    url: str = ""
    publisher: str = ""
    published: str = ""
    reasoning: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Flow:
    """An origin–destination flow: units per year along a path of location ids."""

    flow_id: str
    unit: str  # TEU | railcar | truck
    path: tuple[LocationId, ...]
    units_per_arrival: Figure  # a train's TEU or railcars; 1 for a truck
    volumes: Mapping[int, Figure]  # published (or planned) units per year
    corridor: str = ""  # label for the end-to-end transit-time distribution
    services: tuple[str, ...] = ()  # ferry/sea services to use where several could
    note: str = ""

    def base_volume(self, year: int) -> float:
        """Units per year from the published volumes: geometric between the years given, flat
        before the first and after the last."""
        years = sorted(self.volumes)
        if year <= years[0]:
            return self.volumes[years[0]].value
        if year >= years[-1]:
            return self.volumes[years[-1]].value
        for low, high in itertools.pairwise(years):
            if low <= year <= high:
                a, b = self.volumes[low].value, self.volumes[high].value
                share = (year - low) / (high - low)
                if a <= 0 or b <= 0:
                    return a + (b - a) * share
                return float(a * (b / a) ** share)
        raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class GrowthTarget:
    """Scale some flows so that, in ``year``, they reach ``factor`` × their ``from_year`` volume.

    Years between ``from_year`` and ``year`` grow geometrically; later years keep the factor.
    """

    target_id: str
    year: int
    from_year: int
    factor: Figure
    flows: tuple[str, ...]
    note: str = ""

    def multiplier(self, year: int) -> float:
        if year <= self.from_year:
            return 1.0
        share = min(1.0, (year - self.from_year) / (self.year - self.from_year))
        return float(self.factor.value**share)


@dataclass(frozen=True, slots=True)
class Intervention:
    """A change to the corridor from ``from_year`` on.

    - ``extra_vessels``: ``amount`` more vessels on the ferry ``service``;
    - ``extra_berths``: ``amount`` more ferry berths at ``location``;
    - ``terminal_capacity``: ``amount`` more transshipment tracks at ``location``;
    - ``faster_clearance``: border clearance times at ``locations`` (all when empty) cut by the
      share ``amount`` (0.3 = 30 % shorter).
    """

    intervention_id: str
    kind: InterventionKind
    amount: Figure
    from_year: int
    service: str = ""
    location: str = ""
    locations: tuple[str, ...] = ()
    note: str = ""

    def applies_in(self, year: int) -> bool:
        return year >= self.from_year


@dataclass(frozen=True, slots=True)
class Scenario:
    """A validated scenario: flows, growth, parameter overrides and interventions."""

    scenario_id: str
    title: str
    description: str
    base_year: int
    years: tuple[int, ...]
    flows: tuple[Flow, ...]
    growth: tuple[GrowthTarget, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    # (subject, parameter) -> figure; overrides the dataset's sim_parameters.csv
    parameters: Mapping[tuple[str, str], Figure] = field(default_factory=dict)
    dispatch: Mapping[str, str] = field(default_factory=dict)  # service id -> policy
    sources: Mapping[str, ScenarioSource] = field(default_factory=dict)
    extends: str = ""

    def volume(self, flow: Flow, year: int) -> float:
        """Units per year of ``flow`` in ``year`` with every growth target applied."""
        volume = flow.base_volume(year)
        for target in self.growth:
            if flow.flow_id in target.flows:
                volume *= target.multiplier(year)
        return volume

    def interventions_in(self, year: int) -> tuple[Intervention, ...]:
        return tuple(i for i in self.interventions if i.applies_in(year))

    def with_interventions(self, extra: Iterable[Intervention]) -> Scenario:
        return replace(self, interventions=(*self.interventions, *extra))


def bundled_scenario_dir() -> Path:
    """The directory of the scenarios shipped in the package."""
    return Path(str(files("transcaspian.sim") / "scenarios"))


def list_scenarios(directory: Path | None = None) -> list[Scenario]:
    """Every scenario file in ``directory`` (the bundled ones by default), by id."""
    directory = directory or bundled_scenario_dir()
    return [load_scenario(path.stem, directory) for path in sorted(directory.glob("*.yaml"))]


def check_scenario_id(scenario_id: str, field: str = "scenario") -> str:
    """The id itself when it is one (lower-case letters, digits and ``-``, at most 120); else
    InvalidValueError naming ``field``. A path, a file name or an encoded slash is not an id."""
    if len(scenario_id) > MAX_SCENARIO_ID or not _SCENARIO_ID.match(scenario_id):
        raise InvalidValueError(
            f"{field}: must be a scenario id: lower-case letters, digits and '-', at most "
            f"{MAX_SCENARIO_ID} characters (a scenario is named by id, never by a path)",
            field=field,
        )
    return scenario_id


def load_scenario(
    scenario_id: str, directory: Path | None = None, stored: ScenarioLookup | None = None
) -> Scenario:
    """A bundled scenario (or one in ``stored``, looked up first) by id, parents resolved.

    Raises InvalidValueError for a name that is not an id, NotFoundError for an unknown id,
    DatasetError listing every problem of the scenario.
    """
    directory = directory or bundled_scenario_dir()
    check_scenario_id(scenario_id)
    lookup = _lookup(directory, stored)
    found = lookup(scenario_id)
    if found is None:
        known = ", ".join(sorted(p.stem for p in directory.glob("*.yaml")))
        raise NotFoundError(
            f"scenario {scenario_id!r} not found (bundled: {known})", field="scenario"
        )
    text, label = found
    return _from_text(text, label, lookup, seen=())


def load_scenario_file(path: Path, directory: Path | None = None) -> Scenario:
    """A scenario from a file the operator names (the CLI), parents resolved among the
    bundled scenarios. Raises NotFoundError for a missing file, DatasetError for its problems."""
    directory = directory or bundled_scenario_dir()
    if not path.is_file():
        raise NotFoundError(f"scenario file {str(path)!r} not found", field="scenario")
    return _load(path, _lookup(directory, None))


def parse_scenario(
    text: str,
    label: str = "<scenario>",
    directory: Path | None = None,
    stored: ScenarioLookup | None = None,
) -> Scenario:
    """A scenario from YAML (or JSON) text, ``label`` naming it in messages, its ``extends``
    resolved in ``stored`` first, then among the bundled scenarios; raises DatasetError."""
    return _from_text(text, label, _lookup(directory or bundled_scenario_dir(), stored), seen=())


def check_against_network(scenario: Scenario, network: CorridorNetwork) -> None:
    """Check that every location, service and source the scenario names is in the network.

    Raises DatasetError with one problem per unknown reference (naming the key).
    """
    label = f"scenario {scenario.scenario_id}"
    problems: list[DatasetProblem] = []

    def known_source(ref: str) -> bool:
        return ref in scenario.sources or ref in network.sources

    def check_figure(figure: Figure, key: str) -> None:
        for ref in figure.sources:
            if not known_source(ref):
                problems.append(DatasetProblem(label, None, key, f"unknown source {ref!r}"))

    for i, flow in enumerate(scenario.flows):
        for j, location in enumerate(flow.path):
            if location not in network.locations:
                problems.append(
                    DatasetProblem(
                        label,
                        None,
                        f"flows[{i}].path[{j}]",
                        f"location {location!r} is not in the corridor network",
                    )
                )
        check_figure(flow.units_per_arrival, f"flows[{i}].units_per_arrival")
        for k, service in enumerate(flow.services):
            if service not in network.services:
                problems.append(
                    DatasetProblem(
                        label,
                        None,
                        f"flows[{i}].services[{k}]",
                        f"service {service!r} is not in the corridor network",
                    )
                )
        for year, figure in flow.volumes.items():
            check_figure(figure, f"flows[{i}].volumes[{year}]")
        if all(loc in network.locations for loc in flow.path):
            for j, (a, b) in enumerate(zip(flow.path, flow.path[1:], strict=False)):
                if not _connected(network, a, b):
                    problems.append(
                        DatasetProblem(
                            label,
                            None,
                            f"flows[{i}].path[{j + 1}]",
                            f"no leg or ferry service joins {a} and {b}",
                        )
                    )
    for i, target in enumerate(scenario.growth):
        check_figure(target.factor, f"growth[{i}].factor")
    for i, item in enumerate(scenario.interventions):
        check_figure(item.amount, f"interventions[{i}].amount")
        if item.service and item.service not in network.services:
            problems.append(
                DatasetProblem(
                    label,
                    None,
                    f"interventions[{i}].service",
                    f"service {item.service!r} is not in the corridor network",
                )
            )
        places: list[tuple[str, str]] = [("location", item.location)]
        places += [(f"locations[{k}]", x) for k, x in enumerate(item.locations)]
        for key, place in places:
            if place and place not in network.locations:
                problems.append(
                    DatasetProblem(
                        label,
                        None,
                        f"interventions[{i}].{key}",
                        f"location {place!r} is not in the corridor network",
                    )
                )
    for (subject, name), figure in scenario.parameters.items():
        check_figure(figure, f"parameters.{subject}.{name}")
    for service in scenario.dispatch:
        if service not in network.services:
            problems.append(
                DatasetProblem(
                    label, None, f"dispatch.{service}", "service is not in the corridor network"
                )
            )
    if problems:
        raise DatasetError(problems)


def _connected(network: CorridorNetwork, a: LocationId, b: LocationId) -> bool:
    if any(leg.mode in (Mode.RAIL, Mode.ROAD) for leg in network.legs_between(a, b)):
        return True
    for service in network.services.values():
        stops = service.stops
        if a in stops and b in stops and stops.index(a) < stops.index(b):
            return True
    return False


# --- file schema (pydantic) --------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _FigureIn(_Strict):
    value: float
    source: str = Field(min_length=1)

    def to_domain(self) -> Figure:
        return Figure(self.value, tuple(s.strip() for s in self.source.split(";") if s.strip()))


class _PositiveFigureIn(_FigureIn):
    value: float = Field(gt=0)


class _NonNegativeFigureIn(_FigureIn):
    value: float = Field(ge=0)


class _SourceIn(_Strict):
    id: str = Field(min_length=1)
    kind: Literal["web", "document", "dataset", "assumption"] = "web"
    title: str = Field(min_length=1)
    url: str = ""
    publisher: str = ""
    published: str = ""
    reasoning: str = ""
    note: str = ""

    @field_validator("published", mode="before")
    @classmethod
    def _date_as_text(cls, value: Any) -> Any:
        return value.isoformat() if isinstance(value, date) else value

    @model_validator(mode="after")
    def _assumption_has_reasoning(self) -> _SourceIn:
        if self.kind == "assumption" and not self.reasoning:
            raise ValueError("an assumption needs its reasoning")
        if self.kind == "web" and not self.url:
            raise ValueError("a web source needs its url")
        return self


class _VolumeIn(_Strict):
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    value: float = Field(ge=0)
    source: str = Field(min_length=1)


class _FlowIn(_Strict):
    id: str = Field(min_length=1)
    unit: Literal["TEU", "railcar", "truck"]
    path: list[str] = Field(min_length=2)
    corridor: str = ""
    units_per_arrival: _PositiveFigureIn
    volumes: list[_VolumeIn] = Field(min_length=1)
    services: list[str] = Field(default_factory=list)
    note: str = ""


class _GrowthIn(_Strict):
    id: str = Field(min_length=1)
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    from_year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    factor: _PositiveFigureIn
    flows: list[str] = Field(min_length=1)
    note: str = ""


class _InterventionBase(_Strict):
    id: str = Field(min_length=1)
    from_year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    source: str = Field(min_length=1)
    note: str = ""


class _ExtraVesselsIn(_InterventionBase):
    kind: Literal["extra_vessels"]
    service: str = Field(min_length=1)
    extra_vessels: int = Field(ge=0)


class _ExtraBerthsIn(_InterventionBase):
    kind: Literal["extra_berths"]
    location: str = Field(min_length=1)
    extra_berths: int = Field(ge=0)


class _TerminalCapacityIn(_InterventionBase):
    kind: Literal["terminal_capacity"]
    location: str = Field(min_length=1)
    extra_tracks: int = Field(ge=0)


class _FasterClearanceIn(_InterventionBase):
    kind: Literal["faster_clearance"]
    locations: list[str] = Field(default_factory=list)
    reduction: float = Field(ge=0, lt=1)


_InterventionIn = Annotated[
    _ExtraVesselsIn | _ExtraBerthsIn | _TerminalCapacityIn | _FasterClearanceIn,
    Field(discriminator="kind"),
]
_INTERVENTION_KINDS = {"extra_vessels", "extra_berths", "terminal_capacity", "faster_clearance"}


class _ParameterIn(_Strict):
    subject: str = Field(min_length=1)
    parameter: str = Field(min_length=1)
    value: float = Field(ge=0)
    source: str = Field(min_length=1)
    note: str = ""


class _ScenarioIn(_Strict):
    id: str = Field(min_length=1, max_length=MAX_SCENARIO_ID, pattern=SCENARIO_ID_PATTERN)
    title: str = Field(min_length=1)
    description: str = ""
    extends: str = ""
    base_year: int | None = Field(default=None, ge=FIRST_YEAR, le=LAST_YEAR)
    years: list[int] | None = None
    sources: list[_SourceIn] = Field(default_factory=list)
    flows: list[_FlowIn] = Field(default_factory=list)
    growth: list[_GrowthIn] = Field(default_factory=list)
    interventions: list[_InterventionIn] = Field(default_factory=list)
    parameters: list[_ParameterIn] = Field(default_factory=list)
    dispatch: dict[str, Literal["schedule", "when_loaded"]] = Field(default_factory=dict)


def _lookup(directory: Path, stored: ScenarioLookup | None) -> ScenarioLookup:
    """Find a scenario's text by id: in ``stored``, then ``directory/<id>.yaml``. Only an id
    (checked) is ever joined to the directory."""

    def find(scenario_id: str) -> tuple[str, str] | None:
        if len(scenario_id) > MAX_SCENARIO_ID or not _SCENARIO_ID.match(scenario_id):
            return None
        if stored is not None and (found := stored(scenario_id)) is not None:
            return found
        path = directory / f"{scenario_id}.yaml"
        if not path.is_file():
            return None
        return _read(path), path.name

    return find


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DatasetError([DatasetProblem(path.name, None, None, str(error))]) from error


def _load(path: Path, lookup: ScenarioLookup) -> Scenario:
    return _from_text(_read(path), path.name, lookup, seen=())


class _ScenarioLoader(yaml.SafeLoader):
    """The safe loader without anchors and aliases."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event: Any = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


def _from_text(text: str, label: str, lookup: ScenarioLookup, seen: tuple[str, ...]) -> Scenario:
    try:
        raw = yaml.load(text, Loader=_ScenarioLoader)  # a SafeLoader, without aliases
    except yaml.YAMLError as error:
        raise DatasetError(
            [DatasetProblem(label, None, None, f"not valid YAML: {error}".replace("\n", " "))]
        ) from None
    if not isinstance(raw, dict):
        raise DatasetError([DatasetProblem(label, None, None, "a scenario is a YAML mapping")])
    if nul := list(_with_nul(raw, "")):  # YAML's "\0" escape: no database keeps it in text
        raise DatasetError(
            [DatasetProblem(label, None, k, "must not contain a NUL character") for k in nul]
        )
    try:
        parsed = _ScenarioIn.model_validate(raw)
    except ValidationError as error:
        raise DatasetError(
            [DatasetProblem(label, None, _key(e["loc"]), _reason(e)) for e in error.errors()]
        ) from None
    parent: Scenario | None = None
    if parsed.extends:
        if parsed.extends in seen or parsed.extends == parsed.id:
            raise DatasetError(
                [DatasetProblem(label, None, "extends", f"{parsed.extends!r} extends itself")]
            )
        found = lookup(parsed.extends)
        if found is None:
            raise DatasetError(
                [DatasetProblem(label, None, "extends", f"no scenario {parsed.extends!r}")]
            )
        parent = _from_text(found[0], found[1], lookup, (*seen, parsed.id))
    return _to_domain(parsed, parent, label)


def _with_nul(value: Any, key: str) -> Iterable[str]:
    """The keys (``flows[0].id``) of the strings holding a NUL character."""
    if isinstance(value, str):
        if "\x00" in value:
            yield key or "."
    elif isinstance(value, dict):
        for name, item in value.items():
            inner = f"{key}.{name}" if key else str(name)
            yield from (inner,) if "\x00" in str(name) else _with_nul(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _with_nul(item, f"{key}[{index}]")


def _to_domain(parsed: _ScenarioIn, parent: Scenario | None, label: str) -> Scenario:
    problems: list[DatasetProblem] = []

    def problem(key: str, reason: str) -> None:
        problems.append(DatasetProblem(label, None, key, reason))

    sources = dict(parent.sources) if parent else {}
    for s in parsed.sources:
        sources[s.id] = ScenarioSource(
            s.id, s.kind, s.title, s.url, s.publisher, s.published, s.reasoning, s.note
        )
    flows = list(parent.flows) if parent else []
    flow_ids = {f.flow_id for f in flows}
    for i, f in enumerate(parsed.flows):
        if f.id in flow_ids:
            problem(f"flows[{i}].id", f"duplicate flow id {f.id!r}")
        flow_ids.add(f.id)
        volume_years = [v.year for v in f.volumes]
        if len(set(volume_years)) != len(volume_years):
            problem(f"flows[{i}].volumes", "a year appears twice")
        if len(set(f.path)) != len(f.path):
            problem(f"flows[{i}].path", "a location appears twice")
        flows.append(
            Flow(
                flow_id=f.id,
                unit=f.unit,
                path=tuple(LocationId(p) for p in f.path),
                units_per_arrival=f.units_per_arrival.to_domain(),
                volumes={
                    v.year: _FigureIn(value=v.value, source=v.source).to_domain() for v in f.volumes
                },
                corridor=f.corridor or f"{f.path[0]}→{f.path[-1]}",
                services=tuple(f.services),
                note=f.note,
            )
        )
    if not flows:
        problem("flows", "a scenario needs at least one flow (or extends one that has)")
    growth = list(parent.growth) if parent else []
    for i, g in enumerate(parsed.growth):
        if g.year <= g.from_year:
            problem(f"growth[{i}].year", f"must be after from_year {g.from_year} (got {g.year})")
        for k, flow_id in enumerate(g.flows):
            if flow_id not in flow_ids:
                problem(f"growth[{i}].flows[{k}]", f"unknown flow {flow_id!r}")
        growth.append(
            GrowthTarget(g.id, g.year, g.from_year, g.factor.to_domain(), tuple(g.flows), g.note)
        )
    interventions = list(parent.interventions) if parent else []
    for item in parsed.interventions:
        interventions.append(_intervention(item))
    ids = [i.intervention_id for i in interventions]
    for i, item_id in enumerate(ids):
        if item_id in ids[:i]:
            problem(f"interventions[{i}].id", f"duplicate intervention id {item_id!r}")
    parameters = dict(parent.parameters) if parent else {}
    for p in parsed.parameters:
        parameters[(p.subject, p.parameter)] = _FigureIn(value=p.value, source=p.source).to_domain()
    dispatch = {**(parent.dispatch if parent else {}), **parsed.dispatch}
    base_year = parsed.base_year or (parent.base_year if parent else None)
    if base_year is None:
        problem("base_year", "required (or inherited through extends)")
        base_year = FIRST_YEAR
    years: tuple[int, ...] = (
        tuple(parsed.years) if parsed.years else (parent.years if parent else (base_year,))
    )
    for i, year in enumerate(years):
        if not FIRST_YEAR <= year <= LAST_YEAR:
            problem(f"years[{i}]", f"must be within {FIRST_YEAR}..{LAST_YEAR} (got {year})")
    # every number needs a source; sources of the dataset are checked by check_against_network
    for key, figure in _figures(flows, growth, interventions, parameters):
        if not figure.sources:
            problem(key, "a figure needs a source")
        if not math.isfinite(figure.value):
            problem(key, f"must be a finite number (got {figure.value})")
    if problems:
        raise DatasetError(problems)
    return Scenario(
        scenario_id=parsed.id,
        title=parsed.title,
        description=parsed.description or (parent.description if parent else ""),
        base_year=base_year,
        years=years,
        flows=tuple(flows),
        growth=tuple(growth),
        interventions=tuple(interventions),
        parameters=parameters,
        dispatch=dispatch,
        sources=sources,
        extends=parsed.extends,
    )


def _intervention(item: Any) -> Intervention:
    amount: float
    service = location = ""
    locations: tuple[str, ...] = ()
    if isinstance(item, _ExtraVesselsIn):
        amount, service = item.extra_vessels, item.service
    elif isinstance(item, _ExtraBerthsIn):
        amount, location = item.extra_berths, item.location
    elif isinstance(item, _TerminalCapacityIn):
        amount, location = item.extra_tracks, item.location
    else:
        amount, locations = item.reduction, tuple(item.locations)
    return Intervention(
        intervention_id=item.id,
        kind=item.kind,
        amount=_FigureIn(value=amount, source=item.source).to_domain(),
        from_year=item.from_year,
        service=service,
        location=location,
        locations=locations,
        note=item.note,
    )


def _figures(
    flows: Sequence[Flow],
    growth: Sequence[GrowthTarget],
    interventions: Sequence[Intervention],
    parameters: Mapping[tuple[str, str], Figure],
) -> Iterable[tuple[str, Figure]]:
    for i, f in enumerate(flows):
        yield f"flows[{i}].units_per_arrival", f.units_per_arrival
        for year, v in f.volumes.items():
            yield f"flows[{i}].volumes[{year}]", v
    for i, g in enumerate(growth):
        yield f"growth[{i}].factor", g.factor
    for i, item in enumerate(interventions):
        yield f"interventions[{i}].amount", item.amount
    for (subject, name), figure in parameters.items():
        yield f"parameters.{subject}.{name}", figure


def _key(loc: Sequence[int | str]) -> str:
    """A pydantic location as a key: ``interventions[1].extra_vessels``."""
    out = ""
    previous_was_index = False
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            previous_was_index = True
            continue
        if previous_was_index and part in _INTERVENTION_KINDS:
            previous_was_index = False  # the tag pydantic adds for a discriminated union
            continue
        out += f".{part}" if out else str(part)
        previous_was_index = False
    return out


def _reason(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx", {})
    got = error.get("input")
    if kind == "greater_than_equal":
        return f"must be ≥ {_number(ctx['ge'])} (got {_number(got)})"
    if kind == "greater_than":
        return f"must be > {_number(ctx['gt'])} (got {_number(got)})"
    if kind == "less_than_equal":
        return f"must be ≤ {_number(ctx['le'])} (got {_number(got)})"
    if kind == "less_than":
        return f"must be < {_number(ctx['lt'])} (got {_number(got)})"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known key"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')} (got {got!r})"
    if kind == "union_tag_invalid":
        return f"kind must be one of {ctx.get('expected_tags')} (got {ctx.get('tag')!r})"
    if kind == "union_tag_not_found":
        return "needs a kind"
    if kind in ("too_short", "string_too_short"):
        return "must not be empty"
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
        return message
    return f"{message[0].lower()}{message[1:]} (got {got!r})"


def _number(value: Any) -> str:
    """``0.0`` as ``0``, ``1.5`` as ``1.5``; anything else as it is."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
