"""Kazakhstan–Azerbaijan trade: the sourced series and the forecast with its backtest."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from transcaspian.api.deps import NetworkDep
from transcaspian.api.problems import problem_responses
from transcaspian.api.schemas.trade import TradeForecastOut, TradeSeriesOut
from transcaspian.domain.trade import Reporter
from transcaspian.services.analytics import (
    DEFAULT_TARGET_USD_M,
    forecast_trade,
    read_trade_book,
    summarize_trade,
)

router = APIRouter(prefix="/trade", tags=["trade"], responses=problem_responses(404, 422))

Target = Annotated[
    float, Query(gt=0, description="target annual turnover, million USD (1 bn = 1000)")
]
Horizon = Annotated[int, Query(ge=1, le=20, description="years ahead")]
ReporterQuery = Annotated[
    Reporter | None,
    Query(description="whose annual series: KZ or AZ (default: the one with the most years)"),
]


@router.get("/series", response_model=TradeSeriesOut, summary="Trade series with sources")
def get_series(
    network: NetworkDep,
    target: Target = DEFAULT_TARGET_USD_M,
    horizon: Horizon = 6,
    reporter: ReporterQuery = None,
) -> TradeSeriesOut:
    """Every published Kazakhstan–Azerbaijan trade value with its sources (disagreeing versions
    side by side), one reporting country's used annual turnover (mirror statistics are separate
    series), growth rates and the growth needed for the target."""
    summary = summarize_trade(
        read_trade_book(network), reporter=reporter, target_usd_m=target, horizon=horizon
    )
    return TradeSeriesOut.from_domain(summary)


@router.get("/forecast", response_model=TradeForecastOut, summary="Turnover forecast")
def get_forecast(
    network: NetworkDep,
    target: Target = DEFAULT_TARGET_USD_M,
    horizon: Horizon = 6,
    level: Annotated[float, Query(gt=0, lt=1, description="interval, 0.8 = 80 %")] = 0.8,
    reporter: ReporterQuery = None,
) -> TradeForecastOut:
    """Annual turnover forecast of one reporting country's series: the rolling-origin backtest
    of every model (naive, drift, theta on log values) on the same held-out years, and the
    forecast of the winner (lowest MAPE) with its prediction interval and the target year."""
    result = forecast_trade(
        read_trade_book(network),
        reporter=reporter,
        target_usd_m=target,
        horizon=horizon,
        level=level,
    )
    return TradeForecastOut.from_domain(result)
