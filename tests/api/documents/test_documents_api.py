"""The document API end to end: issue, read, verify (ours and the W3C VC API), status lists,
DID documents, rendering with a QR code that scans."""

import shutil
import subprocess
from copy import deepcopy

import pytest

from tests.api.documents.conftest import bearer
from transcaspian.documents.types.samples import sample_subject


def issue(client, corridor, slug="ktz", document_type="cim-smgs", **extra):
    body = {
        "document_type": document_type,
        "subject": sample_subject(document_type),
        "route_countries": ["KZ", "AZ", "GE"],
        **extra,
    }
    response = client.post("/api/v1/documents", json=body, headers=bearer(corridor.tokens[slug]))
    assert response.status_code == 201, response.text
    return response.json()


def test_issue_read_and_verify_through_the_api(client, corridor):
    document = issue(client, corridor)
    listed = client.get("/api/v1/documents", headers=bearer(corridor.tokens["ktz"])).json()
    assert [d["document_id"] for d in listed["items"]] == [document["document_id"]]
    bundle = client.get(
        f"/api/v1/documents/{document['document_id']}/credential",
        headers=bearer(corridor.tokens["ktz"]),
    ).json()
    report = client.post("/api/v1/documents/verify", json=bundle).json()
    assert report["verified"], report["reasons"]
    assert {c["name"] for c in report["checks"]} >= {"proof", "issuer", "status"}


def test_reads_show_only_documents_the_organisation_is_party_to(client, corridor):
    document = issue(client, corridor)
    other = client.get("/api/v1/documents", headers=bearer(corridor.tokens["halyk-bank"]))
    assert other.json()["items"] == []
    response = client.get(
        f"/api/v1/documents/{document['document_id']}",
        headers=bearer(corridor.tokens["halyk-bank"]),
    )
    assert response.status_code == 404  # the same answer as for an id that does not exist
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_bad_token_is_a_401_problem(client, corridor):
    response = client.get("/api/v1/documents", headers=bearer("tcp_not-a-token"))
    assert response.status_code == 401
    assert response.json()["status"] == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_viewer_may_not_issue(client, corridor):
    body = {"document_type": "cim-smgs", "subject": sample_subject("cim-smgs")}
    response = client.post("/api/v1/documents", json=body, headers=bearer(corridor.viewer_token))
    assert response.status_code == 403


def test_vc_api_issues_and_verifies_and_rejects_a_changed_field(client, corridor):
    unsigned = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "CommercialInvoiceCredential"],
        "credentialSubject": sample_subject("commercial-invoice"),
        "issuer": corridor["kaz-exporter"].organisation.did,
    }
    issued = client.post(
        "/credentials/issue",
        json={"credential": unsigned, "options": {}},
        headers=bearer(corridor.tokens["kaz-exporter"]),
    )
    assert issued.status_code == 201, issued.text
    credential = issued.json()["verifiableCredential"]
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    verified = client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert verified.status_code == 200 and verified.json()["verified"]
    changed = deepcopy(credential)
    changed["credentialSubject"]["invoiceNumber"] = "FORGED-1"
    rejected = client.post("/credentials/verify", json={"verifiableCredential": changed})
    assert rejected.status_code == 400
    assert any(p["check"] == "proof" for p in rejected.json()["problemDetails"])


def test_status_lists_and_did_documents_are_published(client, corridor):
    document = issue(client, corridor)
    credential = client.get(
        f"/api/v1/documents/{document['document_id']}/credential",
        headers=bearer(corridor.tokens["ktz"]),
    ).json()["verifiableCredential"]
    for entry in credential["credentialStatus"]:
        url = entry["statusListCredential"]
        listed = client.get(url.replace("http://127.0.0.1:8000", ""))
        assert listed.status_code == 200
        assert "BitstringStatusListCredential" in listed.json()["type"]
        assert listed.json()["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    did = client.get("/orgs/ktz/did.json")
    assert did.status_code == 200
    assert did.json()["id"] == credential["issuer"]


def test_title_transfer_through_the_api(client, corridor):
    bill = issue(
        client,
        corridor,
        slug="caspian-lines",
        document_type="bill-of-lading",
        holder="kaz-exporter",
    )
    path = f"/api/v1/documents/{bill['document_id']}"
    moved = client.post(
        f"{path}/transfers",
        json={"to": "halyk-bank"},
        headers=bearer(corridor.tokens["kaz-exporter"]),
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["holder"] == "halyk-bank"
    again = client.post(
        f"{path}/transfers",
        json={"to": "poti-agro"},
        headers=bearer(corridor.tokens["kaz-exporter"]),
    )
    assert again.status_code == 403
    stale = client.post(
        f"{path}/transfers",
        json={"to": "poti-agro", "expected_row_version": 1},
        headers=bearer(corridor.tokens["halyk-bank"]),
    )
    assert stale.status_code == 409


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_pdf_carries_a_qr_code_that_leads_to_verification(client, corridor, tmp_path, lang):
    assert shutil.which("pdftoppm") and shutil.which("zbarimg"), "install poppler-utils zbar-tools"
    document = issue(client, corridor)
    response = client.get(
        f"/api/v1/documents/{document['document_id']}/render",
        params={"format": "pdf", "lang": lang},
        headers=bearer(corridor.tokens["ktz"]),
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    page = next(tmp_path.glob("page*.png"))
    scanned = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True, check=True
    ).stdout.strip()
    expected = "http://127.0.0.1:8000/verify?credential=" + document["credential_id"].replace(
        ":", "%3A"
    )
    assert scanned == expected
    if lang == "ru":
        html = client.get(
            f"/api/v1/documents/{document['document_id']}/render",
            params={"format": "html", "lang": "ru"},
            headers=bearer(corridor.tokens["ktz"]),
        ).text
        assert ("Накладная ЦИМ/СМГС" in html and "Отправитель" in html) or "Грузы" in html


def test_the_verify_page_follows_the_qr_link(client, corridor):
    document = issue(client, corridor)
    page = client.get("/verify", params={"credential": document["credential_id"]})
    assert page.status_code == 200
    assert "Verified" in page.text
