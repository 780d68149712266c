"""Every mutating route in the OpenAPI document: no token -> 401, another organisation's token
-> 403, and nothing stored changes (the whole database is dumped before and after)."""

import pytest
from sqlalchemy import text

from tests.api.documents.conftest import bearer
from transcaspian.documents.types.samples import sample_subject

MUTATING = {"post", "put", "patch", "delete"}
# POSTs that only read, open to anyone by design (checked below to change nothing all the same):
# verification, and route search (a query too large for a URL)
OPEN = {
    ("post", "/api/v1/documents/verify"),
    ("post", "/credentials/verify"),
    ("post", "/presentations/verify"),
    ("post", "/api/v1/routes/search"),
}
# Self-service: any user may make a token for themselves (anonymous: 401 all the same)
SELF_SERVICE = {("post", "/api/v1/tokens")}
# Someone else's token is answered 404, as if it did not exist
NOT_FOUND_TO_STRANGERS = {("delete", "/api/v1/tokens/{token_id}")}
# Every other mutating route answers 403 to the stranger: routes acting on something an
# organisation owns (documents, its keys, the credentials and status lists it issues) because
# the stranger is not party to it, and the others (starting a simulation) because a bank's
# users may not start them.


def dump(platform):
    with platform.engine.connect() as connection:
        tables = [
            row[0]
            for row in connection.execute(
                text("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
            )
        ]
        # a token's last use is bookkeeping of authentication, not a change the route made
        columns = {"api_tokens": "token_id, user_id, token_hash, label, created_at, revoked_at"}
        return {
            table: sorted(
                map(
                    repr,
                    connection.execute(text(f'SELECT {columns.get(table, "*")} FROM "{table}"')),
                )
            )
            for table in tables
        }


@pytest.fixture
def world(client, corridor):
    bill = client.post(
        "/api/v1/documents",
        json={
            "document_type": "bill-of-lading",
            "subject": sample_subject("bill-of-lading"),
            "holder": "kaz-exporter",
        },
        headers=bearer(corridor.tokens["caspian-lines"]),
    )
    assert bill.status_code == 201
    return bill.json()


def bodies(document_id, credential_id):
    return {
        "/api/v1/documents": {
            "document_type": "cim-smgs",
            "subject": sample_subject("cim-smgs"),
        },
        "/api/v1/documents/{document_id}/amendments": {"subject": sample_subject("bill-of-lading")},
        "/api/v1/documents/{document_id}/transfers": {"to": "poti-agro"},
        "/credentials/issue": {
            "credential": {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential", "CimSmgsConsignmentNoteCredential"],
                "credentialSubject": sample_subject("cim-smgs"),
            }
        },
        "/credentials/status": {
            "credentialId": credential_id,
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
            "status": True,
        },
    }


def mutating_routes(client):
    schema = client.get("/openapi.json").json()
    return [
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in MUTATING
    ]


def test_the_walk_covers_the_document_routes(client):
    routes = set(mutating_routes(client))
    assert ("post", "/api/v1/documents/{document_id}/transfers") in routes
    assert ("post", "/credentials/issue") in routes
    assert ("post", "/credentials/status") in routes
    assert ("post", "/status-lists/{list_id}/publish") in routes
    assert ("post", "/api/v1/organisations/{slug}/key-rotations") in routes


def test_every_mutating_route_refuses_strangers_and_changes_nothing(
    client, corridor, platform, world
):
    document_id = world["document_id"]
    # halyk-bank is known but is neither issuer, holder, carrier nor ktz's admin
    stranger = bearer(corridor.tokens["halyk-bank"])
    [ktz_token] = client.get("/api/v1/tokens", headers=bearer(corridor.tokens["ktz"])).json()
    before = dump(platform)
    checked = []
    for method, path in mutating_routes(client):
        url = (
            path.replace("{document_id}", document_id)
            .replace("{slug}", "ktz")
            .replace("{list_id}", "caspian-lines-revocation")
            .replace("{email}", "clerk@ktz.example")
            .replace("{token_id}", ktz_token["token_id"])
        )
        body = bodies(document_id, world["credential_id"]).get(path)
        anonymous = client.request(method, url, json=body)
        if (method, path) in OPEN:
            assert anonymous.status_code in {200, 400, 422}, (path, anonymous.text)
            continue
        assert anonymous.status_code == 401, (method, path, anonymous.text)
        assert anonymous.headers["content-type"].startswith("application/problem+json")
        if (method, path) in SELF_SERVICE:
            continue
        refused = client.request(method, url, json=body, headers=stranger)
        if (
            (method, path) in NOT_FOUND_TO_STRANGERS
            or "{document_id}" in path
            or path == "/credentials/status"
        ):
            # a stranger is no party: the document (or token) is "not found" to it
            assert refused.status_code == 404, (method, path, refused.text)
        else:
            assert refused.status_code == 403, (method, path, refused.text)
        checked.append(path)
    assert dump(platform) == before
    skipped = (OPEN | SELF_SERVICE) & set(mutating_routes(client))
    assert len(checked) == len(mutating_routes(client)) - len(skipped)
    assert ("post", "/api/v1/simulations") in mutating_routes(client)
    assert "/api/v1/simulations" in checked
