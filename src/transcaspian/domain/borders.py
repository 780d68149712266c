"""Customs territories and border crossings (docs/routing.md, *Borders*).

A **customs territory** is a country, or a customs union whose members clear transit cargo
once at the union's outer border: the Eurasian Economic Union (Treaty on the EAEU 2014, EAEU
Customs Code 2017: no customs clearance of goods moving between member states) and the
European Union (Union Customs Code, Regulation (EU) 952/2013). A **border crossing** is a
move from one territory to another; it takes the time of its ``BorderCrossingTime`` (by the
pair of territories, direction and mode, the most specific row first). Moves inside one
territory cross no customs border and cost nothing here. Pure values, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from transcaspian.domain.network import LegId, Mode, ServiceId, SourceId
from transcaspian.domain.values import DurationEstimate

__all__ = ["ANY", "BorderCrossingTime", "BorderRules", "CustomsTerritory"]

ANY = "*"  # a crossing row for any territory on that side


@dataclass(frozen=True, slots=True)
class CustomsTerritory:
    """A customs territory and the countries in it."""

    territory_id: str
    countries: frozenset[str]
    sources: tuple[SourceId, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class BorderCrossingTime:
    """The time to cross from one territory into another (``ANY`` matches every territory),
    for one mode (None: any mode)."""

    crossing_id: str
    from_territory: str
    to_territory: str
    mode: Mode | None
    duration: DurationEstimate
    sources: tuple[SourceId, ...]
    note: str = ""

    @property
    def p50_h(self) -> float:
        return self.duration.p50.total_seconds() / 3600


@dataclass(frozen=True)
class BorderRules:
    """Which territory each country is in, and the crossing times between territories.

    ``included_services``: services whose published running time already holds the border
    crossings and gauge changes on their route (the time is not added a second time).
    ``transit``: the countries a leg passes between its ends without a stop, in order from
    its origin (Svilengrad-Budapest through Serbia).
    """

    territories: tuple[CustomsTerritory, ...] = ()
    crossings: tuple[BorderCrossingTime, ...] = ()
    included_services: frozenset[ServiceId] = frozenset()
    transit: Mapping[LegId, tuple[str, ...]] = field(default_factory=dict)
    _of: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "_of",
            {c: t.territory_id for t in self.territories for c in sorted(t.countries)},
        )

    @classmethod
    def of(
        cls,
        territories: Iterable[CustomsTerritory],
        crossings: Iterable[BorderCrossingTime],
        included_services: Iterable[ServiceId] = (),
        transit: Mapping[LegId, tuple[str, ...]] | None = None,
    ) -> BorderRules:
        return cls(
            tuple(territories), tuple(crossings), frozenset(included_services), dict(transit or {})
        )

    def territory(self, country: str) -> str:
        """The customs territory of a country (the country itself unless in a union)."""
        return self._of.get(country, country)

    def crosses(self, from_country: str, to_country: str) -> bool:
        return self.territory(from_country) != self.territory(to_country)

    def crossing(self, from_country: str, to_country: str, mode: Mode) -> BorderCrossingTime | None:
        """The crossing time from one country into another by ``mode``: None when both are in
        one territory or no row matches. Most specific first: both territories and the mode,
        both territories and any mode, then rows with ``ANY`` on one or both sides."""
        a, b = self.territory(from_country), self.territory(to_country)
        if a == b:
            return None
        best: tuple[int, BorderCrossingTime] | None = None
        for row in self.crossings:
            if row.from_territory not in (a, ANY) or row.to_territory not in (b, ANY):
                continue
            if row.mode is not None and row.mode is not mode:
                continue
            rank = (
                (row.from_territory == a) * 4 + (row.to_territory == b) * 2 + (row.mode is not None)
            )
            if best is None or rank > best[0]:
                best = (rank, row)
        return best[1] if best else None
