"""The human-task read model: one row per READY manual task, rewritten after every step."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .bpmn.workflow import Workflow
from .models import Case, HumanTask, Role


def role_for_lane(session: Session, lane: str | None) -> str | None:
    """The role key a lane name stands for (lanes name roles by name or key, any case)."""
    if not lane:
        return None
    wanted = lane.strip().lower()
    for key, name in session.execute(select(Role.key, Role.name)):
        if wanted in (key.lower(), name.lower()):
            return str(key)
    return None


def sync_human_tasks(
    session: Session, workflow: Workflow, instance_id: int, process_key: str, case: Case | None
) -> list[HumanTask]:
    """Make the human_tasks rows of one instance match its READY manual tasks; return the new rows."""
    ready = {step.id: step for step in workflow.ready_manual_tasks()}
    existing = {row.id: row for row in session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id))}
    gone = [task_id for task_id in existing if task_id not in ready]
    if gone:
        session.execute(delete(HumanTask).where(HumanTask.id.in_(gone)))
    added = []
    for task_id, step in ready.items():
        if task_id in existing:
            continue
        department_var = step.properties.get("candidateDepartment")
        row = HumanTask(
            id=task_id,
            instance_id=instance_id,
            case_id=case.id if case else None,
            process_key=process_key,
            task_name=step.element,
            title=step.title,
            lane=step.lane,
            candidate_role=role_for_lane(session, step.lane),
            candidate_department=step.data.get(department_var) if department_var else None,
            due_at=case.due_at if case else None,
        )
        session.add(row)
        added.append(row)
    return added
