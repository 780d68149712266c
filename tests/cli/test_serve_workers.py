"""How many processes ``transcaspian serve`` runs: --workers, else TRANSCASPIAN_WORKERS, else one
per usable core (one while rate limits are counted per process); an in-memory SQLite database is
never split over processes."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from transcaspian.cli.commands.serve import worker_count
from transcaspian.settings import Settings, usable_cores


def test_workers_come_from_the_option_then_the_setting_then_the_cores(tmp_path):
    file_url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    shared = "redis://127.0.0.1:6379"
    assert worker_count(Settings(database_url=file_url, rate_limit_storage=shared)) == (
        usable_cores()
    )
    # rate counts in memory are per process: one process unless more are asked for
    assert worker_count(Settings(database_url=file_url)) == 1
    assert worker_count(Settings(database_url=file_url, workers=3)) == 3
    assert worker_count(Settings(database_url=file_url, workers=3), 2) == 2


def test_an_in_memory_database_is_served_by_one_process():
    assert worker_count(Settings(database_url="sqlite://", workers=4), 4) == 1
    assert worker_count(Settings(database_url="sqlite:///:memory:"), 2) == 1


def test_the_environment_sets_the_workers(monkeypatch):
    monkeypatch.setenv("TRANSCASPIAN_WORKERS", "2")
    assert Settings().workers == 2
    monkeypatch.setenv("TRANSCASPIAN_WORKERS", "0")
    with pytest.raises(ValidationError, match="workers"):
        Settings()
