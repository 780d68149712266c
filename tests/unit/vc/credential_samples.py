"""Sample credentials for the credential tests (imported by tests and conftest)."""

from datetime import UTC, datetime

from transcaspian.documents.types.samples import sample_subject
from transcaspian.vc.credentials import build_credential
from transcaspian.vc.status_list import status_entry

# A fixed test key (Multikey secret), so failures reproduce.
ISSUER_SECRET = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
VALID_FROM = datetime(2026, 4, 17, 8, 0, tzinfo=UTC)
SIGNED_AT = datetime(2026, 4, 17, 9, 30, tzinfo=UTC)


def unsigned_credential(slug: str, issuer: str) -> dict:
    return build_credential(
        slug,
        sample_subject(slug),
        issuer=issuer,
        credential_id="urn:uuid:5b0f6c1e-1f1a-4c8e-9a51-6d9b1a3f0417",
        valid_from=VALID_FROM,
        valid_until=datetime(2027, 4, 17, tzinfo=UTC),
        status=[
            status_entry("https://transcaspian.example/status/revocation/1", 417, "revocation"),
            status_entry("https://transcaspian.example/status/suspension/1", 417, "suspension"),
        ],
    )
