"""make_engine: which driver a URL gets, and how a bad URL is reported (no connection made)."""

from __future__ import annotations

import pytest

from transcaspian.domain.errors import InvalidValueError
from transcaspian.store.engine import make_engine


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg"])
def test_postgresql_urls_use_psycopg_3(scheme):
    engine = make_engine(f"{scheme}://user:secret@db.example/transcaspian")

    assert engine.dialect.driver == "psycopg"
    engine.dispose()


def test_a_malformed_url_names_the_setting_and_hides_the_password():
    with pytest.raises(InvalidValueError) as caught:
        make_engine("nosuchdb://user:secret@host/db")

    assert caught.value.field == "database_url"
    assert "TRANSCASPIAN_DATABASE_URL" in caught.value.message
    assert "secret" not in caught.value.message


def test_text_that_is_no_url_is_an_invalid_value():
    with pytest.raises(InvalidValueError, match="database_url: 'not a url'"):
        make_engine("not a url")


def test_a_database_whose_driver_is_not_installed_is_an_invalid_value():
    with pytest.raises(InvalidValueError, match="database_url: 'mysql://x' needs the driver"):
        make_engine("mysql://x")
