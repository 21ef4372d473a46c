"""Sign-in throttling (one row per username or client address) and the task list's extra index."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .case import HumanTask


class LoginThrottle(Base):
    """Failed sign-ins counted per key ("user:agent", "addr:127.0.0.1") within a window."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]


# Sorting the task list by age ("oldest first") pages through this index instead of sorting every open task.
Index("ix_human_tasks_created_at", HumanTask.created_at)
