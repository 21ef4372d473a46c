"""Lodging a case (any channel) and the citizen's public view of it."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import instances
from ..bpmn.forms import Field
from ..composition import Batho
from ..effects import local_date
from ..errors import Forbidden, NotFound, ValidationFailed
from ..lodging import Contact, account_key, checked_case, newest_version_in, open_case
from ..lodging import check_contact as check_contact  # suggestions check a slip's contact the same way
from ..models import Case, CaseEvent
from ..models.enums import EventKind
from . import catalog, places
from .lookup import case_in

CHANNELS = ("web", "walk_in", "phone", "counter", "suggestion_box", "api", "ussd", "sms", "whatsapp")


def start_form(app: Batho, process_key: str) -> tuple[Field, ...]:
    """The fields a citizen or agent fills in to start `process_key` (from the diagram's start event)."""
    with app.db.reading() as session:
        return app.specs.get(newest_version_in(session, process_key)).start_form


def lodge(app: Batho, process_key: str, submitted: dict[str, Any], contact: Contact, channel: str,
          actor_id: int | None = None) -> str:
    """Validate the start form, open a case and start its process; return the case reference."""
    with app.db.transaction() as session:
        return lodge_in(app, session, process_key, submitted, contact, channel, actor_id).reference


def lodge_for_citizen(app: Batho, process_key: str, submitted: dict[str, Any], contact: Contact,
                      channel: str) -> tuple[str, str]:
    """`lodge`, returning the reference and the access code the citizen follows the case with."""
    with app.db.transaction() as session:
        case = lodge_in(app, session, process_key, submitted, contact, channel)
        return case.reference, case.access_code or ""


def code_matches(case: Case, code: str | None) -> bool:
    """Whether `code` is the case's access code (constant-time; spaces, dashes and case do not matter)."""
    typed = re.sub(r"[\s-]", "", code or "").upper()
    return bool(typed and case.access_code and hmac.compare_digest(case.access_code.upper(), typed))


def lodge_in(app: Batho, session: Session, process_key: str, submitted: dict[str, Any], contact: Contact,
             channel: str, actor_id: int | None = None) -> Case:
    """`lodge` inside the caller's transaction, for callers that save more with the case (Open311)."""
    if channel not in CHANNELS:
        raise ValidationFailed({"channel": f"Channel must be one of {', '.join(CHANNELS)}."})
    version = newest_version_in(session, process_key)
    place, place_errors = places.place_or_errors(app, submitted)
    try:
        case, values = checked_case(app, version, submitted, contact, place)
    except ValidationFailed as exc:  # every wrong answer named at once, the point's with the form's
        raise ValidationFailed({**exc.errors, **place_errors}, confirm=exc.confirm) from None
    if place_errors:
        raise ValidationFailed(place_errors)
    open_case(app, session, version, case, values, channel, actor_id, instances.start)
    return case


def start_process(app: Batho, key: str, data: dict[str, Any], channel: str = "api",
                  actor_id: int | None = None) -> str:
    """Open a case for `key` with `data` as already-checked process data (staff, scheduler, tests)."""
    with app.db.transaction() as session:
        return start_in(app, session, key, data, channel, actor_id)


def start_in(app: Batho, session: Session, key: str, data: dict[str, Any], channel: str = "api",
             actor_id: int | None = None) -> str:
    """start_process inside the caller's transaction (the scheduler's, which also records the run)."""
    version = newest_version_in(session, key)
    case = Case(summary=str(data.get("description", "")), category=data.get("category"),
                account_number=account_key(data.get("account_number")))
    return open_case(app, session, version, case, data, channel, actor_id, instances.start)


@dataclass(frozen=True)
class PublicUpdate:
    at: datetime
    message: str


@dataclass(frozen=True)
class PublicStatus:
    """What anyone holding the reference may see: no personal information."""

    reference: str
    case_type: str
    category: str | None
    status: str
    status_text: str
    opened_on: str
    expected_by: str | None
    closed_on: str | None
    updates: list[PublicUpdate]
    can_rate: bool


def public_status(app: Batho, reference: str) -> PublicStatus:
    with app.db.reading() as session:
        case = case_in(session, reference)
        if case is None:
            raise NotFound("We could not find a case with that reference. Check it and try again.")
        events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.public.is_(True))
                                 .order_by(CaseEvent.at, CaseEvent.id))
        tz = app.config.timezone
        return PublicStatus(
            reference=case.reference, case_type=case.case_type, category=case.category, status=case.status,
            status_text=catalog.status_sentence(app, case.case_type, case.status, session),
            opened_on=local_date(case.opened_at, tz),
            expected_by=local_date(case.due_at, tz) if case.due_at else None,
            closed_on=local_date(case.closed_at, tz) if case.closed_at else None,
            updates=[PublicUpdate(e.at, e.message or "") for e in events],
            can_rate=case.status in ("responded", "closed") and case.satisfaction_rating is None,
        )


def rate(app: Batho, reference: str, rating: int, comment: str, code: str | None) -> None:
    """The citizen's own rating (1-5) of the response, once the case is closed or responded; needs the access code."""
    if rating not in range(1, 6):
        raise ValidationFailed({"rating": "Choose a rating from 1 (very poor) to 5 (very good)."})
    if len(comment) > 2000:
        raise ValidationFailed({"comment": "Shorten your comment to at most 2000 characters."})
    with app.db.transaction() as session:
        case = case_in(session, reference)
        if case is None:
            raise NotFound("We could not find a case with that reference.")
        if not code_matches(case, code):
            raise Forbidden("Only the person who lodged the case can rate it: use the link we gave you.")
        if case.status not in ("responded", "closed") or case.satisfaction_rating is not None:
            raise ValidationFailed({"rating": "This case cannot be rated now."})
        case.satisfaction_rating = rating
        case.satisfaction_comment = comment.strip() or None
        session.add(CaseEvent(case_id=case.id, kind=EventKind.RATED, at=app.now(), data={"rating": rating},
                              message=comment.strip() or None))
