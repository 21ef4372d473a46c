"""The notification outbox: messages written in the transaction that caused them, delivered by the worker."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .case import CaseEvent


class Notification(Base):
    """One message to one recipient on one channel; `status` moves pending -> sent | logged | failed.

    Messages caused by a case event are unique per (event, recipient, channel); others (task batches,
    digests, assignments) carry a unique `dedupe_key`. Either way one cause never makes two messages.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("event_id", "recipient", "channel", name="uq_notifications_event_recipient_channel"),
        # The worker's search for what is due (engine/notify/delivery.py, batching.py): on PostgreSQL only the rows
        # still to send or batch are in it, not every message ever delivered (migration 0023).
        Index("ix_notifications_status_next", "status", "next_attempt_at",
              postgresql_where=text("status IN ('pending', 'sending', 'batch')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    audience: Mapped[str] = mapped_column(String(10))  # citizen | staff
    channel: Mapped[str] = mapped_column(String(10))  # email | sms | batch (a task notice waiting to be batched)
    recipient: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="en")
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("case_events.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    event: Mapped[CaseEvent | None] = relationship()
