"""The shared chart helper: plotly.js served by the app, figures embedded without any CDN."""

import re

import plotly.graph_objects as go
from fastapi import FastAPI
from fastapi.testclient import TestClient

from transcaspian.web.charts import (
    PLOTLY_JS_URL,
    figure_html,
    plotly_js_path,
    plotly_script_tag,
    router,
)

URL = re.compile(r"""(?:https?:)?//[^\s"'<>)]+""")


def _client() -> TestClient:
    app = FastAPI()
    app.include_router(router)
    return TestClient(app)


def test_plotly_js_is_served_from_the_installed_package():
    response = _client().get(PLOTLY_JS_URL)
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert response.content == plotly_js_path().read_bytes()
    assert b"plotly.js" in response.content[:2000]


def test_the_script_tag_points_at_the_local_copy():
    assert f'src="{PLOTLY_JS_URL}"' in plotly_script_tag()
    assert not URL.search(plotly_script_tag())


def test_a_figure_fragment_has_its_div_and_no_remote_url():
    html = figure_html(go.Figure(go.Bar(x=["2023"], y=[529.4])), "turnover-chart", height_px=300)
    assert 'id="turnover-chart"' in html
    assert "Plotly.newPlot" in html
    assert "<script src" not in html  # plotly.js itself is loaded once by the page
    assert URL.findall(html) == []
    assert "300px" in html
