"""The Simulation page and the stand-alone HTML report of a run: transit-time distributions per
corridor, throughput by node and year, utilisation, waiting times, bottlenecks ranked.

Charts are Plotly figures embedded with ``web.charts``: the page loads plotly.js from the app
(``/static/plotly/plotly.min.js``); the report file inlines it, so it opens offline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from transcaspian import __version__
from transcaspian.domain.errors import DomainError
from transcaspian.services.simulation import RunStatus, SimulationRun, SimulationService
from transcaspian.web.assets import BUILD_HINT, STATIC_DIR, TEMPLATES_DIR, missing_vendor_assets
from transcaspian.web.charts import figure_html, plotly_js_path, plotly_script_tag
from transcaspian.web.navigation import NAVIGATION

__all__ = ["create_simulation_router", "render_report", "run_figures"]

_LAYOUT: dict[str, Any] = {
    "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
    "template": "plotly_white",
    "legend": {"orientation": "h", "y": -0.25},
}


def create_simulation_router(static_dir: Path = STATIC_DIR) -> APIRouter:
    """The ``/simulation`` dashboard: the stored runs and the charts of one (``?run=ID``)."""
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    router = APIRouter(include_in_schema=False)

    @router.get("/simulation", response_class=HTMLResponse)
    def simulation_page(request: Request, run: str | None = None) -> HTMLResponse:
        service: SimulationService = request.app.state.platform.simulations
        runs = service.find_runs()
        done = [r for r in runs if r.status is RunStatus.DONE]
        chosen = next((r for r in runs if r.run_id == run), done[0] if done else None)
        charts: dict[str, str] = {}
        tables: dict[str, list[dict[str, Any]]] = {}
        problem = ""
        if chosen is not None and chosen.status is RunStatus.DONE:
            try:
                results = service.results(chosen.run_id)
                charts = {
                    k: figure_html(f, f"sim-{k}", height_px=380)
                    for k, f in run_figures(results).items()
                }
                tables = _tables(results)
            except DomainError as error:
                problem = error.message
        return templates.TemplateResponse(
            request,
            "simulation.html",
            {
                "navigation": NAVIGATION,
                "current_path": request.url.path,
                "missing_assets": missing_vendor_assets(static_dir),
                "build_hint": BUILD_HINT,
                "version": __version__,
                "page_title": "Simulation",
                "plotly_script": plotly_script_tag(),
                "runs": runs,
                "run": chosen,
                "charts": charts,
                "tables": tables,
                "problem": problem,
                "scenarios": service.scenarios(),
            },
        )

    return router


def render_report(run: SimulationRun, results: dict[str, pd.DataFrame]) -> str:
    """A self-contained HTML report of a finished run (plotly.js inlined: no network needed)."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(["html"])
    )
    template = environment.get_template("simulation_report.html")
    charts = {k: figure_html(f, f"sim-{k}", height_px=380) for k, f in run_figures(results).items()}
    return template.render(
        run=run,
        charts=charts,
        tables=_tables(results),
        plotly_js=plotly_js_path().read_text(encoding="utf-8"),
        version=__version__,
    )


def run_figures(results: dict[str, pd.DataFrame]) -> dict[str, go.Figure]:
    """The charts of a run: transit distributions, throughput, utilisation, waits."""
    return {
        "transit": _transit_figure(results["samples"], results["transit"]),
        "throughput": _throughput_figure(results["throughput"]),
        "utilisation": _utilisation_figure(results["resources"]),
        "waits": _waits_figure(results["queues"]),
    }


def _transit_figure(samples: pd.DataFrame, transit: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    corridors = dict(zip(transit["flow"], transit["corridor"], strict=False))
    last = samples["year"].max() if not samples.empty else None
    for flow, rows in samples[samples["year"] == last].groupby("flow", sort=True):
        fig.add_box(
            y=rows["transit_h"] / 24,
            name=str(corridors.get(flow, flow)),
            boxpoints=False,
            hovertemplate="%{y:.1f} days<extra></extra>",
        )
    fig.update_layout(
        title=f"End-to-end transit time per corridor, {last} (days)",
        yaxis_title="days",
        showlegend=False,
        **_LAYOUT,
    )
    return fig


def _throughput_figure(throughput: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    lines = throughput[throughput["node"].str.startswith("ferry:")]
    for (node, unit), rows in lines.groupby(["node", "unit"], sort=True):
        fig.add_scatter(
            x=rows["year"],
            y=rows["units"],
            error_y={"type": "data", "array": rows["units_ci95"]},
            mode="lines+markers",
            name=f"{str(node).removeprefix('ferry:')} ({unit})",
            hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
        )
    fig.update_layout(title="Units carried across the sea by line and year", **_LAYOUT)
    return fig


def _utilisation_figure(resources: pd.DataFrame) -> go.Figure:
    table = resources.pivot_table(index="resource", columns="year", values="utilisation")
    fig = go.Figure(
        go.Heatmap(
            z=table.values,
            x=[str(c) for c in table.columns],
            y=list(table.index),
            zmin=0,
            zmax=1,
            colorscale="YlOrRd",
            hovertemplate="%{y} in %{x}: %{z:.0%}<extra></extra>",
        )
    )
    fig.update_layout(title="Utilisation by resource and year", **_LAYOUT)
    return fig


def _waits_figure(queues: pd.DataFrame) -> go.Figure:
    last = queues["year"].max()
    rows = queues[(queues["year"] == last) & (queues["departures"] > 0)].sort_values(
        "mean_wait_h", ascending=False
    )
    fig = go.Figure()
    for column, name in (("mean_wait_h", "mean"), ("p50_wait_h", "P50"), ("p90_wait_h", "P90")):
        fig.add_bar(x=rows["queue"], y=rows[column], name=name)
    fig.update_layout(
        title=f"Waiting time in each queue, {last} (hours)",
        barmode="group",
        yaxis_title="hours",
        **_LAYOUT,
    )
    return fig


def _tables(results: dict[str, pd.DataFrame]) -> dict[str, list[dict[str, Any]]]:
    ranked = results["bottlenecks"]
    transit = results["transit"].copy()
    for column in ("mean_h", "p50_h", "p90_h", "mean_h_ci95"):
        transit[column.replace("_h", "_d")] = transit[column] / 24
    queues = results["queues"]
    return {
        "bottlenecks": ranked[ranked["year"] == ranked["year"].max()].head(10).to_dict("records"),
        "transit": transit.to_dict("records"),
        "queues": queues[queues["year"] == queues["year"].max()].to_dict("records"),
    }
