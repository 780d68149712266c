"""The errors the domain and the services raise; adapters translate them.

::

    DomainError                         base; never raised itself
    ├── InvalidValueError (ValueError)  a value breaks a rule: bad UN/LOCODE, negative mass  -> 422
    ├── NotFoundError (LookupError)     no such id                                            -> 404
    ├── ConflictError                   duplicate id, stale version, concurrent update        -> 409
    │   └── InvalidTransitionError      lifecycle step not allowed: amend a revoked document  -> 409
    ├── NotAuthenticatedError           a token or web session unknown, expired or revoked  -> 401
    ├── PermissionDeniedError           authenticated, but not allowed for this organisation  -> 403
    └── DatasetError (ValueError)       imported data inconsistent or a figure without source -> 422

Every error carries ``message``, ``field`` (a JSON pointer such as ``/legs/2/origin``, or None)
and ``code`` (a stable slug, documented in docs/problems.md).
"""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    """Base of every error the core and the services raise."""

    code = "domain-error"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class InvalidValueError(DomainError, ValueError):
    """A value breaks a rule of the domain."""

    code = "invalid-value"


class NotFoundError(DomainError, LookupError):
    """No object has the given id."""

    code = "not-found"


class ConflictError(DomainError):
    """The request conflicts with what is stored: a duplicate id or a concurrent change."""

    code = "conflict"


class InvalidTransitionError(ConflictError):
    """A lifecycle step that the current state does not allow."""

    code = "invalid-transition"


class NotAuthenticatedError(DomainError):
    """The credential given (API token, web session) is unknown, expired, revoked, or its user
    is deactivated; ``message`` says which."""

    code = "unauthorized"


class PermissionDeniedError(DomainError):
    """The caller is known but may not do this."""

    code = "permission-denied"


@dataclass(frozen=True, slots=True)
class DatasetProblem:
    """One problem found in a dataset file: where it is and what is wrong."""

    file: str
    row: int | None  # 1-based data row (the header is row 0); None for the whole file
    field: str | None
    problem: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.problem}"


class DatasetError(DomainError, ValueError):
    """A dataset that cannot be loaded; ``problems`` lists each one."""

    code = "invalid-dataset"

    def __init__(self, problems: list[DatasetProblem]):
        self.problems = list(problems)
        first = self.problems[0] if self.problems else None
        summary = f"{len(self.problems)} problem(s) in the dataset"
        if first is not None:
            summary += f"; first: {first}"
        super().__init__(summary, field=first.field if first else None)
