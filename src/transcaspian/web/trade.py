"""The Trade page: Kazakhstan–Azerbaijan turnover by year, one line per reporting country (mirror
statistics apart), exports against imports grouped by period and reporter, the goods structure,
the forecast of the model that won the backtest with its error, and every value's source.

Charts are Plotly figures embedded with ``web.charts`` (plotly.js served locally). Users read
words, never codes: flows, directions and reporters through ``domain.trade.LABELS``, periods
through ``Period.label``, sources by publisher and date.

The page depends only on the stored network, so its context (the analysis and the figures'
HTML) is built once per network the store hands out (the network service returns the same
object until the dataset changes) and kept for the process.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from transcaspian import __version__
from transcaspian.domain.network import CorridorNetwork
from transcaspian.domain.trade import (
    PeriodKind,
    Reporter,
    TradeFlow,
    TradeObservation,
    label,
)
from transcaspian.services.analytics import (
    MODEL_LABELS,
    FlowGroup,
    TradeBook,
    TradeForecast,
    flow_groups,
    forecast_trade,
    read_trade_book,
    summarize_trade,
)
from transcaspian.web.assets import BUILD_HINT, STATIC_DIR, TEMPLATES_DIR, missing_vendor_assets
from transcaspian.web.charts import figure_html, plotly_script_tag
from transcaspian.web.navigation import NAVIGATION

__all__ = [
    "create_trade_router",
    "flows_figure",
    "forecast_figure",
    "goods_figure",
    "source_label",
    "trade_context",
    "turnover_figure",
]

# No named template: resolving one (plotly_white) deep-copies its defaults for every trace type
# and imports their validators, which cost seconds on the first request and ~0.4 s on each
# later figure set; these few settings give the same white look.
_GRID = {"gridcolor": "#ebf0f8", "zerolinecolor": "#ebf0f8", "automargin": True}
_LAYOUT: dict[str, Any] = {
    "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "yaxis": _GRID,
    "legend": {"orientation": "h", "y": -0.2},
}
_COLOURS = {Reporter.KZ: "#1f77b4", Reporter.AZ: "#d62728", Reporter.OTHER: "#7f7f7f"}


def create_trade_router(static_dir: Path = STATIC_DIR) -> APIRouter:
    """The ``/trade`` page, reading the stored network of the app's platform."""
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    router = APIRouter(include_in_schema=False)
    lock = threading.Lock()
    cached: list[tuple[CorridorNetwork, dict[str, Any]]] = []  # at most one entry

    def context_for(network: CorridorNetwork) -> dict[str, Any]:
        with lock:
            if cached and cached[0][0] is network:
                return cached[0][1]
            context = trade_context(network)
            cached[:] = [(network, context)]
            return context

    @router.get("/trade", response_class=HTMLResponse)
    def trade_page(request: Request) -> HTMLResponse:
        network: CorridorNetwork = request.app.state.platform.network.get_network()
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
                **context_for(network),
            },
        )

    return router


def trade_context(network: CorridorNetwork) -> dict[str, Any]:
    """Everything the template needs that depends on the network: the analysis, the figures'
    HTML and the label helpers."""
    book = read_trade_book(network)
    summary = summarize_trade(book)
    forecast = forecast_trade(book)
    return {
        "summary": summary,
        "forecast": forecast,
        "book": book,
        "label": label,
        "model_label": MODEL_LABELS.__getitem__,
        "source_label": lambda source_id: source_label(book, source_id),
        "seed_observations": [
            o for o in book.observations if "trade-seed-2025-10-dayaz-mambetali" in o.sources
        ],
        "charts": {
            "turnover": figure_html(turnover_figure(book), "turnover-chart", height_px=380),
            "flows": figure_html(flows_figure(book), "flows-chart", height_px=360),
            "goods": figure_html(goods_figure(book), "goods-chart", height_px=300),
            "forecast": figure_html(forecast_figure(forecast), "forecast-chart", height_px=420),
        },
    }


def source_label(book: TradeBook, source_id: str) -> str:
    """A source as users read it: publisher (or title) and date."""
    source = book.sources.get(source_id)
    if source is None:
        return "unknown source"
    return f"{source.publisher or source.title} ({source.published or 'n.d.'})"


def _hover_sources(book: TradeBook, o: TradeObservation) -> str:
    return "<br>".join(source_label(book, s) for s in o.sources)


def turnover_figure(book: TradeBook) -> go.Figure:
    """Annual turnover: one line per reporting country through its used values (a missing year
    breaks the line), other published annual values as open markers in the reporter's colour.
    The year axis runs in ascending order."""
    annual = [
        o
        for o in book.observations
        if o.flow is TradeFlow.TURNOVER and o.period.kind is PeriodKind.YEAR
    ]
    years = sorted({o.period.year for o in annual if o.period.year is not None})
    fig = go.Figure()
    for reporter in book.reporters():
        used = {o.period.year: o for o in book.annual(reporter) if o.period.year is not None}
        first, last = min(used), max(used)
        span = [y for y in years if first <= y <= last]
        fig.add_scatter(
            x=[str(y) for y in span],
            y=[used[y].value_usd_m if y in used else None for y in span],
            mode="lines+markers",
            connectgaps=False,
            line={"color": _COLOURS[reporter]},
            name=f"used: {label(reporter)}",
            customdata=[[_hover_sources(book, used[y]) if y in used else "no value"] for y in span],
            hovertemplate="%{x}: %{y:,.1f} M USD<br>%{customdata[0]}<extra>"
            + label(reporter)
            + "</extra>",
        )
    for reporter in Reporter:
        others = sorted(
            (o for o in annual if not o.used and o.reporter is reporter),
            key=lambda o: o.period.sort_key,
        )
        if not others:
            continue
        fig.add_scatter(
            x=[o.period.label for o in others],
            y=[o.value_usd_m for o in others],
            mode="markers",
            marker={"symbol": "diamond-open", "size": 11, "color": _COLOURS[reporter]},
            name=f"other published value: {label(reporter)}",
            customdata=[[_hover_sources(book, o), o.note] for o in others],
            hovertemplate="%{x}: %{y:,.1f} M USD<br>%{customdata[0]}<br>%{customdata[1]}"
            "<extra></extra>",
        )
    fig.update_layout(
        _LAYOUT,
        title="Turnover by year (million USD), one line per reporting country",
        xaxis={
            **_GRID,
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [str(y) for y in years],
        },
    )
    return fig


def _group_label(group: FlowGroup) -> str:
    return f"{group.period.label}<br>{label(group.reporter)}"


def flows_figure(book: TradeBook) -> go.Figure:
    """Exports against imports: each bar group is one period as one reporter published it, in
    chronological order; a half year never stands in a group with a whole year."""
    groups = flow_groups(book)
    fig = go.Figure()
    for flow, attribute in (
        (TradeFlow.KZ_EXPORTS_TO_AZ, "exports"),
        (TradeFlow.KZ_IMPORTS_FROM_AZ, "imports"),
    ):
        present: Sequence[tuple[FlowGroup, TradeObservation]] = [
            (g, o) for g in groups if (o := getattr(g, attribute)) is not None
        ]
        fig.add_bar(
            x=[_group_label(g) for g, _ in present],
            y=[o.value_usd_m for _, o in present],
            name=label(flow),
            customdata=[
                [g.period.label, label(g.reporter), _hover_sources(book, o), o.note]
                for g, o in present
            ],
            hovertemplate="%{customdata[0]}, %{customdata[1]}: %{y:,.1f} M USD"
            "<br>%{customdata[2]}<br>%{customdata[3]}<extra></extra>",
        )
    fig.update_layout(
        _LAYOUT,
        title="Exports and imports by period and reporting country (million USD)",
        barmode="group",
        xaxis={
            **_GRID,
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [_group_label(g) for g in groups],
        },
    )
    return fig


def goods_figure(book: TradeBook) -> go.Figure:
    """Growth factors of Kazakh exports by goods, with the period in words."""
    items = [g for g in book.goods if g.growth_factor is not None]
    fig = go.Figure(
        go.Bar(
            x=[g.growth_factor for g in items],
            y=[f"{g.goods} ({g.period.label})" for g in items],
            orientation="h",
            customdata=[["<br>".join(source_label(book, s) for s in g.sources)] for g in items],
            hovertemplate="%{y}: ×%{x}<br>%{customdata[0]}<extra></extra>",
        )
    )
    fig.update_layout(_LAYOUT, title="Kazakh exports to Azerbaijan: growth factor y/y")
    return fig


def forecast_figure(forecast: TradeForecast) -> go.Figure:
    """The reporter's used annual turnover, the winning model's median and interval, the path
    to the target and the reporter's latest partial-year figure."""
    f = forecast.primary
    history_years = [y for y, _ in forecast.history]
    all_years = list(range(history_years[0], f.years[-1] + 1))
    values = dict(forecast.history)
    years = [str(y) for y in f.years]
    who = label(forecast.reporter)
    fig = go.Figure()
    fig.add_scatter(
        x=[str(y) for y in range(history_years[0], history_years[-1] + 1)],
        y=[values.get(y) for y in range(history_years[0], history_years[-1] + 1)],
        mode="lines+markers",
        connectgaps=False,
        name=f"used annual turnover: {who}",
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
    fig.add_scatter(
        x=years, y=f.median, mode="lines+markers", name=f"{MODEL_LABELS[f.model]}: median"
    )
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
            name=f"{p.period.label} only ({label(p.reporter)})",
        )
    fig.update_layout(
        _LAYOUT,
        title=f"Forecast of annual turnover, {who} (million USD)",
        xaxis={
            **_GRID,
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [str(y) for y in all_years],
        },
    )
    return fig
