"""Credentials signed and verified per second per core, for a typical CIM/SMGS consignment note.

Run: ``uv run python benchmarks/credentials.py [--notes 2000] [--pyld-notes 40]``

In the same run, for comparison:

* the raw Ed25519 sign/verify rate of ``cryptography`` (the same library our proofs use), on
  the 64-byte data an eddsa-rdfc-2022 proof signs;
* a straightforward PyLD-based verification: ``jsonld.normalize`` (URDNA2015) of the document
  and of the proof configuration every time, then SHA-256 and Ed25519.

Every note is distinct (number, weights, signing time), so nothing is verified twice. Rates
are per core: operations divided by the CPU time of this single-threaded process
(``time.process_time``); wall-clock rates are printed too, as other work on the machine
slows them. Each verification is also timed alone to give the median and p95.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import resource
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld import jsonld

from transcaspian.documents.types.samples import sample_subject
from transcaspian.vc.contexts import pyld_document_loader
from transcaspian.vc.credentials import build_credential
from transcaspian.vc.data_integrity import sign_credential, verify_proof
from transcaspian.vc.keys import (
    decode_multibase_base58,
    did_key_for,
    did_key_verification_method,
    resolve_did_key,
)
from transcaspian.vc.rdf import to_quads
from transcaspian.vc.status_list import status_entry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=2000, help="consignment notes to sign")
    parser.add_argument("--pyld-notes", type=int, default=40, help="notes PyLD verifies")
    args = parser.parse_args()

    key = Ed25519PrivateKey.generate()
    method = did_key_verification_method(key.public_key())
    unsigned = [_note(index, did_key_for(key.public_key())) for index in range(args.notes)]
    created = [datetime(2026, 4, 17, tzinfo=UTC) + timedelta(seconds=i) for i in range(args.notes)]

    sample = unsigned[0]
    size = len(json.dumps(sample).encode())
    quads = len(to_quads(sample).quads)
    print(f"input: CIM/SMGS consignment note credential, {size} bytes of JSON, {quads} quads")
    print(f"notes: {args.notes} distinct (PyLD baseline: {args.pyld_notes})\n")

    signed: list[dict[str, Any]] = []
    sign_rate = _rate(
        "sign (ours)",
        args.notes,
        lambda i: signed.append(
            sign_credential(
                unsigned[i], private_key=key, verification_method=method, created=created[i]
            )
        ),
    )
    results = []
    verify_rate = _rate(
        "verify (ours)",
        args.notes,
        lambda i: results.append(verify_proof(signed[i], resolve_key=resolve_did_key)),
    )
    assert all(result.verified for result in results), "a note failed to verify"
    latencies = _latencies(lambda i: verify_proof(signed[i], resolve_key=resolve_did_key), 500)

    message = hashlib.sha256(b"config").digest() + hashlib.sha256(b"document").digest()
    signature = key.sign(message)
    public_key = key.public_key()
    raw_sign = _rate("Ed25519 sign (raw)", args.notes, lambda i: key.sign(message))
    raw_verify = _rate(
        "Ed25519 verify (raw)", args.notes, lambda i: public_key.verify(signature, message)
    )
    pyld_results = []
    pyld_verify = _rate(
        "verify (PyLD URDNA2015)",
        args.pyld_notes,
        lambda i: pyld_results.append(_pyld_verify(signed[i])),
    )
    assert all(pyld_results), "PyLD failed to verify a note"

    print()
    print(f"verify latency (ours, wall): median {latencies[0]:.0f} us, p95 {latencies[1]:.0f} us")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print()
    print("per core (CPU time):")
    print(f"  signed   {sign_rate:8.0f} notes/s  = {sign_rate / raw_sign:.2f} x raw Ed25519 sign")
    print(
        f"  verified {verify_rate:8.0f} notes/s  = {verify_rate / raw_verify:.2f} x raw Ed25519 "
        f"verify, {verify_rate / pyld_verify:.0f} x PyLD-based verification"
    )
    print(f"  raw Ed25519: sign {raw_sign:.0f}/s, verify {raw_verify:.0f}/s")
    print(f"  PyLD-based verification: {pyld_verify:.1f} notes/s")
    target = "meets" if verify_rate >= 1000 else "MISSES"
    print(f"\ntarget >= 1,000 verifications per second per core: {target}")


def _note(index: int, issuer: str) -> dict[str, Any]:
    subject = sample_subject("cim-smgs")
    subject["consignmentNoteNumber"] = f"KZ-SMGS-2026-{index:06d}"
    subject["goodsItems"][0]["grossWeightKg"] = f"{52000 + index % 997}.000"
    return build_credential(
        "cim-smgs",
        subject,
        issuer=issuer,
        credential_id=f"urn:uuid:00000000-0000-4000-8000-{index:012d}",
        valid_from=datetime(2026, 4, 17, tzinfo=UTC),
        valid_until=None,
        status=[
            status_entry("https://transcaspian.example/status/revocation/1", index, "revocation"),
            status_entry("https://transcaspian.example/status/suspension/1", index, "suspension"),
        ],
    )


def _pyld_verify(document: dict[str, Any]) -> bool:
    """Verification as a straightforward implementation does it: PyLD every time."""
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": pyld_document_loader,
    }
    unsecured = copy.deepcopy({k: v for k, v in document.items() if k != "proof"})
    proof = document["proof"]
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = document["@context"]
    document_nquads = jsonld.normalize(unsecured, options)
    config_nquads = jsonld.normalize(config, options)
    data = (
        hashlib.sha256(config_nquads.encode()).digest()
        + hashlib.sha256(document_nquads.encode()).digest()
    )
    key = resolve_did_key(proof["verificationMethod"])
    key.verify(decode_multibase_base58(proof["proofValue"]), data)
    return True


def _rate(name: str, count: int, operation: Callable[[int], object]) -> float:
    """Operations per CPU second (printed with the wall-clock rate)."""
    wall = time.perf_counter()
    cpu = time.process_time()
    for index in range(count):
        operation(index)
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    rate = count / cpu
    print(f"{name:26s} {rate:10.1f}/s per core (CPU)   {count / wall:10.1f}/s wall")
    return rate


def _latencies(operation: Callable[[int], object], count: int) -> tuple[float, float]:
    samples = []
    for index in range(count):
        start = time.perf_counter()
        operation(index)
        samples.append((time.perf_counter() - start) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


if __name__ == "__main__":
    main()
