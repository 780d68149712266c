"""Credentials signed by an independent implementation verify in ours: Digital Bazaar's
@digitalbazaar/vc with the eddsa-rdfc-2022 cryptosuite (tests/interop/sign.mjs, Node, offline)
signs our eight document types' samples and JSON-LD edge cases (language-tagged values,
language maps, ``@direction``, contexts with their own ``@vocab``, nested objects, arrays,
``@list``, typed values, ``@json``); each must verify in our in-process ``verify_proof``,
through the served ``POST /credentials/verify`` and with the installed
``transcaspian documents verify`` console script. Each one altered after signing (a value
changed, a member added) must fail in ours and in Digital Bazaar's verifier
(tests/interop/verify.mjs). The other direction is tests/integration/vc/test_interop_node.py.

One Node process signs the whole batch and one verifies every altered credential. Needs
``npm ci --prefix interop`` (``scripts/setup --test`` runs it); without it these tests fail with
that instruction, they never skip.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from tests.interop.cases import db_sign_batch, db_verify_batch, edge_cases
from tests.plugins.platform import platform_settings

from transcaspian.api.app import create_app
from transcaspian.bootstrap import build_platform, upgrade_database
from transcaspian.documents.types import DOCUMENT_TYPES
from transcaspian.documents.types.samples import sample_subject
from transcaspian.domain.documents.parties import OrgRole
from transcaspian.settings import Settings
from transcaspian.vc.contexts import CREDENTIALS_EXAMPLES_V2
from transcaspian.vc.credentials import build_credential
from transcaspian.vc.data_integrity import verify_proof
from transcaspian.vc.keys import (
    did_key_for,
    did_key_verification_method,
    resolve_did_key,
)

CONSOLE_SCRIPT = Path(sys.executable).with_name("transcaspian")

# a fixed key, so a failure can be reproduced with the same signatures
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
DID = did_key_for(KEY.public_key())
METHOD = did_key_verification_method(KEY.public_key())
CREATED = "2026-04-17T09:30:00Z"
VALID_FROM = datetime(2026, 4, 17, tzinfo=UTC)


def _document_credential(number: int, slug: str, *, extra_context: bool = False) -> dict[str, Any]:
    subject = sample_subject(slug)
    if subject.get("isToOrder") is True:
        # a negotiable bill's title needs its endorsement chain, which only we hold: verify it
        # as a straight bill (the proof is what is tested here)
        subject["isToOrder"] = False
        subject.setdefault("consignee", sample_subject("sea-waybill")["consignee"])
    credential = build_credential(
        slug,
        subject,
        issuer=DID,
        credential_id=f"urn:uuid:5b0f6c1e-1f1a-4c8e-9a51-0000000000{number:02d}",
        valid_from=VALID_FROM,
    )
    if extra_context:
        # our context plus one with its own @vocab, and a term only that @vocab defines
        credential["@context"] = [*credential["@context"], CREDENTIALS_EXAMPLES_V2]
        credential["credentialSubject"]["exampleRemark"] = "checked at Alat"
    return credential


EDGE_CASES = edge_cases(DID)
DOCUMENT_CASES = {slug: _document_credential(n, slug) for n, slug in enumerate(DOCUMENT_TYPES)}
DOCUMENT_CASES["cim-smgs-with-vocab-context"] = _document_credential(
    len(DOCUMENT_TYPES), "cim-smgs", extra_context=True
)

CASES: dict[str, dict[str, Any]] = {**DOCUMENT_CASES, **EDGE_CASES}


# -- alterations after signing ------------------------------------------------------------------
_NOT_VALUES = frozenset({"id", "type", "@id", "@type", "@language", "@direction"})


def _first_string(node: Any) -> tuple[Any, Any] | None:
    """(container, key) of the first string value (not an id, type or tag), depth first."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        if key in _NOT_VALUES:
            continue
        if isinstance(value, str):
            return node, key
        if isinstance(value, dict | list):
            found = _first_string(value)
            if found:
                return found
    return None


def value_changed(credential: dict[str, Any]) -> dict[str, Any]:
    altered = copy.deepcopy(credential)
    found = _first_string(altered["credentialSubject"])
    assert found, "the subject has no string value to alter"
    container, key = found
    container[key] += " (altered)"
    return altered


def member_added(credential: dict[str, Any]) -> dict[str, Any]:
    altered = copy.deepcopy(credential)
    altered["credentialSubject"]["consigneeOfRecord"] = "Somebody Else LLP"
    return altered


def direction_flipped(credential: dict[str, Any]) -> dict[str, Any]:
    altered = copy.deepcopy(credential)
    altered["credentialSubject"]["portName"]["@direction"] = "ltr"
    return altered


def language_changed(credential: dict[str, Any]) -> dict[str, Any]:
    altered = copy.deepcopy(credential)
    altered["credentialSubject"]["cityName"]["@language"] = "ru"
    return altered


ALTERATIONS: dict[str, tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    **{f"{name}/value-changed": (name, value_changed) for name in CASES},
    **{f"{name}/member-added": (name, member_added) for name in CASES},
    "direction/rtl-flipped-to-ltr": ("direction", direction_flipped),
    "language-tagged-values/language-changed": ("language-tagged-values", language_changed),
}


@pytest.fixture(scope="module")
def signed_by_db(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every case, signed by Digital Bazaar's stack with KEY (or {"error": why it refused})."""
    answer = db_sign_batch(CASES, KEY, CREATED, tmp_path_factory.mktemp("interop"))
    assert answer["did"] == DID and answer["verificationMethod"] == METHOD
    credentials: dict[str, dict[str, Any]] = answer["credentials"]
    return credentials


def db_signed(signed_by_db: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    credential = signed_by_db[name]
    assert "error" not in credential, f"Digital Bazaar's stack refused to sign: {credential}"
    assert credential["proof"]["verificationMethod"] == METHOD
    return credential


@pytest.fixture(scope="module")
def altered_by_name(signed_by_db: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        label: alter(signed_by_db[name])
        for label, (name, alter) in ALTERATIONS.items()
        if "error" not in signed_by_db[name]
    }


@pytest.fixture(scope="module")
def db_verdicts_on_altered(
    altered_by_name: dict[str, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    """Digital Bazaar's verdict on every altered credential (one Node process)."""
    return db_verify_batch(altered_by_name, tmp_path_factory.mktemp("interop"))


# -- our verifier's three doors -------------------------------------------------------------------
@dataclass(frozen=True)
class FixedClock:
    at: datetime

    def now(self) -> datetime:
        return self.at


def register_signer(database_url: str) -> None:
    """KEY's did:key as a registered organisation (our document types need one), registered
    before the proofs' creation time (a key may not sign before it exists)."""
    settings = Settings(database_url=database_url)
    platform = build_platform(settings, clock=FixedClock(datetime(2026, 4, 1, tzinfo=UTC)))
    platform.organisations.create_organisation(
        "db-signer", "Digital Bazaar test issuer", {OrgRole.SHIPPER}, did="key", private_key=KEY
    )
    platform.engine.dispose()


@pytest.fixture(scope="module")
def api(platform_database: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The served app on a copy of the platform database (as the ``client`` fixture), shared
    by this module's tests: they only verify, so none changes it."""
    database = tmp_path_factory.mktemp("interop-api") / "platform.sqlite3"
    shutil.copyfile(platform_database, database)
    register_signer(f"sqlite:///{database}")
    platform = build_platform(platform_settings(database))
    with TestClient(create_app(platform)) as client:
        yield client
    platform.engine.dispose()


CLI_NEGATIVES = ("language-tagged-values", "direction", "cim-smgs")


@pytest.fixture(scope="module")
def cli_verdicts(
    signed_by_db: dict[str, dict[str, Any]],
    altered_by_name: dict[str, dict[str, Any]],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[int, str]]:
    """(exit code, output) of ``transcaspian documents verify FILE`` for every signed case and
    a few altered ones, each its own process (a few at a time: start-up dominates)."""
    folder = tmp_path_factory.mktemp("interop-cli")
    url = f"sqlite:///{folder / 'cli.sqlite3'}"
    upgrade_database(Settings(database_url=url))
    register_signer(url)
    submitted = {name: signed_by_db[name] for name in CASES if "error" not in signed_by_db[name]}
    for name in CLI_NEGATIVES:
        label = f"{name}/value-changed"
        if label in altered_by_name:
            submitted[label] = altered_by_name[label]

    def verify(item: tuple[int, dict[str, Any]]) -> tuple[int, str]:
        number, credential = item
        path = folder / f"credential-{number}.json"
        path.write_text(json.dumps(credential, ensure_ascii=False), encoding="utf-8")
        completed = subprocess.run(
            [str(CONSOLE_SCRIPT), "documents", "verify", str(path)],
            check=False,
            env={**os.environ, "TRANSCASPIAN_DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=300,
        )
        return completed.returncode, completed.stdout + completed.stderr

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(verify, enumerate(submitted.values())))
    return dict(zip(submitted, outcomes, strict=True))


def ours_in_process(credential: dict[str, Any]) -> tuple[bool, str | None]:
    result = verify_proof(credential, resolve_key=resolve_did_key)
    return result.verified, result.problem


# -- signed by Digital Bazaar, verified by us ------------------------------------------------------
@pytest.mark.parametrize("name", CASES)
def test_verifies_in_process(name: str, signed_by_db: dict[str, dict[str, Any]]) -> None:
    verified, problem = ours_in_process(db_signed(signed_by_db, name))
    assert verified, problem


@pytest.mark.parametrize("name", CASES)
def test_verifies_through_the_served_api(
    name: str, signed_by_db: dict[str, dict[str, Any]], api: TestClient
) -> None:
    response = api.post(
        "/credentials/verify", json={"verifiableCredential": db_signed(signed_by_db, name)}
    )
    assert response.status_code == 200, response.text
    assert response.json()["verified"] is True, response.text


@pytest.mark.parametrize("name", CASES)
def test_verifies_with_the_console_script(
    name: str, signed_by_db: dict[str, dict[str, Any]], cli_verdicts: dict[str, tuple[int, str]]
) -> None:
    db_signed(signed_by_db, name)
    code, output = cli_verdicts[name]
    assert code == 0, output
    assert output.startswith("VERIFIED"), output


# -- altered after signing: refused by us and by Digital Bazaar ------------------------------------
@pytest.mark.parametrize("label", ALTERATIONS)
def test_altered_fails_in_process(label: str, altered_by_name: dict[str, dict[str, Any]]) -> None:
    assert label in altered_by_name, "Digital Bazaar's stack did not sign the original"
    verified, problem = ours_in_process(altered_by_name[label])
    assert not verified
    assert problem


@pytest.mark.parametrize("label", ALTERATIONS)
def test_altered_fails_through_the_served_api(
    label: str, altered_by_name: dict[str, dict[str, Any]], api: TestClient
) -> None:
    assert label in altered_by_name, "Digital Bazaar's stack did not sign the original"
    response = api.post(
        "/credentials/verify", json={"verifiableCredential": altered_by_name[label]}
    )
    assert response.status_code in (200, 400), response.text
    assert response.json()["verified"] is False, response.text


@pytest.mark.parametrize("name", CLI_NEGATIVES)
def test_altered_fails_with_the_console_script(
    name: str, cli_verdicts: dict[str, tuple[int, str]]
) -> None:
    label = f"{name}/value-changed"
    assert label in cli_verdicts, "Digital Bazaar's stack did not sign the original"
    code, output = cli_verdicts[label]
    assert code == 1, output
    assert output.startswith("NOT VERIFIED"), output


@pytest.mark.parametrize("label", ALTERATIONS)
def test_altered_fails_in_digital_bazaars_verifier(
    label: str, db_verdicts_on_altered: dict[str, dict[str, Any]]
) -> None:
    assert label in db_verdicts_on_altered, "Digital Bazaar's stack did not sign the original"
    verdict = db_verdicts_on_altered[label]
    assert verdict["verified"] is False, verdict
    assert verdict["error"], verdict


def test_digital_bazaar_verifies_what_it_signed(
    signed_by_db: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    # the control for the tests above: every original verifies in Digital Bazaar's own verifier
    verdicts = db_verify_batch(signed_by_db, tmp_path)
    assert verdicts == {name: {"verified": True, "error": None} for name in CASES}


def test_the_console_script_shows_the_issuer_did_verbatim(
    cli_verdicts: dict[str, tuple[int, str]],
) -> None:
    # a reader compares the DID with the one they expect: it must not be rendered
    # (Rich turns ":key:" into an emoji unless told not to)
    _, output = cli_verdicts["cim-smgs"]
    assert METHOD in output, output
