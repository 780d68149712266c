"""The default backend serialises writers instead of failing them (issue 9, defect 4): three
clients, each with its own engine (as three processes would be), make 500 read-then-write
units of work each on one SQLite file — token issues, which read the user and then insert —
and none fails with "database is locked"."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import text
from tests.plugins.platform import platform_settings

from transcaspian.bootstrap import build_platform, prepare_database
from transcaspian.domain.documents.parties import OrgRole, UserRole
from transcaspian.settings import Settings

CLIENTS = 3
WRITES = 500


def test_three_clients_times_500_writes_on_sqlite_all_succeed(tmp_path: Path) -> None:
    database = tmp_path / "writers.sqlite3"
    settings: Settings = platform_settings(database)
    prepare_database(settings)
    setup = build_platform(settings)
    setup.organisations.create_organisation("ktz", "KTZ", {OrgRole.CARRIER}, country="KZ")
    for client in range(CLIENTS):
        setup.organisations.create_user("ktz", f"clerk{client}@ktz.example", UserRole.CLERK)
    setup.engine.dispose()

    def client(number: int) -> list[str]:
        platform = build_platform(settings)  # its own engine and connection pool
        errors = []
        try:
            for write in range(WRITES):
                try:
                    platform.organisations.create_token(f"clerk{number}@ktz.example", f"w{write}")
                except Exception as error:
                    errors.append(f"{type(error).__name__}: {error}")
        finally:
            platform.engine.dispose()
        return errors

    with ThreadPoolExecutor(CLIENTS) as pool:
        outcomes = list(pool.map(client, range(CLIENTS)))
    errors = [error for outcome in outcomes for error in outcome]
    assert errors == [], f"{len(errors)} of {CLIENTS * WRITES} writes failed: {errors[:3]}"
    check = build_platform(settings)
    try:
        with check.engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM api_tokens")).scalar_one()
    finally:
        check.engine.dispose()
    assert count == CLIENTS * WRITES
