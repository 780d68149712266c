"""POST /api/v1/routes/search: options on the bundled network, problems for bad requests."""

import pytest

XIAN_DUISBURG = {
    "origin": "CNXIA",
    "destination": "DEDUI",
    "ready_on": "2027-03-03",
    "cargo": {"containers_40ft": 1, "mass_t": 20},
    "samples": 200,
}


def test_xian_to_duisburg_answers_options_with_times_costs_co2e_and_sources(client):
    response = client.post("/api/v1/routes/search", json=XIAN_DUISBURG)
    assert response.status_code == 200, response.text
    body = response.json()
    assert {o["corridor"] for o in body["itineraries"]} == {"middle", "northern", "suez"}
    assert body["methods"]["glec_version"].startswith("GLEC Framework v3.0")
    known_sources = {s["source_id"] for s in body["sources"]}
    for option in body["itineraries"]:
        assert option["p90_arrival_at"] >= option["p50_arrival_at"] > option["ready_at"]
        assert option["emission_factors"], "every result lists its factors"
        for factor in option["emission_factors"]:
            assert factor["sources"] and set(factor["sources"]) <= known_sources
        assert option["co2e_kg"] == pytest.approx(
            sum(leg["co2e_kg"] for leg in option["legs"])
            + sum(leg["handling"]["hub_co2e_kg"] or 0 for leg in option["legs"]),
            abs=0.01,
        )
        for leg in option["legs"]:
            if leg["service_id"]:
                assert leg["departure_basis"] in {"timetable", "frequency"}
            for emission in leg["emissions"]:
                assert emission["co2e_kg"] == pytest.approx(
                    emission["activity"] * emission["g_co2e_per_unit"] / 1000
                )
            if leg["cost_usd"] is None:
                assert "no published tariff" in leg["price_note"]


def test_the_same_request_and_seed_give_the_same_p50_and_p90(client):
    first = client.post("/api/v1/routes/search", json=XIAN_DUISBURG).json()
    second = client.post("/api/v1/routes/search", json=XIAN_DUISBURG).json()
    assert [(o["p50_arrival_at"], o["p90_arrival_at"]) for o in first["itineraries"]] == [
        (o["p50_arrival_at"], o["p90_arrival_at"]) for o in second["itineraries"]
    ]


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"origin": "XXNOPE"}, "/origin"),
        ({"destination": "CNXIA"}, "/destination"),
        ({"cargo": {"containers_40ft": 1, "mass_t": -5}}, "/body/cargo/mass_t"),
        ({"ready_on": "2027-13-45"}, "/body/ready_on"),
    ],
)
def test_a_bad_request_is_a_422_problem_naming_the_field(client, change, pointer):
    response = client.post("/api/v1/routes/search", json={**XIAN_DUISBURG, **change})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert pointer in [e["pointer"] for e in response.json()["errors"]]


def test_the_openapi_document_shows_the_xian_duisburg_example(client):
    operation = client.get("/openapi.json").json()["paths"]["/api/v1/routes/search"]["post"]
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    assert examples["xian-duisburg"]["value"]["origin"] == "CNXIA"
    assert "422" in operation["responses"]
