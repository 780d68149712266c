"""``transcaspian serve --port P`` without TRANSCASPIAN_BASE_URL serves DIDs, DID document
links and status lists under :P (not :8000), and warns at start when organisations' DIDs were
issued under another base URL (issue 9, defect 10). Through the installed console script."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

SCRIPT = Path(sys.executable).with_name("transcaspian")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def env(platform_database, tmp_path) -> dict[str, str]:
    """The console script's environment: a copy of the stored bundled network, no base URL."""
    database = tmp_path / "serve.sqlite3"
    shutil.copyfile(platform_database, database)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TRANSCASPIAN_")}
    return {**clean, "TRANSCASPIAN_DATABASE_URL": f"sqlite:///{database}"}


def _cli(env: dict[str, str], cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [SCRIPT, *args], env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def serving(env, tmp_path) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    """``transcaspian serve --port P`` with an organisation created before under the default."""
    _cli(env, tmp_path, "orgs", "create", "ktz", "--name", "KTZ", "--role", "carrier")
    port = _free_port()
    server = subprocess.Popen(
        [SCRIPT, "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,  # no .env of the checkout
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, server.communicate()[0]
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v1/organisations").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.3)
        yield port, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_serve_port_sets_the_base_url_of_dids_and_links(serving, env, tmp_path):
    port, server = serving
    base = f"http://127.0.0.1:{port}"
    # an organisation registered for this server (TRANSCASPIAN_PORT as --port) gets :P
    printed = _cli(
        {**env, "TRANSCASPIAN_PORT": str(port)},
        tmp_path,
        *("orgs", "create", "adyc", "--name", "ADY Container", "--role", "carrier"),
    )
    assert f"did:web:127.0.0.1%3A{port}:orgs:adyc" in printed

    document = httpx.get(f"{base}/orgs/adyc/did.json").json()
    assert document["id"] == f"did:web:127.0.0.1%3A{port}:orgs:adyc"
    listed = {o["slug"]: o for o in httpx.get(f"{base}/api/v1/organisations").json()}
    assert listed["adyc"]["did_document_url"] == f"{base}/orgs/adyc/did.json"
    assert ":8000" not in str(listed["adyc"])

    server.terminate()
    output = server.communicate(timeout=15)[0]
    assert f"serving at {base}" in output
    # ktz was registered before, under the default :8000: said once, at start
    assert "warning: 1 organisation(s) have DIDs issued under another base URL" in output
    assert "ktz (did:web:127.0.0.1%3A8000:orgs:ktz)" in output


def test_an_explicit_base_url_is_kept_whatever_the_port(env, tmp_path):
    printed = _cli(
        {**env, "TRANSCASPIAN_BASE_URL": "https://corridor.example", "TRANSCASPIAN_PORT": "9"},
        tmp_path,
        *("orgs", "create", "adyc", "--name", "ADY Container", "--role", "carrier"),
    )

    assert "did:web:corridor.example:orgs:adyc" in printed
