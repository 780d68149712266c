"""``transcaspian sim scenarios|run|compare|report`` on the stored bundled network."""

import sys

import pytest
from typer.testing import CliRunner

from transcaspian.cli.app import app, main


def _run(*args):
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_scenarios_are_listed(stored):
    output = _run("sim", "scenarios")
    assert "baseline" in output and "world-bank-11mt-2030" in output


def test_run_compare_and_report(stored):
    common = ("-n", "2", "--years", "2024", "--scheduler", "synchronous", "--seed", "4")
    output = _run("sim", "run", "baseline", *common)
    assert "run " in output and "bottlenecks" in output
    _run("sim", "run", "wb-2030-e-documents", *common)
    compared = _run("sim", "compare", "baseline", "wb-2030-e-documents")
    assert "containers-altynkol-poti" in compared
    report = stored / "report.html"
    _run("sim", "report", "baseline", "-o", str(report))
    html = report.read_text(encoding="utf-8")
    assert "Plotly" in html and 'id="sim-utilisation"' in html
    page = html.split("</script>", 1)[1]  # after the inlined plotly.js
    assert "cdn.plot.ly" not in page and "<script src=" not in html and 'src="http' not in html


def test_a_scenario_file_with_errors_prints_one_line_per_problem(stored, monkeypatch, capsys):
    bad = stored / "bad.yaml"
    bad.write_text(
        "id: bad\ntitle: Bad\nextends: baseline\ninterventions:\n"
        "  - {id: a, kind: extra_vessels, service: asco-kuryk-alat-ferry, extra_vessels: -1,"
        " from_year: 2026, source: x}\n"
        "  - {id: b, kind: faster_clearance, reduction: 2, from_year: 2026, source: x}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys, "argv", ["transcaspian", "sim", "run", str(bad), "-n", "1"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        "error: bad.yaml: interventions[0].extra_vessels: must be ≥ 0 (got -1)",
        "error: bad.yaml: interventions[1].reduction: must be < 1 (got 2)",
    ]
    assert "bad" not in _run("sim", "scenarios")
