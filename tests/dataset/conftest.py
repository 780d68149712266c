"""Fixtures for the dataset tests: the bundled dataset, read once, and editable copies of it."""

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from transcaspian.data.loader import read_dataset
from transcaspian.domain.network import CorridorNetwork
from transcaspian.settings import BUNDLED_DATASET


@pytest.fixture(scope="session")
def bundled_network() -> CorridorNetwork:
    return read_dataset(BUNDLED_DATASET)


@pytest.fixture
def dataset_copy(tmp_path: Path) -> Path:
    target = tmp_path / "corridor"
    shutil.copytree(BUNDLED_DATASET, target)
    return target


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def edit_row(dataset_copy: Path) -> Callable[..., int]:
    """Change one row of a file in the copy; returns the 1-based row number that was changed."""

    def edit(
        file: str,
        change: Callable[[dict[str, str]], None],
        where: Callable[[dict[str, str]], bool] = lambda row: True,
    ) -> int:
        path = dataset_copy / file
        columns, rows = read_rows(path)
        for number, row in enumerate(rows, start=1):
            if where(row):
                change(row)
                write_rows(path, columns, rows)
                return number
        raise AssertionError(f"no row of {file} matches")

    return edit
