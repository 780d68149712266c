"""``transcaspian trade summary|forecast`` on the bundled dataset."""

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from transcaspian.cli.app import app

runner = CliRunner()
CONSOLE_SCRIPT = Path(sys.executable).with_name("transcaspian")


def test_trade_forecast_json_reports_the_backtest_of_every_model():
    result = runner.invoke(app, ["trade", "forecast", "--json", "--horizon", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["primary"]["years"]) == 3
    assert {b["model"] for b in data["backtests"]} == {"naive", "drift", "theta"}
    scored = [b for b in data["backtests"] if not b["skipped"]]
    assert scored and all(b["errors"] and b["mape"] >= 0 for b in scored)
    assert data["primary"]["model"] == min(scored, key=lambda b: b["mape"])["model"] == "naive"
    assert data["reporter"] == "KZ"


def test_trade_forecast_of_a_series_too_short_is_one_line_and_a_failure():
    # the installed console script (CliRunner bypasses main(), which turns errors into a line)
    result = subprocess.run(
        [str(CONSOLE_SCRIPT), "trade", "forecast", "--reporter", "AZ"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "reporter" in lines[0], result.stderr


def test_trade_summary_lists_every_value_with_its_source():
    result = runner.invoke(app, ["trade", "summary", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["observations"]
    assert all(o["sources"] for o in data["observations"])
    assert set().union(*(o["sources"] for o in data["observations"])) <= set(data["sources"])
