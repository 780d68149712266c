"""Every error is an RFC 9457 problem detail (application/problem+json) of one shape."""

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from transcaspian.api.app import create_app
from transcaspian.api.problems import (
    _CODE_BY_STATUS,
    STATUS_BY_ERROR,
    json_pointer,
    status_for,
)
from transcaspian.domain.errors import (
    ConflictError,
    DatasetError,
    DatasetProblem,
    InvalidTransitionError,
    InvalidValueError,
    NotFoundError,
    PermissionDeniedError,
)

API = "/api/v1"


def assert_problem(response, status, type_):
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == type_
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert body["instance"] == response.request.url.path
    return body


@pytest.mark.parametrize(
    ("path", "params", "pointer"),
    [
        ("/legs", {"mode": "hovercraft"}, "/query/mode"),
        ("/legs", {"corridor": "arctic"}, "/query/corridor"),
        ("/locations", {"kind": "castle"}, "/query/kind"),
        ("/locations", {"limit": "ten"}, "/query/limit"),
        ("/locations", {"limit": "0"}, "/query/limit"),
        ("/locations", {"limit": "501"}, "/query/limit"),
        ("/services", {"offset": "-1"}, "/query/offset"),
        ("/locations", {"country": "KAZ"}, "/query/country"),
        ("/network.geojson", {"mode": "zeppelin"}, "/query/mode"),
        ("/network.geojson", {"corridor": "silk"}, "/query/corridor"),
    ],
)
def test_a_bad_query_parameter_is_a_422_problem_naming_it(client, path, params, pointer):
    response = client.get(API + path, params=params)

    body = assert_problem(response, 422, "/problems/invalid-request")
    assert body["errors"][0]["pointer"] == pointer
    assert pointer.rsplit("/", 1)[-1] in body["detail"]


def test_an_unknown_location_is_a_404_problem(client):
    body = assert_problem(client.get(f"{API}/locations/XXZZZ"), 404, "/problems/not-found")

    assert "XXZZZ" in body["detail"]
    assert body["errors"] == [{"pointer": "/location_id", "detail": body["detail"]}]


@pytest.mark.parametrize(
    "path",
    ["/legs/no-such-leg", "/services/no-such-service", "/sources/no-such-source"],
)
def test_unknown_ids_are_404_problems(client, path):
    assert_problem(client.get(API + path), 404, "/problems/not-found")


def test_a_filter_on_an_unknown_location_is_a_404_problem(client):
    body = assert_problem(
        client.get(f"{API}/legs", params={"location_id": "XXZZZ"}), 404, "/problems/not-found"
    )
    assert body["errors"][0]["pointer"] == "/location_id"


def test_an_unknown_route_is_a_404_problem(client):
    body = assert_problem(client.get("/api/v1/nowhere"), 404, "/problems/not-found")
    assert "/api/v1/nowhere" in body["detail"]


def test_a_wrong_method_is_a_405_problem_with_allow(client):
    response = client.delete(f"{API}/locations")

    assert_problem(response, 405, "/problems/method-not-allowed")
    assert "GET" in response.headers["allow"]


def test_an_unexpected_error_is_a_generic_500_with_a_logged_request_id(platform, caplog):
    app = create_app(platform)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    with caplog.at_level(logging.ERROR, logger="transcaspian.api.problems"):
        response = TestClient(app).get("/boom")

    body = assert_problem(response, 500, "/problems/internal-error")
    assert "secret internals" not in response.text
    assert body["request_id"] == response.headers["x-request-id"]
    assert body["request_id"] in body["detail"]
    logged = [r for r in caplog.records if body["request_id"] in r.getMessage()]
    assert logged and logged[0].exc_info is not None


def test_no_dataset_loaded_is_a_404_problem_with_its_own_type(platform):
    class Empty:
        def get_network(self):
            raise NotFoundError("no corridor dataset is loaded", code="no-dataset")

        def get_version(self):
            return None

    platform.network = Empty()
    client = TestClient(create_app(platform))

    for path in ("/locations", "/dataset"):
        assert_problem(client.get(API + path), 404, "/problems/no-dataset")


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InvalidValueError("x: bad"), 422),
        (NotFoundError("no x"), 404),
        (ConflictError("dup"), 409),
        (InvalidTransitionError("revoked"), 409),
        (PermissionDeniedError("no"), 403),
        (DatasetError([DatasetProblem("legs.csv", 3, "distance_km", "not positive")]), 422),
    ],
)
def test_each_domain_error_maps_to_its_status(error, status):
    assert status_for(error) == status
    assert type(error) in STATUS_BY_ERROR


def test_a_domain_error_raised_in_a_route_becomes_its_problem(platform):
    app = create_app(platform)

    @app.get("/dataset-problem")
    def dataset_problem():
        raise DatasetError([DatasetProblem("legs.csv", 3, "distance_km", "-5 is not positive")])

    body = assert_problem(TestClient(app).get("/dataset-problem"), 422, "/problems/invalid-dataset")
    assert body["errors"] == [
        {"pointer": "/legs.csv/3/distance_km", "detail": "-5 is not positive"}
    ]


def test_json_pointers_escape_slash_and_tilde():
    assert json_pointer(("body", "legs", 0, "a/b~c")) == "/body/legs/0/a~1b~0c"


def test_docs_list_every_problem_type_the_api_answers():
    listed = (Path(__file__).parents[2] / "docs" / "problems.md").read_text(encoding="utf-8")
    codes = {*_CODE_BY_STATUS.values(), *(cls.code for cls in STATUS_BY_ERROR), "no-dataset"}
    for code in codes:
        assert f"`/problems/{code}`" in listed, code
