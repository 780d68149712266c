"""Loading a dataset, through the use case and through `transcaspian data load`, on SQLite and
PostgreSQL: loading twice leaves the same rows; a failed load leaves the previous rows intact."""

import csv
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from transcaspian.data.loader import read_dataset
from transcaspian.domain.errors import DatasetError
from transcaspian.services.network import load_dataset
from transcaspian.settings import BUNDLED_DATASET
from transcaspian.store.engine import make_engine
from transcaspian.store.rows import load_all
from transcaspian.store.unit_of_work import SqlAlchemyUnitOfWork


class FixedClock:
    def __init__(self, at: datetime):
        self.at = at

    def now(self) -> datetime:
        return self.at


def dump(engine: Engine, *, without_version: bool = False) -> dict[str, list[str]]:
    """Every row of every network table, as sorted text (the version row left out on request)."""
    rows = {}
    with engine.connect() as connection:
        for table in load_all().sorted_tables:
            if not table.name.startswith("network_"):
                continue
            if without_version and table.name == "network_versions":
                continue
            rows[table.name] = sorted(repr(tuple(r)) for r in connection.execute(select(table)))
    return rows


def broken_copy(tmp_path: Path) -> Path:
    """The bundled dataset with one negative distance on the first leg."""
    target = tmp_path / "broken"
    shutil.copytree(BUNDLED_DATASET, target)
    path = target / "legs.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns, rows = list(reader.fieldnames or []), list(reader)
    rows[0]["distance_km"] = "-5"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return target


def test_loading_the_bundled_dataset_twice_leaves_the_same_rows(engine):
    clock = FixedClock(datetime(2026, 11, 25, 6, 0, tzinfo=UTC))
    load_dataset(SqlAlchemyUnitOfWork(engine), BUNDLED_DATASET, clock)
    first = dump(engine)
    load_dataset(SqlAlchemyUnitOfWork(engine), BUNDLED_DATASET, clock)
    assert dump(engine) == first
    network = read_dataset(BUNDLED_DATASET)
    assert len(first["network_locations"]) == len(network.locations)
    assert len(first["network_legs"]) == len(network.legs)
    assert len(first["network_versions"]) == 1


def test_a_failed_load_leaves_the_previous_rows_intact(engine, tmp_path):
    clock = FixedClock(datetime(2026, 11, 25, 6, 0, tzinfo=UTC))
    load_dataset(SqlAlchemyUnitOfWork(engine), BUNDLED_DATASET, clock)
    before = dump(engine)
    later = FixedClock(datetime(2026, 11, 26, 6, 0, tzinfo=UTC))
    with pytest.raises(DatasetError) as error:
        load_dataset(SqlAlchemyUnitOfWork(engine), broken_copy(tmp_path), later)
    assert [str(p).split(": ")[:2] for p in error.value.problems] == [["legs.csv:1", "distance_km"]]
    assert dump(engine) == before


def cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRANSCASPIAN_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "transcaspian", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_the_load_command_is_idempotent_and_atomic(database_url, tmp_path):
    assert cli(database_url, "db", "upgrade").returncode == 0
    loaded = cli(database_url, "data", "load")
    assert loaded.returncode == 0, loaded.stderr
    engine = make_engine(database_url)
    try:
        first = dump(engine, without_version=True)
        assert first["network_locations"]
        again = cli(database_url, "data", "load")
        assert again.returncode == 0, again.stderr
        assert dump(engine, without_version=True) == first
        before = dump(engine)
        failed = cli(database_url, "data", "load", str(broken_copy(tmp_path)))
        assert failed.returncode == 1
        lines = failed.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: legs.csv:1: distance_km: ")
        assert dump(engine) == before
    finally:
        engine.dispose()
