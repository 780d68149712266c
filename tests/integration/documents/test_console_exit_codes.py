"""The installed ``transcaspian`` console script exits 1 when a verification fails (issue 8,
defect 8): a border script reads the exit code, not the text. Run as a subprocess, the way a
script calls it, not through CliRunner (which bypasses ``main()``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from transcaspian.bootstrap import build_platform, upgrade_database
from transcaspian.documents.types.samples import sample_subject
from transcaspian.services.documents import IssueRequest
from transcaspian.settings import Settings

CONSOLE_SCRIPT = Path(sys.executable).with_name("transcaspian")


def transcaspian(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRANSCASPIAN_DATABASE_URL": url}
    return subprocess.run(
        [str(CONSOLE_SCRIPT), *args],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'exit.sqlite3'}"
    upgrade_database(Settings(database_url=url))
    return url


@pytest.fixture
def issued(database: str, tmp_path: Path) -> Path:
    created = transcaspian(database, "orgs", "create", "ktz", "--name", "KTZ", "--role", "carrier")
    assert created.returncode == 0, created.stderr
    assert transcaspian(database, "users", "create", "ktz", "clerk@ktz.example").returncode == 0
    token = transcaspian(database, "tokens", "create", "clerk@ktz.example").stdout.strip()
    platform = build_platform(Settings(database_url=database))
    actor = platform.organisations.authenticate(token)
    document = platform.documents.issue(actor, IssueRequest("cim-smgs", sample_subject("cim-smgs")))
    platform.engine.dispose()
    path = tmp_path / "note.json"
    path.write_text(json.dumps(document.current.credential))
    return path


def test_the_console_script_is_installed() -> None:
    assert CONSOLE_SCRIPT.is_file(), f"{CONSOLE_SCRIPT} is not installed"


def test_documents_verify_exits_0_on_a_genuine_and_1_on_an_altered_credential(
    database: str, issued: Path, tmp_path: Path
) -> None:
    genuine = transcaspian(database, "documents", "verify", str(issued))
    assert genuine.returncode == 0, genuine.stdout + genuine.stderr
    assert "VERIFIED" in genuine.stdout

    credential = json.loads(issued.read_text())
    credential["credentialSubject"]["consignor"]["name"] = "Somebody Else LLP"
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps(credential))
    forged = transcaspian(database, "documents", "verify", str(altered))
    assert "NOT VERIFIED" in forged.stdout
    assert forged.returncode == 1, forged.stdout + forged.stderr


def test_audit_verify_exits_1_when_the_log_was_edited(database: str, issued: Path) -> None:
    intact = transcaspian(database, "audit", "verify")
    assert intact.returncode == 0, intact.stdout + intact.stderr
    engine = create_engine(database)
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'nobody' WHERE sequence = 2"))
    engine.dispose()
    edited = transcaspian(database, "audit", "verify")
    assert "entry 2" in edited.stderr
    assert edited.returncode == 1, edited.stdout + edited.stderr


def test_a_domain_error_exits_1_and_a_usage_error_exits_2(database: str, tmp_path: Path) -> None:
    missing = transcaspian(database, "documents", "verify", str(tmp_path / "nope.json"))
    assert missing.returncode == 1
    assert missing.stderr.startswith("error:")
    assert "Traceback" not in missing.stderr
    usage = transcaspian(database, "documents", "verify")
    assert usage.returncode == 2
