"""``transcaspian network locations|legs`` on the stored bundled network."""

import json

from typer.testing import CliRunner

from transcaspian.cli.app import app


def _run(*args):
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_locations_as_json_filter_by_country_and_kind(stored):
    items = json.loads(
        _run("network", "locations", "--country", "KZ", "--kind", "seaport", "--json")
    )

    assert "KZAAU" in {x["location_id"] for x in items}
    assert {(x["country"], x["kind"]) for x in items} == {("KZ", "seaport")}


def test_locations_as_a_table_name_each_location(stored):
    output = _run("network", "locations", "--country", "GE")

    assert "Tbilisi" in output
    assert "location(s)" in output


def test_legs_by_mode_as_json_and_as_a_table(stored):
    ferries = json.loads(_run("network", "legs", "--mode", "ferry", "--json"))
    table = _run("network", "legs", "--mode", "ferry")

    assert ferries and {x["mode"] for x in ferries} == {"ferry"}
    assert f"{len(ferries)} leg(s)" in table


def test_an_unknown_mode_is_a_usage_error(stored):
    result = CliRunner().invoke(app, ["network", "legs", "--mode", "hovercraft"])

    assert result.exit_code == 2
