"""Following up a case with its access code: add information, say "still not fixed", get the code sent again."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..composition import Batho
from ..errors import Forbidden, NotFound, ValidationFailed
from ..lodging import email_key, phone_key
from ..models import Case, CaseEvent, CodeResend, EventWait, ProcessInstance
from ..models.enums import EventKind, InstanceStatus
from . import messages, photos
from .cases import code_matches
from .lookup import case_in

REOPEN_DAYS = 30  # as the complaint diagram's timer after closure ("P30D")
REOPEN_MESSAGE = "reopen"
MAX_WORDS = 2000
RESENDS_PER_HOUR = 3
NO_CODE = "Only the person who lodged the case can do this: open the status page with your access code."


class TooManyResends(ValidationFailed):
    """The code was sent three times within the hour (for this case or this address)."""


@dataclass(frozen=True)
class FollowUp:
    """What the citizen may do on the status page now."""

    add_information: bool  # open: they may add information (with the code)
    reopen: bool  # closed within 30 days, and its process waits for "still not fixed"
    reopen_expired: bool  # closed, and the time to reopen it has passed: lodge a new case
    reopen_until: datetime | None


def _waits_for_reopen(session: Session, case: Case) -> bool:
    return (session.scalar(select(func.count()).select_from(EventWait)
                          .join(ProcessInstance, ProcessInstance.id == EventWait.instance_id)
                          .where(ProcessInstance.case_id == case.id, ProcessInstance.status == InstanceStatus.RUNNING,
                                 EventWait.kind == messages.MESSAGE, EventWait.name == REOPEN_MESSAGE)) or 0) > 0


def _follow_up(app: Batho, session: Session, case: Case) -> FollowUp:
    if case.closed_at is None:
        return FollowUp(add_information=True, reopen=False, reopen_expired=False, reopen_until=None)
    until = case.closed_at + timedelta(days=REOPEN_DAYS)
    may = app.now() < until and _waits_for_reopen(session, case)
    return FollowUp(add_information=False, reopen=may, reopen_expired=not may, reopen_until=until if may else None)


def follow_up(app: Batho, reference: str) -> FollowUp:
    """What the status page offers for `reference` (the actions themselves check the access code)."""
    with app.db.reading() as session:
        case = case_in(session, reference)
        if case is None:
            raise NotFound("We could not find a case with that reference. Check it and try again.")
        return _follow_up(app, session, case)


def _words(text: str, field: str) -> str:
    words = text.strip()
    if not words:
        raise ValidationFailed({field: "Write what you want to tell us."})
    if len(words) > MAX_WORDS:
        raise ValidationFailed({field: f"Shorten it to at most {MAX_WORDS} characters; you typed {len(words)}."})
    return words


def _case_for_citizen(session: Session, reference: str, code: str | None) -> Case:
    case = case_in(session, reference, lock=True)
    if case is None:
        raise NotFound("We could not find a case with that reference. Check it and try again.")
    if not code_matches(case, code):
        raise Forbidden(NO_CODE)
    return case


def reopen(app: Batho, reference: str, code: str | None, text: str) -> None:
    """"Still not fixed": within 30 days of closure the case's process gets the `reopen` message with the citizen's
    words and takes the case back to its department."""
    words = _words(text, "words")
    with app.db.transaction() as session:
        case = _case_for_citizen(session, reference, code)
        state = _follow_up(app, session, case)
        if case.closed_at is None:
            raise ValidationFailed({"words": "This case is still open: add what you want to tell us instead."})
        if not state.reopen:
            raise ValidationFailed({"words": f"This case was closed more than {REOPEN_DAYS} days ago and can no "
                                             "longer be reopened. Please report the problem as a new case."})
        session.add(CaseEvent(case_id=case.id, kind=EventKind.CITIZEN_NOTE, at=app.now(),
                              title="Still not fixed, says the citizen", message=words, data={"reopen": True}))
        messages.correlate_in(app, session, REOPEN_MESSAGE, case.reference, {}, {"reopen_reason": words}, False,
                              None)


def add_information(app: Batho, reference: str, code: str | None, text: str, files: Sequence[bytes] = ()) -> int:
    """The citizen's note (and photos) on their open case: in the case record, and its holder or department is
    told; the note's event id. A refused photo refuses the whole addition with its sentence."""
    words = text.strip()
    if not words and not files:
        raise ValidationFailed({"information": "Write what you want to tell us, or add a photo."})
    if words:
        words = _words(words, "information")
    checked = photos.check(files)  # before the transaction: cleaning photos takes a while
    if checked.refusal:
        raise ValidationFailed({"photos": checked.refusal})
    with app.db.transaction() as session:
        case = _case_for_citizen(session, reference, code)
        if case.closed_at is not None:
            raise ValidationFailed({"information": "This case is closed. If the problem is not fixed, say so below; "
                                                   "otherwise report it as a new case."})
        try:
            added = [photos.attach(session, case, prepared, source="follow_up", later=True)
                     for prepared in checked.photos]
        except photos.PhotoRefused as exc:
            raise ValidationFailed({"photos": str(exc)}) from None
        event = CaseEvent(case_id=case.id, kind=EventKind.CITIZEN_NOTE, at=app.now(),
                          title="Information added by the citizen", message=words or None,
                          data={"photos": [p.id for p in added]} if added else None)
        session.add(event)
        session.flush()
        return event.id


def _address_key(value: str) -> str:
    return "to:" + hashlib.sha256(value.encode()).hexdigest()[:60]


def _too_many(app: Batho, session: Session, keys: list[str]) -> bool:
    since = app.now() - timedelta(hours=1)
    return any((session.scalar(select(func.count()).select_from(CodeResend)
                               .where(CodeResend.key == key, CodeResend.at >= since)) or 0) >= RESENDS_PER_HOUR
               for key in keys)


def resend_code(app: Batho, reference: str, contact: str) -> bool:
    """Send the access code again to the phone or email on file when `contact` is it (the page says the same either
    way, so it tells nobody whose contact is on file); at most three a hour per case and per address. True when
    sent (for tests and logs, not for the page)."""
    typed = contact.strip()
    if not typed or len(typed) > 200:
        raise ValidationFailed({"contact": "Give the phone number or email address you gave us with the case."})
    by_email, by_phone = email_key(typed) if "@" in typed else None, None if "@" in typed else phone_key(typed)
    with app.db.transaction() as session:
        case = case_in(session, reference, lock=True)
        keys = [_address_key(by_email or by_phone or typed.lower())] + ([f"case:{case.id}"] if case else [])
        # A try counts for an hour only: older rows go, so the table stays small and no hash of a typed number stays.
        session.execute(delete(CodeResend).where(CodeResend.at < app.now() - timedelta(hours=1)))
        if _too_many(app, session, keys):
            raise TooManyResends({"contact": "We have sent this code several times in the last hour. Please wait "
                                               "an hour and try again, or call us."})
        session.add(CodeResend(key=keys[0], at=app.now()))  # every try counts against the address typed
        if case is None:
            return False
        channel = ("email" if by_email and by_email == case.citizen_email_key
                   else "phone" if by_phone and by_phone == case.citizen_phone_key else None)
        if channel is None:
            return False
        # Only a code really sent counts against the case: wrong guesses by someone else must not lock the citizen
        # out of their own code for an hour (the answer is the same either way, so guessing teaches nothing).
        session.add(CodeResend(key=keys[1], at=app.now()))
        session.add(CaseEvent(case_id=case.id, kind=EventKind.CODE_RESENT, at=app.now(),
                              title="Access code sent again", data={"channel": channel}))
        return True
