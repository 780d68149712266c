"""``transcaspian tokens create|list|revoke`` and ``users deactivate|activate`` through the
installed console script (issue 9, defect 7): what the platform admin runs."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.integration.documents.test_console_exit_codes import transcaspian

from transcaspian.bootstrap import build_platform, upgrade_database
from transcaspian.services.organisations import hash_token
from transcaspian.settings import Settings


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'tokens.sqlite3'}"
    upgrade_database(Settings(database_url=url))
    created = transcaspian(url, "orgs", "create", "ktz", "--name", "KTZ", "--role", "carrier")
    assert created.returncode == 0, created.stderr
    assert transcaspian(url, "users", "create", "ktz", "clerk@ktz.example").returncode == 0
    return url


def authenticates(url: str, secret: str) -> bool:
    platform = build_platform(Settings(database_url=url))
    try:
        return platform.organisations.authenticate(secret) is not None
    finally:
        platform.engine.dispose()


def test_create_list_and_revoke_a_token(database: str) -> None:
    made = transcaspian(
        database,
        "tokens",
        "create",
        "clerk@ktz.example",
        "--label",
        "border",
        "--expires-in",
        "12h",
    )
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip()
    assert secret.startswith("tcp_") and authenticates(database, secret)
    platform = build_platform(Settings(database_url=database))
    [listing] = platform.organisations.list_all_tokens("clerk@ktz.example")
    platform.engine.dispose()
    assert listing.token.expires_at is not None
    lifetime = listing.token.expires_at - listing.token.created_at
    assert lifetime == timedelta(hours=12)

    listed = transcaspian(database, "tokens", "list", "--", "clerk@ktz.example")
    assert listed.returncode == 0, listed.stderr
    token_id = listing.token.token_id
    assert token_id in listed.stdout and "border" in listed.stdout and "active" in listed.stdout
    assert secret not in listed.stdout and hash_token(secret) not in listed.stdout
    expires = listing.token.expires_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    assert expires in listed.stdout

    revoked = transcaspian(database, "tokens", "revoke", token_id)
    assert revoked.returncode == 0, revoked.stderr
    assert f"revoked {token_id} of clerk@ktz.example" in revoked.stdout
    assert not authenticates(database, secret)
    assert "revoked" in transcaspian(database, "tokens", "list").stdout


def test_a_token_lasts_90_days_unless_told(database: str) -> None:
    secret = transcaspian(database, "tokens", "create", "clerk@ktz.example").stdout.strip()
    platform = build_platform(Settings(database_url=database))
    [listing] = platform.organisations.list_all_tokens()
    platform.engine.dispose()
    assert listing.token.expires_at is not None
    assert listing.token.expires_at - listing.token.created_at == timedelta(days=90)
    assert abs(listing.token.created_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert authenticates(database, secret)


def test_deactivating_a_user_stops_their_tokens(database: str) -> None:
    secret = transcaspian(database, "tokens", "create", "clerk@ktz.example").stdout.strip()
    deactivated = transcaspian(database, "users", "deactivate", "clerk@ktz.example")
    assert deactivated.returncode == 0, deactivated.stderr
    assert not authenticates(database, secret)
    users = transcaspian(database, "users", "list").stdout
    assert re.search(r"clerk@ktz\.example\s+ktz\s+clerk\s+no\b", users), users
    refused = transcaspian(database, "tokens", "create", "clerk@ktz.example")
    assert refused.returncode != 0 and "deactivated" in refused.stderr + refused.stdout
    assert transcaspian(database, "users", "activate", "clerk@ktz.example").returncode == 0
    assert authenticates(database, secret)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("tokens", "create", "clerk@ktz.example", "--expires-in", "-3d"), "--expires-in"),
        (("tokens", "create", "clerk@ktz.example", "--expires-in", "soon"), "--expires-in"),
        (("tokens", "revoke", "0123abcd"), "does not exist"),
        (("users", "deactivate", "nobody@ktz.example"), "does not exist"),
    ],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(database: str, args, says) -> None:
    result = transcaspian(database, *args)
    assert result.returncode != 0
    output = result.stderr + result.stdout
    assert says in output and "Traceback" not in output
