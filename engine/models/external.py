"""External tasks: the service and send tasks integration workers fetch, lock and complete (issue 16)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime


class ExternalTaskRow(Base):
    """Read model and lock: one row per external task an instance waits for, kept in step when the instance is
    saved; the worker's lock, its retries and its last failure live here, not in the workflow."""

    __tablename__ = "external_tasks"
    __table_args__ = (Index("ix_external_tasks_topic_locked_until", "topic", "locked_until"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the workflow's task id
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id", ondelete="CASCADE"), index=True)
    process_key: Mapped[str] = mapped_column(String(200))
    element: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(200))
    worker_id: Mapped[str | None] = mapped_column(String(200))
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())  # also: not again before (a retry's wait)
    retries: Mapped[int | None] = mapped_column(Integer)  # None until the first failure, as in Camunda
    error_message: Mapped[str | None] = mapped_column(String(4000))
    error_details: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
