"""The Trade page: Kazakhstan–Azerbaijan turnover by year with each bar's source, exports
against imports, the goods structure, the forecast fan with the path to the target, and the
backtest errors. Charts are Plotly figures embedded with ``web.charts`` (plotly.js served
locally); every figure's hover names its sources, and the tables link them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from transcaspian import __version__
from transcaspian.domain.network import CorridorNetwork
from transcaspian.domain.trade import PeriodKind, TradeFlow, TradeObservation
from transcaspian.services.analytics import (
    TradeBook,
    TradeForecast,
    TradeSummary,
    forecast_trade,
    read_trade_book,
    summarize_trade,
)
from transcaspian.web.assets import BUILD_HINT, STATIC_DIR, TEMPLATES_DIR, missing_vendor_assets
from transcaspian.web.charts import figure_html, plotly_script_tag
from transcaspian.web.navigation import NAVIGATION

__all__ = ["create_trade_router"]

_LAYOUT: dict[str, Any] = {
    "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
    "template": "plotly_white",
    "legend": {"orientation": "h", "y": -0.2},
}


def create_trade_router(static_dir: Path = STATIC_DIR) -> APIRouter:
    """The ``/trade`` page, reading the stored network of the app's platform."""
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    router = APIRouter(include_in_schema=False)

    @router.get("/trade", response_class=HTMLResponse)
    def trade_page(request: Request) -> HTMLResponse:
        network: CorridorNetwork = request.app.state.platform.network.get_network()
        book = read_trade_book(network)
        summary = summarize_trade(book)
        forecast = forecast_trade(book)
        return templates.TemplateResponse(
            request,
            "trade.html",
            {
                "navigation": NAVIGATION,
                "current_path": request.url.path,
                "missing_assets": missing_vendor_assets(static_dir),
                "build_hint": BUILD_HINT,
                "version": __version__,
                "page_title": "Trade",
                "plotly_script": plotly_script_tag(),
                "summary": summary,
                "forecast": forecast,
                "book": book,
                "charts": {
                    "turnover": figure_html(
                        _turnover_figure(summary), "turnover-chart", height_px=380
                    ),
                    "flows": figure_html(_flows_figure(book), "flows-chart", height_px=340),
                    "goods": figure_html(_goods_figure(book), "goods-chart", height_px=300),
                    "forecast": figure_html(
                        _forecast_figure(forecast), "forecast-chart", height_px=420
                    ),
                },
            },
        )

    return router


def _hover_sources(book: TradeBook, o: TradeObservation) -> str:
    names = []
    for source_id in o.sources:
        source = book.sources.get(source_id)
        names.append(
            f"{source.publisher or source.title} ({source.published or 'n.d.'})"
            if source
            else source_id
        )
    return "<br>".join(names)


def _turnover_figure(summary: TradeSummary) -> go.Figure:
    book = summary.book
    fig = go.Figure()
    fig.add_bar(
        x=[str(g.year) for g in summary.growth],
        y=[g.value_usd_m for g in summary.growth],
        name="used value",
        customdata=[
            [
                o.reporter.value,
                _hover_sources(book, o),
                "—" if g.growth is None else f"{g.growth:+.1%}",
            ]
            for g, o in zip(summary.growth, summary.annual, strict=True)
        ],
        hovertemplate="%{x}: %{y:,.1f} M USD (%{customdata[2]})<br>reporter %{customdata[0]}"
        "<br>%{customdata[1]}<extra></extra>",
    )
    others = [
        o
        for o in book.observations
        if not o.used and o.flow is TradeFlow.TURNOVER and o.period.kind is PeriodKind.YEAR
    ]
    fig.add_scatter(
        x=[o.period.text for o in others],
        y=[o.value_usd_m for o in others],
        mode="markers",
        marker={"symbol": "diamond-open", "size": 11},
        name="other published value",
        customdata=[[o.reporter.value, _hover_sources(book, o), o.note] for o in others],
        hovertemplate="%{x}: %{y:,.1f} M USD, reporter %{customdata[0]}<br>%{customdata[1]}"
        "<extra></extra>",
    )
    fig.update_layout(_LAYOUT, title="Turnover by year (million USD)", xaxis={"type": "category"})
    return fig


def _flows_figure(book: TradeBook) -> go.Figure:
    fig = go.Figure()
    for flow, label in (
        (TradeFlow.KZ_EXPORTS_TO_AZ, "Kazakh exports to Azerbaijan"),
        (TradeFlow.KZ_IMPORTS_FROM_AZ, "Kazakh imports from Azerbaijan"),
    ):
        rows = [o for o in book.observations if o.flow is flow]
        fig.add_bar(
            x=[f"{o.period.text} ({o.reporter.value})" for o in rows],
            y=[o.value_usd_m for o in rows],
            name=label,
            customdata=[[_hover_sources(book, o), o.note] for o in rows],
            hovertemplate="%{x}: %{y:,.1f} M USD<br>%{customdata[0]}<br>%{customdata[1]}"
            "<extra></extra>",
        )
    fig.update_layout(_LAYOUT, title="Exports vs imports (million USD)", barmode="group")
    return fig


def _goods_figure(book: TradeBook) -> go.Figure:
    items = [g for g in book.goods if g.growth_factor is not None]
    fig = go.Figure(
        go.Bar(
            x=[g.growth_factor for g in items],
            y=[f"{g.goods} ({g.period.text})" for g in items],
            orientation="h",
            customdata=[["; ".join(g.sources)] for g in items],
            hovertemplate="%{y}: ×%{x}<br>%{customdata[0]}<extra></extra>",
        )
    )
    fig.update_layout(_LAYOUT, title="Kazakh exports to Azerbaijan: growth factor y/y")
    return fig


def _forecast_figure(forecast: TradeForecast) -> go.Figure:
    f = forecast.primary
    years = [str(y) for y in f.years]
    fig = go.Figure()
    fig.add_scatter(
        x=[str(y) for y, _ in forecast.history],
        y=[v for _, v in forecast.history],
        mode="lines+markers",
        name="used annual turnover",
    )
    fig.add_scatter(x=years, y=f.upper, mode="lines", line={"width": 0}, showlegend=False)
    fig.add_scatter(
        x=years,
        y=f.lower,
        mode="lines",
        line={"width": 0},
        fill="tonexty",
        fillcolor="rgba(31,119,180,0.2)",
        name=f"{f.level:.0%} interval",
    )
    fig.add_scatter(x=years, y=f.median, mode="lines+markers", name=f"{f.model} median")
    if forecast.target_paths:
        path = forecast.target_paths[-1]
        fig.add_scatter(
            x=[str(y) for y, _ in path.path],
            y=[v for _, v in path.path],
            mode="lines",
            line={"dash": "dash"},
            name=f"path to target by {path.by_year} ({path.required_growth:+.1%}/yr)",
        )
    fig.add_hline(y=forecast.target_usd_m, line_dash="dot", annotation_text="target")
    if forecast.latest_partial is not None:
        p = forecast.latest_partial
        fig.add_scatter(
            x=[str(p.period.year)],
            y=[p.value_usd_m],
            mode="markers",
            marker={"symbol": "x", "size": 12},
            name=f"{p.period.text} only ({p.reporter.value})",
        )
    fig.update_layout(
        _LAYOUT, title="Forecast of annual turnover (million USD)", xaxis={"type": "category"}
    )
    return fig
