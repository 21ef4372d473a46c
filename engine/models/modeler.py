"""What process owners keep while they edit: drafts, and what each deployed version changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class ProcessDraft(Base):
    """BPMN and DMN files saved from the modeler without being deployed."""

    __tablename__ = "process_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    process_key: Mapped[str | None] = mapped_column(String(100), index=True)
    files: Mapped[dict[str, str]] = mapped_column(JSON)
    # What the owner says changed and why; deployed with the draft into the version's change record.
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    based_on_version_id: Mapped[int | None] = mapped_column(ForeignKey("process_versions.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class VersionChange(Base):
    """A deployed version's changes against the one before it (from the spec diff in engine/bpmn/diffs.py)."""

    __tablename__ = "process_version_changes"

    version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id", ondelete="CASCADE"), primary_key=True)
    previous_version_id: Mapped[int | None] = mapped_column(ForeignKey("process_versions.id", ondelete="SET NULL"))
    restored_from_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("process_versions.id", ondelete="SET NULL"))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
