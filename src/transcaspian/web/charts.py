"""Plotly charts in our pages, with plotly.js served by the app itself (no CDN, no npm).

plotly.js comes from the installed Python ``plotly`` package (``package_data/plotly.min.js``),
so the browser library always matches the Python version that wrote the figure JSON.

Use it in three steps:

1. the app includes ``router`` (before any ``StaticFiles`` mount at ``/static``: a mount matches
   every path under it, so a route listed after it would never be reached);
2. a page template puts ``{{ plotly_script_tag() | safe }}`` once in its ``<head>`` or before
   its first chart (``PLOTLY_JS_URL`` is the bare path);
3. a view renders each figure with ``figure_html(fig, "turnover-chart")`` and passes the string
   to the template, which writes it with ``| safe``.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse

__all__ = ["PLOTLY_JS_URL", "figure_html", "plotly_js_path", "plotly_script_tag", "router"]

PLOTLY_JS_URL = "/static/plotly/plotly.min.js"

router = APIRouter()


@router.get(PLOTLY_JS_URL, include_in_schema=False)
def plotly_js() -> FileResponse:
    """The bundled plotly.min.js, cacheable for a day (the path changes only with plotly)."""
    return FileResponse(
        plotly_js_path(),
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=86400"},
    )


def plotly_script_tag() -> str:
    """The ``<script>`` element that loads plotly.js from this app."""
    return f'<script src="{PLOTLY_JS_URL}" charset="utf-8"></script>'


def figure_html(fig: Any, div_id: str, *, height_px: int | None = None) -> str:
    """A Plotly figure as an HTML fragment (a ``div`` and its inline script) for a template.

    ``div_id`` becomes the element id, so a page and its tests can find the chart. The fragment
    does not load plotly.js (the page includes ``plotly_script_tag()`` once) and links no CDN,
    MathJax or plot.ly URL. ``height_px`` fixes the chart height; by default Plotly's own.
    """
    html: str = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        div_id=div_id,
        default_height=f"{height_px}px" if height_px else "100%",
        config={"displaylogo": False, "responsive": True},
    )
    return html


@cache
def plotly_js_path() -> Path:
    """Where the installed plotly package keeps plotly.min.js (FileNotFoundError if absent)."""
    path = Path(str(files("plotly") / "package_data" / "plotly.min.js"))
    if not path.is_file():
        raise FileNotFoundError(f"plotly.min.js is not in the installed plotly package: {path}")
    return path
