"""``transcaspian audit verify`` and ``audit checkpoint`` through the installed console script
(subprocess), on SQLite and PostgreSQL: a log rewritten with every hash recomputed, a truncated
log and a forged checkpoint exit 1 with one line naming the checkpoint; a genuine log exits 0
(issue 8, defect 10)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from tests.integration.documents.audit_forgery import (
    flip_signature,
    forge_signature,
    rewrite_entry,
    truncate,
)
from tests.integration.documents.test_console_exit_codes import transcaspian

from transcaspian.bootstrap import build_platform, upgrade_database
from transcaspian.domain.documents.audit import AuditEntry
from transcaspian.domain.documents.parties import OrgRole, UserRole
from transcaspian.settings import Settings
from transcaspian.store.engine import make_engine


@pytest.fixture
def database(database_url: str) -> str:
    """A log of four entries written by the platform (in process: the console script is what
    is under test, and each run of it costs seconds)."""
    upgrade_database(Settings(database_url=database_url))
    platform = build_platform(Settings(database_url=database_url))
    try:
        platform.organisations.create_organisation("ktz", "KTZ", {OrgRole.CARRIER})
        platform.organisations.create_user("ktz", "clerk@ktz.example", UserRole.CLERK)
        platform.organisations.rotate_key("ktz")
        platform.organisations.rotate_key("ktz")
    finally:
        platform.engine.dispose()
    return database_url


@pytest.fixture
def engine(database: str) -> Iterator[Engine]:
    built = make_engine(database)
    yield built
    built.dispose()


def entries_of(url: str) -> list[AuditEntry]:
    platform = build_platform(Settings(database_url=url))
    try:
        return platform.audit.entries()
    finally:
        platform.engine.dispose()


def test_a_genuine_log_exits_0(database: str) -> None:
    verified = transcaspian(database, "audit", "verify")

    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "audit log intact: 4 entries, every link holds, 4 signed checkpoints agree" in (
        verified.stdout
    )


def test_a_rewritten_and_rehashed_log_exits_1_naming_the_checkpoint(
    database: str, engine: Engine
) -> None:
    rewrite_entry(engine, entries_of(database), 2, actor="nobody")

    rewritten = transcaspian(database, "audit", "verify")

    assert rewritten.returncode == 1, rewritten.stdout + rewritten.stderr
    lines = rewritten.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: audit log: checkpoint of entry 2 (signed ")
    assert "the log was rewritten" in lines[0]
    assert "Traceback" not in rewritten.stderr


def test_a_truncated_log_exits_1(database: str, engine: Engine) -> None:
    truncate(engine, entries_of(database), keep=2)

    truncated = transcaspian(database, "audit", "verify")

    assert truncated.returncode == 1, truncated.stdout + truncated.stderr
    assert truncated.stderr.startswith("error: audit log: checkpoint of entry 3 (signed ")
    assert "truncated" in truncated.stderr


def test_a_checkpoint_with_a_forged_signature_exits_1(database: str, engine: Engine) -> None:
    forge_signature(engine, 3)

    forged = transcaspian(database, "audit", "verify")

    assert forged.returncode == 1, forged.stdout + forged.stderr
    assert "checkpoint of entry 3" in forged.stderr and "forged" in forged.stderr


def test_a_held_checkpoint_is_extended_by_the_log_and_a_forged_one_is_refused(
    database: str, tmp_path: Path
) -> None:
    printed = transcaspian(database, "audit", "checkpoint")
    assert printed.returncode == 0, printed.stderr
    held = tmp_path / "held.checkpoint"
    held.write_text(printed.stdout, encoding="utf-8")
    assert printed.stdout.splitlines()[1] == "4"
    assert "signed by did:key:z6Mk" in printed.stderr  # verbatim, no emoji for ":key:"
    platform = build_platform(Settings(database_url=database))
    platform.organisations.rotate_key("ktz")  # the log grows past the held checkpoint
    platform.engine.dispose()

    extended = transcaspian(database, "audit", "verify", "--checkpoint", str(held))
    assert extended.returncode == 0, extended.stdout + extended.stderr
    assert "it extends the held checkpoint of entry 4" in extended.stdout

    forged = tmp_path / "forged.checkpoint"
    forged.write_text(flip_signature(printed.stdout), encoding="utf-8")
    refused = transcaspian(database, "audit", "verify", "--checkpoint", str(forged))
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: audit log: the held checkpoint of entry 4")
    assert "forged" in refused.stderr


def test_a_held_checkpoint_catches_a_rewrite_whose_stored_checkpoints_were_deleted(
    database: str, engine: Engine, tmp_path: Path
) -> None:
    held = tmp_path / "held.checkpoint"
    held.write_text(transcaspian(database, "audit", "checkpoint").stdout, encoding="utf-8")
    rewrite_entry(engine, entries_of(database), 1, actor="nobody")
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM audit_checkpoints")

    checked = transcaspian(database, "audit", "verify", "--checkpoint", str(held))

    assert checked.returncode == 1
    assert "the held checkpoint of entry 4" in checked.stderr
    assert "the log was rewritten" in checked.stderr


def test_an_unreadable_held_checkpoint_is_one_error_line(database: str, tmp_path: Path) -> None:
    junk = tmp_path / "junk.checkpoint"
    junk.write_text("not a checkpoint\n", encoding="utf-8")

    for path in (junk, tmp_path / "missing.checkpoint"):
        checked = transcaspian(database, "audit", "verify", "--checkpoint", str(path))
        assert checked.returncode == 1
        assert checked.stderr.startswith("error: ")
        assert len(checked.stderr.splitlines()) == 1, checked.stderr
        assert "Traceback" not in checked.stderr
