"""audit log checkpoints: the platform's signing keys and its signed notes of the log's head

Revision ID: 0005_audit_checkpoints
Revises: 0002_documents
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from transcaspian.store.rows.types import UtcDateTime

revision: str = "0005_audit_checkpoints"
down_revision: str | Sequence[str] | None = "0002_documents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "platform_keys",
        sa.Column("key_id", sa.String(length=128), nullable=False),
        sa.Column("public_key_multibase", sa.String(length=128), nullable=False),
        sa.Column("sealed_private_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("retired_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_platform_keys")),
    )
    op.create_table(
        "audit_checkpoints",
        sa.Column("size", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key_id", sa.String(length=128), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_id"],
            ["platform_keys.key_id"],
            name=op.f("fk_audit_checkpoints_key_id_platform_keys"),
        ),
        sa.PrimaryKeyConstraint("size", name=op.f("pk_audit_checkpoints")),
    )
    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_checkpoints_key_id"), ["key_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_checkpoints_key_id"))

    op.drop_table("audit_checkpoints")
    op.drop_table("platform_keys")
