"""``transcaspian trade summary|forecast`` on the bundled dataset."""

import json

from typer.testing import CliRunner

from transcaspian.cli.app import app

runner = CliRunner()


def test_trade_forecast_json_reports_the_backtest_of_every_model():
    result = runner.invoke(app, ["trade", "forecast", "--json", "--horizon", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["primary"]["model"] == "theta"
    assert len(data["primary"]["years"]) == 3
    assert {b["model"] for b in data["backtests"]} == {"naive", "drift", "theta"}
    assert all(b["errors"] and b["mape"] >= 0 for b in data["backtests"])


def test_trade_summary_lists_every_value_with_its_source():
    result = runner.invoke(app, ["trade", "summary", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["observations"]
    assert all(o["sources"] for o in data["observations"])
    assert set().union(*(o["sources"] for o in data["observations"])) <= set(data["sources"])
