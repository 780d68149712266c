import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from transcaspian.domain.documents.sealing import seal_private_key, unseal_private_key
from transcaspian.domain.errors import InvalidValueError

SECRET = "a-test-secret-of-sufficient-length"


def test_a_sealed_key_opens_with_the_same_secret_and_binding():
    key = Ed25519PrivateKey.generate()
    sealed = seal_private_key(key, secret=SECRET, bound_to="did:web:x#key-1")
    opened = unseal_private_key(sealed, secret=SECRET, bound_to="did:web:x#key-1")
    assert opened.public_key() == key.public_key()
    assert key.public_key().public_bytes_raw() not in sealed


@pytest.mark.parametrize(
    ("secret", "bound_to"),
    [("another-secret-entirely-0000", "did:web:x#key-1"), (SECRET, "did:web:y#key-1")],
)
def test_a_sealed_key_does_not_open_with_another_secret_or_binding(secret, bound_to):
    sealed = seal_private_key(
        Ed25519PrivateKey.generate(), secret=SECRET, bound_to="did:web:x#key-1"
    )
    with pytest.raises(InvalidValueError, match="cannot be opened"):
        unseal_private_key(sealed, secret=secret, bound_to=bound_to)
