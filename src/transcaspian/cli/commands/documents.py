"""``transcaspian documents verify|export-trust|list``: verify a credential file online (against
this platform's store) or offline (a trust list and a status list cache), and export what an
offline verifier needs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from transcaspian.domain.errors import InvalidValueError
from transcaspian.settings import get_settings
from transcaspian.vc import ijson

app = typer.Typer(help="Electronic transport and trade documents.", no_args_is_help=True)
console = Console(highlight=False, emoji=False, soft_wrap=True)

_MARK = {"passed": "ok  ", "failed": "FAIL", "unknown": "??  ", "not-applicable": "n/a "}


@app.command("verify")
def verify(
    file: Path = typer.Argument(..., help="a credential (JSON) or a bundle with its chain"),
    offline: bool = typer.Option(False, "--offline", help="use no database and no network"),
    trust_list: Path | None = typer.Option(None, "--trust-list", help="trusted issuers (JSON)"),
    status_cache: Path | None = typer.Option(
        None, "--status-cache", help="directory of cached status list credentials"
    ),
    as_json: bool = typer.Option(False, "--json", help="print the report as JSON"),
) -> None:
    """Check proof, issuer and key, validity, status, supersession and title; explain each.

    Exits 0 when the document verifies, 1 when it does not.
    """
    from transcaspian.services.verification import OfflineTrustSource, verify_document

    submitted = _read_json(file)
    now = datetime.now(UTC)
    if offline:
        if trust_list is None:
            raise InvalidValueError("--trust-list: needed with --offline", field="--trust-list")
        source = OfflineTrustSource(_read_json(trust_list), _read_cache(status_cache), now)
        report = verify_document(submitted, source, now)
    else:
        from transcaspian.bootstrap import build_platform

        report = build_platform(get_settings()).verifier.verify(submitted)
    if as_json:
        console.print_json(
            json.dumps(
                {
                    "verified": report.verified,
                    "mode": report.mode,
                    "checks": [
                        {"name": c.name, "outcome": c.outcome.value, "explanation": c.explanation}
                        for c in report.checks
                    ],
                }
            )
        )
    else:
        verdict = "VERIFIED" if report.verified else "NOT VERIFIED"
        console.print(f"{verdict} ({report.mode}): {report.credential_id}", markup=False)
        for check in report.checks:
            mark = _MARK[check.outcome.value]
            console.print(f"  {mark} {check.name}: {check.explanation}", markup=False)
    if not report.verified:
        raise typer.Exit(1)


@app.command("export-trust")
def export_trust(
    out: Path = typer.Argument(..., help="directory to write trust-list.json and status/ into"),
) -> None:
    """Write the trust list (every organisation's DID document) and the current status lists,
    for verifiers with no network (ferry decks, remote border posts)."""
    from transcaspian.bootstrap import build_platform
    from transcaspian.services.organisations import did_document_of

    platform = build_platform(get_settings())
    organisations = platform.organisations.list()
    out.mkdir(parents=True, exist_ok=True)
    trust = {
        "type": "TranscaspianTrustList",
        "generatedAt": datetime.now(UTC).isoformat(),
        "issuers": [
            {"did": o.did, "name": o.name, "didDocument": did_document_of(o)} for o in organisations
        ],
    }
    (out / "trust-list.json").write_text(json.dumps(trust, indent=2, ensure_ascii=False))
    cache = out / "status"
    cache.mkdir(exist_ok=True)
    written = 0
    for o in organisations:
        for name in ("revocation", "suspension", "superseded"):
            try:
                credential = platform.documents.status_list_credential(f"{o.slug}-{name}")
            except LookupError:
                continue
            (cache / f"{o.slug}-{name}.json").write_text(json.dumps(credential))
            written += 1
    console.print(
        f"wrote {out / 'trust-list.json'} ({len(organisations)} issuers) and {written} status "
        f"lists in {cache}",
        markup=False,
    )


def _read_json(path: Path) -> Any:
    """The file's JSON; InvalidValueError if it is not readable JSON text, naming the pointer
    of a lone surrogate or a non-finite number (:func:`transcaspian.vc.ijson.loads`)."""
    try:
        return ijson.loads(path.read_text(encoding="utf-8"))
    # the message names the file: no field, which report_error would print before it again
    except ijson.NotIJsonError as error:
        raise InvalidValueError(f"{path}: not I-JSON: {error}") from error
    except (OSError, ValueError) as error:
        raise InvalidValueError(f"{path}: not a readable JSON file ({error})") from error


def _read_cache(directory: Path | None) -> dict[str, tuple[dict[str, Any], datetime]]:
    """Status list credentials by their URL (``id``), dated by the file's modification time."""
    cache: dict[str, tuple[dict[str, Any], datetime]] = {}
    if directory is None:
        return cache
    for file in sorted(directory.glob("*.json")):
        credential = _read_json(file)
        if isinstance(credential, dict) and isinstance(credential.get("id"), str):
            fetched = datetime.fromtimestamp(file.stat().st_mtime, UTC)
            cache[credential["id"]] = (credential, fetched)
    return cache
