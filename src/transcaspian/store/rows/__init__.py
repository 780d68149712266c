"""Declarative ORM rows, one module per feature; ``base`` holds the one ``Base``.

``load_all()`` imports every row module so that ``Base.metadata`` knows every table: Alembic's
autogenerate and the drift test call it, so a new feature module needs no registration here.
"""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import MetaData

from transcaspian.store.rows.base import Base

__all__ = ["Base", "load_all"]


def load_all() -> MetaData:
    """Import every module of this package and return the metadata holding all their tables."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return Base.metadata
