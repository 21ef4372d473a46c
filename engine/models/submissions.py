"""One-time form tokens and idempotency keys: what a form or API call already made, so a repeat makes nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class FormSubmission(Base):
    """A token sent once with a form (or an API caller's Idempotency-Key) and the case, slip or task it made."""

    __tablename__ = "form_submissions"
    # A key is unique per scope: two API clients may both send "1" as their key.
    __table_args__ = (UniqueConstraint("scope", "token", name="uq_form_submissions_scope_token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(60))
    token: Mapped[str] = mapped_column(String(100))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    slip_id: Mapped[int | None] = mapped_column(ForeignKey("suggestion_slips.id", ondelete="CASCADE"))
    task_id: Mapped[str | None] = mapped_column(String(36))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
