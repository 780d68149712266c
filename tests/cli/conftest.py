"""Fixtures for the CLI tests: the commands read their settings from the environment."""

import shutil

import pytest

from transcaspian.settings import get_settings


@pytest.fixture
def stored(platform_database, tmp_path, monkeypatch):
    """The CLI pointed at a copy of the stored bundled network (runs kept under tmp_path)."""
    database = tmp_path / "cli.sqlite3"
    shutil.copyfile(platform_database, database)
    monkeypatch.setenv("TRANSCASPIAN_DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("TRANSCASPIAN_RUNS_PATH", str(tmp_path / "runs"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()
