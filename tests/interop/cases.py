"""What the interop tests share: running tests/interop/sign.mjs and verify.mjs (Digital Bazaar's
stack, Node, offline) over a batch of credentials in one process, and the JSON-LD edge cases
both directions exchange.

Needs ``npm ci --prefix interop`` (``scripts/setup --test`` runs it); without it the tests fail
with that instruction, they never skip.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from transcaspian.vc.contexts import CREDENTIALS_EXAMPLES_V2, CREDENTIALS_V2
from transcaspian.vc.keys import private_key_to_multibase

ROOT = Path(__file__).resolve().parents[2]
SIGNER = ROOT / "tests" / "interop" / "sign.mjs"
VERIFIER = ROOT / "tests" / "interop" / "verify.mjs"
NODE_MODULES = ROOT / "interop" / "node_modules"


def run_node(script: Path, *args: str) -> Any:
    """Run a Node script of tests/interop; its last stdout line as JSON (it must exit 0)."""
    node = shutil.which("node")
    assert node, "node is not installed; the interop tests need Node.js 20+"
    assert (NODE_MODULES / "@digitalbazaar" / "vc").is_dir(), (
        f"{NODE_MODULES} is missing: run `npm ci --prefix interop` first"
    )
    completed = subprocess.run(
        [node, str(script), *args], check=False, capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def db_sign_batch(
    credentials: dict[str, dict[str, Any]], key: Ed25519PrivateKey, created: str, folder: Path
) -> dict[str, Any]:
    """Digital Bazaar's stack signs every credential with ``key`` (its did:key method):
    ``{"did", "verificationMethod", "credentials": {name: signed | {"error": why not}}}``."""
    batch = folder / "unsigned.json"
    batch.write_text(json.dumps(credentials, ensure_ascii=False), encoding="utf-8")
    secret = private_key_to_multibase(key)
    answer: dict[str, Any] = run_node(
        SIGNER, "--secret-key", secret, "--created", created, "--batch", str(batch)
    )
    return answer


def db_verify_batch(
    credentials: dict[str, dict[str, Any]], folder: Path, name: str = "credentials.json"
) -> dict[str, dict[str, Any]]:
    """Digital Bazaar's verdict ``{"verified", "error"}`` on every credential."""
    batch = folder / name
    batch.write_text(json.dumps(credentials, ensure_ascii=False), encoding="utf-8")
    verdicts: dict[str, dict[str, Any]] = run_node(VERIFIER, "--batch", str(batch))
    return verdicts


TEST_VOCAB = "https://transcaspian.example/interop-test#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _generic(
    issuer: str,
    number: int,
    subject: dict[str, Any],
    *,
    context: list[Any] | None = None,
    **top: Any,
) -> dict[str, Any]:
    return {
        "@context": context or [CREDENTIALS_V2, CREDENTIALS_EXAMPLES_V2],
        "id": f"urn:uuid:7d1f0c2a-5e0b-4c7e-9f21-0000000000{number:02d}",
        "type": ["VerifiableCredential", "ExampleCredential"],
        "issuer": issuer,
        "validFrom": "2026-04-17T00:00:00Z",
        **top,
        "credentialSubject": {"id": "did:example:consignee-poti-agro", **subject},
    }


def _inline(**terms: Any) -> dict[str, Any]:
    """An inline context (after the examples context) defining test terms."""
    return {"@version": 1.1, **{name: {"@id": TEST_VOCAB + name, **t} for name, t in terms.items()}}


def edge_cases(issuer: str) -> dict[str, dict[str, Any]]:
    """JSON-LD edge cases, as unsigned credentials issued by ``issuer``."""
    return {
        "language-tagged-values": _generic(
            issuer,
            1,
            {
                "cityName": {"@value": "Бакы", "@language": "az"},
                "portName": {"@value": "Ələt limanı", "@language": "az-Latn"},
            },
            name={"@value": "Yük qaiməsi", "@language": "az"},
            description={"@value": "Накладная на груз", "@language": "ru"},
        ),
        "language-tagged-array": _generic(
            issuer,
            2,
            {
                "cityName": [
                    {"@value": "Baku", "@language": "en"},
                    {"@value": "Bakı", "@language": "az"},
                    {"@value": "Баку", "@language": "ru"},
                    "Baku (untagged)",
                ]
            },
        ),
        "language-map": _generic(
            issuer,
            3,
            {"cityNames": {"en": "Aktau", "kk": "Ақтау", "ru": "Актау", "@none": "Aqtau"}},
            context=[
                CREDENTIALS_V2,
                CREDENTIALS_EXAMPLES_V2,
                _inline(cityNames={"@container": "@language"}),
            ],
        ),
        "direction": _generic(
            issuer,
            4,
            {
                "portName": {"@value": "ميناء باكو", "@language": "ar", "@direction": "rtl"},
                "remark": {"@value": "Baku port", "@language": "en", "@direction": "ltr"},
            },
            description={"@value": "بوليصة شحن", "@language": "ar", "@direction": "rtl"},
        ),
        "vocab-context-nested-objects": _generic(
            issuer,
            5,
            {
                "consignment": {
                    "type": "ExampleConsignment",
                    "name": "Wheat flour, Almaty to Poti",
                    "shipper": {
                        "type": "ExampleOrganization",
                        "name": "Almaty Grain Export LLP",
                        "address": {"city": "Almaty", "postalCode": "050051", "country": "KZ"},
                    },
                    "goods": {"description": "Wheat flour in 50 kg bags", "packages": 1040},
                }
            },
        ),
        "inline-vocab-context": _generic(
            issuer,
            6,
            {"berth": "Ferry berth 2", "vessel": {"name": "Barda", "imo": "IMO 9296559"}},
            context=[CREDENTIALS_V2, {"@vocab": TEST_VOCAB}],
        ),
        "arrays-and-plain-literals": _generic(
            issuer,
            7,
            {
                "hsCodes": ["110100", "151219"],
                "packageCounts": [1040, 1200],
                "grossWeightTonnes": 52.52,
                "hazardous": False,
                "containers": [
                    {"equipmentReference": "TCLU1234568", "seals": ["KZ0417001", "KZ0417002"]},
                    {"equipmentReference": "KTZU4001001", "seals": []},
                ],
            },
        ),
        "list": _generic(
            issuer,
            8,
            {
                "itinerary": {"@list": ["KZALA", "KZAAU", "AZALA", "GEPTI"]},
                "legs": [["KZALA", "KZAAU"], ["KZAAU", "AZALA"]],
            },
            context=[
                CREDENTIALS_V2,
                CREDENTIALS_EXAMPLES_V2,
                _inline(legs={"@container": "@list"}),
            ],
        ),
        "typed-values": _generic(
            issuer,
            9,
            {
                "shippedOnBoardDate": {"@value": "2026-04-21", "@type": XSD + "date"},
                "grossWeightKg": {"@value": "52520.000", "@type": XSD + "decimal"},
                "departedAt": "2026-04-21T06:15:00Z",
                "carrier": {"@id": "did:web:transcaspian.example:org:asco"},
            },
            context=[
                CREDENTIALS_V2,
                CREDENTIALS_EXAMPLES_V2,
                _inline(departedAt={"@type": XSD + "dateTime"}),
            ],
        ),
        "json-literal": _generic(
            issuer,
            10,
            {
                "customsPayload": {
                    "declaration": "TIR 26-0417",
                    "lines": [{"hs": "110100", "kg": 52520, "value": 10400.5}, {"hs": "151219"}],
                    "flags": {"inspected": True, "note": None, "город": "Бакы"},
                }
            },
            context=[
                CREDENTIALS_V2,
                CREDENTIALS_EXAMPLES_V2,
                _inline(customsPayload={"@type": "@json"}),
            ],
        ),
        "issuer-object-with-language": {
            **_generic(issuer, 11, {"cityName": "Poti"}),
            "issuer": {
                "id": issuer,
                "name": {"@value": "Azərbaycan Dəmir Yolları", "@language": "az"},
            },
        },
    }
