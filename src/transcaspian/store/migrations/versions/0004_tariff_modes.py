"""Tariffs name the modes a through rate covers (formerly a side file, tariff_modes.csv).

Revision ID: 0004_tariff_modes
Revises: 0001_network
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_tariff_modes"
down_revision: str | Sequence[str] | None = "0001_network"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("network_tariffs") as batch:
        batch.add_column(
            sa.Column("modes", sa.String(length=32), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("network_tariffs") as batch:
        batch.drop_column("modes")
