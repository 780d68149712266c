"""Request and response shapes of the W3C VC API (VCALM) endpoints.

Field names are the VC API's (camelCase). VCALM: "Implementations MUST throw an error if an
endpoint receives data, options, or option values that it does not understand", so every
request model refuses unknown members (``extra="forbid"``; the route answers 400 with the
problem type ``UNKNOWN_OPTION_PROVIDED``). Options the VC API defines that we accept without
acting on them: ``mandatoryPointers`` (selective disclosure only) and ``returnProblemDetails``
(problem details are always returned).

The verification result follows VCALM's ``VerificationResult``: ``verified``, ``credential``
(when ``options.returnCredential``), ``problemDetails`` (errors; also as ``errors``, the name
the VC Data Model's verification algorithm and VCALM's error-handling section use),
``warnings`` and ``results`` (``proof``, ``validFrom``, ``validUntil``, ``credentialStatus``).
Each ProblemDetails ``type`` is an absolute URL: the W3C specifications' types where one
applies (see :data:`PROBLEM_TYPES`), else one of ours under the platform's base URL. VCALM
places status and validity problems among the ``warnings``; when the verdict rests on such a
check (by default it does; ``options.checks`` chooses) it is an error as well, so that
``verified`` is false exactly when ``problemDetails`` is not empty. Our plain-words
explanation of every check stays in ``checkResults`` (``checks`` names the checks counted).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from transcaspian.services.verification import (
    Check,
    Outcome,
    PresentationReport,
    VerificationReport,
)

STATUS_ENTRY_TYPES = ("BitstringStatusListEntry", "BitstringStatusList")

# Problem types the specifications define (VC Data Model 2.0 §7.2 "Problem Details", VC Data
# Integrity 1.0 §4.7 "Processing Errors", Bitstring Status List 1.0 §3.5 "Processing Errors",
# VCALM "Error Handling"); their integer codes were removed from VC Data Model 2.0.
VC_DATA_MODEL = "https://www.w3.org/TR/vc-data-model#"
SECURITY = "https://w3id.org/security#"
STATUS_LIST = "https://www.w3.org/ns/credentials/status-list#"
PARSING_ERROR = VC_DATA_MODEL + "PARSING_ERROR"
CRYPTOGRAPHIC_SECURITY_ERROR = VC_DATA_MODEL + "CRYPTOGRAPHIC_SECURITY_ERROR"
MALFORMED_VALUE_ERROR = VC_DATA_MODEL + "MALFORMED_VALUE_ERROR"
RANGE_ERROR = VC_DATA_MODEL + "RANGE_ERROR"
PROOF_VERIFICATION_ERROR = SECURITY + "PROOF_VERIFICATION_ERROR"
INVALID_DOMAIN_ERROR = SECURITY + "INVALID_DOMAIN_ERROR"
INVALID_CHALLENGE_ERROR = SECURITY + "INVALID_CHALLENGE_ERROR"
STATUS_RETRIEVAL_ERROR = STATUS_LIST + "STATUS_RETRIEVAL_ERROR"
STATUS_VERIFICATION_ERROR = STATUS_LIST + "STATUS_VERIFICATION_ERROR"
UNKNOWN_OPTION_PROVIDED = "https://www.w3.org/TR/vcalm#UNKNOWN_OPTION_PROVIDED"

# check name -> (type of a failed check, type when it could not be determined); None: one of
# ours, ``<base URL>/problems/verification-<check>`` (docs/problems.md)
PROBLEM_TYPES: dict[str, tuple[str | None, str | None]] = {
    "dataModel": (MALFORMED_VALUE_ERROR, MALFORMED_VALUE_ERROR),
    "proof": (CRYPTOGRAPHIC_SECURITY_ERROR, CRYPTOGRAPHIC_SECURITY_ERROR),
    "key": (PROOF_VERIFICATION_ERROR, PROOF_VERIFICATION_ERROR),
    "issuer": (PROOF_VERIFICATION_ERROR, PROOF_VERIFICATION_ERROR),
    "holder": (PROOF_VERIFICATION_ERROR, PROOF_VERIFICATION_ERROR),
    "challenge": (INVALID_CHALLENGE_ERROR, INVALID_CHALLENGE_ERROR),
    "domain": (INVALID_DOMAIN_ERROR, INVALID_DOMAIN_ERROR),
    "status": (STATUS_VERIFICATION_ERROR, STATUS_RETRIEVAL_ERROR),
    "supersession": (None, STATUS_RETRIEVAL_ERROR),
    "validity": (None, None),
    "title": (None, None),
    "related-resources": (None, None),
}
# VCALM: "Warnings are ProblemDetails relating to status and validity periods"
WARNING_CHECKS = frozenset({"status", "supersession", "validity"})
_TITLES = {
    "dataModel": "MALFORMED_VALUE_ERROR",
    "proof": "CRYPTOGRAPHIC_SECURITY_ERROR",
}


class _VcApiModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StatusSelector(_VcApiModel):
    """Which status list entry: its type and purpose (``revocation`` or ``suspension``)."""

    type: str = Field(default="BitstringStatusListEntry", examples=["BitstringStatusListEntry"])
    statusPurpose: str = Field(default="revocation", examples=["revocation"])  # noqa: N815


class RequiredStatusSelector(_VcApiModel):
    """The entry to update (VCALM: ``type`` and ``statusPurpose`` are required)."""

    type: str = Field(examples=["BitstringStatusListEntry"])
    statusPurpose: str = Field(examples=["revocation"])  # noqa: N815


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
    mandatoryPointers: list[str] | None = Field(  # noqa: N815
        default=None, description="accepted and ignored: eddsa-rdfc-2022 discloses everything"
    )

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


_CHECKS_DESCRIPTION = (
    "limit the verdict to these checks (proof, issuer, credentialStatus, validity, title); "
    "every check is reported all the same"
)


class VerifyCredentialOptions(_VcApiModel):
    checks: list[str] | None = Field(default=None, description=_CHECKS_DESCRIPTION)
    returnCredential: StrictBool = Field(  # noqa: N815
        default=False, description="return the credential as verified, under `credential`"
    )
    returnResults: StrictBool = Field(  # noqa: N815
        default=True, description="`results` is always returned; false is accepted"
    )
    returnProblemDetails: StrictBool = Field(  # noqa: N815
        default=True, description="problem details are always returned; false is accepted"
    )


class VerifyPresentationOptions(_VcApiModel):
    checks: list[str] | None = Field(default=None, description=_CHECKS_DESCRIPTION)
    challenge: str | None = None
    domain: str | None = None
    expectedProofPurpose: str | None = None  # noqa: N815
    returnPresentation: StrictBool = Field(  # noqa: N815
        default=False, description="return the presentation, under `verifiablePresentation`"
    )
    returnResults: StrictBool = True  # noqa: N815
    returnProblemDetails: StrictBool = True  # noqa: N815


class VerifyCredentialRequest(_VcApiModel):
    verifiableCredential: dict[str, Any]  # noqa: N815
    options: VerifyCredentialOptions = Field(default_factory=VerifyCredentialOptions)


class VerifyPresentationRequest(_VcApiModel):
    verifiablePresentation: dict[str, Any] | None = None  # noqa: N815
    presentation: dict[str, Any] | None = Field(
        default=None, description="an unsigned presentation (the VC API's proofless request)"
    )
    options: VerifyPresentationOptions = Field(default_factory=VerifyPresentationOptions)


class UpdateCredentialStatusRequest(_VcApiModel):
    credentialId: str  # noqa: N815
    credentialStatus: RequiredStatusSelector  # noqa: N815
    status: StrictBool = Field(
        description="true sets the status (revoke, suspend), false clears it"
    )


# -- the verification result ------------------------------------------------------------------
class ProblemDetail(BaseModel):
    """RFC 9457 problem details as VCALM uses them: ``type`` an absolute URL."""

    type: str = Field(examples=[CRYPTOGRAPHIC_SECURITY_ERROR])
    title: str
    detail: str
    check: str = Field(description="which of our checks found it (an extension member)")


class CheckResult(BaseModel):
    check: str
    outcome: str
    explanation: str

    @classmethod
    def from_domain(cls, check: Check) -> CheckResult:
        return cls(check=check.name, outcome=check.outcome.value, explanation=check.explanation)


class StepResult(BaseModel):
    """One entry of VCALM's ``results``: was it verified, and the input it was about."""

    verified: bool
    input: Any


class CredentialResults(BaseModel):
    """VCALM's ``results``: keys are the data model properties that were checked."""

    proof: list[StepResult] = Field(default_factory=list)
    validFrom: StepResult | None = None  # noqa: N815
    validUntil: StepResult | None = None  # noqa: N815
    credentialStatus: list[StepResult] = Field(default_factory=list)  # noqa: N815


class VerificationResult(BaseModel):
    """VCALM's VerificationResult for a credential, plus our ``checks`` and ``checkResults``."""

    verified: bool
    credential: dict[str, Any] | None = None
    problemDetails: list[ProblemDetail]  # noqa: N815
    errors: list[ProblemDetail] = Field(description="the same as problemDetails")
    warnings: list[ProblemDetail]
    results: CredentialResults
    checks: list[str] = Field(description="the checks the verdict rests on")
    checkResults: list[CheckResult] = Field(  # noqa: N815
        description="every check, with its outcome explained in plain words"
    )

    @classmethod
    def from_domain(
        cls,
        report: VerificationReport,
        credential: dict[str, Any],
        *,
        base_url: str,
        return_credential: bool = False,
    ) -> VerificationResult:
        errors, warnings = _problems(report, base_url)
        return cls(
            verified=report.verified,
            credential=credential if return_credential else None,
            problemDetails=errors,
            errors=errors,
            warnings=warnings,
            results=_results(report, credential),
            checks=[
                c.name
                for c in report.checks
                if report.counts(c.name) and c.outcome is not Outcome.NOT_APPLICABLE
            ],
            checkResults=[CheckResult.from_domain(c) for c in report.checks],
        )


class PresentationStepResults(BaseModel):
    proof: list[StepResult] = Field(default_factory=list)
    challenge: StepResult | None = None
    domain: StepResult | None = None
    holder: StepResult | None = None


class PresentationResults(BaseModel):
    presentation: PresentationStepResults
    credentials: list[VerificationResult]


class PresentationVerificationResult(BaseModel):
    """VCALM's VerificationResult for a presentation: its own problems, then ``results``
    with the presentation's steps and one VerificationResult per credential in it."""

    verified: bool
    verifiablePresentation: dict[str, Any] | None = None  # noqa: N815
    problemDetails: list[ProblemDetail]  # noqa: N815
    errors: list[ProblemDetail] = Field(description="the same as problemDetails")
    warnings: list[ProblemDetail]
    results: PresentationResults
    checks: list[str]
    checkResults: list[CheckResult]  # noqa: N815

    @classmethod
    def from_domain(
        cls,
        report: PresentationReport,
        presentation: dict[str, Any],
        *,
        base_url: str,
        return_presentation: bool = False,
    ) -> PresentationVerificationResult:
        own = [
            _problem(c, base_url)
            for c in report.checks
            if c.outcome in {Outcome.FAILED, Outcome.UNKNOWN}
        ]
        items = presentation.get("verifiableCredential")
        items = items if isinstance(items, list) else [] if items is None else [items]
        credentials = [
            VerificationResult.from_domain(
                r,
                items[i] if i < len(items) and isinstance(items[i], dict) else {},
                base_url=base_url,
            )
            for i, r in enumerate(report.credentials)
        ]
        errors = own + [
            e.model_copy(update={"detail": f"verifiableCredential/{index}: {e.detail}"})
            for index, result in enumerate(credentials)
            for e in result.problemDetails
        ]
        warnings = [
            w.model_copy(update={"detail": f"verifiableCredential/{index}: {w.detail}"})
            for index, result in enumerate(credentials)
            for w in result.warnings
        ]
        return cls(
            verified=report.verified,
            verifiablePresentation=presentation if return_presentation else None,
            problemDetails=errors,
            errors=errors,
            warnings=warnings,
            results=PresentationResults(
                presentation=_presentation_steps(report, presentation), credentials=credentials
            ),
            checks=[c.name for c in report.checks if c.outcome is not Outcome.NOT_APPLICABLE],
            checkResults=[CheckResult.from_domain(c) for c in report.checks],
        )


def _problems(
    report: VerificationReport, base_url: str
) -> tuple[list[ProblemDetail], list[ProblemDetail]]:
    errors: list[ProblemDetail] = []
    warnings: list[ProblemDetail] = []
    for check in report.checks:
        if check.outcome not in {Outcome.FAILED, Outcome.UNKNOWN}:
            continue
        problem = _problem(check, base_url)
        if report.counts(check.name):
            errors.append(problem)
        if check.name in WARNING_CHECKS or not report.counts(check.name):
            warnings.append(problem)
    warnings += [
        ProblemDetail(
            type=_ours(base_url, "warning"), title="warning", detail=text, check="warning"
        )
        for text in report.warnings
    ]
    return errors, warnings


def _problem(check: Check, base_url: str) -> ProblemDetail:
    failed, unknown = PROBLEM_TYPES.get(check.name, (None, None))
    chosen = failed if check.outcome is Outcome.FAILED else unknown
    url = chosen or _ours(base_url, check.name)
    title = url.rsplit("#", 1)[1] if "#" in url else check.name
    return ProblemDetail(type=url, title=title, detail=check.explanation, check=check.name)


def _ours(base_url: str, name: str) -> str:
    return f"{base_url.rstrip('/')}/problems/verification-{name}"


def _passed(report: VerificationReport | PresentationReport, name: str) -> bool | None:
    found = next((c for c in report.checks if c.name == name), None)
    return None if found is None else found.outcome in {Outcome.PASSED, Outcome.NOT_APPLICABLE}


def _as_list(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _results(report: VerificationReport, credential: dict[str, Any]) -> CredentialResults:
    proof_ok = bool(_passed(report, "proof")) and _passed(report, "key") is not False
    status_ok = bool(_passed(report, "status"))
    now = report.checked_at

    def period(name: str, legacy: str, *, start: bool) -> StepResult | None:
        # VC 1.1 names the period issuanceDate .. expirationDate
        value = credential.get(name, credential.get(legacy))
        if value is None:
            return None
        moment = _instant(value)
        verified = moment is not None and (
            now is None or (now >= moment if start else now <= moment)
        )
        return StepResult(verified=verified, input=value)

    return CredentialResults(
        proof=[StepResult(verified=proof_ok, input=p) for p in _as_list(credential.get("proof"))],
        validFrom=period("validFrom", "issuanceDate", start=True),
        validUntil=period("validUntil", "expirationDate", start=False),
        credentialStatus=[
            StepResult(verified=status_ok, input=entry)
            for entry in _as_list(credential.get("credentialStatus"))
        ],
    )


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _presentation_steps(
    report: PresentationReport, presentation: dict[str, Any]
) -> PresentationStepResults:
    def step(name: str, value: object) -> StepResult | None:
        passed = _passed(report, name)
        return None if passed is None else StepResult(verified=passed, input=value)

    holder = presentation.get("holder")
    proofs = _as_list(presentation.get("proof"))
    first = proofs[0] if proofs and isinstance(proofs[0], dict) else {}
    return PresentationStepResults(
        proof=[StepResult(verified=bool(_passed(report, "proof")), input=p) for p in proofs],
        challenge=step("challenge", first.get("challenge")),
        domain=step("domain", first.get("domain")),
        holder=step("holder", holder.get("id") if isinstance(holder, dict) else holder),
    )
