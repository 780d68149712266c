"""Credentials signed and verified per second per core, for a typical CIM/SMGS consignment note.

Run: ``uv run python benchmarks/credentials.py [--notes 2000] [--pyld-notes 40]
[--requests 3000] [--clients 10] [--workers N]``

In the same run, for comparison:

* the raw Ed25519 sign/verify rate of ``cryptography`` (the same library our proofs use), on
  the 64-byte data an eddsa-rdfc-2022 proof signs;
* a straightforward PyLD-based verification: ``jsonld.normalize`` (URDNA2015) of the document
  and of the proof configuration every time, then SHA-256 and Ed25519.

* the platform's whole verifier (proof, issuer and key from the store, validity, status lists,
  supersession, title) called in-process on credentials it issued;
* ``POST /credentials/verify`` over HTTP: the real server (``transcaspian serve`` in a
  subprocess, SQLite in a temporary directory, the bundled dataset loaded, an organisation that
  issued the credentials) on a free loopback port, driven by ``--clients`` concurrent keep-alive
  connections sending ``--requests`` requests in all (a small asyncio HTTP/1.1 client whose own
  CPU time is measured and printed, so it is seen not to be the bottleneck).

Every note is distinct (number, weights, signing time), so nothing is verified twice. Rates
are per core: operations divided by the CPU time of this single-threaded process
(``time.process_time``); wall-clock rates are printed too, as other work on the machine
slows them. Each verification is also timed alone to give the median and p95. The HTTP rate
is wall-clock (requests answered per second), with the server's CPU time per request beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import hashlib
import itertools
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld import jsonld

from transcaspian.bootstrap import build_platform, prepare_database
from transcaspian.documents.types.samples import sample_subject
from transcaspian.domain.documents.parties import OrgRole, UserRole
from transcaspian.services.documents import IssueRequest
from transcaspian.settings import Settings
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
    parser.add_argument("--requests", type=int, default=3000, help="HTTP verify requests (0: none)")
    parser.add_argument("--clients", type=int, default=10, help="concurrent keep-alive connections")
    parser.add_argument("--issued", type=int, default=100, help="distinct credentials issued")
    parser.add_argument("--workers", type=int, help="server worker processes (default: its own)")
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
    latencies = _latencies(
        lambda i: verify_proof(signed[i], resolve_key=resolve_did_key), min(500, args.notes)
    )

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
    if args.requests > 0:
        print()
        _http_benchmark(args, verify_rate)


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


# -- POST /credentials/verify over HTTP -----------------------------------------------------
VERIFY_PATH = "/credentials/verify"
STARTUP_S = 300  # worker processes on a busy machine take long to import


@dataclass
class HttpRun:
    latencies: list[float]  # seconds, one per request
    wall: float
    client_cpu: float
    server_cpu: float


def _http_benchmark(args: argparse.Namespace, proof_rate: float) -> None:
    with tempfile.TemporaryDirectory(prefix="transcaspian-bench-") as directory:
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        database_url = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        settings = Settings(
            database_url=database_url, base_url=base_url, runs_path=Path(directory) / "runs"
        )
        credentials, service_rate = _issue_and_verify_in_process(settings, args.issued)
        environment = {
            **os.environ,
            "TRANSCASPIAN_DATABASE_URL": database_url,
            "TRANSCASPIAN_BASE_URL": base_url,
            "TRANSCASPIAN_RUNS_PATH": str(Path(directory) / "runs"),
            # the client sends far more than a client may: the limiter still runs, never refuses
            "TRANSCASPIAN_RATE_LIMIT": "1000000/second",
        }
        if args.workers is not None:
            environment["TRANSCASPIAN_WORKERS"] = str(args.workers)
        command = [sys.executable, "-m", "transcaspian", "serve", "--port", str(port), "--no-load"]
        with open(Path(directory) / "server.log", "wb") as log:
            server = subprocess.Popen(command, env=environment, stdout=log, stderr=log)
            try:
                requests = [_verify_request(port, credential) for credential in credentials]
                _wait_until_serving(server, port, requests[0])
                asyncio.run(_drive(port, requests, min(args.requests, 300), args.clients, server))
                run = asyncio.run(_drive(port, requests, args.requests, args.clients, server))
                workers = _worker_processes(server.pid)
            finally:
                server.terminate()
                server.wait(timeout=20)
        _report_http(args, run, workers, proof_rate, service_rate)


def _issue_and_verify_in_process(settings: Settings, count: int) -> tuple[list[Any], float]:
    """Prepare the database as ``serve`` does, let a carrier issue ``count`` consignment notes,
    and time the platform's whole verifier on them in-process."""
    prepare_database(settings)
    platform = build_platform(settings)
    try:
        platform.organisations.create_organisation(
            "ktz", "Kazakhstan Temir Zholy", {OrgRole.CARRIER}, country="KZ"
        )
        platform.organisations.create_user("ktz", "clerk@ktz.example", UserRole.CLERK)
        actor = platform.organisations.authenticate(
            platform.organisations.create_token("clerk@ktz.example", "benchmark").secret
        )
        assert actor is not None
        credentials = []
        for index in range(count):
            subject = sample_subject("cim-smgs")
            subject["consignmentNoteNumber"] = f"KZ-SMGS-2026-{index:06d}"
            document = platform.documents.issue(actor, IssueRequest("cim-smgs", subject))
            credentials.append(document.current.credential)
        verifier = platform.verifier
        reports = []
        rate = _rate(
            "verify (whole, in-process)",
            max(count, 500),
            lambda i: reports.append(verifier.verify_credential(credentials[i % count])),
        )
        failed = [r.reasons for r in reports if not r.verified]
        assert not failed, f"an issued note failed to verify: {failed[0]}"
        return credentials, rate
    finally:
        platform.engine.dispose()


def _verify_request(port: int, credential: dict[str, Any]) -> bytes:
    body = json.dumps({"verifiableCredential": credential}, separators=(",", ":")).encode()
    head = (
        f"POST {VERIFY_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def _wait_until_serving(server: subprocess.Popen[bytes], port: int, request: bytes) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode} (see its log)")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
                connection.sendall(request)
                if connection.recv(12).startswith(b"HTTP/1.1"):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer on 127.0.0.1:{port} within {STARTUP_S} s")


async def _drive(
    port: int, requests: list[bytes], total: int, clients: int, server: subprocess.Popen[bytes]
) -> HttpRun:
    """Send ``total`` requests over ``clients`` keep-alive connections, each as soon as the
    connection's previous answer has arrived."""
    counter = itertools.count()
    latencies: list[float] = []
    connections = [await asyncio.open_connection("127.0.0.1", port) for _ in range(clients)]

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while (index := next(counter)) < total:
            start = time.perf_counter()
            writer.write(requests[index % len(requests)])
            head = await reader.readuntil(b"\r\n\r\n")
            length = _content_length(head)
            body = await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            if not head.startswith(b"HTTP/1.1 200") or b'"verified":true' not in body:
                raise RuntimeError(f"a verification failed: {head[:40]!r} {body[:300]!r}")

    server_cpu = _cpu_seconds(server.pid)
    client_cpu = time.process_time()
    wall = time.perf_counter()
    await asyncio.gather(*(client(reader, writer) for reader, writer in connections))
    wall = time.perf_counter() - wall
    client_cpu = time.process_time() - client_cpu
    server_cpu = _cpu_seconds(server.pid) - server_cpu
    for _, writer in connections:
        writer.close()
    return HttpRun(latencies, wall, client_cpu, server_cpu)


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    raise RuntimeError(f"an answer without Content-Length: {head!r}")


def _process_tree(root: int) -> list[int]:
    """``root`` and its descendants (the server's worker processes), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    tree = [root]
    for pid in tree:
        tree.extend(child for child, parent in parents.items() if parent == pid)
    return tree


def _worker_processes(root: int) -> int:
    """How many worker processes uvicorn spawned under ``root`` (0: it serves itself)."""
    return sum(b"spawn_main" in _command_line(pid) for pid in _process_tree(root) if pid != root)


def _command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _cpu_seconds(root: int) -> float:
    """User + system CPU time of ``root`` and its descendants so far."""
    ticks = 0
    for pid in _process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _report_http(
    args: argparse.Namespace, run: HttpRun, workers: int, proof_rate: float, service_rate: float
) -> None:
    count = len(run.latencies)
    latencies = sorted(run.latencies)
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(count - 1, int(count * 0.99))] * 1000
    rate = count / run.wall
    shown_workers = f"{workers} worker process(es)" if workers else "1 process"
    print(
        f"HTTP POST {VERIFY_PATH}: {count} requests ({args.issued} distinct credentials), "
        f"{args.clients} keep-alive connections, server: {shown_workers}, {os.cpu_count()} cores"
    )
    print(f"  answered     {rate:8.0f} verifications/s (wall)   p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    print(
        f"  server CPU   {run.server_cpu / count * 1000:8.2f} ms per request "
        f"({count / run.server_cpu:.0f} verifications per server CPU second)"
    )
    print(
        f"  client CPU   {run.client_cpu / count * 1000:8.2f} ms per request "
        f"(the client could send {count / run.client_cpu:.0f}/s on one core)"
    )
    print(
        f"  in-process: proof only {proof_rate:.0f}/s per core, whole verifier "
        f"{service_rate:.0f}/s per core; HTTP answers {rate / proof_rate:.2f} x the proof-only "
        f"rate, {rate / service_rate:.2f} x the whole verifier's"
    )
    cores = os.cpu_count() or 1
    per_request = (run.server_cpu + run.client_cpu) / count
    bound = min(cores / per_request, max(workers, 1) * count / run.server_cpu)
    print(
        f"  CPU bound    {bound:8.0f} verifications/s: {cores} cores over "
        f"{per_request * 1000:.2f} ms of server + client CPU per request, at most one core "
        f"per server process (what this run would answer with the machine to itself; load "
        f"average now {os.getloadavg()[0]:.1f})"
    )
    target = "meets" if rate >= 600 and p99 <= 50 else "MISSES"
    print(f"\ntarget >= 600 verifications/s over HTTP with p99 <= 50 ms: {target}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


if __name__ == "__main__":
    main()
