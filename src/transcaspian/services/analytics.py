"""Kazakhstan–Azerbaijan trade analytics: the sourced series, growth, the path to a target and
a statsmodels forecast checked by rolling-origin backtests.

The series is tiny (one used value a year from 2020), so every result says how many points it
rests on, the intervals are wide, and the backtest has only a handful of held-out years. Models
work on log values (trade grows multiplicatively):

- ``naive``: next year equals the last year (baseline);
- ``drift``: the average log growth of the training years continues (baseline);
- ``theta``: statsmodels ``ThetaModel`` (simple exponential smoothing with half the drift),
  strong on short series in forecasting competitions. It is the forecast shown, chosen before
  looking at the backtest: with two or three held-out years, picking the best scorer would be
  picking noise.

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
    required_growth,
    year_on_year,
    year_reaching,
)

__all__ = [
    "GOODS_TABLE",
    "MODELS",
    "PRIMARY_MODEL",
    "TRADE_TABLE",
    "Backtest",
    "ModelForecast",
    "TargetPath",
    "TradeBook",
    "TradeForecast",
    "TradeSummary",
    "backtest",
    "forecast_trade",
    "read_trade_book",
    "summarize_trade",
]

TRADE_TABLE = "trade_kz_az.csv"
GOODS_TABLE = "trade_kz_az_goods.csv"
PRIMARY_MODEL = "theta"
DEFAULT_TARGET_USD_M = 1000.0  # the 1 bn USD target; its sources are in TradeBook.target_sources
TARGET_SOURCES = ("trade-astanatimes-2023-06-1bn", "trade-astanatimes-2025-10-double")
MIN_TRAIN = 3


# --- the sourced series -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TradeBook:
    """Every trade observation and goods line of the dataset, with the sources they cite."""

    observations: tuple[TradeObservation, ...]
    goods: tuple[GoodsItem, ...]
    sources: Mapping[str, Source]
    target_sources: tuple[str, ...] = TARGET_SOURCES

    def annual(self, flow: TradeFlow = TradeFlow.TURNOVER) -> list[TradeObservation]:
        """The used annual series of one flow (see ``domain.trade.annual_series``)."""
        return annual_series(self.observations, flow)


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
    """The used annual turnover, its growth, the target arithmetic and where sources disagree."""

    annual: tuple[TradeObservation, ...]
    growth: tuple[YearOnYear, ...]
    cagr: float  # over the whole used window
    cagr_years: tuple[int, int]
    target_usd_m: float
    trend_reaches_target_in: int | None  # at the window's CAGR
    target_paths: tuple[TargetPath, ...]
    disagreements: tuple[Disagreement, ...]
    latest_partial: TradeObservation | None  # the newest turnover figure for part of a year
    book: TradeBook

    @property
    def points(self) -> int:
        return len(self.annual)


def summarize_trade(
    book: TradeBook, *, target_usd_m: float = DEFAULT_TARGET_USD_M, horizon: int = 6
) -> TradeSummary:
    """Growth of the used annual turnover and the growth needed to reach the target.

    Raises InvalidValueError for a non-positive target or horizon, or a series under 2 years.
    """
    _check_target(target_usd_m, horizon)
    annual = book.annual()
    if len(annual) < 2:
        raise InvalidValueError(
            f"series: growth needs 2 used years, the dataset has {len(annual)}", field="used"
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
        and o.period.kind in {PeriodKind.MONTHS, PeriodKind.HALF_YEAR}
        and o.period.year is not None
        and o.period.year > last_year
    ]
    latest = max(partial, key=lambda o: (o.period.year, o.period.months or 0), default=None)
    return TradeSummary(
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
    """One held-out year: trained on the years before ``origin`` + 1."""

    origin: int  # the last training year
    year: int  # the held-out year (one step ahead)
    actual: float
    forecast: float

    @property
    def ape(self) -> float:
        """Absolute percentage error, 0.25 = 25 %."""
        return abs(self.forecast - self.actual) / self.actual


@dataclass(frozen=True, slots=True)
class Backtest:
    """Rolling-origin, one-step-ahead errors of one model."""

    model: str
    errors: tuple[BacktestError, ...]
    mape: float  # mean absolute percentage error, 0.25 = 25 %
    mase: float  # mean absolute scaled error against the in-sample naive forecast; < 1 beats it
    min_train: int


@dataclass(frozen=True, slots=True)
class TradeForecast:
    """The forecast shown, its backtest beside the baselines', the target, and the caveats."""

    primary: ModelForecast
    backtests: tuple[Backtest, ...]
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


Bands = tuple[list[float], list[float | None], list[float | None]]  # median, lower, upper
Model = Callable[[Sequence[float], int, float], Bands]


def forecast_trade(
    book: TradeBook,
    *,
    target_usd_m: float = DEFAULT_TARGET_USD_M,
    horizon: int = 6,
    level: float = 0.8,
    min_train: int = MIN_TRAIN,
) -> TradeForecast:
    """Forecast annual turnover ``horizon`` years ahead with the primary model, backtest all models.

    Deterministic: the same book gives the same numbers. Raises InvalidValueError for a
    non-positive target, a horizon outside 1..20, a level outside (0, 1), or a series too short
    to hold out one year after ``min_train`` training years.
    """
    _check_target(target_usd_m, horizon)
    if not 0 < level < 1:
        raise InvalidValueError(f"level: {level} is not within (0, 1)", field="level")
    summary = summarize_trade(book, target_usd_m=target_usd_m, horizon=horizon)
    history = [(g.year, g.value_usd_m) for g in summary.growth]
    values = [v for _, v in history]
    caught: list[str] = []
    median, lower, upper = _run(MODELS[PRIMARY_MODEL], values, horizon, level, caught)
    last_year = history[-1][0]
    years = tuple(range(last_year + 1, last_year + horizon + 1))
    primary = ModelForecast(PRIMARY_MODEL, years, tuple(median), tuple(lower), tuple(upper), level)
    backtests = tuple(backtest(values, name, min_train, caught, history[0][0]) for name in MODELS)
    return TradeForecast(
        primary=primary,
        backtests=backtests,
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
    values: Sequence[float],
    model: str,
    min_train: int = MIN_TRAIN,
    caught: list[str] | None = None,
    first_year: int = 0,
) -> Backtest:
    """Rolling-origin evaluation: for each origin, train on the years up to it, forecast the next.

    Raises InvalidValueError for an unknown model or when fewer than ``min_train`` + 1 values
    leave no year to hold out.
    """
    if model not in MODELS:
        raise InvalidValueError(f"model: {model!r} is not one of {sorted(MODELS)}", field="model")
    if min_train < 2 or len(values) < min_train + 1:
        raise InvalidValueError(
            f"series: a backtest needs at least {max(min_train, 2) + 1} values (min_train "
            f"{min_train} + 1 held out), got {len(values)}",
            field="min_train",
        )
    sink = caught if caught is not None else []
    errors: list[BacktestError] = []
    scaled: list[float] = []
    for end in range(min_train, len(values)):
        train = values[:end]
        forecast = _run(MODELS[model], train, 1, 0.8, sink)[0][0]
        actual = values[end]
        errors.append(BacktestError(first_year + end - 1, first_year + end, actual, forecast))
        scale = float(np.mean(np.abs(np.diff(train))))
        scaled.append(abs(forecast - actual) / scale if scale > 0 else math.inf)
    return Backtest(
        model=model,
        errors=tuple(errors),
        mape=float(np.mean([e.ape for e in errors])),
        mase=float(np.mean(scaled)),
        min_train=min_train,
    )


# --- models (log values in, US dollar values out) -----------------------------------------------


def _naive(values: Sequence[float], horizon: int, level: float) -> Bands:
    logs = np.log(values)
    sigma = float(np.std(np.diff(logs), ddof=1)) if len(logs) > 2 else math.nan
    z = _z(level)
    median = [float(values[-1])] * horizon
    spread = [z * sigma * math.sqrt(h) for h in range(1, horizon + 1)]
    return median, *_bounds(logs[-1], [0.0] * horizon, spread)


def _drift(values: Sequence[float], horizon: int, level: float) -> Bands:
    logs = np.log(values)
    steps = np.diff(logs)
    mean = float(np.mean(steps))
    sigma = float(np.std(steps, ddof=1)) if len(steps) > 1 else math.nan
    n = len(steps)
    z = _z(level)
    shifts = [mean * h for h in range(1, horizon + 1)]
    # random walk with drift: variance h*s^2 plus the drift's own uncertainty h^2*s^2/n
    spread = [z * sigma * math.sqrt(h + h * h / n) for h in range(1, horizon + 1)]
    median = [float(math.exp(logs[-1] + s)) for s in shifts]
    return median, *_bounds(logs[-1], shifts, spread)


def _theta(values: Sequence[float], horizon: int, level: float) -> Bands:
    from statsmodels.tsa.forecasting.theta import ThetaModel

    logs = np.log(np.asarray(values, dtype=float))
    result = ThetaModel(logs, period=1, deseasonalize=False).fit()
    median = [float(math.exp(v)) for v in np.asarray(result.forecast(horizon))]
    intervals = np.asarray(result.prediction_intervals(horizon, alpha=1 - level))
    lower: list[float | None] = [_finite_exp(v) for v in intervals[:, 0]]
    upper: list[float | None] = [_finite_exp(v) for v in intervals[:, 1]]
    return median, lower, upper


MODELS: dict[str, Model] = {"naive": _naive, "drift": _drift, "theta": _theta}


# --- helpers ------------------------------------------------------------------------------------


def _run(
    model: Model, values: Sequence[float], horizon: int, level: float, caught: list[str]
) -> Bands:
    """Run a model, collecting its warnings (statsmodels on tiny series) instead of raising."""
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        result = model(values, horizon, level)
    name = next((k for k, v in MODELS.items() if v is model), "model")
    caught.extend(
        f"{name} on {len(values)} points: {r.category.__name__}: {r.message}" for r in records
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
