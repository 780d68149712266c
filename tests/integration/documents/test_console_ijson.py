"""``transcaspian documents verify FILE`` through the installed console script (subprocess) on
what is not I-JSON (issue 8, defects 5 and 6): a lone surrogate or a NaN in the file is one error
line naming its pointer, a number JavaScript reads otherwise fails the proof check naming its
pointer; exit 1 either way, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.integration.documents import test_console_exit_codes as exit_codes

from transcaspian.bootstrap import build_platform
from transcaspian.domain.documents.sealing import unseal_private_key
from transcaspian.settings import Settings
from transcaspian.vc import data_integrity

# the console script, its database and a document issued through it, as the exit code tests have
transcaspian = exit_codes.transcaspian
database = exit_codes.database
issued = exit_codes.issued


def resigned(database: str, credential: dict) -> dict:
    """``credential`` signed again with ktz's own key, as a signer that does not check I-JSON."""
    platform = build_platform(Settings(database_url=database))
    try:
        organisation = platform.organisations.get("ktz")
        key = organisation.current_key
        method = organisation.verification_method(key)
        private = unseal_private_key(
            key.sealed_private_key, secret=platform.settings.secret_key, bound_to=method
        )
        unsigned = {k: v for k, v in credential.items() if k != "proof"}
        return data_integrity.sign_credential(
            unsigned, private_key=private, verification_method=method, created=platform.clock.now()
        )
    finally:
        platform.engine.dispose()


@pytest.mark.parametrize(
    ("original", "replacement", "pointer"),
    [
        ('"Almaty Grain Export LLP"', '"Almaty \\ud800"', "/credentialSubject/consignor/name"),
        ('"numberOfPackages": 1040', '"numberOfPackages": NaN', "/numberOfPackages"),
    ],
)
def test_a_file_that_is_not_i_json_text_is_one_error_line_and_exit_1(
    database: str, issued: Path, tmp_path: Path, original: str, replacement: str, pointer: str
) -> None:
    text = issued.read_text()
    assert original in text
    bad = tmp_path / "bad.json"
    bad.write_text(text.replace(original, replacement, 1))
    completed = transcaspian(database, "documents", "verify", str(bad))
    assert completed.returncode == 1, completed.stdout + completed.stderr
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    assert pointer in lines[0]
    assert "Traceback" not in completed.stdout + completed.stderr


def test_a_number_javascript_reads_otherwise_fails_verify_naming_it(
    database: str, issued: Path, tmp_path: Path
) -> None:
    credential = json.loads(issued.read_text())
    credential["credentialSubject"]["goodsItems"][0]["numberOfPackages"] = 2**60
    path = tmp_path / "big.json"
    path.write_text(json.dumps(resigned(database, credential)))
    completed = transcaspian(database, "documents", "verify", str(path))
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "NOT VERIFIED" in completed.stdout
    named = [line for line in completed.stdout.splitlines() if "FAIL" in line and "proof" in line]
    assert len(named) == 1, completed.stdout
    assert "/credentialSubject/goodsItems/0/numberOfPackages" in named[0]
    assert "Traceback" not in completed.stdout + completed.stderr


def test_the_re_signed_control_verifies(database: str, issued: Path, tmp_path: Path) -> None:
    """Only the number makes the test above fail: the same credential re-signed verifies."""
    path = tmp_path / "control.json"
    path.write_text(json.dumps(resigned(database, json.loads(issued.read_text()))))
    completed = transcaspian(database, "documents", "verify", str(path))
    assert completed.returncode == 0, completed.stdout + completed.stderr
