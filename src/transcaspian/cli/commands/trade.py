"""``transcaspian trade summary|forecast``: Kazakhstan–Azerbaijan trade, sourced and forecast.

Both read the trade tables of a dataset directory (the bundled one by default), so they work
without a database.
"""

from __future__ import annotations

import dataclasses
import json
import math
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from transcaspian.data.loader import read_dataset
from transcaspian.domain.trade import Reporter, label
from transcaspian.services.analytics import (
    DEFAULT_TARGET_USD_M,
    MODEL_LABELS,
    TradeBook,
    TradeForecast,
    TradeSummary,
    forecast_trade,
    read_trade_book,
    summarize_trade,
)
from transcaspian.settings import get_settings

app = typer.Typer(
    help="Kazakhstan–Azerbaijan trade: series, growth, forecast.", no_args_is_help=True
)
console = Console(highlight=False, emoji=False)

DATASET = typer.Option(None, "--dataset", help="dataset directory (default: bundled data)")
TARGET = typer.Option(DEFAULT_TARGET_USD_M, "--target", help="target turnover, million USD")
HORIZON = typer.Option(6, "--horizon", help="years ahead (1..20)")
JSON = typer.Option(False, "--json", help="print JSON instead of tables")
REPORTER = typer.Option(
    None,
    "--reporter",
    help="whose annual series: KZ or AZ (default: the one with the most years)",
    case_sensitive=False,
)


@app.command("summary")
def summary(
    dataset: Path | None = DATASET,
    target: float = TARGET,
    horizon: int = HORIZON,
    reporter: Reporter | None = REPORTER,
    as_json: bool = JSON,
) -> None:
    """Every published value with its source, one reporter's annual series, growth and target."""
    result = summarize_trade(
        _book(dataset), reporter=reporter, target_usd_m=target, horizon=horizon
    )
    if as_json:
        console.print_json(json.dumps(_plain(_summary_dict(result))))
        return
    _print_observations(result.book)
    _print_annual(result)
    _print_target(result)


@app.command("forecast")
def forecast(
    dataset: Path | None = DATASET,
    target: float = TARGET,
    horizon: int = HORIZON,
    level: float = typer.Option(0.8, "--level", help="prediction interval, e.g. 0.8 for 80 %"),
    reporter: Reporter | None = REPORTER,
    as_json: bool = JSON,
) -> None:
    """The backtest of every model and the forecast of the winner, with the target year."""
    result = forecast_trade(
        _book(dataset), reporter=reporter, target_usd_m=target, horizon=horizon, level=level
    )
    if as_json:
        console.print_json(json.dumps(_plain(result)))
        return
    _print_forecast(result)


# --- printing -----------------------------------------------------------------------------------


def _book(dataset: Path | None) -> TradeBook:
    return read_trade_book(read_dataset(dataset or get_settings().dataset_path))


def _print_observations(book: TradeBook) -> None:
    table = Table(title="Kazakhstan–Azerbaijan trade: every published value (million USD)")
    for column in ("period", "flow", "value", "reporter", "used", "source", "note"):
        table.add_column(column, overflow="fold")
    for o in sorted(book.observations, key=lambda o: o.period.sort_key):
        table.add_row(
            o.period.label,
            label(o.flow),
            f"{o.value_usd_m:,.1f}",
            label(o.reporter),
            "yes" if o.used else "",
            "; ".join(o.sources),
            o.note,
        )
    console.print(table)


def _print_annual(result: TradeSummary) -> None:
    gaps = f"; no value for {', '.join(map(str, result.gaps))}" if result.gaps else ""
    table = Table(title=f"Annual turnover, {label(result.reporter)} ({result.points} points{gaps})")
    for column in ("year", "value (million USD)", "growth", "reporter", "source"):
        table.add_column(column)
    for growth, o in zip(result.growth, result.annual, strict=True):
        table.add_row(
            str(growth.year),
            f"{growth.value_usd_m:,.1f}",
            _pct(growth.growth),
            label(o.reporter),
            "; ".join(o.sources),
        )
    console.print(table)
    first, last = result.cagr_years
    console.print(f"CAGR {first}–{last}: {_pct(result.cagr)} a year", markup=False)
    for d in result.disagreements:
        values = ", ".join(f"{o.value_usd_m:g} ({label(o.reporter)})" for o in d.observations)
        console.print(
            f"sources disagree on {d.period.label} {label(d.flow)}: {values}; "
            f"spread {_pct(d.spread)}",
            markup=False,
        )


def _print_target(result: TradeSummary) -> None:
    reach = result.trend_reaches_target_in
    console.print(
        f"At the {result.cagr_years[0]}–{result.cagr_years[1]} CAGR the turnover reaches "
        f"{result.target_usd_m:,.0f} million USD in {reach if reach else 'no year'}.",
        markup=False,
    )
    table = Table(title=f"Growth needed to reach {result.target_usd_m:,.0f} million USD")
    table.add_column("by year")
    table.add_column("growth a year")
    for path in result.target_paths:
        table.add_row(str(path.by_year), _pct(path.required_growth))
    console.print(table)
    if result.latest_partial is not None:
        p = result.latest_partial
        console.print(
            f"Latest partial year: {p.period.label} {p.value_usd_m:,.1f} ({label(p.reporter)}; "
            f"{'; '.join(p.sources)})",
            markup=False,
        )


def _print_forecast(result: TradeForecast) -> None:
    f = result.primary
    table = Table(
        title=f"Turnover forecast, {label(result.reporter)}, {MODEL_LABELS[f.model]}, "
        f"{f.level:.0%} interval (from {result.points} annual points — wide by necessity)"
    )
    for column in ("year", "lower", "median", "upper"):
        table.add_column(column, justify="right")
    for year, low, mid, high in zip(f.years, f.lower, f.median, f.upper, strict=True):
        table.add_row(str(year), _num(low), _num(mid), _num(high))
    console.print(table)
    bt = Table(title="Rolling-origin backtest, one year ahead")
    for column in ("model", "held-out years", "MAPE", "MASE", "forecast vs actual"):
        bt.add_column(column)
    for b in result.backtests:
        name = MODEL_LABELS[b.model] + (" (shown)" if b.model == f.model else "")
        if not b.scored:
            bt.add_row(name, "0", "—", "—", f"not applicable: {b.skipped}")
            continue
        bt.add_row(
            name,
            str(len(b.errors)),
            f"{b.mape:.1%}",
            f"{b.mase:.2f}",
            "; ".join(f"{e.year}: {e.forecast:,.0f} vs {e.actual:,.0f}" for e in b.errors),
        )
    console.print(bt)
    console.print(f"Shown: {result.chosen_by}.", markup=False)
    console.print(
        f"Target {result.target_usd_m:,.0f} million USD: median reaches it in "
        f"{result.median_reaches_target_in or 'no year of the horizon'}; the interval's upper "
        f"bound in {result.upper_reaches_target_in or 'no year'}, its lower bound in "
        f"{result.lower_reaches_target_in or 'no year of the horizon'}.",
        markup=False,
    )
    if result.latest_partial is not None:
        p = result.latest_partial
        console.print(
            f"Check: {p.period.label} already {p.value_usd_m:,.1f} ({label(p.reporter)}, "
            f"{'; '.join(p.sources)}).",
            markup=False,
        )
    for message in result.warnings:
        console.print(f"model warning: {message}", markup=False)


def _summary_dict(result: TradeSummary) -> dict[str, Any]:
    data = {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}
    data["observations"] = data["book"].observations
    data["goods"] = data["book"].goods
    data["sources"] = dict(data.pop("book").sources)
    return data


def _plain(value: Any) -> Any:
    """Dataclasses, enums and tuples as JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if hasattr(value, "text") and "kind" in data:  # a Period reads best as its text
            return value.text
        return data
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None  # a score of a model that could not be backtested
    return value


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1%}"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"
