"""Fixtures: a small trade network built in memory (no disk), and the bundled dataset's book."""

import pytest

from transcaspian.domain.network import CorridorNetwork, Source, SourceId, SourceKind
from transcaspian.services.analytics import TARGET_SOURCES


def _network(rows, goods=()):
    sources = {
        SourceId(s): Source(SourceId(s), SourceKind.WEB, s, url="https://example.org/" + s)
        for s in ("s1", "s2", *TARGET_SOURCES)
    }
    return CorridorNetwork(
        locations={},
        legs={},
        services={},
        tariffs={},
        capacities=(),
        dwell_times=(),
        sources=sources,
        extra_tables={"trade_kz_az.csv": tuple(rows), "trade_kz_az_goods.csv": tuple(goods)},
    )


def row(series_id, period, value, used="no", source="s1", flow="turnover", reporter="KZ"):
    return {
        "series_id": series_id,
        "period": period,
        "flow": flow,
        "value_usd_m": str(value),
        "source": source,
        "reporter": reporter,
        "used": used,
        "note": "",
    }


@pytest.fixture
def make_network():
    return _network


@pytest.fixture
def growing_network():
    """Five Kazakh years growing 50 % a year, a disagreeing Azerbaijani value, and a partial
    year from each country."""
    values = [100, 150, 225, 337.5, 506.25]
    rows = [row(f"y{y}", str(y), v, "yes") for y, v in zip(range(2020, 2025), values, strict=True)]
    rows.append(row("alt-2023", "2023", 400, source="s2", reporter="AZ"))
    rows.append(row("p-2025", "2025-01..10", 600, source="s2", reporter="AZ"))
    rows.append(row("p-2025-kz", "2025-H1", 300, source="s2"))
    return _network(rows)
