"""Alembic migrations: they build exactly the tables the models describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from transcaspian.bootstrap import upgrade_database
from transcaspian.settings import Settings
from transcaspian.store.engine import make_engine
from transcaspian.store.migrations import alembic_config, downgrade_to, upgrade_to_head
from transcaspian.store.rows import load_all


def test_the_models_match_the_migrations(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        drift = compare_metadata(context, load_all())

    assert drift == []


def test_every_branch_grows_from_the_network_migration():
    scripts = ScriptDirectory.from_config(alembic_config())

    assert scripts.get_bases() == ["0001_network"]
    for head in scripts.get_heads():
        lineage = [r.revision for r in scripts.iterate_revisions(head, "base")]
        assert lineage[-1] == "0001_network", head


def test_the_upgrade_reaches_every_head(engine):
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())

    with engine.connect() as connection:
        applied = set(MigrationContext.configure(connection).get_current_heads())

    assert applied == heads


def test_downgrading_to_base_drops_every_table_and_upgrading_rebuilds_them(engine):
    tables = set(load_all().tables)

    downgrade_to(engine, "base")
    after_downgrade = set(inspect(engine).get_table_names()) - {"alembic_version"}
    upgrade_to_head(engine)

    assert after_downgrade == set()
    assert tables <= set(inspect(engine).get_table_names())


def test_upgrading_an_up_to_date_database_changes_nothing(engine):
    before = set(inspect(engine).get_table_names())

    upgrade_to_head(engine)

    assert set(inspect(engine).get_table_names()) == before


def test_db_upgrade_builds_the_schema_the_settings_point_at(database_url):
    upgrade_database(Settings(database_url=database_url))

    engine = make_engine(database_url)
    try:
        assert "network_locations" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
