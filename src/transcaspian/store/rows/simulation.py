"""Rows of the capacity simulation: runs (status, progress, where the Parquet files are), their
summaries (means with 95 % intervals), comparable across scenarios, and the scenarios
organisations stored through the API (their YAML or JSON text as sent)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from transcaspian.store.rows.base import Base
from transcaspian.store.rows.types import UtcDateTime

RUN_ID = 32
NAME = 120
SLUG = 64  # an organisation's slug, as in rows.documents
USER_ID = 64


class SimulationRunRow(Base):
    __tablename__ = "simulation_runs"

    run_id: Mapped[str] = mapped_column(String(RUN_ID), primary_key=True)
    scenario_id: Mapped[str] = mapped_column(String(NAME), index=True)
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    replications: Mapped[int] = mapped_column(Integer)
    years: Mapped[list[int]] = mapped_column(JSON)
    seed: Mapped[int] = mapped_column(Integer)
    scheduler: Mapped[str] = mapped_column(Text)
    workers: Mapped[int] = mapped_column(Integer)
    events: Mapped[int] = mapped_column(Integer)
    progress_done: Mapped[int] = mapped_column(Integer)
    progress_total: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    error: Mapped[str] = mapped_column(Text)
    results_path: Mapped[str] = mapped_column(Text)
    dataset_digest: Mapped[str] = mapped_column(String(64))


class SimulationSummaryRow(Base):
    __tablename__ = "simulation_summaries"

    run_id: Mapped[str] = mapped_column(
        String(RUN_ID), ForeignKey("simulation_runs.run_id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(16), primary_key=True)
    subject: Mapped[str] = mapped_column(String(NAME * 2), primary_key=True)
    metric: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    ci95: Mapped[float] = mapped_column(Float)


class StoredScenarioRow(Base):
    __tablename__ = "simulation_scenarios"

    organisation: Mapped[str] = mapped_column(
        String(SLUG), ForeignKey("organisations.slug", ondelete="CASCADE"), primary_key=True
    )
    scenario_id: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(USER_ID))
