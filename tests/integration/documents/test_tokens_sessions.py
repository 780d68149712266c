"""Tokens expire and can be revoked and listed, users can be deactivated, the web UI signs in
to a server-side session that sign-out ends, and cookie-authenticated state changes need a
CSRF token and the platform's own Origin (issue 9, defect 7).

Through the HTTP API of a platform on the ``engine`` database: SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from transcaspian.api.app import create_app
from transcaspian.api.auth import SESSION_COOKIE
from transcaspian.bootstrap import Platform
from transcaspian.documents.types.samples import sample_subject
from transcaspian.domain.documents.lifecycle import DocumentStatus
from transcaspian.domain.documents.parties import UserRole
from transcaspian.services.documents import IssueRequest
from transcaspian.services.organisations import hash_token
from transcaspian.store.rows.documents import ApiTokenRow, WebSessionRow

OWN_ORIGIN = "http://127.0.0.1:8000"  # the platform's base URL in doc_platform
FOREIGN_ORIGIN = "https://evil.example"


@pytest.fixture
def api(doc_platform: Platform, corridor) -> Iterator[TestClient]:
    with TestClient(create_app(doc_platform), follow_redirects=False) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def session_cookie(value: str) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={value}"}


def sign_in(api: TestClient, token: str) -> str:
    response = api.post("/documents/session", data={"token": token}, headers={"Origin": OWN_ORIGIN})
    assert response.status_code == 303, response.text
    value = response.cookies[SESSION_COOKIE]
    api.cookies.clear()  # every request below names its cookie itself
    header = response.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header
    return value


def csrf_of(api: TestClient, session: str) -> str:
    page = api.get("/documents", headers=session_cookie(session))
    assert page.status_code == 200
    marker = 'name="csrf-token" content="'
    start = page.text.index(marker) + len(marker)
    return page.text[start : page.text.index('"', start)]


def issue_note(platform: Platform, token: str) -> str:
    actor = platform.organisations.authenticate(token)
    assert actor is not None
    request = IssueRequest("cim-smgs", sample_subject("cim-smgs"))
    return platform.documents.issue(actor, request).document_id


def add_admin(platform: Platform, slug: str) -> str:
    platform.organisations.create_user(slug, f"admin@{slug}.example", UserRole.ADMIN)
    return platform.organisations.create_token(f"admin@{slug}.example", "admin").secret


# -- expiry ---------------------------------------------------------------------------------


def test_a_token_expires_after_its_lifetime_and_then_answers_401(api, doc_platform, clock):
    issued = doc_platform.organisations.create_token(
        "clerk@ktz.example", "short", expires_in=timedelta(hours=1)
    )
    assert issued.token.expires_at == clock.at + timedelta(hours=1)
    assert api.get("/api/v1/documents", headers=bearer(issued.secret)).status_code == 200

    clock.advance(hours=1, seconds=1)
    refused = api.get("/api/v1/documents", headers=bearer(issued.secret))
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["type"] == "/problems/unauthorized"
    assert "expired" in refused.json()["detail"]


def test_a_new_token_gets_the_default_lifetime_of_the_settings(doc_platform, clock, corridor):
    issued = doc_platform.organisations.create_token("clerk@ktz.example")
    assert issued.token.expires_at == clock.at + timedelta(days=90)
    clock.advance(days=89)
    assert doc_platform.organisations.authenticate(issued.secret) is not None
    clock.advance(days=1)
    assert doc_platform.organisations.authenticate(issued.secret) is None


def test_a_token_lifetime_must_be_positive(api, corridor):
    response = api.post(
        "/api/v1/tokens", json={"expires_in_days": 0}, headers=bearer(corridor.tokens["ktz"])
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/body/expires_in_days"


# -- listing and revocation -----------------------------------------------------------------


def test_the_listing_shows_no_secret_nor_hash(api, doc_platform, corridor):
    made = api.post(
        "/api/v1/tokens",
        json={"label": "laptop", "expires_in_days": 7},
        headers=bearer(corridor.tokens["ktz"]),
    )
    assert made.status_code == 201
    secret = made.json()["secret"]
    assert api.get("/api/v1/documents", headers=bearer(secret)).status_code == 200

    listed = api.get("/api/v1/tokens", headers=bearer(secret))
    assert listed.status_code == 200
    tokens = listed.json()
    assert {t["label"] for t in tokens} == {"tests", "laptop"}
    assert all(t["user"] == "clerk@ktz.example" and t["state"] == "active" for t in tokens)
    assert all(set(t) >= {"token_id", "created_at", "expires_at", "last_used_at"} for t in tokens)
    laptop = next(t for t in tokens if t["label"] == "laptop")
    assert laptop["last_used_at"] is not None
    for shown in (secret, corridor.tokens["ktz"]):
        assert shown not in listed.text
        assert hash_token(shown) not in listed.text
    with doc_platform.engine.connect() as connection:
        stored = connection.execute(select(ApiTokenRow.token_hash)).scalars().all()
    assert hash_token(secret) in stored and secret not in stored  # only hashes are stored


def test_a_revoked_token_answers_401_at_once(api, corridor):
    token = corridor.tokens["ktz"]
    [listed] = api.get("/api/v1/tokens", headers=bearer(token)).json()
    revoked = api.delete(f"/api/v1/tokens/{listed['token_id']}", headers=bearer(token))
    assert revoked.status_code == 200
    assert revoked.json()["state"] == "revoked" and revoked.json()["revoked_at"]

    refused = api.get("/api/v1/documents", headers=bearer(token))
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]


def test_an_admin_revokes_their_organisations_tokens_only(api, doc_platform, corridor):
    admin = add_admin(doc_platform, "ktz")
    listed = api.get("/api/v1/tokens", headers=bearer(admin)).json()
    assert {t["user"] for t in listed} == {
        "clerk@ktz.example",
        "viewer@ktz.example",
        "admin@ktz.example",
    }
    clerk_token = next(t for t in listed if t["user"] == "clerk@ktz.example")
    assert api.delete(f"/api/v1/tokens/{clerk_token['token_id']}", headers=bearer(admin)).is_success
    assert api.get("/api/v1/documents", headers=bearer(corridor.tokens["ktz"])).status_code == 401

    # another organisation's token, and a clerk reaching for a colleague's: as if it did not exist
    [foreign] = api.get("/api/v1/tokens", headers=bearer(corridor.tokens["poti-agro"])).json()
    by_admin = api.delete(f"/api/v1/tokens/{foreign['token_id']}", headers=bearer(admin))
    assert by_admin.status_code == 404
    admin_token = next(t for t in listed if t["user"] == "admin@ktz.example")
    by_viewer = api.delete(
        f"/api/v1/tokens/{admin_token['token_id']}", headers=bearer(corridor.viewer_token)
    )
    assert by_viewer.status_code == 404
    assert api.get("/api/v1/tokens", headers=bearer(admin)).status_code == 200


# -- users ----------------------------------------------------------------------------------


def test_deactivating_a_user_stops_their_tokens_and_sessions_at_once(api, doc_platform, corridor):
    admin = add_admin(doc_platform, "ktz")
    token = corridor.tokens["ktz"]
    session = sign_in(api, token)
    assert api.get("/api/v1/documents", headers=session_cookie(session)).status_code == 200

    not_admin = api.post("/api/v1/users/clerk@ktz.example/deactivation", headers=bearer(token))
    assert not_admin.status_code == 403
    other_admin = add_admin(doc_platform, "poti-agro")
    foreign = api.post("/api/v1/users/clerk@ktz.example/deactivation", headers=bearer(other_admin))
    assert foreign.status_code == 403

    done = api.post("/api/v1/users/clerk@ktz.example/deactivation", headers=bearer(admin))
    assert done.status_code == 200 and done.json()["active"] is False
    by_token = api.get("/api/v1/documents", headers=bearer(token))
    assert by_token.status_code == 401
    assert "deactivated" in by_token.json()["detail"]
    assert api.get("/api/v1/documents", headers=session_cookie(session)).status_code == 401
    assert "Signed in as" not in api.get("/documents", headers=session_cookie(session)).text
    with doc_platform.engine.connect() as connection:
        assert connection.execute(select(WebSessionRow)).first() is None

    back = api.delete("/api/v1/users/clerk@ktz.example/deactivation", headers=bearer(admin))
    assert back.json()["active"] is True
    assert api.get("/api/v1/documents", headers=bearer(token)).status_code == 200
    assert api.get("/api/v1/documents", headers=session_cookie(session)).status_code == 401


# -- web sessions ---------------------------------------------------------------------------


def test_the_session_cookie_holds_no_token_and_sign_out_ends_the_session(
    api, doc_platform, corridor
):
    token = corridor.tokens["ktz"]
    session = sign_in(api, token)
    assert token not in session and session != token
    with doc_platform.engine.connect() as connection:
        stored = connection.execute(select(WebSessionRow.session_hash)).scalars().all()
    assert stored == [hash_token(session)]  # the row holds a hash of the id only
    page = api.get("/documents", headers=session_cookie(session))
    assert "Signed in as clerk@ktz.example" in page.text

    out = api.post(
        "/documents/session/end",
        data={"csrf_token": csrf_of(api, session)},
        headers={**session_cookie(session), "Origin": OWN_ORIGIN},
    )
    assert out.status_code == 303
    assert f'{SESSION_COOKIE}=""' in out.headers["set-cookie"]

    replayed = api.get("/api/v1/documents", headers=session_cookie(session))
    assert replayed.status_code == 401
    assert "signed out" in replayed.json()["detail"]
    assert "Signed in as" not in api.get("/documents", headers=session_cookie(session)).text
    with doc_platform.engine.connect() as connection:
        assert connection.execute(select(WebSessionRow)).first() is None
    assert api.get("/api/v1/documents", headers=bearer(token)).status_code == 200  # token lives


def test_a_session_expires(api, clock, corridor):
    session = sign_in(api, corridor.tokens["ktz"])
    clock.advance(hours=7, minutes=59)
    assert api.get("/api/v1/documents", headers=session_cookie(session)).status_code == 200
    clock.advance(minutes=1)
    expired = api.get("/api/v1/documents", headers=session_cookie(session))
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]


def test_signing_in_from_a_foreign_page_or_with_a_dead_token_is_refused(api, clock, corridor):
    foreign = api.post(
        "/documents/session",
        data={"token": corridor.tokens["ktz"]},
        headers={"Origin": FOREIGN_ORIGIN},
    )
    assert foreign.status_code == 403 and SESSION_COOKIE not in foreign.cookies
    clock.advance(days=91)
    dead = api.post(
        "/documents/session", data={"token": corridor.tokens["ktz"]}, headers={"Origin": OWN_ORIGIN}
    )
    assert dead.status_code == 422 and "expired" in dead.text


# -- CSRF -----------------------------------------------------------------------------------


def test_a_cookie_authenticated_form_post_needs_the_own_origin_and_the_csrf_token(
    api, doc_platform, corridor
):
    document_id = issue_note(doc_platform, corridor.tokens["ktz"])
    session = sign_in(api, corridor.tokens["ktz"])
    csrf = csrf_of(api, session)
    revoke = f"/api/v1/documents/{document_id}/revocation"

    forged = api.post(
        revoke,
        data={"csrf_token": csrf},
        headers={**session_cookie(session), "Origin": FOREIGN_ORIGIN},
    )
    assert forged.status_code == 403
    assert forged.json()["type"] == "/problems/csrf-failed"
    no_origin = api.post(revoke, data={"csrf_token": csrf}, headers=session_cookie(session))
    assert no_origin.status_code == 403
    foreign_referer = api.post(
        revoke,
        data={"csrf_token": csrf},
        headers={**session_cookie(session), "Referer": FOREIGN_ORIGIN + "/page"},
    )
    assert foreign_referer.status_code == 403
    no_token = api.post(
        revoke, data={"reason": "x"}, headers={**session_cookie(session), "Origin": OWN_ORIGIN}
    )
    assert no_token.status_code == 403
    wrong_token = api.post(
        revoke,
        data={"csrf_token": "0" * 64},
        headers={**session_cookie(session), "Origin": OWN_ORIGIN},
    )
    assert wrong_token.status_code == 403
    other_session = sign_in(api, corridor.tokens["ktz"])
    assert csrf_of(api, other_session) != csrf  # bound to its session
    issuer = corridor["ktz"]
    assert doc_platform.documents.get_for(issuer, document_id).status is DocumentStatus.ISSUED

    done = api.post(
        revoke,
        data={"csrf_token": csrf},
        headers={**session_cookie(session), "Origin": OWN_ORIGIN},
    )
    assert done.status_code == 200, done.text
    assert doc_platform.documents.get_for(issuer, document_id).status is DocumentStatus.REVOKED


def test_htmx_sends_the_csrf_token_as_a_header(api, corridor):
    session = sign_in(api, corridor.tokens["ktz"])
    csrf = csrf_of(api, session)
    [listed] = api.get("/api/v1/tokens", headers=session_cookie(session)).json()
    path = f"/api/v1/tokens/{listed['token_id']}"
    headers = {**session_cookie(session), "Referer": OWN_ORIGIN + "/documents"}
    assert api.delete(path, headers=headers).status_code == 403
    assert api.delete(path, headers={**headers, "X-CSRF-Token": csrf}).status_code == 200


def test_bearer_token_calls_need_no_csrf_token(api, doc_platform, corridor):
    document_id = issue_note(doc_platform, corridor.tokens["ktz"])
    response = api.post(
        f"/api/v1/documents/{document_id}/revocation",
        headers={**bearer(corridor.tokens["ktz"]), "Origin": FOREIGN_ORIGIN},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"


def test_the_web_issue_form_carries_its_csrf_token(api, corridor):
    session = sign_in(api, corridor.tokens["ktz"])
    form = api.get("/documents/new", headers=session_cookie(session))
    csrf = csrf_of(api, session)
    assert f'name="csrf_token" value="{csrf}"' in form.text
    fields = {"document_type": "cim-smgs", "subject": "{}"}
    headers = {**session_cookie(session), "Origin": OWN_ORIGIN}
    assert api.post("/documents/new", data=fields, headers=headers).status_code == 403
    answered = api.post("/documents/new", data={**fields, "csrf_token": csrf}, headers=headers)
    assert answered.status_code == 422  # past the CSRF check, refused for its empty content
