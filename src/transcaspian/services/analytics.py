"""Kazakhstan–Azerbaijan trade analytics: the sourced series, growth, the path to a target and
a forecast chosen by a rolling-origin backtest.

Every series is one reporting country's statistics (Kazakh and Azerbaijani figures of the same
trade are mirror statistics and never one line). The annual series forecast is one reporter's
(by default the one with the most used years); its years may have gaps, which stay gaps.

The series are tiny, so every result says how many points it rests on and the intervals are
wide. Models work on log values (trade grows multiplicatively):

- ``naive``: next year equals the last year (a random walk);
- ``drift``: the average log growth a year of the training span continues;
- ``theta``: statsmodels ``ThetaModel`` (simple exponential smoothing with half the drift). It
  needs at least 3 consecutive years; on a series with a gap it is not applicable and the
  backtest says so.

The backtest holds out the years after the first ``min_train`` (the last k years), forecasts
each one year ahead from the years before it, and every model is scored on the same held-out
years. The forecast shown is the model with the lowest mean absolute percentage error (ties go
to the simpler model, in the order above), and the result says so (``chosen_by``).

statsmodels warns (convergence, few observations) on series this short. Each fit runs under
``warnings.catch_warnings``; the messages are returned in the result, never hidden.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from transcaspian.domain.errors import (
    DatasetError,
    DatasetProblem,
    InvalidValueError,
    NotFoundError,
)
from transcaspian.domain.network import CorridorNetwork, Source, SourceId
from transcaspian.domain.trade import (
    Disagreement,
    GoodsItem,
    Period,
    PeriodKind,
    Reporter,
    TradeDirection,
    TradeFlow,
    TradeObservation,
    YearOnYear,
    annual_series,
    cagr,
    disagreements,
    growth_path,
    label,
    reporters_with_series,
    required_growth,
    year_on_year,
    year_reaching,
)

__all__ = [
    "GOODS_TABLE",
    "MODELS",
    "MODEL_LABELS",
    "TARGET_SOURCES",
    "TRADE_TABLE",
    "Backtest",
    "FlowGroup",
    "ModelForecast",
    "TargetPath",
    "TradeBook",
    "TradeForecast",
    "TradeSummary",
    "backtest",
    "flow_groups",
    "forecast_trade",
    "read_trade_book",
    "summarize_trade",
]

TRADE_TABLE = "trade_kz_az.csv"
GOODS_TABLE = "trade_kz_az_goods.csv"
DEFAULT_TARGET_USD_M = 1000.0  # the 1 bn USD target; its sources are in TradeBook.target_sources
TARGET_SOURCES = (
    "trade-seed-2025-10-dayaz-mambetali",
    "trade-astanatimes-2023-06-1bn",
    "trade-astanatimes-2025-10-double",
)
MIN_TRAIN = 2


# --- the sourced series -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TradeBook:
    """Every trade observation and goods line of the dataset, with the sources they cite."""

    observations: tuple[TradeObservation, ...]
    goods: tuple[GoodsItem, ...]
    sources: Mapping[str, Source]
    target_sources: tuple[str, ...] = TARGET_SOURCES

    def annual(
        self, reporter: Reporter | None = None, flow: TradeFlow = TradeFlow.TURNOVER
    ) -> list[TradeObservation]:
        """The used annual series of one reporter (the default one when None) and one flow."""
        return annual_series(self.observations, reporter or self.default_reporter(flow), flow)

    def reporters(self, flow: TradeFlow = TradeFlow.TURNOVER) -> list[Reporter]:
        """Reporters with an annual series of ``flow``, most used years first."""
        return reporters_with_series(self.observations, flow)

    def default_reporter(self, flow: TradeFlow = TradeFlow.TURNOVER) -> Reporter:
        """The reporter whose annual series has the most used years.

        Raises InvalidValueError when no observation of ``flow`` is marked used.
        """
        reporters = self.reporters(flow)
        if not reporters:
            raise InvalidValueError(f"used: no annual {flow} value is marked used", field="used")
        return reporters[0]


def read_trade_book(network: CorridorNetwork) -> TradeBook:
    """The trade tables of a dataset as domain objects.

    Raises NotFoundError when the dataset has no trade table, and DatasetError listing every
    row that does not parse or cites a source the dataset does not define.
    """
    rows = network.extra_tables.get(TRADE_TABLE)
    if rows is None:
        raise NotFoundError(f"the dataset has no {TRADE_TABLE}", field=None, code="no-trade-series")
    problems: list[DatasetProblem] = []
    observations = [
        obs
        for number, row in enumerate(rows, start=1)
        if (obs := _observation(row, number, network.sources, problems)) is not None
    ]
    goods = [
        item
        for number, row in enumerate(network.extra_tables.get(GOODS_TABLE, ()), start=1)
        if (item := _goods_item(row, number, network.sources, problems)) is not None
    ]
    for source_id in TARGET_SOURCES:
        if SourceId(source_id) not in network.sources:
            problems.append(
                DatasetProblem("sources-trade.csv", None, "source_id", f"{source_id!r} missing")
            )
    if problems:
        raise DatasetError(problems)
    return TradeBook(
        observations=tuple(observations),
        goods=tuple(goods),
        sources={
            source_id: network.sources[SourceId(source_id)]
            for source_id in _cited(observations, goods)
        },
    )


# --- summary ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TargetPath:
    """What it takes to reach the target by one year from the last used value."""

    by_year: int
    required_growth: float  # a year; 0.3 means +30 % a year
    path: tuple[tuple[int, float], ...]


@dataclass(frozen=True, slots=True)
class TradeSummary:
    """One reporter's used annual turnover, its growth, the target arithmetic and where sources
    disagree."""

    reporter: Reporter
    annual: tuple[TradeObservation, ...]
    growth: tuple[YearOnYear, ...]
    cagr: float  # over the whole used window
    cagr_years: tuple[int, int]
    target_usd_m: float
    trend_reaches_target_in: int | None  # at the window's CAGR
    target_paths: tuple[TargetPath, ...]
    disagreements: tuple[Disagreement, ...]
    latest_partial: TradeObservation | None  # the reporter's newest figure for part of a year
    book: TradeBook

    @property
    def points(self) -> int:
        return len(self.annual)

    @property
    def gaps(self) -> tuple[int, ...]:
        """Years inside the window without a value of this reporter."""
        years = [_year(o) for o in self.annual]
        return tuple(sorted(set(range(years[0], years[-1] + 1)) - set(years)))


def summarize_trade(
    book: TradeBook,
    *,
    reporter: Reporter | None = None,
    target_usd_m: float = DEFAULT_TARGET_USD_M,
    horizon: int = 6,
) -> TradeSummary:
    """Growth of one reporter's used annual turnover and the growth needed to reach the target.

    ``reporter`` None takes the reporter with the most used years. Raises InvalidValueError for
    a non-positive target or horizon, or a series under 2 years.
    """
    _check_target(target_usd_m, horizon)
    reporter = reporter or book.default_reporter()
    annual = book.annual(reporter)
    if len(annual) < 2:
        raise InvalidValueError(
            f"reporter: growth needs 2 used years, {label(reporter)} have {len(annual)}",
            field="reporter",
        )
    points = [(_year(o), o.value_usd_m) for o in annual]
    (first_year, first), (last_year, last) = points[0], points[-1]
    rate = cagr(first, last, last_year - first_year)
    paths = tuple(
        TargetPath(year, required_growth(last, target_usd_m, year - last_year), tuple(path))
        for year in range(last_year + 1, last_year + horizon + 1)
        if (path := growth_path(last_year, last, target_usd_m, year))
    )
    partial = [
        o
        for o in book.observations
        if o.flow is TradeFlow.TURNOVER
        and o.reporter is reporter
        and o.period.kind in {PeriodKind.MONTHS, PeriodKind.HALF_YEAR}
        and o.period.year is not None
        and o.period.year > last_year
    ]
    latest = max(partial, key=lambda o: (o.period.year, o.period.months or 0), default=None)
    return TradeSummary(
        reporter=reporter,
        annual=tuple(annual),
        growth=tuple(year_on_year(points)),
        cagr=rate,
        cagr_years=(first_year, last_year),
        target_usd_m=target_usd_m,
        trend_reaches_target_in=year_reaching(last_year, last, target_usd_m, rate),
        target_paths=paths,
        disagreements=tuple(disagreements(book.observations)),
        latest_partial=latest,
        book=book,
    )


# --- exports against imports -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FlowGroup:
    """The export and import figures of one period as one reporter published them: one bar
    group (figures of different periods or reporters are never in one group)."""

    period: Period
    reporter: Reporter
    exports: TradeObservation | None
    imports: TradeObservation | None


def flow_groups(book: TradeBook) -> list[FlowGroup]:
    """Exports and imports paired by (period, reporter), in chronological order.

    A pair has two figures only when both were published for exactly that period by that
    reporter; otherwise the missing side is None.
    """
    groups: dict[tuple[str, Reporter], dict[TradeFlow, TradeObservation]] = {}
    periods: dict[str, Period] = {}
    for o in book.observations:
        if o.flow is TradeFlow.TURNOVER or o.period.kind is PeriodKind.UNSTATED:
            continue
        periods[o.period.text] = o.period
        group = groups.setdefault((o.period.text, o.reporter), {})
        if o.flow not in group or (o.used and not group[o.flow].used):
            group[o.flow] = o
    ordered = sorted(groups, key=lambda k: (periods[k[0]].sort_key, k[1].value))
    return [
        FlowGroup(
            periods[text],
            reporter,
            groups[(text, reporter)].get(TradeFlow.KZ_EXPORTS_TO_AZ),
            groups[(text, reporter)].get(TradeFlow.KZ_IMPORTS_FROM_AZ),
        )
        for text, reporter in ordered
    ]


# --- forecast and backtest ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModelForecast:
    """Point forecasts with a prediction interval, by year, in millions of US dollars."""

    model: str
    years: tuple[int, ...]
    median: tuple[float, ...]
    lower: tuple[float | None, ...]
    upper: tuple[float | None, ...]
    level: float  # 0.8 = an 80 % interval


@dataclass(frozen=True, slots=True)
class BacktestError:
    """One held-out year: trained on the years up to ``origin``."""

    origin: int  # the last training year
    year: int  # the held-out year (the next one of the series)
    actual: float
    forecast: float

    @property
    def ape(self) -> float:
        """Absolute percentage error, 0.25 = 25 %."""
        return abs(self.forecast - self.actual) / self.actual


@dataclass(frozen=True, slots=True)
class Backtest:
    """Rolling-origin errors of one model on the held-out years; ``skipped`` says why a model
    could not be scored (then ``errors`` is empty and the scores are NaN)."""

    model: str
    errors: tuple[BacktestError, ...]
    mape: float  # mean absolute percentage error, 0.25 = 25 %
    mase: float  # mean absolute scaled error against the in-sample naive forecast; < 1 beats it
    min_train: int
    skipped: str = ""

    @property
    def scored(self) -> bool:
        return not self.skipped


@dataclass(frozen=True, slots=True)
class TradeForecast:
    """The forecast shown (the backtest's winner), every model's backtest, the target, and the
    caveats."""

    reporter: Reporter
    primary: ModelForecast
    backtests: tuple[Backtest, ...]
    chosen_by: str  # why the primary model is the one shown
    history: tuple[tuple[int, float], ...]
    target_usd_m: float
    median_reaches_target_in: int | None  # None: not within the horizon
    upper_reaches_target_in: int | None  # earliest plausible year (upper bound of the interval)
    lower_reaches_target_in: int | None
    target_paths: tuple[TargetPath, ...]
    latest_partial: TradeObservation | None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def points(self) -> int:
        return len(self.history)

    @property
    def held_out(self) -> tuple[int, ...]:
        """The held-out years every model was scored on."""
        return tuple(e.year for e in self.winner.errors)

    @property
    def winner(self) -> Backtest:
        return next(b for b in self.backtests if b.model == self.primary.model)


Points = Sequence[tuple[int, float]]
Bands = tuple[list[float], list[float | None], list[float | None]]  # median, lower, upper
Model = Callable[[Points, int, float], Bands]  # (year, value) history, horizon, level


class NotApplicableError(ValueError):
    """A model cannot be fitted to this history (too short, or years with gaps)."""


def forecast_trade(
    book: TradeBook,
    *,
    reporter: Reporter | None = None,
    target_usd_m: float = DEFAULT_TARGET_USD_M,
    horizon: int = 6,
    level: float = 0.8,
    min_train: int | None = None,
) -> TradeForecast:
    """Backtest every model on one reporter's annual turnover and forecast ``horizon`` years
    ahead with the winner (lowest MAPE; ties to the simpler model).

    ``min_train`` None trains on at least 3 years when the series has 4 or more (so that theta
    can be scored) and on 2 otherwise. Deterministic: the same book gives the same numbers.
    Raises InvalidValueError for a non-positive target, a horizon outside 1..20, a level outside
    (0, 1), or a series too short to hold out one year after ``min_train`` training years.
    """
    _check_target(target_usd_m, horizon)
    if not 0 < level < 1:
        raise InvalidValueError(f"level: {level} is not within (0, 1)", field="level")
    summary = summarize_trade(book, reporter=reporter, target_usd_m=target_usd_m, horizon=horizon)
    history = [(g.year, g.value_usd_m) for g in summary.growth]
    caught: list[str] = []
    if min_train is None:
        min_train = 3 if len(history) >= 4 else MIN_TRAIN
    if len(history) < min_train + 1:
        raise InvalidValueError(
            f"reporter: {label(summary.reporter)} have {len(history)} annual values; a backtest "
            f"needs {min_train + 1} ({min_train} to train on, 1 to hold out)",
            field="reporter",
        )
    backtests = tuple(backtest(history, name, min_train, caught) for name in MODELS)
    scored = [b for b in backtests if b.scored]
    if not scored:
        raise InvalidValueError(
            f"reporter: no model could be backtested on {label(summary.reporter)} "
            f"({len(history)} annual values)",
            field="reporter",
        )
    best = min(scored, key=lambda b: b.mape)  # min keeps the first of equals: the simpler
    median, lower, upper = _run(best.model, history, horizon, level, caught)
    last_year = history[-1][0]
    years = tuple(range(last_year + 1, last_year + horizon + 1))
    primary = ModelForecast(best.model, years, tuple(median), tuple(lower), tuple(upper), level)
    held = ", ".join(str(e.year) for e in best.errors)
    others = "; ".join(
        f"{b.model} {b.mape:.1%}" if b.scored else f"{b.model} not applicable ({b.skipped})"
        for b in backtests
        if b is not best
    )
    chosen_by = (
        f"{best.model} has the lowest mean absolute percentage error, {best.mape:.1%}, on the "
        f"held-out year(s) {held} (trained on the years before each); {others}"
    )
    return TradeForecast(
        reporter=summary.reporter,
        primary=primary,
        backtests=backtests,
        chosen_by=chosen_by,
        history=tuple(history),
        target_usd_m=target_usd_m,
        median_reaches_target_in=_first_year_at(years, primary.median, target_usd_m),
        upper_reaches_target_in=_first_year_at(years, primary.upper, target_usd_m),
        lower_reaches_target_in=_first_year_at(years, primary.lower, target_usd_m),
        target_paths=summary.target_paths,
        latest_partial=summary.latest_partial,
        warnings=tuple(dict.fromkeys(caught)),
    )


def backtest(
    history: Points,
    model: str,
    min_train: int = MIN_TRAIN,
    caught: list[str] | None = None,
) -> Backtest:
    """Rolling origin: hold out every value after the first ``min_train``; for each, train on
    the values before it and forecast its year.

    ``history`` is (year, value) in year order; years may have gaps (a held-out year is then
    forecast as many years ahead as it lies after the origin). A model that cannot be fitted
    to some training window is ``skipped`` with the reason, so that all scored models are
    compared on the same years. Raises InvalidValueError for an unknown model or when fewer
    than ``min_train`` + 1 values leave no year to hold out.
    """
    if model not in MODELS:
        raise InvalidValueError(f"model: {model!r} is not one of {sorted(MODELS)}", field="model")
    if min_train < 2 or len(history) < min_train + 1:
        raise InvalidValueError(
            f"min_train: a backtest needs at least {max(min_train, 2) + 1} values (min_train "
            f"{min_train} + 1 held out), got {len(history)}",
            field="min_train",
        )
    sink = caught if caught is not None else []
    errors: list[BacktestError] = []
    scaled: list[float] = []
    for end in range(min_train, len(history)):
        train = history[:end]
        origin, (year, actual) = train[-1][0], history[end]
        try:
            forecasts = _run(model, train, year - origin, 0.8, sink)[0]
        except NotApplicableError as reason:
            nan = math.nan
            return Backtest(model, (), nan, nan, min_train, skipped=str(reason))
        forecast = forecasts[-1]
        errors.append(BacktestError(origin, year, actual, forecast))
        scale = float(np.mean(np.abs(np.diff([v for _, v in train]))))
        scaled.append(abs(forecast - actual) / scale if scale > 0 else math.inf)
    return Backtest(
        model=model,
        errors=tuple(errors),
        mape=float(np.mean([e.ape for e in errors])),
        mase=float(np.mean(scaled)),
        min_train=min_train,
    )


# --- models ((year, value) in, US dollar values out; they work on log values) ------------------


def _steps(history: Points) -> tuple[np.ndarray, np.ndarray]:
    """Log changes between consecutive observations and the years each spans."""
    years = np.asarray([y for y, _ in history], dtype=float)
    logs = np.log(np.asarray([v for _, v in history], dtype=float))
    return np.diff(logs), np.diff(years)


def _naive(history: Points, horizon: int, level: float) -> Bands:
    steps, gaps = _steps(history)
    # random walk: a step over g years has variance g * sigma^2 (maximum likelihood)
    sigma = float(np.sqrt(np.mean(steps**2 / gaps))) if len(steps) else math.nan
    z = _z(level)
    last = history[-1][1]
    median = [float(last)] * horizon
    spread = [z * sigma * math.sqrt(h) for h in range(1, horizon + 1)]
    return median, *_bounds(math.log(last), [0.0] * horizon, spread)


def _drift(history: Points, horizon: int, level: float) -> Bands:
    steps, gaps = _steps(history)
    span = float(np.sum(gaps))
    mean = float(np.sum(steps) / span)  # log growth a year over the whole span
    n = len(steps)
    residuals = (steps - mean * gaps) ** 2 / gaps
    sigma = float(np.sqrt(np.sum(residuals) / (n - 1))) if n > 1 else math.nan
    z = _z(level)
    last = math.log(history[-1][1])
    shifts = [mean * h for h in range(1, horizon + 1)]
    # random walk with drift: variance h*s^2 plus the drift's own uncertainty h^2*s^2/span
    spread = [z * sigma * math.sqrt(h + h * h / span) for h in range(1, horizon + 1)]
    median = [float(math.exp(last + s)) for s in shifts]
    return median, *_bounds(last, shifts, spread)


def _theta(history: Points, horizon: int, level: float) -> Bands:
    years = [y for y, _ in history]
    missing = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    if missing:
        raise NotApplicableError(
            f"needs consecutive years, the series has no value for {', '.join(map(str, missing))}"
        )
    if len(history) < 3:
        raise NotApplicableError(f"needs 3 or more years, the training window has {len(years)}")
    from statsmodels.tsa.forecasting.theta import ThetaModel

    logs = np.log(np.asarray([v for _, v in history], dtype=float))
    result = ThetaModel(logs, period=1, deseasonalize=False).fit()
    median = [float(math.exp(v)) for v in np.asarray(result.forecast(horizon))]
    intervals = np.asarray(result.prediction_intervals(horizon, alpha=1 - level))
    lower: list[float | None] = [_finite_exp(v) for v in intervals[:, 0]]
    upper: list[float | None] = [_finite_exp(v) for v in intervals[:, 1]]
    return median, lower, upper


MODELS: dict[str, Model] = {"naive": _naive, "drift": _drift, "theta": _theta}
MODEL_LABELS: dict[str, str] = {
    "naive": "naive (next year = last value)",
    "drift": "drift (average growth continues)",
    "theta": "theta (statsmodels ThetaModel)",
}


# --- helpers ------------------------------------------------------------------------------------


def _run(model: str, history: Points, horizon: int, level: float, caught: list[str]) -> Bands:
    """Run a model, collecting its warnings (statsmodels on tiny series) instead of raising."""
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        result = MODELS[model](history, horizon, level)
    caught.extend(
        f"{model} on {len(history)} points: {r.category.__name__}: {r.message}" for r in records
    )
    return result


def _bounds(
    last_log: float, shifts: Sequence[float], spread: Sequence[float]
) -> tuple[list[float | None], list[float | None]]:
    lower = [_finite_exp(last_log + s - w) for s, w in zip(shifts, spread, strict=True)]
    upper = [_finite_exp(last_log + s + w) for s, w in zip(shifts, spread, strict=True)]
    return lower, upper


def _finite_exp(value: float) -> float | None:
    return float(math.exp(value)) if math.isfinite(value) else None


def _z(level: float) -> float:
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + level / 2)


def _first_year_at(
    years: Sequence[int], values: Sequence[float | None], target: float
) -> int | None:
    return next(
        (y for y, v in zip(years, values, strict=True) if v is not None and v >= target), None
    )


def _check_target(target_usd_m: float, horizon: int) -> None:
    if not target_usd_m > 0:
        raise InvalidValueError(f"target: {target_usd_m} is not positive", field="target")
    if not 1 <= horizon <= 20:
        raise InvalidValueError(f"horizon: {horizon} is not within 1..20", field="horizon")


def _year(observation: TradeObservation) -> int:
    assert observation.period.year is not None
    return observation.period.year


def _cited(observations: Sequence[TradeObservation], goods: Sequence[GoodsItem]) -> list[str]:
    cited = {s for o in observations for s in o.sources} | {s for g in goods for s in g.sources}
    return sorted(cited | set(TARGET_SOURCES))


def _sources(
    cell: str,
    number: int,
    table: str,
    known: Mapping[SourceId, Source],
    problems: list[DatasetProblem],
) -> tuple[str, ...]:
    ids = tuple(part.strip() for part in cell.split(";") if part.strip())
    for source_id in ids:
        if SourceId(source_id) not in known:
            problems.append(
                DatasetProblem(table, number, "source", f"unknown source {source_id!r}")
            )
    if not ids:
        problems.append(DatasetProblem(table, number, "source", "no source"))
    return ids


def _observation(
    row: Mapping[str, str],
    number: int,
    known: Mapping[SourceId, Source],
    problems: list[DatasetProblem],
) -> TradeObservation | None:
    try:
        used = row.get("used", "no")
        if used not in {"yes", "no"}:
            raise InvalidValueError(f"used: {used!r} is not yes or no", field="used")
        return TradeObservation(
            series_id=row["series_id"],
            period=Period.parse(row["period"]),
            flow=TradeFlow(row["flow"]),
            value_usd_m=float(row["value_usd_m"]),
            sources=_sources(row.get("source", ""), number, TRADE_TABLE, known, problems),
            reporter=Reporter(row.get("reporter") or "other"),
            used=used == "yes",
            note=row.get("note", ""),
        )
    except (KeyError, ValueError) as error:  # InvalidValueError is a ValueError
        problems.append(DatasetProblem(TRADE_TABLE, number, None, str(error)))
        return None


def _goods_item(
    row: Mapping[str, str],
    number: int,
    known: Mapping[SourceId, Source],
    problems: list[DatasetProblem],
) -> GoodsItem | None:
    try:
        return GoodsItem(
            goods_id=row["goods_id"],
            period=Period.parse(row["period"]),
            direction=TradeDirection(row["direction"]),
            goods=row["goods"],
            sources=_sources(row.get("source", ""), number, GOODS_TABLE, known, problems),
            value_usd_m=_optional(row.get("value_usd_m", "")),
            change_usd_m=_optional(row.get("change_usd_m", "")),
            growth_factor=_optional(row.get("growth_factor", "")),
            mass_kt=_optional(row.get("mass_kt", "")),
            note=row.get("note", ""),
        )
    except (KeyError, ValueError) as error:
        problems.append(DatasetProblem(GOODS_TABLE, number, None, str(error)))
        return None


def _optional(cell: str) -> float | None:
    return float(cell) if cell.strip() else None
