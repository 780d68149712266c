"""Response models of the trade endpoints, each built from the service's result."""

from __future__ import annotations

from pydantic import BaseModel, Field

from transcaspian.domain.network import Source
from transcaspian.domain.trade import Disagreement, GoodsItem, TradeObservation, label
from transcaspian.services.analytics import (
    MODEL_LABELS,
    Backtest,
    TargetPath,
    TradeForecast,
    TradeSummary,
)

__all__ = ["TradeForecastOut", "TradeSeriesOut"]


class TradeSourceOut(BaseModel):
    source_id: str
    kind: str
    title: str
    publisher: str
    url: str
    published: str
    reliability: str

    @classmethod
    def from_domain(cls, source: Source) -> TradeSourceOut:
        return cls(
            source_id=source.source_id,
            kind=source.kind.value,
            title=source.title,
            publisher=source.publisher,
            url=source.url,
            published=source.published,
            reliability=source.reliability,
        )


class ObservationOut(BaseModel):
    series_id: str
    period: str = Field(description="YYYY, YYYY-H1, YYYY-MM..MM, YYYY-ytd or unstated")
    period_label: str = Field(description="the period in words, e.g. 'Jan–Jul 2025'")
    flow: str
    flow_label: str
    value_usd_m: float
    sources: list[str]
    reporter: str = Field(description="KZ, AZ or other (a medium naming no statistics office)")
    reporter_label: str
    used: bool = Field(description="whether the reporter's annual series uses this value")
    note: str

    @classmethod
    def from_domain(cls, o: TradeObservation) -> ObservationOut:
        return cls(
            series_id=o.series_id,
            period=o.period.text,
            period_label=o.period.label,
            flow=o.flow.value,
            flow_label=label(o.flow),
            value_usd_m=o.value_usd_m,
            sources=list(o.sources),
            reporter=o.reporter.value,
            reporter_label=label(o.reporter),
            used=o.used,
            note=o.note,
        )


class GoodsOut(BaseModel):
    goods_id: str
    period: str
    period_label: str
    direction: str
    direction_label: str
    goods: str
    value_usd_m: float | None
    change_usd_m: float | None
    growth_factor: float | None
    mass_kt: float | None
    sources: list[str]
    note: str

    @classmethod
    def from_domain(cls, g: GoodsItem) -> GoodsOut:
        return cls(
            goods_id=g.goods_id,
            period=g.period.text,
            period_label=g.period.label,
            direction=g.direction.value,
            direction_label=label(g.direction),
            goods=g.goods,
            value_usd_m=g.value_usd_m,
            change_usd_m=g.change_usd_m,
            growth_factor=g.growth_factor,
            mass_kt=g.mass_kt,
            sources=list(g.sources),
            note=g.note,
        )


class AnnualOut(BaseModel):
    year: int
    value_usd_m: float
    growth: float | None = Field(description="over the year before; 0.15 = +15 %")
    series_id: str
    reporter: str
    sources: list[str]


class DisagreementOut(BaseModel):
    period: str
    flow: str
    series_ids: list[str]
    values_usd_m: list[float]
    spread: float = Field(description="(highest - lowest) / lowest")

    @classmethod
    def from_domain(cls, d: Disagreement) -> DisagreementOut:
        return cls(
            period=d.period.text,
            flow=d.flow.value,
            series_ids=[o.series_id for o in d.observations],
            values_usd_m=[o.value_usd_m for o in d.observations],
            spread=d.spread,
        )


class TargetPathOut(BaseModel):
    by_year: int
    required_growth: float = Field(description="a year; 0.3 = +30 %")
    path: list[tuple[int, float]]

    @classmethod
    def from_domain(cls, p: TargetPath) -> TargetPathOut:
        return cls(by_year=p.by_year, required_growth=p.required_growth, path=list(p.path))


class TradeSeriesOut(BaseModel):
    """Every published value with its sources, one reporter's used annual series and the target
    paths."""

    reporter: str = Field(description="whose annual series (KZ or AZ); mirror series are apart")
    reporter_label: str
    reporters: list[str] = Field(description="reporters with an annual series, most years first")
    points: int = Field(description="number of used annual values of this reporter")
    gaps: list[int] = Field(description="years inside the series without a value")
    annual: list[AnnualOut]
    cagr: float
    cagr_years: tuple[int, int]
    target_usd_m: float
    trend_reaches_target_in: int | None
    target_paths: list[TargetPathOut]
    disagreements: list[DisagreementOut]
    latest_partial: ObservationOut | None
    observations: list[ObservationOut]
    goods: list[GoodsOut]
    sources: dict[str, TradeSourceOut]

    @classmethod
    def from_domain(cls, s: TradeSummary) -> TradeSeriesOut:
        return cls(
            reporter=s.reporter.value,
            reporter_label=label(s.reporter),
            reporters=[r.value for r in s.book.reporters()],
            points=s.points,
            gaps=list(s.gaps),
            annual=[
                AnnualOut(
                    year=g.year,
                    value_usd_m=g.value_usd_m,
                    growth=g.growth,
                    series_id=o.series_id,
                    reporter=o.reporter.value,
                    sources=list(o.sources),
                )
                for g, o in zip(s.growth, s.annual, strict=True)
            ],
            cagr=s.cagr,
            cagr_years=s.cagr_years,
            target_usd_m=s.target_usd_m,
            trend_reaches_target_in=s.trend_reaches_target_in,
            target_paths=[TargetPathOut.from_domain(p) for p in s.target_paths],
            disagreements=[DisagreementOut.from_domain(d) for d in s.disagreements],
            latest_partial=ObservationOut.from_domain(s.latest_partial)
            if s.latest_partial
            else None,
            observations=[ObservationOut.from_domain(o) for o in s.book.observations],
            goods=[GoodsOut.from_domain(g) for g in s.book.goods],
            sources={k: TradeSourceOut.from_domain(v) for k, v in s.book.sources.items()},
        )


class BacktestErrorOut(BaseModel):
    origin: int
    year: int
    actual: float
    forecast: float
    ape: float


class BacktestOut(BaseModel):
    model: str
    model_label: str
    scored: bool = Field(description="false when the model cannot be fitted (see skipped)")
    skipped: str = Field(description="why the model could not be backtested, or empty")
    held_out: int
    mape: float | None = Field(description="mean absolute percentage error; 0.25 = 25 %")
    mase: float | None = Field(description="mean absolute scaled error; below 1 beats naive")
    min_train: int
    errors: list[BacktestErrorOut]

    @classmethod
    def from_domain(cls, b: Backtest) -> BacktestOut:
        return cls(
            model=b.model,
            model_label=MODEL_LABELS[b.model],
            scored=b.scored,
            skipped=b.skipped,
            held_out=len(b.errors),
            mape=b.mape if b.scored else None,
            mase=b.mase if b.scored else None,
            min_train=b.min_train,
            errors=[
                BacktestErrorOut(
                    origin=e.origin, year=e.year, actual=e.actual, forecast=e.forecast, ape=e.ape
                )
                for e in b.errors
            ],
        )


class ForecastYearOut(BaseModel):
    year: int
    lower: float | None
    median: float
    upper: float | None


class TradeForecastOut(BaseModel):
    """The forecast shown (the backtest's winner), every model's backtest, and when the target
    is reached."""

    reporter: str = Field(description="whose annual series was forecast (KZ or AZ)")
    reporter_label: str
    model: str = Field(description="the model with the lowest backtest MAPE")
    model_label: str
    chosen_by: str = Field(description="why this model is the one shown")
    held_out: list[int] = Field(description="the held-out years every model was scored on")
    level: float
    points: int = Field(description="annual values the models were fitted on")
    history: list[tuple[int, float]]
    forecast: list[ForecastYearOut]
    backtests: list[BacktestOut]
    target_usd_m: float
    median_reaches_target_in: int | None
    upper_reaches_target_in: int | None
    lower_reaches_target_in: int | None
    target_paths: list[TargetPathOut]
    latest_partial: ObservationOut | None
    warnings: list[str] = Field(description="what statsmodels warned while fitting")

    @classmethod
    def from_domain(cls, f: TradeForecast) -> TradeForecastOut:
        p = f.primary
        return cls(
            reporter=f.reporter.value,
            reporter_label=label(f.reporter),
            model=p.model,
            model_label=MODEL_LABELS[p.model],
            chosen_by=f.chosen_by,
            held_out=list(f.held_out),
            level=p.level,
            points=f.points,
            history=list(f.history),
            forecast=[
                ForecastYearOut(year=y, lower=lo, median=m, upper=hi)
                for y, lo, m, hi in zip(p.years, p.lower, p.median, p.upper, strict=True)
            ],
            backtests=[BacktestOut.from_domain(b) for b in f.backtests],
            target_usd_m=f.target_usd_m,
            median_reaches_target_in=f.median_reaches_target_in,
            upper_reaches_target_in=f.upper_reaches_target_in,
            lower_reaches_target_in=f.lower_reaches_target_in,
            target_paths=[TargetPathOut.from_domain(t) for t in f.target_paths],
            latest_partial=ObservationOut.from_domain(f.latest_partial)
            if f.latest_partial
            else None,
            warnings=list(f.warnings),
        )
