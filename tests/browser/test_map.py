"""The map page in Debian's chromium: the network is drawn offline and a selection shows its
figures with their sources."""

import re
from urllib.parse import urlparse

import httpx
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def recorded(page: Page):
    """Every URL the page requests."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def _api(live_server, path):
    return httpx.get(f"{live_server}/api/v1{path}", timeout=10).json()


def test_the_map_draws_countries_every_location_and_every_leg(page, live_server, recorded):
    locations = _api(live_server, "/locations")["total"]
    legs = _api(live_server, "/legs")["total"]

    page.goto(f"{live_server}/")

    expect(page.get_by_role("status")).to_have_text(f"{locations} locations, {legs} legs")
    expect(page.locator("path.tc-location")).to_have_count(locations)
    expect(page.locator("path.tc-leg")).to_have_count(legs)
    expect(page.locator("path.tc-country").nth(100)).to_be_attached()
    expect(page.locator("path.tc-leg--ferry").first).to_have_attribute("stroke-dasharray", "8 6")
    assert recorded and all(urlparse(url).hostname == "127.0.0.1" for url in recorded), recorded


def test_selecting_aktau_shows_its_figures_with_their_sources(page, live_server, recorded):
    aktau = _api(live_server, "/locations/KZAAU")
    source = _api(live_server, f"/sources/{aktau['source_ids'][0]}")
    page.goto(f"{live_server}/")

    marker = page.get_by_role("button", name=re.compile(rf"^{re.escape(aktau['name'])} \("))
    marker.focus()
    marker.press("Enter")

    panel = page.get_by_role("complementary")
    expect(panel.get_by_role("heading", level=2)).to_have_text(aktau["name"])
    position = panel.get_by_role("row").filter(has_text="Position")
    expect(position).to_contain_text(f"{aktau['lat']:.2f}°N")
    expect(position.get_by_role("link", name=source["title"])).to_be_visible()
    assert all(urlparse(url).hostname == "127.0.0.1" for url in recorded), recorded


def test_clicking_a_ferry_leg_shows_its_distance_and_its_source(page, live_server, recorded):
    leg = _api(live_server, "/legs/KZAAU-AZALA-ferry")
    source = _api(live_server, f"/sources/{leg['distance_source_ids'][0]}")
    page.goto(f"{live_server}/")
    expect(page.get_by_role("status")).to_contain_text("legs")

    page.locator('[data-leg-id="KZAAU-AZALA-ferry"]').dispatch_event("click")

    panel = page.get_by_role("complementary")
    expect(panel.get_by_role("heading", level=2)).to_contain_text("–")
    distance = panel.get_by_role("row").filter(has_text="Distance")
    expect(distance).to_contain_text(f"{leg['distance_km']:,.0f} km")
    expect(distance.get_by_role("link", name=source["title"])).to_be_attached()
    running = panel.get_by_role("row").filter(has_text="Running time")
    expect(running).to_contain_text(f"{leg['running_time']['p50_h']:g} h")
    assert all(urlparse(url).hostname == "127.0.0.1" for url in recorded), recorded


def test_a_real_click_on_a_marker_opens_its_panel(page, live_server):
    rotterdam = _api(live_server, "/locations/NLRTM")
    page.goto(f"{live_server}/")

    page.locator('[data-location-id="NLRTM"]').click()

    expect(page.get_by_role("complementary").get_by_role("heading", level=2)).to_have_text(
        rotterdam["name"]
    )


def test_the_corridor_filter_redraws_the_network(page, live_server):
    northern = httpx.get(
        f"{live_server}/api/v1/network.geojson", params={"corridor": "northern"}, timeout=10
    ).json()
    legs = sum(f["properties"]["feature_type"] == "leg" for f in northern["features"])
    page.goto(f"{live_server}/")
    expect(page.get_by_role("status")).to_contain_text("legs")

    page.get_by_label("Corridor", exact=True).select_option("northern")

    expect(page.locator("path.tc-leg")).to_have_count(legs)
    expect(page.locator('[data-leg-id="KZAAU-AZALA-ferry"]')).to_have_count(0)
