"""The UI shell and the map page, through the TestClient: local assets only, one navigation."""

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from transcaspian.api.app import create_app
from transcaspian.web import routes as web_routes
from transcaspian.web.assets import STATIC_DIR, VENDOR_FILES
from transcaspian.web.navigation import NAVIGATION, NavItem
from transcaspian.web.routes import TEMPLATES_DIR

URL = re.compile(r"""(?:https?:)?//([^/\s"'<>)`]+)""")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "testserver"}
LOADED = re.compile(
    r"""<(?:script|link|img|iframe|source|audio|video|embed|object)\b[^>]*>"""
    r"""|url\([^)]*\)|@import[^;]*;|fetch\([^)]*\)""",
    re.IGNORECASE,
)


def _foreign_urls(text):
    return sorted({m.group(0) for m in URL.finditer(text) if m.group(1) not in LOCAL_HOSTS})


def test_the_map_page_renders_with_its_map_panel_and_filter(client):
    page = client.get("/")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert 'id="map"' in html and 'aria-label="Map of the Trans-Caspian corridor' in html
    assert '<h2 id="panel-title">' in html and 'aria-labelledby="panel-title"' in html
    assert 'id="corridor-filter"' in html
    for corridor in ("middle", "northern", "suez"):
        assert f'value="{corridor}"' in html
    assert "not an endorsement" in html


def test_the_map_page_references_vendored_assets_only(client):
    html = client.get("/").text

    scripts = re.findall(r'<script src="([^"]+)"', html)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert "/static/vendor/leaflet/leaflet.js" in scripts
    assert "/static/vendor/topojson-client/topojson-client.min.js" in scripts
    assert "/static/vendor/htmx/htmx.min.js" in scripts
    assert "/static/vendor/leaflet/leaflet.css" in styles
    for url in scripts + styles:
        assert url.startswith("/static/")
        assert client.get(url).status_code == 200, url
    countries = client.get("/static/vendor/world-atlas/countries-50m.json")
    assert countries.status_code == 200 and countries.json()["type"] == "Topology"


def test_the_navigation_lists_every_page_once_and_each_link_answers(client):
    html = client.get("/").text

    nav = html[html.index('<nav aria-label="Main">') : html.index("</nav>")]
    for item in NAVIGATION:
        assert nav.count(f'href="{item.path}"') == 1
        assert f">{item.label}</a>" in nav
        assert client.get(item.path).status_code == 200
    assert 'aria-current="page"' in nav


def test_a_page_not_built_yet_says_so_inside_the_shell(platform, monkeypatch):
    # every page of the menu is built now; a page still to come gets the placeholder
    item = NavItem("Later", "/later", "A page still to come")
    monkeypatch.setattr(web_routes, "NAVIGATION", (*NAVIGATION, item))
    with TestClient(create_app(platform)) as client:
        html = client.get(item.path).text

    assert f"<h1>{item.label}</h1>" in html
    assert "not built yet" in html
    assert '<nav aria-label="Main">' in html


@pytest.mark.parametrize("path", ["/", "/docs", *[x.path for x in NAVIGATION]])
def test_served_pages_load_nothing_from_another_host(client, path):
    # Links to a figure's source (<a href>) may name other hosts; nothing may be loaded from one.
    html = client.get(path).text

    loads = [m.group(0) for m in LOADED.finditer(html)]
    assert _foreign_urls("\n".join(loads)) == []


@pytest.mark.parametrize("path", ["/", "/docs"])
def test_the_map_and_the_docs_name_no_other_host_at_all(client, path):
    assert _foreign_urls(client.get(path).text) == []


def test_our_templates_scripts_and_styles_name_no_other_host():
    ours = [
        *TEMPLATES_DIR.rglob("*.html"),
        *(STATIC_DIR / "js").rglob("*.js"),
        *(STATIC_DIR / "css").rglob("*.css"),
    ]

    assert len(ours) >= 4
    for file in ours:
        assert _foreign_urls(file.read_text(encoding="utf-8")) == [], file


def test_missing_vendor_assets_show_a_clear_message_instead_of_a_broken_map(platform, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    client = TestClient(create_app(platform, static_dir=static))

    html = client.get("/").text

    assert 'role="alert"' in html
    assert "scripts/build-assets" in html
    assert "vendor/leaflet/leaflet.js" in html
    assert '<script src="/static/vendor/leaflet/leaflet.js"' not in html


def test_every_vendored_file_is_present_in_this_checkout():
    missing = [name for name in VENDOR_FILES if not (STATIC_DIR / "vendor" / name).is_file()]

    assert missing == [], "run scripts/build-assets"
    assert Path(STATIC_DIR / "vendor" / "versions.json").is_file()
