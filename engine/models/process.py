"""Deployed process versions and the running instances of them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Dialect, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from .base import Base, utcnow


class ProcessVersion(Base):
    """One deployed version of one process: its diagram, its decision tables and who deployed it."""

    __tablename__ = "process_versions"
    __table_args__ = (UniqueConstraint("key", "version", name="uq_process_versions_key_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    bpmn_files: Mapped[dict[str, str]] = mapped_column(JSON)
    dmn_files: Mapped[dict[str, str]] = mapped_column(JSON)
    # Camunda Forms (.form JSON) the diagram shows, deployed with it (engine/bpmn/camunda_forms.py)
    form_files: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deployed_at: Mapped[datetime] = mapped_column(default=utcnow)


class StateBytes(TypeDecorator[bytes]):
    """A binary column (`bytea`, `BLOB`) that also takes text: a plain JSON state written as a string (bulk fills of
    the benchmarks and tests write "{}") is stored as its UTF-8 bytes, which the codec reads as plain JSON."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        return value.encode() if isinstance(value, str) else value


class ProcessInstance(Base):
    """A running or finished process; `state` is the serializer's JSON minus the spec, zlib-compressed bytes
    (engine/bpmn/state.py)."""

    __tablename__ = "process_instances"
    __table_args__ = (Index("ix_process_instances_due_timer", "status", "next_timer_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="running")
    state: Mapped[bytes] = mapped_column(StateBytes)
    serializer_version: Mapped[str] = mapped_column(String(10))
    lock_version: Mapped[int] = mapped_column(default=1)
    next_timer_at: Mapped[datetime | None]
    error_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]

    version: Mapped[ProcessVersion] = relationship(lazy="joined")

    # Optimistic concurrency: every UPDATE checks and bumps lock_version.
    __mapper_args__ = {"version_id_col": lock_version}
