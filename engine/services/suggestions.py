"""Suggestion slips: dropped online or captured from paper, and the public "you said, we did" page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..authz import Identity, require_capturer
from ..bpmn.forms import Field, Option, validate
from ..composition import Batho
from ..effects import local_date
from ..errors import ValidationFailed
from ..models import SuggestionSlip
from .cases import Contact, check_contact

SLIP_CHANNELS = ("web", "paper")
AREAS = (
    Option("technical", "Water, sanitation, roads, electricity"),
    Option("community", "Refuse, parks, cemeteries, facilities"),
    Option("finance", "Accounts, billing, pay points"),
    Option("customer_care", "Customer care, service by staff, anything else"),
)
KINDS = (
    Option("suggestion", "A suggestion"),
    Option("comment", "A comment"),
    Option("compliment", "A compliment"),
    Option("complaint", "A complaint"),
    Option("query", "A query about my account"),
)
# The slip as printed at the customer care centres; the weekly run classifies it for real.
SLIP_FIELDS: tuple[Field, ...] = (
    Field(id="kind_hint", label="What would you like to give us?", type="enum", required=True, options=KINDS),
    Field(id="text", label="Your suggestion, comment, compliment or query", type="string", required=True,
          multiline=True, maxlength=4000),
    Field(id="service_area", label="Which service is it about?", type="enum", options=AREAS),
    Field(id="staff_or_unit", label="Staff member or office (for a compliment)", type="string", maxlength=200),
)


def slip_form() -> tuple[Field, ...]:
    return SLIP_FIELDS


def drop_slip(app: Batho, submitted: dict[str, object], contact: Contact, channel: str,
              who: Identity | None = None) -> int:
    """Put one slip in the box (online, or captured from paper by a customer care agent); return its number."""
    with app.db.transaction() as session:
        return drop_slip_in(app, session, submitted, contact, channel, who)


def checked_slip(submitted: dict[str, Any], contact: Contact) -> dict[str, Any]:
    """A slip's answers checked against its form, and its contact details; ValidationFailed lists every mistake."""
    errors = check_contact(contact, required=False)
    try:
        values = validate(SLIP_FIELDS, submitted)
    except ValidationFailed as exc:
        errors = {**exc.errors, **errors}
    if errors:
        raise ValidationFailed(errors)
    return values


def drop_slip_in(app: Batho, session: Session, submitted: dict[str, object], contact: Contact, channel: str,
                 who: Identity | None = None) -> int:
    """`drop_slip` in the caller's transaction (a form kept with its one-time token)."""
    if channel not in SLIP_CHANNELS:
        raise ValidationFailed({"channel": "A slip comes from the web form or from paper."})
    if channel == "paper":
        require_capturer(who)
    values = checked_slip(submitted, contact)
    slip = SuggestionSlip(channel=channel, received_at=app.now(), kind_hint=values["kind_hint"],
                          text=values["text"], service_area=values.get("service_area"),
                          staff_or_unit=values.get("staff_or_unit"),
                          citizen_name=contact.name.strip() or None, citizen_email=contact.email.strip() or None,
                          citizen_phone=contact.phone.strip() or None,
                          captured_by_id=who.id if who else None)
    session.add(slip)
    session.flush()
    return slip.id


@dataclass(frozen=True)
class Outcome:
    """One published outcome: what was suggested and what was done, with no personal information."""

    published_on: str
    service_area: str
    you_said: str
    we_did: str


def published_outcomes(app: Batho, limit: int = 100) -> list[Outcome]:
    """The newest "you said, we did" outcomes."""
    names = {o.id: o.name for o in AREAS}
    with app.db.reading() as session:
        rows = session.execute(select(SuggestionSlip.published_at, SuggestionSlip.service_area,
                                      SuggestionSlip.public_you_said, SuggestionSlip.public_we_did)
                               .where(SuggestionSlip.published_at.is_not(None))
                               .order_by(SuggestionSlip.published_at.desc()).limit(limit))
        return [Outcome(local_date(at, app.config.timezone), names.get(area or "", "General"), said or "", did or "")
                for at, area, said, did in rows]


def waiting_slips(app: Batho) -> int:
    """How many slips wait for the next opening of the box."""
    with app.db.reading() as session:
        return session.scalar(select(func.count()).select_from(SuggestionSlip)
                              .where(SuggestionSlip.run_case_id.is_(None))) or 0
