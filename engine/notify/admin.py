"""The outbox as administrators see it: every message, its state and its last error, recipients masked.

POPIA: an administrator's work here is delivery (did it go, why not), which needs the channel, the state and
the shape of the address, never the whole address; a citizen's message is not shown either, since it carries
the citizen's name and the link with the access code. Staff whose work needs a contact see it on the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..authz import require_admin
from ..models import Notification
from .context import Context
from .privacy import masked, without_recipient

if TYPE_CHECKING:
    from ..authz import Identity

STATUSES = ("pending", "sending", "sent", "logged", "failed", "batch", "batched")
CITIZEN_TEXT_HIDDEN = "A message to a citizen: its text (their name, the link with the access code) is not shown here."
# Messages to staff that quote a citizen's own words (issue 15's "add information"): the words are case data, for the
# staff the message goes to, not for an administrator checking deliveries.
CITIZEN_WORDS_KINDS = ("citizen_note",)
CITIZEN_WORDS_HIDDEN = "A message to staff quoting a citizen's words: its text is not shown here; the case has it."


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


def outbox(app: Context, who: Identity, status: str | None = None, limit: int = 200) -> list[OutboxRow]:
    """The newest messages (of one status, when given); administrators only."""
    require_admin(who, "Only an administrator can read the notification outbox.")
    query = select(Notification).order_by(Notification.id.desc()).limit(limit)
    if status in STATUSES:
        query = query.where(Notification.status == status)
    with app.db.reading() as session:
        return [_row(n) for n in session.scalars(query)]


def _row(n: Notification) -> OutboxRow:
    body = (CITIZEN_TEXT_HIDDEN if n.audience == "citizen"
            else CITIZEN_WORDS_HIDDEN if n.kind in CITIZEN_WORDS_KINDS else n.body)
    error = without_recipient(n.last_error, n.recipient) if n.last_error else None
    to = n.recipient if n.channel == "batch" else masked(n.recipient)  # a batch names a role|department, no one
    return OutboxRow(n.id, n.created_at, n.kind, n.audience, n.channel, to, n.language, n.subject, body, n.status,
                     n.attempts, n.next_attempt_at, error, n.sent_at)
