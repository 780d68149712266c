"""Scenarios organisations store through the API (their YAML or JSON text), by id.

Revision ID: 0006_stored_scenarios
Revises: 0002_documents (the organisations table), 0003_simulation
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from transcaspian.store.rows.types import UtcDateTime

revision: str = "0006_stored_scenarios"
down_revision: str | Sequence[str] | None = ("0002_documents", "0003_simulation")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "simulation_scenarios",
        sa.Column("organisation", sa.String(length=64), nullable=False),
        sa.Column("scenario_id", sa.String(length=120), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation"],
            ["organisations.slug"],
            name=op.f("fk_simulation_scenarios_organisation_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "organisation", "scenario_id", name=op.f("pk_simulation_scenarios")
        ),
    )


def downgrade() -> None:
    op.drop_table("simulation_scenarios")
