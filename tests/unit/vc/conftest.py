"""Fixtures for the credential tests: a did:key issuer and a signer."""

import pytest
from tests.unit.vc.credential_samples import ISSUER_SECRET, SIGNED_AT

from transcaspian.vc.data_integrity import sign_credential
from transcaspian.vc.keys import (
    did_key_for,
    did_key_verification_method,
    private_key_from_multibase,
)


@pytest.fixture
def issuer_key():
    return private_key_from_multibase(ISSUER_SECRET)


@pytest.fixture
def issuer_did(issuer_key):
    return did_key_for(issuer_key.public_key())


@pytest.fixture
def sign(issuer_key):
    def _sign(credential: dict) -> dict:
        return sign_credential(
            credential,
            private_key=issuer_key,
            verification_method=did_key_verification_method(issuer_key.public_key()),
            created=SIGNED_AT,
        )

    return _sign
