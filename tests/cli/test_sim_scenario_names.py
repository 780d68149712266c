"""``transcaspian sim run NAME``: a file on the operator's machine when NAME looks like one
(ends .yaml/.yml or holds a /), else a bundled id; either way one line on error, exit 1."""

import sys

import pytest

from transcaspian.cli.app import main


def _fails(monkeypatch, capsys, name: str) -> str:
    monkeypatch.setattr(sys, "argv", ["transcaspian", "sim", "run", name, "-n", "1"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_a_missing_file_is_named(stored, monkeypatch, capsys):
    line = _fails(monkeypatch, capsys, str(stored / "nope.yaml"))
    assert line == f"error: scenario: scenario file '{stored / 'nope.yaml'}' not found"


def test_a_relative_path_is_a_file_not_an_id(stored, monkeypatch, capsys):
    line = _fails(monkeypatch, capsys, "../no-such-dir/x")
    assert line == "error: scenario: scenario file '../no-such-dir/x' not found"


def test_a_name_that_is_no_id_is_refused(stored, monkeypatch, capsys):
    line = _fails(monkeypatch, capsys, "Not_An_Id")
    assert line.startswith("error: scenario: must be a scenario id")


def test_an_unknown_id_lists_the_bundled_ones(stored, monkeypatch, capsys):
    line = _fails(monkeypatch, capsys, "no-such-scenario")
    assert line.startswith("error: scenario: scenario 'no-such-scenario' not found (bundled: ")
    assert "baseline" in line
