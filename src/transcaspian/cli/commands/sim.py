"""``transcaspian sim scenarios|run|compare|calibrate|report``: the capacity simulation."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column, Table

from transcaspian.settings import get_settings

if TYPE_CHECKING:  # pandas only for a type: importing it costs every command seconds
    import pandas as pd

    from transcaspian.bootstrap import Platform

app = typer.Typer(help="Simulate corridor capacity under demand scenarios.", no_args_is_help=True)
console = Console(highlight=False, emoji=False)


def _platform() -> Platform:
    from transcaspian.bootstrap import build_platform

    return build_platform(get_settings())


@app.command("scenarios")
def scenarios() -> None:
    """List the scenarios shipped with the package."""
    platform = _platform()
    table = Table("title", "extends", "flows", "interventions", "years")
    table.columns.insert(0, Column("id", no_wrap=True))
    for s in platform.simulations.scenarios():
        table.add_row(
            s.scenario_id,
            s.title,
            s.extends or "-",
            str(len(s.flows)),
            ", ".join(i.intervention_id for i in s.interventions) or "-",
            f"{min(s.years)}-{max(s.years)}",
        )
    console.print(table)


@app.command("run")
def run(
    scenario: str = typer.Argument(
        ..., help="a bundled scenario id, or a YAML file of yours (ends .yaml/.yml or has a /)"
    ),
    replications: int = typer.Option(20, "--replications", "-n", min=1, help="per year"),
    years: str = typer.Option("", "--years", help="comma-separated, e.g. 2024,2030"),
    scheduler: str = typer.Option(
        "local",
        "--scheduler",
        help="'local' (LocalCluster), 'synchronous' (this process) or tcp://host:8786",
    ),
    workers: int = typer.Option(2, "--workers", min=1, help="LocalCluster workers"),
    seed: int = typer.Option(2024, "--seed"),
    report: Path | None = typer.Option(None, "--report", help="write an HTML report here"),
) -> None:
    """Run N replications of each year of a scenario and store the results."""
    platform = _platform()
    chosen = [int(y) for y in years.split(",") if y.strip()] or None
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        task = bar.add_task(f"{scenario}: replication-years", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        done = platform.simulations.run(
            _scenario_argument(scenario),
            replications=replications,
            years=chosen,
            seed=seed,
            scheduler=scheduler,
            workers=workers,
            progress=progress,
        )
    console.print(
        f"run {done.run_id}: {done.scenario_id}, {done.replications} replications x "
        f"{len(done.years)} years on {done.workers} worker(s), {done.events:,} events; "
        f"results in {done.results_path}",
        markup=False,
    )
    _print_results(platform.simulations.results(done.run_id))
    if report is not None:
        _write_report(platform, done.run_id, report)


def _scenario_argument(scenario: str) -> str | Path:
    """A file on this machine (the operator's own) when it looks like one, else an id."""
    if scenario.endswith((".yaml", ".yml")) or "/" in scenario:
        return Path(scenario)
    return scenario


@app.command("compare")
def compare(
    base: str = typer.Argument(..., help="run id, or scenario id (its latest finished run)"),
    other: str = typer.Argument(..., help="run id, or scenario id (its latest finished run)"),
) -> None:
    """Transit times and waits of OTHER minus BASE, paired by replication, with 95 % CIs."""
    platform = _platform()
    a, b = _resolve(platform, base), _resolve(platform, other)
    effect = platform.simulations.compare(a, b)
    table = Table("year", "base mean (d)", "other mean (d)", "difference (d)", "95 % CI")
    table.columns.insert(1, Column("flow", no_wrap=True))
    for row in effect["transit"].to_dict("records"):
        table.add_row(
            str(row["year"]),
            str(row["flow"]),
            f"{row['mean_h_base'] / 24:.1f}",
            f"{row['mean_h_other'] / 24:.1f}",
            f"{row['mean_h_diff'] / 24:+.2f}",
            f"±{row['mean_h_diff_ci95'] / 24:.2f}",
        )
    console.print(f"{other} ({b}) minus {base} ({a})", markup=False)
    console.print(table)


@app.command("calibrate")
def calibrate(
    replications: int = typer.Option(20, "--replications", "-n", min=1),
    seed: int = typer.Option(2024, "--seed"),
    output: Path = typer.Option(Path("docs/calibration.md"), "--output", "-o"),
) -> None:
    """Run the baseline for the calibration year and write the calibration report."""
    platform = _platform()
    rows, text = platform.simulations.calibrate(replications=replications, seed=seed)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    table = Table("figure", "published", "model", "error", "band", "ok")
    for row in rows:
        table.add_row(
            row.target_id,
            f"{row.published:,.1f} {row.unit}",
            f"{row.model:,.1f}",
            f"{row.error:+.1%}",
            f"±{row.band:.0%}",
            "yes" if row.within_band else "NO",
        )
    console.print(table)
    console.print(f"wrote {output}", markup=False)
    if not all(r.within_band for r in rows):
        raise typer.Exit(1)


@app.command("report")
def report(
    run_id: str = typer.Argument(..., help="run id, or scenario id (its latest finished run)"),
    output: Path = typer.Option(Path("simulation-report.html"), "--output", "-o"),
) -> None:
    """Write a self-contained HTML report (Plotly charts, plotly.js inlined: works offline)."""
    platform = _platform()
    _write_report(platform, _resolve(platform, run_id), output)


def _resolve(platform: Platform, name: str) -> str:
    from transcaspian.domain.errors import NotFoundError

    latest = platform.simulations.latest_run(name)
    if latest is not None:
        return str(latest.run_id)
    try:
        return str(platform.simulations.get_run(name).run_id)
    except NotFoundError:
        raise NotFoundError(
            f"no run or finished run of scenario {name!r}; run `transcaspian sim run {name}`",
            field="run",
        ) from None


def _write_report(platform: Platform, run_id: str, output: Path) -> None:
    from transcaspian.web.simulation import render_report

    run = platform.simulations.get_run(run_id)
    html = render_report(run, platform.simulations.results(run_id))
    output.write_text(html, encoding="utf-8")
    console.print(f"wrote {output}", markup=False)


def _print_results(results: dict[str, pd.DataFrame]) -> None:
    transit = results["transit"]
    table = Table("year", "corridor", "delivered", "mean (d)", "P50 (d)", "P90 (d)")
    for row in transit.to_dict("records"):
        table.add_row(
            str(row["year"]),
            str(row["corridor"]),
            f"{row['delivered_units']:,.0f} {row['unit']}",
            f"{row['mean_h'] / 24:.1f} ± {row['mean_h_ci95'] / 24:.1f}",
            f"{row['p50_h'] / 24:.1f}",
            f"{row['p90_h'] / 24:.1f}",
        )
    console.print(table)
    ranked = results["bottlenecks"]
    last = ranked[ranked["year"] == ranked["year"].max()].head(5)
    table = Table("rank", "resource", "utilisation", "mean wait (h)", title="bottlenecks")
    for row in last.to_dict("records"):
        table.add_row(
            str(row["rank"]),
            str(row["resource"]),
            f"{row['utilisation']:.0%}",
            f"{row['mean_wait_h']:.1f}",
        )
    console.print(table)
