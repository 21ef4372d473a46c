"""Sign-in throttling (per client address, and per username at an address) and the task list's extra index."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .case import HumanTask


class LoginThrottle(Base):
    """Sign-in attempts counted per key ("pair:<hash of address and username>", "addr:127.0.0.1") within a window.

    An attempt is counted before its password is checked and given back when it succeeds; each lockout of a key
    lasts twice as long as the one before (`lockouts` counts them).
    """

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]
    lockouts: Mapped[int] = mapped_column(default=0)


# Sorting the task list by age ("oldest first") pages through this index instead of sorting every open task.
Index("ix_human_tasks_created_at", HumanTask.created_at)
