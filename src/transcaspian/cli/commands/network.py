"""``transcaspian network locations|legs``: read the stored corridor network."""

from __future__ import annotations

import json
from collections.abc import Sequence

import typer
from rich.console import Console
from rich.table import Table

from transcaspian.domain.network import CorridorNetwork, Leg, Location, LocationKind, Mode
from transcaspian.services.network import find_legs, find_locations
from transcaspian.settings import get_settings

app = typer.Typer(help="Read the stored corridor network.", no_args_is_help=True)
console = Console(highlight=False, emoji=False)


@app.command("locations")
def locations(
    country: str | None = typer.Option(None, help="ISO 3166-1 alpha-2 country, e.g. KZ"),
    kind: LocationKind | None = typer.Option(None, help="location kind"),
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
) -> None:
    """List the stored locations, by id."""
    found = find_locations(_network(), country=country, kind=kind)
    if as_json:
        _print_json([_location_json(x) for x in found])
        return
    table = Table("id", "UN/LOCODE", "name", "country", "kind", "lat", "lon", title="Locations")
    for x in found:
        table.add_row(
            x.location_id,
            str(x.un_locode or ""),
            x.name,
            x.country,
            x.kind.value,
            f"{x.lat:.2f}",
            f"{x.lon:.2f}",
        )
    console.print(table)
    console.print(f"{len(found)} location(s)", markup=False)


@app.command("legs")
def legs(
    mode: Mode | None = typer.Option(None, help="rail, road, ferry or sea"),
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
) -> None:
    """List the stored legs, by id, with distance and running time P50/P90."""
    found = find_legs(_network(), mode=mode)
    if as_json:
        _print_json([_leg_json(x) for x in found])
        return
    table = Table(
        "id", "from", "to", "mode", "gauge mm", "km", "P50 h", "P90 h", "corridors", title="Legs"
    )
    for x in found:
        time = x.running_time
        table.add_row(
            x.leg_id,
            x.origin,
            x.destination,
            x.mode.value,
            str(x.gauge_mm or ""),
            f"{x.distance_km:g}",
            f"{time.p50.total_seconds() / 3600:g}",
            f"{time.p90.total_seconds() / 3600:g}",
            ", ".join(sorted(x.corridors)),
        )
    console.print(table)
    console.print(f"{len(found)} leg(s)", markup=False)


def _network() -> CorridorNetwork:
    from transcaspian.bootstrap import build_platform

    platform = build_platform(get_settings())
    try:
        return platform.network.get_network()
    finally:
        platform.engine.dispose()


def _print_json(items: Sequence[dict[str, object]]) -> None:
    # plain print: Rich would wrap long lines and break the JSON
    typer.echo(json.dumps(items, ensure_ascii=False, indent=2))


def _location_json(x: Location) -> dict[str, object]:
    return {
        "location_id": x.location_id,
        "un_locode": str(x.un_locode) if x.un_locode else None,
        "name": x.name,
        "country": x.country,
        "kind": x.kind.value,
        "lat": x.lat,
        "lon": x.lon,
        "source_ids": list(x.sources),
    }


def _leg_json(x: Leg) -> dict[str, object]:
    time = x.running_time
    return {
        "leg_id": x.leg_id,
        "origin": x.origin,
        "destination": x.destination,
        "mode": x.mode.value,
        "gauge_mm": x.gauge_mm,
        "distance_km": x.distance_km,
        "distance_source_ids": list(x.distance_sources),
        "time_min_h": time.minimum.total_seconds() / 3600,
        "time_p50_h": time.p50.total_seconds() / 3600,
        "time_p90_h": time.p90.total_seconds() / 3600,
        "time_source_ids": list(x.time_sources),
        "corridors": sorted(c.value for c in x.corridors),
    }
