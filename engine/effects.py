"""What a finished node means for its case: status, public updates, escalations, due dates.

Diagrams declare this with camunda:properties, so process owners change it without code:
`caseStatus` sets the case status, `publicNote` adds a message the citizen sees ($name fields come
from the task data), `escalateTo` records an escalation. Known data names (department, priority,
category, ack_due, resolution_due) are copied onto the case.
"""

from __future__ import annotations

from datetime import datetime
from string import Template
from typing import Any

from sqlalchemy.orm import Session

from .bpmn.vocabulary import CASE_STATUS, CLOSES_CASE, REOPENS_CASE
from .bpmn.workflow import Step
from .formatting import fill_note, long_date
from .models import Case, CaseEvent
from .models.base import utcnow
from .models.enums import EventKind

CASE_FIELDS = {"department": "department_code", "priority": "priority", "category": "category"}
CASE_TIMES = {"resolution_due": "due_at", "ack_due": "ack_due_at"}
ESCALATION_TEXT = {
    "supervisor": "Escalated to the supervisor: the resolution target has passed.",
    "manager": "Escalated to the manager.",
}


def local_date(value: datetime | None, tz: str) -> str:
    """A date as citizens read it, e.g. 'Tuesday 24 March 2026'."""
    return "soon" if value is None else long_date(value, "en", tz)


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def sync_case_fields(case: Case, data: dict[str, Any]) -> None:
    """Copy the known data names onto the case columns."""
    for key, column in CASE_FIELDS.items():
        if isinstance(data.get(key), str):
            setattr(case, column, data[key])
    for key, column in CASE_TIMES.items():
        parsed = _parse_time(data.get(key))
        if parsed is not None:
            setattr(case, column, parsed)


def render_note(template: str, case: Case, data: dict[str, Any], tz: str) -> str:
    """Fill $names in a public note from the task data (R$name as money, R 45 000,00); unknown names stay."""
    values = {k: ("" if v is None else v) for k, v in data.items() if v is None or isinstance(v, str | int | float)}
    values.update(reference=case.reference, due_date=local_date(case.due_at, tz))
    return fill_note(template, values)


def note_source(template: str, case: Case, data: dict[str, Any]) -> dict[str, Any]:
    """The note's template and the values it used, so the status page can write it in the citizen's language."""
    names = set(Template(template).get_identifiers()) - {"reference", "due_date"}
    values = {k: ("" if data.get(k) is None else str(data[k])) for k in names if k in data}
    values["reference"] = case.reference
    return {"note": template, "values": values, "due_at": case.due_at.isoformat() if case.due_at else None}


def _open_or_close(session: Session, case: Case, step: Step, instance_id: int, actor_id: int | None,
                   now: datetime) -> None:
    """closesCase: the case closes while its process goes on (waiting for a reopen); reopensCase: it opens again."""
    props = step.properties
    if props.get(CLOSES_CASE, "").lower() == "true" and case.closed_at is None:
        case.closed_at = now
        session.add(CaseEvent(case_id=case.id, instance_id=instance_id, kind=EventKind.CLOSED, at=now,
                              public=False, message=props.get(CASE_STATUS) or case.status))
    if props.get(REOPENS_CASE, "").lower() == "true" and case.closed_at is not None:
        session.add(CaseEvent(case_id=case.id, instance_id=instance_id, kind=EventKind.REOPENED, at=now,
                              public=False, actor_id=actor_id, task_name=step.element, title=step.name,
                              data={"closed_at": case.closed_at.isoformat()}))
        case.closed_at = None


def apply_node_effects(
    session: Session, case: Case, step: Step, instance_id: int, actor_id: int | None, tz: str,
    now: datetime | None = None,
) -> None:
    """Record on the case what the finished `step` declares (properties) and carries (data)."""
    sync_case_fields(case, step.data)
    props = step.properties
    if now is not None:
        _open_or_close(session, case, step, instance_id, actor_id, now)
    # Each event names its time and `public` (rather than leaving them to the column defaults), so the events of one
    # step share their columns and go to the database as one INSERT of several rows.
    status = props.get("caseStatus")
    if status and status != case.status:
        case.status = status
        session.add(CaseEvent(case_id=case.id, instance_id=instance_id, kind=EventKind.STATUS, actor_id=actor_id,
                              at=utcnow(), public=False, task_name=step.element, title=step.name,
                              message=status, data={"status": status}))
    escalate = props.get("escalateTo")
    if escalate:
        case.escalation_level = escalate
        session.add(CaseEvent(case_id=case.id, instance_id=instance_id, kind=EventKind.ESCALATION, actor_id=actor_id,
                              at=utcnow(), public=False, task_name=step.element, title=step.name,
                              message=ESCALATION_TEXT.get(escalate, f"Escalated to {escalate}."),
                              data={"level": escalate}))
    note = props.get("publicNote")
    if note:
        session.add(CaseEvent(case_id=case.id, instance_id=instance_id, kind=EventKind.PUBLIC_UPDATE, public=True,
                              at=utcnow(), actor_id=actor_id, task_name=step.element,
                              title=step.name, message=render_note(note, case, step.data, tz),
                              data=note_source(note, case, step.data)))
