"""``transcaspian sim calibrate`` exits 1 when a figure leaves its band (issue 8, defect 8),
through the installed console script: a border or planning script reads the exit code."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from transcaspian.settings import BUNDLED_DATASET

CONSOLE_SCRIPT = Path(sys.executable).with_name("transcaspian")
FERRY = "asco-kuryk-alat-ferry"


def transcaspian(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CONSOLE_SCRIPT), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **env},
    )


def slowed_ferry(dataset: Path, factor: float) -> None:
    """The Kuryk -> Alat ferry's sailing times multiplied by ``factor`` (service and leg)."""
    for name, key, wanted in (
        ("services.csv", "service_id", FERRY),
        ("legs.csv", "leg_id", "KZKUR-AZALA-ferry"),
    ):
        path = dataset / name
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            fields = list(reader.fieldnames or [])
            rows = list(reader)
        changed = 0
        for row in rows:
            if row[key] == wanted:
                for column in ("time_min_h", "time_p50_h", "time_p90_h"):
                    if row[column]:
                        row[column] = f"{float(row[column]) * factor:g}"
                changed += 1
        assert changed == 1, (name, wanted)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    return {
        "TRANSCASPIAN_DATABASE_URL": f"sqlite:///{tmp_path / 'calibrate.sqlite3'}",
        "TRANSCASPIAN_RUNS_PATH": str(tmp_path / "runs"),
    }


def calibrate(environment: dict[str, str], dataset: Path, output: Path, replications: int):
    for command in (("db", "upgrade"), ("data", "load", str(dataset))):
        done = transcaspian(environment, *command)
        assert done.returncode == 0, done.stdout + done.stderr
    return transcaspian(environment, "sim", "calibrate", "-n", str(replications), "-o", str(output))


def test_a_calibration_out_of_band_exits_1(environment, tmp_path: Path) -> None:
    dataset = tmp_path / "dataset"
    shutil.copytree(BUNDLED_DATASET, dataset)
    slowed_ferry(dataset, 3.0)
    report = tmp_path / "calibration.md"
    done = calibrate(environment, dataset, report, replications=1)
    assert "NO" in done.stdout, done.stdout
    assert done.returncode == 1, done.stdout + done.stderr
    assert report.is_file()  # the report is written all the same


def test_the_bundled_calibration_exits_0(environment, tmp_path: Path) -> None:
    done = calibrate(environment, BUNDLED_DATASET, tmp_path / "calibration.md", replications=3)
    assert done.returncode == 0, done.stdout + done.stderr
