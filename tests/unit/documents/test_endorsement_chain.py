"""The endorsement chain of a negotiable bill of lading: signed, hash-linked, holder by holder."""

from copy import deepcopy
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from transcaspian.domain.documents.canonical import digest_multibase
from transcaspian.domain.documents.key_lookup import ResolvedKey
from transcaspian.domain.documents.title import (
    Endorsement,
    EndorsementAction,
    sign_endorsement,
    verify_endorsement_chain,
)

T0 = datetime(2026, 5, 1, 8, tzinfo=UTC)
KEYS = {name: Ed25519PrivateKey.generate() for name in ["carrier", "shipper", "bank", "consignee"]}
DID = {name: f"did:web:example.org:orgs:{name}" for name in KEYS}
CREDENTIAL = {"id": "urn:uuid:bl-1", "issuer": DID["carrier"], "credentialSubject": {}}


def lookup(method):
    name = method.split("#")[0].rsplit(":", 1)[-1]
    if name not in KEYS:
        return None
    return ResolvedKey(method, DID[name], KEYS[name].public_key(), True)


def step(previous, action, signer, frm, to, minutes, credential=None):
    signed = sign_endorsement(
        previous=previous,
        action=action,
        document_id="doc-1",
        credential_id=CREDENTIAL["id"],
        credential_digest=digest_multibase(credential) if credential else None,
        from_did=DID[frm],
        to_did=DID[to],
        at=T0 + timedelta(minutes=minutes),
        private_key=KEYS[signer],
        verification_method=f"{DID[signer]}#key-1",
    )
    return Endorsement(signed, frm, to)


def full_chain():
    issue = step(None, EndorsementAction.ISSUE, "carrier", "carrier", "shipper", 0, CREDENTIAL)
    to_bank = step(issue, EndorsementAction.TRANSFER, "shipper", "shipper", "bank", 1)
    to_consignee = step(to_bank, EndorsementAction.TRANSFER, "bank", "bank", "consignee", 2)
    return [issue.signed, to_bank.signed, to_consignee.signed], to_consignee


def test_a_valid_chain_names_the_holder():
    chain, _ = full_chain()
    report = verify_endorsement_chain(chain, credential=CREDENTIAL, lookup=lookup)
    assert report.valid, report.problems
    assert report.holder == DID["consignee"]
    assert not report.surrendered


def test_surrender_to_the_carrier_ends_the_chain():
    chain, last = full_chain()
    surrender = step(last, EndorsementAction.SURRENDER, "consignee", "consignee", "carrier", 3)
    report = verify_endorsement_chain(
        [*chain, surrender.signed], credential=CREDENTIAL, lookup=lookup
    )
    assert report.valid and report.surrendered


def test_a_transfer_signed_by_someone_other_than_the_holder_fails():
    chain, last = full_chain()
    # the bank no longer holds title, yet signs a transfer to itself
    forged = step(last, EndorsementAction.TRANSFER, "bank", "bank", "shipper", 3)
    report = verify_endorsement_chain([*chain, forged.signed], credential=CREDENTIAL, lookup=lookup)
    assert not report.valid
    assert any("the holder then was" in p for p in report.problems)


def test_an_altered_entry_breaks_its_signature_and_the_next_link():
    chain, _ = full_chain()
    altered = deepcopy(chain)
    altered[1]["to"] = DID["consignee"]
    report = verify_endorsement_chain(altered, credential=CREDENTIAL, lookup=lookup)
    assert any("entry 2: the signature does not match" in p for p in report.problems)
    assert any("entry 3: does not link" in p for p in report.problems)


def test_a_removed_entry_is_detected():
    chain, _ = full_chain()
    report = verify_endorsement_chain([chain[0], chain[2]], credential=CREDENTIAL, lookup=lookup)
    assert not report.valid


def test_the_chain_must_belong_to_the_credential():
    chain, _ = full_chain()
    other = {**CREDENTIAL, "credentialSubject": {"changed": True}}
    report = verify_endorsement_chain(chain, credential=other, lookup=lookup)
    assert any("differs from the one the chain was issued for" in p for p in report.problems)
