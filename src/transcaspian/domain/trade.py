"""Kazakhstan–Azerbaijan trade: observations with their sources, and the arithmetic of growth.

A trade observation is one published figure: a period (a year, a half year, a run of months),
a flow (turnover, Kazakh exports to Azerbaijan, Kazakh imports from Azerbaijan), a value in
millions of US dollars, the ids of its sources, who reported it (Kazakh or Azerbaijani
statistics, or a medium naming neither) and whether the analysis uses it. Sources disagree
(mirror statistics, revisions, rounding in speeches), so one period can hold several
observations.

A *series* is one reporting country's figures of one flow over one kind of period: what
Kazakhstan reports and what Azerbaijan reports of the same trade are mirror statistics, two
series, never one line; a half year and a whole year are never one bar group. The annual series
of a reporter takes the observations marked used, at most one per year; years without a value
stay gaps (nothing is filled in from the other country or from a medium naming no office).

``LABELS`` is the one lookup table of what users read for the codes (flows, directions,
reporters); ``Period.label`` writes a period in words.

Values are floats, not ``Decimal``: they are statistical aggregates that the analysis takes
logarithms and growth rates of, never amounts anyone pays.

The growth functions are pure: compound annual growth rate (CAGR), the geometric path from
a value to a target by a year, and the first year a constant growth rate reaches a target.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from transcaspian.domain.errors import InvalidValueError

__all__ = [
    "LABELS",
    "Disagreement",
    "GoodsItem",
    "Period",
    "PeriodKind",
    "Reporter",
    "TradeDirection",
    "TradeFlow",
    "TradeObservation",
    "YearOnYear",
    "annual_series",
    "cagr",
    "disagreements",
    "growth_path",
    "label",
    "reporters_with_series",
    "required_growth",
    "year_on_year",
    "year_reaching",
]


class TradeFlow(StrEnum):
    """What a figure measures."""

    TURNOVER = "turnover"
    KZ_EXPORTS_TO_AZ = "kz_exports_to_az"
    KZ_IMPORTS_FROM_AZ = "kz_imports_from_az"


class TradeDirection(StrEnum):
    """Which way goods go."""

    KZ_TO_AZ = "kz_to_az"
    AZ_TO_KZ = "az_to_kz"


class Reporter(StrEnum):
    """Whose statistics a figure comes from."""

    KZ = "KZ"  # Kazakh government, ministries, Bureau of National Statistics, officials
    AZ = "AZ"  # Azerbaijan State Customs Committee, Azerbaijani officials
    OTHER = "other"  # a medium that names no statistics office


class PeriodKind(StrEnum):
    """How much of a year a figure covers."""

    YEAR = "year"
    HALF_YEAR = "half_year"
    MONTHS = "months"
    YEAR_TO_DATE = "year_to_date"  # months not stated
    UNSTATED = "unstated"


_MONTHS = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{2})$")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

LABELS: dict[StrEnum, str] = {
    TradeFlow.TURNOVER: "turnover (exports + imports)",
    TradeFlow.KZ_EXPORTS_TO_AZ: "Kazakh exports to Azerbaijan",
    TradeFlow.KZ_IMPORTS_FROM_AZ: "Kazakh imports from Azerbaijan",
    TradeDirection.KZ_TO_AZ: "Kazakhstan → Azerbaijan",
    TradeDirection.AZ_TO_KZ: "Azerbaijan → Kazakhstan",
    Reporter.KZ: "Kazakhstan's figures",
    Reporter.AZ: "Azerbaijan's figures",
    Reporter.OTHER: "a medium naming no statistics office",
}


def label(code: StrEnum) -> str:
    """What a user reads for a flow, direction or reporter code."""
    return LABELS[code]


@dataclass(frozen=True, slots=True)
class Period:
    """The time a figure covers.

    Written ``2023``, ``2024-H1``, ``2025-01..10``, ``2023-ytd`` (months not stated) or
    ``unstated``.
    """

    text: str
    kind: PeriodKind
    year: int | None = None
    first_month: int | None = None
    last_month: int | None = None

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read a period; raises InvalidValueError naming the text when it is none of the forms."""
        text = text.strip()
        if text == "unstated":
            return cls(text, PeriodKind.UNSTATED)
        if re.fullmatch(r"\d{4}", text):
            return cls(text, PeriodKind.YEAR, int(text), 1, 12)
        if re.fullmatch(r"\d{4}-H1", text):
            return cls(text, PeriodKind.HALF_YEAR, int(text[:4]), 1, 6)
        if re.fullmatch(r"\d{4}-ytd", text):
            return cls(text, PeriodKind.YEAR_TO_DATE, int(text[:4]))
        match = _MONTHS.match(text)
        if match:
            first, last = int(match[2]), int(match[3])
            if 1 <= first <= last <= 12:
                return cls(text, PeriodKind.MONTHS, int(match[1]), first, last)
        raise InvalidValueError(
            f"period: {text!r} is not YYYY, YYYY-H1, YYYY-MM..MM, YYYY-ytd or 'unstated'",
            field="period",
        )

    @property
    def months(self) -> int | None:
        """How many months the period covers, when known."""
        if self.first_month is None or self.last_month is None:
            return None
        return self.last_month - self.first_month + 1

    @property
    def label(self) -> str:
        """The period in words: ``2023``, ``H1 2024``, ``Jan–Jul 2025``."""
        if self.kind is PeriodKind.UNSTATED:
            return "period not stated"
        if self.kind is PeriodKind.YEAR:
            return str(self.year)
        if self.kind is PeriodKind.HALF_YEAR:
            return f"H1 {self.year}"
        if self.kind is PeriodKind.YEAR_TO_DATE:
            return f"{self.year}, months not stated"
        assert self.first_month is not None and self.last_month is not None
        first, last = _MONTH_NAMES[self.first_month - 1], _MONTH_NAMES[self.last_month - 1]
        return f"{first} {self.year}" if first == last else f"{first}–{last} {self.year}"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Chronological order: by year, then first month, then length (unstated last)."""
        return (self.year or 9999, self.first_month or 13, self.months or 0)

    @property
    def span(self) -> tuple[PeriodKind, int | None, int | None]:
        """What kind of period it is regardless of the year (H1, Jan–Jul, whole year...):
        figures of one span in different years are comparable, figures of two spans are not."""
        return (self.kind, self.first_month, self.last_month)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class TradeObservation:
    """One published trade figure, in millions of US dollars, with its sources."""

    series_id: str
    period: Period
    flow: TradeFlow
    value_usd_m: float
    sources: tuple[str, ...]
    reporter: Reporter
    used: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        if not math.isfinite(self.value_usd_m) or self.value_usd_m < 0:
            raise InvalidValueError(
                f"value_usd_m: {self.value_usd_m} is not a finite, non-negative number",
                field="value_usd_m",
            )
        if not self.sources:
            raise InvalidValueError(
                f"source: the figure {self.value_usd_m} of {self.series_id!r} has no source",
                field="source",
            )
        if self.used and self.period.kind is not PeriodKind.YEAR:
            raise InvalidValueError(
                f"used: {self.series_id!r} covers {self.period}, not a whole year; only annual "
                "figures feed the annual series",
                field="used",
            )
        if self.used and self.reporter is Reporter.OTHER:
            raise InvalidValueError(
                f"used: {self.series_id!r} names no reporting country; a series is one "
                "country's statistics",
                field="used",
            )


@dataclass(frozen=True, slots=True)
class GoodsItem:
    """A line of the goods structure: what goes which way, with whatever figure was published."""

    goods_id: str
    period: Period
    direction: TradeDirection
    goods: str
    sources: tuple[str, ...]
    value_usd_m: float | None = None
    change_usd_m: float | None = None
    growth_factor: float | None = None
    mass_kt: float | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class YearOnYear:
    """A year's value and its growth over the year before (None for the first year)."""

    year: int
    value_usd_m: float
    growth: float | None  # 0.143 means +14.3 %


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Several published values for one period and flow."""

    period: Period
    flow: TradeFlow
    observations: tuple[TradeObservation, ...]

    @property
    def spread(self) -> float:
        """(highest - lowest) / lowest; 0.13 means the highest is 13 % above the lowest."""
        values = [o.value_usd_m for o in self.observations]
        low = min(values)
        return (max(values) - low) / low if low > 0 else math.inf


def annual_series(
    observations: Iterable[TradeObservation],
    reporter: Reporter,
    flow: TradeFlow = TradeFlow.TURNOVER,
) -> list[TradeObservation]:
    """The used annual observations of one reporter and one flow, by year.

    Years without a used value are gaps, not filled in. Raises InvalidValueError when two
    observations of one reporter and year are both marked used.
    """
    chosen: dict[int, TradeObservation] = {}
    for observation in observations:
        if not observation.used or observation.flow is not flow:
            continue
        if observation.reporter is not reporter:
            continue
        year = observation.period.year
        assert year is not None  # used figures are annual (TradeObservation checks it)
        if year in chosen:
            raise InvalidValueError(
                f"used: {reporter.value} {year} {flow} is marked used twice "
                f"({chosen[year].series_id!r} and {observation.series_id!r}); mark one",
                field="used",
            )
        chosen[year] = observation
    return [chosen[year] for year in sorted(chosen)]


def reporters_with_series(
    observations: Iterable[TradeObservation], flow: TradeFlow = TradeFlow.TURNOVER
) -> list[Reporter]:
    """Reporters with a used annual value of ``flow``, most used years first (then the one
    whose series ends later)."""
    years: dict[Reporter, set[int]] = {}
    for o in observations:
        if o.used and o.flow is flow and o.period.year is not None:
            years.setdefault(o.reporter, set()).add(o.period.year)
    return sorted(years, key=lambda r: (-len(years[r]), -max(years[r]), r.value))


def year_on_year(points: Sequence[tuple[int, float]]) -> list[YearOnYear]:
    """Growth of each year over the one before; ``points`` are (year, value) in year order."""
    result: list[YearOnYear] = []
    for index, (year, value) in enumerate(points):
        previous = points[index - 1] if index else None
        growth = None
        if previous is not None and previous[1] > 0 and previous[0] == year - 1:
            growth = value / previous[1] - 1
        result.append(YearOnYear(year, value, growth))
    return result


def cagr(first_value: float, last_value: float, years: float) -> float:
    """Compound annual growth rate from ``first_value`` to ``last_value`` over ``years``.

    0.5 means +50 % a year. Raises InvalidValueError when a value is not positive or ``years``
    is not positive.
    """
    if first_value <= 0 or last_value <= 0:
        raise InvalidValueError(
            f"value: growth needs positive values, got {first_value} and {last_value}",
            field="value_usd_m",
        )
    if years <= 0:
        raise InvalidValueError(f"years: {years} is not positive", field="years")
    return float((last_value / first_value) ** (1 / years) - 1)


def required_growth(current_value: float, target_value: float, years: float) -> float:
    """The constant annual growth that takes ``current_value`` to ``target_value`` in ``years``."""
    return cagr(current_value, target_value, years)


def growth_path(
    start_year: int, start_value: float, target_value: float, by_year: int
) -> list[tuple[int, float]]:
    """The geometric path from (start_year, start_value) to target_value in by_year, inclusive.

    Raises InvalidValueError when ``by_year`` is not after ``start_year`` or a value is not
    positive.
    """
    rate = required_growth(start_value, target_value, by_year - start_year)
    path = [(start_year + k, start_value * (1 + rate) ** k) for k in range(by_year - start_year)]
    path.append((by_year, target_value))  # exactly the target, free of rounding
    return path


def year_reaching(
    start_year: int, start_value: float, target_value: float, growth: float
) -> int | None:
    """The first year a value growing at ``growth`` a year from ``start_value`` reaches the target.

    ``start_year`` itself when already there; None when it never will (growth <= 0 below the
    target). Raises InvalidValueError for a non-positive value or growth <= -100 %.
    """
    if start_value <= 0 or target_value <= 0:
        raise InvalidValueError(
            f"value: needs positive values, got {start_value} and {target_value}",
            field="value_usd_m",
        )
    if growth <= -1:
        raise InvalidValueError(f"growth: {growth} is -100 % or less", field="growth")
    if start_value >= target_value:
        return start_year
    if growth <= 0:
        return None
    years = math.log(target_value / start_value) / math.log1p(growth)
    whole = math.ceil(years - 1e-9)  # a path that lands exactly on the target counts
    return start_year + whole


def disagreements(observations: Iterable[TradeObservation]) -> list[Disagreement]:
    """Periods and flows with more than one distinct published value, by period text."""
    groups: dict[tuple[str, TradeFlow], list[TradeObservation]] = {}
    for observation in observations:
        if observation.period.kind is PeriodKind.UNSTATED:
            continue
        groups.setdefault((observation.period.text, observation.flow), []).append(observation)
    return [
        Disagreement(group[0].period, flow, tuple(group))
        for (_, flow), group in sorted(groups.items(), key=lambda item: item[0])
        if len({o.value_usd_m for o in group}) > 1
    ]
