"""Trade page benchmark: ``uv run python benchmarks/trade_page.py [--requests N]``.

Serves GET /trade in process (FastAPI's TestClient, bundled data on a temporary SQLite) and
prints the first request (which builds the analysis and the figures once per dataset), the
median and p95 of later requests, and, as the baseline measured in the same run, the time to
build the page's analysis and figures from scratch on every request (what the page did before
it was built once per dataset): the ratio says what the cache saves.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from transcaspian.api.app import create_app
from transcaspian.bootstrap import build_platform, prepare_database
from transcaspian.settings import BUNDLED_DATASET, Settings
from transcaspian.web import trade as trade_web


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database_url=f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
            dataset_path=BUNDLED_DATASET,
            rate_limit="100000/second",
        )
        prepare_database(settings)
        platform = build_platform(settings)
        with TestClient(create_app(platform)) as client:
            start = time.perf_counter()
            assert client.get("/trade").status_code == 200
            first = time.perf_counter() - start
            cached = []
            for _ in range(args.requests):
                start = time.perf_counter()
                assert client.get("/trade").status_code == 200
                cached.append(time.perf_counter() - start)
        network = platform.network.get_network()
        rebuilt = []
        for _ in range(max(3, args.requests // 5)):
            start = time.perf_counter()
            trade_web.trade_context(network)
            rebuilt.append(time.perf_counter() - start)
        platform.engine.dispose()
    p50 = statistics.median(cached)
    p95 = sorted(cached)[int(0.95 * (len(cached) - 1))]
    baseline = statistics.median(rebuilt)
    print(f"first request (builds once): {first * 1000:8.1f} ms")
    print(f"later requests  p50 / p95:   {p50 * 1000:8.1f} / {p95 * 1000:.1f} ms")
    print(f"baseline: rebuild per request p50: {baseline * 1000:8.1f} ms")
    print(f"ratio baseline / cached p50: {baseline / p50:8.1f}x")


if __name__ == "__main__":
    main()
