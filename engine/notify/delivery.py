"""The worker's delivery pass: send due outbox messages, retry failures with exponential back-off.

A message is claimed with a lease (status `sending`) in one short transaction, sent, and marked in a
second; a worker that dies mid-send leaves the lease to expire and the message is tried again. The
Message-ID header carries the outbox id, so a mail server can recognise the rare repeat.

Once a citizen's message is delivered its text is not kept (issue 14: it was the outbox's largest column, and
nothing reads it again: administrators never see it, and the case's public updates hold what was said). The row
keeps who it went to, on which channel, when, its subject, template and event, which is what the case's record,
the inbound SMS (which case a number last heard about) and the outbox page read. Staff messages keep their text:
administrators read it on the outbox page. An undelivered or failed message keeps everything, for the retries.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from ..config import NotifySettings
from ..models import Notification
from .batching import batch_new_tasks, queue_digests
from .context import Context
from .privacy import without_recipient
from .senders import Sender, senders_for

log = logging.getLogger("batho.notify")
LEASE = timedelta(minutes=2)
# What a delivered citizen message's text becomes (see above).
DELIVERED_TEXT = "(delivered; the text is not kept)"


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    batched: int = 0
    digests: int = 0
    errors: list[str] = field(default_factory=list)


def _claim(app: Context, skip: set[int]) -> Notification | None:
    with app.db.transaction() as session:
        now = app.now()
        query = (select(Notification)
                 .where(Notification.status.in_(("pending", "sending")), Notification.next_attempt_at <= now)
                 .order_by(Notification.next_attempt_at, Notification.id).limit(1)
                 .with_for_update(skip_locked=True))
        if skip:
            query = query.where(Notification.id.not_in(skip))
        message = session.scalars(query).first()
        if message is None:
            return None
        message.status = "sending"
        message.next_attempt_at = now + LEASE
        session.flush()
        session.expunge(message)
        return message


def _record(app: Context, settings: NotifySettings, message_id: int, status: str | None, error: str | None) -> str:
    """Mark a message delivered (`status`) or failed (`error`); return its new status."""
    with app.db.transaction() as session:
        row = session.get(Notification, message_id, with_for_update=True)
        if row is None:
            return "gone"
        now = app.now()
        if error is None:
            row.status, row.sent_at, row.last_error = status or "sent", now, None
            if row.audience == "citizen":
                row.body = DELIVERED_TEXT
        else:
            row.attempts += 1
            row.last_error = error[:2000]
            if row.attempts >= settings.max_attempts:
                row.status = "failed"
            else:
                row.status = "pending"
                row.next_attempt_at = now + timedelta(seconds=settings.backoff(row.attempts))
        return row.status


def deliver_due(app: Context, settings: NotifySettings | None = None, senders: dict[str, Sender] | None = None,
                limit: int = 500) -> DeliveryReport:
    """One delivery pass: batch new-task notices, queue digests, then send every due message once."""
    settings = settings or app.config.notify
    senders = senders or senders_for(settings, app.config.whatsapp)
    report = DeliveryReport(batched=batch_new_tasks(app, settings), digests=queue_digests(app, settings))
    seen: set[int] = set()
    while len(seen) < limit:
        message = _claim(app, seen)
        if message is None:
            break
        seen.add(message.id)
        sender = senders.get(message.channel)
        try:
            if sender is None:
                raise ValueError(f"no sender for channel {message.channel!r}")
            sender.send(message)
        except Exception as exc:  # any failure of the far side: keep the message and try again later
            error = f"{type(exc).__name__}: {exc}"
            status = _record(app, settings, message.id, None, error)
            log.warning("notification %s (%s, %s) not delivered (%s): %s", message.id, message.channel, message.kind,
                        status, without_recipient(error, message.recipient))
            report.errors.append(error)
            if status == "failed":
                report.failed += 1
            else:
                report.retrying += 1
            continue
        _record(app, settings, message.id, sender.delivered_status, None)
        report.sent += 1
    if report.sent or report.retrying or report.failed:
        log.info("notifications: %d delivered, %d to retry, %d failed", report.sent, report.retrying, report.failed)
    return report
