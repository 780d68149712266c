"""Network tables: sources, locations, legs, services, tariffs, capacities, dwell times.

Revision ID: 0001_network
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from transcaspian.store.rows.types import ExactDecimal, UtcDateTime

revision: str = "0001_network"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = 120
CODE = 32


def upgrade() -> None:
    op.create_table(
        "network_versions",
        sa.Column("version_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("loaded_at", UtcDateTime(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.CheckConstraint("version_id = 1", name=op.f("ck_network_versions_single_row")),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_network_versions")),
    )
    op.create_table(
        "network_sources",
        sa.Column("source_id", sa.String(length=ID), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=CODE), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("publisher", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("published", sa.Text(), nullable=False),
        sa.Column("reliability", sa.String(length=CODE), nullable=False),
        sa.Column("reasoning", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_network_sources")),
    )
    op.create_table(
        "network_locations",
        sa.Column("location_id", sa.String(length=CODE), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("un_locode", sa.String(length=5), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=CODE), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("location_id", name=op.f("pk_network_locations")),
    )
    op.create_index(op.f("ix_network_locations_country"), "network_locations", ["country"])
    op.create_table(
        "network_legs",
        sa.Column("leg_id", sa.String(length=ID), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=CODE), nullable=False),
        sa.Column("destination", sa.String(length=CODE), nullable=False),
        sa.Column("mode", sa.String(length=CODE), nullable=False),
        sa.Column("gauge_mm", sa.Integer(), nullable=True),
        sa.Column("distance_km", sa.Float(), nullable=False),
        sa.Column("time_min", sa.Interval(), nullable=False),
        sa.Column("time_p50", sa.Interval(), nullable=False),
        sa.Column("time_p90", sa.Interval(), nullable=False),
        sa.Column("bidirectional", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["origin"],
            ["network_locations.location_id"],
            name=op.f("fk_network_legs_origin_network_locations"),
        ),
        sa.ForeignKeyConstraint(
            ["destination"],
            ["network_locations.location_id"],
            name=op.f("fk_network_legs_destination_network_locations"),
        ),
        sa.PrimaryKeyConstraint("leg_id", name=op.f("pk_network_legs")),
    )
    op.create_index(op.f("ix_network_legs_origin"), "network_legs", ["origin"])
    op.create_index(op.f("ix_network_legs_destination"), "network_legs", ["destination"])
    op.create_table(
        "network_leg_corridors",
        sa.Column("leg_id", sa.String(length=ID), nullable=False),
        sa.Column("corridor", sa.String(length=CODE), nullable=False),
        sa.ForeignKeyConstraint(
            ["leg_id"],
            ["network_legs.leg_id"],
            name=op.f("fk_network_leg_corridors_leg_id_network_legs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("leg_id", "corridor", name=op.f("pk_network_leg_corridors")),
    )
    op.create_index(
        op.f("ix_network_leg_corridors_corridor"), "network_leg_corridors", ["corridor"]
    )
    op.create_table(
        "network_services",
        sa.Column("service_id", sa.String(length=ID), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("operator", sa.Text(), nullable=False),
        sa.Column("mode", sa.String(length=CODE), nullable=False),
        sa.Column("kind", sa.String(length=CODE), nullable=False),
        sa.Column("time_min", sa.Interval(), nullable=False),
        sa.Column("time_p50", sa.Interval(), nullable=False),
        sa.Column("time_p90", sa.Interval(), nullable=False),
        sa.Column("frequency_per_week", sa.Float(), nullable=True),
        sa.Column("cutoff", sa.Interval(), nullable=False),
        sa.Column("capacity_teu", sa.Integer(), nullable=True),
        sa.Column("capacity_railcars", sa.Integer(), nullable=True),
        sa.Column("capacity_trucks", sa.Integer(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("service_id", name=op.f("pk_network_services")),
    )
    op.create_table(
        "network_service_stops",
        sa.Column("service_id", sa.String(length=ID), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.String(length=CODE), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["network_services.service_id"],
            name=op.f("fk_network_service_stops_service_id_network_services"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["network_locations.location_id"],
            name=op.f("fk_network_service_stops_location_id_network_locations"),
        ),
        sa.PrimaryKeyConstraint("service_id", "position", name=op.f("pk_network_service_stops")),
    )
    op.create_index(
        op.f("ix_network_service_stops_location_id"), "network_service_stops", ["location_id"]
    )
    op.create_table(
        "network_departures",
        sa.Column("service_id", sa.String(length=ID), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("departs_utc", sa.Time(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["network_services.service_id"],
            name=op.f("fk_network_departures_service_id_network_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", "position", name=op.f("pk_network_departures")),
    )
    op.create_table(
        "network_tariffs",
        sa.Column("tariff_id", sa.String(length=ID), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=CODE), nullable=False),
        sa.Column("scope_ref", sa.String(length=2 * ID + 1), nullable=False),
        sa.Column("unit", sa.String(length=CODE), nullable=False),
        sa.Column("amount", ExactDecimal(), nullable=False),
        sa.Column("amount_high", ExactDecimal(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("valid_on", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("tariff_id", name=op.f("pk_network_tariffs")),
    )
    op.create_index(op.f("ix_network_tariffs_scope_ref"), "network_tariffs", ["scope_ref"])
    op.create_table(
        "network_capacities",
        sa.Column("capacity_id", sa.String(length=ID), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=ID), nullable=False),
        sa.Column("measure", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=CODE), nullable=False),
        sa.Column("year", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("capacity_id", name=op.f("pk_network_capacities")),
    )
    op.create_index(op.f("ix_network_capacities_subject"), "network_capacities", ["subject"])
    op.create_table(
        "network_dwell_times",
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("location_id", sa.String(length=CODE), nullable=False),
        sa.Column("activity", sa.String(length=CODE), nullable=False),
        sa.Column("mode", sa.String(length=CODE), nullable=True),
        sa.Column("time_min", sa.Interval(), nullable=False),
        sa.Column("time_p50", sa.Interval(), nullable=False),
        sa.Column("time_p90", sa.Interval(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["network_locations.location_id"],
            name=op.f("fk_network_dwell_times_location_id_network_locations"),
        ),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_network_dwell_times")),
    )
    op.create_index(
        op.f("ix_network_dwell_times_location_id"), "network_dwell_times", ["location_id"]
    )
    op.create_table(
        "network_source_refs",
        sa.Column("subject_kind", sa.String(length=CODE), nullable=False),
        sa.Column("subject_id", sa.String(length=ID), nullable=False),
        sa.Column("role", sa.String(length=CODE), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(length=ID), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["network_sources.source_id"],
            name=op.f("fk_network_source_refs_source_id_network_sources"),
        ),
        sa.PrimaryKeyConstraint(
            "subject_kind", "subject_id", "role", "position", name=op.f("pk_network_source_refs")
        ),
    )
    op.create_index(op.f("ix_network_source_refs_source_id"), "network_source_refs", ["source_id"])
    op.create_table(
        "network_extra_rows",
        sa.Column("table_name", sa.String(length=ID), nullable=False),
        sa.Column("row_number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_number", name=op.f("pk_network_extra_rows")),
    )


def downgrade() -> None:
    # Children before parents; dropping a table drops its indexes.
    for table in (
        "network_extra_rows",
        "network_source_refs",
        "network_dwell_times",
        "network_capacities",
        "network_tariffs",
        "network_departures",
        "network_service_stops",
        "network_services",
        "network_leg_corridors",
        "network_legs",
        "network_locations",
        "network_sources",
        "network_versions",
    ):
        op.drop_table(table)
