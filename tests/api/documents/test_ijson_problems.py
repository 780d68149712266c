"""What JavaScript verifiers read otherwise, and what answered 500, through the served API
(issue 8, defects 5 and 6): numbers beyond ±(2^53 − 1) or below 1e-6, non-finite numbers, lone
surrogates, and dates with hour 24 or second 60, on issue and verify, on both the W3C VC API
(/credentials/*) and ours (/api/v1/documents/*).

Issue refuses with a problem naming the JSON pointer; verify reports "not verified" naming it
(never 500, never verified). A lone surrogate or a NaN makes the JSON text itself unusable: the
body is refused at the input boundary, 400, naming its pointer in the body.
"""

import json

import pytest

from tests.api.documents.conftest import bearer
from transcaspian.documents.types.samples import sample_subject
from transcaspian.domain.documents.sealing import unseal_private_key
from transcaspian.vc import data_integrity

V2 = "https://www.w3.org/ns/credentials/v2"
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
PROBLEM = "application/problem+json"


def generic(**subject):
    return {
        "@context": [V2, EXAMPLES],
        "type": ["VerifiableCredential", "ExampleAlumniCredential"],
        "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21", **subject},
    }


def post_text(client, url, text, token=None):
    """POST a JSON text as it is: json= in the client would refuse NaN or re-escape."""
    headers = {"content-type": "application/json", **(bearer(token) if token else {})}
    return client.post(url, content=text.encode("utf-8"), headers=headers)


def vc_issue(client, corridor, credential):
    """POST /credentials/issue as ktz, naming ktz as the issuer (the route has none set)."""
    return client.post(
        "/credentials/issue",
        json={"credential": {**credential, "issuer": corridor["ktz"].organisation.did}},
        headers=bearer(corridor.tokens["ktz"]),
    )


def issue_text(client, corridor, credential_text):
    """POST /credentials/issue with the credential as a JSON text (an object), issuer added."""
    issuer = json.dumps(corridor["ktz"].organisation.did)
    credential_text = f'{{"issuer": {issuer}, {credential_text.removeprefix("{")}'
    return post_text(
        client,
        "/credentials/issue",
        f'{{"credential": {credential_text}, "options": {{}}}}',
        corridor.tokens["ktz"],
    )


def assert_problem(response, status, pointer):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status
    assert pointer in [error["pointer"] for error in body["errors"]], body
    return body


def signed_by(platform, slug, credential):
    """``credential`` signed with the organisation's own key, as a signer that does not check
    I-JSON would (an older platform, another implementation)."""
    organisation = platform.organisations.get(slug)
    key = organisation.current_key
    method = organisation.verification_method(key)
    private = unseal_private_key(
        key.sealed_private_key, secret=platform.settings.secret_key, bound_to=method
    )
    return data_integrity.sign_credential(
        {"validFrom": "2026-01-01T00:00:00Z", **credential, "issuer": organisation.did},
        private_key=private,
        verification_method=method,
        created=platform.clock.now(),
    )


def vc_verify(client, credential):
    return client.post("/credentials/verify", json={"verifiableCredential": credential})


def documents_verify(client, credential):
    return client.post("/api/v1/documents/verify", json=credential)


# -- issue: numbers (defect 5) ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("number", "words"),
    [
        (2**53, "2^53"),
        (9007199254740993, "2^53"),  # JavaScript reads 9007199254740992
        (-(2**60), "2^53"),
        (1e-7, "1e-6"),
        (-5e-10, "1e-6"),
    ],
)
def test_vc_api_issue_refuses_a_number_javascript_reads_otherwise(client, corridor, number, words):
    response = vc_issue(client, corridor, generic(alumniOf={"rank": [1, number]}))
    body = assert_problem(response, 400, "/credential/credentialSubject/alumniOf/rank/1")
    assert words in body["errors"][0]["detail"]


def test_vc_api_issue_still_signs_the_largest_safe_integer_and_1e_6(client, corridor):
    credential = generic(alumniOf={"rank": [9007199254740991, -9007199254740991, 1e-6]})
    response = vc_issue(client, corridor, credential)
    assert response.status_code == 201, response.text


def test_vc_api_issue_names_a_member_whose_key_needs_rfc_6901_escaping(client, corridor):
    credential = generic(**{"weight/kg~gross": 2**60})
    response = vc_issue(client, corridor, credential)
    assert_problem(response, 400, "/credential/credentialSubject/weight~1kg~0gross")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_vc_api_issue_refuses_a_number_that_is_not_finite(client, corridor, literal):
    text = json.dumps(generic(score=0)).replace('"score": 0', f'"score": {literal}')
    body = assert_problem(
        issue_text(client, corridor, text), 400, "/credential/credentialSubject/score"
    )
    assert "finite" in body["detail"]


def test_documents_api_refuses_a_subject_its_schema_allows_but_javascript_reads_otherwise(
    client, corridor
):
    subject = sample_subject("cim-smgs")
    subject["goodsItems"][0]["numberOfPackages"] = 2**60  # the schema says only >= 0
    response = client.post(
        "/api/v1/documents",
        json={"document_type": "cim-smgs", "subject": subject},
        headers=bearer(corridor.tokens["ktz"]),
    )
    # the documents API answers an invalid document 422, as for every schema problem
    body = assert_problem(response, 422, "/goodsItems/0/numberOfPackages")
    assert "2^53" in body["detail"]


def test_vc_api_issue_of_a_document_type_refuses_it_under_its_subject(client, corridor):
    subject = sample_subject("cim-smgs")
    subject["goodsItems"][0]["numberOfPackages"] = 2**60
    credential = {
        "@context": [V2, "https://transcaspian.example/contexts/transcaspian-v1.jsonld"],
        "type": ["VerifiableCredential", "CimSmgsConsignmentNoteCredential"],
        "credentialSubject": subject,
    }
    response = vc_issue(client, corridor, credential)
    assert_problem(response, 400, "/credential/credentialSubject/goodsItems/0/numberOfPackages")


# -- issue: lone surrogates and dates (defect 6: they answered 500) ---------------------------
@pytest.mark.parametrize("escape", ["\\ud800", "\\uDFFF", "ok \\ud83d then"])
def test_vc_api_issue_refuses_a_lone_surrogate_in_a_value(client, corridor, escape):
    text = json.dumps(generic(name="X")).replace('"X"', f'"{escape}"')
    body = assert_problem(
        issue_text(client, corridor, text), 400, "/credential/credentialSubject/name"
    )
    assert "lone surrogate" in body["detail"]


def test_vc_api_issue_refuses_a_lone_surrogate_in_a_key_shown_escaped(client, corridor):
    text = json.dumps(generic(X="Aktau")).replace('"X"', '"port\\udc00"')
    assert_problem(
        issue_text(client, corridor, text), 400, "/credential/credentialSubject/port\\udc00"
    )


def test_vc_api_issue_refuses_raw_utf8_encoded_surrogate_bytes(client, corridor):
    credential = generic(name="\ud800") | {"issuer": corridor["ktz"].organisation.did}
    text = json.dumps({"credential": credential, "options": {}}, ensure_ascii=False)
    response = client.post(
        "/credentials/issue",
        content=text.encode("utf-8", "surrogatepass"),
        headers={"content-type": "application/json", **bearer(corridor.tokens["ktz"])},
    )
    assert response.status_code == 400, response.text


def test_a_surrogate_pair_is_a_character_like_any_other(client, corridor):
    text = json.dumps(generic(name="X")).replace('"X"', '"\\ud83d\\ude9a Aktau"')
    response = issue_text(client, corridor, text)
    assert response.status_code == 201, response.text
    assert response.json()["verifiableCredential"]["credentialSubject"]["name"] == "🚚 Aktau"


def test_documents_api_issue_refuses_a_lone_surrogate_in_the_subject(client, corridor):
    body = {"document_type": "cim-smgs", "subject": sample_subject("cim-smgs")}
    body["subject"]["consignor"]["name"] = "X"
    text = json.dumps(body).replace('"X"', '"\\ud800"')
    response = post_text(client, "/api/v1/documents", text, corridor.tokens["ktz"])
    assert_problem(response, 400, "/subject/consignor/name")


@pytest.mark.parametrize("name", ["validFrom", "validUntil"])
@pytest.mark.parametrize("moment", ["2026-01-01T24:00:00Z", "2026-12-31T23:59:60Z"])
def test_vc_api_issue_refuses_hour_24_and_second_60(client, corridor, name, moment):
    response = vc_issue(client, corridor, generic() | {name: moment})
    body = assert_problem(response, 400, f"/credential/{name}")
    assert "not a real instant" in body["detail"]


@pytest.mark.parametrize("moment", ["2026-01-01T24:00:00Z", "2026-12-31T23:59:60Z"])
def test_documents_api_issue_refuses_hour_24_and_second_60(client, corridor, moment):
    response = client.post(
        "/api/v1/documents",
        json={
            "document_type": "cim-smgs",
            "subject": sample_subject("cim-smgs"),
            "valid_from": moment,
        },
        headers=bearer(corridor.tokens["ktz"]),
    )
    assert_problem(response, 422, "/body/valid_from")


# -- verify: numbers (defect 5) ----------------------------------------------------------------
def test_the_re_signing_helper_makes_credentials_that_verify(client, corridor, platform):
    """The control for the tests below: only the number makes them fail."""
    credential = signed_by(platform, "ktz", generic(alumniOf={"rank": 2**52}))
    assert vc_verify(client, credential).json()["verified"] is True
    assert documents_verify(client, credential).json()["verified"] is True


@pytest.mark.parametrize("number", [2**60, 9007199254740993, 1e-7])
def test_vc_api_verify_reports_a_number_javascript_reads_otherwise(
    client, corridor, platform, number
):
    credential = signed_by(platform, "ktz", generic(alumniOf={"rank": number}))
    response = vc_verify(client, credential)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["verified"] is False
    assert "/credentialSubject/alumniOf/rank" in json.dumps(body)


@pytest.mark.parametrize("number", [2**60, 9007199254740993, 1e-7])
def test_documents_api_verify_reports_a_number_javascript_reads_otherwise(
    client, corridor, platform, number
):
    credential = signed_by(platform, "ktz", generic(alumniOf={"rank": number}))
    response = documents_verify(client, credential)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["verified"] is False
    proof = next(c for c in report["checks"] if c["name"] == "proof")
    assert proof["outcome"] == "failed"
    assert "/credentialSubject/alumniOf/rank" in proof["explanation"]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "1e400"])
@pytest.mark.parametrize(
    ("url", "wrap", "prefix"),
    [
        ("/credentials/verify", '{{"verifiableCredential": {}}}', "/verifiableCredential"),
        ("/api/v1/documents/verify", "{}", ""),
    ],
)
def test_verify_refuses_a_number_that_is_not_finite(
    client, corridor, platform, literal, url, wrap, prefix
):
    credential = signed_by(platform, "ktz", generic(score=0))
    text = wrap.format(json.dumps(credential).replace('"score": 0', f'"score": {literal}'))
    assert_problem(post_text(client, url, text), 400, f"{prefix}/credentialSubject/score")


# -- verify: lone surrogates and dates (defect 6) ---------------------------------------------
@pytest.mark.parametrize(
    ("url", "wrap", "prefix"),
    [
        ("/credentials/verify", '{{"verifiableCredential": {}}}', "/verifiableCredential"),
        ("/api/v1/documents/verify", "{}", ""),
        (
            "/api/v1/documents/verify",
            '{{"verifiableCredential": {}, "endorsementChain": []}}',
            "/verifiableCredential",
        ),
    ],
)
@pytest.mark.parametrize("member", ["name", "issuer", "id"])
def test_verify_refuses_a_lone_surrogate_without_a_500(
    client, corridor, platform, url, wrap, prefix, member
):
    credential = signed_by(platform, "ktz", generic(name="Aktau"))
    if member == "name":
        credential["credentialSubject"]["name"] = "X"
        pointer = "/credentialSubject/name"
    else:
        credential[member] = "X"
        pointer = f"/{member}"
    text = wrap.format(json.dumps(credential).replace('"X"', '"did:\\ud800"'))
    assert_problem(post_text(client, url, text), 400, prefix + pointer)


@pytest.mark.parametrize("name", ["validFrom", "validUntil"])
@pytest.mark.parametrize(
    "moment",
    ["2026-01-01T24:00:00Z", "2026-12-31T23:59:60Z", "2026-02-30T00:00:00Z", "2026-01-01T00:00:00"],
)
def test_verify_reports_hour_24_and_second_60_as_not_verified(
    client, corridor, platform, name, moment
):
    # signed so (by a signer that does not check), or changed after signing
    resigned = signed_by(platform, "ktz", generic(name="Aktau") | {name: moment})
    changed = signed_by(platform, "ktz", generic(name="Aktau"))
    changed[name] = moment
    for credential in (resigned, changed):
        response = vc_verify(client, credential)
        assert response.status_code == 400, response.text
        assert response.json()["verified"] is False
        assert f"/{name}" in json.dumps(response.json())
        response = documents_verify(client, credential)
        assert response.status_code == 200, response.text
        assert response.json()["verified"] is False


def test_a_presentation_with_a_lone_surrogate_is_refused_without_a_500(client, corridor):
    presentation = {
        "@context": [V2],
        "type": ["VerifiablePresentation"],
        "holder": "X",
        "verifiableCredential": [],
    }
    text = json.dumps({"verifiablePresentation": presentation}).replace('"X"', '"did:\\ud800"')
    assert_problem(
        post_text(client, "/presentations/verify", text), 400, "/verifiablePresentation/holder"
    )


# -- the web page's verify form reads its text the same way ------------------------------------
@pytest.mark.parametrize(
    ("literal", "pointer"),
    [('"\\ud800"', "/credentialSubject/name"), ("NaN", "/credentialSubject/name")],
)
def test_the_verify_page_refuses_a_pasted_text_that_is_not_i_json(
    client, corridor, platform, literal, pointer
):
    credential = signed_by(platform, "ktz", generic(name="X"))
    text = json.dumps(credential).replace('"X"', literal)
    page = client.post("/verify", data={"document": text})
    assert page.status_code == 422, page.text[:500]
    assert pointer in page.text
