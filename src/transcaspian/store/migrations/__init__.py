"""Alembic migrations, shipped inside the package; run them with ``upgrade_to_head``.

Revision ids are fixed per feature (``0001_network``, ``0002_documents``, ``0003_simulation``);
features branch from ``0001_network`` (a feature's later migrations from its own, e.g.
``0005_audit_checkpoints`` from ``0002_documents``), so upgrades go to ``heads`` (every branch).
For autogenerate, run alembic with the alembic.ini at the project root.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

__all__ = ["MIGRATIONS", "alembic_config", "downgrade_to", "upgrade_to_head"]

MIGRATIONS = Path(__file__).parent


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic Config for the packaged migrations; ``engine`` is the database to act on."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade_to_head(engine: Engine, target: str = "heads") -> None:
    """Apply every migration not yet applied (all branches), in one transaction."""
    command.upgrade(alembic_config(engine), target)


def downgrade_to(engine: Engine, target: str) -> None:
    """Undo migrations down to ``target`` (``base`` removes every table)."""
    command.downgrade(alembic_config(engine), target)
