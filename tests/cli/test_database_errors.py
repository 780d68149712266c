"""A database error is one line with what to do, not a SQL dump (the CLI's error rule)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CONSOLE_SCRIPT = Path(sys.executable).with_name("transcaspian")


def test_loading_into_a_database_without_schema_says_to_upgrade_it(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(CONSOLE_SCRIPT), "data", "load"],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TRANSCASPIAN_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"},
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "transcaspian db upgrade" in lines[0]
    assert "SELECT" not in done.stderr and "UPDATE" not in done.stderr
