"""Lodging a case (any channel) and the citizen's public view of it."""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from .. import instances
from ..bpmn.forms import Field, validate
from ..composition import Batho
from ..effects import local_date
from ..errors import Forbidden, NotFound, ValidationFailed
from ..models import Case, CaseEvent, ProcessVersion, ReferenceCounter
from . import catalog
from .deployment import latest_version

# Read out over the phone and typed on small keyboards: no 0/O, 1/I/L look-alikes (about 50 bits in 10 characters).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CHANNELS = ("web", "walk_in", "phone", "suggestion_box", "api")
LANGUAGES = ("en", "st", "af")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
PHONE = re.compile(r"^\+?[0-9 ()-]{9,20}$")

@dataclass(frozen=True)
class Contact:
    """The citizen's optional contact details (kept on the case, never in process data)."""

    name: str = ""
    email: str = ""
    phone: str = ""
    language: str = "en"


def check_contact(contact: Contact, required: bool) -> dict[str, str]:
    """Sentences for wrong contact details."""
    errors = {}
    if contact.email and not EMAIL.match(contact.email.strip()):
        errors["email"] = "Email: enter an address like name@example.co.za."
    if contact.phone and not PHONE.match(contact.phone.strip()):
        errors["phone"] = "Phone: enter a number like 058 813 9700."
    if len(contact.name) > 200:
        errors["name"] = "Name: shorten this to at most 200 characters."
    if contact.language not in LANGUAGES:
        errors["language"] = "Language: choose English, Sesotho or Afrikaans."
    if required and not (contact.email.strip() or contact.phone.strip()):
        errors["email"] = "Give an email address or a phone number so that we can answer you."
    return errors


def next_reference(app: Batho, session: Session) -> str:
    """MAF-2026-000123: a per-year counter, safe with several writers."""
    year = app.now().year
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(ReferenceCounter).values(year=year, last=0).on_conflict_do_nothing())
    counter = session.scalars(select(ReferenceCounter).where(ReferenceCounter.year == year)
                              .with_for_update()).one()
    counter.last += 1
    return f"{app.config.reference_prefix}-{year}-{counter.last:06d}"


def start_form(app: Batho, process_key: str) -> tuple[Field, ...]:
    """The fields a citizen or agent fills in to start `process_key` (from the diagram's start event)."""
    with app.db.reading() as session:
        version = latest_version(session, process_key)
        if version is None:
            raise NotFound(f"No process called {process_key!r} is deployed.")
        return app.specs.get(version).start_form


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
    version = latest_version(session, process_key)
    if version is None:
        raise NotFound(f"No process called {process_key!r} is deployed.")
    case, values = _checked_case(app, version, submitted, contact)
    _open(app, session, version, case, values, channel, actor_id)
    return case


def _checked_case(app: Batho, version: ProcessVersion, submitted: dict[str, Any],
                  contact: Contact) -> tuple[Case, dict[str, Any]]:
    """The start form and contact checked (every wrong field named), as a new unsaved case and its data."""
    process = app.specs.get(version)
    errors = check_contact(contact, process.start_properties.get("contactRequired") == "true")
    try:
        values = validate(process.start_form, submitted)
    except ValidationFailed as exc:
        errors = {**exc.errors, **errors}
    if errors:
        raise ValidationFailed(errors)
    case = Case(category=values.get("category"), summary=str(values.get("description") or ""),
                location=values.get("location"), citizen_name=contact.name.strip() or None,
                citizen_email=contact.email.strip() or None, citizen_phone=contact.phone.strip() or None,
                citizen_language=contact.language)
    return case, values


def open_linked(app: Batho, session: Session, key: str, submitted: dict[str, Any], contact: Contact,
                parent: Case, actor_id: int | None) -> tuple[str, int]:
    """Inside the caller's transaction, open a case of `key` started from `parent` (e.g. a suggestion slip)."""
    version = latest_version(session, key)
    if version is None:
        raise NotFound(f"No process called {key!r} is deployed.")
    case, values = _checked_case(app, version, submitted, contact)
    case.parent_case_id = parent.id
    reference = _open(app, session, version, case, values, parent.channel, actor_id)
    return reference, case.id


def _open(app: Batho, session: Session, version: ProcessVersion, case: Case, values: dict[str, Any],
          channel: str, actor_id: int | None) -> str:
    """Number and save the case, then start its process with `values` plus the case's own facts."""
    now = app.now()
    case.reference = next_reference(app, session)
    case.access_code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    case.case_type, case.channel, case.status, case.opened_at = version.key, channel, "registered", now
    case.created_by_id = actor_id
    session.add(case)
    session.flush()
    data = {**values, "reference": case.reference, "case_type": version.key, "channel": channel,
            "opened_at": now.isoformat(), "anonymous": case.is_anonymous}
    instances.start(app, session, version, case, data, actor_id)
    return case.reference


def start_process(app: Batho, key: str, data: dict[str, Any], channel: str = "api",
                  actor_id: int | None = None) -> str:
    """Open a case for `key` with `data` as already-checked process data (staff, scheduler, tests)."""
    with app.db.transaction() as session:
        return start_in(app, session, key, data, channel, actor_id)


def start_in(app: Batho, session: Session, key: str, data: dict[str, Any], channel: str = "api",
             actor_id: int | None = None) -> str:
    """start_process inside the caller's transaction (the scheduler's, which also records the run)."""
    version = latest_version(session, key)
    if version is None:
        raise NotFound(f"No process called {key!r} is deployed.")
    case = Case(summary=str(data.get("description", "")), category=data.get("category"))
    return _open(app, session, version, case, data, channel, actor_id)


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
        case = session.scalars(select(Case).where(Case.reference == reference.strip().upper())).first()
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
        case = session.scalars(select(Case).where(Case.reference == reference.strip().upper())).first()
        if case is None:
            raise NotFound("We could not find a case with that reference.")
        if not code_matches(case, code):
            raise Forbidden("Only the person who lodged the case can rate it: use the link we gave you.")
        if case.status not in ("responded", "closed") or case.satisfaction_rating is not None:
            raise ValidationFailed({"rating": "This case cannot be rated now."})
        case.satisfaction_rating = rating
        case.satisfaction_comment = comment.strip() or None
        session.add(CaseEvent(case_id=case.id, kind="rated", at=app.now(), data={"rating": rating},
                              message=comment.strip() or None))
