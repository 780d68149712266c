"""Issue, amend, suspend, reinstate, revoke, transfer and surrender through the services, on
SQLite and PostgreSQL; every failed verification names its reason."""

from copy import deepcopy
from datetime import timedelta

import pytest

from transcaspian.documents.types.samples import sample_subject
from transcaspian.domain.documents.lifecycle import DocumentStatus
from transcaspian.domain.errors import (
    InvalidTransitionError,
    InvalidValueError,
    NotFoundError,
    PermissionDeniedError,
)
from transcaspian.services.documents import IssueRequest


def issue_note(platform, corridor, **kwargs):
    return platform.documents.issue(
        corridor["ktz"],
        IssueRequest(
            "cim-smgs",
            sample_subject("cim-smgs"),
            parties=("kaz-exporter",),
            route_countries=("KZ", "AZ", "GE"),
            **kwargs,
        ),
    )


def issue_bill(platform, corridor):
    return platform.documents.issue(
        corridor["caspian-lines"],
        IssueRequest(
            "bill-of-lading",
            sample_subject("bill-of-lading"),
            holder="kaz-exporter",
            route_countries=("AZ", "GE"),
        ),
    )


def verify(platform, document, version=-1):
    return platform.verifier.verify(document.versions[version].credential)


def test_an_issued_note_verifies_with_every_check_explained(doc_platform, corridor):
    document = issue_note(doc_platform, corridor)
    report = verify(doc_platform, document)
    assert report.verified, report.reasons
    names = [c.name for c in report.checks]
    assert names == ["proof", "issuer", "key", "validity", "status", "supersession", "title"]
    assert report.issuer_name == "Kazakhstan Temir Zholy"
    assert all(c.explanation for c in report.checks)


def test_a_tampered_document_fails_on_its_proof(doc_platform, corridor):
    credential = deepcopy(issue_note(doc_platform, corridor).current.credential)
    credential["credentialSubject"]["goodsItems"][0]["grossWeightKg"] = 1
    report = doc_platform.verifier.verify(credential)
    assert not report.verified
    assert report.check("proof").outcome == "failed"
    assert "altered" in report.check("proof").explanation


def test_a_revoked_document_fails_on_status(doc_platform, corridor):
    document = issue_note(doc_platform, corridor)
    doc_platform.documents.revoke(corridor["ktz"], document.document_id)
    report = verify(doc_platform, document)
    assert not report.verified
    assert "revoked" in report.check("status").explanation


def test_a_suspended_document_fails_and_verifies_again_once_reinstated(doc_platform, corridor):
    document = issue_note(doc_platform, corridor)
    doc_platform.documents.suspend(corridor["ktz"], document.document_id)
    report = verify(doc_platform, document)
    assert not report.verified
    assert "suspended" in report.check("status").explanation
    doc_platform.documents.reinstate(corridor["ktz"], document.document_id)
    assert verify(doc_platform, document).verified


def test_a_superseded_version_fails_and_the_new_one_links_back(doc_platform, corridor):
    document = issue_note(doc_platform, corridor)
    subject = sample_subject("cim-smgs")
    subject["goodsItems"][0]["numberOfPackages"] += 1
    amended = doc_platform.documents.amend(corridor["ktz"], document.document_id, subject)
    old = doc_platform.verifier.verify(amended.versions[0].credential)
    assert not old.verified
    assert "superseded by version 2" in old.check("supersession").explanation
    new = doc_platform.verifier.verify(amended.current.credential)
    assert new.verified, new.reasons
    related = amended.current.credential["relatedResource"][0]
    assert related == {
        "id": amended.versions[0].credential_id,
        "digestMultibase": amended.versions[0].digest,
    }


def test_an_expired_document_fails_on_validity(doc_platform, corridor, clock):
    document = issue_note(doc_platform, corridor, valid_until=clock.now() + timedelta(days=30))
    clock.advance(days=31)
    report = verify(doc_platform, document)
    assert not report.verified
    assert "expired" in report.check("validity").explanation


def test_a_document_from_an_unknown_issuer_fails_on_issuer(doc_platform, corridor):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from transcaspian.services import credentials_gateway as vc
    from transcaspian.vc.keys import did_key_for, did_key_verification_method

    key = Ed25519PrivateKey.generate()
    credential = vc.build_credential(
        "cim-smgs",
        sample_subject("cim-smgs"),
        issuer=did_key_for(key.public_key()),
        credential_id="urn:uuid:0b3c7a3e-0000-4000-8000-000000000001",
        valid_from=doc_platform.clock.now(),
        valid_until=None,
        status=[],
    )
    signed = vc.sign_credential(
        credential,
        private_key=key,
        verification_method=did_key_verification_method(key.public_key()),
        created=doc_platform.clock.now(),
    )
    report = doc_platform.verifier.verify(signed)
    assert not report.verified
    assert "not registered on this platform" in report.check("issuer").explanation


def test_key_rotation_keeps_old_documents_valid_and_refuses_backdated_use(
    doc_platform, corridor, clock
):
    before = issue_note(doc_platform, corridor)
    clock.advance(hours=1)
    retired_key = doc_platform.organisations.get("ktz").current_key
    doc_platform.organisations.rotate_key("ktz")
    clock.advance(hours=1)
    # signed before the rotation: still verifies
    report = verify(doc_platform, before)
    assert report.verified, report.reasons
    assert "retired at" in report.check("key").explanation
    # a new document is signed with the new key and verifies
    after = issue_note(doc_platform, corridor)
    assert after.current.credential["proof"]["verificationMethod"].endswith("#key-2")
    assert verify(doc_platform, after).verified
    # a document signed with the retired key after its retirement does not verify
    from transcaspian.domain.documents.sealing import unseal_private_key
    from transcaspian.services import credentials_gateway as vc

    organisation = doc_platform.organisations.get("ktz")
    method = organisation.verification_method(retired_key)
    private = unseal_private_key(
        retired_key.sealed_private_key,
        secret=doc_platform.settings.secret_key,
        bound_to=method,
    )
    unsigned = {k: v for k, v in after.current.credential.items() if k != "proof"}
    late = vc.sign_credential(
        unsigned, private_key=private, verification_method=method, created=clock.now()
    )
    report = doc_platform.verifier.verify(late)
    assert not report.verified
    assert "after retirement" in report.check("key").explanation


def test_the_did_document_lists_retired_keys_with_their_end(doc_platform, corridor, clock):
    doc_platform.organisations.rotate_key("ktz")
    document = doc_platform.organisations.did_document("ktz")
    methods = {m["id"].split("#")[1]: m for m in document["verificationMethod"]}
    assert set(methods) == {"key-1", "key-2"}
    assert "revoked" in methods["key-1"] and "revoked" not in methods["key-2"]
    assert document["id"] == "did:web:127.0.0.1%3A8000:orgs:ktz"


def test_title_passes_from_holder_to_holder_until_surrender(doc_platform, corridor):
    bill = issue_bill(doc_platform, corridor)
    assert bill.negotiable and bill.holder == "kaz-exporter"
    bill = doc_platform.documents.transfer(corridor["kaz-exporter"], bill.document_id, "halyk-bank")
    bill = doc_platform.documents.transfer(corridor["halyk-bank"], bill.document_id, "poti-agro")
    report = verify(doc_platform, bill)
    assert report.verified, report.reasons
    assert "Poti Agro Trading LLC" in report.check("title").explanation
    with pytest.raises(PermissionDeniedError, match="only the current holder"):
        doc_platform.documents.transfer(corridor["halyk-bank"], bill.document_id, "kaz-exporter")
    bill = doc_platform.documents.surrender(corridor["poti-agro"], bill.document_id)
    assert bill.status is DocumentStatus.SURRENDERED and bill.holder == "caspian-lines"
    report = verify(doc_platform, bill)
    assert not report.verified
    assert "surrendered to the carrier" in report.check("title").explanation
    with pytest.raises(InvalidTransitionError):
        doc_platform.documents.transfer(corridor["caspian-lines"], bill.document_id, "poti-agro")


def test_a_bundle_with_a_forged_chain_fails_on_title(doc_platform, corridor):
    bill = issue_bill(doc_platform, corridor)
    bill = doc_platform.documents.transfer(corridor["kaz-exporter"], bill.document_id, "halyk-bank")
    chain = [deepcopy(e.signed) for e in bill.endorsements]
    chain[1]["to"] = "did:web:127.0.0.1%3A8000:orgs:poti-agro"
    report = doc_platform.verifier.verify(
        {"verifiableCredential": bill.current.credential, "endorsementChain": chain}
    )
    assert not report.verified
    assert "signature does not match" in report.check("title").explanation


def test_only_the_issuer_may_revoke_and_only_parties_may_read(doc_platform, corridor):
    document = issue_note(doc_platform, corridor)
    with pytest.raises(PermissionDeniedError, match="only the issuer"):
        doc_platform.documents.revoke(corridor["kaz-exporter"], document.document_id)
    visible = {d.document_id for d in doc_platform.documents.list_for(corridor["ge-customs"])}
    assert document.document_id in visible  # customs of a country on the route
    assert doc_platform.documents.list_for(corridor["tr-customs"]) == []
    with pytest.raises(NotFoundError, match="does not exist"):  # as for a missing id
        doc_platform.documents.get_for(corridor["halyk-bank"], document.document_id)


def test_a_shipper_may_not_issue_a_bill_of_lading(doc_platform, corridor):
    with pytest.raises(PermissionDeniedError, match="needs the role carrier"):
        doc_platform.documents.issue(
            corridor["kaz-exporter"],
            IssueRequest("bill-of-lading", sample_subject("bill-of-lading")),
        )


def test_an_invalid_subject_names_the_field(doc_platform, corridor):
    subject = sample_subject("cim-smgs")
    subject["goodsItems"][0]["hsCodes"] = ["12"]
    with pytest.raises(InvalidValueError) as raised:
        doc_platform.documents.issue(corridor["ktz"], IssueRequest("cim-smgs", subject))
    assert raised.value.field.startswith("/goodsItems/0/hsCodes")


def test_every_step_is_in_the_audit_log_and_the_log_is_intact(doc_platform, corridor):
    document = issue_note(doc_platform, corridor)
    doc_platform.documents.suspend(corridor["ktz"], document.document_id)
    actions = [e.action for e in doc_platform.audit.entries(document.document_id)]
    assert actions == ["document.issue", "document.suspend"]
    assert doc_platform.audit.verify().intact


def test_a_did_key_organisation_issues_verifiable_documents(doc_platform, corridor):
    from transcaspian.domain.documents.parties import OrgRole, UserRole

    organisation = doc_platform.organisations.create_organisation(
        "test-carrier", "Test Carrier", {OrgRole.CARRIER}, did="key"
    )
    assert organisation.did.startswith("did:key:z6Mk")
    doc_platform.organisations.create_user("test-carrier", "c@test.example", UserRole.CLERK)
    actor = doc_platform.organisations.authenticate(
        doc_platform.organisations.create_token("c@test.example").secret
    )
    document = doc_platform.documents.issue(actor, IssueRequest("cmr", sample_subject("cmr")))
    method = document.current.credential["proof"]["verificationMethod"]
    assert method == f"{organisation.did}#{organisation.did.removeprefix('did:key:')}"
    assert verify(doc_platform, document).verified
    with pytest.raises(InvalidValueError, match="cannot rotate"):
        doc_platform.organisations.rotate_key("test-carrier")


def test_garbage_is_not_verified_and_does_not_crash(doc_platform, corridor):
    for submitted in ({}, {"proof": 1}, {"verifiableCredential": {"issuer": 5}}):
        report = doc_platform.verifier.verify(submitted)
        assert not report.verified
        assert report.check("proof").outcome == "failed"
