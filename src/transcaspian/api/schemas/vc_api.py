"""Request and response shapes of the W3C VC API (VCALM) endpoints.

Field names are the VC API's (camelCase). Options the VC API defines that we do not act on
(e.g. ``mandatoryPointers``, only meaningful for selective disclosure suites) are accepted and
ignored, so a test suite's configured options never make a request fail.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from transcaspian.services.verification import Check, PresentationReport, VerificationReport

STATUS_ENTRY_TYPES = ("BitstringStatusListEntry", "BitstringStatusList")


class _VcApiModel(BaseModel):
    model_config = ConfigDict(extra="ignore")


class StatusSelector(_VcApiModel):
    """Which status list entry: its type and purpose (``revocation`` or ``suspension``)."""

    type: str = Field(default="BitstringStatusListEntry", examples=["BitstringStatusListEntry"])
    statusPurpose: str = Field(default="revocation", examples=["revocation"])  # noqa: N815


class IssueCredentialOptions(_VcApiModel):
    credentialId: str | None = Field(  # noqa: N815
        default=None,
        description="a name to refer to the credential by later (status updates); by default "
        "the credential's own id",
    )
    credentialStatus: StatusSelector | list[StatusSelector] | None = Field(  # noqa: N815
        default=None,
        description="add a status entry (an index in the issuer's Bitstring Status List) of "
        "each purpose asked for",
    )
    mandatoryPointers: list[str] | None = None  # noqa: N815

    def status_purposes(self) -> list[str]:
        selectors = self.credentialStatus
        if selectors is None:
            return []
        chosen = selectors if isinstance(selectors, list) else [selectors]
        return [s.statusPurpose for s in chosen]

    def unsupported_status_type(self) -> str | None:
        selectors = self.credentialStatus
        chosen = (
            [] if selectors is None else selectors if isinstance(selectors, list) else [selectors]
        )
        return next((s.type for s in chosen if s.type not in STATUS_ENTRY_TYPES), None)


class IssueCredentialRequest(_VcApiModel):
    credential: dict[str, Any]
    options: IssueCredentialOptions = Field(default_factory=IssueCredentialOptions)


class VerifyOptions(_VcApiModel):
    checks: list[str] | None = Field(
        default=None,
        description="limit the verdict to these checks (proof, issuer, credentialStatus, "
        "validity, title); every check is reported all the same",
    )
    challenge: str | None = None
    domain: str | None = None
    expectedProofPurpose: str | None = None  # noqa: N815


class VerifyCredentialRequest(_VcApiModel):
    verifiableCredential: dict[str, Any]  # noqa: N815
    options: VerifyOptions = Field(default_factory=VerifyOptions)


class VerifyPresentationRequest(_VcApiModel):
    verifiablePresentation: dict[str, Any] | None = None  # noqa: N815
    presentation: dict[str, Any] | None = Field(
        default=None, description="an unsigned presentation (the VC API's proofless request)"
    )
    options: VerifyOptions = Field(default_factory=VerifyOptions)


class UpdateCredentialStatusRequest(_VcApiModel):
    credentialId: str  # noqa: N815
    credentialStatus: StatusSelector  # noqa: N815
    status: bool = Field(default=True, description="true sets the status (revoke, suspend)")


class ProblemDetail(BaseModel):
    type: str
    title: str
    detail: str


class CheckResult(BaseModel):
    check: str
    outcome: str
    explanation: str

    @classmethod
    def from_domain(cls, check: Check) -> CheckResult:
        return cls(check=check.name, outcome=check.outcome.value, explanation=check.explanation)


class VerificationResult(BaseModel):
    """The VC API's verification result: ``checks`` performed and passed-or-failed, ``errors``
    and ``warnings`` as problem details; ``results`` explains every check in plain words and
    ``problemDetails`` repeats ``errors`` under the VCALM draft's name."""

    verified: bool
    checks: list[str]
    warnings: list[ProblemDetail]
    errors: list[ProblemDetail]
    problemDetails: list[ProblemDetail]  # noqa: N815
    results: list[CheckResult]

    @classmethod
    def from_domain(cls, report: VerificationReport) -> VerificationResult:
        counted = [c for c in report.checks if report.counts(c.name)]
        errors = [
            _problem(c.name, c.explanation)
            for c in counted
            if c.outcome.value in {"failed", "unknown"}
        ]
        return cls(
            verified=report.verified,
            checks=[c.name for c in counted if c.outcome.value != "not-applicable"],
            warnings=[_problem("warning", w) for w in report.warnings],
            errors=errors,
            problemDetails=errors,
            results=[CheckResult.from_domain(c) for c in report.checks],
        )


class PresentationVerificationResult(BaseModel):
    verified: bool
    checks: list[str]
    warnings: list[ProblemDetail]
    errors: list[ProblemDetail]
    problemDetails: list[ProblemDetail]  # noqa: N815
    results: list[CheckResult]
    credentialResults: list[VerificationResult]  # noqa: N815

    @classmethod
    def from_domain(cls, report: PresentationReport) -> PresentationVerificationResult:
        errors = [
            _problem(c.name, c.explanation)
            for c in report.checks
            if c.outcome.value in {"failed", "unknown"}
        ]
        credentials = [VerificationResult.from_domain(r) for r in report.credentials]
        for index, result in enumerate(credentials):
            errors += [
                _problem(e.title, f"verifiableCredential/{index}: {e.detail}")
                for e in result.errors
            ]
        return cls(
            verified=report.verified,
            checks=[c.name for c in report.checks if c.outcome.value != "not-applicable"],
            warnings=[w for result in credentials for w in result.warnings],
            errors=errors,
            problemDetails=errors,
            results=[CheckResult.from_domain(c) for c in report.checks],
            credentialResults=credentials,
        )


def _problem(name: str, detail: str) -> ProblemDetail:
    return ProblemDetail(type=f"/problems/verification-{name}", title=name, detail=detail)
