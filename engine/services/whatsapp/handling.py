"""The worker's WhatsApp pass: answer each kept message once, in order, with the replies going out by the outbox.

Photos are fetched from the Cloud API and checked before the transaction opens (no network call holds the
database); the conversation's step, the case, its photos, the replies and the message's handled mark then commit
together. A day of silence drops a half-made complaint; message ids are kept a week to recognise Meta's repeats.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import delete, select, update

from ...composition import Batho
from ...models import Notification, WhatsAppConversation, WhatsAppMessage
from ...notify.whatsapp import fetch_media
from ..photos import PhotoRefused, prepare
from .conversation import DRAFT_STEPS, Fetched, Turn, sends
from .messages import Inbound, Reply, inbound_of

log = logging.getLogger("batho.whatsapp")
SILENCE = timedelta(hours=24)
KEEP_IDS = timedelta(days=7)
MAX_ATTEMPTS = 5


def _fetch(app: Batho, media_ids: list[str]) -> Fetched:
    fetched = Fetched()
    for media_id in media_ids:
        try:
            fetched.photos.append(prepare(fetch_media(app.config.whatsapp, media_id).content))
        except (OSError, ValueError, PhotoRefused) as exc:
            log.warning("a WhatsApp photo could not be fetched or read (%s)", type(exc).__name__)
            fetched.failed += 1
    return fetched


def _fresh(app: Batho, conversation: WhatsAppConversation) -> WhatsAppConversation:
    """The conversation after a day of silence: the draft gone, back at the menu, the language kept."""
    if conversation.last_message_at < app.now() - SILENCE:
        conversation.draft = None
        conversation.step = "menu" if conversation.language else "language"
    return conversation


def _outbox(app: Batho, wa_id: str, language: str | None, replies: list[Reply],
            case_id: int | None) -> list[Notification]:
    now = app.now()
    # Due a moment earlier than what the same turn made the process say (its acknowledgement): the answer comes first.
    return [Notification(kind="whatsapp_reply", audience="citizen", channel="whatsapp", recipient=wa_id,
                         language=language or "en", body=reply.text, case_id=case_id, created_at=now,
                         next_attempt_at=now - timedelta(seconds=1),
                         data={"interactive": reply.interactive} if reply.interactive else None)
            for reply in replies]


def _peek(app: Batho, row_id: int) -> tuple[Inbound, WhatsAppConversation | None] | None:
    with app.db.reading() as session:
        row = session.get(WhatsAppMessage, row_id)
        if row is None or row.handled_at is not None:
            return None
        conversation = session.get(WhatsAppConversation, row.wa_id)
        if conversation is not None:
            session.expunge(conversation)
            _fresh(app, conversation)
        return inbound_of(row.payload or {}), conversation


def handle(app: Batho, row_id: int) -> bool:
    """Answer one kept message (False: another worker did, or it was already answered)."""
    peeked = _peek(app, row_id)
    if peeked is None:
        return False
    inbound, before = peeked
    fetched = _fetch(app, list((before.draft or {}).get("photos") or [])) if before and sends(before, inbound) else None
    with app.db.transaction() as session:
        row = session.get(WhatsAppMessage, row_id, with_for_update=True)
        if row is None or row.handled_at is not None:
            return False
        conversation = session.get(WhatsAppConversation, row.wa_id, with_for_update=True)
        if conversation is None:
            conversation = WhatsAppConversation(wa_id=row.wa_id, language=None, step="language", draft=None,
                                                last_message_at=app.now())
            session.add(conversation)
        _fresh(app, conversation)
        turn = Turn(app, session, conversation, fetched)
        replies = turn.answer(inbound)
        conversation.last_message_at = app.now()
        session.add_all(_outbox(app, row.wa_id, conversation.language, replies, turn.case_id))
        row.handled_at, row.payload = app.now(), None  # the citizen's words are on the case now, or were not needed
    return True


def _failed(app: Batho, row_id: int, exc: Exception) -> None:
    log.warning("WhatsApp message %s could not be answered (%s); it is tried again", row_id, type(exc).__name__)
    with app.db.transaction() as session:
        row = session.get(WhatsAppMessage, row_id, with_for_update=True)
        if row is not None:
            row.attempts += 1
            if row.attempts >= MAX_ATTEMPTS:
                log.error("WhatsApp message %s dropped after %d attempts", row_id, row.attempts)
                row.handled_at, row.payload = app.now(), None


def forget(app: Batho) -> None:
    """Drop drafts silent for a day and message ids older than a week."""
    now = app.now()
    with app.db.transaction() as session:
        session.execute(update(WhatsAppConversation)
                        .where(WhatsAppConversation.last_message_at < now - SILENCE,
                               WhatsAppConversation.step.in_(("category", *DRAFT_STEPS)))
                        .values(draft=None, step="menu"))
        session.execute(delete(WhatsAppMessage).where(WhatsAppMessage.handled_at.is_not(None),
                                                      WhatsAppMessage.received_at < now - KEEP_IDS))


def handle_pending(app: Batho, limit: int = 200) -> int:
    """One pass: answer the messages waiting, oldest first; return how many were answered."""
    with app.db.reading() as session:
        ids = list(session.scalars(select(WhatsAppMessage.id).where(WhatsAppMessage.handled_at.is_(None))
                                   .order_by(WhatsAppMessage.id).limit(limit)))
    answered = 0
    for row_id in ids:
        try:
            answered += handle(app, row_id)
        except Exception as exc:  # one message's failure must not stop the others
            _failed(app, row_id, exc)
    if ids:
        forget(app)
    return answered
