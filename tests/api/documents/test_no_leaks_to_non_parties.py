"""A non-party learns nothing (issue 9, defect 8): permission is checked before state, "not
yours" answers exactly like "does not exist", a 403 names nobody else, the audit trail shows
other organisations' users only as their organisation, and the dataset's origin is no server
path."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.documents.conftest import bearer
from tests.api.documents.test_documents_api import issue

MISSING = "doc-00000000000000000000000000"


def problem_without_instance(response: Any) -> dict[str, Any]:
    body = dict(response.json())
    body.pop("instance", None)
    return body


@pytest.fixture
def bill(client, corridor) -> dict[str, Any]:
    return issue(
        client,
        corridor,
        slug="caspian-lines",
        document_type="bill-of-lading",
        holder="kaz-exporter",
    )


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("get", "/credential", None),
        ("get", "/audit", None),
        ("get", "/render", None),
        ("post", "/transfers", {"to": "halyk-bank"}),
        ("post", "/transfers", {"to": "halyk-bank", "expected_row_version": 99}),
        ("post", "/surrender", {}),
        ("post", "/revocation", {}),
        ("post", "/suspension", {}),
    ],
)
def test_not_yours_answers_exactly_like_does_not_exist(
    client, corridor, bill, method, suffix, body
):
    # halyk-bank is no party to the bill (yet); tr-customs is customs of a country not on it
    for outsider in ("halyk-bank", "tr-customs"):
        headers = bearer(corridor.tokens[outsider])
        kwargs = {"headers": headers} | ({"json": body} if body is not None else {})
        real = getattr(client, method)(f"/api/v1/documents/{bill['document_id']}{suffix}", **kwargs)
        fake = getattr(client, method)(f"/api/v1/documents/{MISSING}{suffix}", **kwargs)
        assert real.status_code == fake.status_code, (outsider, real.text, fake.text)
        if real.status_code == 405:
            continue  # a path this document API does not have for this method
        assert real.status_code == 404, (outsider, suffix, real.text)
        expected = problem_without_instance(fake)
        got = problem_without_instance(real)
        assert got["type"] == expected["type"] and got["title"] == expected["title"]
        assert got["detail"].replace(bill["document_id"], MISSING) == expected["detail"]
        for secret in ("bill-of-lading", "kaz-exporter", "caspian-lines", "row", "issued"):
            assert secret not in real.text, (secret, real.text)


def test_permission_comes_before_state_and_a_403_names_no_holder(client, corridor, bill):
    path = f"/api/v1/documents/{bill['document_id']}"
    moved = client.post(
        f"{path}/transfers",
        json={"to": "halyk-bank"},
        headers=bearer(corridor.tokens["kaz-exporter"]),
    )
    assert moved.status_code == 200, moved.text
    # kaz-exporter is still a party (it held the bill) but no longer the holder: with a stale
    # row version it learns neither the version nor the state, only that it may not
    stale = client.post(
        f"{path}/transfers",
        json={"to": "poti-agro", "expected_row_version": 1},
        headers=bearer(corridor.tokens["kaz-exporter"]),
    )
    assert stale.status_code == 403, stale.text
    assert "halyk-bank" not in stale.json()["detail"]
    assert "version" not in stale.json()["detail"]
    # the issuer (a party, not the holder) may not surrender, and is told so before the state
    surrender = client.post(
        f"{path}/surrender", json={}, headers=bearer(corridor.tokens["caspian-lines"])
    )
    assert surrender.status_code == 403, surrender.text
    assert "halyk-bank" not in surrender.json()["detail"]


def test_the_audit_trail_shows_other_organisations_users_as_their_organisation(client, corridor):
    note = issue(client, corridor, slug="ktz", document_type="cim-smgs")
    path = f"/api/v1/documents/{note['document_id']}/audit"
    own = client.get(path, headers=bearer(corridor.tokens["ktz"])).json()
    assert own and all("clerk@ktz.example" in entry["actor"] for entry in own), own
    customs = client.get(path, headers=bearer(corridor.tokens["ge-customs"]))
    assert customs.status_code == 200, customs.text
    entries = customs.json()
    assert entries and all(entry["actor"] == "ktz" for entry in entries), entries
    assert "@" not in customs.text
    page = client.get(
        f"/documents/{note['document_id']}", headers=bearer(corridor.tokens["ge-customs"])
    )
    if page.status_code == 200:  # the web page, when served by token
        assert "clerk@ktz.example" not in page.text


def test_the_dataset_shows_no_server_path(client):
    dataset = client.get("/api/v1/dataset")
    assert dataset.status_code == 200, dataset.text
    assert dataset.json()["origin"] == "bundled"
    assert "/" not in dataset.json()["origin"]
