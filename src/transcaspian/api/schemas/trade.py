"""Response models of the trade endpoints, each built from the service's result."""

from __future__ import annotations

from pydantic import BaseModel, Field

from transcaspian.domain.network import Source
from transcaspian.domain.trade import Disagreement, GoodsItem, TradeObservation
from transcaspian.services.analytics import (
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
    flow: str
    value_usd_m: float
    sources: list[str]
    reporter: str = Field(description="KZ, AZ or other (a medium naming no statistics office)")
    used: bool = Field(description="whether the annual analysis uses this value")
    note: str

    @classmethod
    def from_domain(cls, o: TradeObservation) -> ObservationOut:
        return cls(
            series_id=o.series_id,
            period=o.period.text,
            flow=o.flow.value,
            value_usd_m=o.value_usd_m,
            sources=list(o.sources),
            reporter=o.reporter.value,
            used=o.used,
            note=o.note,
        )


class GoodsOut(BaseModel):
    goods_id: str
    period: str
    direction: str
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
            direction=g.direction.value,
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
    """Every published value with its sources, the used annual series and the target paths."""

    points: int = Field(description="number of used annual values")
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
            points=s.points,
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
    held_out: int
    mape: float = Field(description="mean absolute percentage error; 0.25 = 25 %")
    mase: float = Field(description="mean absolute scaled error; below 1 beats in-sample naive")
    min_train: int
    errors: list[BacktestErrorOut]

    @classmethod
    def from_domain(cls, b: Backtest) -> BacktestOut:
        return cls(
            model=b.model,
            held_out=len(b.errors),
            mape=b.mape,
            mase=b.mase,
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
    """The forecast shown, the backtest of every model, and when the target is reached."""

    model: str
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
            model=p.model,
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
