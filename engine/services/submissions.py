"""Forms and API calls sent twice make one case: a one-time token (or Idempotency-Key) kept with what it made.

A repeat (the back button, a double click, a retry after a time-out) finds the token and answers with what the
first sending made. Two sendings at once are one: SQLite lets one writer in at a time, and on PostgreSQL the
second insert of the same (scope, token) waits for the first transaction and then fails, so it reads the first's.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..authz import Identity
from ..composition import Batho
from ..errors import ValidationFailed
from ..lodging import Contact
from ..models import Case, FormSubmission
from . import cases, photos, starting, suggestions

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
KEY = re.compile(r"^[\x21-\x7e]{1,100}$")  # printable ASCII, no spaces: what RFC drafts and clients send
LODGE, SLIP, TASK = "lodge", "slip", "task"
T = TypeVar("T")


def new_token() -> str:
    """A random id for the hidden field of one form as it is shown."""
    return secrets.token_urlsafe(18)


def form_token(raw: str | None) -> str | None:
    """The token a form sent back, or None when it sent none (an old page) or something we never made."""
    text = (raw or "").strip()
    return text if TOKEN.match(text) else None


def idempotency_key(raw: str | None) -> str | None:
    """An API caller's Idempotency-Key header, or None when absent; a malformed one is refused with a sentence."""
    if raw is None or raw == "":
        return None
    if not KEY.match(raw):
        raise ValidationFailed({"Idempotency-Key": "Idempotency-Key must be 1 to 100 printable characters without "
                                                   "spaces, for example a UUID."})
    return raw


def earlier_in(session: Session, scope: str, token: str | None) -> FormSubmission | None:
    """What an earlier sending with this token made, or None."""
    if token is None:
        return None
    return session.scalars(select(FormSubmission).where(FormSubmission.scope == scope,
                                                        FormSubmission.token == token)).first()


def claim_in(app: Batho, session: Session, scope: str, token: str | None,
             actor_id: int | None = None) -> FormSubmission | None:
    """Take the token for this sending; a second sending at once waits here (PostgreSQL) or before (SQLite)."""
    if token is None:
        return None
    row = FormSubmission(scope=scope, token=token, actor_id=actor_id, created_at=app.now())
    session.add(row)
    session.flush()
    return row


def once(app: Batho, scope: str, token: str | None, make: Callable[[Session, FormSubmission | None], T],
         again: Callable[[Session, FormSubmission], T], actor_id: int | None = None) -> tuple[T, bool]:
    """`make` in one transaction with the token taken, or `again` with what the first sending made; and whether
    this was a repeat."""
    try:
        with app.db.transaction() as session:
            earlier = earlier_in(session, scope, token)
            if earlier is not None:
                return again(session, earlier), True
            return make(session, claim_in(app, session, scope, token, actor_id)), False
    except IntegrityError:  # the same token committed a moment ago by a sending that ran at the same time
        with app.db.reading() as session:
            earlier = earlier_in(session, scope, token)
            if earlier is None:
                raise
            return again(session, earlier), True


@dataclass(frozen=True)
class Lodged:
    """The case a citizen's form made (the first time, or the time before)."""

    reference: str
    access_code: str
    repeated: bool


def lodge_for_citizen(app: Batho, token: str | None, process_key: str, submitted: dict[str, Any],
                      contact: Contact, channel: str, files: Sequence[bytes] = ()) -> Lodged:
    """`cases.lodge_for_citizen` once per form token, with the photos sent (`files`, at most three): a repeat gives
    the case the first sending made."""
    checked = photos.check(files)  # the image work before the transaction, which holds SQLite's write lock

    def make(session: Session, claim: FormSubmission | None) -> tuple[str, str]:
        case = photos.lodged_with(session, checked, lambda: cases.lodge_in(app, session, process_key,
                                                                             dict(submitted), contact, channel),
                                  source=channel)
        if claim is not None:
            claim.case_id = case.id
        return case.reference, case.access_code or ""

    def again(session: Session, earlier: FormSubmission) -> tuple[str, str]:
        case = session.get(Case, earlier.case_id) if earlier.case_id else None
        if case is None:  # the case is gone (erased): nothing to show, so lodge afresh would surprise; say so
            raise ValidationFailed({"form": "This form was already sent. Open the form again to send a new one."})
        return case.reference, case.access_code or ""

    (reference, code), repeated = once(app, f"{LODGE}:{process_key}", token, make, again)
    return Lodged(reference, code, repeated)


def lodge_as(app: Batho, who: Identity, key: str | None, process_key: str, submitted: dict[str, Any],
             contact: Contact, channel: str) -> tuple[str, bool]:
    """`starting.lodge_as` once per Idempotency-Key (the caller's own): the case reference, and whether a repeat."""

    def make(session: Session, claim: FormSubmission | None) -> str:
        case = starting.lodge_as_in(app, session, who, process_key, submitted, contact, channel)
        if claim is not None:
            claim.case_id = case.id
        return case.reference

    def again(session: Session, earlier: FormSubmission) -> str:
        case = session.get(Case, earlier.case_id) if earlier.case_id else None
        return case.reference if case else ""

    return once(app, f"api:{who.id}", key, make, again, who.id)


def drop_slip(app: Batho, token: str | None, submitted: dict[str, Any], contact: Contact, channel: str,
              who: Identity | None = None) -> tuple[int, bool]:
    """`suggestions.drop_slip` once per form token: the slip's number, and whether this was a repeat."""

    def make(session: Session, claim: FormSubmission | None) -> int:
        number = suggestions.drop_slip_in(app, session, submitted, contact, channel, who)
        if claim is not None:
            claim.slip_id = number
        return number

    def again(session: Session, earlier: FormSubmission) -> int:
        return earlier.slip_id or 0

    return once(app, f"{SLIP}:{channel}", token, make, again, who.id if who else None)
