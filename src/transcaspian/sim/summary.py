"""Tables from Monte Carlo results: per-replication rows, summaries with confidence intervals,
bottlenecks ranked, and the effect of one scenario against another.

Every interval is a 95 % interval of the mean over replications (normal approximation,
1.96 standard errors). Differences between two scenarios are paired by (year, replication):
both runs share their random streams, so the paired differences have a smaller spread than the
two means (common random numbers).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from transcaspian.sim.model import CorridorModel
from transcaspian.sim.processes import ReplicationResult

__all__ = [
    "TABLES",
    "bottlenecks",
    "compare_runs",
    "model_table",
    "summarise",
    "tables_from_results",
]

TABLES = ("queues", "resources", "throughput", "transit", "samples")
_Z95 = 1.96


def tables_from_results(results: Iterable[ReplicationResult]) -> dict[str, pd.DataFrame]:
    """One long table per kind of output, each row keyed by scenario, year and replication."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for result in results:
        key = {
            "scenario": result.scenario_id,
            "year": result.year,
            "replication": result.replication,
        }
        rows["queues"] += [{**key, **q} for q in result.queues]
        rows["resources"] += [{**key, **r} for r in result.resources]
        rows["throughput"] += [{**key, **t} for t in result.throughput]
        rows["transit"] += [{**key, **t} for t in result.transit]
        rows["samples"] += [
            {**key, "flow": flow, "transit_h": h}
            for flow, hours in result.transit_samples.items()
            for h in hours
        ]
    return {name: pd.DataFrame(table) for name, table in rows.items()}


def model_table(models: Mapping[int, CorridorModel]) -> pd.DataFrame:
    """The ferry lines as the model built them, per year: fleet, capacities, crossing time."""
    rows = []
    for year, model in sorted(models.items()):
        for key, line in model.ferry_lines.items():
            rows.append(
                {
                    "scenario": model.scenario_id,
                    "year": year,
                    "line": key,
                    "vessels": line.vessels.value,
                    "crossing_p50_h": line.crossing.quantile(0.5),
                    "crossing_mean_h": line.crossing.mean,
                    "policy": line.policy,
                    **{f"capacity_{u}": float(c or 0) for u, c in line.capacity.items()},
                }
            )
    return pd.DataFrame(rows)


def summarise(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Means over replications with 95 % intervals, by year and queue / resource / node / flow.

    A ``model`` table, when given, passes through unchanged.
    """
    out: dict[str, pd.DataFrame] = {}
    if "model" in tables:
        out["model"] = tables["model"]
    out["queues"] = _mean_ci(
        tables["queues"],
        ["scenario", "year", "queue", "kind", "location", "unit"],
        ["mean_wait_h", "p50_wait_h", "p90_wait_h", "mean_length", "p90_length", "departures"],
    )
    resource_values = [
        c
        for c in ("utilisation", "sailings", "closed_h", "missed_slots")
        if c in tables["resources"].columns
    ]
    out["resources"] = _mean_ci(
        tables["resources"], ["scenario", "year", "resource", "kind", "location"], resource_values
    )
    out["throughput"] = _mean_ci(
        tables["throughput"], ["scenario", "year", "node", "unit"], ["units"]
    )
    out["transit"] = _mean_ci(
        tables["transit"],
        ["scenario", "year", "flow", "corridor", "unit"],
        ["mean_h", "p50_h", "p90_h", "delivered_units", "demand_units"],
    )
    return out


def bottlenecks(summary: dict[str, pd.DataFrame], year: int | None = None) -> pd.DataFrame:
    """Resources ranked by utilisation (highest first), with the wait at their queue.

    A ferry line's wait is its yards' mean wait; a station's or berth's is its own queue's.
    ``year`` defaults to the last simulated year.
    """
    resources = summary["resources"]
    if resources.empty:
        return resources
    year = int(resources["year"].max()) if year is None else year
    ranked = resources[resources["year"] == year].copy()
    queues = summary["queues"]
    queues = queues[queues["year"] == year]
    waits = []
    for _, row in ranked.iterrows():
        key = str(row["resource"])
        if key.startswith("ferry:"):
            match = queues[queues["queue"].str.startswith("yard:" + key.removeprefix("ferry:"))]
        else:
            match = queues[queues["queue"] == key]
        waits.append(float(match["mean_wait_h"].max()) if not match.empty else 0.0)
    ranked["mean_wait_h"] = waits
    ranked = ranked.sort_values(["utilisation", "mean_wait_h"], ascending=False)
    ranked.insert(0, "rank", range(1, len(ranked) + 1))
    return ranked.reset_index(drop=True)


def compare_runs(
    base: dict[str, pd.DataFrame], other: dict[str, pd.DataFrame]
) -> dict[str, pd.DataFrame]:
    """``other`` minus ``base`` per year: transit times per flow and waits per queue.

    Rows pair the same (year, replication); ``diff_ci95`` is the half-width of the 95 %
    interval of the mean difference. Only replications present in both runs count.
    """
    return {
        "transit": _paired(
            base["transit"], other["transit"], ["year", "flow"], ["mean_h", "p90_h"]
        ),
        "queues": _paired(base["queues"], other["queues"], ["year", "queue"], ["mean_wait_h"]),
        "resources": _paired(
            base["resources"], other["resources"], ["year", "resource"], ["utilisation"]
        ),
    }


def _mean_ci(frame: pd.DataFrame, by: Sequence[str], values: Sequence[str]) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=[*by, *values])
    grouped = frame.groupby(list(by), sort=True, dropna=False)
    out = grouped[list(values)].mean()
    count = grouped.size()
    for value in values:
        spread = grouped[value].std(ddof=1).fillna(0.0)
        out[f"{value}_ci95"] = _Z95 * spread / count.map(lambda n: math.sqrt(max(n, 1)))
    out["replications"] = count
    return out.reset_index()


def _paired(
    base: pd.DataFrame, other: pd.DataFrame, by: Sequence[str], values: Sequence[str]
) -> pd.DataFrame:
    keys = [*by, "replication"]
    if base.empty or other.empty:
        return pd.DataFrame(columns=[*by, *[f"{v}_diff" for v in values]])
    merged = base[[*keys, *values]].merge(
        other[[*keys, *values]], on=keys, suffixes=("_base", "_other")
    )
    for value in values:
        merged[f"{value}_diff"] = merged[f"{value}_other"] - merged[f"{value}_base"]
    grouped = merged.groupby(list(by), sort=True)
    columns = [c for v in values for c in (f"{v}_base", f"{v}_other", f"{v}_diff")]
    out = grouped[columns].mean()
    count = grouped.size()
    for value in values:
        spread = grouped[f"{value}_diff"].std(ddof=1).fillna(0.0)
        out[f"{value}_diff_ci95"] = _Z95 * spread / count.map(lambda n: math.sqrt(max(n, 1)))
    out["replications"] = count
    return out.reset_index()
