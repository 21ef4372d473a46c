"""Deviations from the service standards awaiting the manager's reason and remedial action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..authz import Identity, require_manager
from ..composition import Batho
from ..errors import NotFound, ValidationFailed
from ..models import Case, CaseEvent, Deviation
from ..models.enums import EventKind

MAX_TEXT = 2000


@dataclass(frozen=True)
class OpenDeviation:
    id: int
    reference: str
    case_type: str
    category: str | None
    department: str | None
    standard: str
    due_at: datetime | None
    detected_at: datetime


def _require_manager(who: Identity) -> None:
    require_manager(who, "Only managers record the reasons for a missed service standard.")


def awaiting_reasons(app: Batho, who: Identity) -> list[OpenDeviation]:
    """Deviations no manager has explained yet, oldest first."""
    _require_manager(who)
    with app.db.reading() as session:
        rows = session.execute(select(Deviation, Case.reference, Case.case_type, Case.category, Case.department_code)
                               .join(Case, Case.id == Deviation.case_id).where(Deviation.recorded_at.is_(None))
                               .order_by(Deviation.detected_at, Deviation.id))
        return [OpenDeviation(d.id, ref, kind, cat, dept, d.standard, d.due_at, d.detected_at)
                for d, ref, kind, cat, dept in rows]


def record_reason(app: Batho, who: Identity, deviation_id: int, reason: str, remedial_action: str) -> None:
    """The manager's reason and recommended remedial action, for the report to Council."""
    _require_manager(who)
    errors = {}
    for key, text, label in (("reason", reason, "Reason"), ("remedial_action", remedial_action, "Remedial action")):
        if not text.strip():
            errors[key] = f"{label} is required."
        elif len(text) > MAX_TEXT:
            errors[key] = f"{label}: shorten this to at most {MAX_TEXT} characters."
    if errors:
        raise ValidationFailed(errors)
    with app.db.transaction() as session:
        row = session.get(Deviation, deviation_id, with_for_update=True)
        if row is None:
            raise NotFound("That deviation does not exist.")
        row.reason, row.remedial_action = reason.strip(), remedial_action.strip()
        row.recorded_by_id, row.recorded_at = who.id, app.now()
        session.add(CaseEvent(case_id=row.case_id, kind=EventKind.DEVIATION, at=app.now(), actor_id=who.id,
                              message=f"Deviation recorded. Reason: {row.reason} Remedial action: "
                                      f"{row.remedial_action}"))
