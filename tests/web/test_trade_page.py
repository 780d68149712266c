"""The Trade page: its charts, tables and sources, and nothing loaded from another host."""

import re

REMOTE = re.compile(
    r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""",
    re.IGNORECASE,
)
URL_IN_SCRIPT = re.compile(r"""(?:src|href|url)\s*[:=(]\s*["']?(?:https?:)?//""", re.IGNORECASE)


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
