"""Opening a case in the caller's transaction: start form and contact checked, case numbered, process started.

Below the services and beside the instances: a diagram's `startProcess` node opens a linked case from inside an
engine step, so the process is started by the `start` function the caller hands in (the instances' own), never
by importing it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .bpmn.forms import validate
from .composition import Batho
from .db import insert_new
from .errors import NotFound, ValidationFailed
from .models import Case, ProcessVersion, ReferenceCounter

# Read out over the phone and typed on small keyboards: no 0/O, 1/I/L look-alikes (about 50 bits in 10 characters).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LANGUAGES = ("en", "st", "af")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
PHONE = re.compile(r"^\+?[0-9 ()-]{9,20}$")

# instances.start: (app, session, version, case, data, actor_id) -> the running instance.
Starter = Callable[[Batho, Session, ProcessVersion, Case | None, dict[str, Any], int | None], object]


@dataclass(frozen=True)
class Place:
    """Where the problem is: the point the citizen pinned or shared (WGS 84), and the ward and town found from it."""

    latitude: float | None = None
    longitude: float | None = None
    ward: str | None = None
    town: str | None = None


@dataclass(frozen=True)
class Contact:
    """The citizen's optional contact details (kept on the case, never in process data)."""

    name: str = ""
    email: str = ""
    phone: str = ""
    language: str = "en"


def phone_key(raw: str | None) -> str | None:
    """A phone number as search finds it however it was typed: digits only, South African numbers in national
    form (+27 82 555 1111, 0027825551111, 082-555-1111 and +27 (0)82 555 1111 are all 0825551111)."""
    digits = re.sub(r"\D", "", raw or "")
    if digits.startswith("00"):  # the international prefix
        digits = digits[2:]
    if digits.startswith("270") and len(digits) == 12:  # +27 (0)82 ...
        digits = digits[2:]
    elif digits.startswith("27") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits[:20] or None


def email_key(raw: str | None) -> str | None:
    return (raw or "").strip().lower()[:200] or None


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


def latest_version(session: Session, key: str) -> ProcessVersion | None:
    """The newest deployed version of process `key`, or None (the one place that says which version is newest)."""
    return session.scalars(select(ProcessVersion).where(ProcessVersion.key == key)
                           .order_by(ProcessVersion.version.desc()).limit(1)).first()


def newest_version_in(session: Session, key: str) -> ProcessVersion:
    """The newest deployed version of process `key`; NotFound when none is deployed."""
    version = latest_version(session, key)
    if version is None:
        raise NotFound(f"No process called {key!r} is deployed.")
    return version


def next_reference(app: Batho, session: Session) -> str:
    """MAF-2026-000123: a per-year counter, safe with several writers."""
    year = app.now().year
    session.execute(insert_new(session, ReferenceCounter).values(year=year, last=0))
    counter = session.scalars(select(ReferenceCounter).where(ReferenceCounter.year == year)
                              .with_for_update()).one()
    counter.last += 1
    return f"{app.config.reference_prefix}-{year}-{counter.last:06d}"


def checked_case(app: Batho, version: ProcessVersion, submitted: dict[str, Any],
                 contact: Contact, place: Place | None = None) -> tuple[Case, dict[str, Any]]:
    """The start form and contact checked (every wrong field named), as a new unsaved case and its data; `place`
    (already located by the caller) is kept on the case."""
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
                citizen_language=contact.language, citizen_phone_key=phone_key(contact.phone),
                citizen_email_key=email_key(contact.email), account_number=account_key(values.get("account_number")))
    if place is not None:
        case.latitude, case.longitude, case.ward, case.town = place.latitude, place.longitude, place.ward, place.town
    return case, values


def account_key(raw: object) -> str | None:
    """An account number as search finds it: no spaces, capitals (the start form's `account_number`)."""
    return re.sub(r"\s", "", str(raw or "")).upper()[:30] or None


def open_case(app: Batho, session: Session, version: ProcessVersion, case: Case, values: dict[str, Any],
              channel: str, actor_id: int | None, start: Starter) -> str:
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
    start(app, session, version, case, data, actor_id)
    return case.reference


def open_linked(app: Batho, session: Session, key: str, submitted: dict[str, Any], contact: Contact,
                parent: Case, actor_id: int | None, start: Starter) -> tuple[str, int]:
    """Open a case of `key` started from `parent` (e.g. a suggestion slip); return its reference and id."""
    version = newest_version_in(session, key)
    case, values = checked_case(app, version, submitted, contact)
    case.parent_case_id = parent.id
    reference = open_case(app, session, version, case, values, parent.channel, actor_id, start)
    return reference, case.id
