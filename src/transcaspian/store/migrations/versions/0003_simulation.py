"""Simulation tables: runs and their summaries.

Revision ID: 0003_simulation
Revises: 0001_network
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from transcaspian.store.rows.types import UtcDateTime

revision: str = "0003_simulation"
down_revision: str | Sequence[str] | None = "0001_network"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "simulation_runs",
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("scenario_id", sa.String(length=120), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("replications", sa.Integer(), nullable=False),
        sa.Column("years", sa.JSON(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("scheduler", sa.Text(), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("progress_done", sa.Integer(), nullable=False),
        sa.Column("progress_total", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=True),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("results_path", sa.Text(), nullable=False),
        sa.Column("dataset_digest", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_simulation_runs")),
    )
    op.create_index(
        op.f("ix_simulation_runs_scenario_id"), "simulation_runs", ["scenario_id"], unique=False
    )
    op.create_table(
        "simulation_summaries",
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=240), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("ci95", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["simulation_runs.run_id"],
            name=op.f("fk_simulation_summaries_run_id_simulation_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "run_id", "year", "category", "subject", "metric", name=op.f("pk_simulation_summaries")
        ),
    )


def downgrade() -> None:
    op.drop_table("simulation_summaries")
    op.drop_index(op.f("ix_simulation_runs_scenario_id"), table_name="simulation_runs")
    op.drop_table("simulation_runs")
