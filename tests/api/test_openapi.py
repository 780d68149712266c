"""The OpenAPI document: every GET route answers, errors are declared as problem details."""

import re

API = "/api/v1"
PROBLEM = "application/problem+json"


def test_the_document_names_the_platform_and_its_version(client):
    spec = client.get("/openapi.json").json()

    assert spec["info"]["title"] == "transcaspian"
    assert spec["info"]["version"]
    assert "/api/v1/network.geojson" in spec["paths"]


def test_every_get_route_answers_with_a_declared_status(client):
    spec = client.get("/openapi.json").json()
    examples = {
        "location_id": "KZAAU",
        "leg_id": "KZAAU-AZALA-ferry",
        "service_id": client.get(f"{API}/services").json()["items"][0]["service_id"],
        "source_id": client.get(f"{API}/sources").json()["items"][0]["source_id"],
    }

    answered = 0
    for path, operations in spec["paths"].items():
        if "get" not in operations:
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: examples[m.group(1)], path)
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        assert str(response.status_code) in operations["get"]["responses"]
        answered += 1
    assert answered >= 13


def test_every_api_route_declares_its_problem_responses(client):
    spec = client.get("/openapi.json").json()

    for path, operations in spec["paths"].items():
        responses = operations["get"]["responses"]
        for status in ("404", "422"):
            assert status in responses, (path, status)
            assert list(responses[status]["content"]) == [PROBLEM], (path, status)
    assert "Problem" in spec["components"]["schemas"]


def test_swagger_ui_is_served_without_a_cdn(client):
    page = client.get("/docs")

    assert page.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
