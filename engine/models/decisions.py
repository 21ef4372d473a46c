"""Deployed decisions: each DMN decision's versions, kept apart from the processes that call it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class DecisionVersion(Base):
    """One deployed version of one decision: the DMN file that defines it, as uploaded, and who deployed it."""

    __tablename__ = "decision_versions"
    __table_args__ = (UniqueConstraint("decision_id", "version", name="uq_decision_versions_decision_id_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))  # of the file: an unchanged upload makes no version
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deployed_at: Mapped[datetime] = mapped_column(default=utcnow)
