"""Drive cases through the real services, step by step, as the people in the lanes would."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from engine.composition import Batho
from engine.models import Case, CaseEvent, HumanTask, ProcessInstance
from engine.services import cases, tasks
from engine.services.identity import Identity

WATER = {"category": "water", "description": "No water in Extension 4 since Monday", "location": "12 Main St"}


def lodge(app: Batho, values: dict[str, Any] | None = None, **contact: str) -> str:
    return cases.lodge(app, "complaint", values or dict(WATER), cases.Contact(**contact), "web")


def open_task(app: Batho, reference: str, task_name: str) -> HumanTask:
    """The one open task called `task_name` on the case."""
    with app.db.reading() as session:
        rows = list(session.scalars(select(HumanTask).join(Case, Case.id == HumanTask.case_id)
                                    .where(Case.reference == reference, HumanTask.task_name == task_name)))
    assert len(rows) == 1, f"expected one open {task_name} on {reference}, found {open_tasks(app, reference)}"
    return rows[0]


def open_tasks(app: Batho, reference: str) -> list[str]:
    with app.db.reading() as session:
        return sorted(session.scalars(select(HumanTask.task_name).join(Case, Case.id == HumanTask.case_id)
                                      .where(Case.reference == reference)))


def do(app: Batho, who: Identity, reference: str, task_name: str, **values: Any) -> None:
    """Complete the open task `task_name` of the case as `who`."""
    task = open_task(app, reference, task_name)
    tasks.complete(app, who, task.id, values)


def case(app: Batho, reference: str) -> Case:
    with app.db.reading() as session:
        found = session.scalars(select(Case).where(Case.reference == reference)).one()
        session.expunge(found)
        return found


def instance(app: Batho, reference: str) -> ProcessInstance:
    with app.db.reading() as session:
        found = session.scalars(select(ProcessInstance).join(Case, Case.id == ProcessInstance.case_id)
                                .where(Case.reference == reference)).one()
        session.expunge(found)
        return found


def events(app: Batho, reference: str, kind: str | None = None) -> list[CaseEvent]:
    with app.db.reading() as session:
        query = select(CaseEvent).join(Case, Case.id == CaseEvent.case_id).where(Case.reference == reference)
        if kind:
            query = query.where(CaseEvent.kind == kind)
        rows = list(session.scalars(query.order_by(CaseEvent.id)))
        for row in rows:
            session.expunge(row)
        return rows


def public_messages(app: Batho, reference: str) -> list[str]:
    return [u.message for u in cases.public_status(app, reference).updates]


def to_investigation(app: Batho, people: dict[str, Identity], **values: Any) -> str:
    reference = lodge(app, values or None, name="Jane Citizen", email="jane@example.org")
    do(app, people["agent"], reference, "Task_triage", triage_outcome="accept")
    return reference


def respond(app: Batho, people: dict[str, Identity], reference: str) -> None:
    """Work the case at investigation through to the response the citizen rates (a reopened one too)."""
    do(app, people["officer"], reference, "Task_investigate", findings="Burst pipe", corrective_action="Replace it")
    do(app, people["supervisor"], reference, "Task_approve", decision="approve")
    do(app, people["officer"], reference, "Task_implement", implementation_outcome="Replaced",
       completed_on="2026-11-27")
    do(app, people["agent"], reference, "Task_respond", explanation="A pipe burst.", remedy="We replaced it.")


def to_response(app: Batho, people: dict[str, Identity]) -> str:
    reference = to_investigation(app, people)
    respond(app, people, reference)
    return reference


def access_code(app: Batho, reference: str) -> str:
    """The code the citizen was given with the reference."""
    return case(app, reference).access_code or ""


def status_path(app: Batho, reference: str) -> str:
    """The status page as the citizen opens it from the link we gave them."""
    return f"/status/{reference}?code={access_code(app, reference)}"
