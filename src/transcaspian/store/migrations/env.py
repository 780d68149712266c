"""Alembic environment: runs migrations on the engine handed over by ``upgrade_to_head``.

Run by the ``alembic`` command (autogenerate), it reads TRANSCASPIAN_DATABASE_URL through the
settings instead. SQLite gets batch mode so later migrations can alter its tables.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Engine

from transcaspian.store.engine import make_engine
from transcaspian.store.rows import load_all, types

config = context.config
target_metadata = load_all()


def _engine() -> Engine:
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine  # type: ignore[no-any-return]
    from transcaspian.settings import get_settings

    return make_engine(get_settings().database_url)


def render_item(kind: str, item: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render our column types (store/rows/types.py) by name, importing them in the migration."""
    if kind == "type" and type(item).__module__ == types.__name__:
        name = type(item).__name__
        autogen_context.imports.add(f"from {types.__name__} import {name}")
        return f"{name}()"
    return False


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        from transcaspian.settings import get_settings

        url = get_settings().database_url
    context.configure(
        url=url, target_metadata=target_metadata, literal_binds=True, render_item=render_item
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
