"""Request and response models of the document endpoints, built from domain objects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from transcaspian.domain.documents.lifecycle import DocumentStatus, TransportDocument
from transcaspian.domain.documents.parties import Organisation
from transcaspian.services.documents import IssueRequest
from transcaspian.services.verification import VerificationReport

__all__ = [
    "AmendIn",
    "CheckOut",
    "DocumentOut",
    "DocumentPage",
    "EndorsementOut",
    "IssueIn",
    "OrganisationOut",
    "TransferIn",
    "VerificationOut",
    "VersionOut",
]


class IssueIn(BaseModel):
    document_type: str = Field(description="a slug, e.g. cim-smgs or bill-of-lading")
    subject: dict[str, Any] = Field(description="the credential subject per the type's schema")
    holder: str | None = Field(
        default=None, description="bill of lading: the first holder (organisation slug)"
    )
    parties: list[str] = Field(default_factory=list, description="organisations that may read it")
    route_countries: list[str] = Field(
        default_factory=list, description="ISO alpha-2 countries whose customs may read it"
    )
    valid_from: datetime | None = None
    valid_until: datetime | None = None

    def to_domain(self) -> IssueRequest:
        return IssueRequest(
            document_type=self.document_type,
            subject=self.subject,
            holder=self.holder,
            parties=tuple(self.parties),
            route_countries=tuple(self.route_countries),
            valid_from=self.valid_from,
            valid_until=self.valid_until,
        )


class AmendIn(BaseModel):
    subject: dict[str, Any]
    valid_until: datetime | None = None


class TransferIn(BaseModel):
    to: str = Field(description="the organisation (slug) receiving title")
    expected_row_version: int | None = Field(
        default=None, description="refuse with 409 unless the document is still at this version"
    )


class SurrenderIn(BaseModel):
    expected_row_version: int | None = None


class VersionOut(BaseModel):
    credential_id: str
    version: int
    status: DocumentStatus
    digest: str
    issued_at: datetime
    previous_credential_id: str | None


class EndorsementOut(BaseModel):
    sequence: int
    action: str
    from_party: str
    to_party: str
    at: datetime
    digest: str


class DocumentOut(BaseModel):
    document_id: str
    document_type: str
    issuer: str
    status: DocumentStatus
    negotiable: bool
    holder: str | None
    parties: list[str]
    route_countries: list[str]
    row_version: int
    credential_id: str
    versions: list[VersionOut]
    endorsements: list[EndorsementOut]

    @classmethod
    def from_domain(cls, document: TransportDocument) -> DocumentOut:
        return cls(
            document_id=document.document_id,
            document_type=document.document_type,
            issuer=document.issuer,
            status=document.status,
            negotiable=document.negotiable,
            holder=document.holder,
            parties=sorted(document.parties),
            route_countries=sorted(document.route_countries),
            row_version=document.row_version,
            credential_id=document.current.credential_id,
            versions=[
                VersionOut(
                    credential_id=v.credential_id,
                    version=v.version,
                    status=document.version_status(v),
                    digest=v.digest,
                    issued_at=v.issued_at,
                    previous_credential_id=v.previous_credential_id,
                )
                for v in document.versions
            ],
            endorsements=[
                EndorsementOut(
                    sequence=e.sequence,
                    action=e.action.value,
                    from_party=e.from_party,
                    to_party=e.to_party,
                    at=e.at,
                    digest=e.digest,
                )
                for e in document.endorsements
            ],
        )


class DocumentPage(BaseModel):
    items: list[DocumentOut]
    total: int


class CheckOut(BaseModel):
    name: str
    outcome: str = Field(description="passed, failed, unknown or not-applicable")
    explanation: str


class VerificationOut(BaseModel):
    verified: bool
    mode: str
    credential_id: str | None
    issuer: str | None
    issuer_name: str | None
    holder: str | None
    checked_at: datetime | None
    checks: list[CheckOut]
    reasons: list[str]

    @classmethod
    def from_domain(cls, report: VerificationReport) -> VerificationOut:
        return cls(
            verified=report.verified,
            mode=report.mode,
            credential_id=report.credential_id,
            issuer=report.issuer,
            issuer_name=report.issuer_name,
            holder=report.holder,
            checked_at=report.checked_at,
            checks=[
                CheckOut(name=c.name, outcome=c.outcome.value, explanation=c.explanation)
                for c in report.checks
            ],
            reasons=report.reasons,
        )


class OrganisationOut(BaseModel):
    slug: str
    name: str
    roles: list[str]
    country: str | None
    did: str
    did_document_url: str | None

    @classmethod
    def from_domain(
        cls, organisation: Organisation, did_document_url: str | None
    ) -> OrganisationOut:
        return cls(
            slug=organisation.slug,
            name=organisation.name,
            roles=sorted(r.value for r in organisation.roles),
            country=organisation.country,
            did=organisation.did,
            did_document_url=did_document_url,
        )
