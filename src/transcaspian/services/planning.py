"""The route-planning use case: check a forwarder's request against the stored network and
plan it (``plan_itineraries``).

The compiled routing graph and the emission factors are kept per network object, so only the
first request after a dataset load pays for compiling them. Request problems raise
InvalidValueError with a JSON pointer to the field (``/origin``, ``/cargo/mass_t`` ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from threading import Lock

from transcaspian.data.planning_tables import (
    read_emission_factors,
    read_tariff_modes,
    read_transfer_dwell_defaults,
)
from transcaspian.domain.emissions import Cargo, EmissionFactorTable
from transcaspian.domain.errors import InvalidValueError
from transcaspian.domain.network import Corridor, CorridorNetwork, LocationId, Mode
from transcaspian.domain.routing import RoutePlan, RouteRequest, plan_routes
from transcaspian.domain.timetable import CORRIDORS, EPOCH, RoutingGraph

__all__ = [
    "FIRST_PLANNING_DAY",
    "LAST_PLANNING_DAY",
    "CargoSpec",
    "PlanningService",
    "compile_network",
    "parse_cargo",
    "plan_itineraries",
]

# the days a request may name (ready, latest arrival): the planner's clock starts at EPOCH, and
# a century is ahead of any timetable while arrivals stay far from the end of the calendar
FIRST_PLANNING_DAY = EPOCH.date()
LAST_PLANNING_DAY = date(2099, 12, 31)

_ITEM = re.compile(r"^(?:(\d+)\s*x\s*)?(20|40)\s*(?:ft|'|hc|hq|ft\s*hc)?$", re.IGNORECASE)
_MASS = re.compile(r"^(\d+(?:\.\d+)?)\s*(t|kg)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class CargoSpec:
    """Containers by size and the cargo mass in tonnes, as a forwarder states them."""

    containers_20ft: int = 0
    containers_40ft: int = 1
    mass_t: float = 20.0


def parse_cargo(text: str) -> CargoSpec:
    """Read ``"1x40ft,20t"`` (also ``2x20ft``, ``40'``, ``18000kg``); raises InvalidValueError
    naming ``/cargo``."""
    twenty = forty = 0
    mass_t: float | None = None
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        item = _ITEM.match(part)
        mass = _MASS.match(part)
        if item:
            count = int(item.group(1) or 1)
            if item.group(2) == "20":
                twenty += count
            else:
                forty += count
        elif mass:
            value = float(mass.group(1))
            mass_t = value / 1000 if mass.group(2).lower() == "kg" else value
        else:
            raise InvalidValueError(
                f"cargo: {part!r} is neither containers (1x40ft, 2x20ft) nor a mass (20t, 18000kg)",
                field="/cargo",
            )
    if mass_t is None:
        raise InvalidValueError(f"cargo: {text!r} gives no mass (add e.g. 20t)", field="/cargo")
    return CargoSpec(twenty, forty, mass_t)


def plan_itineraries(
    network: CorridorNetwork,
    *,
    origin: str,
    destination: str,
    ready_on: date | datetime | str,
    cargo: CargoSpec,
    corridors: Iterable[str] | None = None,
    avoid_countries: Iterable[str] = (),
    avoid_modes: Iterable[str] = (),
    latest_arrival_on: date | datetime | str | None = None,
    max_transfers: int | None = None,
    samples: int = 1000,
    seed: int = 0,
    max_options_per_corridor: int = 4,
    graph: RoutingGraph | None = None,
    factors: EmissionFactorTable | None = None,
) -> RoutePlan:
    """Plan a request on ``network``. A date means 00:00 UTC that day.

    Raises InvalidValueError naming the field: unknown location (``/origin``,
    ``/destination``), origin = destination, a malformed date (``/ready_on``), a mass or
    container count that is not positive (``/cargo/...``), an unknown corridor, mode or country.
    Raises DatasetError when the dataset's emission factor tables are broken.
    """
    for name, value in (("origin", origin), ("destination", destination)):
        if value.strip().upper().replace(" ", "") not in network.locations:
            raise InvalidValueError(
                f"{name}: {value!r} is not a location in the corridor network", field=f"/{name}"
            )
    origin_id = LocationId(origin.strip().upper().replace(" ", ""))
    destination_id = LocationId(destination.strip().upper().replace(" ", ""))
    request = RouteRequest(
        origin=origin_id,
        destination=destination_id,
        ready_at=_instant(ready_on, "ready_on"),
        cargo=_cargo(cargo),
        corridors=_corridors(corridors),
        avoid_countries=frozenset(_country(c) for c in avoid_countries),
        avoid_modes=frozenset(_mode(m) for m in avoid_modes),
        latest_arrival_at=(
            _instant(latest_arrival_on, "latest_arrival_on") if latest_arrival_on else None
        ),
        max_transfers=max_transfers,
        samples=samples,
        seed=seed,
        max_options_per_corridor=max_options_per_corridor,
    )
    return plan_routes(
        graph or compile_network(network),
        request,
        factors or read_emission_factors(network),
    )


class PlanningService:
    """``plan_itineraries`` on the stored network, with its compiled graph kept between calls."""

    def __init__(self, get_network: Callable[[], CorridorNetwork]):
        self._get_network = get_network
        self._lock = Lock()
        self._compiled: tuple[CorridorNetwork, RoutingGraph, EmissionFactorTable] | None = None

    def compiled(self) -> tuple[CorridorNetwork, RoutingGraph, EmissionFactorTable]:
        """The current network, its routing graph and its emission factors."""
        network = self._get_network()
        with self._lock:
            if self._compiled is None or self._compiled[0] is not network:
                self._compiled = (
                    network,
                    compile_network(network),
                    read_emission_factors(network),
                )
            return self._compiled

    def plan_itineraries(
        self,
        *,
        origin: str,
        destination: str,
        ready_on: date | datetime | str,
        cargo: CargoSpec,
        corridors: Iterable[str] | None = None,
        avoid_countries: Iterable[str] = (),
        avoid_modes: Iterable[str] = (),
        latest_arrival_on: date | datetime | str | None = None,
        max_transfers: int | None = None,
        samples: int = 1000,
        seed: int = 0,
        max_options_per_corridor: int = 4,
    ) -> RoutePlan:
        """See ``plan_itineraries``; raises NotFoundError when no dataset is loaded."""
        network, graph, factors = self.compiled()
        return plan_itineraries(
            network,
            origin=origin,
            destination=destination,
            ready_on=ready_on,
            cargo=cargo,
            corridors=corridors,
            avoid_countries=avoid_countries,
            avoid_modes=avoid_modes,
            latest_arrival_on=latest_arrival_on,
            max_transfers=max_transfers,
            samples=samples,
            seed=seed,
            max_options_per_corridor=max_options_per_corridor,
            graph=graph,
            factors=factors,
        )


def compile_network(network: CorridorNetwork) -> RoutingGraph:
    """The routing graph of a network with the dataset's default transfer dwell times and the
    modes its through tariffs price."""
    return RoutingGraph(network, read_transfer_dwell_defaults(network), read_tariff_modes(network))


def _instant(value: date | datetime | str, name: str) -> datetime:
    if isinstance(value, datetime):
        instant = value
    elif isinstance(value, date):
        instant = datetime.combine(value, time(0), UTC)
    else:
        text = value.strip()
        try:
            if "T" in text or " " in text:
                instant = datetime.fromisoformat(text)
            else:
                instant = datetime.combine(date.fromisoformat(text), time(0), UTC)
        except ValueError:
            raise InvalidValueError(
                f"{name}: {value!r} is not a date (YYYY-MM-DD)", field=f"/{name}"
            ) from None
    return _within_planning_days(instant if instant.tzinfo else instant.replace(tzinfo=UTC), name)


def _within_planning_days(instant: datetime, name: str) -> datetime:
    if not FIRST_PLANNING_DAY <= instant.date() <= LAST_PLANNING_DAY:
        raise InvalidValueError(
            f"{name}: {instant.date().isoformat()} is not within "
            f"{FIRST_PLANNING_DAY.isoformat()}..{LAST_PLANNING_DAY.isoformat()}",
            field=f"/{name}",
        )
    return instant


def _cargo(spec: CargoSpec) -> Cargo:
    if spec.containers_20ft < 0 or spec.containers_40ft < 0:
        field = "containers_20ft" if spec.containers_20ft < 0 else "containers_40ft"
        raise InvalidValueError(
            f"cargo.{field}: a container count cannot be negative", field=f"/cargo/{field}"
        )
    if spec.containers_20ft + spec.containers_40ft == 0:
        raise InvalidValueError(
            "cargo: at least one container (20ft or 40ft) is needed", field="/cargo/containers_40ft"
        )
    if not spec.mass_t > 0:
        raise InvalidValueError(
            f"cargo.mass_t: {spec.mass_t} t is not a positive mass", field="/cargo/mass_t"
        )
    return Cargo(spec.containers_20ft, spec.containers_40ft, spec.mass_t * 1000)


def _corridors(values: Iterable[str] | None) -> tuple[Corridor, ...]:
    if values is None:
        return CORRIDORS
    chosen = []
    for value in values:
        try:
            corridor = Corridor(value.strip().lower())
        except ValueError:
            corridor = Corridor.ACCESS
        if corridor not in CORRIDORS:
            raise InvalidValueError(
                f"corridors: {value!r} is not middle, northern or suez", field="/corridors"
            )
        chosen.append(corridor)
    return tuple(dict.fromkeys(chosen)) or CORRIDORS


def _mode(value: str) -> Mode:
    try:
        return Mode(value.strip().lower())
    except ValueError:
        raise InvalidValueError(
            f"avoid_modes: {value!r} is not rail, road, ferry or sea", field="/avoid_modes"
        ) from None


def _country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise InvalidValueError(
            f"avoid_countries: {value!r} is not an ISO 3166-1 alpha-2 code",
            field="/avoid_countries",
        )
    return code
