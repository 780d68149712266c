"""The store turns the database's refusals into domain errors (store/errors.py)."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from transcaspian.domain.errors import ConflictError, InvalidValueError
from transcaspian.store.errors import conflicts_as_domain_errors


class DriverError(Exception):
    def __init__(self, message: str, sqlstate: str | None = None):
        super().__init__(message)
        self.sqlstate = sqlstate


def raise_inside(error: Exception, subject: str = "network") -> None:
    with conflicts_as_domain_errors(subject, field="/legs/0"):
        raise error


def test_a_duplicate_key_is_a_conflict_naming_the_subject_and_the_cause():
    cause = IntegrityError(
        "INSERT ...",
        {},
        DriverError('duplicate key value violates unique constraint "pk_x"\nDETAIL: Key ...'),
    )

    with pytest.raises(ConflictError) as caught:
        raise_inside(cause)

    assert caught.value.message == (
        "network: conflicts with what is stored "
        '(duplicate key value violates unique constraint "pk_x")'
    )
    assert caught.value.field == "/legs/0"
    assert caught.value.__cause__ is cause


@pytest.mark.parametrize(
    "driver_error",
    [DriverError("could not serialize access", "40001"), DriverError("database is locked")],
    ids=["postgresql-serialization-failure", "sqlite-locked"],
)
def test_a_lost_race_is_a_conflict_to_retry(driver_error):
    with pytest.raises(ConflictError, match=r"changed by another transaction.*try again"):
        raise_inside(OperationalError("UPDATE ...", {}, driver_error))


def test_a_value_the_column_cannot_hold_is_an_invalid_value():
    cause = DataError(
        "INSERT ...", {}, DriverError("value too long for type character varying(32)")
    )

    with pytest.raises(InvalidValueError, match="network: a value does not fit the database"):
        raise_inside(cause)


def test_a_database_that_cannot_be_reached_is_not_disguised_as_a_conflict():
    down = OperationalError("SELECT 1", {}, DriverError("connection refused", "08001"))

    with pytest.raises(OperationalError):
        raise_inside(down)
