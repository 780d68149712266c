"""The source rule: every number in every dataset file has a source (docs/data-format.md).

For a numeric column ``X`` the source is the row's ``P_source`` column, where ``P`` is ``X`` or
the longest part of ``X`` before an underscore that has such a column, otherwise ``source``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from transcaspian.data.tables import NUMBER, Table, read_table, split_refs
from transcaspian.domain.errors import DatasetProblem

__all__ = ["Figure", "figure_census", "figures_without_source", "iter_figures"]

_NOT_FIGURES = re.compile(
    r"(^|_)(id|ids|year|period|published|valid_on|valid_from|valid_to|departs_utc|weekday"
    r"|gauge_mm|page|pages|version|un_locode|hs_code)$"
)


@dataclass(frozen=True, slots=True)
class Figure:
    """One numeric cell of a dataset table with the source ids the source rule assigns it."""

    file: str
    row: int
    column: str
    value: str
    source_column: str | None
    sources: tuple[str, ...]


def iter_figures(table: Table) -> Iterator[Figure]:
    """Every numeric figure of a table (identifiers, years, dates, gauges excluded)."""
    for column in table.columns:
        if _NOT_FIGURES.search(column) or column.endswith("source"):
            continue
        source_column = _source_column_for(column, table.columns)
        for number, row in enumerate(table.rows, start=1):
            cell = row.get(column, "")
            if NUMBER.match(cell):
                refs = split_refs(row.get(source_column, "")) if source_column else []
                yield Figure(table.name, number, column, cell, source_column, tuple(refs))


def figures_without_source(table: Table, source_ids: Iterable[str]) -> list[DatasetProblem]:
    """The numeric cells of a table whose source is missing or unknown (the source rule).

    One problem per row and source column: ``locations.csv:4: source: no source for lat, lon``.
    """
    known = set(source_ids)
    unsourced: dict[tuple[int, str], list[str]] = {}
    unknown: dict[tuple[int, str], list[str]] = {}
    for figure in iter_figures(table):
        key = (figure.row, figure.source_column or "source")
        if not figure.sources:
            unsourced.setdefault(key, []).append(figure.column)
        for ref in figure.sources:
            if ref not in known and ref not in unknown.get(key, []):
                unknown.setdefault(key, []).append(ref)
    problems = [
        DatasetProblem(table.name, row, field, f"no source for {', '.join(columns)}")
        for (row, field), columns in unsourced.items()
    ] + [
        DatasetProblem(table.name, row, field, f"unknown source {ref!r}")
        for (row, field), refs in unknown.items()
        for ref in refs
    ]
    return sorted(problems, key=lambda p: (p.row or 0, p.field or ""))


def figure_census(path: Path) -> dict[str, int]:
    """How many figures of a dataset cite a publication and how many rest on assumptions only."""
    tables = [read_table(f) for f in sorted(path.glob("*.csv"))]
    kinds = {
        row.get("source_id", ""): row.get("kind", "")
        for table in tables
        if table.name.startswith("sources")
        for row in table.rows
    }
    census = {"figures": 0, "published": 0, "assumption": 0, "unsourced": 0}
    for table in tables:
        for figure in iter_figures(table):
            census["figures"] += 1
            found = [kinds[ref] for ref in figure.sources if ref in kinds]
            if not found:
                census["unsourced"] += 1
            elif all(kind == "assumption" for kind in found):
                census["assumption"] += 1
            else:
                census["published"] += 1
    return census


def _source_column_for(column: str, columns: tuple[str, ...]) -> str | None:
    parts = column.split("_")
    for end in range(len(parts), 0, -1):
        candidate = "_".join(parts[:end]) + "_source"
        if candidate in columns:
            return candidate
    return "source" if "source" in columns else None
