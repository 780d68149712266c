"""``transcaspian routes plan`` on the stored bundled network: tables, JSON, one-line errors."""

import json
import sys

import pytest
from typer.testing import CliRunner

from transcaspian.cli.app import app, main


def test_plan_prints_the_options_as_a_table(stored):
    result = CliRunner().invoke(
        app,
        ["routes", "plan", "KZAAU", "GEPTI", "--ready-on", "2027-03-03", "--samples", "100"],
    )
    assert result.exit_code == 0, result.output
    assert "KZAAU → GEPTI" in result.output
    assert "option 1 (middle)" in result.output
    assert "GLEC Framework v3.0" in result.output


def test_plan_as_json_gives_the_api_body(stored):
    result = CliRunner().invoke(
        app,
        ["routes", "plan", "CNXIA", "DEDUI", "--ready-on", "2027-03-03", "--cargo",
         "1x40ft,20t", "--samples", "100", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["origin"] == "CNXIA"
    assert {o["corridor"] for o in body["itineraries"]} == {"middle", "northern", "suez"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["XXNOPE", "DEDUI", "--ready-on", "2027-03-03"], "error: origin: 'XXNOPE' is not"),
        (["CNXIA", "CNXIA", "--ready-on", "2027-03-03"], "error: destination: 'CNXIA' is the"),
        (["CNXIA", "DEDUI", "--ready-on", "3 March"], "error: ready_on: '3 March' is not a date"),
        (["CNXIA", "DEDUI", "--ready-on", "2027-03-03", "--cargo", "1x40ft,-2t"], "error: cargo:"),
    ],
)
def test_a_bad_request_prints_one_line_and_exits_1(stored, monkeypatch, capsys, args, message):
    monkeypatch.setattr(sys, "argv", ["transcaspian", "routes", "plan", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(message)
