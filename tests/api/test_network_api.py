"""The network read API: filters, pagination, one-item lookups and the dataset version."""

import pytest

API = "/api/v1"


def test_locations_list_is_paginated_with_its_total(client):
    first = client.get(f"{API}/locations", params={"limit": 5}).json()
    second = client.get(f"{API}/locations", params={"limit": 5, "offset": 5}).json()

    assert first["total"] == second["total"] > 10
    assert (first["offset"], first["limit"], len(first["items"])) == (0, 5, 5)
    first_ids = {x["location_id"] for x in first["items"]}
    second_ids = {x["location_id"] for x in second["items"]}
    assert first_ids.isdisjoint(second_ids)


def test_an_offset_past_the_end_gives_an_empty_page_with_the_total(client):
    total = client.get(f"{API}/locations").json()["total"]

    page = client.get(f"{API}/locations", params={"offset": total + 3}).json()

    assert page == {"items": [], "total": total, "offset": total + 3, "limit": 100}


def test_locations_filter_by_country_and_kind(client):
    page = client.get(f"{API}/locations", params={"country": "kz", "kind": "seaport"}).json()

    assert page["total"] >= 1
    assert {x["country"] for x in page["items"]} == {"KZ"}
    assert {x["kind"] for x in page["items"]} == {"seaport"}
    assert "KZAAU" in {x["location_id"] for x in page["items"]}


def test_locations_filter_by_a_name_substring(client):
    items = client.get(f"{API}/locations", params={"q": "aktau"}).json()["items"]

    assert "KZAAU" in {x["location_id"] for x in items}
    assert all("aktau" in (x["name"] + x["location_id"]).lower() for x in items)


def test_a_location_shows_its_code_coordinates_and_sources(client):
    aktau = client.get(f"{API}/locations/KZAAU").json()

    assert aktau["un_locode"] == "KZ AAU"
    assert 50 < aktau["lon"] < 52 and 43 < aktau["lat"] < 44
    assert aktau["source_ids"]


@pytest.mark.parametrize("mode", ["rail", "road", "ferry", "sea"])
def test_legs_filter_by_mode(client, mode):
    items = client.get(f"{API}/legs", params={"mode": mode, "limit": 500}).json()["items"]

    assert items
    assert {x["mode"] for x in items} == {mode}


def test_rail_legs_carry_their_gauge_and_other_legs_none(client):
    legs = client.get(f"{API}/legs", params={"limit": 500}).json()["items"]

    gauges = {x["gauge_mm"] for x in legs if x["mode"] == "rail"}
    assert gauges == {1520, 1435}
    assert {x["gauge_mm"] for x in legs if x["mode"] != "rail"} == {None}


def test_legs_filter_by_corridor_location_and_country(client):
    middle = client.get(f"{API}/legs", params={"corridor": "middle", "limit": 500}).json()
    at_aktau = client.get(f"{API}/legs", params={"location_id": "KZAAU"}).json()
    in_georgia = client.get(f"{API}/legs", params={"country": "GE", "limit": 500}).json()

    assert all("middle" in x["corridors"] for x in middle["items"])
    assert at_aktau["items"]
    assert all("KZAAU" in (x["origin"], x["destination"]) for x in at_aktau["items"])
    assert in_georgia["total"] > 0
    assert in_georgia["total"] < client.get(f"{API}/legs").json()["total"]


def test_a_leg_gives_each_figure_with_its_sources(client):
    leg = client.get(f"{API}/legs/KZAAU-AZALA-ferry").json()

    assert leg["mode"] == "ferry"
    assert leg["distance_km"] > 0 and leg["distance_source_ids"]
    time = leg["running_time"]
    assert 0 <= time["min_h"] <= time["p50_h"] <= time["p90_h"]
    assert leg["time_source_ids"]


def test_every_source_id_of_every_leg_resolves(client):
    legs = client.get(f"{API}/legs", params={"limit": 500}).json()["items"]
    sources = client.get(f"{API}/sources", params={"limit": 500}).json()

    known = {x["source_id"] for x in sources["items"]}
    used = {s for leg in legs for s in leg["distance_source_ids"] + leg["time_source_ids"]}
    assert sources["total"] == len(sources["items"])
    assert used <= known
    one = sorted(used)[0]
    assert client.get(f"{API}/sources/{one}").json()["source_id"] == one


def test_services_filter_by_mode_and_calling_location(client):
    ferries = client.get(f"{API}/services", params={"mode": "ferry"}).json()["items"]
    at_aktau = client.get(f"{API}/services", params={"location_id": "KZAAU"}).json()["items"]

    assert ferries and {x["mode"] for x in ferries} == {"ferry"}
    assert at_aktau and all("KZAAU" in x["stops"] for x in at_aktau)
    one = client.get(f"{API}/services/{ferries[0]['service_id']}").json()
    assert one == ferries[0]
    assert one["time_source_ids"] and one["source_ids"]


def test_tariffs_filter_by_scope_and_reference(client):
    every = client.get(f"{API}/tariffs", params={"limit": 500}).json()
    leg_tariffs = client.get(f"{API}/tariffs", params={"scope": "leg"}).json()["items"]

    assert every["total"] > 0
    assert all(x["scope"] == "leg" for x in leg_tariffs)
    sample = every["items"][0]
    by_ref = client.get(
        f"{API}/tariffs", params={"scope": sample["scope"], "scope_ref": sample["scope_ref"]}
    ).json()["items"]
    assert sample in by_ref
    assert float(sample["amount"]) >= 0 and sample["source_ids"]


def test_tariffs_filter_by_a_through_rate_end(client):
    items = client.get(f"{API}/tariffs", params={"location_id": "KZAAU"}).json()["items"]

    assert items
    for tariff in items:
        assert tariff["scope"] == "segment"
        assert "KZAAU" in tariff["scope_ref"].split(">")


def test_capacities_filter_by_subject(client):
    every = client.get(f"{API}/capacities", params={"limit": 500}).json()["items"]
    subject = every[0]["subject"]

    items = client.get(f"{API}/capacities", params={"subject": subject}).json()["items"]

    assert items and {x["subject"] for x in items} == {subject}
    assert all(x["source_ids"] for x in items)


def test_dwell_times_filter_by_location(client):
    every = client.get(f"{API}/dwell-times", params={"limit": 500}).json()["items"]
    location_id = every[0]["location_id"]

    items = client.get(f"{API}/dwell-times", params={"location_id": location_id}).json()["items"]

    assert items and {x["location_id"] for x in items} == {location_id}
    duration = items[0]["duration"]
    assert duration["min_h"] <= duration["p50_h"] <= duration["p90_h"]


def test_dataset_tells_the_stored_version_and_its_counts(client):
    dataset = client.get(f"{API}/dataset").json()
    locations = client.get(f"{API}/locations").json()["total"]

    assert len(dataset["digest"]) == 64
    assert dataset["counts"]["locations"] == locations
    assert dataset["counts"]["legs"] == client.get(f"{API}/legs").json()["total"]


def test_a_through_rate_names_the_modes_it_covers(client):
    tariffs = client.get("/api/v1/tariffs", params={"limit": 500}).json()["items"]
    by_id = {t["tariff_id"]: t for t in tariffs}
    assert by_id["erai-2024-07-dostyk-brest"]["modes"] == ["rail"]
    assert by_id["wci-2024-01-25-sha-rtm"]["modes"] == ["sea"]
    assert "argus-storm-surcharge-china-baku" not in by_id  # a surcharge, not a rate
