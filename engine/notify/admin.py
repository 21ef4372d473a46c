"""The outbox as administrators see it: every message, its state and its last error."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..errors import Forbidden
from ..models import Notification

if TYPE_CHECKING:
    from ..composition import Batho
    from ..services.identity import Identity

STATUSES = ("pending", "sending", "sent", "logged", "failed", "batch", "batched")


@dataclass(frozen=True)
class OutboxRow:
    id: int
    created_at: datetime
    kind: str
    audience: str
    channel: str
    recipient: str
    language: str
    subject: str
    body: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    sent_at: datetime | None


def outbox(app: Batho, who: Identity, status: str | None = None, limit: int = 200) -> list[OutboxRow]:
    """The newest messages (of one status, when given); administrators only."""
    if "admin" not in who.roles:
        raise Forbidden("Only an administrator can read the notification outbox.")
    query = select(Notification).order_by(Notification.id.desc()).limit(limit)
    if status in STATUSES:
        query = query.where(Notification.status == status)
    with app.db.reading() as session:
        return [OutboxRow(n.id, n.created_at, n.kind, n.audience, n.channel, n.recipient, n.language, n.subject,
                          n.body, n.status, n.attempts, n.next_attempt_at, n.last_error, n.sent_at)
                for n in session.scalars(query)]
