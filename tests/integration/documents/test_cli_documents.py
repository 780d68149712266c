"""The CLI path a newcomer takes: create organisations, users and tokens; verify a credential
file online and offline (trust list + status cache, its age shown); check the audit log."""

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from transcaspian.bootstrap import build_platform, upgrade_database
from transcaspian.cli.app import app
from transcaspian.documents.types.samples import sample_subject
from transcaspian.settings import Settings, get_settings

runner = CliRunner()


@pytest.fixture
def database(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("TRANSCASPIAN_DATABASE_URL", url)
    get_settings.cache_clear()
    upgrade_database(Settings(database_url=url))
    yield url
    get_settings.cache_clear()


def run(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_a_newcomer_creates_an_organisation_user_and_token(database):
    created = run(
        "orgs",
        "create",
        "ktz",
        "--name",
        "Kazakhstan Temir Zholy",
        "--role",
        "carrier",
        "--country",
        "KZ",
    )
    assert created.exit_code == 0, created.output
    assert "did:web:127.0.0.1%3A8000:orgs:ktz" in created.output
    assert run("users", "create", "ktz", "clerk@ktz.example").exit_code == 0
    token = run("tokens", "create", "clerk@ktz.example").output.strip()
    assert token.startswith("tcp_")
    platform = build_platform(Settings(database_url=database))
    assert platform.organisations.authenticate(token).organisation.slug == "ktz"
    with create_engine(database).connect() as connection:
        stored = connection.execute(text("SELECT token_hash FROM api_tokens")).scalar_one()
    assert token not in stored


def issued_credential(database, tmp_path) -> tuple[Path, object]:
    run("orgs", "create", "ktz", "--name", "KTZ", "--role", "carrier")
    run("users", "create", "ktz", "clerk@ktz.example")
    token = run("tokens", "create", "clerk@ktz.example").output.strip()
    platform = build_platform(Settings(database_url=database))
    actor = platform.organisations.authenticate(token)
    from transcaspian.services.documents import IssueRequest

    document = platform.documents.issue(actor, IssueRequest("cim-smgs", sample_subject("cim-smgs")))
    path = tmp_path / "note.json"
    path.write_text(json.dumps(document.current.credential))
    return path, (platform, actor, document)


def test_verify_a_file_online_and_offline(database, tmp_path):
    path, (platform, actor, document) = issued_credential(database, tmp_path)
    online = run("documents", "verify", str(path))
    assert online.exit_code == 0, online.output
    assert "VERIFIED (online)" in online.output
    bundle = tmp_path / "offline"
    assert run("documents", "export-trust", str(bundle)).exit_code == 0
    offline = run(
        "documents",
        "verify",
        str(path),
        "--offline",
        "--trust-list",
        str(bundle / "trust-list.json"),
        "--status-cache",
        str(bundle / "status"),
    )
    assert offline.exit_code == 0, offline.output
    assert "VERIFIED (offline)" in offline.output
    assert "min old" in offline.output  # the cache's age is shown
    # revoke; the stale cache still says fine, a fresh export says revoked
    platform.documents.revoke(actor, document.document_id)
    assert run("documents", "verify", str(path)).exit_code == 1
    run("documents", "export-trust", str(bundle))
    revoked = run(
        "documents",
        "verify",
        str(path),
        "--offline",
        "--trust-list",
        str(bundle / "trust-list.json"),
        "--status-cache",
        str(bundle / "status"),
    )
    assert revoked.exit_code == 1
    assert "revoked by the issuer" in revoked.output


def test_offline_with_an_empty_trust_list_names_the_issuer(database, tmp_path):
    path, _ = issued_credential(database, tmp_path)
    trust = tmp_path / "trust.json"
    trust.write_text('{"issuers": []}')
    result = run("documents", "verify", str(path), "--offline", "--trust-list", str(trust))
    assert result.exit_code == 1
    assert "not on the offline trust list" in result.output


def test_audit_verify_detects_a_deleted_row(database, tmp_path):
    issued_credential(database, tmp_path)
    assert run("audit", "verify").exit_code == 0
    with create_engine(database).begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE sequence = 2"))
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "deleted" in result.output
