"""Fixtures: database (see tests/conftest.py).

- ``database_url``: an empty, isolated database, parametrized over ``sqlite`` (a file in the
  test's tmp_path) and ``postgresql`` (a schema of its own, dropped afterwards, on the server at
  TRANSCASPIAN_TEST_POSTGRES_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test).
- ``engine``: an engine on ``database_url`` with the schema built by Alembic ``upgrade heads``,
  the path production takes.

PostgreSQL tests never skip: when the server cannot be reached they fail, saying where they
looked and how to point them elsewhere.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from transcaspian.store.engine import make_engine
from transcaspian.store.migrations import upgrade_to_head

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def postgres_url() -> str:
    """The test server's URL: TRANSCASPIAN_TEST_POSTGRES_URL, or the local ``test`` database."""
    return os.environ.get("TRANSCASPIAN_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    """An engine on the test server (fails the test, never skips, when it is unreachable)."""
    url = postgres_url()
    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        engine.dispose()
        shown = make_url(url).render_as_string(hide_password=True)
        pytest.fail(
            f"PostgreSQL test database {shown} is not reachable "
            f"({str(error.orig).strip().splitlines()[0]}). Start it, or set "
            "TRANSCASPIAN_TEST_POSTGRES_URL to a database where the tests may create schemas.",
            pytrace=False,
        )
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own for this test (see the module docstring)."""
    with isolated_database(request.param, request, tmp_path) as url:
        yield url


@contextmanager
def isolated_database(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[str]:
    """The URL of an empty database on ``backend`` (sqlite or postgresql), removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    admin: Engine = request.getfixturevalue("postgres_admin")
    schema = f"test_{uuid.uuid4().hex[:16]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(postgres_url()).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on this test's database, schema upgraded to every head."""
    built = make_engine(database_url)
    upgrade_to_head(built)
    yield built
    built.dispose()
