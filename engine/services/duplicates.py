"""Form fields that name another case (the `caseReference` property): the check, the link both ways, its status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..bpmn.forms import Field, applies
from ..composition import Batho
from ..errors import ValidationFailed
from ..models import Case, CaseEvent
from ..models.enums import DUPLICATE_STATUS, EventKind
from . import catalog
from .lookup import case_in

# A closed case may still be repeated by a late report of the same burst pipe; after three months it is news.
RECENT_DAYS = 90
DUPLICATE_OF, DUPLICATED_BY = "duplicate_of", "duplicated_by"  # the two ends of a link (case event data)


@dataclass(frozen=True)
class Named:
    """A field of the form and the case its answer names."""

    field: Field
    case: Case


def original_of(session: Session, case: Case) -> str | None:
    """The reference of the case that `case` was closed as a duplicate of (its first link of that kind)."""
    for data in session.scalars(select(CaseEvent.data).where(CaseEvent.case_id == case.id,
                                                             CaseEvent.kind == EventKind.LINKED_CASE)
                                .order_by(CaseEvent.id)):
        if isinstance(data, dict) and data.get("link") == DUPLICATE_OF:
            return str(data.get("reference"))
    return None


def _problem(session: Session, field: Field, typed: str, found: Case | None, case: Case | None,
             now: datetime) -> str | None:
    """Why `found` cannot be named in `field`, as a sentence, or None when it can."""
    label = field.label
    if found is None:
        return f"{label}: there is no case {typed.strip().upper()}. Type the reference of the case this repeats."
    if case is not None and found.id == case.id:
        return f"{label}: {found.reference} is this case itself. Type the reference of the case this repeats."
    if found.status == DUPLICATE_STATUS:
        original = original_of(session, found)
        pointer = f"type {original}, the case it repeats" if original else "type the reference of the case it repeats"
        return f"{label}: {found.reference} is itself a duplicate; {pointer}."
    if found.closed_at is not None and found.closed_at < now - timedelta(days=RECENT_DAYS):
        return (f"{label}: {found.reference} was closed more than {RECENT_DAYS} days ago. Lodge this as a new "
                "case, or type the reference of an open or recently closed case.")
    return None


def check_in(app: Batho, session: Session, case: Case | None, fields: tuple[Field, ...],
             values: dict[str, Any]) -> list[Named]:
    """The cases the form's `caseReference` fields name; ValidationFailed naming each field that names none."""
    named, errors = [], {}
    for f in fields:
        typed = values.get(f.id)
        if not f.case_reference or not isinstance(typed, str) or not typed.strip() or not applies(f, values):
            continue
        found = case_in(session, typed)
        problem = _problem(session, f, typed, found, case, app.now())
        if problem:
            errors[f.id] = problem
        elif found is not None:
            named.append(Named(f, found))
    if errors:
        raise ValidationFailed(errors)
    return named


def filled_in(app: Batho, session: Session, named: list[Named]) -> dict[str, str]:
    """Each named case's reference as the case has it, and `<field>_status`: the sentence the citizen reads for its
    status, for the diagram's notes."""
    values = {}
    for n in named:
        values[n.field.id] = n.case.reference
        values[f"{n.field.id}_status"] = catalog.status_sentence(app, n.case.case_type, n.case.status, session)
    return values


def link_in(app: Batho, session: Session, case: Case, named: list[Named], actor_id: int | None,
            instance_id: int | None = None) -> None:
    """Each named case linked to `case` both ways: one linked-case event on either case."""
    for n in named:
        other = n.case
        session.add(CaseEvent(case_id=case.id, instance_id=instance_id, kind=EventKind.LINKED_CASE, at=app.now(),
                              actor_id=actor_id, title=n.field.label,
                              message=f"Marked as a duplicate of case {other.reference}.",
                              data={"reference": other.reference, "link": DUPLICATE_OF}))
        session.add(CaseEvent(case_id=other.id, kind=EventKind.LINKED_CASE, at=app.now(), actor_id=actor_id,
                              title=n.field.label, message=f"Case {case.reference} was marked as a duplicate of this "
                              "case.", data={"reference": case.reference, "link": DUPLICATED_BY}))
