"""The W3C test suites' cases, rewritten here against the served VC API (offline).

Each test names the suite and the case it stands for (docs/conformance.md maps every case of
w3c-ccg/vc-api-issuer-test-suite, w3c-ccg/vc-api-verifier-test-suite, w3c/vc-di-eddsa-test-suite
with w3c-ccg/data-integrity-test-suite-assertion, and w3c/vc-bitstring-status-list-test-suite to
a test here or says why it is not covered). The suites talk to an implementation over HTTP; so
do these, through the app's client. Credentials "from another implementation" are signed here
with a did:key, as the suites' generators sign theirs.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from copy import deepcopy
from datetime import UTC, datetime, timedelta

import pytest

from tests.api.documents.conftest import bearer
from tests.api.documents.test_vc_api_conformance import VECTOR
from transcaspian.vc.data_integrity import sign_credential
from transcaspian.vc.keys import (
    decode_multibase_base58,
    did_key_for,
    did_key_verification_method,
    generate_private_key,
)

V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
VCDM = "https://www.w3.org/TR/vc-data-model#"
SECURITY = "https://w3id.org/security#"
STATUS_LIST = "https://www.w3.org/ns/credentials/status-list#"
UNKNOWN_OPTION = "https://www.w3.org/TR/vcalm#UNKNOWN_OPTION_PROVIDED"
ABSOLUTE_URL = re.compile(r"^https?://[^/\s]+/\S*$")
BASE58 = re.compile(r"^[1-9A-HJ-NP-Za-km-z]+$")
NOW = datetime.now(UTC).replace(microsecond=0)
ONE_YEAR = timedelta(days=365)


def stamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


# -- what the suites send ---------------------------------------------------------------------
def issuer_suite_body(corridor, slug="ktz"):
    """vc-api-issuer-test-suite createRequestBody: its validVc (VC 1.1) with an id, an
    issuanceDate and the issuer from the implementation's manifest."""
    return {
        "credential": {
            "@context": [V1],
            "type": ["VerifiableCredential"],
            "credentialSubject": {"id": "did:key:z6MkhTNL7i2etLerDK8Acz5t528giE5KA4p75T6ka1E1D74r"},
            "id": "urn:uuid:4a1e35d0-5c9e-4a3f-9b61-0c6f5d9b2e11",
            "issuanceDate": stamp(NOW),
            "issuer": corridor[slug].organisation.did,
        },
        "options": {},
    }


def eddsa_suite_credential(corridor=None, slug="ktz", **extra):
    """vc-di-eddsa-test-suite validVc (VC 2.0), issued by the implementation under test."""
    credential = {
        "@context": [V2],
        "id": "urn:uuid:86294362-4254-4f36-854f-3952fe42555d",
        "type": ["VerifiableCredential"],
        "credentialSubject": {
            "id": "did:key:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b",
            "name": "ExampleClaim",
        },
        **extra,
    }
    if corridor is not None:
        credential["issuer"] = corridor[slug].organisation.did
    return credential


def status_suite_credential(corridor, slug="ktz"):
    """vc-bitstring-status-list-test-suite validVc with an id, the manifest's issuer."""
    return {
        "@context": [V2],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "did:key:z6MkhTNL7i2etLerDK8Acz5t528giE5KA4p75T6ka1E1D74r"},
        "id": "urn:uuid:6c1b0e2a-7d3f-4f5e-8a9b-1c2d3e4f5a6b",
        "issuer": corridor[slug].organisation.did,
    }


class DidKeySigner:
    """Another implementation's issuer: a did:key signing eddsa-rdfc-2022 proofs."""

    def __init__(self):
        self.key = generate_private_key()
        self.did = did_key_for(self.key.public_key())
        self.method = did_key_verification_method(self.key.public_key())

    def sign(self, credential, *, created=NOW, purpose="assertionMethod"):
        named = (
            credential
            if "VerifiablePresentation" in credential["type"]
            else {
                "issuer": self.did,
                **credential,
            }
        )
        return sign_credential(
            named,
            private_key=self.key,
            verification_method=self.method,
            created=created,
            proof_purpose=purpose,
        )


@pytest.fixture
def signer():
    return DidKeySigner()


@pytest.fixture
def issued_vc(signer):
    """The di-eddsa generator's issuedVc: the validVc signed by a did:key."""
    return signer.sign(eddsa_suite_credential())


def post_issue(client, corridor, body, slug="ktz"):
    return client.post("/credentials/issue", json=body, headers=bearer(corridor.tokens[slug]))


def post_verify(client, credential, options=None):
    """The suites' verifier request body: ``options.checks: ["proof"]`` by default."""
    chosen = {"checks": ["proof"]} if options is None else options
    body = {"verifiableCredential": credential, "options": chosen}
    return client.post("/credentials/verify", json=body)


def assert_refused(response):
    """The suites' testBadRequestError / shouldThrowInvalidInput / verificationFail."""
    assert response.status_code in (400, 422), response.text
    assert response.status_code != 401


def proof_explanation(response):
    return next(c for c in response.json()["checkResults"] if c["check"] == "proof")["explanation"]


# == w3c-ccg/vc-api-issuer-test-suite, tests/10-issuer.js ======================================
def test_issuer_must_successfully_issue_a_credential(client, corridor):
    response = post_issue(client, corridor, issuer_suite_body(corridor))
    assert response.status_code == 201, response.text
    issued = response.json()["verifiableCredential"]
    assert isinstance(issued, dict)
    assert "@context" in issued
    assert "VerifiableCredential" in issued["type"]
    assert isinstance(issued["id"], str)
    subject = issued["credentialSubject"]
    assert isinstance(subject, dict) and len(subject) > 0
    assert isinstance(issued["issuer"], str)
    assert isinstance(issued["proof"], dict)


def test_issuer_request_body_must_have_property_credential(client, corridor):
    body = issuer_suite_body(corridor)
    body["verifiableCredential"] = body.pop("credential")
    assert_refused(post_issue(client, corridor, body))


@pytest.mark.parametrize(
    ("case", "change"),
    [
        ('credential MUST have property "@context"', {"@context": None}),
        ('credential "@context" MUST be an array', {"@context": 4}),
        ('credential "@context" items MUST be strings (object)', {"@context": {"foo": True}}),
        ('credential "@context" items MUST be strings (false)', {"@context": False}),
        ('credential "@context" items MUST be strings (null)', {"@context": "null"}),
        ('credential MUST have property "type"', {"type": None}),
        ('"credential.type" MUST be an array', {"type": 4}),
        ('"credential.type" items MUST be strings (null)', {"type": "null"}),
        ('"credential.type" items MUST be strings (true)', {"type": True}),
        ('"credential.type" items MUST be strings ([])', {"type": []}),
        ('credential MUST have property "issuer"', {"issuer": None}),
        ('"credential.issuer" MUST be a string or an object (null)', {"issuer": "null"}),
        ('"credential.issuer" MUST be a string or an object (true)', {"issuer": True}),
        ('"credential.issuer" MUST be a string or an object (4)', {"issuer": 4}),
        ('"credential.issuer" MUST be a string or an object ([])', {"issuer": []}),
        ('credential MUST have property "credentialSubject"', {"credentialSubject": None}),
        ('"credential.credentialSubject" MUST be an object (null)', {"credentialSubject": "null"}),
        ('"credential.credentialSubject" MUST be an object (true)', {"credentialSubject": True}),
        ('"credential.credentialSubject" MUST be an object (4)', {"credentialSubject": 4}),
        ('"credential.credentialSubject" MUST be an object ([])', {"credentialSubject": []}),
        (
            '"credential.credentialSubject" MUST be an object (string)',
            {"credentialSubject": "did:example:1234"},
        ),
    ],
)
def test_issuer_refuses_a_malformed_credential(client, corridor, case, change):
    body = issuer_suite_body(corridor)
    for name, value in change.items():
        if value is None:  # "MUST have property": the suite deletes it
            del body["credential"][name]
        else:  # "null" stands for JSON null (None means "delete" above)
            body["credential"][name] = None if value == "null" else value
    response = post_issue(client, corridor, body)
    assert_refused(response)
    pointers = [e["pointer"] for e in response.json()["errors"]]
    assert any(p.startswith(f"/credential/{next(iter(change))}") for p in pointers), pointers


def test_issuer_credential_may_have_property_expiration_date(client, corridor):
    body = issuer_suite_body(corridor)
    body["credential"]["expirationDate"] = stamp(NOW + ONE_YEAR)
    response = post_issue(client, corridor, body)
    assert response.status_code == 201, response.text
    assert response.json()["verifiableCredential"]["expirationDate"] == stamp(NOW + ONE_YEAR)


# == VCALM: options, issuer, status (issue 8) ==================================================
def test_vcalm_issue_without_issuer_is_refused_naming_it(client, corridor):
    body = issuer_suite_body(corridor)
    del body["credential"]["issuer"]
    response = post_issue(client, corridor, body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "/credential/issuer"
    assert corridor["ktz"].organisation.did in response.json()["errors"][0]["detail"]


@pytest.mark.parametrize(
    ("options", "pointer"),
    [
        ({"astrology": True}, "/options/astrology"),
        ({"credentialStatus": {"statusPurpose": "revocation", "colour": 1}}, "colour"),
        ({"returnCredential": True}, "/options/returnCredential"),  # a verify option
    ],
)
def test_vcalm_issue_with_an_unknown_option_is_refused(client, corridor, options, pointer):
    body = issuer_suite_body(corridor)
    body["options"] = options
    response = post_issue(client, corridor, body)
    assert response.status_code == 400, response.text
    problem = response.json()
    assert problem["type"] == UNKNOWN_OPTION
    assert problem["title"] == "UNKNOWN_OPTION_PROVIDED"
    assert any(e["pointer"].endswith(pointer) for e in problem["errors"]), problem["errors"]


def test_vcalm_an_unknown_request_member_is_refused(client, corridor):
    body = {**issuer_suite_body(corridor), "extra": 1}
    response = post_issue(client, corridor, body)
    assert response.status_code == 400
    assert response.json()["type"] == UNKNOWN_OPTION


@pytest.mark.parametrize(
    "options",
    [
        {"checks": ["proof"], "astrology": True},
        {"challenge": "abc"},  # a presentation option
        {"returnCredential": "yes"},  # an option value it cannot process
    ],
)
def test_vcalm_verify_with_an_unknown_option_is_refused(client, issued_vc, options):
    response = post_verify(client, issued_vc, options)
    assert response.status_code == 400, response.text
    assert ABSOLUTE_URL.match(response.json()["type"])
    if "returnCredential" not in options:
        assert response.json()["type"] == UNKNOWN_OPTION


def test_vcalm_presentation_verify_with_an_unknown_option_is_refused(client, issued_vc):
    presentation = {"@context": [V2], "type": ["VerifiablePresentation"]}
    response = client.post(
        "/presentations/verify",
        json={"presentation": presentation, "options": {"returnCredential": True}},
    )
    assert response.status_code == 400
    assert response.json()["type"] == UNKNOWN_OPTION


def test_vcalm_credentials_status_requires_status(client, corridor):
    issued = post_issue(
        client,
        corridor,
        {
            "credential": status_suite_credential(corridor),
            "options": {"credentialStatus": {"statusPurpose": "revocation"}},
        },
    ).json()["verifiableCredential"]
    body = {
        "credentialId": issued["id"],
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
    }
    token = bearer(corridor.tokens["ktz"])
    response = client.post("/credentials/status", json=body, headers=token)
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "/status"
    assert post_verify(client, issued, {"checks": ["credentialStatus"]}).status_code == 200
    for missing in ("type", "statusPurpose"):
        partial = deepcopy(body) | {"status": True}
        del partial["credentialStatus"][missing]
        response = client.post("/credentials/status", json=partial, headers=token)
        assert response.status_code == 400
        assert response.json()["errors"][0]["pointer"] == f"/credentialStatus/{missing}"
    response = client.post("/credentials/status", json=body | {"status": True}, headers=token)
    assert response.status_code == 200, response.text


# == VCALM VerificationResult ================================================================
def test_vcalm_verification_result_of_a_verified_credential(client, issued_vc):
    response = post_verify(client, issued_vc, {"checks": ["proof"], "returnCredential": True})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["verified"] is True
    assert result["credential"] == issued_vc
    assert result["problemDetails"] == [] and result["errors"] == []
    assert isinstance(result["warnings"], list)
    assert all(ABSOLUTE_URL.match(w["type"]) for w in result["warnings"])
    assert result["results"]["proof"] == [{"verified": True, "input": issued_vc["proof"]}]
    assert {c["check"] for c in result["checkResults"]} >= {"dataModel", "proof", "issuer"}
    assert "credential" not in post_verify(client, issued_vc).json()  # only when asked for


def test_vcalm_a_tampered_credential_is_a_cryptographic_security_error(client, issued_vc):
    issued_vc["credentialSubject"]["name"] = "Forged"
    response = post_verify(client, issued_vc)
    assert response.status_code == 400
    result = response.json()
    assert result["verified"] is False
    [problem] = result["problemDetails"]
    assert problem["type"] == VCDM + "CRYPTOGRAPHIC_SECURITY_ERROR"
    assert problem["title"] == "CRYPTOGRAPHIC_SECURITY_ERROR"
    assert "changed after signing" in problem["detail"]
    assert result["results"]["proof"][0]["verified"] is False


def test_vcalm_a_malformed_credential_is_a_malformed_value_error(client, signer):
    credential = signer.sign(eddsa_suite_credential(validFrom="yesterday"))
    response = post_verify(client, credential)
    assert response.status_code == 400
    types = {p["type"] for p in response.json()["problemDetails"]}
    assert VCDM + "MALFORMED_VALUE_ERROR" in types


def test_vcalm_a_body_that_is_not_json_is_a_parsing_error(client):
    response = client.post(
        "/credentials/verify", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["type"] == VCDM + "PARSING_ERROR"


def test_vcalm_validity_problems_are_warnings_and_errors_only_when_counted(client, signer):
    expired = signer.sign(
        eddsa_suite_credential(validUntil=stamp(NOW - ONE_YEAR)), created=NOW - 2 * ONE_YEAR
    )
    # the suites ask about the proof only: the validity problem is a warning, verified true
    only_proof = post_verify(client, expired)
    assert only_proof.status_code == 200, only_proof.text
    body = only_proof.json()
    assert body["verified"] is True and body["problemDetails"] == []
    warning = next(w for w in body["warnings"] if w["check"] == "validity")
    assert ABSOLUTE_URL.match(warning["type"]) and "expired" in warning["detail"]
    assert body["results"]["validUntil"] == {
        "verified": False,
        "input": expired["validUntil"],
    }
    # by default (every check counts) it is also an error: verified false exactly then
    strict = post_verify(client, expired, {})
    assert strict.status_code == 400
    body = strict.json()
    assert body["verified"] is False
    assert [p["check"] for p in body["problemDetails"]] == ["validity"]
    assert any(w["check"] == "validity" for w in body["warnings"])


def test_vcalm_status_problems_are_warnings_with_the_status_list_types(client, corridor):
    issued = post_issue(
        client,
        corridor,
        {
            "credential": status_suite_credential(corridor),
            "options": {"credentialStatus": {"statusPurpose": "revocation"}},
        },
    ).json()["verifiableCredential"]
    revoked = client.post(
        "/credentials/status",
        json={
            "credentialId": issued["id"],
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
            "status": True,
        },
        headers=bearer(corridor.tokens["ktz"]),
    )
    assert revoked.status_code == 200, revoked.text
    only_proof = post_verify(client, issued).json()
    assert only_proof["verified"] is True
    [warning] = [w for w in only_proof["warnings"] if w["check"] == "status"]
    assert warning["type"] == STATUS_LIST + "STATUS_VERIFICATION_ERROR"
    assert "revoked" in warning["detail"]
    with_status = post_verify(client, issued, {"checks": ["proof", "credentialStatus"]})
    assert with_status.status_code == 400
    body = with_status.json()
    expected = STATUS_LIST + "STATUS_VERIFICATION_ERROR"
    assert [p["type"] for p in body["problemDetails"]] == [expected]
    assert body["results"]["credentialStatus"] == [
        {"verified": False, "input": issued["credentialStatus"]}
    ]


def test_vcalm_every_problem_type_is_an_absolute_url(client, corridor, signer):
    cases = [
        json.loads(VECTOR.read_text()),  # issuer does not control the key
        signer.sign(eddsa_suite_credential(validFrom=stamp(NOW + ONE_YEAR))),
        {**signer.sign(eddsa_suite_credential()), "type": ["VerifiableCredential", "X"]},
    ]
    for credential in cases:
        body = post_verify(client, credential, {}).json()
        problems = body["problemDetails"] + body["warnings"]
        assert problems, body
        for problem in problems:
            assert ABSOLUTE_URL.match(problem["type"]), problem


def test_vcalm_presentations_verify_answers_200_whenever_verification_ran(client, signer):
    good = signer.sign(eddsa_suite_credential())
    bad = deepcopy(good)
    bad["credentialSubject"]["name"] = "Forged"
    presentation = {"@context": [V2], "type": ["VerifiablePresentation"]}
    ok = client.post(
        "/presentations/verify",
        json={
            "presentation": {**presentation, "verifiableCredential": [good]},
            "options": {"returnPresentation": True},
        },
    )
    assert ok.status_code == 200 and ok.json()["verified"] is True
    assert ok.json()["verifiablePresentation"]["verifiableCredential"] == [good]
    failed = client.post(
        "/presentations/verify",
        json={"presentation": {**presentation, "verifiableCredential": [good, bad]}},
    )
    assert failed.status_code == 200, failed.text
    result = failed.json()
    assert result["verified"] is False
    [problem] = result["problemDetails"]
    assert problem["type"] == VCDM + "CRYPTOGRAPHIC_SECURITY_ERROR"
    assert problem["detail"].startswith("verifiableCredential/1: ")
    assert [c["verified"] for c in result["results"]["credentials"]] == [True, False]
    assert "verifiablePresentation" not in result
    # a request it cannot verify at all is still a 400
    assert client.post("/presentations/verify", json={}).status_code == 400
    assert client.post("/presentations/verify", json={"presentation": "x"}).status_code == 400


def test_vcalm_presentation_challenge_mismatch_is_an_invalid_challenge_error(client, signer):
    holder = DidKeySigner()
    presentation = holder.sign(
        {
            "@context": [V2],
            "type": ["VerifiablePresentation"],
            "holder": holder.did,
            "verifiableCredential": [signer.sign(eddsa_suite_credential())],
        },
        purpose="authentication",
    )
    response = client.post(
        "/presentations/verify",
        json={"verifiablePresentation": presentation, "options": {"challenge": "abc"}},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["verified"] is False
    assert SECURITY + "INVALID_CHALLENGE_ERROR" in {p["type"] for p in body["problemDetails"]}
    assert body["results"]["presentation"]["challenge"]["verified"] is False


# == w3c-ccg/vc-api-verifier-test-suite, tests/10-vc-di.js =====================================
def test_verifier_the_suites_ed25519signature2020_vector_is_refused_as_unsupported(client):
    """'MUST verify a valid VC.' uses an Ed25519Signature2020 vector: a legacy suite we do not
    implement (docs/conformance.md). We refuse it, naming the proof type, never a 500."""
    vector = {
        "@context": [V2, EXAMPLES, "https://w3id.org/security/suites/ed25519-2020/v1"],
        "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
        "type": ["VerifiableCredential", "AlumniCredential"],
        "issuer": "https://vc.example/issuers/5678",
        "validFrom": "2023-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
        "proof": {
            "type": "Ed25519Signature2020",
            "created": "2023-02-24T23:36:38Z",
            "verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
            "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
            "proofPurpose": "assertionMethod",
            "proofValue": "z57Mm1vboMtZiCyJ4aReZsv8co4Re64Y8GEjL1ZARzMbXZgkARFLqFs1P345NpPGG2h"
            "gCrS4nNdvJhpwnrNyG3kEF",
        },
    }
    response = post_verify(client, vector)
    assert response.status_code == 400
    assert "Ed25519Signature2020" in response.text


def test_verifier_must_verify_a_valid_vc(client, issued_vc):
    """The same case with an eddsa-rdfc-2022 credential from another implementation."""
    response = post_verify(client, issued_vc)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "path",
    [
        ("@context",),
        ("type",),
        ("issuer",),
        ("credentialSubject",),
        ("proof",),
        ("proof", "type"),
        ("proof", "created"),
        ("proof", "verificationMethod"),
        ("proof", "proofValue"),
        ("proof", "proofPurpose"),
    ],
    ids="/".join,
)
def test_verifier_must_not_verify_if_a_property_is_missing(client, issued_vc, path):
    *parents, name = path
    holder = issued_vc
    for parent in parents:
        holder = holder[parent]
    del holder[name]
    response = post_verify(client, issued_vc)
    assert_refused(response)
    assert response.json()["verified"] is False


INVALID = {
    "@context is not an array": ("@context", ["string", {}, None, 10, True]),
    "@context items are not strings or objects": ("@context", [[[]], [None], [10], [True]]),
    "type is not an array": ("type", ["string", {}, None, 10, True]),
    "type items are not strings": ("type", [[[]], [{}], [None], [10], [True]]),
    "issuer is not an object or a string": ("issuer", [[], None, 10, True]),
    "credentialSubject is not an object": ("credentialSubject", ["string", None, 10, True, []]),
    "proof is not an object": ("proof", ["string", None, 10, True, []]),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_verifier_must_not_verify_a_mistyped_property(client, issued_vc, case):
    name, values = INVALID[case]
    for value in [*values, "<deleted>"]:  # the suite's `undefined` deletes the member
        credential = deepcopy(issued_vc)
        if value == "<deleted>":
            del credential[name]
        else:
            credential[name] = value
        response = post_verify(client, credential)
        assert_refused(response)
        assert response.json()["verified"] is False, (name, value)


# == w3c/vc-di-eddsa-test-suite: 05-di-rdfc-create (data-integrity-test-suite-assertion) ======
@pytest.fixture
def our_issued_vc(client, corridor):
    response = post_issue(client, corridor, {"credential": eddsa_suite_credential(corridor)})
    assert response.status_code == 201, response.text
    return response.json()["verifiableCredential"]


def test_eddsa_create_proof_format(client, corridor, our_issued_vc):
    """create.js: a proof property, one object; type DataIntegrityProof, cryptosuite
    eddsa-rdfc-2022, proofPurpose, verificationMethod a URL, proofValue base58btc multibase
    of a 64-byte Ed25519 signature, created an XMLSCHEMA11-2 dateTimeStamp; 80-algorithms:
    type and cryptosuite present, proofValue UTF-8."""
    proof = our_issued_vc["proof"]
    assert isinstance(proof, dict)
    assert "id" not in proof or ABSOLUTE_URL.match(proof["id"])
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"].startswith(corridor["ktz"].organisation.did + "#")
    assert proof["proofValue"][0] == "z" and BASE58.match(proof["proofValue"][1:])
    assert len(decode_multibase_base58(proof["proofValue"])) == 64
    proof["proofValue"].encode("utf-8")
    created = datetime.fromisoformat(proof["created"].replace("Z", "+00:00"))
    assert created.tzinfo is not None


def test_eddsa_create_verification_method_is_base58btc_multibase(client, our_issued_vc):
    """data-model.js: publicKeyMultibase starts with z, base58btc; no other encoding."""
    method_id = our_issued_vc["proof"]["verificationMethod"]
    document = client.get("/orgs/ktz/did.json").json()
    [method] = [m for m in document["verificationMethod"] if m["id"] == method_id]
    value = method["publicKeyMultibase"]
    assert value.startswith("z") and BASE58.match(value[1:])
    assert "publicKeyJwk" not in method and "publicKeyBase58" not in method


@pytest.mark.parametrize(
    ("case", "change", "pointer"),
    [
        ("undefined type", {"type": ["VerifiableCredential", "InvalidType"]}, "/credential/type"),
        (
            "undefined term",
            {"credentialSubject": {"id": "did:example:1", "invalidTerm": "invalidTerm"}},
            "/credential/credentialSubject/invalidTerm",
        ),
        ("no credentialSubject", {"credentialSubject": None}, "/credential/credentialSubject"),
    ],
)
def test_eddsa_create_refuses_data_json_ld_would_drop(client, corridor, case, change, pointer):
    """DATA_LOSS_DETECTION_ERROR at issue; 'If the algorithm produces an error, the error MUST
    be propagated' (no credentialSubject)."""
    credential = eddsa_suite_credential(corridor) | change
    credential = {k: v for k, v in credential.items() if v is not None}
    response = post_issue(client, corridor, {"credential": credential})
    assert_refused(response)
    assert any(e["pointer"].startswith(pointer) for e in response.json()["errors"])


# == w3c/vc-di-eddsa-test-suite: 15-di-rdfc-verify (data-integrity-test-suite-assertion) ======
def test_eddsa_verify_base_url_must_be_null(client, signer):
    """invalidBaseUrl: an @base context and a relative type; with the @base context dropped
    after signing (the generator's cleanup) as well."""
    credential = eddsa_suite_credential()
    credential["@context"] = [V2, {"@base": "https://invalid.example.com/"}]
    credential["type"] = ["VerifiableCredential", "UndefinedCredential"]
    signed = signer.sign(eddsa_suite_credential())
    forged = {**signed, "@context": credential["@context"], "type": credential["type"]}
    assert_refused(post_verify(client, forged))
    cleaned = {**signed, "type": credential["type"]}
    assert_refused(post_verify(client, cleaned))


@pytest.mark.parametrize(
    ("case", "change", "reason"),
    [
        ("invalidProofType", {"type": "UnknownProofType"}, "UnknownProofType"),
        ("invalidCryptosuite", {"cryptosuite": "unknown-cryptosuite-2017"}, "unknown-crypto"),
        ("invalidProofPurpose", {"proofPurpose": "invalidPurpose"}, "invalidPurpose"),
        ("noVm", {"verificationMethod": None}, "verification method"),
        ("invalidVm", {"verificationMethod": "did:key:@invalidVm@"}, "could not be resolved"),
        ("noProofPurpose", {"proofPurpose": None}, "purpose"),
        ("proofValue deleted", {"proofValue": None}, "proof value"),
        ("proofValue null", {"proofValue": "null"}, "proof value"),
        ("invalidCreated", {"created": "invalidDate"}, "created"),
    ],
)
def test_eddsa_verify_refuses_a_non_conforming_proof(client, issued_vc, case, change, reason):
    for name, value in change.items():
        if value is None:
            del issued_vc["proof"][name]
        else:
            issued_vc["proof"][name] = None if value == "null" else value
    response = post_verify(client, issued_vc)
    assert_refused(response)
    assert reason in proof_explanation(response) or reason in response.text


def test_eddsa_verify_proof_value_without_its_multibase_header(client, issued_vc):
    issued_vc["proof"]["proofValue"] = issued_vc["proof"]["proofValue"][1:]
    assert_refused(post_verify(client, issued_vc))


def test_eddsa_verify_proof_or_document_not_a_map_is_refused(client, issued_vc):
    assert_refused(post_verify(client, {**issued_vc, "proof": None}))
    assert_refused(post_verify(client, json.dumps(issued_vc)))


@pytest.mark.parametrize("where", ["signed", "added after issuance", "undefined type"])
def test_eddsa_verify_data_loss_is_refused(client, signer, issued_vc, where):
    """DATA_LOSS_DETECTION_ERROR at verify. A signer that ignores dropped terms produces, for
    a credential with an undefined term, exactly the signature over the credential without it:
    so 'signed' and 'added after issuance' send the same bytes, as the suite's do."""
    if where == "undefined type":
        issued_vc["type"].append("UndefinedType")
    else:
        issued_vc["credentialSubject"]["undefinedTerm"] = "IfDroppedWillVerify"
    response = post_verify(client, issued_vc)
    assert_refused(response)
    assert "no context defines" in proof_explanation(response) or "type" in response.text


def test_eddsa_verify_a_proof_set_verifies_when_every_proof_does(client, signer):
    """proofChain optional tests: 'If an unordered list (proof), all referenced proofs in
    the array MUST verify.'"""
    unsigned = {"issuer": signer.did, **eddsa_suite_credential()}
    first = signer.sign(unsigned)["proof"]
    second = signer.sign(unsigned, created=NOW - timedelta(minutes=5))["proof"]
    proof_set = {**unsigned, "proof": [first, second]}
    assert post_verify(client, proof_set).status_code == 200
    broken = deepcopy(proof_set)
    broken["proof"][0]["proofValue"] = "zinvalidProofValue"
    assert_refused(post_verify(client, broken))


def test_eddsa_verify_a_previous_proof_that_does_not_exist_is_refused(client, signer):
    """missingPreviousProofString / missingPreviousProofArray: proof chains are not
    implemented, so a proof naming a previousProof is refused rather than verified alone."""
    unsigned = {"issuer": signer.did, **eddsa_suite_credential()}
    for previous in ("urn:uuid:missing", ["urn:uuid:missing"]):
        proof = signer.sign(unsigned)["proof"]
        proof["id"] = "urn:uuid:second"
        proof["previousProof"] = previous
        response = post_verify(client, {**unsigned, "proof": [proof]})
        assert_refused(response)
        assert "previousProof" in proof_explanation(response)


def test_eddsa_interop_our_verifier_verifies_our_issuer(client, our_issued_vc):
    """30-rdfc-interop: '<verifier> should verify <issuer>' with ourselves on both sides (the
    interop job does Digital Bazaar's side: tests/integration/vc/test_interop_node.py)."""
    assert post_verify(client, our_issued_vc).status_code == 200


# == w3c/vc-bitstring-status-list-test-suite ===================================================
@pytest.fixture
def status_issued(client, corridor):
    response = post_issue(
        client,
        corridor,
        {
            "credential": status_suite_credential(corridor),
            "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}},
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["verifiableCredential"]


def fetch_list(client, entry):
    path = re.sub(r"^https?://[^/]+", "", entry["statusListCredential"])
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


def expand(encoded):
    assert encoded[0] == "u", "a Multibase base64url value"
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def test_status_list_entry_data_model(client, corridor, status_issued):
    """10-data_model, 'BitstringStatusList Entry': a conforming VC 2.0 credential; the
    entry's id (if present) is not the list's URL; type; statusPurpose a string;
    statusListIndex a base-10 integer string >= 0; statusListCredential dereferences to a
    BitstringStatusListCredential; statusSize/statusMessage/statusReference absent or valid."""
    assert V2 in status_issued["@context"]
    assert "VerifiableCredential" in status_issued["type"]
    assert (
        status_issued["credentialSubject"] == status_suite_credential(corridor)["credentialSubject"]
    )
    assert isinstance(status_issued["issuer"], str)
    entries = status_issued["credentialStatus"]
    entries = entries if isinstance(entries, list) else [entries]
    for entry in entries:
        if "id" in entry:
            assert isinstance(entry["id"], str) and entry["id"] != entry["statusListCredential"]
        assert entry["type"] == "BitstringStatusListEntry"
        assert isinstance(entry["statusPurpose"], str)
        index = entry["statusListIndex"]
        assert isinstance(index, str) and str(int(index)) == index and int(index) >= 0
        assert isinstance(entry["statusListCredential"], str)
        assert "BitstringStatusListCredential" in fetch_list(client, entry)["type"]
        size = entry.get("statusSize", 1)
        assert isinstance(size, int) and size > 0
        if size > 1:
            assert len(entry["statusMessage"]) == size
        for message in entry.get("statusMessage", []):
            assert isinstance(message["status"], str) and isinstance(message["message"], str)
        assert isinstance(entry.get("statusReference", ""), str | list)


def test_status_list_credential_data_model(client, status_issued):
    """10-data_model, 'BitstringStatusList Credential', and 20-algorithms 'Generate' and
    'Bitstring Generation': VC 2.0, types, subject type, statusPurpose, encodedList a
    Multibase base64url GZIP bitstring of at least 16KB (131,072 entries)."""
    listed = fetch_list(client, status_issued["credentialStatus"])
    assert V2 in listed["@context"]
    assert isinstance(listed["type"], list)
    assert {"VerifiableCredential", "BitstringStatusListCredential"} <= set(listed["type"])
    subject = listed["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == status_issued["credentialStatus"]["statusPurpose"]
    assert isinstance(subject["encodedList"], str)
    assert len(expand(subject["encodedList"])) >= 16 * 1024
    assert isinstance(listed["issuer"], str)
    assert post_verify(client, listed).status_code == 200  # the list is a signed credential


@pytest.mark.parametrize(
    "malformed",
    [
        {"statusEntry": {"type": "BitstringStatusListEntry", "statusListIndex": True}},
        {
            "credentialStatus": {
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": True,
                "statusListCredential": "https://example.com",
            }
        },
    ],
    ids=["the suite's statusEntry", "the same in credentialStatus"],
)
def test_status_list_malformed_entry_is_refused_at_issue(client, corridor, malformed):
    """20-algorithms 'Algorithm': a malformed value MUST raise MALFORMED_VALUE_ERROR."""
    body = {"credential": status_suite_credential(corridor) | malformed}
    response = post_issue(client, corridor, body)
    assert_refused(response)
    name = next(iter(malformed))
    assert any(e["pointer"].startswith(f"/credential/{name}") for e in response.json()["errors"])


def test_status_list_validate_and_expand_and_interop(client, status_issued):
    """20-algorithms 'Validate' and 'Bitstring Expansion', 30-interop: the issued credential
    verifies with the verifier's options (proof and credentialStatus)."""
    response = post_verify(client, status_issued, {"checks": ["proof", "credentialStatus"]})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["credentialStatus"][0]["verified"] is True


@pytest.mark.parametrize("purpose", ["revocation", "suspension"])
def test_status_list_update_status_then_publish(client, corridor, purpose):
    """helpers.js updateStatus: set the status, publish (204), the bit is set in the list."""
    response = post_issue(
        client,
        corridor,
        {
            "credential": status_suite_credential(corridor),
            "options": {"credentialStatus": {"statusPurpose": purpose}},
        },
    )
    issued = response.json()["verifiableCredential"]
    entry = issued["credentialStatus"]
    token = bearer(corridor.tokens["ktz"])
    updated = client.post(
        "/credentials/status",
        json={
            "credentialId": issued["id"],
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": purpose},
            "status": True,
        },
        headers=token,
    )
    assert updated.status_code == 200, updated.text
    list_id = entry["statusListCredential"].rsplit("/", 1)[-1]
    published = client.post(f"/status-lists/{list_id}/publish", json={}, headers=token)
    assert published.status_code == 204
    bits = expand(fetch_list(client, entry)["credentialSubject"]["encodedList"])
    index = int(entry["statusListIndex"])
    assert bits[index // 8] & (0x80 >> (index % 8))  # the spec's bit order: first bit leftmost
    refused = post_verify(client, issued, {"checks": ["proof", "credentialStatus"]})
    assert refused.status_code == 400
    assert refused.json()["verified"] is False
