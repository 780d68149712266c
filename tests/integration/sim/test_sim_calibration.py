"""The baseline on the bundled dataset reproduces each calibration figure within its band,
and the committed calibration report lists every figure."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from transcaspian.data.loader import read_dataset
from transcaspian.services.simulation import SimulationService
from transcaspian.settings import BUNDLED_DATASET
from transcaspian.sim.calibration import TARGETS
from transcaspian.store.simulation_repositories import InMemorySimulationRepository

REPORT = Path(__file__).parents[3] / "docs" / "calibration.md"


class FixedClock:
    def now(self):
        return datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def calibration(tmp_path_factory):
    network = read_dataset(BUNDLED_DATASET)
    service = SimulationService(
        repository=InMemorySimulationRepository(),
        network=lambda: network,
        runs_path=tmp_path_factory.mktemp("runs"),
        clock=FixedClock(),
    )
    return service.calibrate(replications=8, seed=2024)


def test_every_calibrated_figure_is_within_its_stated_band(calibration):
    rows, _ = calibration
    assert [r.target_id for r in rows] == [t.target_id for t in TARGETS]
    outside = [
        f"{r.target_id}: {r.error:+.1%} (band ±{r.band:.0%})" for r in rows if not r.within_band
    ]
    assert outside == []


def test_the_calibration_report_lists_each_figure_with_source_and_error(calibration):
    _, text = calibration
    committed = REPORT.read_text(encoding="utf-8")
    for target in TARGETS:
        assert target.description in text and target.description in committed
    assert "| **no** |" not in committed
    assert "https://" in committed  # sources are linked
