"""``transcaspian routes plan FROM TO``: plan a consignment over the stored corridor network."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from transcaspian.domain.routing import Itinerary, RoutePlan
from transcaspian.services.planning import parse_cargo
from transcaspian.settings import get_settings

app = typer.Typer(help="Plan routes over the corridor network.", no_args_is_help=True)
console = Console(highlight=False, emoji=False, width=160)


@app.command("plan")
def plan(
    origin: str = typer.Argument(..., help="origin location id, e.g. CNXIA"),
    destination: str = typer.Argument(..., help="destination location id, e.g. DEDUI"),
    ready_on: str = typer.Option(..., "--ready-on", help="cargo ready, YYYY-MM-DD (00:00 UTC)"),
    cargo: str = typer.Option(
        "1x40ft,20t", "--cargo", help="containers and mass: 1x40ft,20t or 2x20ft,30t"
    ),
    corridor: list[str] = typer.Option([], "--corridor", help="middle, northern or suez"),
    avoid_country: list[str] = typer.Option([], "--avoid-country", help="ISO alpha-2 code"),
    avoid_mode: list[str] = typer.Option([], "--avoid-mode", help="rail, road, ferry or sea"),
    latest_arrival_on: str | None = typer.Option(None, help="P50 arrival by YYYY-MM-DD"),
    max_transfers: int | None = typer.Option(None, help="at most this many changes of vehicle"),
    samples: int = typer.Option(1000, help="Monte Carlo samples for P50/P90"),
    seed: int = typer.Option(0, help="seed of the Monte Carlo samples"),
    as_json: bool = typer.Option(False, "--json", help="print the API's JSON instead of tables"),
) -> None:
    """Options by corridor, ranked by P50 arrival: transit, cost, CO2e and the legs of each."""
    from transcaspian.bootstrap import build_platform

    spec = parse_cargo(cargo)
    platform = build_platform(get_settings())
    try:
        network, _, _ = platform.planning.compiled()
        result = platform.planning.plan_itineraries(
            origin=origin,
            destination=destination,
            ready_on=ready_on,
            cargo=spec,
            corridors=corridor or None,
            avoid_countries=avoid_country,
            avoid_modes=avoid_mode,
            latest_arrival_on=latest_arrival_on,
            max_transfers=max_transfers,
            samples=samples,
            seed=seed,
        )
    finally:
        platform.engine.dispose()
    if as_json:
        from transcaspian.api.schemas.planning import RouteSearchOut

        body = RouteSearchOut.from_domain(result, network).model_dump(mode="json")
        typer.echo(json.dumps(body, ensure_ascii=False, indent=2))
        return
    _print_plan(result)


def _print_plan(result: RoutePlan) -> None:
    request = result.request
    table = Table(
        "#",
        "corridor",
        "via",
        "P50 days",
        "P90 days",
        "P50 arrival",
        "miss %",
        "cost USD",
        "CO2e t",
        "transfers",
        title=f"{request.origin} → {request.destination}, ready {request.ready_at:%Y-%m-%d}",
    )
    for option in result.itineraries:
        table.add_row(
            str(option.rank),
            str(option.corridor or ""),
            ", ".join(option.via) or "direct",
            f"{option.p50_transit.total_seconds() / 86400:.1f}",
            f"{option.p90_transit.total_seconds() / 86400:.1f}",
            f"{option.p50_arrival_at:%Y-%m-%d}",
            f"{option.miss_probability * 100:.0f}",
            _cost(option),
            f"{option.co2e_kg / 1000:.2f}",
            str(option.transfers),
        )
    console.print(table)
    for option in result.itineraries:
        console.print(_legs(option))
    if result.corridors_without_route:
        names = ", ".join(str(c) for c in result.corridors_without_route)
        console.print(f"no route in the data by: {names}", markup=False)
    for note in result.notes:
        console.print(f"note: {note}", markup=False)
    console.print(f"emissions: {result.emission_method}; {result.glec_version}", markup=False)


def _cost(option: Itinerary) -> str:
    if option.cost_usd == 0 and option.unpriced_leg_ids:
        return "no tariff"
    text = f"{option.cost_usd:,.0f}"
    return text if option.is_cost_complete else f"≥ {text}"


def _legs(option: Itinerary) -> Table:
    table = Table(
        "from",
        "to",
        "mode",
        "service / departure",
        "departs (UTC)",
        "arrives (UTC)",
        "wait h",
        "dwell",
        "cost USD",
        "CO2e kg",
        title=f"option {option.rank} ({option.corridor})",
        title_justify="left",
    )
    for leg in option.legs:
        dwell = ", ".join(str(a) for a in leg.handling.activities)
        table.add_row(
            leg.origin,
            leg.destination,
            str(leg.mode),
            f"{leg.service_id or '-'} ({leg.departure_basis})",
            f"{leg.departs_at:%a %d %b %H:%M}",
            f"{leg.arrives_at:%a %d %b %H:%M}",
            f"{leg.wait.total_seconds() / 3600:.0f}",
            dwell,
            "no published tariff" if leg.cost_usd is None else f"{leg.cost_usd:,.0f}",
            f"{leg.co2e_kg:,.0f}",
        )
    return table
