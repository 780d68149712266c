"""Limits (issue 9, defect 6): no oversized bodies, no floods, no token guessing — with the
production defaults, over real HTTP (a served uvicorn) and through the ASGI app."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from tests.plugins.platform import platform_settings
from transcaspian.api.app import create_app
from transcaspian.bootstrap import build_platform
from transcaspian.settings import Settings

DEFAULTS = {
    name: Settings.model_fields[name].default for name in ("rate_limit", "auth_failure_limit")
}


def settings_for(database: Path, **changes: object) -> Settings:
    return platform_settings(database).model_copy(update={**DEFAULTS, **changes})


@pytest.fixture
def database(platform_database: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "limits.sqlite3"
    shutil.copyfile(platform_database, copy)
    return copy


@pytest.fixture
def served(database: Path) -> Iterator[str]:
    platform = build_platform(settings_for(database))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(platform), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    platform.engine.dispose()


def test_a_50_mb_body_is_refused_with_413_before_it_is_read(served: str) -> None:
    body = b"{" + b" " * (50 * 1024 * 1024) + b"}"
    with httpx.Client(base_url=served, timeout=60) as client:
        response = client.post(
            "/credentials/verify", content=body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 413, response.text[:300]
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 413
    assert "2097152 bytes" in problem["detail"]


def test_a_chunked_body_without_length_is_cut_off_at_the_limit(served: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"verifiableCredential": "'
        for _ in range(64):
            yield b"x" * 65536  # 4 MiB in all, no Content-Length
        yield b'"}'

    with httpx.Client(base_url=served, timeout=60) as client:
        response = client.post(
            "/api/v1/documents/verify",
            content=chunks(),
            headers={"Content-Type": "application/json"},
        )
    assert response.status_code == 413, response.text[:300]
    assert response.json()["status"] == 413


def test_a_body_under_the_limit_is_served(served: str) -> None:
    with httpx.Client(base_url=served, timeout=60) as client:
        response = client.post("/credentials/verify", json={"verifiableCredential": {}})
    assert response.status_code in (200, 400), response.text


def test_300_rapid_requests_from_one_client_meet_429_with_retry_after(served: str) -> None:
    statuses = []
    with httpx.Client(base_url=served, timeout=30) as client:
        for _ in range(300):
            statuses.append(client.get("/api/v1/locations?limit=1").status_code)
        for _ in range(statuses.count(429)):  # 300 served within the minute, then none
            statuses.append(client.get("/api/v1/locations?limit=1").status_code)
        limited = client.get("/api/v1/locations?limit=1")
    assert statuses[:30] == [200] * 30  # a normal client is served
    assert statuses.count(200) <= 300
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    problem = limited.json()
    assert problem["type"] == "/problems/too-many-requests"
    assert limited.headers["content-type"].startswith("application/problem+json")


def test_static_assets_are_not_counted(database: Path) -> None:
    platform = build_platform(settings_for(database, rate_limit="5/minute"))
    try:
        with TestClient(create_app(platform)) as client:
            assets = [client.get("/static/favicon.svg").status_code for _ in range(20)]
            assert set(assets) == {200}
            assert client.get("/api/v1/locations?limit=1").status_code == 200
    finally:
        platform.engine.dispose()


def test_each_token_has_its_own_count(database: Path) -> None:
    platform = build_platform(settings_for(database, rate_limit="5/minute"))
    try:
        with TestClient(create_app(platform)) as client:
            first = [
                client.get("/api/v1/locations?limit=1", headers={"Authorization": "Bearer a"})
                for _ in range(6)
            ]
            assert first[-1].status_code == 429
            other = client.get("/api/v1/locations?limit=1", headers={"Authorization": "Bearer b"})
            assert other.status_code != 429
    finally:
        platform.engine.dispose()


def test_guessing_tokens_meets_429_and_the_right_token_waits_too(database: Path) -> None:
    from transcaspian.domain.documents.parties import OrgRole, UserRole

    platform = build_platform(settings_for(database))
    platform.organisations.create_organisation("ktz", "KTZ", {OrgRole.CARRIER}, country="KZ")
    platform.organisations.create_user("ktz", "clerk@ktz.example", UserRole.CLERK)
    right = platform.organisations.create_token("clerk@ktz.example", "t").secret
    try:
        with TestClient(create_app(platform)) as client:
            statuses = [
                client.get(
                    "/api/v1/documents", headers={"Authorization": f"Bearer guess-{n:03}"}
                ).status_code
                for n in range(100)
            ]
            assert statuses[0] == 401
            assert statuses.count(401) <= 10, statuses
            assert 429 in statuses
            blocked = client.get("/api/v1/documents", headers={"Authorization": f"Bearer {right}"})
            assert blocked.status_code == 429
            assert int(blocked.headers["Retry-After"]) >= 1
    finally:
        platform.engine.dispose()
