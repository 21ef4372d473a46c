"""Two-way SMS: a citizen's text asks where a case stands, and the answer goes back by SMS through the outbox.

`STATUS MAF-2026-000123` (any case, with or without the access code after it), a bare reference, or any other
reply from a number we sent an update to (its last case). Every inbound message makes exactly one answer, whose
`dedupe_key` is the gateway's message id: a gateway delivering the same message twice is answered once.
POPIA: without the access code, only the phone number on file for the case hears its status, and then only the
status sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..composition import Batho
from ..errors import NotFound
from ..lodging import LANGUAGES, phone_key
from ..models import Case, Notification
from .cases import code_matches
from .lookup import case_in
from .phone_words import say
from .status_line import status_line

SMS = 160
STATUS = re.compile(r"^STATUS\b\W*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
REFERENCE = re.compile(r"^(?:(?P<prefix>[A-Z]{2,6})\W*)?(?P<year>\d{4})\W*(?P<number>\d{1,6})"
                       r"(?:\W+(?P<code>[A-Z0-9 -]{6,30}))?$")


@dataclass(frozen=True)
class Answer:
    body: str
    language: str
    kind: str
    case_id: int | None = None


def _dedupe_key(message_id: str) -> str:
    return f"sms-in:{message_id}"[:200]


def _told_about(session: Session, key: str | None) -> Case | None:
    """The last case this number was sent an SMS about (an update, or an earlier answer)."""
    if not key:
        return None
    return session.scalars(select(Case).join(Notification, Notification.case_id == Case.id)
                           .where(Notification.channel == "sms", Notification.audience == "citizen",
                                  Case.citizen_phone_key == key)
                           .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(1)).first()


def _language(case: Case | None) -> str:
    return case.citizen_language if case and case.citizen_language in LANGUAGES else "en"


def _about(app: Batho, session: Session, reference: str, code: str | None, key: str | None,
           fallback: str) -> Answer:
    case = case_in(session, reference)
    if case is None:
        return Answer(say(fallback, "sms_not_found", reference=reference), fallback, "sms_help")
    language = _language(case)
    given = code if code and code_matches(case, code) else None
    if given is None and (not key or case.citizen_phone_key != key):
        return Answer(say(language, "sms_not_yours", reference=case.reference), language, "sms_help")
    try:
        body = status_line(app, language, case.reference, given, SMS)
    except NotFound:  # erased since it was read
        return Answer(say(fallback, "sms_not_found", reference=reference), fallback, "sms_help")
    return Answer(body, language, "status_reply", case.id)


def answer_to(app: Batho, sender: str, text: str) -> Answer:
    """What to send back to `sender` for `text`."""
    key = phone_key(sender)
    words = " ".join(text.split())
    status = STATUS.match(words)
    asked = (status.group("rest") if status else words).strip().upper()
    with app.db.reading() as session:
        last = _told_about(session, key)
        fallback = _language(last)
        found = REFERENCE.match(asked)
        if found:
            reference = f"{found['prefix'] or app.config.reference_prefix}-{found['year']}-{int(found['number']):06d}"
            return _about(app, session, reference, found["code"], key, fallback)
        if last is not None and not (status and asked):  # "STATUS" alone, or a plain reply to an update
            return _about(app, session, last.reference, None, key, fallback)
    return Answer(say(fallback, "sms_help"), fallback, "sms_help")


def receive(app: Batho, message_id: str, sender: str, text: str) -> bool:
    """Answer one inbound SMS through the outbox; False when this gateway message id was answered before."""
    key = _dedupe_key(message_id)
    with app.db.reading() as session:
        if session.scalars(select(Notification.id).where(Notification.dedupe_key == key)).first() is not None:
            return False
    reply = answer_to(app, sender, text[:1000])
    now = app.now()
    try:
        with app.db.transaction() as session:
            session.add(Notification(kind=reply.kind, audience="citizen", channel="sms", recipient=sender[:200],
                                     language=reply.language, subject="", body=reply.body, case_id=reply.case_id,
                                     dedupe_key=key, created_at=now, next_attempt_at=now,
                                     data={"inbound": message_id[:100]}))
    except IntegrityError:  # the same message delivered twice at once: the other delivery answered it
        return False
    return True
