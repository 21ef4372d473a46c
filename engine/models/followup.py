"""Following up (issue 15): where instances wait for messages and signals, and resends of access codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class EventWait(Base):
    """Read model: one row per message or signal an instance waits for, kept in step when the instance is saved,
    so delivering a message finds its instances without loading every workflow."""

    __tablename__ = "event_waits"
    __table_args__ = (Index("ix_event_waits_kind_name", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "message" or "signal"
    name: Mapped[str] = mapped_column(String(200))


class CodeResend(Base):
    """One "send me my code again": counted per case reference and per address (the address kept as a hash)."""

    __tablename__ = "code_resends"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)  # "case:<id>" or "to:<sha256 of the address>"
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
