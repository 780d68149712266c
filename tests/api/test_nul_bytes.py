"""A NUL byte in any string of a request (path, query, JSON body, form) is refused with a 4xx
problem naming the field, before it can reach the database: PostgreSQL refuses NUL in text, so
today these answer 500 there. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.integration.documents.corridor import Corridor, build_corridor
from transcaspian.api.app import create_app
from transcaspian.bootstrap import Platform, SystemClock
from transcaspian.documents.types.samples import sample_subject
from transcaspian.services.network import NetworkReader
from transcaspian.settings import Settings
from transcaspian.store.unit_of_work import SqlAlchemyUnitOfWork

NUL = "\x00"


@pytest.fixture
def served(engine) -> Iterator[tuple[TestClient, Corridor]]:
    """The app on this test's database (SQLite and PostgreSQL) with a corridor of organisations."""

    def uow_factory() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(engine)

    platform = Platform(
        settings=Settings(database_url=str(engine.url)),
        engine=engine,
        uow_factory=uow_factory,
        clock=SystemClock(),
        network=NetworkReader(uow_factory),
    )
    corridor = build_corridor(platform)
    with TestClient(create_app(platform), raise_server_exceptions=False) as client:
        yield client, corridor


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _refused(response, pointer: str, *, named_in_detail: bool = True) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert [e["pointer"] for e in problem["errors"]] == [pointer], problem
    if named_in_detail:  # the VC API routes' problems name the field by the pointer only
        assert pointer.rsplit("/", 1)[-1] in problem["detail"]
    assert "NUL" in problem["detail"]


@pytest.mark.parametrize(
    ("path", "pointer"),
    [
        ("/api/v1/organisations/ktz%00x", "/path/slug"),
        ("/orgs/ktz%00x/did.json", "/path/slug"),
        ("/status-lists/ktz-revocation%00", "/path/list_id"),
        ("/api/v1/simulations/run%00", "/path/run_id"),
        ("/api/v1/documents/doc%00", "/path/document_id"),
        ("/api/v1/locations?q=KZ%00", "/query/q"),
        ("/api/v1/locations/KZ%00AAU", "/path/location_id"),
    ],
)
def test_a_nul_in_a_path_or_query_is_a_problem(served, path, pointer):
    client, corridor = served
    _refused(client.get(path, headers=_bearer(corridor.tokens["ktz"])), pointer)


def test_a_nul_in_a_json_body_is_a_problem_naming_the_field(served):
    client, corridor = served
    carrier = _bearer(corridor.tokens["caspian-lines"])
    issue = {
        "document_type": "bill-of-lading",
        "subject": sample_subject("bill-of-lading"),
        "holder": "kaz-exporter",
    }
    _refused(
        client.post("/api/v1/documents", json={**issue, "holder": f"kaz{NUL}"}, headers=carrier),
        "/body/holder",
    )
    _refused(
        client.post(
            "/api/v1/documents", json={**issue, "parties": ["ktz", f"x{NUL}"]}, headers=carrier
        ),
        "/body/parties/1",
    )
    issued = client.post("/api/v1/documents", json=issue, headers=carrier)
    assert issued.status_code == 201, issued.text
    document_id = issued.json()["document_id"]
    _refused(
        client.post(
            f"/api/v1/documents/{document_id}/transfers",
            json={"to": f"halyk-bank{NUL}"},
            headers=_bearer(corridor.tokens["kaz-exporter"]),
        ),
        "/body/to",
    )
    _refused(
        client.post(
            "/api/v1/simulations",
            json={"scenario": f"baseline{NUL}", "replications": 1},
            headers=carrier,
        ),
        "/body/scenario",
    )
    credential = client.get(f"/api/v1/documents/{document_id}/credential", headers=carrier).json()
    credential["id"] = f"urn:uuid:{NUL}"
    response = client.post("/credentials/verify", json={"verifiableCredential": credential})
    # the VC API names members by their pointer in the request body, as its own problems do
    _refused(response, "/verifiableCredential/id", named_in_detail=False)
    assert response.status_code == 400  # the VC API's status for a malformed request
    # a key with a NUL is named too
    response = client.post(
        "/api/v1/documents", json={**issue, "subject": {f"a{NUL}": 1}}, headers=carrier
    )
    _refused(response, "/body/subject/a\x00")


def test_the_same_requests_without_nul_are_answered(served):
    client, _ = served
    assert client.get("/api/v1/organisations/ktz").status_code == 200
    assert client.get("/orgs/ktz/did.json").status_code == 200
    assert client.get("/api/v1/simulations/nope").status_code == 404


def test_nan_and_infinity_in_a_json_body_are_refused(served):
    client, corridor = served
    carrier = _bearer(corridor.tokens["caspian-lines"])
    subject = sample_subject("bill-of-lading")
    text = (
        '{"document_type": "bill-of-lading", "holder": "kaz-exporter", "subject": '
        + __import__("json").dumps(subject)[:-1]
        + ', "grossMassKg": NaN}}'
    )
    response = client.post(
        "/api/v1/documents",
        content=text,
        headers={**carrier, "Content-Type": "application/json"},
    )
    # refused before any route parses it (api/json_text.py): not I-JSON text is a 400 naming
    # the member's pointer in the request body
    assert response.status_code == 400, response.text
    problem = response.json()
    assert [e["pointer"] for e in problem["errors"]] == ["/subject/grossMassKg"]
    assert "NaN" in problem["detail"]
