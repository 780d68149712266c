"""Turn the database's refusals into domain errors, chained with ``from``.

- IntegrityError (duplicate key, missing referenced row) -> ConflictError
- a lost race (PostgreSQL deadlock, serialisation failure, lock timeout; SQLite "database is
  locked") -> ConflictError: another transaction changed the same rows
- DataError (a value the column cannot hold: too long, a NUL character) -> InvalidValueError
Everything else (the database is down, a bug in a statement) propagates unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError

from transcaspian.domain.errors import ConflictError, InvalidValueError

__all__ = ["conflicts_as_domain_errors"]

# SQLSTATEs of a transaction that lost a race: serialization_failure, deadlock_detected,
# lock_not_available
_RACE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


@contextmanager
def conflicts_as_domain_errors(subject: str, field: str | None = None) -> Iterator[None]:
    """Run the block; a refused write becomes a DomainError naming ``subject`` and the cause."""
    try:
        yield
    except IntegrityError as error:
        raise ConflictError(
            f"{subject}: conflicts with what is stored ({_reason(error)})", field=field
        ) from error
    except DataError as error:
        raise InvalidValueError(
            f"{subject}: a value does not fit the database ({_reason(error)})", field=field
        ) from error
    except OperationalError as error:
        if not _is_race(error):
            raise
        raise ConflictError(
            f"{subject}: changed by another transaction at the same time; try again "
            f"({_reason(error)})",
            field=field,
        ) from error


def _is_race(error: DBAPIError) -> bool:
    sqlstate = getattr(error.orig, "sqlstate", None)
    return sqlstate in _RACE_SQLSTATES or "database is locked" in str(error.orig)


def _reason(error: DBAPIError) -> str:
    """The driver's message, first line only (PostgreSQL adds DETAIL lines)."""
    return str(error.orig).strip().splitlines()[0]
