"""Fixtures: platform (see tests/conftest.py).

- ``platform``: a Platform built by bootstrap on its own temporary SQLite file, schema upgraded
  with Alembic and the bundled dataset loaded — the path ``transcaspian serve`` takes. The
  database is prepared once per session and copied for each test, so every test starts from the
  same rows and may change them.
- ``client``: a Starlette TestClient on ``create_app(platform)``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from transcaspian.api.app import create_app
from transcaspian.bootstrap import Platform, build_platform, prepare_database
from transcaspian.settings import BUNDLED_DATASET, Settings

PLATFORM_DATASET = BUNDLED_DATASET


def platform_settings(database: Path, dataset: Path = PLATFORM_DATASET) -> Settings:
    """Settings for a platform on the SQLite file ``database`` serving ``dataset``."""
    return Settings(database_url=f"sqlite:///{database}", dataset_path=dataset)


@pytest.fixture(scope="session")
def platform_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the schema at head and the bundled dataset loaded (do not write to it)."""
    database = tmp_path_factory.mktemp("platform") / "template.sqlite3"
    prepare_database(platform_settings(database))
    return database


@pytest.fixture
def platform(platform_database: Path, tmp_path: Path) -> Iterator[Platform]:
    database = tmp_path / "platform.sqlite3"
    shutil.copyfile(platform_database, database)
    built = build_platform(platform_settings(database))
    yield built
    built.engine.dispose()


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform)) as test_client:
        yield test_client
