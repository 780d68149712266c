"""Reading one dataset CSV file: a header and rows of stripped text cells."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["NUMBER", "Row", "Table", "read_table", "split_refs"]

NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")

Row = dict[str, str]


@dataclass(frozen=True, slots=True)
class Table:
    """One CSV file: its name, header and rows (row 1 is the first data row)."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


def read_table(path: Path) -> Table:
    """Read one CSV file; cells are stripped strings, a missing cell is ''."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = tuple(c.strip() for c in (reader.fieldnames or ()))
        rows = tuple(
            {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
            for raw in reader
        )
    return Table(path.name, columns, rows)


def split_refs(cell: str) -> list[str]:
    """The ids in a ``;``-separated cell (sources, stops, corridors, modes)."""
    return [part.strip() for part in cell.split(";") if part.strip()]
