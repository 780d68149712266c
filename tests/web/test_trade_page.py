"""The Trade page: its charts, tables and sources, nothing loaded from another host, no raw
codes, one reporter and one period per line or bar group, the year axis ascending, the seed
article's figures with their source, the backtest's winner shown, and a fast render."""

import dataclasses
import html as html_lib
import json
import re
from pathlib import Path

from transcaspian.data.loader import read_dataset
from transcaspian.domain.trade import Reporter
from transcaspian.services.analytics import forecast_trade, read_trade_book
from transcaspian.web import trade as trade_web
from transcaspian.web.trade import flows_figure, forecast_figure, turnover_figure

REMOTE = re.compile(
    r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""",
    re.IGNORECASE,
)
URL_IN_SCRIPT = re.compile(r"""(?:src|href|url)\s*[:=(]\s*["']?(?:https?:)?//""", re.IGNORECASE)
BUNDLED = Path(__file__).parents[2] / "src" / "transcaspian" / "data" / "corridor"
SEED = "trade-seed-2025-10-dayaz-mambetali"
# what the data files hold and a user must never read: flow and direction codes, reporter
# codes, period codes, source ids, bare model names
RAW_CODE = re.compile(
    r"kz_exports_to_az|kz_imports_from_az|kz_to_az|az_to_kz|\bKZ\b|\bAZ\b"
    r"|\b\d{4}-H1\b|\b\d{4}-\d{2}\.\.\d{2}\b|\b\d{4}-ytd\b|\bunstated\b|\btrade-[a-z0-9-]+"
)


def _book():
    return read_trade_book(read_dataset(BUNDLED))


def _without_attributes(page: str) -> str:
    """The page minus attribute values (anchors, ids and classes may hold codes)."""
    return re.sub(r'\s(?:href|id|class|data-model|src|rel|charset)="[^"]*"', "", page)


def test_the_trade_page_shows_the_charts_and_the_backtest(client):
    response = client.get("/trade")
    assert response.status_code == 200
    html = response.text
    for chart in ("turnover-chart", "flows-chart", "goods-chart", "forecast-chart"):
        assert f'id="{chart}"' in html
    assert 'id="backtest"' in html
    assert "MAPE" in html
    assert 'src="/static/plotly/plotly.min.js"' in html
    assert 'aria-current="page"' in html


def test_every_value_on_the_page_links_a_listed_source(client):
    html = client.get("/trade").text
    linked = set(re.findall(r'href="#src-([^"]+)"', html))
    listed = set(re.findall(r'id="src-([^"]+)"', html))
    assert linked
    assert linked <= listed


def test_the_trade_page_loads_nothing_from_another_host(client):
    html = client.get("/trade").text
    assert not REMOTE.search(html)
    scripts = "".join(re.findall(r"<script[^>]*>(.*?)</script>", html, re.DOTALL))
    assert not URL_IN_SCRIPT.search(scripts)
    for path in re.findall(r"""<(?:script|link)[^>]*(?:src|href)="(/[^"]*)""", html):
        assert client.get(path).status_code == 200, path


def test_the_page_shows_no_raw_codes_in_text_or_charts(client):
    page = _without_attributes(html_lib.unescape(client.get("/trade").text))
    found = sorted({m.group(0) for m in RAW_CODE.finditer(page)})
    assert found == []
    assert "Kazakh exports to Azerbaijan" in page
    assert "Kazakhstan → Azerbaijan" in page  # a goods direction in words
    assert "H1 2025" in page and "Jan–Jul 2025" in page


def test_the_raw_code_check_would_catch_a_code():
    assert RAW_CODE.search("2024-H1 kz_exports_to_az (KZ)")
    assert not RAW_CODE.search("H1 2024 Kazakh exports to Azerbaijan (Kazakhstan's figures)")


def _figure(fig):
    return json.loads(fig.to_json())


def test_the_turnover_axis_runs_in_ascending_years_and_each_line_is_one_reporter():
    book = _book()
    fig = _figure(turnover_figure(book))
    axis = fig["layout"]["xaxis"]
    assert axis["categoryorder"] == "array"
    years = [int(y) for y in axis["categoryarray"]]
    assert years == sorted(years) and len(years) == len(set(years))
    for trace in fig["data"]:
        assert {str(x) for x in trace["x"]} <= set(axis["categoryarray"])  # nothing appended
        assert [int(x) for x in trace["x"]] == sorted(int(x) for x in trace["x"])
    lines = [t for t in fig["data"] if t["mode"] == "lines+markers"]
    assert len(lines) == len(book.reporters()) == 2  # Kazakhstan's and Azerbaijan's apart
    kz = next(t for t in lines if "Kazakhstan" in t["name"])
    assert dict(zip(kz["x"], kz["y"], strict=True))["2021"] is None  # a gap, not filled in
    used_az = {o.period.text for o in book.annual(Reporter.AZ)}
    assert {x for x, y in zip(kz["x"], kz["y"], strict=True) if y is not None}.isdisjoint(
        used_az - {o.period.text for o in book.annual(Reporter.KZ)}
    )


def test_no_bar_group_mixes_periods_or_reporters():
    fig = _figure(flows_figure(_book()))
    seen: dict[str, set[tuple[str, str]]] = {}
    for trace in fig["data"]:
        for x, data in zip(trace["x"], trace["customdata"], strict=True):
            seen.setdefault(x, set()).add((data[0], data[1]))  # period, reporter in words
    assert seen
    assert all(len(keys) == 1 for keys in seen.values()), seen
    assert list(seen) == [x for x in fig["layout"]["xaxis"]["categoryarray"] if x in seen]
    periods = [next(iter(k))[0] for k in seen.values()]
    assert "H1 2025" in periods and "2019" in periods  # a half year and a year, apart


def test_the_forecast_chart_and_page_show_the_backtest_winner(client):
    forecast = forecast_trade(_book())
    scored = [b for b in forecast.backtests if b.scored]
    winner = min(scored, key=lambda b: b.mape).model
    assert forecast.primary.model == winner
    names = [t.get("name", "") for t in _figure(forecast_figure(forecast))["data"]]
    assert any(name.startswith(winner) for name in names)
    assert not any(name.startswith("theta") for name in names) or winner == "theta"
    html = client.get("/trade").text
    choice = re.search(r'<p id="forecast-choice">(.*?)</p>', html, re.DOTALL)
    assert choice is not None
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", choice.group(1))).strip()
    assert text.startswith(f"Forecast shown: {winner}")
    assert f"{forecast.winner.mape * 100:.1f} %" in text
    assert 'class="shown" data-model="naive"' in html  # the bundled data: naive wins
    assert "theta (statsmodels ThetaModel) is not shown" in text


def test_the_seed_article_figures_are_on_the_page_with_their_source(client):
    html = client.get("/trade").text
    table = re.search(r'<table class="data" id="seed-figures">(.*?)</table>', html, re.DOTALL)
    assert table is not None
    body = html_lib.unescape(table.group(1))
    for figure in ("331.7", "281.6", "50.0", "448.0", "109.0", "529.0", "1,000.0"):
        assert figure in body, figure
    assert body.count(f'href="#src-{SEED}"') >= 7
    assert f'id="src-{SEED}"' in html
    assert "501.0" in body  # the Azerbaijani H1 2025 figure beside the article's


def test_the_page_is_built_once_per_network_and_again_when_the_dataset_changes(client, monkeypatch):
    builds = []
    real = trade_web.trade_context

    def counting(network):
        builds.append(network)
        return real(network)

    monkeypatch.setattr(trade_web, "trade_context", counting)
    for _ in range(3):
        assert client.get("/trade").status_code == 200
    assert len(builds) == 1
    service = client.app.state.platform.network
    reloaded = dataclasses.replace(service.get_network())  # what a new dataset load hands out
    monkeypatch.setattr(service, "get_network", lambda: reloaded)
    assert client.get("/trade").status_code == 200
    assert client.get("/trade").status_code == 200
    assert len(builds) == 2 and builds[-1] is reloaded
