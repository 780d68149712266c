"""The JSON-LD contexts served by the platform (issue 8, defect 7): every context we use at a
stable path, byte for byte the bundled file, with digests that match what docs/credentials.md
publishes; hostile names answer 404 problems; the context URL in credentials stays the fixed
name whatever TRANSCASPIAN_BASE_URL is, and credentials signed with it keep verifying without
the verifier touching the network."""

import base64
import hashlib
import http.client
import json
import re
import shutil
import socket
from copy import deepcopy
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import base58
import pytest
from fastapi.testclient import TestClient

from tests.api.documents.conftest import bearer
from tests.integration.documents.corridor import build_corridor
from transcaspian.api.app import create_app
from transcaspian.bootstrap import build_platform
from transcaspian.documents.types.samples import sample_subject
from transcaspian.settings import BUNDLED_DATASET, Settings
from transcaspian.vc.contexts import (
    CREDENTIALS_V1,
    CREDENTIALS_V2,
    TRANSCASPIAN_V1,
    bundled_context,
    bundled_urls,
    cached_document,
)
from transcaspian.vc.data_integrity import verify_proof
from transcaspian.vc.keys import resolve_did_key

ROOT = Path(__file__).parents[3]
DOCS = ROOT / "docs" / "credentials.md"
README = ROOT / "src" / "transcaspian" / "vc" / "contexts" / "README.md"
VECTOR = Path(__file__).parent / "vectors" / "signed-with-transcaspian-v1.json"
BUNDLE = resources.files("transcaspian.vc.contexts")
REAL_DOMAIN = "https://corridor.example.org"
NODE_CONTEXTS = ROOT / "interop" / "node_modules" / "@digitalbazaar" / "credentials-context"
# The SHA-256 the W3C Recommendations publish for their base contexts (VC Data Model 2.0 and
# 1.1, appendix B.1): the bytes W3C serves, which we bundle and serve unchanged.
NORMATIVE_SHA256 = {
    CREDENTIALS_V2: "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    CREDENTIALS_V1: "ab4ddd9a531758807a79a5b450510d61ae8d147eab966cc9a200c07095b0cdcc",
}


def bundle_file(name):
    return BUNDLE.joinpath(name).read_bytes()


def sha256_header(content):
    return "sha-256=:" + base64.b64encode(hashlib.sha256(content).digest()).decode() + ":"


def published_table():
    """(context URL, [served paths], sha-256) for each row of the docs' context table."""
    text = DOCS.read_text(encoding="utf-8")
    start = text.index("## Our JSON-LD contexts: where they are served and how to pin them")
    section = text[start : text.index("\n## ", start + 1)]
    rows = re.findall(r"^\| `(https://[^`]+)` \| (.+?) \| `([0-9a-f]{64})` \|$", section, re.M)
    assert rows, "the docs' context table is missing"
    return [(url, re.findall(r"`(/contexts/[^`]+)`", paths), digest) for url, paths, digest in rows]


# -- every context, byte for byte ------------------------------------------------------------
def test_every_bundled_context_is_served_byte_for_byte_with_digests_and_long_caching(client):
    index = client.get("/contexts")
    assert index.status_code == 200
    entries = index.json()["contexts"]
    assert {entry["url"] for entry in entries} == bundled_urls()
    for entry in entries:
        response = client.get(entry["path"])
        assert response.status_code == 200, entry
        content = response.content
        assert content == bundle_file(entry["path"].rsplit("/", 1)[1])
        assert response.headers["content-type"] == "application/ld+json"
        cache = response.headers["cache-control"]
        assert "max-age=31536000" in cache and "immutable" in cache and "public" in cache
        assert response.headers["etag"] == f'"{hashlib.sha256(content).hexdigest()}"'
        assert response.headers["content-digest"] == sha256_header(content)
        assert response.headers["repr-digest"] == sha256_header(content)
        assert response.headers["access-control-allow-origin"] == "*"
        # the index's digests are those of the served bytes
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        assert entry["bytes"] == len(content)
        sri = base64.b64encode(hashlib.sha384(content).digest()).decode()
        assert entry["digestSRI"] == "sha384-" + sri
        multihash = base58.b58decode(entry["digestMultibase"].removeprefix("z"))
        assert entry["digestMultibase"].startswith("z")
        assert multihash == b"\x12\x20" + hashlib.sha256(content).digest()
        assert entry["mediaType"] == "application/ld+json"
        assert json.loads(content) == dict(cached_document(entry["url"]))


def test_our_context_is_served_at_the_documented_path_and_at_the_path_of_its_url(client):
    documented = client.get("/contexts/transcaspian-v1.jsonld")
    mirrored = client.get("/contexts/" + urlsplit(TRANSCASPIAN_V1).path.removeprefix("/contexts/"))
    assert documented.status_code == mirrored.status_code == 200
    assert documented.content == mirrored.content == bundle_file("transcaspian-v1.jsonld")
    assert documented.headers["etag"] == mirrored.headers["etag"]
    entry = next(e for e in client.get("/contexts").json()["contexts"] if e["ours"])
    assert entry["url"] == TRANSCASPIAN_V1
    assert entry["servedAt"] == [
        "http://127.0.0.1:8000/contexts/transcaspian-v1.jsonld",
        "http://127.0.0.1:8000/contexts/v1",
    ]


def test_every_context_our_credentials_status_lists_and_did_documents_name_is_served(
    client, corridor
):
    issued = client.post(
        "/api/v1/documents",
        json={"document_type": "cim-smgs", "subject": sample_subject("cim-smgs")},
        headers=bearer(corridor.tokens["ktz"]),
    )
    assert issued.status_code == 201, issued.text
    credential = client.get(
        f"/api/v1/documents/{issued.json()['document_id']}/credential",
        headers=bearer(corridor.tokens["ktz"]),
    ).json()["verifiableCredential"]
    status_list = client.get(
        urlsplit(credential["credentialStatus"][0]["statusListCredential"]).path
    )
    did_document = client.get("/orgs/ktz/did.json")
    named = set()
    for document in (credential, status_list.json(), did_document.json()):
        contexts = document["@context"]
        named |= {contexts} if isinstance(contexts, str) else set(contexts)
    assert TRANSCASPIAN_V1 in named and CREDENTIALS_V2 in named
    served = {e["url"]: e["path"] for e in client.get("/contexts").json()["contexts"]}
    assert named <= set(served), named - set(served)
    for url in named:
        assert client.get(served[url]).status_code == 200


def test_conditional_and_head_requests(client):
    first = client.get("/contexts/credentials-v2.jsonld")
    etag = first.headers["etag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = client.get("/contexts/credentials-v2.jsonld", headers={"If-None-Match": header})
        assert again.status_code == 304, header
        assert again.content == b""
        assert again.headers["etag"] == etag
    changed = client.get("/contexts/credentials-v2.jsonld", headers={"If-None-Match": '"other"'})
    assert changed.status_code == 200 and changed.content == first.content
    head = client.head("/contexts/transcaspian-v1.jsonld")
    assert head.status_code == 200
    assert head.content == b""
    assert int(head.headers["content-length"]) == len(bundle_file("transcaspian-v1.jsonld"))
    assert head.headers["repr-digest"] == sha256_header(bundle_file("transcaspian-v1.jsonld"))
    assert "content-digest" not in head.headers


# -- the published digests -----------------------------------------------------------------
def test_the_served_bytes_hash_to_the_digests_published_in_the_docs(client):
    table = published_table()
    assert {url for url, _, _ in table} == bundled_urls()
    index = {e["url"]: e for e in client.get("/contexts").json()["contexts"]}
    for url, paths, digest in table:
        expected_paths = [urlsplit(u).path for u in index[url]["servedAt"]]
        assert paths == expected_paths, url
        for path in paths:
            assert hashlib.sha256(client.get(path).content).hexdigest() == digest, path


def test_the_docs_relatedresource_entry_pins_the_served_bytes(client):
    text = DOCS.read_text(encoding="utf-8")
    block = re.search(r'```json\n(\{\n  "relatedResource".*?)```', text, re.S)
    assert block, "the relatedResource example is missing from docs/credentials.md"
    (entry,) = json.loads(block.group(1))["relatedResource"]
    assert entry == bundled_context(TRANSCASPIAN_V1).related_resource()
    content = client.get("/contexts/v1").content
    assert (
        entry["digestSRI"]
        == "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()
    )
    assert base58.b58decode(entry["digestMultibase"][1:])[2:] == hashlib.sha256(content).digest()


@pytest.mark.parametrize("url", sorted(NORMATIVE_SHA256))
def test_the_w3c_base_contexts_are_served_with_the_digest_their_recommendation_publishes(
    client, url
):
    path = next(e["path"] for e in client.get("/contexts").json()["contexts"] if e["url"] == url)
    content = client.get(path).content
    assert hashlib.sha256(content).hexdigest() == NORMATIVE_SHA256[url]
    # the same JSON (so the same RDF) as the npm copy Digital Bazaar's stack loads
    assert (NODE_CONTEXTS / "contexts").is_dir(), (
        f"{NODE_CONTEXTS} is missing: run `npm ci --prefix interop` first"
    )
    npm = NODE_CONTEXTS / "contexts" / (url.rsplit("/", 1)[1] + ".jsonld")
    assert json.loads(content) == json.loads(npm.read_bytes())


def test_the_bundle_readme_lists_every_served_file():
    readme = README.read_text(encoding="utf-8")
    for url in bundled_urls():
        context = bundled_context(url)
        assert f"| {url} | {context.file} |" in readme, url
        assert context.sha256_hex in readme, url


# -- hostile names -----------------------------------------------------------------------
HOSTILE = [
    "/contexts/..",
    "/contexts/%2e%2e",
    "/contexts/..%2F__init__.py",
    "/contexts/..%2f..%2fsettings.py",
    "/contexts/%2E%2E%2F%2E%2E%2Fsettings.py",
    "/contexts/../vc/contexts/__init__.py",
    "/contexts/..%5C__init__.py",
    "/contexts/%2Fetc%2Fpasswd",
    "/contexts/....%2F%2F....%2F%2Fetc%2Fpasswd",
    "/contexts/transcaspian-v1.jsonld%2F..%2F__init__.py",
    "/contexts/transcaspian-v1.jsonld%00",
    "/contexts/__init__.py",
    "/contexts/README.md",
    "/contexts/TRANSCASPIAN-V1.JSONLD",
    "/contexts/transcaspian-v1",
    "/contexts/v2",
    "/contexts/credentials-v2",
    "/contexts/%20transcaspian-v1.jsonld",
    "/contexts/" + "a" * 4000,
]


@pytest.mark.parametrize("target", HOSTILE)
def test_a_hostile_or_unknown_name_is_a_404_problem_never_a_file(live_server, target):
    """Sent as raw request targets to the real server (uvicorn), so that no client library
    normalises the dot segments or the encoded slashes first."""
    address = urlsplit(live_server)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    # a NUL is refused before any route runs (api/request_checks.py): 422 naming the name
    status, kind = (422, "invalid-request") if "%00" in target else (404, "not-found")
    assert response.status == status, (target, body[:200])
    assert response.getheader("content-type") == "application/problem+json"
    problem = json.loads(body)
    assert problem["type"] == f"/problems/{kind}" and problem["status"] == status
    package = ROOT / "src" / "transcaspian"
    for file in [*package.joinpath("vc", "contexts").iterdir(), package / "settings.py"]:
        if file.is_file():
            assert file.read_bytes() not in body, file
    assert b"__future__" not in body and b"@context" not in body


def test_the_real_server_answers_get_and_head_with_the_bytes_and_their_length(live_server):
    address = urlsplit(live_server)
    content = bundle_file("transcaspian-v1.jsonld")
    for method in ("HEAD", "GET"):
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
        try:
            connection.request(method, "/contexts/v1")
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        assert response.status == 200
        assert int(response.getheader("content-length")) == len(content)
        assert body == (content if method == "GET" else b"")
        assert response.getheader("repr-digest") == sha256_header(content)


def test_an_unknown_name_names_the_path_parameter(client):
    response = client.get("/contexts/v9")
    assert response.status_code == 404
    problem = response.json()
    assert problem["errors"][0]["pointer"] == "/path/name"
    assert "GET /contexts" in problem["detail"]


# -- the URL in credentials ----------------------------------------------------------------
@pytest.fixture
def real_domain_client(platform_database, tmp_path):
    """A platform whose TRANSCASPIAN_BASE_URL is a real domain, with a corridor of orgs."""
    database = tmp_path / "real-domain.sqlite3"
    shutil.copyfile(platform_database, database)
    settings = Settings(
        database_url=f"sqlite:///{database}", dataset_path=BUNDLED_DATASET, base_url=REAL_DOMAIN
    )
    platform = build_platform(settings)
    corridor = build_corridor(platform)
    with TestClient(create_app(platform)) as client:
        yield client, corridor
    platform.engine.dispose()


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_on_a_real_domain_credentials_still_name_the_fixed_context_url_and_verify(
    real_domain_client, no_network
):
    client, corridor = real_domain_client
    issued = client.post(
        "/api/v1/documents",
        json={"document_type": "bill-of-lading", "subject": sample_subject("bill-of-lading")},
        headers=bearer(corridor.tokens["caspian-lines"]),
    )
    assert issued.status_code == 201, issued.text
    bundle = client.get(
        f"/api/v1/documents/{issued.json()['document_id']}/credential",
        headers=bearer(corridor.tokens["caspian-lines"]),
    ).json()
    credential = bundle["verifiableCredential"]
    assert credential["issuer"].startswith("did:web:corridor.example.org")
    assert credential["@context"] == [CREDENTIALS_V2, TRANSCASPIAN_V1]
    report = client.post("/api/v1/documents/verify", json=bundle).json()
    assert report["verified"], report
    entry = next(e for e in client.get("/contexts").json()["contexts"] if e["ours"])
    assert entry["servedAt"] == [
        f"{REAL_DOMAIN}/contexts/transcaspian-v1.jsonld",
        f"{REAL_DOMAIN}/contexts/v1",
    ]
    for url in entry["servedAt"]:
        assert client.get(urlsplit(url).path).content == bundle_file("transcaspian-v1.jsonld")


def test_a_credential_signed_earlier_with_our_context_still_verifies_offline(client, no_network):
    """tests/api/documents/vectors/signed-with-transcaspian-v1.json was signed once (did:key,
    key from sha256(b"transcaspian-v1 context pin vector")) on 2026-12-08 with the bundled
    context and committed: it keeps verifying only while the context's bytes mean the same."""
    credential = json.loads(VECTOR.read_text(encoding="utf-8"))
    assert credential["@context"] == [CREDENTIALS_V2, TRANSCASPIAN_V1]
    result = verify_proof(credential, resolve_key=resolve_did_key)
    assert result.verified, result.problem
    response = client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert response.status_code == 200, response.text
    assert response.json()["verified"] is True
    changed = deepcopy(credential)
    changed["credentialSubject"]["grossWeightKg"] = "21450.6"
    assert not verify_proof(changed, resolve_key=resolve_did_key).verified


def test_naming_the_served_copy_instead_of_the_context_url_is_refused_not_fetched(
    real_domain_client, no_network
):
    client, _ = real_domain_client
    credential = json.loads(VECTOR.read_text(encoding="utf-8"))
    served = f"{REAL_DOMAIN}/contexts/transcaspian-v1.jsonld"
    credential["@context"] = [CREDENTIALS_V2, served]
    response = client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert response.status_code == 400, response.text
    assert served in response.text and "not a bundled context" in response.text
    assert not verify_proof(credential, resolve_key=resolve_did_key).verified


def test_an_issuer_can_sign_the_relatedresource_pin_of_our_context(client, corridor):
    """A generic credential using our terms (our document types take no extra members)."""
    unsigned = {
        "@context": [CREDENTIALS_V2, TRANSCASPIAN_V1],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"transportDocumentReference": "TCR-1", "issueDate": "2026-01-05"},
        "relatedResource": [bundled_context(TRANSCASPIAN_V1).related_resource()],
        "issuer": corridor["kaz-exporter"].organisation.did,
    }
    issued = client.post(
        "/credentials/issue",
        json={"credential": unsigned, "options": {}},
        headers=bearer(corridor.tokens["kaz-exporter"]),
    )
    assert issued.status_code == 201, issued.text
    credential = issued.json()["verifiableCredential"]
    assert credential["relatedResource"] == unsigned["relatedResource"]
    verified = client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert verified.status_code == 200 and verified.json()["verified"], verified.text
    forged = deepcopy(credential)
    forged["relatedResource"][0]["digestSRI"] = "sha384-" + "A" * 64
    rejected = client.post("/credentials/verify", json={"verifiableCredential": forged})
    assert rejected.status_code == 400


def test_a_signed_pin_that_does_not_match_our_bytes_fails_verification(client, corridor):
    """The signature covers a wrong digest: the proof holds, the related-resources check does
    not (a verifier must not accept a context other than the one the issuer pinned)."""
    pin = {**bundled_context(TRANSCASPIAN_V1).related_resource(), "digestSRI": "sha384-" + "A" * 64}
    unsigned = {
        "@context": [CREDENTIALS_V2, TRANSCASPIAN_V1],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"transportDocumentReference": "TCR-2", "issueDate": "2026-01-05"},
        "relatedResource": [pin],
        "issuer": corridor["kaz-exporter"].organisation.did,
    }
    issued = client.post(
        "/credentials/issue",
        json={"credential": unsigned, "options": {}},
        headers=bearer(corridor.tokens["kaz-exporter"]),
    )
    if issued.status_code == 400:  # refused at issue: as good
        assert "relatedResource" in issued.text
        return
    assert issued.status_code == 201, issued.text
    credential = issued.json()["verifiableCredential"]
    report = client.post("/api/v1/documents/verify", json=credential).json()
    assert report["verified"] is False
    checks = {c["name"]: c["outcome"] for c in report["checks"]}
    assert checks["proof"] == "passed"
    assert checks["related-resources"] == "failed"
    vc_api = client.post("/credentials/verify", json={"verifiableCredential": credential}).json()
    assert vc_api["verified"] is False
