"""The planner page in Debian's chromium: plan Xi'an to Duisburg, see the options side by side,
the chosen itinerary drawn on the map and its legs as a timeline; a bad mass is shown."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_planning_xian_to_duisburg_shows_options_a_map_and_a_timeline(page: Page, live_server):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server}/planner")

    page.get_by_label("From", exact=True).select_option("CNXIA")
    page.get_by_label("To", exact=True).select_option("DEDUI")
    page.get_by_label("Ready on").fill("2027-03-03")
    page.get_by_role("button", name="Plan route").click()

    options = page.get_by_role("list", name="Options").get_by_role("listitem")
    expect(options.first).to_be_visible(timeout=20_000)
    for corridor in ("middle corridor", "northern corridor", "suez corridor"):
        expect(options.filter(has_text=corridor).first).to_be_visible()
    expect(page.locator("path.tc-route").first).to_be_attached()
    rows = page.locator("#timeline tbody tr")
    expect(rows.first).to_contain_text("Xi'an")

    last = options.count()
    page.get_by_role("button", name=f"Show option {last}").click()
    expect(options.nth(last - 1)).to_have_attribute("aria-current", "true")
    assert all(urlparse(url).hostname == "127.0.0.1" for url in requests), requests


def test_a_negative_mass_is_reported_beside_the_form(page: Page, live_server):
    page.goto(f"{live_server}/planner")
    page.get_by_label("Cargo mass (t)").fill("-3")
    page.get_by_role("button", name="Plan route").click()
    expect(page.get_by_role("alert")).to_contain_text("mass_t")
